"""Question -> scored passages: dense retrieval from Chroma fused with BM25 over the same chunks.

Both sides are llama-index's building blocks (a ``VectorStoreQuery`` to ``ChromaVectorStore``, and
``BM25Retriever``), fused by reciprocal rank as ``QueryFusionRetriever`` does it. BM25 catches the rare
names and numbers that a small embedding model blurs (SQuAD-style questions are full of them); the
dense side catches paraphrases. The BM25 index covers the chunks stored in Chroma; ingest saves it,
this loads it, and loads or rebuilds it when the store's chunk count changes (``keyword_index``).
"""

from __future__ import annotations

import math
import threading
import time as clock
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode
from llama_index.core.vector_stores import FilterCondition, FilterOperator, MetadataFilter, MetadataFilters, VectorStoreQuery
from llama_index.core.vector_stores.utils import build_metadata_filter_fn, metadata_dict_to_node
from llama_index.vector_stores.chroma import ChromaVectorStore

from assistant import _corpus as schema
from assistant import _keyword_index as keyword_index
from assistant._corpus import Corpus
from assistant._dates import epoch_seconds
from assistant._keyword_index import KeywordIndex

#: How long a chunk count stays trusted. Counting is a store round trip (~1 ms, a tenth of the floor an
#: answer is measured against), so questions in quick succession share one; an ingest by another
#: process is seen within this time, one by this process at once (``Assistant.refresh``).
_COUNT_TRUSTED_SECONDS = 1.0
#: The most chunks ``Retriever.containing`` reads: what it is given to find is rare ("(ATF)") or, when not
#: ("Rust is "), opens its first chunks (a definition comes before its uses), and each is read sentence by
#: sentence.
_CONTAINING_LIMIT = 20


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to some documents. Every given field must match.

    >>> Filters(source="global.espreso.tv", published_after=date(2025, 1, 1))  # doctest: +ELLIPSIS
    Filters(...)
    """

    source: str | None = None
    paths: tuple[str, ...] = ()
    published_after: date | datetime | None = None
    published_before: date | datetime | None = None


def _llama_filters(filters: Filters) -> MetadataFilters | None:
    """``filters`` in llama-index's terms, over the chunk metadata keys ingest writes."""
    items: list[MetadataFilter] = []
    if filters.source:
        items.append(MetadataFilter(key=schema.SOURCE, value=filters.source))
    if filters.paths:
        items.append(MetadataFilter(key=schema.PATH, value=list(filters.paths), operator=FilterOperator.IN))
    if filters.published_after:
        items.append(MetadataFilter(key=schema.PUBLISHED_TS, value=epoch_seconds(filters.published_after), operator=FilterOperator.GTE))
    if filters.published_before:
        items.append(MetadataFilter(key=schema.PUBLISHED_TS, value=epoch_seconds(filters.published_before, end_of_day=True), operator=FilterOperator.LTE))
    return MetadataFilters(filters=items, condition=FilterCondition.AND) if items else None


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk: its text and exact span in its document, with the fused score and rank."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    score: float
    rank: int
    dense_score: float = 0.0
    """Its embedding's similarity to the question's (for a passage only BM25 found, the lowest similarity
    among the dense results: an upper bound)."""
    title: str = ""
    source: str = ""
    published: str | None = None
    """ISO 8601, from the document, or else the file's modification time (see ``dated_by``)."""
    dated_by: str = "document"


