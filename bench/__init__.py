"""Ingest and answer speed and memory, each as a ratio to a reference measured in the same run.

``python -m bench [--quick | --full] [--json OUT]`` prints the machine and a table per figure:

1. ingest throughput (the whole ``ingest.pipeline.ingest`` job) against the embedding model alone
   encoding the same texts at its best batch size;
2. ingest time against llama-index's ``VectorStoreIndex.from_documents`` into Chroma;
3. re-ingest of an unchanged folder, and of one with one file edited, against the full ingest;
4. ``Assistant.ask`` latency (p50, p95) against the floor (embed the question, one Chroma top-k query),
   and how it grows with the corpus against how the floor grows;
5. cold start to the first answer, in parts, against a bare onnxruntime + chromadb process;
6. peak memory of ingesting and of answering against that bare process;
7. all of it against a Chroma server on 127.0.0.1 too, next to the embedded store.

The machine is shared and noisy: compare ratios within one run, never absolute numbers across runs.
The names below are imported on first use, so that ``python -m bench.probes`` starts its cold-start
clock before anything else of the bench is loaded.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PLANS", "BenchResult", "Figure", "Plan", "Target", "run"]


def __getattr__(name: str) -> Any:
    if name in {"Figure", "Target"}:
        from bench import measures

        return getattr(measures, name)
    if name in __all__:
        from bench import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'bench' has no attribute {name!r}")
