"""One bench run: build the corpora, run the probes against each store, turn the results into figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant import _resources as resources
from assistant.settings import Settings
from bench import corpora, figures, machine, probes
from bench.corpora import BenchCorpus
from bench.measures import Figure
from bench.server import Server, chroma_server

# Shared corpora have no target size; this many words make about one chunk (squad2: 152k words, 1519 chunks).
_WORDS_PER_CHUNK = 100


@dataclass(frozen=True)
class Plan:
    """What a run measures. ``references_up_to``: llama-index and the server run only on corpora of at
    most this many (estimated) chunks, because each is another full embedding pass."""

    name: str
    sizes: tuple[int, ...]
    shared: tuple[str, ...] = ()
    questions: int = 12
    references_up_to: int = 1000
    limit_texts: int = 2000
    batch_sizes: tuple[int, ...] = (16, 32, 64, 128)
    ocr_pages: int = 3
    """Pages of the mixed corpus's PDF read by OCR (as a scan) and with their text layer."""
    server: bool = True
    isolate: bool = True
    """Run each probe in a fresh process (cold start and peak memory are only real then)."""


PLANS = {
    "smoke": Plan("smoke", sizes=(3, 6), questions=2, references_up_to=3, limit_texts=16, batch_sizes=(4, 8), ocr_pages=1, isolate=False),
    "quick": Plan("quick", sizes=(200, 600), questions=10, references_up_to=200, limit_texts=300),
    "full": Plan("full", sizes=(1000, 5000, 20000), shared=("mixed", "squad2"), questions=20, references_up_to=5000, limit_texts=1000, ocr_pages=14),
}


@dataclass
class BenchResult:
    """A run: the figures, and under ``raw`` every probe's own numbers (``raw["corpora"][name][store]``
    holds the ingest, answer and floor probes' results, ``raw["latency"]`` each store's alternating asks and floor queries)."""

    plan: Plan
    machine: dict[str, Any]
    corpora: list[BenchCorpus] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": asdict(self.plan),
            "machine": self.machine,
            "seconds": round(self.seconds, 1),
            "corpora": [c.to_json() for c in self.corpora],
            "figures": [f.to_json() for f in self.figures],
            "notes": self.notes,
            "raw": self.raw,
        }


Say = Callable[[str], None]


def run(plan: Plan, work: Path, say: Say = lambda _: None) -> BenchResult:
    """Measure everything ``plan`` asks for, writing corpora and stores under ``work``."""
    started = time.perf_counter()
    result = BenchResult(plan, machine.describe())
    questions = corpora.questions(plan.questions + 1)  # the first one is the cold start's
    measured: dict[str, dict[str, Any]] = {}  # corpus -> store kind -> the probes' results
    result.raw["corpora"] = measured
    with ExitStack() as stack:
        server = stack.enter_context(chroma_server(work / "chroma-server")) if plan.server else None
        for corpus in _corpora(plan, work, say):
            result.corpora.append(corpus)
            with_references = _estimated_chunks(corpus) <= plan.references_up_to
            stores = {"embedded": None, **({"server": server} if server and with_references else {})}
            measured[corpus.name] = {
                store: _measure(corpus, store, store_server, plan, questions, work, with_references, say)
                for store, store_server in stores.items()
            }
            if not with_references:
                result.notes.append(
                    f"{corpus.name}: llama-index and the Chroma server were not run on it (over {plan.references_up_to} chunks)"
                )
        say(f"answer latency, each store in its own process ({len(questions) - 1} questions)")
        stores = {_label(c, s): m["settings"] for c, by_store in measured.items() for s, m in by_store.items()}
        latency = {label: _latency(label, settings, questions, work, plan.isolate) for label, settings in stores.items()}
        if server:
            result.raw["server_rss_mb"] = _rss_mb(server.pid)
    result.raw["latency"] = latency
    say(f"a scanned PDF: {plan.ocr_pages} pages read by OCR and with their text layer")
    scan_args = {"pdf": str(corpora.MIXED_DIR / "corpus" / "tracemonkey.pdf"), "pages": plan.ocr_pages, "work": str(work / "scans")}
    result.raw["scans"] = _launch("scans", scan_args, work / "probes" / "scans", plan.isolate)
    result.figures = _figures(result, latency)
    result.seconds = time.perf_counter() - started
    return result


def _latency(label: str, settings: dict[str, Any], questions: list[str], work: Path, isolate: bool) -> dict[str, Any]:
    """``ask`` and the floor alternating on one store, in a process of its own as a user's would be: with
    every store open in one process, the 20,000-chunk store's answers paid for the others' evicting its
    data from the caches (its ask ÷ floor 2.09 there, 1.76 alone; at 2,000 chunks 1.83 and 1.77)."""
    probe_dir = work / "probes" / "latency" / label.replace("/", "-")
    timed = _launch("latency", {"stores": {label: settings}, "questions": questions}, probe_dir, isolate)
    return timed[label] | {"load": timed["load"]}


def _label(corpus: str, store: str) -> str:
    return f"{corpus}/{store}"


