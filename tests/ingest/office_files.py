"""Small real documents in the formats users bring, written with the formats' own libraries."""

from __future__ import annotations

import copy
import datetime
import email.policy
import html
import json
import plistlib
import quopri
import re
import textwrap
import zipfile
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import pypdf
import pptx
from pptx.enum.shapes import PP_PLACEHOLDER
from ebooklib import epub
from odf import dc, meta
from odf.draw import Frame, Page, TextBox
from odf.opendocument import OpenDocumentPresentation, OpenDocumentSpreadsheet, OpenDocumentText
from odf.presentation import Notes
from odf.style import MasterPage, PageLayout
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P
from PIL import Image, ImageDraw, ImageFont

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def write_docx(path: Path, title: str, sections: Sequence[tuple[str, Sequence[str]]], table: Sequence[Sequence[str]] = ()) -> Path:
    """A Word document: core properties, a level-1 heading and paragraphs per section, then a table."""
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "Jane Roe"
    document.core_properties.created = datetime.datetime(2024, 5, 17, 9, 30, tzinfo=datetime.timezone.utc)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(path)
    return path


def write_odt(path: Path, title: str, sections: Sequence[tuple[str, Sequence[str]]], items: Sequence[str] = (), table: Sequence[Sequence[str]] = ()) -> Path:
    """An OpenDocument text as LibreOffice writes one: meta, a level-1 heading and paragraphs per section,
    then a list and a table."""
    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text=title))
    document.meta.addElement(dc.Creator(text="Jane Roe"))
    document.meta.addElement(meta.CreationDate(text="2024-05-17T09:30:00"))
    for heading, paragraphs in sections:
        document.text.addElement(H(outlinelevel=1, text=heading))
        for paragraph in paragraphs:
            document.text.addElement(P(text=paragraph))
    if items:
        listing = List()
        for item in items:
            entry = ListItem()
            entry.addElement(P(text=item))
            listing.addElement(entry)
        document.text.addElement(listing)
    if table:
        document.text.addElement(_odf_table(table))
    document.save(str(path))
    return path


#: A spreadsheet cell: its text, or (its number, the text the sheet shows for it: "85%" for 0.85).
Cell = str | tuple[float, str]


def write_ods(path: Path, title: str, sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]) -> Path:
    """An OpenDocument spreadsheet as LibreOffice Calc writes one: meta, then each sheet's rows, numbers
    typed with the text shown for them, and the sheet's unused area as a row repeated a million times."""
    document = OpenDocumentSpreadsheet()
    document.meta.addElement(dc.Title(text=title))
    document.meta.addElement(dc.Creator(text="Jane Roe"))
    document.meta.addElement(meta.CreationDate(text="2024-05-17T09:30:00"))
    for name, rows in sheets:
        table = _odf_table(rows, name)
        unused = TableRow(numberrowsrepeated=1048576 - len(rows))
        unused.addElement(TableCell(numbercolumnsrepeated=1024))
        table.addElement(unused)
        document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def _odf_table(rows: Sequence[Sequence[Cell]], name: str = "") -> Table:
    table = Table(name=name) if name else Table()
    table.addElement(TableColumn(numbercolumnsrepeated=max(len(row) for row in rows)))
    for row in rows:
        line = TableRow()
        for value in row:
            number, shown = (None, value) if isinstance(value, str) else value
            cell = TableCell() if number is None else TableCell(valuetype="float", value=number)
            cell.addElement(P(text=shown))
            line.addElement(cell)
        table.addElement(line)
    return table


