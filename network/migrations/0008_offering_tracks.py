# One definition of an offering's tracks, for every kind (issue 17 §2). The rows are filled from the courses' old
# tracks and the old registration choices by events/0015_tracks_on_the_offering.

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0007_accessibility_statement_page'),
    ]

    operations = [
        migrations.CreateModel(
            name='OfferingTrack',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('name', models.CharField(max_length=100, verbose_name='navn')),
                ('description', models.TextField(blank=True, verbose_name='beskrivelse')),
                ('for_leaders', models.BooleanField(default=False, help_text='Sporet for ledere; opgørelser tæller det for sig.', verbose_name='lederspor')),
                ('page', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='tracks', to='network.offeringpage')),
            ],
            options={
                'verbose_name': 'spor',
                'verbose_name_plural': 'spor',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
    ]