def _corpora(plan: Plan, work: Path, say: Say) -> Iterator[BenchCorpus]:
    for name in plan.shared:
        say(f"copying the {name} corpus")
        yield corpora.copy_shared(name, work / "corpora" / name)
    for size in plan.sizes:
        say(f"generating about {size} chunks of documents")
        yield corpora.generate(work / "corpora" / f"gen-{size}", size)


def _estimated_chunks(corpus: BenchCorpus) -> int:
    return corpus.target_chunks or corpus.words // _WORDS_PER_CHUNK


def _measure(
    corpus: BenchCorpus, store: str, server: Server | None, plan: Plan, questions: list[str], work: Path, references: bool, say: Say
) -> dict[str, Any]:
    settings = _settings(corpus, store, server, work)
    probe_dir = work / "probes" / corpus.name / store
    say(f"{corpus.name} ({store}): ingest, re-ingests" + (", references" if store == "embedded" else ""))
    ingest = _launch(
        "ingest",
        {
            "corpus": str(corpus.path),
            "settings": settings,
            "edit_stamp": uuid.uuid4().hex[:12],
            "limit_texts": plan.limit_texts if store == "embedded" else 0,
            "batch_sizes": list(plan.batch_sizes),
            "alternative": references and store == "embedded",
            "alternative_dir": str(probe_dir / "llama-index-store"),
            "server_pid": server.pid if server else None,
        },
        probe_dir,
        plan.isolate,
    )
    say(f"{corpus.name} ({store}): {ingest['full']['chunks']} chunks; answering {len(questions) - 1} questions")
    answer = _launch("answer", {"settings": settings, "questions": questions}, probe_dir, plan.isolate)
    graph = str(resources.embedding_graph(Settings(**settings)))
    floor = _launch("floor", {"settings": settings, "questions": questions, "graph": graph}, probe_dir, plan.isolate)
    return {"settings": settings, "ingest": ingest, "answer": answer, "floor": floor}


def _figures(result: BenchResult, latency: dict[str, Any]) -> list[Figure]:
    found: list[Figure] = []
    generated: dict[str, list[tuple[str, int, dict[str, Any]]]] = {}  # per store kind: for the growth figure
    sizes = {c.name: c.target_chunks for c in result.corpora}
    for corpus, by_store in result.raw["corpora"].items():
        limit = by_store["embedded"]["ingest"].get("limit")
        for store, m in by_store.items():
            timed = latency[_label(corpus, store)]
            found += figures.ingest_figures(corpus, store, m["ingest"], limit, m["floor"])
            found += figures.answer_figures(corpus, store, m["answer"], m["floor"], timed)
            if sizes[corpus]:
                generated.setdefault(store, []).append((corpus, m["ingest"]["full"]["chunks"], timed))
        if "server" in by_store:
            found += figures.server_figures(
                corpus, by_store["embedded"], by_store["server"], latency[_label(corpus, "embedded")], latency[_label(corpus, "server")]
            )
    found += [f for store, runs in generated.items() if (f := figures.growth_figure(store, runs))]
    if "scans" in result.raw:
        found.append(figures.ocr_figure(result.raw["scans"]))
    return found


def _settings(corpus: BenchCorpus, store: str, server: Server | None, work: Path) -> dict[str, Any]:
    """Settings keyword arguments: explicit, offline (no API key), one store per corpus and store kind."""
    settings: dict[str, Any] = {"data_dir": str(work / "stores" / corpus.name / store), "openai_api_key": None, "collection": "documents"}
    if server:
        settings |= {"chroma_host": server.host, "chroma_port": server.port, "collection": f"bench_{corpus.name.replace('-', '_')}"}
    return settings


def _launch(task: str, args: dict[str, Any], probe_dir: Path, isolate: bool) -> dict[str, Any]:
    """Run a probe in a fresh Python process (or, with ``isolate`` off, in this one)."""
    if not isolate:
        return probes.run_task(task, args)
    probe_dir.mkdir(parents=True, exist_ok=True)
    args_path, out_path, log_path = (probe_dir / f"{task}.{suffix}" for suffix in ("args.json", "out.json", "log"))
    args_path.write_text(json.dumps(args))
    with open(log_path, "wb") as log:
        spawned_at = time.time()
        process = subprocess.run(
            [sys.executable, "-m", "bench.probes", task, str(args_path), str(out_path), repr(spawned_at)],
            stdout=log, stderr=subprocess.STDOUT, env=_probe_environment(), cwd=probe_dir, check=False,
        )
    if process.returncode != 0:
        tail = log_path.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"the {task} probe failed (exit {process.returncode}); its log is {log_path}:\n{tail}")
    return json.loads(out_path.read_text())


def _probe_environment() -> dict[str, str]:
    """The caller's environment without the assistant's own settings (probes pass theirs explicitly)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "OPENAI_"))}
    repo = str(corpora.REPO_ROOT)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (repo, env.get("PYTHONPATH")) if p)
    return env | {"ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def _rss_mb(pid: int) -> float | None:
    import psutil

    try:
        return round(psutil.Process(pid).memory_info().rss / 2**20, 1)
    except psutil.Error:
        return None
