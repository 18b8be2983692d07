"""The offline answerer: composes an answer from retrieved sentences, or abstains.

Each sentence of the retrieved passages is scored on its passage's meaning (the passage embedding's cosine
similarity to the question's), on the question's rare words it holds (IDF-weighted), on whether it holds
the kind of thing asked for, and on the rank of its passage. Sentences are not embedded one by one: that
was 80% of an answer's time, and the golden sets score no better for it (seeds 84.3% -> 85.4% pass,
SQuAD 2.0 51.6% -> 52.8% without it), because within a retrieved passage the question's rare words pick
the sentence better than a small model's sentence vector does. The best sentences, in reading order, become the answer,
each cited to its exact span. When the best sentence misses the question's key words or scores low,
the documents do not answer the question, and the answer says so instead of guessing.

The thresholds were tuned on the project's golden set and SQuAD 2.0's unanswerable questions (see
README, "Answer quality").
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer import Answer, Citation
from assistant.answering.citations import Span, citation, merge_adjacent, sentence_span
from assistant.answering.questions import QuestionProfile, gives_reason, has_expected, stem_terms
from assistant.corpus import Corpus
from assistant.retrieval import Passage, Retriever
from assistant.sentences import Sentence, split_sentences

# Weights of the sentence score.
W_DENSE, W_FOCUS, W_CONTEXT, W_TYPE, W_RANK = 0.50, 0.35, 0.10, 0.10, 0.05
# Abstain when the best sentence's neighbourhood holds less than this share of the question's rare words ...
MIN_COVERAGE = 0.60
# ... or its score is below this.
MIN_SCORE = 0.50
# Further sentences join the answer when they score within this margin of the best one.
JOIN_MARGIN = 0.10
MAX_SENTENCES = 3

NO_ANSWER = "The documents do not answer this question."


@dataclass
class _Candidate:
    passage: Passage
    sentence: Sentence
    position: int
    terms: set[str]
    focus: float = 0.0
    coverage: float = 0.0
    context: float = 0.0
    typed: bool = True
    score: float = 0.0


class ExtractiveAnswerer:
    def __init__(self, corpus: Corpus, retriever: Retriever) -> None:
        self.corpus = corpus
        self.retriever = retriever

    def answer(self, question: QuestionProfile, passages: list[Passage]) -> Answer:
        candidates = self._candidates(passages)
        if not candidates:
            return abstention(question.text, [], self.corpus)
        self._score(question, candidates)
        best = max(candidates, key=lambda c: c.score)
        if best.coverage < MIN_COVERAGE or best.score < MIN_SCORE or not best.typed:
            return abstention(question.text, passages, self.corpus)
        chosen = self._choose(best, candidates)
        if question.expects == "reason" and not any(gives_reason(c.sentence.text) for c in chosen):
            chosen += _nearby_reason(best, candidates)
        spans = merge_adjacent([sentence_span(c.passage.doc_id, c.sentence, c.score) for c in chosen], self._texts(chosen))
        return compose(question.text, spans, self.corpus)

    def _candidates(self, passages: list[Passage]) -> list[_Candidate]:
        seen: set[tuple[str, int]] = set()
        candidates: list[_Candidate] = []
        for passage in passages:
            title = _folded(str(passage.metadata.get("title", "")))
            for position, sentence in enumerate(split_sentences(passage.text, offset=passage.start)):
                key = (passage.doc_id, sentence.start)
                # The title (in the header, often again as the page's heading) names the topic; it
                # matches every question about the document without answering any.
                if key in seen or len(sentence.text) < 12 or _folded(sentence.text) == title:
                    continue
                seen.add(key)
                candidates.append(_Candidate(passage, sentence, position, set(stem_terms(sentence.text))))
        return candidates

    def _score(self, question: QuestionProfile, candidates: list[_Candidate]) -> None:
        focus_weights = {t: self.retriever.idf(t) for t in question.focus_terms}
        context_weights = {t: self.retriever.idf(t) for t in question.context_terms}
        by_passage: dict[str, list[_Candidate]] = {}
        for candidate in candidates:
            by_passage.setdefault(candidate.passage.chunk_id, []).append(candidate)
        for candidate in candidates:
            window = _window_terms(candidate, by_passage[candidate.passage.chunk_id]) | _title_terms(candidate.passage)
            candidate.focus = _coverage(focus_weights, candidate.terms)
            candidate.context = _coverage(context_weights, window) if context_weights else 0.0
            # A follow-up's own words are few ("What is it meant to support?"): earlier turns count half.
            candidate.coverage = _coverage({**{t: w / 2 for t, w in context_weights.items()}, **focus_weights}, window)
            candidate.typed = has_expected(question.expects, candidate.sentence.text, question.text)
            matches_kind = candidate.typed if question.expects != "reason" else gives_reason(candidate.sentence.text)
            candidate.score = (
                W_DENSE * candidate.passage.dense_score
                + W_FOCUS * candidate.focus
                + W_CONTEXT * candidate.context
                + W_TYPE * (1.0 if matches_kind and question.expects else 0.0)
                + W_RANK / candidate.passage.rank
                - (0.2 if not candidate.typed else 0.0)
            )

    def _choose(self, best: _Candidate, candidates: list[_Candidate]) -> list[_Candidate]:
        chosen = [best]
        covered = set(best.terms)
        for candidate in sorted(candidates, key=lambda c: c.score, reverse=True):
            if len(chosen) == MAX_SENTENCES or candidate.score < best.score - JOIN_MARGIN:
                break
            if candidate is best or not candidate.typed or candidate.terms <= covered:
                continue
            chosen.append(candidate)
            covered |= candidate.terms
        return chosen

    def _texts(self, chosen: list[_Candidate]) -> dict[str, str]:
        return {c.passage.doc_id: self.corpus.text(c.passage.doc_id) or "" for c in chosen}


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _coverage(weights: dict[str, float], terms: set[str]) -> float:
    total = sum(weights.values())
    if not total:
        return 1.0
    return sum(w for t, w in weights.items() if t in terms) / total


def _window_terms(candidate: _Candidate, siblings: list[_Candidate]) -> set[str]:
    terms = set(candidate.terms)
    for sibling in siblings:
        if abs(sibling.position - candidate.position) == 1:
            terms |= sibling.terms
    return terms


def _nearby_reason(best: _Candidate, candidates: list[_Candidate]) -> list[_Candidate]:
    """For "why": a sentence next to the best one that gives a reason, since articles often state the
    event in one sentence and its cause in the one before or after."""
    nearby = [
        c
        for c in candidates
        if c.passage.chunk_id == best.passage.chunk_id
        and 0 < abs(c.position - best.position) <= 2
        and gives_reason(c.sentence.text)
    ]
    return sorted(nearby, key=lambda c: (abs(c.position - best.position), -c.score))[:1]


def _title_terms(passage: Passage) -> set[str]:
    return set(stem_terms(str(passage.metadata.get("title", ""))))


def compose(question: str, spans: list[Span], corpus: Corpus) -> Answer:
    """An answer quoting ``spans`` in reading order, each followed by its ``[n]`` marker."""
    citations = [citation(i, corpus, span) for i, span in enumerate(spans, start=1)]
    text = " ".join(f"{c.quote} [{c.index}]" for c in citations)
    return Answer(text=text, question=question, citations=citations)


def abstention(question: str, passages: list[Passage], corpus: Corpus, warnings: list[str] | None = None) -> Answer:
    """"The documents do not answer this", with the closest passages offered as related reading only."""
    related: list[Citation] = []
    for passage in passages[:2]:
        sentences = split_sentences(passage.text, offset=passage.start)
        if sentences:
            first = sentences[0] if len(sentences) == 1 else max(sentences[:3], key=lambda s: len(s.text))
            related.append(citation(len(related) + 1, corpus, Span(passage.doc_id, first.start, first.end, passage.score)))
    return Answer(text=NO_ANSWER, question=question, abstained=True, related=related, warnings=warnings or [])
