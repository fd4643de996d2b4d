"""Level-of-care rules: answers -> :class:`Recommendation` (level, reasons, flags, trace).

Pure Python, written to be read by a clinician. Sources are in ``shared/domain/level-of-care.md``
("LOC §n"). The output is a *suggestion* for admissions staff to confirm, never a diagnosis, and
never a LOCUS or ASAM result: the dimension names, anchors, questions and thresholds are our own,
informed by how those tools work (LOC §1.7, §2.5).

How a level is chosen
    1. Answers are validated (:func:`assessment.instruments.validate_answers`) and scored.
    2. Six **dimensions** are rated 1 (least concern) to 5 (most), each from a table of
       :data:`CRITERIA`. As in LOCUS, a rating needs only one of its criteria, and a dimension
       takes the highest rating with a criterion met (LOC §1.3).
    3. The :data:`RULES` table is checked from top to bottom. It runs from the most intensive
       level to the least, and the **first rule that holds decides the level** (the highest-risk
       need wins and nothing is averaged, LOC §0.1, §2.3). Every rule that holds is recorded in
       ``rules_fired``, so the decision can be explained and replayed later.

    The table has three parts, in the style of LOC §1.6 (independent criteria, then composite
    bands), mapped as LOC §1.5 does: LOCUS-style level 5-6 -> INPATIENT, 4 -> PHP, 3 -> IOP,
    0-2 -> OP.

    * EMERGENCY: imminent danger, checked first and independently of everything else: the
      C-SSRS high tier and the non-suicide red flags screeners miss (LOC §4.2, §4.3 point 5).
    * INPATIENT: serious danger, being unable to care for oneself, dangerous withdrawal or
      medical instability, a serious need without support at home, or needing a day program but
      not being safe at home at night.
    * PHP, IOP, OP: overrides on single dimensions, then bands of the composite (the sum of the
      six ratings, 6-30).

Safety properties (tested, including with random answers)
    * Any C-SSRS high-tier answer gives EMERGENCY, whatever else was answered.
    * **Monotone**: a more severe answer never gives a less intensive level. Every criterion and
      every rule is "upward-closed": built only from "answer/score/rating is at least N", AND and
      OR, never NOT or "at most". So if a rule holds, it still holds after any answer gets worse,
      and the first rule that holds can only move up the table.
    * An answer given to a question skip logic would not have asked still counts.
    * "Prefer not to say" never gives less than the least severe answer: the criteria read it as
      that answer (:class:`Facts`), a declined suicide or harm question adds crisis resources and
      a same-day review (NIMH ASQ, LOC §4.2), and an incomplete screener is never negative.

Crisis help
    :func:`crisis_decision` is the one place that decides the crisis panel and crisis resources,
    for every page and for the page script (LOC §4.3).

Feasibility (LOC §2.6)
    PHP is about 20 daytime hours a week (the standard payer minimum; 42 CFR §410.43) and means
    going home every night, so a PHP-level need in someone who is not safe at home at night is
    raised to INPATIENT. IOP needs a physician to certify at least 9 hours a week for Medicare
    (42 CFR §410.44; at least 6 for adolescents under ASAM). Hours the person can give never
    lower the level; a ``schedule_hours`` flag tells staff to talk it through.

Every threshold below is ours, chosen to mirror the published principle cited beside it.
Change a threshold only with a clinical lead's review, and bump :data:`RULESET_VERSION`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessment.instruments import (
    AUDITC_HIGH,
    CSSRS_IDS,
    DECLINED,
    INSTRUMENT_NAMES,
    QUESTIONS_BY_ID,
    AnswerError,
    Score,
    cssrs_tier_of,
    lenient_answers,
    score_all,
    validate_answers,
)
from programs.levels import LevelOfCare

RULESET_VERSION = "2026.11.3"

EMERGENCY = LevelOfCare.EMERGENCY
INPATIENT = LevelOfCare.INPATIENT
PHP = LevelOfCare.PHP
IOP = LevelOfCare.IOP
OP = LevelOfCare.OP

# --------------------------------------------------------------------------------------------
# Dimensions: our own names and anchors (never LOCUS text)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    key: str
    name: Any
    asks: Any
    anchors: tuple  # the words for ratings 1..5

    def anchor(self, rating: int):
        return self.anchors[rating - 1]


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "risk_of_harm",
        _("Safety"),
        _("How likely is it that you could be hurt, or hurt someone else, soon?"),
        (
            _("No danger seen"),
            _("Low danger"),
            _("Some danger"),
            _("Serious danger"),
            _("Danger right now"),
        ),
    ),
    Dimension(
        "functional_status",
        _("Daily life"),
        _("How well are you managing work, school, home and looking after yourself?"),
        (
            _("Managing as usual"),
            _("A little harder than usual"),
            _("Much harder than usual"),
            _("Struggling with the basics"),
            _("Can't manage the basics"),
        ),
    ),
    Dimension(
        "co_occurring",
        _("Other health needs"),
        _("Alcohol, drugs, physical health and other experiences that need care too."),
        (
            _("None"),
            _("Minor"),
            _("Significant"),
            _("Major"),
            _("Needs medical care first"),
        ),
    ),
    Dimension(
        "recovery_environment",
        _("Home and support"),
        _("Is home safe, and is there someone who supports you?"),
        (
            _("Safe and well supported"),
            _("Mostly supported"),
            _("Little support"),
            _("Not safe at times, or no support"),
            _("Not safe at home"),
        ),
    ),
    Dimension(
        "treatment_history",
        _("Past treatment"),
        _("How treatment has gone before, and recent crises."),
        (
            _("New to treatment, or it helped"),
            _("Treatment helped some"),
            _("Treatment helped little, or a recent crisis"),
            _("Treatment did not help, or repeated crises"),
            _("Many recent crises"),
        ),
    ),
    Dimension(
        "engagement",
        _("Readiness"),
        _("How ready you feel to take part in treatment."),
        (
            _("Ready"),
            _("Mostly ready"),
            _("Unsure"),
            _("Reluctant"),
            _("Not ready"),
        ),
    ),
)
DIMENSIONS_BY_KEY: dict[str, Dimension] = {d.key: d for d in DIMENSIONS}
DIMENSION_KEYS: tuple[str, ...] = tuple(DIMENSIONS_BY_KEY)
#: The three dimensions that can decide a level on their own (LOC §1.6: I, II and III).
CORE = ("risk_of_harm", "functional_status", "co_occurring")

# --------------------------------------------------------------------------------------------
# Plain sentences that name the answers ("You said ...")
# --------------------------------------------------------------------------------------------

#: For each ordered question used by a criterion, a sentence per non-zero answer.
ANSWER_SENTENCES: dict[str, dict[int, Any]] = {
    "phq9_9": {
        1: _(
            "You said that on several days in the past 2 weeks you have had thoughts that you "
            "would be better off dead, or of hurting yourself."
        ),
        2: _(
            "You said that on more than half the days in the past 2 weeks you have had thoughts "
            "that you would be better off dead, or of hurting yourself."
        ),
        3: _(
            "You said that nearly every day in the past 2 weeks you have had thoughts that you "
            "would be better off dead, or of hurting yourself."
        ),
    },
    "phq9_difficulty": {
        1: _("You said these problems have made daily life somewhat difficult."),
        2: _("You said these problems have made daily life very difficult."),
        3: _("You said these problems have made daily life extremely difficult."),
    },
    "cssrs_1": {
        1: _(
            "You said you have wished you were dead, or wished you could go to sleep and not "
            "wake up, in the past month."
        )
    },
    "cssrs_2": {1: _("You said you have had thoughts of killing yourself in the past month.")},
    "cssrs_3": {
        1: _("You said you have thought about how you might kill yourself in the past month.")
    },
    "cssrs_4": {
        1: _(
            "You said you have had thoughts of killing yourself with some intention of acting "
            "on them in the past month."
        )
    },
    "cssrs_5": {
        1: _(
            "You said that in the past month you have started to work out, or have worked out, "
            "how to kill yourself, and that you intend to carry out the plan."
        )
    },
    "cssrs_6": {
        1: _(
            "You said that more than 3 months ago you did something, or started or got ready to "
            "do something, to end your life."
        ),
        2: _(
            "You said that in the past 3 months you have done something, or started or got "
            "ready to do something, to end your life."
        ),
    },
    "auditc_1": {
        1: _("You said you drink monthly or less."),
        2: _("You said you drink 2 to 4 times a month."),
        3: _("You said you drink 2 to 3 times a week."),
        4: _("You said you drink 4 or more times a week."),
    },
    "auditc_2": {
        1: _("You said you have 3 or 4 drinks on a typical drinking day."),
        2: _("You said you have 5 or 6 drinks on a typical drinking day."),
        3: _("You said you have 7 to 9 drinks on a typical drinking day."),
        4: _("You said you have 10 or more drinks on a typical drinking day."),
    },
    "daily_functioning": {
        1: _("You said your feelings or habits get in the way of work, school or home a little."),
        2: _("You said you are falling behind or missing days at work, school or home."),
        3: _("You said you can hardly do any of your work, school or jobs at home."),
    },
    "self_care": {
        1: _("You said eating, washing or getting out of bed has been hard on some days."),
        2: _("You said you often can't manage eating, washing or getting out of bed."),
        3: _(
            "You said you can hardly eat, wash or get out of bed, or someone has to help you "
            "with these."
        ),
    },
    "home_support": {
        1: _("You said you have one person you can count on for support."),
        2: _("You said you have support only sometimes."),
        3: _("You said there is no one you can count on for support right now."),
    },
    "home_safety": {
        1: _("You said there is a lot of stress or arguing where you live."),
        2: _("You said someone where you live hurts, threatens or scares you."),
        3: _("You said you are not safe where you live, or have no safe place to stay."),
    },
    "medical_problems": {
        1: _("You said you have physical health problems that are under control."),
        2: _("You said physical health problems get in the way or need more care."),
        3: _("You said you have a serious physical health problem that needs a doctor soon."),
    },
    "withdrawal_history": {
        1: _(
            "You said you have had a seizure, or the DTs, after stopping or cutting down "
            "alcohol or pills."
        )
    },
    "withdrawal_now": {
        1: _("You said you get a little shaky or sweaty when you go without alcohol or pills."),
        2: _(
            "You said you get bad shakes, sweats or a racing heart when you go without alcohol "
            "or pills, or use them in the morning to stop this."
        ),
        3: _(
            "You said that right now, after stopping alcohol or pills, you are very confused, "
            "seeing or hearing things, or have had a seizure."
        ),
    },
    "voices": {
        1: _("You said you have heard or seen things others could not."),
        2: _(
            "You said you hear or see things others cannot, and they upset you or get in the way."
        ),
        3: _("You said you hear voices telling you to hurt yourself or someone else."),
    },
    "high_energy": {
        1: _("You said you have had times of very high energy with little sleep."),
        2: _("You said times of very high energy with little sleep have caused problems."),
        3: _("You said that right now you can hardly sleep and can't slow down."),
    },
    "harm_others": {
        1: _("You said you have had passing thoughts of hurting someone else."),
        2: _(
            "You said you have had thoughts of seriously hurting someone else that are hard to "
            "push away."
        ),
        3: _("You said you have some intention or a plan to seriously hurt or kill someone else."),
    },
    "self_harm": {
        1: _("You said you have hurt yourself on purpose once or twice in the past month."),
        2: _("You said you have hurt yourself on purpose many times in the past month."),
        3: _("You said you hurt yourself badly enough in the past month to need medical care."),
    },
    "ed_medical": {
        1: _("You said you often feel dizzy or weak because of how you eat or control weight."),
        2: _("You said you have lost a lot of weight very fast."),
        3: _(
            "You said you have fainted, or your heart has raced, pounded or skipped beats, "
            "along with eating very little, throwing up or controlling your weight."
        ),
    },
    "unusual_beliefs": {
        1: _("You said you have believed things that other people find strange."),
        2: _(
            "You said you have believed things that worry you or the people around you, or "
            "that they find alarming."
        ),
    },
    "mania_judgement": {
        1: _("You said that during these times you have done risky things."),
        2: _(
            "You said that during these times you have done risky things or acted on beliefs "
            "that alarmed the people around you, and that you don't think anything is wrong."
        ),
    },
    "opioids": {
        1: _(
            "You said you have used heroin or fentanyl, or prescription pain pills not as "
            "prescribed, in the past year."
        )
    },
    "overdose": {
        1: _("You said you overdosed more than 3 months ago."),
        2: _("You said you overdosed in the past 3 months."),
    },
    "sedatives": {1: _("You said you take sleeping pills or anxiety pills on most days.")},
    "recent_crisis_care": {
        1: _(
            "You said you went to an emergency room or stayed in hospital once in the past 6 "
            "months."
        ),
        2: _(
            "You said you went to an emergency room or stayed in hospital twice in the past 6 "
            "months."
        ),
        3: _(
            "You said you went to an emergency room or stayed in hospital 3 or more times in "
            "the past 6 months."
        ),
    },
    "past_treatment": {
        1: _("You said treatment has helped you a lot before."),
        2: _("You said treatment before helped only some."),
        3: _("You said treatment before did not help much."),
        4: _("You said treatment before did not help at all, or you got worse."),
    },
    "engagement": {
        1: _("You said you feel mostly ready to take part in treatment."),
        2: _("You said you feel unsure about taking part in treatment."),
        3: _("You said you are not really ready, and someone else wants you to go."),
        4: _("You said you don't want help right now."),
    },
}


def _score_sentence(score: Score):
    if score.total is None:
        return format_lazy(
            _(
                "{label} (your {name} score is at least {total} out of {max_total}; some "
                "questions were not answered)."
            ),
            label=score.band_label,
            name=INSTRUMENT_NAMES[score.instrument],
            total=score.at_least,
            max_total=score.max_total,
        )
    return format_lazy(
        _("{label} (your {name} score is {total} out of {max_total})."),
        label=score.band_label,
        name=INSTRUMENT_NAMES[score.instrument],
        total=score.total,
        max_total=score.max_total,
    )


# --------------------------------------------------------------------------------------------
# Facts: everything the criteria and rules look at, computed once
# --------------------------------------------------------------------------------------------

#: A reason: (key for de-duplication, plain sentence).
Reason = tuple[str, Any]


class Facts:
    """Cleaned answers, scores, the C-SSRS tier, the criteria met and the dimension ratings.

    ``answers`` is what the criteria read: a "Prefer not to say" counts as the least severe
    answer there (so it can never lower a level below that answer), and ``declined`` names the
    questions declined, which the flags and the crisis decision read on their own (a declined
    suicide question is a positive screen, LOC §4.2). Scores see the declined items as missing
    (prorated or incomplete, never negative; see ``instruments.Scale.score``).
    """

    def __init__(self, answers: Mapping[str, Any]):
        self.declined: frozenset[str] = frozenset(
            qid for qid, value in answers.items() if value == DECLINED
        )
        self.answers = {
            qid: (QUESTIONS_BY_ID[qid].least_severe if qid in self.declined else value)
            for qid, value in answers.items()
        }
        self.scores: dict[str, Score] = score_all(answers)
        self.crisis_tier: str = self.scores["cssrs"].band
        self.met: tuple[Criterion, ...] = tuple(c for c in CRITERIA if c.condition.holds(self))
        self.dimensions: dict[str, int] = {
            key: max((c.rating for c in self.met if c.dimension == key), default=1)
            for key in DIMENSION_KEYS
        }
        self.composite: int = sum(self.dimensions.values())

    def drivers(self, dimensions, at_least: int) -> list[Reason]:
        """Reasons for the criteria met in ``dimensions`` rated ``at_least`` or more, highest
        rating first."""
        met = [c for c in self.met if c.dimension in dimensions and c.rating >= at_least]
        met.sort(key=lambda c: -c.rating)  # stable: table order within a rating
        return [reason for c in met for reason in c.condition.because(self)]


# --------------------------------------------------------------------------------------------
# Conditions: small upward-closed tests that also say why they hold
# --------------------------------------------------------------------------------------------


class Condition:
    """``holds(facts)`` and ``because(facts)`` (the reasons, when it holds). Every condition
    here is upward-closed (see the module docstring), which is what makes the level monotone."""

    def holds(self, facts: Facts) -> bool:
        raise NotImplementedError

    def because(self, facts: Facts) -> list[Reason]:
        return []


@dataclass(frozen=True)
class Answer(Condition):
    """The answer to an ordered question is at least ``at_least``."""

    question_id: str
    at_least: int = 1

    def __post_init__(self):
        question = QUESTIONS_BY_ID[self.question_id]
        if not question.ordered or self.at_least not in question.values:
            raise ValueError(f"{self!r} needs an ordered question and one of its values")

    def holds(self, facts):
        return facts.answers[self.question_id] >= self.at_least

    def because(self, facts):
        value = facts.answers[self.question_id]
        return [(f"answer:{self.question_id}", ANSWER_SENTENCES[self.question_id][value])]


@dataclass(frozen=True)
class ScoreAtLeast(Condition):
    """An instrument's total is at least ``at_least``."""

    instrument: str
    at_least: int

    def holds(self, facts):
        return facts.scores[self.instrument].at_least >= self.at_least

    def because(self, facts):
        return [(f"score:{self.instrument}", _score_sentence(facts.scores[self.instrument]))]


