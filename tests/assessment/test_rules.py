"""The level-of-care rules: every rule at and around its boundary, the dimension ratings, flags,
reasons, urgency, errors and the live crisis checks. No database."""

import json

import pytest

from assessment import rules
from assessment.instruments import QUESTIONS_BY_ID, AnswerError
from assessment.rules import (
    DIMENSION_KEYS,
    DIMENSIONS,
    RULES,
    RULES_BY_ID,
    RULESET_VERSION,
    crisis_decision,
    crisis_tier,
    recommend,
)
from programs.levels import RECOMMENDABLE_LEVELS, LevelOfCare
from tests.support.rule_cases import (
    BOUNDARIES,
    RECIPES,
    answers,
    auditc_at,
    gad7_at,
    phq9_at,
    profile,
    yes_to,
)

EMERGENCY, INPATIENT, PHP, IOP, OP = (
    LevelOfCare.EMERGENCY,
    LevelOfCare.INPATIENT,
    LevelOfCare.PHP,
    LevelOfCare.IOP,
    LevelOfCare.OP,
)
P = profile  # short, for the tables below


# --- Tables ---------------------------------------------------------------------------------


def test_ruleset_version():
    assert RULESET_VERSION == "2026.11.3"
    assert recommend(answers()).ruleset_version == RULESET_VERSION


def test_rules_run_from_most_to_least_intensive():
    ranks = [rule.level.rank for rule in RULES]
    assert ranks == sorted(ranks, reverse=True)
    assert {rule.level for rule in RULES} == set(RECOMMENDABLE_LEVELS)
    assert len(RULES_BY_ID) == len(RULES)
    assert RULES[-1].id == "op_default" and isinstance(RULES[-1].condition, rules.Always)


def test_every_rule_is_described_for_a_clinician():
    for rule in RULES:
        assert len(str(rule.description)) > 20, rule.id


def test_criteria_table():
    assert len(rules.CRITERIA_BY_ID) == len(rules.CRITERIA)
    for criterion in rules.CRITERIA:
        assert criterion.dimension in DIMENSION_KEYS
        assert 2 <= criterion.rating <= 5


def test_dimensions_are_ours():
    assert [d.key for d in DIMENSIONS] == [
        "risk_of_harm",
        "functional_status",
        "co_occurring",
        "recovery_environment",
        "treatment_history",
        "engagement",
    ]
    for dimension in DIMENSIONS:
        assert len(dimension.anchors) == 5
        words = " ".join(str(x) for x in (dimension.name, dimension.asks, *dimension.anchors))
        assert "LOCUS" not in words and "ASAM" not in words


def _conditions(condition):
    yield condition
    for part in getattr(condition, "parts", ()):
        yield from _conditions(part)


def test_every_answer_a_rule_uses_has_a_plain_sentence():
    conditions = [c.condition for c in rules.CRITERIA] + [r.condition for r in RULES]
    for condition in conditions:
        for part in _conditions(condition):
            if isinstance(part, rules.Answer):
                question = QUESTIONS_BY_ID[part.question_id]
                for value in question.scale:
                    if value >= part.at_least:
                        assert str(rules.ANSWER_SENTENCES[part.question_id][value])


# --- Dimension ratings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dimension", "rating"),
    [(key, rating) for key, recipes in RECIPES.items() for rating in recipes],
)
def test_dimension_recipes(dimension, rating):
    expected = dict.fromkeys(DIMENSION_KEYS, 1) | {dimension: rating}
    recommendation = recommend(answers(**RECIPES[dimension][rating]))
    assert recommendation.dimensions == expected
    assert recommendation.composite == sum(expected.values())


