"""What an evaluation produces: each case's result, each system's metrics, and the whole run, with the
JSON form every report reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.evaluation.scoring import CaseScore, CitationCheck, Summary

OURS, BASELINE = "ours", "baseline"


@dataclass(frozen=True)
class CaseResult:
    """What one system did on one golden case, and how it scored."""

    id: str
    kind: str | None
    turns: tuple[str, ...]
    standalone: str
    """The question actually answered: the last turn after follow-up rewriting."""
    answer: str
    abstained: bool
    citations: tuple[dict[str, Any], ...]
    score: CaseScore
    citation_check: CitationCheck
    retrieval_hit: bool | None
    """A top-k passage for ``standalone`` holds the case's ``support``; None when it has none."""
    reciprocal_rank: float | None
    latency_ms: float
    """Time to answer the last turn."""
    faithful: bool | None = None
    """llama-index's FaithfulnessEvaluator verdict (LLM mode, answered cases only)."""
    relevant: bool | None = None
    """llama-index's RelevancyEvaluator verdict (LLM mode, answered cases only)."""
    confidence: float | None = None
    """The answer's ``confidence`` (the verifier's probability; None for the baseline and LLM answers)."""

    @property
    def passed(self) -> bool:
        return self.score.passed

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["passed"] = self.passed
        data["reasons"] = list(self.score.reasons)
        data["citation_valid"] = self.citation_check.valid
        return data


@dataclass(frozen=True)
class KindRate:
    """Pass rate of the cases of one ``kind``."""

    kind: str
    cases: int
    passed: int

    @property
    def rate(self) -> float:
        return self.passed / self.cases


@dataclass(frozen=True)
class Metrics:
    """Aggregates over one system's case results; a rate is None when nothing was there to count."""

    summary: Summary
    citation_validity: float | None
    """Share of cited answers whose markers all resolve and whose quotes are exact document slices."""
    retrieval_k: int
    retrieval_hit_rate: float | None
    """hit@k over the cases with ``support``."""
    mrr: float | None
    """Mean reciprocal rank of the first passage holding ``support`` (0 when none in the top k)."""
    faithfulness: float | None = None
    relevancy: float | None = None
    by_kind: tuple[KindRate, ...] = ()

    def headline(self) -> dict[str, float | None]:
        """The metrics every report shows, in report order (rates 0..1, latencies in ms)."""
        s = self.summary
        return {
            "pass_rate": s.pass_rate,
            "answer_correctness": s.answer_correctness,
            "citation_support": s.citation_support,
            "citation_validity": self.citation_validity,
            "abstention_precision": s.abstention_precision,
            "abstention_recall": s.abstention_recall,
            "retrieval_hit_at_k": self.retrieval_hit_rate,
            "mrr": self.mrr,
            "faithfulness": self.faithfulness,
            "relevancy": self.relevancy,
            "latency_p50_ms": s.latency_p50,
            "latency_p95_ms": s.latency_p95,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.headline(),
            "retrieval_k": self.retrieval_k,
            "counts": self.summary.to_dict(),
            "by_kind": {k.kind: {"cases": k.cases, "passed": k.passed, "pass_rate": k.rate} for k in self.by_kind},
        }


@dataclass(frozen=True)
class SystemRun:
    """One system's results over the whole golden set."""

    name: str
    cases: tuple[CaseResult, ...]
    metrics: Metrics

    @property
    def failures(self) -> tuple[CaseResult, ...]:
        return tuple(case for case in self.cases if not case.passed)


@dataclass(frozen=True)
class EvalRun:
    """The outcome of ``evaluate``: our results, the baseline's (if asked for), and how the run went."""

    about: str
    golden: tuple[str, ...]
    """The golden-set files read (empty for cases given in memory)."""
    store: str
    corpus: str | None
    """The folder ingested into a temporary store for this run, if any."""
    documents: int
    chunks: int
    mode: str
    """"extractive" (offline) or "llm"."""
    ours: SystemRun
    baseline: SystemRun | None
    timings: Mapping[str, float] = field(default_factory=dict)
    """Seconds spent per phase: ingest, answering, retrieval check, baseline, judges, total."""
    notes: tuple[str, ...] = ()

    def delta(self) -> dict[str, float | None]:
        """Ours minus baseline for every headline metric (None where either side has none)."""
        if self.baseline is None:
            return {}
        theirs = self.baseline.metrics.headline()
        return {
            key: None if value is None or theirs[key] is None else value - theirs[key]  # type: ignore[operator]
            for key, value in self.ours.metrics.headline().items()
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready: metrics of both systems and their difference, then every case."""
        baseline_cases = {case.id: case for case in self.baseline.cases} if self.baseline else {}
        return {
            "about": self.about,
            "golden": list(self.golden),
            "store": self.store,
            "corpus": self.corpus,
            "documents": self.documents,
            "chunks": self.chunks,
            "mode": self.mode,
            "timings_s": {name: round(seconds, 3) for name, seconds in self.timings.items()},
            "notes": list(self.notes),
            "metrics": {
                OURS: self.ours.metrics.to_dict(),
                BASELINE: self.baseline.metrics.to_dict() if self.baseline else None,
                "delta": self.delta() or None,
            },
            "cases": [
                {
                    "id": case.id,
                    "kind": case.kind,
                    "turns": list(case.turns),
                    OURS: case.to_dict(),
                    BASELINE: baseline_cases[case.id].to_dict() if case.id in baseline_cases else None,
                }
                for case in self.ours.cases
            ],
        }
