"""Reports of an ``EvalRun``: a terminal table, a JSON file, and a self-contained HTML page.

Every report shows our metrics next to the baseline's and the difference. The HTML page has no
external assets and no scripts: inline CSS, charts drawn as inline SVG, per-case details in
``<details>`` elements, and every piece of text escaped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from rich.markup import escape as markup_escape
from rich.table import Table

from assistant._console import IngestDisplay, out
from assistant.evaluation.results import CaseResult, EvalRun, SystemRun

RATE, SCORE, MS = "rate", "score", "ms"
METRICS: tuple[tuple[str, str, str], ...] = (
    ("pass_rate", "pass rate", RATE),
    ("answer_correctness", "answer correctness", RATE),
    ("citation_support", "citation support", RATE),
    ("citation_validity", "citation validity", RATE),
    ("abstention_precision", "abstention precision", RATE),
    ("abstention_recall", "abstention recall", RATE),
    ("retrieval_hit_at_k", "retrieval hit@k", RATE),
    ("mrr", "retrieval MRR", SCORE),
    ("faithfulness", "faithfulness (LLM judge)", RATE),
    ("relevancy", "relevancy (LLM judge)", RATE),
    ("latency_p50_ms", "latency p50", MS),
    ("latency_p95_ms", "latency p95", MS),
)
"""(key in ``Metrics.headline()``, label, unit) in report order."""
MAX_FAILURES_SHOWN = 20


def format_value(value: float | None, unit: str) -> str:
    """A metric for people: rates as percentages, MRR to three places, latencies in ms."""
    if value is None:
        return "—"
    if unit == RATE:
        return f"{value:.1%}"
    if unit == SCORE:
        return f"{value:.3f}"
    return f"{value:,.0f} ms"


def format_delta(value: float | None, unit: str) -> str:
    """Ours minus baseline: percentage points for rates."""
    if value is None:
        return "—"
    if unit == RATE:
        return f"{value * 100:+.1f} pp"
    if unit == SCORE:
        return f"{value:+.3f}"
    return f"{value:+,.0f} ms"


def _better(delta: float | None, unit: str) -> bool | None:
    if delta is None or abs(delta) < 1e-9:
        return None
    return delta < 0 if unit == MS else delta > 0


def _label(key: str, label: str, run: EvalRun) -> str:
    return label.replace("@k", f"@{run.ours.metrics.retrieval_k}") if key == "retrieval_hit_at_k" else label


# --- terminal ------------------------------------------------------------------------------------------


class EvalDisplay(IngestDisplay):
    """Progress bars on stderr: the corpus ingest (with ``--corpus``), then the cases."""

    _cases: Any = None

    def cases_planned(self, total: int) -> None:
        self._cases = self._progress.add_task("cases", total=total)

    def case_done(self, result: CaseResult) -> None:
        self._progress.advance(self._cases)


def print_report(run: EvalRun) -> None:
    """The metrics table (ours, baseline, difference) and the failing cases with why they failed."""
    out.print(_metrics_table(run))
    failures = run.ours.failures
    if failures:
        out.print(_failures_table(failures[:MAX_FAILURES_SHOWN], f"{len(failures)} of {len(run.ours.cases)}"))
        if len(failures) > MAX_FAILURES_SHOWN:
            out.print(f"… and {len(failures) - MAX_FAILURES_SHOWN} more failing cases: write them out with --json or --html")
    for note in run.notes:
        out.print(f"[dim]note: {markup_escape(note)}[/dim]")
    out.print(f"[dim]time: {markup_escape(_timings(run))}[/dim]")


def _metrics_table(run: EvalRun) -> Table:
    title = f"Evaluation of {len(run.ours.cases)} cases on the {run.store} ({_store_size(run)}), {run.mode} answers"
    table = Table(title=markup_escape(title), title_justify="left")
    table.add_column("metric")
    table.add_column("ours", justify="right")
    if run.baseline:
        table.add_column("baseline", justify="right")
        table.add_column("Δ", justify="right")
    ours, theirs, delta = run.ours.metrics.headline(), run.baseline.metrics.headline() if run.baseline else {}, run.delta()
    for key, label, unit in METRICS:
        row = [_label(key, label, run), format_value(ours[key], unit)]
        if run.baseline:
            better = _better(delta[key], unit)
            style = "" if better is None else ("green" if better else "red")
            change = format_delta(delta[key], unit)
            row += [format_value(theirs[key], unit), f"[{style}]{change}[/{style}]" if style else change]
        table.add_row(*row)
    _add_kind_rows(table, run)
    return table


def _add_kind_rows(table: Table, run: EvalRun) -> None:
    if not run.ours.metrics.by_kind:
        return
    table.add_section()
    theirs = {k.kind: k for k in run.baseline.metrics.by_kind} if run.baseline else {}
    for kind in run.ours.metrics.by_kind:
        row = [f"pass rate · {markup_escape(kind.kind)} ({kind.cases})", f"{kind.rate:.0%}"]
        if run.baseline:
            other = theirs[kind.kind].rate
            row += [f"{other:.0%}", format_delta(kind.rate - other, RATE)]
        table.add_row(*row, style="dim")


def _failures_table(failures: Sequence[CaseResult], count: str) -> Table:
    table = Table(title=f"Failing cases (ours): {count}", title_justify="left")
    table.add_column("case")
    table.add_column("why")
    for case in failures:
        why = case.score.reasons[0] if case.score.reasons else "failed"
        more = f" (+{len(case.score.reasons) - 1} more)" if len(case.score.reasons) > 1 else ""
        table.add_row(markup_escape(case.id), markup_escape(why + more))
    return table


def _store_size(run: EvalRun) -> str:
    return f"{run.documents} document{'s' * (run.documents != 1)}, {run.chunks} chunks"


def _timings(run: EvalRun) -> str:
    return " · ".join(f"{name} {seconds:.1f} s" for name, seconds in run.timings.items())


# --- JSON ----------------------------------------------------------------------------------------------


def write_json(run: EvalRun, path: Path) -> None:
    """Every case (turns, rewrite, answer, citations, verdict and reasons, retrieval, latency) and the metrics."""
    path.write_text(json.dumps(run.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# --- HTML ----------------------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d2430}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border-bottom:1px solid #dde2ea;padding:.3rem .7rem;text-align:right}
th:first-child,td:first-child{text-align:left}.better{color:#17803d}.worse{color:#b42318}.muted{color:#667085}
details{border:1px solid #dde2ea;border-left:6px solid;border-radius:4px;margin:.4rem 0;padding:.3rem .7rem}
details.pass{border-left-color:#17803d}details.fail{border-left-color:#b42318;background:#fff8f7}
summary{cursor:pointer}.verdict{font-weight:600}.pass .verdict.ours{color:#17803d}.fail .verdict.ours{color:#b42318}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.7rem;border-left:3px solid #c8d0dc;color:#344054}
.answer{white-space:pre-wrap;background:#f6f8fb;padding:.4rem .6rem;border-radius:4px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.tag{font-size:.8rem;padding:0 .35rem;border-radius:3px;background:#eef1f6}
svg text{font:12px system-ui,sans-serif;fill:#1d2430}
"""
_OURS_COLOUR, _BASELINE_COLOUR = "#2f6fde", "#b0b8c6"