@pytest.mark.parametrize(
    ("overrides", "dimension", "rating"),
    [
        # PHQ-9: 10+ (screening cut-off) -> 2, 20+ (severe) -> 3. phq9_9 left at 0.
        (phq9_at(9), "functional_status", 1),
        (phq9_at(10), "functional_status", 2),
        (phq9_at(19), "functional_status", 2),
        (phq9_at(20), "functional_status", 3),
        # GAD-7: 10+ -> 2, 15+ (severe) -> 3.
        (gad7_at(9), "functional_status", 1),
        (gad7_at(10), "functional_status", 2),
        (gad7_at(14), "functional_status", 2),
        (gad7_at(15), "functional_status", 3),
        ({"phq9_difficulty": 1}, "functional_status", 2),
        ({"phq9_difficulty": 2}, "functional_status", 3),
        ({"self_care": 1}, "functional_status", 2),
        ({"self_care": 2}, "functional_status", 4),
        # DAST-10: low 1-2 -> 2, moderate 3+ -> 3, severe 9+ -> 4.
        ({}, "co_occurring", 1),
        (yes_to("dast10", 1), "co_occurring", 2),
        (yes_to("dast10", 2), "co_occurring", 2),
        ({**yes_to("dast10", 2), "dast10_3": 1}, "co_occurring", 3),
        ({**yes_to("dast10", 8)}, "co_occurring", 3),  # 8: substantial
        (yes_to("dast10", 10), "co_occurring", 4),
        # AUDIT-C: positive (3 women/unknown, 4 men) -> 2; 8+ -> 3.
        (auditc_at(2, "female"), "co_occurring", 1),
        (auditc_at(3, "female"), "co_occurring", 2),
        (auditc_at(3, None), "co_occurring", 2),
        (auditc_at(3, "male"), "co_occurring", 1),
        (auditc_at(4, "male"), "co_occurring", 2),
        (auditc_at(7, "male"), "co_occurring", 2),
        (auditc_at(8, "male"), "co_occurring", 3),
        # SCOFF 2+, PC-PTSD-5 3+ (after trauma) -> 3.
        (yes_to("scoff", 1), "co_occurring", 1),
        (yes_to("scoff", 2), "co_occurring", 3),
        ({"pcptsd5_gate": 1, **yes_to("pcptsd5", 2)}, "co_occurring", 1),
        ({"pcptsd5_gate": 1, **yes_to("pcptsd5", 3)}, "co_occurring", 3),
        ({"pcptsd5_gate": 0, **yes_to("pcptsd5", 5)}, "co_occurring", 1),
        ({"voices": 1}, "co_occurring", 2),
        ({"voices": 2}, "co_occurring", 3),
        ({"high_energy": 2}, "co_occurring", 3),
        ({"high_energy": 3}, "co_occurring", 4),
        ({"withdrawal_history": 1}, "co_occurring", 2),
        ({"withdrawal_now": 1}, "co_occurring", 2),
        ({"withdrawal_now": 2}, "co_occurring", 4),
        ({"ed_medical": 1}, "co_occurring", 3),
        # C-SSRS tiers and PHQ-9 item 9 on Safety.
        ({"cssrs_1": 1}, "risk_of_harm", 2),
        ({"cssrs_2": 1}, "risk_of_harm", 2),
        ({"cssrs_2": 1, "cssrs_3": 1}, "risk_of_harm", 3),
        ({"cssrs_6": 1}, "risk_of_harm", 3),
        ({"cssrs_6": 2}, "risk_of_harm", 5),
        ({"phq9_9": 1}, "risk_of_harm", 2),
        ({"phq9_9": 2}, "risk_of_harm", 3),
        ({"phq9_9": 3}, "risk_of_harm", 3),
        ({"phq9_9": 3, "cssrs_6": 1}, "risk_of_harm", 4),
        ({"self_harm": 1}, "risk_of_harm", 2),
        ({"harm_others": 2}, "risk_of_harm", 4),
        ({"recent_crisis_care": 1}, "treatment_history", 3),
        ({"recent_crisis_care": 2}, "treatment_history", 4),
        ({"home_support": 3}, "recovery_environment", 4),
    ],
)
def test_dimension_criteria(overrides, dimension, rating):
    assert recommend(answers(**overrides)).dimensions[dimension] == rating


