"""Wagtail's API v2 at /api/v2/: other systems of the network read the offerings here.

Wagtail's endpoints pass some query parameters to the database or the search backend unchecked: an offset past the
64-bit range (SQLite "datatype mismatch", PostgreSQL "bigint out of range"), a search operator other than "and" or
"or" (a ValueError) and a NUL byte on PostgreSQL (text cannot hold one) were server errors. Our endpoints refuse them
first, as a 400 in the API's own JSON error format ({"message": ...}), before Wagtail reads them (network.api_checks,
which the admin's own page API uses too).
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from network.api_checks import CheckedQueryMixin


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
