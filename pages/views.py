"""The home page (the levels of care in plain words, the way in), the crisis page, and the quick
exit ("Leave this site").

Thin views: the level texts come from ``programs.levels``, the pages are ``templates/home.html``
and ``templates/crisis.html``.
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from assessment.views import clear_run
from programs.levels import LEVEL_INFO, RECOMMENDABLE_LEVELS

#: Where "Leave this site" goes: a neutral page that says nothing about why the person was here.
QUICK_EXIT_DEFAULT = "https://www.weather.gov/"


def quick_exit_url() -> str:
    return getattr(settings, "QUICK_EXIT_URL", QUICK_EXIT_DEFAULT)


def home(request):
    levels = [(level, LEVEL_INFO[level]) for level in RECOMMENDABLE_LEVELS]
    return render(request, "home.html", {"levels": levels})


def crisis(request):
    return render(request, "crisis.html")


@csrf_exempt  # it only ever forgets the caller's own run; the script sends it as a beacon
@never_cache
@require_http_methods(["GET", "POST"])
def leave(request):
    """Quick exit: forget this browser's run, then go to a neutral site.

    The "Leave this site" link leads here (works without JavaScript): the run is cleared and the
    browser is sent on. With JavaScript the page sends a POST beacon here and replaces itself
    with the neutral site (``location.replace``: Back does not return); the beacon gets an empty
    204.
    """
    clear_run(request)
    if request.method == "POST":
        return HttpResponse(status=204)
    response = redirect(quick_exit_url())
    response["Clear-Site-Data"] = '"cache"'
    return response


def favicon(request):
    """/favicon.ico: the site icon (``static/favicon.svg``), for browsers that ask for it."""
    from django.templatetags.static import static

    return redirect(static("favicon.svg"), permanent=True)
