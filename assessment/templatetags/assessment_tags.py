"""Template helpers of the patient pages."""

from django import template

register = template.Library()


@register.simple_tag
def quick_exit_url() -> str:
    """Where "Leave this site" goes (``assessment.views.quick_exit_url``)."""
    from assessment.views import quick_exit_url as target

    return target()