@dataclass(frozen=True)
class Positive(ScoreAtLeast):
    """An instrument's screen is positive (its published cut-off; AUDIT-C's depends on sex)."""

    at_least: int = 0

    def holds(self, facts):
        return facts.scores[self.instrument].positive


@dataclass(frozen=True)
class Rated(Condition):
    """Any of ``dimensions`` is rated at least ``at_least``."""

    dimensions: tuple[str, ...]
    at_least: int

    def holds(self, facts):
        return any(facts.dimensions[key] >= self.at_least for key in self.dimensions)

    def because(self, facts):
        return facts.drivers(self.dimensions, self.at_least)


@dataclass(frozen=True)
class RatedInAtLeast(Condition):
    """At least ``count`` of ``dimensions`` are rated at least ``at_least``."""

    count: int
    dimensions: tuple[str, ...]
    at_least: int

    def holds(self, facts):
        return sum(facts.dimensions[key] >= self.at_least for key in self.dimensions) >= self.count

    def because(self, facts):
        return facts.drivers(self.dimensions, self.at_least)


@dataclass(frozen=True)
class Composite(Condition):
    """The sum of the six ratings (6-30) is at least ``at_least``."""

    at_least: int

    def holds(self, facts):
        return facts.composite >= self.at_least

    def because(self, facts):
        lead = format_lazy(
            _(
                "Taken together, your answers in several areas add up to {composite} on our "
                "30-point scale."
            ),
            composite=facts.composite,
        )
        return [("composite", lead), *facts.drivers(DIMENSION_KEYS, 3)]


