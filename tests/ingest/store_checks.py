"""What ingest tests check of a store after every run, read back the way a user of the store would."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from llama_index.core.vector_stores.utils import metadata_dict_to_node

from assistant import _corpus as schema
from assistant import _resources as resources
from assistant._corpus import Corpus
from assistant.settings import Settings
from ingest._chunking import chunk_id

SQUAD_PARAGRAPH_SEPARATOR = "\n\n"


def open_corpus(settings: Settings) -> Corpus:
    client = resources.chroma_client(settings)
    return Corpus(resources.chunk_collection(client, settings), resources.document_collection(client, settings))


def assert_consistent(settings: Settings) -> dict[str, list[str]]:
    """Assert the store's invariants and return every document's chunk texts (in order) keyed by path.

    The chunk count equals the manifest's sum; each document's chunks are exactly ``<id>-00000`` ..
    ``<id>-(n-1)``; no chunk belongs to a document without a record; no document repeats a chunk text;
    every chunk's span slices the stored document text to exactly the chunk text.
    """
    corpus = open_corpus(settings)
    documents = corpus.documents()
    records = corpus.chunks.get(include=["documents", "metadatas"])
    assert corpus.chunk_count() == sum(doc.chunk_count for doc in documents)
    chunks_by_doc: dict[str, dict[str, tuple[str, dict]]] = defaultdict(dict)
    for id_, text, meta in zip(records["ids"], records["documents"] or [], records["metadatas"] or []):
        chunks_by_doc[str(meta[schema.DOCUMENT_ID])][id_] = (text or "", meta)
    assert set(chunks_by_doc) <= {doc.doc_id for doc in documents}, "chunks of a document without a record"
    texts_by_path: dict[str, list[str]] = {}
    for doc in documents:
        chunks = chunks_by_doc[doc.doc_id]
        expected_ids = [chunk_id(doc.doc_id, i) for i in range(doc.chunk_count)]
        assert sorted(chunks) == expected_ids, doc.path
        stored_text = corpus.text(doc.doc_id)
        assert stored_text
        texts = []
        for id_ in expected_ids:
            text, meta = chunks[id_]
            node = metadata_dict_to_node(meta, text=text)
            assert stored_text[node.start_char_idx : node.end_char_idx] == text, id_
            texts.append(text)
        assert len(set(texts)) == len(texts), f"{doc.path} repeats a chunk"
        texts_by_path[doc.path] = texts
    return texts_by_path


def write_article(folder: Path, name: str, source: Path, paragraphs: int = 4, edit: str = "") -> Path:
    """A small real document: the title and first ``paragraphs`` paragraphs of a SQuAD article.

    ``edit`` replaces the last paragraph, to change the end of a document and nothing before it.
    """
    title, *body = source.read_text(encoding="utf-8").split(SQUAD_PARAGRAPH_SEPARATOR)
    body = body[:paragraphs]
    if edit:
        body[-1] = edit
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SQUAD_PARAGRAPH_SEPARATOR.join([title, *body]) + "\n", encoding="utf-8")
    return path
