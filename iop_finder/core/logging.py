"""A logging filter that keeps personal data out of the logs.

Log lines never carry request bodies; this filter also strips query strings from request lines
(``/programs/?zip=40202`` becomes ``/programs/?[redacted]``), hides result-page tokens
(``/assessment/r/[token]/``: a token opens a person's result) and masks anything shaped like an
email address or a US phone number.
"""

import logging
import re

QUERY = re.compile(r"\?[^\s\"']*")
TOKEN = re.compile(r"(/assessment/r/)[^/\s\"']+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)")


def scrub(text: str) -> str:
    text = QUERY.sub("?[redacted]", text)
    text = TOKEN.sub(r"\1[token]", text)
    text = EMAIL.sub("[email]", text)
    return PHONE.sub("[phone]", text)


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True
