"""Template tags for the admissions admin pages."""

from collections import OrderedDict

from django import template
from django.contrib.admin.views.main import SEARCH_VAR
from django.template.loader import render_to_string
from django.utils.html import format_html
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


def _page_query(cl):
    """``cl.get_query_string({PAGE_VAR: n})`` for any ``n``, as a function: the other
    parameters are sorted and encoded once (the page parameter's place among them is fixed)."""
    from django.contrib.admin.views.main import PAGE_VAR
    from django.utils.http import urlencode

    items = sorted({**cl.filter_params, PAGE_VAR: ""}.items())
    place = [key for key, _value in items].index(PAGE_VAR)
    head = urlencode(items[:place], doseq=True)
    tail = urlencode(items[place + 1 :], doseq=True)
    page = urlencode([(PAGE_VAR, "")])
    return lambda number: "?" + "&".join(part for part in (head, f"{page}{number}", tail) if part)


@register.simple_tag
def queue_page_links(cl, page_range):
    """What ``{% for i in page_range %}{% paginator_number cl i %}{% endfor %}`` writes (the
    same markup and spacing), with the other parameters of the links' query string encoded
    once for all the links instead of once per link."""
    from django.utils.html import escape

    query = _page_query(cl)
    links = []
    for number in page_range:
        if number == cl.paginator.ELLIPSIS:
            link = f"{escape(number)} "
        elif number == cl.page_num:
            link = f'<span class="this-page">{number}</span> '
        else:
            end = ' class="end"' if number == cl.paginator.num_pages else ""
            link = f'<a href="{escape(query(number))}"{end}>{number}</a> '
        links.append(f"\n    {link}\n")
    return mark_safe("".join(links))  # noqa: S308 - every query string is escaped


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


#: The queue's action menus already written, by (language, the actions offered).
_action_forms_written: dict = {}


@register.simple_tag
def queue_action_form(action_form):
    """The action menu of the queue (Django's ``admin/actions.html`` markup for its fields),
    written once per language and set of actions offered (they depend on the person's
    permissions) and then reused: the form is never bound on the queue page, so its markup
    depends on nothing else, and writing its select and options was a tenth of the page."""
    choices = tuple((value, str(label)) for value, label in action_form.fields["action"].choices)
    key = (get_language(), choices)
    html = _action_forms_written.get(key)
    if html is None or action_form.is_bound:
        parts = []
        for field in action_form:
            if field.label:
                parts.append(format_html("<label>{} {}</label>", field.label, field))
            else:
                parts.append(str(field))
        html = mark_safe("".join(parts))  # noqa: S308 - each part is escaped by format_html/widget
        if not action_form.is_bound:
            _action_forms_written[key] = html
    return html
