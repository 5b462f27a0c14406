"""Reference data the migrations load: Denmark's 98 municipalities in 5 regions, each with its library system."""

from __future__ import annotations

import pytest

from network.models import Library, Municipality, Region
from network.reference import read_municipalities

pytestmark = pytest.mark.django_db


def test_migrations_load_98_municipalities():
    assert Municipality.objects.count() == 98


def test_migrations_load_98_libraries_one_per_municipality():
    assert Library.objects.count() == 98
    assert not Municipality.objects.filter(library__isnull=True).exists()


def test_there_are_five_regions_and_every_municipality_has_one():
    assert len(Region.choices) == 5
    used = set(Municipality.objects.values_list("region", flat=True))
    assert used == set(Region.values)


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("Herning", Region.MIDTJYLLAND),
        ("København", Region.HOVEDSTADEN),
        ("Ballerup", Region.HOVEDSTADEN),
        ("Aalborg", Region.NORDJYLLAND),
        ("Odense", Region.SYDDANMARK),
        ("Roskilde", Region.SJAELLAND),
    ],
)
def test_known_municipality_lies_in_its_region(name, region):
    assert Municipality.objects.get(name=name).region == region


def test_municipality_slugs_spell_out_danish_letters():
    assert Municipality.objects.get(name="København").slug == "koebenhavn"
    assert Municipality.objects.get(name="Aarhus").slug == "aarhus"


def test_library_is_named_after_its_municipality_and_knows_its_region():
    library = Library.objects.get(municipality__name="Herning")
    assert library.name == "Bibliotekerne i Herning"
    assert library.region == "Region Midtjylland"


def test_shipped_csv_matches_the_database():
    rows = read_municipalities()
    assert len(rows) == 98
    assert {name for name, _region in rows} == set(Municipality.objects.values_list("name", flat=True))
    for _name, label in rows:
        Region.from_label(label)  # every label is one of the five regions
