"""Errors a user should see, each saying what went wrong and what to do.

    AssistantError
    ├── StoreUnavailable      the Chroma server cannot be reached (names host and port)
    ├── EmptyStore            nothing has been ingested yet
    ├── IngestError           a whole ingest run cannot start (missing folder, ...)
    ├── InvalidQuestion       an empty question, or one that is not text
    ├── InvalidSettings       an ASSISTANT_* / OPENAI_* value that cannot be used (names the variable)
    ├── InvalidGoldenSet      a golden Q&A file that cannot be used (names the file and case)
    └── LLMError              the OpenAI-compatible endpoint failed (names the endpoint)

Per-file ingest problems are not exceptions: they are reported in the ingest summary and the run goes
on. A question the documents do not answer is not an error either: it is an ``Answer`` with
``abstained=True``.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class of every error this package raises on purpose."""


class StoreUnavailable(AssistantError):
    """The Chroma server did not answer."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        self.host, self.port = host, port
        super().__init__(
            f"Chroma server at {host}:{port} is unreachable ({reason}). Start it with "
            f"`chroma run --host {host} --port {port}`, or unset ASSISTANT_CHROMA_HOST to use the embedded store."
        )


class EmptyStore(AssistantError):
    """The collection holds no documents yet."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"No documents have been ingested into the {where}. Add some with `assistant ingest FOLDER` "
            "(for example `assistant ingest seeds`)."
        )


class IngestError(AssistantError):
    """An ingest run cannot start at all."""


class InvalidQuestion(AssistantError, ValueError):
    """The question is empty or not valid text (also a ``ValueError``, as it was before it had a name)."""


class InvalidSettings(AssistantError, ValueError):
    """A setting's value cannot be used; the message names the variable (also a ``ValueError``, which
    pydantic's validation error was)."""


class InvalidGoldenSet(AssistantError, ValueError):
    """A golden set file is missing, not JSON, or has a malformed case; the message names file and case."""


class LLMError(AssistantError):
    """The language-model endpoint failed; the caller falls back to extractive answers."""

    def __init__(self, endpoint: str, reason: str) -> None:
        self.endpoint = endpoint
        super().__init__(f"LLM endpoint {endpoint} failed: {reason}")