class Retriever:
    """Hybrid retrieval over one chunk collection."""

    def __init__(self, corpus: Corpus, embed_model: BaseEmbedding, top_k: int, index_dir: Path | None = None) -> None:
        """``index_dir``: where the BM25 index is kept between processes (None: built in memory only)."""
        self.corpus = corpus
        self.index_dir = index_dir
        self.embed_model = embed_model
        self.top_k = top_k
        self._vector_store = ChromaVectorStore(chroma_collection=corpus.chunks)
        # retrieve holds it while a first refresh builds the index, and around BM25 searches: a loaded index
        # reads its chunks through one shared file position (``keyword_index.load``).
        self._lock = threading.RLock()
        self._keywords: KeywordIndex | None = None
        self._indexed_size = -1
        self._last_question: tuple[str | None, list[float]] = (None, [])
        self._counted_at = -math.inf

    def retrieve(
        self,
        question: str,
        filters: Filters | None = None,
        top_k: int | None = None,
    ) -> list[Passage]:
        """The best passages for ``question``, best first."""
        k = top_k or self.top_k
        llama_filters = _llama_filters(filters) if filters else None
        bundle = QueryBundle(question, embedding=self.question_vector(question))
        dense = self._dense(bundle, k * 2, llama_filters)
        dense_scores = {n.node.node_id: float(n.score or 0.0) for n in dense}
        with self._lock:
            sparse = self._sparse(bundle, k * 2, llama_filters)
        # A chunk with no document record belongs to an ingest killed before it wrote the record (the next
        # ingest removes it): it has no text to cite, so it is not a passage.
        fused = _reciprocal_rank_fusion([dense, sparse])
        stored = self.corpus.documents_for([self._doc_id(n.node) for n in fused])
        fused = _with_the_best_keyword_match([n for n in fused if stored[self._doc_id(n.node)]], sparse, k)
        # A passage only BM25 found was not in the dense top 2k, so its similarity is at most the lowest
        # one there: that bound stands in for it rather than 0, which sank keyword-only finds.
        floor = min(dense_scores.values(), default=0.0)
        return [self._passage(n, rank, dense_scores.get(n.node.node_id, floor)) for rank, n in enumerate(fused, start=1)]

    def containing(
        self, phrases: Sequence[tuple[str, ...]], filters: Filters | None = None, besides: Sequence[Passage] = (), limit: int = _CONTAINING_LIMIT
    ) -> list[Passage]:
        """Up to ``limit`` passages that hold all the words of any of ``phrases`` as written (Chroma's
        full-text ``$contains``), those in ``besides`` left out, ranked after them: what a question needs
        word for word that ranking may not reach ("Async Task Framework (ATF)" is one of the Dropbox post's
        20 chunks that say "ATF", and not among the 6 retrieved for "What does ATF stand for?")."""
        alternatives = [_all_of(phrase) for phrase in phrases if phrase]
        if not alternatives:
            return []
        where = {"$or": alternatives} if len(alternatives) > 1 else alternatives[0]
        found = self.corpus.chunks.get(where_document=where, include=["documents", "metadatas"], limit=limit)
        nodes = [metadata_dict_to_node(meta, text=text) for text, meta in zip(found["documents"] or [], found["metadatas"] or [])]
        if filters:
            metadata = {n.node_id: n.metadata for n in nodes}
            kept = build_metadata_filter_fn(metadata.__getitem__, _llama_filters(filters))
            nodes = [n for n in nodes if kept(n.node_id)]
        known = {p.chunk_id for p in besides}
        floor = min((p.dense_score for p in besides), default=0.0)
        stored = self.corpus.documents_for([self._doc_id(n) for n in nodes])
        fresh = [n for n in nodes if n.node_id not in known and stored[self._doc_id(n)]]
        return [self._passage(NodeWithScore(node=n, score=0.0), len(besides) + rank, floor) for rank, n in enumerate(fresh, start=1)]

    def question_vector(self, question: str) -> list[float]:
        """The question's embedding, computed once for retrieval and the answerer's similarity signal."""
        asked, vector = self._last_question  # one tuple, swapped whole: safe across threads without a lock
        if asked != question:
            vector = self.embed_model.get_query_embedding(question)
            self._last_question = (question, vector)
        return vector

    def vocabulary(self) -> Mapping[str, int]:
        """Every word of the chunks, lower-cased and without accents -> how many chunks hold it (as of the
        BM25 index's last build, which ``retrieve`` keeps current)."""
        if self._indexed_size < 0:
            self.refresh()
        return self._keywords.document_frequency if self._keywords else {}

    def knows(self, word: str) -> bool:
        """Whether a lower-cased word occurs in any chunk, as written, in the plural or singular ("ppp"
        where a document writes "PPPs") or without its possessive ("kovalenko's"; as of the BM25 index's
        last build)."""
        vocabulary = self.vocabulary()
        word = word.removesuffix("'s")
        return any(form in vocabulary for form in (word, f"{word}s", f"{word}es", word.removesuffix("s")) if form)

    def idf(self, term: str) -> float:
        """Inverse document frequency of a lower-cased word over all chunks (rare terms weigh more).

        Counted when the BM25 index was last built, which ``retrieve`` keeps current: asking the store for
        its size on every term would add a round trip per word of every question."""
        df = self._keywords.document_frequency.get(term, 0) if self._keywords else 0
        return math.log(1 + (self.chunk_total - df + 0.5) / (df + 0.5))

    @property
    def chunk_total(self) -> int:
        """How many chunks the keyword index holds (the store's count when last checked)."""
        return self._keywords.chunk_total if self._keywords else 0

    def _dense(self, bundle: QueryBundle, k: int, filters: MetadataFilters | None) -> list[NodeWithScore]:
        # The store's query, not VectorStoreIndex's retriever around it: for a store that keeps the text
        # that retriever only re-wraps the same nodes, and its per-call set-up and callbacks were ~1 ms.
        query = VectorStoreQuery(query_embedding=bundle.embedding, similarity_top_k=k, filters=filters)
        result = self._vector_store.query(query)
        return [NodeWithScore(node=node, score=score) for node, score in zip(result.nodes or [], result.similarities or [])]

    def _sparse(self, bundle: QueryBundle, k: int, filters: MetadataFilters | None) -> list[NodeWithScore]:
        if self._indexed_size < 0:
            self.refresh()
        if self._keywords is None:
            return []
        bm25 = self._keywords.bm25
        bm25.similarity_top_k = min(k, self.chunk_total)
        bm25.corpus_weight_mask = self._mask(self._keywords, filters)
        if bm25.corpus_weight_mask is not None and not any(bm25.corpus_weight_mask):
            return []
        return [n for n in bm25.retrieve(bundle) if (n.score or 0) > 0]

    @staticmethod
    def _mask(keywords: KeywordIndex, filters: MetadataFilters | None) -> list[int] | None:
        if filters is None:
            return None
        chunks = keywords.chunks()
        matches = build_metadata_filter_fn(lambda i: chunks[i], filters)
        return [int(matches(i)) for i in range(len(chunks))]

    def refresh(self, *, recount: bool = True) -> int:
        """Load or rebuild the BM25 index if the store's chunk count changed (another process ingested);
        returns the count. With ``recount`` off, a non-zero count taken in the last second is trusted
        instead of asking the store again (callers check before every question)."""
        now = clock.monotonic()
        if not recount and self._indexed_size > 0 and now - self._counted_at < _COUNT_TRUSTED_SECONDS:
            return self._indexed_size
        size = self.corpus.chunk_count()
        self._counted_at = now
        with self._lock:
            if size != self._indexed_size:
                self._keywords = keyword_index.load_or_build(self.corpus, size, self.index_dir) if size else None
                self._indexed_size = size
        return size

    @staticmethod
    def _doc_id(node: object) -> str:
        return node.ref_doc_id or str(node.metadata.get(schema.DOCUMENT_ID, ""))  # type: ignore[attr-defined]

    def _passage(self, scored: NodeWithScore, rank: int, dense_score: float) -> Passage:
        node = scored.node
        assert isinstance(node, TextNode)
        meta = node.metadata
        return Passage(
            chunk_id=node.node_id,
            doc_id=self._doc_id(node),
            text=node.text,
            start=int(node.start_char_idx or 0),
            end=int(node.end_char_idx or 0),
            score=float(scored.score or 0.0),
            rank=rank,
            dense_score=dense_score,
            title=str(meta.get(schema.TITLE, "")),
            source=str(meta.get(schema.SOURCE, "")),
            published=str(meta.get(schema.PUBLISHED) or "") or None,
            dated_by=str(meta.get(schema.DATED_BY, "document")),
        )


