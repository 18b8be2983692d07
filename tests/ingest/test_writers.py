"""Writers of one store never destroy each other's work: one ingest at a time (a second one waits, or
says who holds the store), a re-run repairs a document whose chunks went missing, and one file is
stored once however its path is spelled."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from assistant.settings import Settings
from ingest._lock import writer_lock
from ingest.pipeline import IngestReport, ingest
from ingest._store import StoreWriter
from tests.conftest import SQUAD_CORPUS
from tests.ingest.conftest import CliRunner
from tests.ingest.store_checks import assert_consistent, open_corpus, write_article

ARTICLES = ["02_Southern_California.txt", "04_Victoria_Australia.txt", "08_1973_oil_crisis.txt"]


def folder_of(root: Path, name: str, articles: list[str]) -> Path:
    folder = root / name
    for article in articles:
        write_article(folder, article, SQUAD_CORPUS / article, paragraphs=3)
    return folder


def test_an_ingest_started_while_another_writes_waits_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings()
    first, second = folder_of(tmp_path, "first", ARTICLES[:2]), folder_of(tmp_path, "second", ARTICLES[2:])
    chunks_written, resume = threading.Event(), threading.Event()
    write_documents = StoreWriter.write_documents

    def pause_between_chunks_and_records(self, writes):  # type: ignore[no-untyped-def]
        if threading.current_thread().name == "first":
            self.chunks.upsert(
                ids=[node.node_id for w in writes for node in w.chunks],
                embeddings=[node.embedding for w in writes for node in w.chunks],
                documents=[node.text for w in writes for node in w.chunks],
            )
            chunks_written.set()
            assert resume.wait(120)
        write_documents(self, writes)

    monkeypatch.setattr(StoreWriter, "write_documents", pause_between_chunks_and_records)
    reports: dict[str, IngestReport] = {}
    runs = {
        name: threading.Thread(target=lambda n=name, f=folder: reports.__setitem__(n, ingest(f, settings)), name=name)
        for name, folder in (("first", first), ("second", second))
    }
    runs["first"].start()
    assert chunks_written.wait(120)
    runs["second"].start()
    runs["second"].join(timeout=2.0)
    assert runs["second"].is_alive(), "the second ingest ran into the first one's unrecorded chunks"
    resume.set()
    for run in runs.values():
        run.join(timeout=300)

    stored = assert_consistent(settings)
    assert set(stored) == {str(path) for folder in (first, second) for path in folder.iterdir()}
    assert sum(map(len, stored.values())) == reports["first"].chunks + reports["second"].chunks


def test_a_second_ingest_names_the_one_holding_the_store_when_it_cannot_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: CliRunner
) -> None:
    folder = folder_of(tmp_path, "docs", ARTICLES[:1])
    monkeypatch.setenv("ASSISTANT_INGEST_WAIT_S", "0.5")
    with writer_lock(Settings()):
        code, out, err = cli("ingest", folder)
    assert code == 2
    assert f"another ingest (pid {os.getpid()} since" in err and "ASSISTANT_INGEST_WAIT_S" in err
    assert "Traceback" not in err
    assert cli("ingest", folder, "--json")[0] == 0


def test_a_document_whose_chunks_went_missing_is_written_again(tmp_path: Path, cli: CliRunner) -> None:
    folder = folder_of(tmp_path, "docs", ARTICLES)
    assert cli("ingest", folder, "--json")[0] == 0
    corpus = open_corpus(Settings())
    victim = next(doc for doc in corpus.documents() if doc.path.endswith(ARTICLES[1]))
    corpus.chunks.delete(ids=corpus.chunks.get(where={"document_id": victim.doc_id}, include=[])["ids"][1:])

    code, out, _ = cli("ingest", folder, "--json")

    summary = json.loads(out)
    assert code == 0 and (summary["updated"], summary["unchanged"]) == (1, 2)
    assert summary["notes"] == [f"{victim.path}: chunks were missing from the store; written again"]
    assert len(assert_consistent(Settings())[victim.path]) == victim.chunk_count


def test_one_file_is_stored_once_however_its_path_is_spelled(tmp_path: Path, cli: CliRunner) -> None:
    folder = folder_of(tmp_path, "docs", ARTICLES[:2])
    (tmp_path / "link").symlink_to(folder, target_is_directory=True)
    (folder / "also.txt").symlink_to(folder / ARTICLES[0])  # the same file under a second name
    code, out, _ = cli("ingest", folder, "--json")
    assert code == 0
    assert f"{folder / 'also.txt'} is the same file as {folder / ARTICLES[0]}; stored once, under the second" in json.loads(out)["notes"]
    before = assert_consistent(Settings())

    for spelling in (tmp_path / "docs" / ".." / "docs", tmp_path / "link"):
        code, out, _ = cli("ingest", spelling, "--json")
        summary = json.loads(out)
        assert code == 0 and summary["unchanged"] == 2 and summary["added"] == 0, spelling
        assert f"{spelling} is {folder}; its documents are stored under that path" in summary["notes"]
    assert assert_consistent(Settings()) == before
    assert set(before) == {str(folder / article) for article in ARTICLES[:2]}
