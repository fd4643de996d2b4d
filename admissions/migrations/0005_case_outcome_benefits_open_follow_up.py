"""Outcomes (referred, assessment booked, admitted, not admitted) and the insurance benefits
check on the case; the queue's "overdue" and "due today" read ``open_follow_up_at`` (the next
follow-up while the case is open), indexed like ``priority``."""

import django.db.models.deletion
from django.db import migrations, models

CLOSED = ("admitted", "referred", "unreachable", "closed")


def fill_open_follow_up(apps, schema_editor):
    Case = apps.get_model("admissions", "Case")
    Case.objects.exclude(status__in=CLOSED).update(open_follow_up_at=models.F("next_follow_up_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("admissions", "0004_case_queue_call_log_follow_up_time"),
        ("programs", "0002_import_source_keys"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="case",
            options={
                "permissions": [("reveal_member_id", "Can reveal an insurance member ID")],
                "verbose_name": "admissions case",
                "verbose_name_plural": "admissions cases",
            },
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_queue_order",
        ),
        migrations.AddField(
            model_name="case",
            name="admitted_on",
            field=models.DateField(blank=True, null=True, verbose_name="admission date"),
        ),
        migrations.AddField(
            model_name="case",
            name="assessment_on",
            field=models.DateField(blank=True, null=True, verbose_name="assessment date"),
        ),
        migrations.AddField(
            model_name="case",
            name="benefits_checked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="benefits checked"),
        ),
        migrations.AddField(
            model_name="case",
            name="benefits_notes",
            field=models.TextField(blank=True, verbose_name="benefits notes"),
        ),
        migrations.AddField(
            model_name="case",
            name="benefits_status",
            field=models.CharField(
                choices=[
                    ("not_started", "Not started"),
                    ("in_progress", "In progress"),
                    ("in_network", "Verified: in network"),
                    ("out_of_network", "Verified: out of network"),
                    ("not_covered", "Verified: not covered"),
                    ("auth_needed", "Authorization needed"),
                ],
                default="not_started",
                max_length=20,
                verbose_name="benefits check",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="not_admitted_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("declined", "Person declined"),
                    ("not_reached", "Could not be reached"),
                    ("level", "Needs a level of care we do not offer"),
                    ("insurance", "Insurance not accepted"),
                    ("schedule", "Schedule does not fit"),
                    ("clinical", "Clinical exclusion"),
                    ("elsewhere", "Went elsewhere"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="reason not admitted",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="open_follow_up_at",
            field=models.DateTimeField(
                blank=True, db_index=True, null=True, verbose_name="open follow-up"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("referred", "Referred to a program or service"),
                    ("assessment_booked", "Assessment booked"),
                    ("admitted", "Admitted"),
                    ("not_admitted", "Not admitted"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="outcome",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="outcome_program",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="programs.program",
                verbose_name="program",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="outcome_service",
            field=models.CharField(blank=True, max_length=200, verbose_name="outside service"),
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
                    ("member_id_shown", "Revealed the insurance member ID"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="priority",
            field=models.PositiveSmallIntegerField(
                choices=[(0, "Routine or closed"), (1, "Open urgent"), (2, "Open EMERGENCY")],
                db_index=True,
                default=0,
                verbose_name="priority",
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
                    ("outcome", "Outcome"),
                    ("benefits_status", "Benefits check"),
                ],
                max_length=20,
                verbose_name="what changed",
            ),
        ),
        migrations.RunPython(fill_open_follow_up, migrations.RunPython.noop),
    ]
