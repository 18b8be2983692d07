"""A run killed with SIGKILL leaves a store the next run completes: every chunk once, no orphans, and
answers cite the stored text."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings
from ingest.pipeline import document_id, ingest
from tests.conftest import SQUAD_CORPUS
from tests.ingest.conftest import EmbedCalls
from tests.ingest.store_checks import assert_consistent, open_corpus, write_article

# Small SQuAD articles (~135 chunks): two pipeline batches, so the first files are stored seconds before the end.
KILL_CORPUS = ["02_Southern_California.txt", "04_Victoria_Australia.txt", "08_1973_oil_crisis.txt",
               "10_Amazon_rainforest.txt", "18_Construction.txt"]  # fmt: skip
STORED_LINE = "ingest.pipeline: added "  # the per-file debug line, written after the file's record


def kill_after_first_stored_file(folder: Path, timeout_s: float = 300) -> list[str]:
    """Run ``python -m assistant -v ingest folder``, SIGKILL it once it logs its first stored file; its stderr lines."""
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "-v", "ingest", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    watchdog = threading.Timer(timeout_s, process.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append(line)
            if STORED_LINE in line:
                process.send_signal(signal.SIGKILL)
                break
        process.wait()
    finally:
        watchdog.cancel()
        process.kill()
    assert process.returncode == -signal.SIGKILL, "".join(lines)
    return lines


@pytest.mark.timeout(600)
def test_a_killed_run_is_completed_by_the_next(tmp_path: Path) -> None:
    folder = tmp_path / "squad"
    folder.mkdir()
    for name in KILL_CORPUS:
        shutil.copy(SQUAD_CORPUS / name, folder / name)
    settings = Settings()

    kill_after_first_stored_file(folder)
    stored_by_killed_run = open_corpus(settings).documents()
    assert 1 <= len(stored_by_killed_run) < len(KILL_CORPUS)

    report = ingest(folder, settings)
    assert not report.failed
    assert report.count("unchanged") == len(stored_by_killed_run)
    assert report.count("added") == len(KILL_CORPUS) - len(stored_by_killed_run)
    stored = assert_consistent(settings)
    assert sorted(stored) == [str(folder / name) for name in KILL_CORPUS]

    assistant = Assistant(settings)
    answer = assistant.ask("How many seats does Victoria have in the Australian House of Representatives?")
    assert not answer.abstained and "37" in answer.text
    for citation in answer.citations:
        assert assistant.document_text(citation.doc_id)[citation.start : citation.end] == citation.quote


def test_chunks_a_killed_run_left_without_a_record_are_reused_or_removed(
    tmp_path: Path, embed_calls: EmbedCalls
) -> None:
    settings, folder = Settings(), tmp_path / "docs"
    path = write_article(folder, "sky.txt", SQUAD_CORPUS / "03_Sky_United_Kingdom.txt", paragraphs=6)
    first = ingest(folder, settings)
    documents = open_corpus(settings).documents_collection
    embed_calls.take()

    # A kill between writing a file's chunks and its record leaves chunks that no record accounts for.
    documents.delete(ids=[document_id(path)])
    resumed = ingest(folder, settings)
    assert [o.status for o in resumed.outcomes] == ["added"]
    assert (resumed.embedded_chunks, embed_calls.take()) == (0, 0)
    assert resumed.reused_embeddings == first.chunks
    assert_consistent(settings)

    # The same, but the file got shorter before the next run: its surplus chunks must go too.
    documents.delete(ids=[document_id(path)])
    write_article(folder, "sky.txt", SQUAD_CORPUS / "03_Sky_United_Kingdom.txt", paragraphs=2)
    shorter = ingest(folder, settings)
    assert shorter.chunks < first.chunks
    assert len(assert_consistent(settings)[str(path)]) == shorter.chunks


def test_chunks_without_a_record_are_not_answered_from(tmp_path: Path) -> None:
    """Before the next ingest removes them, a killed run's orphan chunks must not become blank citations."""
    settings, folder = Settings(), tmp_path / "docs"
    path = write_article(folder, "sky.txt", SQUAD_CORPUS / "03_Sky_United_Kingdom.txt", paragraphs=6)
    ingest(folder, settings)
    question = "What is Sky UK Limited?"
    assert Assistant(settings).retrieve(question)

    documents = open_corpus(settings).documents_collection
    record = documents.get(ids=[document_id(path)], include=["documents", "metadatas"])
    documents.delete(ids=[document_id(path)])
    assistant = Assistant(settings)
    assert assistant.retrieve(question) == []
    answer = assistant.ask(question)
    assert answer.abstained and answer.citations == [] and answer.related == []

    # An ingest running elsewhere writes a document's chunks before its record: once the record is there,
    # an open assistant answers from them without being told.
    documents.add(ids=record["ids"], documents=record["documents"], metadatas=record["metadatas"], embeddings=[[0.0] * 384])
    assert assistant.retrieve(question)
