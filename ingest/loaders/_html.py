"""Saved web pages: the main content (trafilatura, with a BeautifulSoup fallback) and the page's
metadata (title, site, publication date), without what a browser never shows."""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from lxml import etree
from lxml import html as lxml_html

from assistant._dates import iso_date
from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._header import dateline
from ingest.loaders._text import (
    NAV_PHRASES,
    TextBuilder,
    decode_text_file,
    first,
    has_words,
    short_reason,
    silenced,
    tidy_line,
    title_from_path,
)

log = logging.getLogger(__name__)

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
_HEADING_MARK = "\x01"
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_WIKI_EDIT_LINK = re.compile(r"\s*\[\s*edit\s*\]\s*$", re.IGNORECASE)
_SUPERSCRIPT = re.compile(r"<sup\b[^>]*>(.*?)</sup\s*>", re.IGNORECASE | re.DOTALL)
_FOOTNOTE_MARK = re.compile(r"\s*\[[^\[\]]{1,40}\]\s*")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class _PageFacts:
    """What trafilatura found: main-content paragraphs and its reading of the metadata."""

    paragraphs: list[tuple[str, bool]]
    """Each with whether it is a heading (which opens the section citations name)."""
    title: str = ""
    sitename: str = ""
    hostname: str = ""
    date: str | None = None
    author: str = ""


def load_html(path: Path, data: bytes, *, url: str = "", charset: str | None = None) -> LoadedDocument:
    """``url`` and ``charset``: where the page was saved from and how its bytes are encoded, when what holds
    the page says so (a web archive, an e-mail part). The charset wins over the one the markup declares;
    the page's site is named from the address if the markup names none."""
    markup, notes = decode_text_file(data, path.suffix.lower(), declared=charset or _declared_charset(data))
    tree = _parse_html(markup)
    meta = _html_meta(tree) if tree is not None else {}
    if tree is not None:
        _wrap_loose_text(tree)
        _unwrap_layout_tables(tree)
        _preformatted_as_code(tree)
        _inline_divisions_as_paragraphs(tree)
        _questions_and_answers_from_their_table(tree)
        _drop_permalinks(tree)  # before the labels below are read: "-v ¶, --verbose" was a term
        _terms_as_paragraphs(tree)
        _run_in_headings(tree)
        _drop_page_navigation(tree)
        markup = _without_hidden(tree)
    markup = _without_footnote_marks(markup)
    facts, extractor_notes = _extract_main_content(markup)
    paragraphs = _with_dropped_headings(facts.paragraphs, tree) if tree is not None else facts.paragraphs
    built = TextBuilder()
    for paragraph, heading in paragraphs or visible_paragraphs(markup):
        if tidy_line(paragraph).casefold() not in NAV_PHRASES:
            built.add(paragraph, heading=heading)
    if not has_words(built.text):
        raise LoadError("no readable text in HTML")
    published, published_as_written = _html_published(tree, meta, facts)
    return LoadedDocument(
        text=built.text,
        sections=tuple(built.sections),
        title=_html_title(tree, meta, facts) or title_from_path(path),
        source=_html_source(tree, meta, facts, url),
        published=published,
        author=_html_author(tree, meta, facts),
        warnings=notes + extractor_notes,
        published_as_written=published_as_written,
    )


#: Elements that flow within a paragraph: text between them and around them is one paragraph.
_INLINE = frozenset((
    "a", "abbr", "b", "big", "br", "cite", "code", "em", "font", "i", "kbd", "mark", "q", "s", "samp",
    "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var",
))  # fmt: skip


