"""Question-level outcomes on held-out articles, and the folds that hold them out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.training.pairs import Pair


@dataclass(frozen=True)
class Shortlist:
    """One question's labelled candidates, in the hand-set score's order (swapped variants left out)."""

    qid: str
    doc: str
    abstain: bool
    pairs: list[Pair]
    read: list[float]
    """Per candidate, the reader's probability from a reader that never saw the question's article."""
    weight: float = 1.0
    """How many pool questions this question counts for when the decision is fitted."""


def shortlists(pairs: Sequence[Pair], read: Sequence[float], weight: float = 1.0) -> list[Shortlist]:
    """Questions with their candidates; ``read`` gives the reader's held-out probability of each pair."""
    grouped: dict[str, Shortlist] = {}
    for pair, probability in zip(pairs, read, strict=True):
        if pair.synthetic:
            continue
        found = grouped.setdefault(pair.qid, Shortlist(pair.qid, pair.doc, pair.abstain, [], [], weight))
        found.pairs.append(pair)
        found.read.append(float(probability))
    return list(grouped.values())


@dataclass(frozen=True)
class Outcome:
    """One question's outcome: how confident the verifier is, and whether its best candidate answers."""

    qid: str
    doc: str
    abstain: bool
    confidence: float
    best_is_answer: bool


def rates(found: Sequence[Outcome], threshold: float) -> dict[str, float]:
    """Answerable: the best candidate answers and passes the threshold; abstention recall: an
    unanswerable question's confidence stays under it; precision: of the abstentions, how many right."""
    answerable = [d for d in found if not d.abstain]
    unanswerable = [d for d in found if d.abstain]
    abstained = [d for d in found if d.confidence < threshold]
    return {
        "threshold": threshold,
        "answerable": sum(d.best_is_answer and d.confidence >= threshold for d in answerable) / max(1, len(answerable)),
        "abstention_recall": sum(d.confidence < threshold for d in unanswerable) / max(1, len(unanswerable)),
        "abstention_precision": sum(d.abstain for d in abstained) / max(1, len(abstained)),
        "top_is_answer": sum(d.best_is_answer for d in answerable) / max(1, len(answerable)),
    }


def folds_by_article(pairs: Sequence[Pair], k: int) -> list[set[str]]:
    docs = sorted({p.doc for p in pairs})
    return [set(docs[i::k]) for i in range(k)]
