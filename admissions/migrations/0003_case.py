"""Admissions state gets its own table: one ``Case`` per submission, with the status, owner,
next follow-up and urgent-notice time copied from the submission's old columns.

It runs before ``assessment.0003_pipeline_moves_to_admissions`` (``run_before``), which drops
those columns; the assessment app never refers to this app, not even in its migrations.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


PIPELINE_FIELDS = (
    "status",
    "status_changed_at",
    "owner_id",
    "owner_changed_at",
    "next_follow_up",
    "urgent_notice_sent_at",
)


def copy_pipeline_state(apps, schema_editor):
    """One case per existing submission, with the values the submission held."""
    Submission = apps.get_model("assessment", "Submission")
    Case = apps.get_model("admissions", "Case")
    rows = Submission.objects.order_by("pk").values_list("pk", *PIPELINE_FIELDS)
    batch = []
    for pk, *values in rows.iterator(chunk_size=2000):
        batch.append(Case(submission_id=pk, **dict(zip(PIPELINE_FIELDS, values, strict=True))))
        if len(batch) >= 2000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    """Undo: the values go back onto the submission (the case table is dropped after this)."""
    Submission = apps.get_model("assessment", "Submission")
    Case = apps.get_model("admissions", "Case")
    for case in Case.objects.order_by("pk").iterator(chunk_size=2000):
        Submission.objects.filter(pk=case.submission_id).update(
            **{name: getattr(case, name) for name in PIPELINE_FIELDS}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("admissions", "0002_roles"),
        ("assessment", "0002_matched_programs_help"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    run_before = [("assessment", "0003_pipeline_moves_to_admissions")]

    operations = [
        migrations.CreateModel(
            name="Case",
            fields=[
                (
                    "submission",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="case",
                        serialize=False,
                        to="assessment.submission",
                        verbose_name="submission",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "New"),
                            ("contacting", "Contacting"),
                            ("intake_scheduled", "Intake scheduled"),
                            ("admitted", "Admitted"),
                            ("referred", "Referred elsewhere"),
                            ("unreachable", "Could not reach"),
                            ("closed", "Closed"),
                        ],
                        db_index=True,
                        default="new",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "status_changed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="status changed"),
                ),
                (
                    "owner_changed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="owner changed"),
                ),
                (
                    "next_follow_up",
                    models.DateField(
                        blank=True, db_index=True, null=True, verbose_name="next follow-up"
                    ),
                ),
                (
                    "urgent_notice_sent_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="urgent notice sent"),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="owned_cases",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="owner",
                    ),
                ),
            ],
            options={
                "verbose_name": "admissions case",
                "verbose_name_plural": "admissions cases",
            },
        ),
        migrations.RunPython(copy_pipeline_state, copy_back, elidable=True),
    ]
