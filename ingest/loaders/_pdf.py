"""PDFs, page by page, with paragraphs rebuilt from PDF lines; pages without a text layer are read by
OCR (see ``_ocr``)."""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.loaders import _ocr as ocr
from assistant._dates import format_datetime, iso_date
from ingest.loaders._document import LoadedDocument, LoadError, OcrProgress
from ingest.loaders._header import WRITTEN_DATE, written_date
from ingest.loaders._text import (
    CONTROL_CHARS, NUMBERED_HEADING, TextBuilder, has_words, join_paragraphs, short_reason, split_paragraphs, tidy_line, title_from_path,
)

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_HYPHENS = ("-", "\u00ad", "\u2010")
#: A line shorter than this share of the page's usual line length ends its paragraph.
_SHORT_LINE = 0.75
#: A line opening with one of these is a list item: it starts a paragraph ("… is stored:" / "• Applications must…").
_BULLETS = ("•", "◦", "▪", "‣", "●", "○", "■", "□")
#: A roman numeral up to 399 ("iv", "xlii"), as front matter numbers its pages.
_ROMAN = r"c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
#: A table of contents' or an index's entry: a heading or a term, dot leaders, its pages ("1.1. Purpose
#: ...... 1", LaTeX's ". . . . 3", "Dedication .... iii", "\\ltx@iffileloaded . . . 7, 366, 370"). Read as prose,
#: a contents page ran into one paragraph of dots, and an index into one of terms and numbers.
_CONTENTS_ENTRY = re.compile(
    rf"^\S.*?(?:\s?\.){{4,}}\s*(?:(?=[ivxlc]){_ROMAN}|\d+(?:[-–]\d+)?(?:,\s*\d+(?:[-–]\d+)?)*)$", re.IGNORECASE
)
#: Longer lines are no contents entry, and are not matched: the pattern's time grows with the square of a
#: line's length (26 s for a line of 25,000 dots).
_CONTENTS_WIDTH = 200
#: A line that may be a numbered heading, and so starts a paragraph ("1. Introduction", "3.2 Trace Trees",
#: "3.7.4. /etc/opt : …"). Looser than ``NUMBERED_HEADING``, which of those paragraphs are headings: a
#: numbered table row ("4 CARD32 N_ALIASES") also starts one.
_PDF_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z/][^.]{0,60}$")
#: A line opening with a section's number and a capital ("4.2 ASN.1 field functions"), whatever follows
#: (not a sentence's "12.5 million people were…").
_NUMBERED_LINE = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})+\.?\s+[A-Z]")
_FILE_NAME_TITLE = re.compile(r"\.(?:dvi|pdf|ps|eps|tex|docx?|odt|rtf|txt|indd|qxd|pages)$", re.IGNORECASE)
_PLACEHOLDER_TITLES = frozenset({"untitled", "title", "document", "untitled document", "no title", "(anonymous)"})
#: What PDF libraries write when told no author: ReportLab's "(anonymous)", a form's "Unknown".
_PLACEHOLDER_AUTHORS = frozenset({"(anonymous)", "anonymous", "unknown", "(unspecified)"})


def load_pdf(path: Path, data: bytes, on_ocr_page: OcrProgress | None = None) -> LoadedDocument:
    document = _open_pdf(data)
    try:
        pages, notes, scanned = _extract_pages(document, on_ocr_page)
        declared_title, author, published = _pdf_metadata(document)
    finally:
        document.close()
    if not has_words("".join(pages)):
        if notes:  # every page failed to parse: a damaged file, not a scan
            raise LoadError(f"malformed PDF: {notes[0]}")
        if scanned:
            raise LoadError(f"no text found by OCR on its {_count(len(scanned), 'scanned page')} (too faint, or not text?)")
        raise LoadError("no readable text (blank pages)")
    if scanned:
        notes.append(f"{_count(len(scanned), 'page')} read by OCR: {_page_list(scanned)}")
    text = TextBuilder()
    before = ""
    for page in pages:
        text.new_part(continuing=_goes_on(before, page))
        for paragraph in split_paragraphs(page):
            text.add(paragraph, heading=bool(NUMBERED_HEADING.match(paragraph)))
        before = page or before
    first_paragraph = next(page for page in pages if page).split("\n\n")[0]
    printed = _printed_date(pages)
    return LoadedDocument(
        text=text.text,
        title=_pdf_title(declared_title, first_paragraph, path),
        source="",
        published=printed[0] if printed else published,
        author=author,
        part_starts=tuple(text.part_starts),
        sections=tuple(text.sections),
        warnings=tuple(notes),
        published_as_written=printed[1] if printed else None,
        file_properties=not printed,
    )