# --- Every rule at and around its boundary (the cases: tests/support/rule_cases.py) ---------


def test_every_rule_has_boundary_cases():
    assert {case[0] for case in BOUNDARIES} == set(RULES_BY_ID) - {"op_default"}


@pytest.mark.parametrize(
    ("rule_id", "below", "at", "above"), BOUNDARIES, ids=[case[0] for case in BOUNDARIES]
)
def test_rule_boundary(rule_id, below, at, above):
    rule = RULES_BY_ID[rule_id]

    under = recommend(answers(**below))
    assert rule_id not in under.rules_fired

    hit = recommend(answers(**at))
    assert hit.rules_fired[0] == rule_id, hit.rules_fired
    assert hit.level == rule.level
    assert under.level.rank <= hit.level.rank

    if above is not None:
        over = recommend(answers(**above))
        assert rule_id in over.rules_fired
        assert over.level.rank >= hit.level.rank


def test_composite_bands_match_the_boundary_cases():
    assert recommend(answers(**P(risk=2, func=2, co=2, env=3, hist=2, eng=4))).composite == 15
    assert recommend(answers(**P(risk=2, func=3, co=2, env=3, hist=3, eng=5))).composite == 18
    assert recommend(answers(**P(risk=3, func=3, co=3, env=4, hist=4, eng=4))).composite == 21


def test_op_default_always_fires():
    recommendation = recommend(answers())
    assert recommendation.level == OP
    assert recommendation.rules_fired == ["op_default"]
    assert recommendation.dimensions == dict.fromkeys(DIMENSION_KEYS, 1)
    assert recommend(answers(cssrs_4=1)).rules_fired[-1] == "op_default"


@pytest.mark.parametrize(
    ("overrides", "level"),
    [
        # A high symptom score alone does not force a day program (LOC §0.2).
        ({**phq9_at(27), "phq9_9": 0}, OP),
        ({**gad7_at(21)}, OP),
        # Item 9 alone is a gateway to review, not an emergency (LOC §0.3).
        ({"phq9_9": 3}, OP),
        # C-SSRS low or moderate: outpatient with same-day review (LOC §4.3 point 2).
        ({"cssrs_1": 1, "cssrs_2": 1}, OP),
        ({"cssrs_2": 1, "cssrs_3": 1}, OP),
        ({"cssrs_6": 1}, OP),
        # Moderately severe mood, falling behind, outpatient therapy did not help -> IOP.
        ({**phq9_at(17), "daily_functioning": 2, "past_treatment": 3}, IOP),
        # Hardly managing, supportive home -> PHP; no one to count on -> INPATIENT.
        ({"daily_functioning": 3, "self_care": 2, "home_support": 1}, PHP),
        ({"daily_functioning": 3, "self_care": 2, "home_support": 3}, INPATIENT),
    ],
)
def test_typical_people(overrides, level):
    assert recommend(answers(**overrides)).level == level


# --- Safety ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "crisis", [{"cssrs_4": 1}, {"cssrs_5": 1}, {"cssrs_6": 2}], ids=["item4", "item5", "item6"]
)
def test_crisis_answer_gives_emergency_even_when_skip_logic_did_not_ask(crisis):
    # cssrs_2 = 0 means items 3-5 were not asked; a "yes" given anyway still counts.
    recommendation = recommend(answers(cssrs_1=0, cssrs_2=0, **crisis))
    assert recommendation.level == EMERGENCY
    assert recommendation.urgent
    assert recommendation.crisis_tier == "high"


def test_reason_names_the_answer():
    recommendation = recommend(answers(cssrs_1=1, cssrs_2=1, cssrs_4=1))
    assert str(recommendation.reasons[0]) == (
        "You said you have had thoughts of killing yourself with some intention of acting on "
        "them in the past month."
    )


