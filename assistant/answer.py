"""What the assistant returns: an ``Answer`` and the ``Citation``s that ground it.

These are the domain types every front door (Python, CLI, UI, evaluation) works with; llama-index
node objects never leave ``assistant``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Citation:
    """A short passage (one to three sentences) copied from a stored document.

    ``quote == document_text[start:end]`` always holds for the stored text of the document at ``path``.
    """

    index: int
    """The number of the ``[n]`` marker in the answer text."""
    title: str
    source: str
    path: str
    published: str | None
    quote: str
    start: int
    end: int
    page: int | None = None
    """1-based page of the quote, for PDFs."""
    slide: int | None = None
    """1-based slide of the quote, for decks."""
    section: str | None = None
    """The chapter (EPUB) or heading (Word) the quote falls under."""
    score: float = 0.0
    """How strongly the quote supports the answer (0..1)."""
    doc_id: str = ""

    @property
    def location(self) -> str:
        """Where to find the quote inside its file, for people: "p. 3", "slide 4", a chapter's title, or ""."""
        if self.page:
            return f"p. {self.page}"
        if self.slide:
            return f"slide {self.slide}"
        return self.section or ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    """An answer to one question.

    ``text`` carries inline markers ``[1]``, ``[2]`` that refer to ``citations`` by ``index``. When the
    documents do not answer the question, ``abstained`` is True, ``citations`` is empty and ``related``
    may list the closest passages, which are not claimed as an answer (offline, the sentence the answer
    verifier found likeliest comes first).
    """

    text: str
    question: str
    """The standalone question that was answered (a follow-up after rewriting)."""
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    related: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mode: str = "extractive"
    """"extractive" (offline) or "llm"."""
    confidence: float | None = None
    """How likely the answer is to be right (0..1): the answer verifier's probability for the best
    sentence, also when the assistant abstained: it was too low, or the question names what it wants (how
    many, what year, the name of…) and that sentence holds none of it; 1.0 for a document's own metadata, for
    the sentence spelling out an abbreviation asked about and for the text that follows the previous answer
    ("Tell me more"); None when an LLM wrote the answer."""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)
