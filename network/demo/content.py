"""The demo: every initiative, course, event, working group and webinar of the network's material, written afresh.
Historic offerings keep the material's dates, upcoming runs are dated from the day of the first load; loading is
idempotent (what exists is left as it is); people are roles with example.org addresses, never real persons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from events.models import CourseDayKind, CoursePage, CourseSession, EventPage, Status
from events.registration.models import EligibilityRound, Participant, Registration
from events.registration.services import registration_create
from events.registration.tally import tally_change
from events.registration.values import ParticipantData
from network.demo import about
from network.demo.after_course import after_course_load
from network.models import (
    AttendanceMode,
    Audience,
    InitiativeIndexPage,
    InitiativePage,
    Library,
    LibraryGroup,
    Municipality,
    OfferingPage,
    OfferingTrack,
    OrganisationIndexPage,
    OrganisationPage,
    Person,
    StandardPage,
    Theme,
    WorkingGroupMember,
    WorkingGroupPage,
    WorkingGroupRelatedOffering,
)
from network.services import (
    PERSONAL_DATA_GROUP,
    coordinator_group_ensure,
    organisation_collection_ensure,
    personal_data_group_ensure,
)
from webinars.models import WebinarPage, WebinarPresenter

from .experiments import load_experiments
from .site import site_ensure_structure

DEMO_ADMIN_USERNAME = "admin"
DEMO_PASSWORD = "bibliotek-demo-2026"  # noqa: S105 - a local demo's published password, printed by `make run`
DEMO_COORDINATORS = {
    "koordinator-db": "Koordinatorer – Danmarks Biblioteksforening",
    "koordinator-ki": "Koordinatorer – Kultur og Information",
}
# Data-protection requests across the network: every organisation's registrations, outbox and personal data.
DEMO_PERSONAL_DATA_USERS = {"persondata": PERSONAL_DATA_GROUP}

THEMES = [
    (
        "Verdensmål",
        "FN's 17 verdensmål for bæredygtig udvikling i bibliotekernes arbejde.",
        "SDG\nSDG'erne\nFN's 17 mål\nFN's verdensmål\nGlobale mål\nSustainable Development Goals",
    ),
    (
        "Bæredygtighed",
        "Miljø, klima og social bæredygtighed i og omkring biblioteket.",
        "Grøn omstilling\nKlima\nMiljø",
    ),
    (
        "Skolesamarbejde",
        "Samarbejdet mellem folkebibliotek og skole.",
        "Skolereformen\nFolkeskolereformen\nSkole og bibliotek\nÅben skole",
    ),
    (
        "Kompetenceudvikling",
        "Efter- og videreuddannelse af bibliotekets medarbejdere.",
        "Efteruddannelse\nKompetencer\nKompetencelandskab",
    ),
    ("Ledelse", "Ledelse af udvikling og forandring på biblioteket.", "Ledere\nLederspor"),
    (
        "Citizen science",
        "Borgere der deltager i forskning, og bibliotekets rolle i det.",
        "Borgervidenskab\nBorgerforskning",
    ),
    (
        "Design thinking",
        "Brugercentreret udvikling af tilbud og services.",
        "Designtænkning\nDesign Quest\nBrugerinddragelse",
    ),
    (
        "Trivsel og motivation",
        "Psykologiske faktorer: trivsel, motivation og adfærd.",
        "Trivsel\nMotivation\nAdfærd\nPsykologi",
    ),
    ("Formidling", "At formidle viden, litteratur og emner til borgerne.", "Kommunikation"),
    ("Videndeling", "At dele erfaringer og viden på tværs af biblioteker.", "Erfaringsudveksling"),
    ("Samarbejde", "Partnerskaber med skoler, foreninger og andre aktører.", "Partnerskaber\nNetværk"),
]

CERTIFICATION_LIBRARY_MUNICIPALITIES = [
    "Aarhus", "Aalborg", "Odense", "Herning", "Ballerup", "Roskilde", "Vejle", "Gentofte",
]  # fmt: skip


# The captions of the past webinar on psychological factors, written for the demo (WebVTT, as the recording's file).
PSYCHOLOGY_CAPTIONS = """WEBVTT

00:00:05.000 --> 00:00:11.000
Velkommen til webinaret om psykologiske faktorer i arbejdet med verdensmålene.

00:01:20.000 --> 00:01:28.000
Først ser vi på, hvorfor gode intentioner sjældent er nok til at ændre vaner.

00:03:45.000 --> 00:03:53.000
Mange kender klimaangst: problemet virker så stort, at man giver op på forhånd.

00:06:10.000 --> 00:06:18.000
Her kan biblioteket hjælpe ved at gøre det konkrete og det nære synligt.

00:09:30.000 --> 00:09:38.000
Et eksempel er en byttereol med værktøj, hvor borgerne låner i stedet for at købe.

00:12:40.000 --> 00:12:48.000
Det handler om trivsel: når vi gør noget sammen med andre, føles indsatsen meningsfuld.

00:16:05.000 --> 00:16:12.000
Små skub, såkaldt nudging, kan gøre det bæredygtige valg til det lette valg.

00:21:30.000 --> 00:21:38.000
Stil for eksempel bøgerne om reparation ved udgangen i stedet for bagerst i salen.

00:27:15.000 --> 00:27:22.000
Undgå skræmmebilleder i formidlingen, for de skaber afmagt frem for handling.

