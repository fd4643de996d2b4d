"""Moving a shared submission along the admissions pipeline: the one writer of
:class:`admissions.models.Case` and of the call log.

A case is opened when the person shares their run with the admissions team
(:func:`open_case`, a receiver of ``assessment.signals.submission_shared``, sent inside the
transaction that sets ``Submission.shared_at``). A submission that was never shared has no case
and no staff page shows it.

Besides what staff set, every write here keeps the case's copies of what the queue sorts and
searches by (:func:`refresh`): ``priority`` (open EMERGENCY 2, open urgent 1, else 0; an urgent
person with no way to reach them is 0 and marked ``no_contact``), ``arrived_at``, the phone
digits and the normalised e-mail. The queue's order (:func:`queue_rank`) reads only these
indexed columns of the case.

Every change stamps ``status_changed_at`` / ``owner_changed_at``, writes a
:class:`PipelineChange` row (shown on the submission page) and an audit event. Used by the
submission page and by the queue's bulk actions alike.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone

from admissions import audit, contact
from admissions.models import Case, ContactAttempt, PipelineChange
from programs.levels import LevelOfCare

TRACKED = (
    "status",
    "owner",
    "next_follow_up_at",
    "follow_up_reason",
    "referral_source",
    "referral_source_other",
    "outcome",
    "outcome_program",
    "outcome_service",
    "assessment_on",
    "admitted_on",
    "not_admitted_reason",
    "benefits_status",
    "benefits_notes",
)
#: The history row's ``field`` for a tracked name that shares a row kind with another.
HISTORY_FIELD = {
    "referral_source_other": "referral_source",
    "outcome_program": "outcome",
    "outcome_service": "outcome",
    "assessment_on": "outcome",
    "admitted_on": "outcome",
    "not_admitted_reason": "outcome",
    "benefits_notes": "benefits_status",
}
#: An outcome moves the case to this status (the one place that says so).
OUTCOME_STATUS = {
    Case.Outcome.REFERRED: Case.Status.REFERRED,
    Case.Outcome.ASSESSMENT_BOOKED: Case.Status.INTAKE_SCHEDULED,
    Case.Outcome.ADMITTED: Case.Status.ADMITTED,
    Case.Outcome.NOT_ADMITTED: Case.Status.CLOSED,
}
_CHOICE_FIELDS = ("status", "referral_source", "outcome", "not_admitted_reason", "benefits_status")


def can_be_contacted(submission) -> bool:
    """The person asked for a call back, consented, and left a phone number or an e-mail."""
    return bool(
        submission.callback_requested
        and submission.contact_consent
        and (contact.phone_digits(submission.contact_phone) or submission.contact_email.strip())
    )


def needs_contact(submission) -> bool:
    return bool(submission.urgent) or submission.level == LevelOfCare.EMERGENCY


def priority_of(case, submission) -> int:
    if not case.is_open or case.no_contact:
        return Case.Priority.ROUTINE
    if submission.level == LevelOfCare.EMERGENCY:
        return Case.Priority.EMERGENCY
    if submission.urgent:
        return Case.Priority.URGENT
    return Case.Priority.ROUTINE


def refresh(case, submission) -> None:
    """Recompute the case's copies of the submission (in memory; the caller saves)."""
    case.arrived_at = submission.created_at
    case.no_contact = needs_contact(submission) and not can_be_contacted(submission)
    consented = bool(submission.contact_consent)
    case.phone_digits = contact.phone_digits(submission.contact_phone) if consented else ""
    case.email_normalised = contact.email_key(submission.contact_email) if consented else ""
    case.priority = priority_of(case, submission)
    case.open_follow_up_at = case.next_follow_up_at if case.is_open else None


REFRESHED = (
    "arrived_at",
    "no_contact",
    "phone_digits",
    "email_normalised",
    "priority",
    "open_follow_up_at",
)


def open_case(sender, submission, **kwargs) -> Case:
    """Receiver for ``assessment.signals.submission_shared``: the shared run gets its case in
    the transaction that shares it. Sent again for the same run (say the person asks for a call
    back after sharing), it refreshes the case's copies of the contact details instead."""
    existing = Case.objects.filter(pk=submission.pk).first()
    if existing is not None:
        return refresh_existing(existing, submission)
    case = Case(
        submission=submission,
        referral_source=submission.referral_source,
        referral_source_other=submission.referral_source_other,
    )
    refresh(case, submission)
    case.returning_of = earlier_case_of_same_person(case)
    case.save()
    submission.case = case
    if case.no_contact:
        audit.record(audit.Action.NO_CONTACT, submission=submission)
    if case.returning_of_id:
        audit.record(
            audit.Action.LINKED,
            submission=submission,
            changes={"returning_of": case.returning_of_id},
        )
    return case