def test_reasons_most_important_first_and_only_for_the_decided_level():
    recommendation = recommend(answers(cssrs_2=1, cssrs_4=1, harm_others=3, self_care=3))
    text = [str(reason) for reason in recommendation.reasons]
    assert text[0].startswith("You said you have had thoughts of killing yourself")
    assert any("intention or a plan to seriously hurt" in sentence for sentence in text)
    # INPATIENT rules also fired (see the trace), but the reasons explain EMERGENCY.
    assert "inpatient_cannot_care_for_self" in recommendation.rules_fired
    assert not any("hardly eat, wash" in sentence for sentence in text)


def test_reasons_are_not_repeated():
    recommendation = recommend(answers(**P(risk=3, func=3, co=3, env=4, hist=4, eng=4)))
    text = [str(reason) for reason in recommendation.reasons]
    assert len(text) == len(set(text))
    assert any("21 on our 30-point scale" in sentence for sentence in text)


def test_reasons_for_a_score():
    recommendation = recommend(answers(**phq9_at(22), daily_functioning=2, past_treatment=3))
    assert recommendation.level == IOP
    text = [str(reason) for reason in recommendation.reasons]
    assert "Severe low mood (your PHQ-9 score is 22 out of 27)." in text


@pytest.mark.parametrize(
    ("overrides", "urgent"),
    [
        ({}, False),
        # Low tier: LOC §4.3 point 2 asks for a same-day clinician review, so it is urgent.
        ({"cssrs_1": 1}, True),
        ({"cssrs_2": 1}, True),
        ({"harm_others": 1}, True),  # the flag promises a same-day review
        ({"self_harm": 1}, False),
        ({"phq9_9": 1}, True),
        ({"cssrs_6": 1}, True),  # moderate
        ({"cssrs_2": 1, "cssrs_3": 1}, True),  # moderate
        ({"cssrs_5": 1}, True),  # high
        (P(func=4), False),  # PHP
        (P(func=5), True),  # INPATIENT
    ],
)
def test_urgent(overrides, urgent):
    assert recommend(answers(**overrides)).urgent is urgent


# --- Flags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "without", "with_"),
    [
        ("suicide_risk_review", {}, {"phq9_9": 1}),
        ("suicide_risk_review", {}, {"cssrs_1": 1}),
        ("suicide_risk_review", {}, {"cssrs_6": 1}),
        ("harm_to_others_review", {}, {"harm_others": 1}),
        # Issue 9 §5.8: co-occurring care from moderate substance risk (AUDIT-C 8+), not from
        # an AUDIT-C at the lowest positive cut-off, which gets brief advice instead.
        ("dual_diagnosis", auditc_at(7, "female"), auditc_at(8, "female")),
        ("dual_diagnosis", auditc_at(7, "male"), auditc_at(8, "male")),
        ("dual_diagnosis", {}, {"drug_screen": 1, "opioids": 1}),
        ("alcohol_brief_advice", auditc_at(2, "female"), auditc_at(3, "female")),
        ("alcohol_brief_advice", auditc_at(3, "male"), auditc_at(4, "male")),
        ("alcohol_brief_advice", auditc_at(8, "male"), auditc_at(7, "male")),
        ("dual_diagnosis", yes_to("dast10", 2), {**yes_to("dast10", 2), "dast10_3": 1}),
        ("withdrawal_risk", {"withdrawal_now": 1}, {"withdrawal_now": 2}),
        ("withdrawal_risk", {}, {"withdrawal_history": 1}),
        ("eating_disorder", yes_to("scoff", 1), yes_to("scoff", 2)),
        ("eating_disorder", {}, {"ed_medical": 1}),
        (
            "trauma",
            {"pcptsd5_gate": 1, **yes_to("pcptsd5", 2)},
            {"pcptsd5_gate": 1, **yes_to("pcptsd5", 3)},
        ),
        ("psychosis_or_mania", {"high_energy": 1}, {"high_energy": 2}),
        ("psychosis_or_mania", {}, {"voices": 1}),
        ("medical_review", {"medical_problems": 2}, {"medical_problems": 3}),
        ("unsafe_home", {"home_safety": 1}, {"home_safety": 2}),
        ("transport", {"transport": "easy"}, {"transport": "very_hard"}),
        # PHP needs about 20 hours a week; IOP 9+ for adults, 6+ for teens (LOC §2.2, §2.6).
        (
            "schedule_hours",
            {**P(func=4), "hours_available": "20plus"},
            {**P(func=4), "hours_available": "9to19"},
        ),
        (
            "schedule_hours",
            {**P(risk=3, func=3), "hours_available": "9to19"},
            {**P(risk=3, func=3), "hours_available": "3to8"},
        ),
        (
            "schedule_hours",
            {**P(risk=3, func=3), "hours_available": "3to8", "age_group": "teen"},
            {**P(risk=3, func=3), "hours_available": "lt3", "age_group": "teen"},
        ),
        (
            "schedule_hours",
            {"hours_available": "unsure", **P(func=4)},
            {"hours_available": "lt3", **P(func=4)},
        ),
    ],
)
def test_flag(code, without, with_):
    assert code not in recommend(answers(**without)).flag_codes
    recommendation = recommend(answers(**with_))
    assert code in recommendation.flag_codes
    flag = next(flag for flag in recommendation.flags if flag.code == code)
    assert str(flag.text)


