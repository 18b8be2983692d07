"""The incremental ingest job: a folder of documents into the Chroma store.

One run:

1. scans the folder and hashes every supported file;
2. plans against the manifest (the document records in the store): unchanged files are skipped before
   they are even parsed, changed and new files are (re)ingested, files gone from the folder are removed,
   and a new path whose content matches a removed one is a rename;
3. parses, chunks and embeds the files in batches through a llama-index ``IngestionPipeline``; chunks
   whose embedded text is already stored (a rename, or the unchanged paragraphs of an edited file) reuse
   their stored embedding instead of being embedded again;
4. writes each file (see ``ingest._store`` for the crash-safe order), then removes deleted files and any
   orphans of an earlier killed run;
5. builds and saves the keyword (BM25) index of the store's new contents (``assistant._keyword_index``).

We keep our own manifest rather than the pipeline's docstore strategies because those need every file
parsed to compute its hash (parsing a PDF costs more than the whole skip should) and cannot tell a
rename from a delete plus an add.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from llama_index.core import Document
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.ingestion import IngestionPipeline
from llama_index.core.schema import BaseNode, MetadataMode, TextNode, TransformComponent
from pydantic import PrivateAttr

from assistant import _corpus as schema
from assistant import _keyword_index as keyword_index, _resources as resources
from assistant._corpus import Corpus, StoredDocument
from assistant._dates import epoch_seconds
from assistant.errors import IngestError
from assistant.settings import Settings
from ingest import _chunking as chunking
from ingest.loaders import LoadedDocument, LoadError, load_document, part_of
from ingest._lock import writer_lock
from ingest._scan import FileContent, FileProblem, read_file, scan
from ingest._store import DocumentRecord, DocumentWrite, StoreWriter

log = logging.getLogger(__name__)

# Bump when loaders change what they produce (text, sections, metadata), so stored documents are re-parsed:
# 9 for headings in more formats (bold lines, slide titles, Word's lower levels, an EPUB chapter's own, a PDF's
# or text file's numbered ones) and PDF words mended across line breaks; 10 for Markdown's HTML headings; 11
# for PDF chart labels and captions, HTML read with favor_recall, without manual navigation, with inline
# divisions as paragraphs, table cells' paragraphs apart, DocBook FAQs as questions and answers, dropped
# headings put back, and Markdown autolinks and MyST directives and roles; 12 for HTML definition lists whose terms
# share a definition or define in bare text; 13 for HTML preformatted text line by line and tables of one cell as
# their content; 14 for reStructuredText's images amid a sentence's words read as their alternative text; 15 for
# Markdown's emphasis and links read across the line wraps inside them, and an escaped backtick opening no code;
# 16 for a PDF book's running heads naming the chapter; 17 for PDF paragraphs the page sets apart by space
# (179fefd, which left it at 16) and an EPUB's publisher as its source; 18 for a PDF sentence a paper's
# first-page notice cut; 19 for the authors a DocBook HTML title page lists; 20 for reStructuredText's
# definition list terms read before their definitions, as HTML's are.
LOADER_VERSION = 20
# Nodes per pipeline run, after which their files are written. ``_EmbedMissing`` calls the model twice
# ASSISTANT_EMBED_BATCH_SIZE texts at a time (32) whatever this is, so a larger batch embeds no faster;
# it only delays writing (a killed run loses the work of one batch) and makes the progress bar jumpy.
_NODES_PER_BATCH = 64

ADDED, UPDATED, RENAMED, UNCHANGED, REMOVED, FAILED = "added", "updated", "renamed", "unchanged", "removed", "failed"


@dataclass
class FileOutcome:
    path: str
    status: str
    chunks: int = 0
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    """What a run did (or, with ``dry_run``, would do)."""

    root: str
    store: str
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    embedded_chunks: int = 0
    reused_embeddings: int = 0
    orphans_removed: int = 0
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)
    """What the user should know that is not one file's outcome (aliases, repairs)."""

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failed(self) -> list[FileOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == FAILED]

    @property
    def chunks(self) -> int:
        """Chunks written in this run."""
        return sum(o.chunks for o in self.outcomes if o.status in (ADDED, UPDATED, RENAMED))

    def counts(self) -> dict[str, int]:
        """Files per outcome, in the order reports show them: added, updated, renamed, unchanged, removed, failed."""
        return {status: self.count(status) for status in (ADDED, UPDATED, RENAMED, UNCHANGED, REMOVED, FAILED)}

    def summary(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "store": self.store,
            "dry_run": self.dry_run,
            **self.counts(),
            "chunks": self.chunks,
            "embedded_chunks": self.embedded_chunks,
            "reused_embeddings": self.reused_embeddings,
            "seconds": round(self.seconds, 2),
            "notes": self.notes,
            "files": [asdict(o) for o in self.outcomes],
        }


