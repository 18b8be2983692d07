"""The keyword side of retrieval: llama-index's BM25 over every stored chunk, and how many chunks hold
each word (the answerer's IDF), kept on disk so that a process loads them instead of rebuilding.

Building reads and tokenizes every chunk: 1.4 s at 1,500 chunks and ~12 s at 20,000. Ingest builds and
saves it when it changed the store (``prepare``), so even the first question after an ingest only
loads it. It is saved with ``BM25Retriever.persist`` under ``folder/<fingerprint>``, where the
fingerprint covers the store's chunk count and every document record (id, content hash, chunk count,
ingest time): any ingest that changes the store changes it, and a run killed before writing its
records changes the count. A missing, stale or unreadable copy is rebuilt; a folder that cannot be
written only costs the next process a rebuild. Ingest records the fingerprint in the store when it
finishes (and erases it before it changes anything), so a question reads it instead of every document
record; a store whose last ingest did not finish, or was made by an older release, is fingerprinted.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import Stemmer
from bm25s.utils.corpus import find_newline_positions, save_mmindex
from llama_index.core.schema import TextNode
from llama_index.core.vector_stores.utils import metadata_dict_to_node
from llama_index.retrievers.bm25 import BM25Retriever

from assistant._corpus import Corpus

if TYPE_CHECKING:
    import chromadb

log = logging.getLogger(__name__)

_FREQUENCIES = "document_frequency.json"
#: The saved chunks (bm25s's file) and where each starts in it, which ``load`` memory-maps them by.
_CHUNKS, _LINE_INDEX = "corpus.jsonl", "corpus.mmindex.json"
#: The chunk collection's metadata key under which ingest records its contents' fingerprint.
_RECORDED = "keyword_index_fingerprint"
_PARTIAL = ".partial-"
_PAGE = 2000  # chunks read from the store at a time while building
#: A version or a decimal, "1.0.0", "3.14": one word, whose pieces are no words a question means.
DOTTED_NUMBER = r"\d+(?:\.\d+)+"
#: A one-letter option or format specifier, "-p", "%e": one word with its sign. As a letter alone it was no
#: word to either side of retrieval ("What does the -p option do?" asked for "option"), and a letter means
#: nothing without it.
SHORT_OPTION = r"(?<![\w%-])[-%][A-Za-z](?![\w-])"
_WORD = re.compile(rf"{SHORT_OPTION}|{DOTTED_NUMBER}|[A-Za-z0-9]+(?:['’][a-z]+)?")
#: Bump when ``words`` or the BM25 tokens change: indexes saved before are then rebuilt, not misread.
_TOKENS_VERSION = 5
#: BM25's tokens: a short option ("-p") and a dotted number whole ("1.0.0", "3.14"), else words of two
#: characters or more (bm25s's default, which cut "1.0.0" into pieces too short to count: "When was version
#: 1.0.0 released?" found no chunk of that release).
_BM25_TOKENS = rf"(?u){SHORT_OPTION}|\b{DOTTED_NUMBER}\b|\b\w\w+\b"
#: Latin letters that are not a base letter plus accents, so Unicode decomposition leaves them as they are.
_UNACCENTED = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "ı": "i", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th"})


def fold(text: str) -> str:
    """``text`` without accents ("Śródmieście" as "Srodmiescie"): people type names without them."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNACCENTED))
    # Only non-ASCII characters can be accents: testing just those is ~8× faster on a page of English
    # with a few curly quotes than testing every character.
    return _NON_ASCII.sub(_unless_accent, decomposed)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _unless_accent(match: re.Match[str]) -> str:
    return "" if unicodedata.combining(match.group(0)) else match.group(0)


def words(text: str) -> list[str]:
    """The lower-cased words of ``text`` without accents, as document frequencies count them."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(fold(text))]


class _FoldingStemmer:
    """BM25's stemmer, on words without accents: "Jumieges" finds a chunk that writes "Jumièges"."""

    def __init__(self) -> None:
        self._english = Stemmer.Stemmer("english")

    def stemWords(self, tokens: list[str]) -> list[str]:  # noqa: N802 (the name bm25s calls)
        return self._english.stemWords([fold(token) for token in tokens])


