"""The home page (the levels of care in plain words, the way in), the crisis page and the
favicon. (The quick exit, "Leave this site", is the assessment's: ``assessment.views.leave``.)

Thin views: the level texts come from ``programs.levels``, the pages are ``templates/home.html``
and ``templates/crisis.html``.
"""

from django.shortcuts import redirect, render

from programs.levels import LEVEL_INFO, RECOMMENDABLE_LEVELS


def home(request):
    levels = [(level, LEVEL_INFO[level]) for level in RECOMMENDABLE_LEVELS]
    return render(request, "home.html", {"levels": levels})


def crisis(request):
    return render(request, "crisis.html")


def favicon(request):
    """/favicon.ico: the site icon (``static/favicon.svg``), for browsers that ask for it."""
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)
