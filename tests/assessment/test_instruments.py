"""The questionnaires as data, and every instrument against its published scoring table.

No database: ``instruments`` is pure Python. Published tables are fixtures here, written from
``shared/domain/level-of-care.md`` section 3, not from the code under test.
"""

import itertools

import pytest

from assessment import instruments
from assessment.instruments import (
    QUESTIONS,
    QUESTIONS_BY_ID,
    STEPS,
    AnswerError,
    cssrs_risk,
    lenient_answers,
    phq9_item9_positive,
    questions_for_step,
    score_all,
    score_auditc,
    score_cssrs,
    score_dast10,
    score_gad7,
    score_pcptsd5,
    score_phq9,
    score_scoff,
    validate_answers,
    validate_step,
)
from programs import vocab

STANDARD_IDS = (
    [f"phq9_{n}" for n in range(1, 10)]
    + [f"gad7_{n}" for n in range(1, 8)]
    + [f"cssrs_{n}" for n in range(1, 7)]
    + [f"auditc_{n}" for n in range(1, 4)]
    + [f"dast10_{n}" for n in range(1, 11)]
    + [f"pcptsd5_{n}" for n in range(1, 6)]
    + ["pcptsd5_gate"]
    + [f"scoff_{n}" for n in range(1, 6)]
    + ["phq9_difficulty", "sex_at_birth"]
)
#: Question ids kept from the first wave (stored answers, exports, FHIR and staff pages use
#: them), and the new ones of issue 9.
KEPT_IDS = [
    "daily_functioning",
    "self_care",
    "home_support",
    "home_safety",
    "medical_problems",
    "withdrawal_history",
    "withdrawal_now",
    "voices",
    "high_energy",
    "harm_others",
    "self_harm",
    "ed_medical",
    "recent_crisis_care",
    "past_treatment",
    "engagement",
    "transport",
    "age_group",
    "zip_code",
    "respondent",
    "modality",
    "days",
    "times",
    "hours_available",
    "language",
    "insurance",
]
NEW_IDS = [
    "harm_gate",
    "unusual_gate",
    "unusual_beliefs",
    "psychosis_new",
    "mania_judgement",
    "drug_screen",
    "opioids",
    "overdose",
    "sedatives",
    "eating_gate",
]
PREFERENCE_IDS = {
    "age_group": vocab.AGE_GROUPS,
    "modality": vocab.MODALITIES,
    "days": vocab.WEEKDAYS,
    "times": vocab.TIMES_OF_DAY,
    "language": vocab.LANGUAGES,
    "insurance": vocab.INSURANCE_ANSWERS,
}


def least_severe_answers(**overrides):
    answers = {q.id: q.least_severe for q in QUESTIONS}
    answers.update(zip_code="02139", age_group="adult", respondent="self", language="en")
    answers.update(overrides)
    return answers


def items_summing_to(prefix, count, item_max, total, *, from_end=False):
    """Answers to ``count`` items worth 0..item_max each that add up to ``total``."""
    numbers = list(range(1, count + 1))
    values = {}
    remaining = total
    for number in reversed(numbers) if from_end else numbers:
        values[f"{prefix}_{number}"] = min(item_max, remaining)
        remaining -= values[f"{prefix}_{number}"]
    assert remaining == 0
    return values


def band_of(total, table):
    """Look a total up in a published table of (low, high, band) rows."""
    (band,) = [band for low, high, band in table if low <= total <= high]
    return band


# --- The questions as data ---------------------------------------------------------------


def test_step_ids_in_order():
    # A contract with the wizard: risk first, "fit to your life" last before review.
    assert [step.id for step in STEPS] == [
        "now",
        "mood",
        "substances",
        "trauma_eating",
        "daily_life",
        "fit",
        "review",
    ]
    assert all(str(step.title) for step in STEPS)
    assert instruments.RISK_STEP == "now" == STEPS[0].id


def test_the_first_page_asks_about_right_now():
    ids = [q.id for q in questions_for_step("now")]
    assert ids == [
        "phq9_1",
        "phq9_2",
        "gad7_1",
        "gad7_2",
        "phq9_9",
        "cssrs_1",
        "cssrs_2",
        "cssrs_3",
        "cssrs_4",
        "cssrs_5",
        "cssrs_6",
        "harm_gate",
        "harm_others",
        "self_harm",
    ]


