"""The two registration permissions now reach across the whole network (the group "Persondataansvarlig"): their
names say so. Django creates missing permissions after migrating but never renames one, so this does."""

from django.db import migrations

NAMES = {
    "view_registrations": "Kan se alle organisationers tilmeldinger og udbakke",
    "handle_personal_data": "Kan finde, udlevere og slette en persons data i hele netværket",
}


def rename(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for codename, name in NAMES.items():
        Permission.objects.filter(content_type__app_label="events", codename=codename).update(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0008_outbox_renders_at_delivery"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="participant",
            options={
                "ordering": ["queued_at", "pk"],
                "permissions": list(NAMES.items()),
                "verbose_name": "deltager",
                "verbose_name_plural": "deltagere",
            },
        ),
        migrations.RunPython(rename, migrations.RunPython.noop),
    ]
