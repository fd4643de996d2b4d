"""Writing a finished self-assessment: one atomic, idempotent write of a Submission.

The web layer collects answers step by step in the session; when the person sends them, this
module validates the whole set, asks the rules engine for a recommendation, asks the directory
for matching programs and stores everything in one row. The write is keyed on the wizard run's
``submit_key``: a double click, a refresh or a replayed POST finds the row the first request
wrote and never creates a second one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping
from enum import Enum
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from assessment import instruments, rules
from assessment.models import Submission
from assessment.signals import submission_created, submission_shared, submission_stored
from programs import freshness, levels
from programs.search import Preferences, match_programs

logger = logging.getLogger(__name__)

PREFERENCE_FIELDS = (
    "zip_code",
    "age_group",
    "insurance",
    "days",
    "times",
    "hours_available",
    "modality",
    "language",
)


def jsonable(value: Any) -> Any:
    """``value`` with lazy strings, enums and tuples turned into plain JSON types."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(item) for item in value]
    if hasattr(value, "to_dict"):
        return jsonable(value.to_dict())
    return str(value)


def preferences_from(answers: Mapping[str, Any], flags=()) -> Preferences:
    """The directory's matching preferences from cleaned answers (and the rules' flag codes)."""
    return Preferences(
        zip_code=answers.get("zip_code") or "",
        insurance=answers.get("insurance") or "",
        days=tuple(answers.get("days") or ()),
        times=tuple(answers.get("times") or ()),
        modality=answers.get("modality") or "",
        language=answers.get("language") or "",
        age_group=answers.get("age_group") or "",
        flags=tuple(flags),
    )


def matches_for(level, answers: Mapping[str, Any], flags=(), limit: int = 5):
    """Programs for the result page (``programs.search.match_programs``)."""
    return match_programs(level, preferences_from(answers, flags), limit=limit)


def match_snapshot(matches) -> list[dict]:
    """What the result page offered, as the person saw it, stored on the Submission: the result
    page shows it again (:func:`told_programs`) and staff see it. One dict per program:
    {id, name, slug, provider, level, distance_miles, phone, telehealth_only, fits, misses,
    is_alternative, alternative_note, next_intake, wait_days}. The wait is kept as the program's
    own values (ISO date, days), so the page words it in the reader's language and date."""
    return [
        {
            "id": match.program.pk,
            "name": match.program.name,
            "slug": match.program.slug,
            "provider": match.program.provider.name,
            "level": str(match.program.level),
            "distance_miles": match.distance_miles,
            "phone": match.program.intake_phone,
            "telehealth_only": bool(
                match.program.offers_telehealth and match.program.location_id is None
            ),
            "fits": [str(text) for text in match.fits],
            "misses": [str(text) for text in match.misses],
            "is_alternative": bool(match.is_alternative),
            "alternative_note": str(match.alternative_note or ""),
            "next_intake": (
                match.program.next_intake.isoformat() if match.program.next_intake else None
            ),
            "wait_days": match.program.wait_days,
        }
        for match in matches
    ]


def _program_url(slug) -> str:
    try:
        return reverse("programs:detail", args=[slug]) if slug else ""
    except NoReverseMatch:
        return ""


def _level_info(code):
    try:
        return levels.parse_level(code).info if code else None
    except ValueError:
        return None


def _texts(value) -> list[str]:
    return [str(text) for text in value] if isinstance(value, list) else []


def _wait(item) -> str:
    """ "Next intake: December 7" / "Typical wait: about 10 days" from the stored values, in the
    active language, as of today (a next intake that has passed says nothing); "" if unknown."""
    try:
        next_intake = (
            dt.date.fromisoformat(item["next_intake"]) if item.get("next_intake") else None
        )
    except (TypeError, ValueError):
        next_intake = None
    wait_days = item.get("wait_days")
    wait_days = wait_days if isinstance(wait_days, int) and wait_days >= 0 else None
    return freshness.wait_text(next_intake, wait_days, timezone.localdate())


