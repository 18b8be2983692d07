"""Scoring answers against golden cases: pure functions over ``Answer``, no I/O.

Every text comparison goes through ``normalise`` (casefold, straight quotes and hyphens, single
spaces), so "Kremlin’s" in a document matches "kremlin's" in a golden set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from assistant.answer import Answer, Citation
from assistant.evaluation.golden import GoldenCase

_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    }
)  # fmt: skip
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_MARKER = re.compile(r"\[(\d+)\]")

RELAXED_SUPPORT_SHARE = 0.5
"""Share of ``support``'s words a quote needs (with a ``must`` alternative) to count as support."""
RETRIEVAL_WORD_SHARE = 0.8
"""Share of ``support``'s distinct words a retrieved passage needs to count as a hit."""


def normalise(text: str) -> str:
    """Casefold, unify curly quotes and dashes, collapse whitespace."""
    return _WHITESPACE.sub(" ", text.translate(_PUNCTUATION).casefold()).strip()


def _words(text: str) -> set[str]:
    return set(_WORD.findall(normalise(text)))


def _word_share(needle: str, haystack: str) -> float:
    """Share of ``needle``'s distinct words that occur in ``haystack`` (1.0 for a wordless needle)."""
    wanted = _words(needle)
    return len(wanted & _words(haystack)) / len(wanted) if wanted else 1.0


# --- one case ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseScore:
    """How one answer did on one golden case."""

    case_id: str
    passed: bool
    correct: bool | None
    """Every ``must`` group found in the answer text; None for abstain cases."""
    supported: bool | None
    """A citation quote holds ``support``; None when no support is given or for abstain cases."""
    abstained: bool
    expected_abstain: bool
    reasons: tuple[str, ...] = ()
    """Why the case failed, one sentence each; empty when it passed."""


def score_case(case: GoldenCase, answer: Answer) -> CaseScore:
    """Score ``answer`` (to the last turn of ``case``) against the case's expectations."""
    if case.abstain:
        return _score_abstain_case(case, answer)
    reasons: list[str] = []
    if answer.abstained:
        reasons.append("abstained on an answerable question")
    missing = missing_must_groups(case.must, answer.text)
    reasons.extend(f"missing any of {list(group)} in answer" for group in missing)
    supported: bool | None = None
    if case.support is not None:
        supported = is_supported(case.support, case.must, answer.citations)
        if not supported:
            reasons.append(f"no citation quote contains support {case.support!r}")
    return CaseScore(case.id, not reasons, not missing, supported, answer.abstained, False, tuple(reasons))


def _score_abstain_case(case: GoldenCase, answer: Answer) -> CaseScore:
    if answer.abstained:
        return CaseScore(case.id, True, None, None, True, True)
    return CaseScore(case.id, False, None, None, False, True, ("answered a question the documents do not answer",))


def missing_must_groups(must: Sequence[Sequence[str]], text: str) -> list[Sequence[str]]:
    """The ``must`` groups none of whose alternatives occur in ``text`` (markers like [1] ignored)."""
    # A marker can sit inside a phrase ("Naftogaz[1] Group"), so it is removed before matching.
    haystack = normalise(_MARKER.sub("", text))
    return [group for group in must if not any(normalise(alt) in haystack for alt in group)]


def is_supported(support: str, must: Sequence[Sequence[str]], citations: Sequence[Citation]) -> bool:
    """True when a quote contains ``support``, or holds a ``must`` alternative and half its words.

    The relaxed rule exists because sentence splitters cut quotes at different places than the
    golden set's author did.
    """
    wanted = normalise(support)
    alternatives = [normalise(alt) for group in must for alt in group]
    for citation in citations:
        quote = normalise(citation.quote)
        if wanted in quote:
            return True
        if any(alt in quote for alt in alternatives) and _word_share(support, quote) >= RELAXED_SUPPORT_SHARE:
            return True
    return False


# --- citations -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitationCheck:
    """Whether an answer's markers and quotes are faithful to the stored documents."""

    markers: int
    """``[n]`` markers in the answer text (repeats counted)."""
    unresolved_markers: int
    """Markers with no citation of that index."""
    citations: int
    invalid_quotes: int
    """Citations whose quote is not ``document_text[start:end]`` of their document."""
    problems: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        """No dangling marker and no unfaithful quote."""
        return self.unresolved_markers == 0 and self.invalid_quotes == 0


