"""Levels of care: the vocabulary that the assessment and the directory share.

Pure Python (no Django models), so the rules engine and the search can use it without a database.
``assessment`` imports this module; ``programs`` never imports ``assessment``.

Hours per week follow the conventions in ``shared/domain/level-of-care.md``:

* OP: fewer than 9 hours a week for adults (ASAM level 1; fewer than 6 for adolescents).
* IOP: at least 9 hours a week for adults, usually 9-19 (ASAM 2.1; CMS 42 CFR 410.44 requires a
  physician to certify a need for at least 9 hours of IOP services a week; 6+ for adolescents).
* PHP: at least 20 hours a week, daytime, an alternative to inpatient care (42 CFR 410.43 and payer
  practice; the 20-hour figure is the standard payer threshold).
* Residential / inpatient: 24-hour care (LOCUS levels 5-6, ASAM 3.x-4).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class LevelOfCare(StrEnum):
    """Every level a person can be recommended or a program can offer, least to most intensive
    by :attr:`rank`. EMERGENCY is a recommendation only: no program in the directory has it."""

    OP = "OP"
    IOP = "IOP"
    PHP = "PHP"
    RESIDENTIAL = "RESIDENTIAL"
    INPATIENT = "INPATIENT"
    EMERGENCY = "EMERGENCY"

    @property
    def info(self) -> LevelInfo:
        return LEVEL_INFO[self]

    @property
    def rank(self) -> int:
        """Intensity: a higher rank is a more intensive level of care."""
        return LEVEL_INFO[self].rank

    @property
    def label(self):
        return LEVEL_INFO[self].name


@dataclass(frozen=True)
class LevelInfo:
    rank: int
    short: str
    name: str
    hours: str
    summary: str
    day: str


LEVEL_INFO: dict[LevelOfCare, LevelInfo] = {
    LevelOfCare.EMERGENCY: LevelInfo(
        rank=6,
        short=_("Emergency"),
        name=_("Emergency care now"),
        hours=_("Right now, any time of day or night"),
        summary=_(
            "For when you might hurt yourself or someone else, or you are not safe. Call or text "
            "988, call 911, or go to the nearest emergency room."
        ),
        day=_(
            "A crisis counselor or emergency team talks with you right away, helps you get safe, "
            "and works out with you what care should come next."
        ),
    ),
    LevelOfCare.INPATIENT: LevelInfo(
        rank=5,
        short=_("Inpatient"),
        name=_("Inpatient (hospital) care"),
        hours=_("24 hours a day, usually for days to a couple of weeks"),
        summary=_(
            "You stay in a hospital unit where doctors and nurses are with you day and night, "
            "for when it is not safe or not possible to manage at home."
        ),
        day=_(
            "You sleep on the unit. Your day has visits with a doctor, group and individual "
            "therapy, medicine if it helps, and staff who check on you often."
        ),
    ),
    LevelOfCare.RESIDENTIAL: LevelInfo(
        rank=4,
        short=_("Residential"),
        name=_("Residential treatment"),
        hours=_("24 hours a day, usually for weeks"),
        summary=_(
            "You live at a treatment center with staff around the clock, in a calmer setting "
            "than a hospital."
        ),
        day=_(
            "You live on site. Days are structured with groups, individual therapy and time "
            "to practise new skills."
        ),
    ),
    LevelOfCare.PHP: LevelInfo(
        rank=3,
        short=_("PHP"),
        name=_("Partial hospitalization (PHP)"),
        hours=_("About 20 or more hours a week: most of the day, 5 days a week"),
        summary=_(
            "A full day of treatment on weekdays, and you go home each evening. For when you "
            "need a lot of support but are safe at home at night."
        ),
        day=_(
            "You arrive in the morning and stay until mid-afternoon: several therapy groups, a "
            "check-in with a therapist, and a visit with a psychiatrist about medicine."
        ),
    ),
    LevelOfCare.IOP: LevelInfo(
        rank=2,
        short=_("IOP"),
        name=_("Intensive outpatient (IOP)"),
        hours=_("About 9 to 19 hours a week: often 3 hours a day, 3 to 5 days a week"),
        summary=_(
            "Several therapy sessions a week while you keep living at home, and often keep "
            "working or going to school. Many programs run in the evening."
        ),
        day=_(
            "You come in for about three hours, often in the evening: group therapy where you "
            "learn skills, plus regular time with your own therapist."
        ),
    ),
    LevelOfCare.OP: LevelInfo(
        rank=1,
        short=_("Outpatient"),
        name=_("Outpatient therapy (OP)"),
        hours=_("Usually 1 to 2 hours a week, and fewer than 9"),
        summary=_(
            "Regular appointments with a therapist, counselor or psychiatrist, while you go on "
            "with daily life."
        ),
        day=_(
            "You see a therapist about once a week for about an hour, and maybe a prescriber "
            "every few weeks."
        ),
    ),
}

#: The five levels a self-assessment can recommend, most intensive first.
RECOMMENDABLE_LEVELS: tuple[LevelOfCare, ...] = (
    LevelOfCare.EMERGENCY,
    LevelOfCare.INPATIENT,
    LevelOfCare.PHP,
    LevelOfCare.IOP,
    LevelOfCare.OP,
)

#: Levels a program in the directory can offer, most intensive first.
PROGRAM_LEVELS: tuple[LevelOfCare, ...] = (
    LevelOfCare.INPATIENT,
    LevelOfCare.RESIDENTIAL,
    LevelOfCare.PHP,
    LevelOfCare.IOP,
    LevelOfCare.OP,
)


def choices(levels=PROGRAM_LEVELS) -> list[tuple[str, str]]:
    """(value, label) pairs for a model or form field."""
    return [(level.value, LEVEL_INFO[level].name) for level in levels]


def parse_level(value: str) -> LevelOfCare:
    """The level named by ``value`` (case-insensitive); ValueError for anything else."""
    try:
        return LevelOfCare(str(value).strip().upper())
    except ValueError:
        raise ValueError(f"Unknown level of care: {value!r}") from None
