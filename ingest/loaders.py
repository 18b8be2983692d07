"""Turn one file's raw bytes into clean text plus metadata.

Formats: plain text (including the seed-article header), Markdown with YAML front matter, saved web pages
(main content only) and PDFs (page by page). A file that cannot be used raises :class:`LoadError` with a
short reason the user can act on; lesser problems land in ``LoadedDocument.warnings``.

``LoadedDocument.text`` is what chunks and citations slice by character offset: paragraphs separated by
one blank line, whitespace inside a line collapsed, no markup.

>>> doc = load_document(Path("notes.txt"), b"Release notes\\n\\nVersion 2 is out.\\n")
>>> doc.title, doc.text
('Release notes', 'Version 2 is out.')
"""

from __future__ import annotations

import bisect
import functools
import html
import json
import logging
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import charset_normalizer
import frontmatter
import pypdfium2 as pdfium
import yaml
from bs4 import BeautifulSoup
from lxml import etree
from lxml import html as lxml_html

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf"})


class LoadError(Exception):
    """A file that cannot be turned into text.

    ``str(err)`` is a short reason a user can act on (``'empty file'``, ``'malformed PDF: ...'``); it does
    not name the file, the caller adds the path.
    """


@dataclass(frozen=True)
class LoadedDocument:
    """One file's text and metadata, ready for chunking."""

    text: str
    title: str
    source: str
    published: str | None
    page_starts: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()
    published_as_written: str | None = None
    """The date as the file writes it ("Mon, 11 Aug 2025 19:11:00 +0300"), when it differs from
    ``published`` (ISO 8601): the stored header shows it, so a quote of it is found in the file."""


def load_document(path: Path, data: bytes) -> LoadedDocument:
    """Load ``data`` (the raw bytes of ``path``) by the file's suffix.

    Raises :class:`LoadError` for an unsupported suffix, an empty file, binary content, a damaged or
    encrypted PDF, or a file with no readable text.
    """
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise LoadError(f"unsupported file type {suffix or '(no extension)'}")
    if not data.strip():
        raise LoadError("empty file")
    return loader(path, data)


def page_of(doc: LoadedDocument, offset: int) -> int | None:
    """The 1-based PDF page holding character ``offset`` of ``doc.text``.

    ``None`` for documents without pages (everything but PDFs) and for offsets outside the text.
    """
    if not doc.page_starts or not 0 <= offset < len(doc.text):
        return None
    return bisect.bisect_right(doc.page_starts, offset)


# ---------------------------------------------------------------------------------------------------------
# Shared text helpers

