"""AsciiDoc files (project documentation, books written for Asciidoctor), rendered to their text.

Read as plain text, a page answered with its markup ("== Installation", ":toc: left", "link:https://…[the
guide]", "[source,python]"). Our own small reader, as for Markdown (the text must keep the writer's words
and lines: list items one per line, table rows as rows, code verbatim): the document title (``= Title``)
and the author line under it, or the ``:author:`` and ``:revdate:`` attributes, are the title, author and
date; section titles are headings; paragraphs have their line wraps joined; listing and literal blocks are
kept as written, sidebar, example, quote and admonition blocks read as text; attribute entries, block
attributes and anchors, comments, passthrough blocks and include directives are not text; links read as
their text, emphasis as its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from assistant._dates import iso_date
from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._text import TextBuilder, block_lines, decode_text_file, has_words, item_lines, tidy_line, title_from_path

_DOCUMENT_TITLE = re.compile(r"^=\s+(\S.*?)\s*$")
_SECTION = re.compile(r"^(={2,6}|#{2,6})\s+(\S.*?)\s*(?:\1)?\s*$")
_ATTRIBUTE = re.compile(r"^:(!?[\w-]+!?):\s*(.*)$")
_BLOCK_ATTRIBUTES = re.compile(r"^\[\[?[^\]]*\]\]?\s*$")  # [source,python], [NOTE], [[anchor]], [#id.role]
_DIRECTIVE = re.compile(r"^(?:include|ifdef|ifndef|ifeval|endif)::")
_DELIMITER = re.compile(r"^(-{4,}|\.{4,}|\*{4,}|_{4,}|={4,}|\+{4,}|/{4,}|\|={3,}|-{2})\s*$")
#: Blocks whose lines are kept as written (listings, literals), and those that are no text (passthrough, comment).
_VERBATIM = ("-", ".")
_NO_TEXT = ("+", "/")
_LIST_ITEM = re.compile(r"^\s*(?P<marker>\*+|-|\.+|\d+\.)\s+(?:\[[ x*]\]\s+)?(?P<text>\S.*)$")
_DESCRIPTION = re.compile(r"^(?P<term>\S.*?)(?::{2,4}|;;)(?=\s|$)(?:\s+(?P<text>.*))?$")
_BLOCK_TITLE = re.compile(r"^\.(?=[^.\s])(.+)$")
_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"image:{1,2}\S*?\[[^\]]*\]"), ""),
    (re.compile(r"footnote:\[([^\]]*)\]"), r" (\1)"),
    (re.compile(r"<<[^,>]+,\s*([^>]+)>>"), r"\1"),  # <<anchor,text>>
    (re.compile(r"<<([^>]+)>>"), r"\1"),
    (re.compile(r"(?:link:|xref:|mailto:)?((?:https?|ftp|mailto|irc)?:?[^\s\[\]]*)\[([^\]]+)\]"), r"\2"),  # url[text]
    (re.compile(r"(?:link:|xref:)([^\s\[\]]+)\[\]"), r"\1"),
    # *strong* _emphasis_ `monospace` #mark# (constrained and unconstrained), +passthrough+
    (re.compile(r"([*_`#+]{2})(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*_`#+])([*_`#+])(?=\S)([^\n]*?\S)\1(?![\w*_`#+])"), r"\2"),
    (re.compile(r"\{[\w-]+\}"), ""),  # an attribute reference left unset here
)


def load_asciidoc(path: Path, data: bytes) -> LoadedDocument:
    text, notes = decode_text_file(data, path.suffix.lower())
    lines = text.split("\n")
    title, author, attributes = "", "", {}
    start = next((i for i, line in enumerate(lines) if line.strip() and not line.startswith("//")), len(lines))
    if start < len(lines) and (document_title := _DOCUMENT_TITLE.match(lines[start])):
        title, start = document_title.group(1), start + 1
        if start < len(lines) and lines[start].strip() and not _ATTRIBUTE.match(lines[start]):
            author, start = re.sub(r"\s*<[^>]*>", "", lines[start]).strip(), start + 1  # "Ann Roe <ann@example.org>"
    built = TextBuilder()
    for block, heading in _blocks(lines[start:], attributes):
        built.add(block, heading=heading)
    if not has_words(built.text):
        raise LoadError("no readable text in the AsciiDoc file")
    return LoadedDocument(
        built.text, _inline(title) or title_from_path(path), "", iso_date(attributes.get("revdate", "")),
        author=author or attributes.get("author", ""), sections=tuple(built.sections), warnings=notes,
    )  # fmt: skip


def _blocks(lines: list[str], attributes: dict[str, str]) -> Iterator[tuple[str, bool]]:
    """The paragraphs in reading order, each with whether it is a section title; attribute entries are
    put in ``attributes``."""
    paragraph: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        section, delimiter = _SECTION.match(line), _DELIMITER.match(line)
        if section or delimiter or not line.strip():
            yield from _paragraph(paragraph)
            paragraph = []
        if section:
            yield _inline(section.group(2)), True
        elif delimiter:
            i, content = block_lines(lines, i, lambda closing: closing.rstrip() == delimiter.group(1))
            kind = delimiter.group(1)[0]
            if kind == "|":
                yield "\n".join(_row(row) for row in content if row.strip() and _row(row)), False
            elif kind in _VERBATIM:
                yield "\n".join(content), False
            elif kind not in _NO_TEXT:
                yield from _blocks(content, attributes)
        elif attribute := _ATTRIBUTE.match(line):
            attributes.setdefault(attribute.group(1).lower(), attribute.group(2).strip())
        elif line.strip() and not (line.startswith("//") or _BLOCK_ATTRIBUTES.match(line) or _DIRECTIVE.match(line)):
            paragraph.append(_BLOCK_TITLE.sub(r"\1", line) if not paragraph else line)
        i += 1
    yield from _paragraph(paragraph)


def _row(line: str) -> str:
    """A table row written on one line ("| Mon | 06:12") as "Mon | 06:12"."""
    return " | ".join(_inline(cell) for cell in line.strip().lstrip("|").split("|"))


def _paragraph(lines: list[str]) -> Iterator[tuple[str, bool]]:
    if lines:
        yield "\n".join(_inline(line) for line in item_lines(lines, _LIST_ITEM, _DESCRIPTION)), False


def _inline(text: str) -> str:
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    # Marks nest ("`+*.war+`": monospace around a passthrough) and a substitution never rereads its result.
    return tidy_line(_INLINE_RULES[-2][0].sub(_INLINE_RULES[-2][1], text))
