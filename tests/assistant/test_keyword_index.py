"""The BM25 index is saved beside the store and loaded by the next process, and rebuilt when stale."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

import pytest
from llama_index.core.schema import QueryBundle

from assistant import Assistant, Settings
from assistant import _keyword_index as keyword_index
from assistant._corpus import Corpus
from ingest.pipeline import ingest
from tests.conftest import SEED_FILE

QUESTION = "Why was the SOCAR depot hit?"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    return folder


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts how often the BM25 index is built from the chunks (by an ingest or an assistant)."""
    calls: list[int] = []
    build = keyword_index.build

    def counting(corpus: Corpus) -> keyword_index.KeywordIndex:
        calls.append(1)
        return build(corpus)

    monkeypatch.setattr(keyword_index, "build", counting)
    return calls


def saved_indexes(settings: Settings) -> list[str]:
    return sorted(p.name for p in settings.keyword_index_dir.iterdir())


def test_ingest_saves_the_index_and_assistants_load_it(settings: Settings, corpus_dir: Path, builds: list[int]) -> None:
    ingest(corpus_dir, settings)
    assert len(builds) == 1 and len(saved_indexes(settings)) == 1

    first = Assistant(settings).ask(QUESTION)
    assert len(builds) == 1, "the first question after an ingest rebuilt the index"

    again = Assistant(settings)
    second = again.ask(QUESTION)

    assert len(builds) == 1, "the second assistant rebuilt the index"
    assert second.text == first.text and second.citations == first.citations
    assert again._retriever.chunk_total == again._corpus.chunk_count()


def test_an_ingest_that_changes_the_store_replaces_the_saved_index(settings: Settings, corpus_dir: Path, builds: list[int]) -> None:
    ingest(corpus_dir, settings)
    Assistant(settings).ask(QUESTION)
    before = saved_indexes(settings)
    edited = corpus_dir / SEED_FILE.name
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nThe depot reopened in November after repairs.\n", encoding="utf-8")
    ingest(corpus_dir, settings)

    assistant = Assistant(settings)
    passages = assistant.retrieve("When did the depot reopen after repairs?")

    assert len(builds) == 2
    after = saved_indexes(settings)
    assert len(after) == 1 and after != before
    assert any("reopened in November" in p.text for p in passages)
    assert assistant._retriever.chunk_total == assistant._corpus.chunk_count()


