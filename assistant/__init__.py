"""A grounded, conversational Q&A assistant over your documents.

>>> from assistant import Assistant
>>> answer = Assistant().ask("Why was the SOCAR depot hit?")   # doctest: +SKIP
>>> print(answer.text, [c.quote for c in answer.citations])     # doctest: +SKIP

Names are imported on first use, so ``assistant --help`` and ``assistant config`` do not pay for
loading llama-index and torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.answer import Answer, Citation
    from assistant.chat import Conversation
    from assistant.errors import (
        AssistantError,
        EmptyStore,
        IngestError,
        InvalidGoldenSet,
        InvalidQuestion,
        InvalidSettings,
        LLMError,
        StoreUnavailable,
    )
    from assistant._corpus import StoredDocument
    from assistant.retrieval import Filters, Passage
    from assistant.service import Assistant
    from assistant.settings import Settings
    from ingest.pipeline import IngestReport

_HOMES = {
    "Answer": "assistant.answer",
    "Citation": "assistant.answer",
    "Conversation": "assistant.chat",
    "AssistantError": "assistant.errors",
    "EmptyStore": "assistant.errors",
    "IngestError": "assistant.errors",
    "InvalidGoldenSet": "assistant.errors",
    "InvalidQuestion": "assistant.errors",
    "InvalidSettings": "assistant.errors",
    "LLMError": "assistant.errors",
    "StoreUnavailable": "assistant.errors",
    "Filters": "assistant.retrieval",
    "Passage": "assistant.retrieval",
    "Assistant": "assistant.service",
    "Settings": "assistant.settings",
    "StoredDocument": "assistant._corpus",
    "IngestReport": "ingest.pipeline",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
