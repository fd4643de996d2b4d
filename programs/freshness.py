"""How current a listing is, how soon a person can start, and what a listing contact changed.

Pure Python over plain values (dates, numbers, dicts): no models and no queries, so the rules are
tested without a database (``tests/programs/test_freshness.py``). The settings are read when a
function is called, with these defaults:

* ``LISTING_STALE_DAYS`` (180): a listing not confirmed with the program for longer is "stale":
  labelled "Not confirmed since March 2026: call to check" and listed after fresh ones within
  the same distance band.
* ``LISTING_LINK_DAYS`` (30): how long a listing update link works.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DEFAULT_STALE_DAYS = 180
DEFAULT_LINK_DAYS = 30
#: At most one update request per program in this many days (the command and the admin).
REQUEST_INTERVAL_DAYS = 7
#: "Can start within 2 weeks": a known wait of at most this many days.
SHORT_WAIT_DAYS = 14
#: Distance bands (miles) within which fresh listings come before stale ones.
DISTANCE_BANDS = (5, 10, 25, 50, 100, 250)
#: Open reports of the same kind that mark a listing "reported: may be out of date".
REPORTS_TO_FLAG = 3


def stale_days() -> int:
    return int(getattr(settings, "LISTING_STALE_DAYS", DEFAULT_STALE_DAYS))


def link_days() -> int:
    return int(getattr(settings, "LISTING_LINK_DAYS", DEFAULT_LINK_DAYS))


def stale_before(today: dt.date) -> dt.date:
    """Listings last confirmed before this date are stale."""
    return today - dt.timedelta(days=stale_days())


def is_stale(last_verified: dt.date | None, today: dt.date) -> bool:
    """Never confirmed, or confirmed more than ``LISTING_STALE_DAYS`` ago."""
    return last_verified is None or last_verified < stale_before(today)


def stale_label(last_verified: dt.date | None) -> str:
    """ "Not confirmed since March 2026: call to check" ("with the program" when never)."""
    if last_verified is None:
        return _("Not confirmed with the program: call to check")
    month = formats.date_format(last_verified, "YEAR_MONTH_FORMAT")
    return _("Not confirmed since %(month)s: call to check") % {"month": month}


def listing_note(stale: bool, last_verified, reported_kind: str) -> str:
    """ "Reported: may be out of date." and/or the stale label, as one sentence ("" if neither)."""
    parts = [_("Reported: may be out of date.")] if reported_kind else []
    if stale:
        parts.append(stale_label(last_verified))
    elif parts:
        parts.append(_("Call to check."))
    return " ".join(parts)


def known_wait_days(
    next_intake: dt.date | None, wait_days: int | None, today: dt.date
) -> int | None:
    """Days until a new patient can start: to the next intake date when one is set and not
    past, else the typical wait; None when neither is known."""
    if next_intake is not None and next_intake >= today:
        return (next_intake - today).days
    return wait_days


def starts_soon(next_intake, wait_days, today: dt.date) -> bool:
    """A known wait of at most :data:`SHORT_WAIT_DAYS` (the "can start within 2 weeks" filter)."""
    days = known_wait_days(next_intake, wait_days, today)
    return days is not None and days <= SHORT_WAIT_DAYS


def wait_text(next_intake, wait_days, today: dt.date) -> str:
    """ "Next intake: Mon, Dec 7" or "Typical wait: about 10 days"; "" when not known."""
    if next_intake is not None and next_intake >= today:
        if next_intake == today:
            return _("Next intake: today")
        return _("Next intake: %(date)s") % {
            "date": formats.date_format(next_intake, "MONTH_DAY_FORMAT")
        }
    if wait_days is None:
        return ""
    if wait_days == 0:
        return _("Typical wait: none, you can usually start right away")
    return ngettext(
        "Typical wait: about %(days)s day", "Typical wait: about %(days)s days", wait_days
    ) % {"days": wait_days}


def distance_band(distance: float | None) -> int:
    """The band a distance falls in (0 = within 5 miles ...); no distance is the last band."""
    if distance is None:
        return len(DISTANCE_BANDS) + 1
    for index, limit in enumerate(DISTANCE_BANDS):
        if distance <= limit:
            return index
    return len(DISTANCE_BANDS)


def diff(before: dict, after: dict) -> dict[str, list]:
    """{field: [old, new]} for each field of ``after`` whose value differs from ``before``."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if _comparable(before.get(name)) != _comparable(value)
    }


def _comparable(value):
    if isinstance(value, list | tuple):
        return sorted(str(item) for item in value)
    if value in (None, ""):
        return None
    return value


def flagged_kind(open_counts: dict[str, int]) -> str:
    """The report kind named by :data:`REPORTS_TO_FLAG` or more open reports ("" when none);
    the most reported kind when several are."""
    kinds = [(count, kind) for kind, count in open_counts.items() if count >= REPORTS_TO_FLAG]
    return max(kinds)[1] if kinds else ""


# ---- session times as text ------------------------------------------------------------------

DAY_WORDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LINE = re.compile(
    r"^(?P<day>[a-z]{3})[a-z]*\.?\s+(?P<start>\d{1,2}:\d{2})\s*[-–]\s*(?P<end>\d{1,2}:\d{2})"
    r"(?:\s+(?P<track>.+))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SessionLine:
    weekday: int
    start: dt.time
    end: dt.time
    track: str = ""

    def text(self) -> str:
        line = f"{DAY_WORDS[self.weekday].title()} {self.start:%H:%M}-{self.end:%H:%M}"
        return f"{line} {self.track}".strip()


def schedule_text(lines) -> str:
    """Sessions as editable text, one a line: "Mon 18:00-21:00 Evening track"."""
    return "\n".join(line.text() for line in lines)


def parse_schedule(text: str) -> tuple[list[SessionLine], list[str]]:
    """(sessions, errors) from text written like :func:`schedule_text`."""
    sessions, errors = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        found = _LINE.match(line)
        session = _session_of(found) if found else None
        if session is None:
            errors.append(
                _(
                    "Line %(number)s (“%(line)s”): write a day, a start and an end, for example "
                    "“Mon 18:00-21:00 Evening track”."
                )
                % {"number": number, "line": line[:60]}
            )
        else:
            sessions.append(session)
    return sessions, errors


def _session_of(found) -> SessionLine | None:
    day = found["day"].lower()
    if day not in DAY_WORDS:
        return None
    try:
        start = dt.time.fromisoformat(found["start"].zfill(5))
        end = dt.time.fromisoformat(found["end"].zfill(5))
    except ValueError:
        return None
    if end <= start:
        return None
    return SessionLine(DAY_WORDS.index(day), start, end, (found["track"] or "").strip()[:100])
