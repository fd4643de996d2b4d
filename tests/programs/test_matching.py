"""programs.search.match_programs: the contract the assessment's result page relies on."""

import datetime as dt

import pytest
from django.utils import translation

from programs.levels import LevelOfCare
from programs.search import Match, Preferences, match_programs, score_program
from tests.programs.factories import (
    ProgramFactory,
    SessionFactory,
    TelehealthProgramFactory,
    add_sessions,
    evening_iop,
    morning_iop,
)

pytestmark = pytest.mark.django_db

LOUISVILLE = Preferences(zip_code="40202", radius_miles=25)


def prefs(**changes):
    values = {"zip_code": "40202", "radius_miles": 25, **changes}
    return Preferences(**values)


def test_emergency_returns_nothing_and_unknown_level_returns_nothing(django_assert_num_queries):
    evening_iop()
    with django_assert_num_queries(0):
        assert match_programs(LevelOfCare.EMERGENCY, LOUISVILLE) == []
        assert match_programs("EMERGENCY", LOUISVILLE) == []
        assert match_programs("nonsense", LOUISVILLE) == []


def test_best_fit_first_with_plain_reasons():
    best = evening_iop(name="Best", payment=["medicaid"], therapies=["dbt", "trauma_focused"])
    wrong_time = morning_iop(name="Mornings", payment=["medicaid"])
    wrong_insurance = evening_iop(name="Private only", payment=["private"])
    ProgramFactory(name="PHP nearby", level="PHP", payment=["medicaid"])
    matches = match_programs(
        "IOP",
        prefs(insurance="medicaid", days=["mon", "wed"], times=["evening"], flags=["trauma"]),
    )
    assert [m.program for m in matches][:1] == [best]
    assert {m.program for m in matches} == {best, wrong_time, wrong_insurance}
    top = matches[0]
    assert isinstance(top, Match) and not top.is_alternative and top.alternative_note == ""
    assert "accepts Medicaid" in top.fits
    assert "evening sessions Mon/Wed" in top.fits
    assert "offers trauma-focused therapy" in top.fits
    assert "less than a mile away" in top.fits
    assert top.misses == []
    by_name = {m.program.name: m for m in matches}
    assert "no evening sessions" in by_name["Mornings"].misses
    assert "does not list Medicaid" in by_name["Private only"].misses
    assert top.score > by_name["Mornings"].score
    assert top.distance_miles == 0.0


def test_distance_reason_and_order_among_equal_fits():
    near = evening_iop(name="Near", zip_code="40202")
    far = evening_iop(name="Far", zip_code="40601")  # Frankfort, ~50 mi
    matches = match_programs("IOP", prefs(radius_miles=60))
    assert [m.program for m in matches] == [near, far]
    assert any(reason.endswith("miles away") for reason in matches[1].fits)
    assert matches[1].distance_miles == pytest.approx(50, abs=5)


def test_inpatient_matches_inpatient_and_residential():
    hospital = ProgramFactory(name="Hospital", level="INPATIENT")
    residential = ProgramFactory(name="Residential", level="RESIDENTIAL")
    ProgramFactory(name="PHP", level="PHP")
    matches = match_programs("INPATIENT", prefs(insurance="medicaid"))
    assert [m.program for m in matches] == [hospital, residential]
    assert not any(m.is_alternative for m in matches)
    residential.payment = ["medicaid"]  # a better fit still comes after the hospital unit
    residential.save()
    assert [m.program for m in match_programs("INPATIENT", prefs(insurance="medicaid"))] == [
        hospital,
        residential,
    ]


def test_inpatient_is_never_offered_a_day_program_in_its_place():
    ProgramFactory(name="PHP", level="PHP")
    ProgramFactory(name="Far hospital", level="INPATIENT", location__zip_code="40507")
    matches = match_programs("INPATIENT", LOUISVILLE)
    assert [m.program.name for m in matches] == ["Far hospital"]
    assert matches[0].is_alternative
    assert "farther" in matches[0].alternative_note


