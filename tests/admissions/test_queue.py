"""The queue: urgent people first, readable columns, filters, search, a fixed query count."""

import datetime as dt
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from admissions import pipeline
from admissions.models import Case
from assessment.models import Submission
from tests.admissions.factories import (
    SubmissionFactory,
    emergency,
    emergency_reachable,
    with_callback,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assessment/submission/"


def rows(html):
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.split("<tr")[1:]


def refs(html):
    return re.findall(r'<span class="adm-ref">([^<]+)</span>', html)


def test_order_emergency_overdue_urgent_due_today_then_newest(coordinator_client):
    now = timezone.now()
    later_today = min(now + dt.timedelta(minutes=30), pipeline.end_of_today(now))
    ago = lambda **kw: now - dt.timedelta(**kw)  # noqa: E731
    routine_new = SubmissionFactory(created_at=ago(minutes=1))
    urgent = with_callback(level="PHP", urgent=True, created_at=ago(hours=3))
    emerg = emergency_reachable(created_at=ago(hours=6))
    routine_old = SubmissionFactory(created_at=ago(hours=1))
    overdue = SubmissionFactory(created_at=ago(days=2), next_follow_up_at=ago(minutes=5))
    more_overdue = SubmissionFactory(created_at=ago(days=1), next_follow_up_at=ago(hours=5))
    due_today = SubmissionFactory(created_at=ago(days=3), next_follow_up_at=later_today)
    closed_emergency = emergency_reachable(status="closed", created_at=ago(minutes=2))
    no_contact = emergency(created_at=ago(minutes=3))  # urgent, but no way to reach them
    html = coordinator_client.get(QUEUE).content.decode()
    expected = (
        emerg,
        more_overdue,
        overdue,
        urgent,
        due_today,
        routine_new,
        closed_emergency,
        no_contact,
        routine_old,
    )
    assert refs(html) == [s.token[:8] for s in expected]
    assert html.count('class="adm-no-contact"') == 1


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
        ("q=(502) 555-0142", {"callback"}),
        ("q=502-555-0142", {"callback"}),
        ("q=%2B1 502 555 0142", {"callback"}),
        ("q=555-0142", {"callback"}),
        ("q=jordan%40example.org", {"callback"}),
        ("q= Jordan%40Example.ORG ", {"callback"}),
        ("q=(502) 555-0199", set()),
        ("q=94110", {"mine"}),
    ],
)
def test_filters_and_search(coordinator_client, coordinator, query, expected):
    made = {
        "open_urgent": emergency(),
        "mine": SubmissionFactory(owner=coordinator, insurance="private", zip_code="94110"),
        "overdue": SubmissionFactory(next_follow_up_at=timezone.now() - dt.timedelta(days=1)),
        "callback": with_callback(),
        "closed": emergency(
            status="closed", next_follow_up_at=timezone.now() - dt.timedelta(days=5)
        ),
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


def _queue_queries(client, query=""):
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"{QUEUE}?all=&{query}")
    assert response.status_code == 200
    return len(context.captured_queries), response


def make_queue(count, start, owner=None):
    """``count`` shared submissions with their cases, written in bulk (as the benchmark does)."""
    now = timezone.now()
    rows = Submission.objects.bulk_create(
        [
            SubmissionFactory.build(
                submit_key=f"bulk-{start + i}",
                token=f"bulk-token-{start + i:06d}",
                urgent=i % 7 == 0,
                callback_requested=i % 3 == 0,
                shared_at=now,
            )
            for i in range(count)
        ]
    )
    cases = []
    for i, row in enumerate(rows):
        case = Case(
            submission=row,
            owner=owner if i % 4 == 1 else None,
            next_follow_up_at=now - dt.timedelta(days=i % 4) if i % 2 else None,
            attempt_count=i % 3,
            last_attempt_at=now if i % 3 else None,
        )
        pipeline.refresh(case, row)
        cases.append(case)
    Case.objects.bulk_create(cases)


