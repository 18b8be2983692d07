"""The public surface other code relies on: names, signatures and the shape of answers."""

from __future__ import annotations

import dataclasses
import functools
import inspect

import assistant


def test_exported_names_are_pinned() -> None:
    assert sorted(assistant.__all__) == [
        "Answer",
        "Assistant",
        "AssistantError",
        "Citation",
        "Conversation",
        "EmptyStore",
        "Filters",
        "IngestError",
        "IngestReport",
        "InvalidGoldenSet",
        "InvalidQuestion",
        "InvalidSettings",
        "LLMError",
        "Passage",
        "Settings",
        "StoreUnavailable",
        "StoredDocument",
    ]
    errors = [getattr(assistant, name) for name in assistant.__all__ if name.endswith(("Error", "Store", "Unavailable")) or name.startswith("Invalid")]
    assert all(issubclass(error, assistant.AssistantError) for error in errors) and len(errors) == 8
    for name in assistant.__all__:
        assert getattr(assistant, name).__doc__, f"{name} has no docstring"


def test_answer_and_citation_fields() -> None:
    assert [f.name for f in dataclasses.fields(assistant.Answer)] == [
        "text", "question", "citations", "abstained", "related", "warnings", "mode", "confidence",
    ]
    assert [f.name for f in dataclasses.fields(assistant.Citation)] == [
        "index", "title", "source", "path", "published", "quote", "start", "end", "page", "slide", "section",
        "score", "doc_id",
    ]
    assert isinstance(inspect.getattr_static(assistant.Citation, "location"), property)


def test_assistant_methods() -> None:
    methods = {name for name, _ in inspect.getmembers(assistant.Assistant, inspect.isfunction) if not name.startswith("_")}
    assert methods == {"ask", "stream", "chat", "retrieve", "documents", "document", "document_text", "ingest", "refresh"}
    properties = {name for name, _ in inspect.getmembers(assistant.Assistant, lambda m: isinstance(m, (property, functools.cached_property))) if not name.startswith("_")}
    assert properties == set(), "no store or library object is public"
    assert list(inspect.signature(assistant.Assistant.__init__).parameters) == ["self", "settings"]
    assert {"ask", "stream", "reset"} <= set(dir(assistant.Conversation))
