"""Checks of the query that Wagtail's API endpoints (the public API v2 and the admin's page API) pass on unchecked."""

from django.urls import path

from wagtail.api.v2.utils import BadRequestError

from .converters import id_max

SEARCH_OPERATORS = ("and", "or")


def query_check(params) -> None:
    """Raise the API's BadRequestError for a query the database or the search backend cannot take."""
    for name, values in params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise BadRequestError("query parameters cannot contain null characters")
    # Wagtail reads the offset with int() and refuses what int() refuses; the limit it caps at WAGTAILAPI_LIMIT_MAX.
    try:
        offset = int(params.get("offset", 0))
    except ValueError:
        offset = 0
    if offset > id_max():
        raise BadRequestError(f"offset cannot be higher than {id_max()}")
    operator = params.get("search_operator")
    if operator is not None and operator not in SEARCH_OPERATORS:
        raise BadRequestError("search_operator must be either 'and' or 'or'")


class CheckedQueryMixin:
    """An endpoint whose query is checked before Wagtail reads it, and whose URLs take only ids the database can hold
    (Wagtail's own `<int:...>` become `<id:...>`)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        query_check(request.GET)

    @classmethod
    def get_urlpatterns(cls):
        return [
            path(str(pattern.pattern).replace("<int:", "<id:"), pattern.callback, name=pattern.name)
            for pattern in super().get_urlpatterns()
        ]
