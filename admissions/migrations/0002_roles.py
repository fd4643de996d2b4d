"""Formerly made the staff roles by calling ``admissions.roles``; that live code no longer runs in
a migration. The roles are made, and kept in step, by a ``post_migrate`` receiver
(``admissions.roles.on_post_migrate``) after every ``migrate``. This migration stays, empty, so
databases that applied it keep a consistent history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("admissions", "0001_initial"),
        ("assessment", "0001_initial"),
        ("programs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
