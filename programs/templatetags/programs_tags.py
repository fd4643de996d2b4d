"""Template helpers for directory listings: vocabulary labels, schedules, distances, links.

All are pure formatting over rows already loaded (sessions must be prefetched): none of them
runs a query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programs import freshness, geo, levels, snapshot, vocab
from programs.filter_form import filter_form_html
from programs.filters import RADIUS_CHOICES
from programs.models import Program
from programs.search.wording import language_notes, plural_number, rounded_miles, short_day

DAY_CODES = vocab.codes(vocab.WEEKDAYS)

register = template.Library()


@register.filter
def labels(codes, field_name):
    """Labels of ``codes`` in a field's vocabulary: ``{{ p.therapies|labels:"therapies" }}``."""
    return [str(vocab.label_of(field_name, code)) for code in codes or ()]


@register.filter
def payment_summary(program):
    """ "Medicaid, Private insurance, Sliding-scale fees" or a note that payment is not listed."""
    names = labels(program.payment, "payment")
    return ", ".join(names) if names else _("Payment options not listed: call to check")


@register.filter
def level_info(level):
    """LEVEL_INFO for a level code (or LevelOfCare)."""
    try:
        return levels.LEVEL_INFO[levels.parse_level(level)]
    except (ValueError, KeyError):
        return None


def _short_day(weekday: int) -> str:
    return short_day(DAY_CODES[weekday])


def _time(value) -> str:
    """ "6 p.m." in the active language (a page repeats a few session times many times)."""
    return _time_in(value, translation.get_language())


@lru_cache(maxsize=512)
def _time_in(value: dt.time, language: str | None) -> str:
    return formats.time_format(value, "TIME_FORMAT")


class SessionTimes(NamedTuple):
    """What the schedule texts read of a session (a cache key part, unlike the row itself)."""

    weekday: int
    start: dt.time
    end: dt.time
    track: str


def session_times(program) -> tuple[SessionTimes, ...]:
    """The program's sessions as plain tuples (sessions must be prefetched)."""
    return tuple(SessionTimes(s.weekday, s.start, s.end, s.track) for s in program.sessions.all())


#: Texts made from sessions, kept per process: (kind, language, ..., sessions) -> texts. The
#: key holds everything the text depends on, so a changed schedule is simply another key.
_TEXTS: dict[tuple, tuple] = {}
TEXTS_LIMIT = 4000


def _kept(key: tuple, make) -> tuple:
    texts = _TEXTS.get(key)
    if texts is None:
        texts = tuple(make())
        if len(_TEXTS) >= TEXTS_LIMIT:
            _TEXTS.clear()
        _TEXTS[key] = texts
    return texts


@register.filter
def schedule_summary(program):
    """Sessions grouped by time: [("Mon, Wed, Thu", "6 p.m.–9 p.m.", "Evening track"), ...]."""
    sessions = session_times(program)
    key = ("schedule", translation.get_language(), sessions)
    return list(_kept(key, lambda: _schedule_rows(sessions)))


def _schedule_rows(sessions) -> list:
    groups: dict[tuple, list[int]] = {}
    for session in sessions:
        key = (session.start, session.end, session.track)
        groups.setdefault(key, []).append(session.weekday)
    rows = []
    for (start, end, track), days in sorted(
        groups.items(), key=lambda item: (item[1][0], item[0][0])
    ):
        day_text = ", ".join(_short_day(day) for day in sorted(set(days)))
        rows.append((day_text, f"{_time(start)}–{_time(end)}", track))
    return rows


def next_sessions(sessions: Iterable, now: dt.datetime, count: int = 2) -> list:
    """The next ``count`` (datetime, session) occurrences after ``now`` (aware, local time)."""
    upcoming = []
    for session in sessions:
        days_ahead = (session.weekday - now.weekday()) % 7
        when = dt.datetime.combine(now.date() + dt.timedelta(days=days_ahead), session.start)
        when = when.replace(tzinfo=now.tzinfo)
        if when <= now:
            when += dt.timedelta(days=7)
        upcoming.append((when, session))
    upcoming.sort(key=lambda pair: pair[0])
    return upcoming[:count]


def local_now(program, now: dt.datetime | None = None) -> dt.datetime:
    """The current time where the program meets (its ZIP's time zone, else the site's)."""
    now = now or timezone.now()
    zone_name = geo.zip_timezone(program.location.zip_code) if program.location else ""
    try:
        zone = ZoneInfo(zone_name) if zone_name else timezone.get_current_timezone()
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.get_current_timezone()
    return now.astimezone(zone)


@register.filter
def upcoming(program, count=2):
    """The next session times, in the program's local time: ["today, 6 p.m.", ...].

    Worked out as of the start of the current minute (sessions start on the minute, so the
    texts are the same all minute long) and kept for that minute."""
    return upcoming_at(program, timezone.now(), count)


