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

Skip logic
    ``Question.ask_if`` says whether a question is asked given the answers so far. A question that
    was not asked and has no answer counts as its least severe value. An answer that *was* given
    to a question skip logic would not have asked is kept, never dropped: for safety, a "yes" to a
    suicide question counts however it got there.

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

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from programs import vocab

# --------------------------------------------------------------------------------------------
# Data types
# --------------------------------------------------------------------------------------------

KINDS = ("choice", "multi", "text")


@dataclass(frozen=True)
class AskIf:
    """Skip logic: ask a question only when an earlier ordered answer is at least ``at_least``.

    A callable (``ask_if(answers) -> bool``) that also says what it depends on, so the web layer
    can show and hide the question in the browser (``data-ask-if`` attributes).
    """

    question_id: str
    at_least: int = 1

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        value = _as_int(answers.get(self.question_id))
        return value is not None and value >= self.at_least


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


@dataclass(frozen=True)
class Score:
    instrument: str
    total: int
    max_total: int
    band: str
    band_label: Any
    positive: bool

    def to_dict(self) -> dict:
        return {
            "total": self.total,
            "max_total": self.max_total,
            "band": self.band,
            "band_label": str(self.band_label),
            "positive": self.positive,
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

STEPS: tuple[Step, ...] = (
    Step(
        "about",
        _("About you"),
        _(
            "A few questions so we can find care near you that fits your life. If you are "
            "filling this in for someone else, answer for them as best you can."
        ),
    ),
    Step(
        "mood",
        _("Mood"),
        _(
            "Over the last 2 weeks, how often have you been bothered by any of the following "
            "problems?"
        ),
    ),
    Step(
        "anxiety",
        _("Worry and nerves"),
        _("Over the last 2 weeks, how often have you been bothered by the following problems?"),
    ),
    Step(
        "safety",
        _("Your safety"),
        _(
            "These questions ask about thoughts of death and suicide in the past month. Many "
            "people have thoughts like these, and talking about them helps. If you are in danger "
            "right now, call or text 988, or call 911."
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
        "review",
        _("Check and send"),
        _("Look over your answers. You can go back and change any of them before you send."),
    ),
)

STEPS_BY_ID: dict[str, Step] = {step.id: step for step in STEPS}

#: Steps whose questions make up the clinical screen. A required question in these steps must be
#: answered (when skip logic asks it) before a recommendation can be made.
CLINICAL_STEPS = ("mood", "anxiety", "safety", "substances", "trauma_eating", "daily_life")

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


def _items(instrument, step, texts, options, *, first=1, ask_if=None, help_texts=None, reverse=()):
    """Numbered items of a standard instrument: ids ``<instrument>_<n>``. Items numbered in
    ``reverse`` are reverse-scored yes/no items (:data:`YES_NO_REVERSED`)."""
    help_texts = help_texts or {}
    return tuple(
        Question(
            id=f"{instrument}_{number}",
            text=text,
            options=YES_NO_REVERSED if number in reverse else options,
            ordered=True,
            step=step,
            instrument=instrument,
            help_text=help_texts.get(number, ""),
            ask_if=ask_if,
        )
        for number, text in enumerate(texts, start=first)
    )


_ABOUT = (
    Question(
        "age_group",
        _("How old is the person who needs care?"),
        _options(vocab.AGE_GROUPS),
        step="about",
    ),
    Question(
        "zip_code",
        _("What is your ZIP code?"),
        step="about",
        kind="text",
        help_text=_("5 digits. We use it only to find programs near you."),
    ),
    Question(
        "respondent",
        _("Who are you filling this in for?"),
        _options(RESPONDENTS),
        step="about",
    ),
    Question(
        "modality",
        _("How would you like to take part?"),
        _options(vocab.MODALITIES),
        step="about",
    ),
    Question(
        "days",
        _("Which days could you attend?"),
        _options(vocab.WEEKDAYS),
        step="about",
        kind="multi",
        required=False,
        help_text=_("Choose all that apply. Leave blank if any day could work."),
    ),
    Question(
        "times",
        _("What times of day could you attend?"),
        _options(vocab.TIMES_OF_DAY),
        step="about",
        kind="multi",
        required=False,
        help_text=_("Choose all that apply. Leave blank if any time could work."),
    ),
    Question(
        "hours_available",
        _("About how many hours a week could you spend in treatment?"),
        _options(HOURS_AVAILABLE),
        step="about",
        required=False,
        help_text=_(
            "Intensive programs usually take 9 or more hours a week; day programs about 20."
        ),
    ),
    Question(
        "language",
        _("What language would you like your care in?"),
        _options(vocab.LANGUAGES),
        step="about",
    ),
    Question(
        "insurance",
        _("How would you pay for care?"),
        _options(vocab.INSURANCE_ANSWERS),
        step="about",
    ),
)

# PHQ-9: Kroenke, Spitzer, Williams, J Gen Intern Med 2001;16:606-613. Word for word (Pfizer).
_PHQ9 = _items(
    "phq9",
    "mood",
    (
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
    ),
    FREQUENCY,
) + (
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
    ),
)

# GAD-7: Spitzer, Kroenke, Williams, Löwe, Arch Intern Med 2006;166:1092-1097. Word for word.
_GAD7 = _items(
    "gad7",
    "anxiety",
    (
        _("Feeling nervous, anxious, or on edge"),
        _("Not being able to stop or control worrying"),
        _("Worrying too much about different things"),
        _("Trouble relaxing"),
        _("Being so restless that it is hard to sit still"),
        _("Becoming easily annoyed or irritable"),
        _("Feeling afraid, as if something awful might happen"),
    ),
    FREQUENCY,
)

# C-SSRS screener, past month (Posner et al., Am J Psychiatry 2011;168:1266-1277); items 3-5 only
# if item 2 is yes (LOC §3.4).
_CSSRS = (
    _items(
        "cssrs",
        "safety",
        (
            _("Have you wished you were dead or wished you could go to sleep and not wake up?"),
            _("Have you actually had any thoughts of killing yourself?"),
        ),
        NO_YES,
    )
    + _items(
        "cssrs",
        "safety",
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
            ),
            ordered=True,
            step="safety",
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

# AUDIT-C: Bush et al., Arch Intern Med 1998;158:1789-1795. Items 2-3 only for people who drink.
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
        # Not required: with no answer the lower (women's) AUDIT-C cut-off applies.
        required=False,
        ask_if=AskIf("auditc_1"),
        help_text=_(
            "We ask only because the same amount of alcohol affects bodies differently, so the "
            "drinking questions are read a little differently."
        ),
    ),
)