def test_no_preference_question_before_the_clinical_part():
    fit = {q.id for q in questions_for_step("fit")}
    assert {"zip_code", "insurance", "days", "times", "language", "modality"} <= fit
    clinical = [s.id for s in STEPS if s.id in instruments.CLINICAL_STEPS]
    assert [s.id for s in STEPS].index("fit") > max(
        [s.id for s in STEPS].index(step) for step in clinical
    )


def test_question_ids_are_unique():
    ids = [q.id for q in QUESTIONS]
    assert len(ids) == len(set(ids))
    assert set(QUESTIONS_BY_ID) == set(ids)


@pytest.mark.parametrize("qid", STANDARD_IDS + KEPT_IDS + NEW_IDS)
def test_every_standard_id_is_present(qid):
    assert qid in QUESTIONS_BY_ID


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_question_contract(question):
    assert question.step in {step.id for step in STEPS}
    assert question in questions_for_step(question.step)
    assert question.kind in ("choice", "multi", "text")
    assert str(question.text).strip()
    assert all(str(label).strip() for _value, label in question.options)
    if question.kind == "text":
        assert question.options == ()
    else:
        assert question.options, "a choice needs options"
        assert len(set(question.values)) == len(question.values)
    if question.ordered:
        values = list(question.scale)
        assert all(type(value) is int for value in values)
        assert values == sorted(values) and values[0] == 0
        assert question.least_severe == 0
        # "Prefer not to say" is an option, last, never a point on the scale.
        assert list(question.values) == values + ([instruments.DECLINED] * question.declinable)
    else:
        assert not question.declinable
    assert question.number == questions_for_step(question.step).index(question) + 1
    if question.ask_if is not None:
        depends = question.ask_if.depends_on
        assert depends and all(qid in QUESTIONS_BY_ID for qid in depends)
        assert question.depends_on == tuple(depends)
        assert question.id not in depends


def test_review_step_has_no_questions_of_ours():
    assert questions_for_step("review") == ()


def test_instrument_items_are_ordered_and_belong_to_their_steps():
    steps = {
        "phq9": {"now", "mood"},
        "gad7": {"now", "mood"},
        "cssrs": {"now"},
        "auditc": {"substances"},
        "dast10": {"substances"},
        "pcptsd5": {"trauma_eating"},
        "scoff": {"trauma_eating"},
    }
    for question in QUESTIONS:
        if question.instrument:
            assert question.ordered, question.id
            assert question.step in steps[question.instrument], question.id


@pytest.mark.parametrize("qid", [f"phq9_{n}" for n in range(1, 10)] + ["gad7_1", "gad7_7"])
def test_phq_and_gad_use_the_published_response_options(qid):
    labels = [str(label) for value, label in QUESTIONS_BY_ID[qid].options if value != "declined"]
    # Not "Not at all sure": a known reproduction error (Zorowitz et al. 2021).
    assert labels == ["Not at all", "Several days", "More than half the days", "Nearly every day"]
    assert QUESTIONS_BY_ID[qid].scale == (0, 1, 2, 3)


def test_yes_no_items_store_no_as_0_and_yes_as_1():
    for qid in ("cssrs_1", "dast10_1", "pcptsd5_gate", "pcptsd5_1", "scoff_1"):
        assert [(v, str(label)) for v, label in QUESTIONS_BY_ID[qid].options][:2] == [
            (0, "No"),
            (1, "Yes"),
        ]


def test_dast10_item_3_is_reverse_scored():
    question = QUESTIONS_BY_ID["dast10_3"]
    assert "always able to stop" in str(question.text)
    assert [(v, str(label)) for v, label in question.options] == [
        (0, "Yes"),
        (1, "No"),
        ("declined", "Prefer not to say"),
    ]
    assert question.ordered


def test_cssrs_6_separates_lifetime_from_past_3_months():
    question = QUESTIONS_BY_ID["cssrs_6"]
    assert question.scale == (0, 1, 2)
    assert "more than 3 months" in str(question.label_for(1))
    assert "past 3 months" in str(question.label_for(2))


