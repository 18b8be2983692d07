"""Word documents (.docx): paragraphs and tables in reading order, headings as sections, core properties."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._office import check_package, core_metadata, unreadable
from ingest.loaders._text import TextBuilder, first, has_words, title_from_path

_KIND = "Word document"
_HEADING_STYLE = re.compile(r"^(?:Heading (\d)|Title)$")


def load_docx(path: Path, data: bytes) -> LoadedDocument:
    check_package(data, _KIND)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(document))
    except Exception as exc:  # python-docx raises zip, XML and key errors alike for a damaged package
        raise unreadable(_KIND, exc) from exc
    title, author, published = core_metadata(document.core_properties)
    text = TextBuilder()
    for paragraph, level in blocks:
        text.add(paragraph, heading=level > 0)
    if not has_words(text.text):
        raise LoadError(f"no text in the {_KIND}")
    first_heading = next((paragraph for paragraph, level in blocks if level), "")
    return LoadedDocument(
        text=text.text,
        title=first(title, first_heading, title_from_path(path)),
        source=author,
        published=published,
        author=author,
        file_properties=True,
        sections=tuple(text.sections),
    )


def _blocks(document: docx.document.Document) -> Iterator[tuple[str, int]]:
    """(text, heading level or 0) of every paragraph and table, in reading order. Tables become one
    block with a row per line and cells separated by " | ", as the HTML loader writes them."""
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            yield item.text, _heading_level(item)
        elif isinstance(item, Table):
            yield "\n".join(_table_rows(item)), 0


def _heading_level(paragraph: Paragraph) -> int:
    match = _HEADING_STYLE.match(paragraph.style.name if paragraph.style is not None else "")
    if not match:
        return 0
    return int(match.group(1)) if match.group(1) else 1


def _table_rows(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            yield " | ".join(cells)
