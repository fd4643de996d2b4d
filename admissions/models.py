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

TOKEN_PREFIX_LENGTH = 8


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Case.CLOSED_STATUSES)


class Case(models.Model):
    """The admissions pipeline state of one submission."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTING = "contacting", _("Contacting")
        INTAKE_SCHEDULED = "intake_scheduled", _("Intake scheduled")
        ADMITTED = "admitted", _("Admitted")
        REFERRED = "referred", _("Referred elsewhere")
        UNREACHABLE = "unreachable", _("Could not reach")
        CLOSED = "closed", _("Closed")

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
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True, db_index=True)
    #: Stamped when the mail server accepted the urgent notice (``admissions.notify``).
    urgent_notice_sent_at = models.DateTimeField(_("urgent notice sent"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("admissions case")
        verbose_name_plural = _("admissions cases")

    def __str__(self):
        return f"{self.submission_id}: {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    @property
    def is_overdue(self) -> bool:
        return (
            self.next_follow_up is not None
            and self.next_follow_up < timezone.localdate()
            and self.is_open
        )


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
        NEXT_FOLLOW_UP = "next_follow_up", _("Next follow-up")

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
