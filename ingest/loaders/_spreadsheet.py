"""Spreadsheets and data files (.csv, .tsv, .xlsx, .ods): each row a line, and in a workbook of several
sheets each sheet a section named by the sheet (a lone "Sheet1" would only be noise in a citation).

A row under a header row reads "Region: Europe | Quarter: Q1 | Revenue: 1.2 million": the answerer reads
and quotes one sentence (here, one row) at a time, and a bare "Europe | Q1 | 1.2 million" says neither
it nor the user what the number is. A sheet whose first row is not a header (it holds a number or an
empty cell) keeps its cells joined by " | ", as tables are everywhere else. Rows with a single cell above
the header (a sheet's title, a note) are their own paragraphs.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from odf.namespaces import DCNS, TABLENS

from assistant._dates import iso_date
from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._odt import cell_text, children, creator_and_date, descendants, meta_values, open_package
from ingest.loaders._office import check_package, unreadable
from ingest.loaders._text import TextBuilder, decode_text_file, first, has_words, tidy_line, title_from_path

_WORKBOOK = "Excel workbook"
_ODS = "OpenDocument spreadsheet"
#: csv.Sniffer guesses from a sample; a whole file would be slow and tells no more.
_SNIFF_CHARS = 64 * 1024
_DELIMITERS = ",;\t|"
_NUMBER = re.compile(r"^[-+(]?[$€£¥]?\s?\d[\d,.\s]*%?\)?$")
_DECIMALS = re.compile(r"\.(0+)")
_THOUSANDS = re.compile(r"[#0],[#0]")
_CURRENCIES = "$€£¥"
_LOCALE_CURRENCY = re.compile(r"\[\$([^\]-]*)")
#: OpenDocument writes an empty sheet's unused area as one cell or row "repeated" a million times;
#: repeats beyond this are empty space, not data.
_MAX_REPEAT = 1000


def load_csv(path: Path, data: bytes) -> LoadedDocument:
    text, notes = decode_text_file(data, path.suffix.lower())
    try:
        rows = list(csv.reader(io.StringIO(text), _dialect(text, path.suffix.lower())))
    except csv.Error as exc:
        raise LoadError(f"malformed CSV: {exc}") from exc
    built = TextBuilder()
    _add_sheet(built, rows)
    return _document(built, path, "no values in the file", warnings=notes)


def load_xlsx(path: Path, data: bytes) -> LoadedDocument:
    # Imported here: the CSV files this module also reads need none of openpyxl's import time.
    from openpyxl import load_workbook

    check_package(data, _WORKBOOK)
    try:
        # data_only: a formula cell's value as Excel last computed it, which is what the user sees.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML, key and value errors alike for a damaged file
        raise unreadable(_WORKBOOK, exc) from exc
    built = TextBuilder()
    try:
        sheets = workbook.worksheets  # chart sheets are not among them
        for sheet in sheets:
            rows = ([_excel_value(cell) for cell in row] for row in sheet.iter_rows())
            _add_sheet(built, rows, name=sheet.title if len(sheets) > 1 else "")
        properties = workbook.properties
    except Exception as exc:  # as above, for a damaged sheet part read lazily
        raise unreadable(_WORKBOOK, exc) from exc
    finally:
        workbook.close()  # read-only mode keeps the zip open until then
    return _document(
        built,
        path,
        f"no values in any sheet of the {_WORKBOOK}",
        title=tidy_line(properties.title or ""),
        author=tidy_line(properties.creator or ""),
        published=iso_date(properties.created or properties.modified),
    )


def load_ods(path: Path, data: bytes) -> LoadedDocument:
    document = open_package(data, _ODS)
    built = TextBuilder()
    try:
        tables = children(document.spreadsheet, (TABLENS, "table"))
        for table in tables:
            _add_sheet(built, _ods_rows(table), name=table.getAttrNS(TABLENS, "name") if len(tables) > 1 else "")
        meta = meta_values(document.meta)
    except Exception as exc:  # odfpy raises XML and key errors alike for a damaged package
        raise unreadable(_ODS, exc) from exc
    author, published = creator_and_date(meta)
    return _document(
        built, path, f"no values in any sheet of the {_ODS}", title=meta.get((DCNS, "title"), ""), author=author, published=published
    )


def _document(
    built: TextBuilder,
    path: Path,
    empty: str,
    *,
    title: str = "",
    author: str = "",
    published: str | None = None,
    warnings: tuple[str, ...] = (),
) -> LoadedDocument:
    """The loaded document, or ``LoadError(empty)`` when no cell holds a word."""
    if not has_words(built.text):
        raise LoadError(empty)
    return LoadedDocument(
        text=built.text,
        title=first(title, title_from_path(path)),
        source=author,  # as for Word files: the person the document comes from
        published=published,
        author=author,
        file_properties=True,
        sections=tuple(built.sections),
        warnings=warnings,
    )


def _dialect(text: str, suffix: str) -> type[csv.Dialect] | csv.Dialect:
    if suffix == ".tsv":
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(text[:_SNIFF_CHARS], delimiters=_DELIMITERS)
    except csv.Error:  # one column, or too irregular to tell: commas, as the extension says
        return csv.excel


def _add_sheet(built: TextBuilder, rows: Iterable[list[str]], name: str = "") -> None:
    """One sheet: its name as a section, its leading one-cell rows as paragraphs, then the table."""
    table = _trimmed([[tidy_line(cell) for cell in row] for row in rows])
    if not table:
        return
    if name:
        built.open_section(name)
    while len(table) > 1 and sum(1 for cell in table[0] if cell) == 1:
        built.add(next(cell for cell in table[0] if cell))
        table.pop(0)
    built.add("\n".join(_lines(table)))


def _trimmed(rows: list[list[str]]) -> list[list[str]]:
    """Rows without empty ones, without the columns empty in every row."""
    rows = [row for row in rows if any(row)]
    width = max((len(row) for row in rows), default=0)
    used = [i for i in range(width) if any(i < len(row) and row[i] for row in rows)]
    return [[row[i] if i < len(row) else "" for i in used] for row in rows]


def _lines(table: list[list[str]]) -> Iterator[str]:
    header = table[0] if len(table) > 1 and _is_header(table[0]) else None
    if header is None:
        yield from (" | ".join(row) for row in table)
        return
    # The header is not a line of its own: every row repeats it, and alone it answers nothing, yet it
    # holds the words of any question about the table ("Which route has the most departures?" quoted it).
    for row in table[1:]:
        yield " | ".join(f"{label}: {value}" for label, value in zip(header, row) if value)


def _is_header(row: list[str]) -> bool:
    return all(row) and not any(_NUMBER.match(cell) for cell in row) and len(set(row)) == len(row)


def _excel_value(cell: Any) -> str:
    """A cell's value as Excel shows it: dates as dates, numbers with their format's decimals, thousands
    separators, percent sign and currency symbol (a format's other parts, such as colours and
    conditions, are left out)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _formatted_number(value, cell.number_format or "General")
    return str(value)