#: A date a document prints as its own on its first pages ("Publication date March 19, 2015", "Published:
#: 2 May 2019"): when a reader means it was published. /CreationDate is when the file was made (the FHS
#: 3.0's is two months later).
_PRINTED_DATE = re.compile(
    r"\b(?:Publication date|Date of publication|Published(?: on)?|Release date|Released(?: on)?)\s*:?\s*"
    rf"(?P<date>{WRITTEN_DATE})\b"
)


def _printed_date(pages: list[str]) -> tuple[str, str] | None:
    """(ISO date, the date as printed) of the first publication date the first two pages print."""
    for match in _PRINTED_DATE.finditer("\n\n".join(pages[:2])):
        if parsed := written_date(match.group("date")):
            return parsed, match.group("date")
    return None


def _open_pdf(data: bytes) -> pdfium.PdfDocument:
    """PDFium (Chrome's PDF engine) rather than llama-index's pypdf-based reader: on the 14-page paper
    in ../shared/eval/mixed it extracts the same text 16x faster (0.12 s against 2 s, a tenth of
    that corpus's ingest), repairs what it can, and decrypts RC4 and AES files without extra packages."""
    if b"%PDF-" not in data[:1024]:
        raise LoadError("malformed PDF: not a PDF file (no %PDF header)")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise LoadError("encrypted PDF (it needs a password)") from exc
        raise LoadError(f"malformed PDF: {_pdfium_reason(exc)}") from exc
    if not len(document):
        document.close()
        raise LoadError("malformed PDF: no pages")
    return document


def _pdfium_reason(exc: Exception) -> str:
    # "Failed to load document (PDFium: Data format error)." -> "data format error"
    match = re.search(r"PDFium: ([^)]+)", str(exc))
    return match.group(1).lower() if match else short_reason(exc)


def _extract_pages(document: pdfium.PdfDocument, on_ocr_page: OcrProgress | None) -> tuple[list[str], list[str], list[int]]:
    """Every page's paragraphs, problems, and the numbers of the pages read by OCR: those with no text
    layer but an image (a mixed PDF keeps its text pages as they are)."""
    raws, notes, scanned = [], [], []
    for number in range(1, len(document) + 1):
        try:
            page = document[number - 1]
            raw = _page_text(page.get_textpage())
            if not has_words(raw) and ocr.has_image(page):
                scanned.append(number)
        except Exception as exc:  # one damaged page should not cost the rest of the document
            notes.append(f"page {number}: text could not be extracted ({short_reason(exc)})")
            raw = ""
        raws.append(_from_pdfium(raw))
    for done, number in enumerate(scanned, start=1):
        raws[number - 1] = ocr.read_page(document[number - 1])
        if on_ocr_page is not None:
            on_ocr_page(done, len(scanned))
    return _mend_broken_words([_reflow_pdf_page(raw) for raw in _without_running_lines(raws)]), notes, scanned


