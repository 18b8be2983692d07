"""``assistant ingest`` as a user runs it: a JSON summary for scripts, help with examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.ingest.conftest import CliRunner


def test_json_prints_one_summary_object(cli: CliRunner) -> None:
    code, out, _ = cli("ingest", SEEDS, "--json")
    summary = json.loads(out)
    assert code == 0
    assert {"added", "updated", "unchanged", "removed", "failed", "chunks", "seconds"} <= set(summary)
    assert (summary["added"], summary["failed"], summary["removed"]) == (1, 0, 0)
    assert summary["chunks"] > 0 and summary["seconds"] > 0
    [seed] = SEEDS.glob("*.txt")
    assert summary["files"] == [
        {"path": str(seed), "status": "added", "chunks": summary["chunks"], "reason": "", "warnings": []}
    ]

    code, out, _ = cli("ingest", SEEDS, "--json")
    again = json.loads(out)
    assert code == 0 and (again["unchanged"], again["added"], again["chunks"]) == (1, 0, 0)


def test_a_missing_folder_is_one_error_line(cli: CliRunner, tmp_path: Path) -> None:
    code, out, err = cli("ingest", tmp_path / "nowhere")
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith(f"error: {tmp_path / 'nowhere'} does not exist; give a folder or a file of")


def test_help_shows_examples(cli: CliRunner, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--help"], ["ingest", "--help"]):
        with pytest.raises(SystemExit) as exited:
            cli(*args)
        assert exited.value.code == 0
        help_text = capsys.readouterr().out
        assert "examples:" in help_text and "assistant ingest" in help_text
    assert "--dry-run" in help_text and "--full" in help_text and "exit status" in help_text
