"""The public registration form: a contact, a library, consent, and one row per participant (a formset)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from network.converters import IdField
from network.models import Library

from .rounds import short_day
from .values import ParticipantData

TEXT = 150
EMAIL_ERRORS = {"invalid": _("Skriv en gyldig e-mailadresse (navn@domæne.dk).")}


def too_long(limit: int) -> dict:
    return {"max_length": _("Højst %(limit)d tegn.") % {"limit": limit}}


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=TEXT, error_messages=too_long(TEXT))
    email = forms.EmailField(label=_("E-mail"), max_length=254, error_messages={**EMAIL_ERRORS, **too_long(254)})
    job_title = forms.CharField(label=_("Stilling"), max_length=TEXT, required=False, error_messages=too_long(TEXT))
    # The same words as the rule behind it (rules.check_participants), which also guards the services' other callers.
    track = forms.ChoiceField(
        label=_("Spor"),
        required=False,
        choices=(),
        error_messages={
            "required": _("Vælg et spor for hver deltager."),
            "invalid_choice": _("Vælg et af tilbuddets spor."),
        },
    )
    needs = forms.CharField(
        label=_("Særlige behov"),
        help_text=_("Fx kost eller tilgængelighed. Udfyld kun, hvis det er nødvendigt."),
        max_length=500,
        error_messages=too_long(500),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, tracks=(), **kwargs):
        super().__init__(*args, **kwargs)
        if tracks:
            self.fields["track"].choices = [("", _("Vælg spor")), *[(name, name) for name in tracks]]
            self.fields["track"].required = True
        else:
            del self.fields["track"]
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def participant(self) -> ParticipantData:
        data = self.cleaned_data
        return ParticipantData(
            name=data["name"],
            email=data["email"],
            job_title=data.get("job_title", ""),
            track=data.get("track", ""),
            needs=data.get("needs", ""),
        )


class BaseParticipantFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": _("Formularen mangler oplysninger. Genindlæs siden, og prøv igen."),
        "too_many_forms": _("Du kan højst tilmelde %(num)d deltagere ad gangen."),
        "too_few_forms": _("Tilmeld mindst én deltager."),
    }

    def clean(self):
        if not self.management_form.is_valid() or any(self.errors):
            return
        people = [form for form in self.forms if form.has_changed() and not self._should_delete_form(form)]
        if not people:
            raise forms.ValidationError(_("Tilmeld mindst én deltager."))
        seen = set()
        for form in people:
            email = form.cleaned_data["email"].strip().lower()
            if email in seen:
                raise forms.ValidationError(_("%(email)s står flere gange på listen.") % {"email": email})
            seen.add(email)

    def participants(self) -> list[ParticipantData]:
        return [form.participant() for form in self.forms if form.has_changed()]


def participant_formset(extra: int = 1):
    limit = settings.REGISTRATION_MAX_PARTICIPANTS_PER_SUBMISSION
    return forms.formset_factory(
        ParticipantForm,
        formset=BaseParticipantFormSet,
        extra=extra,
        max_num=limit,
        validate_max=True,
        absolute_max=limit,
    )


class LibraryChoiceField(forms.ModelChoiceField):
    """The 98 libraries, listed by municipality, so typing a town's first letters in the list finds it. While the
    registration rounds let only some libraries register, the others say when they may ("(fra 8. december)")."""

    # library pk → when it may register (rounds.library_openings); empty: every library may now.
    openings: dict = {}
    now = None

    def label_from_instance(self, obj):
        label = f"{obj.municipality.name} – {obj.name}"
        if obj.pk not in self.openings:
            return label
        when = self.openings[obj.pk]
        if when is None:
            return f"{label} ({gettext_now('ikke med i runderne')})"
        if self.now is None or when > self.now:
            return f"{label} ({gettext_now('fra %(day)s') % {'day': short_day(when)}})"
        return label


class RegistrationForm(forms.Form):
    library = LibraryChoiceField(
        label=_("Bibliotek"),
        queryset=Library.objects.select_related("municipality").order_by("municipality__name"),
        help_text=_("Skriv kommunens navn for at finde biblioteket."),
        empty_label=_("Vælg bibliotek"),
        error_messages={"invalid_choice": _("Vælg et bibliotek fra listen.")},
    )
    contact_name = forms.CharField(label=_("Dit navn"), max_length=TEXT, error_messages=too_long(TEXT))
    contact_email = forms.EmailField(
        label=_("Din e-mail"),
        max_length=254,
        help_text=_("Her sender vi kvitteringen."),
        error_messages={**EMAIL_ERRORS, **too_long(254)},
    )
    consent = forms.BooleanField(
        label=_("Jeg har læst privatlivserklæringen og giver samtykke til, at oplysningerne bruges til tilmeldingen."),
        error_messages={"required": _("Du skal acceptere privatlivserklæringen for at tilmelde.")},
    )
    # A field people never see: a bot that fills it in is refused.
    website = forms.CharField(required=False, label=_("Lad dette felt være tomt"))

    def __init__(self, *args, openings=None, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        if openings:
            self.fields["library"].openings, self.fields["library"].now = openings, now
        self.fields["library"].widget.attrs.update(
            {"data-search-label": _("Søg bibliotek"), "data-search-placeholder": _("Fx Herning")}
        )
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class NotifyForm(forms.Form):
    """ "Giv mig besked, når tilmeldingen åbner": an address, the consent, and the library if they wish."""

    email = forms.EmailField(label=_("Din e-mail"), max_length=254, error_messages={**EMAIL_ERRORS, **too_long(254)})
    library = LibraryChoiceField(
        label=_("Bibliotek (valgfrit)"),
        queryset=RegistrationForm.base_fields["library"].queryset,
        required=False,
        empty_label=_("Intet bibliotek valgt"),
        help_text=_("Med bibliotek: besked, så snart netop det kan tilmelde. Uden: når alle kan."),
        error_messages={"invalid_choice": _("Vælg et bibliotek fra listen.")},
    )
    consent = forms.BooleanField(
        label=_("Gem min e-mailadresse, til tilmeldingen åbner. Den slettes, når beskeden er sendt."),
        error_messages={"required": _("Du skal give samtykke, før vi kan gemme din e-mailadresse.")},
    )
    website = forms.CharField(required=False, label=_("Lad dette felt være tomt"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="notify_%s", **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class CancelForm(forms.Form):
    # A participant's id as the database can hold it: a longer number is an error, not a query that overflows.
    participant = IdField(required=False)
    everyone = forms.BooleanField(required=False)


class PhoneRegistrationForm(ParticipantForm):
    """A coordinator registers one participant by hand (a telephone registration): the fields of the public form,
    and the coordinator's word that the person has been told of the privacy notice (their consent)."""

    library = RegistrationForm.base_fields["library"]
    contact_name = forms.CharField(
        label=_("Kontaktperson"),
        max_length=TEXT,
        error_messages=too_long(TEXT),
        help_text=_("Den, der tilmelder. Får kvitteringen med linket til at se og ændre tilmeldingen."),
    )
    contact_email = forms.EmailField(
        label=_("Kontaktpersonens e-mail"), max_length=254, error_messages={**EMAIL_ERRORS, **too_long(254)}
    )
    informed = forms.BooleanField(
        label=_("Kontaktpersonen er gjort bekendt med privatlivserklæringen og giver samtykke til tilmeldingen."),
        error_messages={"required": _("Bekræft, at kontaktpersonen kender privatlivserklæringen.")},
    )

    field_order = ["library", "contact_name", "contact_email", "name", "email", "job_title", "track", "needs"]


