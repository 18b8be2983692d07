"""EPUB books: chapters in spine order, each a section named by its heading; metadata from the package."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import ebooklib
from ebooklib import epub
from lxml import etree
from lxml import html as lxml_html

from assistant._dates import iso_date
from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._html import visible_paragraphs
from ingest.loaders._text import TextBuilder, first, has_words, short_reason, tidy_line, title_from_path

#: encryption.xml also lists fonts scrambled against copying (not DRM: the text is readable).
_FONT_OBFUSCATION = frozenset({"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"})
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_DRM = "EPUB with DRM (its text is encrypted for one reading app; export a DRM-free copy)"


def load_epub(path: Path, data: bytes) -> LoadedDocument:
    _check_not_locked(data)
    try:
        book = epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
    except Exception as exc:  # ebooklib raises its own, zip, XML and key errors for a damaged book
        raise LoadError(f"malformed EPUB: {short_reason(exc)}") from exc
    text = TextBuilder()
    for number, chapter in enumerate(_chapters(book), start=1):
        heading = _heading(chapter)
        text.open_section(heading or f"Part {number}")
        xhtml = _XML_DECLARATION.sub("", chapter.decode("utf-8", errors="replace"))  # an HTML parser reads it
        for paragraph, is_heading in visible_paragraphs(_without_contents(xhtml)):
            text.add(paragraph, heading=is_heading and paragraph != heading)  # the chapter's own heading opened it
    if not has_words(text.text):
        raise LoadError("no text in the EPUB's chapters")
    return LoadedDocument(
        text=text.text,
        title=first(_dc(book, "title"), title_from_path(path)),
        source=first(_dc(book, "publisher"), _dc(book, "creator")),  # else, as for Word files: the person it comes from
        author=_dc(book, "creator"),
        published=iso_date(_dc(book, "date")),
        sections=tuple(text.sections),
    )


def _check_not_locked(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        encryption = archive.read("META-INF/encryption.xml") if "META-INF/encryption.xml" in names else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise LoadError("malformed EPUB: not a zip file") from exc
    if "META-INF/rights.xml" in names:
        raise LoadError(_DRM)
    if encryption is None:
        return
    try:
        methods = etree.fromstring(encryption).iterfind(".//{*}EncryptedData/{*}EncryptionMethod")
        algorithms = {method.get("Algorithm", "") for method in methods}
    except etree.XMLSyntaxError:
        algorithms = {"unreadable"}
    if algorithms - _FONT_OBFUSCATION:
        raise LoadError(_DRM)


def _chapters(book: epub.EpubBook) -> list[bytes]:
    """The reading order's documents, without the table of contents (an EPUB 3 nav page, often in the
    spine) and the pages marked as outside the reading order (linear="no": notes, pop-ups)."""
    chapters = []
    for idref, linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT or isinstance(item, epub.EpubNav) or linear == "no":
            continue
        chapters.append(item.get_content())
    return chapters


#: A link that leaves the book ("https://…", "mailto:…"): a list of those is a page's text, not its contents.
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _without_contents(xhtml: str) -> str:
    """The chapter without a table of contents written into it: a list whose every item opens with a link
    into the book. Sphinx writes a manual's whole contents under its introduction, which is the spine's
    first page (Debian Policy: 11,000 characters of chapter titles, all of them again as headings)."""
    try:
        tree = lxml_html.document_fromstring(xhtml)
    except (etree.LxmlError, ValueError):
        return xhtml
    contents = [element for element in tree.iter("ul", "ol") if _is_contents(element)]
    if not contents:
        return xhtml
    for element in contents:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the text after it (its tail)
    return lxml_html.tostring(tree, encoding="unicode")


def _is_contents(element: lxml_html.HtmlElement) -> bool:
    items = element.findall("li")
    return bool(items) and all(_opens_with_inner_link(item) for item in items)


def _opens_with_inner_link(item: lxml_html.HtmlElement) -> bool:
    link = next(iter(item), None)
    href = link.get("href", "") if link is not None and link.tag == "a" else ""
    return bool(href) and not _EXTERNAL.match(href) and not (item.text or "").strip()


def _heading(chapter: bytes) -> str:
    try:
        tree = lxml_html.document_fromstring(chapter)
    except (etree.LxmlError, ValueError):
        return ""
    for tag in ("h1", "h2", "h3", "title"):
        for element in tree.iter(tag):
            if heading := tidy_line(element.text_content()):
                return heading
    return ""


def _dc(book: epub.EpubBook, name: str) -> str:
    values = book.get_metadata("DC", name)
    return tidy_line(str(values[0][0])) if values and values[0][0] else ""
