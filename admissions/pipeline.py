"""Moving a submission along the admissions pipeline: status, owner, next follow-up.

Every change stamps ``status_changed_at`` / ``owner_changed_at``, writes a :class:`PipelineChange`
row (shown on the submission page) and an audit event. Used by the submission page and by the
queue's bulk actions alike.
"""

from __future__ import annotations

from django.utils import timezone

from admissions import audit
from admissions.models import PipelineChange

TRACKED = ("status", "owner", "next_follow_up")


def snapshot(submission) -> dict:
    return {name: getattr(submission, name) for name in TRACKED}


def _key(name, value):
    if name == "owner":
        return getattr(value, "pk", None)
    return value


def display(submission, name, value) -> str:
    if value is None or value == "":
        return ""
    if name == "status":
        return str(dict(type(submission).Status.choices).get(value, value))
    if name == "owner":
        return value.get_full_name() or value.get_username()
    if name == "next_follow_up":
        return value.isoformat()
    return str(value)


def save_changes(submission, user, before: dict) -> dict:
    """Save the pipeline fields of ``submission`` that differ from ``before`` and record them.

    Returns ``{field: (old display, new display)}`` (empty when nothing changed).
    """
    after = snapshot(submission)
    changed = [name for name in TRACKED if _key(name, before[name]) != _key(name, after[name])]
    if not changed:
        return {}
    now = timezone.now()
    update_fields = list(changed)
    if "status" in changed:
        submission.status_changed_at = now
        update_fields.append("status_changed_at")
    if "owner" in changed:
        submission.owner_changed_at = now
        update_fields.append("owner_changed_at")
    submission.save(update_fields=update_fields)
    actor_name = user.get_username() if user is not None else ""
    words = {
        name: (display(submission, name, before[name]), display(submission, name, after[name]))
        for name in changed
    }
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
