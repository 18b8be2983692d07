"""Sentence spans in messy real text, for citing one to three sentences instead of whole chunks.

Scraped articles run headings into the next sentence with no space (``…media outlet.Terror as a tool of
Russian “diplomacy”At the end of July…``, ``…diplomatic pushbackOn July 10…``), so besides the usual
"period, space, capital" boundary this also breaks at a period or closing quote directly followed by a
capital, and where an all-lowercase word runs straight into a capitalised one (brand names such as
"SharePoint" start with a capital, so they are left alone). Abbreviations and initials do not end
sentences. Every span indexes into the text it came from, so quotes stay exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "inc", "ltd", "co", "corp", "no", "vs", "etc",
    "e.g", "i.e", "al", "fig", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "approx", "dept",
}
_END = r"[.!?…]"
_CLOSERS = "\"'”’»)]"
# Candidate boundaries; each is checked by _is_boundary before it is used.
_BOUNDARY = re.compile(
    rf"(?P<punct>{_END}+[{re.escape(_CLOSERS)}]*)(?=\s+[\"“‘'(\[]?[A-Z0-9]|[A-Z“\"])"  # end punctuation, then a new sentence
    r"|(?<=[\w.!?])(?P<quote>[”\"])(?=[A-Z][a-z])"  # a heading ending in a (closing) quote run into the next sentence
    r"|\b(?P<runin>[a-z]{3,})(?=[A-Z][a-z])"  # an all-lowercase word run into a capitalised one
    r"|(?P<lines>\n\s*)"  # line breaks end sentences (paragraphs, headings, list items)
)
_MAX_CHARS = 600
_LAST_WORD = re.compile(r"([\w.]+)$")
# Longer than any abbreviation or initial: a longer run of word characters is judged by its end alone.
_LONGEST_WORD = 40


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str, offset: int = 0) -> list[Sentence]:
    """Sentences of ``text`` with spans shifted by ``offset`` (the text's position in its document)."""
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if match.group("punct") and not _is_boundary(text, match.start()):
            continue
        _add(sentences, text, start, end, offset)
        start = end
    _add(sentences, text, start, len(text), offset)
    return sentences


def _is_boundary(text: str, punct_at: int) -> bool:
    if text[punct_at] != ".":
        return True
    # Only the word before the period matters; searching the whole prefix made splitting quadratic.
    word = _LAST_WORD.search(text, max(0, punct_at - _LONGEST_WORD), punct_at)
    if not word:
        return True
    token = word.group(1).lower()
    if token in _ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isalpha():  # an initial: "J. K. Rowling"
        return False
    following = text[punct_at + 1 : punct_at + 2]
    # "U.S.Army" style: a period directly followed by a capital only ends a sentence after a real word.
    return following.isspace() or len(token) >= 2 and token[-2:].isalpha() and token[-2:].islower() or following in _CLOSERS


def _add(sentences: list[Sentence], text: str, start: int, end: int, offset: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    begin = start + lead
    for part_start, part_end in _cap_length(text, begin, begin + len(stripped)):
        sentences.append(Sentence(offset + part_start, offset + part_end, text[part_start:part_end]))


def _cap_length(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split run-on "sentences" (tables, lists without punctuation) at a separator so quotes stay short.

    A loop, not recursion: a single-line file of 700 KB is 1,200 pieces, past Python's recursion limit."""
    pieces: list[tuple[int, int]] = []
    while end - start > _MAX_CHARS:
        cut = max(text.rfind(sep, start, start + _MAX_CHARS) for sep in ("; ", ", ", " — ", " "))
        cut = start + _MAX_CHARS if cut <= start else cut + 1
        head_end = cut
        while head_end > start and text[head_end - 1].isspace():
            head_end -= 1
        pieces.append((start, head_end))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    pieces.append((start, end))
    return pieces
