"""The write side of the store: the only code that changes the Chroma collections.

Writes are ordered so that a run killed at any point leaves a usable store that the next run repairs:
chunks are upserted under deterministic ids first, surplus chunks of an older version are deleted next,
and the document record (the manifest entry) is written last. A document record therefore always means
"all my chunks are stored"; chunks without a record are orphans that ``remove_orphans`` clears.

We upsert with chromadb directly rather than through ``ChromaVectorStore.add``: that method calls
``collection.add``, which keeps the old record when an id already exists, so a changed file would keep
its stale chunks. The record layout is llama-index's own (``node_to_metadata_dict``), so its
``ChromaVectorStore`` and retrievers read what we write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import chromadb
import numpy as np
from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.utils import node_to_metadata_dict

from assistant import _corpus as schema
from assistant._corpus import Corpus, StoredDocument
from ingest._chunking import chunk_id

# Chroma caps one request; stay well under it for a server too.
_WRITE_BATCH = 1000


@dataclass(frozen=True)
class DocumentRecord:
    """What ``write_documents`` stores for one file besides its chunks."""

    doc_id: str
    text: str
    metadata: dict[str, str | int | float]


@dataclass(frozen=True)
class DocumentWrite:
    """A document's record and chunks, and how many chunks its stored version had (the surplus goes)."""

    record: DocumentRecord
    chunks: Sequence[TextNode]
    previous_chunk_count: int


class StoreWriter:
    def __init__(self, chunks: chromadb.Collection, documents: chromadb.Collection) -> None:
        self.chunks = chunks
        self.documents = documents

    def manifest(self) -> dict[str, StoredDocument]:
        """Every complete document keyed by its path."""
        return {doc.path: doc for doc in Corpus(self.chunks, self.documents).documents()}

    def known_embeddings(self, doc_ids: Sequence[str]) -> dict[str, list[float]]:
        """Embeddings of the stored chunks of ``doc_ids`` keyed by the hash of their embedded text."""
        found: dict[str, list[float]] = {}
        for batch in _batched(list(doc_ids), 100):
            records = self.chunks.get(
                where={schema.DOCUMENT_ID: {"$in": batch}}, include=["metadatas", "embeddings"]
            )
            for meta, embedding in zip(records["metadatas"] or [], records["embeddings"] if records["embeddings"] is not None else []):
                if meta and meta.get(schema.EMBED_HASH):
                    found[str(meta[schema.EMBED_HASH])] = [float(x) for x in embedding]
        return found

    def write_documents(self, writes: Sequence[DocumentWrite]) -> None:
        """Replace the documents' chunks and then their records; safe to repeat after a crash.

        All in as few calls as Chroma takes: a call costs ~20 ms whatever its size (measured: 400 chunks
        in calls of 8 took 1.2 s, in calls of 64 0.46 s), which made a third of ingest's own time."""
        nodes = [node for write in writes for node in write.chunks]
        for batch in _batched(nodes, _WRITE_BATCH):
            self.chunks.upsert(
                ids=[node.node_id for node in batch],
                embeddings=[node.embedding for node in batch],  # type: ignore[misc]
                documents=[node.text for node in batch],
                metadatas=[node_to_metadata_dict(node, remove_text=True, flat_metadata=True) for node in batch],
            )
        surplus = [chunk_id(w.record.doc_id, i) for w in writes for i in range(len(w.chunks), w.previous_chunk_count)]
        for batch in _batched(surplus, _WRITE_BATCH):
            self.chunks.delete(ids=batch)
        for batch in _batched(list(writes), _WRITE_BATCH):
            self.documents.upsert(
                ids=[w.record.doc_id for w in batch],
                embeddings=[_mean_embedding(w.chunks) for w in batch],
                documents=[w.record.text for w in batch],
                metadatas=[w.record.metadata for w in batch],
            )

    def remove_document(self, doc_id: str) -> None:
        """Delete the record first: a crash in between leaves orphan chunks, never a record without chunks."""
        self.documents.delete(ids=[doc_id])
        self.chunks.delete(where={schema.DOCUMENT_ID: doc_id})

    def damage(self, manifest: Iterable[StoredDocument]) -> tuple[set[str], set[str]]:
        """(orphan chunk ids, ids of documents missing chunks) as the store stands now.

        Orphans are left by a run killed mid-file: chunks of a file whose record was never written, and,
        when that file is shorter by the next run, the ones past its new ``chunk_count``. Missing chunks
        are what a writer that deleted another's orphans left (before ingest took a lock); the document
        must be written again. One count answers "nothing to repair" for an intact store.
        """
        manifest = list(manifest)
        expected = {chunk_id(doc.doc_id, i): doc.doc_id for doc in manifest for i in range(doc.chunk_count)}
        if self.chunks.count() == len(expected):
            return set(), set()
        stored = set(self.chunks.get(include=[])["ids"])
        return stored - set(expected), {doc_id for id_, doc_id in expected.items() if id_ not in stored}

    def remove_orphans(self, candidates: set[str], manifest: Iterable[StoredDocument]) -> int:
        """Delete the ``candidates`` (orphans when this run began) that no record accounts for yet. Returns
        how many. Chunks another writer stored since are left alone: they are its work in progress."""
        if not candidates:
            return 0
        expected = {chunk_id(doc.doc_id, i) for doc in manifest for i in range(doc.chunk_count)}
        orphans = sorted(candidates - expected)
        for batch in _batched(orphans, _WRITE_BATCH):
            self.chunks.delete(ids=batch)
        return len(orphans)


def _mean_embedding(nodes: Sequence[TextNode]) -> list[float]:
    """The document's vector: the normalised mean of its chunks' (Chroma needs one per record)."""
    mean = np.mean(np.asarray([node.embedding for node in nodes], dtype=np.float32), axis=0)
    norm = float(np.linalg.norm(mean)) or 1.0
    return (mean / norm).tolist()


def _batched(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