class IngestProgress(Protocol):
    """Callbacks for a progress display; every method is optional to act on."""

    def planned(self, files: int, to_process: int) -> None: ...
    def file_done(self, outcome: FileOutcome) -> None: ...
    def embedded(self, chunks: int) -> None: ...
    def ocr_page(self, path: str, done: int, total: int) -> None:
        """After each scanned page of ``path`` read by OCR (seconds a page)."""


class _Silent:
    def planned(self, files: int, to_process: int) -> None:
        pass

    def file_done(self, outcome: FileOutcome) -> None:
        pass

    def embedded(self, chunks: int) -> None:
        pass

    def ocr_page(self, path: str, done: int, total: int) -> None:
        pass


@dataclass
class _Job:
    path: Path
    content: FileContent
    status: str
    previous: StoredDocument | None
    renamed_from: StoredDocument | None = None


def ingest(
    path: str | Path,
    settings: Settings | None = None,
    *,
    full: bool = False,
    dry_run: bool = False,
    progress: IngestProgress | None = None,
) -> IngestReport:
    """Bring the store in line with the files under ``path``.

    ``full`` re-reads and re-embeds every file; ``dry_run`` only plans. Per-file problems are reported in
    the returned ``IngestReport`` and never stop the run or touch what is stored for that file.
    Raises ``IngestError`` when ``path`` does not exist and ``StoreUnavailable`` when the store is down.
    """
    settings = settings or Settings()
    progress = progress or _Silent()
    spelled = Path(path).expanduser().absolute()
    # Documents are keyed by path: "docs", "../x/docs" and a symlink to docs must name one set of them.
    root = spelled.resolve()
    if not root.exists():
        raise IngestError(f"{root} does not exist; give a folder or a file of documents (`assistant ingest --help` lists the formats)")
    started = time.perf_counter()
    client = resources.chroma_client(settings)
    chunks, documents = resources.chunk_collection(client, settings), resources.document_collection(client, settings)
    writer = StoreWriter(chunks, documents)
    report = IngestReport(root=str(root), store=settings.store_description, dry_run=dry_run)
    if spelled != root:
        report.notes.append(f"{spelled} is {root}; its documents are stored under that path")

    # A dry run changes nothing, so it neither waits for another writer nor looks for damage to repair.
    with contextlib.nullcontext() if dry_run else writer_lock(settings):
        manifest = writer.manifest()
        orphans, incomplete = (set(), set()) if dry_run else writer.damage(manifest.values())
        jobs, removed = _plan(root, manifest, settings, full, report, incomplete)
        progress.planned(len(jobs) + report.count(UNCHANGED) + len(report.failed), len(jobs))
        if dry_run:
            report.outcomes += [FileOutcome(str(job.path), job.status) for job in jobs]
        else:
            keyword_index.forget_fingerprint(chunks)
            _run_jobs(jobs, removed, writer, settings, report, progress, reuse=not full)
            for doc in removed:
                writer.remove_document(doc.doc_id)
            report.orphans_removed = writer.remove_orphans(orphans, writer.manifest().values())
            # Built here rather than on the first question, where it took ~12 s at 20,000 chunks.
            keyword_index.prepare(Corpus(chunks, documents), settings.keyword_index_dir)
    # The old path of a rename is deleted from the store but reported as part of the rename.
    renamed = {job.renamed_from.doc_id for job in jobs if job.renamed_from}
    report.outcomes += [FileOutcome(d.path, REMOVED, d.chunk_count) for d in removed if d.doc_id not in renamed]
    report.outcomes.sort(key=lambda o: o.path)
    report.seconds = time.perf_counter() - started
    log.info("ingest finished", extra={k: v for k, v in report.summary().items() if k != "files"})
    return report


def signature(settings: Settings) -> str:
    """What, besides the file's bytes, decides its chunks: a change re-ingests every file."""
    return f"loader{LOADER_VERSION}/chunk{settings.chunk_tokens}/overlap{settings.chunk_overlap}/chunker{chunking.VERSION}/minilm-l6-v2"


def document_id(path: Path) -> str:
    return hashlib.sha256(str(path).encode()).hexdigest()[:24]


