"""The self-assessment as data: every question, the steps they are asked in, and validated scoring.

Pure Python: nothing here touches the database, so it is tested in microseconds. Every user-facing
string is lazily translated (a Spanish version is coming). Sources for every fact below are in
``shared/domain/level-of-care.md`` (section numbers given as "LOC §n").

How answers look
    A dict keyed by question id. Ordered questions (``Question.ordered``) take ints, higher is
    always the more severe answer; numeric strings such as ``"2"`` are accepted and normalised.
    Yes/no items are 0 = No, 1 = Yes. Reverse-scored items store their points (DAST-10 item 3:
    "No" is 1). Other questions take the option codes (strings), a list of codes (``kind ==
    "multi"``) or free text (``kind == "text"``).

Steps (issue 9: safety first, then short)
    ``now`` (PHQ-4, PHQ-9 item 9, C-SSRS screener, harm), ``mood``, ``substances``,
    ``trauma_eating``, ``daily_life``, ``fit`` (ZIP, insurance, schedule: after the clinical
    part), ``review``. The ids are a contract with the wizard; :data:`RISK_STEP` is ``now``.

Skip logic (gates)
    ``Question.ask_if`` is a gate: ``gate(answers) -> bool`` with ``depends_on`` (the question ids
    it reads). A gate over several answers (:class:`SumAtLeast`, :class:`AnyGate`, ...) reads only
    questions of earlier steps; a gate within a step is a single :class:`AskIf`. Every cut-off
    is cited where the gate is defined (:data:`PHQ2_GATE`, :data:`GAD2_GATE`, the single drug-use
    question, AUDIT-C "Never"). A question that was not asked and has no answer counts as its
    least severe value. An answer that *was* given to a question skip logic would not have asked
    is kept, never dropped: for safety, a "yes" to a suicide question counts however it got
    there. A gated-out instrument is scored "screened negative" with its screen score, never a
    made-up total (:meth:`Scale.score`).

Prefer not to say
    Sensitive questions offer :data:`DECLINED` as their last option. The written rule: a
    declined item never lowers a level or clears ``urgent`` (the rules read it as the least
    severe answer, and read a declined suicide or harm question as a positive screen); a
    screener with more declined items than its published prorating rule allows is
    "incomplete", never negative (:meth:`Scale.score`).

Instruments and licences (LOC §3.1; get legal review before a commercial release)
    * PHQ-9 and GAD-7: © Pfizer Inc; "no permission required to reproduce, translate, display or
      distribute". Reproduced word for word, including the correct GAD-7 option "Not at all"
      (not "Not at all sure"; Zorowitz et al., Lancet Psychiatry 2021;8:180).
    * C-SSRS screener (Columbia Protocol): free of cost and licence for healthcare and
      behavioural-health providers, including EHR builds
      (https://cssrs.columbia.edu/the-columbia-scale-c-ssrs/triage-c-ssrs/). Whether that covers
      an open-source project that *distributes* the wording is an open question for the Columbia
      Lighthouse Project (LOC §6).
    * AUDIT-C: AUDIT © WHO, free for non-commercial use; SAMHSA describes the AUDIT-C as public
      domain.
    * DAST-10: © 1982 Harvey A. Skinner, PhD and the Centre for Addiction and Mental Health
      (CAMH), Toronto. Free for non-commercial use with this attribution
      (https://camcops.readthedocs.io/en/latest/tasks/dast.html).
    * PC-PTSD-5: VA National Center for PTSD (Prins et al. 2016); believed to be a US-Government
      work (UNVERIFIED).
    * SCOFF (Morgan, Reid, Lacey, BMJ 1999;319:1467): licence terms not found, so the five
      questions are paraphrased in our own words, with the US "14 pounds" for "one stone".
    * Our own "daily life" questions are written from scratch. They cover the topics a
      level-of-care review looks at (LOC §1.2, §4.3) but never reproduce LOCUS or ASAM text.
    * The PHQ-9's unscored difficulty item stands in for a functional-impairment scale: the
      Sheehan Disability Scale needs a paid licence and WHODAS 2.0 needs WHO permission for
      electronic use (LOC §3.1).

Nothing here makes a diagnosis. Screening totals are "signs worth talking about", and band labels
say so in plain words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs import geo, vocab

# --------------------------------------------------------------------------------------------
# Data types
# --------------------------------------------------------------------------------------------

KINDS = ("choice", "multi", "text")

#: The "Prefer not to say" answer of a sensitive question. It is an option value like any other
#: (so the forms render it), never a point on the scale: the written rule (see
#: :func:`score_items` and ``rules``) is that a declined item never lowers the level, never
#: clears ``urgent``, and a screener with too many declined items is "incomplete", never
#: negative.
DECLINED = "declined"
DECLINE_OPTION = (DECLINED, _("Prefer not to say"))


# --------------------------------------------------------------------------------------------
# Gates (skip logic). Every gate is a callable ``gate(answers) -> bool`` with ``depends_on``,
# the ids of the questions it looks at. Contract with the web layer: a gate that looks at more
# than one answer depends only on questions of EARLIER steps (the server decides, the page
# simply does not show the question); a gate within one step is a single :class:`AskIf`, which
# the page script mirrors from ``data-ask-if``.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskIf:
    """Skip logic: ask a question only when an earlier ordered answer is at least ``at_least``.

    A "Prefer not to say" does not open the gate (the page script reads it the same way).
    """

    question_id: str
    at_least: int = 1

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        value = _as_int(answers.get(self.question_id))
        return value is not None and value >= self.at_least

    @property
    def depends_on(self) -> tuple[str, ...]:
        return (self.question_id,)


@dataclass(frozen=True)
class SumAtLeast:
    """Open when the ordered answers to ``question_ids`` add up to ``at_least`` or more, or
    when any of them was declined (an unknown screen is never a negative screen). With
    ``at_least=1`` this reads "any of these answered above its least severe value"."""

    question_ids: tuple[str, ...]
    at_least: int = 1

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        total = 0
        for qid in self.question_ids:
            raw = answers.get(qid)
            if raw == DECLINED:
                return True
            value = _as_int(raw)
            total += max(value or 0, 0)
        return total >= self.at_least

    @property
    def depends_on(self) -> tuple[str, ...]:
        return tuple(self.question_ids)


@dataclass(frozen=True)
class NotAsked:
    """Open when ``question_id`` was not asked (its own gate is closed) and has no answer."""

    question_id: str

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        question = QUESTIONS_BY_ID[self.question_id]
        return _is_blank(answers.get(self.question_id)) and not question.is_asked(answers)

    @property
    def depends_on(self) -> tuple[str, ...]:
        return _unique_ids((self.question_id, *_depends(QUESTIONS_BY_ID[self.question_id])))


@dataclass(frozen=True)
class AnyGate:
    """Open when any part is open."""

    parts: tuple

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        return any(part(answers) for part in self.parts)

    @property
    def depends_on(self) -> tuple[str, ...]:
        return _unique_ids(qid for part in self.parts for qid in part.depends_on)


@dataclass(frozen=True)
class AllGate:
    """Open when every part is open."""

    parts: tuple

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        return all(part(answers) for part in self.parts)

    @property
    def depends_on(self) -> tuple[str, ...]:
        return _unique_ids(qid for part in self.parts for qid in part.depends_on)


def _unique_ids(ids) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def _depends(question) -> tuple[str, ...]:
    return tuple(getattr(question.ask_if, "depends_on", ()) or ())


@dataclass(frozen=True, eq=False)
class Question:
    """One question.

    ``options`` are ``(value, label)`` pairs (empty for free text). ``ordered`` is true only when
    the options run from least to most severe and a higher value is always the more severe
    answer; those values are ints from 0. ``kind`` is "choice" (one value), "multi" (a list of
    values) or "text". ``instrument`` names the validated screener the item belongs to, or is
    None for our own questions. ``ask_if`` is the skip logic (None: always asked); ``required``
    applies only when the question is asked.

    Compared by identity: the text is a lazy translation, and two questions are the same only if
    they are the same entry in :data:`QUESTIONS`.
    """

    id: str
    text: Any
    options: tuple[tuple[Any, Any], ...] = ()
    ordered: bool = False
    step: str = ""
    instrument: str | None = None
    kind: str = "choice"
    required: bool = True
    help_text: Any = ""
    ask_if: Callable[[Mapping[str, Any]], bool] | None = None

    def is_asked(self, answers: Mapping[str, Any]) -> bool:
        """Whether skip logic asks this question, given the answers so far."""
        return self.ask_if is None or bool(self.ask_if(answers))

    @cached_property
    def values(self) -> tuple:
        return tuple(value for value, _label in self.options)

    @cached_property
    def scale(self) -> tuple:
        """The values of an ordered question's scale, least severe first, without
        "Prefer not to say" (which is not a point on the scale)."""
        return tuple(value for value in self.values if value != DECLINED)

    @cached_property
    def declinable(self) -> bool:
        """Whether "Prefer not to say" is one of the options."""
        return DECLINED in self.values

    @property
    def depends_on(self) -> tuple[str, ...]:
        """The ids of the questions whose answers decide whether this one is asked."""
        return _depends(self)

    @property
    def least_severe(self):
        """The value an unasked, unanswered question counts as: the minimum of an ordered
        question, otherwise nothing (``None``, or ``[]`` for a multi-select)."""
        if self.ordered:
            return self.options[0][0]
        return [] if self.kind == "multi" else None

    @cached_property
    def clinical(self) -> bool:
        """Part of the clinical screen (as opposed to "About you" preferences)."""
        return self.step in CLINICAL_STEPS

    @property
    def number(self) -> int:
        """1-based position within its step: the number the web layer shows and the validation
        messages use ("Please choose an answer to question 3.")."""
        return QUESTION_NUMBERS[self.id]

    def label_for(self, value):
        """The display label of ``value``, or ``value`` itself if it is not one of the options."""
        return dict(self.options).get(value, value)


@dataclass(frozen=True, eq=False)
class Step:
    id: str
    title: Any
    intro: Any = ""


@dataclass(frozen=True)
class Band:
    """One severity band of a screener: totals from ``minimum`` up to the next band."""

    minimum: int
    code: str
    label: Any


#: Score statuses. "complete": every item answered. "prorated": a few items declined, total
#: prorated by the published rule (see :data:`PHQ9`). "screened_negative": the short screen
#: (e.g. PHQ-2) was below its gate, so the rest was not asked; ``total`` is None and the screen
#: score is kept. "incomplete": too many items declined or unanswered to score; ``total`` is
#: None, and the rules never read it as negative.
STATUSES = ("complete", "prorated", "screened_negative", "incomplete")


@dataclass(frozen=True)
class Score:
    """One instrument's result.

    ``total`` is the published total (prorated when ``status == "prorated"``), or None when the
    instrument was screened out or is incomplete: never a made-up number. ``at_least`` is what
    the rules compare with thresholds: the total when there is one; for a screened-out
    instrument the sum of the items actually answered; for an incomplete one a lower bound (see
    :meth:`Scale.score`). ``positive`` is true when even that lower bound reaches the cut-off.
    """

    instrument: str
    total: int | None
    max_total: int
    band: str
    band_label: Any
    positive: bool
    status: str = "complete"
    at_least: int = 0
    answered: int = 0
    missing: tuple[str, ...] = ()
    screen_name: str = ""
    screen_total: int | None = None
    screen_max: int | None = None

    @property
    def skipped(self) -> bool:
        return self.status == "screened_negative"

    @property
    def incomplete(self) -> bool:
        return self.status == "incomplete"

    def to_dict(self) -> dict:
        return {
            "total": self.total,
            "max_total": self.max_total,
            "band": self.band,
            "band_label": str(self.band_label),
            "positive": self.positive,
            "status": self.status,
            "at_least": self.at_least,
            "answered": self.answered,
            "missing": list(self.missing),
            "screen_name": self.screen_name,
            "screen_total": self.screen_total,
            "screen_max": self.screen_max,
        }


class AnswerError(ValueError):
    """A missing or impossible answer. ``question_id`` names the question; ``user_message`` is
    the plain-words (translated, lazy) message for the person, ``str(error)`` the English one for
    developers and logs."""

    def __init__(self, question_id: str, message: str, user_message=None):
        super().__init__(f"{question_id}: {message}")
        self.question_id = question_id
        self.user_message = user_message or message


# --------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------

#: The order is a contract with the web layer (the wizard and its browser tests use these ids).
#: Safety first: the first page asks about right now (mood screen, thoughts of death and suicide,
#: harming others), so a crisis answer is reached on page 1 and crisis help comes before any
#: question about ZIP code, insurance or schedule ("fit", last before review).
STEPS: tuple[Step, ...] = (
    Step(
        "now",
        _("Right now"),
        _(
            "A few questions about how you have been lately, and about your safety. The first "
            "ones are about the last 2 weeks; the questions about suicide ask about the past "
            "month. Many people have thoughts like these, and talking about them helps. If you "
            "are in danger right now, call or text 988, or call 911."
        ),
    ),
    Step(
        "mood",
        _("Mood and experiences"),
        _(
            "Over the last 2 weeks, how often have you been bothered by any of the following "
            "problems?"
        ),
    ),
    Step(
        "substances",
        _("Alcohol and drugs"),
        _(
            "No judgement here: your answers help us find care that fits. One drink means one "
            "can of beer (12 oz), one glass of wine (5 oz) or one shot of liquor (1.5 oz)."
        ),
    ),
    Step(
        "trauma_eating",
        _("Hard experiences and eating"),
        _("Some questions about frightening events and about eating. Answer only what you can."),
    ),
    Step(
        "daily_life",
        _("Daily life"),
        _("How things are going day to day: at home, with your health, and with getting help."),
    ),
    Step(
        "fit",
        _("Fit to your life"),
        _(
            "A few questions so we can find care near you that fits your life. If you are "
            "filling this in for someone else, answer for them as best you can."
        ),
    ),
    Step(
        "review",
        _("Check and send"),
        _("Look over your answers. You can go back and change any of them before you send."),
    ),
)

STEPS_BY_ID: dict[str, Step] = {step.id: step for step in STEPS}

#: The step that asks about risk right now (crisis answers are reachable on it).
RISK_STEP = "now"

#: Steps whose questions make up the clinical screen. A required question in these steps must be
#: answered (when skip logic asks it) before a recommendation can be made.
CLINICAL_STEPS = ("now", "mood", "substances", "trauma_eating", "daily_life")

# --------------------------------------------------------------------------------------------
# Answer scales
# --------------------------------------------------------------------------------------------

#: PHQ-9 and GAD-7 response scale (Kroenke 2001; Spitzer 2006). LOINC answers LA6568-5..LA6571-9.
FREQUENCY = (
    (0, _("Not at all")),
    (1, _("Several days")),
    (2, _("More than half the days")),
    (3, _("Nearly every day")),
)
NO_YES = ((0, _("No")), (1, _("Yes")))
#: Reverse-scored yes/no item: the stored value is the item's points, so "No" scores 1.
YES_NO_REVERSED = ((0, _("Yes")), (1, _("No")))

HOURS_AVAILABLE = [
    ("lt3", _("Less than 3 hours a week")),
    ("3to8", _("3 to 8 hours a week")),
    ("9to19", _("9 to 19 hours a week")),
    ("20plus", _("20 hours a week or more")),
    ("unsure", _("I'm not sure yet")),
]
RESPONDENTS = [
    ("self", _("Myself")),
    ("someone_else", _("Someone else (for example, my child or partner)")),
]
SEX_AT_BIRTH = [
    ("female", _("Female")),
    ("male", _("Male")),
    ("prefer_not", _("I'd rather not say")),
]
TRANSPORT = [
    ("easy", _("Easy")),
    ("sometimes_hard", _("Sometimes hard")),
    ("very_hard", _("Very hard, or not possible")),
]


def _options(vocabulary) -> tuple[tuple[str, Any], ...]:
    return tuple((code, label) for code, label in vocabulary)


def _scale(*labels) -> tuple[tuple[int, Any], ...]:
    """Ordered options 0, 1, 2 ... for our own questions, least severe first."""
    return tuple(enumerate(labels))


# --------------------------------------------------------------------------------------------
# Questions, in display order
# --------------------------------------------------------------------------------------------


def _items(
    instrument,
    step,
    texts,
    options,
    *,
    first=1,
    ask_if=None,
    help_texts=None,
    reverse=(),
    declinable=False,
):
    """Numbered items of a standard instrument: ids ``<instrument>_<n>``. Items numbered in
    ``reverse`` are reverse-scored yes/no items (:data:`YES_NO_REVERSED`). ``declinable`` adds
    "Prefer not to say" after the published options."""
    help_texts = help_texts or {}
    extra = (DECLINE_OPTION,) if declinable else ()
    return tuple(
        Question(
            id=f"{instrument}_{number}",
            text=text,
            options=(YES_NO_REVERSED if number in reverse else options) + extra,
            ordered=True,
            step=step,
            instrument=instrument,
            help_text=help_texts.get(number, ""),
            ask_if=ask_if,
        )
        for number, text in enumerate(texts, start=first)
    )


def _ours(qid, step, text, options, *, help_text="", ask_if=None, declinable=False, **kwargs):
    """One of our own ordered questions (wording ours; higher is always worse)."""
    extra = (DECLINE_OPTION,) if declinable else ()
    return Question(
        qid,
        text,
        tuple(options) + extra,
        ordered=True,
        step=step,
        help_text=help_text,
        ask_if=ask_if,
        **kwargs,
    )


# --------------------------------------------------------------------------------------------
# Gates, with their sources (LOC §7). Multi-answer gates look only at earlier steps.
# --------------------------------------------------------------------------------------------

#: AUDIT-C cut-offs: positive at 4 or more for men (sensitivity 86%, specificity 72%) and 3 or
#: more for women (sensitivity 80%, specificity 87%). Bush et al., Arch Intern Med
#: 1998;158:1789-1795; Bradley et al. 2003 for women
#: (https://jamanetwork.com/journals/jamainternalmedicine/fullarticle/215347); cut-offs at
#: https://primarycare.ementalhealth.ca/index.php?ID=58&hideFormatting=1&m=printSurveyScoring.
#: We use the women's cut-off unless the person says they are male: the lower cut-off is the
#: conservative (more sensitive) choice when sex is unknown or not given.
AUDITC_CUTOFF_MEN = 4
AUDITC_CUTOFF_WOMEN = 3

PHQ2_IDS = ("phq9_1", "phq9_2")
GAD2_IDS = ("gad7_1", "gad7_2")
AUDITC_IDS = ("auditc_1", "auditc_2", "auditc_3")

#: PHQ-2 gate on the rest of the PHQ-9: a PHQ-2 total of 2 or more. PHQ-2 = items 1-2 of the
#: PHQ-9 (Kroenke, Spitzer, Williams, Med Care 2003;41:1284-1292). Individual-participant
#: meta-analysis (Levis et al., JAMA 2020;323:2290-2300): for major depression, >= 2 has
#: sensitivity about 0.91 and specificity 0.67; >= 3 about 0.72 and 0.85. Arroll et al., Ann Fam
#: Med 2010;8:348-353 (https://pmc.ncbi.nlm.nih.gov/articles/PMC2906530): >= 2 sensitivity 86%,
#: specificity 78%; >= 3 61% and 92%. A gate must not miss people, so we take the more
#: sensitive >= 2. Item 9 is asked of everyone on the first page, and any item 9 answer above
#: "Not at all" (or "Prefer not to say") also opens the rest of the PHQ-9.
PHQ2_GATE = 2
#: GAD-2 gate on the rest of the GAD-7: a GAD-2 total of 2 or more. GAD-2 = items 1-2 of the
#: GAD-7 (Kroenke et al., Ann Intern Med 2007;146:317-325): >= 3 had sensitivity 0.86 and
#: specificity 0.83 for GAD in the original study; a later meta-analysis (Plummer et al., Gen
#: Hosp Psychiatry 2016;39:24-31) found lower pooled sensitivity at >= 3, so we take the lower,
#: more sensitive >= 2 (LOC §7). The PHQ-2 and GAD-2 together are the PHQ-4 (Kroenke et al.,
#: Psychosomatics 2009;50:613-621), asked together on the first page.
GAD2_GATE = 2

PHQ9_REST_GATE = AnyGate((SumAtLeast(PHQ2_IDS, PHQ2_GATE), SumAtLeast(("phq9_9",), 1)))
GAD7_REST_GATE = SumAtLeast(GAD2_IDS, GAD2_GATE)
#: The PHQ-9's own instruction for its difficulty item: "If you checked off any problems".
MOOD_PROBLEM_GATE = SumAtLeast((*PHQ2_IDS, *GAD2_IDS, "phq9_9"), 1)
#: Withdrawal questions: for people who drink at the (lowest) AUDIT-C positive cut-off, use
#: drugs (the single-question screen) or take sedatives most days. Withdrawal needs regular use
#: of alcohol or sedatives (ASAM dimension 1, LOC §2.1, §7).
SUBSTANCE_USE_GATE = AnyGate(
    (SumAtLeast(AUDITC_IDS, AUDITC_CUTOFF_WOMEN), SumAtLeast(("drug_screen", "sedatives"), 1))
)
#: Any problem reported on an earlier page: the questions about past treatment and readiness
#: follow, as the PHQ-9's difficulty item follows "if you checked off any problems".
PROBLEM_GATE = AnyGate(
    (
        MOOD_PROBLEM_GATE,
        SumAtLeast(
            (
                "cssrs_1",
                "cssrs_2",
                "cssrs_6",
                "harm_gate",
                "unusual_gate",
                "drug_screen",
                "sedatives",
                "eating_gate",
            ),
            1,
        ),
        SumAtLeast(tuple(f"pcptsd5_{n}" for n in range(1, 6)), 1),
        SumAtLeast(AUDITC_IDS, AUDITC_CUTOFF_WOMEN),
    )
)
#: Our own daily-functioning question adds to the PHQ-9 difficulty item only where it can: when
#: that item says "very" or "extremely" difficult (ours separates "falling behind" from "can
#: hardly do any of it"), or when it was not asked but another problem was reported.
DAILY_FUNCTIONING_GATE = AnyGate(
    (AskIf("phq9_difficulty", 2), AllGate((NotAsked("phq9_difficulty"), PROBLEM_GATE)))
)

# --------------------------------------------------------------------------------------------
# Questions, in display order
# --------------------------------------------------------------------------------------------

# PHQ-9: Kroenke, Spitzer, Williams, J Gen Intern Med 2001;16:606-613. Word for word (Pfizer).
_PHQ9_TEXTS = (
    _("Little interest or pleasure in doing things"),
    _("Feeling down, depressed, or hopeless"),
    _("Trouble falling or staying asleep, or sleeping too much"),
    _("Feeling tired or having little energy"),
    _("Poor appetite or overeating"),
    _(
        "Feeling bad about yourself, or that you are a failure or have let yourself or your "
        "family down"
    ),
    _("Trouble concentrating on things, such as reading the newspaper or watching television"),
    _(
        "Moving or speaking so slowly that other people could have noticed? Or the opposite: "
        "being so fidgety or restless that you have been moving around a lot more than usual"
    ),
    _("Thoughts that you would be better off dead or of hurting yourself in some way"),
)
# GAD-7: Spitzer, Kroenke, Williams, Löwe, Arch Intern Med 2006;166:1092-1097. Word for word.
_GAD7_TEXTS = (
    _("Feeling nervous, anxious, or on edge"),
    _("Not being able to stop or control worrying"),
    _("Worrying too much about different things"),
    _("Trouble relaxing"),
    _("Being so restless that it is hard to sit still"),
    _("Becoming easily annoyed or irritable"),
    _("Feeling afraid, as if something awful might happen"),
)

# ---- Page 1, "Right now": PHQ-4 (PHQ-2 + GAD-2), PHQ-9 item 9, the C-SSRS screener, and
# thoughts of harming oneself or someone else (LOC §4.3 point 1: safety answers first).
_PHQ2 = _items("phq9", "now", _PHQ9_TEXTS[:2], FREQUENCY)
_GAD2 = _items("gad7", "now", _GAD7_TEXTS[:2], FREQUENCY)
_PHQ9_ITEM9 = _items("phq9", "now", _PHQ9_TEXTS[8:], FREQUENCY, first=9, declinable=True)

# C-SSRS screener, past month (Posner et al., Am J Psychiatry 2011;168:1266-1277); items 3-5 only
# if item 2 is yes (LOC §3.4).
_CSSRS = (
    _items(
        "cssrs",
        "now",
        (
            _("Have you wished you were dead or wished you could go to sleep and not wake up?"),
            _("Have you actually had any thoughts of killing yourself?"),
        ),
        NO_YES,
        declinable=True,
    )
    + _items(
        "cssrs",
        "now",
        (
            _("Have you been thinking about how you might do this?"),
            _("Have you had these thoughts and had some intention of acting on them?"),
            _(
                "Have you started to work out or worked out the details of how to kill "
                "yourself? Do you intend to carry out this plan?"
            ),
        ),
        NO_YES,
        first=3,
        ask_if=AskIf("cssrs_2"),
        help_texts={
            3: _(
                "For example, you thought about taking an overdose but never made a plan of "
                "when, where or how, and would never go through with it."
            ),
            4: _('As opposed to "I have the thoughts, but I definitely will not do anything".'),
        },
        declinable=True,
    )
    + (
        Question(
            "cssrs_6",
            _(
                "Have you ever done anything, started to do anything, or prepared to do anything "
                "to end your life?"
            ),
            (
                (0, _("No, never")),
                (1, _("Yes, but more than 3 months ago")),
                (2, _("Yes, in the past 3 months")),
                DECLINE_OPTION,
            ),
            ordered=True,
            step="now",
            instrument="cssrs",
            help_text=_(
                "For example: collected pills, got a gun, gave away valuables, wrote a will or "
                "suicide note, took out pills but didn't swallow any, held a gun but changed your "
                "mind or it was grabbed from your hand, went to the roof but didn't jump; or "
                "actually took pills, tried to shoot yourself, cut yourself, or tried to hang "
                "yourself."
            ),
        ),
    )
)

_HARM = (
    _ours(
        "harm_gate",
        "now",
        _(
            "In the past month, have you hurt yourself on purpose, or had thoughts of seriously "
            "hurting or killing someone else?"
        ),
        NO_YES,
        declinable=True,
    ),
    _ours(
        "harm_others",
        "now",
        _("In the past month, have you had thoughts of seriously hurting or killing someone else?"),
        _scale(
            _("No"),
            _("Yes, passing thoughts that I would not act on"),
            _("Yes, and the thoughts are hard to push away"),
            _("Yes, and I have some intention or a plan to act on them"),
        ),
        ask_if=AskIf("harm_gate"),
        declinable=True,
    ),
    _ours(
        "self_harm",
        "now",
        _(
            "In the past month, have you hurt yourself on purpose without wanting to die, for "
            "example by cutting or burning?"
        ),
        _scale(
            _("No"),
            _("Yes, once or twice"),
            _("Yes, many times"),
            _("Yes, and I needed medical care for an injury"),
        ),
        ask_if=AskIf("harm_gate"),
        declinable=True,
    ),
)

# ---- Page 2, "Mood and experiences": the rest of the PHQ-9 and GAD-7 behind their gates, and
# unusual experiences (voices, beliefs, high energy) behind one short gate question.
_PHQ9_REST = _items("phq9", "mood", _PHQ9_TEXTS[2:8], FREQUENCY, first=3, ask_if=PHQ9_REST_GATE) + (
    Question(
        "phq9_difficulty",
        _(
            "If you checked off any problems, how difficult have these problems made it for you "
            "to do your work, take care of things at home, or get along with other people?"
        ),
        (
            (0, _("Not difficult at all")),
            (1, _("Somewhat difficult")),
            (2, _("Very difficult")),
            (3, _("Extremely difficult")),
        ),
        ordered=True,
        step="mood",
        instrument=None,  # unscored: an input to our daily-functioning rating, not to the total
        ask_if=MOOD_PROBLEM_GATE,
    ),
)
_GAD7_REST = _items("gad7", "mood", _GAD7_TEXTS[2:], FREQUENCY, first=3, ask_if=GAD7_REST_GATE)

_UNUSUAL = (
    _ours(
        "unusual_gate",
        "mood",
        _(
            "In the past month, have you had experiences like these: hearing or seeing things "
            "other people could not, believing things others found strange or alarming, or "
            "times of so much energy that you hardly slept?"
        ),
        NO_YES,
    ),
    _ours(
        "voices",
        "mood",
        _(
            "In the past month, have you heard voices or seen things that other people could not "
            "hear or see?"
        ),
        _scale(
            _("No"),
            _("Yes, but they don't bother me much"),
            _("Yes, and they upset me or get in the way"),
            _("Yes, and voices tell me to hurt myself or someone else"),
        ),
        ask_if=AskIf("unusual_gate"),
    ),
    _ours(
        "unusual_beliefs",
        "mood",
        _(
            "In the past month, have you believed things that other people find strange or "
            "alarming, for example that people are plotting against you or can read your "
            "thoughts, or that you have special powers?"
        ),
        _scale(
            _("No"),
            _("Yes, but they don't bother me or anyone else"),
            _("Yes, and they worry me or the people around me"),
        ),
        ask_if=AskIf("unusual_gate"),
    ),
    _ours(
        "psychosis_new",
        "mood",
        _(
            "If you have heard or seen things, or had beliefs like these: did they start in the "
            "past year, or are they getting worse?"
        ),
        _scale(
            _("No, or I have not had them"),
            _("Yes: they are new in the past year, or getting worse"),
        ),
        ask_if=AskIf("unusual_gate"),
    ),
    _ours(
        "high_energy",
        "mood",
        _(
            "In the past month, have you had times of feeling so full of energy or so wound up "
            "that you hardly slept, and other people worried about you?"
        ),
        _scale(
            _("No"),
            _("Yes, but it didn't cause problems"),
            _("Yes, and it caused problems (for example with money, risky choices or arguments)"),
            _("Yes, right now: I can hardly sleep and I can't slow down"),
        ),
        ask_if=AskIf("unusual_gate"),
    ),
    _ours(
        "mania_judgement",
        "mood",
        _(
            "During times like these, have you done risky things (such as spending a lot of "
            "money, risky driving or sex) or acted on beliefs that alarmed the people around you?"
        ),
        _scale(
            _("No, or this doesn't apply to me"),
            _("Yes, and I can see now that it was a problem"),
            _("Yes; people around me are alarmed, but I don't think anything is wrong"),
        ),
        ask_if=AskIf("unusual_gate"),
    ),
)

# ---- Page 3, "Alcohol and drugs".
# AUDIT-C: Bush et al., Arch Intern Med 1998;158:1789-1795. The published skip: item 1 "Never"
# means items 2-3 score 0, so they are asked only of people who drink.
_AUDITC = (
    Question(
        "auditc_1",
        _("How often do you have a drink containing alcohol?"),
        _scale(
            _("Never"),
            _("Monthly or less"),
            _("2 to 4 times a month"),
            _("2 to 3 times a week"),
            _("4 or more times a week"),
        ),
        ordered=True,
        step="substances",
        instrument="auditc",
    ),
    Question(
        "auditc_2",
        _("How many drinks containing alcohol do you have on a typical day when you are drinking?"),
        _scale(_("1 or 2"), _("3 or 4"), _("5 or 6"), _("7 to 9"), _("10 or more")),
        ordered=True,
        step="substances",
        instrument="auditc",
        ask_if=AskIf("auditc_1"),
    ),
    Question(
        "auditc_3",
        _("How often do you have 6 or more drinks on one occasion?"),
        _scale(
            _("Never"),
            _("Less than monthly"),
            _("Monthly"),
            _("Weekly"),
            _("Daily or almost daily"),
        ),
        ordered=True,
        step="substances",
        instrument="auditc",
        ask_if=AskIf("auditc_1"),
    ),
    Question(
        "sex_at_birth",
        _("What sex were you assigned at birth?"),
        _options(SEX_AT_BIRTH),
        step="substances",
        # Asked only of people who drink: it sets the AUDIT-C cut-off and the NIAAA daily
        # limits. Not required: with no answer the lower (women's) cut-off applies.
        required=False,
        ask_if=AskIf("auditc_1"),
        help_text=_(
            "We ask only because the same amount of alcohol affects bodies differently, so the "
            "drinking questions are read a little differently."
        ),
    ),
)

#: The single-question drug screen: Smith, Schmidt, Allensworth-Davies, Saitz, Arch Intern Med
#: 2010;170:1155-1160. "How many times in the past year have you used an illegal drug or used a
#: prescription medication for non-medical reasons?" Any answer of 1 or more is positive (about
#: 100% sensitive and 74% specific for a drug use disorder, LOC §7). A positive answer opens the
#: DAST-10 and the questions about opioids and overdose.
_DRUG_SCREEN = (
    _ours(
        "drug_screen",
        "substances",
        _(
            "How many times in the past year have you used an illegal drug or used a "
            "prescription medication for non-medical reasons?"
        ),
        _scale(_("Never"), _("Once or twice"), _("3 to 11 times"), _("12 times or more")),
        help_text=_(
            "Non-medical reasons means, for example, to get high or to feel a certain way, or "
            "taking more than was prescribed. Do not count alcohol."
        ),
        declinable=True,
        instrument=None,
    ),
)

# DAST-10: Skinner, Addict Behav 1982;7:363-371. © 1982 Harvey A. Skinner, PhD and CAMH; used for
# non-commercial purposes with attribution. Past 12 months, not counting alcohol. Item 3 is reverse
# scored. Asked after a positive single-question screen (Smith et al. 2010).
_DAST10 = _items(
    "dast10",
    "substances",
    (
        _(
            "In the past 12 months, have you used drugs other than those required for medical "
            "reasons?"
        ),
        _("Do you use more than one drug at a time?"),
        _("Are you always able to stop using drugs when you want to?"),
        _('Have you had "blackouts" or "flashbacks" as a result of drug use?'),
        _("Do you ever feel bad or guilty about your drug use?"),
        _("Does your spouse (or parents) ever complain about your involvement with drugs?"),
        _("Have you neglected your family because of your use of drugs?"),
        _("Have you engaged in illegal activities in order to obtain drugs?"),
        _(
            "Have you ever experienced withdrawal symptoms (felt sick) when you stopped taking "
            "drugs?"
        ),
        _(
            "Have you had medical problems as a result of your drug use (for example memory "
            "loss, hepatitis, convulsions, bleeding)?"
        ),
    ),
    NO_YES,
    ask_if=AskIf("drug_screen"),
    reverse=(3,),
    help_texts={
        1: _(
            "Drugs means street drugs, or medicines used in a way a doctor did not prescribe. "
            "Do not count alcohol."
        )
    },
    declinable=True,
)

# Opioids and overdose (LOC §7: medication for opioid use disorder is first line; a recent
# overdose, or return to use after a break, raises the risk of overdose; naloxone).
_OPIOIDS = (
    _ours(
        "opioids",
        "substances",
        _(
            "In the past 12 months, have you used heroin or fentanyl, or taken prescription "
            "pain pills (such as oxycodone, hydrocodone or codeine) in a way a doctor did not "
            "prescribe?"
        ),
        NO_YES,
        ask_if=AskIf("drug_screen"),
        declinable=True,
    ),
    _ours(
        "overdose",
        "substances",
        _(
            "Have you ever overdosed: taken so much of a drug that you passed out, stopped "
            "breathing, or needed naloxone (Narcan) or emergency care?"
        ),
        _scale(_("No, never"), _("Yes, more than 3 months ago"), _("Yes, in the past 3 months")),
        ask_if=AskIf("drug_screen"),
        declinable=True,
    ),
    _ours(
        "sedatives",
        "substances",
        _(
            "Do you take sleeping pills or anxiety pills, such as Xanax, Valium, Klonopin or "
            "Ativan, on most days (prescribed or not)?"
        ),
        NO_YES,
        help_text=_(
            "These medicines (benzodiazepines) are safe to take as prescribed, but stopping "
            "them suddenly can be dangerous. This helps keep you safe."
        ),
    ),
)

# ---- Page 4, "Hard experiences and eating".
# PC-PTSD-5: Prins et al., J Gen Intern Med 2016;31:1206-1211. Items only after a "yes" to the
# trauma-exposure gate (the published screen).
_PCPTSD5 = (
    Question(
        "pcptsd5_gate",
        _(
            "Sometimes things happen to people that are unusually or especially frightening, "
            "horrible, or traumatic. For example: a serious accident or fire; a physical or "
            "sexual assault or abuse; an earthquake or flood; a war; seeing someone be killed or "
            "seriously injured; having a loved one die through homicide or suicide. Have you ever "
            "experienced this kind of event?"
        ),
        NO_YES + (DECLINE_OPTION,),
        ordered=True,
        step="trauma_eating",
        instrument="pcptsd5",
    ),
) + _items(
    "pcptsd5",
    "trauma_eating",
    (
        _(
            "In the past month, have you had nightmares about the event(s) or thought about the "
            "event(s) when you did not want to?"
        ),
        _(
            "In the past month, have you tried hard not to think about the event(s) or went out "
            "of your way to avoid situations that reminded you of the event(s)?"
        ),
        _("In the past month, have you been constantly on guard, watchful, or easily startled?"),
        _(
            "In the past month, have you felt numb or detached from people, activities, or your "
            "surroundings?"
        ),
        _(
            "In the past month, have you felt guilty or unable to stop blaming yourself or others "
            "for the event(s) or any problems the event(s) may have caused?"
        ),
    ),
    NO_YES,
    ask_if=AskIf("pcptsd5_gate"),
    declinable=True,
)

# Eating: our own short gate question (the SCOFF has no published gate; this one names the
# topics of all five SCOFF items, so a person with any of them can say yes), then the SCOFF
# (Morgan, Reid, Lacey, BMJ 1999;319:1467; paraphrased in our own words, licence unknown) and
# our question on the medical signs (LOC §7: MEED, Royal College of Psychiatrists 2022).
_EATING = (
    _ours(
        "eating_gate",
        "trauma_eating",
        _(
            "In the past few months, have eating, weight or body shape been a worry for you: for "
            "example making yourself sick, feeling you can't control how much you eat, losing a "
            "lot of weight, or food taking over your life?"
        ),
        NO_YES,
        declinable=True,
    ),
    *_items(
        "scoff",
        "trauma_eating",
        (
            _("Do you make yourself throw up because you feel uncomfortably full?"),
            _("Do you worry that you can't control how much you eat?"),
            _("Have you lost more than 14 pounds (about 6 kg) in the last 3 months?"),
            _("Do you think you are fat when other people say you are too thin?"),
            _("Would you say that food rules your life?"),
        ),
        NO_YES,
        ask_if=AskIf("eating_gate"),
        declinable=True,
    ),
    _ours(
        "ed_medical",
        "trauma_eating",
        _(
            "In the past month, because of eating very little, throwing up, or other ways of "
            "controlling your weight, has any of this happened?"
        ),
        _scale(
            _("No, or this doesn't apply to me"),
            _("I often feel dizzy or weak"),
            _("I have lost a lot of weight very fast"),
            _("I have fainted, or my heart has raced, pounded or skipped beats"),
        ),
        help_text=_("If more than one is true, choose the one lowest in the list."),
        ask_if=AskIf("eating_gate"),
    ),
)

# ---- Page 5, "Daily life". Our own questions (wording ours; topics from LOC §1.2 and §4.3).
_DAILY_LIFE = (
    _ours(
        "daily_functioning",
        "daily_life",
        _(
            "In the past 2 weeks, how much have your feelings, worries or habits got in the way "
            "of work, school or jobs at home?"
        ),
        _scale(
            # "How much": not the PHQ's "Not at all" (over days), which Spanish words differently.
            pgettext_lazy("how much", "Not at all"),
            _("A little: I still get most things done"),
            _("A lot: I am falling behind or missing days"),
            _("I can hardly do any of it"),
        ),
        ask_if=DAILY_FUNCTIONING_GATE,
    ),
    _ours(
        "self_care",
        "daily_life",
        _(
            "In the past week, how well have you been able to look after yourself: eating, "
            "washing and getting out of bed?"
        ),
        _scale(
            _("As well as usual"),
            _("Mostly, with some hard days"),
            _("Often I can't manage these"),
            _("I can hardly do them, or someone has to help me"),
        ),
    ),
    _ours(
        "home_support",
        "daily_life",
        _("Is there someone in your life, at home or close by, you can count on for support?"),
        _scale(
            _("Yes, more than one person"),
            _("Yes, one person"),
            _("Only sometimes"),
            _("No, there is no one right now"),
        ),
    ),
    _ours(
        "home_safety",
        "daily_life",
        _("Do you feel safe where you live, including at night?"),
        _scale(
            _("Yes, I feel safe there"),
            _("Mostly, but there is a lot of stress or arguing"),
            _("Not always: someone there hurts, threatens or scares me"),
            _("No, I am not safe there, or I have no safe place to stay tonight"),
        ),
    ),
    _ours(
        "medical_problems",
        "daily_life",
        _("Do you have problems with your physical health that make life harder right now?"),
        _scale(
            _("No"),
            _("Yes, but they are under control"),
            _("Yes, and they get in the way or need more care"),
            _("Yes, a serious problem that needs a doctor soon"),
        ),
    ),
    _ours(
        "withdrawal_history",
        "daily_life",
        _(
            "Have you ever had a seizure (fit), or become very confused and seen or heard things "
            "(sometimes called the DTs), after stopping or cutting down alcohol, sleeping pills, "
            "or anxiety pills like Xanax or Valium?"
        ),
        NO_YES,
        help_text=_(
            "Stopping these suddenly can be dangerous for some people. This helps keep you safe."
        ),
        ask_if=SUBSTANCE_USE_GATE,
    ),
    _ours(
        "withdrawal_now",
        "daily_life",
        _(
            "When you go without alcohol, sleeping pills or anxiety pills for a while, how does "
            "your body react?"
        ),
        _scale(
            _("Fine, or I don't use these"),
            _("I get a little shaky or sweaty"),
            _(
                "I get bad shakes, sweats or a racing heart, or I drink or take pills in the "
                "morning to stop this"
            ),
            _(
                "Right now, after stopping, I am very confused, seeing or hearing things, or "
                "have had a seizure"
            ),
        ),
        ask_if=SUBSTANCE_USE_GATE,
    ),
    _ours(
        "past_treatment",
        "daily_life",
        _(
            "Have you had help before for your mental health or for alcohol or drugs, such as "
            "therapy, medicine, a program, an emergency room visit or a hospital stay? How did "
            "it go?"
        ),
        _scale(
            _("No, this would be my first time"),
            _("Yes, and it helped a lot"),
            _("Yes, and it helped some"),
            _("Yes, but it did not help much"),
            _("Yes, but it did not help at all, or I got worse"),
        ),
        ask_if=PROBLEM_GATE,
    ),
    _ours(
        "recent_crisis_care",
        "daily_life",
        _(
            "In the past 6 months, how many times have you gone to an emergency room, or stayed "
            "in a hospital, for your mental health or for alcohol or drugs?"
        ),
        _scale(_("None"), _("Once"), _("Twice"), _("3 times or more")),
        ask_if=AskIf("past_treatment"),
    ),
    _ours(
        "engagement",
        "daily_life",
        _("How ready do you feel to take part in treatment right now?"),
        _scale(
            _("Ready: I want help"),
            _("Mostly ready, but a bit unsure"),
            _("Unsure"),
            _("Not really: someone else wants me to go"),
            _("Not ready: I don't want help right now"),
        ),
        ask_if=PROBLEM_GATE,
    ),
)

# ---- Page 6, "Fit to your life": preferences for the program search, after the clinical part.
_FIT = (
    Question(
        "zip_code",
        _("What is your ZIP code?"),
        step="fit",
        kind="text",
        help_text=_("5 digits. We use it only to find programs near you."),
    ),
    Question(
        "insurance",
        _("How would you pay for care?"),
        _options(vocab.INSURANCE_ANSWERS),
        step="fit",
    ),
    Question(
        "age_group",
        _("How old is the person who needs care?"),
        _options(vocab.AGE_GROUPS),
        step="fit",
    ),
    Question(
        "respondent",
        _("Who are you filling this in for?"),
        _options(RESPONDENTS),
        step="fit",
        required=False,
        help_text=_("Leave blank if it is for yourself."),
    ),
    Question(
        "modality",
        _("How would you like to take part?"),
        _options(vocab.MODALITIES),
        step="fit",
        required=False,
        help_text=_("Leave blank if either way could work."),
    ),
    Question(
        "language",
        _("What language would you like your care in?"),
        _options(vocab.LANGUAGES),
        step="fit",
        required=False,
        help_text=_("Leave blank if English is fine."),
    ),
    Question(
        "days",
        _("Which days could you attend?"),
        _options(vocab.WEEKDAYS),
        step="fit",
        kind="multi",
        required=False,
        help_text=_("Choose all that apply. Leave blank if any day could work."),
    ),
    Question(
        "times",
        _("What times of day could you attend?"),
        _options(vocab.TIMES_OF_DAY),
        step="fit",
        kind="multi",
        required=False,
        help_text=_("Choose all that apply. Leave blank if any time could work."),
    ),
    Question(
        "hours_available",
        _("About how many hours a week could you spend in treatment?"),
        _options(HOURS_AVAILABLE),
        step="fit",
        required=False,
        help_text=_(
            "Intensive programs usually take 9 or more hours a week; day programs about 20."
        ),
    ),
    Question(
        "transport",
        _("How easy is it for you to get to appointments a few times a week?"),
        _options(TRANSPORT),
        step="fit",
        required=False,
        help_text=_("If it is hard, many programs also meet by video."),
    ),
)

QUESTIONS: tuple[Question, ...] = (
    _PHQ2
    + _GAD2
    + _PHQ9_ITEM9
    + _CSSRS
    + _HARM
    + _PHQ9_REST
    + _GAD7_REST
    + _UNUSUAL
    + _AUDITC
    + _DRUG_SCREEN
    + _DAST10
    + _OPIOIDS
    + _PCPTSD5
    + _EATING
    + _DAILY_LIFE
    + _FIT
)
QUESTIONS_BY_ID: dict[str, Question] = {question.id: question for question in QUESTIONS}

#: Ids of the "daily life" step's questions.
DAILY_LIFE_IDS: tuple[str, ...] = tuple(question.id for question in _DAILY_LIFE)

_BY_STEP: dict[str, tuple[Question, ...]] = {
    step.id: tuple(q for q in QUESTIONS if q.step == step.id) for step in STEPS
}
QUESTION_NUMBERS: dict[str, int] = {
    question.id: number
    for questions in _BY_STEP.values()
    for number, question in enumerate(questions, start=1)
}


def questions_for_step(step_id: str) -> tuple[Question, ...]:
    """The questions of one step, in display order (KeyError for an unknown step)."""
    return _BY_STEP[step_id]


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

_INT = re.compile(r"^-?[0-9]{1,9}$")


def _as_int(raw) -> int | None:
    """``raw`` as an int if it is one or a numeric string, else None. Never raises."""
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, int):
        return raw
    # ASCII digits only, and short: str.isdigit() is also true for "²" (which int() refuses),
    # "--1" would pass a lstrip("-") check, and int() refuses more than 4,300 digits.
    if isinstance(raw, str) and _INT.match(raw.strip()):
        return int(raw.strip())
    return None


def _is_blank(raw) -> bool:
    return raw is None or raw == "" or (isinstance(raw, list | tuple | set) and not raw)


def _invalid(question: Question, raw) -> AnswerError:
    return AnswerError(
        question.id,
        f"{raw!r} is not one of the answers {list(question.values)!r}",
        format_lazy(
            _("Please choose one of the answers shown for question {number}."),
            number=question.number,
        ),
    )


def _missing(question: Question) -> AnswerError:
    if question.kind == "multi":
        message = _("Please choose at least one answer for question {number}.")
    elif question.kind == "text":
        message = _("Please fill in question {number}.")
    else:
        message = _("Please choose an answer to question {number}.")
    return AnswerError(question.id, "missing answer", format_lazy(message, number=question.number))


def clean_answer(question: Question, raw, answers: Mapping[str, Any], *, required=None):
    """One answer, normalised, or AnswerError.

    Blank answers: an error if the question is required (``required`` overrides
    ``question.required``) and skip logic asks it; otherwise its least severe value. A given
    answer is validated and kept whether or not skip logic asked for it.
    """
    if question.ordered and type(raw) is int and raw in question.values:
        return raw  # the common case, already clean
    if _is_blank(raw):
        needed = question.required if required is None else required
        if needed and question.is_asked(answers):
            raise _missing(question)
        return question.least_severe
    if question.ordered:
        if raw == DECLINED and question.declinable:
            return DECLINED
        value = _as_int(raw)
        if value is None or value not in question.scale:
            raise _invalid(question, raw)
        return value
    if question.kind == "multi":
        if not isinstance(raw, str | list | tuple | set | frozenset):
            raise _invalid(question, raw)
        chosen = [raw] if isinstance(raw, str) else list(raw)
        unknown = [code for code in chosen if code not in question.values]
        if unknown:
            raise _invalid(question, unknown)
        return [code for code in question.values if code in chosen]
    if question.kind == "text":
        text = str(raw).strip()
        if question.id == "zip_code":
            try:
                return geo.clean_zip(text, must_exist=False)
            except ValidationError:
                raise AnswerError(
                    question.id, f"{raw!r} is not a 5-digit ZIP code", geo.ZIP_FORMAT_MESSAGE
                ) from None
        return text
    if not isinstance(raw, str) or raw not in question.values:
        raise _invalid(question, raw)
    return raw


def validate_answers(answers: Mapping[str, Any]) -> dict:
    """Every question's answer, normalised: ints for ordered questions (numeric strings are
    accepted), codes for choices, lists for multi-selects.

    Raises AnswerError naming the first question (in display order) whose answer is impossible,
    or a required clinical question that skip logic asked and that has no answer. Unasked,
    unanswered questions get their least severe value. Preferences ("About you") are validated
    when given but may be missing here: the web layer enforces them per step
    (:func:`validate_step`). Keys that are not question ids are ignored.
    """
    return {
        question.id: clean_answer(
            question,
            answers.get(question.id),
            answers,
            required=question.required and question.clinical,
        )
        for question in QUESTIONS
    }


def lenient_answers(answers: Mapping[str, Any]) -> dict:
    """Like :func:`validate_answers`, but never raises: a missing or impossible answer counts as
    the least severe value. For live checks while the person is still answering."""
    cleaned = {}
    for question in QUESTIONS:
        try:
            cleaned[question.id] = clean_answer(
                question, answers.get(question.id), answers, required=False
            )
        except AnswerError:
            cleaned[question.id] = question.least_severe
    return cleaned


def validate_step(step_id: str, data: Mapping[str, Any], prior_answers=None):
    """Validate one step of the web form: ``(cleaned, errors)``.

    ``errors`` maps question id to a plain-words message (lazy, translated), e.g. "Please choose
    an answer to question 3.". Skip logic sees ``prior_answers`` (earlier steps) together with
    ``data``. Unasked, unanswered questions are cleaned to their least severe value.
    """
    context = {**(prior_answers or {}), **data}
    cleaned, errors = {}, {}
    for question in questions_for_step(step_id):
        try:
            cleaned[question.id] = clean_answer(question, data.get(question.id), context)
        except AnswerError as error:
            errors[question.id] = error.user_message
    return cleaned, errors


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    """The short screen in front of an instrument: when ``gate`` is closed, the rest of the
    instrument is not asked and the instrument is recorded as screened negative, with the
    screen's own score (``item_ids``, out of ``max_total``). ``asked_anyway`` are the
    instrument's own items that everyone is asked (PHQ-2 and item 9 of the PHQ-9)."""

    name: str
    item_ids: tuple[str, ...]
    gate: Callable[[Mapping[str, Any]], bool]
    max_total: int
    asked_anyway: tuple[str, ...] = ()
    #: The published scoring sets the rest to 0 when the screen is negative (PC-PTSD-5: only
    #: people who report a traumatic event are scored), so answers given anyway do not count.
    zero_when_closed: bool = False
    #: Why the rest was not asked, in words for staff (the gate and its source).
    why: Any = ""