def test_alternatives_when_nothing_at_the_level_is_near_are_labelled_in_order():
    php = ProgramFactory(name="PHP nearby", level="PHP")
    op = ProgramFactory(name="OP nearby", level="OP")
    far = ProgramFactory(name="IOP in Lexington", level="IOP", location__zip_code="40507")
    video = TelehealthProgramFactory(name="IOP by video", level="IOP")
    ProgramFactory(name="Residential", level="RESIDENTIAL")  # two steps away: never offered
    matches = match_programs("IOP", prefs(modality="in_person"), limit=10)
    assert [m.program for m in matches] == [video, php, far, op]
    assert all(m.is_alternative for m in matches)
    notes = [m.alternative_note for m in matches]
    assert "video" in notes[0]
    assert notes[1] == (
        "This is a partial hospitalization program, one step more intensive than IOP."
    )
    assert "farther" in notes[2]
    assert "less intensive" in notes[3]


def test_telehealth_at_the_level_counts_as_a_match_for_someone_open_to_it():
    video = TelehealthProgramFactory(name="Video IOP", level="IOP")
    ProgramFactory(name="PHP nearby", level="PHP")
    matches = match_programs("IOP", prefs(modality="both"))
    assert [m.program for m in matches] == [video]
    assert not matches[0].is_alternative
    assert "telehealth from home" in matches[0].fits


def test_telehealth_preference_prefers_video_programs():
    in_person = ProgramFactory(name="In person", level="IOP", modality="in_person")
    both = ProgramFactory(name="Both", level="IOP", modality="both")
    matches = match_programs("IOP", prefs(modality="telehealth"))
    assert [m.program for m in matches] == [both]
    ProgramFactory(name="Video elsewhere", level="PHP")  # irrelevant
    both.delete()
    matches = match_programs("IOP", prefs(modality="telehealth"))
    assert [m.program for m in matches] == [in_person]
    assert matches[0].is_alternative and "in person" in matches[0].alternative_note


def test_telehealth_program_in_another_state_is_not_a_match():
    ProgramFactory(
        name="Ohio video", level="IOP", modality="telehealth", location__zip_code="45202"
    )
    ProgramFactory(
        name="Indiana video", level="IOP", modality="telehealth", location__zip_code="46204"
    )
    assert match_programs("IOP", prefs(modality="telehealth")) == []


def test_flags_map_to_conditions_and_therapies():
    dual = ProgramFactory(name="Dual", conditions=["dual_diagnosis"])
    eating = ProgramFactory(name="Eating", conditions=["eating_disorders"])
    emdr = ProgramFactory(name="EMDR", therapies=["emdr"])
    matches = {m.program: m for m in match_programs("IOP", prefs(flags=["dual_diagnosis"]))}
    assert "treats co-occurring mental health and substance use" in matches[dual].fits
    assert (
        "does not list treatment for co-occurring mental health and substance use"
        in matches[eating].misses
    )
    assert list(matches)[0] == dual
    matches = match_programs("IOP", prefs(flags=["eating_disorder"]))
    assert matches[0].program == eating
    matches = match_programs("IOP", prefs(flags=["trauma"]))
    assert matches[0].program == emdr and "offers EMDR" in matches[0].fits


def test_no_insurance_matches_free_and_sliding_scale():
    sliding = ProgramFactory(name="Sliding", payment=["sliding_scale", "medicaid"])
    private = ProgramFactory(name="Private", payment=["private"])
    matches = match_programs("IOP", prefs(insurance="none"))
    assert [m.program for m in matches] == [sliding, private]
    assert "options without insurance: Sliding-scale fees" in matches[0].fits
    assert matches[1].misses == ["does not list free, sliding-scale or self-pay options"]


def test_unsure_insurance_and_empty_preferences_filter_nothing():
    ProgramFactory(payment=["private"])
    ProgramFactory(payment=[])
    matches = match_programs("IOP", prefs(insurance="unsure"))
    assert len(matches) == 2 and all(m.misses == [] for m in matches)


def test_age_language_and_new_patients_reasons():
    program = ProgramFactory(age_groups=["adult"], languages=["es"], accepting_new_patients=False)
    match = match_programs("IOP", prefs(age_group="teen", language="es"))[0]
    assert match.program == program
    assert "groups in Spanish" in match.fits
    assert "does not list your age group (Teen (13 to 17))" in match.misses
    assert "not taking new patients right now" in match.misses


