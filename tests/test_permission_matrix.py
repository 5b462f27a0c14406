"""The permission matrix: every admin URL (read from the URLconf) × every organisation's offering, person, e-mail,
document and image. A coordinator of another organisation gets nothing of it; the own coordinator and the group
"Persondataansvarlig" get what they should. A URL added later is requested too, or the test asks to classify it."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

import pytest

from events.registration.models import (
    CoordinatorMessage,
    OutboxMessage,
    OutboxStatus,
    Participant,
    RegistrationLogEntry,
)
from events.registration.values import ParticipantData
from network.models import Library
from network.services import coordinator_group_ensure, organisation_collection_ensure, personal_data_group_ensure
from tests.events.factories import CoursePageFactory, CourseSessionFactory
from tests.events.registration.conftest import make_user, register
from tests.network.factories import DocumentFactory, ImageFactory, OrganisationPageFactory

# Wagtail's admin thumbnails leave their temporary files to the garbage collector (a ResourceWarning, unraisable).
pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]

ORGANISATIONS = [("db", "Danmarks Biblioteksforening"), ("ki", "Kultur og Information"), ("fki", "FKI")]

# URLs that take no object of an organisation, with why; a new one with arguments must be added here or below.
NOT_ABOUT_AN_ORGANISATION = {
    "wagtailusers_users": "users: only administrators",
    "wagtailusers_groups": "groups: only administrators",
    "wagtailsites": "sites: only administrators",
    "wagtailredirects": "redirects: only administrators",
    "wagtailsettings": "site settings: only administrators",
    "wagtailadmin_workflows": "workflows and tasks, and a page's workflow: only administrators",
    "wagtailsnippets_network_": "snippets: themes, libraries, people, municipalities, the shared vocabulary",
    "wagtailsnippetchoosers_network_": "snippet choosers: the shared vocabulary, chosen from by every coordinator",
    "wagtailadmin_tag_model_autocomplete": "tag names",
    "wagtailadmin_pages:type_use": "which page types are in use: counts of types",
    "wagtailadmin_pages:type_use_results": "which page types are in use: counts of types",
    "wagtailadmin_pages:choose_parent": "where a new page of a type may go: the user's own sections",
    "wagtailadmin_password_reset_confirm": "a password reset link",
    "wagtailadmin_editing_sessions:release": "the user's own editing session",
    "wagtaildocs:create_multiple_from_uploaded_document": "the user's own upload",
    "wagtaildocs:delete_upload_multiple": "the user's own upload",
    "wagtailimages:create_multiple_from_uploaded_image": "the user's own upload",
    "wagtailimages:delete_upload_multiple": "the user's own upload",
}
# Not requested at all, with why.
SKIPPED = {
    "wagtailadmin_logout": "logs the user out",
    "wagtailadmin_error_test": "raises an error on purpose",
    "wagtailadmin_api:pages:action": "requested below with each action as a POST",
    "wagtail_bulk_action": "requested below with each bulk action on pages, documents and images",
}
# Object URLs that another organisation's coordinator may open by design: nothing private, nothing changes.
ALLOWED_TO_OPEN = {
    "wagtailadmin_explore": "page titles below a section, as the public site lists them",
    "wagtailadmin_explore_results": "page titles below a section, as the public site lists them",
    "wagtailadmin_choose_page_child": "the page chooser: every coordinator may link to any page",
    "wagtailadmin_api:pages:detail": "the page chooser's API: published content",
    "wagtailadmin_api:documents:detail": "every coordinator may choose any document",
    "wagtailadmin_api:images:detail": "every coordinator may choose any image",
    "wagtaildocs_chooser:chosen": "every coordinator may choose any document",
    "wagtailimages_chooser:chosen": "every coordinator may choose any image",
    "wagtailimages_chooser:select_format": "every coordinator may choose any image",
    "wagtailimages:preview": "a rendition of an image every coordinator may choose",
    "registration_admin:landscape": "a library's figures: aggregates stay network-wide",
    "wagtailadmin_pages:confirm_workflow_cancellation": "whether a workflow would be cancelled: none here",
}
# The project's own views without arguments, with what else to ask of them for the organisation `org`.
OWN_QUERIES = {
    "registration_admin:overview": lambda org: [("get", {}), ("get", {"start_from": "2000-01-01"})],
    "registration_admin:person": lambda org: [
        ("get", {"email": org.email}),
        ("post", {"email": org.email, "action": "export"}),
        ("post", {"email": org.email, "action": "erase", "confirm": "1"}),
    ],
    "registration_admin:landscapes": lambda org: [("get", {})],
    "registration_admin:funders": lambda org: [("get", {})],
    "registration_admin:outbox_retry": lambda org: [("post", {"ids": [org.message.pk]})],
    "udbakke:index": lambda org: [("get", {}), ("get", {"q": org.email}), ("get", {"status": "failed"})],
    "udbakke:index_results": lambda org: [("get", {"q": org.email})],
    "udbakke:add": lambda org: [("get", {}), ("post", {"subject": "x", "to_email": org.email})],
}
OWN_NAMESPACES = ("registration_admin:", "udbakke:")
# Object URLs that change something, with a valid POST besides the generic one: it must be turned away all the same.
VALID_POSTS = {
    "registration_admin:add": lambda org: {
        "library": org.confirmed.registration.library_id,
        "contact_name": "Fremmed",
        "contact_email": "fremmed@example.org",
        "name": "Fremmed Deltager",
        "email": "fremmed.deltager@example.org",
        "informed": "on",
    },
    "registration_admin:message": lambda org: {
        "audience": "all",
        "subject": "Fra en fremmed",
        "text": "Hej",
        "action": "send",
    },
}
BULK_ACTIONS = {
    ("wagtailcore", "page"): ["delete", "unpublish", "move", "publish"],
    ("wagtaildocs", "document"): ["delete", "add_to_collection", "add_tags"],
    ("wagtailimages", "image"): ["delete", "add_to_collection", "add_tags"],
}
PAGE_API_ACTIONS = ["copy", "move", "delete", "publish", "unpublish", "convert_alias", "copy_for_translation"]


def admin_patterns():
    """(namespaced name, pattern) of every URL below /admin/, as the URLconf has them."""

    def walk(patterns, prefix, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                yield ":".join((*namespaces, pattern.name or prefix + str(pattern.pattern))), prefix, pattern

    for name, prefix, pattern in walk(get_resolver().url_patterns, "", ()):
        if prefix.startswith("admin/"):
            yield name, prefix, pattern


def arguments(pattern: URLPattern) -> list[str]:
    return list(getattr(pattern.pattern, "converters", {}) or pattern.pattern.regex.groupindex)


def classified(name: str, table: dict) -> str | None:
    return next((why for key, why in table.items() if name == key or name.startswith(key)), None)


class Organisation:
    """One organisation with its coordinator, a course with a confirmed and a waiting participant (their names,
    e-mails and needs are what must not leak), a failed e-mail, a document and an image in its collection."""

    def __init__(self, short: str, title: str, index, library):
        self.short = short
        self.page = OrganisationPageFactory(parent=index, title=title, short_name=short.upper())
        self.collection = organisation_collection_ensure(organisation=self.page)
        group = coordinator_group_ensure(
            name=f"Koordinatorer – {title}", sections=[self.page], collections=[self.collection]
        )
        self.coordinator = make_user(f"koordinator-{short}", group)
        start = timezone.localdate() + dt.timedelta(days=20)
        self.offering = CoursePageFactory(
            parent=self.page,
            title=f"Kursus hos {title}",
            start=timezone.now() + dt.timedelta(days=20),
            end=timezone.now() + dt.timedelta(days=50),
            registration_enabled=True,
            capacity=1,
            waiting_list=True,
            sessions=[CourseSessionFactory.build(title="Kursusgang 1", date=start)],
        )
        self.email = f"deltager.{short}@example.org"
        result = register(
            self.offering,
            library,
            [
                ParticipantData(f"Fortrolig {short.upper()} Et", self.email, needs=f"Glutenallergi {short.upper()}"),
                ParticipantData(f"Fortrolig {short.upper()} To", f"venter.{short}@example.org"),
            ],
            contact_email=f"kontakt.{short}@example.org",
        )
        self.confirmed, self.waiting = result.confirmed[0], result.waiting[0]
        self.message = OutboxMessage.objects.filter(registration__offering=self.offering).first()
        OutboxMessage.objects.filter(pk=self.message.pk).update(status=OutboxStatus.FAILED, last_error="SMTP nede")
        self.document = DocumentFactory(title=f"Kommissorium {short.upper()}", collection=self.collection)
        self.image = ImageFactory(title=f"Billede {short.upper()}", collection=self.collection)
        self.secrets = [
            f"Fortrolig {short.upper()}",
            self.email,
            f"venter.{short}@example.org",
            f"kontakt.{short}@example.org",
            f"Glutenallergi {short.upper()}",
        ]

    def fill(self, name: str, argument: str) -> str:
        """The value of a URL's argument that points at this organisation's object."""
        if argument in ("page_id", "parent_page_id", "page_to_move_id", "page_pk", "object_id"):
            return str(self.offering.pk)
        if argument == "pk":
            if name.startswith("udbakke:"):
                return str(self.message.pk)
            if "documents" in name or name.startswith("wagtaildocs"):
                return str(self.document.pk)
            if "images" in name or name.startswith("wagtailimages"):
                return str(self.image.pk)
            if name.startswith("wagtailadmin_collections"):
                return str(self.collection.pk)
            return str(self.offering.pk)
        values = {
            "participant_id": self.waiting.pk,
            "document_id": self.document.pk,
            "doc_id": self.document.pk,
            "image_id": self.image.pk,
            "collection_id": self.collection.pk,
            "library_id": self.confirmed.registration.library_id,
            "revision_id": self.offering.latest_revision_id,
            "revision_id_a": "earliest",
            "revision_id_b": "latest",
            "destination_id": self.page.pk,
            "filter_spec": "original",
            "action_name": "approve",
            "task_state_id": 1,
            "task_id": 1,
            "workflow_state_id": 1,
            "workflow_pk": 1,
            "session_id": 1,
            # The organisation's section stands in for an initiative: another coordinator's report of it is refused
            # as any page outside their scope is (the report's own scope tests: test_funders_admin).
            "initiative_id": self.page.pk,
            "experiment_id": 1,  # the offering decides: another organisation's is refused before any experiment
            "content_type_app_name": "events",
            "content_type_model_name": "eventpage",
            "app_label": "wagtailcore",
            "model_name": "page",
        }
        return str(values[argument])

    def state(self):
        """What another organisation's coordinator must not change."""
        page = Page.objects.get(pk=self.offering.pk)
        return (
            list(Participant.objects.filter(offering=self.offering).values_list("pk", "name", "email", "status")),
            list(OutboxMessage.objects.filter(pk=self.message.pk).values_list("status", "attempts", "to_email")),
            RegistrationLogEntry.objects.filter(registration__offering=self.offering).count(),
            CoordinatorMessage.objects.filter(offering=self.offering).count(),
            OutboxMessage.objects.filter(registration__offering=self.offering).count(),
            (page.title, page.live, page.path, page.latest_revision_id, page.locked, page.alias_of_id),
            Page.objects.filter(depth__gt=1).count(),
            list(get_document_model().objects.filter(pk=self.document.pk).values_list("title", "collection_id")),
            list(get_image_model().objects.filter(pk=self.image.pk).values_list("title", "collection_id")),
            [(c.name, c.path) for c in type(self.collection).objects.filter(pk=self.collection.pk)],
        )


