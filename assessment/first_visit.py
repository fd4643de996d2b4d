""" "What happens at the first visit", one short plain-language text per level of care (issue 10).

Four parts for each level: the intake call, what to bring, how long it takes, what it may cost.
Written for a reading grade of 8 or lower; ``tests/assessment/test_first_visit.py`` measures it
with :func:`assessment.readability.grade` (Flesch-Kincaid) and docs/assessment.md records the
figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from programs.levels import LevelOfCare


@dataclass(frozen=True)
class FirstVisit:
    call: object
    bring: object
    how_long: object
    cost: object

    def parts(self) -> list[tuple[object, object]]:
        return [
            (_("The first call"), self.call),
            (_("What to bring"), self.bring),
            (_("How long it takes"), self.how_long),
            (_("What it may cost"), self.cost),
        ]

    def text(self) -> str:
        return " ".join(str(body) for _title, body in self.parts())


BRING = _(
    "Bring a photo ID and your insurance card if you have one. Bring a list of the medicines "
    "you take. It helps to write down what has been hard for you lately."
)
COST = _(
    "Most health plans, Medicaid and Medicare pay for much of it. You may still owe a copay. "
    "Ask the program to check your plan before you start. If you have no insurance, ask about "
    "a sliding scale."
)

FIRST_VISITS: dict[LevelOfCare, FirstVisit] = {
    LevelOfCare.OP: FirstVisit(
        call=_(
            "You call the program or fill in a form. Someone asks a few questions and sets up a "
            "time to meet."
        ),
        bring=BRING,
        how_long=_(
            "The first visit takes about an hour. After that, most visits take about an hour, "
            "once a week or every other week."
        ),
        cost=COST,
    ),
    LevelOfCare.IOP: FirstVisit(
        call=_(
            "You call the program. Someone asks about what is going on and when you can come. "
            "They set up a first meeting, often within a week."
        ),
        bring=BRING,
        how_long=_(
            "The first meeting takes one to two hours. Then you go three to five days a week, "
            "about three hours a day, for a few weeks. You can often keep working or go to school."
        ),
        cost=COST,
    ),
    LevelOfCare.PHP: FirstVisit(
        call=_(
            "You call the program. Someone asks about what is going on and checks that this kind "
            "of care fits. Many programs can see you within a few days."
        ),
        bring=BRING,
        how_long=_(
            "The first day takes most of the day. Then you go five days a week, most of the day, "
            "for one to a few weeks. You sleep at home."
        ),
        cost=COST,
    ),
    LevelOfCare.RESIDENTIAL: FirstVisit(
        call=_(
            "You call the program. Someone asks about what is going on and checks that a bed "
            "and this kind of care fit. They tell you when you can come."
        ),
        bring=_(
            "Bring a photo ID, your insurance card and your medicines. Bring clothes for a few "
            "days. The program will tell you what else you may bring."
        ),
        how_long=_(
            "You live at the program and get care all day. Most people stay a few weeks. The "
            "team helps you plan what comes next."
        ),
        cost=COST,
    ),
    LevelOfCare.INPATIENT: FirstVisit(
        call=_(
            "A doctor, an emergency room or the hospital's intake line sets it up. You can call "
            "the hospital to ask how it works there."
        ),
        bring=_(
            "Bring a photo ID, your insurance card and your medicines. Bring clothes for a few "
            "days. Leave things of value at home."
        ),
        how_long=_(
            "You stay in the hospital day and night, most often for a few days to a week or two. "
            "The team helps you plan what comes next."
        ),
        cost=COST,
    ),
    LevelOfCare.EMERGENCY: FirstVisit(
        call=_(
            "Call or text 988, or call 911. You can also go to the nearest emergency room. You "
            "do not need to call first."
        ),
        bring=_(
            "If you can, bring a photo ID, your insurance card and your medicines. Do not wait "
            "to find them."
        ),
        how_long=_(
            "A team sees you, keeps you safe and talks with you. Then they help you plan the "
            "next step. It can take a few hours."
        ),
        cost=_(
            "The 988 line is free. An emergency room must see you even if you cannot pay. Your "
            "plan or Medicaid often pays for much of it."
        ),
    ),
}


def for_level(level: LevelOfCare) -> FirstVisit | None:
    return FIRST_VISITS.get(LevelOfCare(level))