@dataclass(frozen=True)
class KeywordIndex:
    bm25: BM25Retriever
    document_frequency: Counter[str]
    """How many chunks hold each lower-cased word."""
    chunk_total: int

    def chunks(self) -> list[dict[str, Any]]:
        """Every indexed chunk's saved record, in index order (what a metadata filter reads). A loaded index
        reads its chunks as searches return them (``load``); a filter reads all of them, so they are read
        whole the first time (0.23 s at 20,000 chunks) and kept."""
        if not isinstance(self.bm25.corpus, list):
            self.bm25.corpus = self.bm25.corpus[:]
        return self.bm25.corpus


def build(corpus: Corpus) -> KeywordIndex:
    """Index every chunk in the store."""
    nodes: list[TextNode] = []
    document_frequency: Counter[str] = Counter()
    for text, meta in _stored_chunks(corpus):
        node = metadata_dict_to_node(meta, text=text)
        assert isinstance(node, TextNode)
        nodes.append(node)
        document_frequency.update(set(words(text)))
    log.debug("keyword index built", extra={"chunks": len(nodes)})
    bm25 = BM25Retriever.from_defaults(nodes=nodes, stemmer=_FoldingStemmer(), token_pattern=_BM25_TOKENS)
    return KeywordIndex(bm25, document_frequency, len(nodes))


def _stored_chunks(corpus: Corpus) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every chunk's text and metadata, a page at a time: reading 20,000 chunks in one call held
    ~640 MB at once (the whole build peaked at 1.46 GB; paged, 0.71 GB, and faster)."""
    for offset in itertools.count(0, _PAGE):
        records = corpus.chunks.get(include=["documents", "metadatas"], limit=_PAGE, offset=offset)
        if not records["ids"]:
            return
        yield from zip(records["documents"] or [], records["metadatas"] or [])  # type: ignore[misc]


def load_or_build(corpus: Corpus, chunk_count: int, folder: Path | None) -> KeywordIndex:
    """The saved index for the store's current contents, else a new one (saved under ``folder``)."""
    if folder is None:
        return build(corpus)
    key = recorded_fingerprint(corpus, chunk_count) or fingerprint(corpus, chunk_count)
    index = load(folder, key)
    if index is None:
        index = build(corpus)
        save(folder, key, index)
    return index


def prepare(corpus: Corpus, folder: Path) -> None:
    """Build and save the index for the store's current contents unless it is saved already (ingest
    calls this, so that questions only load it)."""
    chunk_count = corpus.chunk_count()
    key = fingerprint(corpus, chunk_count)
    if chunk_count and not (folder / key).is_dir():
        started = time.perf_counter()
        save(folder, key, build(corpus))
        log.info("keyword index saved", extra={"chunks": chunk_count, "seconds": round(time.perf_counter() - started, 2)})
    elif chunk_count and not (folder / key / _LINE_INDEX).is_file():  # saved by an older release
        with contextlib.suppress(OSError):
            _index_lines(folder / key)
    corpus.chunks.modify(metadata={_RECORDED: _recorded_prefix(chunk_count) + key})


def forget_fingerprint(chunks: chromadb.Collection) -> None:
    """Ingest calls this before it changes the store: until ``prepare`` records the new contents'
    fingerprint, a question computes it (an ingest killed halfway records none)."""
    chunks.modify(metadata={_RECORDED: ""})


def recorded_fingerprint(corpus: Corpus, chunk_count: int) -> str | None:
    """The fingerprint the last ingest recorded, if it finished and was made with these tokens for this
    many chunks: computing it reads every document record (0.55 s at 20,000 chunks, 2,400 documents)."""
    recorded, prefix = str(corpus.chunks_metadata().get(_RECORDED) or ""), _recorded_prefix(chunk_count)
    return (recorded.removeprefix(prefix) or None) if recorded.startswith(prefix) else None