@pytest.fixture
def organisations(organisation_index):
    library = Library.objects.get(municipality__name="Herning")
    return [Organisation(short, title, organisation_index, library) for short, title in ORGANISATIONS]


def build_url(prefix: str, pattern: URLPattern, values: dict[str, str]) -> str:
    """The path of `pattern` with `values`, built from the route or regex as written (no reverse: some share names)."""
    text = str(pattern.pattern)
    if isinstance(pattern.pattern, RoutePattern):
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], text)
    else:
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m[1]], text).lstrip("^").rstrip("$").replace("\\.", ".")
    return "/" + prefix.replace("^", "").replace("$", "") + path


def requests_for(org: Organisation):
    """Every request of the matrix for `org`: (URL name, method, path, data, must be turned away)."""
    unclassified = []
    for name, prefix, pattern in admin_patterns():
        args = arguments(pattern)
        if classified(name, SKIPPED) or name.endswith("^.*/$"):
            continue
        if not args:
            own = name.startswith(OWN_NAMESPACES)
            if own and name not in OWN_QUERIES:
                unclassified.append(name)
                continue
            queries = OWN_QUERIES[name](org) if own else [("get", {})]
            for method, data in queries:
                yield name, method, build_url(prefix, pattern, {}), data, False
            continue
        if classified(name, NOT_ABOUT_AN_ORGANISATION):
            continue
        try:
            path = build_url(prefix, pattern, {arg: org.fill(name, arg) for arg in args})
        except KeyError:
            unclassified.append(name)
            continue
        turned_away = not classified(name, ALLOWED_TO_OPEN)
        yield name, "get", path, {}, turned_away
        if name == "registration_admin:offering":
            yield name, "get", path, {"export": "csv"}, True
            yield name, "get", path, {"export": "xlsx"}, True
        yield name, "post", path, {"title": "Overtaget", "confirm": "1"}, turned_away
        if name in VALID_POSTS:
            yield name, "post", path, VALID_POSTS[name](org), True
    for (app_label, model_name), actions in BULK_ACTIONS.items():
        target = {"page": org.offering, "document": org.document, "image": org.image}[model_name]
        for action in actions:
            path = f"/admin/bulk/{app_label}/{model_name}/{action}/?id={target.pk}"
            yield "wagtail_bulk_action", "get", path, {}, False
            yield "wagtail_bulk_action", "post", path, {"collection": org.collection.pk, "tags": "x"}, False
    for action in PAGE_API_ACTIONS:
        path = f"/admin/api/main/pages/{org.offering.pk}/action/{action}/"
        yield "wagtailadmin_api:pages:action", "post", path, {}, True
    assert not unclassified, (
        f"Classify these admin URLs in {__name__}: what they show of an organisation and who may see it: "
        f"{sorted(set(unclassified))}"
    )


