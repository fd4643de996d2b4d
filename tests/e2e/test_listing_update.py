"""The freshness loop in real browsers: a directory editor sends a link from the admin, the
program's listing contact opens it in another browser (no account), marks "not taking new
patients", and the public search shows it at once."""

import re

import pytest
from django.apps import apps
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from admissions import roles
from iop_finder.outbox.models import OutboxEmail
from programs.models import ListingChange
from tests.admissions.factories import PASSWORD, staff_user
from tests.programs.factories import evening_iop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def current_code(device) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def test_editor_sends_a_link_and_the_contact_marks_not_accepting(
    page, browser, live_server, settings
):
    settings.STAFF_REQUIRE_2FA = True
    settings.SITE_URL = live_server.url
    roles.ensure_roles(apps)  # transactional tests flush the groups the migration made
    editor = staff_user("dana", roles.DIRECTORY_EDITORS)
    device = TOTPDevice.objects.create(user=editor, name="Authenticator app")
    program = evening_iop(
        name="Riverside Evening IOP", listing_email="intake@riverside.example", zip_code="40202"
    )

    # The editor, signed in to the admin, sends the link.
    page.goto("/admin/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("6-digit code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.goto("/admin/programs/program/")
    page.locator(f'input[name="_selected_action"][value="{program.pk}"]').check()
    page.locator('select[name="action"]').select_option("send_listing_links")
    page.get_by_role("button", name="Go").click()
    page.get_by_text("1 link will be e-mailed to its listing contact.").wait_for()
    body = OutboxEmail.objects.get(kind="listing_update_link").body
    url = re.search(re.escape(live_server.url) + r"/programs/\S+", body).group(0)

    # The listing contact opens it in another browser context: no session, no account.
    contact = browser.new_context(base_url=live_server.url)
    try:
        tab = contact.new_page()
        tab.set_default_timeout(15000)
        tab.goto(url)
        assert tab.get_by_role(
            "heading", name="Check your listing: Riverside Evening IOP"
        ).is_visible()
        tab.get_by_label("No, we are not taking new patients right now").check()
        tab.get_by_role("button", name="Confirm the listing").click()
        tab.wait_for_url("**/listing/updated/")
        assert tab.get_by_role("heading", name="Thank you: your listing is confirmed").is_visible()

        # The search shows it at once, to anyone.
        tab.goto("/programs/?zip=40202")
        card = tab.locator(".result-card", has_text="Riverside Evening IOP")
        assert "Not taking new patients right now" in card.inner_text()
        tab.goto(url)
        assert tab.get_by_role("heading", name="This link no longer works").is_visible()
    finally:
        contact.close()

    program.refresh_from_db()
    assert program.accepting_new_patients is False
    assert program.last_verified_by == "listing contact intake@riverside.example"
    assert ListingChange.objects.get().changes == {"accepting_new_patients": [True, False]}