def citation_validity(answer: Answer, document_text: Callable[[str], str | None]) -> CitationCheck:
    """Check that every ``[n]`` resolves and every quote is the exact slice of its stored document.

    ``document_text(doc_id)`` returns the stored full text of a document, or None if unknown.
    """
    markers = [int(number) for number in _MARKER.findall(answer.text)]
    indices = {citation.index for citation in answer.citations}
    problems = [f"marker [{n}] has no citation" for n in markers if n not in indices]
    unresolved = len(problems)
    for citation in answer.citations:
        problem = _quote_problem(citation, document_text(citation.doc_id))
        if problem:
            problems.append(f"citation [{citation.index}] {problem}")
    return CitationCheck(
        markers=len(markers),
        unresolved_markers=unresolved,
        citations=len(answer.citations),
        invalid_quotes=len(problems) - unresolved,
        problems=tuple(problems),
    )


def _quote_problem(citation: Citation, text: str | None) -> str | None:
    if text is None:
        return f"cites unknown document {citation.doc_id!r}"
    if not 0 <= citation.start <= citation.end <= len(text):
        return f"span {citation.start}:{citation.end} is outside the document ({len(text)} characters)"
    if text[citation.start : citation.end] != citation.quote:
        return f"quote differs from document text at {citation.start}:{citation.end}"
    return None


# --- retrieval -----------------------------------------------------------------------------------


def passage_contains(passage: str, support: str) -> bool:
    """True when ``passage`` holds ``support`` (normalised) or most of its distinct words."""
    return normalise(support) in normalise(passage) or _word_share(support, passage) >= RETRIEVAL_WORD_SHARE


def retrieval_hits(support: str, passages: Sequence[str], k: int) -> tuple[bool, float]:
    """(hit@k, reciprocal rank within the top ``k``) of the first passage containing ``support``."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    for rank, passage in enumerate(passages[:k], start=1):
        if passage_contains(passage, support):
            return True, 1.0 / rank
    return False, 0.0


# --- summary -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """Aggregate metrics over scored cases; a rate is None when its denominator is 0."""

    cases: int
    passed: int
    pass_rate: float | None
    answerable: int
    answered_correctly: int
    answer_correctness: float | None
    """Answerable cases answered (not abstained) with every ``must`` group, over answerable cases."""
    with_support: int
    supported: int
    citation_support: float | None
    """Answerable cases with ``support`` whose citations hold it, over those cases."""
    expected_abstain: int
    abstained: int
    abstained_correctly: int
    abstention_precision: float | None
    abstention_recall: float | None
    latency_p50: float | None = None
    latency_p95: float | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def summarize(scores: Sequence[CaseScore], latencies: Sequence[float] = ()) -> Summary:
    """Pass rate, correctness, citation support, abstention precision/recall and latency percentiles.

    For abstention the positive class is "abstained": precision is the share of abstentions that were
    expected, recall the share of expected abstentions that happened.
    """
    answerable = [s for s in scores if not s.expected_abstain]
    with_support = [s for s in answerable if s.supported is not None]
    passed = sum(s.passed for s in scores)
    correct = sum(bool(s.correct) and not s.abstained for s in answerable)
    supported = sum(bool(s.supported) for s in with_support)
    expected = sum(s.expected_abstain for s in scores)
    abstained = sum(s.abstained for s in scores)
    true_abstain = sum(s.abstained and s.expected_abstain for s in scores)
    return Summary(
        cases=len(scores),
        passed=passed,
        pass_rate=_rate(passed, len(scores)),
        answerable=len(answerable),
        answered_correctly=correct,
        answer_correctness=_rate(correct, len(answerable)),
        with_support=len(with_support),
        supported=supported,
        citation_support=_rate(supported, len(with_support)),
        expected_abstain=expected,
        abstained=abstained,
        abstained_correctly=true_abstain,
        abstention_precision=_rate(true_abstain, abstained),
        abstention_recall=_rate(true_abstain, expected),
        latency_p50=percentile(latencies, 50),
        latency_p95=percentile(latencies, 95),
    )


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0..100) with linear interpolation, as numpy's default; None if empty."""
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    return float(np.percentile(values, q)) if len(values) else None
