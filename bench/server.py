"""A real Chroma server on 127.0.0.1, started from the virtualenv's ``chroma`` command for one bench run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    pid: int


@contextmanager
def chroma_server(path: Path, timeout_s: float = 60.0) -> Iterator[Server]:
    """``chroma run --path PATH/db`` on a free port; stopped (terminate, then kill) on exit."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if not chroma:
        raise FileNotFoundError("the chroma command is missing: install the project (pip install -e .) into this virtualenv")
    path.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with open(path / "server.log", "wb") as log:
        process = subprocess.Popen(
            [chroma, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        try:
            _wait_for_port(port, process, timeout_s, path / "server.log")
            yield Server("127.0.0.1", port, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout_s: float, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chroma run exited with {process.returncode}; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"chroma run did not listen on port {port} within {timeout_s:.0f}s; see {log}")
