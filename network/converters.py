"""Ids read from a request: the `<id:...>` path converter and the form field, both bounded by the database.

Django's `<int:...>` and `forms.IntegerField` take any number of digits, and a number past the 64-bit range reaches
SQLite as an `OverflowError` (and PostgreSQL as "bigint out of range") wherever the lookup is not an IntegerField's
own (a page subclass's `page_ptr`, a foreign key, `__in`, an OFFSET): a server error. Refused here, it is a 404 or a
form error instead.
"""

from __future__ import annotations

from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

ID_PATTERN = "[0-9]+"


def id_max() -> int:
    """The largest id the database can hold (a 64-bit primary key on SQLite and PostgreSQL alike)."""
    return connection.ops.integer_field_range("BigAutoField")[1]


def parse_id(value: object) -> int | None:
    """A positive id from request input in ASCII digits, or None (`"²".isdigit()` is true and `int("٣")` is 3)."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(id_max())):
        return None
    number = int(text)
    return number if 0 < number <= id_max() else None


class IdConverter:
    """`<id:page_id>`: like `<int:...>`, but a number beyond the database's range matches nothing (a 404)."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            # A ValueError tells the resolver that the pattern does not match.
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class IdField(forms.IntegerField):
    """An id posted in a form: a positive whole number the database can hold, or a Danish error."""

    default_error_messages = {
        "invalid": _("Vælg en af mulighederne."),
        "min_value": _("Vælg en af mulighederne."),
        "max_value": _("Vælg en af mulighederne."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)
        self.widget.attrs.pop("max", None)

    def validate(self, value):
        super().validate(value)
        if value is not None and value > id_max():
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