def _recorded_prefix(chunk_count: int) -> str:
    """What a recorded fingerprint is written after: the tokens' version and the chunk count it was made for."""
    return f"{_TOKENS_VERSION} {chunk_count} "


def fingerprint(corpus: Corpus, chunk_count: int) -> str:
    """Changes whenever the stored chunks can have changed."""
    digest = hashlib.sha256(f"{_TOKENS_VERSION} {chunk_count}".encode())
    for doc in sorted(corpus.documents(), key=lambda d: d.doc_id):
        digest.update(f"\n{doc.doc_id} {doc.content_sha256} {doc.chunk_count} {doc.signature} {doc.ingested_at}".encode())
    return digest.hexdigest()[:24]


def load(folder: Path, key: str) -> KeywordIndex | None:
    """The index saved under ``key``, or None."""
    saved = folder / key
    if not saved.is_dir():
        return None
    try:
        frequencies = json.loads((saved / _FREQUENCIES).read_text(encoding="utf-8"))
        # Memory-mapped: the chunks are read when a search returns them, not all at load (0.3–0.5 s at 20,000
        # chunks, a tenth of a cold start, against ~0.03 s). A copy saved without the line index is read whole.
        bm25 = BM25Retriever.from_persist_dir(str(saved), show_progress=False, mmap=(saved / _LINE_INDEX).is_file(), verbosity=0)
        # Neither is saved with it: a loaded retriever gets the plain English stemmer and bm25s's tokens.
        bm25.stemmer, bm25.token_pattern = _FoldingStemmer(), _BM25_TOKENS
    except Exception as exc:  # a half-written or foreign folder: say so and rebuild
        log.warning("the saved keyword index in %s is unreadable (%s); rebuilding it", saved, exc)
        return None
    log.debug("keyword index loaded", extra={"chunks": frequencies["chunk_total"]})
    return KeywordIndex(bm25, Counter(frequencies["document_frequency"]), int(frequencies["chunk_total"]))


def save(folder: Path, key: str, index: KeywordIndex) -> None:
    """Save the index under ``key``, replacing the copies of earlier store contents."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(dir=folder, prefix=_PARTIAL))
    except OSError as exc:
        log.warning("could not save the keyword index in %s (%s); the next process will rebuild it", folder, exc)
        return
    try:
        index.bm25.persist(str(partial), show_progress=False)
        _index_lines(partial)
        frequencies = {"document_frequency": index.document_frequency, "chunk_total": index.chunk_total}
        (partial / _FREQUENCIES).write_text(json.dumps(frequencies), encoding="utf-8")
        partial.rename(folder / key)  # atomic
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        if not (folder / key).is_dir():  # else another process saved the same contents first
            log.warning("could not save the keyword index in %s (%s); the next process will rebuild it", folder, exc)
        return
    _remove_stale(folder, keep=key)


def _index_lines(saved: Path) -> None:
    """Write where each saved chunk starts (``_LINE_INDEX``, in bm25s's format), for ``load`` to memory-map
    them; aside first, then renamed in: a question may be loading the folder. bm25s names the file after
    the chunks' file it is given (``partial.jsonl`` → ``partial.mmindex.json``)."""
    save_mmindex(find_newline_positions(saved / _CHUNKS, show_progress=False), saved / "partial.jsonl")
    os.replace(saved / "partial.mmindex.json", saved / _LINE_INDEX)


def _remove_stale(folder: Path, keep: str) -> None:
    """Earlier contents' copies, and unfinished saves over an hour old (a process killed mid-save;
    younger ones may be another process's save in progress)."""
    for stale in folder.iterdir():
        if stale.name == keep:
            continue
        if stale.name.startswith(_PARTIAL):
            try:
                if time.time() - stale.stat().st_mtime < 3600:
                    continue
            except OSError:
                continue
        shutil.rmtree(stale, ignore_errors=True)
