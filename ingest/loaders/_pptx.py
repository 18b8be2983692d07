"""PowerPoint decks (.pptx): one part per slide, in order: its title, its text boxes and tables in reading
order (top to bottom, left to right), and its speaker notes."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path

import pptx
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.shapes.base import BaseShape
from pptx.slide import Slide

from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._office import check_package, core_metadata, unreadable
from ingest.loaders._text import TextBuilder, first, has_words, tidy_line, title_from_path

_KIND = "PowerPoint deck"
#: What every slide repeats, not what it says: its footer ("Acme Corp · Confidential"), date and number.
_FURNITURE = frozenset((PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER))


def load_pptx(path: Path, data: bytes) -> LoadedDocument:
    check_package(data, _KIND)
    text = TextBuilder()
    slide_titles = []
    try:
        deck = pptx.Presentation(io.BytesIO(data))
        for slide in deck.slides:
            text.new_part()
            title = _slide_title(slide)
            slide_titles.append(title)
            text.add(title, heading=True)
            for paragraph in _slide_body(slide):
                text.add(paragraph)
        properties = core_metadata(deck.core_properties)
    except Exception as exc:  # python-pptx raises zip, XML and key errors alike for a damaged package
        raise unreadable(_KIND, exc) from exc
    if not has_words(text.text):
        raise LoadError(f"no text on any slide of the {_KIND}")
    title, author, published = properties
    return LoadedDocument(
        text=text.text,
        title=first(title, *slide_titles, title_from_path(path)),
        source=author,
        published=published,
        author=author,
        file_properties=True,
        part_starts=tuple(text.part_starts),
        part_kind="slide",
        sections=tuple(text.sections),
    )


def _slide_title(slide: Slide) -> str:
    title = slide.shapes.title
    return tidy_line(title.text_frame.text) if title is not None and title.has_text_frame else ""


def _slide_body(slide: Slide) -> Iterator[str]:
    title = slide.shapes.title
    yield from _shapes_text(
        shape for shape in slide.shapes if (title is None or shape.shape_id != title.shape_id) and not _is_furniture(shape)
    )
    if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
        yield slide.notes_slide.notes_text_frame.text


def _is_furniture(shape: BaseShape) -> bool:
    return shape.is_placeholder and shape.placeholder_format.type in _FURNITURE


def _shapes_text(shapes: Iterable[BaseShape]) -> Iterator[str]:
    for shape in sorted(shapes, key=lambda s: (s.top or 0, s.left or 0)):
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes_text(shape.shapes)
        elif shape.has_text_frame:
            # each paragraph of a text box is a line (a bullet); the box is one block
            yield "\n".join(p.text.replace("\v", " ") for p in shape.text_frame.paragraphs)  # \v: a soft break
        elif getattr(shape, "has_table", False):
            rows = (" | ".join(" ".join(cell.text.split()) for cell in row.cells) for row in shape.table.rows)
            yield "\n".join(row for row in rows if row.strip(" |"))
