from django.conf import settings
from django.core.management.base import BaseCommand

from network.demo.content import (
    DEMO_ADMIN_USERNAME,
    DEMO_COORDINATORS,
    DEMO_PASSWORD,
    DEMO_PERSONAL_DATA_USERS,
    demo_load,
)


class Command(BaseCommand):
    help = "Load the demo content (idempotent): themes, libraries, initiatives, courses, events, webinars."

    def handle(self, *args, **options):
        report = demo_load()
        if report.created:
            self.stdout.write(self.style.SUCCESS(f"Created {report.created} demo objects."))
        else:
            self.stdout.write(self.style.SUCCESS("The demo was already loaded; nothing changed."))
        self.stdout.write("")
        self.stdout.write("Demo users (admin at /admin/):")
        self.stdout.write(f"  {DEMO_ADMIN_USERNAME} / {DEMO_PASSWORD}  (administrator)")
        for username, group in {**DEMO_COORDINATORS, **DEMO_PERSONAL_DATA_USERS}.items():
            self.stdout.write(f"  {username} / {DEMO_PASSWORD}  ({group})")
        if getattr(settings, "EMAIL_FILE_PATH", None) and settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write("")
            self.stdout.write(f"E-mails (registrations, reminders) are written as files to {settings.EMAIL_FILE_PATH}/")