def test_a_question_after_an_ingest_reads_no_other_documents_records(
    settings: Settings, corpus_dir: Path, builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which saved index is the store's is recorded by ingest, so a first question reads the records of its
    passages' documents only (every record took 0.55 s at 20,000 chunks)."""
    (corpus_dir / "reopening.txt").write_text("Depot reopening\n\nThe depot reopened in November.\n", encoding="utf-8")
    ingest(corpus_dir, settings)
    read: list[int] = []
    every_record = Corpus.documents
    monkeypatch.setattr(Corpus, "documents", lambda corpus: read.append(1) or every_record(corpus))
    assistant = Assistant(settings)

    answer = assistant.ask(QUESTION)

    assert not answer.abstained and answer.citations
    assert read == [] and len(builds) == 1
    corpus = assistant._corpus
    assert keyword_index.recorded_fingerprint(corpus, corpus.chunk_count()) == keyword_index.fingerprint(corpus, corpus.chunk_count())


def test_an_ingest_that_dies_before_it_finishes_leaves_no_fingerprint_to_trust(
    settings: Settings, corpus_dir: Path, builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after it rewrote a document (the same number of chunks, other words) but before it saved
    the index, an ingest must not leave the old index to be loaded as the store's."""
    ingest(corpus_dir, settings)
    edited = corpus_dir / SEED_FILE.name
    edited.write_text(edited.read_text(encoding="utf-8").replace("depot", "warehouse"), encoding="utf-8")

    def killed(corpus: Corpus, folder: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(keyword_index, "prepare", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest(corpus_dir, settings)
    retriever = Assistant(settings)._retriever
    retriever.refresh()

    assert len(builds) == 2, "the old contents' index was loaded"
    found = retriever._sparse(QueryBundle("warehouse"), 1, None)
    assert found and "warehouse" in found[0].node.get_content()


def test_an_index_saved_by_an_older_release_is_loaded_and_given_its_line_index_by_the_next_ingest(
    settings: Settings, corpus_dir: Path, builds: list[int]
) -> None:
    """Older releases saved no line index to memory-map the chunks by: such a copy is read whole, not
    rebuilt (12 s at 20,000 chunks), and an ingest adds the line index without rebuilding either."""
    ingest(corpus_dir, settings)
    first = Assistant(settings).ask(QUESTION)
    (saved,) = settings.keyword_index_dir.iterdir()
    (saved / keyword_index._LINE_INDEX).unlink()

    assert Assistant(settings).ask(QUESTION).citations == first.citations
    ingest(corpus_dir, settings)
    assert (saved / keyword_index._LINE_INDEX).is_file() and len(builds) == 1
    assert Assistant(settings).ask(QUESTION).citations == first.citations


def test_an_unreadable_saved_index_is_rebuilt_with_a_warning(
    settings: Settings, corpus_dir: Path, builds: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    ingest(corpus_dir, settings)
    first = Assistant(settings).ask(QUESTION)
    (saved,) = settings.keyword_index_dir.iterdir()
    (saved / "vocab.index.json").write_text("{not json", encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger="assistant._keyword_index"):
        second = Assistant(settings).ask(QUESTION)

    assert second.text == first.text
    assert len(builds) == 2
    assert any("unreadable" in r.getMessage() and str(saved) in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("wait", ["refresh", "a second"])
def test_an_open_assistant_picks_up_a_later_ingest(settings: Settings, corpus_dir: Path, wait: str) -> None:
    ingest(corpus_dir, settings)
    assistant = Assistant(settings)
    assistant.ask(QUESTION)
    (corpus_dir / "reopening.txt").write_text(
        "Depot reopening\n\nThe depot reopened in November after repairs by a crew from Lviv.\n", encoding="utf-8"
    )
    ingest(corpus_dir, settings)  # as another process would: this assistant is not told

    if wait == "refresh":
        assistant.refresh()
    else:
        time.sleep(1.1)
    answer = assistant.ask("Who repaired the depot before it reopened?")

    assert assistant._retriever.chunk_total == assistant._corpus.chunk_count()
    assert any("crew from Lviv" in c.quote for c in answer.citations), answer.text


def test_unfinished_saves_are_cleaned_up_once_they_are_old(settings: Settings, corpus_dir: Path) -> None:
    folder = settings.keyword_index_dir
    old, recent = folder / ".partial-killed", folder / ".partial-in-progress"
    for unfinished in (old, recent):
        unfinished.mkdir(parents=True)
        (unfinished / "params.index.json").write_text("{", encoding="utf-8")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))

    ingest(corpus_dir, settings)

    assert not old.exists()
    assert recent.exists(), "a save another process may still be writing was removed"


def test_the_index_covers_every_chunk_once_when_read_in_pages(settings: Settings, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest(corpus_dir, settings)
    corpus = Assistant(settings)._corpus
    monkeypatch.setattr(keyword_index, "_PAGE", 4)

    index = keyword_index.build(corpus)

    indexed = [entry["node_id"] for entry in index.bm25.corpus]
    assert corpus.chunk_count() > 4
    assert sorted(indexed) == sorted(corpus.chunks.get(include=[])["ids"])
    assert index.chunk_total == len(indexed)


def test_a_name_typed_without_its_accents_a_version_number_or_a_short_option_finds_its_chunk(settings: Settings, tmp_path: Path) -> None:
    """The keyword search alone, loaded from disk as an assistant loads it after an ingest (the embedding
    model's tokenizer drops accents itself): the loaded index must read words as the one built did, a
    dotted version number whole, an option with its sign."""
    folder = tmp_path / "districts"
    folder.mkdir()
    (folder / "warsaw.txt").write_text(
        "Warsaw districts\n\nŚródmieście is the central district, home to the Palace of Culture and Science.\n\n"
        "Wola is a western district with new office towers.\n",
        encoding="utf-8",
    )
    (folder / "normandy.txt").write_text("Normandy abbeys\n\nJumièges Abbey was founded in 654 by Saint Philibert.\n", encoding="utf-8")
    (folder / "CHANGELOG.md").write_text(
        "# Changelog\n\n## 1.0.1\n\nFixed the release notes.\n\n## 1.0.0\n\nThe first stable release.\n\n"
        "## 0.1.0\n\nThe first release, 1 of 10 planned.\n", encoding="utf-8",
    )  # fmt: skip
    # Options told apart by their one letter only: without its sign, that letter is no word to search for.
    for name, line in [("portability", "-p: Use the POSIX format."), ("verbose", "-v: Use the verbose format."),
                       ("elapsed", "%e: Elapsed real time."), ("finished", "%f: Finished edges.")]:  # fmt: skip
        (folder / f"{name}.md").write_text(f"# {name}\n\n{line}\n", encoding="utf-8")
    ingest(folder, settings)
    retriever = Assistant(settings)._retriever

    asked = [("Srodmiescie", "Śródmieście"), ("Jumieges", "Jumièges"), ("Jumièges", "Jumièges"), ("1.0.0", "1.0.0\n")]
    asked += [("What does the -p option do?", "-p: Use"), ("What does %e mean?", "%e: Elapsed")]
    for typed, written in asked:
        found = retriever._sparse(QueryBundle(typed), 1, None)
        assert found and written in found[0].node.get_content(), typed