#: Band of an instrument that was not asked beyond its screen, and of one with too many
#: declined items to score.
SCREENED_NEGATIVE = "screened_negative"
INCOMPLETE = "incomplete"


def prorate(points: int, items: int, answered: int) -> int:
    """``points`` from ``answered`` of ``items`` scaled to all items, rounded half up (ints
    only, so it is exact): ``points * items / answered``."""
    return (2 * points * items + answered) // (2 * answered)


@dataclass(frozen=True)
class Scale:
    """A sum-of-items screener: its items, its bands (ascending) and its positive cut-off.

    ``max_missing``: how many declined items the published prorating rule allows (0: none, any
    declined item makes it incomplete). ``screen``: the short screen that gates the rest.
    """

    instrument: str
    item_ids: tuple[str, ...]
    bands: tuple[Band, ...]
    positive_at: int
    max_missing: int = 0
    screen: Screen | None = None

    @cached_property
    def max_total(self) -> int:
        return sum(max(QUESTIONS_BY_ID[qid].scale) for qid in self.item_ids)

    def band_for(self, total: int) -> Band:
        return [band for band in self.bands if total >= band.minimum][-1]

    def score(self, answers: Mapping[str, Any]) -> Score:
        """Score the instrument from (validated or partial) answers.

        The written rule for declined items ("Prefer not to say"), enforced here and tested:

        * none declined: the published total;
        * up to ``max_missing`` declined: the prorated total (:func:`prorate`), status
          "prorated";
        * more: status "incomplete", no total. For the rules, ``at_least`` is the sum of the
          answered items prorated as if only ``max_missing`` were missing: never below what the
          same answers with the declined items at their least severe value would give, so a
          "Prefer not to say" never lowers a level (and is never read as negative);
        * the screen in front was negative: status "screened_negative", no total, the screen
          score kept (answers given to the skipped items anyway still count in ``at_least``).
        """
        values = {
            qid: clean_answer(QUESTIONS_BY_ID[qid], answers.get(qid), answers, required=False)
            for qid in self.item_ids
        }
        points = {qid: value for qid, value in values.items() if value != DECLINED}
        declined = tuple(qid for qid, value in values.items() if value == DECLINED)
        given = sum(points.values())
        screened = self._screened(answers, points)
        if screened is not None:
            return screened
        items, missing = len(self.item_ids), len(declined)
        if missing == 0:
            return self._scored(given, "complete", items, declined, given)
        if missing <= self.max_missing:
            total = prorate(given, items, items - missing)
            return self._scored(total, "prorated", items - missing, declined, total)
        floor = prorate(given, items, items - self.max_missing)
        return Score(
            self.instrument,
            None,
            self.max_total,
            INCOMPLETE,
            _("Not enough answers to score: a professional will ask about this"),
            floor >= self.positive_at,
            status="incomplete",
            at_least=floor,
            answered=items - missing,
            missing=declined,
        )

    def _scored(self, total, status, answered, declined, at_least) -> Score:
        band = self.band_for(total)
        return Score(
            self.instrument,
            total,
            self.max_total,
            band.code,
            band.label,
            total >= self.positive_at,
            status=status,
            at_least=at_least,
            answered=answered,
            missing=declined,
        )

    def _screened(self, answers, points) -> Score | None:
        """The screened-negative score, or None when the rest of the instrument applies."""
        screen = self.screen
        if screen is None or screen.gate(answers):
            return None
        skipped = [qid for qid in self.item_ids if qid not in screen.asked_anyway]
        if screen.zero_when_closed:
            points = {qid: value for qid, value in points.items() if qid not in skipped}
            points.update(dict.fromkeys(skipped, 0))
        elif any(points.get(qid, 0) > 0 for qid in skipped):
            return None  # answered anyway: it counts (see the module docstring)
        screen_values = [
            clean_answer(QUESTIONS_BY_ID[qid], answers.get(qid), answers, required=False)
            for qid in screen.item_ids
        ]
        if len(points) < len(self.item_ids):
            return None  # an item declined anyway: scored below (incomplete or prorated)
        if DECLINED in screen_values:
            # A declined screen is not a negative screen: the instrument is incomplete.
            return Score(
                self.instrument,
                None,
                self.max_total,
                INCOMPLETE,
                _("Not enough answers to score: a professional will ask about this"),
                False,
                status="incomplete",
                at_least=sum(points.values()),
                answered=0,
                missing=tuple(
                    qid
                    for qid, value in zip(screen.item_ids, screen_values, strict=True)
                    if value == DECLINED
                ),
            )
        screen_total = sum(screen_values)
        return Score(
            self.instrument,
            None,
            self.max_total,
            SCREENED_NEGATIVE,
            format_lazy(
                _("Screened negative on the {screen} ({total} of {max_total}): not asked further"),
                screen=screen.name,
                total=screen_total,
                max_total=screen.max_total,
            ),
            False,
            status="screened_negative",
            at_least=sum(points.values()),
            answered=len(screen.asked_anyway),
            screen_name=screen.name,
            screen_total=screen_total,
            screen_max=screen.max_total,
        )