@pytest.mark.parametrize(
    ("qid", "gate"),
    [(f"cssrs_{n}", "cssrs_2") for n in (3, 4, 5)]
    + [("auditc_2", "auditc_1"), ("auditc_3", "auditc_1"), ("sex_at_birth", "auditc_1")]
    + [(f"pcptsd5_{n}", "pcptsd5_gate") for n in range(1, 6)]
    + [(f"dast10_{n}", "drug_screen") for n in range(1, 11)]
    + [("opioids", "drug_screen"), ("overdose", "drug_screen")]
    + [(f"scoff_{n}", "eating_gate") for n in range(1, 6)]
    + [("ed_medical", "eating_gate"), ("harm_others", "harm_gate"), ("self_harm", "harm_gate")]
    + [
        (qid, "unusual_gate")
        for qid in ("voices", "unusual_beliefs", "psychosis_new", "high_energy", "mania_judgement")
    ]
    + [("recent_crisis_care", "past_treatment")],
)
def test_skip_logic(qid, gate):
    question = QUESTIONS_BY_ID[qid]
    assert question.ask_if.question_id == gate
    assert question.ask_if.depends_on == (gate,)
    assert QUESTIONS_BY_ID[gate].step == question.step  # a same-step gate is one answer
    assert not question.is_asked({gate: 0})
    assert not question.is_asked({gate: "declined"})
    assert not question.is_asked({})
    assert question.is_asked({gate: 1})
    assert question.is_asked({gate: "1"})  # raw form data


def test_questions_without_skip_logic_are_always_asked():
    always = ("phq9_1", "phq9_2", "gad7_1", "gad7_2", "phq9_9", "cssrs_1", "cssrs_2", "cssrs_6")
    more = ("harm_gate", "unusual_gate", "auditc_1", "drug_screen", "sedatives", "pcptsd5_gate")
    for qid in (*always, *more, "eating_gate", "self_care", "home_safety", "zip_code"):
        assert QUESTIONS_BY_ID[qid].ask_if is None
        assert QUESTIONS_BY_ID[qid].is_asked({})


@pytest.mark.parametrize(("qid", "vocabulary"), PREFERENCE_IDS.items())
def test_preferences_use_the_shared_vocabularies(qid, vocabulary):
    question = QUESTIONS_BY_ID[qid]
    assert question.step == "fit"
    assert not question.ordered
    assert list(question.values) == vocab.codes(vocabulary)


def test_other_fixed_preference_questions():
    assert QUESTIONS_BY_ID["zip_code"].kind == "text"
    assert QUESTIONS_BY_ID["zip_code"].required
    assert set(QUESTIONS_BY_ID["respondent"].values) == {"self", "someone_else"}
    assert {"lt3", "3to8", "9to19", "20plus"} <= set(QUESTIONS_BY_ID["hours_available"].values)
    assert QUESTIONS_BY_ID["days"].kind == QUESTIONS_BY_ID["times"].kind == "multi"
    assert QUESTIONS_BY_ID["transport"].step == "fit"
    # Only ZIP, insurance and age group are needed; the rest narrows the search if given.
    needed = {q.id for q in questions_for_step("fit") if q.required}
    assert needed == {"zip_code", "insurance", "age_group"}
    assert QUESTIONS_BY_ID["sex_at_birth"].step == "substances"
    assert not QUESTIONS_BY_ID["sex_at_birth"].ordered


def test_daily_life_questions_are_ours_and_ordered():
    assert len(instruments.DAILY_LIFE_IDS) >= 8
    for qid in instruments.DAILY_LIFE_IDS:
        question = QUESTIONS_BY_ID[qid]
        assert question.step == "daily_life"
        assert question.instrument is None
        assert question.ordered
        assert "LOCUS" not in str(question.text) and "ASAM" not in str(question.text)


# --- Published scoring tables ------------------------------------------------------------