def test_hours_never_lower_the_level():
    assert recommend(answers(**P(func=4), hours_available="lt3")).level == PHP
    assert "schedule_hours" not in recommend(answers(hours_available="lt3")).flag_codes  # OP


def test_no_flags_for_the_least_severe_answers():
    assert recommend(answers()).flags == []


def test_program_focus_areas():
    recommendation = recommend(
        answers(**phq9_at(12), **auditc_at(8, "male"), pcptsd5_gate=1, **yes_to("pcptsd5", 3))
    )
    assert recommendation.conditions == ["depression", "trauma", "substance_use", "dual_diagnosis"]


# --- Output ---------------------------------------------------------------------------------


def test_to_dict_is_json():
    recommendation = recommend(answers(cssrs_2=1, cssrs_4=1, **yes_to("scoff", 2)))
    data = json.loads(json.dumps(recommendation.to_dict()))
    assert data["level"] == "EMERGENCY"
    assert data["urgent"] is True
    assert data["ruleset_version"] == RULESET_VERSION
    assert data["rules_fired"][0] == "emergency_suicide_high_risk"
    assert {
        "total": 2,
        "max_total": 6,
        "band": "high",
        "band_label": "Suicide risk that needs help right now",
        "positive": True,
        "status": "complete",
    }.items() <= data["scores"]["cssrs"].items()
    assert {"code": "eating_disorder"}.items() <= data["flags"][1].items()
    assert set(data["dimensions"]) == set(DIMENSION_KEYS)
    assert all(isinstance(reason, str) for reason in data["reasons"])


def test_dimension_labels():
    labels = recommend(answers(**P(env=5))).dimension_labels
    assert list(labels) == list(DIMENSION_KEYS)
    assert str(labels["recovery_environment"]["name"]) == "Home and support"
    assert labels["recovery_environment"]["rating"] == 5
    assert str(labels["recovery_environment"]["anchor"]) == "Not safe at home"


# --- Errors ---------------------------------------------------------------------------------


def test_missing_clinical_answer_raises_naming_the_question():
    incomplete = answers()
    del incomplete["self_care"]
    with pytest.raises(AnswerError) as error:
        recommend(incomplete)
    assert error.value.question_id == "self_care"


def test_missing_answer_that_skip_logic_asked_for():
    incomplete = answers(cssrs_2=1)
    del incomplete["cssrs_4"]
    with pytest.raises(AnswerError) as error:
        recommend(incomplete)
    assert error.value.question_id == "cssrs_4"


