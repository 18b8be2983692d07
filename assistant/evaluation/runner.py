"""Running a golden set through the assistant, and optionally a naive baseline, and measuring both (results:
``results.py``; LLM judges: ``judges.py``).

>>> run = evaluate(Path("golden.json"), corpus=Path("seeds"), baseline=True)   # doctest: +SKIP
>>> run.ours.metrics.summary.pass_rate, run.baseline.metrics.summary.pass_rate  # doctest: +SKIP

Each case is one fresh conversation: every turn is asked, the last answer is scored with
``scoring.score_case``, its citations are checked against the stored documents, and retrieval for its
standalone question is checked for the case's ``support``. The baseline (``evaluation.baseline``) is
scored by exactly the same code.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from assistant.answer import Answer
from assistant.errors import EmptyStore, IngestError
from assistant.evaluation.baseline import NaiveBaseline
from assistant.evaluation.golden import GoldenCase, GoldenSet, as_golden_set, golden_paths
from assistant.evaluation.judges import Judges
from assistant.evaluation.results import BASELINE, OURS, CaseResult, EvalRun, KindRate, Metrics, SystemRun
from assistant.evaluation.scoring import (
    citation_validity,
    retrieval_hits,
    score_case,
    summarize,
)
from assistant.service import Assistant
from assistant.settings import Settings

log = logging.getLogger(__name__)

JUDGES_OFFLINE = "LLM judges (faithfulness, relevancy) skipped: no LLM configured; set OPENAI_API_KEY to run them"


class EvalProgress(Protocol):
    """Callbacks for a progress display. The first three are ``ingest``'s, used with ``corpus``."""

    def planned(self, files: int, to_process: int) -> None: ...
    def file_done(self, outcome: Any) -> None: ...
    def embedded(self, chunks: int) -> None: ...
    def ocr_page(self, path: str, done: int, total: int) -> None: ...
    def cases_planned(self, total: int) -> None: ...
    def case_done(self, result: CaseResult) -> None: ...


class _Silent:
    def planned(self, files: int, to_process: int) -> None:
        pass

    def file_done(self, outcome: Any) -> None:
        pass

    def embedded(self, chunks: int) -> None:
        pass

    def ocr_page(self, path: str, done: int, total: int) -> None:
        pass

    def cases_planned(self, total: int) -> None:
        pass

    def case_done(self, result: CaseResult) -> None:
        pass


# --- running -------------------------------------------------------------------------------------------


def evaluate(
    golden: GoldenSet | Path | str | Sequence[GoldenCase | GoldenSet | Path | str],
    *,
    settings: Settings | None = None,
    corpus: Path | str | None = None,
    baseline: bool = False,
    progress: EvalProgress | None = None,
) -> EvalRun:
    """Ask every golden case in a fresh conversation and score the last answer.

    ``golden`` is a golden set, a file, or a sequence of cases or files (merged). Without ``corpus`` the
    store named by ``settings`` is used (``EmptyStore`` if nothing is ingested); with it, the folder is
    ingested into a temporary embedded store that is deleted afterwards, so the user's store (embedded
    or server) is never touched. ``baseline`` also scores llama-index's naive pipeline over the same
    store. With an LLM configured, answered cases are also judged by llama-index's faithfulness and
    relevancy evaluators.
    """
    golden_set = as_golden_set(golden)
    settings = settings or Settings()
    progress = progress or _Silent()
    started = time.perf_counter()
    if corpus is None:
        run = _evaluate_store(golden_set, settings, baseline, progress)
    else:
        with temporary_store(Path(corpus), settings, progress) as (store_settings, ingest_seconds, notes):
            run = _evaluate_store(golden_set, store_settings, baseline, progress, corpus=str(corpus))
            run = replace(run, timings={"ingest": ingest_seconds, **run.timings}, notes=notes + run.notes)
    return replace(run, golden=golden_paths(golden), timings={**run.timings, "total": time.perf_counter() - started})


@contextmanager
def temporary_store(
    corpus: Path, settings: Settings, progress: EvalProgress | None = None
) -> Iterator[tuple[Settings, float, tuple[str, ...]]]:
    """``corpus`` ingested into a throwaway embedded store: (its settings, ingest seconds, per-file notes)."""
    with tempfile.TemporaryDirectory(prefix="assistant-eval-", ignore_cleanup_errors=True) as folder:
        store_settings = settings.model_copy(update={"data_dir": Path(folder), "chroma_host": None})
        report = Assistant(store_settings).ingest(corpus, progress=progress or _Silent())
        if report.chunks == 0:
            raise IngestError(f"nothing could be ingested from {corpus}: give a folder of documents in a format `assistant ingest --help` lists")
        notes = tuple(f"not ingested: {outcome.path}: {outcome.reason}" for outcome in report.failed)
        yield store_settings, report.seconds, notes


