"""The scorer on hand-made answers: passes, each way of failing, citation checks, metrics."""

from __future__ import annotations

import pytest

from assistant.answer import Answer, Citation
from assistant.evaluation.golden import GoldenCase
from assistant.evaluation.scoring import (
    CaseScore,
    citation_validity,
    normalise,
    percentile,
    retrieval_hits,
    score_case,
    summarize,
)

DOCUMENT = (
    "At the end of July, Ukraine’s Naftogaz Group signed a deal. Within days, in the early hours of "
    "August 6, Russian forces launched a massive Shahed-136 drone attack on a gas distribution station."
)
DATE_CASE = GoldenCase(
    id="attack-date",
    turns=("When did Russia attack the station?",),
    must=(("August 6", "6 August"),),
    support="in the early hours of August 6, Russian forces launched",
)
ABSTAIN_CASE = GoldenCase(id="socar-ceo", turns=("Who runs SOCAR?",), abstain=True)


def cite(quote: str, index: int = 1, start: int | None = None, doc_id: str = "doc") -> Citation:
    """A citation of ``quote`` in DOCUMENT, at its true position unless ``start`` is given."""
    begin = DOCUMENT.index(quote) if start is None else start
    return Citation(
        index=index, title="t", source="s", path="p", published=None,
        quote=quote, start=begin, end=begin + len(quote), doc_id=doc_id,
    )  # fmt: skip


def answer(text: str, *citations: Citation, abstained: bool = False) -> Answer:
    return Answer(text=text, question="q", citations=list(citations), abstained=abstained)


SENTENCE = (
    "Within days, in the early hours of August 6, Russian forces launched a massive Shahed-136 drone attack "
    "on a gas distribution station."
)


def test_correct_supported_answer_passes() -> None:
    score = score_case(DATE_CASE, answer("In the early hours of August 6 [1].", cite(SENTENCE)))
    assert score == CaseScore("attack-date", True, True, True, False, False, ())


def test_missing_must_group_fails_with_reason() -> None:
    score = score_case(DATE_CASE, answer("Early in August [1].", cite(SENTENCE)))
    assert not score.passed and score.correct is False and score.supported is True
    assert score.reasons == ("missing any of ['August 6', '6 August'] in answer",)


def test_every_must_group_is_required() -> None:
    case = GoldenCase(id="c", turns=("q",), must=(("Bulgaria",), ("Romania",)))
    assert score_case(case, answer("Through Bulgaria and Romania.")).passed
    score = score_case(case, answer("Through Bulgaria."))
    assert score.reasons == ("missing any of ['Romania'] in answer",)


def test_abstaining_on_answerable_question_fails() -> None:
    score = score_case(DATE_CASE, answer("The documents do not say.", abstained=True))
    assert not score.passed and score.abstained and not score.expected_abstain
    assert "abstained on an answerable question" in score.reasons


def test_answering_a_question_to_abstain_on_fails() -> None:
    score = score_case(ABSTAIN_CASE, answer("Someone [1].", cite(SENTENCE)))
    assert not score.passed and score.correct is None and score.supported is None
    assert score.reasons == ("answered a question the documents do not answer",)


def test_abstaining_when_expected_passes() -> None:
    score = score_case(ABSTAIN_CASE, answer("I could not find that.", abstained=True))
    assert score.passed and score.abstained and score.expected_abstain and score.reasons == ()


def test_support_absent_from_quotes_fails() -> None:
    quote = "At the end of July, Ukraine’s Naftogaz Group signed a deal."
    score = score_case(DATE_CASE, answer("August 6 [1].", cite(quote)))
    assert not score.passed and score.correct is True and score.supported is False
    assert score.reasons == (f"no citation quote contains support {DATE_CASE.support!r}",)


def test_support_matched_by_relaxed_rule() -> None:
    # A splitter cut the quote mid-clause: support is not a substring, but the quote holds the answer
    # and more than half of the support's words.
    quote = "August 6, Russian forces launched a massive Shahed-136 drone attack"
    score = score_case(DATE_CASE, answer("August 6 [1].", cite(quote)))
    assert score.supported is True and score.passed


def test_relaxed_rule_needs_a_must_alternative_in_the_quote() -> None:
    # Most of the support's words, but not the date: a paraphrase, not the sentence that answers.
    quote = "Russian forces launched a massive Shahed-136 drone attack in the early hours"
    assert score_case(DATE_CASE, answer("August 6 [1].", cite(quote, start=0))).supported is False


def test_matching_ignores_case_curly_quotes_and_whitespace() -> None:
    case = GoldenCase(
        id="c", turns=("q",), must=(("UKRAINE'S NAFTOGAZ",),), support="ukraine's  naftogaz group signed a DEAL"
    )
    quote = "At the end of July, Ukraine’s Naftogaz Group signed a deal."
    assert score_case(case, answer("ukraine’s\nnaftogaz [1]", cite(quote))).passed


def test_case_without_support_has_no_support_verdict() -> None:
    case = GoldenCase(id="meta", turns=("When was it published?",), must=(("11 Aug 2025",),))
    score = score_case(case, answer("It was published on 11 Aug 2025."))
    assert score.passed and score.supported is None


