"""Questions about a document itself ("when was the article published?", "which outlet?").

They are answered from the document's metadata and cited to its header: the title, source and date
lines at the top of the stored text, written there by ingest for exactly this purpose.
"""

from __future__ import annotations

import re

from assistant.answer import Answer
from assistant._answering.citations import Span, citation
from assistant._corpus import Corpus, StoredDocument
from assistant._dates import in_words
from assistant.retrieval import Passage

_DOCUMENT = r"(article|document|story|piece|report|post|paper|text|page|file)"
_ASKS = {
    "published": re.compile(rf"\b(when|what (date|day|time))\b.*\b(published|posted|written|released|dated|come out|appear)|\bpublication date\b|^\s*(and\s+)?(on\s+)?what date\??$", re.I),
    "source": re.compile(rf"\b(which|what) (outlet|site|website|publication|newspaper|paper|media|source|publisher)\b|\bwho (published|publishes|ran)\b.*\b{_DOCUMENT}|\bwhere (was|is) (the|this) {_DOCUMENT} (published|from)", re.I),
    "title": re.compile(rf"\b(title|headline)\b.*\b{_DOCUMENT}|\bwhat is (the|this) {_DOCUMENT} called", re.I),
}


# "Which outlet did he write his article for?" asks about a person's work, not this document.
_ABOUT_SOMEONE = re.compile(r"\b(he|she|they|his|her|their|him|them)\b", re.I)


def asked_field(question: str) -> str | None:
    """Which metadata field the question asks for, if it is about the document itself."""
    if _ABOUT_SOMEONE.search(question):
        return None
    for name, pattern in _ASKS.items():
        if pattern.search(question):
            return name
    return None


def answer_from_metadata(field: str, question: str, passages: list[Passage], corpus: Corpus) -> Answer | None:
    """The field's value for the document the question is about, or None when it is not known."""
    doc = _document_in_question(passages, corpus)
    if doc is None:
        return None
    text = corpus.text(doc.doc_id) or ""
    value = {"published": doc.published if doc.dated_by == "document" else None, "source": doc.source, "title": doc.title}[field]
    if not value:
        return None
    # The header holds title, source and date as the file writes them; the date is its last line.
    written = text[: doc.body_start].strip().split("\n")[-1] if field == "published" else value
    start = text.find(written, 0, doc.body_start or len(text))
    if start < 0:
        return None
    cite = citation(1, corpus, Span(doc.doc_id, start, start + len(written), 1.0))
    return Answer(text=f"{_sentence(field, value, doc)} [1]", question=question, citations=[cite], confidence=1.0)


def _document_in_question(passages: list[Passage], corpus: Corpus) -> StoredDocument | None:
    return corpus.document(passages[0].doc_id) if passages else None


def _sentence(field: str, value: str, doc: StoredDocument) -> str:
    if field == "published":
        return f"“{doc.title}” was published on {_readable_date(value)}."
    if field == "source":
        return f"“{doc.title}” was published by {value}."
    return f"The document is titled “{value}”."


def _readable_date(iso: str) -> str:
    return in_words(iso) or iso
