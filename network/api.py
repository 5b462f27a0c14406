"""Wagtail's API v2 at /api/v2/: other systems of the network read the offerings here.

Wagtail's endpoints pass some query parameters to the database or the search backend unchecked: an offset past the
64-bit range (SQLite "datatype mismatch", PostgreSQL "bigint out of range"), a search operator other than "and" or
"or" (a ValueError) and a NUL byte on PostgreSQL (text cannot hold one) were server errors. Our endpoints refuse them
first, as a 400 in the API's own JSON error format ({"message": ...}), before Wagtail reads them.
"""

from django.urls import path

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from network.converters import id_max

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
    """An endpoint whose query is checked before Wagtail reads it, and whose detail URL takes only ids the database
    can hold (`<id:pk>`)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        query_check(request.GET)

    @classmethod
    def get_urlpatterns(cls):
        return [
            path("", cls.as_view({"get": "listing_view"}), name="listing"),
            path("<id:pk>/", cls.as_view({"get": "detail_view"}), name="detail"),
            path("find/", cls.as_view({"get": "find_view"}), name="find"),
        ]


class PagesEndpoint(CheckedQueryMixin, PagesAPIViewSet):
    pass


class ImagesEndpoint(CheckedQueryMixin, ImagesAPIViewSet):
    pass


class DocumentsEndpoint(CheckedQueryMixin, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesEndpoint)
api_router.register_endpoint("images", ImagesEndpoint)
api_router.register_endpoint("documents", DocumentsEndpoint)
