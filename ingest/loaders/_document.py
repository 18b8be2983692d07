"""What every loader returns, and the one error every loader raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from assistant._corpus import part_at


class LoadError(Exception):
    """A file that cannot be turned into text.

    ``str(err)`` is a short reason a user can act on (``'empty file'``, ``'malformed PDF: ...'``); it does
    not name the file, the caller adds the path.
    """


PartKind = Literal["page", "slide"]
#: Called after each page read by OCR with (pages done, pages to read): OCR takes seconds a page.
OcrProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class LoadedDocument:
    """One file's text and metadata, ready for chunking."""

    text: str
    title: str
    source: str
    published: str | None
    author: str = ""
    """Who wrote it, as the file names them (a page's author ``<meta>``, front matter, the PDF's or
    Office file's author property, an EPUB's creator); empty when the file does not say."""
    part_starts: tuple[int, ...] = ()
    """Where each page (PDF) or slide (deck) starts in ``text``; empty for formats without either."""
    part_kind: PartKind = "page"
    sections: tuple[tuple[int, str], ...] = ()
    """(offset, heading) of each chapter (EPUB) or heading (Word, web pages, Markdown…) and the slide titles
    of a deck, in order: a citation names the section it falls in, since these formats have no stable page
    numbers, and the answerer reads each sentence under its heading."""
    warnings: tuple[str, ...] = ()
    published_as_written: str | None = None
    """The date as the file writes it ("Mon, 11 Aug 2025 19:11:00 +0300"), when it differs from
    ``published`` (ISO 8601): the stored header shows it, so a quote of it is found in the file."""
    file_properties: bool = False
    """Whether ``published`` and ``source`` are the file's own properties, when and by whom the file was
    made (Office, OpenDocument and RTF files, a PDF's /CreationDate), rather than what the document says
    of itself: a date and site it prints under its title are preferred (``_header.with_header``)."""


def part_of(doc: LoadedDocument, offset: int) -> int | None:
    """The 1-based page or slide (see ``doc.part_kind``) holding character ``offset`` of ``doc.text``.

    ``None`` for documents without parts and for offsets outside the text.
    """
    return part_at(doc.part_starts, offset) if 0 <= offset < len(doc.text) else None
