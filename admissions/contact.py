"""Phone numbers and e-mail addresses as staff type them and as people wrote them, made
comparable: plain Python, tested without a database.

* :func:`phone_digits` keeps the digits of a North American number (a leading country code 1
  dropped), so "(502) 555-0142", "502-555-0142", "+1 502 555 0142" and "5025550142" are one
  number.
* :func:`national_format` writes a 10-digit number as "(502) 555-0142" (what a dialer imports);
  anything else is left as typed.
* :func:`email_key` lower-cases and trims an address.
"""

from __future__ import annotations

import re

_NOT_DIGITS = re.compile(r"\D")
_PHONE_LIKE = re.compile(r"^[\d\s().+\-]{7,}$")


def phone_digits(text: str | None) -> str:
    digits = _NOT_DIGITS.sub("", text or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits[:15]


def looks_like_phone(text: str | None) -> bool:
    """A search term that is a phone number (digits and the usual punctuation, 7+ digits)."""
    text = (text or "").strip()
    return bool(_PHONE_LIKE.match(text)) and len(phone_digits(text)) >= 7


def national_format(text: str | None) -> str:
    digits = phone_digits(text)
    if len(digits) == 10:
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return (text or "").strip()


def email_key(text: str | None) -> str:
    return (text or "").strip().lower()


def looks_like_email(text: str | None) -> bool:
    text = (text or "").strip()
    return "@" in text and " " not in text


def mask_member_id(text: str | None) -> str:
    """An insurance member ID with all but its last four characters hidden ("•••• 4821")."""
    text = (text or "").strip()
    if not text:
        return ""
    if len(text) <= 4:
        return "••••"
    return f"•••• {text[-4:]}"
