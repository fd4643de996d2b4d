"""In a real browser (issue 11 item 3): two admin tabs left open are both signed out on time.
Before, each tab reloaded itself at its deadline and that reload counted as activity, so the
tabs kept each other signed in for ever."""

import time

import pytest
from django.apps import apps

from admissions import roles
from tests.admissions.factories import PASSWORD, staff_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_two_idle_tabs_do_not_keep_each_other_signed_in(browser, live_server, settings):
    settings.STAFF_REQUIRE_2FA = False
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 6
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    roles.ensure_roles(apps)
    staff_user("robin", roles.ADMISSIONS)
    context = browser.new_context(base_url=live_server.url)
    try:
        first = context.new_page()
        first.goto("/admin/login/")
        first.get_by_label("Username").fill("robin")
        first.get_by_label("Password").fill(PASSWORD)
        first.get_by_role("button", name="Log in").click()
        first.wait_for_url("**/admin/")
        first.wait_for_timeout(3000)  # the second tab opens half-way through the first's time
        second = context.new_page()
        second.goto("/admin/assessment/submission/")
        # Nobody touches either tab. Before the fix the tabs' reloads alternated and neither
        # ever reached the sign-in page. (wait_for_url lets the browser's events through.)
        started = time.monotonic()
        first.wait_for_url("**/admin/login/**", timeout=25000)
        second.wait_for_url("**/admin/login/**", timeout=25000)
        assert time.monotonic() - started < 20
        notice = "You were signed out because the page was left idle."
        assert notice in first.content() or notice in second.content()
    finally:
        context.close()
