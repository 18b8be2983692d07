"""LLM judges of an evaluation: llama-index's faithfulness and relevancy evaluators, when an LLM is set."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant import _resources as resources
from assistant.evaluation.results import CaseResult
from assistant.settings import Settings

if TYPE_CHECKING:
    from llama_index.core.llms import LLM

log = logging.getLogger(__name__)


class Judges:
    """llama-index's faithfulness and relevancy evaluators, run with the configured LLM."""

    def __init__(self, llm: LLM) -> None:
        from llama_index.core.evaluation import FaithfulnessEvaluator, RelevancyEvaluator

        self._faithfulness = FaithfulnessEvaluator(llm=llm)
        self._relevancy = RelevancyEvaluator(llm=llm)
        self.failures = 0
        self.first_error = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> Judges | None:
        model = resources.llm(settings)
        return cls(model) if model is not None else None

    def judge(self, result: CaseResult, contexts: Sequence[str]) -> CaseResult:
        """The result with both verdicts; abstentions are not judged, and a failing call leaves None."""
        if result.abstained or not contexts:
            return result
        try:
            faithful = self._faithfulness.evaluate(query=result.standalone, response=result.answer, contexts=list(contexts))
            relevant = self._relevancy.evaluate(query=result.standalone, response=result.answer, contexts=list(contexts))
        except Exception as exc:  # an endpoint's failure must not end a long run; it is counted and reported
            self.failures += 1
            self.first_error = self.first_error or f"{type(exc).__name__}: {exc}"
            log.warning("LLM judge failed", extra={"case": result.id, "error": str(exc)})
            return result
        return replace(result, faithful=faithful.passing, relevant=relevant.passing)
