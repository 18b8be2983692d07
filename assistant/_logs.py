"""Structured logging: one line per event, the message then ``key=value`` fields from ``extra``.

Set ``ASSISTANT_LOG_JSON=1`` to get one JSON object per line instead (for log collectors).
"""

from __future__ import annotations

import json
import logging
import os
import sys

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_NOISY = ("bm25s", "chromadb", "httpx", "httpcore", "onnxruntime", "transformers", "urllib3", "trafilatura", "openai")


def _fields(record: logging.LogRecord) -> dict[str, object]:
    return {key: value for key, value in vars(record).items() if key not in _STANDARD}


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname.lower():7} {record.name}: {record.getMessage()}"
        fields = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        return f"{line} {fields}".rstrip() + (f"\n{self.formatException(record.exc_info)}" if record.exc_info else "")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {"time": self.formatTime(record), "level": record.levelname.lower(), "logger": record.name}
        payload |= {"message": record.getMessage(), **_fields(record)}
        return json.dumps(payload, default=str)


def configure(verbose: bool = False) -> None:
    """Log to stderr at INFO (DEBUG with ``verbose``); third-party chatter only from WARNING up."""
    handler = logging.StreamHandler(sys.stderr)
    json_logs = os.environ.get("ASSISTANT_LOG_JSON", "").lower() in {"1", "true", "yes"}
    handler.setFormatter(JsonFormatter() if json_logs else KeyValueFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    handler.setLevel(root.level)  # some libraries (bm25s) set their own loggers to DEBUG on import
    for name in _NOISY:
        logging.getLogger(name).setLevel(logging.WARNING if verbose else logging.ERROR)
