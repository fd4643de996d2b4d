"""The reports: funnel by week and level, time to first contact against the target (in
opening hours), referral sources, overdue by owner; SVG charts, CSV, audit, a fixed query count."""

import csv
import datetime as dt
import io
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from admissions import pipeline, targets
from admissions.models import AuditEvent, Case
from tests.admissions.factories import SubmissionFactory, with_callback

REPORTS = "/admin/reports/"
NY = zoneinfo.ZoneInfo("America/New_York")


def at(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=NY)


# --- opening hours (no database) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        (at(30, 10), at(30, 10, 45), 45),  # Monday, inside hours
        (at(30, 16, 30), at(30, 18), 30),  # closes at 17:00
        (at(30, 7), at(30, 9, 30), 30),  # opens at 9:00
        (at(27, 16), at(30, 10), 120),  # Friday 16:00 to Monday 10:00: 60 + 60
        (at(28, 10), at(29, 23), 0),  # the weekend
        (at(30, 11), at(30, 10), 0),  # reached before it arrived: nothing
    ],
)
def test_opening_minutes(settings, start, end, minutes):
    settings.TIME_ZONE = "America/New_York"
    assert targets.opening_minutes(start, end, targets.Hours()) == minutes


def test_targets_default_and_settings(settings):
    assert targets.target_minutes(urgent=True) == 60
    assert targets.target_minutes(urgent=False) == 8 * 60
    settings.ADMISSIONS_TARGET_URGENT_MINUTES = 30
    settings.ADMISSIONS_OPENING_HOURS = (8, 20)
    assert targets.target_minutes(urgent=True) == 30
    assert targets.target_minutes(urgent=False) == 12 * 60


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [([], 0.5, None), ([5], 0.9, 5), ([1, 2, 3, 4], 0.5, 2), ([*range(1, 11)], 0.9, 9)],
)
def test_percentile_nearest_rank(values, fraction, expected):
    assert targets.percentile(values, fraction) == expected


# --- the page -----------------------------------------------------------------------------------


def make_work(coordinator):
    now = timezone.now()
    reached = with_callback(urgent=True, level="PHP", referral_source="doctor")
    case = reached.case
    pipeline.log_contact(case, coordinator, outcome="reached", at=case.arrived_at)
    admitted = with_callback(referral_source="doctor", status="admitted")
    Case.objects.filter(pk=admitted.pk).update(outcome="admitted", first_contact_at=now)
    SubmissionFactory(owner=coordinator, next_follow_up_at=now - dt.timedelta(hours=1))
    SubmissionFactory(shared=False)  # counted only as a completed assessment
    return reached, admitted


@pytest.mark.django_db
def test_the_report_counts_the_funnel_contact_times_sources_and_overdue(
    coordinator_client, coordinator
):
    make_work(coordinator)
    response = coordinator_client.get(REPORTS)
    assert response.status_code == 200
    html = response.content.decode()
    funnel = html.split('id="adm-funnel-chart-desc">', 1)[1].split("</desc>", 1)[0]
    assert funnel == (
        "Assessments completed: 4; Shared with admissions: 3; Asked for a call back: 2; "
        "Contacted: 2; Assessment booked: 0; Admitted: 1."
    )
    assert "<svg" in html and "style=" not in html
    assert "A doctor or therapist" in html
    assert "Casey Lee" in html  # one overdue follow-up
    assert re.search(r"Urgent and EMERGENCY</th><td>1</td>", html)
    assert AuditEvent.objects.filter(action="report_viewed", actor=coordinator).count() == 1


@pytest.mark.django_db
def test_the_report_downloads_as_csv_and_is_audited(coordinator_client, coordinator):
    make_work(coordinator)
    response = coordinator_client.get(REPORTS, {"weeks": "4", "format": "csv"})
    assert response["Content-Type"] == "text/csv"
    assert 'filename="admissions-report-4w.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    total = next(row for row in rows if row[0] == "total")
    assert total[2:] == ["4", "3", "2", "2", "0", "1"]
    assert ["referral source", "doctor", "2", "2", "1"] in rows
    assert AuditEvent.objects.get(action="report_exported").changes == {"weeks": 4}


@pytest.mark.django_db
def test_only_people_who_see_submissions_see_the_reports(client, editor, plain_staff, lead):
    for user in (editor, plain_staff):
        client.force_login(user)
        assert client.get(REPORTS).status_code == 403
    client.force_login(lead)
    assert client.get(REPORTS).status_code == 200
    client.logout()
    assert client.get(REPORTS).status_code == 302


@pytest.mark.django_db
def test_the_report_costs_the_same_queries_at_10_and_1000_submissions(
    coordinator_client, coordinator
):
    from tests.admissions.test_queue import make_queue

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert coordinator_client.get(REPORTS).status_code == 200
        return len(context.captured_queries)

    make_queue(10, 0, coordinator)
    coordinator_client.get(REPORTS)
    small = queries()
    make_queue(990, 10, coordinator)
    assert queries() == small <= 14