@pytest.mark.parametrize("query", ["", "follow_up=overdue", "q=(502) 555-0142", "status=open"])
def test_queue_costs_the_same_number_of_queries_for_10_or_1000_rows(
    coordinator_client, coordinator, query
):
    make_queue(10, 0, coordinator)
    coordinator_client.get(QUEUE)  # warm caches (content types, session)
    small, _ = _queue_queries(coordinator_client, query)
    make_queue(990, 10, coordinator)
    large, response = _queue_queries(coordinator_client, query)
    assert Submission.objects.count() == 1000
    assert large == small
    assert small <= 7  # the session is not written: its idle stamp is younger than the slack
    if not query:
        assert response.content.decode().count('class="adm-ref"') == 1000


def test_pages_follow_the_queue_order_at_a_fixed_query_count(coordinator_client, coordinator):
    """Page by page (50 rows) the queue is the same order as the whole list, and a page costs
    the same queries at 120 rows as at 1,000: the first page one fewer than any later page
    (which also counts the rows needing attention before it)."""
    make_queue(120, 0, coordinator)
    whole = refs(coordinator_client.get(f"{QUEUE}?all=").content.decode())
    paged = []
    for page in (1, 2, 3):
        paged += refs(coordinator_client.get(QUEUE, {"p": page}).content.decode())
    assert paged == whole and len(whole) == 120

    def page_queries(page):
        with CaptureQueriesContext(connection) as context:
            assert coordinator_client.get(QUEUE, {"p": page}).status_code == 200
        return len(context.captured_queries)

    small = [page_queries(page) for page in (1, 2, 3)]
    make_queue(880, 120, coordinator)
    large = [page_queries(page) for page in (1, 2, 11, 20)]
    first, later = small[0], small[1]
    assert large[0] == first and set(small[1:]) == set(large[1:]) == {later}
    assert later == first + 1 and first <= 8


@pytest.mark.parametrize("stamp_age", [0, 61])
def test_the_queue_costs_7_queries_or_10_when_the_idle_stamp_is_rewritten(
    coordinator_client, coordinator, stamp_age
):
    """Warm: the staff session's idle stamp is younger than its slack and is not written (7
    queries). Cold: it is older, and the session is written as well (3 more). The same at 10
    rows as at 1,000."""
    from admissions.middleware import StaffIdleTimeoutMiddleware as Idle

    def queries():
        session = coordinator_client.session
        session[Idle.SESSION_KEY] = int(time.time()) - stamp_age
        session.save()
        return _queue_queries(coordinator_client)[0]

    make_queue(10, 0, coordinator)
    coordinator_client.get(QUEUE)  # warm caches (content types)
    small = queries()
    make_queue(990, 10, coordinator)
    assert queries() == small == (10 if stamp_age else 7)


def test_the_queue_never_loads_the_answers_or_counts_every_row(coordinator_client):
    make_queue(5, 0)
    with CaptureQueriesContext(connection) as context:
        coordinator_client.get(QUEUE)
    sql = " ".join(q["sql"] for q in context.captured_queries)
    assert '"answers"' not in sql and '"matched_programs"' not in sql
    counts = [q["sql"] for q in context.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 1001" in q for q in counts)


def test_no_inline_styles_or_scripts_on_the_queue(coordinator_client):
    emergency()
    html = coordinator_client.get(QUEUE).content.decode()
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_the_queue_offers_a_refresh_and_a_quiet_check_for_new_rows(coordinator_client):
    first = SubmissionFactory()
    html = coordinator_client.get(QUEUE).content.decode()
    assert 'id="adm-queue-refresh"' in html and f'data-newest="{first.pk}"' in html
    assert ">Refresh</a>" in html and "js/admin-queue.js" in html
    newer = SubmissionFactory()
    check = coordinator_client.get(f"{QUEUE}newest/", HTTP_X_STAFF_IDLE_CHECK="1")
    assert check.json() == {"newest": newer.pk}
    SubmissionFactory(shared=False)  # never shared: not news
    assert coordinator_client.get(f"{QUEUE}newest/").json() == {"newest": newer.pk}
