from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .filters import parse_page
from .models import Theme
from .selectors import theme_overview


@require_GET
def theme_detail(request, slug: str):
    """Everything tagged with one theme: upcoming offerings, working groups, initiatives, then past offerings."""
    theme = Theme.objects.filter(slug=slug).first()
    if theme is None:
        raise Http404(_("Temaet findes ikke."))
    # The theme page shows no notices: a page number that cannot be read gives the first page.
    page_number = parse_page(request.GET, messages=[])
    context = {"theme": theme, **theme_overview(theme, page_number=page_number)}
    if context["past"].number > 1:
        context["canonical_query"] = f"page={context['past'].number}"
    return TemplateResponse(request, "network/theme_page.html", context)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        # The search page itself may be indexed; its result pages (any query) may not.
        "Disallow: /search/?",
        "Disallow: /en/search/?",
        "Disallow: /tilmelding/",
        "Disallow: /en/tilmelding/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
