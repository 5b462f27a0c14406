"""Working groups: their members and related offerings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable
from wagtail.search import index

from network.blocks import MaterialsBlock
from network.serializers import PersonSerializer

from .base import RICH_TEXT_FEATURES, BasePage, OrganisedPage
from .people import Person


class WorkingGroupPage(OrganisedPage):
    """A working group: its purpose, members, contact person, related offerings and documents."""

    page_description = _(
        "En fast gruppe, der arbejder sammen over tid om et emne: formål, medlemmer og dokumenter. "
        "Ingen tilmelding; vælg et arrangement, et kursus eller et webinar til det, gruppen inviterer til."
    )

    purpose = RichTextField(_("formål"), features=RICH_TEXT_FEATURES, blank=True)
    documents = StreamField(MaterialsBlock(), verbose_name=_("dokumenter"), blank=True)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("purpose"),
        FieldPanel("themes"),
        FieldPanel("organiser"),
        FieldPanel("contact_person"),
        InlinePanel("members", label=_("Medlemmer"), heading=_("Medlemmer")),
        InlinePanel("related_offerings", label=_("Relateret tilbud"), heading=_("Relaterede tilbud")),
        FieldPanel("documents"),
    ]
    search_fields = [*OrganisedPage.search_fields, index.SearchField("purpose")]
    api_fields = [
        *OrganisedPage.api_fields,
        APIField("purpose"),
        APIField("members"),
        APIField("related_offerings"),
        APIField("documents"),
    ]

    class Meta:
        verbose_name = _("arbejdsgruppe")
        verbose_name_plural = _("arbejdsgrupper")


class WorkingGroupMember(Orderable):
    page = ParentalKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    organisation = models.CharField(
        _("organisation"), max_length=150, blank=True, help_text=_("Tom: personens egen organisation.")
    )
    role = models.CharField(_("rolle i gruppen"), max_length=100, blank=True)

    panels = [FieldPanel("person"), FieldPanel("organisation"), FieldPanel("role")]
    api_fields = [
        APIField("person", serializer=PersonSerializer()),
        APIField("organisation_name"),
        APIField("role"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmer")

    @property
    def organisation_name(self) -> str:
        return self.organisation or self.person.organisation


class WorkingGroupRelatedOffering(Orderable):
    page = ParentalKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="related_offerings")
    offering = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("tilbud"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("offering")]
    api_fields = [APIField("offering")]

    class Meta(Orderable.Meta):
        verbose_name = _("relateret tilbud")
        verbose_name_plural = _("relaterede tilbud")
