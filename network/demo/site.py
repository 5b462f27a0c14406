"""The site's structure: the home page and one index page of each kind, on a site with or without the demo."""

from __future__ import annotations

from django.db import transaction

from wagtail.models import Page, Site

from events.models import CourseIndexPage, EventIndexPage
from network.models import HomePage, InitiativeIndexPage, OrganisationIndexPage, ThemeIndexPage, WorkingGroupIndexPage
from webinars.models import WebinarIndexPage

SITE_NAME = "Bibliotekernes kompetencenetværk"

# The index pages below the home page, in menu order: (model, slug, title).
INDEX_PAGES = [
    (CourseIndexPage, "kurser", "Kurser og forløb"),
    (EventIndexPage, "arrangementer", "Arrangementer"),
    (WebinarIndexPage, "webinarer", "Webinarer"),
    (ThemeIndexPage, "temaer", "Temaer"),
    (InitiativeIndexPage, "indsatser", "Indsatser"),
    (WorkingGroupIndexPage, "arbejdsgrupper", "Arbejdsgrupper"),
    (OrganisationIndexPage, "arrangoerer", "Arrangører"),
]


@transaction.atomic
def site_ensure_structure(*, hostname: str = "localhost", port: int = 80) -> HomePage:
    """Make sure the site has its home page and one index page of each kind. Safe to run again."""
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
        Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=SITE_NAME)
    elif site.root_page_id != home.pk or site.site_name != SITE_NAME:
        site.root_page = home
        site.site_name = SITE_NAME
        site.save()
    for model, slug, title in INDEX_PAGES:
        if not model.objects.exists():
            home.add_child(instance=model(title=title, slug=slug, show_in_menus=True))
    return home
