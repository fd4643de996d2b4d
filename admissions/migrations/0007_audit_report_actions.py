
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('admissions', '0006_case_returning_and_merge'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('viewed', 'Opened the submission page'), ('changed', 'Changed'), ('note_added', 'Added a note'), ('exported_csv', 'Exported as CSV'), ('exported_fhir', 'Exported as FHIR'), ('deleted', 'Deleted'), ('purged', 'Purged old submissions'), ('urgent_notice', 'Urgent notice emailed'), ('no_contact', 'Marked: no contact details'), ('contact_logged', 'Logged a contact attempt'), ('member_id_shown', 'Revealed the insurance member ID'), ('linked_returning', 'Linked as returning'), ('unlinked', 'Unlinked from the same person'), ('merged', "Merged into the same person's case"), ('report_viewed', 'Opened the reports'), ('report_exported', 'Downloaded the reports as CSV')], db_index=True, max_length=20, verbose_name='action'),
        ),
    ]
