"""In a real browser: the idle warning appears before the sign-out, and "Stay signed in" keeps
the coordinator signed in."""

import pytest
from django.apps import apps

from admissions import roles
from tests.admissions.factories import PASSWORD, staff_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_warning_appears_and_stay_signed_in_extends_the_session(page, settings):
    settings.STAFF_REQUIRE_2FA = False
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 6  # warned 1 s before the end (a fifth of it)
    roles.ensure_roles(apps)
    staff_user("robin", roles.ADMISSIONS)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("robin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    warning = page.get_by_role("alertdialog", name="Are you still there?")
    warning.wait_for(state="visible", timeout=10000)
    stay = page.get_by_role("button", name="Stay signed in")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    with page.expect_response("**/admin/keep-alive/") as kept:
        stay.click()
    assert kept.value.status == 204
    warning.wait_for(state="hidden")
    page.goto("/admin/")
    assert "/login/" not in page.url
    assert page.get_by_role("heading", name="Admissions at a glance").is_visible()
