"""Opposite words ("higher" and "lower", "bought" and "sold"), from WordNet 3.0's antonyms.

A sentence about the higher living standards does not answer a question about the lower ones, however
many words they share; SQuAD 2.0's writers made many unanswerable questions just so, and a user asking
for the lower limit is not answered by the upper one. The table ships in ``assistant/models``
(``python -m assistant.training.antonyms`` writes it, ``WORDNET-LICENSE`` beside it).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "models" / "antonyms.json"

#: WordNet's own detachment rules (morphy(7WN)): the base forms an inflected word may have. Applied
#: to any word; a form is only kept when the table knows it, so "bless" does not become "bles".
_SUFFIXES = (
    ("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
    ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""),
    ("er", ""), ("est", ""), ("er", "e"), ("est", "e"),
)  # fmt: skip


@cache
def _table() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    raw = json.loads(TABLE.read_text(encoding="utf-8"))
    antonyms = {word: frozenset(others) for word, others in raw["antonyms"].items()}
    return antonyms, {form: tuple(bases) for form, bases in raw["irregular"].items()}


@cache
def base_forms(word: str) -> frozenset[str]:
    """The words of the table that ``word`` (lower-case) may be a form of: "lower" gives "low" and
    "lower", "sold" gives "sell"."""
    antonyms, irregular = _table()
    found = {word, *irregular.get(word, ())}
    found |= {word[: -len(suffix)] + base for suffix, base in _SUFFIXES if word.endswith(suffix) and len(word) > len(suffix) + 1}
    return frozenset(form for form in found if form in antonyms)


@cache
def opposites(word: str) -> frozenset[str]:
    """The base forms of the words opposite to ``word`` (lower-case): "higher" gives {"low"}."""
    antonyms, _ = _table()
    return frozenset(other for base in base_forms(word) for other in antonyms[base])
