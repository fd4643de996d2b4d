"""Moving a submission along the admissions pipeline: status, owner, next follow-up.

The state lives on :class:`admissions.models.Case`, one per submission. :func:`open_case` makes it
when a submission is first saved (a ``post_save`` receiver connected in ``AdmissionsConfig``, so
it is written in the same transaction as the submission, whichever way the row was made). Rows
written without ``save()`` (``bulk_create``, e.g. the benchmark's fixtures) have none until a
staff page needs one: the queue shows them as new and unassigned (:func:`case_of`) and the
submission page makes it (:func:`case_for`).

Every change stamps ``status_changed_at`` / ``owner_changed_at``, writes a :class:`PipelineChange`
row (shown on the submission page) and an audit event. Used by the submission page and by the
queue's bulk actions alike.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone

from admissions import audit
from admissions.models import Case, PipelineChange

TRACKED = ("status", "owner", "next_follow_up")


def open_case(sender, instance, created, raw=False, **kwargs):
    """``post_save`` receiver for ``assessment.Submission``: every new submission gets its case
    in the transaction that writes it (fixtures loaded raw bring their own)."""
    if created and not raw:
        Case.objects.create(submission=instance)


def case_of(submission) -> Case:
    """The submission's case as loaded (``select_related("case")``), without a query; an unsaved
    new, unassigned one for a row written without ``save()``."""
    try:
        return submission.case
    except ObjectDoesNotExist:
        return Case(submission=submission)


def case_for(submission) -> Case:
    """The submission's stored case, made now if the row was written without ``save()``."""
    try:
        return submission.case
    except ObjectDoesNotExist:
        case, _created = Case.objects.get_or_create(submission=submission)
        submission.case = case
        return case


def open_q(prefix: str = "case__") -> Q:
    """Submissions not closed (a submission without a case yet is new, so open)."""
    return ~Q(**{f"{prefix}status__in": Case.CLOSED_STATUSES})


def snapshot(case) -> dict:
    return {name: getattr(case, name) for name in TRACKED}


def _key(name, value):
    if name == "owner":
        return getattr(value, "pk", None)
    return value


def display(name, value) -> str:
    if value is None or value == "":
        return ""
    if name == "status":
        return str(dict(Case.Status.choices).get(value, value))
    if name == "owner":
        return value.get_full_name() or value.get_username()
    if name == "next_follow_up":
        return value.isoformat()
    return str(value)


def save_changes(case, user, before: dict) -> dict:
    """Save the pipeline fields of ``case`` that differ from ``before`` and record them.

    Returns ``{field: (old display, new display)}`` (empty when nothing changed).
    """
    submission = case.submission
    after = snapshot(case)
    changed = [name for name in TRACKED if _key(name, before[name]) != _key(name, after[name])]
    if not changed:
        return {}
    now = timezone.now()
    update_fields = list(changed)
    if "status" in changed:
        case.status_changed_at = now
        update_fields.append("status_changed_at")
    if "owner" in changed:
        case.owner_changed_at = now
        update_fields.append("owner_changed_at")
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
                field=name,
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