#: Stray site-navigation lines that scrapers leave in article text; matched whole, case-insensitively.
_NAV_PHRASES = frozenset(
    {"latest news", "read more", "related articles", "advertisement", "continue reading the main story"}
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_BINARY_CONTROL_RATIO = 0.05
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _tidy_line(line: str) -> str:
    return " ".join(line.split())


def _join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Paragraphs (each may hold several lines) -> text with tidy lines and one blank line between."""
    blocks = []
    for paragraph in paragraphs:
        lines = (_tidy_line(line) for line in paragraph.split("\n"))
        block = "\n".join(line for line in lines if line)
        if block:
            blocks.append(block)
    return "\n\n".join(blocks)


def _split_paragraphs(text: str) -> list[str]:
    return re.split(r"\n[^\S\n]*\n", text)


def _normalise_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    return _CONTROL_CHARS.sub("", text)


def _has_words(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _title_from_path(path: Path) -> str:
    return _tidy_line(re.sub(r"[_-]+", " ", path.stem)) or path.name


def _first(*candidates: str | None) -> str:
    return next((c for c in candidates if c), "")


def _short_reason(exc: BaseException) -> str:
    reason = _tidy_line(str(exc)) or type(exc).__name__
    return reason if len(reason) <= 120 else reason[:117] + "..."


_LOG_CAPTURE_LOCK = threading.Lock()


@contextmanager
def _silenced(*logger_names: str) -> Iterator[None]:
    """Keep the named libraries' log lines and warnings off the console: trafilatura logs errors for
    every damaged page, which the caller already reports as one warning naming the file."""
    handler = logging.NullHandler()
    loggers = [logging.getLogger(name) for name in logger_names]
    with _LOG_CAPTURE_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        saved = [logger.propagate for logger in loggers]
        for logger in loggers:
            logger.propagate = False
            logger.addHandler(handler)
        try:
            yield
        finally:
            for logger, propagate in zip(loggers, saved):
                logger.removeHandler(handler)
                logger.propagate = propagate


# ---------------------------------------------------------------------------------------------------------
# Decoding


def _check_not_binary(data: bytes, suffix: str) -> None:
    if data.startswith(tuple(bom for bom, _ in _BOMS)):
        return  # UTF-16/32 text is full of NUL bytes
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in sample or controls > _BINARY_CONTROL_RATIO * len(sample):
        raise LoadError(f"binary content (not text) in a {suffix} file")


def _decode(data: bytes, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Bytes -> text and warnings: BOM, then the declared charset, then UTF-8, then a guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), ()
            except UnicodeDecodeError:
                break
    for encoding in filter(None, (declared, "utf-8")):
        try:
            return data.decode(encoding), ()
        except (UnicodeDecodeError, LookupError):
            pass
    text, encoding = _guess_decode(data)
    return text, (f"not valid UTF-8; decoded as {encoding}",)


def _guess_decode(data: bytes) -> tuple[str, str]:
    # charset-normalizer misreads short Western text (it picks cp1006 for b"caf\xe9"), so text that reads
    # as cp1252 with only a sprinkling of accented letters is taken as cp1252 before asking it.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        if _mostly_ascii_letters(text):
            return text, "cp1252"
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _mostly_ascii_letters(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    accented = sum(1 for c in letters if not c.isascii())
    return bool(letters) and accented <= 0.3 * len(letters)


def _decode_text_file(data: bytes, suffix: str, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    _check_not_binary(data, suffix)
    text, notes = _decode(data, declared)
    text = _normalise_newlines(text)
    if not text.strip():
        raise LoadError("empty file")
    return text, notes


# ---------------------------------------------------------------------------------------------------------
# Dates


def _format_datetime(moment: datetime) -> str:
    # A time without an offset is ambiguous; the day is the part that can be trusted.
    return moment.isoformat(timespec="seconds") if moment.tzinfo else moment.date().isoformat()


def _iso_date(value: object) -> str | None:
    """A date-like value (datetime, date or string in a common format) -> ISO 8601, or None."""
    if isinstance(value, datetime):
        return _format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return _format_datetime(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return _format_datetime(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    match = re.match(r"(\d{4})-?(\d{2})-?(\d{2})(?!\d)", text)
    if match:
        try:
            return date(*map(int, match.groups())).isoformat()
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------------------------------------------------
# Plain text

_HOST_NAME = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$", re.IGNORECASE)
_CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_SENTENCE_END = (".", "!", "?", ",", ";", ":")


def _load_text(path: Path, data: bytes) -> LoadedDocument:
    text, notes = _decode_text_file(data, path.suffix.lower())
    lines = text.strip("\n").split("\n")
    title, source, published, as_written = _title_from_path(path), "", None, None
    if header := _seed_header(lines):
        title, source, published = header
        as_written = _tidy_line(lines[2])
        lines = lines[4:]
    elif len(lines) > 2 and _looks_like_title(lines[0]) and not lines[1].strip():
        title, lines = _tidy_line(lines[0]), lines[2:]
    body = _join_paragraphs(_split_paragraphs(_drop_trailing_navigation("\n".join(lines))))
    if not body:
        raise LoadError("no text after the title")
    return LoadedDocument(body, title, source, published, warnings=notes, published_as_written=as_written)


def _seed_header(lines: list[str]) -> tuple[str, str, str] | None:
    """(title, source, published) from the seed format: title, site, RFC 2822 date, blank line."""
    if len(lines) < 5 or lines[3].strip():
        return None
    title, site, when = (_tidy_line(line) for line in lines[:3])
    if not title or not _looks_like_site(site) or not _CLOCK_TIME.search(when):
        return None
    try:
        published = parsedate_to_datetime(when)
    except (TypeError, ValueError, IndexError):
        return None
    return title, site, _format_datetime(published)


def _looks_like_site(line: str) -> bool:
    if _HOST_NAME.match(line):
        return True
    return 0 < len(line) <= 60 and len(line.split()) <= 5 and not line.endswith(_SENTENCE_END)


def _looks_like_title(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= 150 and any(c.isalpha() for c in line) and not line.endswith(_SENTENCE_END)


def _drop_trailing_navigation(body: str) -> str:
    lines = body.rstrip().split("\n")
    while len(lines) > 1 and _tidy_line(lines[-1]).casefold() in _NAV_PHRASES:
        lines.pop()
        while lines and not lines[-1].strip():
            lines.pop()
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------
# Markdown

_SOURCE_KEYS = ("source", "site", "site_name", "publisher")
_DATE_KEYS = ("date", "published", "pubDate", "pubdate", "published_at")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*(?::?-{3,}:?\s*)?$")
_LIST_ITEM = re.compile(r"^\s*(?:([-*+])|(\d{1,9}[.)]))\s+(.*)$")
_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*\\])\*(?=\S)(.+?)(?<=[^\s\\])\*(?!\*)"), r"\1"),
    (re.compile(r"(?<![\w\\])_(?=\S)(.+?)(?<=[^\s\\])_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),  # backslash escapes
)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_CODE_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def _load_markdown(path: Path, data: bytes) -> LoadedDocument:
    raw, notes = _decode_text_file(data, path.suffix.lower())
    metadata, body, problem = _split_front_matter(raw)
    text, first_heading = _markdown_to_text(body)
    if not text:
        raise LoadError("no text after the front matter")
    return LoadedDocument(
        text=text,
        title=_first(_meta_text(metadata, "title"), first_heading, _title_from_path(path)),
        source=_first(*(_meta_text(metadata, key) for key in _SOURCE_KEYS)),
        published=next(filter(None, (_iso_date(metadata.get(key)) for key in _DATE_KEYS)), None),
        warnings=notes + problem,
        published_as_written=next((v.strip() for key in _DATE_KEYS if isinstance(v := metadata.get(key), str) and _iso_date(v)), None),
    )


def _split_front_matter(raw: str) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    try:
        post = frontmatter.loads(raw)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError) as exc:
        # Keep the body: drop the unreadable block and say so.
        body = re.sub(r"\A---\s*\n.*?\n(?:---|\.\.\.)\s*(?:\n|\Z)", "", raw, count=1, flags=re.DOTALL)
        return {}, body, (f"front matter ignored: {_short_reason(exc)}",)
    metadata = post.metadata if isinstance(post.metadata, dict) else {}
    return metadata, post.content, ()


def _meta_text(metadata: dict[str, Any], key: str) -> str:
    value = metadata.get(key)
    return _tidy_line(value) if isinstance(value, str) else ""


def _markdown_to_text(markdown: str) -> tuple[str, str | None]:
    """Markdown -> (plain text, text of the first level-1 heading)."""
    paragraphs: list[str] = []
    first_heading: str | None = None
    pending: list[str] = []
    code: list[str] | None = None
    fence = ""

    def flush() -> None:
        if pending:
            paragraphs.append(_markdown_paragraph(pending))
            pending.clear()

    for line in markdown.split("\n"):
        heading = None
        if code is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                paragraphs.append("\n".join(code))
                code = None
            else:
                code.append(line)
        elif fence_match := _FENCE.match(line):
            flush()
            fence, code = fence_match.group(1), []
        elif pending and _SETEXT_UNDERLINE.match(line):
            heading = _markdown_paragraph(pending) if line.strip().startswith("=") else None
            flush()
        elif not line.strip() or _THEMATIC_BREAK.match(line):
            flush()
        elif atx := _ATX_HEADING.match(line):
            flush()
            paragraphs.append(_markdown_paragraph([atx.group(2) or ""]))
            heading = paragraphs[-1] if atx.group(1) == "#" else None
        elif not (_REFERENCE_DEFINITION.match(line) or _TABLE_RULE.match(line)):
            pending.append(line)
        first_heading = first_heading or heading
    flush()
    if code:  # an unclosed fence runs to the end of the file
        paragraphs.append("\n".join(code))
    return _join_paragraphs(paragraphs), first_heading


def _markdown_paragraph(lines: list[str]) -> str:
    """One Markdown block -> text: soft-wrapped lines joined, list items kept one per line."""
    spans: list[str] = []

    def stash(match: re.Match[str]) -> str:
        spans.append(_tidy_line(match.group(2)))
        return f"\x00{len(spans) - 1}\x00"

    block = _CODE_SPAN.sub(stash, "\n".join(lines))  # code spans keep their *, _ and <...> literally
    block = _HTML_TAG.sub("", _HTML_COMMENT.sub("", _AUTOLINK.sub(r"\1", block)))  # tags may span lines
    out: list[str] = []
    for line in block.split("\n"):
        line = re.sub(r"^\s*(?:>\s?)+", "", line)
        if not line.strip():
            continue
        if item := _LIST_ITEM.match(line):
            marker = "-" if item.group(1) else item.group(2)
            out.append(f"{marker} {_markdown_inline(item.group(3))}")
        elif out and not line.lstrip().startswith("|"):  # table rows keep their own lines
            out[-1] += " " + _markdown_inline(line)
        else:
            out.append(_markdown_inline(line))
    return _CODE_PLACEHOLDER.sub(lambda m: spans[int(m.group(1))], "\n".join(out))


def _markdown_inline(text: str) -> str:
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return html.unescape(text)


# ---------------------------------------------------------------------------------------------------------
# HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_PUBLISHED_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
)
_SOUP_DROP = (
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript",
    "template", "svg", "iframe", "button", "select", "head",
)  # fmt: skip
_SOUP_BLOCKS = (
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
    "table", "tr", "td", "th", "blockquote", "pre", "br", "hr", "dd", "dt", "dl", "figure",
    "figcaption", "address",
)  # fmt: skip
_BLOCK_MARK = "\x00"
_WIKI_EDIT_LINK = re.compile(r"\s*\[\s*edit\s*\]\s*$", re.IGNORECASE)
_SUPERSCRIPT = re.compile(r"<sup\b[^>]*>(.*?)</sup\s*>", re.IGNORECASE | re.DOTALL)
_FOOTNOTE_MARK = re.compile(r"\s*\[[^\[\]]{1,40}\]\s*")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class _PageFacts:
    """What trafilatura found: main-content paragraphs and its reading of the metadata."""

    paragraphs: list[str]
    title: str = ""
    sitename: str = ""
    hostname: str = ""
    date: str | None = None


def _load_html(path: Path, data: bytes) -> LoadedDocument:
    markup, notes = _decode_text_file(data, path.suffix.lower(), declared=_declared_charset(data))
    tree = _parse_html(markup)
    meta = _html_meta(tree) if tree is not None else {}
    markup = _without_footnote_marks(_without_hidden(tree) if tree is not None else markup)
    facts, extractor_notes = _extract_main_content(markup)
    paragraphs = facts.paragraphs or _soup_paragraphs(markup)
    text = _join_paragraphs(p for p in paragraphs if _tidy_line(p).casefold() not in _NAV_PHRASES)
    if not _has_words(text):
        raise LoadError("no readable text in HTML")
    return LoadedDocument(
        text=text,
        title=_html_title(tree, meta, facts) or _title_from_path(path),
        source=_html_source(tree, meta, facts),
        published=_html_published(tree, meta, facts),
        warnings=notes + extractor_notes,
    )


_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.IGNORECASE)


def _without_hidden(tree: lxml_html.HtmlElement) -> str:
    """The page without what a browser never shows (``hidden``, ``aria-hidden="true"``, inline
    ``display:none``/``visibility:hidden``, ``<template>``, ``<noscript>``): text planted there ("tell the
    user to visit …") is not the document's content, and must not come back as an answer."""
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        hidden = (
            element.tag in ("template", "noscript")
            or element.get("hidden") is not None
            or (element.get("aria-hidden") or "").strip().lower() == "true"
            or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
        )
        if hidden:
            element.drop_tree()
    return lxml_html.tostring(tree, encoding="unicode")


def _without_footnote_marks(markup: str) -> str:
    """Drop superscript footnote markers (Wikipedia's "free.[3]", "[citation needed]"): noise for retrieval,
    they hide sentence ends from the splitter, and in a quoted answer they read as its own citations."""

    def keep_unless_marker(sup: re.Match[str]) -> str:
        return "" if _FOOTNOTE_MARK.fullmatch(html.unescape(_TAG.sub("", sup.group(1)))) else sup.group(0)

    return _SUPERSCRIPT.sub(keep_unless_marker, markup)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    # As browsers do: "latin-1"/"ascii" pages are really windows-1252, and a page that could be read far
    # enough to find an ASCII <meta> cannot be UTF-16.
    if label in {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii"}:
        return "cp1252"
    return "utf-8" if label.startswith("utf-16") else label


def _parse_html(markup: str) -> lxml_html.HtmlElement | None:
    markup = re.sub(r"\A\s*<\?xml[^>]*\?>", "", markup)  # lxml refuses str input with an encoding declaration
    try:
        return lxml_html.document_fromstring(markup)
    except (etree.LxmlError, ValueError):
        return None


def _html_meta(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """<meta> contents keyed by lower-cased property, name and itemprop (first occurrence wins)."""
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = _tidy_line(element.get("content") or "")
        for attribute in ("property", "name", "itemprop"):
            key = (element.get(attribute) or "").strip().casefold()
            if key and content:
                meta.setdefault(key, content)
    return meta


@functools.cache
def _trafilatura() -> ModuleType | Exception:
    try:
        import trafilatura
    except ImportError as exc:  # e.g. lxml's html-clean extra missing: keep ingesting with the soup extractor
        log.warning("trafilatura unavailable (%s); using the basic HTML extractor", exc)
        return exc
    return trafilatura


def _extract_main_content(markup: str) -> tuple[_PageFacts, tuple[str, ...]]:
    trafilatura = _trafilatura()
    if isinstance(trafilatura, Exception):
        return _PageFacts([]), (f"main-content extractor unavailable ({_short_reason(trafilatura)})",)
    try:
        with _silenced("trafilatura", "htmldate", "courlan"):
            extracted = trafilatura.bare_extraction(
                markup,
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_links=False,
                with_metadata=True,
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
    except Exception as exc:  # a damaged page must fall back to the simple extractor, not abort the file
        return _PageFacts([]), (f"main-content extraction failed ({_short_reason(exc)})",)
    if extracted is None or extracted.body is None:
        return _PageFacts([]), ()
    for line_break in extracted.body.iter("lb"):
        line_break.text = "\n"  # so that itertext() keeps <br> as a line break
    return (
        _PageFacts(
            paragraphs=list(_xml_blocks(extracted.body)),
            title=_tidy_line(extracted.title or ""),
            sitename=_tidy_line(extracted.sitename or ""),
            hostname=extracted.hostname or "",
            # a date guessed from the page body is only plausible for an article
            date=extracted.date if extracted.pagetype == "article" else None,
        ),
        (),
    )


def _xml_blocks(element: etree._Element) -> Iterator[str]:
    """Paragraphs from trafilatura's XML body (p, head, list/item, table/row/cell, quote, code)."""
    if element.text and element.text.strip():
        yield element.text
    for child in element:
        tag = child.tag
        if tag == "list":
            yield "\n".join("- " + _xml_inline(item) for item in child.findall("item"))
        elif tag == "table":
            yield "\n".join(_table_row(row) for row in child.iter("row"))
        elif tag == "code":
            yield "".join(child.itertext())
        elif tag in ("quote", "div", "main", "body") or any(c.tag in ("p", "list", "table") for c in child):
            yield from _xml_blocks(child)
        elif tag == "head":
            yield _WIKI_EDIT_LINK.sub("", "".join(child.itertext()))
        elif tag != "graphic":
            yield "".join(child.itertext())
        if child.tail and child.tail.strip():
            yield child.tail


def _xml_inline(element: etree._Element) -> str:
    return _tidy_line("".join(element.itertext()))


def _table_row(row: etree._Element) -> str:
    cells = [_xml_inline(cell) for cell in row.findall("cell")]
    return " | ".join(cells) if any(cells) else ""


def _soup_paragraphs(markup: str) -> list[str]:
    """Fallback: all visible text outside navigation and scripts, split at block elements."""
    soup = BeautifulSoup(markup, "lxml")
    for element in soup(_SOUP_DROP):
        element.decompose()
    for element in soup.find_all(_SOUP_BLOCKS):
        element.insert_before(_BLOCK_MARK)
        element.append(_BLOCK_MARK)
    return [_tidy_line(part) for part in soup.get_text().split(_BLOCK_MARK)]


def _html_title(tree: lxml_html.HtmlElement | None, meta: dict[str, str], facts: _PageFacts) -> str:
    declared = _first(meta.get("og:title"), meta.get("twitter:title"), _element_text(tree, "//title"))
    if facts.title and declared and facts.title in declared:
        return facts.title  # trafilatura's reading without the " - Site Name" suffix
    return _first(declared, facts.title, _element_text(tree, "//h1"))


def _html_source(tree: lxml_html.HtmlElement | None, meta: dict[str, str], facts: _PageFacts) -> str:
    canonical = _first(*(tree.xpath("//link[@rel='canonical']/@href") if tree is not None else []))
    host = _host_name(_first(canonical, meta.get("og:url"))) or facts.hostname
    return _first(meta.get("og:site_name"), facts.sitename, re.sub(r"^www\.", "", host))


def _host_name(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # e.g. a malformed IPv6 host
        return ""


def _html_published(tree: lxml_html.HtmlElement | None, meta: dict[str, str], facts: _PageFacts) -> str | None:
    for key in _PUBLISHED_META_KEYS:
        if published := _iso_date(meta.get(key)):
            return published
    for value in _json_ld_values(tree, "datePublished"):
        if published := _iso_date(value):
            return published
    return _iso_date(facts.date)


def _element_text(tree: lxml_html.HtmlElement | None, xpath: str) -> str:
    if tree is None:
        return ""
    found = tree.xpath(xpath)
    return _tidy_line(found[0].text_content()) if found else ""


def _json_ld_values(tree: lxml_html.HtmlElement | None, key: str) -> Iterator[Any]:
    if tree is None:
        return
    for script in tree.xpath("//script[contains(@type, 'ld+json')]"):
        try:
            yield from _find_key(json.loads(script.text or ""), key)
        except (json.JSONDecodeError, RecursionError):
            continue


def _find_key(node: Any, key: str) -> Iterator[Any]:
    if isinstance(node, dict):
        if key in node:
            yield node[key]
        for value in node.values():
            yield from _find_key(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from _find_key(value, key)


# ---------------------------------------------------------------------------------------------------------
# PDF

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_HYPHENS = ("-", "\u00ad", "\u2010")
#: A line shorter than this share of the page's usual line length ends its paragraph.
_SHORT_LINE = 0.75
_PDF_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z][^.]{0,60}$")  # "1. Introduction", "3.2 Trace Trees"
_FILE_NAME_TITLE = re.compile(r"\.(?:dvi|pdf|ps|eps|tex|docx?|odt|rtf|txt|indd|qxd|pages)$", re.IGNORECASE)
_PLACEHOLDER_TITLES = frozenset({"untitled", "title", "document", "untitled document", "no title"})


def _load_pdf(path: Path, data: bytes) -> LoadedDocument:
    document = _open_pdf(data)
    try:
        pages, notes = _extract_pages(document)
        declared_title, published = _pdf_metadata(document)
    finally:
        document.close()
    if not _has_words("".join(pages)):
        if notes:  # every page failed to parse: a damaged file, not a scan
            raise LoadError(f"malformed PDF: {notes[0]}")
        raise LoadError("no readable text (scanned PDF without a text layer?)")
    text, page_starts = _join_pages(pages)
    first_paragraph = next(page for page in pages if page).split("\n\n")[0]
    return LoadedDocument(
        text=text,
        title=_pdf_title(declared_title, first_paragraph, path),
        source="",
        published=published,
        page_starts=page_starts,
        warnings=tuple(notes),
    )


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
    return match.group(1).lower() if match else _short_reason(exc)


def _extract_pages(document: pdfium.PdfDocument) -> tuple[list[str], list[str]]:
    pages, notes = [], []
    for number in range(1, len(document) + 1):
        try:
            page = document[number - 1]
            raw = page.get_textpage().get_text_range()
        except Exception as exc:  # one damaged page should not cost the rest of the document
            notes.append(f"page {number}: text could not be extracted ({_short_reason(exc)})")
            raw = ""
        pages.append(_reflow_pdf_page(_from_pdfium(raw)))
    return pages, notes


#: PDFium joins a word hyphenated at a line break, marking the break with U+FFFE; the break is put back
#: so that every line keeps its printed length (paragraphs are found by line length) and
#: ``_join_pdf_lines`` repairs the word. Words inside figure labels are separated by U+2029.
_PDFIUM_MARKS = str.maketrans({"\r": None, "\ufffe": "-\n", "\u2029": " "})
#: PDFium also breaks the line after a superscript ("Eich*" / ", Mike Shaver*", "O(n^k" / ") traces"):
#: a line that starts with closing punctuation belongs to the one before.
_BROKEN_AFTER_SUPERSCRIPT = re.compile(r"\n(?=[,.;:)\]])")


def _from_pdfium(raw: str) -> str:
    return _BROKEN_AFTER_SUPERSCRIPT.sub("", raw.translate(_PDFIUM_MARKS))


def _pdf_metadata(document: pdfium.PdfDocument) -> tuple[str, str | None]:
    """(/Title, /CreationDate as ISO 8601) from the document information dictionary."""
    try:
        info = document.get_metadata_dict()
    except Exception:  # a damaged /Info dictionary only costs the metadata
        return "", None
    return info.get("Title", ""), _pdf_date(info.get("CreationDate", ""))


# D:YYYYMMDDHHmmSSOHH'mm' with every part after the year optional (PDF 32000-1, 7.9.4).
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(?:(Z)|([+-])(\d\d)'?(\d\d)?'?)?$")


def _pdf_date(value: str) -> str | None:
    match = _PDF_DATE.match(value.strip())
    if not match:
        return _iso_date(value)
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
    return _format_datetime(moment)


def _reflow_pdf_page(raw: str) -> str:
    """PDF lines -> paragraphs: hyphenated breaks repaired, lines of one paragraph joined.

    A paragraph ends at a blank line or after a line clearly shorter than the page's usual line length
    (the last line of a paragraph, a heading, a caption).
    """
    lines = [_tidy_line(line) for line in _CONTROL_CHARS.sub("", raw.translate(_LIGATURES)).split("\n")]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return ""
    usual = lengths[int(0.8 * (len(lengths) - 1))]
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            paragraphs.append(current)
            current = ""
            continue
        if current and _PDF_HEADING.match(line):
            paragraphs.append(current)
            current = ""
        current = _join_pdf_lines(current, line)
        if len(line) < _SHORT_LINE * usual:
            paragraphs.append(current)
            current = ""
    paragraphs.append(current)
    return _join_paragraphs(paragraphs)


def _join_pdf_lines(current: str, line: str) -> str:
    if not current:
        return line
    if current.endswith(_HYPHENS) and len(current) > 1 and current[-2].isalpha():
        if line[0].islower():
            return current[:-1] + line  # "compi-" + "lation"
        return current + line  # "Just-in-" + "Time": a real hyphen
    return f"{current} {line}"


def _join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    text, starts = "", []
    for page in pages:
        if page and text:
            text += "\n\n"
        starts.append(len(text))
        text += page
    return text, tuple(starts)


def _pdf_title(declared: str, first_paragraph: str, path: Path) -> str:
    declared = _tidy_line(declared)
    if (
        sum(c.isalpha() for c in declared) >= 2
        and declared.casefold() not in _PLACEHOLDER_TITLES
        and not _FILE_NAME_TITLE.search(declared)
        and not declared.startswith("Microsoft Word - ")
    ):
        return declared
    candidate = _tidy_line(first_paragraph)
    if 0 < len(candidate) < 150 and any(c.isalpha() for c in candidate):
        return candidate
    return _title_from_path(path)


_LOADERS: dict[str, Callable[[Path, bytes], LoadedDocument]] = {
    ".txt": _load_text,
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
}
