"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions API, with scripted replies.

Tests queue ``Reply``s; each ``POST /v1/chat/completions`` takes the next one and is recorded, so a
test can check what was sent (the prompt) as well as what the assistant made of the reply. Requests
with ``"stream": true`` get server-sent events (``chat.completion.chunk`` objects, then ``[DONE]``),
written a few characters at a time with a pause, so deltas really arrive in pieces.

>>> with FakeOpenAI() as server:                                   # doctest: +SKIP
...     server.queue(Reply("Russia struck the depot [1]."))
...     settings = Settings(openai_api_key="k", openai_base_url=server.url + "/v1")
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One scripted response.

    ``content`` is the assistant message; ``status`` other than 200 sends an OpenAI error object;
    ``hang_s`` waits that long before answering; ``garbage`` sends a body that is not JSON (in a
    stream: a ``data:`` line that is not JSON); ``break_after`` streams that many chunks, then garbage.
    """

    content: str = ""
    status: int = 200
    hang_s: float = 0.0
    garbage: bool = False
    break_after: int | None = None
    chunk_chars: int = 12
    pause_s: float = 0.02


_GARBAGE = b'{"id": "chatcmpl-x", "choices": [{"message": '


class FakeOpenAI:
    """The server; use as a context manager. ``requests`` holds the JSON body of every chat request."""

    model = "fake-model"

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self._replies: list[Reply] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-openai", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def queue(self, *replies: Reply | str) -> None:
        with self._lock:
            self._replies.extend(r if isinstance(r, Reply) else Reply(r) for r in replies)

    def pending(self) -> int:
        with self._lock:
            return len(self._replies)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()  # wakes handlers that are hanging on purpose
        self._server.shutdown()
        self._server.server_close()

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            if not self._replies:
                return Reply(status=500, content="no scripted reply left")
            return self._replies.pop(0)

    def _sleep(self, seconds: float) -> None:
        self._closing.wait(seconds)


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            if self.path.rstrip("/") != "/v1/models":
                return self._json(404, _error("not found"))
            self._json(200, {"object": "list", "data": [{"id": fake.model, "object": "model", "owned_by": "tests"}]})

        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/v1/chat/completions":
                return self._json(404, _error("not found"))
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            reply = fake._next(body)
            fake._sleep(reply.hang_s)
            if fake._closing.is_set():
                return
            try:
                self._respond(reply, stream=bool(body.get("stream")))
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout); nothing to tell
                pass

        def _respond(self, reply: Reply, stream: bool) -> None:
            if reply.status != 200:
                return self._json(reply.status, _error(reply.content or "scripted failure"))
            if stream:
                return self._stream(reply)
            if reply.garbage:
                return self._send(200, "application/json", _GARBAGE)
            self._json(200, _completion(reply.content))

        def _stream(self, reply: Reply) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            pieces = [reply.content[i : i + reply.chunk_chars] for i in range(0, len(reply.content), reply.chunk_chars)]
            for number, piece in enumerate(pieces):
                if reply.garbage or number == reply.break_after:
                    return self._event(_GARBAGE)
                self._event(json.dumps(_chunk(piece)).encode())
                time.sleep(reply.pause_s)
            if reply.garbage:
                return self._event(_GARBAGE)
            self._event(json.dumps(_chunk(None, finish="stop")).encode())
            self._event(b"[DONE]")

        def _event(self, data: bytes) -> None:
            self.wfile.write(b"data: " + data + b"\n\n")
            self.wfile.flush()

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            self._send(status, "application/json", json.dumps(payload).encode())

        def _send(self, status: int, content_type: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _error(message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "server_error", "param": None, "code": None}}


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": FakeOpenAI.model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(piece: str | None, finish: str | None = None) -> dict[str, Any]:
    delta = {} if piece is None else {"role": "assistant", "content": piece}
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": FakeOpenAI.model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
