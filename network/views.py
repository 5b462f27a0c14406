from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .filters import parse_page
from .models import Theme
from .pagecache import not_cached
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
@not_cached
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


def admin_login_locked(request, original_response=None, credentials=None):
    """django-axes' answer to a locked login (settings: AXES_LOCKOUT_CALLABLE): the admin's login page look, in
    Danish, with the cool-off in minutes."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return TemplateResponse(request, "axes/lockout.html", {"minutes": minutes}, status=429).render()
