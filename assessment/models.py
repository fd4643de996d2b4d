"""A completed self-assessment, written once, atomically, when the person submits.

It keeps everything needed to explain and reproduce the recommendation later (design.md:
answers, every instrument's score, the ruleset version and the rules that fired), the person's
preferences for program matching, contact details only if they asked for a call back with
consent. Where staff have got to with it is not kept here: the staff side keeps that in its own
tables, keyed by the submission.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs import levels
from programs.fields import CodeListField


def new_token() -> str:
    """An unguessable public token for the result page (192 random bits)."""
    return secrets.token_urlsafe(24)


class ReferralSource(models.TextChoices):
    """How the person heard about us (asked on the call-back form, optional; staff can set it)."""

    SEARCH = "search", _("Searching online")
    DOCTOR = "doctor", _("A doctor or therapist")
    HOSPITAL = "hospital", _("A hospital or emergency room")
    FAMILY = "family", _("Family or a friend")
    INSURANCE = "insurance", _("My insurance company")
    SCHOOL_WORK = "school_work", _("School or work")
    LINE_988 = "988", _("988 or a crisis line")
    OTHER = "other", _("Other")


class SubmissionQuerySet(models.QuerySet):
    def shared(self):
        """Runs the person chose to share with the admissions team: the only ones staff see."""
        return self.filter(shared_at__isnull=False)

    def unshared_past_result_life(self, now=None):
        """Runs nobody shared whose result link has expired (``RESULT_LINK_DAYS``): nothing of
        them is needed any more, so the purge deletes them (issue 10)."""
        now = now or timezone.now()
        cutoff = now - timedelta(days=settings.RESULT_LINK_DAYS)
        return self.filter(shared_at__isnull=True, created_at__lt=cutoff)

    def queue_order(self):
        """Urgent and EMERGENCY first, then newest: the admissions triage order."""
        return self.order_by("-urgent", "-created_at")


class Submission(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # One key per wizard run: a double click, refresh or replayed final POST finds the row that
    # the first request wrote instead of creating a second one.
    submit_key = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("arrived"), default=timezone.now, db_index=True)

    # What the person answered and what the engine made of it.
    answers = models.JSONField(_("answers"), default=dict)
    scores = models.JSONField(
        _("scores"),
        default=dict,
        help_text="{instrument: {total, max_total, band, band_label, positive}}",
    )
    level = models.CharField(
        _("recommended level"),
        max_length=20,
        choices=levels.choices(levels.RECOMMENDABLE_LEVELS),
        db_index=True,
    )
    dimensions = models.JSONField(_("dimension ratings"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)
    flags = models.JSONField(_("flags"), default=list, help_text="[{code, text}]")
    rules_fired = models.JSONField(_("rules fired"), default=list)
    ruleset_version = models.CharField(_("ruleset version"), max_length=20)
    urgent = models.BooleanField(_("urgent"), default=False, db_index=True)

    # Key scores copied out of ``scores`` so the queue can show and filter them cheaply.
    phq9_total = models.PositiveSmallIntegerField(_("PHQ-9"), null=True, blank=True)
    phq9_band = models.CharField(_("PHQ-9 band"), max_length=40, blank=True)
    gad7_total = models.PositiveSmallIntegerField(_("GAD-7"), null=True, blank=True)
    gad7_band = models.CharField(_("GAD-7 band"), max_length=40, blank=True)
    cssrs_risk = models.CharField(_("C-SSRS risk"), max_length=20, blank=True)

    # Preferences, for program matching.
    zip_code = models.CharField(_("ZIP code"), max_length=10, blank=True, db_index=True)
    age_group = models.CharField(_("age group"), max_length=20, blank=True)
    insurance = models.CharField(_("insurance"), max_length=20, blank=True, db_index=True)
    days = CodeListField(_("days they can attend"))
    times = CodeListField(_("times they can attend"))
    hours_available = models.CharField(_("hours a week available"), max_length=20, blank=True)
    modality = models.CharField(_("in person or telehealth"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    matched_programs = models.JSONField(
        _("matched programs"),
        default=list,
        blank=True,
        help_text=(
            "Programs shown on the result page: [{id, name, slug, level, distance_miles, fits, "
            "misses, is_alternative}]"
        ),
    )
    consent_to_store = models.BooleanField(_("agreed to the privacy notice"), default=False)
    #: The language the person used ("en", "es"); staff read the answers in English.
    ui_language = models.CharField(_("language used"), max_length=8, default="en", blank=True)

    # Sharing is the person's choice (issue 10): until ``shared_at`` is set, staff see nothing
    # of this run (no queue row, no case, no notice). Set once, by the share action.
    shared_at = models.DateTimeField(
        _("shared with admissions"), null=True, blank=True, db_index=True
    )

    # Call back: asked only on the result page, only when the person requests it, with consent.
    callback_requested = models.BooleanField(_("call back requested"), default=False, db_index=True)
    callback_requested_at = models.DateTimeField(_("call back requested at"), null=True, blank=True)
    contact_name = models.CharField(_("name"), max_length=120, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    best_time = models.CharField(_("best time to call"), max_length=120, blank=True)
    contact_consent = models.BooleanField(_("consent to be contacted"), default=False)
    contact_consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    referral_source = models.CharField(
        _("how they heard about us"), max_length=20, choices=ReferralSource.choices, blank=True
    )
    referral_source_other = models.CharField(
        _("heard about us (other)"), max_length=120, blank=True
    )
    # Optional, with the call back and its consent; the member id is masked for most staff.
    insurance_payer = models.CharField(_("insurance company"), max_length=120, blank=True)
    insurance_member_id = models.CharField(_("insurance member ID"), max_length=40, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-urgent", "-created_at"]
        verbose_name = _("submission")
        indexes = [
            # The admissions queue: urgent first, then newest.
            models.Index(fields=["-urgent", "-created_at"], name="submission_queue"),
        ]
        permissions = [
            ("export_submission", "Can export submissions (CSV, FHIR)"),
        ]

    def __str__(self):
        return f"{self.get_level_display()} · {self.created_at:%Y-%m-%d %H:%M} · {self.token[:8]}"

    def get_absolute_url(self):
        return reverse("assessment:result", args=[self.token])

    @property
    def level_of_care(self) -> levels.LevelOfCare:
        return levels.LevelOfCare(self.level)

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=settings.RESULT_LINK_DAYS)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


def new_draft_key() -> str:
    """The random id of a saved, unfinished run (carried only inside a signed link)."""
    return secrets.token_urlsafe(24)


class ResumeDraft(models.Model):
    """An unfinished run saved for "Email me a link" (issue 10): the wizard's state (answers and
    step), kept server-side so no answer ever travels in a URL. The e-mailed link carries only
    the signed ``key``. Opened once (then emptied), gone after ``RESUME_LINK_HOURS``
    (``manage.py purge_resume_drafts`` deletes expired rows)."""

    key = models.CharField(max_length=64, unique=True, default=new_draft_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    state = models.JSONField(default=dict)
    step = models.CharField(max_length=40, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("saved unfinished assessment")

    def __str__(self):
        return f"draft {self.key[:8]}"
