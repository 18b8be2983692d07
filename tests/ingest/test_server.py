"""Ingest into a real Chroma server, and a clear, quick failure when the server is not there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from assistant.errors import StoreUnavailable
from assistant.service import Assistant
from assistant.settings import Settings
from ingest.pipeline import ingest
from bench.server import chroma_server as running_server
from tests.conftest import SEEDS, free_port
from tests.ingest.conftest import EmbedCalls
from tests.ingest.store_checks import assert_consistent


@pytest.mark.server
def test_ingest_and_answer_through_a_chroma_server(chroma_server: tuple[str, int], embed_calls: EmbedCalls) -> None:
    host, port = chroma_server
    settings = Settings(chroma_host=host, chroma_port=port, collection="ingest_test")

    first = ingest(SEEDS, settings)
    assert (first.count("added"), first.failed) == (1, [])
    assert first.store == f"Chroma server at {host}:{port}"
    stored = assert_consistent(settings)
    assert first.embedded_chunks == sum(map(len, stored.values())) == embed_calls.take()

    again = ingest(SEEDS, settings)
    assert again.count("unchanged") == 1 and (again.embedded_chunks, embed_calls.take()) == (0, 0)
    assert assert_consistent(settings) == stored

    assistant = Assistant(settings)
    answer = assistant.ask("Who owned the oil depot that Russian strikes hit in Odesa region?")
    assert not answer.abstained and "SOCAR" in answer.text and answer.citations
    for citation in answer.citations:
        assert assistant.document_text(citation.doc_id)[citation.start : citation.end] == citation.quote


def unreachable_settings() -> Settings:
    return Settings(chroma_host="127.0.0.1", chroma_port=free_port())


def test_an_unreachable_server_fails_fast_naming_it() -> None:
    settings = unreachable_settings()
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as raised:
        ingest(SEEDS, settings)
    assert time.monotonic() - started < 10
    assert f"127.0.0.1:{settings.chroma_port}" in str(raised.value)


def test_the_cli_prints_one_error_line_when_the_server_is_unreachable() -> None:
    port = free_port()
    env = {**os.environ, "ASSISTANT_CHROMA_HOST": "127.0.0.1", "ASSISTANT_CHROMA_PORT": str(port)}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", str(SEEDS)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 2
    assert done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("error: Chroma server at 127.0.0.1:") and f":{port} is unreachable" in line


@pytest.mark.server
def test_a_frozen_then_dead_server_is_one_clear_error_within_the_timeout(tmp_path, monkeypatch, cli) -> None:
    """SIGSTOP: the server accepts connections and never answers; SIGKILL: it is gone mid-session."""
    with running_server(tmp_path / "server") as server:
        monkeypatch.setenv("ASSISTANT_CHROMA_HOST", server.host)
        monkeypatch.setenv("ASSISTANT_CHROMA_PORT", str(server.port))
        monkeypatch.setenv("ASSISTANT_CHROMA_TIMEOUT_S", "2")
        assert cli("ingest", SEEDS)[0] == 0
        assistant = Assistant(Settings())
        assert not assistant.ask("Who owned the oil depot hit in Odesa region?").abstained

        os.kill(server.pid, signal.SIGSTOP)
        try:
            started = time.monotonic()
            code, out, err = cli("ask", "Who owned the oil depot hit in Odesa region?")
            waited = time.monotonic() - started
        finally:
            os.kill(server.pid, signal.SIGCONT)
        assert code == 2 and waited < 2 * 2 + 5, (code, waited)
        assert err.strip().splitlines() == [
            f"error: Chroma server at {server.host}:{server.port} is unreachable (no answer within 2 s "
            f"(ASSISTANT_CHROMA_TIMEOUT_S)). Start it with `chroma run --host {server.host} --port {server.port}`, "
            "or unset ASSISTANT_CHROMA_HOST to use the embedded store."
        ]

        os.kill(server.pid, signal.SIGKILL)
        with pytest.raises(StoreUnavailable, match=f"Chroma server at {server.host}:{server.port} is unreachable"):
            assistant.ask("Who owned the oil depot hit in Odesa region?")
        code, _, err = cli("ingest", SEEDS, "--full")
        assert code == 2 and len(err.strip().splitlines()) == 1 and "is unreachable" in err