def turned_away(response) -> bool:
    """403, 404, 405, or Wagtail's redirect to the dashboard or the login; never the page itself."""
    if response.status_code == 302:
        return not response["Location"].startswith(response.request["PATH_INFO"])
    return response.status_code in (400, 403, 404, 405)


def test_a_coordinator_gets_nothing_of_another_organisation(organisations, capsys):
    urls, problems = set(), []
    cases = 0
    for n, org in enumerate(organisations):
        stranger = organisations[(n + 1) % len(organisations)].coordinator
        before = org.state()
        for name, method, path, data, must_turn_away in requests_for(org):
            # A client of its own for each request: no message of an earlier one, no logout carried over.
            client = Client(raise_request_exception=False)
            client.force_login(stranger)
            response = getattr(client, method)(path, data)
            body = b"".join(response) if response.streaming else response.content
            text = body.decode(errors="replace")
            where = f"{method.upper()} {path} {data} as {stranger.username}"
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
            asked = {str(value) for value in data.values()}  # what the user typed is shown back to them
            if leaked := [secret for secret in org.secrets if secret in text and secret not in asked]:
                problems.append(f"{where} shows {leaked} of {org.page.title}")
            if must_turn_away and not turned_away(response):
                problems.append(f"{where} gave {response.status_code}: it must be turned away")
            urls.add(name)
            cases += 1
        if org.state() != before:
            problems.append(f"{stranger.username} changed something of {org.page.title}")
    with capsys.disabled():
        print(
            f"\nPermission matrix: {len(urls)} admin URLs × {len(organisations)} organisations "
            f"({cases} requests as a coordinator of another organisation)"
        )
    assert not problems, "\n".join(problems)
    assert len(urls) > 100


