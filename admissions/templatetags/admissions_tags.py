"""Template tags for the admissions admin pages."""

from django import template

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