def _page_text(textpage: pdfium.PdfTextPage) -> str:
    """The page's text as PDFium reads it, with a blank line before each line the page sets apart
    (``_set_apart``) and without the characters of fonts read as glyph numbers (``_glyph_coded``)."""
    raw = textpage.get_text_range()
    if len(raw) != textpage.count_chars():  # characters cannot be matched with their positions and fonts
        return raw
    apart, dropped = _set_apart(textpage, raw), _glyph_coded(textpage, raw)
    pieces, start = [], 0
    for index in sorted(apart | dropped):
        pieces.append(raw[start:index])
        if index in apart:
            pieces.append("\n")
        start = index + 1 if index in dropped else index
    return "".join(pieces) + raw[start:]


#: A line whose baseline lies further below the line above than this many times the page's usual line
#: spacing starts a paragraph. Between paragraphs Chromium printing a page leaves 1.9 times the spacing,
#: ReportLab's body text 1.5; LaTeX, which indents paragraphs instead, none (the TraceMonkey paper keeps
#: its paragraphs, and gains only its headings and references apart).
_PARAGRAPH_SPACING = 1.3
#: Fewer lines than this on a page give no usual spacing to compare with.
_SPACED_LINES = 4


def _set_apart(textpage: pdfium.PdfTextPage, raw: str) -> set[int]:
    """Where in ``raw`` each line starts that the page sets apart from the line above by more space than
    it leaves between lines (``_PARAGRAPH_SPACING``): the space a word processor or a browser puts between
    paragraphs, which PDFium's text does not keep. A paragraph whose last line filled the column ran into
    the next one ("…is limited to rhetoric. While studying law and philosophy…", a Wikipedia article
    printed by Chromium), and retrieval then found the two as one passage about the second. A line that
    opens in lower case, or goes on with a word hyphenated at the line above, goes on that paragraph (a
    formula or a figure set between); a line higher up than the one before (the next column) is not
    compared."""
    lines = []  # (index of the line's first character, its baseline, its font size)
    x, y = ctypes.c_double(), ctypes.c_double()
    for match in _LINE_START.finditer(raw):
        index = match.start(1)
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
        if size > 0 and pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y):
            lines.append((index, y.value, size))
    # Spacing in the lower line's font size: a title's lines in 20 points are 24 points apart, the body's
    # in 10 points 12, and neither is a paragraph's end.
    spacings = [((above - below) / size, index) for (_, above, _), (index, below, size) in zip(lines, lines[1:]) if above > below]
    if len(spacings) < _SPACED_LINES - 1:
        return set()
    # The lower quartile: on a page of short paragraphs (a list of references) half the spacings are gaps.
    usual = sorted(spacing for spacing, _ in spacings)[len(spacings) // 4]
    return {
        index
        for spacing, index in spacings
        if spacing > _PARAGRAPH_SPACING * usual and not raw[index].islower() and raw[index - 1] != "\ufffe"
    }


#: A line's first character that is not a space: at the page's start, or after a line break or a word
#: hyphenated across one (PDFium's U+FFFE).
_LINE_START = re.compile(r"(?:^|(?<=[\n\ufffe]))[ \t\r]*([^\s\ufffe])")


#: The first glyphs of a font that PDFium cannot map to Unicode, as it reads them: a subset font without
#: a map (a chart's labels, as the program that drew the figure embedded them) numbers its glyphs in the
#: order they are used, and its text comes out as the characters of those numbers: "!", "\"", "#" for the
#: first three, "<//2??.1@A<9=.>922?#3!4,56#" for a bar's label. No text font writes all six of these
#: and no lower-case letter.
_GLYPH_NUMBERS = frozenset('!"#$%&')


def _glyph_coded(textpage: pdfium.PdfTextPage, raw: str) -> set[int]:
    """The indices of the characters of fonts that PDFium reads as glyph numbers (``_GLYPH_NUMBERS``):
    left in, a chart's labels ran into the sentence its figure interrupts ("…TraceMonkey's handling of
    type-unstable !"# $!"# %!"#…") and filled paragraphs of the paper with punctuation. PDFium's
    ``FPDFText_HasUnicodeMapError`` does not flag them: the font maps each glyph, to the wrong character."""
    if not _GLYPH_NUMBERS <= set(raw):
        return set()
    fonts = [_font_name(textpage, index) for index in range(len(raw))]
    written: dict[str, set[str]] = {}
    for char, font in zip(raw, fonts):
        written.setdefault(font, set()).add(char)
    coded = {font for font, chars in written.items() if font and _GLYPH_NUMBERS <= chars and not any(c.islower() for c in chars)}
    return {index for index, font in enumerate(fonts) if font in coded}


def _font_name(textpage: pdfium.PdfTextPage, index: int) -> str:
    name = ctypes.create_string_buffer(128)
    pdfium_c.FPDFText_GetFontInfo(textpage.raw, index, name, len(name), None)
    return name.value.decode("latin-1")


#: How many lines at a page's top and bottom may be a running header or footer, and how many words one
#: has at most (longer lines that differ only in their numbers are prose: "Rule 4 of the database says…").
_EDGE_LINES = 2
_RUNNING_WORDS = 12


def _without_running_lines(pages: list[str]) -> list[str]:
    """Pages without their running headers and footers: a line at a page's top or bottom that recurs
    there, digits aside, on at least half of the pages (and three): the title over every page, "Page 3
    of 17", the bare page number (on every page of a shorter document too), a book's head naming the
    chapter beside the page number (on three pages), and the document's first line repeated over a later
    page. Left in, each joined the sentence it interrupts ("Information found in a
    2", then "Shared MIME-info Database", then "directory is added…"). The first page keeps its top lines:
    the title the later pages repeat is its heading, a paragraph of its own (a title page's lines are all
    short, and would be run together into one: "Filesystem Hierarchy Standard LSB Workgroup, …")."""
    split = [page.split("\n") for page in pages]
    edges = [_edge_keys(lines, first=number == 0) for number, lines in enumerate(split)]
    running = _recurring(edges) | _repeated_title(split, edges)
    kept = [
        "\n".join(line for index, line in enumerate(lines) if page_edges.get(index) not in running)
        for lines, page_edges in zip(split, edges)
    ]
    first = next((index for index, line in enumerate(split[0]) if line.strip()), None) if split else None
    if first is not None and _running_key(split[0][first]) in running and edges[0].get(first) not in running:
        kept[0] = kept[0].replace(split[0][first], f"{split[0][first]}\n", 1)  # the title, kept on its page
    return kept


def _recurring(edges: list[dict[int, str]]) -> set[str]:
    counts = Counter(key for page_edges in edges for key in set(page_edges.values()))
    return {
        key
        for key, count in counts.items()
        if key and (count >= max(3, len(edges) / 2) or _numbers_every_page(key, count, len(edges)) or _chapter_head(key, count))
    }


def _chapter_head(key: str, count: int) -> bool:
    """A book's running head, which names the chapter the page is in beside the page's number ("Chapter 4:
    Function reference 11", "12 Introduction"): it recurs over that chapter's pages only, fewer than half
    of a book's. A line that only holds a number inside ("The widgets of page 3 are…") is no head, nor is a
    numbered heading of one word that opens many pages ("Question 4")."""
    words = re.findall(r"[^\W\d_]+", key)
    return count >= 3 and (key.startswith("# ") or key.endswith(" #")) and len(words) >= 2


def _repeated_title(split: list[list[str]], edges: list[dict[int, str]]) -> set[str]:
    """The document's first line, where a later page repeats it at its top or bottom."""
    title = _running_key(next((line for line in split[0] if line.strip()), "")) if split else ""
    return {title} if title and any(title in page_edges.values() for page_edges in edges[1:]) else set()


def _numbers_every_page(key: str, count: int, pages: int) -> bool:
    """A short line whose number changes at the same edge of every page of a short document: "Page 1",
    "Page 2". Two pages are enough for a page number; a header needs three, unless it repeats the title."""
    return 2 <= count == pages and "#" in key and len(key.split()) <= 4


def _edge_keys(lines: list[str], *, first: bool) -> dict[int, str]:
    """The page's short top and bottom non-empty lines, by index, as ``_running_key`` compares them. On the
    first page, the bottom ones but never its first line (on a title page of two lines the title is also
    among the last, and the later pages repeat it over their text), and of its top lines only those with a
    number: a program that draws each page's number before its text (ReportLab's page templates) puts "Page
    1" at the top of the first page's text, where it was taken for the document's title."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    top, bottom = filled[:_EDGE_LINES], filled[-_EDGE_LINES:]
    if first:
        numbered = [index for index in top if "#" in _running_key(lines[index])]
        chosen = numbered + [index for index in bottom if index != filled[0]]
    else:
        chosen = top + bottom
    return {index: _running_key(lines[index]) for index in chosen if len(lines[index].split()) <= _RUNNING_WORDS}


#: A front matter's page number: "iv" counts as "4" does (a numeral up to 399, not any word of those
#: letters: "civil", "ill").
_ROMAN_NUMBER = re.compile(rf"(?=[ivxlc]){_ROMAN}", re.IGNORECASE)


def _running_key(line: str) -> str:
    line = tidy_line(line)
    return "#" if _ROMAN_NUMBER.fullmatch(line) else re.sub(r"\d+", "#", line).casefold()


def _goes_on(before: str, page: str) -> bool:
    """Whether ``page`` opens in the middle of the sentence that ``before`` ended with: no closing
    punctuation there, a lower-case word here ("Information found in a" / "directory is added…"), or any
    word after one no sentence ends with ("…when he travels on to" / "Ethiopia on Sunday.", a web page
    printed to PDF). A word hyphenated across the break is left as it is."""
    end, start = before.rstrip()[-1:], page.lstrip()[:1]
    last_line = before.rstrip().rsplit("\n", 1)[-1]
    if _NUMBERED_LINE.match(last_line):
        return False  # a section's heading closing the page ("4.2 ASN.1 field functions" / "asn1_array2tree…")
    if not end or not (end.isalnum() or end in _GOES_ON_AFTER):
        return False
    if start.islower():
        return True
    # A capital after such a word is a name in the same sentence, if a sentence ends there: not a table
    # or a figure's labels the page opens with ("…(on the order of the" / "Loops Trees Traces … 2.20x").
    opening = page.lstrip().split("\n\n", 1)[0]
    return last_line.rsplit(maxsplit=1)[-1] in _NEVER_LAST and bool(_SENTENCE_END.search(opening))


#: Words a sentence does not end with, lower case: after one, a page's last line goes on over the break.
_NEVER_LAST = frozenset(
    "a an the to of in on at by for with from into onto via and or nor but than as that whose its their his her our your my".split()
)
_SENTENCE_END = re.compile(r"[a-z]{2}[.!?][\"”’)]?(?:\s|$)")
#: Punctuation a sentence goes on after: a comma, a dash ("…crude oil —" / "with dangerously high…").
_GOES_ON_AFTER = (",", "—", "–")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _page_list(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:10])) + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")


#: PDFium joins a word hyphenated at a line break, marking the break with U+FFFE; the break is put back
#: so that every line keeps its printed length (paragraphs are found by line length) and
#: ``_join_pdf_lines`` repairs the word. Words inside figure labels are separated by U+2029.
_PDFIUM_MARKS = str.maketrans({"\r": None, "\ufffe": "-\n", "\u2029": " "})
#: PDFium also breaks the line after a superscript ("Eich*" / ", Mike Shaver*", "O(n^k" / ") traces"):
#: a line that starts with closing punctuation belongs to the one before.
_BROKEN_AFTER_SUPERSCRIPT = re.compile(r"\n(?=[,.;:)\]])")


def _from_pdfium(raw: str) -> str:
    return _BROKEN_AFTER_SUPERSCRIPT.sub("", raw.translate(_PDFIUM_MARKS))


def _pdf_metadata(document: pdfium.PdfDocument) -> tuple[str, str, str | None]:
    """(/Title, /Author, /CreationDate as ISO 8601) from the document information dictionary."""
    try:
        info = document.get_metadata_dict()
    except Exception:  # a damaged /Info dictionary only costs the metadata
        return "", "", None
    author = tidy_line(info.get("Author", ""))
    return info.get("Title", ""), "" if author.casefold() in _PLACEHOLDER_AUTHORS else author, _pdf_date(info.get("CreationDate", ""))


# D:YYYYMMDDHHmmSSOHH'mm' with every part after the year optional (PDF 32000-1, 7.9.4).
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:(Z)|([+-])(\d\d)'?(\d\d)?'?)?$")


def _pdf_date(value: str) -> str | None:
    match = _PDF_DATE.match(value.strip())
    if not match:
        return iso_date(value)
    year, month, day, hour, minute, second, utc, sign, offset_hours, offset_minutes = match.groups()
    zone = None
    if utc:
        zone = timezone.utc
    elif sign:
        offset = timedelta(hours=int(offset_hours), minutes=int(offset_minutes or 0))
        zone = timezone(offset if sign == "+" else -offset)
    try:
        moment = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=zone)
    except ValueError:  # a date that does not exist
        return None
    return format_datetime(moment)


def _reflow_pdf_page(raw: str) -> str:
    """PDF lines -> paragraphs: hyphenated breaks repaired, lines of one paragraph joined.

    A paragraph ends at a blank line or after a line clearly shorter than the page's usual line length
    (the last line of a paragraph, a heading, a caption). Table of contents entries are left out: they
    repeat the headings, and their dot leaders are no text to quote.
    """
    lines = [tidy_line(line) for line in CONTROL_CHARS.sub("", raw.translate(_LIGATURES)).split("\n")]
    lines = [line for line in lines if len(line) > _CONTENTS_WIDTH or not _CONTENTS_ENTRY.match(line)]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return ""
    usual = lengths[int(0.8 * (len(lengths) - 1))]
    paragraphs: list[str] = []
    current = ""
    for line, following in zip(lines, [*lines[1:], ""]):
        if not line:
            paragraphs.append(current)
            current = ""
            continue
        if current and (_PDF_HEADING.match(line) or line.startswith(_BULLETS) or _CAPTION.match(line)):
            paragraphs.append(current)
            current = ""
        current = _join_pdf_lines(current, line)
        if (len(line) < _SHORT_LINE * usual and not _wrapped_early(line, following)) or _COPYRIGHT_LINE.match(line):
            paragraphs.append(current)
            current = ""
    paragraphs.append(current)
    return join_paragraphs(_around_notices(_around_figures([paragraph for paragraph in paragraphs if paragraph])))


#: The copyright line closing a paper's first-page notice: "Copyright © 2009 ACM 978-1-60558-392-1/09/06…
#: $5.00", "978-1-7281-…/$31.00 ©2019 IEEE". The next column's text follows it on no blank line.
_COPYRIGHT_LINE = re.compile(r"^(?:Copyright|©|\(c\))\s.*\b(?:19|20)\d{2}\b.*(?:ACM|IEEE|ISBN|\$\d)")
#: A paragraph of such a notice: "Permission to make digital or hard copies of all or part of this work…",
#: the conference's line, the copyright line.
_NOTICE = re.compile(r"^(?:Permission to make digital or hard copies|Copyright\s|©|\(c\)\s)", re.IGNORECASE)
#: Paragraphs a notice takes at most: the permission, the conference, the copyright; and the words at most of
#: the conference's line ("PLDI’09, June 15–20, 2009, Dublin, Ireland.").
_NOTICE_PARAGRAPHS = 4
_VENUE_WORDS = 12


def _around_notices(paragraphs: list[str]) -> list[str]:
    """Sentences cut by a paper's first-page notice put back together. The notice closes the first column
    ("…the de facto standard for client-side web programming", "Permission to make digital or hard
    copies…", "Copyright © 2009 ACM …", "and is used for the application logic of…"): a paragraph that
    opens in lower case right after the notice joins the prose paragraph before it when that one stops
    mid-sentence. The notice follows the mended paragraph."""
    return _mended(paragraphs, _interrupted_by_notice)


def _mended(paragraphs: list[str], interrupted_by: Callable[[list[str], int], int | None]) -> list[str]:
    """``paragraphs`` with each one that opens in lower case joined to the paragraph ``interrupted_by`` finds
    its sentence began in, what interrupted it following."""
    index = 1
    while index < len(paragraphs):
        interrupted = interrupted_by(paragraphs, index) if paragraphs[index][:1].islower() else None
        if interrupted is None:
            index += 1
        else:
            paragraphs[interrupted] += " " + paragraphs.pop(index)
    return paragraphs


def _interrupted_by_notice(paragraphs: list[str], index: int) -> int | None:
    """The paragraph whose sentence the one at ``index`` goes on with, across a first-page notice right
    before it (its permission, its conference's short line, its copyright), or None."""
    before = index - 1
    while before >= max(0, index - _NOTICE_PARAGRAPHS) and (
        _NOTICE.match(paragraphs[before]) or len(paragraphs[before].split()) <= _VENUE_WORDS
    ):
        before -= 1
    if before < 0 or before == index - 1 or not any(_NOTICE.match(p) for p in paragraphs[before + 1 : index]):
        return None
    prose = paragraphs[before]
    stops_mid_sentence = prose[-1].isalpha() or prose[-1] in ",;"
    return before if stops_mid_sentence and len(prose.split()) >= _PROSE_WORDS else None


#: A figure's or a table's caption, which starts a paragraph: "Figure 11. Fraction of…", "Table 3.1. Comparison
#: of…", "Fig. 3:" ("Figure 10 shows…" and "(see Table 3.1)." are prose).
_CAPTION = re.compile(r"^(?:Figure|Fig\.|Table|Listing|Algorithm|Exhibit)\s+\d+(?:\.\d+)*[.:](?:\s|$)")
#: Paragraphs as short as this between an interrupted sentence and a caption are the figure's labels.
_LABEL_WORDS = 3
#: A paragraph as long as this is prose, not a table's row or a label.
_PROSE_WORDS = 15


def _around_figures(paragraphs: list[str]) -> list[str]:
    """Sentences cut by a figure put back together. PDFium reads a figure where the page draws it, in the
    middle of the sentence that runs around it ("…TraceMonkey's handling of type-unstable", "Figure 11.
    Fraction of dynamic bytecodes…", "loops and heavily branching code…"): a paragraph that opens in lower
    case right after a caption joins the prose paragraph before the figure when that one stops mid-sentence.
    The figure follows the mended paragraph."""
    return _mended(paragraphs, _interrupted_by_figure)


def _interrupted_by_figure(paragraphs: list[str], index: int) -> int | None:
    """The paragraph whose sentence the one at ``index`` goes on with, across a caption and the figure's
    labels, or None."""
    before = index - 1
    if not _CAPTION.match(paragraphs[before]):
        return None
    while before > 0 and (_CAPTION.match(paragraphs[before]) or len(paragraphs[before].split()) <= _LABEL_WORDS):
        before -= 1
    prose = paragraphs[before]
    if _CAPTION.match(prose):  # the figure opens the page
        return None
    last_sentence = re.split(r"[.!?:]\s", prose)[-1]
    stops_mid_sentence = prose[-1].isalpha() or prose[-1] in ",;"
    return before if stops_mid_sentence and len(prose.split()) >= _PROSE_WORDS and len(last_sentence.split()) >= 3 else None


def _wrapped_early(line: str, following: str) -> bool:
    """Whether a short ``line`` was wrapped mid-sentence, not ended: the next word was too long to fit on
    it ("…drone attack on a gas" / "distribution station…" in a narrow column). Its sentence goes on when
    it stops after a comma or a word no sentence ends with, or when the next line opens in lower case
    after no closing punctuation with a word (not a host name: "example.org" under a title)."""
    if not following or line.endswith(_HYPHENS) or len(line.split()) < 3 or _CODE_MARKS.search(f"{line}\n{following}"):
        return False  # a figure's labels, a listing's or a reference's lines: short lines of their own
    if ":" in " ".join(following.split()[:3]):
        return False  # a term and its definition, one a line ("root: pointer to a structure" / "name: the…")
    last_word = line.rsplit(maxsplit=1)[-1]
    if line.endswith(",") or last_word in _NEVER_LAST:
        return not following.startswith(_BULLETS)
    next_word = following.split(maxsplit=1)[0].rstrip(",;:")
    return next_word.isalpha() and next_word.islower() and not _CLOSED.search(line)  # isalpha: not "example.org"


#: What prose does not hold and code does: a comment, an assignment, a block, a statement's end, a name
#: in snake_case, a pointer ("int asn1_delete_structure (asn1 node * structure)" under its heading).
_CODE_MARKS = re.compile(r"^\s*#|//|:=|[{};=_*]", re.MULTILINE)
#: Punctuation that may close a sentence or a clause at a line's end, with a quote or bracket after it
#: (``_SENTENCE_END`` finds a sentence's end inside a line).
_CLOSED = re.compile(r"[.!?:;][\"”’)\]]*$")


def _join_pdf_lines(current: str, line: str) -> str:
    if not current:
        return line
    if current.endswith(_HYPHENS) and len(current) > 1 and current[-2].isalpha():
        return current[:-1] + _LINE_BREAK + current[-1] + line  # decided by ``_mend_broken_words``
    return f"{current} {line}"


#: Marks a word broken at a line's end after a hyphen, until the whole document's words say how to mend it.
_LINE_BREAK = "\ue000"  # a private-use character: no PDF text uses it, and tidying keeps it
_BROKEN_WORD = re.compile(rf"(\w+){_LINE_BREAK}(.)(\w*)")
_WORD = re.compile(r"\w+(?:[-\u2010]\w+)*")


def _mend_broken_words(pages: list[str]) -> list[str]:
    """Words broken at a line's end after a hyphen, put back as the document writes them elsewhere: "Sun-" /
    "Spider" is "SunSpider" in a paper that writes SunSpider, "non-" / "trivial" stays "non-trivial" where it
    writes that. A word written nowhere else is joined before a lower-case letter ("compi-" / "lation") and
    keeps its hyphen before a capital ("Just-in-" / "Time")."""
    written = {word.casefold() for page in pages for word in _WORD.findall(_BROKEN_WORD.sub(" ", page))}

    def mend(broken: re.Match[str]) -> str:
        head, hyphen, tail = broken.groups()
        joined, hyphened = head + tail, head + hyphen + tail
        if joined.casefold() in written:
            return joined
        if hyphened.casefold() in written or not tail[:1].islower():
            return hyphened
        return joined

    return [_BROKEN_WORD.sub(mend, page).replace(_LINE_BREAK, "") for page in pages]


def _pdf_title(declared: str, first_paragraph: str, path: Path) -> str:
    declared = tidy_line(declared)
    if (
        sum(c.isalpha() for c in declared) >= 2
        and declared.casefold() not in _PLACEHOLDER_TITLES
        and not _FILE_NAME_TITLE.search(declared)
        and not declared.startswith("Microsoft Word - ")
        and declared.casefold() != path.stem.casefold()  # Pillow and many scanners write the file's name
    ):
        return declared
    candidate = tidy_line(first_paragraph)
    if 0 < len(candidate) < 150 and any(c.isalpha() for c in candidate):
        return candidate
    return title_from_path(path)
