"""Files that cannot be ingested are reported by name with the reason; the run goes on, the CLI exits 1,
and what was stored before stays as it was."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from assistant.settings import Settings
from ingest.pipeline import ingest
from tests.conftest import SQUAD_CORPUS
from tests.ingest.conftest import CliRunner, EmbedCalls
from tests.ingest.store_checks import assert_consistent, write_article

TRUNCATED_PAGE = b'<!DOCTYPE html><html><head><style>body{color:red}</style><script>var page = {"title": "'
LATIN1_NOTE = "Caf\xe9 menu\n\nThe caf\xe9 serves cr\xe8me br\xfbl\xe9e and a salade ni\xe7oise every day.\n"


def bad_entries(folder: Path) -> dict[str, str]:
    """Write one of each kind of unusable entry; returns name -> what its reason must mention."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(random.Random(1).randbytes(4000))
    (folder / "huge.txt").write_text("A very long note.\n\n" + "Words and more words. " * 5000, encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer")
    (folder / "broken.html").write_bytes(TRUNCATED_PAGE)
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    (folder / "self.txt").symlink_to(folder / "self.txt")
    (folder / "parent").symlink_to(folder, target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")
    return {
        "empty.txt": "empty file",
        "photo.txt": "binary content",
        "huge.txt": "over the 0.05 MB limit (raise ASSISTANT_MAX_FILE_MB",
        "broken.pdf": "malformed PDF",
        "broken.html": "no readable text in HTML",
        "dangling.txt": "No such file",
        "self.txt": "symlink loop",
        "parent": "symlink loop",
        "pipe.txt": "not a regular file",
    }


@pytest.mark.timeout(300)  # a FIFO opened for reading would block forever
def test_bad_files_are_reported_and_the_rest_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: CliRunner, embed_calls: EmbedCalls
) -> None:
    monkeypatch.setenv("ASSISTANT_MAX_FILE_MB", "0.05")
    folder = tmp_path / "docs"
    good = write_article(folder, "good.txt", SQUAD_CORPUS / "03_Sky_United_Kingdom.txt", paragraphs=2)
    spoiled = write_article(folder, "spoiled.txt", SQUAD_CORPUS / "08_1973_oil_crisis.txt", paragraphs=2)
    assert cli("ingest", folder, "--json")[0] == 0
    before = assert_consistent(Settings())
    embed_calls.take()

    expected = bad_entries(folder)
    (folder / "latin1.txt").write_bytes(LATIN1_NOTE.encode("latin-1"))
    spoiled.write_bytes(b"")  # a file that ingested fine and is now empty keeps its stored content
    expected["spoiled.txt"] = "empty file"

    code, out, _ = cli("ingest", folder, "--json")
    summary = json.loads(out)
    files = {Path(f["path"]).name: f for f in summary["files"]}
    assert code == 1
    assert {name for name, f in files.items() if f["status"] == "failed"} == set(expected)
    for name, reason in expected.items():
        assert reason in files[name]["reason"], (name, files[name]["reason"])
    assert files["good.txt"]["status"] == "unchanged"
    assert files["latin1.txt"]["status"] == "added"
    assert any("not valid UTF-8" in warning for warning in files["latin1.txt"]["warnings"])
    assert (summary["added"], summary["failed"], summary["removed"]) == (1, len(expected), 0)

    after = assert_consistent(Settings())
    assert after[str(good)] == before[str(good)] and after[str(spoiled)] == before[str(spoiled)]
    assert any("crème brûlée" in text for text in after[str(folder / "latin1.txt")])
    assert embed_calls.take() == summary["embedded_chunks"] == len(after[str(folder / "latin1.txt")])


def test_the_python_api_reports_problems_the_same_way(tmp_path: Path, embed_calls: EmbedCalls) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    expected = bad_entries(folder)
    report = ingest(folder, Settings(max_file_mb=0.05))
    assert {Path(o.path).name: o.status for o in report.outcomes} == dict.fromkeys(expected, "failed")
    assert all(outcome.reason for outcome in report.failed)
    assert embed_calls.take() == 0


def test_a_file_name_that_is_not_utf8_is_named_and_the_run_goes_on(tmp_path: Path, cli: CliRunner) -> None:
    folder = tmp_path / "docs"
    write_article(folder, "good.txt", SQUAD_CORPUS / "03_Sky_United_Kingdom.txt", paragraphs=2)
    (folder / os.fsdecode(b"caf\xe9-menu.txt")).write_text("Menu\n\nCoffee and cake.\n", encoding="utf-8")

    code, out, err = cli("ingest", folder, "--json")
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert code == 1 and "Traceback" not in err
    assert files["good.txt"]["status"] == "added"
    assert files["caf\\xe9-menu.txt"]["status"] == "failed"
    assert "not valid UTF-8" in files["caf\\xe9-menu.txt"]["reason"]