def refresh_existing(case, submission) -> Case:
    """The signal sent again for a shared run (the person asked for a call back after sharing):
    the case's copies of the contact details, priority and referral source follow the row."""
    was_no_contact = case.no_contact
    refresh(case, submission)
    fields = list(REFRESHED)
    if not case.referral_source and submission.referral_source:
        case.referral_source = submission.referral_source
        case.referral_source_other = submission.referral_source_other
        fields += ["referral_source", "referral_source_other"]
    if case.returning_of_id is None and not case.merged_into_id:
        case.returning_of = earlier_case_of_same_person(case)
        fields.append("returning_of")
    case.save(update_fields=fields)
    submission.case = case
    if case.no_contact and not was_no_contact:
        audit.record(audit.Action.NO_CONTACT, submission=submission)
    return case


#: A new shared run with the phone or e-mail of an open case this recent is the same person.
RETURNING_WITHIN = dt.timedelta(days=30)


def earlier_case_of_same_person(case) -> Case | None:
    """The oldest open case of the last 30 days with the same phone digits or e-mail (the first
    record of this person), or None. Two indexed lookups."""
    same = Q()
    if len(case.phone_digits) >= 10:
        same |= Q(phone_digits=case.phone_digits)
    if case.email_normalised:
        same |= Q(email_normalised=case.email_normalised)
    if not same:
        return None
    since = (case.arrived_at or timezone.now()) - RETURNING_WITHIN
    return (
        Case.objects.open()
        .filter(same, arrived_at__gte=since, merged_into__isnull=True)
        .exclude(pk=case.pk)
        .order_by("arrived_at", "pk")
        .first()
    )


def unlink(case, user) -> None:
    """Staff say it is not the same person: the link goes (audited)."""
    previous = case.returning_of_id
    if previous is None:
        return
    case.returning_of = None
    case.save(update_fields=["returning_of"])
    audit.record(
        audit.Action.UNLINKED,
        user=user,
        submission=case.submission,
        changes={"returning_of": {"from": previous, "to": None}},
    )


def merge(case, user) -> None:
    """Staff say it is the same person: this case is closed into the earlier one (its owner
    and follow-ups carry on there); both stay readable, and the merge is audited."""
    target = case.returning_of
    if target is None:
        return
    before = snapshot(case)
    case.merged_into = target
    case.status = Case.Status.CLOSED
    case.save(update_fields=["merged_into"])
    save_changes(case, user, before)
    audit.record(
        audit.Action.MERGED,
        user=user,
        submission=case.submission,
        changes={"merged_into": target.pk},
    )


def case_of(submission) -> Case:
    """The submission's case as loaded (``select_related("case")``), without a query; an unsaved
    new one for a row that has none (never shown in the queue, which lists cases only)."""
    try:
        return submission.case
    except ObjectDoesNotExist:
        case = Case(submission=submission)
        refresh(case, submission)
        return case


def case_for(submission) -> Case:
    """The submission's stored case, made now if a shared row was written without one."""
    try:
        return submission.case
    except ObjectDoesNotExist:
        return open_case(None, submission)


def open_q(prefix: str = "case__") -> Q:
    """Submissions not closed."""
    return ~Q(**{f"{prefix}status__in": Case.CLOSED_STATUSES})


def end_of_today(now: dt.datetime | None = None) -> dt.datetime:
    today = timezone.localdate(now)
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))


def queue_rank(prefix: str = "case__", now: dt.datetime | None = None):
    """0 open EMERGENCY, 1 open with an overdue follow-up, 2 open urgent, 3 open with a
    follow-up due later today, 4 the rest: the first key of the queue's order. Reads only
    two indexed columns of the case (``priority``, ``open_follow_up_at``)."""
    now = now or timezone.now()
    follow_up = f"{prefix}open_follow_up_at"
    priority = f"{prefix}priority"
    return models.Case(
        models.When(Q(**{priority: Case.Priority.EMERGENCY}), then=models.Value(0)),
        models.When(Q(**{f"{follow_up}__lt": now}), then=models.Value(1)),
        models.When(Q(**{priority: Case.Priority.URGENT}), then=models.Value(2)),
        models.When(Q(**{f"{follow_up}__lt": end_of_today(now)}), then=models.Value(3)),
        default=models.Value(4),
        output_field=models.IntegerField(),
    )


