"""The directory editors' admin: lists, filters, search, the verify action, editing lists."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from programs.models import Program
from tests.programs.factories import LocationFactory, ProgramFactory, ProviderFactory, add_sessions

pytestmark = pytest.mark.django_db

LIST = "/admin/programs/program/"


@pytest.fixture
def editor():
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x" * 16)
    client = Client()
    client.force_login(user)
    return client


def changelist_queries(editor, params=None):
    """Queries for one list page, counted from an empty cache (the demo flag is cached for a
    minute: counting once cold and once warm would compare different things)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programs.demo import forget_demo_flag

    forget_demo_flag()
    with CaptureQueriesContext(connection) as captured:
        response = editor.get(LIST, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_program_list_shows_level_city_payment_and_last_verified(editor):
    ProgramFactory(name="Evening IOP", payment=["medicaid", "free"], location__zip_code="40507")
    page = editor.get(LIST).content.decode()
    assert "Evening IOP" in page
    assert "Intensive outpatient (IOP)" in page
    assert "Lexington, KY" in page
    assert "Medicaid, Free of charge" in page


def test_program_list_query_count_does_not_grow_with_rows(editor):
    for _index in range(3):
        ProgramFactory()
    few = changelist_queries(editor)
    for _index in range(30):
        ProgramFactory()
    assert changelist_queries(editor) == few


def test_search_by_city_zip_and_provider(editor):
    ProgramFactory(name="In Lexington", location__zip_code="40507")
    ProgramFactory(name="In Louisville", location__zip_code="40202", provider__name="X")
    assert "In Lexington" in editor.get(LIST, {"q": "Lexington"}).content.decode()
    page = editor.get(LIST, {"q": "40202"}).content.decode()
    assert "In Louisville" in page and "In Lexington" not in page


def test_filters_level_state_verified_and_demo(editor):
    old = ProgramFactory(name="Old", last_verified=timezone.localdate() - dt.timedelta(days=500))
    ProgramFactory(name="Never", last_verified=None, level="PHP")
    demo_provider = ProviderFactory(is_demo=True)
    ProgramFactory(name="Demo", location=LocationFactory(provider=demo_provider, zip_code="45202"))
    assert "Old" in editor.get(LIST, {"verified": "old"}).content.decode()
    page = editor.get(LIST, {"verified": "never"}).content.decode()
    assert ">Never<" in page and ">Old<" not in page
    page = editor.get(LIST, {"level__exact": "PHP"}).content.decode()
    assert ">Never<" in page and ">Old<" not in page
    page = editor.get(LIST, {"state": "OH"}).content.decode()
    assert ">Demo<" in page and ">Old<" not in page
    page = editor.get(LIST, {"provider__is_demo__exact": "1"}).content.decode()
    assert ">Demo<" in page and ">Old<" not in page
    assert old.pk


def test_mark_verified_today_action(editor):
    program = ProgramFactory(last_verified=None)
    response = editor.post(
        LIST, {"action": "mark_verified_today", "_selected_action": [program.pk]}, follow=True
    )
    assert "1 program marked as verified today." in response.content.decode()
    program.refresh_from_db()
    assert program.last_verified == timezone.localdate()


def test_change_form_edits_code_lists_as_checkboxes_and_sessions_inline(editor):
    program = add_sessions(ProgramFactory(therapies=["cbt"], payment=["medicaid"]), days=(0,))
    url = f"/admin/programs/program/{program.pk}/change/"
    page = editor.get(url).content.decode()
    assert 'type="checkbox" name="therapies" value="cbt"' in page
    assert "checked" in page
    session = program.sessions.get()
    data = {
        "name": program.name,
        "slug": program.slug,
        "provider": program.provider.pk,
        "location": program.location.pk,
        "level": "IOP",
        "description": "",
        "age_groups": ["adult"],
        "therapies": ["dbt", "emdr"],
        "payment": ["medicaid", "sliding_scale"],
        "modality": "both",
        "accepting_new_patients": "true",
        "is_active": "on",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "1",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-id": session.pk,
        "sessions-0-program": program.pk,
        "sessions-0-weekday": "0",
        "sessions-0-start": "18:00",
        "sessions-0-end": "21:00",
        "sessions-1-program": program.pk,
        "sessions-1-weekday": "2",
        "sessions-1-start": "18:00",
        "sessions-1-end": "21:00",
        "sessions-1-track": "Evening",
    }
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    program = Program.objects.get(pk=program.pk)
    assert program.therapies == ["dbt", "emdr"]
    assert program.payment == ["medicaid", "sliding_scale"]
    assert program.sessions.count() == 2


def test_provider_admin_lists_program_counts_with_inline_locations(editor):
    program = ProgramFactory()
    page = editor.get("/admin/programs/provider/").content.decode()
    assert program.provider.name in page
    page = editor.get(f"/admin/programs/provider/{program.provider.pk}/change/").content.decode()
    assert "locations-TOTAL_FORMS" in page


def test_view_only_staff_cannot_mark_programs_verified(settings):
    """Review fix: the action had no permission check, so an account that may only view
    programs (e.g. admissions staff) could change every program's "last verified" date."""
    from django.contrib.auth.models import Permission

    settings.STAFF_REQUIRE_2FA = False
    program = ProgramFactory(last_verified=dt.date(2020, 1, 1))
    user = get_user_model().objects.create_user("viewer", "v@example.org", "x" * 16)
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_program"))
    client = Client()
    client.force_login(user)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "mark_verified_today" not in page.content.decode()
    client.post(LIST, {"action": "mark_verified_today", "_selected_action": [program.pk]})
    program.refresh_from_db()
    assert program.last_verified == dt.date(2020, 1, 1)