def test_unasked_questions_count_as_least_severe():
    partial = answers()
    for qid in ("cssrs_3", "cssrs_4", "cssrs_5", "auditc_2", "auditc_3", "sex_at_birth"):
        del partial[qid]
    for n in range(1, 6):
        del partial[f"pcptsd5_{n}"]
    assert recommend(partial).level == OP


@pytest.mark.parametrize(
    ("qid", "value"),
    [
        ("phq9_1", 4),
        ("cssrs_6", 3),
        ("voices", "loud"),
        ("phq9_1", "declined"),  # "Prefer not to say" only where it is offered
        ("cssrs_4", -1),
        ("overdose", 3),
    ],
)
def test_out_of_range_answer_raises(qid, value):
    with pytest.raises(AnswerError) as error:
        recommend(answers(**{qid: value}))
    assert error.value.question_id == qid


@pytest.mark.parametrize("typo", ["cssrs4", "cssrs_4 ", "CSSRS_4", "consent_to_store", "about"])
def test_unknown_question_id_raises(typo):
    """Issue 9 §5.7: a typo must never silently drop an answer (a dropped "yes" to C-SSRS item
    4 would turn an emergency into IOP)."""
    with pytest.raises(AnswerError) as error:
        recommend({**answers(), typo: 1})
    assert error.value.question_id == typo


# --- Issue 9 §5: the clinical gaps, each with its boundary and source ------------------------


def _level_and_flags(**overrides):
    recommendation = recommend(answers(**overrides))
    return recommendation.level, recommendation.urgent, set(recommendation.flag_codes)


@pytest.mark.parametrize(
    "overrides",
    [
        {"withdrawal_history": 1, "withdrawal_now": 1},
        {"withdrawal_history": 1, "auditc_1": 4, "auditc_2": 1},  # women / sex not given: >3
        {"withdrawal_history": 1, "auditc_1": 4, "auditc_2": 2, "sex_at_birth": "male"},  # >4
        {"withdrawal_history": 1, "auditc_1": 2, "auditc_3": 4},  # 6+ daily or almost daily
    ],
)
def test_item1_complicated_withdrawal_is_inpatient_urgent_with_the_withdrawal_flag(overrides):
    """ASAM CPG on alcohol withdrawal 2020; NIAAA heavy-drinking limits by sex (LOC §7)."""
    level, urgent, flags = _level_and_flags(**overrides)
    assert level == INPATIENT and urgent
    assert {"withdrawal_management", "withdrawal_risk"} <= flags


def test_item1_below_the_boundary_is_not_complicated():
    level, _urgent, flags = _level_and_flags(
        withdrawal_history=1, auditc_1=4, auditc_2=1, sex_at_birth="male"
    )
    assert level == OP and "withdrawal_management" not in flags
    assert "withdrawal_risk" in flags  # the history alone still carries the flag


@pytest.mark.parametrize(
    "overrides",
    [
        {"withdrawal_now": 1, "auditc_1": 4, "auditc_2": 1},
        {"withdrawal_now": 1, "auditc_1": 4, "auditc_2": 2, "sex_at_birth": "male"},
        {"withdrawal_now": 1, "sedatives": 1},  # benzodiazepine withdrawal
    ],
)
def test_item1_current_withdrawal_never_lands_at_op_without_the_flag(overrides):
    level, _urgent, flags = _level_and_flags(**overrides)
    assert level.rank >= IOP.rank
    assert "withdrawal_risk" in flags


def test_item1_benzodiazepine_withdrawal_gets_the_medical_flag():
    assert "withdrawal_management" in _level_and_flags(sedatives=1, withdrawal_now=1)[2]
    assert "withdrawal_management" in _level_and_flags(sedatives=1, withdrawal_history=1)[2]
    assert "withdrawal_management" not in _level_and_flags(sedatives=1)[2]