def upcoming_at(program, now: dt.datetime, count=2) -> list[str]:
    """:func:`upcoming` as of ``now`` (aware)."""
    sessions = session_times(program)
    if not sessions:
        return []
    now = local_now(program, now).replace(second=0, microsecond=0)
    key = ("next", translation.get_language(), int(count), now.replace(tzinfo=None), sessions)
    return list(_kept(key, lambda: _upcoming_texts(sessions, now, int(count))))


def _upcoming_texts(sessions, now: dt.datetime, count: int) -> list[str]:
    texts = []
    for when, _session in next_sessions(sessions, now, count):
        days_ahead = (when.date() - now.date()).days
        if days_ahead == 0:
            day = _("today")
        elif days_ahead == 1:
            day = _("tomorrow")
        else:
            day = f"{_short_day(when.weekday())} {formats.date_format(when, 'MONTH_DAY_FORMAT')}"
        texts.append(f"{day}, {_time(when.time())}")
    return texts


@register.filter
def miles(distance):
    """ "12 miles", "4.3 miles", "less than a mile"; "" for None."""
    if distance is None:
        return ""
    if distance < 1:
        return _("less than a mile")
    rounded = rounded_miles(distance)
    return ngettext("%(miles)s mile", "%(miles)s miles", plural_number(rounded)) % {
        "miles": rounded
    }


@register.filter
def directions_url(location):
    """A plain outbound link to directions to the site (opened only if the person clicks)."""
    if location is None:
        return ""
    return "https://www.google.com/maps/dir/?api=1&destination=" + quote_plus(
        location.one_line_address
    )


@register.filter
def tel_href(phone):
    """ "tel:+15025550100" for a US phone number as written in the directory."""
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    if len(digits) == 10:
        digits = "1" + digits
    return f"tel:+{digits}" if digits else ""


@register.simple_tag
def query_with(params, **changes):
    """The query string of ``params`` with ``changes`` applied (None removes a key).

    ``{% query_with request.GET page=2 %}`` -> "?zip=40202&page=2". Lists are kept.
    """
    query = params.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def listing_status(program, today: dt.date | None = None) -> dict:
    """How current a listing is and how soon one can start, for cards and the program page:
    ``note`` ("Not confirmed since March 2026: call to check", "Reported: may be out of
    date. Call to check." or ""), ``wait``
    ("Next intake: Dec 7" or "Typical wait: about 10 days" or ""), ``languages``."""
    today = today or timezone.localdate()
    stale = freshness.is_stale(program.last_verified, today)
    return {
        "note": freshness.listing_note(stale, program.last_verified, program.reported_kind),
        "wait": freshness.wait_text(program.next_intake, program.wait_days, today),
        "languages": language_notes(program.languages, program.interpreters),
    }


@register.simple_tag
def listing_facts(program):
    """``{% listing_facts program as status %}``: see :func:`listing_status`."""
    return listing_status(program)


def card_facts(hit, query: str = "", today: dt.date | None = None, detail_path=None) -> dict:
    """What a search result card shows, worked out once in Python (sessions prefetched)."""
    program = hit.program
    location = program.location
    rows = schedule_summary(program)
    detail_path = detail_path or Program.detail_path_maker()
    return {
        **listing_status(program, today),
        "url": detail_path(program.slug) + query,
        "name": program.name,
        "level": levels.LEVEL_INFO[program.level_of_care].name,
        "provider": program.provider.name,
        "place": f"{location.city}, {location.state}" if location else "",
        "distance": miles(hit.distance_miles),
        "telehealth_too": program.offers_telehealth and location is not None,
        "rows": rows,
        "next": upcoming(program) if rows else [],
        "payment": payment_summary(program),
        "accepting": program.accepting_new_patients,
    }


@register.filter
def cards(hits, query=""):
    """``{% for card in hits|cards:card_query %}``: the facts of each search result card,
    worked out in Python so the card in the template is plain lookups. ``query``
    ("?zip=...") keeps the search on the link to the program page."""
    today = timezone.localdate()
    detail_path = Program.detail_path_maker()
    return [card_facts(hit, query, today, detail_path) for hit in hits]


@register.simple_tag
def filter_fields(form):
    """The search filters (``{% filter_fields results.filterset.form %}``), see
    :mod:`programs.filter_form`."""
    return filter_form_html(form, RADIUS_CHOICES)


# ---- result cards, written out in Python -----------------------------------------------------


def card_words() -> dict:
    """The fixed words of a card, translated once per language (not per page or card)."""
    language = translation.get_language()
    words = _CARD_WORDS.get(language)
    if words is None:
        words = _CARD_WORDS[language] = _card_words()
    return words


_CARD_WORDS: dict = {}


def _card_words() -> dict:
    return {
        "where": _("Where"),
        "when": _("When"),
        "payment": _("Payment"),
        "new_patients": _("New patients"),
        "languages": _("Languages"),
        "online_only": _("Online only (telehealth): check that they serve your state"),
        "telehealth_too": _("telehealth offered"),
        "next": _("Next:"),
        "no_sessions": _("Session times not listed: call to ask"),
        True: _("Taking new patients"),
        False: _("Not taking new patients right now"),
        None: _("Not stated: call to ask"),
    }


