"""Public directory pages: the search (``/programs/``) and one program (``/programs/<slug>/``).

Views stay thin: queries live in :mod:`programs.search`, parameters in :mod:`programs.filters`.
Everything works with JavaScript off: the search is a GET form, so a search is a bookmarkable URL.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from iop_finder.core.ratelimit import rate_limit
from programs import geo, levels, listing, snapshot
from programs.filters import RADIUS_CHOICES, parameter_choices
from programs.forms import ListingReportForm, ListingUpdateForm
from programs.models import Program
from programs.search import STEP_DOWN, STEP_UP, base_queryset, distance_to, search_programs
from programs.search.queries import attach_sessions
from programs.templatetags.programs_tags import miles, upcoming


@require_safe
def program_search(request):
    """The directory search page: filters, a results summary and a page of results."""
    params = request.GET
    results = search_programs(params, params.get("page") or 1)
    errors = _errors(results) if results.errors else []
    context = {
        "results": results,
        "hits": results.hits,
        "page_obj": results.page,
        "errors": errors,
        "searched": bool(params),
        "card_query": f"?{params.urlencode()}" if params else "",
        "active_filters": _active_filters(results) if results.is_valid else [],
        "suggestions": _suggestions(params, results)
        if results.is_valid and results.count == 0
        else [],
    }
    return render(request, "programs/search.html", context)


def _errors(results) -> list[dict]:
    """The error summary's entries: each bad parameter, its label, its messages, its input."""
    form = results.filterset.form
    labels = results.filterset.parameter_labels()
    return [
        {
            "name": name,
            "label": labels.get(name, name),
            "anchor": _anchor(form, name),
            "messages": messages,
        }
        for name, messages in results.errors.items()
    ]


def _anchor(form, name: str) -> str:
    """The element an error links to: the input, or the first box of a checkbox group."""
    if name not in form.fields:
        return ""
    if isinstance(form.fields[name].widget, forms.CheckboxSelectMultiple):
        return f"id_{name}_0"
    return f"id_{name}"


def _active_filters(results) -> list[str]:
    """Plain words for each filter in use, for the results summary."""
    cleaned = results.cleaned
    words = []
    if cleaned.get("level"):
        words.append(str(levels.LEVEL_INFO[levels.LevelOfCare(cleaned["level"])].short))
    for name in ("insurance", "day", "time", "therapy", "condition", "age", "language"):
        chosen = cleaned.get(name)
        if chosen:
            codes = [chosen] if isinstance(chosen, str) else chosen
            table = dict(parameter_choices(name))
            words.append(_(" or ").join(str(table.get(code, code)) for code in codes))
    if cleaned.get("telehealth"):
        words.append(_("Telehealth"))
    if cleaned.get("accepting"):
        words.append(_("Taking new patients"))
    if cleaned.get("soon"):
        words.append(_("Can start within 2 weeks"))
    return words


def _link(params, **changes) -> str:
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        elif isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = str(value)
    return "?" + query.urlencode()


def _suggestions(params, results) -> list[dict]:
    """Ways to widen a search that found nothing, each a link that keeps the other filters."""
    cleaned = results.cleaned
    tips = []
    if cleaned.get("zip"):
        radius = results.radius_miles or 25
        wider = next((r for r in RADIUS_CHOICES if r > radius), None)
        if wider:
            tips.append(
                {
                    "url": _link(params, radius=wider),
                    "text": _("Search within %(miles)s miles") % {"miles": wider},
                }
            )
        if not cleaned.get("telehealth"):
            tips.append(
                {
                    "url": _link(params, telehealth="1"),
                    "text": _("Include programs that meet by video (telehealth) in your state"),
                }
            )
    if cleaned.get("level"):
        level = levels.LevelOfCare(cleaned["level"])
        for other in STEP_UP.get(level, ()):
            tips.append(
                {
                    "url": _link(params, level=other.value),
                    "text": _("Look at %(level)s programs (one step more intensive)")
                    % {"level": levels.LEVEL_INFO[other].short},
                }
            )
        for other in STEP_DOWN.get(level, ()):
            tips.append(
                {
                    "url": _link(params, level=other.value),
                    "text": _("Look at %(level)s programs (one step less intensive)")
                    % {"level": levels.LEVEL_INFO[other].short},
                }
            )
    if cleaned.get("day") or cleaned.get("time"):
        tips.append(
            {
                "url": _link(params, day=None, time=None),
                "text": _("Remove the day and time filters"),
            }
        )
    narrowing = ("insurance", "therapy", "condition", "age", "language", "accepting", "soon")
    if any(cleaned.get(name) for name in narrowing):
        tips.append(
            {
                "url": _link(params, **dict.fromkeys(narrowing)),
                "text": _("Remove the insurance, therapy and other filters"),
            }
        )
    return tips