def _wrap_loose_text(tree: lxml_html.HtmlElement) -> None:
    """Text written straight into ``<body>`` (older and hand-written pages: a heading, then prose with no
    ``<p>``, code in ``<pre>``, more prose) wrapped in the paragraphs a browser shows it as. trafilatura
    keeps only text inside blocks: such a page lost its opening paragraph and the prose between its code
    blocks. Text and inline elements (``<tt>``, ``<em>``, ``<a>``) up to the next block stay one paragraph."""
    for body in tree.iter("body"):
        children = list(body)
        paragraph = _paragraph_of(body.text)
        if paragraph is not None:
            body.text = None
            body.insert(0, paragraph)
        for child in children:
            if not isinstance(child.tag, str) or child.tag in _INLINE:  # comments too: their tail is text
                if paragraph is None:
                    paragraph = lxml_html.Element("p")
                    child.addprevious(paragraph)
                paragraph.append(child)  # its tail, the text after it, moves with it
                continue
            paragraph = _paragraph_of(child.tail)
            if paragraph is not None:
                child.tail = None
                child.addnext(paragraph)


def _unwrap_layout_tables(tree: lxml_html.HtmlElement) -> None:
    """A table of one cell is layout, not data (older DocBook output shades each example so: ``<table
    bgcolor="#E0E0E0"><tr><td><pre>…``): its content as a division. Read as a table cell, fontconfig's table
    of font properties ran into one line ("Property Type Description ------ family String Font family
    names familylang String…")."""
    for table in list(tree.iter("table")):
        cells = table.xpath("./tr/td|./tr/th|./*/tr/td|./*/tr/th")
        if len(cells) == 1 and not table.xpath(".//table"):
            table.tag = "div"
            table.attrib.clear()
            cell = cells[0]
            for element in [cell, *cell.iterancestors()]:
                if element is table:
                    break
                element.drop_tag()


def _preformatted_as_code(tree: lxml_html.HtmlElement) -> None:
    """Preformatted text as code, whose lines are kept: trafilatura reads a ``<pre>`` as code only when it
    looks like code to it, else as a quotation run into one line (fontconfig's table of properties,
    a man page's synopsis, an ASCII diagram). Its ``<pre><code>`` it keeps line for line."""
    for block in list(tree.iter("pre")):
        if len(block) == 1 and block[0].tag == "code" and not (block.text or "").strip() and not (block[0].tail or "").strip():
            continue
        code = lxml_html.Element("code")
        code.text, block.text = block.text, None
        for child in list(block):
            code.append(child)
        block.append(code)


def _inline_divisions_as_paragraphs(tree: lxml_html.HtmlElement) -> None:
    """A ``<div>`` of prose written around inline elements made the paragraph a browser shows it as.
    trafilatura kept only the inline elements' own lines of Node.js's "<div>Stability: 3 - Legacy: Use
    <a><code>clearTimeout()</code></a> instead.</div>": "clearTimeout()" / "instead.". A division of text
    alone, or of a label and links ("From Wikipedia, the free encyclopedia", a hatnote's "Main article:
    Firefox", a news page's "Read also: …"), or one marked as a note or navigation (Wikipedia's "See also:
    Mozilla Foundation and Mozilla Corporation"), is left to trafilatura, which drops it as the page's chrome."""
    for division in list(tree.iter("div")):
        children = list(division)
        if not children or division.get("role") in ("note", "navigation") or not all(isinstance(child.tag, str) and child.tag in _INLINE for child in children):
            continue
        outside_links = [division.text or "", *(child.text_content() for child in children if child.tag != "a"), *(c.tail or "" for c in children)]
        if len(" ".join(outside_links).split()) >= _PROSE_WORDS:
            division.tag = "p"


#: Words outside links that make a division prose rather than a label over links ("Main article:").
_PROSE_WORDS = 3


