"""Template tags for the admissions admin pages."""

from collections import OrderedDict

from django import template
from django.contrib.admin.views.main import SEARCH_VAR
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.inclusion_tag("admissions/dashboard.html", takes_context=True)
def admissions_dashboard(context):
    """The admissions summary, for people who may see submissions (nothing for others)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("assessment.view_submission"):
        return {"show": False}
    from admissions.dashboard import summary

    return {"show": True, **summary()}


@register.inclusion_tag("admissions/queue_results.html")
def queue_results(cl):
    """The queue's table: Django's headers (sorting links), and each row written in one pass by
    ``SubmissionAdmin.queue_row`` instead of the admin's generic per-cell machinery, so 50 rows
    cost little at any table size."""
    from django.contrib.admin.templatetags.admin_list import result_headers

    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sort_priority"] > 0),
        "rows": [cl.model_admin.queue_row(cl, obj) for obj in cl.result_list],
    }


#: The queue's filter sidebars already written, by (language, query string); at most
#: ``FILTERS_KEPT`` of them, the oldest dropped first.
_filters_written: OrderedDict = OrderedDict()
FILTERS_KEPT = 256


@register.simple_tag
def queue_filters(cl):
    """The filter sidebar (``admissions/queue_filters.html``: Django's own markup), written
    once per language and query string and then reused: its nine filters and their links
    depend only on those (their choices are fixed lists, never read from the table), and
    writing them cost a fifth of the page. Not kept when facet counts are shown (they change
    with the data) nor for a search (the links hold the search term, which may be a name)."""
    if cl.add_facets or cl.params.get(SEARCH_VAR):
        return render_to_string("admissions/queue_filters.html", {"cl": cl})
    key = (get_language(), cl.get_query_string())
    html = _filters_written.get(key)
    if html is None:
        html = mark_safe(render_to_string("admissions/queue_filters.html", {"cl": cl}))  # noqa: S308
        _filters_written[key] = html
        while len(_filters_written) > FILTERS_KEPT:
            _filters_written.popitem(last=False)
    return html
