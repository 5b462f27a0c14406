# The courses' own tracks go once events/0013 has copied them to the offering's tracks (network.OfferingTrack).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0015_tracks_on_the_offering'),
    ]

    operations = [
        migrations.DeleteModel(
            name='CourseTrack',
        ),
    ]
