import logging

from iop_finder.core.logging import ScrubPersonalData, scrub


def test_query_strings_emails_and_phone_numbers_never_reach_the_log():
    line = '"GET /programs/?zip=40202&insurance=medicaid HTTP/1.1" 200 from ana@example.com (502) 555-0142'
    cleaned = scrub(line)
    assert "40202" not in cleaned
    assert "ana@example.com" not in cleaned
    assert "555-0142" not in cleaned
    assert "/programs/?[redacted]" in cleaned


def test_filter_rewrites_the_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "call %s", ("502-555-0142",), None)
    assert ScrubPersonalData().filter(record)
    assert record.getMessage() == "call [phone]"


def test_result_tokens_never_reach_the_log():
    line = "Internal Server Error: /assessment/r/AbC-12_xyzTOKEN/call-back/"
    cleaned = scrub(line)
    assert "AbC-12_xyzTOKEN" not in cleaned
    assert "/assessment/r/[token]/call-back/" in cleaned


def test_exception_text_is_scrubbed_too():
    """Issue 11 item 4: the traceback of a logged exception quoted the URL and the values."""
    import io

    try:
        raise ValueError("no row for /assessment/r/Secret0Token0Value/ sent to ana@example.com")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), exc_info
    )
    assert ScrubPersonalData().filter(record)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.handle(record)
    printed = stream.getvalue()
    assert "Traceback" in printed and "ValueError" in printed
    assert "Secret0Token0Value" not in printed and "ana@example.com" not in printed


def test_token_shaped_path_segments_are_hidden_but_slugs_and_ids_are_kept():
    line = "GET /assessment/resume/Zx9kQ2mP4rT7vW1y/ /programs/louisville-intensive-outpatient/ /admin/assessment/submission/1234567890123456/"
    cleaned = scrub(line)
    assert "Zx9kQ2mP4rT7vW1y" not in cleaned
    assert "/programs/louisville-intensive-outpatient/" in cleaned
    assert "/submission/1234567890123456/" in cleaned
