"""Plain text, including the seed articles' header (title, site, RFC 2822 date, blank line)."""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from pathlib import Path

from assistant._dates import format_datetime
from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._header import HOST_NAME, SENTENCE_END, looks_like_title
from ingest.loaders._text import NAV_PHRASES, decode_text_file, join_paragraphs, numbered_headings, split_paragraphs, tidy_line, title_from_path

_CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")


def load_text(path: Path, data: bytes) -> LoadedDocument:
    text, notes = decode_text_file(data, path.suffix.lower())
    lines = text.strip("\n").split("\n")
    title, source, published, as_written = title_from_path(path), "", None, None
    if header := _seed_header(lines):
        title, source, published = header
        as_written = tidy_line(lines[2])
        lines = lines[4:]
    elif len(lines) > 2 and looks_like_title(lines[0]) and not lines[1].strip():
        title, lines = tidy_line(lines[0]), lines[2:]
    body = join_paragraphs(split_paragraphs(_drop_trailing_navigation("\n".join(lines))))
    if not body:
        raise LoadError("no text after the title")
    return LoadedDocument(
        body, title, source, published, warnings=notes, published_as_written=as_written, sections=numbered_headings(body)
    )


def _seed_header(lines: list[str]) -> tuple[str, str, str] | None:
    """(title, source, published) from the seed format: title, site, RFC 2822 date, blank line."""
    if len(lines) < 5 or lines[3].strip():
        return None
    title, site, when = (tidy_line(line) for line in lines[:3])
    if not title or not _looks_like_site(site) or not _CLOCK_TIME.search(when):
        return None
    try:
        published = parsedate_to_datetime(when)
    except (TypeError, ValueError, IndexError):
        return None
    return title, site, format_datetime(published)


def _looks_like_site(line: str) -> bool:
    if HOST_NAME.match(line):
        return True
    return 0 < len(line) <= 60 and len(line.split()) <= 5 and not line.endswith(SENTENCE_END)


def _drop_trailing_navigation(body: str) -> str:
    lines = body.rstrip().split("\n")
    while len(lines) > 1 and tidy_line(lines[-1]).casefold() in NAV_PHRASES:
        lines.pop()
        while lines and not lines[-1].strip():
            lines.pop()
    return "\n".join(lines)