def test_schedule_reasons_for_days():
    program = ProgramFactory()
    SessionFactory(program=program, weekday=1, start=dt.time(18), end=dt.time(21))
    match = match_programs("IOP", prefs(days=["mon"]))[0]
    assert match.misses == ["no sessions on Mon"]
    SessionFactory(program=program, weekday=0, start=dt.time(9), end=dt.time(12))
    match = match_programs("IOP", prefs(days=["mon"], times=["evening"]))[0]
    assert match.misses == ["no evening sessions on Mon"]
    match = match_programs("IOP", prefs(days=["mon", "tue"], times=["evening"]))[0]
    assert match.fits[1] == "evening sessions Tue"
    bare = ProgramFactory(name="No schedule")
    score, fits, misses = score_program(bare, None, 25, prefs(times=["evening"]))
    assert misses == ["session times not listed: call to ask"]


def test_without_a_zip_programs_still_match_without_distances():
    evening_iop(name="Somewhere")
    matches = match_programs("IOP", Preferences())
    assert [m.program.name for m in matches] == ["Somewhere"]
    assert matches[0].distance_miles is None and not matches[0].is_alternative
    assert match_programs("IOP", Preferences(zip_code="00000"))[0].distance_miles is None


def test_limit_is_respected():
    for _index in range(8):
        evening_iop()
    assert len(match_programs("IOP", LOUISVILLE)) == 5
    assert len(match_programs("IOP", LOUISVILLE, limit=3)) == 3


@pytest.mark.parametrize("count", [3, 40])
def test_matching_costs_three_queries(count, django_assert_num_queries):
    for _index in range(count):
        add_sessions(ProgramFactory(payment=["medicaid"]))
    ProgramFactory(level="PHP")
    with django_assert_num_queries(3):
        matches = match_programs("IOP", prefs(insurance="medicaid", times=["evening"]), limit=50)
        for match in matches:
            assert match.program.provider.name and match.program.location.city
    assert len(matches) == count


def test_reasons_are_translated():
    evening_iop(payment=["medicaid"])
    with translation.override("es"):
        matches = match_programs("IOP", prefs(insurance="medicaid"))
    assert matches  # strings go through gettext; no catalog yet, so English is fine
    assert all(isinstance(reason, str) for reason in matches[0].fits)


def _flags_for(**answers):
    """The flag codes the rules give for these answers (least severe everywhere else)."""
    from assessment import rules
    from tests.support.rule_cases import answers as complete

    return rules.recommend(complete(**answers)).flag_codes


def test_opioid_use_ranks_programs_offering_medication_first():
    """Issue 9 §5.2: medication for opioid use disorder first, even when farther and a worse fit
    otherwise."""
    flags = _flags_for(drug_screen=2, opioids=1)
    assert "opioid_use" in flags
    near = evening_iop(name="Near, no MOUD", payment=["medicaid"], zip_code="40202")
    mat = evening_iop(name="Farther, MOUD", therapies=["mat"], zip_code="40601")
    matches = match_programs("IOP", prefs(radius_miles=60, insurance="medicaid", flags=flags))
    assert [m.program for m in matches] == [mat, near]
    assert "offers medication for addiction treatment" in matches[0].fits
    # Without the flag the nearer, better-paying program comes first.
    plain = match_programs("IOP", prefs(radius_miles=60, insurance="medicaid"))
    assert [m.program for m in plain] == [near, mat]


def test_a_low_positive_audit_c_does_not_put_a_substance_program_first():
    """Issue 9 §5.8: an AUDIT-C at the lowest positive cut-off alone gives brief advice and must
    not put a substance-use program above a closer program for the main condition."""
    flags = _flags_for(phq9_1=2, phq9_2=2, auditc_1=2, auditc_3=1, sex_at_birth="female")
    assert "alcohol_brief_advice" in flags and "dual_diagnosis" not in flags
    depression = evening_iop(name="Depression, near", conditions=["depression"])
    substance = evening_iop(
        name="Dual diagnosis, farther",
        conditions=["dual_diagnosis", "substance_use"],
        therapies=["mat"],
        zip_code="40601",
    )
    matches = match_programs("IOP", prefs(radius_miles=60, flags=flags))
    assert [m.program for m in matches] == [depression, substance]
    assert not any("does not list" in miss for miss in matches[0].misses)
    # Moderate risk (AUDIT-C 8) does suggest co-occurring care.
    heavy = _flags_for(phq9_1=2, phq9_2=2, auditc_1=4, auditc_2=2, auditc_3=2)
    assert "dual_diagnosis" in heavy
    by_name = {
        m.program.name: m for m in match_programs("IOP", prefs(radius_miles=60, flags=heavy))
    }
    assert "treats co-occurring mental health and substance use" in by_name[substance.name].fits
