"""Staff roles as groups: Admissions, Directory editors, Clinical lead (see admissions/roles.py).

Permissions are created here first (``create_permissions``), because on a fresh database they only
appear after ``post_migrate``; the dependencies make sure every model they belong to exists.
"""

from django.db import migrations

from admissions.roles import ensure_roles, remove_roles


class Migration(migrations.Migration):
    dependencies = [
        ("admissions", "0001_initial"),
        ("assessment", "0001_initial"),
        ("programs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(ensure_roles, remove_roles)]