def test_item2_opioids_flag_and_recent_overdose_urgent():
    """LOC §7: MOUD first line; a recent overdose raises overdose risk."""
    _level, urgent, flags = _level_and_flags(drug_screen=1, opioids=1)
    assert "opioid_use" in flags and not urgent
    assert "opioid_use" not in _level_and_flags(drug_screen=1, opioids=0)[2]
    _level, urgent, flags = _level_and_flags(drug_screen=1, overdose=2)
    assert urgent and "recent_overdose" in flags
    assert rules.crisis_decision({"overdose": 2}).resources
    _level, urgent, flags = _level_and_flags(drug_screen=1, overdose=1)
    assert not urgent and "recent_overdose" not in flags


@pytest.mark.parametrize(
    "experience", [{"high_energy": 1}, {"high_energy": 3}, {"voices": 1}, {"unusual_beliefs": 1}]
)
def test_item3_mania_or_psychosis_with_impaired_judgement_is_inpatient_urgent(experience):
    """NICE CG185 (LOC §7)."""
    level, urgent, flags = _level_and_flags(unusual_gate=1, mania_judgement=2, **experience)
    assert level.rank >= INPATIENT.rank and urgent
    assert "mania_psychosis_review" in flags
    # With insight ("I can see it was a problem"), not on its own.
    level, _urgent, _flags = _level_and_flags(unusual_gate=1, mania_judgement=1, **experience)
    assert level.rank < INPATIENT.rank or experience == {"high_energy": 3}


@pytest.mark.parametrize("experience", [{"voices": 1}, {"unusual_beliefs": 1}])
def test_item3_new_or_worsening_psychosis_is_urgent_even_when_all_else_is_mild(experience):
    """NICE CG178 (LOC §7): urgent referral of a first episode to early intervention."""
    level, urgent, flags = _level_and_flags(unusual_gate=1, psychosis_new=1, **experience)
    assert level == OP and urgent and "early_psychosis_review" in flags
    _level, urgent, _flags = _level_and_flags(unusual_gate=1, psychosis_new=0, **experience)
    assert not urgent
    _level, urgent, _flags = _level_and_flags(unusual_gate=1, psychosis_new=1)
    assert not urgent  # "new" with nothing new described


def test_item4_repeated_self_harm_is_urgent_with_review_even_when_suicide_items_are_negative():
    """NICE NG225 (LOC §7): same-day assessment after self-harm."""
    level, urgent, flags = _level_and_flags(harm_gate=1, self_harm=2)
    assert urgent and "self_harm_review" in flags
    assert recommend(answers(harm_gate=1, self_harm=2)).crisis_tier == "none"
    _level, urgent, flags = _level_and_flags(harm_gate=1, self_harm=1)
    assert not urgent and "self_harm_review" not in flags


@pytest.mark.parametrize("ed_medical", [1, 2, 3])
def test_item5_positive_scoff_with_medical_signs_is_urgent_and_at_least_php(ed_medical):
    """MEED, Royal College of Psychiatrists 2022 (LOC §7)."""
    level, urgent, flags = _level_and_flags(
        eating_gate=1, scoff_1=1, scoff_2=1, ed_medical=ed_medical
    )
    assert level.rank >= PHP.rank and urgent and "eating_medical_review" in flags


def test_item5_boundaries_and_rapid_weight_loss():
    # SCOFF 1 with dizziness: not the PHP rule (the SCOFF is not positive).
    level, _urgent, _flags = _level_and_flags(eating_gate=1, scoff_2=1, ed_medical=1)
    assert level.rank < PHP.rank
    # SCOFF item 3 (14 lb in 3 months) counts as rapid weight loss: urgent medical review.
    _level, urgent, flags = _level_and_flags(eating_gate=1, scoff_1=1, scoff_3=1)
    assert urgent and {"eating_medical_review", "eating_disorder"} <= flags
    _level, urgent, _flags = _level_and_flags(eating_gate=1, scoff_1=1, scoff_2=1)
    assert not urgent


