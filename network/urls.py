from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from events.registration.urls import certificate_urlpatterns
from search import views as search_views

from . import feeds, views
from .api import api_router
from .sitemaps import SITEMAPS

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("feeds/nye-tilbud/", feeds.NewOfferingsFeed(), name="feed_new"),
    path("feeds/temaer/<slug:slug>/", feeds.NewOfferingsFeed(), name="feed_theme"),
    path("ical/alle.ics", feeds.calendar_feed, name="ical_all"),
    path("ical/temaer/<slug:slug>.ics", feeds.calendar_feed, name="ical_theme"),
    path("ical/tilbud/<id:page_id>.ics", feeds.offering_calendar, name="ical_offering"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public pages, in Danish at their plain addresses and with the English interface under /en/ (content stays
# Danish where no translation exists).
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("search/autocomplete/", search_views.search_autocomplete, name="search_autocomplete"),
    path("tilmelding/", include("events.registration.urls")),
    path("kursusbevis/", include(certificate_urlpatterns)),
    path("tema/<slug:slug>/", views.theme_detail, name="theme"),
    # The feeds explained for a person (the feeds themselves are above, one address for every language).
    path("rss/nye-tilbud/", feeds.feed_page, name="feed_page_new"),
    path("rss/temaer/<slug:slug>/", feeds.feed_page, name="feed_page_theme"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