def _questions_and_answers_from_their_table(tree: lxml_html.HtmlElement) -> None:
    """DocBook's FAQ ("qandaset") as the questions' headings and the answers' paragraphs: DocBook lays it
    out as a table, a row for each question and each answer, and the question, a row of its own ("1.1. |
    How do you pronounce "Valgrind"?"), was neither a heading nor beside its answer ("| The "Val" as in
    the word "value"…"); the table's contents row ("1.1. How do you pronounce…?1.2. Where does…") is
    left out."""
    for table in tree.xpath('//div[contains(concat(" ", normalize-space(@class), " "), " qandaset ")]//table'):
        blocks = lxml_html.Element("div")
        for row in table.iter("tr"):
            kind = row.get("class", "")
            if kind in ("qandadiv", "question"):
                heading = etree.SubElement(blocks, "h3" if kind == "qandadiv" else "h4")
                heading.text = tidy_line(" ".join(cell.text_content() for cell in row.iter("td")))
            elif kind == "answer":
                for cell in row.iter("td"):
                    if paragraph := _paragraph_of(cell.text):
                        blocks.append(paragraph)
                    blocks.extend(list(cell))
        if len(blocks) and table.getparent() is not None:
            blocks.tail = table.tail
            table.getparent().replace(table, blocks)


def _dropped_headings(tree: lxml_html.HtmlElement, written: set[str]) -> Iterator[tuple[str, str]]:
    """Each heading of the page that ``written`` (trafilatura's paragraphs, case-folded) lacks, in the page's
    order, with the start of the first text after it that no heading holds (where trafilatura's paragraphs
    can be matched to it). The text after a heading trafilatura kept is not read."""
    for heading in tree.iter(*_HEADINGS):
        text = _WIKI_EDIT_LINK.sub("", tidy_line(heading.text_content()))
        if text and text.casefold() not in written and (after := _text_after(heading)):
            yield text, after


def _text_after(heading: lxml_html.HtmlElement) -> str:
    """The first words written after ``heading`` in the page, headings left out, up to ``_MATCHED_CHARS``:
    "For example:" opens two of Valgrind's sections, and what follows tells them apart. Read a piece at a
    time: a page of 4,000 headings (Node's all.html) must not read its whole rest after each one."""
    written = ""
    for piece in itertools.islice(_texts_after(heading), _PIECES_LOOKED_AT):  # not every heading after it, stacked
        written += piece
        if len(written) > 2 * _MATCHED_CHARS and len(tidy_line(written)) >= _MATCHED_CHARS:
            break
    return tidy_line(written)[:_MATCHED_CHARS]


def _texts_after(heading: lxml_html.HtmlElement) -> Iterator[str]:
    element: lxml_html.HtmlElement | None = heading
    while element is not None:
        yield element.tail or ""
        for sibling in element.itersiblings():
            yield from _texts_of(sibling)
            yield sibling.tail or ""
        element = element.getparent()


def _texts_of(element: lxml_html.HtmlElement) -> Iterator[str]:
    """``element``'s text in order, a space between blocks (paragraphs apart, as trafilatura gives them),
    none around inline elements, nothing of a heading's."""
    if not isinstance(element.tag, str) or element.tag in _HEADINGS:
        return
    block = element.tag not in _INLINE
    yield " " if block else ""
    yield element.text or ""
    for child in element:
        yield from _texts_of(child)
        yield child.tail or ""
    yield " " if block else ""


#: Characters of the text after a heading that must open a paragraph for the heading to go before it.
_MATCHED_CHARS = 40
#: Pieces of text and tails read after a heading at most: 5,000 headings stacked with nothing between
#: took 6 s, each reading past all the others.
_PIECES_LOOKED_AT = 200