def write_xlsx(path: Path, title: str, sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]) -> Path:
    """An Excel workbook: its properties, then each sheet's rows, numbers with the format that shows them
    ("0%" for a percentage, "#,##0" otherwise)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title, workbook.properties.creator = title, "Jane Roe"
    workbook.properties.created = datetime.datetime(2024, 5, 17, 9, 30)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([value if isinstance(value, str) else value[0] for value in row])
            for cell, value in zip(sheet[sheet.max_row], row):
                if not isinstance(value, str):
                    cell.number_format = "0%" if value[1].endswith("%") else "#,##0"
    workbook.save(path)
    return path


def lock_odt(path: Path) -> None:
    """Mark ``path``'s content encrypted the way LibreOffice's "Save with password" does: its manifest
    gives each encrypted entry an encryption-data element (and the entry is then ciphertext)."""
    with zipfile.ZipFile(path) as package:
        entries = {name: package.read(name) for name in package.namelist()}
    entries["content.xml"] = bytes(range(256)) * 8
    entries["META-INF/manifest.xml"] = re.sub(
        rb'(<manifest:file-entry[^>]*full-path="content.xml"[^>]*)/>',
        rb'\1><manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
        rb'<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
        rb"</manifest:encryption-data></manifest:file-entry>",
        entries["META-INF/manifest.xml"],
    )
    with zipfile.ZipFile(path, "w") as package:
        for name, data in entries.items():
            package.writestr(name, data)


def write_rtf(path: Path, title: str, paragraphs: Sequence[str]) -> Path:
    """An RTF document as WordPad writes one: an \\info group, then a \\par per paragraph, characters
    beyond ASCII as \\u escapes."""
    def escaped(text: str) -> str:
        text = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
        return "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in text)

    body = "".join(f"\\pard {escaped(p)}\\par\n" for p in paragraphs)
    info = f"{{\\info{{\\title {escaped(title)}}}{{\\author Jane Roe}}{{\\creatim\\yr2024\\mo5\\dy17\\hr9\\min30}}}}"
    path.write_text(f"{{\\rtf1\\ansi\\ansicpg1252\\deff0{{\\fonttbl{{\\f0 Times New Roman;}}}}\n{info}\n{body}}}\n", encoding="ascii")
    return path


def write_pptx(path: Path, title: str, slides: Sequence[tuple[str, str, str]], footer: str = "") -> Path:
    """A deck of (title, body, speaker notes) slides; with a ``footer``, each slide shows it and its number,
    as PowerPoint's Insert > Header & Footer puts them (python-pptx leaves them off new slides)."""
    deck = pptx.Presentation()
    deck.core_properties.title = title
    for number, (slide_title, body, notes) in enumerate(slides, 1):
        layout = deck.slide_layouts[1]
        slide = deck.slides.add_slide(layout)
        slide.shapes.title.text = slide_title
        slide.placeholders[1].text = body
        slide.notes_slide.notes_text_frame.text = notes
        if footer:
            shown = {PP_PLACEHOLDER.FOOTER: footer, PP_PLACEHOLDER.SLIDE_NUMBER: str(number)}
            for placeholder in layout.placeholders:
                if placeholder.placeholder_format.type in shown:
                    slide.shapes._spTree.append(copy.deepcopy(placeholder._element))
            for shape in slide.placeholders:
                shape.text = shown.get(shape.placeholder_format.type, shape.text)
    deck.save(path)
    return path


def write_odp(path: Path, title: str, slides: Sequence[tuple[str, str, str]], footer: str = "") -> Path:
    """An OpenDocument deck of (title, body, speaker notes) slides as Impress writes one: a title frame
    above an outline frame, the notes on the slide's notes page; with a ``footer``, a footer frame and a
    page-number frame at the foot of each slide."""
    document = OpenDocumentPresentation()
    document.meta.addElement(dc.Title(text=title))
    document.meta.addElement(dc.Creator(text="Jane Roe"))
    layout = PageLayout(name="Slide")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Default", pagelayoutname=layout)
    document.masterstyles.addElement(master)
    for n, (slide_title, body, notes) in enumerate(slides, 1):
        slide = Page(name=f"page{n}", masterpagename=master)
        # the body frame first in the file: reading order follows the slide, not the file
        furniture = (("18cm", "footer", footer), ("18cm", "page-number", str(n))) if footer else ()
        for y, kind, words in (("5cm", "outline", body), ("1cm", "title", slide_title), *furniture):
            frame = Frame(x="2cm", y=y, width="24cm", height="3cm", **{"class": kind})
            box = TextBox()
            box.addElement(P(text=words))
            frame.addElement(box)
            slide.addElement(frame)
        if notes:
            page = Notes()
            frame = Frame(x="2cm", y="14cm", width="17cm", height="9cm", **{"class": "notes"})
            box = TextBox()
            box.addElement(P(text=notes))
            frame.addElement(box)
            page.addElement(frame)
            slide.addElement(page)
        document.presentation.addElement(slide)
    document.save(str(path))
    return path