# DAST-10: Skinner, Addict Behav 1982;7:363-371. © 1982 Harvey A. Skinner, PhD and CAMH; used for
# non-commercial purposes with attribution. Past 12 months, not counting alcohol. Item 3 is reverse
# scored. Items 2-10 are asked only if item 1 is yes: someone who has not used drugs scores 0 on
# them anyway, and the skip saves nine questions (an answer given regardless still counts).
_DAST10 = _items(
    "dast10",
    "substances",
    (
        _(
            "In the past 12 months, have you used drugs other than those required for medical "
            "reasons?"
        ),
    ),
    NO_YES,
    help_texts={
        1: _(
            "Drugs means street drugs, or medicines used in a way a doctor did not prescribe. "
            "Do not count alcohol."
        )
    },
) + _items(
    "dast10",
    "substances",
    (
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
    first=2,
    ask_if=AskIf("dast10_1"),
    reverse=(3,),
)

# PC-PTSD-5: Prins et al., J Gen Intern Med 2016;31:1206-1211. Items only after a "yes" to the
# trauma-exposure gate.
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
        NO_YES,
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
)

# SCOFF: Morgan, Reid, Lacey, BMJ 1999;319:1467. Paraphrased in our own words (licence unknown).
_SCOFF = _items(
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
)


