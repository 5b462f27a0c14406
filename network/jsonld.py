"""schema.org JSON-LD for offering pages: Event, EducationEvent (course days) and Course."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

STATUS = {
    "planlagt": "https://schema.org/EventScheduled",
    "aflyst": "https://schema.org/EventCancelled",
    "udskudt": "https://schema.org/EventPostponed",
}
MODE = {
    "fysisk": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}

COURSE_MODE = {"fysisk": "onsite", "online": "online", "hybrid": "blended"}


def _iso(value) -> str:
    return timezone.localtime(value).isoformat()


def _place(obj) -> dict | None:
    if not getattr(obj, "venue_name", ""):
        return None
    address = {"@type": "PostalAddress", "addressCountry": "DK"}
    for key, attr in (("streetAddress", "address"), ("postalCode", "postcode"), ("addressLocality", "city")):
        if getattr(obj, attr, ""):
            address[key] = getattr(obj, attr)
    if getattr(obj, "municipality_id", None):
        address["addressRegion"] = obj.municipality.get_region_display()
    return {"@type": "Place", "name": obj.venue_name, "address": address}


def _location(obj, mode: str, online_url: str) -> list[dict]:
    locations = []
    place = _place(obj)
    if place and mode in ("fysisk", "hybrid"):
        locations.append(place)
    if mode in ("online", "hybrid"):
        locations.append({"@type": "VirtualLocation", "url": online_url or obj_url(obj)})
    return locations


def obj_url(obj) -> str:
    return getattr(obj, "full_url", "") or ""


def offer(page, availability, request=None) -> dict | None:
    """schema.org Offer for an offering with registration: free, with its availability and registration period."""
    if availability is None or availability.state == "disabled":
        return None
    path = reverse("registration_form", args=[page.pk])
    url = request.build_absolute_uri(path) if request is not None else path
    if availability.state == "not_open":
        status = "PreOrder"
    elif availability.state in ("closed", "cancelled") or availability.is_full:
        status = "SoldOut"
    elif availability.seats_left is not None and availability.seats_left <= 5:
        status = "LimitedAvailability"
    else:
        status = "InStock"
    data = {
        "@type": "Offer",
        "url": url,
        "price": "0",
        "priceCurrency": "DKK",
        "availability": f"https://schema.org/{status}",
        "validThrough": _iso(availability.closes_at),
    }
    if availability.opens_at:
        data["validFrom"] = _iso(availability.opens_at)
    return data


def offering_jsonld(page, request=None, availability=None) -> dict:
    url = page.get_full_url(request) or ""
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "description": page.intro or "",
        "url": url,
        "startDate": _iso(page.start),
        "endDate": _iso(page.end),
        "eventStatus": STATUS.get(page.status, STATUS["planlagt"]),
        "eventAttendanceMode": MODE.get(page.attendance_mode, MODE["fysisk"]),
        "inLanguage": "da",
        "keywords": ", ".join(theme.name for theme in page.themes.all()),
    }
    offers = offer(page, availability, request)
    if offers:
        data["offers"] = offers
    if page.organiser_id and page.organiser:
        data["organizer"] = {"@type": "Organization", "name": page.organiser.title, "url": page.organiser.website or ""}
    online = getattr(page, "online_url", "") or getattr(page, "join_url", "") or url
    sessions = getattr(page, "sessions", None)
    if sessions is not None:
        sessions = sessions.all()
        if hasattr(sessions, "select_related"):  # a database queryset; a preview's in-memory one has no queries
            sessions = sessions.select_related("municipality")  # each course day's region: no query per day
        instances = []
        for session in sessions:
            start, end = session.starts_at(), session.ends_at()
            if not session.is_course_day or start is None or end is None:
                continue
            instance = {
                "@type": "EducationEvent",
                "name": session.title,
                "startDate": _iso(start),
                "endDate": _iso(end),
                "description": strip_tags(session.goals or session.description or ""),
                "eventStatus": data["eventStatus"],
                "eventAttendanceMode": MODE.get(session.attendance_mode, MODE["fysisk"]),
                "location": _location(session, session.attendance_mode, session.online_url or url),
            }
            instances.append(instance)
        return {
            "@context": "https://schema.org",
            "@type": "Course",
            "name": page.title,
            "description": page.intro or "",
            "url": url,
            "inLanguage": "da",
            "keywords": data["keywords"],
            "provider": data.get("organizer", {"@type": "Organization", "name": "Bibliotekernes kompetencenetværk"}),
            "hasCourseInstance": [
                {
                    "@type": "CourseInstance",
                    "courseMode": COURSE_MODE.get(page.attendance_mode, "onsite"),
                    "startDate": data["startDate"],
                    "endDate": data["endDate"],
                    "subEvent": instances,
                    **({"offers": offers} if offers else {}),
                }
            ],
            **({"offers": offers} if offers else {}),
        }
    data["location"] = _location(page, page.attendance_mode, online)
    if hasattr(page, "presenters"):
        data["performer"] = [{"@type": "Person", "name": p.person.name} for p in page.presenters.all()]
    return data