def told_programs(snapshot) -> list[dict]:
    """A stored :func:`match_snapshot` ready to show again: what the person was told.

    Snapshots stored before the provider, phone and notes were kept (and the oldest, which
    kept ``reasons`` instead of ``fits``) still show: what they lack is left out.
    """
    told = []
    for item in snapshot if isinstance(snapshot, list) else []:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        distance = item.get("distance_miles")
        told.append(
            {
                "name": str(item["name"]),
                "url": _program_url(item.get("slug")),
                "level_info": _level_info(item.get("level")),
                "provider": str(item.get("provider") or ""),
                "distance_miles": distance if isinstance(distance, int | float) else None,
                "phone": str(item.get("phone") or ""),
                "telehealth_only": bool(item.get("telehealth_only")),
                "fits": _texts(item.get("fits", item.get("reasons"))),
                "misses": _texts(item.get("misses")),
                "is_alternative": bool(item.get("is_alternative")),
                "alternative_note": str(item.get("alternative_note") or ""),
                "wait": _wait(item),
            }
        )
    return told


def build_fields(
    answers: Mapping[str, Any], *, consent_to_store: bool = True, ui_language: str = ""
) -> dict:
    """Every stored field of a Submission (except the keys) from the person's answers.

    Raises ``instruments.AnswerError`` when the answers are incomplete or impossible.
    Texts (reasons, flags, band labels) are stored in the site's default language, for staff.
    """
    answers = {key: value for key, value in answers.items() if key in instruments.QUESTIONS_BY_ID}
    cleaned = instruments.validate_answers(answers)
    with translation.override(settings.LANGUAGE_CODE):
        recommendation = rules.recommend(answers)
        scores = {
            instrument: {**score.to_dict(), "positive": bool(score.positive)}
            for instrument, score in recommendation.scores.items()
        }
        flags = [{"code": flag.code, "text": str(flag.text)} for flag in recommendation.flags]
        reasons = [str(reason) for reason in recommendation.reasons]
        matches = matches_for(recommendation.level, cleaned, flags=[flag["code"] for flag in flags])
        snapshot = match_snapshot(matches)
    phq9, gad7 = scores.get("phq9", {}), scores.get("gad7", {})
    fields = {
        "answers": jsonable(answers),
        "scores": scores,
        "phq9_total": phq9.get("total"),
        "phq9_band": phq9.get("band", ""),
        "gad7_total": gad7.get("total"),
        "gad7_band": gad7.get("band", ""),
        "cssrs_risk": instruments.cssrs_risk(answers),
        "level": str(recommendation.level.value),
        "dimensions": jsonable(recommendation.dimensions),
        "reasons": reasons,
        "flags": flags,
        "rules_fired": [str(rule) for rule in recommendation.rules_fired],
        "ruleset_version": str(recommendation.ruleset_version),
        "urgent": bool(recommendation.urgent),
        "consent_to_store": bool(consent_to_store),
        "ui_language": (ui_language or settings.LANGUAGE_CODE)[:8],
        "matched_programs": snapshot,
    }
    for name in PREFERENCE_FIELDS:
        value = cleaned.get(name)
        if name in ("days", "times"):
            fields[name] = list(value or [])
        else:
            fields[name] = value or ""
    return fields


def create_submission(
    submit_key: str,
    answers: Mapping[str, Any],
    *,
    consent_to_store: bool = True,
    ui_language: str = "",
) -> tuple[Submission, bool]:
    """The Submission for this wizard run, and whether this call created it.

    The row is stored *unshared* (``shared_at`` NULL): the person sees their result whether or
    not they share it; staff see nothing of it until :func:`share_submission`.
    ``consent_to_store`` records that the person sent the answers after the notice of what is
    kept and for how long; ``ui_language`` is the language they used (the active one).

    Idempotent on ``submit_key``: a second call (double click, refresh, replayed POST, or a
    race between two requests) returns the row the first one wrote. The row is written in one
    transaction; ``signals.submission_stored`` is sent inside it and
    ``signals.submission_created`` after commit, only for a new row.

    The insert itself is the check (the key is unique): no read before it, so a first call
    (nearly every call: the wizard answers a replay from the session) costs one INSERT.
    """
    if not submit_key:
        raise ValueError("submit_key is required")
    fields = build_fields(answers, consent_to_store=consent_to_store, ui_language=ui_language)
    submission = None
    try:
        with transaction.atomic():
            submission = Submission.objects.create(submit_key=submit_key, **fields)
            # In the transaction: what receivers write (the urgent notice's outbox row) is
            # stored with the Submission or not at all.
            submission_stored.send(sender=Submission, submission=submission)
            transaction.on_commit(
                lambda: submission_created.send(sender=Submission, submission=submission)
            )
    except IntegrityError:
        if submission is not None:
            raise  # a receiver's write failed: not a replay
        # A row with this key is already stored (a replay, or another request won the race).
        return Submission.objects.get(submit_key=submit_key), False
    logger.info("assessment submitted: level=%s urgent=%s", submission.level, submission.urgent)
    return submission, True


