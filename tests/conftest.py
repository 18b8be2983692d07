"""Shared fixtures: real stores in temp dirs, the seed corpus ingested once, a real Chroma server.

Every test runs in its own working directory with ``ASSISTANT_*`` and ``OPENAI_*`` variables cleared,
so a developer's ``.env`` or API key never leaks into a test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import Settings
from bench.server import chroma_server as running_server
from bench.server import free_port

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SEEDS = REPO_ROOT / "seeds"
SEED_FILE = SEEDS / "000_1b26b4ebeceedaf2.txt"
MIXED_CORPUS = SHARED / "eval" / "mixed" / "corpus"
SQUAD_CORPUS = SHARED / "eval" / "squad2" / "corpus"


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("ASSISTANT_", "OPENAI_")):
            monkeypatch.delenv(name)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    return Settings(data_dir=data_dir, **overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """An empty embedded store of this test's own."""
    return make_settings(tmp_path / "store")


@pytest.fixture(scope="session")
def seeded_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A store with ``seeds/`` ingested, shared by the tests that only read it."""
    from ingest.pipeline import ingest

    settings = make_settings(tmp_path_factory.mktemp("seeded"))
    report = ingest(SEEDS, settings)
    assert not report.failed, report.failed
    return settings


@pytest.fixture(scope="session")
def seeded_assistant(seeded_settings: Settings):
    from assistant import Assistant

    return Assistant(seeded_settings)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real ``chroma run`` on 127.0.0.1 and a free port, stopped after the session (the bench's own)."""
    with running_server(tmp_path_factory.mktemp("chroma-server")) as server:
        yield server.host, server.port