def _daily(qid, text, options, help_text=""):
    return Question(qid, text, options, ordered=True, step="daily_life", help_text=help_text)


# Our own questions (wording ours; topics from LOC §1.2 and §4.3). Ordered: higher is worse.
_DAILY_LIFE = (
    _daily(
        "daily_functioning",
        _(
            "In the past 2 weeks, how much have your feelings, worries or habits got in the way "
            "of work, school or jobs at home?"
        ),
        _scale(
            _("Not at all"),
            _("A little: I still get most things done"),
            _("A lot: I am falling behind or missing days"),
            _("I can hardly do any of it"),
        ),
    ),
    _daily(
        "self_care",
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
    _daily(
        "home_support",
        _("Is there someone in your life, at home or close by, you can count on for support?"),
        _scale(
            _("Yes, more than one person"),
            _("Yes, one person"),
            _("Only sometimes"),
            _("No, there is no one right now"),
        ),
    ),
    _daily(
        "home_safety",
        _("Do you feel safe where you live, including at night?"),
        _scale(
            _("Yes, I feel safe there"),
            _("Mostly, but there is a lot of stress or arguing"),
            _("Not always: someone there hurts, threatens or scares me"),
            _("No, I am not safe there, or I have no safe place to stay"),
        ),
    ),
    _daily(
        "medical_problems",
        _("Do you have problems with your physical health that make life harder right now?"),
        _scale(
            _("No"),
            _("Yes, but they are under control"),
            _("Yes, and they get in the way or need more care"),
            _("Yes, a serious problem that needs a doctor soon"),
        ),
    ),
    _daily(
        "withdrawal_history",
        _(
            "Have you ever had a seizure (fit), or become very confused and seen or heard things "
            "(sometimes called the DTs), after stopping or cutting down alcohol, sleeping pills, "
            "or anxiety pills like Xanax or Valium?"
        ),
        NO_YES,
        _("Stopping these suddenly can be dangerous for some people. This helps keep you safe."),
    ),
    _daily(
        "withdrawal_now",
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
    ),
    _daily(
        "voices",
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
    ),
    _daily(
        "high_energy",
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
    ),
    _daily(
        "harm_others",
        _("In the past month, have you had thoughts of seriously hurting or killing someone else?"),
        _scale(
            _("No"),
            _("Yes, passing thoughts that I would not act on"),
            _("Yes, and the thoughts are hard to push away"),
            _("Yes, and I have some intention or a plan to act on them"),
        ),
    ),
    _daily(
        "self_harm",
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
    ),
    _daily(
        "ed_medical",
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
        _("If more than one is true, choose the one lowest in the list."),
    ),
    _daily(
        "recent_crisis_care",
        _(
            "In the past 6 months, how many times have you gone to an emergency room, or stayed "
            "in a hospital, for your mental health or for alcohol or drugs?"
        ),
        _scale(_("None"), _("Once"), _("Twice"), _("3 times or more")),
    ),
    _daily(
        "past_treatment",
        _(
            "Have you had help before for your mental health or for alcohol or drugs, such as "
            "therapy, medicine or a program? How did it go?"
        ),
        _scale(
            _("No, this would be my first time"),
            _("Yes, and it helped a lot"),
            _("Yes, and it helped some"),
            _("Yes, but it did not help much"),
            _("Yes, but it did not help at all, or I got worse"),
        ),
    ),
    _daily(
        "engagement",
        _("How ready do you feel to take part in treatment right now?"),
        _scale(
            _("Ready: I want help"),
            _("Mostly ready, but a bit unsure"),
            _("Unsure"),
            _("Not really: someone else wants me to go"),
            _("Not ready: I don't want help right now"),
        ),
    ),
    Question(
        "transport",
        _("How easy is it for you to get to appointments a few times a week?"),
        _options(TRANSPORT),
        step="daily_life",
        required=False,
        help_text=_("If it is hard, many programs also meet by video."),
    ),
)

QUESTIONS: tuple[Question, ...] = (
    _ABOUT + _PHQ9 + _GAD7 + _CSSRS + _AUDITC + _DAST10 + _PCPTSD5 + _SCOFF + _DAILY_LIFE
)
QUESTIONS_BY_ID: dict[str, Question] = {question.id: question for question in QUESTIONS}

#: Ids of our own "daily life" questions.
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

_ZIP = re.compile(r"^([0-9]{5})(?:-[0-9]{4})?$")


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
        value = _as_int(raw)
        if value is None or value not in question.values:
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
            match = _ZIP.match(text)
            if not match:
                raise AnswerError(
                    question.id,
                    f"{raw!r} is not a 5-digit ZIP code",
                    _("Please enter a 5-digit ZIP code, like 02139."),
                )
            return match.group(1)
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
class Scale:
    """A sum-of-items screener: its items, its bands (ascending) and its positive cut-off."""

    instrument: str
    item_ids: tuple[str, ...]
    bands: tuple[Band, ...]
    positive_at: int

    @cached_property
    def max_total(self) -> int:
        return sum(max(QUESTIONS_BY_ID[qid].values) for qid in self.item_ids)

    def band_for(self, total: int) -> Band:
        return [band for band in self.bands if total >= band.minimum][-1]

    def score(self, values: Mapping[str, int]) -> Score:
        total = sum(values[qid] for qid in self.item_ids)
        band = self.band_for(total)
        return Score(
            self.instrument, total, self.max_total, band.code, band.label, total >= self.positive_at
        )


def _item_ids(instrument: str) -> tuple[str, ...]:
    return tuple(q.id for q in QUESTIONS if q.instrument == instrument and q.id[-1].isdigit())


def _clean_items(item_ids, answers: Mapping[str, Any]) -> dict[str, int]:
    return {qid: clean_answer(QUESTIONS_BY_ID[qid], answers.get(qid), answers) for qid in item_ids}


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
)

