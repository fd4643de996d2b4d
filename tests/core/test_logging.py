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
