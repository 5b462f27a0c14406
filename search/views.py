from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse

from wagtail.models import Page

MAX_QUERY_LENGTH = 200


def search(request):
    """Free-text search over the live pages of the site."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results = Page.objects.none()
    error = ""
    if query:
        try:
            results = list(Page.objects.live().public().specific().search(query, operator="and"))
        except Exception:  # noqa: BLE001 - a backend that chokes on the syntax must not give a 500
            error = "Søgningen kunne ikke forstås. Prøv med andre ord."
            results = []
    paginator = Paginator(results, 20)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "search_results": page, "result_count": paginator.count, "error": error},
    )
