"""Roles: who can reach a submission (and the audit trail) by any admin URL."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from admissions import roles
from admissions.models import AuditEvent, Case, ContactAttempt
from assessment.models import Submission
from tests.admissions.factories import SubmissionFactory, staff_user

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "no_role", "directory_editor", "admissions", "clinical_lead", "superuser")


def make_user(role):
    return {
        "anonymous": lambda: None,
        "no_role": lambda: staff_user("nobody"),
        "directory_editor": lambda: staff_user("eddie", roles.DIRECTORY_EDITORS),
        "admissions": lambda: staff_user("casey", roles.ADMISSIONS),
        "clinical_lead": lambda: staff_user("lena", roles.CLINICAL_LEAD),
        "superuser": lambda: staff_user("root", superuser=True),
    }[role]()


def urls(submission):
    ct = ContentType.objects.get_for_model(Submission).pk
    base = "/admin/assessment/submission/"
    return {
        "changelist": ("get", base, {}),
        "change": ("get", f"{base}{submission.pk}/change/", {}),
        "history": ("get", f"{base}{submission.pk}/history/", {}),
        "delete": ("get", f"{base}{submission.pk}/delete/", {}),
        "add": ("get", f"{base}add/", {}),
        "save": ("post", f"{base}{submission.pk}/change/", {"status": "closed"}),
        "log_call": (
            "post",
            f"{base}{submission.pk}/change/",
            {"status": "new", "attempt_outcome": "no_answer"},
        ),
        "due_now": ("get", f"{base}?follow_up=due_now", {}),
        "member_id": ("get", f"{base}{submission.pk}/member-id/", {}),
        "reports": ("get", "/admin/reports/", {}),
        "reports_csv": ("get", "/admin/reports/", {"format": "csv"}),
        "view_on_site": ("get", f"/admin/r/{ct}/{submission.pk}/", {}),
        "export_csv": (
            "post",
            base,
            {"action": "export_csv", "_selected_action": [submission.pk]},
        ),
        "export_fhir": (
            "post",
            base,
            {"action": "export_fhir", "_selected_action": [submission.pk]},
        ),
        "assign": ("post", base, {"action": "assign_to_me", "_selected_action": [submission.pk]}),
        "app_index": ("get", "/admin/assessment/", {}),
        "audit_trail": ("get", "/admin/admissions/auditevent/", {}),
    }


DENIED = 403
#: role -> {url name: expected status}; anything not listed is DENIED.
EXPECTED = {
    "anonymous": dict.fromkeys(
        [
            "changelist",
            "change",
            "history",
            "delete",
            "add",
            "save",
            "log_call",
            "due_now",
            "member_id",
            "reports",
            "reports_csv",
            "view_on_site",
            "export_csv",
            "export_fhir",
            "assign",
            "app_index",
            "audit_trail",
        ],
        302,
    ),
    "no_role": {"app_index": 404},
    "directory_editor": {"app_index": 404},
    "admissions": {
        "changelist": 200,
        "change": 200,
        "history": 200,
        "save": 302,
        "log_call": 302,
        "due_now": 200,
        "member_id": 200,
        "reports": 200,
        "reports_csv": 200,
        "view_on_site": 302,
        "export_csv": 200,
        "export_fhir": 200,
        "assign": 302,
        "app_index": 200,
    },
    "clinical_lead": {
        "changelist": 200,
        "change": 200,
        "history": 200,
        "delete": 200,
        "save": 302,
        "log_call": 302,
        "due_now": 200,
        "member_id": 200,
        "reports": 200,
        "reports_csv": 200,
        "view_on_site": 302,
        "export_csv": 200,
        "export_fhir": 200,
        "assign": 302,
        "app_index": 200,
        "audit_trail": 200,
    },
    "superuser": {
        "changelist": 200,
        "change": 200,
        "history": 200,
        "delete": 200,
        "save": 302,
        "log_call": 302,
        "due_now": 200,
        "member_id": 200,
        "reports": 200,
        "reports_csv": 200,
        "view_on_site": 302,
        "export_csv": 200,
        "export_fhir": 200,
        "assign": 302,
        "app_index": 200,
        "audit_trail": 200,
    },
}
URL_NAMES = list(EXPECTED["anonymous"])


@pytest.mark.parametrize("url_name", URL_NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, role, url_name):
    user = make_user(role)
    if user is not None:
        client.force_login(user)
    submission = SubmissionFactory()
    method, url, data = urls(submission)[url_name]
    response = getattr(client, method)(url, data)
    expected = EXPECTED[role].get(url_name, DENIED)
    assert response.status_code == expected, (role, url_name, response.status_code)
    if role == "anonymous":
        assert "/admin/login/" in response["Location"]
    if expected in (DENIED, 302, 404) and url_name.startswith("export"):
        assert not response.get("Content-Disposition")
    if url_name == "save" and expected == DENIED:
        assert Case.objects.get(pk=submission.pk).status == Case.Status.NEW
    if url_name == "member_id":
        revealed = AuditEvent.objects.filter(action="member_id_shown").count()
        assert revealed == (1 if expected == 200 else 0)
    if url_name == "log_call":
        logged = ContactAttempt.objects.filter(submission=submission).count()
        assert logged == (1 if expected == 302 and role != "anonymous" else 0)


def test_view_on_site_leads_staff_with_permission_to_the_result_page(client):
    client.force_login(make_user("admissions"))
    submission = SubmissionFactory()
    ct = ContentType.objects.get_for_model(Submission).pk
    response = client.get(f"/admin/r/{ct}/{submission.pk}/")
    assert response.status_code == 302
    assert submission.token in response["Location"]


def test_roles_exist_with_exactly_their_permissions():
    def perms(name):
        group = Group.objects.get(name=name)
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }

    for name, wanted in roles.ROLE_PERMISSIONS.items():
        assert perms(name) == {f"{app}.{code}" for app, code in wanted}

    admissions = perms(roles.ADMISSIONS)
    assert "assessment.delete_submission" not in admissions
    assert "admissions.view_auditevent" not in admissions
    assert not any(p.startswith("assessment.") for p in perms(roles.DIRECTORY_EDITORS))
    assert "programs.change_program" in perms(roles.DIRECTORY_EDITORS)
    assert "admissions.view_auditevent" in perms(roles.CLINICAL_LEAD)


def test_ensure_roles_is_idempotent():
    from django.apps import apps

    roles.ensure_roles(apps)
    roles.ensure_roles(apps)
    assert Group.objects.filter(name__in=list(roles.ROLE_PERMISSIONS)).count() == 3


def test_admissions_staff_see_no_delete_action_and_editors_see_no_submissions(client):
    client.force_login(make_user("admissions"))
    SubmissionFactory()
    html = client.get("/admin/assessment/submission/").content.decode()
    assert "delete_selected" not in html
    assert "export_csv" in html and "assign_to_me" in html
    client.force_login(staff_user("eddie2", roles.DIRECTORY_EDITORS))
    index = client.get("/admin/").content.decode()
    assert "/admin/assessment/submission/" not in index
    assert "Admissions at a glance" not in index