@dataclass(frozen=True)
class AnyOf(Condition):
    parts: tuple[Condition, ...]

    def holds(self, facts):
        return any(part.holds(facts) for part in self.parts)

    def because(self, facts):
        return [
            reason for part in self.parts if part.holds(facts) for reason in part.because(facts)
        ]


@dataclass(frozen=True)
class AllOf(Condition):
    parts: tuple[Condition, ...]

    def holds(self, facts):
        return all(part.holds(facts) for part in self.parts)

    def because(self, facts):
        return [reason for part in self.parts for reason in part.because(facts)]


@dataclass(frozen=True)
class Always(Condition):
    """Always holds; explained by whatever milder concerns there are."""

    def holds(self, facts):
        return True

    def because(self, facts):
        return facts.drivers(DIMENSION_KEYS, 2)


def any_of(*parts: Condition) -> AnyOf:
    return AnyOf(parts)


def all_of(*parts: Condition) -> AllOf:
    return AllOf(parts)


def rated(dimension_or_dimensions, at_least: int) -> Rated:
    keys = dimension_or_dimensions
    return Rated((keys,) if isinstance(keys, str) else tuple(keys), at_least)


# --------------------------------------------------------------------------------------------
# Criteria: how each dimension is rated
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    dimension: str
    rating: int
    condition: Condition
    name: str = ""

    @property
    def id(self) -> str:
        if self.name:
            return self.name
        c = self.condition
        if isinstance(c, Positive):
            return f"{c.instrument}:positive"
        if isinstance(c, ScoreAtLeast):
            return f"{c.instrument}>={c.at_least}"
        if isinstance(c, Answer):
            return f"{c.question_id}>={c.at_least}"
        raise ValueError(f"criterion on {c!r} needs a name")


def _c(dimension, rating, condition, name=""):
    return Criterion(dimension, rating, condition, name)


@dataclass(frozen=True)
class HeavyDailyDrinking(Condition):
    """Heavy drinking on most days, by the NIAAA limits by sex (LOC §7: men more than 4 drinks
    on any day, women more than 3): drinking 4 or more times a week (AUDIT-C item 1) with a
    typical drinking day over the daily limit (item 2: "5 or 6" or more for men; "3 or 4" or
    more for everyone else, the conservative reading when sex is not given), or 6 or more
    drinks on one occasion daily or almost daily (item 3)."""

    def holds(self, facts):
        answers = facts.answers
        limit = 2 if answers.get("sex_at_birth") == "male" else 1
        return answers["auditc_3"] >= 4 or (
            answers["auditc_1"] >= 4 and answers["auditc_2"] >= limit
        )

    def because(self, facts):
        return [
            (
                "heavy_daily_drinking",
                _("You said you drink heavily on most days (more than the daily limits)."),
            )
        ]


HEAVY_DAILY_DRINKING = HeavyDailyDrinking()
#: Complicated withdrawal risk (LOC §4.3 point 5, §7; ASAM Clinical Practice Guideline on
#: Alcohol Withdrawal Management 2020): a past withdrawal seizure or delirium tremens together
#: with current withdrawal symptoms or heavy daily drinking -> medically monitored care.
COMPLICATED_WITHDRAWAL = all_of(
    Answer("withdrawal_history"), any_of(Answer("withdrawal_now"), HEAVY_DAILY_DRINKING)
)
#: Current withdrawal needing medical care without that history: withdrawal symptoms with heavy
#: daily drinking, or with daily benzodiazepines (benzodiazepine withdrawal can cause seizures,
#: LOC §7).
WITHDRAWAL_NEEDS_CARE = any_of(
    all_of(Answer("withdrawal_now"), HEAVY_DAILY_DRINKING),
    all_of(Answer("withdrawal_now"), Answer("sedatives")),
)
#: Mania or psychosis with impaired judgement (NICE CG185; LOC §7): high energy with little
#: sleep, voices or unusual beliefs, together with risky acts or alarming beliefs that the
#: person does not see as a problem (little insight).
MANIA_IMPAIRED_JUDGEMENT = all_of(
    Answer("mania_judgement", 2),
    any_of(Answer("high_energy"), Answer("voices"), Answer("unusual_beliefs")),
)

