"""The result page: what the person was told when they sent their answers (the stored snapshot,
never matched again, with "Search again" for fresh results), and the clinical extras of issue 9
(naloxone information for opioid use)."""

import re

import pytest

from programs.models import Program
from tests.programs.factories import TelehealthProgramFactory, evening_iop
from tests.support.rule_cases import phq9_at

pytestmark = pytest.mark.django_db

#: Answers that give IOP (with the "fit" preferences: ZIP 40202, Medicaid, Mon/Wed evenings).
IOP_ANSWERS = {**phq9_at(17), "daily_functioning": 2, "past_treatment": 3}


def result_html(client, submission) -> str:
    response = client.get(submission.get_absolute_url())
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def programs_section(html: str) -> str:
    return html.split('aria-labelledby="programs-title"')[1].split("</section>")[0]


def test_the_page_shows_the_programs_the_person_was_told_about(client, make_submission):
    program = evening_iop(name="Riverside IOP", payment=["private"], intake_phone="502-555-0199")
    submission = make_submission(**IOP_ANSWERS)
    assert submission.level == "IOP"
    # The directory changes after the answers were sent.
    Program.objects.filter(pk=program.pk).update(name="Renamed IOP", intake_phone="")
    evening_iop(name="Newer IOP", payment=["medicaid"])

    html = programs_section(result_html(client, submission))
    assert f'<a href="/programs/{program.slug}/">Riverside IOP</a>' in html
    assert f"<span>{program.provider.name}</span>" in html
    assert '<span class="level-badge">Intensive outpatient (IOP)</span>' in html
    assert "less than a mile away" in html
    assert '<span aria-hidden="true">✓</span> evening sessions Mon/Wed' in html
    assert "Things to check:" in html and "<li>does not list Medicaid</li>" in html
    assert 'href="tel:+15025550199"' in html and "Call intake: 502-555-0199" in html
    assert "Renamed IOP" not in html and "Newer IOP" not in html
    assert "These are the programs we found for you when you sent your answers on" in html


def test_search_again_leads_to_the_directory_with_the_level_and_preferences(
    client, make_submission
):
    submission = make_submission(**IOP_ANSWERS)
    html = programs_section(result_html(client, submission))
    search = (
        "/programs/?level=IOP&amp;zip=40202&amp;insurance=medicaid&amp;day=mon&amp;day=wed"
        "&amp;time=evening&amp;language=en&amp;age=adult"
    )
    assert f'<a class="btn btn-outline-primary" href="{search}">Search again</a>' in html


def test_nothing_found_then_says_so_and_offers_to_search_again(client, make_submission):
    submission = make_submission(**IOP_ANSWERS)
    assert submission.matched_programs == []
    html = programs_section(result_html(client, submission))
    assert "match-list" not in html and "These are the programs we found" not in html
    assert "We did not find a program in our directory that fit when you sent your answers." in html
    assert '<a href="/programs/?level=IOP&amp;zip=40202' in html


def test_alternatives_and_telehealth_are_shown_as_they_were_told(client, make_submission):
    TelehealthProgramFactory(name="Video PHP", level="PHP", intake_phone="")
    submission = make_submission(**IOP_ANSWERS, modality="both")
    [told] = submission.matched_programs
    assert told["is_alternative"] and told["alternative_note"]
    html = programs_section(result_html(client, submission))
    assert '<li class="match-card match-alternative">' in html
    assert f"<strong>Another option</strong> {told['alternative_note']}" in html
    assert "<span>· Telehealth (video)</span>" in html
    assert "Call intake" not in html


def test_an_old_snapshot_still_shows(client, make_submission):
    submission = make_submission(**IOP_ANSWERS)
    # Stored before the provider, phone and notes were kept.
    submission.matched_programs = [
        {
            "id": 1,
            "name": "Evening IOP at Riverside",
            "slug": "evening-iop-riverside",
            "level": "IOP",
            "distance_miles": 3.2,
            "fits": ["takes Medicaid"],
            "misses": [],
            "is_alternative": False,
        }
    ]
    submission.save(update_fields=["matched_programs"])
    html = programs_section(result_html(client, submission))
    assert '<a href="/programs/evening-iop-riverside/">Evening IOP at Riverside</a>' in html
    assert "3.2 miles away" in html and '<span aria-hidden="true">✓</span> takes Medicaid' in html
    assert "Call intake" not in html and "Another option" not in html


def test_a_known_wait_shows_on_the_match(client, make_submission):
    submission = make_submission(**IOP_ANSWERS)
    submission.matched_programs = [
        {"name": "Evening IOP", "slug": "evening-iop", "level": "IOP", "wait_days": 10}
    ]
    submission.save(update_fields=["matched_programs"])
    html = programs_section(result_html(client, submission))
    assert '<p class="match-wait">Typical wait: about 10 days</p>' in html


def test_the_result_page_reads_only_the_submission(
    client, make_submission, django_assert_num_queries
):
    evening_iop(payment=["medicaid"])
    submission = make_submission(**IOP_ANSWERS)
    assert len(submission.matched_programs) == 1
    # The Submission, and the demo-data flag every page reads (cached for a minute). The
    # programs come from the stored snapshot: before, the page matched them again on every
    # view, with three more queries (5 on the first view, 4 after).
    with django_assert_num_queries(2):
        response = client.get(submission.get_absolute_url())
    assert response.status_code == 200
    with django_assert_num_queries(1):
        assert client.get(submission.get_absolute_url()).status_code == 200


def test_opioid_use_shows_naloxone_information(client, make_submission):
    submission = make_submission(drug_screen=2, opioids=1, overdose=0)
    assert "opioid_use" in [flag["code"] for flag in submission.flags]
    html = result_html(client, submission)
    assert 'aria-labelledby="naloxone-title"' in html
    assert "Naloxone (Narcan) can save a life" in html
    assert 'href="tel:911"' in html
    assert "style=" not in html.split('id="naloxone-title"')[1].split("</section>")[0]


def test_no_naloxone_section_without_opioid_use(client, make_submission):
    html = result_html(client, make_submission(drug_screen=1, opioids=0, overdose=0))
    assert "naloxone-title" not in html
