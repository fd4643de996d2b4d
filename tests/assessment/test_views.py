"""The result page and the call-back request: what a person sees, what is stored, and what is
never shown again; expiry; rate limits."""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from assessment import forms
from assessment.models import Submission
from programs.levels import LEVEL_INFO, LevelOfCare
from tests.support.wizard_walk import walk

pytestmark = pytest.mark.django_db

GOOD_CONTACT = {
    "contact_name": "Sam",
    "contact_phone": "(502) 555-0142",
    "contact_email": "",
    "best_time": "Evenings",
    "contact_consent": "on",
}


def result_url(submission):
    return f"/assessment/r/{submission.token}/"


def callback_url(submission):
    return f"/assessment/r/{submission.token}/call-back/"


def test_result_shows_the_level_what_it_means_why_and_next_steps(client, make_submission):
    submission = make_submission(**{f"phq9_{n}": 2 for n in range(1, 9)}, daily_functioning=2)
    response = client.get(result_url(submission))
    assert response.status_code == 200
    html = response.content.decode()
    info = LEVEL_INFO[submission.level_of_care]
    assert str(info.name) in html
    assert str(info.hours) in html
    assert str(info.day) in html
    assert "Why we suggest this" in html
    for reason in submission.reasons:
        assert reason.replace("'", "&#x27;").replace('"', "&quot;") in html
    assert "This is not a diagnosis." in html
    assert 'id="call-back"' in html and 'name="contact_phone"' in html
    assert f"level={submission.level}" in html and "zip=40202" in html
    assert "insurance=medicaid" in html and "day=mon&amp;day=wed" in html
    assert "time=evening" in html
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    assert '<meta name="robots" content="noindex">' in html


def test_result_page_references_no_other_host(client, make_submission, assert_same_origin):
    assert_same_origin(client.get(result_url(make_submission())))


def test_unknown_token_is_a_404(client):
    assert client.get("/assessment/r/not-a-real-token/").status_code == 404


def test_expired_link_is_a_kind_410_that_shows_no_data(client, make_submission, settings):
    submission = make_submission(phq9_1=3)
    Submission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - timedelta(days=settings.RESULT_LINK_DAYS, seconds=1)
    )
    response = client.get(result_url(submission))
    assert response.status_code == 410
    html = response.content.decode()
    assert "This result link has expired" in html
    assert 'href="/assessment/"' in html
    assert str(LEVEL_INFO[submission.level_of_care].name) not in html
    assert "Why we suggest this" not in html
    expired_post = client.post(callback_url(submission), GOOD_CONTACT)
    assert expired_post.status_code == 410
    submission.refresh_from_db()
    assert submission.callback_requested is False


def test_link_still_works_just_before_it_expires(client, make_submission, settings):
    submission = make_submission()
    Submission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - timedelta(days=settings.RESULT_LINK_DAYS) + timedelta(minutes=5)
    )
    assert client.get(result_url(submission)).status_code == 200


@pytest.mark.parametrize(
    "typed",
    [
        "(502) 555-0142",
        "502-555-0142",
        "5025550142",
        "502.555.0142",
        "502 555 0142",
        "+1 502 555 0142",
        "+1 (502) 555-0142",
        "1-502-555-0142",
        "15025550142",
        "５０２-５５５-０１４２",  # full-width digits (review fix: stored as ASCII)
    ],
)
def test_good_us_phone_numbers_are_stored_normalised(typed):
    assert forms.normalise_us_phone(typed) == "+15025550142"