def _card_where(card: dict, words: dict) -> str:
    if not card["place"]:
        text = escape(words["online_only"])
    elif card["distance"]:
        away = _("%(distance)s away") % {"distance": card["distance"]}
        text = f"{escape(card['place'])} · <strong>{escape(away)}</strong>"
    else:
        text = escape(card["place"])
    if card["telehealth_too"]:
        text += f" · {escape(words['telehealth_too'])}"
    return text


def _card_when(card: dict, words: dict) -> str:
    if not card["rows"]:
        return escape(words["no_sessions"])
    rows = "".join(
        f"<li>{escape(days)}: {escape(hours)}{f' ({escape(track)})' if track else ''}</li>"
        for days, hours, track in card["rows"]
    )
    text = f'<ul class="list-unstyled mb-0">{rows}</ul>'
    if card["next"]:
        text += (
            f'<span class="small">{escape(words["next"])} {escape("; ".join(card["next"]))}</span>'
        )
    return text


def _card_warning(card: dict) -> str:
    if not card["note"]:
        return ""
    return f'<p class="listing-warning mt-2 mb-0">{escape(card["note"])}</p>'


def card_html(card: dict, words: dict) -> str:
    """One search result card (an ``<li>``) from :func:`card_facts`; every value escaped."""
    new_patients = escape(words[card["accepting"]])
    if card["wait"]:
        new_patients += f" · {escape(card['wait'])}"
    languages = ""
    if card["languages"]:
        languages = (
            f"<dt>{escape(words['languages'])}</dt><dd>{escape(' · '.join(card['languages']))}</dd>"
        )
    return (
        '<li class="result-card">'
        f'<h3 class="h5 mb-1"><a href="{escape(card["url"])}">{escape(card["name"])}</a></h3>'
        f'<p class="result-meta mb-2"><span class="level-badge">{escape(card["level"])}</span> '
        f"<span>{escape(card['provider'])}</span></p>"
        '<dl class="result-facts">'
        f"<dt>{escape(words['where'])}</dt><dd>{_card_where(card, words)}</dd>"
        f"<dt>{escape(words['when'])}</dt><dd>{_card_when(card, words)}</dd>"
        f"<dt>{escape(words['payment'])}</dt><dd>{escape(card['payment'])}</dd>"
        f"<dt>{escape(words['new_patients'])}</dt><dd>{new_patients}</dd>"
        f"{languages}</dl>{_card_warning(card)}</li>"
    )


#: Stand-ins in a kept card for what each page fills in (escape() leaves them as they are).
QUERY_SLOT, DISTANCE_SLOT, NEXT_SLOT = "\x00q\x00", "\x00d\x00", "\x00n\x00"


def kept_card_html(program, has_distance: bool, words: dict, day: tuple) -> str:
    """A program snapshot's card (:mod:`programs.snapshot`) with stand-ins for the search's
    query string, the distance and the next session times; made once a language and day
    (``day``: :func:`programs.snapshot.day_key`)."""

    def make() -> str:
        card = card_facts(_SlotHit(program, has_distance), QUERY_SLOT, day[1])
        card["distance"] = DISTANCE_SLOT if has_distance else ""
        card["next"] = [NEXT_SLOT] if card["rows"] else []
        return card_html(card, words)

    return program.part(("card", *day, has_distance), make)


class _SlotHit(NamedTuple):
    program: object
    distance_miles: float | None


def filled_card_html(hit, query: str, words: dict, day: tuple, now: dt.datetime) -> str:
    """One card of a page: the kept card with this search's query (escaped), distance and
    next session times (as of ``now``, the start of the current minute)."""
    has_distance = hit.distance_miles is not None
    html = kept_card_html(hit.program, has_distance, words, day)
    html = html.replace(QUERY_SLOT, query)
    if has_distance:
        html = html.replace(DISTANCE_SLOT, _miles_html(hit.distance_miles, day[0]))
    if NEXT_SLOT in html:
        texts = hit.program.minute_part(
            ("next", day[0], now), lambda: escape("; ".join(upcoming_at(hit.program, now)))
        )
        html = html.replace(NEXT_SLOT, texts)
    return html


@lru_cache(maxsize=4096)
def _miles_html_in(distance: float, language: str | None) -> str:
    return escape(miles(distance))


def _miles_html(distance: float, language: str | None) -> str:
    """:func:`miles`, escaped, for the active language (kept: a page repeats few figures)."""
    return _miles_html_in(0.5 if distance < 1 else rounded_miles(distance), language)


@register.simple_tag
def result_cards(hits, query=""):
    """``{% result_cards hits card_query %}``: the result list, written out in Python (a card
    in the template cost about a millisecond; this costs a few hundredths), each card kept
    with its program's snapshot (:mod:`programs.snapshot`) and filled in per page."""
    words = card_words()
    day = snapshot.day_key()
    now = timezone.now().replace(second=0, microsecond=0)
    query = escape(query)
    items = "".join(filled_card_html(hit, query, words, day, now) for hit in hits)
    return mark_safe(f'<ol class="result-list list-unstyled">{items}</ol>')  # noqa: S308 - escaped above