def _all_of(words: tuple[str, ...]) -> dict[str, object]:
    """Chroma's filter for chunks holding every one of ``words`` as written."""
    return {"$and": [{"$contains": w} for w in words]} if len(words) > 1 else {"$contains": words[0]}


def _with_the_best_keyword_match(fused: list[NodeWithScore], sparse: list[NodeWithScore], k: int) -> list[NodeWithScore]:
    """The first ``k`` of ``fused``, keyword search's best match among them: fused by rank alone, a chunk
    only keyword search finds, however far ahead ("messagebus" in Debian's users-and-groups page: BM25 1.40
    against 1.24 next, not in the dense top 12), ranks below every chunk both searches hold (a written
    question lost its answer so). It takes the last place."""
    top = fused[:k]
    by_id = {n.node.node_id: n for n in fused}  # only chunks of stored documents
    best = next((by_id[n.node.node_id] for n in sparse if n.node.node_id in by_id), None)
    if not top or best is None or best in top:
        return top
    return [*top[:-1], best]


def _reciprocal_rank_fusion(rankings: list[list[NodeWithScore]], k: int = 60) -> list[NodeWithScore]:
    """Reciprocal rank fusion, as llama-index's ``QueryFusionRetriever`` does it (k=60).

    Done here rather than through ``QueryFusionRetriever`` because that runs every retriever on the
    query string again, embedding the question a second time; here the embedding is computed once.
    """
    scores: dict[str, float] = {}
    nodes: dict[str, NodeWithScore] = {}
    for ranking in rankings:
        for position, scored in enumerate(ranking):
            node_id = scored.node.node_id
            scores[node_id] = scores.get(node_id, 0.0) + 1.0 / (k + position + 1)
            nodes.setdefault(node_id, scored)
    ordered = sorted(scores, key=scores.__getitem__, reverse=True)
    return [NodeWithScore(node=nodes[i].node, score=scores[i]) for i in ordered]
