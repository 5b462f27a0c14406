"""How people and themes appear in the API (Wagtail API v2): only what the public pages show."""

from rest_framework import serializers


class PersonSerializer(serializers.Serializer):
    """How a person appears in the API: no phone number, only what the public page shows."""

    def to_representation(self, person):
        if person is None:
            return None
        return {
            "id": person.pk,
            "name": person.name,
            "job_title": person.job_title,
            "organisation": person.organisation,
            "email": person.email,
        }


class ThemeSerializer(serializers.Serializer):
    def to_representation(self, manager):
        return [{"name": theme.name, "slug": theme.slug} for theme in manager.all()]
