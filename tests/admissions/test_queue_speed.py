"""The queue's cheaper rendering (issue 15) shows the same things: rows written in one pass,
the filter sidebar and the action menu written once and reused, the page's rows loaded with
only the columns the cells read."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from admissions import queue_rows
from admissions.models import Case
from admissions.templatetags import admissions_tags
from tests.admissions.factories import SubmissionFactory, emergency
from tests.admissions.test_queue import make_queue

QUEUE = "/admin/assessment/submission/"


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(2026, 1, 5, 9, 3, tzinfo=dt.UTC),  # winter: EST
        dt.datetime(2026, 7, 14, 23, 59, tzinfo=dt.UTC),  # summer: EDT
        dt.datetime(2025, 12, 31, 4, 30, tzinfo=dt.UTC),  # the day before in New York
    ],
)
def test_local_stamp_reads_as_date_format_did(when, settings):
    settings.TIME_ZONE = "America/New_York"
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        local = timezone.localtime(when)
        assert queue_rows.local_stamp(when) == date_format(local, "M j, H:i T")
        assert queue_rows.local_stamp(when, with_year=True) == date_format(local, "M j, Y H:i T")
        assert queue_rows.local_stamp(when, with_date=False) == date_format(local, "H:i T")


@pytest.mark.django_db
def test_what_a_person_typed_is_escaped_in_the_row(coordinator_client):
    row = SubmissionFactory(contact_name="<b>Zed</b> Quinn")
    Case.objects.filter(pk=row.pk).update(
        next_follow_up_at=timezone.now() + dt.timedelta(days=2),
        follow_up_reason="<script>x</script> call back",
    )
    html = coordinator_client.get(QUEUE).content.decode()
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt; call back" in html
    assert "<b>Zed" not in html
    assert f'href="/admin/assessment/submission/{row.pk}/change/"' in html
    assert f'aria-label="Select submission {row.token[:8]} for an action"' in html


@pytest.mark.django_db
def test_the_sidebar_links_follow_the_query_each_time(coordinator_client):
    emergency()
    plain = coordinator_client.get(QUEUE).content.decode()
    opened = coordinator_client.get(QUEUE, {"status": "open"}).content.decode()
    again = coordinator_client.get(QUEUE).content.decode()
    sidebar = lambda html: html.split('<nav id="changelist-filter"', 1)[1].split("</nav>")[0]  # noqa: E731
    assert sidebar(plain) == sidebar(again)
    assert "Clear all filters" not in sidebar(plain)
    assert "Clear all filters" in sidebar(opened)
    assert 'href="?level__exact=IOP&amp;status=open"' in sidebar(opened)
    assert 'href="?level__exact=IOP"' in sidebar(plain)


@pytest.mark.django_db
def test_a_search_is_never_kept_in_the_sidebar_cache(coordinator_client):
    admissions_tags._filters_written.clear()
    html = coordinator_client.get(QUEUE, {"q": "Quinn"}).content.decode()
    assert "q=Quinn" in html.split('<nav id="changelist-filter"', 1)[1].split("</nav>")[0]
    assert not any("Quinn" in key[1] for key in admissions_tags._filters_written)


@pytest.mark.django_db
def test_the_action_menu_follows_each_persons_permissions(coordinator_client, superuser):
    emergency()
    coordinator_html = coordinator_client.get(QUEUE).content.decode()
    root = Client()
    root.force_login(superuser)
    root_html = root.get(QUEUE).content.decode()
    again = coordinator_client.get(QUEUE).content.decode()
    assert 'value="delete_selected"' in root_html
    assert 'value="delete_selected"' not in coordinator_html
    assert 'value="delete_selected"' not in again
    for html in (coordinator_html, root_html):
        assert 'value="assign_to_me"' in html and 'name="select_across"' in html


@pytest.mark.django_db
def test_a_page_reads_only_the_columns_it_shows(coordinator_client, coordinator):
    make_queue(60, 0, coordinator)  # more than a page: the rows come through the paginator
    with CaptureQueriesContext(connection) as context:
        html = coordinator_client.get(QUEUE).content.decode()
    assert html.count('class="adm-ref"') == 50
    loads = [q["sql"] for q in context.captured_queries if '"token"' in q["sql"]]
    assert loads
    for column in ('"insurance_member_id"', '"contact_phone"', '"auth_user"."password"'):
        assert all(column not in sql for sql in loads)


@pytest.mark.django_db
def test_the_actions_are_worked_out_once_per_request(coordinator, monkeypatch):
    from django.contrib import admin
    from django.test import RequestFactory

    from assessment.models import Submission

    model_admin = admin.site._registry[Submission]
    checks = []
    original = type(model_admin).has_change_permission

    def counted(self, request, obj=None):
        checks.append(request)
        return original(self, request, obj)

    monkeypatch.setattr(type(model_admin), "has_change_permission", counted)
    request = RequestFactory().get(QUEUE)
    request.user = coordinator
    first = model_admin.get_actions(request)
    asked = len(checks)
    assert asked and "assign_to_me" in first
    first.pop("assign_to_me")  # a caller changing its copy changes nothing kept
    again = model_admin.get_actions(request)
    assert "assign_to_me" in again and len(checks) == asked
    other = RequestFactory().get(QUEUE)
    other.user = coordinator
    assert model_admin.get_actions(other) == again and len(checks) == 2 * asked