def _formatted_number(value: float, number_format: str) -> str:
    section = number_format.split(";")[0]  # the format for positive numbers
    percent = "%" in section
    if percent:
        value *= 100
    decimals = _DECIMALS.search(section)
    grouping = "," if _THOUSANDS.search(section) else ""
    if decimals:
        shown = f"{value:{grouping}.{len(decimals.group(1))}f}"
    elif "0" in section or "#" in section:  # a whole-number format such as "0" or "#,##0"
        shown = f"{value:{grouping}.0f}"
    else:  # "General": up to 15 significant digits, as Excel shows them (0.1 + 0.2 is "0.3")
        shown = f"{value:.15g}" if isinstance(value, float) else str(value)
    locale_currency = _LOCALE_CURRENCY.search(section)  # "[$€-407]": the euro, in German
    currency = locale_currency.group(1) if locale_currency else next((c for c in _CURRENCIES if c in section), "")
    return f"{'-' if shown.startswith('-') else ''}{currency}{shown.lstrip('-')}{'%' if percent else ''}"


def _ods_rows(table: Any) -> Iterator[list[str]]:
    """Rows of cells as the spreadsheet shows them (its own text, "15%" not 0.15), repeats expanded."""
    for row in descendants(table, (TABLENS, "table-row")):  # also those grouped as header rows
        cells: list[str] = []
        for cell in row.childNodes:
            if getattr(cell, "qname", None) in ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell")):
                text = cell_text(cell)
                cells.extend([text] * _repeats(cell, "number-columns-repeated", text))
        for _ in range(_repeats(row, "number-rows-repeated", "".join(cells))):
            yield cells


def _repeats(element: Any, attribute: str, content: str) -> int:
    count = int(element.getAttrNS(TABLENS, attribute) or 1)
    return min(count, _MAX_REPEAT) if content else 1

