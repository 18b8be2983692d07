"""A grounded, conversational Q&A assistant over your documents.

>>> from assistant import Assistant
>>> answer = Assistant().ask("Why was the SOCAR depot hit?")   # doctest: +SKIP
>>> print(answer.text, [c.quote for c in answer.citations])     # doctest: +SKIP
"""

from assistant.answer import Answer, Citation
from assistant.chat import Conversation
from assistant.errors import AssistantError, EmptyStore, IngestError, LLMError, StoreUnavailable
from assistant.retrieval import Filters, Passage
from assistant.service import Assistant
from assistant.settings import Settings

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "Citation",
    "Conversation",
    "EmptyStore",
    "Filters",
    "IngestError",
    "LLMError",
    "Passage",
    "Settings",
    "StoreUnavailable",
]
