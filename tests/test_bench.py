"""The bench runs end to end on a tiny corpus and reports every figure with its reference and ratio.

No timing is asserted anywhere: on a shared machine it would fail for reasons that are not bugs.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest

from bench import corpora
from bench.__main__ import main

PER_STORE = {
    "ingest.throughput", "reingest.unchanged", "reingest.one_changed", "answer.p50", "answer.p95", "answer.verifier_share",
    "coldstart.total", "coldstart.imports", "coldstart.model_load", "coldstart.store_open", "coldstart.first_answer",
    "memory.ingest_peak", "memory.answer_peak",
}


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("bench")
    out = work / "bench.json"
    assert main(["--smoke", "--json", str(out), "--work-dir", str(work)]) == 0
    return json.loads(out.read_text())


@pytest.mark.server
def test_smoke_run_reports_every_figure_with_its_reference_and_ratio(smoke_run: dict) -> None:
    data = smoke_run
    found = {(f["figure"], f["corpus"], f["store"]) for f in data["figures"]}
    expected = {(name, corpus, "embedded") for name in PER_STORE for corpus in ("gen-3", "gen-6")}
    expected |= {(name, "gen-3", "server") for name in PER_STORE | {"server.ingest", "server.answer_p50"}}
    expected |= {("ingest.vs_llama_index", "gen-3", "embedded"), ("answer.growth", "gen-3→gen-6", "embedded")}
    expected |= {("ingest.ocr_pages", "mixed/tracemonkey.pdf", "-")}
    assert expected <= found, sorted(expected - found)
    for figure in data["figures"]:
        assert figure["reference_name"] and figure["value"] >= 0 and figure["reference"] >= 0, figure
        if figure["figure"].startswith(("ingest.", "reingest.", "answer.", "memory.")):
            assert figure["reference"] > 0, figure
        # In the smoke run the cold-start parts already done by the test process take no time at all.
        if figure["reference"] > 0:
            assert math.isclose(figure["ratio"], figure["value"] / figure["reference"], rel_tol=1e-3, abs_tol=1e-4), figure
        if figure["target"]:
            bound = float(figure["target"].split()[1])
            assert figure["met"] == (figure["ratio"] >= bound if figure["target"].startswith("≥") else figure["ratio"] <= bound)


@pytest.mark.server
def test_smoke_run_describes_the_machine_and_what_was_reingested(smoke_run: dict) -> None:
    data = smoke_run
    assert {"cpu", "logical_cores", "ram_gb", "python", "onnxruntime"} <= set(data["machine"])
    ingest = data["raw"]["corpora"]["gen-3"]["embedded"]["ingest"]
    assert ingest["unchanged"]["unchanged_files"] == ingest["unchanged"]["files"] and ingest["unchanged"]["embedded"] == 0
    edited = ingest["one_changed"]
    assert edited["unchanged_files"] == edited["files"] - 1
    assert edited["embedded"] >= 1 and edited["reused"] >= 1, "an edited file should re-embed only its changed chunks"
    assert ingest["limit"]["texts_total"] == ingest["full"]["chunks"]


def test_smoke_run_reads_a_scanned_page_about_as_fully_as_its_text_layer(smoke_run: dict) -> None:
    scans = smoke_run["raw"]["scans"]
    assert scans["pages"] == 1
    assert 0.9 * scans["text_layer"]["letters"] <= scans["ocr"]["letters"] <= 1.1 * scans["text_layer"]["letters"], scans
    assert scans["ocr"]["words"] >= 0.75 * scans["text_layer"]["words"], "OCR ran the words together"


def test_generated_corpus_has_no_repeated_paragraph(tmp_path: Path) -> None:
    corpus = corpora.generate(tmp_path / "gen", 60)
    paragraphs = Counter(
        paragraph for path in corpus.path.rglob("*.txt") for paragraph in path.read_text(encoding="utf-8").split("\n\n")[1:]
    )
    assert corpus.files >= 3
    assert paragraphs.most_common(1)[0][1] == 1


def test_questions_are_read_from_the_shared_squad_set() -> None:
    asked = corpora.questions(5)
    assert len(asked) == 5 and len(set(asked)) == 5 and all(q.strip() for q in asked)