def needs_attention_q(prefix: str = "case__", now: dt.datetime | None = None) -> Q:
    """The rows :func:`queue_rank` puts before "the rest" (ranks 0-3): open EMERGENCY or urgent,
    or open with a follow-up due before the end of today. A small set at any table size (the
    work to do), found through the priority and follow-up indexes."""
    now = now or timezone.now()
    return Q(**{f"{prefix}priority__gt": Case.Priority.ROUTINE}) | Q(
        **{f"{prefix}open_follow_up_at__lt": end_of_today(now)}
    )


def rest_q(prefix: str = "case__", now: dt.datetime | None = None) -> Q:
    """Exactly the rows outside :func:`needs_attention_q`, written as a plain filter (an inner
    join the database can drive from the index on ``arrived_at``)."""
    now = now or timezone.now()
    follow_up = f"{prefix}open_follow_up_at"
    return Q(**{f"{prefix}priority": Case.Priority.ROUTINE}) & (
        Q(**{f"{follow_up}__isnull": True}) | Q(**{f"{follow_up}__gte": end_of_today(now)})
    )


def snapshot(case) -> dict:
    return {name: getattr(case, name) for name in TRACKED}


def _key(name, value):
    if name in ("owner", "outcome_program"):
        return getattr(value, "pk", None)
    return value


def display(name, value) -> str:
    if value is None or value == "":
        return ""
    if name in _CHOICE_FIELDS:
        return str(dict(Case._meta.get_field(name).choices).get(value, value))
    if name == "owner":
        return value.get_full_name() or value.get_username()
    if name == "outcome_program":
        return str(value)
    if name == "next_follow_up_at":
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")
    return str(value)


def save_changes(case, user, before: dict) -> dict:
    """Save the pipeline fields of ``case`` that differ from ``before`` and record them.

    Returns ``{field: (old display, new display)}`` (empty when nothing changed).
    """
    submission = case.submission
    now = timezone.now()
    if case.outcome and case.outcome != before["outcome"]:
        case.status = OUTCOME_STATUS[case.outcome]
    if case.benefits_status != before["benefits_status"] or (
        case.benefits_notes != before["benefits_notes"]
    ):
        case.benefits_checked_at = now
    after = snapshot(case)
    changed = [name for name in TRACKED if _key(name, before[name]) != _key(name, after[name])]
    if not changed:
        return {}
    update_fields = [*changed, *REFRESHED, "benefits_checked_at"]
    if "status" in changed:
        case.status_changed_at = now
        update_fields.append("status_changed_at")
    if "owner" in changed:
        case.owner_changed_at = now
        update_fields.append("owner_changed_at")
    refresh(case, submission)
    if case._state.adding:
        case.save()
    else:
        case.save(update_fields=update_fields)
    actor_name = user.get_username() if user is not None else ""
    words = {name: (display(name, before[name]), display(name, after[name])) for name in changed}
    PipelineChange.objects.bulk_create(
        [
            PipelineChange(
                submission=submission,
                field=HISTORY_FIELD.get(name, name),
                old_value=old[:150],
                new_value=new[:150],
                changed_by=user,
                changed_by_name=actor_name,
                changed_at=now,
            )
            for name, (old, new) in words.items()
        ]
    )
    audit.record(
        audit.Action.CHANGED,
        user=user,
        submission=submission,
        changes=audit.describe_changes(words),
    )
    return words


def log_contact(case, user, **fields) -> ContactAttempt:
    """Write one call-log row and move the case's attempt count, last attempt and (on the first
    contact that reached the person) ``first_contact_at``; a new case becomes "Contacting"."""
    submission = case.submission
    attempt = ContactAttempt.objects.create(
        submission=submission,
        by=user,
        by_name=user.get_username() if user is not None else "",
        **fields,
    )
    before = snapshot(case)
    case.attempt_count += 1
    case.last_attempt_at = max(filter(None, (case.last_attempt_at, attempt.at)))
    if attempt.reached and (case.first_contact_at is None or attempt.at < case.first_contact_at):
        case.first_contact_at = attempt.at
    case.save(update_fields=["attempt_count", "last_attempt_at", "first_contact_at"])
    audit.record(
        audit.Action.CONTACT_LOGGED,
        user=user,
        submission=submission,
        changes={
            "channel": attempt.channel,
            "outcome": attempt.outcome,
            "direction": attempt.direction,
        },
    )
    if case.status == Case.Status.NEW:
        case.status = Case.Status.CONTACTING
        save_changes(case, user, before)
    return attempt
