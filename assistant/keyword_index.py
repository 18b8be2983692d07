"""The BM25 index kept on disk between processes, so a new one loads it instead of rebuilding it.

Building it reads and tokenizes every chunk on a process's first question: 1.4 s at 1,500 chunks and
~12 s at 20,000 (the bench's cold start). It is saved with llama-index's own ``BM25Retriever.persist``
under ``folder/<fingerprint>``, where the fingerprint covers the store's chunk count and every document
record (id, content hash, chunk count, ingest time): any ingest that changes the store changes it, and
a run killed before writing its records changes the count. A missing, stale or unreadable copy is
rebuilt; a folder that cannot be written only costs the next process a rebuild.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from llama_index.retrievers.bm25 import BM25Retriever

from assistant.corpus import Corpus

log = logging.getLogger(__name__)

_FREQUENCIES = "document_frequency.json"


def fingerprint(corpus: Corpus, chunk_count: int) -> str:
    """Changes whenever the stored chunks can have changed."""
    digest = hashlib.sha256(str(chunk_count).encode())
    for doc in sorted(corpus.documents(), key=lambda d: d.doc_id):
        digest.update(f"\n{doc.doc_id} {doc.content_sha256} {doc.chunk_count} {doc.signature} {doc.ingested_at}".encode())
    return digest.hexdigest()[:24]


def load(folder: Path, key: str) -> tuple[BM25Retriever, Counter[str], int] | None:
    """The index saved under ``key`` with its document frequencies and chunk total, or None."""
    saved = folder / key
    if not saved.is_dir():
        return None
    try:
        frequencies = json.loads((saved / _FREQUENCIES).read_text(encoding="utf-8"))
        bm25 = BM25Retriever.from_persist_dir(str(saved), show_progress=False)
    except Exception as exc:  # a half-written or foreign folder: say so and rebuild
        log.warning("the saved keyword index in %s is unreadable (%s); rebuilding it", saved, exc)
        return None
    return bm25, Counter(frequencies["document_frequency"]), int(frequencies["chunk_total"])


def save(folder: Path, key: str, bm25: BM25Retriever, document_frequency: Counter[str], chunk_total: int) -> None:
    """Save the index under ``key``, replacing the copies of earlier store contents."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=folder, prefix=".partial-"))
    except OSError as exc:
        log.warning("could not save the keyword index in %s (%s); the next process will rebuild it", folder, exc)
        return
    try:
        bm25.persist(str(partial), show_progress=False)
        frequencies = {"document_frequency": document_frequency, "chunk_total": chunk_total}
        (partial / _FREQUENCIES).write_text(json.dumps(frequencies), encoding="utf-8")
        partial.rename(folder / key)  # atomic
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        if not (folder / key).is_dir():  # else another process saved the same contents first
            log.warning("could not save the keyword index in %s (%s); the next process will rebuild it", folder, exc)
        return
    for stale in folder.iterdir():
        if stale.name != key and not stale.name.startswith(".partial-"):
            shutil.rmtree(stale, ignore_errors=True)
