"""Safety properties of the rules engine, checked on random complete answer sets (hypothesis).

(a) Monotone: raising any ordered answer never lowers the level (nor any dimension rating).
(b) Any C-SSRS crisis answer gives EMERGENCY, whatever else was answered.
(c) The live checks never raise, and agree with the full recommendation.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.instruments import QUESTIONS, QUESTIONS_BY_ID
from assessment.rules import (
    RULES,
    crisis_tier,
    needs_crisis_panel,
    recommend,
    shows_crisis_resources,
)
from programs.levels import LevelOfCare
from tests.assessment.test_rules import BOUNDARIES, answers

ORDERED = [q for q in QUESTIONS if q.ordered]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


#: How many answers (out of 256) a set raises above the least severe value; mostly few, because
#: a handful of raised answers is already enough to reach EMERGENCY.
SHARES_OF_256 = (0, 2, 4, 6, 8, 10, 12, 16, 20, 25, 30, 40, 60, 90, 256)


@st.composite
def complete_answers(draw):
    """Every question answered, decoded from one block of bytes (fast to draw; shrinks towards
    the least severe answers). Each set has its own share of raised answers (0-100%), so all
    five levels turn up instead of nearly always EMERGENCY."""
    threshold = draw(st.sampled_from(SHARES_OF_256))
    blob = draw(st.binary(min_size=2 * len(QUESTIONS), max_size=2 * len(QUESTIONS)))
    answers = {}
    for index, question in enumerate(QUESTIONS):
        gate, pick = blob[2 * index], blob[2 * index + 1]
        values = question.values
        if question.ordered:
            answers[question.id] = values[pick % len(values)] if gate < threshold else 0
        elif question.kind == "multi":
            answers[question.id] = [v for bit, v in enumerate(values) if pick >> bit & 1]
        elif question.kind == "text":
            answers[question.id] = f"{gate * 256 + pick:05d}"
        else:
            answers[question.id] = values[pick % len(values)]
    return answers


@SETTINGS
@given(answers=complete_answers(), data=st.data())
def test_raising_any_ordered_answer_never_lowers_the_level(answers, data):
    raisable = [q for q in ORDERED if answers[q.id] < q.values[-1]]
    question = data.draw(st.sampled_from(raisable), label="question")
    current = answers[question.id]
    higher = data.draw(st.sampled_from([v for v in question.values if v > current]))

    before = recommend(answers)
    after = recommend({**answers, question.id: higher})

    assert after.level.rank >= before.level.rank, (question.id, current, higher)
    for key, rating in before.dimensions.items():
        assert after.dimensions[key] >= rating, (key, question.id, current, higher)


@SETTINGS
@given(answers=complete_answers(), data=st.data())
def test_every_value_of_one_question_in_turn(answers, data):
    question = data.draw(st.sampled_from(ORDERED), label="question")
    ranks = [recommend({**answers, question.id: v}).level.rank for v in question.values]
    assert ranks == sorted(ranks), (question.id, ranks)


CRISIS = st.sampled_from([("cssrs_4", 1), ("cssrs_5", 1), ("cssrs_6", 2)])


@SETTINGS
@given(answers=complete_answers(), crisis=CRISIS)
def test_any_crisis_answer_gives_emergency(answers, crisis):
    qid, value = crisis
    recommendation = recommend({**answers, qid: value})
    assert recommendation.level == LevelOfCare.EMERGENCY
    assert recommendation.urgent
    assert "emergency_suicide_high_risk" in recommendation.rules_fired


@SETTINGS
@given(answers=complete_answers())
def test_level_is_the_most_intensive_rule_that_fired(answers):
    recommendation = recommend(answers)
    fired = [rule for rule in RULES if rule.id in recommendation.rules_fired]
    assert recommendation.level == max((rule.level for rule in fired), key=lambda lv: lv.rank)
    assert recommendation.reasons
    assert needs_crisis_panel(answers) == (recommendation.level == LevelOfCare.EMERGENCY)
    assert crisis_tier(answers) == recommendation.crisis_tier


QUESTION_IDS = st.sampled_from([q.id for q in QUESTIONS] + ["consent", "unknown"])
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.lists(st.one_of(st.integers(), st.text(max_size=3)), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


@SETTINGS
@given(partial=st.dictionaries(QUESTION_IDS, JUNK, max_size=20))
def test_live_checks_never_raise(partial):
    tier = crisis_tier(partial)
    assert tier in ("none", "low", "moderate", "high")
    panel = needs_crisis_panel(partial)
    resources = shows_crisis_resources(partial)
    assert not panel or resources
    assert tier == "none" or resources


def test_every_value_of_every_question_on_the_boundary_backgrounds():
    """Deterministic companion to the random tests: sweep each ordered question through all its
    values on top of every rule-boundary answer set, where interactions between answers matter
    most."""
    backgrounds = [{}] + [below for _rule, below, _at, _above in BOUNDARIES]
    for overrides in backgrounds:
        base = answers(**overrides)
        for question in ORDERED:
            ranks = [recommend({**base, question.id: v}).level.rank for v in question.values]
            assert ranks == sorted(ranks), (overrides, question.id, ranks)


@SETTINGS
@given(answers=complete_answers(), data=st.data())
def test_raising_any_ordered_answer_never_clears_urgent(answers, data):
    """Urgent puts a person at the top of the staff queue: a worse answer never takes it away,
    and every flag that promises a same-day review comes with it (LOC §4.3 point 2)."""
    raisable = [q for q in ORDERED if answers[q.id] < q.values[-1]]
    question = data.draw(st.sampled_from(raisable), label="question")
    higher = data.draw(st.sampled_from([v for v in question.values if v > answers[question.id]]))
    before = recommend(answers)
    after = recommend({**answers, question.id: higher})
    assert after.urgent or not before.urgent, (question.id, higher)
    for recommendation in (before, after):
        review = {"suicide_risk_review", "harm_to_others_review"} & set(recommendation.flag_codes)
        assert recommendation.urgent or not review
        if recommendation.crisis_tier != "none":
            assert recommendation.urgent


def _combinations(question_ids):
    import itertools

    values = [QUESTIONS_BY_ID[qid].values for qid in question_ids]
    for combo in itertools.product(*values):
        yield dict(zip(question_ids, combo, strict=True))


#: Each skip-logic gate with the questions it gates (and AUDIT-C's sex-specific cut-off).
GATED = {
    "cssrs": [f"cssrs_{n}" for n in range(1, 7)],
    "auditc": ["auditc_1", "auditc_2", "auditc_3"],
    "dast10": [f"dast10_{n}" for n in range(1, 11)],
    "pcptsd5": ["pcptsd5_gate"] + [f"pcptsd5_{n}" for n in range(1, 6)],
}
#: Backgrounds where one more point in a screen can change the level: a moderate need with
#: poor support (IOP/PHP edge) and a serious need (PHP/INPATIENT edge).
GATE_BACKGROUNDS = [{}, {"home_support": 2, "past_treatment": 4}, {"daily_functioning": 3}]


@pytest.mark.parametrize("instrument", list(GATED))
def test_skip_logic_gates_exhaustively_monotone(instrument):
    """Every combination of a gated instrument's answers (asked or not, e.g. AUDIT-C items 2-3
    with item 1 = never, DAST-10 items 2-10 with item 1 = no, C-SSRS items 3-5 with item 2 = no,
    PC-PTSD-5 items with the gate = no), under each sex for AUDIT-C: raising any one answer
    never lowers the level, a dimension or urgency; C-SSRS high tier is always EMERGENCY."""
    ids = GATED[instrument]
    sexes = [q for q, _label in QUESTIONS_BY_ID["sex_at_birth"].options] + [None]
    for background in GATE_BACKGROUNDS:
        for sex in sexes if instrument == "auditc" else [None]:
            base = answers(**background, sex_at_birth=sex)
            results = {}
            for combo in _combinations(ids):
                results[tuple(combo.values())] = recommend({**base, **combo})
            for key, before in results.items():
                combo = dict(zip(ids, key, strict=True))
                if instrument == "cssrs" and (key[3] or key[4] or key[5] == 2):
                    assert before.level == LevelOfCare.EMERGENCY, combo
                for index, qid in enumerate(ids):
                    for higher in QUESTIONS_BY_ID[qid].values:
                        if higher <= key[index]:
                            continue
                        after = results[key[:index] + (higher,) + key[index + 1 :]]
                        assert after.level.rank >= before.level.rank, (background, sex, combo, qid)
                        assert after.urgent or not before.urgent, (background, combo, qid)
                        for dim, rating in before.dimensions.items():
                            assert after.dimensions[dim] >= rating, (combo, qid, dim)
