"""Exports of selected submissions: a CSV for spreadsheets and FHIR R4 QuestionnaireResponses.

CSV
    One row per submission. Every text cell that a spreadsheet would read as a formula (starting
    with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'`` (OWASP
    "CSV injection"). Contact details are included only when the person consented to be contacted.
    Phone numbers are written in national format, "(502) 555-0142", which a dialer imports and
    no spreadsheet reads as a formula (a number that is not 10 digits stays as typed, guarded).

FHIR
    A Bundle of type ``collection``. Each submission becomes one ``QuestionnaireResponse``
    (status ``completed``, ``questionnaire`` = our canonical URL ``|<ruleset_version>``, so the
    JSON is also valid R5, ``authored`` = arrival time). Items are grouped by instrument; each
    question's ``linkId`` is our question id (``phq9_1`` ...). Answers are ``valueCoding``: LOINC
    answer codes LA6568-5 / LA6569-3 / LA6570-1 / LA6571-9 for the PHQ-9 and GAD-7 0-3 items,
    otherwise our own code system ``https://iop-finder.example/fhir/CodeSystem/<question id>``;
    free text is ``valueString``. Each instrument group ends with a ``<instrument>-total`` item
    (``valueInteger``).

    R4 QuestionnaireResponse items cannot carry a ``code``, so the LOINC-coded totals go in
    companion ``Observation`` resources in the same Bundle (code 44261-6 PHQ-9 total, 70274-6
    GAD-7 total; status ``final``; category ``survey``; ``derivedFrom`` the QuestionnaireResponse).
    No contact details and no result token are exported to FHIR: a submission is identified by
    its database id only. Contact details stay in the CSV for the call back.

    The admissions outcome, where there is one, is an extension of the QuestionnaireResponse
    (``OUTCOME_EXTENSION``: ``code``, and ``date`` or ``reason``), and a referral is also a
    ``ServiceRequest`` (docs/staff-guide.md, "Exports").
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterable

from django.utils import timezone

from admissions import contact, pipeline
from assessment import instruments
from programs import vocab

QUESTIONNAIRE_URL = "https://iop-finder.example/fhir/Questionnaire/iop-self-assessment"
CODE_SYSTEM_BASE = "https://iop-finder.example/fhir/CodeSystem/"
IDENTIFIER_SYSTEM = "https://iop-finder.example/fhir/submission-id"
LOINC = "http://loinc.org"
UUID_NAMESPACE = uuid.UUID("6f1d3a52-8f0e-4b7e-9d55-2f3f1e7c0a11")

#: LOINC answer codes of the 0-3 frequency scale (PHQ-9, GAD-7). LOC §3.5.
LOINC_FREQUENCY_ANSWERS = {
    0: ("LA6568-5", "Not at all"),
    1: ("LA6569-3", "Several days"),
    2: ("LA6570-1", "More than half the days"),
    3: ("LA6571-9", "Nearly every day"),
}
LOINC_ANSWER_INSTRUMENTS = ("phq9", "gad7")

#: LOINC codes of the totals that go into companion Observations. LOC §3.5.
LOINC_TOTALS = {
    "phq9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
    "gad7": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
}

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

#: Answers left out of the FHIR export (minimum necessary: the ZIP code narrows down who it is).
FHIR_EXCLUDED_QUESTIONS = frozenset({"zip_code"})


# ------------------------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------------------------


def safe_cell(value) -> str:
    """A CSV cell that no spreadsheet will evaluate as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    # Leading spaces do not stop every spreadsheet from reading " =HYPERLINK(...)" as a formula,
    # and some read the full-width signs as the ASCII ones.
    if text.lstrip(" ").startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


CSV_COLUMNS = (
    "submission_id",
    "token_prefix",
    "arrived",
    "urgent",
    "level",
    "phq9_total",
    "phq9_band",
    "gad7_total",
    "gad7_band",
    "cssrs_risk",
    "flags",
    "status",
    "owner",
    "next_follow_up",
    "contact_attempts",
    "first_contact",
    "referral_source",
    "callback_requested",
    "contact_consent",
    "contact_name",
    "contact_phone",
    "contact_email",
    "best_time",
    "insurance_payer",
    "insurance_member_id",
    "zip_code",
    "age_group",
    "insurance",
    "modality",
    "language",
    "days",
    "times",
    "ruleset_version",
)


