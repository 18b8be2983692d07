"""Terminal rendering for the CLI: progress bars, summary tables, answers with their sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

if TYPE_CHECKING:
    from assistant.answer import Answer
    from ingest.pipeline import FileOutcome, IngestReport

out = Console(soft_wrap=True)
err = Console(stderr=True)


class IngestDisplay:
    """Progress bars over files and embedded chunks, on stderr so ``--json`` output stays clean."""

    def __init__(self, enabled: bool = True) -> None:
        self._progress = Progress(
            TextColumn("{task.description:>10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            disable=not enabled or not err.is_terminal,
        )
        self._files: Any = None
        self._chunks: Any = None
        self._ocr: Any = None

    def __enter__(self) -> IngestDisplay:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def planned(self, files: int, to_process: int) -> None:
        self._files = self._progress.add_task("files", total=to_process)
        self._chunks = self._progress.add_task("embedded", total=None)

    def file_done(self, outcome: FileOutcome) -> None:
        self._progress.advance(self._files)
        if outcome.status == "failed":
            self._progress.console.print(f"[red]failed[/red] {outcome.path}: {outcome.reason}")

    def embedded(self, chunks: int) -> None:
        self._progress.advance(self._chunks, chunks)

    def ocr_page(self, path: str, done: int, total: int) -> None:
        if self._ocr is None:
            self._ocr = self._progress.add_task("OCR pages", total=total)
        self._progress.update(self._ocr, completed=done, total=total)
        if done == total:
            self._progress.remove_task(self._ocr)
            self._ocr = None


def print_ingest_report(report: IngestReport) -> None:
    summary = report.summary()
    title = "Ingest plan (dry run: nothing changed)" if report.dry_run else "Ingest summary"
    table = Table(title=f"{title}\n{report.root} -> {report.store}", title_justify="left")
    columns = {**report.counts(), "chunks": report.chunks, "seconds": summary["seconds"]}
    for column in columns:
        table.add_column(column, justify="right")
    table.add_row(*map(str, columns.values()))
    out.print(table)
    if report.dry_run:
        for outcome in report.outcomes:
            if outcome.status != "unchanged":
                out.print(f"  {outcome.status:9} {outcome.path}")
    for outcome in report.failed:
        out.print(f"[red]failed[/red] {outcome.path}: {outcome.reason}")
    for outcome in report.outcomes:
        for warning in outcome.warnings:
            out.print(f"[yellow]warning[/yellow] {outcome.path}: {warning}")
    for note in report.notes:
        out.print(f"[dim]note: {escape(note)}[/dim]")
    if summary["embedded_chunks"] or summary["reused_embeddings"]:
        out.print(f"embedded {summary['embedded_chunks']} chunks, reused {summary['reused_embeddings']} stored embeddings")


def print_answer(answer: Answer, asked: str = "") -> None:
    """The answer, then its numbered sources with their quotes (or, for an abstention, related reading)."""
    style = "yellow" if answer.abstained else ""
    out.print(answer.text, style=style, markup=False, highlight=False)
    if asked and answer.question != asked:
        out.print(f"[dim](answered: {escape(answer.question)})[/dim]")
    if not answer.abstained and answer.confidence is not None:
        out.print(f"[dim](confidence {answer.confidence:.0%})[/dim]")
    for heading, citations in (("Sources", answer.citations), ("Related passages (not an answer)", answer.related)):
        if citations:
            out.print(f"\n[bold]{heading}[/bold]")
        for c in citations:
            where = f", {escape(c.location)}" if c.location else ""
            out.print(f"[{c.index}] [bold]{escape(c.title)}[/bold] — {escape(c.source or c.path)}, {c.published or 'undated'}{where}")
            out.print(f"    “{escape(c.quote)}”  [dim]({escape(c.path)} chars {c.start}-{c.end})[/dim]")
    for warning in answer.warnings:
        out.print(f"[dim yellow]note: {escape(warning)}[/dim yellow]")
