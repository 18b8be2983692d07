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
_HARD_BREAK = re.compile(r"(?: {2,}|(?<!\\)\\)$")
_INLINE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])"), ""),  # images
    (re.compile(r"\[\s*\](?:\((?:[^()]|\([^)]*\))*\)|\[[^\]]*\])"), ""),  # a link left empty: it held only an image (badges)
    (re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*\\])\*(?=\S)(.+?)(?<=[^\s\\])\*(?!\*)"), r"\1"),
    (re.compile(r"(?<![\w\\])_(?=\S)(.+?)(?<=[^\s\\])_(?!\w)"), r"\1"),
    (re.compile(r"(?<!~)~~(?=[^\s~])(.+?)(?<=[^\s~])~~(?!~)"), r"\1"),  # not a "~~~" fence a list item holds
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])"), r"\1"),  # backslash escapes
)
#: A code span. An escaped backtick ("\`process.report'" in a changelog) opens none: it swallowed the lines
#: up to the next backtick, links and all.
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)\1", re.DOTALL)
#: MyST, the Markdown of Sphinx projects (pip's documentation): a directive is a fence whose info string
#: names it in braces (```` ```{note} ````, ``:::{tab} Linux``), its content Markdown, not code; a role is
#: a code span after a name in braces (``{ref}`Installing from local packages <install-local>` ``), its
#: text the span's, before any ``<target>``; ``(wheel-caching)=`` alone on a line labels what follows.
_DIRECTIVE = re.compile(r"^ {0,3}(`{3,}|~{3,}|:{3,})\{([\w-]+)\}[ \t]*(.*?)\s*$")
_DIRECTIVE_OPTION = re.compile(r"^\s*:[\w-]+:")
_CODE_DIRECTIVES = frozenset(("code-block", "code", "sourcecode", "code-cell"))
_NO_TEXT_DIRECTIVES = frozenset(("toctree", "contents", "include", "literalinclude", "image", "raw"))
#: What Sphinx writes before a version directive's content, from its argument.
_VERSION_DIRECTIVES = {"versionadded": "Added in version {}:", "versionchanged": "Changed in version {}:", "deprecated": "Deprecated since version {}:"}
#: Directives whose argument names what their content is for, as a heading does ("Linux" over "~/.cache/pip").
_TAB_DIRECTIVES = frozenset(("tab", "tab-item"))
_ROLE = re.compile(r"(?<![\w$])\{([a-z][\w:.-]*)\}\x00(\d+)\x00")  # after code spans are set aside: "{ref}\x000\x00"
#: Roles Sphinx writes with a word before their text: {pep}`508` is "PEP 508".
_ROLE_WORDS = {"pep": "PEP", "rfc": "RFC"}
_TITLED_TARGET = re.compile(r"(.+?)\s*<[^<>]+>\s*$", re.DOTALL)
_MYST_TARGET = re.compile(r"^\s*\([^()\s]+\)=\s*$")
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
    return _MarkdownReader().read(markdown)


