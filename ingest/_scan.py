"""Finding the files to ingest under a folder, and reading them safely.

Symlinks are followed (users link folders in), but a directory reached twice is walked once, so a
symlink loop cannot make the walk endless; a link that cannot be resolved is reported, not skipped
silently. Only regular files are read: a FIFO named ``notes.txt`` would block a reader forever.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.loaders._text import looks_like_text


#: Documents people keep beside the ones read here: skipped, but named with what to do.
_CONVERTIBLE = {
    ".doc": "an old Word file; save it as .docx",
    ".ppt": "an old PowerPoint file; save it as .pptx",
    ".xls": "an old Excel file; save it as .xlsx",
}


@dataclass(frozen=True)
class ScanResult:
    files: list[Path]
    """Supported files, absolute, sorted."""
    problems: dict[Path, str]
    """Entries that could not be looked at, with the reason."""
    aliases: dict[Path, Path]
    """Files reached a second time through a symlink -> the spelling that is ingested."""
    skipped: dict[Path, str]
    """Documents in formats not read here, with what to do about them."""
    unread_text: dict[str, int] = field(default_factory=dict)
    """Text files in formats not read here (logs, data, no extension), counted by suffix ("" for none)."""


@dataclass(frozen=True)
class FileContent:
    data: bytes
    sha256: str
    mtime: float


class FileProblem(Exception):
    """A file that cannot be read; ``str()`` is the reason."""


def scan(root: Path) -> ScanResult:
    """Every supported file under ``root`` (or ``root`` itself when it is a file)."""
    if root.is_file():
        return ScanResult([root.absolute()], {}, {}, {})
    spellings: dict[Path, list[Path]] = {}  # real path -> the paths the walk reached it by
    problems: dict[Path, str] = {}
    skipped: dict[Path, str] = {}
    unread_text: dict[str, int] = {}
    visited: set[tuple[int, int]] = set()
    for folder, subfolders, names in os.walk(root, followlinks=True, onerror=lambda e: _note(problems, e)):
        info = os.stat(folder)
        if (info.st_dev, info.st_ino) in visited:
            problems[Path(folder)] = "symlink loop: this folder was already visited"
            subfolders.clear()
            continue
        visited.add((info.st_dev, info.st_ino))
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for page, resources in _saved_page_resources(subfolders, names):
            subfolders.remove(resources)
            skipped[Path(folder, resources).absolute()] = f"the images, scripts and embedded frames of the saved page {page}"
        for name in names:
            path, suffix = Path(folder, name), Path(name).suffix.lower()
            if name.startswith(".") or suffix not in SUPPORTED_SUFFIXES:
                if not name.startswith(".") and suffix in _CONVERTIBLE:
                    skipped[path.absolute()] = _CONVERTIBLE[suffix]
                elif not name.startswith(".") and _is_text_file(path):
                    unread_text[suffix] = unread_text.get(suffix, 0) + 1
                continue
            if not _is_utf8(str(path)):
                # Names from other systems' archives: the store keeps paths as text, so the file is named
                # (its bytes escaped) and skipped rather than breaking the whole run.
                problems[Path(os.fsencode(path).decode("utf-8", "backslashreplace"))] = (
                    "the file name is not valid UTF-8; rename the file to ingest it"
                )
                continue
            spellings.setdefault(_resolved(path), []).append(path.absolute())
    files, aliases = _one_spelling_each(spellings)
    return ScanResult(files, problems, aliases, skipped, unread_text)


#: How much of a file in a format not read here is looked at to tell text from binary content (images,
#: archives), which is never worth a note.
_SNIFF_BYTES = 4096


def _is_text_file(path: Path) -> bool:
    """Whether ``path`` holds text: a folder of files in a text format not read here (Org notes and
    AsciiDoc pages were, before they were read), silently left out, looked like an ingest that had read
    nothing. A photo, a recording or a video is known by its name: every ingest walks the folder, and a
    folder of photos would be opened file by file each time only to find binary content."""
    known, _ = mimetypes.guess_type(path.name)
    if known and known.split("/")[0] in ("image", "audio", "video", "font") and known != "image/svg+xml":
        return False
    try:
        if not path.is_file():  # a FIFO would block the read forever
            return False
        with path.open("rb") as file:
            sample = file.read(_SNIFF_BYTES)
    except OSError:
        return False
    return bool(sample.strip()) and looks_like_text(sample)


#: What a browser's "Save page as: Web page, complete" names the folder beside the page it saves.
_RESOURCES_SUFFIX = "_files"
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml")


def _saved_page_resources(subfolders: list[str], names: list[str]) -> list[tuple[str, str]]:
    """(page, folder) for each folder holding a saved web page's resources ("Article_files" beside
    "Article.html"): its stylesheets, scripts and images, and embedded frames saved as pages of their own
    ("saved_resource.html": adverts, share buttons), which are not documents the user kept."""
    pages = {Path(name).stem: name for name in names if Path(name).suffix.lower() in _PAGE_SUFFIXES}
    return [
        (pages[folder.removesuffix(_RESOURCES_SUFFIX)], folder)
        for folder in subfolders
        if folder.endswith(_RESOURCES_SUFFIX) and folder.removesuffix(_RESOURCES_SUFFIX) in pages
    ]


def _one_spelling_each(spellings: dict[Path, list[Path]]) -> tuple[list[Path], dict[Path, Path]]:
    """(files, aliases): a file reached by several paths (symlinks) is ingested once, by its real path
    when the walk reached it that way, else by the first of its paths."""
    files, aliases = [], {}
    for real, paths in spellings.items():
        kept = real if real in paths else min(paths)
        files.append(kept)
        aliases.update({path: kept for path in paths if path != kept})
    return sorted(files), aliases


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # a symlink loop: reading it reports the problem
        return path.absolute()


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _note(problems: dict[Path, str], error: OSError) -> None:
    problems[Path(error.filename or "?")] = error.strerror or str(error)


def read_file(path: Path, max_bytes: int) -> FileContent:
    """The file's bytes and hash, refusing what is not a regular file or is over ``max_bytes``."""
    try:
        info = path.stat()
    except OSError as exc:
        reason = "symlink loop" if exc.errno == 40 else (exc.strerror or str(exc))
        raise FileProblem(f"cannot open: {reason}") from exc
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem("not a regular file")
    if info.st_size > max_bytes:
        raise FileProblem(
            f"{info.st_size / 1e6:.3g} MB is over the {max_bytes / 1e6:.3g} MB limit "
            "(raise ASSISTANT_MAX_FILE_MB to ingest it)"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileProblem(f"cannot read: {exc.strerror or exc}") from exc
    return FileContent(data, hashlib.sha256(data).hexdigest(), info.st_mtime)