def write_eml(
    path: Path,
    subject: str,
    paragraphs: Sequence[str],
    *,
    quoted: Sequence[str] = (),
    as_html: bool = False,
    attachments: Sequence[Path] = (),
) -> Path:
    """A message as a mail client saves it: From, To, Date and an RFC 2047 subject, the body wrapped at
    72 columns, then the ``quoted`` message it replies to ("> " lines) and a signature, quoted-printable;
    or only an HTML body and its inline logo; then the files ``attachments``, base64 as clients send
    them (an .eml forwarded as a message)."""
    message = EmailMessage()
    message["From"] = "Jane Roe <jane.roe@example.org>"
    message["To"] = "team@example.org"
    message["Subject"] = subject
    message["Date"] = "Fri, 17 May 2024 09:30:00 +0200"
    reply = [textwrap.indent(textwrap.fill(paragraph, 70), "> ", lambda line: True) for paragraph in quoted]
    plain = "\n\n".join([*(textwrap.fill(paragraph, 72) for paragraph in paragraphs), *reply]) + "\n\n-- \nJane\n"
    if as_html:  # with the sender's logo shown inline, as newsletters are
        page = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + '<img src="cid:logo" alt="">'
        message.set_content(page, subtype="html", cte="base64")
        message.add_related(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png", cid="<logo>")
    else:
        message.set_content(plain, cte="quoted-printable")
    for attached in attachments:
        if attached.suffix == ".eml":  # forwarded as a message, not as a file
            message.add_attachment(email.message_from_bytes(attached.read_bytes(), policy=email.policy.default))
        else:
            message.add_attachment(attached.read_bytes(), maintype="application", subtype="octet-stream", filename=attached.name)
    path.write_bytes(bytes(message))
    return path


def write_mhtml(path: Path, url: str, title: str, paragraphs: Sequence[str], charset: str = "utf-8") -> Path:
    """A page as Chrome's "Save as: Web page, single file" writes it: a multipart/related archive whose
    first part is the page in the ``charset`` its markup declares (the part names none), quoted-printable,
    then an image."""
    page = f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{html.escape(title)}</title></head><body>'
    page += "<nav><a href='/'>Home</a></nav><article><h1>" + html.escape(title) + "</h1>"
    page += "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</article></body></html>"
    boundary = "----MultipartBoundary--sAvEd"
    lines = [
        "From: <Saved by Blink>",
        f"Snapshot-Content-Location: {url}",
        f"Subject: {title}",
        "Date: Mon, 2 Dec 2026 10:00:00 -0000",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/related; type="text/html"; boundary="{boundary}"',
        "",
        f"--{boundary}",
        "Content-Type: text/html",
        "Content-ID: <frame-1@mhtml.blink>",
        "Content-Transfer-Encoding: quoted-printable",
        f"Content-Location: {url}",
        "",
        quopri.encodestring(page.encode(charset)).decode("ascii"),
        f"--{boundary}",
        "Content-Type: image/png",
        "Content-Transfer-Encoding: base64",
        "Content-Location: https://example.org/logo.png",
        "",
        "iVBORw0KGgo=",
        f"--{boundary}--",
        "",
    ]
    path.write_bytes("\r\n".join(lines).encode("ascii"))
    return path


def write_webarchive(path: Path, url: str, title: str, paragraphs: Sequence[str], charset: str = "utf-8") -> Path:
    """A page as Safari saves it: a binary property list whose main resource is the page's bytes in
    ``charset``, which only the archive names (the markup declares none), beside an image resource."""
    page = f"<html><head><title>{html.escape(title)}</title></head><body><nav><a href='/'>Home</a></nav><article>"
    page += f"<h1>{html.escape(title)}</h1>" + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</article></body></html>"
    main = {
        "WebResourceData": page.encode(charset),
        "WebResourceMIMEType": "text/html",
        "WebResourceTextEncodingName": charset,
        "WebResourceURL": url,
        "WebResourceFrameName": "",
    }
    image = {"WebResourceData": b"\x89PNG\r\n\x1a\n", "WebResourceMIMEType": "image/png", "WebResourceURL": url + "/logo.png"}
    path.write_bytes(plistlib.dumps({"WebMainResource": main, "WebSubresources": [image]}, fmt=plistlib.FMT_BINARY))
    return path


def write_notebook(path: Path, title: str, paragraphs: Sequence[str], code: Sequence[tuple[str, str]] = ()) -> Path:
    """A Jupyter notebook (nbformat 4) as Jupyter saves one: a Markdown cell with the title and each
    paragraph, then (source, printed output) code cells; sources and outputs as lists of lines."""
    def lines(text: str) -> list[str]:
        return text.splitlines(keepends=True)

    prose = f"# {title}\n\n" + "\n\n".join(paragraphs)
    cells: list[dict[str, object]] = [{"cell_type": "markdown", "metadata": {}, "source": lines(prose)}]
    for n, (source, printed) in enumerate(code, 1):
        output = {"output_type": "stream", "name": "stdout", "text": lines(printed)}
        cells.append({"cell_type": "code", "execution_count": n, "metadata": {}, "source": lines(source), "outputs": [output]})
    notebook = {"cells": cells, "metadata": {"authors": [{"name": "Ann Analyst"}]}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return path


def write_vtt(path: Path, title: str, cues: Sequence[tuple[int, str, str]]) -> Path:
    """A meeting transcript as Teams exports it: a WebVTT header naming the meeting, a comment, then
    (second it starts, speaker, words) cues with voice tags, each four seconds long."""
    def clock(second: int) -> str:
        return f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}.000"

    blocks = [f"WEBVTT - {title}", "NOTE exported from the meeting's recording"]
    blocks += [f"{n}\n{clock(at)} --> {clock(at + 4)}\n<v {speaker}>{words}</v>" for n, (at, speaker, words) in enumerate(cues, 1)]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def write_rst(path: Path, title: str, sections: Sequence[tuple[str, Sequence[str]]]) -> Path:
    """A reStructuredText page of (heading, paragraphs) sections, as READMEs write them: a badge, a
    comment, paragraphs wrapped at 72 columns."""
    lines = [".. image:: https://img.shields.io/badge/docs-latest-blue.svg", "   :alt: Documentation", "", title, "=" * len(title), ""]
    lines += [".. This comment is not text.", ""]
    for heading, paragraphs in sections:
        lines += [heading, "-" * len(heading), ""]
        for paragraph in paragraphs:
            lines += [*textwrap.wrap(paragraph, 72), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_latex(path: Path, title: str, sections: Sequence[tuple[str, Sequence[str]]]) -> Path:
    """A paper's LaTeX source as authors write one: a preamble with packages and a macro, the title block
    with two authors (an affiliation under the first), a label under each section, paragraphs wrapped at 72
    columns with a comment between them."""
    lines = [
        r"\documentclass[11pt]{article}", r"\usepackage[utf8]{inputenc}", r"\usepackage{graphicx}", r"\newcommand{\tm}{TraceMonkey}",
        rf"\title{{{title}}}", r"\author{Jane Roe\\Example University \and Ann Analyst}", r"\date{May 2024}",
        r"\begin{document}", r"\maketitle", "",
    ]  # fmt: skip
    for n, (heading, paragraphs) in enumerate(sections, 1):
        lines += [rf"\section{{{heading}}}\label{{sec:{n}}}", ""]
        for paragraph in paragraphs:
            lines += [*textwrap.wrap(paragraph.replace("%", r"\%").replace("&", r"\&").replace("$", r"\$"), 72), "% TODO: check the figures", ""]
    lines += [r"\bibliographystyle{plain}", r"\bibliography{refs}", r"\end{document}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_org(path: Path, title: str, sections: Sequence[tuple[str, Sequence[str]]]) -> Path:
    """An Org mode file as Emacs users keep notes: keywords, a headline per section with a TODO keyword,
    tags and a property drawer, paragraphs wrapped at 72 columns."""
    lines = [f"#+TITLE: {title}", "#+AUTHOR: Jane Roe", "#+DATE: <2024-05-17 Fri>", "#+STARTUP: overview", ""]
    for n, (heading, paragraphs) in enumerate(sections, 1):
        lines += [f"* TODO {heading}    :notes:", ":PROPERTIES:", f":CUSTOM_ID: section-{n}", ":END:"]
        for paragraph in paragraphs:
            lines += [*textwrap.wrap(paragraph, 72), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_asciidoc(path: Path, title: str, sections: Sequence[tuple[str, Sequence[str]]]) -> Path:
    """An AsciiDoc page as projects write their docs: the title, an author line and attributes, a section
    title per section with an anchor, paragraphs wrapped at 72 columns, a comment."""
    lines = [f"= {title}", "Jane Roe <jane.roe@example.org>", ":revdate: 2024-05-17", ":toc: left", ""]
    for n, (heading, paragraphs) in enumerate(sections, 1):
        lines += [f"[[section-{n}]]", f"== {heading}", "", "// reviewed in May", ""]
        for paragraph in paragraphs:
            lines += [*textwrap.wrap(paragraph, 72), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_epub(path: Path, title: str, author: str, chapters: Sequence[tuple[str, Sequence[str]]], publisher: str = "") -> Path:
    """A book of (heading, paragraphs) chapters, in spine order; a paragraph "## Name" is a heading inside its
    chapter."""
    book = epub.EpubBook()
    book.set_identifier(f"test-{path.stem}")
    book.set_title(title)
    book.add_author(author)
    if publisher:
        book.add_metadata("DC", "publisher", publisher)
    book.add_metadata("DC", "date", "2023-10-02")
    items = []
    for number, (heading, paragraphs) in enumerate(chapters, start=1):
        item = epub.EpubHtml(title=heading, file_name=f"chapter{number}.xhtml")
        item.content = f"<h1>{heading}</h1>" + "".join(f"<h2>{p[3:]}</h2>" if p.startswith("## ") else f"<p>{p}</p>" for p in paragraphs)
        book.add_item(item)
        items.append(item)
    book.toc = items
    book.add_item(epub.EpubNcx())
    book.add_item(nav := epub.EpubNav())
    book.spine = [nav, *items]  # the table of contents first, as EPUB 3 books often have it
    epub.write_epub(str(path), book)
    return path


def lock_epub(path: Path) -> None:
    """Mark the book's chapters as encrypted the way DRM schemes do (META-INF/encryption.xml, AES)."""
    entries = {}
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            entries[name] = book.read(name)
    entries["META-INF/encryption.xml"] = (
        b'<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        b'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
        b'<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
        b'<enc:CipherData><enc:CipherReference URI="EPUB/chapter1.xhtml"/></enc:CipherData>'
        b"</enc:EncryptedData></encryption>"
    )
    with zipfile.ZipFile(path, "w") as book:
        for name, data in entries.items():
            book.writestr(name, data)


def scanned_page(lines: Sequence[str], shade: int = 0) -> Image.Image:
    """An A4 page at 150 dpi with ``lines`` drawn as pixels (grey level ``shade``; 250 is barely visible)."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 30)
    y = 160
    for line in lines:
        draw.text((120, y), line, fill=(shade, shade, shade), font=font)
        y += 48 if line else 30
    return page


def write_scanned_pdf(path: Path, pages: Sequence[Sequence[str]], shade: int = 0) -> Path:
    """A PDF whose pages are only images: no text layer, as a scanner writes them."""
    images = [scanned_page(lines, shade) for lines in pages]
    images[0].save(path, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return path


def write_scanned_text(path: Path, paragraphs: Sequence[str], lines_per_page: int = 30) -> Path:
    """Paragraphs typeset as a scanner sees a printout: wrapped lines, a blank line between paragraphs."""
    lines = [line for paragraph in paragraphs for line in [*textwrap.wrap(paragraph, width=58), ""]]
    return write_scanned_pdf(path, [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)])


def write_mixed_pdf(path: Path, text_pdf: Path, scanned_pdf: Path) -> Path:
    """The first page of ``text_pdf`` (with its text layer), then the pages of ``scanned_pdf``."""
    writer = pypdf.PdfWriter()
    writer.add_page(pypdf.PdfReader(text_pdf).pages[0])
    for page in pypdf.PdfReader(scanned_pdf).pages:
        writer.add_page(page)
    with path.open("wb") as out:
        writer.write(out)
    return path


def write_text_pdf(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """A PDF with a text layer, as a word processor writes one: each page's lines in Helvetica, top down
    (Windows-1252 text: dashes and curly quotes too)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in pages:
        shown = "".join(f"({_pdf_string(line)}) Tj T* " for line in lines)
        stream = f"BT /F1 10 Tf 14 TL 72 770 Td {shown}ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("cp1252")
    table = "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n{table}trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{len(out)}\n%%EOF\n".encode("latin-1")
    path.write_bytes(out)
    return path


def _pdf_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