#: Each dimension's rating is the highest rating with at least one criterion met (else 1).
#: Screener cut-offs and their sources (paper and URL) are documented where they are defined in
#: ``assessment.instruments``: PHQ9, GAD7, AUDITC_CUTOFF_MEN/WOMEN, AUDITC_HIGH, DAST10, PCPTSD5,
#: SCOFF and the C-SSRS tiers (``cssrs_tier_of``).
CRITERIA: tuple[Criterion, ...] = (
    # Safety. 5 = the EMERGENCY answers: C-SSRS high tier (Columbia triage, LOC §3.4), intent to
    # harm others and command voices (LOC §1.2 rating-5 topics, §4.3 point 5).
    _c("risk_of_harm", 5, Answer("cssrs_4")),
    _c("risk_of_harm", 5, Answer("cssrs_5")),
    _c("risk_of_harm", 5, Answer("cssrs_6", 2)),
    _c("risk_of_harm", 5, Answer("harm_others", 3)),
    _c("risk_of_harm", 5, Answer("voices", 3)),
    # 4 = serious: thoughts of harming others that are hard to push away, self-injury needing
    # medical care, or a C-SSRS moderate answer with daily thoughts of death (PHQ-9 item 9 at
    # "nearly every day" carries the highest attempt risk, Simon et al. 2013, LOC §3.2).
    _c("risk_of_harm", 4, Answer("harm_others", 2)),
    _c("risk_of_harm", 4, Answer("self_harm", 3)),
    _c(
        "risk_of_harm",
        4,
        all_of(any_of(Answer("cssrs_3"), Answer("cssrs_6", 1)), Answer("phq9_9", 3)),
        "suicidal_method_or_past_attempt_and_daily_thoughts",
    ),
    # 3 = C-SSRS moderate tier (method, or behaviour more than 3 months ago), frequent self-harm,
    # thoughts of death on more than half the days.
    _c("risk_of_harm", 3, Answer("cssrs_3")),
    _c("risk_of_harm", 3, Answer("cssrs_6", 1)),
    _c("risk_of_harm", 3, Answer("self_harm", 2)),
    _c("risk_of_harm", 3, Answer("phq9_9", 2)),
    # 2 = C-SSRS low tier, any PHQ-9 item 9, any self-harm or passing thoughts of harming others.
    _c("risk_of_harm", 2, Answer("cssrs_2")),
    _c("risk_of_harm", 2, Answer("cssrs_1")),
    _c("risk_of_harm", 2, Answer("phq9_9")),
    _c("risk_of_harm", 2, Answer("self_harm")),
    _c("risk_of_harm", 2, Answer("harm_others")),
    # Daily life. 5 = unable to care for oneself (LOC §1.2 rating-5 topic). Symptom totals alone
    # never go above 3: a high score alone must not force PHP (LOC §0.2).
    _c("functional_status", 5, Answer("self_care", 3)),
    _c("functional_status", 4, Answer("self_care", 2)),
    _c("functional_status", 4, Answer("daily_functioning", 3)),
    _c("functional_status", 3, Answer("daily_functioning", 2)),
    _c("functional_status", 3, Answer("phq9_difficulty", 2)),
    _c("functional_status", 3, ScoreAtLeast("phq9", 20)),  # PHQ-9 "severe" (Kroenke 2001)
    _c("functional_status", 3, ScoreAtLeast("gad7", 15)),  # GAD-7 "severe" (Spitzer 2006)
    _c("functional_status", 2, Answer("daily_functioning", 1)),
    _c("functional_status", 2, Answer("phq9_difficulty", 1)),
    _c("functional_status", 2, Answer("self_care", 1)),
    _c("functional_status", 2, ScoreAtLeast("phq9", 10)),  # PHQ-9 cut-off
    _c("functional_status", 2, ScoreAtLeast("gad7", 10)),  # GAD-7 cut-off
    # Other health needs. 5 = needs medical care first: withdrawal delirium or seizure now;
    # seizure/DT history with current withdrawal or heavy daily drinking (LOC §4.3 point 5;
    # ASAM dimension 1, LOC §2.1); eating-disorder medical instability (LOC §4.3 point 5).
    _c("co_occurring", 5, Answer("withdrawal_now", 3)),
    _c("co_occurring", 5, COMPLICATED_WITHDRAWAL, "dangerous_withdrawal"),
    _c("co_occurring", 5, Answer("ed_medical", 2)),
    # 4 = major: strong withdrawal symptoms, a serious physical problem, mania now, DAST-10
    # "severe" (9-10, Skinner 1982).
    _c("co_occurring", 4, Answer("withdrawal_now", 2)),
    _c("co_occurring", 4, Answer("medical_problems", 3)),
    _c("co_occurring", 4, Answer("high_energy", 3)),
    _c("co_occurring", 4, ScoreAtLeast("dast10", 9)),
    # 3 = significant: DAST-10 "moderate" or more (3+), AUDIT-C 8+ (LOC §3.1), a positive SCOFF
    # or PC-PTSD-5, distressing voices, high energy causing problems, eating-related dizziness.
    _c("co_occurring", 3, ScoreAtLeast("dast10", 3)),
    _c("co_occurring", 3, ScoreAtLeast("auditc", AUDITC_HIGH)),
    _c("co_occurring", 3, Positive("scoff")),
    _c("co_occurring", 3, Positive("pcptsd5")),
    _c("co_occurring", 3, Answer("medical_problems", 2)),
    _c("co_occurring", 3, Answer("voices", 2)),
    _c("co_occurring", 3, Answer("high_energy", 2)),
    _c("co_occurring", 3, Answer("ed_medical", 1)),
    _c("co_occurring", 3, Answer("overdose", 2)),  # a recent overdose (LOC §7)
    _c("co_occurring", 3, Answer("unusual_beliefs", 2)),
    # 2 = minor: DAST-10 "low" (1-2), AUDIT-C positive (sex-specific cut-off), and mild answers.
    _c("co_occurring", 2, ScoreAtLeast("dast10", 1)),
    _c("co_occurring", 2, Positive("auditc")),
    _c("co_occurring", 2, Answer("medical_problems")),
    _c("co_occurring", 2, Answer("withdrawal_now")),
    _c("co_occurring", 2, Answer("withdrawal_history")),
    _c("co_occurring", 2, Answer("voices")),
    _c("co_occurring", 2, Answer("high_energy")),
    _c("co_occurring", 2, Answer("opioids")),
    _c("co_occurring", 2, Answer("unusual_beliefs")),
    # Home and support: stress/safety and support together (LOC §1.2 IV-A and IV-B).
    _c("recovery_environment", 5, Answer("home_safety", 3)),
    _c("recovery_environment", 4, Answer("home_safety", 2)),
    _c("recovery_environment", 4, Answer("home_support", 3)),
    _c("recovery_environment", 3, Answer("home_support", 2)),
    _c("recovery_environment", 2, Answer("home_safety", 1)),
    _c("recovery_environment", 2, Answer("home_support", 1)),
    # Past treatment: response to treatment, and recent emergency visits or stays as a sign that
    # the current level of care is not enough (LOC §1.2 V).
    _c("treatment_history", 5, Answer("recent_crisis_care", 3)),
    _c("treatment_history", 4, Answer("recent_crisis_care", 2)),
    _c("treatment_history", 4, Answer("past_treatment", 4)),
    _c("treatment_history", 3, Answer("recent_crisis_care", 1)),
    _c("treatment_history", 3, Answer("past_treatment", 3)),
    _c("treatment_history", 2, Answer("past_treatment", 2)),
    # Readiness: one step per answer (LOC §1.2 VI).
    _c("engagement", 5, Answer("engagement", 4)),
    _c("engagement", 4, Answer("engagement", 3)),
    _c("engagement", 3, Answer("engagement", 2)),
    _c("engagement", 2, Answer("engagement", 1)),
)
CRITERIA_BY_ID: dict[str, Criterion] = {c.id: c for c in CRITERIA}

