"""Models exported once from torch to ONNX and kept in ``Settings.model_cache_dir``.

Answering runs on onnxruntime: a process imports it in ~0.3 s, where torch and transformers take ~5 s
before the first answer. Torch is only imported to export a graph the first time a machine needs it
(a few seconds, no network); the file name carries a key of what the graph was built from, so a changed
model is exported anew and two processes racing to export write identical files.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError

log = logging.getLogger(__name__)


def cached_graph(cache_dir: Path, name: str, key: str) -> Path:
    """Where ``cached_export`` keeps a graph (it may not be there yet)."""
    return cache_dir / f"{name}-{key}.onnx"


def cached_export(cache_dir: Path, name: str, key: str, export: Callable[[Path], None]) -> Path:
    """``cache_dir/name-key.onnx``, written by ``export(path)`` the first time."""
    target = cached_graph(cache_dir, name, key)
    if target.exists():
        return target
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=cache_dir, suffix=".partial")
        os.close(handle)
    except OSError as exc:
        raise AssistantError(
            f"cannot write the model cache in {cache_dir} ({exc.strerror or exc}); "
            "set ASSISTANT_MODEL_CACHE_DIR to a writable folder"
        ) from exc
    log.info("exporting %s to ONNX once, into %s (a few seconds)", name, cache_dir)
    try:
        export(Path(partial))
        os.replace(partial, target)  # atomic: a process that loses the race just replaces an identical file
    finally:
        Path(partial).unlink(missing_ok=True)
    return target


def cached_session(cache_dir: Path, name: str, key: str, export: Callable[[Path], None]) -> Any:
    """An onnxruntime session on ``cached_export``'s graph. A cached graph that no longer loads (a disk
    fault, a file cut short or edited by hand) is exported again once: it is derived from the packaged
    weights, and a damaged copy must not fail every answer."""
    graph = cached_export(cache_dir, name, key, export)
    try:
        return session(graph)
    except Exception as exc:  # onnxruntime's errors (InvalidProtobuf, Fail, InvalidGraph…) share no other base
        log.warning("the cached model graph %s does not load (%s); exporting it again", graph, exc)
    graph.unlink(missing_ok=True)
    graph = cached_export(cache_dir, name, key, export)
    try:
        return session(graph)
    except Exception as exc:
        raise AssistantError(f"the model graph {graph} does not load even exported anew ({exc}); reinstall the package") from exc


def export_module(module: Any, example: tuple[Any, ...], inputs: list[str], outputs: list[str], dynamic: dict[str, dict[int, str]], out: Path) -> None:
    """Write a torch module's graph to ``out``; ``dynamic`` names the axes whose size varies."""
    import torch

    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # torch announces the TorchScript exporter's deprecation at length
        # The TorchScript exporter (dynamo=False): the dynamo one needs onnxscript, which we do not ship.
        torch.onnx.export(
            module.eval(), example, str(out), input_names=inputs, output_names=outputs, dynamic_axes=dynamic,
            opset_version=17, dynamo=False,
        )  # fmt: skip


def session(path: Path) -> Any:
    """An onnxruntime session on the CPU."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # its warnings are about graph rewrites, not about our inputs
    # After a run, onnxruntime's worker threads spin waiting for the next one, by default for each session
    # apart. An answer runs three sessions in turn (the question's embedding, the shortlist's, the reader),
    # and on two cores each one's spinning took the CPU from the next: `ask` p50 on `eval/mixed.json`'s
    # questions 130 ms with spinning, 104 ms without; bulk embedding (ingest) is as fast either way.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def quantized(graph: Path, out: Path) -> None:
    """``graph`` with its weight matrices in int8, one scale per output channel (the answer reader's module
    docstring says what that costs in quality: one scale per tensor moved its probabilities 2.6× as much
    for no more speed)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # it advises "pre-processing" through the root logger on every call
    try:
        quantize_dynamic(graph, out, weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)