def _item_ids(instrument: str) -> tuple[str, ...]:
    """An instrument's numbered items, in item order (not display order)."""
    ids = [q.id for q in QUESTIONS if q.instrument == instrument and q.id[-1].isdigit()]
    return tuple(sorted(ids, key=lambda qid: int(qid.rsplit("_", 1)[1])))


def _clean_items(item_ids, answers: Mapping[str, Any]) -> dict[str, Any]:
    return {qid: clean_answer(QUESTIONS_BY_ID[qid], answers.get(qid), answers) for qid in item_ids}


#: Prorating (our written rule; LOC §7 "some validation studies prorate PHQ-9 with one or two
#: missing items"): the PHQ-9 is prorated with up to 2 of its 9 items declined and the GAD-7 with
#: up to 1 of 7 (no more than about a fifth of the items), as the PHQ/GAD-7 instruction manual
#: (Pfizer) is usually cited for; the manual's exact wording is UNVERIFIED here. More missing
#: items: incomplete. The other screeners have no published prorating rule: one declined item
#: makes them incomplete.
PHQ9_MAX_MISSING = 2
GAD7_MAX_MISSING = 1


#: PHQ-9 severity: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe;
#: a total of 10 or more is the screening cut-off (sensitivity 88%, specificity 88% for major
#: depression). Kroenke, Spitzer, Williams, J Gen Intern Med 2001;16:606-613
#: (https://studylib.net/doc/25788761/kroenke2001-article-thephq-9); bands as published at
#: http://www.ementalhealth.ca/index.php?m=printSurveyScoring&hideFormatting=1&ID=42
PHQ9 = Scale(
    "phq9",
    _item_ids("phq9"),
    (
        Band(0, "minimal", _("Few or no signs of low mood")),
        Band(5, "mild", _("Mild low mood")),
        Band(10, "moderate", _("Moderate low mood")),
        Band(15, "moderately_severe", _("Quite severe low mood")),
        Band(20, "severe", _("Severe low mood")),
    ),
    positive_at=10,
    max_missing=PHQ9_MAX_MISSING,
    screen=Screen(
        "PHQ-2",
        PHQ2_IDS,
        PHQ9_REST_GATE,
        6,
        asked_anyway=(*PHQ2_IDS, "phq9_9"),
        why=_(
            "Items 3-8 are asked from a PHQ-2 score of 2 (Levis et al. 2020), or after any "
            'answer above "Not at all" to item 9, which everyone is asked.'
        ),
    ),
)

