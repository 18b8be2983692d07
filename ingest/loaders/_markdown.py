"""Markdown with optional YAML front matter (title, source, date), rendered to plain text.

Our own small converter rather than a Markdown library: citations slice the text by character offset,
so the text must keep the writer's words and line structure exactly (list items one per line, table
rows as rows, code verbatim), which HTML renderers followed by an HTML-to-text pass do not promise.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from assistant._dates import iso_date
from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._text import TextBuilder, decode_text_file, first, short_reason, tidy_line, title_from_path

_SOURCE_KEYS = ("source", "site", "site_name", "publisher")
_AUTHOR_KEYS = ("author", "authors", "creator", "byline")
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
    (re.compile(r"\[\s*\](?:\((?:[^()]|\([^)]*\))*\)|\[[^\]]*\])"), ""),  # a link left empty: it held only an image (badges)
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
#: CommonMark's autolinks, a URI of any scheme or an e-mail address: "<https://…>", "<mara@tidewire.example>"
#: (read as an HTML tag, a README's "Christian Heimes <christian@python.org>" lost the address).
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
#: A heading written as HTML on a line of its own, as READMEs centre their title: ``<h1 align="center">Charset
#: Detection, for Everyone</h1>``.
_HTML_HEADING = re.compile(r"^\s*<h([1-6])\b[^>]*>(.*?)</h\1>\s*$", re.IGNORECASE)


def load_markdown(path: Path, data: bytes) -> LoadedDocument:
    raw, notes = decode_text_file(data, path.suffix.lower())
    metadata, body, problem = _split_front_matter(raw)
    built, first_heading = markdown_to_text(body)
    if not built.text:
        raise LoadError("no text after the front matter")
    return LoadedDocument(
        text=built.text,
        sections=tuple(built.sections),
        title=first(_meta_text(metadata, "title"), first_heading, title_from_path(path)),
        source=first(*(_meta_text(metadata, key) for key in _SOURCE_KEYS)),
        published=next(filter(None, (iso_date(metadata.get(key)) for key in _DATE_KEYS)), None),
        author=first(*(_names(metadata.get(key)) for key in _AUTHOR_KEYS)),
        warnings=notes + problem,
        published_as_written=next((v.strip() for key in _DATE_KEYS if isinstance(v := metadata.get(key), str) and iso_date(v)), None),
    )


def _split_front_matter(raw: str) -> tuple[dict[str, Any], str, tuple[str, ...]]:
    try:
        post = frontmatter.loads(raw)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError) as exc:
        # Keep the body: drop the unreadable block and say so.
        body = re.sub(r"\A---\s*\n.*?\n(?:---|\.\.\.)\s*(?:\n|\Z)", "", raw, count=1, flags=re.DOTALL)
        return {}, body, (f"front matter ignored: {short_reason(exc)}",)
    metadata = post.metadata if isinstance(post.metadata, dict) else {}
    return metadata, post.content, ()


def _meta_text(metadata: dict[str, Any], key: str) -> str:
    value = metadata.get(key)
    return tidy_line(value) if isinstance(value, str) else ""


def _names(value: Any) -> str:
    """An author entry of front matter: a name, or a list of names ("authors: [Ann, Bo]" as "Ann, Bo")."""
    if isinstance(value, list):
        return ", ".join(tidy_line(v) for v in value if isinstance(v, str) and v.strip())
    return tidy_line(value) if isinstance(value, str) else ""


def markdown_to_text(markdown: str) -> tuple[TextBuilder, str | None]:
    """Markdown -> (plain text with every heading's section, text of the first level-1 heading). A
    citation names its section: in a changelog, "- Enable TCP_NODELAY for all synchronous sockets." is
    cited under "0.17.2 (May 23th, 2023)", the release that answers "Which release enabled it?"."""
    built = TextBuilder()
    first_heading: str | None = None
    pending: list[str] = []
    code: list[str] | None = None
    fence = ""

    def flush(heading: bool = False) -> None:
        if pending:
            built.add(_markdown_paragraph(pending), heading=heading)
            pending.clear()

    for line in markdown.split("\n"):
        heading = None
        if code is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                built.add("\n".join(code))
                code = None
            else:
                code.append(line)
        elif fence_match := _FENCE.match(line):
            flush()
            fence, code = fence_match.group(1), []
        elif pending and _SETEXT_UNDERLINE.match(line):
            heading = _markdown_paragraph(pending) if line.strip().startswith("=") else None
            flush(heading=True)
        elif not line.strip() or _THEMATIC_BREAK.match(line):
            flush()
        elif (atx := _ATX_HEADING.match(line)) or (atx := _HTML_HEADING.match(line)):
            flush()
            text = _markdown_paragraph([atx.group(2) or ""])
            if text:  # an HTML heading may hold only an image
                built.add(text, heading=True)
            heading = text if atx.group(1) in ("#", "1") else None
        elif not (_REFERENCE_DEFINITION.match(line) or _TABLE_RULE.match(line)):
            pending.append(line)
        first_heading = first_heading or heading
    flush()
    if code:  # an unclosed fence runs to the end of the file
        built.add("\n".join(code))
    return built, first_heading


def _markdown_paragraph(lines: list[str]) -> str:
    """One Markdown block -> text: soft-wrapped lines joined, list items kept one per line."""
    spans: list[str] = []

    def stash(match: re.Match[str]) -> str:
        spans.append(tidy_line(match.group(2)))
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
