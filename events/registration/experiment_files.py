"""What an experiment's file may be: a PDF, an image or an office document, at most EXPERIMENT_FILE_MAX_BYTES.

The browser's content type and the name's extension are only what the sender says; the first bytes say what the
file is. A file passes when all three agree on one allowed kind, so a program renamed to .pdf is refused.
"""

from __future__ import annotations

import dataclasses
import os
import zipfile

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import RegistrationError

HEAD_BYTES = 16


@dataclasses.dataclass(frozen=True)
class FileKind:
    name: str
    content_types: tuple[str, ...]
    extensions: tuple[str, ...]


PDF = FileKind("pdf", ("application/pdf",), (".pdf",))
PNG = FileKind("png", ("image/png",), (".png",))
JPEG = FileKind("jpeg", ("image/jpeg", "image/pjpeg"), (".jpg", ".jpeg"))
GIF = FileKind("gif", ("image/gif",), (".gif",))
WEBP = FileKind("webp", ("image/webp",), (".webp",))
# Word, Excel and PowerPoint since 2007, and OpenDocument: zip archives, told apart by what the archive holds.
OOXML = FileKind(
    "ooxml",
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    (".docx", ".xlsx", ".pptx"),
)
ODF = FileKind(
    "odf",
    (
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
    ),
    (".odt", ".ods", ".odp"),
)
# Word, Excel and PowerPoint before 2007 (OLE compound files).
LEGACY_OFFICE = FileKind(
    "ole",
    ("application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"),
    (".doc", ".xls", ".ppt"),
)
KINDS = (PDF, PNG, JPEG, GIF, WEBP, OOXML, ODF, LEGACY_OFFICE)
ACCEPT = ",".join(ext for kind in KINDS for ext in kind.extensions)
# Some browsers send this for any file they do not know; then the first bytes and the extension decide.
UNKNOWN_TYPE = "application/octet-stream"


def _zip_kind(upload) -> FileKind | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return OOXML
            if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
                return ODF
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def sniff(upload) -> FileKind | None:
    """The allowed kind the file's first bytes show, or None."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        kind = GIF
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = WEBP
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        kind = LEGACY_OFFICE
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
    else:
        kind = None
    upload.seek(0)
    return kind


def file_check(upload) -> str:
    """Raise a Danish RegistrationError unless the upload is small enough and an allowed kind by its name, its
    content type and its first bytes; return the content type to serve it with."""
    limit = settings.EXPERIMENT_FILE_MAX_BYTES
    if upload.size > limit:
        raise RegistrationError(
            _("Filen er for stor. Den må højst fylde %(size)s.") % {"size": filesizeformat(limit)}, "file_too_large"
        )
    if upload.size == 0:
        raise RegistrationError(_("Filen er tom."), "file_empty")
    extension = os.path.splitext(upload.name or "")[1].lower()
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    kind = sniff(upload)
    if (
        kind is None
        or extension not in kind.extensions
        or (content_type not in kind.content_types and content_type != UNKNOWN_TYPE)
    ):
        raise RegistrationError(
            _("Filen kan ikke bruges. Vælg en PDF, et billede (JPG, PNG, GIF, WebP) eller et Office-dokument."),
            "file_type",
        )
    if kind in (OOXML, ODF, LEGACY_OFFICE):
        return kind.content_types[kind.extensions.index(extension)]
    return kind.content_types[0]


def display_name(name: str) -> str:
    """The uploaded file's own name without any folder, cut to fit its field; for the download."""
    base = os.path.basename((name or "").replace("\\", "/")).strip() or "fil"
    stem, extension = os.path.splitext(base)
    return stem[: 120 - len(extension)] + extension
