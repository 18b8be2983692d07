"""The one settings object, filled from ``ASSISTANT_*`` environment variables and ``.env``.

Every default works offline: an embedded Chroma under ``.data/``, the packaged MiniLM model and the
extractive answerer. Setting ``OPENAI_API_KEY`` (and optionally ``OPENAI_BASE_URL``) turns on generated
answers; setting ``ASSISTANT_CHROMA_HOST`` points everything at a Chroma server instead.

>>> Settings(data_dir="/tmp/store", chunk_tokens=150).chunk_tokens
150
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import InvalidSettings

log = logging.getLogger(__name__)

#: all-MiniLM-L6-v2 reads 256 word pieces; ~210 cl100k tokens fill them (checked on the seed article and the
#: mixed corpus: cl100k needs 0.8-0.85 tokens per word piece on English prose). Longer chunks lose their tail.
EMBEDDING_WINDOW_TOKENS = 210


def _user_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


class Settings(BaseSettings):
    """Configuration for ingestion, retrieval and answering.

    Read from environment variables with the ``ASSISTANT_`` prefix (``ASSISTANT_DATA_DIR``,
    ``ASSISTANT_CHUNK_TOKENS``, ...) and from a ``.env`` file in the working directory; keyword
    arguments win over both. The OpenAI variables keep their usual names (``OPENAI_API_KEY``,
    ``OPENAI_BASE_URL``).
    """

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_file=".env", extra="ignore", populate_by_name=True
    )

    def __init__(self, **values: object) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:  # pydantic's report is a multi-line traceback in a CLI
            raise InvalidSettings(_describe(exc)) from None

    data_dir: Path = Field(Path(".data"), description="Where the embedded Chroma store lives.")
    collection: str = Field("documents", description="Chroma collection of chunks; documents go in '<name>_docs'.")
    corpus_dir: Path = Field(Path("seeds"), description="The folder the UI's re-ingest button reads.")
    chunk_tokens: int = Field(200, ge=32, description="Chunk size in cl100k tokens (title included).")
    chunk_overlap: int = Field(30, ge=0, description="Tokens shared by neighbouring chunks.")
    max_file_mb: float = Field(20.0, gt=0, description="Files larger than this are refused.")
    ingest_wait_s: float = Field(600.0, ge=0, description="How long an ingest waits for another one writing the same store.")
    chroma_host: str | None = Field(None, description="Chroma server host; unset means the embedded store.")
    chroma_port: int = Field(8000, description="Chroma server port.")
    chroma_timeout_s: float = Field(5.0, gt=0, description="How long to wait for a Chroma server.")
    top_k: int = Field(6, ge=1, le=50, description="Passages retrieved per question.")
    answer_threshold: float | None = Field(
        None, ge=0.0, le=1.0,
        description="Abstain when the answer verifier's confidence is below this (unset: the threshold shipped with the model).",
    )
    embed_batch_size: int = Field(16, ge=1, description="Texts per embedding call (16 measured fastest on 2 CPU cores).")
    model_cache_dir: Path = Field(
        default_factory=lambda: _user_cache() / "grounded-assistant",
        description="Where the embedding model's ONNX export is kept (made once, from the packaged weights).",
    )
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "ASSISTANT_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("OPENAI_BASE_URL", "ASSISTANT_OPENAI_BASE_URL")
    )
    llm_model: str = Field("gpt-4o-mini", description="Chat model name at the OpenAI-compatible endpoint.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Seconds before an LLM request is given up.")
    llm_context_window: int = Field(8192, ge=1024, description="The LLM's context window in tokens.")

    @field_validator("chroma_host", "openai_base_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _check_chunking(self) -> Settings:
        if self.chunk_overlap >= self.chunk_tokens:
            raise ValueError(
                f"chunk_overlap ({self.chunk_overlap}) must be smaller than chunk_tokens ({self.chunk_tokens})"
            )
        if self.chunk_tokens > EMBEDDING_WINDOW_TOKENS:
            log.warning(
                "ASSISTANT_CHUNK_TOKENS=%d is over the embedding model's window (~%d tokens): "
                "the end of each chunk will not be embedded and cannot be found by meaning",
                self.chunk_tokens,
                EMBEDDING_WINDOW_TOKENS,
            )
        return self

    @property
    def uses_llm(self) -> bool:
        """True when an OpenAI-compatible endpoint is configured for generated answers."""
        return self.openai_api_key is not None and bool(self.openai_api_key.get_secret_value())

    @property
    def keyword_index_dir(self) -> Path:
        """Where the store's BM25 index is kept between processes: always local, under ``data_dir``."""
        server = f"{self.chroma_host}-{self.chroma_port}-" if self.chroma_host else ""
        return self.data_dir / "bm25" / f"{server}{self.collection}"

    @property
    def max_file_bytes(self) -> int:
        """``max_file_mb`` in bytes: what ingest and uploads compare file sizes with."""
        return int(self.max_file_mb * 1_000_000)

    @property
    def store_description(self) -> str:
        """Where the store is, for messages: a server address or the embedded folder."""
        if self.chroma_host:
            return f"Chroma server at {self.chroma_host}:{self.chroma_port}"
        return f"embedded Chroma in {self.data_dir.resolve() / 'chroma'}"

    def public_view(self) -> dict[str, object]:
        """The effective settings as plain values, secrets masked, for ``assistant config``."""
        values = self.model_dump()
        key = self.openai_api_key.get_secret_value() if self.openai_api_key else ""
        values["openai_api_key"] = f"{key[:3]}…{key[-2:]}" if len(key) > 8 else ("***" if key else None)
        return {name: str(value) if isinstance(value, Path) else value for name, value in values.items()}


def _describe(error: ValidationError) -> str:
    """Each invalid value as its variable, the value and why: "ASSISTANT_TOP_K='abc' (should be a valid integer)"."""
    problems = []
    for item in error.errors():
        why = item["msg"].removeprefix("Value error, ")
        if not item["loc"]:  # a rule across fields (chunk overlap against chunk size): its message names them
            problems.append(why)
            continue
        name = str(item["loc"][0])
        variable = "OPENAI_" + name.removeprefix("openai_").upper() if name.startswith("openai_") else f"ASSISTANT_{name.upper()}"
        problems.append(f"{variable}={item.get('input')!r} ({why[:1].lower()}{why[1:]})")
    return "invalid settings: " + "; ".join(problems) + ". Fix the environment variable or .env entry (the README's Settings table lists every one)."
