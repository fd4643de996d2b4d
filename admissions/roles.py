"""Staff roles: Django groups and the permissions each one holds.

Created, and kept in step with :data:`ROLE_PERMISSIONS`, after every ``migrate`` by a
``post_migrate`` receiver (:func:`on_post_migrate`, connected in ``AdmissionsConfig.ready``),
which calls :func:`ensure_roles` with the migrated state. No migration runs this module: a
migration must not depend on code that changes after it was written.

Give a person a role by adding them to the group in the admin (Authentication and authorization >
Users). Minimum necessary (HIPAA 164.502(b)): directory editors never see a submission; only the
clinical lead reads the audit trail and may delete a submission by hand (for example when a
person asks for their data to be erased; every deletion is audited); admissions staff never
delete (old submissions go through ``purge_submissions``).
"""

ADMISSIONS = "Admissions"
DIRECTORY_EDITORS = "Directory editors"
CLINICAL_LEAD = "Clinical lead"

_DIRECTORY_MODELS = ("provider", "location", "program", "session")

#: (app_label, codename) pairs for each role.
ROLE_PERMISSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    ADMISSIONS: (
        ("assessment", "view_submission"),
        ("assessment", "change_submission"),
        ("assessment", "export_submission"),
        ("admissions", "add_note"),
        ("admissions", "view_note"),
        ("admissions", "view_pipelinechange"),
        ("admissions", "add_contactattempt"),
        ("admissions", "view_contactattempt"),
        ("admissions", "reveal_member_id"),
    ),
    DIRECTORY_EDITORS: tuple(
        ("programs", f"{action}_{model}")
        for model in _DIRECTORY_MODELS
        for action in ("add", "change", "delete", "view")
    ),
}
ROLE_PERMISSIONS[CLINICAL_LEAD] = (
    ROLE_PERMISSIONS[ADMISSIONS]
    + ROLE_PERMISSIONS[DIRECTORY_EDITORS]
    + (("assessment", "delete_submission"), ("admissions", "view_auditevent"))
)

#: Permissions that are not Django's add/change/delete/view, with the model each belongs to.
CUSTOM_PERMISSION_MODELS = {"reveal_member_id": "case"}

#: Roles that may open submissions (the admin enforces this through the permissions above).
SUBMISSION_ROLES = (ADMISSIONS, CLINICAL_LEAD)


def ensure_roles(apps, schema_editor=None):
    """Create the groups and give each exactly its permissions (idempotent).

    ``apps`` is the migration state registry (or ``django.apps.apps``). Permissions are created
    first, because on a fresh database they do not exist until ``post_migrate`` runs.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = []
        for app_label, codename in wanted:
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise LookupError(f"Permission {app_label}.{codename} does not exist")
            permissions.append(permission)
        group.permissions.set(permissions)


def models_exist(apps) -> bool:
    """True when every model a role's permissions belong to exists in ``apps`` (not so after
    ``migrate admissions zero``, for example)."""
    try:
        for permissions in ROLE_PERMISSIONS.values():
            for app_label, codename in permissions:
                model = CUSTOM_PERMISSION_MODELS.get(codename) or codename.split("_", 1)[1]
                apps.get_model(app_label, model)
            apps.get_model("auth", "Group")
    except LookupError:
        return False
    return True


def on_post_migrate(sender, apps=None, **kwargs):
    """``post_migrate`` receiver for the admissions app: the roles exist after every migrate (and
    after a test database is flushed), with exactly the permissions listed above. ``apps`` is the
    migrated state; when it lacks a model the roles need, the roles wait for the next migrate."""
    if apps is None:
        from django.apps import apps
    if models_exist(apps):
        ensure_roles(apps)
