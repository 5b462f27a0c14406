from django.conf import settings
from django.core.management.base import BaseCommand

from wagtail.models import Site

from network.demo.content import (
    DEMO_ADMIN_USERNAME,
    DEMO_COORDINATORS,
    DEMO_PASSWORD,
    DEMO_PERSONAL_DATA_USERS,
    demo_load,
)
from network.demo.site import site_ensure_structure


class Command(BaseCommand):
    help = "Load the demo content (idempotent): themes, libraries, initiatives, courses, events, webinars."

    def add_arguments(self, parser):
        # `make run` passes the host and port it serves on, so the pages' full URLs (canonical links, JSON-LD,
        # calendars) lead there; run again with another port, the site moves to it and nothing else changes.
        parser.add_argument("--hostname", help="the demo site's host name (default: keep it; localhost when new)")
        parser.add_argument("--port", type=int, help="the demo site's port (default: keep it; 80 when new)")

    def handle(self, *args, hostname=None, port=None, **options):
        site = Site.objects.get(root_page=site_ensure_structure(hostname=hostname, port=port), is_default_site=True)
        report = demo_load()
        if report.created:
            self.stdout.write(self.style.SUCCESS(f"Created {report.created} demo objects."))
        else:
            self.stdout.write(self.style.SUCCESS("The demo was already loaded; nothing changed."))
        self.stdout.write(f"Its pages link to {site.root_url}/")
        self.stdout.write("")
        self.stdout.write("Demo users (admin at /admin/):")
        self.stdout.write(f"  {DEMO_ADMIN_USERNAME} / {DEMO_PASSWORD}  (administrator)")
        for username, group in {**DEMO_COORDINATORS, **DEMO_PERSONAL_DATA_USERS}.items():
            self.stdout.write(f"  {username} / {DEMO_PASSWORD}  ({group})")
        if getattr(settings, "EMAIL_FILE_PATH", None) and settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write("")
            self.stdout.write(f"E-mails (registrations, reminders) are written as files to {settings.EMAIL_FILE_PATH}/")
