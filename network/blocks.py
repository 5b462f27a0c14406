"""The shared block library: body content, programmes and materials for every page type."""

import uuid

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class ProgrammeItemBlock(blocks.StructBlock):
    """One timed item of a programme: 09.30 Velkomst."""

    start = blocks.TimeBlock(label=_("Starttid"))
    end = blocks.TimeBlock(label=_("Sluttid"), required=False)
    title = blocks.CharBlock(label=_("Punkt"), max_length=200)
    description = blocks.TextBlock(label=_("Beskrivelse"), required=False)

    class Meta:
        icon = "time"
        label = _("Programpunkt")
        template = "blocks/programme_item.html"
        description = _("Et punkt i programmet med tidspunkt")
        preview_value = {"start": "09:00", "title": "Ankomst og kaffe"}
        # One compact row per item in the editor (network/static/network/css/admin.css), and "09:30 Velkomst" on a
        # collapsed item.
        form_classname = "struct-block programme-item"
        label_format = "{start} {title}"


class ProgrammeBlock(blocks.StreamBlock):
    item = ProgrammeItemBlock()

    class Meta:
        template = "blocks/programme.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(label=_("Titel"), required=False, help_text=_("Tom: dokumentets egen titel."))
    description = blocks.TextBlock(label=_("Beskrivelse"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Dokument")
        template = "blocks/document.html"
        description = _("Et dokument til download")


class LinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("Adresse"))
    title = blocks.CharBlock(label=_("Titel"), max_length=200)

    class Meta:
        icon = "link"
        label = _("Link")
        template = "blocks/link.html"
        description = _("Et link til en anden side")
        preview_value = {"url": "https://example.org", "title": "Læs mere"}


class MaterialsBlock(blocks.StreamBlock):
    document = DocumentBlock()
    link = LinkBlock()

    class Meta:
        template = "blocks/materials.html"


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Overskrift")
        template = "blocks/heading.html"
        description = _("En mellemrubrik")
        preview_value = "Det lærer du"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Tekst"),
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        icon="pilcrow",
        template="blocks/paragraph.html",
        description=_("Brødtekst"),
        preview_value="<p>Et kort afsnit om tilbuddet.</p>",
    )
    image = ImageBlock(label=_("Billede"), template="blocks/image.html", description=_("Et billede med alt-tekst"))
    quote = blocks.BlockQuoteBlock(label=_("Citat"), template="blocks/quote.html", description=_("Et citat"))
    document = DocumentBlock()
    link = LinkBlock()


# --- Evaluations: the questions a coordinator asks after an offering (answered in events.registration) -------------

SCALE = range(1, 6)


class ScaleQuestionBlock(blocks.StructBlock):
    """A statement rated 1-5, with words for the two ends."""

    question = blocks.CharBlock(label=_("Spørgsmål"), max_length=300)
    low_label = blocks.CharBlock(label=_("Tekst ved 1"), max_length=60, default=_("Slet ikke"))
    high_label = blocks.CharBlock(label=_("Tekst ved 5"), max_length=60, default=_("I høj grad"))
    required = blocks.BooleanBlock(label=_("Skal besvares"), required=False, default=True)

    class Meta:
        icon = "order"
        label = _("Skala 1-5")
        label_format = "{question}"


class ChoiceQuestionBlock(blocks.StructBlock):
    """One answer chosen among several."""

    question = blocks.CharBlock(label=_("Spørgsmål"), max_length=300)
    choices = blocks.ListBlock(blocks.CharBlock(label=_("Svarmulighed"), max_length=200), label=_("Svarmuligheder"))
    required = blocks.BooleanBlock(label=_("Skal besvares"), required=False, default=True)

    class Meta:
        icon = "list-ul"
        label = _("Ét valg")
        label_format = "{question}"


class TextQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Spørgsmål"), max_length=300)
    required = blocks.BooleanBlock(label=_("Skal besvares"), required=False, default=False)

    class Meta:
        icon = "pilcrow"
        label = _("Fritekstsvar")
        label_format = "{question}"


class EvaluationBlock(blocks.StreamBlock):
    scale = ScaleQuestionBlock()
    choice = ChoiceQuestionBlock()
    text = TextQuestionBlock()

    class Meta:
        required = False


# The seed's "Exit" and "Opsamling" questions, offered on every new offering; the coordinator edits or removes them.
SEED_QUESTIONS = [
    "Når jeg tænker på de to kursusdage, tænker jeg …?",
    "I den nærmeste fremtid vil jeg … sammen med …",
    "Hvilke ideer / initiativer … går jeg / vi / vores bibliotek … hjem og gør noget ved?",
]


def default_evaluation() -> list[dict]:
    """The seed questions as free text, each with its own id (answers are stored by the question's id)."""
    return [
        {"type": "text", "value": {"question": question, "required": False}, "id": str(uuid.uuid4())}
        for question in SEED_QUESTIONS
    ]
