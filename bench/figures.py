"""Turning the probes' raw results into figures: each number next to its reference and their ratio.

The targets are the product's: ingest within 15% of what the embedding model alone can do and 1.5x
faster than llama-index's plain path; re-ingests a few percent of a full one; answers within twice the
floor (embed the question and one top-k query) and growing no faster than it with the corpus.
"""

from __future__ import annotations

from typing import Any

from assistant.evaluation.scoring import percentile
from bench.measures import Figure, Target

INGEST_VS_LIMIT = Target(0.85, "higher")
INGEST_VS_LLAMA_INDEX = Target(round(1 / 1.5, 3), "lower")
REINGEST_UNCHANGED = Target(0.03, "lower")
REINGEST_ONE_CHANGED = Target(0.05, "lower")
ANSWER_P50 = Target(2.0, "lower")
ANSWER_GROWTH = Target(1.0, "lower")
COLD_START_PARTS = ("imports", "model_load", "store_open", "first_answer")
BARE_PROCESS = "bare onnxruntime + chromadb process"

Raw = dict[str, Any]


def ingest_figures(corpus: str, store: str, ingest: Raw, limit: Raw | None, floor: Raw) -> list[Figure]:
    """Figures 1-3 and ingest's memory; ``limit`` is the embedded run's for the same corpus."""
    full = ingest["full"]
    found = []
    if limit:
        found.append(Figure(
            figure="ingest.throughput", corpus=corpus, store=store,
            value=full["chunks"] / full["wall_s"], unit="chunks/s",
            reference_name="the model alone on the same texts, best batch size", reference=limit["chunks_per_s"],
            target=INGEST_VS_LIMIT,
            note=f"best batch {limit['best_batch_size']}"
            + ("" if limit["texts_total"] >= full["chunks"] else f"; limit on {limit['texts_total']} of {full['chunks']} texts"),
            extra={
                "cpu_ratio": round((full["chunks"] / full["cpu_s"]) / limit["chunks_per_cpu_s"], 4),
                "limit_by_batch_size": limit["by_batch_size"],
            },
        ))
    if alternative := ingest.get("alternative"):
        found.append(Figure(
            figure="ingest.vs_llama_index", corpus=corpus, store=store,
            value=full["wall_s"], unit="s",
            reference_name="VectorStoreIndex.from_documents into Chroma", reference=alternative["wall_s"],
            target=INGEST_VS_LLAMA_INDEX, note=_chunk_note(full["chunks"], alternative["chunks"]),
            extra={"cpu_ratio": round(full["cpu_s"] / alternative["cpu_s"], 4), "chunks": full["chunks"], "llama_index_chunks": alternative["chunks"]},
        ))
    for name, target in (("unchanged", REINGEST_UNCHANGED), ("one_changed", REINGEST_ONE_CHANGED)):
        again = ingest[name]
        found.append(Figure(
            figure=f"reingest.{name}", corpus=corpus, store=store,
            value=again["wall_s"], unit="s", reference_name="full ingest", reference=full["wall_s"], target=target,
            note=f"embedded {again['embedded']}, reused {again['reused']}" if name == "one_changed" else "",
            extra={"cpu_ratio": round(again["cpu_s"] / full["cpu_s"], 4), "embedded": again["embedded"], "reused": again["reused"]},
        ))
    found.append(_memory("memory.ingest_peak", corpus, store, ingest["peak_rss_mb"], floor))
    return found


def answer_figures(corpus: str, store: str, answer: Raw, floor: Raw, latency: Raw) -> list[Figure]:
    """Figure 4 (warm latency, from the ``latency`` probe: ask and floor alternating), 5 (cold start and its parts) and
    answering's memory (``answer`` and ``floor`` probes)."""
    found = []
    for q, target in ((50, ANSWER_P50), (95, None)):
        found.append(Figure(
            figure=f"answer.p{q}", corpus=corpus, store=store,
            value=_latency(latency["ask"], q), unit="s",
            reference_name="embed the question + one top-k query", reference=_latency(latency["floor"], q), target=target,
            note=f"{len(latency['ask'])} questions, {latency['abstained']} abstained",
            extra={"cpu_ratio": round(_latency(latency["ask"], q, "cpu_s") / _latency(latency["floor"], q, "cpu_s"), 4)},
        ))
    found.append(Figure(
        figure="answer.verifier_share", corpus=corpus, store=store,
        value=sum(latency["verifier"]), unit="s", reference_name="all answers' time", reference=sum(t["wall_s"] for t in latency["ask"]),
        note=f"verifier (reader included) p50 {percentile(latency['verifier'], 50) * 1e3:.1f} ms",
    ))
    ours, bare = answer["cold_start"], floor["cold_start"]
    found.append(Figure(
        figure="coldstart.total", corpus=corpus, store=store, value=ours["total_s"], unit="s",
        reference_name=BARE_PROCESS, reference=bare["total_s"],
        note=f"interpreter {ours['interpreter_s']:.2f} s" if ours["fresh_process"] else "not a fresh process",
        extra={"cpu_ratio": round(ours["cpu_s"] / bare["cpu_s"], 4) if bare["cpu_s"] else None, "parts": ours, "floor_parts": bare},
    ))
    for part in COLD_START_PARTS:
        found.append(Figure(
            figure=f"coldstart.{part}", corpus=corpus, store=store, value=ours[part]["wall_s"], unit="s",
            reference_name=BARE_PROCESS, reference=bare[part]["wall_s"],
            extra={"cpu_ratio": round(ours[part]["cpu_s"] / bare[part]["cpu_s"], 4) if bare[part]["cpu_s"] else None},
        ))
    found.append(_memory("memory.answer_peak", corpus, store, answer["peak_rss_mb"], floor))
    return found