#: GAD-7 severity: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe; 10 or more is the
#: screening cut-off (sensitivity 89%, specificity 82% for GAD). Spitzer, Kroenke, Williams,
#: Löwe, Arch Intern Med 2006;166:1092-1097
#: (https://www.researchgate.net/publication/7064924_A_Brief_Measure_for_Assessing_Generalized_Anxiety_Disorder_The_GAD-7).
GAD7 = Scale(
    "gad7",
    _item_ids("gad7"),
    (
        Band(0, "minimal", _("Few or no signs of anxiety")),
        Band(5, "mild", _("Mild anxiety")),
        Band(10, "moderate", _("Moderate anxiety")),
        Band(15, "severe", _("Severe anxiety")),
    ),
    positive_at=10,
    max_missing=GAD7_MAX_MISSING,
    screen=Screen(
        "GAD-2",
        GAD2_IDS,
        GAD7_REST_GATE,
        6,
        asked_anyway=GAD2_IDS,
        why=_("Items 3-7 are asked from a GAD-2 score of 2 (Kroenke et al. 2007; Plummer 2016)."),
    ),
)

#: AUDIT-C cut-offs: :data:`AUDITC_CUTOFF_MEN` and :data:`AUDITC_CUTOFF_WOMEN` (above).
#: "High" from 8: risk rises steeply across 1-12 (Rubinsky et al., Alcohol Clin Exp Res,
#: https://dokumen.tips/document/audit-c-scores-as-a-scaled-marker-of-mean-daily-drinking-alcohol-use-disorder-severity.html);
#: an 8-12 tier is common in health systems, but its primary source is UNVERIFIED (LOC §3.1).
AUDITC_HIGH = 8


