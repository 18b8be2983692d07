"""OpenDocument slides (.odp: LibreOffice Impress's, and what PowerPoint and Google Slides export as
OpenDocument), read like PowerPoint decks: one part per slide, its title, its text boxes and tables top
to bottom and left to right, then its speaker notes; the document's meta (title, creator, date)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from odf.namespaces import DCNS, DRAWNS, PRESENTATIONNS, SVGNS

from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._odt import children, creator_and_date, meta_values, open_package, text_blocks
from ingest.loaders._office import unreadable
from ingest.loaders._text import TextBuilder, first, has_words, tidy_line, title_from_path

_KIND = "OpenDocument presentation"
_TEXT_BOX = (DRAWNS, "text-box")
_GROUP = (DRAWNS, "g")
_LENGTH = re.compile(r"-?\d+(?:\.\d+)?")
#: What every slide repeats, not what it says: its footer, date and page number.
_FURNITURE = frozenset(("footer", "date-time", "page-number"))


def load_odp(path: Path, data: bytes) -> LoadedDocument:
    document = open_package(data, _KIND)
    text = TextBuilder()
    slide_titles = []
    try:
        for slide in children(document.presentation, (DRAWNS, "page")):
            text.new_part()
            title, body = _slide(slide)
            slide_titles.append(title)
            text.add(title, heading=True)
            for block in body:
                text.add(block)
        meta = meta_values(document.meta)
    except Exception as exc:  # odfpy raises XML and key errors alike for a damaged package
        raise unreadable(_KIND, exc) from exc
    if not has_words(text.text):
        raise LoadError(f"no text on any slide of the {_KIND}")
    author, published = creator_and_date(meta)
    return LoadedDocument(
        text=text.text,
        title=first(meta.get((DCNS, "title")), *slide_titles, title_from_path(path)),
        source=author,  # as for Word files: the person the document comes from
        published=published,
        author=author,
        file_properties=True,
        part_starts=tuple(text.part_starts),
        part_kind="slide",
        sections=tuple(text.sections),
    )


def _slide(slide: Any) -> tuple[str, list[str]]:
    """The slide's title and its other blocks in reading order, speaker notes last."""
    title, body = "", []
    shapes = [child for child in slide.childNodes if getattr(child, "qname", None) != (PRESENTATIONNS, "notes")]
    for shape in _in_reading_order(shapes):
        if shape.getAttrNS(PRESENTATIONNS, "class") in _FURNITURE:
            continue
        if not title and shape.getAttrNS(PRESENTATIONNS, "class") == "title":
            title = tidy_line(" ".join(block for block, _ in _shape_blocks(shape)))
        else:
            body += [block for block, _ in _shape_blocks(shape)]
    for notes in children(slide, (PRESENTATIONNS, "notes")):
        body += [block for block, _ in _shape_blocks(notes)]
    return title, body


def _shape_blocks(shape: Any) -> Iterator[tuple[str, bool]]:
    """The paragraphs, lists and tables a frame, shape or group holds (a frame's in its text box)."""
    if getattr(shape, "qname", None) == _GROUP:
        for member in _in_reading_order(shape.childNodes):
            yield from _shape_blocks(member)
        return
    yield from text_blocks(shape)
    for child in shape.childNodes:
        if getattr(child, "qname", None) in (_TEXT_BOX, (DRAWNS, "frame")):
            yield from _shape_blocks(child)


def _in_reading_order(shapes: Any) -> list[Any]:
    elements = [shape for shape in shapes if getattr(shape, "qname", None) is not None]
    return sorted(elements, key=lambda shape: (_position(shape, "y"), _position(shape, "x")))


def _position(shape: Any, axis: str) -> float:
    """The shape's offset from the slide's top or left edge, in the slide's own unit (0 when unset)."""
    found = _LENGTH.match(shape.getAttrNS(SVGNS, axis) or "")
    return float(found.group(0)) if found else 0.0
