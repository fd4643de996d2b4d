"""Issue 10, sharing is a choice: the result is shown without sharing; "Let the admissions team
see my answers and call me" is the one share action (call back, referral, insurance, consent),
stored once with ``submission_shared`` sent once; a refused form keeps everything typed."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from assessment.models import Submission
from assessment.signals import submission_shared
from assessment.wizard import REVIEW, Kind, Wizard
from tests.support.wizard_walk import walk

pytestmark = pytest.mark.django_db

SHARE = {
    "contact_name": "Jordan",
    "contact_phone": "(502) 555-0142",
    "contact_email": "",
    "best_time": "evenings",
    "referral_source": "other",
    "referral_source_other": "A poster at the library",
    "insurance_payer": "Acme Health",
    "insurance_member_id": "XZ-123",
    "contact_consent": "on",
}


def callback_url(submission) -> str:
    return f"/assessment/r/{submission.token}/call-back/"


def flat(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def shared_signals():
    sent = []

    def receiver(sender, submission, **kwargs):
        sent.append(submission.pk)

    submission_shared.connect(receiver)
    yield sent
    submission_shared.disconnect(receiver)


def test_the_result_is_shown_without_sharing_and_the_run_is_stored_unshared(client):
    response = walk(client)
    submission = Submission.objects.get()
    assert submission.shared_at is None and not submission.callback_requested
    assert submission.ui_language == "en"
    assert Submission.objects.shared().count() == 0
    page = client.get(response["Location"])
    html = flat(page)
    assert page.status_code == 200
    assert "Let the admissions team see my answers and call me" in html
    assert "nobody on our team sees your answers" in html
    assert "After 30 days they are deleted. Staff cannot see them." in html


def test_the_final_post_stores_the_active_language():
    from tests.assessment.test_wizard import Session, data, walk_to

    machine = Wizard(Session())
    walk_to(machine, REVIEW)
    with translation.override("es"):
        outcome = machine.post(REVIEW, data(machine, REVIEW))
    assert outcome.kind == Kind.RESULT
    assert Submission.objects.get(token=outcome.token).ui_language == "es"


def test_an_urgent_unshared_result_leads_with_crisis_help_and_says_nobody_is_watching(
    client, make_submission
):
    submission = make_submission(cssrs_1=1, cssrs_2=1, cssrs_6=2)
    assert submission.urgent
    html = flat(client.get(submission.get_absolute_url()))
    assert html.index('href="tel:988"') < html.index("Let the admissions team")
    assert "Nobody is watching this page." in html


def test_sharing_stores_everything_marks_the_run_shared_and_signals_once(
    client, make_submission, shared_signals
):
    submission = make_submission()
    response = client.post(callback_url(submission), SHARE)
    assert response.status_code == 302
    assert response["Location"] == f"/assessment/r/{submission.token}/#call-back"
    submission.refresh_from_db()
    assert submission.shared_at is not None
    assert submission.callback_requested and submission.contact_consent
    assert submission.contact_phone == "+15025550142"
    assert submission.referral_source == "other"
    assert submission.referral_source_other == "A poster at the library"
    assert (submission.insurance_payer, submission.insurance_member_id) == ("Acme Health", "XZ-123")
    assert shared_signals == [submission.pk]
    page = flat(client.get(response["Location"]))
    assert "We have your request for a call back." in page
    assert 'name="contact_phone"' not in page
    # A replay (double click, Back and send again) changes nothing and signals nothing.
    again = client.post(callback_url(submission), {**SHARE, "contact_phone": "502-555-0100"})
    assert again.status_code == 302
    submission.refresh_from_db()
    assert submission.contact_phone == "+15025550142"
    assert shared_signals == [submission.pk]


def test_a_refused_share_keeps_everything_typed_and_focuses_the_error_summary(
    client, make_submission, shared_signals
):
    submission = make_submission()
    typed = {**SHARE, "contact_phone": "555", "contact_consent": ""}
    response = client.post(callback_url(submission), typed)
    html = flat(response)
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert 'id="error-summary" data-always-focus' in html
    assert 'href="#id_contact_phone"' in html and 'href="#id_contact_consent"' in html
    for value in ("Jordan", "555", "evenings", "A poster at the library", "Acme Health", "XZ-123"):
        assert f'value="{value}"' in html, value
    assert re.search(r'<option value="other" selected>', html)
    assert '<details class="callback-more" open>' in html
    submission.refresh_from_db()
    assert submission.shared_at is None and shared_signals == []


def test_a_member_id_needs_the_insurance_company(client, make_submission):
    submission = make_submission()
    data = {**SHARE, "insurance_payer": ""}
    html = flat(client.post(callback_url(submission), data))
    assert "Tell us the insurance company too" in html
    assert Submission.objects.shared().count() == 0


def test_other_text_without_a_choice_counts_as_other_and_is_dropped_for_another_choice(
    client, make_submission
):
    first, second = make_submission(), make_submission()
    client.post(callback_url(first), {**SHARE, "referral_source": ""})
    client.post(callback_url(second), {**SHARE, "referral_source": "doctor"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.referral_source, first.referral_source_other) == (
        "other",
        "A poster at the library",
    )
    assert (second.referral_source, second.referral_source_other) == ("doctor", "")


def test_the_page_order_is_level_reasons_programs_first_visit_then_the_share_form(
    client, make_submission
):
    html = flat(client.get(make_submission().get_absolute_url()))
    order = [
        'id="level-title"',
        'id="programs-title"',
        'id="first-visit-title"',
        'id="call-back-title"',
        'id="keep-title"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert "/static/css/programs.css" in html


def test_unshared_runs_past_the_result_lifetime_are_the_ones_to_purge(make_submission, settings):
    from datetime import timedelta

    from django.utils import timezone

    old_unshared, old_shared, new_unshared = make_submission(), make_submission(), make_submission()
    long_ago = timezone.now() - timedelta(days=settings.RESULT_LINK_DAYS + 1)
    Submission.objects.filter(pk__in=[old_unshared.pk, old_shared.pk]).update(created_at=long_ago)
    Submission.objects.filter(pk=old_shared.pk).update(shared_at=long_ago)
    assert list(Submission.objects.unshared_past_result_life()) == [old_unshared]
    assert new_unshared.shared_at is None