# --------------------------------------------------------------------------------------------
# Rules, in priority order: the first that holds decides the level
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    level: LevelOfCare
    description: Any  # for the clinical lead and admissions staff
    condition: Condition
    lead: Any = ""  # an opening sentence for the person, before the answers that drove it

    def because(self, facts: Facts) -> list[Reason]:
        lead = [(f"rule:{self.id}", self.lead)] if self.lead else []
        return lead + self.condition.because(facts)


#: "Serious" daily-life or other-health need (LOC §1.6: Functional Status or Co-morbidity = 4).
SERIOUS_NEED = rated(("functional_status", "co_occurring"), 4)
#: A need at the level that makes the other dimensions matter (LOC §1.6 low branch: I-III = 3).
MODERATE_NEED = rated(CORE, 3)
#: Not safe at home overnight: home itself is unsafe, or there is some danger and no one around.
NOT_SAFE_AT_NIGHT = any_of(
    Answer("home_safety", 3), all_of(rated("risk_of_harm", 3), Answer("home_support", 3))
)

#: Eating disorder with medical warning signs (LOC §4.3 point 5, §7; MEED, Royal College of
#: Psychiatrists 2022): a positive SCOFF with dizziness, weakness or fainting from restriction.
EATING_MEDICAL_SIGNS = all_of(Positive("scoff"), Answer("ed_medical"))

_PHP_RULES = (
    Rule(
        "php_eating_disorder_medical_signs",
        PHP,
        _(
            "A positive SCOFF (2+) with dizziness, weakness, fast weight loss or fainting from "
            "restriction or purging: signs of medical risk that need at least a day program with "
            "medical monitoring, and a same-day review (MEED 2022; LOC §4.3 point 5, §7)."
        ),
        EATING_MEDICAL_SIGNS,
        _("Your answers about eating show signs that your body is under strain."),
    ),
    Rule(
        "php_serious_need_with_support",
        PHP,
        _(
            "Daily life or other health needs rated 4 (serious) with a supportive home: a full "
            "day program instead of 24-hour care. LOC §1.6: Functional Status or Co-morbidity 4 "
            "gives level 5 unless home is low-stress and supportive; we use PHP (level 4) in "
            "that case, the alternative to inpatient care (42 CFR §410.43)."
        ),
        SERIOUS_NEED,
        _("Your answers show that day-to-day life has become very hard right now."),
    ),
    Rule(
        "php_crises_despite_treatment",
        PHP,
        _(
            "Past treatment rated 4 or more (treatment did not help, or 2+ emergency visits or "
            "hospital stays in 6 months) and Safety, Daily life or Other health needs rated 3 or "
            "more: less intensive care has not been enough (LOC §1.6, treatment history >= 4)."
        ),
        all_of(rated("treatment_history", 4), MODERATE_NEED),
        _("Less intensive care has not been enough so far, and things are hard right now."),
    ),
    Rule(
        "php_composite",
        PHP,
        _("Composite 18-20 (our band; LOC §1.6 composite band for level 4 is 20-22 of 35)."),
        Composite(18),
    ),
)

