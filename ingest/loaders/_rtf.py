"""Rich Text Format (.rtf: WordPad, TextEdit, and what many programs export): its text a paragraph per
``\\par``, and its ``\\info`` group (title, author, creation time)."""

from __future__ import annotations

import codecs
import re
from datetime import datetime
from pathlib import Path

from striprtf.striprtf import rtf_to_text

from assistant._dates import iso_date
from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._text import TextBuilder, first, has_words, short_reason, tidy_line, title_from_path

_KIND = "RTF document"
_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
#: ``{\title …}`` and ``{\author …}`` in the ``\info`` group; their text may hold escapes (``\'e9``).
_INFO_TEXT = {name: re.compile(rb"{\\" + name.encode() + rb"\s+((?:[^{}\\]|\\.)*)}") for name in ("title", "author")}
_CREATED = re.compile(rb"{\\creatim((?:\\(?:yr|mo|dy|hr|min|sec)\d+)+)}")


def load_rtf(path: Path, data: bytes) -> LoadedDocument:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise LoadError(f"malformed {_KIND}: it does not start with {{\\rtf")
    encoding = _encoding(data)
    try:
        # RTF is 7-bit: characters beyond ASCII are escapes (\'e9, \u8220?) that striprtf decodes.
        plain = rtf_to_text(data.decode("latin-1"), encoding=encoding, errors="replace")
    except Exception as exc:  # striprtf raises index and value errors on truncated groups
        raise LoadError(f"malformed {_KIND}: {short_reason(exc)}") from exc
    text = TextBuilder()
    for line in plain.split("\n"):
        text.add(line)
    if not has_words(text.text):
        raise LoadError(f"no text in the {_KIND}")
    author = _info_text(data, "author", encoding)
    return LoadedDocument(
        text=text.text,
        title=first(_info_text(data, "title", encoding), title_from_path(path)),
        source=author,  # as for Word files: the person the document comes from
        published=_created(data),
        author=author,
        file_properties=True,
    )


def _encoding(data: bytes) -> str:
    """The document's ANSI code page as a Python codec (cp1252 when it names none or an unknown one)."""
    match = _CODE_PAGE.search(data[:4096])
    name = f"cp{int(match.group(1))}" if match else "cp1252"
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name


def _info_text(data: bytes, name: str, encoding: str) -> str:
    match = _INFO_TEXT[name].search(data)
    if not match:
        return ""
    return tidy_line(rtf_to_text("{\\rtf1 " + match.group(1).decode("latin-1") + "}", encoding=encoding, errors="replace"))


def _created(data: bytes) -> str | None:
    """``{\\creatim\\yr2024\\mo5\\dy17\\hr9\\min30}`` as ISO 8601 (the day only: RTF gives no time zone)."""
    match = _CREATED.search(data)
    if not match:
        return None
    parts = dict(re.findall(r"\\([a-z]+)(\d+)", match.group(1).decode("ascii")))
    try:
        created = datetime(int(parts["yr"]), int(parts.get("mo", 1)), int(parts.get("dy", 1)))
    except (KeyError, ValueError):
        return None
    return iso_date(created.date().isoformat())
