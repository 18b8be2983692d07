"""What Office and OpenDocument files share: the zip package check, password protection, core properties."""

from __future__ import annotations

import zipfile
from datetime import datetime
from typing import Protocol

from assistant._dates import iso_date
from ingest.loaders._document import LoadError
from ingest.loaders._text import short_reason, tidy_line

_ZIP_MAGIC = b"PK\x03\x04"
#: Office wraps a password-protected file in an OLE compound file holding an "EncryptedPackage" stream.
_COMPOUND_FILE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


class CoreProperties(Protocol):
    """The slice of python-docx's and python-pptx's ``core_properties`` read here."""

    title: str | None
    author: str | None
    created: datetime | None
    modified: datetime | None


def check_package(data: bytes, kind: str) -> None:
    """Raise a LoadError saying why ``data`` is not an Office Open XML ``kind`` ("Word document")."""
    if data.startswith(_COMPOUND_FILE_MAGIC):
        if _ENCRYPTED_PACKAGE in data:
            raise password_protected(kind)
        raise LoadError(f"malformed {kind}: an old binary Office file; save it in the current format")
    if not data.startswith(_ZIP_MAGIC):
        raise LoadError(f"malformed {kind}: not an Office Open XML (zip) file")


def password_protected(kind: str) -> LoadError:
    return LoadError(f"encrypted {kind} (it is password-protected; save a copy without the password)")


def unreadable(kind: str, exc: Exception) -> LoadError:
    return LoadError(f"malformed {kind}: {'damaged zip' if isinstance(exc, zipfile.BadZipFile) else short_reason(exc)}")


#: (author, created) of the blank templates python-docx and python-pptx start every file from: files
#: generated with them keep these unless the program sets its own, and they describe the template
#: (2013), not the document; the file's own date is the better guess then.
_TEMPLATE_STAMPS = frozenset({("python-docx", "2013-12-23T23:15:00+00:00"), ("", "2013-01-27")})


def core_metadata(properties: CoreProperties) -> tuple[str, str, str | None]:
    """(title, author, created or else modified date as ISO 8601) from the package's core properties."""
    title = tidy_line(properties.title or "")
    author = tidy_line(properties.author or "")
    created = iso_date(properties.created)
    if (author, created) in _TEMPLATE_STAMPS:
        return title, "", None
    return title, author, created or iso_date(properties.modified)