def _auditc_scale(cutoff: int) -> Scale:
    return Scale(
        "auditc",
        _item_ids("auditc"),
        (
            Band(0, "negative", _("Lower-risk drinking")),
            Band(cutoff, "positive", _("Drinking that may be harming your health")),
            Band(AUDITC_HIGH, "high", _("Heavy drinking that is likely harming your health")),
        ),
        positive_at=cutoff,
    )


AUDITC_MEN = _auditc_scale(AUDITC_CUTOFF_MEN)
AUDITC_WOMEN = _auditc_scale(AUDITC_CUTOFF_WOMEN)

#: DAST-10 bands: 0 none, 1-2 low, 3-5 moderate, 6-8 substantial, 9-10 severe. Skinner, Addict
#: Behav 1982;7:363-371; scoring and bands at
#: https://comorbidityguidelines.org.au/appendix-w-drug-abuse-screening-test-dast10/dast10-scoring-and-interpretation
#: We call 3 or more "positive": the moderate band, where further assessment is advised.
DAST10 = Scale(
    "dast10",
    _item_ids("dast10"),
    (
        Band(0, "none", _("No drug problems reported")),
        Band(1, "low", _("A low level of drug problems")),
        Band(3, "moderate", _("A moderate level of drug problems")),
        Band(6, "substantial", _("A substantial level of drug problems")),
        Band(9, "severe", _("A severe level of drug problems")),
    ),
    positive_at=3,
    screen=Screen(
        "single drug-use question",
        ("drug_screen",),
        AskIf("drug_screen"),
        3,
        why=_("Asked after any drug use in the past year (Smith et al. 2010)."),
    ),
)

