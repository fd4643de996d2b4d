"""Outcomes move the status; the insurance benefits check; the member ID masked everywhere
except for people who may reveal it, and every reveal audited."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from admissions import contact
from admissions.models import AuditEvent, Case, PipelineChange
from programs.models import Program, Provider
from tests.admissions.factories import SubmissionFactory, with_callback

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assessment/submission/"


def page_url(submission):
    return f"{QUEUE}{submission.pk}/change/"


def post(client, submission, **data):
    return client.post(page_url(submission), {"status": submission.case.status, **data})


@pytest.fixture
def program():
    provider = Provider.objects.create(name="Riverside Health", slug="riverside-health")
    return Program.objects.create(
        provider=provider,
        name="Evening IOP at Riverside",
        slug="evening-iop-riverside",
        level="IOP",
    )


@pytest.mark.parametrize(
    ("outcome", "extra", "status"),
    [
        ("assessment_booked", {"assessment_on": "2026-12-03"}, "intake_scheduled"),
        ("admitted", {"admitted_on": "2026-12-07"}, "admitted"),
        ("not_admitted", {"not_admitted_reason": "insurance"}, "closed"),
        ("referred", {"outcome_service": "County crisis team"}, "referred"),
    ],
)
def test_each_outcome_moves_the_status(coordinator_client, outcome, extra, status):
    submission = with_callback()
    response = post(coordinator_client, submission, outcome=outcome, **extra)
    assert response.status_code == 302
    case = Case.objects.get(pk=submission.pk)
    assert (case.outcome, case.status) == (outcome, status)
    assert case.status_changed_at is not None
    fields = set(PipelineChange.objects.values_list("field", flat=True))
    assert {"status", "outcome"} <= fields
    assert AuditEvent.objects.filter(action="changed", submission_id=submission.pk).exists()


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        ("assessment_booked", "Give the assessment date."),
        ("admitted", "Give the admission date."),
        ("not_admitted", "Choose why."),
        ("referred", "Choose a program or name the outside service."),
    ],
)
def test_an_outcome_without_its_detail_is_refused(coordinator_client, outcome, message):
    submission = with_callback()
    response = post(coordinator_client, submission, outcome=outcome, follow_up_reason="keep me")
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'value="keep me"' in html  # nothing typed is lost
    assert Case.objects.get(pk=submission.pk).outcome == ""


def test_referred_to_a_program_the_person_was_shown(coordinator_client, program):
    submission = with_callback(
        matched_programs=[{"id": program.pk, "name": program.name, "slug": program.slug}]
    )
    html = coordinator_client.get(page_url(submission)).content.decode()
    assert f'<option value="{program.pk}">Evening IOP at Riverside' in html
    post(coordinator_client, submission, outcome="referred", outcome_program=program.pk)
    case = Case.objects.get(pk=submission.pk)
    assert (case.outcome_program, case.status) == (program, "referred")


def test_admitted_keeps_the_assessment_date(coordinator_client):
    submission = with_callback()
    post(coordinator_client, submission, outcome="assessment_booked", assessment_on="2026-12-03")
    submission.case.refresh_from_db()
    post(
        coordinator_client,
        submission,
        status="intake_scheduled",
        outcome="admitted",
        assessment_on="2026-12-03",
        admitted_on="2026-12-07",
    )
    case = Case.objects.get(pk=submission.pk)
    assert (case.assessment_on, case.admitted_on) == (dt.date(2026, 12, 3), dt.date(2026, 12, 7))
    assert case.status == "admitted"


def test_a_benefits_check_is_stamped_and_its_notes_stay_out_of_the_audit(coordinator_client):
    submission = with_callback()
    before = timezone.now()
    post(
        coordinator_client,
        submission,
        benefits_status="auth_needed",
        benefits_notes="Prior auth, ref 99812",
    )
    case = Case.objects.get(pk=submission.pk)
    assert case.benefits_status == "auth_needed" and case.benefits_checked_at >= before
    event = AuditEvent.objects.get(action="changed")
    assert event.changes["benefits_notes"] == {"changed": True}
    assert event.changes["benefits_status"] == {"from": "Not started", "to": "Authorization needed"}
    html = coordinator_client.get(page_url(submission)).content.decode()
    assert "Authorization needed" in html


def test_member_id_is_masked_and_every_reveal_is_audited(coordinator_client, coordinator):
    submission = with_callback(insurance_payer="Anthem", insurance_member_id="XQH448821")
    html = coordinator_client.get(page_url(submission)).content.decode()
    assert "XQH448821" not in html and "•••• 8821" in html and "Anthem" in html
    reveal = f"{QUEUE}{submission.pk}/member-id/"
    shown = coordinator_client.get(reveal).content.decode()
    assert "XQH448821" in shown
    event = AuditEvent.objects.get(action="member_id_shown")
    assert (event.actor, event.submission_id) == (coordinator, submission.pk)
    queue = coordinator_client.get(QUEUE).content.decode()
    assert "XQH448821" not in queue


def test_the_member_id_page_is_refused_without_the_permission(client, plain_staff, editor):
    submission = with_callback(insurance_member_id="XQH448821")
    for user in (plain_staff, editor):
        client.force_login(user)
        response = client.get(f"{QUEUE}{submission.pk}/member-id/")
        assert response.status_code == 403 and b"XQH448821" not in response.content
    assert not AuditEvent.objects.filter(action="member_id_shown").exists()
    unshared = with_callback(shared=False, insurance_member_id="ZZZ000111")
    client.force_login(plain_staff)
    assert client.get(f"{QUEUE}{unshared.pk}/member-id/").status_code in (403, 404)


def export_rows(client, *submissions):
    response = client.post(
        QUEUE, {"action": "export_csv", "_selected_action": [s.pk for s in submissions]}
    )
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_exports_show_the_member_id_only_to_those_who_may_reveal_it(
    coordinator_client, client, settings
):
    from django.contrib.auth.models import Permission

    from tests.admissions.factories import staff_user

    submission = with_callback(insurance_payer="Anthem", insurance_member_id="XQH448821")
    (row,) = export_rows(coordinator_client, submission)
    assert row["insurance_member_id"] == "XQH448821" and row["insurance_payer"] == "Anthem"
    event = AuditEvent.objects.get(action="exported_csv")
    assert event.changes == {"member_id": "shown"}

    exporter = staff_user("exporter")
    exporter.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_submission", "export_submission"],
            content_type__app_label="assessment",
        )
    )
    client.force_login(exporter)
    (row,) = export_rows(client, submission)
    assert row["insurance_member_id"] == "•••• 8821"


def test_phone_numbers_in_national_format_and_the_formula_guard_stays():
    assert contact.national_format("+1 502 555 0142") == "(502) 555-0142"
    assert contact.national_format("502.555.0142") == "(502) 555-0142"
    assert contact.national_format("44 20 7946 0958") == "44 20 7946 0958"
    from admissions.exports import safe_cell

    assert safe_cell("(502) 555-0142") == "(502) 555-0142"
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+1 502 555 0142") == "'+1 502 555 0142"


def test_member_id_masking():
    assert contact.mask_member_id("XQH448821") == "•••• 8821"
    assert contact.mask_member_id("123") == "••••"
    assert contact.mask_member_id("") == ""


def test_sanity_unshared_factory(db):
    assert SubmissionFactory(shared=False).shared_at is None


def test_fhir_export_carries_the_outcome_and_a_referral(coordinator_client, program):
    import json

    from fhir.resources.R4B.bundle import Bundle

    admitted = with_callback()
    referred = with_callback(
        matched_programs=[{"id": program.pk, "name": program.name, "slug": program.slug}]
    )
    post(coordinator_client, admitted, outcome="admitted", admitted_on="2026-12-07")
    post(coordinator_client, referred, outcome="referred", outcome_program=program.pk)
    response = coordinator_client.post(
        QUEUE, {"action": "export_fhir", "_selected_action": [admitted.pk, referred.pk]}
    )
    data = json.loads(response.content)
    Bundle.model_validate(data)
    responses = {
        e["resource"]["id"]: e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    }
    (ext,) = responses[f"submission-{admitted.pk}"]["extension"]
    assert ext["url"].endswith("/admissions-outcome")
    assert ext["extension"][0]["valueCoding"]["code"] == "admitted"
    assert ext["extension"][1] == {"url": "date", "valueDate": "2026-12-07"}
    (request,) = [
        e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    ]
    assert request["performer"] == [{"display": str(program)}]
    assert request["subject"]["identifier"]["value"] == str(referred.pk)