def test_markers_inside_a_phrase_do_not_break_matching() -> None:
    case = GoldenCase(id="c", turns=("q",), must=(("Naftogaz Group",),))
    assert score_case(case, answer("Naftogaz[1] Group")).passed


def test_normalise() -> None:
    assert normalise("  Kremlin’s “diplomacy”\n– Baku—Tbilisi ") == "kremlin's \"diplomacy\" - baku-tbilisi"


# --- citation validity ---------------------------------------------------------------------------


def document_text(doc_id: str) -> str | None:
    return DOCUMENT if doc_id == "doc" else None


def test_exact_quotes_are_valid() -> None:
    check = citation_validity(answer("A [1] and B [2].", cite(SENTENCE, 1), cite("Naftogaz Group", 2)), document_text)
    assert check.valid
    assert (check.markers, check.unresolved_markers, check.citations, check.invalid_quotes) == (2, 0, 2, 0)


def test_shifted_span_is_detected() -> None:
    shifted = cite("Naftogaz Group", start=DOCUMENT.index("Naftogaz Group") + 1)
    check = citation_validity(answer("A [1].", shifted), document_text)
    assert not check.valid and check.invalid_quotes == 1 and check.unresolved_markers == 0


def test_dangling_marker_is_detected() -> None:
    check = citation_validity(answer("A [1], B [3].", cite(SENTENCE)), document_text)
    assert not check.valid and check.unresolved_markers == 1 and check.invalid_quotes == 0
    assert check.problems == ("marker [3] has no citation",)


def test_unknown_document_and_out_of_range_span_are_invalid() -> None:
    unknown = cite(SENTENCE, doc_id="missing")
    beyond = Citation(1, "t", "s", "p", None, "x", len(DOCUMENT), len(DOCUMENT) + 1, doc_id="doc")
    assert citation_validity(answer("[1]", unknown), document_text).invalid_quotes == 1
    assert citation_validity(answer("[1]", beyond), document_text).invalid_quotes == 1


def test_abstention_without_citations_is_valid() -> None:
    check = citation_validity(answer("Not in the documents.", abstained=True), document_text)
    assert check.valid and check.markers == 0 and check.citations == 0


# --- retrieval -----------------------------------------------------------------------------------


def test_retrieval_hit_and_reciprocal_rank() -> None:
    passages = ["Unrelated text.", "Something else.", DOCUMENT]
    assert retrieval_hits(DATE_CASE.support or "", passages, k=3) == (True, pytest.approx(1 / 3))
    assert retrieval_hits(DATE_CASE.support or "", passages, k=2) == (False, 0.0)


def test_retrieval_accepts_most_words_and_normalised_text() -> None:
    support = "Ukraine’s Naftogaz Group signed a deal"
    assert retrieval_hits(support, ["UKRAINE'S   naftogaz group SIGNED a deal"], k=1) == (True, 1.0)
    assert retrieval_hits(support, ["Naftogaz Group of Ukraine has signed a deal"], k=1)[0]
    assert not retrieval_hits(support, ["Naftogaz signed"], k=1)[0]


def test_retrieval_rejects_non_positive_k() -> None:
    with pytest.raises(ValueError):
        retrieval_hits("x", ["x"], k=0)


# --- summary -------------------------------------------------------------------------------------


def test_summary_metrics() -> None:
    scores = [
        CaseScore("a", True, True, True, False, False),
        CaseScore("b", False, False, None, False, False, ("missing",)),
        CaseScore("c", False, True, False, True, False, ("abstained on an answerable question",)),
        CaseScore("d", True, None, None, True, True),
        CaseScore("e", False, None, None, False, True, ("answered",)),
    ]
    summary = summarize(scores, latencies=[1.0, 2.0, 3.0, 4.0])
    assert (summary.cases, summary.passed, summary.pass_rate) == (5, 2, 0.4)
    # "c" met its must groups but abstained, so it is not counted as answered correctly.
    assert (summary.answerable, summary.answered_correctly, summary.answer_correctness) == (3, 1, 1 / 3)
    assert (summary.with_support, summary.supported, summary.citation_support) == (2, 1, 0.5)
    assert (summary.abstained, summary.expected_abstain, summary.abstained_correctly) == (2, 2, 1)
    assert summary.abstention_precision == 0.5 and summary.abstention_recall == 0.5
    assert summary.latency_p50 == 2.5 and summary.latency_p95 == pytest.approx(3.85)


def test_summary_of_nothing_has_no_rates() -> None:
    summary = summarize([])
    assert summary.pass_rate is None and summary.answer_correctness is None
    assert summary.abstention_precision is None and summary.abstention_recall is None
    assert summary.latency_p50 is None


def test_abstention_precision_undefined_without_abstentions() -> None:
    summary = summarize([CaseScore("a", True, True, None, False, False)])
    assert summary.abstention_precision is None and summary.abstention_recall is None
    assert summary.citation_support is None and summary.answer_correctness == 1.0


def test_percentile() -> None:
    assert percentile([5.0], 95) == 5.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([1.0, 2.0], 0) == 1.0 and percentile([1.0, 2.0], 100) == 2.0
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile([1.0], 101)