def _evaluate_store(
    golden: GoldenSet, settings: Settings, with_baseline: bool, progress: EvalProgress, corpus: str | None = None
) -> EvalRun:
    assistant = Assistant(settings)
    documents = assistant.documents()
    if not documents:
        raise EmptyStore(settings.store_description)
    naive = NaiveBaseline.from_assistant(assistant) if with_baseline else None
    session = _Session(assistant, naive, Judges.from_settings(settings))
    ours: list[CaseResult] = []
    theirs: list[CaseResult] = []
    progress.cases_planned(len(golden.cases))
    if golden.cases:
        session.warm_up(golden.cases[0].question)
    for case in golden.cases:
        ours.append(session.ours(case))
        if session.naive is not None:
            theirs.append(session.baseline(case))
        progress.case_done(ours[-1])
    return EvalRun(
        about=golden.about,
        golden=(),  # the files are known to `evaluate`, which fills them in
        store=settings.store_description if corpus is None else f"temporary store of {corpus}",
        corpus=corpus,
        documents=len(documents),
        chunks=sum(doc.chunk_count for doc in documents),
        mode="llm" if settings.uses_llm else "extractive",
        ours=_system(OURS, ours, settings.top_k),
        baseline=_system(BASELINE, theirs, settings.top_k) if session.naive else None,
        timings=session.timings,
        notes=session.notes(),
    )


class _Session:
    """The systems under test over one store, timing each phase of the run."""

    def __init__(self, assistant: Assistant, naive: NaiveBaseline | None, judges: Judges | None) -> None:
        self.assistant, self.naive, self.judges = assistant, naive, judges
        self.k = assistant.settings.top_k
        self.timings: dict[str, float] = {}

    def warm_up(self, question: str) -> None:
        """Build what is built on first use (indexes, caches), so no case's latency includes it."""
        with self._phase("warm-up"):
            self.assistant.ask(question)
            if self.naive is not None:
                self.naive.respond(question)

    def ours(self, case: GoldenCase) -> CaseResult:
        """A fresh conversation asking every turn; the last answer is scored."""
        with self._phase("answering"):
            conversation = self.assistant.chat()
            for turn in case.turns[:-1]:
                conversation.ask(turn)
            started = time.perf_counter()
            answer = conversation.ask(case.question)
            latency_ms = (time.perf_counter() - started) * 1000
        with self._phase("retrieval check"):
            retrieved = [passage.text for passage in self.assistant.retrieve(answer.question, top_k=self.k)]
        return self._judged(_case_result(case, answer, retrieved, latency_ms, self.assistant, self.k), retrieved)

    def baseline(self, case: GoldenCase) -> CaseResult:
        """The naive pipeline on the last turn as written; its answer is built from the top chunk alone."""
        assert self.naive is not None
        with self._phase("baseline"):
            reply = self.naive.respond(case.question)
        result = _case_result(case, reply.answer, reply.retrieved, reply.latency_ms, self.assistant, self.k)
        return self._judged(result, reply.retrieved[:1])

    def notes(self) -> tuple[str, ...]:
        if self.judges is None:
            return (JUDGES_OFFLINE,)
        if self.judges.failures:
            failed = self.judges.failures
            return (f"LLM judges failed on {failed} answers (left unjudged); first error: {self.judges.first_error}",)
        return ()

    def _judged(self, result: CaseResult, contexts: Sequence[str]) -> CaseResult:
        if self.judges is None:
            return result
        with self._phase("judges"):
            return self.judges.judge(result, contexts)

    @contextmanager
    def _phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - started


def _case_result(
    case: GoldenCase, answer: Answer, passages: Sequence[str], latency_ms: float, assistant: Assistant, k: int
) -> CaseResult:
    """Score one answer: the same code for every system."""
    hit, reciprocal_rank = retrieval_hits(case.support, passages, k) if case.support else (None, None)
    return CaseResult(
        id=case.id,
        kind=case.kind,
        turns=case.turns,
        standalone=answer.question,
        answer=answer.text,
        abstained=answer.abstained,
        citations=tuple(citation.to_dict() for citation in answer.citations),
        score=score_case(case, answer),
        citation_check=citation_validity(answer, assistant.document_text),
        retrieval_hit=hit,
        reciprocal_rank=reciprocal_rank,
        latency_ms=latency_ms,
        confidence=answer.confidence,
    )


def _system(name: str, cases: Sequence[CaseResult], k: int) -> SystemRun:
    return SystemRun(name, tuple(cases), _metrics(cases, k))


def _metrics(cases: Sequence[CaseResult], k: int) -> Metrics:
    cited = [case for case in cases if case.citation_check.citations or case.citation_check.markers]
    retrieval = [case for case in cases if case.retrieval_hit is not None]
    answered = [case for case in cases if not case.abstained]
    return Metrics(
        summary=summarize([case.score for case in cases], [case.latency_ms for case in cases]),
        citation_validity=_share(cited, lambda case: case.citation_check.valid),
        retrieval_k=k,
        retrieval_hit_rate=_share(retrieval, lambda case: bool(case.retrieval_hit)),
        mrr=sum(case.reciprocal_rank or 0.0 for case in retrieval) / len(retrieval) if retrieval else None,
        faithfulness=_share([c for c in answered if c.faithful is not None], lambda case: bool(case.faithful)),
        relevancy=_share([c for c in answered if c.relevant is not None], lambda case: bool(case.relevant)),
        by_kind=_by_kind(cases),
    )


def _share(cases: Sequence[CaseResult], test: Callable[[CaseResult], bool]) -> float | None:
    return sum(map(test, cases)) / len(cases) if cases else None


def _by_kind(cases: Sequence[CaseResult]) -> tuple[KindRate, ...]:
    kinds: dict[str, list[CaseResult]] = {}
    for case in cases:
        if case.kind:
            kinds.setdefault(case.kind, []).append(case)
    return tuple(KindRate(kind, len(group), sum(c.passed for c in group)) for kind, group in sorted(kinds.items()))
