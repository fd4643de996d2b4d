"""The queue: urgent people first, readable columns, filters, search, a fixed query count."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from admissions.models import Case
from assessment.models import Submission
from tests.admissions.factories import SubmissionFactory, emergency, with_callback

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assessment/submission/"


def rows(html):
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.split("<tr")[1:]


def refs(html):
    return re.findall(r'<span class="adm-ref">([^<]+)</span>', html)


def test_open_emergency_then_urgent_then_newest_and_closed_ones_sink(coordinator_client):
    now = timezone.now()
    routine_new = SubmissionFactory(created_at=now - dt.timedelta(minutes=1))
    urgent = SubmissionFactory(level="PHP", urgent=True, created_at=now - dt.timedelta(hours=3))
    emerg = emergency(created_at=now - dt.timedelta(hours=6))
    routine_old = SubmissionFactory(created_at=now - dt.timedelta(hours=1))
    closed_emergency = emergency(status="closed", created_at=now - dt.timedelta(minutes=2))
    html = coordinator_client.get(QUEUE).content.decode()
    assert refs(html) == [
        s.token[:8] for s in (emerg, urgent, routine_new, closed_emergency, routine_old)
    ]


def test_columns_show_badges_scores_callback_owner_and_overdue_in_words(
    coordinator_client, coordinator
):
    emergency(owner=coordinator, next_follow_up=timezone.localdate() - dt.timedelta(days=2))
    SubmissionFactory(level="PHP", urgent=True)
    with_callback(next_follow_up=timezone.localdate() + dt.timedelta(days=3))
    html = coordinator_client.get(QUEUE).content.decode()
    assert 'class="adm-badge adm-badge--emergency">Emergency<' in html
    assert 'class="adm-badge adm-badge--urgent">Urgent<' in html
    assert "<strong>27</strong> severe" in html  # PHQ-9 total with its band
    assert "<strong>9</strong> mild" in html
    assert 'adm-risk--high">High<' in html  # C-SSRS risk
    assert 'class="adm-overdue"><strong>Overdue</strong>' in html
    assert html.count("adm-overdue") == 1
    assert "Casey Lee" in html  # owner
    assert "Unassigned" in html
    assert "J.A." in html  # initials of the person who asked for a call back, not the name
    assert "Jordan Avery" not in html
    assert '<span aria-hidden="true">✔</span> Yes' in html
    assert "ago" in html  # humanised arrival time next to the exact one
    assert "<time datetime=" in html
    assert "Admissions queue" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", {"open_urgent", "mine", "overdue", "callback"}),
        ("status=closed", {"closed", "old"}),
        ("owner=mine", {"mine"}),
        ("owner=unassigned", {"open_urgent", "overdue", "callback", "closed", "old"}),
        ("urgent__exact=1", {"open_urgent", "closed"}),
        ("callback_requested__exact=1", {"callback"}),
        ("follow_up=overdue", {"overdue"}),
        ("arrived=today", {"open_urgent", "mine", "overdue", "callback", "closed"}),
        ("arrived=older", {"old"}),
        ("level__exact=EMERGENCY", {"open_urgent", "closed"}),
        ("insurance=private", {"mine"}),
        ("q=jordan", {"callback"}),
        ("q=555-0142", {"callback"}),
        ("q=jordan%40example.org", {"callback"}),
        ("q=94110", {"mine"}),
    ],
)
def test_filters_and_search(coordinator_client, coordinator, query, expected):
    today = timezone.localdate()
    made = {
        "open_urgent": emergency(),
        "mine": SubmissionFactory(owner=coordinator, insurance="private", zip_code="94110"),
        "overdue": SubmissionFactory(next_follow_up=today - dt.timedelta(days=1)),
        "callback": with_callback(),
        "closed": emergency(status="closed", next_follow_up=today - dt.timedelta(days=5)),
        "old": SubmissionFactory(
            status="closed", created_at=timezone.now() - dt.timedelta(days=40)
        ),
    }
    html = coordinator_client.get(f"{QUEUE}?{query}").content.decode()
    by_ref = {s.token[:8]: name for name, s in made.items()}
    assert {by_ref[ref] for ref in refs(html)} == expected


def test_search_by_token_prefix(coordinator_client):
    wanted, other = SubmissionFactory(), SubmissionFactory()
    html = coordinator_client.get(QUEUE, {"q": wanted.token[:8]}).content.decode()
    assert refs(html) == [wanted.token[:8]]
    assert other.token[:8] not in html


def test_owner_filter_offers_mine_unassigned_and_anyone(coordinator_client):
    html = coordinator_client.get(QUEUE).content.decode()
    for label in ("Mine", "Unassigned", "Anyone"):
        assert f">{label}</a>" in html


def _queue_queries(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get(QUEUE, {"all": ""})
    assert response.status_code == 200
    return len(context.captured_queries), response


def test_queue_costs_the_same_number_of_queries_for_10_or_1000_rows(
    coordinator_client, coordinator, settings
):
    def make(count, start):
        rows = Submission.objects.bulk_create(
            [
                SubmissionFactory.build(
                    submit_key=f"bulk-{start + i}",
                    token=f"bulk-token-{start + i:06d}",
                    urgent=i % 7 == 0,
                    callback_requested=i % 3 == 0,
                )
                for i in range(count)
            ]
        )
        # Every other row has its case (as save() makes it); the rest have none yet, as rows
        # written by bulk_create: the queue shows them as new, at the same cost.
        Case.objects.bulk_create(
            [
                Case(
                    submission=row,
                    owner=coordinator if i % 4 == 1 else None,
                    next_follow_up=timezone.localdate() - dt.timedelta(days=i % 4),
                )
                for i, row in enumerate(rows)
                if i % 2
            ]
        )

    make(10, 0)
    coordinator_client.get(QUEUE)  # warm caches (content types, session)
    small, _ = _queue_queries(coordinator_client)
    make(990, 10)
    large, response = _queue_queries(coordinator_client)
    assert Submission.objects.count() == 1000
    assert large == small
    assert small <= 12
    assert response.content.decode().count('class="adm-ref"') == 1000


def test_no_inline_styles_or_scripts_on_the_queue(coordinator_client):
    emergency()
    html = coordinator_client.get(QUEUE).content.decode()
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)
