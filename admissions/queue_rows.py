"""The admissions queue's rows, written in one pass with plain string formatting.

The queue shows 50 rows of ten cells. Built cell by cell with ``format_html`` and lazy
translations, a page cost about a thousand ``gettext`` calls, a thousand ``format_html`` calls
and 50 ``naturaltime``/``date_format`` calls: most of the page's time at any table size. Here the
fixed words of a language are translated once (:func:`words`, cached per language), every value
that comes from the row is escaped with ``escape``, and the arrival and follow-up times are
formatted by :func:`local_stamp` (the same text as ``date_format(value, "M j, H:i T")``).

The markup is the one ``SubmissionAdmin``'s column methods write (they call these functions), so
the queue, the admin's action script and the styles see the same cells.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.humanize.templatetags.humanize import NaturalTimeFormatter, naturaltime
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import escape
from django.utils.timesince import timesince
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from admissions import pipeline
from admissions.models import Case
from programs.levels import LevelOfCare

LEVEL_CSS = {level.value: level.value.lower() for level in LevelOfCare}

#: The fixed words of the queue's cells, translated once per language by :func:`words`.
WORDS = {
    "emergency": gettext_noop("Emergency"),
    "urgent": gettext_noop("Urgent"),
    "routine": gettext_noop("Routine"),
    "not_set": gettext_noop("Not set"),
    "overdue": gettext_noop("Overdue"),
    "today": gettext_noop("Today"),
    "returning": gettext_noop("Returning"),
    "no_contact": gettext_noop("No contact details"),
    "unassigned": gettext_noop("Unassigned"),
    "none_yet": gettext_noop("None yet"),
    "reached": gettext_noop("Reached"),
    "last": gettext_noop("last"),
    "yes": gettext_noop("Yes"),
    "no": gettext_noop("No"),
    "phq9": gettext_noop("PHQ-9"),
    "gad7": gettext_noop("GAD-7"),
    "cssrs": gettext_noop("C-SSRS"),
    "select": gettext_noop("Select submission %(ref)s for an action"),
}


@lru_cache(maxsize=16)
def words(language: str | None) -> dict:
    """The queue's fixed words in ``language`` (the active one when called), HTML-escaped, with
    the status names, the levels' short names and the month abbreviations."""
    from admissions.readable import level_info

    found = {key: escape(gettext(text)) for key, text in WORDS.items()}  # noqa: INT001
    found["status"] = {value: escape(str(label)) for value, label in Case.Status.choices}
    found["level"] = {}
    for level in LevelOfCare:
        info = level_info(level.value)
        found["level"][level.value] = escape(str(info.short) if info else level.value)
    found["month"] = {number: str(name).title() for number, name in MONTHS_3.items()}
    return found


def current_words() -> dict:
    return words(get_language())


def local_stamp(
    value: dt.datetime, with_date: bool = True, with_year: bool = False, words: dict | None = None
) -> str:
    """``value`` in the site's time zone as ``date_format`` writes "M j, H:i T" ("Nov 30, 14:00
    EST"; "M j, Y H:i T" with the year; "H:i T" without the date). ``words``: a page's words
    (:func:`page_words`), whose time zone and month names are read once per page."""
    words = words if words and "zone" in words else None
    local = value.astimezone(words["zone"] if words else timezone.get_current_timezone())
    time_part = f"{local:%H:%M} {local.tzname() or ''}".rstrip()
    if not with_date:
        return time_part
    month = (words or current_words())["month"][local.month]
    year = f" {local.year}" if with_year else ""
    return f"{month} {local.day},{year} {time_part}"


#: Stands for the primary key in a change URL reversed once per page (:func:`change_url`).
_PK = "0000"


def change_url(changelist, pk) -> str:
    """``changelist.url_for_result`` for a row (escaped), with one ``reverse`` per page: the
    URL is reversed once for a placeholder key and kept on the changelist."""
    template = getattr(changelist, "_adm_change_url", None)
    if template is None:
        template = escape(changelist.url_for_result(_FakeRow(changelist.pk_attname)))
        head, _sep, tail = template.rpartition(f"/{_PK}/")
        template = (head + "/", "/" + tail)
        changelist._adm_change_url = template
    return f"{template[0]}{int(pk)}{template[1]}"


class _FakeRow:
    def __init__(self, attname):
        setattr(self, attname, _PK)


# --- cells: each returns HTML (every value from the row escaped) -----------------------------