def write_html(run: EvalRun, path: Path) -> None:
    """Write ``render_html(run)`` to ``path``."""
    path.write_text(render_html(run), encoding="utf-8")


def render_html(run: EvalRun) -> str:
    """The whole report as one HTML page with no external assets."""
    sections = [
        f"<h1>Evaluation report: {len(run.ours.cases)} cases</h1>",
        _html_overview(run),
        "<h2>Metrics</h2>",
        _html_metrics(run),
        _svg_metric_bars(run),
        "<h2>Latency of the last turn</h2>",
        _svg_latency_histogram(run),
        _html_kinds(run),
        f"<h2>Cases ({len(run.ours.failures)} failing)</h2>",
        *(_html_case(case, run) for case in run.ours.cases),
    ]
    body = "\n".join(section for section in sections if section)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Evaluation report</title><style>{_CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _html_overview(run: EvalRun) -> str:
    items = [
        ("golden set", ", ".join(run.golden) or "(in memory)"),
        ("about", run.about),
        ("store", f"{run.store}: {_store_size(run)}"),
        ("answers", run.mode),
        ("time", _timings(run)),
        *(("note", note) for note in run.notes),
    ]
    rows = "".join(
        f"<tr><th>{escape(name)}</th><td style='text-align:left'>{escape(value)}</td></tr>" for name, value in items if value
    )
    return f"<table>{rows}</table>"


def _html_metrics(run: EvalRun) -> str:
    ours, theirs, delta = run.ours.metrics.headline(), run.baseline.metrics.headline() if run.baseline else {}, run.delta()
    head = "<tr><th>metric</th><th>ours</th>" + ("<th>baseline</th><th>Δ</th>" if run.baseline else "") + "</tr>"
    rows = []
    for key, label, unit in METRICS:
        cells = f"<td>{escape(_label(key, label, run))}</td><td>{escape(format_value(ours[key], unit))}</td>"
        if run.baseline:
            better = _better(delta[key], unit)
            css = "" if better is None else (" class='better'" if better else " class='worse'")
            cells += f"<td>{escape(format_value(theirs[key], unit))}</td><td{css}>{escape(format_delta(delta[key], unit))}</td>"
        rows.append(f"<tr>{cells}</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _html_kinds(run: EvalRun) -> str:
    if not run.ours.metrics.by_kind:
        return ""
    theirs = {k.kind: k for k in run.baseline.metrics.by_kind} if run.baseline else {}
    head = "<tr><th>kind</th><th>cases</th><th>ours</th>" + ("<th>baseline</th>" if run.baseline else "") + "</tr>"
    rows = "".join(
        f"<tr><td>{escape(k.kind)}</td><td>{k.cases}</td><td>{k.rate:.0%}</td>"
        + (f"<td>{theirs[k.kind].rate:.0%}</td>" if run.baseline else "")
        + "</tr>"
        for k in run.ours.metrics.by_kind
    )
    return f"<h2>Pass rate by kind</h2><table>{head}{rows}</table>"


def _svg_metric_bars(run: EvalRun) -> str:
    """Horizontal bars per 0..1 metric: ours above, baseline below."""
    ours, theirs = run.ours.metrics.headline(), run.baseline.metrics.headline() if run.baseline else {}
    shown = [(key, label) for key, label, unit in METRICS if unit != MS and (ours[key] is not None or theirs.get(key) is not None)]
    label_w, bar_w, row_h = 190, 420, 34 if run.baseline else 22
    parts = []
    for row, (key, label) in enumerate(shown):
        y = 24 + row * row_h
        parts.append(f'<text x="0" y="{y + 12}">{escape(_label(key, label, run))}</text>')
        bars = [(ours[key], _OURS_COLOUR)] + ([(theirs[key], _BASELINE_COLOUR)] if run.baseline else [])
        for offset, (value, colour) in enumerate(bars):
            top = y + offset * 14
            width = (value or 0.0) * bar_w
            parts.append(f'<rect x="{label_w}" y="{top}" width="{width:.1f}" height="12" fill="{colour}"/>')
            shown_value = format_value(value, SCORE if key == "mrr" else RATE)
            parts.append(f'<text x="{label_w + width + 5:.1f}" y="{top + 10}">{escape(shown_value)}</text>')
    height = 30 + len(shown) * row_h
    return _svg(label_w + bar_w + 70, height, _legend(run) + "".join(parts), "Metrics, ours against the baseline")


def _svg_latency_histogram(run: EvalRun, bins: int = 12) -> str:
    """How many cases took how long for their last turn, ours and baseline side by side."""
    systems = [run.ours] + ([run.baseline] if run.baseline else [])
    latencies = [[case.latency_ms for case in system.cases] for system in systems]
    top = max((value for values in latencies for value in values), default=0.0) or 1.0
    step = top / bins
    counts = [[min(int(value / step), bins - 1) for value in values] for values in latencies]
    tallest = max((chunk.count(b) for chunk in counts for b in range(bins)), default=1) or 1
    chart_h, slot_w, left, base = 160, 60, 40, 200  # base: the y of the axis, below the legend and labels
    parts = [f'<line x1="{left}" y1="{base}" x2="{left + bins * slot_w}" y2="{base}" stroke="#667085"/>']
    for b in range(bins):
        x = left + b * slot_w
        for offset, (chunk, colour) in enumerate(zip(counts, (_OURS_COLOUR, _BASELINE_COLOUR))):
            n = chunk.count(b)
            h = n / tallest * chart_h
            bar_x = x + 6 + offset * 24
            parts.append(
                f'<rect x="{bar_x}" y="{base - h:.1f}" width="22" height="{h:.1f}" fill="{colour}"><title>{n} cases</title></rect>'
            )
            if n:
                parts.append(f'<text x="{bar_x + 4}" y="{base - h - 4:.1f}">{n}</text>')
        parts.append(f'<text x="{x + 4}" y="{base + 16}">{b * step:,.0f}</text>')
    parts.append(f'<text x="{left}" y="{base + 34}">ms (bins of {step:,.0f} ms); bar height = number of cases</text>')
    return _svg(left + bins * slot_w + 20, base + 44, _legend(run) + "".join(parts), "Latency histogram")


def _legend(run: EvalRun) -> str:
    entries = [("ours", _OURS_COLOUR)] + ([("baseline", _BASELINE_COLOUR)] if run.baseline else [])
    return "".join(
        f'<rect x="{i * 110}" y="0" width="12" height="12" fill="{colour}"/><text x="{i * 110 + 17}" y="11">{name}</text>'
        for i, (name, colour) in enumerate(entries)
    )


def _svg(width: float, height: float, content: str, title: str) -> str:
    return (
        f'<svg role="img" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}"><title>{escape(title)}</title>{content}</svg>'
    )


def _html_case(case: CaseResult, run: EvalRun) -> str:
    other = _case_of(run.baseline, case.id)
    verdict = "PASS" if case.passed else "FAIL"
    why = f" — {escape(case.score.reasons[0])}" if case.score.reasons else ""
    kind = f' <span class="tag">{escape(case.kind)}</span>' if case.kind else ""
    base = f' <span class="muted">baseline: {"pass" if other.passed else "fail"}</span>' if other else ""
    turns = "".join(f"<li>{escape(turn)}</li>" for turn in case.turns)
    columns = _html_answer("ours", case) + (_html_answer("baseline", other) if other else "")
    return (
        f'<details class="{"pass" if case.passed else "fail"}"><summary><span class="verdict ours">{verdict}</span> '
        f"<code>{escape(case.id)}</code>{kind}{why}{base}</summary>"
        f"<p><b>Conversation</b></p><ol>{turns}</ol>"
        f'<div class="cols">{columns}</div></details>'
    )


def _case_of(system: SystemRun | None, case_id: str) -> CaseResult | None:
    return next((case for case in system.cases if case.id == case_id), None) if system else None


def _html_answer(name: str, case: CaseResult) -> str:
    facts = [
        f"{'passed' if case.passed else 'failed'}",
        f"latency {case.latency_ms:,.0f} ms",
        "abstained" if case.abstained else f"{len(case.citations)} citation{'s' * (len(case.citations) != 1)}",
    ]
    if case.retrieval_hit is not None:
        facts.append(f"retrieval hit: {'yes' if case.retrieval_hit else 'no'} (RR {case.reciprocal_rank or 0:.2f})")
    if not case.citation_check.valid:
        facts.append("invalid citations")
    for judge, verdict in (("faithful", case.faithful), ("relevant", case.relevant)):
        if verdict is not None:
            facts.append(f"{judge}: {'yes' if verdict else 'no'}")
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in case.score.reasons + case.citation_check.problems)
    quotes = "".join(
        f"<blockquote>[{c['index']}] {escape(str(c['quote']))}<br><span class='muted'>{escape(str(c['title']))} — "
        f"{escape(str(c['path']))} chars {c['start']}-{c['end']}</span></blockquote>"
        for c in case.citations
    )
    return (
        f"<div><p><b>{escape(name)}</b> <span class='muted'>{escape(' · '.join(facts))}</span></p>"
        f"<p class='muted'>asked: {escape(case.standalone)}</p>"
        f"<div class='answer'>{escape(case.answer)}</div>{quotes}"
        + (f"<ul>{reasons}</ul>" if reasons else "")
        + "</div>"
    )
