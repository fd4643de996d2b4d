"""Safety properties of the rules engine, checked on random complete answer sets (hypothesis).

(a) Monotone: raising any ordered answer never lowers the level (nor any dimension rating), and
    never clears ``urgent``.
(b) Any C-SSRS crisis answer gives EMERGENCY, whatever else was answered.
(c) The live checks never raise, and agree with the full recommendation.
(d) "Prefer not to say" is not a point on the scale, so "worse" is not defined for it: the
    property is that a declined answer never gives a lower level, a lower dimension rating or a
    cleared ``urgent`` than the least severe answer to the same question would (it may give more:
    a declined suicide question is a positive screen), and never hides crisis help.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.instruments import DECLINED, QUESTIONS, QUESTIONS_BY_ID
from assessment.rules import (
    RULES,
    SAME_DAY_REVIEW_FLAGS,
    crisis_decision,
    crisis_tier,
    recommend,
)
from programs.levels import LevelOfCare
from tests.support.rule_cases import BOUNDARIES, answers

ORDERED = [q for q in QUESTIONS if q.ordered]
DECLINABLE = [q for q in QUESTIONS if q.declinable]
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
            scale = question.scale
            raised = scale[pick % len(scale)] if gate < threshold else 0
            # About 1 in 16 declinable answers is "Prefer not to say".
            declined = question.declinable and pick >> 4 == 0 and gate < threshold
            answers[question.id] = DECLINED if declined else raised
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
    raisable = [q for q in ORDERED if answers[q.id] != DECLINED and answers[q.id] < q.scale[-1]]
    question = data.draw(st.sampled_from(raisable), label="question")
    current = answers[question.id]
    higher = data.draw(st.sampled_from([v for v in question.scale if v > current]))

    before = recommend(answers)
    after = recommend({**answers, question.id: higher})

    assert after.level.rank >= before.level.rank, (question.id, current, higher)
    for key, rating in before.dimensions.items():
        assert after.dimensions[key] >= rating, (key, question.id, current, higher)


@SETTINGS
@given(answers=complete_answers(), data=st.data())
def test_every_value_of_one_question_in_turn(answers, data):
    question = data.draw(st.sampled_from(ORDERED), label="question")
    ranks = [recommend({**answers, question.id: v}).level.rank for v in question.scale]
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
    assert crisis_decision(answers).panel == (recommendation.level == LevelOfCare.EMERGENCY)
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
    panel = crisis_decision(partial).panel
    resources = crisis_decision(partial).resources
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
            ranks = [recommend({**base, question.id: v}).level.rank for v in question.scale]
            assert ranks == sorted(ranks), (overrides, question.id, ranks)


@SETTINGS
@given(answers=complete_answers(), data=st.data())
def test_raising_any_ordered_answer_never_clears_urgent(answers, data):
    """Urgent puts a person at the top of the staff queue: a worse answer never takes it away,
    and every flag that promises a same-day review comes with it (LOC §4.3 point 2)."""
    raisable = [q for q in ORDERED if answers[q.id] != DECLINED and answers[q.id] < q.scale[-1]]
    question = data.draw(st.sampled_from(raisable), label="question")
    higher = data.draw(st.sampled_from([v for v in question.scale if v > answers[question.id]]))
    before = recommend(answers)
    after = recommend({**answers, question.id: higher})
    assert after.urgent or not before.urgent, (question.id, higher)
    for recommendation in (before, after):
        review = SAME_DAY_REVIEW_FLAGS & set(recommendation.flag_codes)
        assert recommendation.urgent or not review
        if recommendation.crisis_tier != "none":
            assert recommendation.urgent


def _combinations(question_ids):
    import itertools

    values = [QUESTIONS_BY_ID[qid].scale for qid in question_ids]
    for combo in itertools.product(*values):
        yield dict(zip(question_ids, combo, strict=True))


#: Each skip-logic gate with the questions it gates (and AUDIT-C's sex-specific cut-off).
GATED = {
    "cssrs": [f"cssrs_{n}" for n in range(1, 7)],
    "auditc": ["auditc_1", "auditc_2", "auditc_3"],
    "dast10": ["drug_screen", "dast10_1", "dast10_2", "dast10_3", "opioids", "overdose"],
    "pcptsd5": ["pcptsd5_gate"] + [f"pcptsd5_{n}" for n in range(1, 6)],
    "phq9": ["phq9_1", "phq9_2", "phq9_9", "phq9_3", "phq9_4"],
    "gad7": ["gad7_1", "gad7_2", "gad7_3", "gad7_4"],
    "scoff": ["eating_gate", "scoff_1", "scoff_2", "scoff_3", "ed_medical"],
    "harm": ["harm_gate", "harm_others", "self_harm"],
    "unusual": ["unusual_gate", "voices", "unusual_beliefs", "high_energy", "mania_judgement"],
    "withdrawal": ["auditc_1", "auditc_2", "withdrawal_history", "withdrawal_now", "sedatives"],
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
        for sex in sexes if instrument in ("auditc", "withdrawal") else [None]:
            base = answers(**background, sex_at_birth=sex)
            results = {}
            for combo in _combinations(ids):
                results[tuple(combo.values())] = recommend({**base, **combo})
            for key, before in results.items():
                combo = dict(zip(ids, key, strict=True))
                if instrument == "cssrs" and (key[3] or key[4] or key[5] == 2):
                    assert before.level == LevelOfCare.EMERGENCY, combo
                for index, qid in enumerate(ids):
                    for higher in QUESTIONS_BY_ID[qid].scale:
                        if higher <= key[index]:
                            continue
                        after = results[key[:index] + (higher,) + key[index + 1 :]]
                        assert after.level.rank >= before.level.rank, (background, sex, combo, qid)
                        assert after.urgent or not before.urgent, (background, combo, qid)
                        for dim, rating in before.dimensions.items():
                            assert after.dimensions[dim] >= rating, (combo, qid, dim)


# --- "Prefer not to say" ---------------------------------------------------------------------


def _never_less(declined, least, label):
    assert declined.level.rank >= least.level.rank, label
    assert declined.urgent or not least.urgent, label
    for dim, rating in least.dimensions.items():
        assert declined.dimensions[dim] >= rating, (label, dim)


@SETTINGS
@given(answers=complete_answers(), data=st.data())
def test_declined_never_lowers_the_level_or_clears_urgent(answers, data):
    question = data.draw(st.sampled_from(DECLINABLE), label="question")
    least = recommend({**answers, question.id: question.least_severe})
    declined = recommend({**answers, question.id: DECLINED})
    _never_less(declined, least, question.id)
    least_help = crisis_decision({**answers, question.id: question.least_severe})
    declined_help = crisis_decision({**answers, question.id: DECLINED})
    assert declined_help.resources or not least_help.resources, question.id
    assert declined_help.panel or not least_help.panel, question.id


@pytest.mark.parametrize("question", DECLINABLE, ids=lambda q: q.id)
def test_declined_on_every_boundary_background(question):
    """Deterministic companion: each declinable question, declined versus its least severe
    answer, on every rule-boundary answer set and with its gate open."""
    gate = dict.fromkeys(question.depends_on, 1)
    for overrides in [{}] + [at for _rule, _below, at, _above in BOUNDARIES]:
        base = answers(**{**overrides, **gate})
        least = recommend({**base, question.id: question.least_severe})
        declined = recommend({**base, question.id: DECLINED})
        _never_less(declined, least, (question.id, overrides))


@pytest.mark.parametrize(
    "qid", ["phq9_9", "cssrs_1", "cssrs_2", "cssrs_3", "cssrs_6", "harm_gate", "harm_others"]
)
def test_a_declined_risk_question_brings_help_and_a_same_day_review(qid):
    """NIMH ASQ (LOC §4.2): refusing to answer a suicide question is a positive screen."""
    base = answers(cssrs_2=1) if qid in ("cssrs_3",) else answers(harm_gate=1)
    recommendation = recommend({**base, qid: DECLINED})
    assert recommendation.urgent
    assert "declined_risk_questions" in recommendation.flag_codes
    assert crisis_decision({qid: DECLINED}).resources
    assert not crisis_decision({qid: DECLINED}).panel  # help, not the emergency panel
