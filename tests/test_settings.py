"""Settings come from ASSISTANT_* variables and .env (OPENAI_* without the prefix), and bad chunking is caught."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from assistant.errors import InvalidSettings
from assistant.settings import Settings

API_KEY = "sk-test-0123456789abcdef"


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "ASSISTANT_TOP_K": "9",
        "ASSISTANT_CHUNK_TOKENS": "120",
        "ASSISTANT_CHROMA_HOST": "chroma.internal",
        "ASSISTANT_MAX_FILE_MB": "1.5",
        "OPENAI_API_KEY": API_KEY,
        "OPENAI_BASE_URL": "http://localhost:11434/v1",
        "TOP_K": "2",  # not ours: only the OpenAI variables go without the prefix
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert (settings.top_k, settings.chunk_tokens, settings.max_file_mb) == (9, 120, 1.5)
    assert settings.store_description == "Chroma server at chroma.internal:8000"
    assert settings.uses_llm and settings.openai_api_key is not None
    assert settings.openai_api_key.get_secret_value() == API_KEY
    assert settings.openai_base_url == "http://localhost:11434/v1"


def test_dotenv_is_read_and_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    Path(".env").write_text(
        f"ASSISTANT_TOP_K=7\nASSISTANT_COLLECTION=notes\nOPENAI_API_KEY={API_KEY}\n", encoding="utf-8"
    )
    monkeypatch.setenv("ASSISTANT_TOP_K", "3")
    settings = Settings()
    assert (settings.top_k, settings.collection) == (3, "notes")
    assert settings.uses_llm


@pytest.mark.parametrize("overlap", [200, 250])
def test_an_overlap_not_smaller_than_the_chunk_is_rejected(overlap: int, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidSettings, match=r"chunk_overlap \(\d+\) must be smaller than chunk_tokens \(200\)"):
        Settings(chunk_tokens=200, chunk_overlap=overlap)
    monkeypatch.setenv("ASSISTANT_CHUNK_OVERLAP", str(overlap))
    with pytest.raises(InvalidSettings, match="chunk_overlap"):
        Settings()


def test_an_unusable_variable_is_one_line_naming_it() -> None:
    command = Path(sys.executable).with_name("assistant")
    env = {**os.environ, "ASSISTANT_TOP_K": "many", "ASSISTANT_CHROMA_PORT": "-"}
    done = subprocess.run([str(command), "ask", "Who owns the depot?"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: invalid settings: ASSISTANT_CHROMA_PORT='-' (input should be a valid integer, unable to parse string as an "
        "integer); ASSISTANT_TOP_K='many' (input should be a valid integer, unable to parse string as an integer). Fix the "
        "environment variable or .env entry (the README's Settings table lists every one)."
    ]


def test_a_chunk_size_over_the_model_window_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="assistant.settings"):
        Settings()
        assert caplog.records == []
        Settings(chunk_tokens=400)
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert "ASSISTANT_CHUNK_TOKENS=400" in record.getMessage() and "window" in record.getMessage()


def test_config_masks_the_api_key() -> None:
    command = Path(sys.executable).with_name("assistant")
    env = {**os.environ, "OPENAI_API_KEY": API_KEY, "ASSISTANT_TOP_K": "8"}
    done = subprocess.run([str(command), "config"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert API_KEY not in done.stdout + done.stderr
    lines = {line.split()[0]: line.split(maxsplit=1)[1] for line in done.stdout.splitlines() if line.strip()}
    assert lines["openai_api_key"] == f"{API_KEY[:3]}…{API_KEY[-2:]}"
    assert lines["top_k"] == "8"