def _with_dropped_headings(paragraphs: list[tuple[str, bool]], tree: lxml_html.HtmlElement) -> list[tuple[str, bool]]:
    """trafilatura's paragraphs with the page's headings it dropped put back, each before the paragraph
    its section opens with. It drops a short heading when the section holds a list of paragraphs, or
    when it is nested in divisions as DocBook writes them (``<div class="titlepage"><div><div><h2>4.1.
    Overview</h2>``): Valgrind's manual and the Debian Reference lost every section heading. A heading
    whose section trafilatura left out (a sidebar's, a footer's) stays out. Each paragraph's opening
    words are indexed once: a page of 20,000 paragraphs and 3,000 such headings took minutes scanned."""
    dropped = list(_dropped_headings(tree, {tidy_line(text).casefold() for text, _ in paragraphs})) if paragraphs else []
    if not dropped:
        return paragraphs
    openings: dict[str, list[int]] = {}
    for index, words in enumerate(_openings(paragraphs)):
        if words is not None:
            openings.setdefault(words, []).append(index)
    put_back: dict[int, list[str]] = {}
    cursor = 0
    for heading, after in dropped:
        found = openings.get(after, [])
        position = bisect.bisect_left(found, cursor)
        if position == len(found):
            continue
        index = found[position]
        # rustdoc's kept heading holds this one after a version and a link: "1.0.0 · Sourcepub fn new()"
        above = put_back[index][-1] if index in put_back else paragraphs[index - 1][0] if index and paragraphs[index - 1][1] else ""
        if not tidy_line(above).casefold().endswith(heading.casefold()):
            put_back.setdefault(index, []).append(heading)
        cursor = index
    return [item for index, paragraph in enumerate(paragraphs) for item in [*((h, True) for h in put_back.get(index, ())), paragraph]]


def _openings(paragraphs: list[tuple[str, bool]]) -> Iterator[str | None]:
    """For each paragraph, the first ``_MATCHED_CHARS`` of the text from it on, headings and list marks left
    out, as ``_text_after`` reads the page (None for a heading, and where less text than that is left)."""
    texts = [" ".join(line.removeprefix("- ") for line in text.split("\n")) for text, _ in paragraphs]
    headings = [is_heading for _, is_heading in paragraphs]
    for index, is_heading in enumerate(headings):
        if is_heading:
            yield None
            continue
        words = ""
        for text, heading in zip(texts[index : index + _MATCHED_CHARS], headings[index : index + _MATCHED_CHARS]):
            if not heading:
                words = tidy_line(f"{words} {text}")
            if len(words) >= _MATCHED_CHARS:
                break
        yield words[:_MATCHED_CHARS] if len(words) >= _MATCHED_CHARS else None


def _paragraph_of(text: str | None) -> lxml_html.HtmlElement | None:
    if not text or not text.strip():
        return None
    paragraph = lxml_html.Element("p")
    paragraph.text = text
    return paragraph


def _terms_as_paragraphs(tree: lxml_html.HtmlElement) -> None:
    """A definition list's terms with their definitions (``<dt>postfix</dt><dd><p>Used by the postfix
    MTA.</p></dd>`` as "postfix: Used by the postfix MTA."), else as paragraphs of their own, and the list
    as the blocks it holds. trafilatura drops a plain ``<dt>``, which left each definition without what it
    defines, and in a page's main content it read a term left inside a ``<dl>`` after its definition
    (Python's documentation: "Add an item to the end of the list", then ``list.append(x)``). A definition
    apart from its term does not say what it defines, as a spreadsheet's row does not without its header.

    Terms written one after another share the definition after them (GNU manuals give each spelling of an
    option its own term: "-p, --portability: Use the POSIX format."), and a definition written as bare text
    takes them as well as one in a paragraph (asciidoc's "%e: Elapsed time in seconds."): apart, "-p" and
    "%e" were lines of their own, and their definitions said nothing of which option they describe."""
    for term in list(tree.iter("dt")):
        definition = term.getnext()
        if definition is not None and definition.tag == "dt":
            continue  # taken with the last term before the definition
        terms = [term]
        while (earlier := terms[0].getprevious()) is not None and earlier.tag == "dt":
            terms.insert(0, earlier)
        label = ", ".join(text for text in (tidy_line(t.text_content()) for t in terms) if text)
        if label and definition is not None and definition.tag == "dd" and _lead_with(definition, label):
            for each in terms:
                each.drop_tree()
        else:
            for each in terms:
                each.tag = "p"
    for element in tree.iter("dl", "dd"):
        element.tag = "div"


#: A definition this much link text is a contents entry ("1.1. How do you pronounce…" but its number); a
#: definition that links a term or two of its sentence ("Add as a development dependency.") is none.
_CONTENTS_LINK_SHARE = 0.8


