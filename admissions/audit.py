"""Write the audit trail: who did what to which submission, and when.

Contact details and free text never go into the trail: for those fields it records *that* they
changed, not the values, so the trail holds no personal data and can be kept after a purge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from admissions.models import TOKEN_PREFIX_LENGTH, AuditEvent

Action = AuditEvent.Action

#: Fields whose values are personal data: the trail says they changed, never what to.
MASKED_FIELDS = frozenset(
    {
        "contact_name",
        "contact_phone",
        "contact_email",
        "best_time",
        "zip_code",
        "answers",
        "note",
        "follow_up_reason",
        "referral_source_other",
        "benefits_notes",
        "outcome_service",
    }
)


def _actor_fields(user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"actor": None, "actor_username": ""}
    return {"actor": user, "actor_username": user.get_username()}


def _plain(value):
    """A JSON-friendly, personal-data-free rendering of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if hasattr(value, "get_username"):
        return value.get_username()
    return str(value)


def describe_changes(changes: dict[str, tuple]) -> dict:
    """``{field: (old, new)}`` -> ``{field: {"from": old, "to": new}}``, masking personal fields."""
    described = {}
    for field, (old, new) in changes.items():
        if field in MASKED_FIELDS:
            described[field] = {"changed": True}
        else:
            described[field] = {"from": _plain(old), "to": _plain(new)}
    return described


def record(action: str, *, user=None, submission=None, changes: dict | None = None) -> AuditEvent:
    """Write one audit row (``submission`` may be None for site-wide events such as a purge)."""
    return AuditEvent.objects.create(
        action=action,
        submission_id=getattr(submission, "pk", None),
        token_prefix=(getattr(submission, "token", "") or "")[:TOKEN_PREFIX_LENGTH],
        changes=changes or {},
        **_actor_fields(user),
    )


def record_many(action: str, *, user, submissions: Iterable, changes: dict | None = None) -> int:
    """One audit row per submission, written in one query (exports of many rows)."""
    rows = [
        AuditEvent(
            action=action,
            submission_id=submission.pk,
            token_prefix=(submission.token or "")[:TOKEN_PREFIX_LENGTH],
            changes=changes or {},
            **_actor_fields(user),
        )
        for submission in submissions
    ]
    AuditEvent.objects.bulk_create(rows, batch_size=500)
    return len(rows)
