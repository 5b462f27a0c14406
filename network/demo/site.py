"""The site's structure: the home page and one index page of each kind, on a site with or without the demo."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from wagtail.models import Page, Site

from events.models import CourseIndexPage, EventIndexPage
from network.models import HomePage, InitiativeIndexPage, OrganisationIndexPage, ThemeIndexPage, WorkingGroupIndexPage
from webinars.models import WebinarIndexPage

SITE_NAME = "Bibliotekernes kompetencenetværk"

# The index pages below the home page, in menu order: (model, slug, title). The titles are in the catalogue, so
# the menu under /en/ shows them in English (network_navigation.nav_title) while an editor keeps the Danish one.
INDEX_PAGES = [
    (CourseIndexPage, "kurser", gettext_noop("Kurser og forløb")),
    (EventIndexPage, "arrangementer", gettext_noop("Arrangementer")),
    (WebinarIndexPage, "webinarer", gettext_noop("Webinarer")),
    (ThemeIndexPage, "temaer", gettext_noop("Temaer")),
    (InitiativeIndexPage, "indsatser", gettext_noop("Indsatser")),
    (WorkingGroupIndexPage, "arbejdsgrupper", gettext_noop("Arbejdsgrupper")),
    (OrganisationIndexPage, "arrangoerer", gettext_noop("Arrangører")),
]


DEFAULT_HOSTNAME = "localhost"
DEFAULT_PORT = 80


@transaction.atomic
def site_ensure_structure(*, hostname: str | None = None, port: int | None = None) -> HomePage:
    """Make sure the site has its home page and one index page of each kind. Safe to run again.
    `hostname` and `port`, when given, become the default site's address (its pages' full URLs: canonical links,
    JSON-LD, calendars); when not, the site keeps the address it has (localhost:80 for a new one)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title=SITE_NAME,
                slug="forside",
                intro="Kurser, arrangementer, webinarer og arbejdsgrupper for landets folkebiblioteker.",
            )
        )
        # Wagtail's own placeholder welcome page gives way to ours.
        for page in root.get_children().exclude(pk=home.pk).type(Page).exact_type(Page):
            page.delete()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname or DEFAULT_HOSTNAME,
            port=port or DEFAULT_PORT,
            root_page=home,
            is_default_site=True,
            site_name=SITE_NAME,
        )
    else:
        wanted = {
            "root_page_id": home.pk,
            "site_name": SITE_NAME,
            "hostname": hostname or site.hostname,
            "port": port or site.port,
        }
        if any(getattr(site, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(site, name, value)
            site.save()
    for model, slug, title in INDEX_PAGES:
        if not model.objects.exists():
            home.add_child(instance=model(title=title, slug=slug, show_in_menus=True))
    return home
