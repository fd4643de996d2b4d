"""The staff admin site is Django's default site by configuration (``AdminConfig.default_site``),
and the staff roles are made after ``migrate`` without a migration running application code."""

import ast
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command

from admissions import roles
from admissions.sites import StaffAdminSite

ROOT = Path(__file__).resolve().parents[2]


def test_the_default_admin_site_is_the_staff_site_by_configuration():
    from django.apps import apps

    assert apps.get_app_config("admin").default_site == "admissions.sites.StaffAdminSite"
    assert type(admin.site._wrapped) is StaffAdminSite  # no class swapped in at run time
    assert "two_factor" in {getattr(p, "name", None) for p in admin.site.get_urls()}


def test_no_module_swaps_a_class_at_run_time():
    swaps = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for folder in ("admissions", "iop_finder", "pages")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Assign)
        and any(
            isinstance(target, ast.Attribute) and target.attr == "__class__"
            for target in node.targets
        )
    ]
    assert swaps == []


def test_the_admissions_migrations_import_only_django():
    imports = {
        f"{path.name}: {name}"
        for path in sorted((ROOT / "admissions" / "migrations").glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        if name and name.split(".")[0] not in ("django", *sys.stdlib_module_names)
    }
    assert imports == set()


def role_table():
    return {
        group.name: {
            (p.content_type.app_label, p.codename)
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=list(roles.ROLE_PERMISSIONS))
    }


@pytest.mark.django_db(transaction=True)
def test_the_roles_exist_with_exactly_their_permissions_after_migrate():
    Group.objects.all().delete()
    call_command("migrate", verbosity=0, interactive=False)
    assert role_table() == {name: set(wanted) for name, wanted in roles.ROLE_PERMISSIONS.items()}


@pytest.mark.django_db(transaction=True)
def test_migrate_puts_a_role_back_in_step_after_someone_changed_it():
    lead = Group.objects.get(name=roles.CLINICAL_LEAD)
    lead.permissions.clear()
    call_command("migrate", verbosity=0, interactive=False)
    assert role_table()[roles.CLINICAL_LEAD] == set(roles.ROLE_PERMISSIONS[roles.CLINICAL_LEAD])
