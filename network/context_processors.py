from wagtail.models import Site


def site_navigation(request):
    """The main navigation: the home page's children shown in menus. Evaluated lazily, once per request."""

    def menu_pages():
        site = Site.find_for_request(request)
        if site is None:
            return []
        return list(site.root_page.get_children().live().public().in_menu())

    return {"menu_pages": menu_pages}
