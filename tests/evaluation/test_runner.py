"""The evaluation harness end to end: ``evaluate`` and ``assistant eval`` over real stores.

A small golden set written here about the seed article (one case per behaviour the harness must
handle: a plain question, a two-turn follow-up, an abstention, and a case no answer can pass) runs
through the real assistant and the real naive baseline; the reports are read back as a user would.
"""

from __future__ import annotations

import json
import re
import tempfile
import threading
from collections.abc import Iterator
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pydantic import SecretStr

from assistant import Assistant, _resources as resources
from assistant.answer import Answer, Citation
from assistant.cli import main
from assistant.evaluation import CaseResult, EvalRun, evaluate, load_golden, score_case
from assistant.settings import Settings
from ingest.pipeline import ingest
from tests.conftest import SEED_FILE, SEEDS

GOLDEN = {
    "about": "A few hand-written questions about the seed article, for testing the harness.",
    "cases": [
        {
            # No answer can contain this: so the set never passes as a whole (first, for --limit 1).
            "id": "unpassable",
            "kind": "what",
            "turns": ["Which anti-aircraft systems could Turkey supply?"],
            "must": [["zebra crossing"]],
        },
        {
            "id": "aid-amount",
            "kind": "how-many",
            "turns": ["How much humanitarian aid has Azerbaijan sent to Ukraine?"],
            "must": [["$2 million", "2 million"]],
            "support": "Azerbaijan has already sent $2 million in humanitarian aid",
        },
        {
            "id": "refinery-pipeline",
            "kind": "follow-up",
            "turns": ["Which refinery received the contaminated Azerbaijani crude oil?", "Through which pipeline did it arrive?"],
            "must": [["Baku-Tbilisi-Ceyhan"]],
            "support": "had arrived at the Petrobazi refinery via the Baku–Tbilisi–Ceyhan pipeline",
        },
        {"id": "baku-population", "kind": "absent", "turns": ["What is the population of Baku?"], "abstain": True},
    ],
}
IDS = [case["id"] for case in GOLDEN["cases"]]


def by_id(results: tuple[CaseResult, ...]) -> dict[str, CaseResult]:
    return {result.id: result for result in results}


