"""Showing a run: the machine, a table per kind of figure (value, reference, ratio, target), notes; JSON."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.measures import Figure
from bench.runner import BenchResult


def print_result(result: BenchResult, console: Console) -> None:
    m = result.machine
    console.print(
        f"[bold]Machine[/bold]: {m['cpu']}, {m['logical_cores']} logical / {m['physical_cores']} physical cores, "
        f"{m['ram_gb']} GB RAM, load {m['load_average_1m']} at start; Python {m['python']}, onnxruntime {m['onnxruntime']}, "
        f"chromadb {m['chromadb']}, llama-index-core {m['llama-index-core']}"
    )
    corpora = ", ".join(f"{c.name} ({c.files} files)" for c in result.corpora)
    console.print(f"[bold]Plan[/bold]: {result.plan.name}; corpora: {corpora}; {result.seconds:.0f} s in all")
    ordered = sorted(result.figures, key=lambda f: f.figure)
    for name, group in itertools.groupby(ordered, key=lambda f: f.figure):
        console.print(figure_table(name, list(group)))
    for note in result.notes:
        console.print(f"[dim]note: {note}[/dim]")


def figure_table(name: str, found: list[Figure]) -> Table:
    """One figure over corpora and stores; the reference's name goes in the title."""
    references = sorted({f.reference_name for f in found})
    table = Table(title=f"[bold]{name}[/bold] vs {' / '.join(references)}", title_justify="left")
    with_cpu = any("cpu_ratio" in f.extra for f in found)
    columns = ("corpus", "store", "value", "reference", "ratio", *(("cpu ratio",) if with_cpu else ()), "target", "", "note")
    for column in columns:
        table.add_column(column, justify="left" if column in {"corpus", "store", "note"} else "right")
    for f in sorted(found, key=lambda f: (f.store, f.corpus)):
        verdict = "" if f.met is None else ("[green]ok[/green]" if f.met else "[red]miss[/red]")
        table.add_row(
            f.corpus, f.store, f"{_number(f.value)} {f.unit}", f"{_number(f.reference)} {f.unit}",
            "–" if f.ratio is None else f"{f.ratio:.3g}",
            *((f"{f.extra['cpu_ratio']:.3g}" if f.extra.get("cpu_ratio") is not None else "",) if with_cpu else ()),
            str(f.target or ""), verdict, f.note,
        )
    return table


def write_json(result: BenchResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.to_json(), indent=1, default=str), encoding="utf-8")


def _number(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