def _lead_with(definition: lxml_html.HtmlElement, label: str) -> bool:
    """Writes ``label`` before the text a definition opens with, its own or its first paragraph's; False
    when it opens with anything else (a list, a code block), which a label would not read into, or is mostly
    links (a contents list's "1.1. How do you pronounce "Valgrind"?" is navigation, not a definition)."""
    joiner = " " if label[-1] in ".?!:" else ": "
    linked = sum(len(link.text_content()) for link in definition.iter("a"))
    if linked >= _CONTENTS_LINK_SHARE * len(definition.text_content().strip()):
        return False
    if (definition.text or "").strip():
        definition.text = f"{label}{joiner}{definition.text.lstrip()}"
        return True
    opening = definition[0] if len(definition) else None
    if opening is None or opening.tag != "p":
        return False
    opening.text = f"{label}{joiner}{(opening.text or '').lstrip()}"
    return True


def _run_in_headings(tree: lxml_html.HtmlElement) -> None:
    """Bold lines as the headings a reader sees: a paragraph opening with one and a line break (``<p><b>Delivery
    latency<br></b> 95% of tasks begin…</p>``) as that heading over the rest, and a paragraph that is
    nothing but a short bold line (The Seattle Times' "<p><strong>Whole Foods future</strong></p>") as a
    heading. Kept lines of their paragraphs, such labels were quoted as answers ("What is the delivery
    latency of ATF?": "Delivery latency"), and the sentences under them were read without what they are
    about. A bold lead that the text runs on from ("<b>Note:</b> Back up first."), a bold sentence and a
    table's bold cell are no headings."""
    for paragraph in list(tree.iter("p")):
        lead = paragraph[0] if len(paragraph) and not (paragraph.text or "").strip() else None
        if lead is None or lead.tag not in ("b", "strong"):
            continue
        label = tidy_line(lead.text_content())
        if not label or len(label) > _RUN_IN_LABEL:
            continue
        if len(paragraph) == 1 and not (lead.tail or "").strip():
            _bold_paragraph_as_heading(paragraph, lead, label)
        else:
            _bold_line_as_heading(paragraph, lead, label)


def _bold_paragraph_as_heading(paragraph: lxml_html.HtmlElement, lead: lxml_html.HtmlElement, label: str) -> None:
    if not label.endswith(_NOT_A_HEADING_END) and next(paragraph.iterancestors("table"), None) is None:
        paragraph.remove(lead)
        paragraph.tag, paragraph.text = "h4", label


def _bold_line_as_heading(paragraph: lxml_html.HtmlElement, lead: lxml_html.HtmlElement, label: str) -> None:
    """The bold ``lead`` as a heading before ``paragraph`` when a line break ends it (inside it or right
    after it) and words follow."""
    following = lead.getnext()
    if len(lead) and lead[-1].tag == "br" and not (lead[-1].tail or "").strip():
        line_end = lead
    elif following is not None and following.tag == "br" and not (lead.tail or "").strip():
        line_end = following
    else:
        return
    rest = (line_end.tail or "") + "".join(s.text_content() + (s.tail or "") for s in line_end.itersiblings())
    if not has_words(rest):
        return
    paragraph.text = line_end.tail
    for element in {lead, line_end}:
        element.tail = None
        paragraph.remove(element)
    heading = lxml_html.Element("h4")
    heading.text = label
    paragraph.addprevious(heading)


#: How a bold sentence or a list's introduction ends, unlike a heading ("Why is Python installed?" is one).
_NOT_A_HEADING_END = (".", ":", ";", ",", "!")
#: The longest bold opening line taken for a heading: a few words, not a sentence in bold.
_RUN_IN_LABEL = 80


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


#: What a permalink after a heading shows: Sphinx's "¶", GitHub's and MkDocs' "#", "§", a link symbol.
_PERMALINK_MARKS = frozenset({"¶", "#", "§", "🔗", "∞"})


