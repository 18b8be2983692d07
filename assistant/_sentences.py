"""Sentence spans in messy real text, for citing one to three sentences instead of whole chunks.

Scraped articles run headings into the next sentence with no space (``…media outlet.Terror as a tool of
Russian “diplomacy”At the end of July…``, ``…diplomatic pushbackOn July 10…``), so besides the usual
"period, space, capital" boundary this also breaks at a period or closing quote directly followed by a
capital, and where an all-lowercase word runs straight into a capitalised one (brand names such as
"SharePoint" start with a capital, so they are left alone, as are names in code such as "deflateInit()"
and "getElementById"). Abbreviations and initials do not end sentences. A line break ends one, except
where a long line was wrapped mid-sentence (plain text such as licences, reStructuredText READMEs and
e-mails, wrapped at 72 or 80 columns): there a sentence cut at each line held half an answer. Every span
indexes into the text it came from, so quotes stay exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "inc", "ltd", "co", "corp", "no", "vs", "etc",
    "e.g", "i.e", "al", "fig", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "approx", "dept",
    "eg", "ie", "cf", "viz", "esp", "incl",  # "(eg. 20 to 30 times)", as Valgrind writes it
}
_END = r"[.!?…]"
_CLOSERS = "\"'”’»)]"
# Candidate boundaries; each is checked by _is_boundary before it is used.
_BOUNDARY = re.compile(
    rf"(?P<punct>{_END}+[{re.escape(_CLOSERS)}]*)(?=\s+[\"“‘'(\[]?[A-Z0-9]|[A-Z“\"])"  # end punctuation, then a new sentence
    r"|(?<=[\w.!?])(?P<quote>[”\"])(?=[A-Z][a-z])"  # a heading ending in a (closing) quote run into the next sentence
    r"|\b(?P<runin>[a-z]{3,})(?=[A-Z][a-z]+(?![\w(]))"  # a lowercase word run into a capitalised one (not code: deflateInit())
    r"|(?P<lines>\n\s*)"  # line breaks end sentences (paragraphs, headings, list items)
)
_MAX_CHARS = 600
# A wrapped line: long, not ending a sentence or a clause that introduces something (":"), followed on
# the next line by more of it (not a list item, heading, quote or table row), which starts in lower case,
# follows a comma or a word that cannot end a sentence, or starts with a word after a line as long as
# text wrapped at 72 or 80 columns. Short lines are headings, code or list fragments; lines with a "|"
# are table rows.
_WRAPPED_LINE_CHARS = 40
#: What may open a wrapped line before its first word: quotes, brackets, emphasis and dashes ("— with
#: dangerously high chlorine levels —" went on a sentence the line before had not ended).
_OPENERS = "`'\"(*_“‘«—–"
_FULL_LINE_CHARS = 60
#: Code is laid out by hand, not wrapped: a prompt, or a comment after the statement.
_CODE = re.compile(r"^\s*(?:>>>|\.\.\.\s|\$\s)|\s#\s", re.MULTILINE)
#: A list item's opening: a bullet or a number ("- h11", "2. use the subset…").
LIST_ITEM = re.compile(r"(?:[-*+•]|\d{1,3}[.)])\s")
_LIST_OR_MARKUP = re.compile(rf"{LIST_ITEM.pattern}|[>#|=~`](?:\s|$)|[-=~`#*]{{3,}}")
_UNFINISHED = re.compile(
    r"\b(?:the|a|an|of|to|and|or|by|in|for|with|from|on|at|as|that|than|into|under|over|via|since|until|after|before|during|about|its|their|our|your|is|are|was|were|be|not)\Z",
    re.IGNORECASE,
)
_LAST_WORD = re.compile(r"([\w.]+)$")
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")
# Longer than any abbreviation or initial: a longer run of word characters is judged by its end alone.
_LONGEST_WORD = 40
#: What follows a period up to the next space (at most ``_LONGEST_WORD`` characters).
_NEXT_TOKEN = re.compile(rf"\S{{0,{_LONGEST_WORD}}}")


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
        if match.group("lines") and _wrapped(text, match):
            continue
        _add(sentences, text, start, end, offset)
        start = end
    _add(sentences, text, start, len(text), offset)
    return sentences


#: A paragraph of stored text: lines up to a blank one, which no sentence crosses.
PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")


def sentences_from(text: str, start: int) -> Iterator[Sentence]:
    """The sentences of ``text`` from ``start`` on, a paragraph at a time: a document's opening, or what
    follows a quote, is in the first few, and splitting a whole paper to find them took ~10 ms."""
    for paragraph in PARAGRAPH.finditer(text, start):
        yield from split_sentences(paragraph.group(), offset=paragraph.start())


def _is_boundary(text: str, punct_at: int) -> bool:
    if text[punct_at] != ".":
        return True
    # Only the word before the period matters; searching the whole prefix made splitting quadratic.
    word = _LAST_WORD.search(text, max(0, punct_at - _LONGEST_WORD), punct_at)
    if not word:
        return True
    token = word.group(1).lower()
    if token in _ABBREVIATIONS or _opens_list_item(text, word.start(), punct_at):
        return False
    if len(token) == 1 and token.isalpha():  # an initial: "J. K. Rowling"
        return False
    if _INITIALS.fullmatch(token):  # a name's initials, as "U.S." is: "the D.A. Davidson brokerage"
        return False
    following = text[punct_at + 1 : punct_at + 2]
    if following.isalpha() and ("." in token or not text[punct_at + 1 : punct_at + 3].istitle()):
        return False  # a dotted name ("pytz.exceptions.AmbiguousTimeError") or a constant ("Fore.RED")
    if following.isalpha() and "@" in _NEXT_TOKEN.match(text, punct_at + 1).group():
        return False  # an e-mail address ("Steve.Sommars@att.com")
    # "U.S.Army" style: a period directly followed by a capital only ends a sentence after a real word,
    # written in lower case ("pythonX.Y", a name with a placeholder in it, is none).
    written = word.group(1)[-2:]
    return following.isspace() or len(written) >= 2 and written.isalpha() and written.islower() or following in _CLOSERS


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


#: The number opening a list item or a heading: "1", "6.1", "12.2.1", and what names a numbered part.
_ITEM_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3}){0,3}")
_NUMBERED_PART = re.compile(r"\b(?:Chapter|Section|Part|Appendix|Article)[ \t]+\Z")


def _opens_list_item(text: str, number_at: int, punct_at: int) -> bool:
    """Whether the number ending at ``punct_at`` opens a numbered list item or heading ("1." of "1. November
    4th -- 16:30 UTC", "6.1." of "6.1. More on Modules", which was cut into "6.1." and a heading of its
    own): it starts its line, and the line before is blank, ends a sentence or clause, or is an item
    itself. Extracted text also breaks lines before a subscript ("the formula O" then "2. Diatomic
    oxygen…"): there the number still ends the sentence."""
    if not _ITEM_NUMBER.fullmatch(text, number_at, punct_at):
        return False
    titled = _NUMBERED_PART.search(text, max(0, number_at - 12), number_at)  # "Chapter 3. The Root Filesystem"
    line_start = titled.start() if titled else number_at
    while line_start and text[line_start - 1] in " \t":
        line_start -= 1
    if line_start and text[line_start - 1] != "\n":
        return False
    before = text[_line_start(text, line_start - 1) : line_start].strip() if line_start else ""
    return not before or before[-1] in ".!?:;" or bool(LIST_ITEM.match(before))


def _wrapped(text: str, line_break: re.Match[str]) -> bool:
    """Whether ``line_break`` (one line break and the next line's indentation) only wraps a sentence."""
    if line_break.group(0).count("\n") != 1 or line_break.end() >= len(text):
        return False
    start = _line_start(text, line_break.start())
    line = text[start : line_break.start()].strip()
    following = text[line_break.end() : line_break.end() + 12]
    if len(line) < _WRAPPED_LINE_CHARS or line[-1] in ".!?…:;" or "|" in line or _LIST_OR_MARKUP.match(following):
        return False
    full_line = len(line) >= _FULL_LINE_CHARS or _next_word_did_not_fit(text, start, line_break)
    starts_word = following.lstrip(_OPENERS + " ")[:1].isalpha()
    return following[0].islower() or line[-1] == "," or (full_line and starts_word) or bool(_UNFINISHED.search(line))


def _next_word_did_not_fit(text: str, start: int, line_break: re.Match[str]) -> bool:
    """Whether the line from ``start`` ends where the next line's first word would have run past the width
    the line before it was wrapped at: a wrapped line is as short as that word is long ("…would otherwise be
    in state 'installed' are in state" before "'triggers-pending' instead…", 53 characters under a line of
    69)."""
    if not start or _CODE.search(text, start, line_break.start()):
        return False
    width = len(text[_line_start(text, start - 1) : start - 1].rstrip())
    next_word = text[line_break.end() : line_break.end() + _FULL_LINE_CHARS].split(maxsplit=1)
    line = text[start : line_break.start()].rstrip()
    return width >= _FULL_LINE_CHARS and bool(next_word) and len(line) + 1 + len(next_word[0]) > width


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
