"""Where an outside link leads: its host without "www.", and the name a visitor knows for common video services."""

from __future__ import annotations

from urllib.parse import urlsplit

# Services that host the network's recordings, by domain (a subdomain counts too: kommune.sharepoint.com). The name a
# visitor recognises says more than the domain; the domain is still said, since that is what opens.
KNOWN_HOSTS = {
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "youtube-nocookie.com": "YouTube",
    "vimeo.com": "Vimeo",
    "microsoftstream.com": "Microsoft Stream",
    "sharepoint.com": "Microsoft SharePoint",
    "teams.microsoft.com": "Microsoft Teams",
    "zoom.us": "Zoom",
    "dreambroker.com": "Dream Broker",
    "videotool.dk": "VideoTool",
    "panopto.eu": "Panopto",
    "panopto.com": "Panopto",
    "kaltura.com": "Kaltura",
    "facebook.com": "Facebook",
}


def link_host(url: str) -> str:
    """The host of https://www.youtube.com/watch?v=…: "youtube.com", lower case, no port, no "www."; "" if relative."""
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def host_label(host: str) -> str:
    """The service's name for a known host (or one of its subdomains), else the host itself."""
    for domain, name in KNOWN_HOSTS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return host
