"""A course certificate as a PDF, drawn by WeasyPrint from a Django template, and the addresses that show it."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from events.models import CoursePage, CourseSession
from network.models import Theme

from .models import Certificate
from .selectors import course_days
from .values import site_root


@dataclass(frozen=True)
class CertificateContent:
    """What a certificate says, besides its holder: the course, its days and hours, themes and goals."""

    course: CoursePage
    days: list[CourseSession]
    hours: float
    themes: list[Theme]
    organiser: str


def verify_url(certificate: Certificate) -> str:
    return site_root() + reverse("certificate_verify", args=[certificate.code])


def pdf_url(certificate: Certificate) -> str:
    return site_root() + reverse("certificate_pdf", args=[certificate.code])


def certificate_content(course: CoursePage) -> CertificateContent:
    """The course's part of a certificate (the same for each of its participants), in three queries."""
    days = course_days(course=course)
    seconds = sum(
        (day.ends_at() - day.starts_at()).total_seconds() for day in days if day.starts_at() and day.ends_at()
    )
    organiser = course.organiser.title if course.organiser_id else ""
    return CertificateContent(course, days, round(seconds / 3600, 1), list(course.themes.order_by("name")), organiser)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as PDF bytes, in the holder's language."""
    # Imported here: WeasyPrint loads Pango when imported, which only the certificate pages and e-mails need.
    from weasyprint import HTML  # noqa: PLC0415

    content = certificate_content(CoursePage.objects.get(pk=certificate.offering_id))
    with translation.override(certificate.language or settings.LANGUAGE_CODE):
        html = render_to_string(
            "registration/certificate_pdf.html",
            {
                "certificate": certificate,
                "content": content,
                "verify_url": verify_url(certificate),
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )
    return HTML(string=html, base_url=site_root()).write_pdf()


def certificate_attachment(certificate: Certificate) -> dict:
    """The PDF as an outbox attachment (stored as text in the message's row until it is sent)."""
    return {
        "filename": f"kursusbevis-{certificate.offering.slug}.pdf",
        "content": base64.b64encode(certificate_pdf(certificate)).decode(),
        "encoding": "base64",
        "mimetype": "application/pdf",
    }
