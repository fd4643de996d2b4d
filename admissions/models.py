"""What admissions staff add to a submission, and the audit trail of what staff did.

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