RULES: tuple[Rule, ...] = (
    # ---- EMERGENCY: imminent danger; independent of everything else ----------------------
    Rule(
        "emergency_suicide_high_risk",
        EMERGENCY,
        _(
            "C-SSRS screener high tier: item 4 (some intent) or item 5 (plan and intent) in the "
            "past month, or item 6 behaviour in the past 3 months. Columbia: safety precautions "
            "until a professional evaluates the person (LOC §3.4, §4.2)."
        ),
        any_of(Answer("cssrs_4"), Answer("cssrs_5"), Answer("cssrs_6", 2)),
    ),
    Rule(
        "emergency_intent_to_harm_others",
        EMERGENCY,
        _("Some intention or a plan to seriously hurt or kill someone else (LOC §4.3 point 5)."),
        Answer("harm_others", 3),
    ),
    Rule(
        "emergency_command_voices",
        EMERGENCY,
        _("Voices telling the person to hurt themselves or someone else (LOC §4.3 point 5)."),
        Answer("voices", 3),
    ),
    Rule(
        "emergency_psychosis_or_mania_cannot_self_care",
        EMERGENCY,
        _(
            "Distressing voices or visions, or high energy causing problems, together with being "
            "unable to eat, wash or get up (LOC §4.3 point 5)."
        ),
        all_of(any_of(Answer("voices", 2), Answer("high_energy", 2)), Answer("self_care", 3)),
    ),
    Rule(
        "emergency_withdrawal_now",
        EMERGENCY,
        _(
            "Confusion, hallucinations or a seizure now, after stopping alcohol or sedatives: "
            "possible delirium tremens or withdrawal seizures (LOC §4.3 point 5; ASAM dimension "
            "1)."
        ),
        Answer("withdrawal_now", 3),
    ),
    Rule(
        "emergency_eating_fainting_or_heart",
        EMERGENCY,
        _(
            "Fainting or heart symptoms with restrictive eating or purging: eating-disorder "
            "medical instability (LOC §4.3 point 5)."
        ),
        Answer("ed_medical", 3),
    ),
    # ---- INPATIENT: 24-hour care ---------------------------------------------------------
    Rule(
        "inpatient_serious_risk_of_harm",
        INPATIENT,
        _("Safety rated 4 (serious) or more. LOC §1.6: Risk of Harm 4 gives level 5."),
        rated("risk_of_harm", 4),
        _("Your answers show a serious risk that you could be hurt, or hurt someone, soon."),
    ),
    Rule(
        "inpatient_mania_or_psychosis_impaired_judgement",
        INPATIENT,
        _(
            "High energy with little sleep, voices or unusual beliefs, together with risky acts "
            "or alarming beliefs the person does not see as a problem: mania or psychosis with "
            "impaired judgement and little insight, which NICE CG185 treats as needing urgent "
            "specialist assessment, often in hospital (LOC §7)."
        ),
        MANIA_IMPAIRED_JUDGEMENT,
        _(
            "Your answers describe times of high energy or unusual experiences with risky "
            "choices, which need to be looked at by a specialist soon, with 24-hour care close "
            "by."
        ),
    ),
    Rule(
        "inpatient_cannot_care_for_self",
        INPATIENT,
        _("Daily life rated 5: unable to care for oneself. LOC §1.6: Functional Status 5."),
        rated("functional_status", 5),
    ),
    Rule(
        "inpatient_withdrawal_or_medical_danger",
        INPATIENT,
        _(
            "Other health needs rated 5: dangerous withdrawal (seizure/DT history with current "
            "withdrawal or heavy daily drinking) or eating-disorder medical instability (very fast "
            "weight loss). Needs medically managed care. LOC §1.6: Co-morbidity 5."
        ),
        rated("co_occurring", 5),
        _("Your answers show a health risk that needs doctors and nurses close by."),
    ),
    Rule(
        "inpatient_serious_need_little_support",
        INPATIENT,
        _(
            "Daily life or other health needs rated 4 and Home and support rated 4 or more (no "
            "one to count on, or someone at home hurts or threatens the person). LOC §1.6: "
            "Functional Status or Co-morbidity 4 gives level 5 unless home is supportive and "
            "low-stress. Ours raises only when support is absent or home is unsafe, because our "
            "self-report 'serious' answers are broader than a clinician's rating; with some "
            "support the need goes to PHP, and staff review every submission."
        ),
        all_of(SERIOUS_NEED, rated("recovery_environment", 4)),
        _("Day-to-day life has become very hard, and there is no support or safety at home."),
    ),
    Rule(
        "inpatient_day_program_not_safe_at_night",
        INPATIENT,
        _(
            "A PHP-level need (any PHP rule holds) but not safe at home at night: home unsafe, or "
            "Safety rated 3+ with no one to count on. PHP means going home every night (LOC "
            "§2.6)."
        ),
        all_of(any_of(*(rule.condition for rule in _PHP_RULES)), NOT_SAFE_AT_NIGHT),
        _(
            "A day program means going home each night, and your answers suggest home may not "
            "be safe for you at night right now."
        ),
    ),
    Rule(
        "inpatient_composite",
        INPATIENT,
        _("Composite 21 or more (our band; LOC §1.6 composite band for level 5 is 23-27 of 35)."),
        Composite(21),
    ),
    # ---- PHP: a full day program, home at night -------------------------------------------
    *_PHP_RULES,
    # ---- IOP: several sessions a week ----------------------------------------------------
    Rule(
        "iop_two_moderate_needs",
        IOP,
        _(
            "Two or more of Safety, Daily life and Other health needs rated 3 or more (ours: "
            "needs in more than one area call for more than weekly care)."
        ),
        RatedInAtLeast(2, CORE, 3),
        _("Your answers show needs in more than one area."),
    ),
    Rule(
        "iop_moderate_need_not_helped_before",
        IOP,
        _(
            "Safety, Daily life or Other health needs rated 3 and Past treatment rated 3 or more "
            "(LOC §1.6 low branch: treatment history >= 3 raises the level to 3)."
        ),
        all_of(MODERATE_NEED, rated("treatment_history", 3)),
    ),
    Rule(
        "iop_moderate_need_little_support",
        IOP,
        _(
            "Safety, Daily life or Other health needs rated 3 and Home and support rated 3 or "
            "more (LOC §1.6 low branch: support >= 3 raises the level to 3)."
        ),
        all_of(MODERATE_NEED, rated("recovery_environment", 3)),
    ),
    Rule(
        "iop_withdrawal_needs_medical_care",
        IOP,
        _(
            "Current withdrawal symptoms with heavy daily drinking (NIAAA limits by sex) or with "
            "daily benzodiazepines, without a past seizure or DTs: withdrawal needs medical "
            "management, so never outpatient without it (ASAM dimension 1; LOC §7)."
        ),
        WITHDRAWAL_NEEDS_CARE,
        _("Your body reacts when you go without alcohol or pills, which needs medical care."),
    ),
    Rule(
        "iop_composite",
        IOP,
        _("Composite 15-17 (our band; LOC §1.6 composite band for level 3 is 17-19 of 35)."),
        Composite(15),
    ),
    # ---- OP: regular appointments -------------------------------------------------------
    Rule(
        "op_default",
        OP,
        _("No rule above holds: outpatient care (LOC §1.5 levels 0-2)."),
        Always(),
        _(
            "Your answers do not show a need for more than regular outpatient appointments right "
            "now."
        ),
    ),
)
RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

# --------------------------------------------------------------------------------------------
# Flags: things staff and the program search should know, whatever the level
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    code: str
    text: Any

    def to_dict(self) -> dict:
        return {"code": self.code, "text": str(self.text)}


def _substance_use(f: Facts) -> bool:
    """Moderate or higher substance risk, where co-occurring (dual-diagnosis) care is worth
    looking for: the same answers that rate Other health needs 3 or more through substances.
    AUDIT-C 8+ ("high", LOC §3.1), DAST-10 moderate or more (3+, Skinner 1982), any opioid use,
    a recent overdose, or withdrawal symptoms. An AUDIT-C that is merely positive (from the
    sex-specific cut-off up to 7) does not count on its own: it gets brief advice instead
    (:func:`_alcohol_brief_advice`), and never moves a substance-use program above a closer
    program for the person's main condition."""
    a = f.answers
    return (
        f.scores["auditc"].at_least >= AUDITC_HIGH
        or f.scores["dast10"].positive
        or a["opioids"] >= 1
        or a["overdose"] >= 2
        or a["withdrawal_now"] >= 2
        or (a["withdrawal_now"] >= 1 and (HEAVY_DAILY_DRINKING.holds(f) or a["sedatives"] >= 1))
    )


def _alcohol_brief_advice(f: Facts) -> bool:
    """AUDIT-C positive (sex-specific cut-off, LOC §3.1) without moderate or higher substance
    risk: brief advice about drinking (the usual response to a low positive screen)."""
    return f.scores["auditc"].positive and not _substance_use(f)


def _declined_risk(f: Facts) -> bool:
    """A "Prefer not to say" to a question about suicide or harming oneself or others: a
    refusal to answer is treated as a positive screen (NIMH ASQ, LOC §4.2)."""
    return any(qid in f.declined for qid in ("phq9_9", *CSSRS_IDS, "harm_gate", "harm_others"))


def _hours_short(f: Facts, level: LevelOfCare) -> bool:
    """Fewer hours available than the level usually takes: PHP about 20 a week (payer minimum,
    42 CFR §410.43); IOP at least 9 for adults (42 CFR §410.44), 6 for adolescents (ASAM 2.1).
    LOC §2.2, §2.6."""
    hours = f.answers.get("hours_available")
    if level == PHP:
        return hours in ("lt3", "3to8", "9to19")
    if level == IOP:
        short = ("lt3",) if f.answers.get("age_group") in ("child", "teen") else ("lt3", "3to8")
        return hours in short
    return False


@dataclass(frozen=True)
class FlagRule:
    code: str
    text: Any
    test: Callable[[Facts, LevelOfCare], bool]


