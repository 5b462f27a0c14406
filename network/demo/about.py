"""The demo's accessibility statement: plain Danish, in the parts of Digitaliseringsstyrelsen's format."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_noop

from network.models import AccessibilityStatementPage, Compliance

STATEMENT = {
    "title": gettext_noop("Tilgængelighedserklæring"),
    "intro": "Vi vil gerne have, at alle kan bruge sitet, også med skærmlæser, forstørrelse eller kun tastatur.",
    "compliance": Compliance.PARTIAL,
    "shortcomings": (
        "<ul><li>Kortet over kompetencelandskabet er et billede af tal: tabellen under det viser de samme tal.</li>"
        "<li>Optagelser af tidligere webinarer ligger hos en anden tjeneste og har ikke altid undertekster.</li>"
        "<li>Dokumenter fra arrangørerne (slides og pdf-filer) er ikke alle gjort tilgængelige.</li></ul>"
    ),
    "method": (
        "<p>Hver side bliver testet automatisk med axe i en rigtig browser, både på dansk og engelsk, og fire sider "
        "bliver målt med Lighthouse. Vi har også prøvet tilmeldingen med kun tastatur og med 390 pixel skærmbredde. "
        "Automatiske test finder ikke alle fejl, så vi tager gerne imod beskeder.</p>"
    ),
    "feedback": (
        "<p>Mangler du noget, eller kan du ikke bruge en del af sitet, så skriv til os. Vi svarer inden for ti "
        "arbejdsdage og kan sende indholdet i en anden form.</p>"
    ),
    "contact_email": "kontakt@example.org",
}


def statement_fields(today: dt.date) -> dict:
    return {**STATEMENT, "published_on": today, "reviewed_on": today}


MODEL = AccessibilityStatementPage
