from django.core.management.base import BaseCommand

from network.demo.site import site_ensure_structure


class Command(BaseCommand):
    help = "Create the home page and one index page of each kind, if missing (for a site without the demo)."

    def handle(self, *args, **options):
        home = site_ensure_structure()
        self.stdout.write(self.style.SUCCESS(f"The site is ready: {home.title}"))
