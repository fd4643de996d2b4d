"""The baseline: a bare Django view rendering a small template, with no database work.

It goes through the same WSGI handler, middleware and context processors as every page, so
the ratio page / baseline is the cost of the page's own queries, logic and template.
"""

from django.shortcuts import render


def baseline(request):
    return render(request, "bench/baseline.html", {"items": range(10)})