#: AUDIT-C cut-offs: positive at 4 or more for men (sensitivity 86%, specificity 72%) and 3 or
#: more for women (sensitivity 80%, specificity 87%). Bush et al., Arch Intern Med
#: 1998;158:1789-1795; Bradley et al. 2003 for women
#: (https://jamanetwork.com/journals/jamainternalmedicine/fullarticle/215347); cut-offs at
#: https://primarycare.ementalhealth.ca/index.php?ID=58&hideFormatting=1&m=printSurveyScoring.
#: We use the women's cut-off unless the person says they are male: the lower cut-off is the
#: conservative (more sensitive) choice when sex is unknown or not given.
AUDITC_CUTOFF_MEN = 4
AUDITC_CUTOFF_WOMEN = 3
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
)


def score_phq9(answers: Mapping[str, Any]) -> Score:
    """PHQ-9 total (0-27) and severity band; see :data:`PHQ9` for cut-offs and source."""
    return PHQ9.score(_clean_items(PHQ9.item_ids, answers))


def phq9_item9_positive(answers: Mapping[str, Any]) -> bool:
    """Item 9 (thoughts of being better off dead or of self-harm) above 0: a gateway to the
    C-SSRS and crisis resources, not an emergency on its own. Simon et al., Psychiatr Serv
    2013;64:1195-1202 (https://pubmed.ncbi.nlm.nih.gov/24036589/); LOC §3.2, §4.2."""
    return _clean_items(("phq9_9",), answers)["phq9_9"] > 0


def score_gad7(answers: Mapping[str, Any]) -> Score:
    """GAD-7 total (0-21) and severity band; see :data:`GAD7` for cut-offs and source."""
    return GAD7.score(_clean_items(GAD7.item_ids, answers))


def auditc_scale_for(sex_at_birth) -> Scale:
    """The men's scale only for "male"; the (lower) women's cut-off otherwise, including when
    the answer is missing or "rather not say" (the conservative choice)."""
    return AUDITC_MEN if sex_at_birth == "male" else AUDITC_WOMEN