00:34:50.000 --> 00:34:58.000
Fortæl hellere om lokale fællesskaber, der allerede har fået noget til at lykkes.

00:48:20.000 --> 00:48:27.000
Til sidst tager vi spørgsmål fra deltagerne i chatten.

00:58:40.000 --> 00:58:45.000
Tak, fordi I var med, og på gensyn.
"""


@dataclass
class DemoReport:
    created: int = 0

    def note(self, created: bool) -> None:
        self.created += int(created)


def _t(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _at(day: dt.date, time: str) -> dt.datetime:
    """An aware datetime in Copenhagen time."""
    return timezone.make_aware(dt.datetime.combine(day, _t(time)))


def _programme(*items: tuple[str, str, str]) -> list[tuple[str, dict]]:
    return [
        ("item", {"start": _t(start), "end": None, "title": title, "description": text}) for start, title, text in items
    ]


def _body(*paragraphs: str) -> list[tuple[str, object]]:
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]


class DemoLoader:
    def __init__(self, today: dt.date | None = None):
        self.today = today or timezone.localdate()
        self.report = DemoReport()

    # --- helpers ---------------------------------------------------------------------------------------------

    def page(self, parent: Page, model, slug: str, themes: list[str] = (), **fields):
        """The page with this slug below parent; created and published if missing, left alone if present."""
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        if themes:
            page.themes.set([self.themes[name] for name in themes])
        page.save_revision().publish()
        self.report.note(True)
        return page

    def person(self, email: str, **fields) -> Person:
        person, created = Person.objects.get_or_create(email=email, defaults=fields)
        self.report.note(created)
        return person

    def document(self, title: str, filename: str, text: str, collection):
        """A document in its organisation's collection (one loaded before collections existed is moved there)."""
        Document = get_document_model()
        document = Document.objects.filter(title=title).first()
        if document is None:
            document = Document(title=title, collection=collection)
            document.file.save(filename, ContentFile(text.encode("utf-8")), save=False)
            document.save()
            self.report.note(True)
        elif document.collection_id != collection.pk:
            document.collection = collection
            document.save(update_fields=["collection"])
        return document

    @staticmethod
    def material(document) -> tuple[str, dict]:
        return ("document", {"document": document, "title": "", "description": ""})

    # --- the demo --------------------------------------------------------------------------------------------

    @transaction.atomic
    def load(self) -> DemoReport:
        self.home = site_ensure_structure()
        self.load_themes()
        self.load_libraries()
        self.load_people()
        self.load_organisations()
        self.load_documents()
        self.load_initiatives()
        self.load_school_course()
        self.load_staff_courses()
        self.load_db2030()
        self.load_about_pages()
        self.load_groups_and_users()
        self.load_registrations()
        after_course_load(self)
        if course := CoursePage.objects.filter(slug="kompetenceforloeb-efteraarshold").first():
            self.report.created += load_experiments(course)
        return self.report

    def load_themes(self):
        self.themes = {}
        for name, description, synonyms in THEMES:
            theme, created = Theme.objects.get_or_create(
                name=name, defaults={"description": description, "synonyms": synonyms}
            )
            self.report.note(created)
            self.themes[name] = theme

    def load_libraries(self):
        group, created = LibraryGroup.objects.get_or_create(
            slug="certificeringsbiblioteker",
            defaults={
                "name": "Certificeringsbiblioteker",
                "description": "Biblioteker der får nye kompetenceforløb først og deler erfaringerne med resten.",
            },
        )
        self.report.note(created)
        self.certification_group = group
        if not group.libraries.exists():
            group.libraries.set(Library.objects.filter(municipality__name__in=CERTIFICATION_LIBRARY_MUNICIPALITIES))

    def load_people(self):
        p = self.person
        self.db_coordinator = p(
            "tovholder.db@example.org", name="Tovholder, Danmarks Biblioteksforening",
            job_title="Tovholder", organisation="Danmarks Biblioteksforening",
        )  # fmt: skip
        self.ki_coordinator = p(
            "tovholder.ki@example.org", name="Tovholder, Kultur og Information",
            job_title="Tovholder for DB2030", organisation="Kultur og Information",
        )  # fmt: skip
        self.school_consultant = p(
            "skolekonsulent@example.org", name="Konsulent for skole og bibliotek",
            job_title="Konsulent", organisation="Danmarks Biblioteksforening",
        )  # fmt: skip
        self.fki_presenters = {
            "citizen": p("oplaeg.citizen@example.org", name="Oplægsholder om citizen science",
                         job_title="Projektleder", organisation="FKI"),
            "design": p("oplaeg.design@example.org", name="Oplægsholder om design thinking",
                        job_title="Udviklingskonsulent", organisation="FKI"),
            "trivsel": p("oplaeg.trivsel@example.org", name="Oplægsholder om trivsel og motivation",
                         job_title="Erhvervspsykolog", organisation="FKI"),
        }  # fmt: skip
        self.wg_members = [
            (p("medlem.herning@example.org", name="Bibliotekar, Herning Bibliotekerne",
               job_title="Bibliotekar", organisation="Herning Bibliotekerne"), "Medlem"),
            (p("medlem.ballerup@example.org", name="Udviklingskonsulent, Ballerup Bibliotekerne",
               job_title="Udviklingskonsulent", organisation="Ballerup Bibliotekerne"), "Medlem"),
            (p("medlem.db@example.org", name="Konsulent, Danmarks Biblioteksforening",
               job_title="Konsulent", organisation="Danmarks Biblioteksforening"), "Medlem"),
            (self.ki_coordinator, "Tovholder"),
        ]  # fmt: skip

    def load_organisations(self):
        index = OrganisationIndexPage.objects.get()
        index_intro = "De organisationer, der står bag netværkets tilbud."
        if index.intro != index_intro:
            index.intro = index_intro
            index.save_revision().publish()
        self.db = self.page(
            index, OrganisationPage, "danmarks-biblioteksforening", title="Danmarks Biblioteksforening",
            short_name="DB", website="https://example.org/db", email="db@example.org",
            intro="Forening for folkebibliotekerne. Koordinerer kompetenceudvikling for bibliotekernes personale.",
        )  # fmt: skip
        self.ki = self.page(
            index, OrganisationPage, "kultur-og-information", title="Kultur og Information",
            short_name="KI", website="https://example.org/ki", email="ki@example.org",
            intro="Tovholder for netværket DB2030 og dets arbejdsgruppe om verdensmålene.",
        )  # fmt: skip
        self.fki = self.page(
            index, OrganisationPage, "fki", title="FKI", short_name="FKI", website="https://example.org/fki",
            email="fki@example.org",
            intro="Står for webinarrækken om verdensmålene, hvor hvert webinar tager ét tema op.",
        )  # fmt: skip
        self.collections = {
            organisation.pk: organisation_collection_ensure(organisation=organisation)
            for organisation in (self.db, self.ki, self.fki)
        }

    def load_documents(self):
        self.doc_process = self.document(
            "Procesbeskrivelse til interviewrunderne", "procesbeskrivelse-interview.txt",
            "Procesbeskrivelse\n\nI arbejder tre og tre. Hver runde varer 30 minutter: 20 minutters interview og "
            "10 minutters opsamling. Byt roller efter hver runde, så alle har været interviewer, fortæller og "
            "referent. Tag selv en pause på 15 minutter, når det passer jer.\n", self.collections[self.db.pk],
        )  # fmt: skip
        self.doc_landscape = self.document(
            "Ark til det lokale kompetencelandskab", "kompetencelandskab.txt",
            "Kompetencelandskab\n\nSkriv kompetencerne fra jeres post-its ind under de temaer, I har fundet. "
            "Marker hvilke kompetencer der allerede bruges i samarbejdet med skolen, og hvilke der kan bruges mere.\n",
            self.collections[self.db.pk],
        )  # fmt: skip
        self.doc_template = self.document(
            "Skabelon: Idéer til nye samarbejdsprojekter", "ideer-til-samarbejdsprojekter.txt",
            "Idéer til nye samarbejdsprojekter\n\nIdé:\nHvem samarbejder vi med?\nHvilke kompetencer bruger vi?\n"
            "Første skridt:\nHvornår følger vi op?\n", self.collections[self.db.pk],
        )  # fmt: skip
        self.doc_mandate = self.document(
            "Kommissorium for arbejdsgruppen under DB2030", "kommissorium-db2030.txt",
            "Kommissorium\n\nArbejdsgruppen udvikler løbende et kompetenceforløb om FN's verdensmål for "
            "bibliotekerne og understøtter videndeling og samarbejde mellem dem.\n", self.collections[self.ki.pk],
        )  # fmt: skip

    def load_initiatives(self):
        index = InitiativeIndexPage.objects.get()
        self.school = self.page(
            index, InitiativePage, "skole-og-bibliotek", title="Skole og bibliotek",
            themes=["Skolesamarbejde", "Kompetenceudvikling", "Samarbejde"],
            intro="En national indsats, der styrker samarbejdet mellem folkebiblioteker og skoler.",
            purpose="<p>Skolereformen åbnede skolen for omverdenen. Indsatsen hjælper bibliotekets personale med at se "
            "egne kompetencer i det lys og bruge dem i nye samarbejder med skolerne.</p>",
            organiser=self.db, coordinator=self.school_consultant,
        )  # fmt: skip
        self.staff = self.page(
            index, InitiativePage, "kompetenceudvikling-af-bibliotekspersonale",
            title="Kompetenceudvikling af bibliotekspersonale",
            themes=["Kompetenceudvikling", "Ledelse", "Formidling"],
            intro="Folkelig forankring gennem bibliotekerne: et kompetenceforløb for personalet og et spor for ledere.",
            purpose="<p>Folketinget afsatte i 2022-23 midler til blandt andet kompetenceudvikling af bibliotekernes "
            "personale. Forløbet afprøves først med certificeringsbibliotekerne og udbydes derefter i foråret og "
            "efteråret 2023 til resten af landets biblioteker. Dertil kommer et kompetencespor for ledere.</p>",
            funding_source="Folketinget (finansloven)", funding_start=dt.date(2022, 1, 1),
            funding_end=dt.date(2023, 12, 31), organiser=self.db, coordinator=self.db_coordinator,
        )  # fmt: skip
        self.db2030 = self.page(
            index, InitiativePage, "db2030", title="Netværket DB2030",
            themes=["Verdensmål", "Bæredygtighed", "Videndeling", "Samarbejde"],
            intro="Et netværk, der giver bibliotekerne viden, engagement og værktøjer til arbejdet med FN's verdensmål.",
            purpose="<p>Netværket skaber viden, engagement og værktøjer til bibliotekernes arbejde med verdensmålene "
            "og støtter videndeling og samarbejde mellem bibliotekerne. En arbejdsgruppe udvikler løbende et "
            "fælles kompetenceforløb.</p>",
            organiser=self.ki, coordinator=self.ki_coordinator,
        )  # fmt: skip

    # --- Effort 1: Sæt spot på kompetencerne ------------------------------------------------------------------

    def school_course_sessions(self, az_day: dt.date) -> list[CourseSession]:
        herning = Municipality.objects.get(name="Herning")
        odense = Municipality.objects.get(name="Odense")
        day1 = az_day + dt.timedelta(days=28)
        day2 = day1 + dt.timedelta(days=42)
        place = {
            "venue_name": "Odense Centralbibliotek",
            "city": "Odense",
            "postcode": "5000",
            "municipality": odense,
        }
        return [
            CourseSession(
                kind=CourseDayKind.ACTIVITY, title="A-Z-konference", date=az_day,
                start_time=_t("10:00"), end_time=_t("15:00"), venue_name="Konferencecenter i Herning",
                city="Herning", postcode="7400", municipality=herning,
                description="<p>Forløbet begynder med en konference om skole og bibliotek fra A til Z: "
                "erfaringer, modeller og muligheder.</p>",
            ),
            CourseSession(
                kind=CourseDayKind.ACTIVITY, title="Interview", date=az_day + dt.timedelta(days=7),
                end_date=az_day + dt.timedelta(days=21), attendance_mode=AttendanceMode.ONLINE,
                description="<p>Hver deltager bliver interviewet om sit arbejde og sine erfaringer med skolen. "
                "Interviewet giver stof til første kursusgang.</p>",
            ),
            CourseSession(
                kind=CourseDayKind.COURSE_DAY, title="Kursusgang 1: Kompetencer og skolereformen", date=day1,
                start_time=_t("09:00"), end_time=_t("15:30"), **place,
                goals="<ul><li>Forstå, hvad skolereformen betyder for bibliotekets arbejde.</li>"
                "<li>Sætte ord på egne kompetencer i samarbejdet med skolen.</li>"
                "<li>Planlægge et eksperiment til perioden mellem kursusgangene.</li></ul>",
                description="<p>Vi ser på bibliotekspersonalets kompetencer i lyset af skolereformen.</p>",
                programme=_programme(
                    ("09:00", "Ankomst og kaffe", ""),
                    ("09:30", "Velkommen og forløbets gang", "Hvad skal vi nå på de to kursusgange?"),
                    ("10:00", "Skolereformen og biblioteket", "Oplæg om reformen og de muligheder, den giver."),
                    ("11:00", "Kompetencer i spil", "Hvad kan vi allerede, og hvad efterspørger skolen?"),
                    ("12:00", "Frokost", ""),
                    ("12:45", "Interview i par", "Min faglighed i mødet med skolen."),
                    ("13:45", "Pause", ""),
                    ("14:00", "Eksperimentet", "Sådan planlægger du dit eksperiment frem til næste gang."),
                    ("15:00", "Opsamling", "Næste skridt og spørgsmål."),
                    ("15:30", "Tak for i dag", ""),
                ),
            ),
            CourseSession(
                kind=CourseDayKind.ACTIVITY, title="Eksperiment mellem kursusgangene",
                date=day1 + dt.timedelta(days=1), end_date=day2 - dt.timedelta(days=1),
                attendance_mode=AttendanceMode.ON_SITE,
                description="<p>Hver deltager laver alene eller sammen med kolleger et eksperiment, der afdækker "
                "muligheder for samarbejde med skolerne.</p>",
            ),
            CourseSession(
                kind=CourseDayKind.COURSE_DAY, title="Kursusgang 2: Eksperimenter og kompetencelandskaber",
                date=day2, start_time=_t("09:00"), end_time=_t("15:30"), **place,
                goals="<ul><li>Mere fokus på egne kompetencer og bibliotekets ressourcer.</li>"
                "<li>Kategorisere kompetencer og bygge lokale kompetencelandskaber, der kan starte og "
                "udvikle samarbejder.</li></ul>",
                description="<p>Deltagerne fremlægger deres eksperimenter, og vi kategoriserer kompetencerne.</p>",
                programme=_programme(
                    ("09:00", "Ankomst og spørgsmål siden sidst", ""),
                    ("09:30", "Refleksioner over eksperimenterne og kompetencespotting",
                     "Tre interviewrunder à 30 minutter efter den udleverede procesbeskrivelse. "
                     "Grupperne holder selv en pause på 15 minutter."),
                    ("11:25", "Videndelingsøvelse", ""),
                    ("11:45", "Frokost", ""),
                    ("12:30", "Lokale kompetencelandskaber",
                     "Kompetencerne fra post-its'ene sorteres i temaer, og det lokale landskab udfyldes."),
                    ("13:40", "Pause", ""),
                    ("13:50", "Initiativer til samarbejde",
                     "Planlæg nye samarbejdsprojekter ud fra landskabet med skabelonen "
                     "\u201dIdéer til nye samarbejdsprojekter\u201d."),
                    ("15:00", "Exit",
                     "To spørgsmål: \u201dNår jeg tænker på de to kursusgange, tænker jeg …\u201d og "
                     "\u201dI den nærmeste fremtid vil jeg … sammen med …\u201d"),
                    ("15:30", "Tak for denne gang", ""),
                ),  # fmt: skip
                materials=[
                    self.material(self.doc_process),
                    self.material(self.doc_landscape),
                    self.material(self.doc_template),
                ],
            ),
        ]  # fmt: skip

    def school_course(self, slug: str, title: str, az_day: dt.date):
        sessions = self.school_course_sessions(az_day)
        first, last = sessions[0], sessions[-1]
        return self.page(
            self.school, CoursePage, slug, title=title,
            themes=["Skolesamarbejde", "Kompetenceudvikling", "Samarbejde"],
            intro="Et forløb for bibliotekets personale om egne kompetencer i samarbejdet med skolen.",
            body=_body(
                "Forløbet består af en A-Z-konference, et interview, to kursusgange og et eksperiment "
                "imellem dem. Du går hjem med et lokalt kompetencelandskab og idéer til nye samarbejder.",
            ),
            start=_at(first.date, "10:00"), end=_at(last.date, "15:30"),
            audience=Audience.STAFF, attendance_mode=AttendanceMode.ON_SITE,
            organiser=self.db, contact_person=self.school_consultant, sessions=sessions,
            materials=[self.material(self.doc_process), self.material(self.doc_landscape),
                       self.material(self.doc_template)],
        )  # fmt: skip

    def load_school_course(self):
        self.school_course_2016 = self.school_course(
            "saet-spot-paa-kompetencerne-2016", "Sæt spot på kompetencerne", dt.date(2016, 2, 4)
        )
        self.school_course_next = self.school_course(
            "saet-spot-paa-kompetencerne-naeste-hold",
            "Sæt spot på kompetencerne – nyt hold",
            self.today + dt.timedelta(days=21),
        )

    # --- Effort 2: kompetenceforløb for bibliotekspersonale ----------------------------------------------------

    def staff_course(self, slug: str, title: str, day1: dt.date, intro: str):
        aarhus = Municipality.objects.get(name="Aarhus")
        day2 = day1 + dt.timedelta(days=35)
        place = {"venue_name": "Dokk1", "city": "Aarhus", "postcode": "8000", "municipality": aarhus}
        sessions = [
            CourseSession(
                kind=CourseDayKind.COURSE_DAY, title="Kursusgang 1: Biblioteket i lokalsamfundet", date=day1,
                start_time=_t("09:30"), end_time=_t("15:30"), **place,
                goals="<ul><li>Kende bibliotekets rolle som lokalt forankret kultur- og læringssted.</li>"
                "<li>Kortlægge egne og kollegers kompetencer.</li></ul>",
                programme=_programme(
                    ("09:30", "Ankomst og morgenmad", ""),
                    ("10:00", "Folkelig forankring", "Oplæg: hvordan bliver biblioteket borgernes eget?"),
                    ("11:15", "Kompetencekortet", "Øvelse i grupper."),
                    ("12:15", "Frokost", ""),
                    ("13:00", "Cases fra certificeringsbibliotekerne", "Erfaringer fra forløbets første runde."),
                    ("14:30", "Hjemmeopgave", "Vælg en borgergruppe, I vil nå bedre."),
                    ("15:30", "Tak for i dag", ""),
                ),
            ),
            CourseSession(
                kind=CourseDayKind.ACTIVITY, title="Hjemmeopgave", date=day1 + dt.timedelta(days=1),
                end_date=day2 - dt.timedelta(days=1),
                description="<p>Afprøv en ny aktivitet for den borgergruppe, du valgte, og saml erfaringerne.</p>",
            ),
            CourseSession(
                kind=CourseDayKind.COURSE_DAY, title="Kursusgang 2: Formidling og samarbejde", date=day2,
                start_time=_t("09:30"), end_time=_t("15:30"), **place,
                goals="<ul><li>Dele erfaringerne fra hjemmeopgaven.</li>"
                "<li>Lægge en plan for næste skridt på eget bibliotek.</li></ul>",
                programme=_programme(
                    ("09:30", "Ankomst", ""),
                    ("10:00", "Erfaringer fra hjemmeopgaven", "Runder i små grupper."),
                    ("11:30", "Formidling der rammer", "Oplæg og øvelse."),
                    ("12:15", "Frokost", ""),
                    ("13:00", "Min plan", "Næste skridt på eget bibliotek."),
                    ("14:45", "Afslutning", ""),
                ),
            ),
        ]  # fmt: skip
        tracks = [
            OfferingTrack(name="Medarbejderspor", description="Forløbet for bibliotekets medarbejdere."),
            OfferingTrack(
                name="Lederspor",
                description="For ledere: et ekstra modul om at lede kompetenceudvikling og forandring.",
                for_leaders=True,
            ),
        ]
        return self.page(
            self.staff, CoursePage, slug, title=title,
            themes=["Kompetenceudvikling", "Ledelse", "Formidling"], intro=intro,
            body=_body("Forløbet har to kursusgange med en hjemmeopgave imellem. Ledere kan følge et særligt spor."),
            start=_at(day1, "09:30"), end=_at(day2, "14:45"), audience=Audience.ALL,
            organiser=self.db, contact_person=self.db_coordinator, sessions=sessions, tracks=tracks,
        )  # fmt: skip

    def load_staff_courses(self):
        self.staff_course(
            "kompetenceforloeb-certificeringsbiblioteker-efteraar-2022",
            "Kompetenceforløb for certificeringsbibliotekerne, efterår 2022",
            dt.date(2022, 9, 20),
            "Forløbets første runde for certificeringsbibliotekerne og andre, der vil være med fra starten.",
        )
        self.staff_course(
            "kompetenceforloeb-foraar-2023",
            "Kompetenceforløb for bibliotekspersonale, forår 2023",
            dt.date(2023, 3, 14),
            "Forløbet udbudt til resten af landets biblioteker i foråret 2023.",
        )
        self.staff_course(
            "kompetenceforloeb-efteraar-2023",
            "Kompetenceforløb for bibliotekspersonale, efterår 2023",
            dt.date(2023, 9, 19),
            "Forløbet udbudt til resten af landets biblioteker i efteråret 2023.",
        )
        self.staff_course_next = self.staff_course(
            "kompetenceforloeb-nyt-hold",
            "Kompetenceforløb for bibliotekspersonale – nyt hold",
            self.today + dt.timedelta(days=42),
            "Næste runde af kompetenceforløbet, åben for alle landets biblioteker.",
        )

    # --- DB2030: events, webinars, working group --------------------------------------------------------------

    def load_db2030(self):
        herning = Municipality.objects.get(name="Herning")
        ballerup = Municipality.objects.get(name="Ballerup")
        herning_day = self.page(
            self.db2030, EventPage, "inspirationsdag-herning-2022", title="Inspirationsdag om verdensmålene i Herning",
            themes=["Verdensmål", "Formidling", "Videndeling"],
            intro="Hvordan formidler biblioteket FN's verdensmål, og hvordan kommer man i gang?",
            body=_body("Herning Bibliotekerne var vært for en dag med delte erfaringer og konkrete idéer til "
                       "arbejdet med verdensmålene."),
            start=_at(dt.date(2022, 3, 23), "09:30"), end=_at(dt.date(2022, 3, 23), "15:30"),
            venue_name="Herning Bibliotekerne, Hovedbiblioteket", city="Herning", postcode="7400",
            municipality=herning, attendance_mode=AttendanceMode.ON_SITE, audience=Audience.ALL,
            organiser=self.ki, contact_person=self.ki_coordinator,
            programme=_programme(
                ("09:30", "Ankomst og kaffe", ""),
                ("10:00", "Velkommen til Herning", "Værterne fortæller om bibliotekets arbejde med målene."),
                ("10:30", "Sådan kommer I i gang", "Oplæg om at formidle verdensmålene."),
                ("11:30", "Idébørs", "Biblioteker viser, hvad de har gjort."),
                ("12:30", "Frokost", ""),
                ("13:15", "Værksteder", "Vælg mellem udstillinger, arrangementer og samarbejde med skoler."),
                ("14:45", "Fælles opsamling", "Hvad tager du med hjem?"),
                ("15:30", "Tak for i dag", ""),
            ),
        )  # fmt: skip
        festival = self.page(
            self.db2030, EventPage, "vidensfestival-ballerup-2022", title="Vidensfestival i Ballerup",
            themes=["Verdensmål", "Bæredygtighed", "Videndeling"],
            intro="En festival for viden om bæredygtighed, hvor biblioteker, forskere og borgere mødtes.",
            start=_at(dt.date(2022, 9, 29), "10:00"), end=_at(dt.date(2022, 9, 29), "16:00"),
            venue_name="Ballerup Bibliotek", city="Ballerup", postcode="2750", municipality=ballerup,
            attendance_mode=AttendanceMode.ON_SITE, audience=Audience.ALL, organiser=self.ki,
            contact_person=self.ki_coordinator,
            programme=_programme(
                ("10:00", "Åbning", ""),
                ("10:30", "Korte oplæg om verdensmålene i praksis", ""),
                ("12:00", "Frokost og stande", ""),
                ("13:00", "Samtaler med forskere og borgere", ""),
                ("15:30", "Afslutning", ""),
            ),
        )  # fmt: skip
        next_day = self.today + dt.timedelta(days=49)
        self.inspiration_next = self.page(
            self.db2030, EventPage, "inspirationsdag-verdensmaal-naeste", title="Inspirationsdag: fra idé til handling",
            themes=["Verdensmål", "Bæredygtighed", "Samarbejde"],
            intro="En ny inspirationsdag om at omsætte verdensmålene til aktiviteter på biblioteket.",
            start=_at(next_day, "09:30"), end=_at(next_day, "15:30"),
            venue_name="Herning Bibliotekerne, Hovedbiblioteket", city="Herning", postcode="7400",
            municipality=herning, attendance_mode=AttendanceMode.HYBRID,
            online_url="https://example.org/moede/inspirationsdag", audience=Audience.ALL,
            organiser=self.ki, contact_person=self.ki_coordinator,
            programme=_programme(
                ("09:30", "Ankomst", ""),
                ("10:00", "Fra idé til handling", "Oplæg og eksempler."),
                ("12:00", "Frokost", ""),
                ("12:45", "Værksteder", ""),
                ("15:00", "Opsamling", ""),
            ),
        )  # fmt: skip
        festival_day = self.today + dt.timedelta(days=90)
        self.festival_next = self.page(
            self.db2030, EventPage, "vidensfestival-naeste", title="Vidensfestival om bæredygtighed",
            themes=["Bæredygtighed", "Verdensmål", "Citizen science"],
            intro="To dage med viden, værksteder og citizen science-projekter for biblioteker og borgere.",
            start=_at(festival_day, "10:00"), end=_at(festival_day + dt.timedelta(days=1), "16:00"),
            venue_name="Ballerup Bibliotek", city="Ballerup", postcode="2750", municipality=ballerup,
            attendance_mode=AttendanceMode.ON_SITE, audience=Audience.ALL, organiser=self.ki,
            contact_person=self.ki_coordinator,
        )  # fmt: skip
        cancelled_day = self.today + dt.timedelta(days=30)
        self.page(
            self.db2030, EventPage, "netvaerksmoede-tovholdere", title="Netværksmøde for tovholdere",
            themes=["Videndeling", "Samarbejde"],
            intro="Online møde for bibliotekernes tovholdere på verdensmålene. Mødet er aflyst.",
            start=_at(cancelled_day, "13:00"), end=_at(cancelled_day, "14:30"),
            attendance_mode=AttendanceMode.ONLINE, online_url="https://example.org/moede/tovholdere",
            audience=Audience.KEY_PEOPLE, organiser=self.ki, contact_person=self.ki_coordinator,
            status=Status.CANCELLED,
        )  # fmt: skip

        webinars = [
            ("citizen-science", "Citizen science og verdensmålene", dt.date(2022, 5, 10),
             ["Citizen science", "Verdensmål"], "citizen",
             "Hvad er citizen science, hvordan bruger man det som arbejdsmetode i projekter om verdensmålene, "
             "og hvordan kan et folkebibliotek være med?",
             "Webinaret forklarer citizen science, hvor borgere samler data og deltager i forskning. Vi ser på, "
             "hvordan metoden kan bruges i bibliotekets projekter om verdensmålene, og på hvordan et "
             "folkebibliotek kan blive partner i et forskningsprojekt."),
            ("design-thinking", "Design thinking med et bæredygtigt lag", dt.date(2022, 9, 13),
             ["Design thinking", "Bæredygtighed", "Verdensmål"], "design",
             "Bæredygtighed som en del af designprocessen, og værktøjet Design Quest.",
             "Webinaret viser, hvordan man tænker bæredygtighed ind i designudvikling af bibliotekets tilbud. "
             "Oplægsholderen gennemgår værktøjet Design Quest trin for trin."),
            ("psykologiske-faktorer", "Psykologiske faktorer: trivsel, motivation og adfærd", dt.date(2022, 11, 8),
             ["Trivsel og motivation", "Verdensmål"], "trivsel",
             "Hvordan trivsel, motivation og adfærd spiller ind i bibliotekernes arbejde med verdensmålene.",
             ""),  # its transcript comes from its captions (PSYCHOLOGY_CAPTIONS)
        ]  # fmt: skip
        past_webinars = []
        for slug, title, day, themes, presenter, intro, transcript in webinars:
            webinar = self.page(
                self.db2030, WebinarPage, f"webinar-{slug}", title=title, themes=themes, intro=intro,
                start=_at(day, "14:00"), duration=60, organiser=self.fki, contact_person=self.ki_coordinator,
                join_url=f"https://example.org/webinar/{slug}",
                recording_url=f"https://example.org/optagelser/{slug}", transcript=transcript,
                captions=PSYCHOLOGY_CAPTIONS if slug == "psykologiske-faktorer" else "",
                presenters=[WebinarPresenter(person=self.fki_presenters[presenter], topic=title)],
            )  # fmt: skip
            past_webinars.append(webinar)
        upcoming_webinar_day = self.today + dt.timedelta(days=14)
        self.webinar_next = self.page(
            self.db2030, WebinarPage, "webinar-verdensmaal-i-boernebiblioteket",
            title="Verdensmål i børnebiblioteket", themes=["Verdensmål", "Formidling"],
            intro="Sådan formidler du verdensmålene til børn og familier.",
            start=_at(upcoming_webinar_day, "14:00"), duration=60, organiser=self.fki,
            contact_person=self.ki_coordinator, join_url="https://example.org/webinar/boernebiblioteket",
            presenters=[WebinarPresenter(person=self.fki_presenters["design"], topic="Formidling for børn")],
        )  # fmt: skip

        group = self.page(
            self.db2030, WorkingGroupPage, "arbejdsgruppen-db2030", title="Arbejdsgruppen under DB2030",
            themes=["Verdensmål", "Kompetenceudvikling", "Videndeling"],
            intro="Fire medlemmer fra biblioteker og biblioteksorganisationer udvikler et fælles kompetenceforløb.",
            purpose="<p>Gruppen udvikler løbende et kompetenceforløb for bibliotekerne med fælles fokus på FN's "
            "verdensmål. Målet er viden, engagement og værktøjer til arbejdet med målene, og mere videndeling og "
            "samarbejde mellem bibliotekerne.</p>",
            organiser=self.ki, contact_person=self.ki_coordinator,
            members=[WorkingGroupMember(person=person, role=role) for person, role in self.wg_members],
            related_offerings=[
                WorkingGroupRelatedOffering(offering=page) for page in [herning_day, festival, *past_webinars]
            ],
            documents=[self.material(self.doc_mandate)],
        )  # fmt: skip
        self.db2030_group = group

    def load_about_pages(self):
        for slug, title, intro, text in [
            ("om-netvaerket", gettext_noop("Om netværket"),
             "Netværket samler kompetenceudvikling for landets folkebiblioteker ét sted.",
             "Her finder bibliotekerne kurser, arrangementer, webinarer og arbejdsgrupper fra flere organisationer."),
            ("privatlivspolitik", gettext_noop("Privatlivspolitik"), "Sådan behandler vi personoplysninger.",
             "Vi gemmer kun de oplysninger, der skal til for at håndtere en tilmelding, og sletter dem igen, "
             "når de ikke længere er nødvendige."),
        ]:  # fmt: skip
            self.page(self.home, StandardPage, slug, title=title, intro=intro, body=_body(text))
        self.page(self.home, about.MODEL, "tilgaengelighedserklaering", **about.statement_fields(timezone.localdate()))

    def load_groups_and_users(self):
        coordinator_group_ensure(
            name=DEMO_COORDINATORS["koordinator-db"], sections=[self.db, self.school, self.staff],
            collections=[self.collections[self.db.pk]],
        )  # fmt: skip
        coordinator_group_ensure(
            name=DEMO_COORDINATORS["koordinator-ki"], sections=[self.ki, self.db2030],
            collections=[self.collections[self.ki.pk]],
        )  # fmt: skip
        personal_data_group_ensure()
        User = get_user_model()
        if not User.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
            User.objects.create_superuser(DEMO_ADMIN_USERNAME, "admin@example.org", DEMO_PASSWORD)
            self.report.note(True)
        users = [(username, group, "Koordinator") for username, group in DEMO_COORDINATORS.items()]
        users += [(username, group, "Persondataansvarlig") for username, group in DEMO_PERSONAL_DATA_USERS.items()]
        for username, group_name, first_name in users:
            if not User.objects.filter(username=username).exists():
                user = User.objects.create_user(
                    username, f"{username}@example.org", DEMO_PASSWORD, first_name=first_name
                )
                user.groups.add(*type(user).groups.field.related_model.objects.filter(name=group_name))
                self.report.note(True)

    # --- Registration: settings on the upcoming offerings, and a few made-up registrations ------------------------

    def open_registration(self, offering, *, rounds=(), **settings):
        """Turn registration on for an offering (once; a coordinator's later changes are left alone)."""
        if offering.registration_enabled:
            return offering
        for field, value in {"registration_enabled": True, **settings}.items():
            setattr(offering, field, value)
        offering.registration_rounds = [
            EligibilityRound(library_group=group, opens_at=opens_at) for group, opens_at in rounds
        ]
        offering.save_revision().publish()
        self.report.note(True)
        return offering

    def load_registrations(self):
        now = timezone.now()
        certified = LibraryGroup.objects.get(slug="certificeringsbiblioteker")
        start = self.school_course_next.start
        self.open_registration(
            self.school_course_next, capacity=24, max_per_library=4, waiting_list=True,
            registration_closes=start - dt.timedelta(days=7), change_deadline=start - dt.timedelta(days=3),
        )  # fmt: skip
        # The certification libraries first, then every library a week later (issue: eligibility rounds).
        self.open_registration(
            self.staff_course_next, capacity=30, waiting_list=True,
            rounds=[(certified, now - dt.timedelta(days=1)), (None, now + dt.timedelta(days=7))],
        )  # fmt: skip
        self.open_registration(self.inspiration_next, capacity=60, max_per_library=5, waiting_list=True)
        self.open_registration(self.festival_next, capacity=8, waiting_list=True)
        self.open_registration(self.webinar_next, capacity=None, waiting_list=False)
        self.load_past_participation()
        # Made-up colleagues from two libraries fill the festival, so its waiting list shows.
        if not Registration.objects.filter(offering=self.festival_next).exists():
            for library_name, count in (("Herning", 5), ("Ballerup", 5)):
                library = Library.objects.get(municipality__name=library_name)
                slug = library_name.lower()
                registration_create(
                    offering=self.festival_next,
                    library=library,
                    contact_name=f"Kontaktperson, {library.name}",
                    contact_email=f"kontakt.{slug}@example.org",
                    participants=[
                        ParticipantData(f"Medarbejder {i}, {library.name}", f"medarbejder{i}.{slug}@example.org")
                        for i in range(1, count + 1)
                    ],
                    consent=True,
                    contact_confirmed=True,
                )
                self.report.note(True)

    def load_past_participation(self):
        """Who took part in past offerings, as the records look after the retention period: anonymised, counted.

        Gives the coordinators' dashboard and the libraries' competency landscapes something to show.
        """
        past = list(OfferingPage.objects.filter(end__lt=timezone.now(), registration_enabled=False).order_by("start"))
        if not past or Registration.objects.filter(offering__in=past).exists():
            return
        libraries = list(
            Library.objects.filter(
                municipality__name__in=["Herning", "Ballerup", "Aarhus", "Odense", "Aalborg", "Roskilde", "Vejle"]
            ).order_by("name")
        )
        for n, offering in enumerate(past):
            for k, library in enumerate(libraries):
                count = (n + k) % 4  # 0 to 3 colleagues, varying by offering and library
                if not count:
                    continue
                registration = Registration.objects.create(
                    offering=offering, library=library, contact_name="Anonymiseret", contact_email="",
                    consent_at=offering.start, privacy_notice_version="2022-01", created_at=offering.start,
                    anonymised_at=timezone.now(),
                )  # fmt: skip
                made = Participant.objects.bulk_create(
                    Participant(
                        registration=registration,
                        offering=offering,
                        name="Anonymiseret",
                        status="confirmed",
                        queued_at=offering.start,
                        confirmed_at=offering.start,
                        anonymised_at=timezone.now(),
                    )  # fmt: skip
                    for _ in range(count)
                )
                tally_change(participants=made, delta=1)  # past the services: the dashboard's tally, as they keep it
                self.report.note(True)


def demo_load(*, today: dt.date | None = None) -> DemoReport:
    """Load the demo; returns how many objects were created (0 on a second run)."""
    return DemoLoader(today=today).load()