def error_summary(form: forms.Form | None = None, formset: forms.BaseFormSet | None = None) -> list[tuple[str, str]]:
    """The errors of a form and its participant rows in page order, as (link to the field, message), for the summary
    at the top (the GOV.UK and borger.dk pattern): "Deltager 2: E-mail: Skriv en gyldig e-mailadresse". An error of
    no one field links to the first participant's name when it is about the rows, and to nothing otherwise."""
    items, after_rows = [], []
    if form is not None:
        items += [("", str(message)) for message in form.non_field_errors()]
        for href, message, name in _field_errors(form):
            # The consent comes after the rows on the page, so it does in the summary too.
            (after_rows if name == "consent" else items).append((href, message))
    if formset is not None:
        rows = formset.forms
        first = f"#{rows[0]['name'].auto_id}" if rows and "name" in rows[0].fields else ""
        items += [(first, str(message)) for message in formset.non_form_errors()]
        for number, row in enumerate(rows, start=1):
            person = _("Deltager %(n)s") % {"n": number}
            items += [("", f"{person}: {message}") for message in row.non_field_errors()]
            items += [(href, f"{person}: {message}") for href, message, _name in _field_errors(row)]
    return items + after_rows


def _field_errors(form: forms.Form) -> list[tuple[str, str, str]]:
    """(link, "Label: message", field name) for each error of each field; a checkbox's long label is left out."""
    errors = []
    for name in form.fields:
        for message in form.errors.get(name, []):
            field = form[name]
            text = message if isinstance(field.field, forms.BooleanField) else f"{field.label}: {message}"
            errors.append((f"#{field.auto_id}", str(text), name))
    return errors