@require_safe
def program_detail(request, slug):
    """One program in full: schedule, therapies, payment, how to start, where, when verified.

    The page's content is rendered once a program, language and day and kept with the
    program's snapshot (:mod:`programs.snapshot`): a repeat view costs the one query that
    finds the program. What depends on the request is filled in here: the link back to the
    search, the distance from its ZIP, and the next session times."""
    program = get_object_or_404(base_queryset(), slug=slug)
    kept = snapshot.get(program.pk, program.updated_at)
    today = timezone.localdate()
    key = ("detail", *snapshot.day_key(today))
    if kept is None or key not in kept.parts:
        attach_sessions([program])
        kept = snapshot.keep(program)
        kept.part(key, lambda: _detail_body(program))
    # Opened from a search: show the distance from the searched ZIP and a way back to the list.
    place, distance = None, None
    try:
        place = geo.zip_place(request.GET["zip"]) if request.GET.get("zip") else None
    except geo.InvalidZipError:
        place = None
    if place is not None:
        distance = distance_to(kept, (place.latitude, place.longitude))
    back_query = request.GET.urlencode()
    body = (
        kept.parts[key]
        .replace(BACK_SLOT, _back_link(back_query))
        .replace(NEXT_SLOT, _next_sessions(kept))
        .replace(DISTANCE_SLOT, _distance_line(distance, place))
    )
    return render(
        request,
        "programs/detail.html",
        {
            "program": kept,
            "body": mark_safe(body),  # noqa: S308 - rendered by a template, slots escaped
            "place": place,
            "distance": distance,
            "back_query": back_query,
        },
    )


#: Stand-ins in a kept program page for what each request fills in.
BACK_SLOT, NEXT_SLOT, DISTANCE_SLOT = "\x00b\x00", "\x00n\x00", "\x00d\x00"


def _detail_body(program) -> str:
    """The program page's content with its slots (``programs/includes/detail_body.html``),
    rendered without the request: nothing of one visitor's may be kept for the next."""
    context = {
        "program": program,
        "info": levels.LEVEL_INFO[program.level_of_care],
        "sessions": list(program.sessions.all()),
        "back_slot": mark_safe(BACK_SLOT),  # noqa: S308 - a fixed stand-in
        "next_slot": mark_safe(NEXT_SLOT),  # noqa: S308 - a fixed stand-in
        "distance_slot": mark_safe(DISTANCE_SLOT),  # noqa: S308 - a fixed stand-in
    }
    return render_to_string("programs/includes/detail_body.html", context)


def _back_link(back_query: str) -> str:
    search = reverse("programs:search")
    if back_query:
        words = escape(_("Back to your search results"))
        return f'<a href="{search}?{escape(back_query)}">{words}</a>'
    return f'<a href="{search}">{escape(_("Search all programs"))}</a>'


def _next_sessions(program) -> str:
    texts = upcoming(program)
    if not texts:
        return ""
    return f"<p>{escape(_('Next sessions:'))} {'; '.join(escape(text) for text in texts)}</p>"


def _distance_line(distance, place) -> str:
    if distance is None:
        return ""
    words = _("Distance from %(zip)s: %(distance)s, in a straight line.") % {
        "zip": escape(place.zip_code),
        "distance": escape(miles(distance)),
    }
    return f"<p>{words}</p>"


# ---- keeping a listing current --------------------------------------------------------------

LINK_PROBLEMS = {
    "invalid": _("This link is not one we sent, or it was copied only in part."),
    "expired": _("This link has expired: links work for a limited time."),
    "used": _("This link has already been used to update the listing, and works only once."),
    "revoked": _("This link was cancelled by our directory editors."),
}


def _private(response):
    """Token pages are not cached or indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("listing_update", methods=("GET", "POST"))
def listing_update(request, slug, token):
    """The listing contact's page, opened by a private link: confirm or change the listing."""
    program = get_object_or_404(Program, slug=slug)
    check = listing.check_link(program, token)
    if check.problem:
        return _refused(request, program, check.problem)
    current = listing.current_values(program)
    if request.method == "POST":
        form = ListingUpdateForm(request.POST)
        if form.is_valid():
            try:
                _applied, pending = listing.submit_update(check.link, form.values())
            except listing.LinkUsed:
                return _refused(request, program, "used")
            thanks = reverse("programs:listing_thanks", args=[program.slug])
            return redirect(f"{thanks}?review=1" if pending else thanks)
    else:
        form = ListingUpdateForm(initial=ListingUpdateForm.initial_for(current))
    context = {"program": program, "form": form, "link": check.link}
    return _private(render(request, "programs/listing_update.html", context))


def _refused(request, program, problem: str):
    context = {"program": program, "problem": LINK_PROBLEMS[problem]}
    status = 403 if problem == "invalid" else 410
    return _private(render(request, "programs/listing_refused.html", context, status=status))


@require_safe
def listing_thanks(request, slug):
    program = get_object_or_404(Program, slug=slug)
    context = {"program": program, "review": bool(request.GET.get("review"))}
    return _private(render(request, "programs/listing_thanks.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("listing_report")
def report_problem(request, slug):
    """ "Report a problem with this listing": no account, rate limited, CSRF-protected."""
    program = get_object_or_404(base_queryset(), slug=slug)
    if request.method == "POST":
        form = ListingReportForm(request.POST)
        if form.is_valid():
            listing.report_problem(program, **form.cleaned_data)
            messages.success(
                request,
                _("Thank you: your report went to our directory editors, who will check it."),
            )
            return redirect(program.get_absolute_url())
    else:
        form = ListingReportForm()
    return render(request, "programs/report.html", {"program": program, "form": form})
