"""Queue actions: assign, set status, export CSV and FHIR (validated with fhir.resources R4B)."""

import csv
import io
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from admissions import exports
from admissions.models import AuditEvent, Case, PipelineChange
from tests.admissions.factories import SubmissionFactory, emergency, with_callback

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assessment/submission/"


def act(client, action, *submissions):
    return client.post(QUEUE, {"action": action, "_selected_action": [s.pk for s in submissions]})


def test_assign_to_me(coordinator_client, coordinator):
    a, b = SubmissionFactory(), SubmissionFactory()
    response = act(coordinator_client, "assign_to_me", a, b)
    assert response.status_code == 302
    assert set(Case.objects.values_list("owner", flat=True)) == {coordinator.pk}
    assert PipelineChange.objects.filter(field="owner").count() == 2
    assert AuditEvent.objects.filter(action="changed").count() == 2
    assert Case.objects.get(pk=a.pk).owner_changed_at is not None


@pytest.mark.parametrize("status", [value for value, _label in Case.Status.choices])
def test_one_action_per_status(coordinator_client, status):
    submission = SubmissionFactory(status="new" if status != "new" else "contacting")
    act(coordinator_client, f"set_status_{status}", submission)
    case = Case.objects.get(pk=submission.pk)
    assert case.status == status
    assert case.status_changed_at is not None
    assert PipelineChange.objects.get().field == "status"


def read_csv(response):
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="submissions-')
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_csv_export_content_consent_and_audit(coordinator_client, coordinator):
    urgent = emergency(owner=coordinator)
    consented = with_callback()
    withheld = with_callback(contact_consent=False, contact_consent_at=None)
    rows = read_csv(act(coordinator_client, "export_csv", urgent, consented, withheld))
    by_id = {int(row["submission_id"]): row for row in rows}
    assert len(rows) == 3
    assert by_id[urgent.pk]["level"] == "EMERGENCY"
    assert by_id[urgent.pk]["urgent"] == "yes"
    assert by_id[urgent.pk]["phq9_total"] == "27"
    assert by_id[urgent.pk]["owner"] == "casey"
    assert by_id[urgent.pk]["flags"] == "suicide_risk_review"
    assert by_id[consented.pk]["contact_phone"] == "(502) 555-0142"
    assert by_id[withheld.pk]["contact_phone"] == ""  # no consent, no contact details
    assert urgent.token not in json.dumps(rows)  # only the 8-character prefix
    events = AuditEvent.objects.filter(action="exported_csv")
    assert sorted(events.values_list("submission_id", flat=True)) == sorted(by_id)
    assert {e.actor_username for e in events} == {"casey"}


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_csv_cells_that_look_like_formulas_are_neutralised(coordinator_client, value):
    submission = with_callback(contact_name=value, best_time=value)
    row = read_csv(act(coordinator_client, "export_csv", submission))[0]
    assert row["contact_name"] == "'" + value
    assert row["best_time"] == "'" + value


def test_safe_cell_leaves_numbers_and_plain_text_alone():
    assert exports.safe_cell(-3) == "-3"
    assert exports.safe_cell("Jordan") == "Jordan"
    assert exports.safe_cell(None) == ""
    assert exports.safe_cell(True) == "yes"


def fhir(response):
    assert response["Content-Type"].startswith("application/fhir+json")
    data = json.loads(response.content)
    Bundle.model_validate(data)  # structural validation against FHIR R4(B)
    return data


def items_by_link(items, found=None):
    found = {} if found is None else found
    for item in items:
        found[item["linkId"]] = item
        items_by_link(item.get("item", []), found)
    return found


