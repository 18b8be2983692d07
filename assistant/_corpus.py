"""The read side of the store, and the schema that ingest writes.

The store is two Chroma collections:

* ``<collection>``: one record per chunk, written in llama-index's Chroma layout (so its vector store
  and retrievers read it), with the flat metadata below and ``document_id`` naming the document.
* ``<collection>_docs``: one record per ingested file, holding the document's full text (the exact text
  that chunk spans and citation spans index into) and its manifest entry (path, content hash, chunk
  count, ingest signature). It lives in Chroma rather than in a local file so that a Chroma server and
  every client of it agree on what is stored; a record is written only after all its chunks, so its
  presence means "this document is complete".
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import chromadb

# Keys of chunk and document metadata, shared with ingest.
TITLE, SOURCE, PUBLISHED, PUBLISHED_TS, PATH, PAGE = "title", "source", "published", "published_ts", "path", "page"
EMBED_HASH = "embed_hash"
SLIDE = "slide"  # a chunk's slide number, for decks (PDF chunks carry PAGE)
CONTENT_SHA256, SIZE, CHUNK_COUNT, SIGNATURE, INGESTED_AT = "content_sha256", "size", "chunk_count", "signature", "ingested_at"
PART_STARTS, PART_KIND, SECTIONS = "part_starts", "part_kind", "sections"
DATED_BY, BODY_START = "dated_by", "body_start"
AUTHOR = "author"
DOCUMENT_ID = "document_id"  # llama-index's Chroma store filters and deletes by this key


@dataclass(frozen=True)
class StoredDocument:
    """A document's manifest entry as stored; ``text`` is loaded separately (it can be large)."""

    doc_id: str
    path: str
    title: str
    source: str
    published: str | None
    content_sha256: str
    size: int
    chunk_count: int
    signature: str
    ingested_at: str
    part_starts: tuple[int, ...] = ()
    """Body offsets where each page (PDF) or slide (deck) starts; see ``part_kind``."""
    part_kind: str = PAGE
    sections: tuple[tuple[int, str], ...] = ()
    """(body offset, heading) of each chapter (EPUB) or heading (see ``LoadedDocument.sections``)."""
    dated_by: str = "document"
    """Where ``published`` came from: "document" or "file modification time"."""
    body_start: int = 0
    """Offset of the body in the stored text; before it is the header (title, source, author, date)."""
    author: str = ""
    """Who wrote it, as the file names them; empty when it does not say."""

    @classmethod
    def from_metadata(cls, doc_id: str, meta: dict[str, Any]) -> StoredDocument:
        return cls(
            doc_id=doc_id,
            path=str(meta[PATH]),
            title=str(meta.get(TITLE, "")),
            source=str(meta.get(SOURCE, "")),
            published=meta.get(PUBLISHED) or None,
            content_sha256=str(meta[CONTENT_SHA256]),
            size=int(meta.get(SIZE, 0)),
            chunk_count=int(meta[CHUNK_COUNT]),
            signature=str(meta.get(SIGNATURE, "")),
            ingested_at=str(meta.get(INGESTED_AT, "")),
            part_starts=tuple(json.loads(meta.get(PART_STARTS) or "[]")),
            part_kind=str(meta.get(PART_KIND, PAGE)),
            sections=tuple((int(start), str(heading)) for start, heading in json.loads(meta.get(SECTIONS) or "[]")),
            dated_by=str(meta.get(DATED_BY, "document")),
            body_start=int(meta.get(BODY_START, 0)),
            author=str(meta.get(AUTHOR, "")),
        )

    def part_of(self, offset: int) -> int | None:
        """1-based page or slide (see ``part_kind``) holding character ``offset`` of the stored text, else
        None. The header before ``body_start`` counts as the first part."""
        return part_at(self.part_starts, offset - self.body_start)

    @property
    def file_name(self) -> str:
        """The file's name as words, "-", "_" and "." read as spaces: "python dotenv" for python-dotenv.md, by
        which a question may name the document."""
        return re.sub(r"[-_.]+", " ", PurePath(self.path).stem).strip()

    def section_of(self, offset: int) -> str | None:
        """The chapter or heading holding character ``offset`` of the stored text, if the format has them."""
        place = bisect.bisect_right([start for start, _ in self.sections], offset - self.body_start)
        return self.sections[place - 1][1] if place else None


