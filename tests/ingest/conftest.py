"""Fixtures of the ingest tests: a count of real embedding calls, and the CLI run in this process."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest

from assistant import _resources as resources
from assistant.cli import main
from assistant.settings import Settings
from ingest.loaders import LoadedDocument


class EmbedCalls(list):
    """How many texts each call to the embedding model embedded."""

    def take(self) -> int:
        """Texts embedded since the last ``take``."""
        count = sum(self)
        self.clear()
        return count


@pytest.fixture
def embed_calls(monkeypatch: pytest.MonkeyPatch) -> EmbedCalls:
    """Counts the texts the real (process-wide) embedding model is asked to embed; it still embeds them."""
    model = resources.embedding_model(Settings())
    embed_batch = type(model).get_text_embedding_batch
    calls = EmbedCalls()

    def counting(self, texts, **kwargs):  # type: ignore[no-untyped-def]
        if self is model:
            calls.append(len(texts))
        return embed_batch(self, texts, **kwargs)

    monkeypatch.setattr(type(model), "get_text_embedding_batch", counting)
    return calls


CliRunner = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Iterator[CliRunner]:
    """``cli("ingest", folder, "--json")`` -> (exit status, stdout, stderr) of the real ``assistant`` command.

    Run in this process to share the loaded embedding model; the logging setup the command installs is
    undone afterwards.
    """
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    loggers = [logger for logger in logging.root.manager.loggerDict.values() if isinstance(logger, logging.Logger)]
    saved_levels = {logger: logger.level for logger in loggers}

    def run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
    root.handlers[:] = saved_handlers
    root.setLevel(saved_level)
    for logger, level in saved_levels.items():
        logger.setLevel(level)


def written_headings(doc: LoadedDocument) -> list[str]:
    """``doc``'s section headings, each checked to be written where its section starts (citations and the
    answerer read them there)."""
    assert all(doc.text[start:].startswith(name) for start, name in doc.sections)
    return [name for _, name in doc.sections]