def action_checkbox(obj, w) -> str:
    label = w["select"] % {"ref": escape(obj.token[:8])}
    return (
        f'<input type="checkbox" name="{ACTION_CHECKBOX_NAME}" value="{obj.pk}" '
        f'class="action-select" aria-label="{label}">'
    )


def initials(name: str) -> str:
    parts = [part for part in (name or "").replace(".", " ").split() if part]
    return "".join(f"{part[0].upper()}." for part in parts[:3])


def reference(obj, w) -> str:
    who = escape(initials(obj.contact_name))
    returning = ""
    if pipeline.case_of(obj).returning_of_id:
        returning = f'<br><span class="adm-returning">{w["returning"]}</span>'
    ref = escape(obj.token[:8])
    if who:
        return f'<span class="adm-ref">{ref}</span> <span class="adm-muted">{who}</span>{returning}'
    return f'<span class="adm-ref">{ref}</span>{returning}'


def urgency_badge(obj, w) -> str:
    if obj.level == LevelOfCare.EMERGENCY:
        return f'<span class="adm-badge adm-badge--emergency">{w["emergency"]}</span>'
    if obj.urgent:
        return f'<span class="adm-badge adm-badge--urgent">{w["urgent"]}</span>'
    return f'<span class="adm-muted">{w["routine"]}</span>'


def urgency(obj, w) -> str:
    level = ""
    if obj.level != LevelOfCare.EMERGENCY:  # the badge says it
        css = escape(LEVEL_CSS.get(obj.level, "x"))
        name = w["level"].get(obj.level) or escape(obj.level)
        level = f'<br><span class="adm-level adm-level--{css}">{name}</span>'
    no_contact = ""
    if pipeline.case_of(obj).no_contact:
        no_contact = f'<br><span class="adm-no-contact">{w["no_contact"]}</span>'
    return f"{urgency_badge(obj, w)}{level}{no_contact}"


def status_badge(obj, w) -> str:
    case = pipeline.case_of(obj)
    status = escape(case.status)
    label = w["status"].get(case.status) or escape(case.get_status_display())
    return f'<span class="adm-status adm-status--{status}">{label}</span>'


def owner_name(obj, w) -> str:
    case = pipeline.case_of(obj)
    if case.owner_id is None:
        return f'<span class="adm-muted">{w["unassigned"]}</span>'
    return escape(case.owner.get_full_name() or case.owner.get_username())


def follow_up(case, w) -> str:
    when = case.next_follow_up_at
    if when is None:
        return f'<span class="adm-muted">{w["not_set"]}</span>'
    stamp = when.isoformat()
    reason = ""
    if case.follow_up_reason:
        reason = f'<br><span class="adm-muted">{escape(case.follow_up_reason)}</span>'
    if case.is_overdue:
        return (
            f'<span class="adm-overdue"><strong>{w["overdue"]}</strong> · '
            f'<time datetime="{stamp}">{escape(local_stamp(when, words=w))}</time></span>{reason}'
        )
    if case.is_due_today:
        return (
            f'<span class="adm-due-today"><strong>{w["today"]}</strong> · '
            f'<time datetime="{stamp}">{escape(local_stamp(when, False, words=w))}</time>'
            f"</span>{reason}"
        )
    return f'<time datetime="{stamp}">{escape(local_stamp(when, words=w))}</time>{reason}'


def attempts(obj, w) -> str:
    case = pipeline.case_of(obj)
    if not case.attempt_count:
        return f'<span class="adm-muted">{w["none_yet"]}</span>'
    reached = f'<br><span class="adm-yes">{w["reached"]}</span>' if case.first_contact_at else ""
    count = escape(
        ngettext("%(count)d attempt", "%(count)d attempts", case.attempt_count)
        % {"count": case.attempt_count}
    )
    last = case.last_attempt_at
    return (
        f'{count}<br><span class="adm-muted">{w["last"]} <time datetime="{last.isoformat()}">'
        f"{escape(local_stamp(last, words=w))}</time></span>{reached}"
    )


class _KeptText:
    """One of ``naturaltime``'s lazy formats ("%(count)s minutes ago"), its ``%`` results kept
    per language and argument: the same text, without a plural look-up for every row."""

    LIMIT = 2048

    def __init__(self, lazy):
        self.lazy = lazy
        self.texts: dict = {}

    def __mod__(self, arguments: dict) -> str:
        key = (get_language(), *arguments.items())
        text = self.texts.get(key)
        if text is None:
            if len(self.texts) >= self.LIMIT:
                self.texts.clear()
            text = self.texts[key] = str(self.lazy % arguments)
        return text


