from django.db import migrations

from network.danish import danish_slugify
from network.reference import library_name, read_municipalities

REGIONS = {
    "Region Hovedstaden": "hovedstaden",
    "Region Sjælland": "sjaelland",
    "Region Syddanmark": "syddanmark",
    "Region Midtjylland": "midtjylland",
    "Region Nordjylland": "nordjylland",
}


def load(apps, schema_editor):
    Municipality = apps.get_model("network", "Municipality")
    Library = apps.get_model("network", "Library")
    for name, region in read_municipalities():
        municipality, _ = Municipality.objects.update_or_create(
            name=name, defaults={"slug": danish_slugify(name), "region": REGIONS[region]}
        )
        Library.objects.get_or_create(municipality=municipality, defaults={"name": library_name(name)})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
