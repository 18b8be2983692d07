"""Org mode files (Emacs notes, agendas, literate documents), rendered to their text.

Read as plain text, a note answered with its markup ("** TODO Call the harbour master :work:",
":PROPERTIES:", "[[https://…][the tide tables]]"). Our own small reader, as for Markdown (and for the same
reason: the text must keep the writer's words and lines, list items one per line, table rows as rows,
code verbatim): headlines are headings, without their TODO keyword, priority and tags; ``#+TITLE``,
``#+AUTHOR`` and ``#+DATE`` are the title, author and date; paragraphs have their line wraps joined;
source and example blocks are kept as written; drawers (properties, logbooks), planning lines
(SCHEDULED, DEADLINE), comments and other keywords are not text; links read as their description, emphasis
as its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from assistant._dates import iso_date
from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._text import TextBuilder, block_lines, decode_text_file, has_words, item_lines, tidy_line, title_from_path

_HEADLINE = re.compile(r"^(\*+)\s+(?:(?:TODO|DONE|NEXT|WAITING|HOLD|CANCELL?ED|STARTED)\s+)?(?:\[#[A-Z0-9]\]\s+)?(.*?)(?:\s+:[\w@#%:]+:)?\s*$")
_KEYWORD = re.compile(r"^\s*#\+(\w+):\s*(.*)$")
_BLOCK_BEGIN = re.compile(r"^\s*#\+begin_(\w+)", re.IGNORECASE)
_DRAWER = re.compile(r"^\s*:[\w-]+:\s*$")
_PLANNING = re.compile(r"^\s*(?:(?:SCHEDULED|DEADLINE|CLOSED):\s*[<\[][^>\]]*[>\]]\s*)+$")
_COMMENT = re.compile(r"^\s*#(?:\s|$)")
_LIST_ITEM = re.compile(r"^\s*(?P<marker>[-+]|\*(?=\s)|\d+[.)])\s+(?:\[[ X-]\]\s+)?(?P<text>.*)$")
_TABLE_RULE = re.compile(r"^\s*\|[-+]+\|?\s*$")
_VERBATIM_BLOCKS = ("src", "example", "verse")
_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\[\[([^\]]+)\]\[([^\]]+)\]\]"), r"\2"),  # [[target][description]]
    (re.compile(r"\[\[([^\]]+)\]\]"), r"\1"),  # [[target]]
    # *bold* /italic/ _underlined_ =verbatim= ~code~ +struck+, as Org finds them: between spaces or punctuation
    (re.compile(r"(?<![\w*/_=~+])([*/_=~+])(?=\S)([^\n]*?\S)\1(?![\w*/_=~+])"), r"\2"),
)


def load_org(path: Path, data: bytes) -> LoadedDocument:
    text, notes = decode_text_file(data, path.suffix.lower())
    built = TextBuilder()
    keywords: dict[str, str] = {}
    for block, heading in _blocks(text.split("\n"), keywords):
        built.add(block, heading=heading)
    if not has_words(built.text):
        raise LoadError("no readable text in the Org file")
    title = _inline(keywords.get("title", "")) or title_from_path(path)
    return LoadedDocument(
        built.text, title, "", iso_date(keywords.get("date", "").strip("<>[]")), author=_inline(keywords.get("author", "")),
        sections=tuple(built.sections), warnings=notes,
    )  # fmt: skip


def _blocks(lines: list[str], keywords: dict[str, str]) -> Iterator[tuple[str, bool]]:
    """The file's paragraphs in reading order, each with whether it is a headline; ``#+KEYWORD:`` lines
    are put in ``keywords`` (lower-cased names)."""
    paragraph: list[str] = []
    rows: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        block = _BLOCK_BEGIN.match(line)
        is_row = line.lstrip().startswith("|")
        if (headline := _HEADLINE.match(line)) or block or not line.strip() or is_row:
            yield from _paragraph(paragraph)
            paragraph = []
        if rows and not is_row:
            yield "\n".join(rows), False
            rows = []
        if headline:
            yield _inline(headline.group(2)), True
        elif block:
            i, content = _block_end(lines, i, block.group(1).lower())
            if block.group(1).lower() in _VERBATIM_BLOCKS:
                yield "\n".join(content), False
            elif block.group(1).lower() != "comment":
                yield from _blocks(content, keywords)
        elif _DRAWER.match(line) and line.strip().lower() != ":end:":
            i = next((j for j in range(i + 1, len(lines)) if lines[j].strip().lower() == ":end:"), i)
        elif keyword := _KEYWORD.match(line):
            keywords.setdefault(keyword.group(1).lower(), keyword.group(2).strip())
        elif is_row:
            if not _TABLE_RULE.match(line):
                rows.append(" | ".join(_inline(cell.strip()) for cell in line.strip().strip("|").split("|")))
        elif line.strip() and not _COMMENT.match(line) and not _PLANNING.match(line) and line.strip().lower() != ":end:":
            paragraph.append(line)
        i += 1
    yield from _paragraph(paragraph)
    if rows:
        yield "\n".join(rows), False


def _block_end(lines: list[str], begin: int, kind: str) -> tuple[int, list[str]]:
    """(the index of the block's ``#+end_`` line, the lines between)."""
    end = re.compile(rf"^\s*#\+end_{re.escape(kind)}\b", re.IGNORECASE)
    return block_lines(lines, begin, lambda line: bool(end.match(line)))


def _paragraph(lines: list[str]) -> Iterator[tuple[str, bool]]:
    if lines:
        yield "\n".join(_inline(line) for line in item_lines(lines, _LIST_ITEM)), False


def _inline(text: str) -> str:
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return tidy_line(text)