def test_the_own_coordinator_gets_their_offering_people_outbox_and_files(
    organisations, django_capture_on_commit_callbacks
):
    for org in organisations:
        client = Client()
        client.force_login(org.coordinator)
        for path in (
            f"/admin/tilmeldinger/{org.offering.pk}/",
            f"/admin/tilmeldinger/{org.offering.pk}/?export=csv",
            f"/admin/tilmeldinger/udbakke/inspect/{org.message.pk}/",
        ):
            response = client.get(path)
            assert response.status_code == 200, path
            text = b"".join(response).decode() if response.streaming else response.text
            assert any(secret in text for secret in org.secrets), path
        assert (
            f"Glutenallergi {org.short.upper()}"
            in client.get("/admin/tilmeldinger/persondata/", {"email": org.email}).text
        )
        assert org.email in client.get("/admin/tilmeldinger/udbakke/").text
        assert client.get(f"/admin/pages/{org.offering.pk}/edit/").status_code == 200
        assert client.get(f"/admin/pages/{org.offering.pk}/move/{org.page.pk}/confirm/").status_code == 200
        assert client.get(f"/admin/documents/edit/{org.document.pk}/").status_code == 200
        assert client.get(f"/admin/images/{org.image.pk}/").status_code == 200
        response = client.post(
            f"/admin/documents/edit/{org.document.pk}/", {"title": "Nyt navn", "collection": org.collection.pk}
        )
        assert response.status_code == 302
        assert get_document_model().objects.get(pk=org.document.pk).title == "Nyt navn"
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/admin/tilmeldinger/udbakke-proev-igen/", {"ids": [org.message.pk]})
        assert OutboxMessage.objects.get(pk=org.message.pk).status == OutboxStatus.SENT


