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
