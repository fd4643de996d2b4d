"""The admin home for admissions: counts that link to the queue and a server-drawn chart."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from admissions import dashboard
from tests.admissions.factories import SubmissionFactory, emergency, emergency_reachable

pytestmark = pytest.mark.django_db


def test_counts_new_today_urgent_open_and_overdue(coordinator_client):
    emergency_reachable()  # new today, urgent, open: to act on
    emergency()  # urgent and open, but no contact details: for clinical review
    emergency(status="closed")  # urgent but closed
    SubmissionFactory(next_follow_up_at=timezone.now() - dt.timedelta(days=1))  # overdue
    SubmissionFactory(
        status="admitted", next_follow_up_at=timezone.now() - dt.timedelta(days=3)
    )  # closed: not overdue
    SubmissionFactory(created_at=timezone.now() - dt.timedelta(days=3))
    SubmissionFactory(shared=False)  # never shared: staff never count it
    data = dashboard.summary()
    assert data["new_today"] == 5
    assert data["urgent_open"] == 1
    assert data["no_contact"] == 1
    assert data["overdue"] == 1
    counts = {bar.level: bar.count for bar in data["bars"]}
    assert counts == {"EMERGENCY": 3, "INPATIENT": 0, "PHP": 0, "IOP": 3, "OP": 0}


def test_each_count_links_to_the_same_rows_in_the_queue(coordinator_client):
    emergency()
    emergency_reachable()
    SubmissionFactory(next_follow_up_at=timezone.now() - dt.timedelta(days=1))
    data = dashboard.summary()
    for key in ("new_today", "urgent_open", "overdue", "no_contact"):
        html = coordinator_client.get(data[f"{key}_url"]).content.decode()
        assert html.count('class="adm-ref"') == data[key], key


def test_the_admin_home_shows_tiles_and_an_accessible_svg_chart(coordinator_client):
    emergency()
    SubmissionFactory()
    html = coordinator_client.get("/admin/").content.decode()
    assert "Admissions at a glance" in html
    assert "urgent and still open" in html and "overdue follow-ups" in html
    assert "new today" in html
    svg = re.search(r'<svg class="adm-chart".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Emergency: 1" in svg and "IOP: 1" in svg
    assert "adm-chart__bar--emergency" in svg
    assert "style" not in svg
    assert '<table class="adm-chart-table">' in html  # text fallback
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_dashboard_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    for _ in range(30):
        SubmissionFactory()
    with django_assert_max_num_queries(7):  # five for submissions, two for urgent notices
        dashboard.summary()


def test_bars_scale_to_the_biggest_level():
    bars = dashboard.level_bars({"IOP": 10, "OP": 5})
    width = {bar.level: bar.width for bar in bars}
    assert width["IOP"] == dashboard.BAR_AREA
    assert width["OP"] == dashboard.BAR_AREA // 2
    assert width["EMERGENCY"] == 0
    assert [bar.level for bar in bars] == ["EMERGENCY", "INPATIENT", "PHP", "IOP", "OP"]
