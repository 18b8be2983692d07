"""Files uploaded in the app: saved under ``<data_dir>/uploads/`` with names that cannot leave it, then ingested.

A browser sends a file name, and any client can send any name: only a plain name of a supported type is
accepted (no folder part, no ``..``, no hidden dotfile), and the file is written through a temporary
file in the upload folder itself, so a half-written upload is never ingested.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.service import Assistant
    from ingest.pipeline import IngestProgress, IngestReport

UPLOAD_FOLDER = "uploads"


class UploadedFile(Protocol):
    """The part of Streamlit's ``UploadedFile`` used here."""

    name: str
    size: int

    def getvalue(self) -> bytes: ...


class UnsafeName(ValueError):
    """A file name that is refused; ``str()`` says why."""


@dataclass(frozen=True)
class Rejected:
    """An upload refused before it was written: the name as sent, and why."""

    name: str
    reason: str


@dataclass
class SavedUploads:
    saved: list[Path] = field(default_factory=list)
    """Absolute paths written, in upload order."""
    rejected: list[Rejected] = field(default_factory=list)


@dataclass
class UploadOutcome:
    uploads: SavedUploads
    report: IngestReport | None
    """The ingest run over the upload folder; None when no file could be saved."""


def upload_dir(settings: Settings) -> Path:
    """Where uploaded files are kept (absolute): ``<data_dir>/uploads``."""
    return (settings.data_dir / UPLOAD_FOLDER).absolute()


def accepted_types() -> list[str]:
    """The file extensions ingest reads, without dots, for the upload control."""
    from ingest.loaders import SUPPORTED_SUFFIXES

    return sorted(suffix.lstrip(".") for suffix in SUPPORTED_SUFFIXES)


#: Bidirectional-text controls: "invoice\u202etxt.exe" shows as "invoiceexe.txt"; never part of a stored name.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def safe_name(name: str) -> str:
    """``name`` (without bidi controls) when it is a plain file name of a supported type; raises
    :class:`UnsafeName` otherwise."""
    from ingest.loaders import SUPPORTED_SUFFIXES

    name = name.translate(_BIDI_CONTROLS)
    if not name.strip():
        raise UnsafeName("the file has no name")
    if "/" in name or "\\" in name or name in {".", ".."}:
        raise UnsafeName("names with a folder part are not accepted; upload the file itself")
    if name.startswith("."):
        raise UnsafeName("hidden files (names starting with '.') are not accepted")
    if any(ord(char) < 32 for char in name) or len(name.encode()) > 255:
        raise UnsafeName("the name has control characters or is too long; rename the file")
    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnsafeName(f"unsupported file type; use one of {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    return name


def save_uploads(files: Iterable[UploadedFile], folder: Path, max_bytes: int) -> SavedUploads:
    """Write each acceptable file into ``folder``; refuse bad names and files over ``max_bytes`` unwritten."""
    result = SavedUploads()
    folder.mkdir(parents=True, exist_ok=True)
    for file in files:
        try:
            target = _free_name(folder / safe_name(file.name), file.getvalue())
            if file.size > max_bytes:
                raise UnsafeName(
                    f"{file.size / 1e6:.1f} MB is over the {max_bytes / 1e6:g} MB limit "
                    "(raise ASSISTANT_MAX_FILE_MB to accept it)"
                )
        except UnsafeName as problem:
            result.rejected.append(Rejected(file.name, str(problem)))
            continue
        try:
            _write(target, file.getvalue())
        except OSError as problem:
            result.rejected.append(Rejected(file.name, f"could not be saved: {problem.strerror or problem}"))
            continue
        result.saved.append(target.absolute())
    return result


def _free_name(target: Path, data: bytes) -> Path:
    """``target``, or ``name (2).ext``, ``name (3).ext`` … when another upload (from any session) already
    has that name with other content: a same-named upload never replaces someone's file."""
    candidate, number = target, 1
    while candidate.exists() and candidate.read_bytes() != data:
        number += 1
        candidate = target.with_name(f"{target.stem} ({number}){target.suffix}")
    return candidate


def _write(target: Path, data: bytes) -> None:
    # A temporary dotfile (the ingest scan skips those), then an atomic rename over the final name.
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".upload-", delete=False) as temporary:
        try:
            temporary.write(data)
        except OSError:
            os.unlink(temporary.name)
            raise
    os.replace(temporary.name, target)


def ingest_uploads(
    files: Iterable[UploadedFile], assistant: Assistant, progress: IngestProgress | None = None
) -> UploadOutcome:
    """Save ``files`` into the upload folder and ingest that folder.

    A file that fails to ingest is deleted again: it is reported once, here, instead of failing on every
    later upload. Raises ``StoreUnavailable`` when the store is down.
    """
    folder = upload_dir(assistant.settings)
    uploads = save_uploads(files, folder, assistant.settings.max_file_bytes)
    if not uploads.saved:
        return UploadOutcome(uploads, None)
    return UploadOutcome(uploads, assistant.ingest(folder, discard_failed=True, progress=progress))
