"""The home page (the levels of care in plain words, the way in) and the crisis page.

Thin views: the level texts come from ``programs.levels``, the pages are ``templates/home.html``
and ``templates/crisis.html``.
"""

from django.shortcuts import render

from programs.levels import LEVEL_INFO, RECOMMENDABLE_LEVELS


def home(request):
    levels = [(level, LEVEL_INFO[level]) for level in RECOMMENDABLE_LEVELS]
    return render(request, "home.html", {"levels": levels})


def crisis(request):
    return render(request, "crisis.html")
