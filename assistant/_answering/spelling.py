"""Misspelt words of a question, respelt as the documents write them: "What resource is the economy of
southern California depedent on?" is asked as "…dependent on?".

A misspelling matches no chunk's word, so it costs the keyword search its hit and the verifier the word
it checks each sentence for. About 5% of `qa_dev.json`'s questions hold one ("havy equipment",
"obsevable free quarks"), as users' typed questions do. Only a word found in no chunk is respelt,
and only to a word of the chunks one edit away. Names of four letters or more are respelt too
("Sigimund's Column"), acronyms not (one the documents lack is more likely another organisation). A word
in an English word list (wordninja's, 126k words, shipped in its wheel) is respelt only to a far
commoner one (``_COMMON_SLIP_RATIO``), and never when the documents use it in another form ("What
marking excludes…?" where they write "marked" is not "making": keyword search and the verifier match
words by their stems, so the typed word already finds them). A real word the documents do not use is
asked as typed, and the documents stay silent on it. A word negated by "un-" that the documents never write
("unattacked") is asked with "not" when they write the word itself ("not attacked").
"""

from __future__ import annotations

import difflib
import gzip
import importlib.util
import math
import re
import string
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from assistant._answering.questions import stem, stems
from assistant._keyword_index import fold

#: Words of four letters or more: a shorter one is one edit from too many others ("Jip": "Jin", "Jim"). Not
#: the stem of a negative contraction: "shouldn't" had "shouldn" respelled "should", and the question lost its
#: "not" ("Why should't it own web content?").
_LETTERS = re.compile(r"(?<![\w'’-])[^\W\d_]{4,}(?![\w-])(?!['’]t\b)")
#: The list holds common slips too ("recieved" is its 65,642nd word, "occured" its 79,833rd): a listed word
#: of six letters or more is respelt when its likeliest neighbour in the documents is one the list ranks
#: at least twenty times more common ("received": 681st). A real word stays as typed when that neighbour
#: is not so much more common ("small fright operators": "freight", not "fight").
_COMMON_SLIP_LETTERS = 6
_COMMON_SLIP_RATIO = 20


def respelled(question: str, vocabulary: Mapping[str, int]) -> str:
    """``question`` with each misspelt word replaced by the likeliest word of ``vocabulary`` (every word
    of the chunks, lower-cased and without accents -> how many chunks hold it), cased as typed."""

    def respell(match: re.Match[str]) -> str:
        typed = match.group()
        word = fold(typed).lower()
        # An acronym the documents do not use is more likely another organisation than a slip.
        if typed.isupper() or word in vocabulary:
            return typed
        if _PREDICATE_ENDS.match(question, match.end()) and (unprefixed := _without_negating_prefix(word, vocabulary)):
            return f"{'Not' if typed[0].isupper() else 'not'} {unprefixed}"
        english = english_ranks()
        if word in english and len(word) < _COMMON_SLIP_LETTERS:
            return typed
        spelling = _closest(word, vocabulary)
        if not spelling or (word in english and english.get(spelling, math.inf) * _COMMON_SLIP_RATIO > english[word]):
            return typed
        if word in english and (typed_stem := stem(word)) != stem(spelling) and typed_stem in _known_stems(vocabulary):
            return typed
        return spelling.capitalize() if typed[0].isupper() else spelling

    return _LETTERS.sub(respell, question)


#: "unattacked", "unharmed", "unknown", "unavailable", "unhealthy": a word negated by "un-" that describes
#: (a participle or an adjective), not a verb undoing something ("uninstall", "unpack"): "not installed"
#: would be what "uninstalled" says, "not install" is not what "uninstall" asks.
_NEGATED_DESCRIPTION = re.compile(r"un([a-z]{3,}(?:ed|en|wn|able|ible|ful|ive|al|ant|ent|y))")
#: What follows such a word said of the subject ("…gone unattacked?", "…remained unchanged for years"), not
#: of a noun after it ("untrained workers", "an unimportant role"): only there does "not" negate what the
#: question asks, as ``verifier.negation_matched`` reads it.
_PREDICATE_ENDS = re.compile(
    r"\s*(?:[?.!,;:)]|$|(?:for|in|since|until|by|after|before|during|because|and|or|when|while|at|on|to|from|throughout|despite)\b)",
    re.IGNORECASE,
)


def _without_negating_prefix(word: str, vocabulary: Mapping[str, int]) -> str | None:
    """The word "un-" negates in ``word`` when the documents write that word but not ``word``: "How long
    had these sites gone unattacked?" is asked of "…had not been attacked…" as "…gone not attacked?", so
    that keyword search and the verifier find "attacked" and read the question as negated, as the sentence
    is (``verifier.negation_matched``)."""
    negated = _NEGATED_DESCRIPTION.fullmatch(word)
    return negated.group(1) if negated and negated.group(1) in vocabulary else None


#: The last vocabulary's stems, swapped whole: the retriever hands the same mapping to every question until
#: its keyword index is rebuilt, and stemming 100,000 words takes ~0.2 s.
_last_stems: tuple[Mapping[str, int] | None, frozenset[str]] = (None, frozenset())


def _known_stems(vocabulary: Mapping[str, int]) -> frozenset[str]:
    global _last_stems
    stemmed_from, known = _last_stems
    if stemmed_from is not vocabulary:
        known = frozenset(stems(vocabulary))
        _last_stems = (vocabulary, known)
    return known


def _closest(word: str, vocabulary: Mapping[str, int]) -> str | None:
    """The word of ``vocabulary`` one edit from ``word`` that starts with the same letter (typing seldom
    misses the first), else the most alike in its letters' order ("havy" is "heavy" more than "have"),
    else the most common."""
    found = {w for w in _one_edit_from(word) if w in vocabulary}
    if not found:
        return None
    return min(found, key=lambda w: (w[0] != word[0], -difflib.SequenceMatcher(None, word, w).ratio(), -vocabulary[w], w))


def _one_edit_from(word: str) -> Iterator[str]:
    """Every string one deletion, swap of neighbours ("teh"), substitution or insertion from ``word``:
    a few hundred lookups, where comparing with each word of a 100,000-word vocabulary took ~325 ms."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for head, tail in splits:
        if tail:
            yield head + tail[1:]
            yield from (head + letter + tail[1:] for letter in string.ascii_lowercase)
        if len(tail) > 1:
            yield head + tail[1] + tail[0] + tail[2:]
        yield from (head + letter + tail for letter in string.ascii_lowercase)


@cache
def english_ranks() -> dict[str, int]:
    """wordninja's English words -> their place in its list, most frequent first. The file is found, not
    imported: importing wordninja builds its own model of the list (~80 ms), which every start would pay."""
    spec = importlib.util.find_spec("wordninja")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("wordninja is not installed (a dependency in pyproject.toml); run scripts/setup.sh")
    listing = Path(spec.origin).parent / "wordninja" / "wordninja_words.txt.gz"
    with gzip.open(listing, "rt", encoding="utf-8") as lines:
        return {word: rank for rank, word in enumerate(lines.read().split())}
