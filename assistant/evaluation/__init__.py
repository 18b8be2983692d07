"""Evaluation: golden sets and the scoring of answers against them."""

from assistant.evaluation.golden import GoldenCase, GoldenSet, default_golden_path, load_golden
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

__all__ = [
    "CaseScore",
    "CitationCheck",
    "GoldenCase",
    "GoldenSet",
    "Summary",
    "citation_validity",
    "default_golden_path",
    "load_golden",
    "normalise",
    "percentile",
    "retrieval_hits",
    "score_case",
    "summarize",
]
