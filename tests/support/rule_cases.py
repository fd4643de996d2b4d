"""Answer sets for the rules tests (no database): a complete least-severe answer set with
overrides, recipes that give exact dimension ratings, instrument totals as item answers, and one
boundary case per rule.

Used by ``tests/assessment/test_rules.py``, ``test_rules_properties.py`` and the matching tests
in ``tests/programs/test_matching.py``.
"""

from assessment.instruments import QUESTIONS
from assessment.rules import DIMENSION_KEYS


def answers(**overrides):
    """A complete answer set: the least severe answer everywhere, then ``overrides``."""
    base = {q.id: q.least_severe for q in QUESTIONS}
    base.update(zip_code="02139", age_group="adult", respondent="self", language="en")
    base.update(modality="both", insurance="private")
    return {**base, **overrides}


# One answer recipe per dimension rating, each touching only that dimension's questions.
RECIPES = {
    "risk_of_harm": {1: {}, 2: {"harm_others": 1}, 3: {"self_harm": 2}, 4: {"self_harm": 3}},
    "functional_status": {
        1: {},
        2: {"daily_functioning": 1},
        3: {"daily_functioning": 2},
        4: {"daily_functioning": 3},
        5: {"self_care": 3},
    },
    "co_occurring": {
        1: {},
        2: {"medical_problems": 1},
        3: {"medical_problems": 2},
        4: {"medical_problems": 3},
        5: {"ed_medical": 2},
    },
    "recovery_environment": {
        1: {},
        2: {"home_support": 1},
        3: {"home_support": 2},
        4: {"home_safety": 2},
        5: {"home_safety": 3},
    },
    "treatment_history": {
        1: {},
        2: {"past_treatment": 2},
        3: {"past_treatment": 3},
        4: {"past_treatment": 4},
        5: {"recent_crisis_care": 3},
    },
    "engagement": {n: {"engagement": n - 1} for n in range(1, 6)},
}


def profile(risk=1, func=1, co=1, env=1, hist=1, eng=1) -> dict:
    """Answer overrides that give exactly these six dimension ratings."""
    ratings = dict(zip(DIMENSION_KEYS, (risk, func, co, env, hist, eng), strict=True))
    overrides = {}
    for key, rating in ratings.items():
        overrides.update(RECIPES[key][rating])
    return overrides


def phq9_at(total):
    """PHQ-9 items adding up to ``total``, the first items first (item 9 left at 0 below 25)."""
    values = {}
    for n in range(1, 10):
        values[f"phq9_{n}"] = min(3, total)
        total -= values[f"phq9_{n}"]
    return values


def gad7_at(total):
    """GAD-7 items adding up to ``total``, the first items first."""
    values = {}
    for n in range(1, 8):
        values[f"gad7_{n}"] = min(3, total)
        total -= values[f"gad7_{n}"]
    return values


def yes_to(prefix, count, first=1):
    """``count`` yes answers (1) to ``prefix``_first, ``prefix``_first+1, ..."""
    return {f"{prefix}_{n}": 1 for n in range(first, first + count)}


def auditc_at(total, sex):
    """AUDIT-C items adding up to ``total``, with the sex at birth its cut-off depends on."""
    values = {"sex_at_birth": sex}
    for n in (1, 2, 3):
        values[f"auditc_{n}"] = min(4, total)
        total -= values[f"auditc_{n}"]
    return values


P = profile

