"""Chunks as stored: they fit the embedding model's window, their spans slice the stored text exactly,
their ids are deterministic, and their size follows the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from llama_index.core.schema import MetadataMode, TextNode
from llama_index.core.vector_stores.utils import metadata_dict_to_node

from assistant import _resources as resources
from assistant.settings import Settings
from ingest.pipeline import ingest
from tests.conftest import MIXED_CORPUS, SEED_FILE
from tests.ingest.store_checks import assert_consistent, open_corpus

MODEL_WINDOW = 256  # all-MiniLM-L6-v2 reads 256 word pieces, [CLS] and [SEP] included


@pytest.fixture(scope="module")
def mixed_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The mixed-format corpus (HTML pages, a PDF paper, Markdown posts) ingested with the defaults."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("mixed"))
    report = ingest(MIXED_CORPUS, settings)
    assert not report.failed, report.failed
    return settings


def stored_chunks(settings: Settings) -> list[TextNode]:
    records = open_corpus(settings).chunks.get(include=["documents", "metadatas"])
    nodes = [metadata_dict_to_node(meta, text=text) for text, meta in zip(records["documents"], records["metadatas"])]
    return sorted((n for n in nodes if isinstance(n, TextNode)), key=lambda n: n.node_id)


@pytest.mark.parametrize("store", ["seeded_settings", "mixed_settings"])
def test_every_embedded_chunk_fits_the_model_window(store: str, request: pytest.FixtureRequest) -> None:
    settings: Settings = request.getfixturevalue(store)
    model = resources.embedding_model(settings)
    assert model.max_length == MODEL_WINDOW
    chunks = stored_chunks(settings)
    assert chunks
    for chunk in chunks:
        embedded = chunk.get_content(metadata_mode=MetadataMode.EMBED)
        assert embedded.startswith(f"title: {chunk.metadata['title']}")
        assert len(resources.tokenizer()(embedded)) <= settings.chunk_tokens, chunk.node_id
        assert model.word_pieces(embedded) <= MODEL_WINDOW, chunk.node_id


@pytest.mark.parametrize("store", ["seeded_settings", "mixed_settings"])
def test_every_span_slices_the_stored_text_to_the_chunk(store: str, request: pytest.FixtureRequest) -> None:
    stored = assert_consistent(request.getfixturevalue(store))
    assert stored and all(stored.values())


def test_the_same_file_gets_the_same_chunk_ids_in_another_store(seeded_settings: Settings, tmp_path: Path) -> None:
    fresh = Settings(data_dir=tmp_path / "fresh")
    ingest(SEED_FILE, fresh)
    ids = [(chunk.node_id, chunk.text) for chunk in stored_chunks(fresh)]
    assert ids == [(chunk.node_id, chunk.text) for chunk in stored_chunks(seeded_settings)]


def test_chunk_size_and_overlap_come_from_the_settings(seeded_settings: Settings, tmp_path: Path) -> None:
    small = Settings(data_dir=tmp_path / "small", chunk_tokens=64, chunk_overlap=16)
    ingest(SEED_FILE, small)
    chunks = stored_chunks(small)
    assert len(chunks) > 2 * len(stored_chunks(seeded_settings))
    for chunk in chunks:
        assert len(resources.tokenizer()(chunk.get_content(metadata_mode=MetadataMode.EMBED))) <= 64
    overlaps = [b.start_char_idx < a.end_char_idx for a, b in zip(chunks, chunks[1:])]
    assert any(overlaps)
    assert_consistent(small)

    # A store chunked with other settings is re-chunked by the next run with the new ones.
    rerun = ingest(SEED_FILE, Settings(data_dir=tmp_path / "small"))
    assert [o.status for o in rerun.outcomes] == ["updated"]
    assert [c.text for c in stored_chunks(small)] == [c.text for c in stored_chunks(seeded_settings)]