#: PC-PTSD-5: positive at 3 or more. Prins et al., J Gen Intern Med 2016;31:1206-1211
#: (https://pmc.ncbi.nlm.nih.gov/articles/PMC5023594); cut-points at
#: https://istss.org/clinical-resources/adult-trauma-assessments/primary-care-ptsd-screen-for-dsm-5/
#: 3 is the "optimally sensitive" cut-point and 4 the "optimally efficient" one (Bovin et al.,
#: JAMA Netw Open 2021, https://pmc.ncbi.nlm.nih.gov/articles/PMC7862990, which also suggests 3
#: for women). We use 3: in a safety-first screen a missed case costs more than a false alarm.
PCPTSD5 = Scale(
    "pcptsd5",
    _item_ids("pcptsd5"),
    (
        Band(0, "negative", _("Few signs of stress after a hard experience")),
        Band(3, "positive", _("Signs of stress after a hard experience, worth talking about")),
    ),
    positive_at=3,
    screen=Screen(
        "trauma question",
        ("pcptsd5_gate",),
        AskIf("pcptsd5_gate"),
        1,
        zero_when_closed=True,
        why=_("Asked only after a traumatic event (the published PC-PTSD-5 screen)."),
    ),
)

#: SCOFF: 2 or more "yes" answers raise suspicion of anorexia or bulimia (sensitivity 100%, false
#: positives 12.5% in the original sample). Morgan, Reid, Lacey, BMJ 1999;319:1467
#: (https://www.bmj.com/content/319/7223/1467.full).
SCOFF = Scale(
    "scoff",
    _item_ids("scoff"),
    (
        Band(0, "negative", _("No signs of an eating problem")),
        Band(2, "positive", _("Signs of an eating problem, worth checking")),
    ),
    positive_at=2,
    screen=Screen(
        "eating question",
        ("eating_gate",),
        AskIf("eating_gate"),
        1,
        why=_('Asked after a "yes" to our question about worries with eating or weight.'),
    ),
)