def csv_row(submission, reveal_member_id: bool = False) -> list[str]:
    consented = bool(submission.contact_consent)
    member_id = submission.insurance_member_id if consented else ""
    if not reveal_member_id:
        member_id = contact.mask_member_id(member_id)
    case = pipeline.case_of(submission)
    owner = case.owner.get_username() if case.owner_id else ""
    flags = "; ".join(
        str(flag.get("code") or flag.get("text")) if isinstance(flag, dict) else str(flag)
        for flag in (submission.flags or [])
    )
    values = {
        "submission_id": submission.pk,
        "token_prefix": submission.token[:8],
        "arrived": timezone.localtime(submission.created_at).isoformat(timespec="minutes"),
        "urgent": submission.urgent,
        "level": submission.level,
        "phq9_total": submission.phq9_total,
        "phq9_band": submission.phq9_band,
        "gad7_total": submission.gad7_total,
        "gad7_band": submission.gad7_band,
        "cssrs_risk": submission.cssrs_risk,
        "flags": flags,
        "status": case.get_status_display(),
        "owner": owner,
        "next_follow_up": timezone.localtime(case.next_follow_up_at).isoformat(timespec="minutes")
        if case.next_follow_up_at
        else "",
        "contact_attempts": case.attempt_count,
        "first_contact": timezone.localtime(case.first_contact_at).isoformat(timespec="minutes")
        if case.first_contact_at
        else "",
        "referral_source": case.referral_source,
        "callback_requested": submission.callback_requested,
        "contact_consent": consented,
        "contact_name": submission.contact_name if consented else "",
        "contact_phone": contact.national_format(submission.contact_phone) if consented else "",
        "contact_email": submission.contact_email if consented else "",
        "best_time": submission.best_time if consented else "",
        "insurance_payer": submission.insurance_payer if consented else "",
        "insurance_member_id": member_id,
        "zip_code": submission.zip_code,
        "age_group": submission.age_group,
        "insurance": vocab.label_for(vocab.INSURANCE_ANSWERS, submission.insurance)
        if submission.insurance
        else "",
        "modality": submission.modality,
        "language": submission.language,
        "days": " ".join(submission.days or []),
        "times": " ".join(submission.times or []),
        "ruleset_version": submission.ruleset_version,
    }
    return [safe_cell(values[column]) for column in CSV_COLUMNS]