def test_item6_no_safe_place_tonight_is_urgent_with_crisis_resources():
    level, urgent, flags = _level_and_flags(home_safety=3)
    assert urgent and "no_safe_place" in flags
    assert rules.crisis_decision({"home_safety": 3}) == rules.CrisisDecision(False, True)
    assert not _level_and_flags(home_safety=2)[1]


def test_item8_lowest_positive_audit_c_gets_brief_advice_not_co_occurring_care():
    for overrides in (
        {"auditc_1": 2, "auditc_3": 1, "sex_at_birth": "female"},  # 3: women's cut-off
        {"auditc_1": 2, "auditc_2": 1, "auditc_3": 1, "sex_at_birth": "male"},  # 4: men's
    ):
        recommendation = recommend(answers(**overrides))
        assert "alcohol_brief_advice" in recommendation.flag_codes
        assert "dual_diagnosis" not in recommendation.flag_codes
        assert "substance_use" not in recommendation.conditions
    moderate = recommend(answers(auditc_1=4, auditc_2=2, auditc_3=2))  # 8: moderate or more
    assert "dual_diagnosis" in moderate.flag_codes
    assert "alcohol_brief_advice" not in moderate.flag_codes


# --- Live checks while answering ------------------------------------------------------------


@pytest.mark.parametrize(
    ("partial", "tier", "panel", "resources"),
    [
        ({}, "none", False, False),
        (None, "none", False, False),
        ({"phq9_9": "1"}, "none", False, True),
        ({"cssrs_1": 1}, "low", False, True),
        ({"cssrs_2": "1"}, "low", False, True),
        ({"cssrs_2": 1, "cssrs_3": 1}, "moderate", False, True),
        ({"cssrs_6": 1}, "moderate", False, True),
        ({"cssrs_2": 1, "cssrs_4": "1"}, "high", True, True),
        ({"cssrs_5": 1}, "high", True, True),
        ({"cssrs_6": "2"}, "high", True, True),
        ({"voices": 3}, "none", True, True),
        ({"harm_others": 3}, "none", True, True),
        ({"withdrawal_now": 3}, "none", True, True),
        ({"ed_medical": 3}, "none", True, True),
        ({"self_harm": 1}, "none", False, True),
        ({"harm_others": 1}, "none", False, True),
        # Issue 9 §3 and §5: new presentations that bring crisis resources (LOC §4.3).
        ({"overdose": 2}, "none", False, True),
        ({"overdose": 1}, "none", False, False),
        ({"home_safety": 3}, "none", False, True),
        ({"home_safety": 2}, "none", False, False),
        ({"high_energy": 1, "mania_judgement": 2}, "none", False, True),
        ({"phq9_9": "declined"}, "none", False, True),
        ({"cssrs_2": "declined"}, "none", False, True),
        ({"harm_gate": "declined"}, "none", False, True),
        ({"pcptsd5_gate": "declined"}, "none", False, False),
        ({"cssrs_4": "maybe", "phq9_1": [1], "days": 7}, "none", False, False),
    ],
)
def test_live_crisis_checks(partial, tier, panel, resources):
    assert crisis_tier(partial) == tier
    assert rules.crisis_decision(partial) == rules.CrisisDecision(panel=panel, resources=resources)
    # The old names are thin wrappers of the one decision, until the views call it directly.
    assert crisis_decision(partial).panel is panel
    assert crisis_decision(partial).resources is resources


def test_crisis_decision_agrees_with_the_recommendation():
    """The panel is shown exactly when the full recommendation is EMERGENCY."""
    for rule in rules.RULES:
        if rule.level != EMERGENCY:
            continue
        for _rule_id, _below, at, _above in [b for b in BOUNDARIES if b[0] == rule.id]:
            assert rules.crisis_decision(answers(**at)).panel
            assert recommend(answers(**at)).level == EMERGENCY
