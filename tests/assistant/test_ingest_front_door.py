"""``Assistant.ingest``: the one way every front door ingests; the assistant answers from it at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, EmptyStore, IngestError, IngestReport, Settings
from tests.conftest import SEED_FILE


def test_an_assistant_answers_from_what_it_just_ingested(tmp_path: Path) -> None:
    assistant = Assistant(Settings())
    with pytest.raises(EmptyStore):
        assistant.ask("Who owned the oil depot hit in Odesa region?")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "article.txt").write_bytes(SEED_FILE.read_bytes())
    (folder / "noise.txt").write_bytes(bytes(range(256)) * 8)

    report = assistant.ingest(folder)

    assert isinstance(report, IngestReport) and report.count("added") == 1 and len(report.failed) == 1
    answer = assistant.ask("Who owned the oil depot hit in Odesa region?")
    assert not answer.abstained and "SOCAR" in answer.text
    assert (folder / "noise.txt").exists(), "a user's own folder keeps the files it could not read"


def test_discard_failed_removes_only_what_could_not_be_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir()
    (folder / "article.txt").write_bytes(SEED_FILE.read_bytes())
    (folder / "noise.txt").write_bytes(bytes(range(256)) * 8)

    Assistant(Settings()).ingest(folder, discard_failed=True)

    assert sorted(p.name for p in folder.iterdir()) == ["article.txt"]
    with pytest.raises(IngestError, match="does not exist"):
        Assistant(Settings()).ingest(tmp_path / "missing")
