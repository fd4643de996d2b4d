"""``GET /api/programs/``: the directory search as read-only JSON for partner sites.

Takes the same parameters as ``/programs/`` (see :mod:`programs.filters`) plus ``page``.
Answers ``{"count": N, "next": url-or-null, "previous": url-or-null, "results": [...]}``, 20 a
page, nearest first when ``zip`` is given. A bad parameter answers 400 with
``{"errors": {"<parameter>": ["message"]}}``. Rate-limited per client (``RATE_LIMITS["api"]``
a minute). Public, cookie-less data, so any origin may read it (``Access-Control-Allow-Origin:
*``).
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from iop_finder.core.ratelimit import rate_limit
from programs import freshness, snapshot
from programs.models import Program
from programs.search import Hit, search_programs


def _page_number(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def program_json(hit: Hit, request, today=None, url_of=None) -> dict:
    """One result: the fields a partner needs to list and link to a program.

    Added later, without changing the others: ``wait_days`` (days until a new patient can
    start: to the next intake date, else the typical wait; null when unknown),
    ``next_intake``, ``stale`` (not confirmed lately), ``reported`` (three open reports of the
    same problem), ``interpreters`` and ``source`` (null for listings typed in by our editors).
    """
    program = hit.program
    location = program.location
    today = today or timezone.localdate()
    return {
        "id": program.pk,
        "name": program.name,
        "slug": program.slug,
        "provider": program.provider.name,
        "level": program.level,
        "distance_miles": round(hit.distance_miles, 1) if hit.distance_miles is not None else None,
        "address": location.one_line_address if location else None,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "modality": program.modality,
        "accepting_new_patients": program.accepting_new_patients,
        "sessions": [
            {
                "day": session.day_code,
                "start": session.start.strftime("%H:%M"),
                "end": session.end.strftime("%H:%M"),
                "track": session.track,
            }
            for session in program.sessions.all()
        ],
        "therapies": program.therapies,
        "conditions": program.conditions,
        "age_groups": program.age_groups,
        "languages": program.languages,
        "payment": program.payment,
        "intake_phone": program.intake_phone,
        "last_verified": program.last_verified.isoformat() if program.last_verified else None,
        "url": url_of(program.slug)
        if url_of
        else request.build_absolute_uri(program.get_absolute_url()),
        "interpreters": program.interpreters,
        "wait_days": freshness.known_wait_days(program.next_intake, program.wait_days, today),
        "next_intake": program.next_intake.isoformat() if program.next_intake else None,
        "stale": freshness.is_stale(program.last_verified, today),
        "reported": bool(program.reported_kind),
        "source": _source(program),
    }


def _results_json(hits, request) -> list[dict]:
    today = timezone.localdate()
    marker = "program-slug"
    sample = request.build_absolute_uri(Program.detail_path_maker()(marker))
    head, tail = sample.rsplit(marker, 1)
    key = ("api", *snapshot.day_key(today))
    results = []
    for hit in hits:
        item = hit.program.part(
            key, lambda hit=hit: program_json(Hit(hit.program, None), request, today, str)
        )
        item = item.copy()
        distance = hit.distance_miles
        item["distance_miles"] = round(distance, 1) if distance is not None else None
        item["url"] = f"{head}{item['slug']}{tail}"
        results.append(item)
    return results


def _source(program) -> dict | None:
    if not program.source_label:
        return None
    return {
        "code": program.source,
        "name": program.source_label,
        "date": program.source_date.isoformat() if program.source_date else None,
    }


def _json(data, status=200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_url(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@require_GET
@rate_limit("api", methods=("GET",), json=True)
def programs_api(request):
    """The search as JSON; see the module docstring for the shape."""
    raw_page = request.GET.get("page", "1")
    number = _page_number(raw_page)
    if number is None:
        return _json({"errors": {"page": [_("Use a page number of 1 or more.")]}}, status=400)
    results = search_programs(request.GET, number)
    if not results.is_valid:
        return _json({"errors": results.errors}, status=400)
    page = results.page
    if page.number != number and results.count:
        return _json(
            {
                "errors": {
                    "page": [
                        _("There is no page %(page)s; the last page is %(last)s.")
                        % {"page": number, "last": page.paginator.num_pages}
                    ]
                }
            },
            status=400,
        )
    return _json(
        {
            "count": results.count,
            "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": _page_url(request, page.previous_page_number())
            if page.has_previous()
            else None,
            "results": _results_json(results.hits, request),
        }
    )