@pytest.fixture(scope="module")
def golden_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("golden") / "golden.json"
    path.write_text(json.dumps(GOLDEN, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def seeded_run(golden_file: Path, seeded_settings: Settings) -> EvalRun:
    return evaluate(golden_file, settings=seeded_settings, baseline=True)


def _answer_of(result: CaseResult) -> Answer:
    citations = [Citation(**citation) for citation in result.citations]
    return Answer(text=result.answer, question=result.standalone, citations=citations, abstained=result.abstained)


def test_every_case_is_asked_and_scored_by_the_scorer(seeded_run: EvalRun, golden_file: Path) -> None:
    cases = {case.id: case for case in load_golden(golden_file).cases}
    assert seeded_run.baseline is not None
    for system in (seeded_run.ours, seeded_run.baseline):
        assert [result.id for result in system.cases] == IDS
        for result in system.cases:
            assert result.score == score_case(cases[result.id], _answer_of(result))
            assert result.turns == cases[result.id].turns and result.latency_ms > 0
        summary = system.metrics.summary
        assert summary.cases == 4 and summary.pass_rate == sum(r.passed for r in system.cases) / 4
    unpassable = by_id(seeded_run.ours.cases)["unpassable"]
    assert not unpassable.passed and "missing any of ['zebra crossing'] in answer" in unpassable.score.reasons


def test_our_answers_are_grounded_and_follow_ups_rewritten(seeded_run: EvalRun) -> None:
    ours = by_id(seeded_run.ours.cases)
    aid, pipeline = ours["aid-amount"], ours["refinery-pipeline"]
    assert aid.passed, aid.score.reasons
    assert aid.retrieval_hit is True and aid.reciprocal_rank == 1.0
    assert all(result.citation_check.valid for result in seeded_run.ours.cases)
    assert pipeline.standalone != pipeline.turns[-1]  # the follow-up was understood in context
    metrics = seeded_run.ours.metrics
    assert {kind.kind for kind in metrics.by_kind} == {"how-many", "follow-up", "absent", "what"}
    assert metrics.retrieval_k == 6 and metrics.faithfulness is None and metrics.relevancy is None
    assert any("OPENAI_API_KEY" in note for note in seeded_run.notes)


def test_baseline_answers_with_the_top_chunk_and_never_abstains(seeded_run: EvalRun) -> None:
    assert seeded_run.baseline is not None
    for result in seeded_run.baseline.cases:
        assert not result.abstained and len(result.citations) == 1 and result.citation_check.valid
        assert result.answer == f"{result.citations[0]['quote']} [1]"
        assert result.standalone == result.turns[-1]  # asked as written, no memory
    absent = by_id(seeded_run.baseline.cases)["baku-population"]
    assert absent.score.reasons == ("answered a question the documents do not answer",)
    assert seeded_run.baseline.metrics.summary.abstention_recall == 0.0
    assert seeded_run.delta()["pass_rate"] == pytest.approx(
        seeded_run.ours.metrics.summary.pass_rate - seeded_run.baseline.metrics.summary.pass_rate
    )


def test_corpus_run_uses_a_temporary_store_and_leaves_the_users_alone(
    golden_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "bees.txt").write_text("Bees\n\nHoney bees live in hives of up to sixty thousand workers.\n", encoding="utf-8")
    user = Settings()  # ASSISTANT_DATA_DIR, as the user configured it
    ingest(notes, user)
    before = (Assistant(user).documents(), Assistant(user)._corpus.chunk_count())
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    run = evaluate(load_golden(golden_file).cases[1:3], corpus=SEEDS)

    assert run.corpus == str(SEEDS) and run.documents == 1 and "temporary" in run.store
    cited = {citation["path"] for result in run.ours.cases for citation in result.citations}
    assert cited == {str(SEED_FILE)}
    assert (Assistant(user).documents(), Assistant(user)._corpus.chunk_count()) == before
    assert list(scratch.iterdir()) == []
    assert run.timings["ingest"] > 0 and run.timings["total"] >= run.timings["ingest"]


def test_cli_prints_the_table_and_writes_json_and_html(
    golden_file: Path, seeded_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(seeded_settings.data_dir))
    json_out, html_out = tmp_path / "eval.json", tmp_path / "eval.html"

    argv = ["eval", "--golden", str(golden_file), "--baseline", "--json", str(json_out), "--html", str(html_out)]
    status = main([*argv, "--min-pass", "0"])

    assert status == 0
    printed = capsys.readouterr().out
    assert "pass rate" in printed and "baseline" in printed and "unpassable" in printed
    report = json.loads(json_out.read_text(encoding="utf-8"))
    assert [case["id"] for case in report["cases"]] == IDS
    headline = {"pass_rate", "answer_correctness", "citation_support", "citation_validity", "abstention_precision",
                "abstention_recall", "retrieval_hit_at_k", "mrr", "latency_p50_ms", "latency_p95_ms"}  # fmt: skip
    assert headline <= report["metrics"]["ours"].keys() and headline <= report["metrics"]["delta"].keys()
    for case in report["cases"]:
        for system in ("ours", "baseline"):
            entry = case[system]
            assert {"turns", "standalone", "answer", "citations", "passed", "reasons", "retrieval_hit", "latency_ms"} <= entry.keys()
    unpassable = report["cases"][0]["ours"]
    assert unpassable["passed"] is False and unpassable["reasons"]

    page = html_out.read_text(encoding="utf-8")
    for case in report["cases"]:
        assert escape(case["id"]) in page and escape(case["ours"]["answer"]) in page
        for citation in case["ours"]["citations"]:
            assert escape(citation["quote"]) in page
    assert "FAIL" in page and "<svg" in page and "<details" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "<script" not in page and "<link" not in page


def test_cli_exit_status_follows_min_pass(
    golden_file: Path, seeded_settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(seeded_settings.data_dir))
    assert main(["eval", "--golden", str(golden_file), "--limit", "1", "--min-pass", "100%"]) == 1
    assert "below --min-pass 100.0%" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["eval", "--min-pass", "1.5"])


def test_cli_on_an_empty_store_says_how_to_fill_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval"]) == 2
    err = capsys.readouterr().err
    assert "assistant ingest seeds" in err and "assistant eval --corpus seeds" in err


class _ScriptedJudge(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint that answers every chat request with "YES" and keeps the prompts."""

    prompts: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.prompts.append(json.dumps(body["messages"], ensure_ascii=False))
        reply = {
            "id": "judge", "object": "chat.completion", "created": 0, "model": body.get("model", "judge"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "YES"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }  # fmt: skip
        payload = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def judge_endpoint() -> Iterator[str]:
    _ScriptedJudge.prompts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ScriptedJudge)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        resources.configure_llama_index(Settings())  # llama-index's global LLM back to the inert one


def test_llm_mode_runs_llama_index_judges(golden_file: Path, seeded_settings: Settings, judge_endpoint: str) -> None:
    settings = seeded_settings.model_copy(update={"openai_api_key": SecretStr("test-key"), "openai_base_url": judge_endpoint})
    one_case = load_golden(golden_file).cases[1:2]

    run = evaluate(one_case, settings=settings, baseline=True)

    assert run.mode == "llm" and not any("OPENAI_API_KEY" in note for note in run.notes)
    assert run.baseline is not None
    assert run.baseline.metrics.faithfulness == 1.0 and run.baseline.metrics.relevancy == 1.0
    chunk = run.baseline.cases[0].citations[0]["quote"]
    assert any(json.dumps(chunk[:60], ensure_ascii=False)[1:-1] in prompt for prompt in _ScriptedJudge.prompts)
