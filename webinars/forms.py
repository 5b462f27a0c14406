"""The admin form of a webinar: an uploaded caption file fills in the captions, after the same check as typed ones."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from network.admin_forms import OrganisedPageForm

from .captions import MAX_BYTES, MAX_SIZE_LABEL, invalid, parse_captions


class WebinarPageForm(OrganisedPageForm):
    captions_file = forms.FileField(
        label=_("Upload undertekstfil (.vtt)"),
        required=False,
        allow_empty_file=True,  # an empty file gets the WebVTT message below, not Django's general one
        help_text=_("Erstatter underteksterne nedenfor."),
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
    )

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("captions_file")
        if upload:
            try:
                cleaned_data["captions"] = self._captions_from(upload)
            except ValidationError as error:
                self.add_error("captions_file", error)
        return cleaned_data

    @staticmethod
    def _captions_from(upload) -> str:
        if upload.size > MAX_BYTES:  # before reading it: a huge file is refused unread
            raise invalid(_("den er større end %(size)s.") % {"size": MAX_SIZE_LABEL})
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise invalid(_("den er ikke gemt som UTF-8-tekst.")) from error
        parse_captions(text)
        return text