# Kroenke et al. 2001: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27.
PHQ9_TABLE = [
    (0, 4, "minimal"),
    (5, 9, "mild"),
    (10, 14, "moderate"),
    (15, 19, "moderately_severe"),
    (20, 27, "severe"),
]
# Spitzer et al. 2006: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.
GAD7_TABLE = [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")]
# Skinner 1982: 0 none, 1-2 low, 3-5 moderate, 6-8 substantial, 9-10 severe.
DAST10_TABLE = [
    (0, 0, "none"),
    (1, 2, "low"),
    (3, 5, "moderate"),
    (6, 8, "substantial"),
    (9, 10, "severe"),
]


@pytest.mark.parametrize("from_end", [False, True], ids=["first-items", "last-items"])
@pytest.mark.parametrize("total", range(28))
def test_phq9_every_total(total, from_end):
    answers = items_summing_to("phq9", 9, 3, total, from_end=from_end)
    score = score_phq9(answers)
    if total == 0 or (total < 2 and not from_end):
        # PHQ-2 below 2 and item 9 "Not at all": the rest was not asked (screened negative).
        assert (score.status, score.total, score.screen_total) == ("screened_negative", None, total)
        assert not score.positive and score.at_least == total
        return
    assert (score.total, score.max_total, score.status) == (total, 27, "complete")
    assert score.band == band_of(total, PHQ9_TABLE)
    assert score.positive == (total >= 10)
    assert str(score.band_label)


@pytest.mark.parametrize("from_end", [False, True], ids=["first-items", "last-items"])
@pytest.mark.parametrize("total", range(22))
def test_gad7_every_total(total, from_end):
    answers = items_summing_to("gad7", 7, 3, total, from_end=from_end)
    score = score_gad7(answers)
    if total == 0 or (total < 2 and not from_end):
        assert (score.status, score.total, score.screen_total) == ("screened_negative", None, total)
        assert score.screen_name == "GAD-2" and score.screen_max == 6
        return
    assert (score.total, score.max_total) == (total, 21)
    assert score.band == band_of(total, GAD7_TABLE)
    assert score.positive == (total >= 10)


@pytest.mark.parametrize("item9", [0, 1, 2, 3])
def test_phq9_item9_flag(item9):
    answers = items_summing_to("phq9", 9, 3, 0)
    answers["phq9_9"] = item9
    assert phq9_item9_positive(answers) == (item9 > 0)


def test_phq9_difficulty_item_is_not_scored():
    answers = items_summing_to("phq9", 9, 3, 4)
    assert score_phq9({**answers, "phq9_difficulty": 3}).total == 4


# Bush 1998 / Bradley 2003: positive at 4+ for men, 3+ for women; we use the women's cut-off
# unless the person says male.
AUDITC_CUTOFF = {"male": 4, "female": 3, "prefer_not": 3, None: 3}


@pytest.mark.parametrize("sex", list(AUDITC_CUTOFF))
@pytest.mark.parametrize("total", range(13))
def test_auditc_every_total_by_sex(total, sex):
    answers = {**items_summing_to("auditc", 3, 4, total), "sex_at_birth": sex}
    score = score_auditc(answers)
    assert (score.total, score.max_total) == (total, 12)
    cutoff = AUDITC_CUTOFF[sex]
    assert score.positive == (total >= cutoff)
    assert score.band == ("high" if total >= 8 else "positive" if total >= cutoff else "negative")


def test_auditc_non_drinker_needs_no_more_answers():
    assert score_auditc({"auditc_1": 0}).total == 0


@pytest.mark.parametrize("total", range(11))
def test_dast10_every_total(total):
    # Item 3 is reverse scored: its point is for "No" (stored as 1).
    answers = {"drug_screen": 1, **items_summing_to("dast10", 10, 1, total, from_end=True)}
    score = score_dast10(answers)
    assert (score.total, score.max_total) == (total, 10)
    assert score.band == band_of(total, DAST10_TABLE)
    assert score.positive == (total >= 3)


def test_dast10_reverse_item_by_label():
    def answer_all(label):
        return {"drug_screen": 2} | {
            q.id: next(v for v, text in q.options if str(text) == label)
            for q in QUESTIONS
            if q.instrument == "dast10"
        }

    assert score_dast10(answer_all("No")).total == 1  # "No" to "always able to stop" scores 1
    assert score_dast10(answer_all("Yes")).total == 9


@pytest.mark.parametrize("total", range(6))
def test_pcptsd5_every_total_after_trauma(total):
    answers = {"pcptsd5_gate": 1, **items_summing_to("pcptsd5", 5, 1, total)}
    score = score_pcptsd5(answers)
    assert (score.total, score.max_total) == (total, 5)
    # Prins et al. 2016: 3 is the optimally sensitive cut-point (4 optimally efficient).
    assert score.positive == (total >= 3)
    assert score.band == ("positive" if total >= 3 else "negative")


@pytest.mark.parametrize("total", range(6))
def test_pcptsd5_no_trauma_scores_zero(total):
    # The published screen scores only people who report a traumatic event.
    answers = {"pcptsd5_gate": 0, **items_summing_to("pcptsd5", 5, 1, total)}
    score = score_pcptsd5(answers)
    assert (score.status, score.total, score.positive) == ("screened_negative", None, False)


def test_pcptsd5_items_not_needed_without_trauma():
    score = score_pcptsd5({"pcptsd5_gate": 0})
    assert (score.status, score.screen_total, score.at_least) == ("screened_negative", 0, 0)


@pytest.mark.parametrize("total", range(6))
def test_scoff_every_total(total):
    score = score_scoff({"eating_gate": 1, **items_summing_to("scoff", 5, 1, total)})
    assert (score.total, score.max_total) == (total, 5)
    assert score.positive == (total >= 2)  # Morgan et al. 1999


# --- C-SSRS screener triage ----------------------------------------------------------------

# Columbia triage (LOC §3.4), most worrisome first. Item 6: 0 never, 1 more than 3 months ago,
# 2 in the past 3 months.
CSSRS_TRIAGE_TABLE = [
    ("high", lambda q, q6: q[4] or q[5] or q6 == 2),
    ("moderate", lambda q, q6: q[3] or q6 == 1),
    ("low", lambda q, q6: q[1] or q[2]),
    ("none", lambda q, q6: True),
]
CSSRS_COMBINATIONS = [
    (items, q6) for items in itertools.product((0, 1), repeat=5) for q6 in (0, 1, 2)
]


@pytest.mark.parametrize(("items", "q6"), CSSRS_COMBINATIONS)
def test_cssrs_every_combination(items, q6):
    q = dict(enumerate(items, start=1))
    expected = next(tier for tier, matches in CSSRS_TRIAGE_TABLE if matches(q, q6))
    answers = {f"cssrs_{n}": value for n, value in q.items()} | {"cssrs_6": q6}
    assert cssrs_risk(answers) == expected
    score = score_cssrs(answers)
    assert score.band == expected
    assert score.total == sum(items) + (q6 > 0)
    assert score.max_total == 6
    assert score.positive == (expected != "none")


def test_cssrs_is_the_screeners_length_when_thoughts_are_denied():
    # Items 3-5 are asked only after a "yes" to item 2; unanswered they count as "no".
    assert cssrs_risk({"cssrs_1": 1, "cssrs_2": 0, "cssrs_6": 0}) == "low"
    assert cssrs_risk({"cssrs_1": 0, "cssrs_2": 0, "cssrs_6": 1}) == "moderate"


def test_cssrs_answer_to_unasked_question_still_counts():
    assert cssrs_risk({"cssrs_1": 0, "cssrs_2": 0, "cssrs_4": 1, "cssrs_6": 0}) == "high"


def test_cssrs_missing_asked_item_is_an_error():
    with pytest.raises(AnswerError) as error:
        cssrs_risk({"cssrs_1": 1, "cssrs_2": 1, "cssrs_6": 0})
    assert error.value.question_id == "cssrs_3"


def test_score_all_keys():
    scores = score_all(least_severe_answers())
    assert list(scores) == ["phq9", "gad7", "cssrs", "auditc", "dast10", "pcptsd5", "scoff"]
    assert all(scores[key].instrument == key for key in scores)
    assert not any(score.positive for score in scores.values())


# --- Validation ----------------------------------------------------------------------------


def test_validate_answers_normalises():
    raw = least_severe_answers(phq9_1="2", cssrs_6="1", days=["fri", "mon"], zip_code=" 02139-1234")
    cleaned = validate_answers(raw)
    assert cleaned["phq9_1"] == 2 and cleaned["cssrs_6"] == 1
    assert cleaned["days"] == ["mon", "fri"]  # option order
    assert cleaned["zip_code"] == "02139"
    assert set(cleaned) == set(QUESTIONS_BY_ID)


def test_validate_answers_fills_unasked_questions_with_least_severe():
    raw = least_severe_answers()
    for qid in ("cssrs_3", "cssrs_4", "cssrs_5", "auditc_2", "auditc_3", "pcptsd5_1", "dast10_3"):
        del raw[qid]
    cleaned = validate_answers(raw)
    assert cleaned["cssrs_4"] == 0 and cleaned["auditc_2"] == 0 and cleaned["dast10_3"] == 0


def test_validate_answers_keeps_an_answer_skip_logic_did_not_ask_for():
    cleaned = validate_answers(least_severe_answers(cssrs_2=0, cssrs_5=1))
    assert cleaned["cssrs_5"] == 1


def test_validate_answers_ignores_unknown_keys():
    assert "consent" not in validate_answers(least_severe_answers(consent=True))


def test_missing_clinical_answer_names_the_question():
    raw = least_severe_answers(gad7_1=1, gad7_2=1)  # GAD-2 of 2 opens the rest of the GAD-7
    del raw["gad7_4"]
    with pytest.raises(AnswerError) as error:
        validate_answers(raw)
    assert error.value.question_id == "gad7_4"
    assert "gad7_4" in str(error.value)
    number = questions_for_step("mood").index(QUESTIONS_BY_ID["gad7_4"]) + 1
    assert str(error.value.user_message) == f"Please choose an answer to question {number}."


def test_a_gated_out_question_is_never_required():
    raw = least_severe_answers()
    for qid in ("gad7_4", "phq9_5", "dast10_1", "scoff_2", "past_treatment", "withdrawal_now"):
        del raw[qid]
    cleaned = validate_answers(raw)
    assert cleaned["gad7_4"] == cleaned["phq9_5"] == cleaned["dast10_1"] == 0


def test_missing_answer_to_a_question_skip_logic_asked_is_an_error():
    raw = least_severe_answers(cssrs_2=1)
    del raw["cssrs_3"]
    with pytest.raises(AnswerError) as error:
        validate_answers(raw)
    assert error.value.question_id == "cssrs_3"


def test_empty_answers_name_the_first_clinical_question():
    with pytest.raises(AnswerError) as error:
        validate_answers({})
    assert error.value.question_id == "phq9_1"


def test_preferences_may_be_missing_for_scoring():
    raw = least_severe_answers()
    for qid in ("zip_code", "age_group", "days", "modality"):
        del raw[qid]
    cleaned = validate_answers(raw)
    assert cleaned["zip_code"] is None and cleaned["days"] == []


@pytest.mark.parametrize(
    ("qid", "value"),
    [
        ("phq9_1", 4),
        ("phq9_1", -1),
        ("phq9_1", "often"),
        ("phq9_1", 1.5),
        ("cssrs_6", 3),
        ("cssrs_4", 2),
        ("dast10_3", 2),
        ("auditc_1", 5),
        ("sex_at_birth", "x"),
        ("age_group", "toddler"),
        ("days", ["someday"]),
        ("days", 5),
        ("zip_code", "2139"),
        ("zip_code", "ABCDE"),
    ],
)
def test_impossible_answer_is_an_error(qid, value):
    with pytest.raises(AnswerError) as error:
        validate_answers(least_severe_answers(**{qid: value}))
    assert error.value.question_id == qid


def test_lenient_answers_never_raise():
    cleaned = lenient_answers({"phq9_1": "often", "days": 5, "cssrs_4": "1", "zip_code": "x"})
    assert cleaned["phq9_1"] == 0 and cleaned["days"] == [] and cleaned["cssrs_4"] == 1
    assert cleaned["zip_code"] is None


def test_validate_step_messages_in_plain_words():
    cleaned, errors = validate_step("now", {"phq9_1": "1", "phq9_9": 9}, {})
    assert cleaned["phq9_1"] == 1
    assert str(errors["phq9_2"]) == "Please choose an answer to question 2."
    assert str(errors["phq9_9"]) == "Please choose one of the answers shown for question 5."
    assert "phq9_1" not in errors


def test_validate_step_skip_logic_within_the_step():
    base = {"cssrs_1": 1, "cssrs_6": 0, "harm_gate": 0}
    base |= {"phq9_1": 0, "phq9_2": 0, "gad7_1": 0, "gad7_2": 0, "phq9_9": 0}
    cleaned, errors = validate_step("now", {**base, "cssrs_2": 0}, {})
    assert errors == {}
    assert cleaned["cssrs_3"] == cleaned["cssrs_4"] == cleaned["cssrs_5"] == 0
    _cleaned, errors = validate_step("now", {**base, "cssrs_2": 1}, {})
    assert set(errors) == {"cssrs_3", "cssrs_4", "cssrs_5"}
    _cleaned, errors = validate_step("now", {**base, "cssrs_2": "declined"}, {})
    assert errors == {}  # "Prefer not to say" is an answer, and does not open items 3-5


def test_validate_step_uses_prior_answers_for_skip_logic():
    # Skip logic sees earlier answers together with this step's data.
    _cleaned, errors = validate_step("trauma_eating", {}, {"pcptsd5_gate": 0})
    assert "pcptsd5_1" not in errors
    _cleaned, errors = validate_step("trauma_eating", {}, {"pcptsd5_gate": 1})
    assert "pcptsd5_1" in errors
    _cleaned, errors = validate_step("trauma_eating", {"pcptsd5_gate": 0}, {"pcptsd5_gate": 1})
    assert "pcptsd5_1" not in errors  # this step's answer wins


def test_validate_step_about():
    data = {
        "age_group": "teen",
        "zip_code": "1234",
        "respondent": "someone_else",
        "modality": "both",
        "days": [],
        "language": "es",
        "insurance": "unsure",
    }
    cleaned, errors = validate_step("fit", data, {})
    assert set(errors) == {"zip_code"}
    assert str(errors["zip_code"]) == "Enter a 5-digit US ZIP code, like 40202."
    assert cleaned["days"] == [] and cleaned["hours_available"] is None


def test_validate_step_review_has_nothing_to_check():
    assert validate_step("review", {"consent": "on"}, {}) == ({}, {})


@pytest.mark.parametrize("raw", ["²", "--1", "１", "9" * 5000, "1 2", "+1", "0x1", "\x00"])
def test_odd_numeric_text_is_an_invalid_answer_never_a_crash(raw):
    """Review fix: "²".isdigit() is true but int("²") raises, so these used to escape as a
    ValueError (a 500 from the live crisis check on a tampered safety step)."""
    from assessment.instruments import AnswerError, lenient_answers, validate_answers
    from assessment.rules import crisis_decision

    assert lenient_answers({"cssrs_4": raw})["cssrs_4"] == 0
    assert crisis_decision({"cssrs_4": raw}).panel is False
    assert crisis_decision({"cssrs_2": raw, "cssrs_3": raw}).resources is False
    with pytest.raises(AnswerError):
        validate_answers({"phq9_1": raw})


@pytest.mark.parametrize("raw", ["１２３４５", "4020２", "٤٠٢٠٢"])
def test_non_ascii_digits_are_not_a_zip_code(raw):
    from assessment.instruments import QUESTIONS_BY_ID, AnswerError, clean_answer

    with pytest.raises(AnswerError):
        clean_answer(QUESTIONS_BY_ID["zip_code"], raw, {})


# --- Gates (issue 9): published cut-offs, and the contract with the web layer -----------------


@pytest.mark.parametrize(
    ("now", "opens"),
    [
        ({"phq9_1": 1, "phq9_2": 0}, False),
        ({"phq9_1": 1, "phq9_2": 1}, True),  # PHQ-2 >= 2 (Levis 2020: sensitivity ~0.91)
        ({"phq9_1": 0, "phq9_2": 2}, True),
        ({"phq9_1": 0, "phq9_2": 0, "phq9_9": 1}, True),  # any item 9 opens the rest
        ({"phq9_1": 0, "phq9_2": 0, "phq9_9": "declined"}, True),
        ({"phq9_1": "1", "phq9_2": "1"}, True),  # raw form data
    ],
)
def test_phq2_gate(now, opens):
    assert QUESTIONS_BY_ID["phq9_5"].is_asked(now) is opens
    assert instruments.PHQ2_GATE == 2


@pytest.mark.parametrize(
    ("now", "opens"),
    [({"gad7_1": 1, "gad7_2": 0}, False), ({"gad7_1": 1, "gad7_2": 1}, True)],
)
def test_gad2_gate(now, opens):
    assert QUESTIONS_BY_ID["gad7_6"].is_asked(now) is opens
    assert instruments.GAD2_GATE == 2


def test_multi_answer_gates_depend_only_on_earlier_steps():
    """The wizard contract: a gate over several answers is decided by the server from earlier
    pages; a gate within a page is a single AskIf the page script can mirror."""
    order = [step.id for step in STEPS]
    for question in QUESTIONS:
        if question.ask_if is None:
            continue
        depends = question.ask_if.depends_on
        steps = {QUESTIONS_BY_ID[qid].step for qid in depends}
        if isinstance(question.ask_if, instruments.AskIf):
            continue
        assert all(order.index(step) < order.index(question.step) for step in steps), question.id


def test_phq9_difficulty_only_after_a_problem_and_daily_functioning_adds_to_it():
    difficulty = QUESTIONS_BY_ID["phq9_difficulty"]
    assert not difficulty.is_asked({"phq9_1": 0, "phq9_2": 0, "gad7_1": 0, "gad7_2": 0})
    assert difficulty.is_asked({"gad7_1": 1})
    functioning = QUESTIONS_BY_ID["daily_functioning"]
    assert not functioning.is_asked({"gad7_1": 1, "phq9_difficulty": 1})
    assert functioning.is_asked({"gad7_1": 1, "phq9_difficulty": 2})
    assert functioning.is_asked({"drug_screen": 1})  # a problem, and difficulty was not asked
    assert not functioning.is_asked({})


def test_sex_at_birth_is_asked_only_of_people_who_drink():
    question = QUESTIONS_BY_ID["sex_at_birth"]
    assert question.step == "substances" and not question.required
    assert not question.is_asked({"auditc_1": 0}) and question.is_asked({"auditc_1": 1})


def test_withdrawal_and_treatment_questions_follow_earlier_answers():
    withdrawal = QUESTIONS_BY_ID["withdrawal_now"]
    assert not withdrawal.is_asked({"auditc_1": 1, "auditc_2": 0, "auditc_3": 0})
    assert withdrawal.is_asked({"auditc_1": 2, "auditc_3": 1})  # AUDIT-C 3
    assert withdrawal.is_asked({"sedatives": 1}) and withdrawal.is_asked({"drug_screen": 1})
    past = QUESTIONS_BY_ID["past_treatment"]
    assert not past.is_asked(least_severe_answers())
    assert past.is_asked({"cssrs_1": 1}) and past.is_asked({"eating_gate": "declined"})


# --- "Prefer not to say", prorating and incomplete instruments ------------------------------


def test_declined_is_an_option_on_the_sensitive_questions_only():
    declinable = {q.id for q in QUESTIONS if q.declinable}
    assert {"phq9_9", "cssrs_1", "cssrs_6", "harm_others", "self_harm", "drug_screen"} <= declinable
    assert {"dast10_1", "pcptsd5_gate", "pcptsd5_3", "eating_gate", "scoff_1"} <= declinable
    assert not {"phq9_1", "gad7_1", "auditc_1", "self_care", "zip_code"} & declinable
    for qid in declinable:
        assert QUESTIONS_BY_ID[qid].options[-1] == instruments.DECLINE_OPTION
        assert str(QUESTIONS_BY_ID[qid].label_for("declined")) == "Prefer not to say"


def test_prorate_rounds_half_up():
    assert instruments.prorate(8, 9, 8) == 9  # 9.0
    assert instruments.prorate(4, 9, 8) == 5  # 4.5 -> 5
    assert instruments.prorate(3, 9, 8) == 3  # 3.375 -> 3
    assert instruments.prorate(0, 9, 7) == 0


def test_phq9_with_item_9_declined_is_prorated():
    answers = {**items_summing_to("phq9", 8, 3, 10), "phq9_9": "declined"}
    score = score_phq9(answers)
    assert (score.status, score.total, score.missing) == ("prorated", 11, ("phq9_9",))  # 11.25
    assert score.positive and score.band == "moderate"


def test_too_many_declined_items_make_an_instrument_incomplete_never_negative():
    answers = {"drug_screen": 1} | {f"dast10_{n}": 0 for n in range(1, 11)}
    answers |= {"dast10_1": 1, "dast10_2": 1, "dast10_4": "declined"}
    score = score_dast10(answers)
    assert (score.status, score.total, score.at_least) == ("incomplete", None, 2)
    assert score.band == "incomplete" and not score.positive
    answers |= {"dast10_5": 1}
    assert score_dast10(answers).positive  # already 3 from the answers given


@pytest.mark.parametrize(
    ("scorer", "answers"),
    [
        (score_dast10, {"drug_screen": "declined"}),
        (score_pcptsd5, {"pcptsd5_gate": "declined"}),
        (score_scoff, {"eating_gate": "declined"}),
    ],
)
def test_a_declined_screen_is_incomplete_not_screened_negative(scorer, answers):
    score = scorer(answers)
    assert score.status == "incomplete" and score.total is None


def test_declined_cssrs_item_is_a_positive_screen():
    score = score_cssrs({"cssrs_1": 0, "cssrs_2": "declined", "cssrs_6": 0})
    assert score.band == "none" and score.positive and score.status == "incomplete"
    assert phq9_item9_positive({"phq9_9": "declined"})


def test_score_to_dict_records_why_an_instrument_was_not_scored():
    data = score_phq9({"phq9_1": 1, "phq9_2": 0, "phq9_9": 0}).to_dict()
    assert data["status"] == "screened_negative" and data["total"] is None
    assert (data["screen_name"], data["screen_total"], data["screen_max"]) == ("PHQ-2", 1, 6)
    assert "Screened negative on the PHQ-2 (1 of 6)" in data["band_label"]