def score_auditc(answers: Mapping[str, Any]) -> Score:
    """AUDIT-C total (0-12), sex-specific cut-off; see :data:`AUDITC_CUTOFF_MEN`."""
    sex = clean_answer(QUESTIONS_BY_ID["sex_at_birth"], answers.get("sex_at_birth"), answers)
    scale = auditc_scale_for(sex)
    return scale.score(_clean_items(scale.item_ids, answers))


def score_dast10(answers: Mapping[str, Any]) -> Score:
    """DAST-10 total (0-10; item 3 reverse-scored, stored as points); see :data:`DAST10`."""
    return DAST10.score(_clean_items(DAST10.item_ids, answers))


def score_pcptsd5(answers: Mapping[str, Any]) -> Score:
    """PC-PTSD-5 total (0-5); see :data:`PCPTSD5`. The published screen scores only people who
    report a traumatic event, so a "no" to the gate question means total 0, negative."""
    gate = clean_answer(QUESTIONS_BY_ID["pcptsd5_gate"], answers.get("pcptsd5_gate"), answers)
    values = _clean_items(PCPTSD5.item_ids, answers)
    if gate == 0:
        values = dict.fromkeys(values, 0)
    return PCPTSD5.score(values)


def score_scoff(answers: Mapping[str, Any]) -> Score:
    """SCOFF total (0-5); see :data:`SCOFF`."""
    return SCOFF.score(_clean_items(SCOFF.item_ids, answers))


# C-SSRS screener triage (LOC §3.4): Columbia's most worrisome answers are a yes to item 4 or 5
# (past month) or any suicidal behaviour in the past 3 months; tiers as in the screener scoring
# guide. Sources: https://cssrs.columbia.edu/the-columbia-scale-c-ssrs/triage-c-ssrs/ ;
# https://help.blueprint-health.com/en/articles/5208202-columbia-suicide-severity-rating-scale-screen-c-ssrs-screen
CSSRS_IDS = tuple(f"cssrs_{n}" for n in range(1, 7))
CSSRS_TIERS = ("none", "low", "moderate", "high")
CSSRS_BANDS = {
    "none": _("No thoughts of suicide reported"),
    "low": _("Some thoughts of death or suicide: worth talking about soon"),
    "moderate": _("Thoughts of suicide that need a talk with a professional soon"),
    "high": _("Suicide risk that needs help right now"),
}


def cssrs_tier_of(values: Mapping[str, int]) -> str:
    """The triage tier of cleaned C-SSRS values:

    * high: item 4 or 5 yes, or item 6 within the past 3 months;
    * moderate: item 3 yes, or item 6 more than 3 months ago;
    * low: item 1 and/or 2 yes only;
    * none: otherwise.

    Lifetime behaviour more than 3 months ago is moderate, not high (a pitfall seen in public
    code, LOC §3.4).
    """
    if values["cssrs_4"] or values["cssrs_5"] or values["cssrs_6"] >= 2:
        return "high"
    if values["cssrs_3"] or values["cssrs_6"] >= 1:
        return "moderate"
    if values["cssrs_1"] or values["cssrs_2"]:
        return "low"
    return "none"


def cssrs_risk(answers: Mapping[str, Any]) -> str:
    """The C-SSRS screener tier: "none", "low", "moderate" or "high" (see :func:`cssrs_tier_of`)."""
    return cssrs_tier_of(_clean_items(CSSRS_IDS, answers))


def score_cssrs(answers: Mapping[str, Any]) -> Score:
    """The C-SSRS screener has no published total: ``total`` counts the yes answers (item 6 at
    any time counts once), ``band`` is the triage tier, positive for any tier but "none"."""
    values = _clean_items(CSSRS_IDS, answers)
    tier = cssrs_tier_of(values)
    total = sum(1 for qid in CSSRS_IDS if values[qid] > 0)
    return Score("cssrs", total, len(CSSRS_IDS), tier, CSSRS_BANDS[tier], tier != "none")


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