@pytest.mark.parametrize(
    "typed",
    [
        "555-0142",  # 7 digits
        "502555014",  # 9 digits
        "50255501423",  # 11 digits not starting with 1
        "(102) 555-0142",  # area code starts with 1
        "(002) 555-0142",  # area code starts with 0
        "(502) 155-0142",  # exchange starts with 1
        "(502) 055-0142",  # exchange starts with 0
        "(911) 555-0142",  # N11 service code
        "+44 20 7946 0958",  # not a US number
        "call me maybe",
        "502-555-O142",  # letter O
        "502-555-014²",  # superscript two
    ],
)
def test_bad_phone_numbers_are_refused(typed):
    with pytest.raises(forms.ValidationError):
        forms.normalise_us_phone(typed)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**GOOD_CONTACT, "contact_phone": "555-0142"}, "contact_phone", "10 digits"),
        ({**GOOD_CONTACT, "contact_phone": "(102) 555-0142"}, "contact_phone", "start with 0 or 1"),
        ({**GOOD_CONTACT, "contact_email": "sam@"}, "contact_email", "name@example.com"),
        ({**GOOD_CONTACT, "contact_email": "sam example.com"}, "contact_email", "name@example.com"),
        ({**GOOD_CONTACT, "contact_consent": ""}, "contact_consent", "tick the box"),
        (
            {**GOOD_CONTACT, "contact_phone": "", "contact_email": ""},
            "contact_phone",
            "phone number or an email",
        ),
    ],
)
def test_call_back_form_refuses_bad_input_and_keeps_what_was_typed(
    client, make_submission, data, field, message
):
    submission = make_submission()
    response = client.post(callback_url(submission), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert f'href="#id_{field}"' in html  # error summary links to the field
    assert 'aria-invalid="true"' in html
    if data["contact_phone"]:
        assert f'value="{data["contact_phone"]}"' in html
    if data["contact_email"]:
        assert f'value="{data["contact_email"]}"' in html
    submission.refresh_from_db()
    assert submission.callback_requested is False
    assert submission.contact_phone == "" and submission.contact_email == ""


@pytest.mark.parametrize(
    ("data", "phone", "email"),
    [
        (GOOD_CONTACT, "+15025550142", ""),
        (
            {**GOOD_CONTACT, "contact_phone": "", "contact_email": "sam@example.com"},
            "",
            "sam@example.com",
        ),
        (
            {
                **GOOD_CONTACT,
                "contact_phone": "+1 502 555 0142",
                "contact_email": "sam@example.org",
            },
            "+15025550142",
            "sam@example.org",
        ),
    ],
)
def test_call_back_request_is_stored_with_consent_and_never_shown_back(
    client, make_submission, data, phone, email
):
    submission = make_submission()
    response = client.post(callback_url(submission), data)
    assert response.status_code == 302
    assert response["Location"] == f"{result_url(submission)}#call-back"
    submission.refresh_from_db()
    assert submission.callback_requested is True
    assert submission.callback_requested_at is not None
    assert submission.contact_consent is True and submission.contact_consent_at is not None
    assert submission.contact_phone == phone
    assert submission.contact_email == email
    assert submission.contact_name == "Sam" and submission.best_time == "Evenings"
    html = client.get(result_url(submission)).content.decode()
    assert "We have your request" in html
    assert "not watched 24 hours a day, 7 days a week" in html
    assert 'name="contact_phone"' not in html
    for private in ("Sam", "555-0142", "5025550142", "sam@example"):
        assert private not in html


def test_a_second_call_back_post_changes_nothing(client, make_submission):
    submission = make_submission()
    client.post(callback_url(submission), GOOD_CONTACT)
    again = client.post(
        callback_url(submission), {**GOOD_CONTACT, "contact_phone": "(606) 555-0100"}
    )
    assert again.status_code == 302
    submission.refresh_from_db()
    assert submission.contact_phone == "+15025550142"


def test_call_back_get_goes_to_the_form(client, make_submission):
    submission = make_submission()
    response = client.get(callback_url(submission))
    assert response.status_code == 302 and response["Location"].endswith("#call-back")


def test_urgent_confirmation_repeats_the_crisis_numbers(client, make_submission):
    submission = make_submission(phq9_9=1, cssrs_1=1)
    assert submission.urgent
    client.post(callback_url(submission), GOOD_CONTACT)
    html = client.get(result_url(submission)).content.decode()
    confirmation = html[html.index("We have your request") :]
    assert 'href="tel:988"' in confirmation and "741741" in confirmation


def test_emergency_result_leads_with_crisis_help(client, make_submission):
    submission = make_submission(cssrs_2=1, cssrs_3=1, cssrs_4=1, cssrs_5=0)
    assert submission.level == LevelOfCare.EMERGENCY
    html = client.get(result_url(submission)).content.decode()
    main = html[html.index("<main") :]
    assert main.index("You matter. Please reach out now.") < main.index("Emergency care now")
    assert main.index('href="tel:988"') < main.index("Your result")
    assert re.search(r"<h1[^>]*>You matter\. Please reach out now\.</h1>", main)
    assert "Later, when you are safe" in main
    assert "match-list" not in main


@override_settings(RATE_LIMITS={"assessment_submit": 20, "callback": 2, "api": 100})
def test_normal_journey_stays_under_the_wizard_rate_limit_and_call_back_is_limited(
    client, make_submission
):
    walk(client)
    assert Submission.objects.count() == 1
    submission = make_submission()
    bad = {**GOOD_CONTACT, "contact_phone": "1"}
    assert client.post(callback_url(submission), bad).status_code == 200
    assert client.post(callback_url(submission), bad).status_code == 200
    assert client.post(callback_url(submission), bad).status_code == 429


@override_settings(RATE_LIMITS={"assessment_submit": 3, "callback": 10, "api": 100})
def test_wizard_posts_are_rate_limited(client):
    client.get("/assessment/")
    statuses = [
        client.post("/assessment/step/now/", {"action": "next"}).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/assessment/step/now/").status_code == 200  # reading is never limited


@pytest.mark.parametrize("token", ["%00", "abc%00def", "%C3%A9t%C3%A9", "a.b"])
def test_malformed_tokens_are_a_404_not_a_crash(client, token):
    """Review fix: a NUL byte in the token reached PostgreSQL, which refuses it (a 500)."""
    assert client.get(f"/assessment/r/{token}/").status_code == 404
    assert client.post(f"/assessment/r/{token}/call-back/").status_code == 404


@pytest.mark.parametrize("emergency", [False, True])
def test_the_token_appears_only_in_our_own_forms_and_referrers_stay_on_site(
    client, make_submission, emergency
):
    """The result token is the only key to the page: no link on it carries the token (the
    programs search link included), and the Referrer-Policy keeps it off other sites."""
    from tests.support.html import urls_in

    overrides = {"cssrs_2": 1, "cssrs_3": 0, "cssrs_4": 1, "cssrs_5": 0} if emergency else {}
    submission = make_submission(**overrides)
    assert (submission.level == LevelOfCare.EMERGENCY) is emergency
    response = client.get(result_url(submission))
    carrying = [
        (tag, attr, url)
        for tag, attr, url in urls_in(response.content.decode())
        if submission.token in url
    ]
    assert carrying == [
        ("form", "action", callback_url(submission)),
        ("form", "action", f"/assessment/r/{submission.token}/email-link/"),
    ]
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer")


def test_oversized_posts_never_make_the_session_large(client):
    """Issue 11 item 6: one request could store 2.4 MB in the session (checkbox values were
    limited in number, not length, and unknown values were kept on Back)."""
    from django.contrib.sessions.models import Session

    from assessment import instruments
    from assessment.wizard import Wizard

    client.get("/assessment/")
    for step_id in Wizard(client.session).active_steps():
        data = {}
        for question in instruments.questions_for_step(step_id):
            data[question.id] = ["x" * 2_000] * 100 if question.kind == "multi" else "9" * 20_000
        url = f"/assessment/step/{step_id}/"
        refused = 200 if Wizard(client.session).can_enter(step_id) else 302
        assert client.post(url, {**data, "action": "next"}).status_code == refused
        assert client.post(url, {**data, "action": "back"}).status_code == 302
    stored = Session.objects.get(session_key=client.session.session_key).session_data
    assert len(stored) < 10_000, len(stored)


def test_the_crisis_panel_page_works_for_anyone_and_makes_no_session(client, settings):
    response = client.get("/assessment/reach-out/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:988"' in html and 'href="sms:988"' in html
    assert """<a class="btn btn-outline-secondary" href="/assessment/">I'm safe""" in html
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert "no-store" in response["Cache-Control"]