def score_phq9(answers: Mapping[str, Any]) -> Score:
    """PHQ-9 total (0-27) and severity band; see :data:`PHQ9` for cut-offs and source, and
    :data:`PHQ2_GATE` for the screen in front of it."""
    return PHQ9.score(answers)


def phq9_item9_positive(answers: Mapping[str, Any]) -> bool:
    """Item 9 (thoughts of being better off dead or of self-harm) above 0, or declined: a
    gateway to the C-SSRS and crisis resources, not an emergency on its own. Simon et al.,
    Psychiatr Serv 2013;64:1195-1202 (https://pubmed.ncbi.nlm.nih.gov/24036589/); LOC §3.2,
    §4.2. A refusal to answer counts as positive, as in the NIMH ASQ (LOC §4.2)."""
    value = _clean_items(("phq9_9",), answers)["phq9_9"]
    return value == DECLINED or value > 0


def score_gad7(answers: Mapping[str, Any]) -> Score:
    """GAD-7 total (0-21) and severity band; see :data:`GAD7` for cut-offs and source, and
    :data:`GAD2_GATE` for the screen in front of it."""
    return GAD7.score(answers)


def auditc_scale_for(sex_at_birth) -> Scale:
    """The men's scale only for "male"; the (lower) women's cut-off otherwise, including when
    the answer is missing or "rather not say" (the conservative choice)."""
    return AUDITC_MEN if sex_at_birth == "male" else AUDITC_WOMEN


