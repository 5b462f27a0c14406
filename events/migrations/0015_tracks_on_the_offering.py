# Tracks are defined once, on the offering (network.OfferingTrack), and a participant keeps the track's name.
#
# Each offering gets its tracks from its course's old tracks (CourseTrack), or else from the old registration
# choices (registration_tracks: "staff", "leaders"). Participants' codes become the names of those tracks. The
# pages' revisions get the new tracks too, since the editor opens the latest revision, and reverting to an older
# one must not bring back the old rows' ids.

from collections import defaultdict

from django.db import migrations, models

CHOICE_NAMES = {"staff": "Medarbejdere", "leaders": "Ledere"}


def is_leaders(name):
    return "leder" in name.lower()


def codes_of(value):
    """The old choices as stored on the page (a list) or in a revision (a comma-separated string)."""
    if isinstance(value, str):
        value = value.split(",")
    return [code for code in value or () if code in CHOICE_NAMES]


def entries_of(course_tracks, codes):
    """(name, description) of an offering's tracks: the course's own, or else one per old choice."""
    if course_tracks:
        return [(name, description or "") for name, description in course_tracks]
    return [(CHOICE_NAMES[code], "") for code in codes_of(codes)]


def tracks_create(OfferingTrack, *, page_id, course_tracks, codes):
    rows = []
    for order, (name, description) in enumerate(entries_of(course_tracks, codes)):
        row = OfferingTrack(
            page_id=page_id, sort_order=order, name=name, description=description, for_leaders=is_leaders(name)
        )
        row.save()
        rows.append(row)
    return rows


def participants_convert(Participant, *, page_id, rows):
    """"staff" and "leaders" become the names of the offering's staff and leaders tracks (or the choices' names)."""
    staff = next((row.name for row in rows if not row.for_leaders), CHOICE_NAMES["staff"])
    leaders = next((row.name for row in rows if row.for_leaders), CHOICE_NAMES["leaders"])
    Participant.objects.filter(offering_id=page_id, track="staff").update(track=staff)
    Participant.objects.filter(offering_id=page_id, track="leaders").update(track=leaders)


def revision_convert(content, *, page_id, rows):
    """The revision's tracks in the new form, as modelcluster serialises them. A track the new rows have (by name)
    gets its row's id; another (a draft's own, an older revision's) gets none, so publishing it makes a new row."""
    old = content.get("tracks") or []
    codes = content.pop("registration_tracks", "")
    by_name = defaultdict(list)
    for row in rows:
        by_name[row.name].append(row)
    tracks = []
    for order, (name, description) in enumerate(
        entries_of([(t.get("name", ""), t.get("description", "")) for t in old], codes)
    ):
        row = by_name[name].pop(0) if by_name[name] else None
        tracks.append(
            {
                "pk": row.pk if row else None,
                "page": page_id,
                "sort_order": order,
                "name": name,
                "description": description,
                "for_leaders": row.for_leaders if row else is_leaders(name),
            }
        )
    content["tracks"] = tracks
    return content


def tracks_move(apps, *, course_tracks, codes):
    """`course_tracks`: page id -> [(name, description)] of the course's old tracks; `codes`: page id -> the old
    choices. Run by the migration on the old tables' rows, and by its test on real rows."""
    OfferingPage = apps.get_model("network", "OfferingPage")
    OfferingTrack = apps.get_model("network", "OfferingTrack")
    Participant = apps.get_model("events", "Participant")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = {}
    for page_id in sorted(set(course_tracks) | set(codes)):
        rows[page_id] = tracks_create(
            OfferingTrack, page_id=page_id, course_tracks=course_tracks.get(page_id), codes=codes.get(page_id)
        )
    coded = Participant.objects.filter(track__in=CHOICE_NAMES).values_list("offering_id", flat=True).distinct()
    for page_id in set(coded):
        participants_convert(Participant, page_id=page_id, rows=rows.get(page_id, []))
    page_type = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    if page_type is None:
        return
    page_ids = {str(pk): pk for pk in OfferingPage.objects.values_list("pk", flat=True)}
    revisions = Revision.objects.filter(base_content_type=page_type, object_id__in=list(page_ids))
    for revision in revisions.iterator():
        if "tracks" not in revision.content and "registration_tracks" not in revision.content:
            continue
        page_id = page_ids[revision.object_id]
        revision.content = revision_convert(revision.content, page_id=page_id, rows=rows.get(page_id, []))
        revision.save(update_fields=["content"])


def forward(apps, schema_editor):
    CourseTrack = apps.get_model("events", "CourseTrack")
    OfferingPage = apps.get_model("network", "OfferingPage")
    course_tracks = defaultdict(list)
    for page_id, name, description in CourseTrack.objects.order_by("page_id", "sort_order", "pk").values_list(
        "page_id", "name", "description"
    ):
        course_tracks[page_id].append((name, description))
    codes = {
        pk: codes_of(value)
        for pk, value in OfferingPage.objects.exclude(registration_tracks="").values_list("pk", "registration_tracks")
        if codes_of(value)
    }
    tracks_move(apps, course_tracks=dict(course_tracks), codes=codes)


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0014_participant_own_page'),
        ('network', '0008_offering_tracks'),
        ('wagtailcore', '0098_apitoken'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        # First the wider column: a course's track names may be longer than the old codes' 20 characters.
        migrations.AlterField(
            model_name='participant',
            name='track',
            field=models.CharField(blank=True, max_length=100, verbose_name='spor'),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
