"""The queue's page links (``{% queue_page_links %}``, issue 15) are what Django's
``{% paginator_number %}`` loop writes, byte for byte, whatever the other parameters hold."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import resolve

from admissions.templatetags.admissions_tags import queue_page_links
from tests.admissions.test_queue import make_queue

pytestmark = pytest.mark.django_db

QUEUE = "/admin/assessment/submission/"
DJANGO_LOOP = Template(
    "{% load admin_list %}{% for i in page_range %}\n    {% paginator_number cl i %}\n{% endfor %}"
)


def changelist(user, params):
    request = RequestFactory().get(QUEUE, params)
    request.user = user
    request.resolver_match = resolve(QUEUE)
    return request.resolver_match.func.model_admin.get_changelist_instance(request)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"p": "3"},
        {"p": "12", "status": "open"},
        {"q": "0000 & <b>"},
        {"o": "2.-3", "p": "7"},
        {"o": "-3", "follow_up": "overdue", "level": "IOP"},
    ],
)
def test_the_page_links_are_djangos_own(coordinator, params):
    make_queue(1000, 0, coordinator)
    cl = changelist(coordinator, params)
    page_range = list(cl.paginator.get_elided_page_range(cl.page_num))
    expected = DJANGO_LOOP.render(Context({"cl": cl, "page_range": page_range}))
    assert str(queue_page_links(cl, page_range)) == expected
    assert len(page_range) > 1 or not cl.multi_page