class _MarkdownReader:
    """Reads Markdown a line at a time, knowing which block the line is in: a paragraph building up, a code
    fence, a MyST directive (nested ones too), or a directive that holds no text."""

    def __init__(self) -> None:
        self.built = TextBuilder()
        self.first_heading: str | None = None
        self.pending: list[str] = []  # the paragraph's lines so far
        self.code: list[str] | None = None  # a code block's lines, while in one
        self.fence = ""  # what closes that code block
        self.directives: list[str] = []  # the fences of the MyST directives the line is in, innermost last
        self.skipped = ""  # the fence of a directive that holds no text ({toctree}), while in it
        self.skipped_lines: list[str] = []  # its lines, kept in case the fence is never closed
        self.options = False  # right after a directive's opening, where its ":key: value" lines go
        # What Sphinx writes before a version directive's content ("Changed in version 20.0:"), put before
        # the directive's first paragraph; a directive with none ("```{versionadded} 6.0```" under a heading)
        # is about what follows, and its lead goes before the next paragraph, alone if a heading comes first.
        self.lead = ""

    def read(self, markdown: str) -> tuple[TextBuilder, str | None]:
        for line in markdown.split("\n"):
            self._line(line)
        self._flush()
        self._lead_alone()
        if self.code:  # an unclosed fence runs to the end of the file
            self.built.add("\n".join(self.code))
        if self.skipped_lines:  # so does an unclosed {toctree}: what it held is not lost, as code is not
            self.built.add("\n".join(self.skipped_lines))
        return self.built, self.first_heading

    def _line(self, line: str) -> None:
        if self.options and _DIRECTIVE_OPTION.match(line):
            return
        self.options = False
        if self.skipped:
            self._in_skipped_directive(line)
        elif self.code is not None:
            self._in_code(line)
        elif self.directives and _closes(line, self.directives[-1]):
            self._flush()
            self.directives.pop()
        elif directive := _DIRECTIVE.match(line):
            self._open_directive(*directive.groups())
        elif _MYST_TARGET.match(line):
            self._flush()
        elif fence := _FENCE.match(line):
            self._flush()
            self.fence, self.code = fence.group(1), []
        elif self.pending and _SETEXT_UNDERLINE.match(line):
            self._setext_heading(line)
        elif not line.strip() or _THEMATIC_BREAK.match(line):
            self._flush()
        elif atx := _ATX_HEADING.match(line) or _HTML_HEADING.match(line):
            self._atx_heading(atx)
        elif not (_REFERENCE_DEFINITION.match(line) or _TABLE_RULE.match(line)):
            self.pending.append(line)

    def _in_skipped_directive(self, line: str) -> None:
        if _closes(line, self.skipped):
            self.skipped, self.skipped_lines = "", []
        else:
            self.skipped_lines.append(line)

    def _in_code(self, line: str) -> None:
        assert self.code is not None
        if line.strip().startswith(self.fence) and not line.strip().strip(self.fence[0]):
            self.built.add("\n".join(self.code))
            self.code = None
        else:
            self.code.append(line)

    def _open_directive(self, opening: str, name: str, argument: str) -> None:
        self._flush()
        if name in _CODE_DIRECTIVES:
            self.fence, self.code = opening, []
        elif name in _NO_TEXT_DIRECTIVES:
            self.skipped = opening
        else:
            self.directives.append(opening)
            self.options = True
            if name in _VERSION_DIRECTIVES and argument:
                self.lead = _VERSION_DIRECTIVES[name].format(argument)
            elif argument:  # a tab's name ("Linux"), an admonition's title: what its content is under
                self.built.add(_markdown_inline(argument), heading=name in _TAB_DIRECTIVES)

    def _setext_heading(self, underline: str) -> None:
        heading = _markdown_paragraph(self.pending) if underline.strip().startswith("=") else None
        self._lead_alone()
        self._flush(heading=True)
        self.first_heading = self.first_heading or heading

    def _atx_heading(self, atx: re.Match[str]) -> None:
        self._flush()
        self._lead_alone()
        text = _markdown_paragraph([atx.group(2) or ""])
        if text:  # an HTML heading may hold only an image
            self.built.add(text, heading=True)
        if atx.group(1) in ("#", "1"):
            self.first_heading = self.first_heading or text

    def _flush(self, heading: bool = False) -> None:
        if not self.pending:
            return
        paragraph = _markdown_paragraph(self.pending)
        if heading:
            self.built.add(paragraph, heading=True)
        else:
            self.built.add(f"{self.lead} {paragraph}" if self.lead else paragraph)
            self.lead = ""
        self.pending.clear()

    def _lead_alone(self) -> None:
        """A heading comes before any paragraph the version lead could go before."""
        if self.lead:
            self.built.add(f"{self.lead.removesuffix(':')}.")
            self.lead = ""


def _closes(line: str, fence: str) -> bool:
    """Whether ``line`` closes what ``fence`` opened: its character alone, at least as many times."""
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _role_text(name: str, span: str) -> str:
    """A MyST role's text from its code span: "Installing from local packages" for ``{ref}`Installing from
    local packages <install-local>` ``, "install-local" for ``{ref}`install-local` ``, "PEP 508" for
    ``{pep}`508` ``."""
    titled = _TITLED_TARGET.match(span)
    text = (titled.group(1) if titled else span).strip()
    return f"{_ROLE_WORDS[name]} {text}" if name in _ROLE_WORDS and not titled else text


def _markdown_paragraph(lines: list[str]) -> str:
    """One Markdown block -> text: soft-wrapped lines joined, list items kept one per line."""
    spans: list[str] = []

    def stash(match: re.Match[str]) -> str:
        spans.append(tidy_line(match.group(2)))
        return f"\x00{len(spans) - 1}\x00"

    block = _CODE_SPAN.sub(stash, "\n".join(lines))  # code spans keep their *, _ and <...> literally
    block = _ROLE.sub(lambda role: _role_text(role.group(1), spans[int(role.group(2))]), block)  # not "${rotation}" in code
    block = _HTML_TAG.sub("", _HTML_COMMENT.sub("", _AUTOLINK.sub(r"\1", block)))  # tags may span lines
    out: list[str] = []
    broken = False  # the line before ended in a hard line break
    for line in block.split("\n"):
        line = re.sub(r"^\s*(?:>\s?)+", "", line)
        if not line.strip():
            continue
        if item := _LIST_ITEM.match(line):
            marker = "-" if item.group(1) else item.group(2)
            out.append(f"{marker} {item.group(3)}")
        elif out and not broken and not line.lstrip().startswith("|"):  # table rows keep their own lines
            out[-1] += " " + line
        else:
            out.append(line)
        # Two spaces or a backslash ending a line break it there (CommonMark): a header's "site  \ndate"
        # stays two lines, as a browser shows it, rather than "site date".
        broken = bool(_HARD_BREAK.search(line))
        out[-1] = _HARD_BREAK.sub("", out[-1])
    # Emphasis and links are read once the lines they wrap over are joined: "**gather text from the Web…\n
    # …meaningful data**" kept its asterisks when each line was read alone.
    text = "\n".join(_markdown_inline(joined) for joined in out)
    return _CODE_PLACEHOLDER.sub(lambda m: spans[int(m.group(1))], text)


def _markdown_inline(text: str) -> str:
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return html.unescape(text)
