"""Addresses of filtered pages without empty parameters: a GET form sent without JavaScript names every field."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect, QueryDict


def without_empty_params(request: HttpRequest, path: str) -> HttpResponseRedirect | None:
    """A redirect to `path` with the request's non-empty parameters, or None when none is empty.

    `?q=&from=&to=&when=` is what a browser sends for a filter form left blank; shared, it reads as noise and is a
    second address of the same page. `path` is the page's own (never taken from the request), so this cannot redirect
    off the site.
    """
    if request.method not in ("GET", "HEAD"):
        return None
    kept = QueryDict(mutable=True)
    dropped = False
    for name, values in request.GET.lists():
        present = [value for value in values if value.strip()]
        dropped = dropped or len(present) < len(values) or not name
        if present and name:
            kept.setlist(name, present)
    if not dropped:
        return None
    query = kept.urlencode()
    return HttpResponseRedirect(f"{path}?{query}" if query else path)