FLAG_RULES: tuple[FlagRule, ...] = (
    FlagRule(
        "suicide_risk_review",
        _(
            "Your answers about thoughts of death or suicide need a same-day review by a "
            "clinician. You don't have to wait: call or text 988 any time, day or night."
        ),
        # LOC §4.3 point 2: PHQ-9 item 9 > 0 or a C-SSRS low/moderate tier -> clinician review.
        # The high tier is included too: EMERGENCY, and staff still review it.
        lambda f, level: f.crisis_tier != "none" or f.answers["phq9_9"] > 0,
    ),
    FlagRule(
        "harm_to_others_review",
        _("Your answers about thoughts of hurting someone else need a same-day review."),
        lambda f, level: f.answers["harm_others"] >= 1,
    ),
    FlagRule(
        "withdrawal_risk",
        _(
            "Stopping alcohol, sleeping pills or anxiety pills suddenly could be dangerous for "
            "you. Please see a doctor before you cut down, so withdrawal can be managed safely."
        ),
        lambda f, level: (
            f.answers["withdrawal_history"] >= 1
            or f.answers["withdrawal_now"] >= 2
            or WITHDRAWAL_NEEDS_CARE.holds(f)
        ),
    ),
    FlagRule(
        "withdrawal_management",
        _(
            "Your answers suggest that stopping alcohol or pills needs medical care: look for "
            "medically monitored withdrawal management (sometimes called detox), and do not stop "
            "sleeping or anxiety pills suddenly on your own. If you have a seizure, call 911."
        ),
        # LOC §4.3 point 5, §7: seizure/DT history with current withdrawal or heavy daily
        # drinking; withdrawal delirium now; benzodiazepine withdrawal (seizure risk).
        lambda f, level: (
            COMPLICATED_WITHDRAWAL.holds(f)
            or f.answers["withdrawal_now"] >= 3
            or (
                f.answers["sedatives"] >= 1
                and (f.answers["withdrawal_now"] >= 1 or f.answers["withdrawal_history"] >= 1)
            )
        ),
    ),
    FlagRule(
        "opioid_use",
        _(
            "You told us about using opioids. Medication for opioid use disorder (buprenorphine, "
            "methadone or naltrexone) works best, so look for a program that offers it. Keep "
            "naloxone (Narcan) with you: it can reverse an overdose."
        ),
        lambda f, level: f.answers["opioids"] >= 1,
    ),
    FlagRule(
        "recent_overdose",
        _(
            "You said you overdosed in the past 3 months. That raises the risk of another one, so "
            "a clinician will reach out the same day. Keep naloxone (Narcan) close by."
        ),
        lambda f, level: f.answers["overdose"] >= 2,
    ),
    FlagRule(
        "alcohol_brief_advice",
        _(
            "Your answers about drinking suggest cutting down could help your health and mood. "
            "Talk with a doctor or counselor about your drinking; the SAMHSA National Helpline "
            "(1-800-662-4357) is free and open all day, every day."
        ),
        lambda f, level: _alcohol_brief_advice(f),
    ),
    FlagRule(
        "dual_diagnosis",
        _(
            "Your answers about alcohol or drugs suggest looking for a program that helps with "
            "mental health and substance use together (often called dual-diagnosis care)."
        ),
        lambda f, level: _substance_use(f),
    ),
    FlagRule(
        "eating_disorder",
        _(
            "Your answers about eating suggest looking for a program with eating-disorder "
            "specialists, and a check-up with a doctor."
        ),
        lambda f, level: f.scores["scoff"].positive or f.answers["ed_medical"] >= 1,
    ),
    FlagRule(
        "trauma",
        _(
            "Your answers suggest a hard experience still affects you. Therapy that focuses on "
            "trauma can help; look for a program that offers it."
        ),
        lambda f, level: f.scores["pcptsd5"].positive,
    ),
    FlagRule(
        "psychosis_or_mania",
        _(
            "You told us about hearing or seeing things others don't, or times of very high "
            "energy. Look for a program with experience helping people with these."
        ),
        lambda f, level: (
            f.answers["voices"] >= 1
            or f.answers["high_energy"] >= 2
            or f.answers["unusual_beliefs"] >= 2
        ),
    ),
    FlagRule(
        "mania_psychosis_review",
        _(
            "Your answers about high energy or unusual experiences with risky choices need a "
            "same-day review by a clinician."
        ),
        lambda f, level: MANIA_IMPAIRED_JUDGEMENT.holds(f),
    ),
    FlagRule(
        "early_psychosis_review",
        _(
            "You said hearing or seeing things, or unusual beliefs, are new or getting worse. "
            "Early help works best: a clinician will review your answers the same day, and early "
            "intervention services for psychosis can help."
        ),
        # NICE CG178 (LOC §7): urgent referral of a first episode to early intervention.
        lambda f, level: (
            f.answers["psychosis_new"] >= 1
            and (f.answers["voices"] >= 1 or f.answers["unusual_beliefs"] >= 1)
        ),
    ),
    FlagRule(
        "self_harm_review",
        _(
            "You said you have hurt yourself many times in the past month. A clinician will "
            "reach out the same day to talk about what would help."
        ),
        # NICE NG225 (LOC §7): a same-day psychosocial assessment after self-harm.
        lambda f, level: f.answers["self_harm"] >= 2,
    ),
    FlagRule(
        "eating_medical_review",
        _(
            "Your answers about eating and weight need a check by a doctor soon, and a "
            "clinician will review them the same day."
        ),
        # MEED 2022 (LOC §7): dizziness, weakness or fainting from restriction, or rapid weight
        # loss (SCOFF item 3 counts), with a positive SCOFF.
        lambda f, level: (
            f.scores["scoff"].positive
            and (f.answers["ed_medical"] >= 1 or f.answers["scoff_3"] >= 1)
        ),
    ),
    FlagRule(
        "no_safe_place",
        _(
            "You said you are not safe where you live, or have no safe place to stay tonight. A "
            "clinician will reach out the same day. If you are in danger now, call 911; for a "
            "place to stay tonight, call 211."
        ),
        lambda f, level: f.answers["home_safety"] >= 3,
    ),
    FlagRule(
        "declined_risk_questions",
        _(
            "You chose not to answer some questions about safety. That is okay. A clinician will "
            "reach out the same day to check in, and you can call or text 988 at any time."
        ),
        lambda f, level: _declined_risk(f),
    ),
    FlagRule(
        "incomplete_screens",
        _(
            "Some questionnaires could not be scored because some questions were not answered. "
            "A professional will ask about them."
        ),
        lambda f, level: any(score.incomplete for score in f.scores.values()),
    ),
    FlagRule(
        "medical_review",
        _("Some of your answers need a check by a medical doctor soon."),
        lambda f, level: f.answers["medical_problems"] >= 3 or f.answers["ed_medical"] >= 1,
    ),
    FlagRule(
        "unsafe_home",
        _(
            "You said you don't always feel safe where you live. If someone is hurting you, the "
            "National Domestic Violence Hotline can help any time: 1-800-799-7233."
        ),
        lambda f, level: f.answers["home_safety"] >= 2,
    ),
    FlagRule(
        "schedule_hours",
        _(
            "This kind of program usually takes more hours a week than you said you could give "
            "(about 20 for a day program, 9 or more for intensive outpatient). Admissions staff "
            "can talk with you about what could work."
        ),
        _hours_short,
    ),
    FlagRule(
        "transport",
        _(
            "You said getting to appointments is hard. Many programs also meet by video, and "
            "some can help with transport."
        ),
        lambda f, level: f.answers.get("transport") in ("sometimes_hard", "very_hard"),
    ),
)

#: Flags that promise the person a same-day review: they make the submission urgent.
SAME_DAY_REVIEW_FLAGS = frozenset(
    {
        "suicide_risk_review",
        "harm_to_others_review",
        "recent_overdose",  # LOC §7: recent overdose raises overdose risk
        "mania_psychosis_review",  # NICE CG185
        "early_psychosis_review",  # NICE CG178: urgent referral to early intervention
        "self_harm_review",  # NICE NG225: same-day assessment after self-harm
        "eating_medical_review",  # MEED 2022
        "no_safe_place",  # no safe place to stay tonight
        "declined_risk_questions",  # NIMH ASQ: a refusal to answer is a positive screen
    }
)

