"""Text helpers every loader shares: tidy lines and paragraphs, charset decoding, quiet libraries."""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from ingest.loaders._document import LoadError

#: Stray site-navigation lines that scrapers leave in article text; matched whole, case-insensitively.
NAV_PHRASES = frozenset(
    {"latest news", "read more", "related articles", "advertisement", "continue reading the main story", "skip to main content", "skip to content"}
)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_BINARY_CONTROL_RATIO = 0.05
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def tidy_line(line: str) -> str:
    return " ".join(line.split())


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Paragraphs (each may hold several lines) -> text with tidy lines and one blank line between."""
    return "\n\n".join(block for block in map(tidy_block, paragraphs) if block)


#: A numbered heading alone in its paragraph ("1. Introduction", "3.2 Trace Trees", "3.7.4. /etc/opt : …"): the
#: section a PDF or a plain-text file has no other mark of. Its number has a dot, unlike a table's row ("4
#: CARD32 N_ALIASES"), and it ends as no sentence or introduction does ("3. Steps:" is a list's).
NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}\.)+\d{0,2}\s+[A-Z/][^.\n]{0,60}(?<![:;,])$")


def item_lines(lines: Sequence[str], item: re.Pattern[str], term: re.Pattern[str] | None = None) -> list[str]:
    """A lightweight markup's paragraph (Org, AsciiDoc) as lines of text: each list item (``item``'s
    ``marker`` and ``text`` groups: "- " for a bullet, its number for a numbered one) or described term
    (``term``'s ``term`` and ``text``: "Tender: a small boat") on a line of its own, its wrapped lines joined
    to it; lines before the first item joined into one."""
    out: list[str] = []
    for line in lines:
        if listed := item.match(line):
            marker = listed.group("marker")
            out.append(f"{marker if marker[0].isdigit() else '-'} {listed.group('text')}")
        elif term and (described := term.match(line)):
            out.append(f"{described.group('term')}: {described.group('text') or ''}".rstrip())
        elif out:
            out[-1] += " " + line.strip()
        else:
            out.append(line.strip())
    return out


def block_lines(lines: Sequence[str], begin: int, closes: Callable[[str], bool]) -> tuple[int, list[str]]:
    """A delimited block of a lightweight markup (Org's ``#+begin_src``, AsciiDoc's ``----``) opening at
    line ``begin``: (the index of the first later line that ``closes`` it, the lines between); a block
    never closed runs to the end."""
    for end in range(begin + 1, len(lines)):
        if closes(lines[end]):
            return end, list(lines[begin + 1 : end])
    return len(lines), list(lines[begin + 1 :])


def numbered_headings(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, heading) of each paragraph of ``text`` (as ``join_paragraphs`` joins them) that is a
    ``NUMBERED_HEADING``."""
    sections, offset = [], 0
    for paragraph in text.split("\n\n"):
        if NUMBERED_HEADING.match(paragraph):
            sections.append((offset, paragraph))
        offset += len(paragraph) + 2
    return tuple(sections)


def tidy_block(paragraph: str) -> str:
    """One paragraph's lines tidied, empty ones dropped."""
    return "\n".join(line for line in map(tidy_line, paragraph.split("\n")) if line)


def split_paragraphs(text: str) -> list[str]:
    return re.split(r"\n[^\S\n]*\n", text)


def normalise_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    return CONTROL_CHARS.sub("", text)


def has_words(text: str) -> bool:
    return any(c.isalnum() for c in text)


def title_from_path(path: Path) -> str:
    return tidy_line(re.sub(r"[_-]+", " ", path.stem)) or path.name


def first(*candidates: str | None) -> str:
    return next((c for c in candidates if c), "")


def short_reason(exc: BaseException) -> str:
    reason = tidy_line(str(exc)) or type(exc).__name__
    return reason if len(reason) <= 120 else reason[:117] + "..."


_LOG_CAPTURE_LOCK = threading.Lock()


@contextmanager
def silenced(*logger_names: str) -> Iterator[None]:
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


def looks_like_text(sample: bytes) -> bool:
    """Whether ``sample`` (a file's first bytes) is text rather than binary content."""
    if sample.startswith(tuple(bom for bom, _ in _BOMS)):
        return True  # UTF-16/32 text is full of NUL bytes
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return b"\x00" not in sample and controls <= _BINARY_CONTROL_RATIO * len(sample)


def _check_not_binary(data: bytes, suffix: str) -> None:
    if not looks_like_text(data[:65536]):
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


def decode_text_file(data: bytes, suffix: str, declared: str | None = None) -> tuple[str, tuple[str, ...]]:
    _check_not_binary(data, suffix)
    text, notes = _decode(data, declared)
    text = normalise_newlines(text)
    if not text.strip():
        raise LoadError("empty file")
    return text, notes


#: Headings of a document's back matter: lists of other works and links. A Wikipedia page's references
#: are a quarter of its text, and their titles repeat a question's words without answering it: for "When
#: did Brendan Eich step down as CEO?" the reader trusted '"Brendan Eich Steps Down as Mozilla CEO".
#: mozilla blog.' over the sentence giving the date, and such chunks took retrieval's places. Not "Notes"
#: or "Sources": a README's notes are prose.
BACK_MATTER = re.compile(
    r"^(?:references|footnotes|citations|bibliography|works cited|external links|further reading|see also)$", re.IGNORECASE
)


@dataclass
class TextBuilder:
    """A document's text built paragraph by paragraph, joined as :func:`join_paragraphs` joins them,
    noting where each part (page, slide) and each section (chapter, heading) starts. A back-matter
    section (``BACK_MATTER``) is left out, up to the next heading that opens another."""

    part_starts: list[int] = field(default_factory=list)
    sections: list[tuple[int, str]] = field(default_factory=list)
    _blocks: list[str] = field(default_factory=list)
    _length: int = 0
    _in_back_matter: bool = False
    _continuing: bool = False

    def new_part(self, *, continuing: bool = False) -> None:
        """Start the next page or slide (it may turn out empty). ``continuing``: its first paragraph goes on
        with the last one, after a space (a sentence broken by a page break)."""
        self._continuing = continuing and bool(self._blocks)
        self.part_starts.append(self._length + 1 if self._continuing else self._next_offset())

    def open_section(self, name: str) -> None:
        """Start a chapter or heading's section at the next paragraph."""
        self.sections.append((self._next_offset(), tidy_line(name)))

    def add(self, paragraph: str, *, heading: bool = False) -> None:
        """Append one paragraph; a ``heading`` also opens a section named by its text."""
        block = tidy_block(paragraph)
        if not block:
            return
        if heading:
            # A document that opens with such a heading is not back matter: it is all there is.
            self._in_back_matter = bool(self._blocks) and bool(BACK_MATTER.match(block))
        if self._in_back_matter:
            return
        if self._continuing and not heading:
            self._continuing = False
            self._blocks[-1] += " " + block
            self._length += 1 + len(block)
            return
        if heading:
            self.open_section(block)
        self._length = self._next_offset() + len(block)
        self._blocks.append(block)

    def add_text(self, text: str) -> None:
        """Append text whose paragraphs are already separated by blank lines."""
        for paragraph in split_paragraphs(text):
            self.add(paragraph)

    @property
    def text(self) -> str:
        return "\n\n".join(self._blocks)

    def _next_offset(self) -> int:
        return self._length + 2 if self._blocks else 0
