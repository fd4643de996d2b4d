"""Issue 10, keep and resume without an account: "Email me a link" on a step (resume, 72 h, once
per device session) and on the result (result lifetime); signed, expiring, sent through the
outbox; no answer in any URL; the address kept nowhere else; refused kindly with 410."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client, override_settings
from django.utils import timezone

from assessment import links
from assessment.models import ResumeDraft, Submission
from iop_finder.core import ratelimit
from iop_finder.outbox.models import OutboxEmail
from tests.support.wizard_walk import step_url, walk, wizard_of

pytestmark = pytest.mark.django_db

ADDRESS = "person@example.org"


@pytest.fixture(autouse=True)
def one_window(monkeypatch):
    monkeypatch.setattr(ratelimit, "WINDOW_SECONDS", 86_400)


def link_in(email: OutboxEmail) -> str:
    return re.search(r"http://testserver(/\S+)", email.body).group(1)


def email_resume(client, step_id: str, address: str = ADDRESS):
    return client.post(f"/assessment/step/{step_id}/email-link/", {"email": address})


def test_a_resume_link_continues_the_run_in_another_browser(client):
    walk(client, {"phq9_1": 2, "phq9_2": 1}, until="substances")
    before = wizard_of(client)
    response = email_resume(client, "substances")
    assert response.status_code == 302
    assert response["Location"] == step_url("substances") + "#email-link"
    email = OutboxEmail.objects.get(kind="assessment_resume_link")
    assert email.to == [ADDRESS]
    url = link_in(email)
    # The link carries a signed random key, never an answer.
    assert "phq9" not in url and "40202" not in url
    draft = ResumeDraft.objects.get()
    assert draft.step == "substances" and draft.state["answers"] == before.answers
    # The address is not stored with the run (only the outbox row that sends it holds it).
    assert ADDRESS not in str(draft.state)

    other = Client()
    confirm = other.get(url)  # a mail scanner or link preview uses nothing up
    assert confirm.status_code == 200 and "Continue" in confirm.content.decode()
    assert ResumeDraft.objects.get().used_at is None
    opened = other.post(url)
    assert opened.status_code == 302 and opened["Location"] == step_url("substances")
    assert wizard_of(other).answers == before.answers
    assert wizard_of(other).key == before.key  # one run: it can be stored only once
    page = other.get(step_url("substances"))
    assert page.status_code == 200 and "Step" in page.content.decode()
    # The saved answers leave the server's row once they are in the new browser's session.
    assert ResumeDraft.objects.get().state == {}
    # The same browser session may open it again: it just continues there.
    assert other.post(url).status_code == 302
    assert other.get(url).status_code == 200
    # Any other browser is refused kindly.
    third = Client()
    for refused in (third.get(url), third.post(url)):
        assert refused.status_code == 410
        html = refused.content.decode()
        assert "Start again" in html and 'href="tel:988"' in html


def test_a_resume_link_expires_after_72_hours(client, monkeypatch):
    walk(client, until="mood")
    email_resume(client, "mood")
    url = link_in(OutboxEmail.objects.get())
    ResumeDraft.objects.update(created_at=timezone.now() - timedelta(hours=71))
    assert Client().get(url).status_code == 200
    ResumeDraft.objects.update(created_at=timezone.now() - timedelta(hours=73))
    real_loads = signing.loads
    monkeypatch.setattr(
        signing, "loads", lambda value, **kw: real_loads(value, **{**kw, "max_age": None})
    )
    # Even with the signature's own age check out of the way, the row's age refuses it.
    assert Client().post(url).status_code == 410
    assert list(links.expired_drafts()) == list(ResumeDraft.objects.all())


def test_a_tampered_or_wrong_purpose_link_is_refused():
    submission_link = links.sign("abc", links.RESULT_SALT)
    assert Client().get(f"/assessment/continue/{submission_link}/").status_code == 410
    assert Client().get("/assessment/continue/not-a-signature/").status_code == 410


def test_a_bad_address_is_refused_on_the_step_and_nothing_is_lost(client):
    walk(client, {"phq9_1": 2}, until="mood")
    response = email_resume(client, "mood", "not an address")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html and "name@example.com" in html
    assert 'value="not an address"' in html
    assert '<details class="email-later" id="email-link" open>' in html
    assert ResumeDraft.objects.count() == 0 and OutboxEmail.objects.count() == 0
    assert wizard_of(client).answers["phq9_1"] == 2


def test_the_result_link_email_opens_the_result_until_it_expires(client, settings):
    response = walk(client)
    submission = Submission.objects.get()
    sent = client.post(f"/assessment/r/{submission.token}/email-link/", {"email": ADDRESS})
    assert sent.status_code == 302 and sent["Location"].endswith("#keep")
    email = OutboxEmail.objects.get(kind="assessment_result_link")
    assert email.to == [ADDRESS] and "30 days" in email.body
    url = link_in(email)
    opened = Client().get(url)
    assert opened.status_code == 302 and opened["Location"] == response["Location"]
    submission.refresh_from_db()
    assert submission.contact_email == "" and submission.shared_at is None
    Submission.objects.update(created_at=timezone.now() - timedelta(days=31))
    assert Client().get(url).status_code == 410


@override_settings(RATE_LIMITS={"email_link": 2})
def test_email_me_a_link_is_rate_limited(client, make_submission):
    submission = make_submission()
    url = f"/assessment/r/{submission.token}/email-link/"
    statuses = [client.post(url, {"email": ADDRESS}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert OutboxEmail.objects.count() == 2


def test_a_resumed_run_can_be_sent_and_stores_one_submission(client):
    walk(client, until="review")
    email_resume(client, "review")
    url = link_in(OutboxEmail.objects.get())
    other = Client()
    other.post(url)
    walk(other)
    walk(client)  # the first browser sends too: same run, same row
    assert Submission.objects.count() == 1


def test_the_purge_command_deletes_expired_drafts(client):
    from django.core.management import call_command

    walk(client, until="mood")
    email_resume(client, "mood")
    email_resume(client, "mood")
    ResumeDraft.objects.filter(pk=ResumeDraft.objects.first().pk).update(
        created_at=timezone.now() - timedelta(hours=80)
    )
    call_command("purge_resume_drafts", verbosity=0)
    assert ResumeDraft.objects.count() == 1