def server_figures(corpus: str, embedded: Raw, server: Raw, embedded_latency: Raw, server_latency: Raw) -> list[Figure]:
    """Figure 7's comparison: the same job on a Chroma server next to the embedded store. The ingests
    ran one after the other (their CPU ratio is the steadier number), and so did the answers."""
    return [
        Figure(
            figure="server.ingest", corpus=corpus, store="server", value=server["ingest"]["full"]["wall_s"], unit="s",
            reference_name="embedded store", reference=embedded["ingest"]["full"]["wall_s"],
            note="cpu ratio includes the server's own CPU",
            extra={
                "cpu_ratio": round(_server_cpu(server) / embedded["ingest"]["full"]["cpu_s"], 4),
                "server_cpu_s": server["ingest"]["full"].get("server_cpu_s"),
            },
        ),
        Figure(
            figure="server.answer_p50", corpus=corpus, store="server", value=_latency(server_latency["ask"], 50), unit="s",
            reference_name="embedded store", reference=_latency(embedded_latency["ask"], 50),
        ),
    ]


def growth_figure(store: str, answers: list[tuple[str, int, Raw]]) -> Figure | None:
    """How p50 grew from the smallest to the largest corpus, next to how the floor's grew.

    ``answers``: (corpus, chunks, its ``latency`` timings) of the generated corpora on one kind of store."""
    if len(answers) < 2:
        return None
    small, small_chunks, first = min(answers, key=lambda a: a[1])
    large, large_chunks, last = max(answers, key=lambda a: a[1])
    return Figure(
        figure="answer.growth", corpus=f"{small}→{large}", store=store,
        value=_latency(last["ask"], 50) / _latency(first["ask"], 50), unit="× p50",
        reference_name="the floor's growth", reference=_latency(last["floor"], 50) / _latency(first["floor"], 50),
        target=ANSWER_GROWTH, note=f"{small_chunks}→{large_chunks} chunks",
    )


def ocr_figure(scans: Raw) -> Figure:
    """Pages a second read by OCR, next to the same pages read from their text layer (no target: OCR
    costs what the models cost; the text-layer rate shows that text PDFs do not pay for it)."""
    pages = scans["pages"]
    return Figure(
        figure="ingest.ocr_pages", corpus="mixed/tracemonkey.pdf", store="-",
        value=pages / scans["ocr"]["wall_s"], unit="pages/s",
        reference_name="the same pages read from their text layer", reference=pages / scans["text_layer"]["wall_s"],
        note=f"{pages} pages; letters and digits found: OCR {scans['ocr']['letters']}, text layer {scans['text_layer']['letters']}",
        extra={"cpu_ratio": round(scans["text_layer"]["cpu_s"] / scans["ocr"]["cpu_s"], 4)},
    )


def _server_cpu(server: Raw) -> float:
    full = server["ingest"]["full"]
    return full["cpu_s"] + (full.get("server_cpu_s") or 0.0)


def _memory(name: str, corpus: str, store: str, peak_mb: float, floor: Raw) -> Figure:
    return Figure(
        figure=name, corpus=corpus, store=store, value=round(peak_mb, 1), unit="MB",
        reference_name=BARE_PROCESS, reference=round(floor["peak_rss_mb"], 1),
    )


def _latency(timings: list[dict[str, float]], q: float, key: str = "wall_s") -> float:
    return percentile([t[key] for t in timings], q)


def _chunk_note(ours: int, theirs: int) -> str:
    return "" if abs(ours - theirs) <= 0.02 * max(ours, theirs) else f"chunk counts differ: ours {ours}, llama-index {theirs}"
