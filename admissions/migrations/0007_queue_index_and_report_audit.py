"""The queue reads the work to do and "the rest, newest first" through one index on
(priority, arrived_at); the audit trail names report views and downloads."""


from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('admissions', '0006_case_returning_and_merge'),
        ('assessment', '0004_sharing_referral_insurance'),
        ('programs', '0002_import_source_keys'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('viewed', 'Opened the submission page'), ('changed', 'Changed'), ('note_added', 'Added a note'), ('exported_csv', 'Exported as CSV'), ('exported_fhir', 'Exported as FHIR'), ('deleted', 'Deleted'), ('purged', 'Purged old submissions'), ('urgent_notice', 'Urgent notice emailed'), ('no_contact', 'Marked: no contact details'), ('contact_logged', 'Logged a contact attempt'), ('member_id_shown', 'Revealed the insurance member ID'), ('linked_returning', 'Linked as returning'), ('unlinked', 'Unlinked from the same person'), ('merged', "Merged into the same person's case"), ('report_viewed', 'Opened the reports'), ('report_exported', 'Downloaded the reports as CSV')], db_index=True, max_length=20, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='case',
            name='priority',
            field=models.PositiveSmallIntegerField(choices=[(0, 'Routine or closed'), (1, 'Open urgent'), (2, 'Open EMERGENCY')], default=0, verbose_name='priority'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['priority', 'arrived_at'], name='case_priority_arrived'),
        ),
    ]