def _unread_text_note(counts: dict[str, int]) -> str:
    """"3 text files skipped, in formats not read here: .log (2), .json (1); …": most first."""
    kinds = ", ".join(f"{suffix or '(no extension)'} ({n})" for suffix, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    total = sum(counts.values())
    files = "1 text file" if total == 1 else f"{total} text files"
    return f"{files} skipped, in formats not read here: {kinds}; to read one as plain text, save it as .txt (or as .md if it is Markdown)"


def _plan(
    root: Path, manifest: dict[str, StoredDocument], settings: Settings, full: bool, report: IngestReport, incomplete: set[str]
) -> tuple[list[_Job], list[StoredDocument]]:
    """What to write: new and changed files, and stored ones whose chunks went missing (``incomplete``
    ids), which are written again however unchanged the file is."""
    found = scan(root)
    report.outcomes += [FileOutcome(str(p), FAILED, reason=why) for p, why in found.problems.items()]
    report.notes += [f"{alias} is the same file as {kept}; stored once, under the second" for alias, kept in found.aliases.items()]
    report.notes += [f"{path} skipped: {why}" for path, why in found.skipped.items()]
    if found.unread_text:
        report.notes.append(_unread_text_note(found.unread_text))
    jobs: list[_Job] = []
    present: set[str] = set()
    for file in found.files:
        present.add(str(file))
        previous = manifest.get(str(file))
        try:
            content = read_file(file, settings.max_file_bytes)
        except FileProblem as problem:
            report.outcomes.append(FileOutcome(str(file), FAILED, reason=str(problem)))
            continue
        damaged = previous is not None and previous.doc_id in incomplete
        unchanged = previous and previous.content_sha256 == content.sha256 and previous.signature == signature(settings)
        if unchanged and not full and not damaged:
            report.outcomes.append(FileOutcome(str(file), UNCHANGED, previous.chunk_count))
            continue
        jobs.append(_Job(file, content, UPDATED if previous else ADDED, previous))
        if damaged:
            report.notes.append(f"{file}: chunks were missing from the store; written again")
    removed = [doc for path, doc in manifest.items() if _is_under(Path(path), root) and path not in present and not Path(path).exists()]
    unclaimed = {doc.content_sha256: doc for doc in removed}
    for job in jobs:
        if job.status == ADDED and job.content.sha256 in unclaimed:
            job.status, job.renamed_from = RENAMED, unclaimed.pop(job.content.sha256)
    return jobs, removed


def _is_under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _run_jobs(
    jobs: list[_Job],
    removed: list[StoredDocument],
    writer: StoreWriter,
    settings: Settings,
    report: IngestReport,
    progress: IngestProgress,
    reuse: bool,
) -> None:
    if not jobs:
        return
    # A job's own id also finds the chunks a killed run stored before it could write the record.
    earlier = [document_id(job.path) for job in jobs] + [doc.doc_id for doc in removed]
    known = writer.known_embeddings(earlier) if reuse else {}
    embedder = _EmbedMissing(resources.embedding_model(settings), known, progress)
    pipeline = IngestionPipeline(
        transformations=[chunking.splitter(settings), embedder], disable_cache=True
    )
    batch: list[tuple[_Job, LoadedDocument, Document]] = []
    for job in jobs:
        try:
            loaded = load_document(job.path, job.content.data, functools.partial(progress.ocr_page, str(job.path)))
        except LoadError as problem:
            _done(FileOutcome(str(job.path), FAILED, reason=str(problem)), report, progress)
            continue
        batch.append((job, loaded, _to_document(job, loaded, settings)))
        if sum(_estimate_chunks(doc, settings) for _, _, doc in batch) >= _NODES_PER_BATCH:
            _write_batch(batch, pipeline, writer, settings, report, progress)
            batch = []
    if batch:
        _write_batch(batch, pipeline, writer, settings, report, progress)
    report.embedded_chunks, report.reused_embeddings = embedder.embedded, embedder.reused


def _to_document(job: _Job, loaded: LoadedDocument, settings: Settings) -> Document:
    """The stored text is a header (title, source, author, date as the document gives them) and then the
    body, so that questions about the document itself can be cited to a real span of it. An author who is
    also the source (a Word file's author, "BBC News" for a BBC page) is written once."""
    author = "" if loaded.author.casefold() == loaded.source.casefold() else loaded.author
    header = "\n".join(line for line in (loaded.title, loaded.source, author, loaded.published_as_written or loaded.published) if line)
    published = loaded.published or datetime.fromtimestamp(job.content.mtime, tz=timezone.utc).isoformat(timespec="seconds")
    metadata: dict[str, Any] = {
        schema.TITLE: loaded.title,
        schema.SOURCE: loaded.source,
        schema.AUTHOR: loaded.author,
        schema.PUBLISHED: published,
        schema.PUBLISHED_TS: epoch_seconds(published),
        schema.DATED_BY: "document" if loaded.published else "file modification time",
        schema.BODY_START: len(header) + 2,
        schema.PATH: str(job.path),
    }
    document = Document(text=f"{header}\n\n{loaded.text}", metadata=metadata, id_=document_id(job.path))
    chunking.exclude_metadata(document)
    return document


def _estimate_chunks(document: Document, settings: Settings) -> int:
    return 1 + len(document.text) // (settings.chunk_tokens * 4)


def _write_batch(
    batch: list[tuple[_Job, LoadedDocument, Document]],
    pipeline: IngestionPipeline,
    writer: StoreWriter,
    settings: Settings,
    report: IngestReport,
    progress: IngestProgress,
) -> None:
    nodes = pipeline.run(documents=[document for _, _, document in batch])
    by_document: dict[str, list[BaseNode]] = {}
    for node in nodes:
        by_document.setdefault(node.ref_doc_id or "", []).append(node)
    prepared = [_prepare(job, loaded, document, by_document.get(document.doc_id, []), settings) for job, loaded, document in batch]
    writer.write_documents([write for _, write in prepared if write is not None])
    for outcome, _ in prepared:
        for warning in outcome.warnings:
            log.warning("%s: %s", outcome.path, warning)
        _done(outcome, report, progress)


def _done(outcome: FileOutcome, report: IngestReport, progress: IngestProgress) -> None:
    report.outcomes.append(outcome)
    progress.file_done(outcome)
    log.debug("%s %s", outcome.status, outcome.path, extra={"chunks": outcome.chunks})


def _prepare(
    job: _Job, loaded: LoadedDocument, document: Document, nodes: Sequence[BaseNode], settings: Settings
) -> tuple[FileOutcome, DocumentWrite | None]:
    """A file's chunks (spans checked, pages set) and record, ready to write, and its outcome once written."""
    if not nodes:
        return FileOutcome(str(job.path), FAILED, reason="no text to index after parsing"), None
    chunks = chunking.check_spans(document, list(nodes))
    for chunk in chunks:
        part = part_of(loaded, max(0, (chunk.start_char_idx or 0) - document.metadata[schema.BODY_START]))
        if part is not None:
            chunk.metadata[loaded.part_kind] = part  # schema.PAGE or schema.SLIDE
    record = DocumentRecord(
        doc_id=document.doc_id,
        text=document.text,
        metadata={
            **document.metadata,
            schema.CONTENT_SHA256: job.content.sha256,
            schema.SIZE: len(job.content.data),
            schema.CHUNK_COUNT: len(chunks),
            schema.SIGNATURE: signature(settings),
            schema.INGESTED_AT: datetime.now(timezone.utc).isoformat(timespec="seconds"),
            **schema.location_metadata(loaded.part_starts, loaded.part_kind, loaded.sections),
        },
    )
    write = DocumentWrite(record, chunks, job.previous.chunk_count if job.previous else 0)
    return FileOutcome(str(job.path), job.status, len(chunks), warnings=list(loaded.warnings)), write


class _EmbedMissing(TransformComponent):
    """Embeds only the chunks whose embedded text is not already stored.

    llama-index's embedding transformation embeds every node it is given; on a re-ingest most chunks
    of a renamed or lightly edited file are already in the store with their vectors.
    """

    _model: BaseEmbedding = PrivateAttr()
    _known: dict[str, list[float]] = PrivateAttr()
    _progress: Any = PrivateAttr()
    embedded: int = 0
    reused: int = 0

    def __init__(self, model: BaseEmbedding, known: dict[str, list[float]], progress: IngestProgress) -> None:
        super().__init__()
        self._model = model
        self._known = known
        self._progress = progress

    def __call__(self, nodes: Sequence[BaseNode], **kwargs: Any) -> Sequence[BaseNode]:
        missing: list[TextNode] = []
        for node in nodes:
            assert isinstance(node, TextNode)
            embed_text = node.get_content(metadata_mode=MetadataMode.EMBED)
            node.metadata[schema.EMBED_HASH] = hashlib.sha256(embed_text.encode()).hexdigest()[:32]
            known = self._known.get(node.metadata[schema.EMBED_HASH])
            if known is None:
                missing.append(node)
            else:
                node.embedding = known
        self.reused += len(nodes) - len(missing)
        # Similar lengths in one batch waste less padding: +6% chunks/s measured by bench on gen-200.
        missing.sort(key=lambda n: len(n.get_content(metadata_mode=MetadataMode.EMBED)))
        model = self._model
        step = model.embed_batch_size * 2
        for start in range(0, len(missing), step):
            part = missing[start : start + step]
            vectors = model.get_text_embedding_batch([n.get_content(metadata_mode=MetadataMode.EMBED) for n in part])
            for node, vector in zip(part, vectors):
                node.embedding = vector
            self.embedded += len(part)
            self._progress.embedded(len(part))
        return nodes