SHARE_FIELDS = (
    "contact_name",
    "contact_phone",
    "contact_email",
    "best_time",
    "referral_source",
    "referral_source_other",
    "insurance_payer",
    "insurance_member_id",
)


def share_submission(submission: Submission, details: Mapping[str, Any]) -> bool:
    """The person lets the admissions team see their answers and call them back: store the
    contact, call-back, referral and insurance details with their consent, mark the run shared
    and send ``signals.submission_shared``, all in one transaction.

    Idempotent: returns False (and changes nothing, sends nothing) if the run was already
    shared. One conditional UPDATE decides, so two requests racing cannot both share it.
    """
    now = timezone.now()
    values = {name: str(details.get(name) or "") for name in SHARE_FIELDS}
    for name in ("contact_name", "best_time", "referral_source_other", "insurance_payer"):
        values[name] = values[name][:120]
    values["insurance_member_id"] = values["insurance_member_id"][:40]
    values.update(
        {
            "callback_requested": True,
            "callback_requested_at": now,
            "contact_consent": True,
            "contact_consent_at": now,
            "shared_at": now,
        }
    )
    with transaction.atomic():
        updated = Submission.objects.filter(pk=submission.pk, shared_at__isnull=True).update(
            **values
        )
        if updated:
            for name, value in values.items():
                setattr(submission, name, value)
            submission_shared.send(sender=Submission, submission=submission)
    if updated:
        logger.info("assessment shared: level=%s urgent=%s", submission.level, submission.urgent)
    return bool(updated)


def patient_texts(submission: Submission) -> tuple[list, list[dict]]:
    """The reasons and flags for the result page, in the active language.

    Stored texts are English, for staff. When the stored ruleset is the current one, the rules
    are asked again with the stored answers (they are deterministic) and their lazy texts are
    shown, so they render in the language of the page; the stored level must come out again.
    Otherwise (an older ruleset, answers that no longer validate) the stored texts are shown.
    """
    stored = (list(submission.reasons or []), list(submission.flags or []))
    if submission.ruleset_version != rules.RULESET_VERSION:
        return stored
    answers = {k: v for k, v in submission.answers.items() if k in instruments.QUESTIONS_BY_ID}
    asked = _lazy_texts(answers)
    if asked is None or asked[0] != submission.level:
        return stored
    return list(asked[1]), [dict(flag) for flag in asked[2]]


#: (level, reasons, flags) by a digest of the answers and the ruleset (issue 15).
_LAZY_TEXTS: dict = {}
_LAZY_TEXTS_SIZE = 1024


def _lazy_texts(answers: dict):
    """(level, reasons, flags) the current rules give for these answers, their texts lazy (so
    they render in any language), or None when the answers no longer validate. The rules are
    deterministic, so this is worked out once per answers (a result page asked them again on
    every view, issue 15); only a digest of the answers is kept, never the answers."""
    text = json.dumps([rules.RULESET_VERSION, answers], sort_keys=True, default=str)
    key = hashlib.sha256(text.encode()).hexdigest()
    if key in _LAZY_TEXTS:
        return _LAZY_TEXTS[key]
    try:
        recommendation = rules.recommend(answers)
    except instruments.AnswerError:
        found = None
    else:
        flags = tuple({"code": flag.code, "text": flag.text} for flag in recommendation.flags)
        found = (str(recommendation.level.value), tuple(recommendation.reasons), flags)
    if len(_LAZY_TEXTS) >= _LAZY_TEXTS_SIZE:
        _LAZY_TEXTS.clear()
    _LAZY_TEXTS[key] = found
    return found
