"""What admissions staff add to a submission, and the audit trail of what staff did.

* :class:`Case`: where a submission stands in the admissions pipeline (status, owner, next
  follow-up, when the urgent notice reached the mail server). One per submission, sharing its
  primary key, created by :func:`admissions.pipeline.open_case` when the submission is saved for
  the first time (inside the same transaction), so the public app knows nothing of it.
* :class:`Note`: append-only staff notes (author and time), deleted with their submission.
* :class:`PipelineChange`: every change of status, owner or next follow-up, shown on the
  submission page so a coordinator sees who moved the person along and when.
* :class:`AuditEvent`: who opened, changed, noted, exported or purged which submission, and when
  (HIPAA 45 CFR 164.312(b), audit controls). It keeps the submission's id and the first
  characters of its token, never a cascading foreign key, so it outlives purged submissions.
  Rows are written once and never updated; the admin shows them read-only to the clinical lead.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.models import ReferralSource

TOKEN_PREFIX_LENGTH = 8


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Case.CLOSED_STATUSES)


class Case(models.Model):
    """The admissions pipeline state of one shared submission.

    Besides what staff set (status, owner, follow-up), a case keeps copies of what the queue
    sorts and searches by, written only by :mod:`admissions.pipeline` on every change, so the
    queue reads indexed columns of one table instead of expressions over joins:
    ``priority`` (open EMERGENCY, open urgent, the rest), ``arrived_at``, the normalised phone
    digits and e-mail, whether an urgent person left no way to reach them, and the call log's
    attempt count, last attempt and first successful contact.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTING = "contacting", _("Contacting")
        INTAKE_SCHEDULED = "intake_scheduled", _("Intake scheduled")
        ADMITTED = "admitted", _("Admitted")
        REFERRED = "referred", _("Referred elsewhere")
        UNREACHABLE = "unreachable", _("Could not reach")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        REFERRED = "referred", _("Referred to a program or service")
        ASSESSMENT_BOOKED = "assessment_booked", _("Assessment booked")
        ADMITTED = "admitted", _("Admitted")
        NOT_ADMITTED = "not_admitted", _("Not admitted")

    class NotAdmittedReason(models.TextChoices):
        DECLINED = "declined", _("Person declined")
        NOT_REACHED = "not_reached", _("Could not be reached")
        LEVEL_NOT_OFFERED = "level", _("Needs a level of care we do not offer")
        INSURANCE = "insurance", _("Insurance not accepted")
        SCHEDULE = "schedule", _("Schedule does not fit")
        CLINICAL = "clinical", _("Clinical exclusion")
        WENT_ELSEWHERE = "elsewhere", _("Went elsewhere")
        OTHER = "other", _("Other")

    class Benefits(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        IN_NETWORK = "in_network", _("Verified: in network")
        OUT_OF_NETWORK = "out_of_network", _("Verified: out of network")
        NOT_COVERED = "not_covered", _("Verified: not covered")
        AUTH_NEEDED = "auth_needed", _("Authorization needed")

    class Priority(models.IntegerChoices):
        ROUTINE = 0, _("Routine or closed")
        URGENT = 1, _("Open urgent")
        EMERGENCY = 2, _("Open EMERGENCY")

    CLOSED_STATUSES = (Status.ADMITTED, Status.REFERRED, Status.UNREACHABLE, Status.CLOSED)

    submission = models.OneToOneField(
        "assessment.Submission",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="case",
        verbose_name=_("submission"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name=_("owner"),
    )
    owner_changed_at = models.DateTimeField(_("owner changed"), null=True, blank=True)
    next_follow_up_at = models.DateTimeField(
        _("next follow-up"), null=True, blank=True, db_index=True
    )
    follow_up_reason = models.CharField(_("follow-up reason"), max_length=200, blank=True)
    #: Stamped when the mail server accepted the urgent notice (``admissions.notify``).
    urgent_notice_sent_at = models.DateTimeField(_("urgent notice sent"), null=True, blank=True)

    # --- kept by admissions.pipeline (never edited by hand) ------------------------------------
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.ROUTINE
    )
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True, db_index=True)
    #: The next follow-up while the case is open (empty once it is closed): what the queue's
    #: "overdue" and "due today" read, through its own index.
    open_follow_up_at = models.DateTimeField(
        _("open follow-up"), null=True, blank=True, db_index=True
    )
    #: An urgent person who left no phone number or e-mail (or no consent to use them): kept
    #: visible for clinical review, but out of the "to act on" count.
    no_contact = models.BooleanField(_("no contact details"), default=False)
    phone_digits = models.CharField(_("phone (digits)"), max_length=15, blank=True, db_index=True)
    email_normalised = models.CharField(
        _("e-mail (normalised)"), max_length=254, blank=True, db_index=True
    )
    attempt_count = models.PositiveIntegerField(_("contact attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    first_contact_at = models.DateTimeField(_("first reached"), null=True, blank=True)
    #: Staff may set or correct how the person heard about us (first copied from the form).
    referral_source = models.CharField(
        _("how they heard about us"), max_length=20, choices=ReferralSource.choices, blank=True
    )
    referral_source_other = models.CharField(
        _("heard about us (other)"), max_length=120, blank=True
    )

    # --- one person, one record ---------------------------------------------------------------
    #: The open case of the same person (same phone or e-mail, within 30 days) this one came
    #: after: shown as "returning". Staff may unlink it, or merge this case into it.
    returning_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="returns",
        verbose_name=_("returning: same person as"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )

    # --- outcome (moves the status: admissions.pipeline.OUTCOME_STATUS) ----------------------
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, db_index=True
    )
    outcome_program = models.ForeignKey(
        "programs.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
    )
    outcome_service = models.CharField(_("outside service"), max_length=200, blank=True)
    assessment_on = models.DateField(_("assessment date"), null=True, blank=True)
    admitted_on = models.DateField(_("admission date"), null=True, blank=True)
    not_admitted_reason = models.CharField(
        _("reason not admitted"), max_length=20, choices=NotAdmittedReason.choices, blank=True
    )

    # --- insurance benefits check ------------------------------------------------------------
    benefits_status = models.CharField(
        _("benefits check"),
        max_length=20,
        choices=Benefits.choices,
        default=Benefits.NOT_STARTED,
    )
    benefits_notes = models.TextField(_("benefits notes"), blank=True)
    benefits_checked_at = models.DateTimeField(_("benefits checked"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("admissions case")
        verbose_name_plural = _("admissions cases")
        permissions = [("reveal_member_id", _("Can reveal an insurance member ID"))]
        indexes = [
            # The queue: "priority > 0" (the work to do) and "priority = 0, newest first".
            models.Index(fields=["priority", "arrived_at"], name="case_priority_arrived"),
        ]

    def __str__(self):
        return f"{self.submission_id}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            self.next_follow_up_at is not None
            and self.next_follow_up_at < timezone.now()
            and self.is_open
        )

    @property
    def is_due_today(self) -> bool:
        if self.next_follow_up_at is None or not self.is_open or self.is_overdue:
            return False
        return timezone.localdate(self.next_follow_up_at) == timezone.localdate()


class AppendOnlyModel(models.Model):
    """A row that is written once: saving an existing row again raises, so history cannot be
    rewritten through the ORM (the admin also refuses change and delete)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Rows go only with their submission (a purge cascades in SQL) or never (audit events).
        raise ValueError(f"{type(self).__name__} rows are append-only and cannot be deleted.")


class Note(AppendOnlyModel):
    submission = models.ForeignKey(
        "assessment.Submission",
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("submission"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    #: Copied at write time, so a note still says who wrote it after the account is removed.
    author_name = models.CharField(_("author name"), max_length=150)
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")

    def __str__(self):
        return f"{self.author_name} · {self.created_at:%Y-%m-%d %H:%M}"


class PipelineChange(AppendOnlyModel):
    """One change of a submission's status, owner or next follow-up date."""

    class Field(models.TextChoices):
        STATUS = "status", _("Status")
        OWNER = "owner", _("Owner")
        NEXT_FOLLOW_UP = "next_follow_up_at", _("Next follow-up")
        FOLLOW_UP_REASON = "follow_up_reason", _("Follow-up reason")
        REFERRAL_SOURCE = "referral_source", _("Referral source")
        OUTCOME = "outcome", _("Outcome")
        BENEFITS = "benefits_status", _("Benefits check")

    submission = models.ForeignKey(
        "assessment.Submission",
        on_delete=models.CASCADE,
        related_name="pipeline_changes",
        verbose_name=_("submission"),
    )
    field = models.CharField(_("what changed"), max_length=20, choices=Field.choices)
    old_value = models.CharField(_("from"), max_length=150, blank=True)
    new_value = models.CharField(_("to"), max_length=150, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_by_name = models.CharField(_("changed by"), max_length=150, blank=True)
    changed_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("pipeline change")
        verbose_name_plural = _("pipeline changes")

    def __str__(self):
        return f"{self.get_field_display()}: {self.old_value or '—'} → {self.new_value or '—'}"


class AuditEvent(AppendOnlyModel):
    class Action(models.TextChoices):
        VIEWED = "viewed", _("Opened the submission page")
        CHANGED = "changed", _("Changed")
        NOTE_ADDED = "note_added", _("Added a note")
        EXPORTED_CSV = "exported_csv", _("Exported as CSV")
        EXPORTED_FHIR = "exported_fhir", _("Exported as FHIR")
        DELETED = "deleted", _("Deleted")
        PURGED = "purged", _("Purged old submissions")
        URGENT_NOTICE = "urgent_notice", _("Urgent notice emailed")
        NO_CONTACT = "no_contact", _("Marked: no contact details")
        CONTACT_LOGGED = "contact_logged", _("Logged a contact attempt")
        MEMBER_ID_REVEALED = "member_id_shown", _("Revealed the insurance member ID")
        LINKED = "linked_returning", _("Linked as returning")
        UNLINKED = "unlinked", _("Unlinked from the same person")
        MERGED = "merged", _("Merged into the same person's case")
        REPORT_VIEWED = "report_viewed", _("Opened the reports")
        REPORT_EXPORTED = "report_exported", _("Downloaded the reports as CSV")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    #: Copied at write time: the trail still names the person after the account is removed.
    #: Empty for the system itself (the purge command, the urgent notice).
    actor_username = models.CharField(_("who"), max_length=150, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    #: Not a foreign key: the trail must survive the submission being purged.
    submission_id = models.BigIntegerField(_("submission id"), null=True, blank=True, db_index=True)
    token_prefix = models.CharField(
        _("token starts with"), max_length=TOKEN_PREFIX_LENGTH, blank=True
    )
    changes = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")

    def __str__(self):
        who = self.actor_username or _("system")
        target = f" #{self.submission_id}" if self.submission_id else ""
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.get_action_display()}{target}"


class ContactAttempt(AppendOnlyModel):
    """One try to reach the person (the call log). The first one that reaches them stamps
    ``Case.first_contact_at``; every one moves ``Case.attempt_count`` and ``last_attempt_at``
    (``admissions.pipeline.log_contact``, the one writer)."""

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", _("We contacted them")
        INBOUND = "inbound", _("They contacted us")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        TEXT = "text", _("Text message")
        EMAIL = "email", _("E-mail")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached")
        NO_ANSWER = "no_answer", _("No answer")
        VOICEMAIL = "voicemail", _("Voicemail left")
        WRONG_NUMBER = "wrong_number", _("Wrong number")
        DECLINED = "declined", _("Declined")
        CALL_BACK_LATER = "call_back_later", _("Call back later")

    #: Outcomes that count as contact made (time to first contact stops).
    REACHED_OUTCOMES = (Outcome.REACHED, Outcome.DECLINED, Outcome.CALL_BACK_LATER)

    submission = models.ForeignKey(
        "assessment.Submission",
        on_delete=models.CASCADE,
        related_name="contact_attempts",
        verbose_name=_("submission"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.OUTBOUND
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    duration_minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    by_name = models.CharField(_("by"), max_length=150, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")

    def __str__(self):
        return f"{self.get_channel_display()} · {self.get_outcome_display()}"

    @property
    def reached(self) -> bool:
        return self.outcome in self.REACHED_OUTCOMES