#: Every rule (except the default) at and around its boundary: (rule id, one step below: the
#: rule does not hold, at: the rule holds and decides, above: it still holds, or None).
BOUNDARIES = [
    (
        "emergency_suicide_high_risk",
        {"cssrs_1": 1, "cssrs_2": 1, "cssrs_3": 1, "cssrs_6": 1},
        {"cssrs_2": 1, "cssrs_4": 1},
        {"cssrs_2": 1, "cssrs_4": 1, "cssrs_5": 1, "cssrs_6": 2},
    ),
    ("emergency_suicide_high_risk", {"cssrs_2": 1}, {"cssrs_2": 1, "cssrs_5": 1}, None),
    ("emergency_suicide_high_risk", {"cssrs_6": 1}, {"cssrs_6": 2}, None),
    ("emergency_intent_to_harm_others", {"harm_others": 2}, {"harm_others": 3}, None),
    ("emergency_command_voices", {"voices": 2}, {"voices": 3}, None),
    (
        "emergency_psychosis_or_mania_cannot_self_care",
        {"voices": 2, "self_care": 2},
        {"voices": 2, "self_care": 3},
        {"voices": 3, "self_care": 3},
    ),
    (
        "emergency_psychosis_or_mania_cannot_self_care",
        {"high_energy": 1, "self_care": 3},
        {"high_energy": 2, "self_care": 3},
        {"high_energy": 3, "self_care": 3},
    ),
    ("emergency_withdrawal_now", {"withdrawal_now": 2}, {"withdrawal_now": 3}, None),
    ("emergency_eating_fainting_or_heart", {"ed_medical": 2}, {"ed_medical": 3}, None),
    ("inpatient_serious_risk_of_harm", P(risk=3), P(risk=4), {"self_harm": 3, "harm_others": 2}),
    (
        "inpatient_serious_risk_of_harm",
        {"cssrs_2": 1, "cssrs_3": 1, "phq9_9": 2},
        {"cssrs_2": 1, "cssrs_3": 1, "phq9_9": 3},
        {"cssrs_2": 1, "cssrs_3": 1, "cssrs_6": 1, "phq9_9": 3},
    ),
    ("inpatient_serious_risk_of_harm", {"harm_others": 1}, {"harm_others": 2}, {"harm_others": 3}),
    ("inpatient_cannot_care_for_self", {"self_care": 2}, {"self_care": 3}, None),
    # Issue 9 §5.3: mania or psychosis with impaired judgement and little insight.
    (
        "inpatient_mania_or_psychosis_impaired_judgement",
        {"unusual_gate": 1, "high_energy": 1, "mania_judgement": 1},
        {"unusual_gate": 1, "high_energy": 1, "mania_judgement": 2},
        {"unusual_gate": 1, "high_energy": 3, "voices": 2, "mania_judgement": 2},
    ),
    (
        "inpatient_mania_or_psychosis_impaired_judgement",
        {"unusual_gate": 1, "unusual_beliefs": 0, "mania_judgement": 2},
        {"unusual_gate": 1, "unusual_beliefs": 1, "mania_judgement": 2},
        None,
    ),
    # Issue 9 §5.1: a past seizure or DTs with any current withdrawal symptom, or with heavy
    # daily drinking by the NIAAA limits by sex, is medically monitored care.
    (
        "inpatient_withdrawal_or_medical_danger",
        {"withdrawal_history": 1, "withdrawal_now": 0},
        {"withdrawal_history": 1, "withdrawal_now": 1},
        {"withdrawal_history": 1, "withdrawal_now": 3},
    ),
    (
        "inpatient_withdrawal_or_medical_danger",
        {"withdrawal_history": 0, "withdrawal_now": 1},
        {"withdrawal_history": 1, "withdrawal_now": 1},
        None,
    ),
    (
        "inpatient_withdrawal_or_medical_danger",
        {"withdrawal_history": 1, "auditc_1": 4, "auditc_2": 1, "sex_at_birth": "male"},
        {"withdrawal_history": 1, "auditc_1": 4, "auditc_2": 2, "sex_at_birth": "male"},
        {"withdrawal_history": 1, "auditc_1": 4, "auditc_2": 3, "sex_at_birth": "male"},
    ),
    (
        "inpatient_withdrawal_or_medical_danger",
        {"withdrawal_history": 1, "auditc_1": 4, "auditc_2": 0, "sex_at_birth": "female"},
        {"withdrawal_history": 1, "auditc_1": 4, "auditc_2": 1, "sex_at_birth": "female"},
        {"withdrawal_history": 1, "auditc_1": 4, "auditc_2": 2, "sex_at_birth": "female"},
    ),
    (
        "inpatient_withdrawal_or_medical_danger",
        {"withdrawal_history": 1, "auditc_1": 3, "auditc_3": 3},
        {"withdrawal_history": 1, "auditc_1": 3, "auditc_3": 4},
        None,
    ),
    (
        "inpatient_withdrawal_or_medical_danger",
        {"withdrawal_history": 1, "auditc_1": 3, "auditc_2": 4},
        {"withdrawal_history": 1, "auditc_1": 4, "auditc_2": 4},
        None,
    ),
    ("inpatient_withdrawal_or_medical_danger", {"ed_medical": 1}, {"ed_medical": 2}, None),
    (
        "inpatient_serious_need_little_support",
        P(func=4, env=3),
        P(func=4, env=4),
        P(func=4, env=5),
    ),
    ("inpatient_serious_need_little_support", P(func=3, env=4), P(func=4, env=4), None),
    ("inpatient_serious_need_little_support", P(co=3, env=4), P(co=4, env=4), None),
    (
        "inpatient_day_program_not_safe_at_night",
        {**P(risk=3, hist=4), "home_support": 2},
        {**P(risk=3, hist=4), "home_support": 3},
        {**P(risk=3, hist=4), "home_support": 3, "home_safety": 3},
    ),
    (
        "inpatient_day_program_not_safe_at_night",
        {**P(risk=3, hist=4), "home_safety": 2},
        {**P(risk=3, hist=4), "home_safety": 3},
        None,
    ),
    (
        "inpatient_composite",
        P(risk=3, func=3, co=3, env=4, hist=4, eng=3),  # 20
        P(risk=3, func=3, co=3, env=4, hist=4, eng=4),  # 21
        P(risk=3, func=3, co=3, env=4, hist=4, eng=5),  # 22
    ),
    # Issue 9 §5.5: a positive SCOFF with dizziness, weakness or fainting from restriction.
    (
        "php_eating_disorder_medical_signs",
        {"eating_gate": 1, **yes_to("scoff", 1), "ed_medical": 1},
        {"eating_gate": 1, **yes_to("scoff", 2), "ed_medical": 1},
        {"eating_gate": 1, **yes_to("scoff", 3), "ed_medical": 3},
    ),
    (
        "php_eating_disorder_medical_signs",
        {"eating_gate": 1, **yes_to("scoff", 2), "ed_medical": 0},
        {"eating_gate": 1, **yes_to("scoff", 2), "ed_medical": 1},
        None,
    ),
    ("php_serious_need_with_support", P(func=3), P(func=4), P(func=4, co=4)),
    ("php_serious_need_with_support", P(co=3), P(co=4), None),
    ("php_serious_need_with_support", {"self_care": 1}, {"self_care": 2}, None),
    ("php_crises_despite_treatment", P(risk=3, hist=3), P(risk=3, hist=4), P(risk=3, hist=5)),
    ("php_crises_despite_treatment", P(risk=2, hist=4), P(risk=3, hist=4), None),
    ("php_crises_despite_treatment", P(func=2, hist=4), P(func=3, hist=4), None),
    (
        "php_composite",
        P(risk=2, func=3, co=2, env=3, hist=3, eng=4),  # 17
        P(risk=2, func=3, co=2, env=3, hist=3, eng=5),  # 18
        P(risk=2, func=3, co=2, env=4, hist=3, eng=5),  # 19
    ),
    ("iop_two_moderate_needs", P(risk=3, func=2), P(risk=3, func=3), P(risk=3, func=3, co=3)),
    ("iop_two_moderate_needs", P(co=3, func=2), P(co=3, func=3), None),
    (
        "iop_moderate_need_not_helped_before",
        P(risk=3, hist=2),
        P(risk=3, hist=3),
        P(risk=3, hist=4),
    ),
    ("iop_moderate_need_not_helped_before", P(func=2, hist=3), P(func=3, hist=3), None),
    ("iop_moderate_need_little_support", P(risk=3, env=2), P(risk=3, env=3), P(risk=3, env=4)),
    ("iop_moderate_need_little_support", P(co=2, env=3), P(co=3, env=3), None),
    # Issue 9 §5.1: current withdrawal with heavy daily drinking (NIAAA limits by sex) or with
    # daily benzodiazepines, and no seizure/DT history: never outpatient.
    (
        "iop_withdrawal_needs_medical_care",
        {"withdrawal_now": 0, "auditc_1": 4, "auditc_2": 1},
        {"withdrawal_now": 1, "auditc_1": 4, "auditc_2": 1},
        {"withdrawal_now": 1, "sedatives": 1, "auditc_1": 4, "auditc_2": 2},
    ),
    (
        "iop_withdrawal_needs_medical_care",
        {"withdrawal_now": 1, "auditc_1": 4, "auditc_2": 1, "sex_at_birth": "male"},
        {"withdrawal_now": 1, "auditc_1": 4, "auditc_2": 2, "sex_at_birth": "male"},
        None,
    ),
    (
        "iop_withdrawal_needs_medical_care",
        {"sedatives": 1, "withdrawal_now": 0},
        {"sedatives": 1, "withdrawal_now": 1},
        None,
    ),
    (
        "iop_composite",
        P(risk=2, func=2, co=2, env=3, hist=2, eng=3),  # 14
        P(risk=2, func=2, co=2, env=3, hist=2, eng=4),  # 15
        P(risk=2, func=2, co=2, env=3, hist=2, eng=5),  # 16
    ),
]
