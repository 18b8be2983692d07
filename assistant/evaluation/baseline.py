"""The naive baseline: llama-index's out-of-the-box retrieval over the same store, top chunk as the answer.

What a team gets from the library's quick start with no work of its own: ``VectorStoreIndex`` over the
same Chroma collection and embedding model, dense retrieval only, the question taken as written (no
conversation memory), the best chunk returned whole as the answer with one citation covering it, and
no abstention. The harness scores it with exactly the same code as the assistant, so the difference
between the two is what the project adds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from llama_index.core import VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant import _resources as resources
from assistant.answer import Answer
from assistant._answering.citations import Span, citation
from assistant._corpus import DOCUMENT_ID, Corpus
from assistant.service import Assistant

NO_PASSAGE = "No passage was retrieved."


@dataclass(frozen=True)
class BaselineReply:
    """The baseline's answer and the passages its retriever ranked, best first."""

    answer: Answer
    retrieved: tuple[str, ...]
    latency_ms: float


class NaiveBaseline:
    """Dense top-k retrieval with llama-index's defaults; the top chunk is the answer."""

    def __init__(self, corpus: Corpus, embed_model: BaseEmbedding, top_k: int) -> None:
        self._corpus = corpus
        index = VectorStoreIndex.from_vector_store(ChromaVectorStore(chroma_collection=corpus.chunks), embed_model=embed_model)
        self._retriever = index.as_retriever(similarity_top_k=top_k)

    @classmethod
    def from_assistant(cls, assistant: Assistant) -> NaiveBaseline:
        """A baseline over the assistant's own store and embedding model, retrieving as many passages."""
        settings = assistant.settings
        resources.configure_llama_index(settings)
        return cls(resources.corpus(settings), resources.embedding_model(settings), settings.top_k)

    def respond(self, question: str) -> BaselineReply:
        """Answer ``question`` with the best chunk, cited whole; never abstains."""
        started = time.perf_counter()
        found = self._retriever.retrieve(question)
        answer = self._answer(question, found[0]) if found else Answer(text=NO_PASSAGE, question=question)
        latency_ms = (time.perf_counter() - started) * 1000
        return BaselineReply(answer, tuple(scored.node.get_content() for scored in found), latency_ms)

    def _answer(self, question: str, best: NodeWithScore) -> Answer:
        node = best.node
        doc_id = node.ref_doc_id or str(node.metadata.get(DOCUMENT_ID, ""))
        start = int(node.start_char_idx or 0)
        end = int(node.end_char_idx or start + len(node.get_content()))
        source = citation(1, self._corpus, Span(doc_id, start, end, float(best.score or 0.0)))
        return Answer(text=f"{node.get_content()} [1]", question=question, citations=[source], mode="baseline")
