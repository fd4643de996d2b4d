"""Three people walking the self-assessment, as plain answer dicts (question id -> value).

Each dict holds exactly the answers the person gives: every question the assessment asks them
that it requires, the optional ones they choose to answer, and nothing it does not ask (a
question behind a closed gate is not shown). Values are as stored (ints for ordered questions,
codes for choices, lists for checkboxes). The ``fit`` answers (ZIP 40202 and so on) are included.

Used by the pure answer-count test (``tests/assessment/test_answer_counts.py``) and by the
browser tests, which tap these answers page by page. The issue 9 targets, counted from the
first step to the result (there is no consent tick: the result is shown unshared): CALM <= 25, MILD <= 35,
IOP <= 55.
"""

from __future__ import annotations

_NOW_CALM = {
    "phq9_1": 0,
    "phq9_2": 0,
    "gad7_1": 0,
    "gad7_2": 0,
    "phq9_9": 0,
    "cssrs_1": 0,
    "cssrs_2": 0,
    "cssrs_6": 0,
    "harm_gate": 0,
}

#: A calm person: no low mood or worry, does not drink or use drugs. Lands at OP.
CALM: dict = {
    **_NOW_CALM,
    # mood: PHQ-2 and GAD-2 of 0 close the rest of both; one gate question is left.
    "unusual_gate": 0,
    # substances: "Never" skips AUDIT-C items 2-3 (and sex at birth); no drug use skips DAST-10.
    "auditc_1": 0,
    "drug_screen": 0,
    "sedatives": 0,
    # trauma_eating: two gate questions.
    "pcptsd5_gate": 0,
    "eating_gate": 0,
    # daily_life: nothing reported, so past treatment and readiness are not asked.
    "self_care": 0,
    "home_support": 0,
    "home_safety": 0,
    "medical_problems": 0,
    # fit
    "zip_code": "40202",
    "insurance": "private",
    "age_group": "adult",
    "modality": "both",
}

#: A mildly low person: PHQ-2 of 2 (the rest of the PHQ-9 opens; total 5, "mild"), GAD-2 of 1
#: (the rest of the GAD-7 stays closed), drinks monthly or less. Lands at OP.
MILD: dict = {
    **_NOW_CALM,
    "phq9_1": 1,
    "phq9_2": 1,
    "gad7_1": 1,
    # mood
    "phq9_3": 1,
    "phq9_4": 1,
    "phq9_5": 0,
    "phq9_6": 1,
    "phq9_7": 0,
    "phq9_8": 0,
    "phq9_difficulty": 1,
    "unusual_gate": 0,
    # substances
    "auditc_1": 1,
    "auditc_2": 0,
    "auditc_3": 0,
    "sex_at_birth": "female",
    "drug_screen": 0,
    "sedatives": 0,
    # trauma_eating
    "pcptsd5_gate": 0,
    "eating_gate": 0,
    # daily_life
    "self_care": 1,
    "home_support": 0,
    "home_safety": 0,
    "medical_problems": 0,
    "past_treatment": 0,
    "engagement": 0,
    # fit
    "zip_code": "40202",
    "insurance": "medicaid",
    "age_group": "adult",
}

#: Moderate-severe depression (PHQ-9 16) and moderate anxiety (GAD-7 13), falling behind at
#: work, treatment before did not help much, some drinking (AUDIT-C 3, brief advice). No
#: suicide risk. Lands at IOP; answers every preference question on the last page.
IOP: dict = {
    **_NOW_CALM,
    "phq9_1": 2,
    "phq9_2": 3,
    "gad7_1": 2,
    "gad7_2": 2,
    # mood
    "phq9_3": 2,
    "phq9_4": 2,
    "phq9_5": 2,
    "phq9_6": 2,
    "phq9_7": 2,
    "phq9_8": 1,
    "phq9_difficulty": 2,
    "gad7_3": 2,
    "gad7_4": 2,
    "gad7_5": 1,
    "gad7_6": 2,
    "gad7_7": 2,
    "unusual_gate": 0,
    # substances
    "auditc_1": 2,
    "auditc_2": 0,
    "auditc_3": 1,
    "sex_at_birth": "female",
    "drug_screen": 0,
    "sedatives": 0,
    # trauma_eating
    "pcptsd5_gate": 0,
    "eating_gate": 0,
    # daily_life
    "daily_functioning": 2,
    "self_care": 1,
    "home_support": 1,
    "home_safety": 1,
    "medical_problems": 0,
    "withdrawal_history": 0,
    "withdrawal_now": 0,
    "past_treatment": 3,
    "recent_crisis_care": 0,
    "engagement": 1,
    # fit
    "zip_code": "40202",
    "insurance": "medicaid",
    "age_group": "adult",
    "modality": "in_person",
    "language": "en",
    "days": ["mon", "wed", "thu"],
    "times": ["evening"],
    "hours_available": "9to19",
}

SCENARIOS: dict[str, dict] = {"CALM": CALM, "MILD": MILD, "IOP": IOP}
#: The issue 9 targets: answers given from the first step to the result.
TARGETS: dict[str, int] = {"CALM": 25, "MILD": 35, "IOP": 55}
#: The level each person should land at.
LEVELS: dict[str, str] = {"CALM": "OP", "MILD": "OP", "IOP": "IOP"}
