"""The plain, translated words the search uses for distances, days, times and alternatives.

Pure Python (no models, no queries): :mod:`programs.search.ranking` builds its "fits" and
"misses" sentences from these, and the template tags use :func:`short_day` and
:func:`rounded_miles`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from programs import levels, vocab
from programs.levels import LevelOfCare


def rounded_miles(distance: float) -> float | int:
    """A distance as a person reads it: whole miles from 10 up, tenths below, no ".0"."""
    rounded = round(distance) if distance >= 10 else round(distance, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def plural_number(rounded) -> int:
    """The whole number gettext chooses a plural form by: 1.5 miles is plural, and gettext
    wants an integer (a float is deprecated and picks the wrong form in some languages)."""
    return 1 if rounded == 1 else 2


def miles_away(distance: float) -> str:
    """ "12 miles away", "4.3 miles away", "less than a mile away"."""
    if distance < 1:
        return _("less than a mile away")
    rounded = rounded_miles(distance)
    return ngettext("%(miles)s mile away", "%(miles)s miles away", plural_number(rounded)) % {
        "miles": rounded
    }


#: Three-letter day names by WEEKDAYS code; translated one at a time when shown.
SHORT_DAYS = {
    "mon": gettext_noop("Mon"),
    "tue": gettext_noop("Tue"),
    "wed": gettext_noop("Wed"),
    "thu": gettext_noop("Thu"),
    "fri": gettext_noop("Fri"),
    "sat": gettext_noop("Sat"),
    "sun": gettext_noop("Sun"),
}
#: Times of day by TIMES_OF_DAY code, lower case, for inside a sentence.
TIME_WORDS = {
    "morning": gettext_noop("morning"),
    "afternoon": gettext_noop("afternoon"),
    "evening": gettext_noop("evening"),
}


def short_day(code: str) -> str:
    """ "Mon" for "mon" (a WEEKDAYS code)."""
    return _(SHORT_DAYS[code])


def time_word(code: str) -> str:
    """ "evening" for "evening" (a TIMES_OF_DAY code), lower case, for inside a sentence."""
    return _(TIME_WORDS[code])


def or_list(words: Sequence[str]) -> str:
    """ "a, b or c"."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s or %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def program_kind(level: LevelOfCare) -> str:
    """ "an intensive outpatient program", for inside a sentence."""
    return {
        LevelOfCare.INPATIENT: _("an inpatient (hospital) program"),
        LevelOfCare.RESIDENTIAL: _("a residential program"),
        LevelOfCare.PHP: _("a partial hospitalization program"),
        LevelOfCare.IOP: _("an intensive outpatient program"),
        LevelOfCare.OP: _("an outpatient program"),
    }[level]


def insurance_words(code: str) -> str:
    """The person's insurance answer, for inside a sentence."""
    if vocab.is_payment_code(code):
        return str(vocab.label_of("payment", code))
    return _("free, sliding-scale or self-pay options")


def condition_words(code: str) -> str:
    """A condition, for inside a sentence ("treats trauma and PTSD")."""
    words = {
        "trauma": _("trauma and PTSD"),
        "dual_diagnosis": _("co-occurring mental health and substance use"),
        "eating_disorders": _("eating disorders"),
        "substance_use": _("substance use"),
        "self_harm": _("self-harm"),
        "psychosis": _("psychosis"),
        "bipolar": _("bipolar disorder"),
    }
    return str(words.get(code) or vocab.label_of("conditions", code))


def therapy_words(code: str) -> str:
    """A therapy, for inside a sentence ("offers DBT")."""
    short = {"dbt": "DBT", "cbt": "CBT", "emdr": "EMDR"}
    if code in short:
        return short[code]
    return str(vocab.label_of("therapies", code)).lower()


def other_modality_note(meets_by_video_only: bool) -> str:
    if meets_by_video_only:
        return _(
            "Nothing at the recommended level meets in person near you. This program is "
            "at that level and meets by video (telehealth)."
        )
    return _(
        "This program is at the recommended level, but it meets in person rather than by video."
    )


def step_up_note(kind: LevelOfCare, wanted: LevelOfCare) -> str:
    return _("This is %(kind)s, one step more intensive than %(wanted)s.") % {
        "kind": program_kind(kind),
        "wanted": str(levels.LEVEL_INFO[wanted].short),
    }


def farther_note(radius: int) -> str:
    return _(
        "Nothing at the recommended level is within %(radius)s miles. This program is at "
        "that level, farther away."
    ) % {"radius": radius}


def step_down_note(kind: LevelOfCare, wanted: LevelOfCare) -> str:
    return _(
        "This is %(kind)s, one step less intensive than %(wanted)s: fewer hours of support "
        "than recommended. Ask whether it can help while you look for a place at the "
        "recommended level."
    ) % {"kind": program_kind(kind), "wanted": str(levels.LEVEL_INFO[wanted].short)}


#: Languages whose writing puts the names of languages in lower case inside a sentence
#: ("grupos en español", "groupes en arabe"), unlike English ("groups in Spanish").
LOWER_CASE_LANGUAGE_NAMES = ("es", "fr", "pt", "it")


def in_sentence(language_label, language_code: str | None = None) -> str:
    """A language's name as written inside a sentence of the active language."""
    label = str(language_label)
    code = (language_code or translation.get_language() or "en").split("-")[0]
    return label[:1].lower() + label[1:] if code in LOWER_CASE_LANGUAGE_NAMES else label


def groups_in_words(language_label: str) -> str:
    """ "groups in Spanish" (a reason on a result page: lower case, like the others)."""
    return _("groups in %(language)s") % {"language": in_sentence(language_label)}


def interpreter_words(language_label: str) -> str:
    """ "Spanish through an interpreter only" (a reason on a result page)."""
    return _("%(language)s through an interpreter only") % {"language": language_label}


def language_notes(languages, interpreters) -> list[str]:
    """What a card or program page says about languages other than English: "Groups in
    Spanish" ("Grupos en español") for each language the program is held in, then
    "Arabic through an interpreter only" for each offered only through an interpreter."""
    notes = [
        _("Groups in %(language)s") % {"language": in_sentence(vocab.label_of("languages", code))}
        for code in languages
        if code != "en"
    ]
    notes += [
        interpreter_words(str(vocab.label_of("languages", code)))
        for code in interpreters
        if code not in languages
    ]
    return notes