def test_fhir_export_is_a_valid_r4_bundle_of_questionnaire_responses(coordinator_client):
    urgent, routine = emergency(), SubmissionFactory()
    data = fhir(act(coordinator_client, "export_fhir", urgent, routine))
    assert data["resourceType"] == "Bundle" and data["type"] == "collection"
    responses = [
        e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    assert len(responses) == 2
    qr = next(r for r in responses if r["id"] == f"submission-{urgent.pk}")
    assert qr["status"] == "completed"
    assert qr["questionnaire"] == (
        "https://iop-finder.example/fhir/Questionnaire/iop-self-assessment|2026.11.1"
    )
    assert qr["authored"].startswith(str(urgent.created_at.astimezone().year))
    items = items_by_link(qr["item"])
    assert items["phq9_9"]["answer"] == [
        {
            "valueCoding": {
                "system": "http://loinc.org",
                "code": "LA6571-9",
                "display": "Nearly every day",
            }
        }
    ]
    assert items["gad7_1"]["answer"][0]["valueCoding"]["code"] == "LA6571-9"
    assert items["phq9-total"]["answer"] == [{"valueInteger": 27}]
    assert items["gad7-total"]["answer"] == [{"valueInteger": 21}]
    cssrs = items["cssrs_2"]["answer"][0]["valueCoding"]
    assert cssrs["system"].startswith("https://iop-finder.example/fhir/CodeSystem/")
    assert cssrs["display"] == "Yes"
    assert items["days"]["answer"][0]["valueCoding"]["code"] == "mon"  # multi-select: one each
    assert len(items["days"]["answer"]) == 2
    assert items["recommendation"]["answer"][0]["valueCoding"]["code"] == "EMERGENCY"
    assert "zip_code" not in items  # not exported (minimum necessary)
    text = json.dumps(data)
    assert urgent.token not in text


def test_fhir_items_come_in_published_item_order_not_page_order():
    """The pages ask PHQ-2 and PHQ-9 item 9 first; the export lists items 1 to 9, then the
    total, as the published instrument numbers them."""
    data = exports.fhir_bundle([SubmissionFactory(severity=2)])
    groups = {group["linkId"]: group for group in data["entry"][0]["resource"]["item"]}
    phq9 = [item["linkId"] for item in groups["phq9"]["item"]]
    assert phq9 == [f"phq9_{n}" for n in range(1, 10)] + ["phq9-total"]
    gad7 = [item["linkId"] for item in groups["gad7"]["item"]]
    assert gad7 == [f"gad7_{n}" for n in range(1, 8)] + ["gad7-total"]
    pcptsd5 = [item["linkId"] for item in groups["pcptsd5"]["item"]]
    assert pcptsd5[:2] == ["pcptsd5_gate", "pcptsd5_1"]


def test_fhir_export_has_loinc_coded_total_observations(coordinator_client):
    submission = SubmissionFactory()
    data = fhir(act(coordinator_client, "export_fhir", submission))
    qr_entry = next(
        e for e in data["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    observations = {
        e["resource"]["code"]["coding"][0]["code"]: e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }
    assert set(observations) == {"44261-6", "70274-6"}
    assert observations["44261-6"]["valueInteger"] == submission.phq9_total
    assert observations["70274-6"]["valueInteger"] == submission.gad7_total
    assert observations["44261-6"]["derivedFrom"] == [{"reference": qr_entry["fullUrl"]}]
    assert observations["44261-6"]["status"] == "final"


def test_fhir_export_is_audited_and_has_no_contact_details(coordinator_client):
    submission = with_callback()
    text = act(coordinator_client, "export_fhir", submission).content.decode()
    assert "Jordan" not in text and "555-0142" not in text and "jordan@" not in text
    event = AuditEvent.objects.get(action="exported_fhir")
    assert event.submission_id == submission.pk


def test_fhir_for_an_older_submission_with_missing_answers_still_validates():
    submission = SubmissionFactory.build(pk=7, answers={"phq9_1": "2", "retired_q": 1}, scores={})
    data = exports.fhir_bundle([submission])
    Bundle.model_validate(data)
    items = items_by_link(data["entry"][0]["resource"]["item"])
    assert items["phq9_1"]["answer"][0]["valueCoding"]["code"] == "LA6570-1"
    assert "answer" not in items["phq9_2"]


@pytest.mark.parametrize("value", [" =1+1", "  @SUM(A1)", "\n=1", "＝1+1", "＋1", "－1", "＠x"])
def test_safe_cell_also_neutralises_padded_and_full_width_formulas(value):
    """Review fix: leading spaces or full-width signs slipped past the formula check."""
    assert exports.safe_cell(value).startswith("'")