#: Program specialties (``programs.vocab.CONDITIONS`` codes) worth looking for, given the
#: screens. For matching programs only: these are not diagnoses.
FOCUS_AREAS: tuple[tuple[str, Callable[[Facts], bool]], ...] = (
    ("depression", lambda f: f.scores["phq9"].positive),
    ("anxiety", lambda f: f.scores["gad7"].positive),
    ("trauma", lambda f: f.scores["pcptsd5"].positive),
    ("eating_disorders", lambda f: f.scores["scoff"].positive or f.answers["ed_medical"] >= 1),
    ("substance_use", _substance_use),
    ("dual_diagnosis", _substance_use),
    ("psychosis", lambda f: f.answers["voices"] >= 1 or f.answers["unusual_beliefs"] >= 1),
    ("bipolar", lambda f: f.answers["high_energy"] >= 2),
    ("self_harm", lambda f: f.answers["self_harm"] >= 1 or f.answers["cssrs_6"] >= 1),
)

# --------------------------------------------------------------------------------------------
# The recommendation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    level: LevelOfCare
    dimensions: dict[str, int]
    reasons: list
    flags: list[Flag]
    urgent: bool
    scores: dict[str, Score]
    rules_fired: list[str]
    ruleset_version: str = RULESET_VERSION
    composite: int = 0
    crisis_tier: str = "none"
    criteria_met: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)

    @property
    def dimension_labels(self) -> dict[str, dict]:
        """Each dimension's plain name, rating and anchor words, in display order."""
        return {
            key: {
                "name": DIMENSIONS_BY_KEY[key].name,
                "rating": rating,
                "anchor": DIMENSIONS_BY_KEY[key].anchor(rating),
            }
            for key, rating in self.dimensions.items()
        }

    @property
    def flag_codes(self) -> list[str]:
        return [flag.code for flag in self.flags]

    def to_dict(self) -> dict:
        """JSON-ready (lazy strings rendered in the active language)."""
        return {
            "level": self.level.value,
            "dimensions": dict(self.dimensions),
            "composite": self.composite,
            "crisis_tier": self.crisis_tier,
            "reasons": [str(reason) for reason in self.reasons],
            "flags": [flag.to_dict() for flag in self.flags],
            "urgent": self.urgent,
            "scores": {key: score.to_dict() for key, score in self.scores.items()},
            "rules_fired": list(self.rules_fired),
            "criteria_met": list(self.criteria_met),
            "conditions": list(self.conditions),
            "ruleset_version": self.ruleset_version,
        }


def _unique(reasons: list[Reason]) -> list:
    seen, sentences = set(), []
    for key, sentence in reasons:
        if key not in seen:
            seen.add(key)
            sentences.append(sentence)
    return sentences


def _evaluate(answers: Mapping[str, Any]) -> Recommendation:
    facts = Facts(answers)
    fired = [rule for rule in RULES if rule.condition.holds(facts)]
    level = fired[0].level  # the table runs from most to least intensive
    reasons = _unique(
        [reason for rule in fired if rule.level == level for reason in rule.because(facts)]
    )
    flags = [Flag(rule.code, rule.text) for rule in FLAG_RULES if rule.test(facts, level)]
    # Urgent (top of the staff queue, the on-call email): EMERGENCY or INPATIENT, and every
    # answer whose flag promises a same-day review: any C-SSRS "yes" (low tier included) or
    # PHQ-9 item 9 above 0 (LOC §4.3 point 2), or thoughts of harming someone else.
    urgent = level in (EMERGENCY, INPATIENT) or any(
        flag.code in SAME_DAY_REVIEW_FLAGS for flag in flags
    )
    return Recommendation(
        level=level,
        dimensions=facts.dimensions,
        reasons=reasons,
        flags=flags,
        urgent=urgent,
        scores=facts.scores,
        rules_fired=[rule.id for rule in fired],
        composite=facts.composite,
        crisis_tier=facts.crisis_tier,
        criteria_met=[c.id for c in facts.met],
        conditions=[code for code, test in FOCUS_AREAS if test(facts)],
    )


def recommend(answers: Mapping[str, Any]) -> Recommendation:
    """The recommended level of care for a complete set of answers, with its reasons.

    Raises :class:`assessment.instruments.AnswerError` naming the question for a key that is not
    a question id (a typo must never silently drop an answer: a dropped "yes" could turn an
    emergency into IOP), an impossible value, or a missing required clinical answer (one skip
    logic asked). Questions skip logic did not ask, left blank, count as their least severe
    answer; "Prefer not to say" is kept as such (see :class:`Facts`).
    """
    for key in answers:
        if key not in QUESTIONS_BY_ID:
            raise AnswerError(key, "not a question id")
    return _evaluate(validate_answers(answers))


# --------------------------------------------------------------------------------------------
# Crisis help: one decision for every page and script (LOC §4.3)
# --------------------------------------------------------------------------------------------


def crisis_tier(partial_answers: Mapping[str, Any] | None) -> str:
    """The C-SSRS tier so far ("none", "low", "moderate", "high"); missing, declined or
    unreadable answers count as "no" here (the crisis decision reads declines on its own)."""
    answers = lenient_answers(partial_answers or {})
    return cssrs_tier_of({qid: answers[qid] for qid in CSSRS_IDS})


_EMERGENCY_RULES = tuple(rule for rule in RULES if rule.level == EMERGENCY)

#: Questions about harming oneself or others. Any answer above the least severe one, or a
#: "Prefer not to say", brings crisis resources (LOC §4.3 point 2; a refusal to answer a
#: suicide question is a positive screen in the NIMH ASQ, LOC §4.2).
RISK_IDS = ("phq9_9", *CSSRS_IDS, "harm_gate", "harm_others", "self_harm")

#: Other presentations that call for crisis resources on the next page (LOC §4.3 points 2 and
#: 5): a recent overdose (LOC §7, opioids), no safe place to stay tonight, and mania or
#: psychosis with impaired judgement (NICE CG185, LOC §7).
RESOURCE_ANSWERS = (("overdose", 2), ("home_safety", 3))


def _panel(facts: Facts) -> bool:
    """The full-screen crisis panel now (LOC §4.3 point 1): any EMERGENCY rule holds (C-SSRS
    high tier: intent, plan, or behaviour in the past 3 months; or another imminent red flag:
    intent to harm others, command voices, withdrawal delirium or seizure, fainting with an
    eating disorder, psychosis or mania with inability to care for oneself)."""
    return any(rule.condition.holds(facts) for rule in _EMERGENCY_RULES)


def _resources(facts: Facts) -> bool:
    """Crisis resources lead the next page and stay as a reminder (LOC §4.3 point 2)."""
    answers = facts.answers
    return (
        any(answers.get(qid, 0) > 0 or qid in facts.declined for qid in RISK_IDS)
        or any(answers.get(qid, 0) >= at_least for qid, at_least in RESOURCE_ANSWERS)
        or MANIA_IMPAIRED_JUDGEMENT.holds(facts)
    )


@dataclass(frozen=True)
class CrisisDecision:
    """What crisis help a page shows, decided in one place for every page and script.

    ``panel``: show the full crisis panel now, before anything else is asked (LOC §4.3 point 1).
    ``resources``: crisis resources lead the next page and stay as a reminder after it
    (LOC §4.3 point 2). ``panel`` implies ``resources``.
    """

    panel: bool
    resources: bool


def crisis_decision(partial_answers: Mapping[str, Any] | None) -> CrisisDecision:
    """The one decision about crisis help for the answers given so far (partial answers are
    fine: unanswered items count as not endorsed, never as safe-making; unreadable values are
    ignored, never a crash). Every view and the page script read this; nothing else decides."""
    facts = Facts(lenient_answers(partial_answers or {}))
    panel = _panel(facts)
    return CrisisDecision(panel=panel, resources=panel or _resources(facts))
