from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Søgning"

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 - connects the index-keeping signal handlers once the apps are ready
