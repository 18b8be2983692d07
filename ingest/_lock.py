"""One writer at a time: the lock every ingest run holds while it changes a store.

Two runs writing one store used to destroy each other's work: a run's final clean-up deletes chunks
without a document record, which is exactly what another run's chunks are between its two writes.
The lock is an OS file lock (``flock``) on a file under ``data_dir``, so it is released when its
process ends in any way, kill -9 included, and never needs clearing by hand. It serialises the runs of
one machine (CLI, UI uploads, the Python API) against an embedded store or a server alike; writers on
other machines are covered by ``StoreWriter.remove_orphans`` only deleting chunks that were orphans
before the run began.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import IO

from assistant.errors import IngestError
from assistant.settings import Settings

log = logging.getLogger(__name__)

_POLL_S = 0.2


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """Hold the store's writer lock, waiting up to ``settings.ingest_wait_s`` for another run to finish.

    Raises ``IngestError`` naming the process that holds it when the wait runs out.
    """
    path = settings.data_dir / "locks" / f"ingest-{_store_key(settings)}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        _acquire(handle, settings)
        try:
            handle.truncate(0)
            handle.write(f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n")
            handle.flush()
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle: IO[str], settings: Settings) -> None:
    deadline = time.monotonic() + settings.ingest_wait_s
    said = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise IngestError(
                    f"another ingest ({_holder(handle)}) is still writing {settings.store_description}; "
                    f"waited {settings.ingest_wait_s:g} s (ASSISTANT_INGEST_WAIT_S). Try again when it has finished."
                ) from None
            if not said:
                log.warning("waiting for another ingest (%s) to finish writing %s", _holder(handle), settings.store_description)
                said = True
            time.sleep(_POLL_S)


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    return handle.read().strip() or "a process on this machine"


def _store_key(settings: Settings) -> str:
    """One lock per store: the embedded folder, or the server and collection."""
    where = f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str((settings.data_dir / "chroma").resolve())
    return hashlib.sha256(f"{where}/{settings.collection}".encode()).hexdigest()[:16]
