"""The queue reads indexed columns of the case (priority, arrival, follow-up time); the call log;
follow-ups get a time and a reason; staff may set the referral source.

Existing cases: the follow-up date becomes 9:00 that day in the site's time zone, and the copies
the queue sorts and searches by are filled from each submission (the same rules as
``admissions.pipeline.refresh``, written out here because a migration must not import code that
changes after it)."""

import datetime as dt
import re

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

URGENT_LEVEL = "EMERGENCY"
CLOSED = ("admitted", "referred", "unreachable", "closed")


def _digits(text):
    digits = re.sub(r"\D", "", text or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits[:15]


def fill_new_columns(apps, schema_editor):
    from django.utils import timezone

    Case = apps.get_model("admissions", "Case")
    PipelineChange = apps.get_model("admissions", "PipelineChange")
    PipelineChange.objects.filter(field="next_follow_up").update(field="next_follow_up_at")
    for case in Case.objects.select_related("submission").iterator(chunk_size=2000):
        s = case.submission
        if case.next_follow_up:
            case.next_follow_up_at = timezone.make_aware(
                dt.datetime.combine(case.next_follow_up, dt.time(9, 0))
            )
        needs = bool(s.urgent) or s.level == URGENT_LEVEL
        reachable = bool(
            s.callback_requested
            and s.contact_consent
            and (_digits(s.contact_phone) or s.contact_email.strip())
        )
        case.arrived_at = s.created_at
        case.no_contact = needs and not reachable
        case.phone_digits = _digits(s.contact_phone) if s.contact_consent else ""
        case.email_normalised = (s.contact_email or "").strip().lower() if s.contact_consent else ""
        case.referral_source = s.referral_source
        case.referral_source_other = s.referral_source_other
        priority = 0
        if case.status not in CLOSED and not case.no_contact:
            priority = 2 if s.level == URGENT_LEVEL else (1 if s.urgent else 0)
        case.priority = priority
        case.save()


class Migration(migrations.Migration):
    dependencies = [
        ("admissions", "0003_case"),
        ("assessment", "0004_sharing_referral_insurance"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ContactAttempt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now, verbose_name="when"
                    ),
                ),
                (
                    "direction",
                    models.CharField(
                        choices=[
                            ("outbound", "We contacted them"),
                            ("inbound", "They contacted us"),
                        ],
                        default="outbound",
                        max_length=10,
                        verbose_name="direction",
                    ),
                ),
                (
                    "channel",
                    models.CharField(
                        choices=[("phone", "Phone"), ("text", "Text message"), ("email", "E-mail")],
                        default="phone",
                        max_length=10,
                        verbose_name="channel",
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("reached", "Reached"),
                            ("no_answer", "No answer"),
                            ("voicemail", "Voicemail left"),
                            ("wrong_number", "Wrong number"),
                            ("declined", "Declined"),
                            ("call_back_later", "Call back later"),
                        ],
                        max_length=20,
                        verbose_name="outcome",
                    ),
                ),
                (
                    "duration_minutes",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="minutes"),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                ("by_name", models.CharField(blank=True, max_length=150, verbose_name="by")),
            ],
            options={
                "verbose_name": "contact attempt",
                "verbose_name_plural": "contact attempts",
                "ordering": ["at", "pk"],
            },
        ),
        migrations.AddField(
            model_name="case",
            name="arrived_at",
            field=models.DateTimeField(
                blank=True, db_index=True, null=True, verbose_name="arrived"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="attempt_count",
            field=models.PositiveIntegerField(default=0, verbose_name="contact attempts"),
        ),
        migrations.AddField(
            model_name="case",
            name="email_normalised",
            field=models.CharField(
                blank=True, db_index=True, max_length=254, verbose_name="e-mail (normalised)"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="first_contact_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="first reached"),
        ),
        migrations.AddField(
            model_name="case",
            name="follow_up_reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="follow-up reason"),
        ),
        migrations.AddField(
            model_name="case",
            name="last_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last attempt"),
        ),
        migrations.AddField(
            model_name="case",
            name="next_follow_up_at",
            field=models.DateTimeField(
                blank=True, db_index=True, null=True, verbose_name="next follow-up"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="no_contact",
            field=models.BooleanField(default=False, verbose_name="no contact details"),
        ),
        migrations.AddField(
            model_name="case",
            name="phone_digits",
            field=models.CharField(
                blank=True, db_index=True, max_length=15, verbose_name="phone (digits)"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="priority",
            field=models.PositiveSmallIntegerField(
                choices=[(0, "Routine or closed"), (1, "Open urgent"), (2, "Open EMERGENCY")],
                default=0,
                verbose_name="priority",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="referral_source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("search", "Searching online"),
                    ("doctor", "A doctor or therapist"),
                    ("hospital", "A hospital or emergency room"),
                    ("family", "Family or a friend"),
                    ("insurance", "My insurance company"),
                    ("school_work", "School or work"),
                    ("988", "988 or a crisis line"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="how they heard about us",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="referral_source_other",
            field=models.CharField(
                blank=True, max_length=120, verbose_name="heard about us (other)"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("viewed", "Opened the submission page"),
                    ("changed", "Changed"),
                    ("note_added", "Added a note"),
                    ("exported_csv", "Exported as CSV"),
                    ("exported_fhir", "Exported as FHIR"),
                    ("deleted", "Deleted"),
                    ("purged", "Purged old submissions"),
                    ("urgent_notice", "Urgent notice emailed"),
                    ("no_contact", "Marked: no contact details"),
                    ("contact_logged", "Logged a contact attempt"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="pipelinechange",
            name="field",
            field=models.CharField(
                choices=[
                    ("status", "Status"),
                    ("owner", "Owner"),
                    ("next_follow_up_at", "Next follow-up"),
                    ("follow_up_reason", "Follow-up reason"),
                    ("referral_source", "Referral source"),
                ],
                max_length=20,
                verbose_name="what changed",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["-priority", "next_follow_up_at", "-arrived_at"], name="case_queue_order"
            ),
        ),
        migrations.AddField(
            model_name="contactattempt",
            name="by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AddField(
            model_name="contactattempt",
            name="submission",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="contact_attempts",
                to="assessment.submission",
                verbose_name="submission",
            ),
        ),
        migrations.RunPython(fill_new_columns, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="case",
            name="next_follow_up",
        ),
    ]
