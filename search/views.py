"""The search page and its autocomplete. Thin: the search is in search/selectors.py, the suggestions in
search/autocomplete.py."""

from __future__ import annotations

import logging

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from network.querystrings import without_empty_params

from .autocomplete import autocomplete
from .query import SearchParams
from .selectors import SearchResults, search_pages, search_start

logger = logging.getLogger(__name__)


@require_safe
def search(request):
    """Search events, courses, webinars, working groups and initiatives, with the listings' filters."""
    if redirect := without_empty_params(request, reverse("search")):
        return redirect
    try:
        results = search_pages(request.GET)
    except Exception:  # the last line of defence: whatever was typed, the page answers
        logger.exception("The search page failed for %r", request.GET.get("q", "")[:200])
        params = SearchParams(q=" ".join(request.GET.get("q", "").split())[:200], asked=True)
        params.messages.append(_("Søgningen kunne ikke gennemføres. Prøv igen med andre ord."))
        results = SearchResults(params=params, failed=True)
    context = {"results": results, "search_query": results.params.q}
    if not results.hits and not results.failed:
        context["start"] = search_start()
    return TemplateResponse(request, "search/search.html", context)


@require_safe
def search_autocomplete(request):
    """Up to 8 suggestions for the search box as JSON: {"results": [{"title", "url", "kind", "kind_label"}]}."""
    try:
        suggestions = autocomplete(request.GET.get("q", ""))
    except Exception:  # the box falls back to the plain form
        logger.exception("Autocomplete failed for %r", request.GET.get("q", "")[:100])
        suggestions = []
    response = JsonResponse({"results": suggestions})
    response["Cache-Control"] = "max-age=60"
    return response
