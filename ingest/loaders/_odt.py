"""OpenDocument text (.odt: LibreOffice's, and what Google Docs and Word export as OpenDocument): headings,
paragraphs, lists and tables in reading order, headings as sections, the document's meta (title, creator,
creation date)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from odf import teletype
from odf.namespaces import DCNS, METANS, TABLENS, TEXTNS
from odf.opendocument import load

from assistant._dates import iso_date
from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._office import check_package, password_protected, unreadable
from ingest.loaders._text import TextBuilder, first, has_words, tidy_line, title_from_path

_KIND = "OpenDocument text"
#: What holds further blocks rather than being one: sections, and a list item's own paragraphs.
_CONTAINERS = {(TEXTNS, "section"), (TEXTNS, "list-item"), (TEXTNS, "list-header")}


def load_odt(path: Path, data: bytes) -> LoadedDocument:
    document = open_package(data, _KIND)
    try:
        blocks = list(text_blocks(document.text))
        meta = meta_values(document.meta)
    except Exception as exc:  # odfpy raises zip, XML and key errors alike for a damaged package
        raise unreadable(_KIND, exc) from exc
    text = TextBuilder()
    for block, heading in blocks:
        text.add(block, heading=heading)
    if not has_words(text.text):
        raise LoadError(f"no text in the {_KIND}")
    author, published = creator_and_date(meta)
    first_heading = tidy_line(next((block for block, heading in blocks if heading), ""))
    return LoadedDocument(
        text=text.text,
        title=first(meta.get((DCNS, "title")), first_heading, title_from_path(path)),
        source=author,  # as for Word files: the person the document comes from
        published=published,
        author=author,
        file_properties=True,
        sections=tuple(text.sections),
    )


def open_package(data: bytes, kind: str) -> Any:
    """The OpenDocument package in ``data`` (odfpy's document), or an error naming ``kind`` when it is
    not one, is damaged, or is password-protected."""
    check_package(data, kind)
    if _encrypted(data):
        raise password_protected(kind)
    try:
        return load(io.BytesIO(data))
    except Exception as exc:  # odfpy raises zip, XML and key errors alike for a damaged package
        raise unreadable(kind, exc) from exc


def _encrypted(data: bytes) -> bool:
    """Whether the package's manifest says its content is encrypted (ODF 1.2, section 3.8 of part 3)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return b"encryption-data" in package.read("META-INF/manifest.xml")
    except (zipfile.BadZipFile, KeyError):
        return False  # damaged or without a manifest: the load says what is wrong


def text_blocks(element: Any) -> Iterator[tuple[str, bool]]:
    """(text, is a heading) of every heading, paragraph, list and table under ``element``, in reading
    order. A list becomes one block with an item per line ("- …"), a table one with a row per line and
    cells separated by " | ", as the HTML loader writes them."""
    for child in element.childNodes:
        name = getattr(child, "qname", None)
        if name == (TEXTNS, "h"):
            yield teletype.extractText(child), True
        elif name == (TEXTNS, "p"):
            yield teletype.extractText(child), False
        elif name == (TEXTNS, "list"):
            yield "\n".join(f"- {item}" for item in _list_items(child)), False
        elif name == (TABLENS, "table"):
            yield "\n".join(_table_rows(child)), False
        elif name in _CONTAINERS:
            yield from text_blocks(child)


def _list_items(element: Any) -> Iterator[str]:
    for item in element.childNodes:
        if getattr(item, "qname", None) == (TEXTNS, "list-item"):
            words = " ".join(tidy_line(block) for block, _ in text_blocks(item) if block.strip())
            if words:
                yield words


def _table_rows(table: Any) -> Iterator[str]:
    for row in descendants(table, (TABLENS, "table-row")):  # also those grouped as header rows
        cells = [cell_text(cell) for cell in row.childNodes if getattr(cell, "qname", None) == (TABLENS, "table-cell")]
        if any(cells):
            yield " | ".join(cells)


def cell_text(cell: Any) -> str:
    """A table cell's text as shown, its paragraphs joined by spaces."""
    return " ".join(words for child in cell.childNodes if (words := tidy_line(teletype.extractText(child))))


def children(element: Any, name: tuple[str, str]) -> list[Any]:
    """The child elements of ``element`` named ``name`` (an odfpy qualified name)."""
    return [child for child in element.childNodes if getattr(child, "qname", None) == name]


def descendants(element: Any, name: tuple[str, str]) -> Iterator[Any]:
    """The elements under ``element`` named ``name``, in document order, not looking inside them."""
    for child in element.childNodes:
        if getattr(child, "qname", None) == name:
            yield child
        else:
            yield from descendants(child, name)


def creator_and_date(meta: dict[tuple[str, str], str]) -> tuple[str, str | None]:
    """Who made the document and when (ISO 8601), from its ``meta_values``."""
    creator = first(meta.get((DCNS, "creator")), meta.get((METANS, "initial-creator")))
    return creator, iso_date(first(meta.get((METANS, "creation-date")), meta.get((DCNS, "date"))))


def meta_values(meta: Any) -> dict[tuple[str, str], str]:
    """The document's meta elements as qualified name -> text (first occurrence wins)."""
    values: dict[tuple[str, str], str] = {}
    for child in meta.childNodes:
        name = getattr(child, "qname", None)
        if name is not None:
            values.setdefault(name, tidy_line(teletype.extractText(child)))
    return values
