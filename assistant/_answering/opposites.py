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


#: WordNet's antonyms that name one relation from either side: "Who sold the factory?" is answered by
#: "Siemens bought the factory from Bosch", "Who was Margaret's husband?" by "Margaret was the wife of King
#: Malcolm". A sentence holding one for the other is no swap, and the rule (``verifier.says_the_opposite``)
#: leaves them to the fitted signal; none fired on the SQuAD 2.0 pool's best sentences.
_CONVERSES = (
    ("buy", "sell"), ("win", "lose"), ("won", "lost"), ("winner", "loser"), ("lend", "borrow"), ("lender", "borrower"),
    ("husband", "wife"), ("employer", "employee"), ("precede", "follow"), ("precede", "succeed"), ("parent", "child"),
    ("creditor", "debtor"), ("ancestor", "descendant"),
)  # fmt: skip


@cache
def converses(word: str) -> frozenset[str]:
    """The base forms naming from the other side the relation ``word`` (lower-case) names: "sold" gives
    {"buy"}."""
    forms = base_forms(word)
    return frozenset(b for pair in _CONVERSES for a, b in (pair, pair[::-1]) if a in forms)


#: Words that exclude each other as answers although WordNet gives them no antonym: compass points, eras,
#: orders of magnitude, what comes next and what came before. SQuAD 2.0's writers swapped them as they
#: swapped antonyms ("…the Norman dynasty have on modern Europe?" against "…on medieval Europe"; "…caused
#: $20 million in damage?" against "…$20 billion"). Each group lists its words as written, inflected
#: forms too: they are matched as written, not through WordNet's base forms. Not the words of a relation
#: and its converse, which say the same thing the other way round: "Who repaired the depot before it
#: reopened?" is answered by "The depot reopened in November after repairs by a crew from Lviv" (so no
#: "before"/"after", "in front of"/"behind", "won"/"lost"). Over the SQuAD 2.0 pool's best sentences
#: answered at the threshold, they hold for 25 unanswerable questions more than the antonyms do, and for
#: no answer; over the written questions, for none.
_RIVALS = (
    (("north", "northern", "northward", "northwards"), ("south", "southern", "southward", "southwards"),
     ("east", "eastern", "eastward", "eastwards"), ("west", "western", "westward", "westwards")),
    (("ancient",), ("medieval",), ("modern",)),
    (("hundred", "hundreds"), ("thousand", "thousands"), ("million", "millions"), ("billion", "billions")),
    (("slowly", "slow", "slower", "slowest"), ("rapidly", "quickly", "fast", "faster", "rapid", "quick", "quicker")),
    (("sparsely", "sparse"), ("densely", "heavily", "dense")),
    (("warm", "warmer", "warmest", "hot", "hotter"), ("cold", "colder", "cool", "cooler")),
    (("mild", "milder"), ("severe", "harsh")),
    (("red",), ("blue",), ("green",), ("yellow",), ("white",), ("black",), ("orange",), ("purple",), ("brown",), ("grey", "gray")),
    (("next", "upcoming", "coming", "future"), ("last", "previous", "past")),
    (("upper",), ("lower",)),
    (("rise", "rises", "rose", "risen", "rising"), ("drop", "drops", "dropped", "dropping", "fell", "fallen")),
    (("started", "starts", "starting"), ("ended", "ends", "ending")),
    (("positively", "positive"), ("negatively", "negative")),
    (("similar", "similarities", "similarity", "alike"), ("different", "differences", "difference", "disparate", "dissimilar")),
)  # fmt: skip


@cache
def _rival_table() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    return {
        word: (frozenset(members), frozenset(other for others in group if others is not members for other in others))
        for group in _RIVALS
        for members in group
        for word in members
    }


def rivals(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words (as written) that say what ``word`` (lower-case) says, and those that exclude it as an
    answer where WordNet has no antonym: "medieval" gives ({"medieval"}, {"ancient", "modern"}), "rose"
    gives the forms of "rise" and those of "drop"; a word of no group gives two empty sets."""
    return _rival_table().get(word, (frozenset(), frozenset()))
