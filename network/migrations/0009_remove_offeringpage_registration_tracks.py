# The old registration choices go once events/0013 has turned them into the offerings' tracks.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0008_offering_tracks'),
        ('events', '0015_tracks_on_the_offering'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='offeringpage',
            name='registration_tracks',
        ),
    ]