def test_every_coordinator_may_choose_every_document_and_image(organisations):
    client = Client()
    client.force_login(organisations[0].coordinator)
    documents = client.get("/admin/documents/chooser/").text
    images = client.get("/admin/images/chooser/").text
    for org in organisations:
        assert org.document.title in documents
        assert org.image.title in images


def test_the_personal_data_officer_gets_every_organisations_people_and_outbox_but_no_page_or_file(organisations):
    client = Client()
    client.force_login(make_user("persondata", personal_data_group_ensure()))
    overview = client.get("/admin/tilmeldinger/").text
    outbox = client.get("/admin/tilmeldinger/udbakke/").text
    for org in organisations:
        assert org.offering.title in overview
        assert org.email in outbox
        person = client.get("/admin/tilmeldinger/persondata/", {"email": org.email}).text
        assert f"Glutenallergi {org.short.upper()}" in person
        assert turned_away(client.get(f"/admin/tilmeldinger/{org.offering.pk}/"))
        assert turned_away(client.get(f"/admin/pages/{org.offering.pk}/edit/"))
        assert turned_away(client.get(f"/admin/documents/edit/{org.document.pk}/"))


def test_admin_pages_load_no_avatar_from_gravatar(organisations, admin_client):
    """Gravatar would get a hash of each coordinator's e-mail (WAGTAIL_GRAVATAR_PROVIDER_URL = None)."""
    org = organisations[0]
    coordinator = Client()
    coordinator.force_login(org.coordinator)
    pages = [
        (coordinator, "/admin/"),
        (coordinator, "/admin/account/"),
        (coordinator, f"/admin/pages/{org.offering.pk}/edit/"),
        (coordinator, f"/admin/pages/{org.offering.pk}/history/"),
        (admin_client, "/admin/users/"),
        (admin_client, "/admin/reports/site-history/"),
    ]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "gravatar" not in response.text.lower(), path
