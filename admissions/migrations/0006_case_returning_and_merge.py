"""One person, one record: a case links to the same person's earlier open case, and can be
merged into it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("admissions", "0005_case_outcome_benefits_open_follow_up"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="merged",
                to="admissions.case",
                verbose_name="merged into",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="returning_of",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="returns",
                to="admissions.case",
                verbose_name="returning: same person as",
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
                    ("member_id_shown", "Revealed the insurance member ID"),
                    ("linked_returning", "Linked as returning"),
                    ("unlinked", "Unlinked from the same person"),
                    ("merged", "Merged into the same person's case"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="action",
            ),
        ),
    ]