def score_auditc(answers: Mapping[str, Any]) -> Score:
    """AUDIT-C total (0-12), sex-specific cut-off; see :data:`AUDITC_CUTOFF_MEN`. Item 1
    "Never" scores items 2-3 as 0 (the published skip)."""
    sex = clean_answer(QUESTIONS_BY_ID["sex_at_birth"], answers.get("sex_at_birth"), answers)
    return auditc_scale_for(sex).score(answers)


def score_dast10(answers: Mapping[str, Any]) -> Score:
    """DAST-10 total (0-10; item 3 reverse-scored, stored as points); see :data:`DAST10`.
    Screened negative when the single drug-use question (Smith et al. 2010) says "Never"."""
    return DAST10.score(answers)


def score_pcptsd5(answers: Mapping[str, Any]) -> Score:
    """PC-PTSD-5 total (0-5); see :data:`PCPTSD5`. The published screen scores only people who
    report a traumatic event, so a "no" to the gate question means screened negative."""
    return PCPTSD5.score(answers)


def score_scoff(answers: Mapping[str, Any]) -> Score:
    """SCOFF total (0-5); see :data:`SCOFF`. Screened negative after a "no" to our eating
    question in front of it."""
    return SCOFF.score(answers)


# C-SSRS screener triage (LOC §3.4): Columbia's most worrisome answers are a yes to item 4 or 5
# (past month) or any suicidal behaviour in the past 3 months; tiers as in the screener scoring
# guide. Sources: https://cssrs.columbia.edu/the-columbia-scale-c-ssrs/triage-c-ssrs/ ;
# https://help.blueprint-health.com/en/articles/5208202-columbia-suicide-severity-rating-scale-screen-c-ssrs-screen
CSSRS_IDS = tuple(f"cssrs_{n}" for n in range(1, 7))
CSSRS_BANDS = {
    "none": _("No thoughts of suicide reported"),
    "low": _("Some thoughts of death or suicide: worth talking about soon"),
    "moderate": _("Thoughts of suicide that need a talk with a professional soon"),
    "high": _("Suicide risk that needs help right now"),
}


def cssrs_tier_of(values: Mapping[str, Any]) -> str:
    """The triage tier of cleaned C-SSRS values:

    * high: item 4 or 5 yes, or item 6 within the past 3 months;
    * moderate: item 3 yes, or item 6 more than 3 months ago;
    * low: item 1 and/or 2 yes only;
    * none: otherwise.

    Lifetime behaviour more than 3 months ago is moderate, not high (a pitfall seen in public
    code, LOC §3.4). A declined item counts as "no" here (the tier is a lower bound); the
    rules treat any declined suicide question as a positive screen (NIMH ASQ, LOC §4.2).
    """
    v = {qid: (0 if value == DECLINED else value) for qid, value in values.items()}
    if v["cssrs_4"] or v["cssrs_5"] or v["cssrs_6"] >= 2:
        return "high"
    if v["cssrs_3"] or v["cssrs_6"] >= 1:
        return "moderate"
    if v["cssrs_1"] or v["cssrs_2"]:
        return "low"
    return "none"


def cssrs_risk(answers: Mapping[str, Any]) -> str:
    """The C-SSRS screener tier: "none", "low", "moderate" or "high" (see :func:`cssrs_tier_of`)."""
    return cssrs_tier_of(_clean_items(CSSRS_IDS, answers))


def score_cssrs(answers: Mapping[str, Any]) -> Score:
    """The C-SSRS screener has no published total: ``total`` counts the yes answers (item 6 at
    any time counts once), ``band`` is the triage tier, positive for any tier but "none" and
    for any declined item (a refusal to answer is a positive screen, NIMH ASQ, LOC §4.2)."""
    values = {
        qid: clean_answer(QUESTIONS_BY_ID[qid], answers.get(qid), answers, required=False)
        for qid in CSSRS_IDS
    }
    tier = cssrs_tier_of(values)
    declined = tuple(qid for qid in CSSRS_IDS if values[qid] == DECLINED)
    total = sum(1 for qid in CSSRS_IDS if values[qid] != DECLINED and values[qid] > 0)
    return Score(
        "cssrs",
        total,
        len(CSSRS_IDS),
        tier,
        CSSRS_BANDS[tier],
        tier != "none" or bool(declined),
        status="incomplete" if declined else "complete",
        at_least=total,
        answered=len(CSSRS_IDS) - len(declined),
        missing=declined,
    )


#: The scales with a screen in front of them, by instrument id.
SCALES: dict[str, Scale] = {}  # filled below, once the scales exist

SCORERS: dict[str, Callable[[Mapping[str, Any]], Score]] = {
    "phq9": score_phq9,
    "gad7": score_gad7,
    "cssrs": score_cssrs,
    "auditc": score_auditc,
    "dast10": score_dast10,
    "pcptsd5": score_pcptsd5,
    "scoff": score_scoff,
}

INSTRUMENT_NAMES = {
    "phq9": "PHQ-9",
    "gad7": "GAD-7",
    "cssrs": "C-SSRS screener",
    "auditc": "AUDIT-C",
    "dast10": "DAST-10",
    "pcptsd5": "PC-PTSD-5",
    "scoff": "SCOFF",
}


def score_all(answers: Mapping[str, Any]) -> dict[str, Score]:
    """Every instrument's score, keyed by instrument id, in display order."""
    return {instrument: scorer(answers) for instrument, scorer in SCORERS.items()}


SCALES.update({"phq9": PHQ9, "gad7": GAD7, "dast10": DAST10, "pcptsd5": PCPTSD5, "scoff": SCOFF})
