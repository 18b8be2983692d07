"""Evaluation: golden sets, the scoring of answers against them, and the harness that runs them.

The harness (``evaluate`` and its result types, the naive baseline) is imported on first use: it
loads llama-index and torch, which reading or scoring a golden set does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from assistant.evaluation.golden import GoldenCase, GoldenSet, as_golden_set, default_golden_path, load_golden
from assistant.evaluation.scoring import (
    CaseScore,
    CitationCheck,
    Summary,
    citation_validity,
    normalise,
    percentile,
    retrieval_hits,
    score_case,
    summarize,
)

if TYPE_CHECKING:
    from assistant.evaluation.baseline import BaselineReply, NaiveBaseline
    from assistant.evaluation.results import CaseResult, EvalRun, KindRate, Metrics, SystemRun
    from assistant.evaluation.runner import evaluate

_LAZY = {
    "BaselineReply": "assistant.evaluation.baseline",
    "NaiveBaseline": "assistant.evaluation.baseline",
    "CaseResult": "assistant.evaluation.results",
    "EvalRun": "assistant.evaluation.results",
    "KindRate": "assistant.evaluation.results",
    "Metrics": "assistant.evaluation.results",
    "SystemRun": "assistant.evaluation.results",
    "evaluate": "assistant.evaluation.runner",
}

__all__ = [
    "BaselineReply",
    "CaseResult",
    "CaseScore",
    "CitationCheck",
    "EvalRun",
    "GoldenCase",
    "GoldenSet",
    "KindRate",
    "Metrics",
    "NaiveBaseline",
    "Summary",
    "SystemRun",
    "as_golden_set",
    "citation_validity",
    "default_golden_path",
    "evaluate",
    "load_golden",
    "normalise",
    "percentile",
    "retrieval_hits",
    "score_case",
    "summarize",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'assistant.evaluation' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