_NATURAL = {name: _KeptText(text) for name, text in NaturalTimeFormatter.time_strings.items()}
_NATURAL_PAST = {
    name: _KeptText(text) for name, text in NaturalTimeFormatter.past_substrings.items()
}


def natural_time(value: dt.datetime, now: dt.datetime) -> str:
    """``naturaltime(value)`` ("3 hours ago", "2 days, 4 hours ago") as at ``now`` (one clock
    for the whole page), with the same words: Django's own branches and formats, each text
    translated once (:class:`_KeptText`). A time after ``now`` goes to ``naturaltime``."""
    if not value < now:
        return str(naturaltime(value))
    delta = now - value
    if delta.days != 0:
        since = timesince(value, now, time_strings=_NATURAL_PAST)
        return _NATURAL["past-day"] % {"delta": since}
    if delta.seconds == 0:
        return str(NaturalTimeFormatter.time_strings["now"])
    if delta.seconds < 60:
        return _NATURAL["past-second"] % {"count": delta.seconds}
    if delta.seconds // 60 < 60:
        return _NATURAL["past-minute"] % {"count": delta.seconds // 60}
    return _NATURAL["past-hour"] % {"count": delta.seconds // 60 // 60}


def page_words(words: dict) -> dict:
    """``words`` with the page's clock: "now" (UTC) and the site's "this_year", read once per
    page rather than once per row (``SubmissionAdmin.queue_row`` keeps them on the page)."""
    now = timezone.now()
    zone = timezone.get_current_timezone()
    return {**words, "now": now, "zone": zone, "this_year": now.astimezone(zone).year}


def arrived(obj, w) -> str:
    if "zone" not in w:
        w = page_words(w)
    local = obj.created_at.astimezone(w["zone"])
    now, this_year = w["now"], w["this_year"]
    return (
        f'<time datetime="{local.isoformat()}">'
        f"{escape(local_stamp(local, with_year=local.year != this_year, words=w))}</time><br>"
        f'<span class="adm-muted">{escape(natural_time(obj.created_at, now))}</span>'
    )


def score_cell(total, band_code, positive=False) -> str:
    """The total and its band in a word or two ("14 moderate"): compact for the queue."""
    if total is None:
        return '<span class="adm-muted">—</span>'
    label = escape((band_code or "").replace("_", " "))
    css = "adm-score adm-score--positive" if positive else "adm-score"
    return f'<span class="{css}"><strong>{escape(total)}</strong> {label}</span>'


#: The instruments whose positive screen the scores cell marks.
POSITIVE_MARKED = ("phq9", "gad7")


def _positive(obj, instrument) -> bool:
    """The queue page's rows carry the mark (``admin.QUEUE_MARKS``); other rows read it from
    their ``scores``."""
    marked = getattr(obj, f"queue_{instrument}_positive", None)
    if marked is not None:
        return bool(marked)
    return bool(((obj.scores or {}).get(instrument) or {}).get("positive"))


RISK_CSS = {"high": "adm-risk--high", "moderate": "adm-risk--moderate"}


def scores(obj, w) -> str:
    risk = obj.cssrs_risk or ""
    css = RISK_CSS.get(risk, "adm-muted")
    phq9 = score_cell(obj.phq9_total, obj.phq9_band, _positive(obj, "phq9"))
    gad7 = score_cell(obj.gad7_total, obj.gad7_band, _positive(obj, "gad7"))
    return (
        f'<span class="adm-scores">{w["phq9"]} {phq9}<br>{w["gad7"]} {gad7}<br>'
        f'{w["cssrs"]} <span class="adm-risk {css}">{escape(risk.capitalize()) or "—"}</span>'
        "</span>"
    )


def callback(obj, w) -> str:
    if obj.callback_requested:
        return f'<span class="adm-yes"><span aria-hidden="true">✔</span> {w["yes"]}</span>'
    return f'<span class="adm-muted">{w["no"]}</span>'


#: The queue's columns that have a writer here (the others go through the ModelAdmin).
CELLS = {
    "action_checkbox": action_checkbox,
    "reference": reference,
    "urgency": urgency,
    "status_badge": status_badge,
    "owner_name": owner_name,
    "follow_up": lambda obj, w: follow_up(pipeline.case_of(obj), w),
    "attempts": attempts,
    "arrived": arrived,
    "scores": scores,
    "callback": callback,
}
