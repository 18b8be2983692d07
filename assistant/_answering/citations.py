"""Building citations from spans of stored documents, shared by both answerers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from assistant.answer import Citation
from assistant import _corpus as schema
from assistant._corpus import Corpus
from assistant._sentences import Sentence


@dataclass(frozen=True)
class Span:
    """A run of one to three consecutive sentences of one document."""

    doc_id: str
    start: int
    end: int
    score: float


def merge_adjacent(spans: list[Span], text_of: dict[str, str], max_sentences: int = 3) -> list[Span]:
    """Join spans of the same document separated only by white space, up to ``max_sentences``. Sentences
    the file writes with nothing between them ("…energy infrastructure.Turkey could…", as the seed article
    was scraped) stay apart: joined, the answer would read them run together."""
    merged: list[tuple[Span, int]] = []
    for span in sorted(spans, key=lambda s: (s.doc_id, s.start)):
        if merged:
            last, count = merged[-1]
            gap = text_of[span.doc_id][last.end : span.start] if last.doc_id == span.doc_id else "x"
            if last.doc_id == span.doc_id and span.start >= last.end and gap and not gap.strip() and count < max_sentences:
                merged[-1] = (Span(last.doc_id, last.start, span.end, max(last.score, span.score)), count + 1)
                continue
        merged.append((span, 1))
    return [span for span, _ in merged]


def citation(index: int, corpus: Corpus, span: Span) -> Citation:
    """A citation whose quote is copied from the stored text at exactly ``[start, end)``."""
    doc = corpus.document(span.doc_id)
    text = corpus.text(span.doc_id) or ""
    return Citation(
        index=index,
        title=doc.title if doc else "",
        source=doc.source if doc else "",
        path=doc.path if doc else "",
        published=doc.published if doc else None,
        quote=text[span.start : span.end],
        start=span.start,
        end=span.end,
        page=doc.part_of(span.start) if doc and doc.part_kind == schema.PAGE else None,
        slide=doc.part_of(span.start) if doc and doc.part_kind == schema.SLIDE else None,
        section=doc.section_of(span.start) if doc else None,
        score=round(span.score, 4),
        doc_id=span.doc_id,
    )


def document_list(entries: Sequence[tuple[str, Span | None]], corpus: Corpus, shown: int) -> tuple[list[str], list[Citation]]:
    """Lines listing documents, each "- “Title” (file.md): quote [n]" for its (doc_id, span), the span quoted
    and cited (a span of the header, its title, is cited but not repeated; no span, nothing quoted), up to
    ``shown`` documents and then how many more; and the citations."""
    lines: list[str] = []
    citations: list[Citation] = []
    for doc_id, span in entries[:shown]:
        doc = corpus.document(doc_id)
        line = f"- “{doc.title}” ({PurePath(doc.path).name})" if doc else "-"
        if span:
            cite = citation(len(citations) + 1, corpus, span)
            citations.append(cite)
            line += f": {cite.quote} [{cite.index}]" if doc and span.start >= doc.body_start else f" [{cite.index}]"
        lines.append(line)
    if len(entries) > shown:
        lines.append(f"- and {len(entries) - shown} more")
    return lines, citations


def sentence_span(doc_id: str, sentence: Sentence, score: float) -> Span:
    return Span(doc_id, sentence.start, sentence.end, score)
