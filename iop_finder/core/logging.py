"""A logging filter that keeps personal data out of the logs.

Log lines never carry request bodies; this filter also strips query strings from request lines
(``/programs/?zip=40202`` becomes ``/programs/?[redacted]``: admin search terms and directory
searches live there), hides result-page tokens (``/assessment/r/[token]/``: a token opens a
person's result) and any other path segment shaped like a random token (mixed case and digits,
16 characters or more: resume and listing-update links), and masks anything shaped like an email
address or a US phone number. It cleans the message, the exception text (tracebacks quote URLs,
values and SQL parameters) and the stack text of a record.
"""

import logging
import re

QUERY = re.compile(r"\?[^\s\"']*")
TOKEN = re.compile(r"(/assessment/r/)[^/\s\"'?]+")
#: A path segment that looks like a secret token: 16+ URL-safe characters with at least one
#: capital letter and one digit (program slugs are lower case; ids are digits only).
RANDOM_SEGMENT = re.compile(
    r"(?<=/)(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{16,}(?=[/\s\"'?]|$)"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")


def scrub(text: str) -> str:
    text = QUERY.sub("?[redacted]", text)
    text = TOKEN.sub(r"\1[token]", text)
    text = RANDOM_SEGMENT.sub("[token]", text)
    text = EMAIL.sub("[email]", text)
    return PHONE.sub("[phone]", text)


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            # Formatters print exc_text when it is set, so the raw exception is never printed.
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
