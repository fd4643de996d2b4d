"""The queue page's rows are read with ``values_list`` and put straight into instances
(``admin.queue_page_rows``, issue 15): they hold the same values, with their case and owner
attached, as the ``select_related(...).only(...)`` instances they replace, and write the same
cells."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from admissions import admin as queue_admin
from admissions.models import Case
from assessment.models import Submission
from tests.admissions.test_queue import make_queue

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assessment/submission/"


def value(instance, column):
    *path, name = column.split("__")
    for step in path:
        instance = getattr(instance, step)
        if instance is None:
            return None
    return instance.pk if name == "pk" else getattr(instance, name)


def changelist(user):
    request = RequestFactory().get(QUEUE)
    request.user = user
    request.resolver_match = resolve(QUEUE)
    model_admin = request.resolver_match.func.model_admin
    return model_admin, model_admin.get_changelist_instance(request), request


@pytest.fixture
def queue(coordinator):
    make_queue(30, 0, coordinator)
    first, second = Case.objects.order_by("pk")[:2]
    Case.objects.filter(pk=second.pk).update(
        returning_of=first.pk, follow_up_reason="call back after 5"
    )
    Submission.objects.filter(pk=first.pk).update(
        scores={"phq9": {"total": 14, "positive": True}}, contact_name="Ana María Ruiz"
    )


def test_the_rows_hold_what_the_model_rows_held(queue, coordinator):
    model_admin, cl, request = changelist(coordinator)
    ids = [row.pk for row in cl.result_list]
    assert len(ids) == 30
    queryset = model_admin.get_queryset(request).order_by().filter(pk__in=ids)
    models = {row.pk: row for row in queryset.only(*queue_admin.QUEUE_COLUMNS)}
    loaded = queue_admin.queue_page_rows(queryset)
    assert set(loaded) == set(models)
    for pk, row in loaded.items():
        assert type(row) is Submission and row.pk == pk and not row._state.adding
        for column in ("pk", *queue_admin.QUEUE_COLUMNS):
            assert value(row, column) == value(models[pk], column), column
        assert model_admin.queue_row(cl, row) == model_admin.queue_row(cl, models[pk])


def test_the_case_and_owner_are_attached_and_other_columns_deferred(queue, coordinator):
    model_admin, cl, request = changelist(coordinator)
    queryset = model_admin.get_queryset(request).order_by()
    rows = list(queue_admin.queue_page_rows(queryset).values())
    with CaptureQueriesContext(connection) as context:
        for row in rows:
            assert row.case.submission is row
            assert row.case.owner is None or row.case.owner.get_username() == "casey"
    assert not context.captured_queries
    with CaptureQueriesContext(connection) as context:
        rows[0].insurance_member_id  # noqa: B018 - deferred, as .only() left it
    assert len(context.captured_queries) == 1


def test_the_queue_page_shows_the_rows(queue, coordinator_client):
    html = coordinator_client.get(QUEUE).content.decode()
    assert html.count('class="adm-ref"') == 30
    assert "A.M.R." in html and "call back after 5" in html and "Returning" in html