#: A link to the page before, after or above this one in a manual, or to its index ("Next: Using libffi, Previous: libffi,
#: Up: libffi [Index]", as Texinfo heads each page).
_PAGE_LINKS = frozenset({"next", "prev", "previous", "up", "index", "contents", "toc", "start", "first", "last"})
#: The most a navigation line says: its links' titles and their labels.
_NAVIGATION_CHARACTERS = 240


def _drop_page_navigation(tree: lxml_html.HtmlElement) -> None:
    """Drop the short blocks that link to the manual's next, previous or parent page (``rel="next"``…).
    Left in, Texinfo's line over each of libffi's pages was quoted as an answer ("Next: Memory Usage,
    Previous: What is libffi?, Up: libffi [Index]"), and trafilatura, taking the page's head to be
    navigation, dropped the chapter heading under it ("1 What is libffi?")."""
    for link in list(tree.iter("a")):
        if _PAGE_LINKS.isdisjoint((link.get("rel") or "").lower().split()):
            continue
        block = next((a for a in link.iterancestors() if a.tag in ("p", "div", "nav", "td", "li", "ul", "table")), None)
        if block is not None and block.getparent() is not None and len(block.text_content().strip()) <= _NAVIGATION_CHARACTERS:
            block.drop_tree()


def _drop_permalinks(tree: lxml_html.HtmlElement) -> None:
    """Drop the link to itself that documentation generators put after each heading ("4.1. if
    Statements¶"): in the text it ran into the heading, and so into every citation naming that section."""
    for link in list(tree.iter("a")):
        own = (link.get("href") or "").startswith("#") and link.text_content().strip() in _PERMALINK_MARKS
        if own or "headerlink" in (link.get("class") or "").split():
            link.drop_tree()


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
        content = tidy_line(element.get("content") or "")
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
        return _PageFacts([]), (f"main-content extractor unavailable ({short_reason(trafilatura)})",)
    try:
        with silenced("trafilatura", "htmldate", "courlan"):
            extracted = trafilatura.bare_extraction(
                markup,
                # Its default precision drops short lists as menus, also in a page's main content: libffi's
                # manual lost the list of where closures' memory comes from ("A file created in /tmp.")
                # but for the <code> in each item. On the mixed set's pages, the web pages of the seed
                # article and 60 pages of the Rust books recall reads the same text.
                favor_recall=True,
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_links=False,
                with_metadata=True,
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
    except Exception as exc:  # a damaged page must fall back to the simple extractor, not abort the file
        return _PageFacts([]), (f"main-content extraction failed ({short_reason(exc)})",)
    if extracted is None or extracted.body is None:
        return _PageFacts([]), ()
    _collapse_white_space(extracted.body)
    for line_break in extracted.body.iter("lb"):
        line_break.text = "\n"  # so that itertext() keeps <br> as a line break
    return (
        _PageFacts(
            paragraphs=list(_xml_blocks(extracted.body)),
            title=tidy_line(extracted.title or ""),
            sitename=tidy_line(extracted.sitename or ""),
            hostname=extracted.hostname or "",
            # a date guessed from the page body is only plausible for an article
            date=extracted.date if extracted.pagetype == "article" else None,
            author=tidy_line(extracted.author or ""),
        ),
        (),
    )


_HTML_WHITE_SPACE = re.compile(r"[ \t\n\r\f]+")


def _collapse_white_space(body: etree._Element) -> None:
    """Runs of white space as one space, as a browser shows them: a paragraph's source wrapped at 80
    columns ("the usual\nflow control\nstatements") read with its line breaks, into every quote. Code
    keeps its lines, and a <br> stays a line break."""
    for node in body.iter():
        if node.text and not _in_code(node):
            node.text = _HTML_WHITE_SPACE.sub(" ", node.text)
        if node.tail and node is not body and not _in_code(node.getparent()):  # a tail is its parent's text
            node.tail = _HTML_WHITE_SPACE.sub(" ", node.tail)


def _in_code(node: etree._Element) -> bool:
    return node.tag == "code" or any(ancestor.tag == "code" for ancestor in node.iterancestors())


def _xml_blocks(element: etree._Element) -> Iterator[tuple[str, bool]]:
    """Paragraphs from trafilatura's XML body (p, head, list/item, table/row/cell, quote, code), each
    with whether it is a heading (``head``)."""
    if element.text and element.text.strip():
        yield element.text, False
    for child in element:
        tag = child.tag
        if tag == "list":
            yield "\n".join(_list_lines(child)), False
        elif tag == "table":
            yield "\n".join(_table_row(row) for row in child.iter("row")), False
        elif tag == "code":
            yield "".join(child.itertext()), False
        elif tag in ("quote", "div", "main", "body") or any(c.tag in ("p", "list", "table") for c in child):
            yield from _xml_blocks(child)
        elif tag == "head":
            yield _WIKI_EDIT_LINK.sub("", "".join(child.itertext())), True
        elif tag != "graphic":
            yield "".join(child.itertext()), False
        if child.tail and child.tail.strip():
            yield child.tail, False


def _list_lines(element: etree._Element) -> Iterator[str]:
    """A list's items as "- " lines; an item's own list follows it, item by item, instead of running into its
    text ("such as: Cross CompilationMemory Mapped PeripheralsInterrupts")."""
    for item in element.findall("item"):
        nested = [child for child in item if child.tag == "list"]
        own = [item.text or ""]
        for child in item:
            if child.tag != "list":
                own += child.itertext()
            own.append(child.tail or "")
        yield "- " + tidy_line("".join(own))
        for inner in nested:
            yield from _list_lines(inner)


def _xml_inline(element: etree._Element) -> str:
    return tidy_line("".join(element.itertext()))


def _table_row(row: etree._Element) -> str:
    cells = [_cell_text(cell) for cell in row.findall("cell")]
    return " | ".join(cells) if any(cells) else ""


def _cell_text(cell: etree._Element) -> str:
    """A table cell's text, its paragraphs and lines apart: Valgrind's FAQ (DocBook writes a question and
    its answer as a table's rows) ran "…rather than "grined" (rhymes with "find").Don't feel bad…"."""
    for block in cell.iter("p", "item", "head", "lb", "list"):
        block.tail = " " + (block.tail or "")
    return _xml_inline(cell)


def visible_paragraphs(markup: str) -> list[tuple[str, bool]]:
    """Fallback: all visible text outside navigation and scripts, split at block elements, each part with
    whether it is a heading."""
    soup = BeautifulSoup(markup, "lxml")
    for element in soup(_SOUP_DROP):
        element.decompose()
    for element in soup.find_all(_SOUP_BLOCKS):
        element.insert_before(_BLOCK_MARK + (_HEADING_MARK if element.name in _HEADINGS else ""))
        element.append(_BLOCK_MARK)
    parts = soup.get_text().split(_BLOCK_MARK)
    return [(tidy_line(part.removeprefix(_HEADING_MARK)), part.startswith(_HEADING_MARK)) for part in parts]


def _html_title(tree: lxml_html.HtmlElement | None, meta: dict[str, str], facts: _PageFacts) -> str:
    declared = first(meta.get("og:title"), meta.get("twitter:title"), _element_text(tree, "//title"))
    if facts.title and declared and facts.title in declared:
        return facts.title  # trafilatura's reading without the " - Site Name" suffix
    return first(declared, facts.title, _element_text(tree, "//h1"))


def _html_source(tree: lxml_html.HtmlElement | None, meta: dict[str, str], facts: _PageFacts, url: str) -> str:
    canonical = first(*(tree.xpath("//link[@rel='canonical']/@href") if tree is not None else []))
    host = _host_name(first(canonical, meta.get("og:url"))) or facts.hostname or _host_name(url)
    # trafilatura names a page without a site name by its heading: not a site.
    sitename = facts.sitename if facts.sitename != facts.title else ""
    return first(meta.get("og:site_name"), sitename, _title_suffix(tree, facts), re.sub(r"^www\.", "", host))


#: Between a page's heading and its site's name in its <title>: "4. More Control Flow Tools — Python
#: 3.11.2 documentation", "Foreword - The Rust Programming Language", "Mozilla | MDN".
_TITLE_SEPARATOR = re.compile(r"\s+[—–|·-]\s+")


def _title_suffix(tree: lxml_html.HtmlElement | None, facts: _PageFacts) -> str:
    """What the page's <title> adds after its heading, the site's name."""
    declared = _element_text(tree, "//title")
    if not facts.title or not declared.startswith(facts.title):
        return ""
    rest = declared[len(facts.title) :]
    separator = _TITLE_SEPARATOR.match(rest)
    return tidy_line(rest[separator.end() :]) if separator else ""


#: <meta> keys naming who wrote a page, most specific first. ``article:author`` is often a profile URL.
_AUTHOR_META_KEYS = ("author", "article:author", "og:article:author", "dc.creator", "parsely-author")


def _html_author(tree: lxml_html.HtmlElement | None, meta: dict[str, str], facts: _PageFacts) -> str:
    """The page's author as its ``<meta>`` names them, else as its title page lists them, else trafilatura's
    reading of its byline."""
    declared = (tidy_line(meta.get(key, "")) for key in _AUTHOR_META_KEYS)
    return first(*(name for name in declared if not name.startswith(("http://", "https://"))), _title_page_authors(tree), facts.author)


def _has_class(name: str) -> str:
    """An XPath test that an element's class attribute holds ``name``, in any case."""
    lower = "translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    return f"contains(concat(' ', normalize-space({lower}), ' '), ' {name} ')"


#: The innermost elements of class "author" on a DocBook title page (``class="titlepage"``), as the DocBook
#: stylesheets that render Debian's and GNOME's manuals write them: ``<h3 class="AUTHOR">Joey Hess</h3>``.
_TITLE_PAGE_AUTHORS = f"//*[{_has_class('titlepage')}]//*[{_has_class('author')}][not(.//*[{_has_class('author')}])]"


def _title_page_authors(tree: lxml_html.HtmlElement | None) -> str:
    """The authors a DocBook title page lists, in order: Debian's "Users and Groups" page names three there and
    nowhere in its ``<meta>``, and "Who wrote the document about users and groups?" was refused."""
    if tree is None:
        return ""
    names = (tidy_line(element.text_content()) for element in tree.xpath(_TITLE_PAGE_AUTHORS))
    # No digits: AsciiDoc, asked for no author, puts the revision line there ("v1.11.1, Aug 2022").
    return ", ".join(dict.fromkeys(name for name in names if name and not any(c.isdigit() for c in name)))


def _host_name(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # e.g. a malformed IPv6 host
        return ""


def _html_published(tree: lxml_html.HtmlElement | None, meta: dict[str, str], facts: _PageFacts) -> tuple[str | None, str | None]:
    """(ISO 8601, the date as the page shows it when that is where it was read) of the page's publication."""
    for key in _PUBLISHED_META_KEYS:
        if published := iso_date(meta.get(key)):
            return published, None
    for value in _json_ld_values(tree, "datePublished"):
        if published := iso_date(value):
            return published, None
    # A blog's post dates itself in the first <time> of its <article> (later ones date comments), by its
    # datetime or its text ("Mon, 11 Aug 2025 19:11:00 +0300", quoted as shown): pages that do not say they
    # are articles (no og:type) otherwise had no date at all.
    for time in tree.xpath("(//article//time)[1]") if tree is not None else ():
        if published := iso_date(time.get("datetime")):
            return published, None
        if shown := dateline(tidy_line(time.text_content())):
            return shown
    return iso_date(facts.date), None


def _element_text(tree: lxml_html.HtmlElement | None, xpath: str) -> str:
    if tree is None:
        return ""
    found = tree.xpath(xpath)
    return tidy_line(found[0].text_content()) if found else ""


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