def part_at(part_starts: Sequence[int], body_offset: int) -> int | None:
    """The 1-based page or slide holding ``body_offset`` (an offset into the body, as loaders write it);
    None for a document without parts. Ingest (a chunk's page) and citations (a quote's) both ask here."""
    return max(1, bisect.bisect_right(part_starts, body_offset)) if part_starts else None


def location_metadata(part_starts: Sequence[int], part_kind: str, sections: Sequence[tuple[int, str]]) -> dict[str, str]:
    """A document record's location keys, as ``StoredDocument.from_metadata`` reads them back (Chroma
    metadata values are flat, so the lists travel as JSON)."""
    return {
        PART_STARTS: json.dumps(list(part_starts)),
        PART_KIND: part_kind,
        SECTIONS: json.dumps([list(section) for section in sections]),
    }


class Corpus:
    """Read access to what has been ingested: the document list and documents' full texts."""

    def __init__(self, chunks: chromadb.Collection, documents: chromadb.Collection, client: chromadb.ClientAPI | None = None) -> None:
        """``client``: the one the collections came from, to read ``chunks``' metadata as stored now
        (``chunks_metadata``); without it, as it was when ``chunks`` was opened."""
        self.chunks = chunks
        self.documents_collection = documents
        self._client = client
        self._texts: dict[str, str] = {}
        # Records read so far: a question reads the records of its passages' documents only. Reading every
        # record (what ``documents`` does) cost 0.55 s at 20,000 chunks (2,400 documents), a sixth of a cold
        # start; 24 records by id take ~5 ms.
        self._by_id: dict[str, StoredDocument] = {}

    def documents(self) -> list[StoredDocument]:
        """Every complete document, sorted by path."""
        records = self.documents_collection.get(include=["metadatas"])
        docs = [StoredDocument.from_metadata(i, m) for i, m in zip(records["ids"], records["metadatas"] or [])]
        self._by_id.update((doc.doc_id, doc) for doc in docs)
        return sorted(docs, key=lambda d: d.path)

    def document(self, doc_id: str) -> StoredDocument | None:
        return self.documents_for([doc_id])[doc_id]

    def documents_for(self, doc_ids: Sequence[str]) -> dict[str, StoredDocument | None]:
        """Each id's record (None where the store has none), reading those not read before in one call."""
        found = {i: self._by_id.get(i) for i in doc_ids}
        if missing := [i for i, doc in found.items() if doc is None]:
            records = self.documents_collection.get(ids=missing, include=["metadatas"])
            read = {i: StoredDocument.from_metadata(i, m) for i, m in zip(records["ids"], records["metadatas"] or [])}
            # Only what was found is kept: a record missing now may be one an ingest running elsewhere has
            # not written yet (it writes a document's chunks first).
            self._by_id.update(read)
            found.update(read)
        return found

    def chunks_metadata(self) -> dict[str, Any]:
        """The chunk collection's metadata as stored now: another process may have ingested since it was opened."""
        collection = self._client.get_collection(self.chunks.name) if self._client else self.chunks
        return dict(collection.metadata or {})

    def text(self, doc_id: str) -> str | None:
        """The stored full text of a document: what every span indexes into."""
        if doc_id not in self._texts:
            record = self.documents_collection.get(ids=[doc_id], include=["documents"])
            if not record["ids"]:
                return None
            self._texts[doc_id] = record["documents"][0] or ""
        return self._texts[doc_id]

    def chunk_count(self) -> int:
        return self.chunks.count()

    def refresh(self) -> None:
        """Forget cached documents after the store changed (a new ingest)."""
        self._texts.clear()
        self._by_id.clear()