def submissions_csv(submissions: Iterable, reveal_member_id: bool = False) -> str:
    """The CSV; insurance member IDs masked unless ``reveal_member_id`` (the exporting user
    holds ``admissions.reveal_member_id``; the export's audit rows say so)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for submission in submissions:
        writer.writerow(csv_row(submission, reveal_member_id))
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------------
# FHIR R4
# ------------------------------------------------------------------------------------------------


def _as_int(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _resource_uuid(kind: str, submission) -> str:
    return str(uuid.uuid5(UUID_NAMESPACE, f"{kind}:{submission.pk}:{submission.created_at}"))


def answer_values(question, value) -> list[dict]:
    """FHIR ``answer`` entries for one stored answer (empty if there is nothing to say)."""
    if value is None or value == "" or value == []:
        return []
    if question.kind == "multi" or isinstance(value, list | tuple):
        values = value if isinstance(value, list | tuple) else [value]
        return [entry for item in values for entry in answer_values_single(question, item)]
    return answer_values_single(question, value)


def answer_values_single(question, value) -> list[dict]:
    if question.kind == "text" or not question.options:
        number = _as_int(value) if isinstance(value, int) else None
        if number is not None:
            return [{"valueInteger": number}]
        return [{"valueString": str(value)}]
    options = dict(question.options)
    key = value
    if key not in options:
        as_int = _as_int(value)
        key = as_int if as_int in options else str(value)
    if key not in options:
        return [{"valueString": str(value)}]
    display = str(options[key])
    if question.instrument in LOINC_ANSWER_INSTRUMENTS and key in LOINC_FREQUENCY_ANSWERS:
        code, loinc_display = LOINC_FREQUENCY_ANSWERS[key]
        coding = {"system": LOINC, "code": code, "display": loinc_display}
    else:
        coding = {
            "system": f"{CODE_SYSTEM_BASE}{question.id}",
            "code": str(key),
            "display": display,
        }
    return [{"valueCoding": coding}]


def _question_item(question, answers) -> dict:
    item = {"linkId": question.id, "text": str(question.text)}
    answer = answer_values(question, answers.get(question.id))
    if answer:
        item["answer"] = answer
    return item


def item_number(question) -> int:
    """The item's number in its published instrument, from its id (``phq9_9`` is item 9); 0 for
    an item without one (the PC-PTSD-5 gate question, asked before item 1)."""
    suffix = question.id.rsplit("_", 1)[-1]
    return int(suffix) if suffix.isdigit() else 0


def instrument_questions(instrument: str) -> list:
    """The instrument's questions in published item order, not the order the pages ask them in
    (PHQ-2 and item 9 come first on the page)."""
    return sorted((q for q in instruments.QUESTIONS if q.instrument == instrument), key=item_number)


def questionnaire_response(submission) -> dict:
    answers = submission.answers or {}
    scores = submission.scores or {}
    items = []
    for instrument, name in instruments.INSTRUMENT_NAMES.items():
        questions = instrument_questions(instrument)
        children = [_question_item(q, answers) for q in questions]
        score = scores.get(instrument) or {}
        total = _as_int(score.get("total")) if score else None
        if total is not None:
            total_item = {
                "linkId": f"{instrument}-total",
                "text": f"{name} total score",
                "answer": [{"valueInteger": total}],
            }
            children.append(total_item)
        items.append({"linkId": instrument, "text": name, "item": children})

    other = [q for q in instruments.QUESTIONS if not q.instrument]
    other_children = [
        _question_item(q, answers)
        for q in other
        if q.id in answers and q.id not in FHIR_EXCLUDED_QUESTIONS
    ]
    if other_children:
        items.append(
            {"linkId": "other", "text": "About you and daily life", "item": other_children}
        )

    items.append(
        {
            "linkId": "recommendation",
            "text": "Recommended level of care",
            "answer": [
                {
                    "valueCoding": {
                        "system": f"{CODE_SYSTEM_BASE}level-of-care",
                        "code": submission.level,
                        "display": str(submission.get_level_display()),
                    }
                }
            ],
        }
    )
    return {
        "resourceType": "QuestionnaireResponse",
        "id": f"submission-{submission.pk}",
        "identifier": {"system": IDENTIFIER_SYSTEM, "value": str(submission.pk)},
        "questionnaire": f"{QUESTIONNAIRE_URL}|{submission.ruleset_version or 'unversioned'}",
        "status": "completed",
        "authored": timezone.localtime(submission.created_at).isoformat(),
        "item": items,
    }


OUTCOME_EXTENSION = "https://iop-finder.example/fhir/StructureDefinition/admissions-outcome"
OUTCOME_CODE_SYSTEM = f"{CODE_SYSTEM_BASE}admissions-outcome"
SNOMED = "http://snomed.info/sct"


def outcome_extension(case) -> dict | None:
    """The admissions outcome as an extension of the QuestionnaireResponse: a ``code``
    (valueCoding in our code system) and, when known, ``date`` (the assessment or admission
    date) and ``reason`` (why not admitted)."""
    if not case.outcome:
        return None
    parts = [
        {
            "url": "code",
            "valueCoding": {
                "system": OUTCOME_CODE_SYSTEM,
                "code": case.outcome,
                "display": str(case.get_outcome_display()),
            },
        }
    ]
    day = case.admitted_on if case.outcome == case.Outcome.ADMITTED else case.assessment_on
    if day and case.outcome in (case.Outcome.ADMITTED, case.Outcome.ASSESSMENT_BOOKED):
        parts.append({"url": "date", "valueDate": day.isoformat()})
    if case.not_admitted_reason and case.outcome == case.Outcome.NOT_ADMITTED:
        parts.append(
            {
                "url": "reason",
                "valueCoding": {
                    "system": f"{OUTCOME_CODE_SYSTEM}-reason",
                    "code": case.not_admitted_reason,
                    "display": str(case.get_not_admitted_reason_display()),
                },
            }
        )
    return {"url": OUTCOME_EXTENSION, "extension": parts}


def referral_request(submission, case, qr_full_url: str) -> dict | None:
    """A referral outcome as a ``ServiceRequest`` (SNOMED CT 3457005 "Patient referral"): the
    program from the directory or the outside service is named in ``performer``; the person is
    identified by the submission id only."""
    if case.outcome != case.Outcome.REFERRED:
        return None
    to = str(case.outcome_program) if case.outcome_program_id else case.outcome_service
    return {
        "resourceType": "ServiceRequest",
        "id": f"submission-{submission.pk}-referral",
        "status": "active",
        "intent": "order",
        "code": {"coding": [{"system": SNOMED, "code": "3457005", "display": "Patient referral"}]},
        "subject": {"identifier": {"system": IDENTIFIER_SYSTEM, "value": str(submission.pk)}},
        "performer": [{"display": to or "—"}],
        "supportingInfo": [{"reference": qr_full_url}],
    }


def total_observations(submission, qr_full_url: str) -> list[dict]:
    observations = []
    scores = submission.scores or {}
    for instrument, (code, display) in LOINC_TOTALS.items():
        total = _as_int((scores.get(instrument) or {}).get("total"))
        if total is None:
            continue
        observations.append(
            {
                "resourceType": "Observation",
                "id": f"submission-{submission.pk}-{instrument}-total",
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": (
                                    "http://terminology.hl7.org/CodeSystem/observation-category"
                                ),
                                "code": "survey",
                                "display": "Survey",
                            }
                        ]
                    }
                ],
                "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
                "effectiveDateTime": timezone.localtime(submission.created_at).isoformat(),
                "valueInteger": total,
                "derivedFrom": [{"reference": qr_full_url}],
            }
        )
    return observations


def fhir_bundle(submissions: Iterable) -> dict:
    entries = []
    for submission in submissions:
        qr_url = f"urn:uuid:{_resource_uuid('qr', submission)}"
        response = questionnaire_response(submission)
        case = pipeline.case_of(submission)
        extension = outcome_extension(case)
        if extension:
            response["extension"] = [extension]
        entries.append({"fullUrl": qr_url, "resource": response})
        referral = referral_request(submission, case, qr_url)
        if referral:
            entries.append(
                {
                    "fullUrl": f"urn:uuid:{_resource_uuid('referral', submission)}",
                    "resource": referral,
                }
            )
        for observation in total_observations(submission, qr_url):
            entries.append(
                {
                    "fullUrl": f"urn:uuid:{_resource_uuid(observation['id'], submission)}",
                    "resource": observation,
                }
            )
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": timezone.now().isoformat(),
        "entry": entries,
    }
