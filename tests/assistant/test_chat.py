"""Follow-ups read against the previous answer (``assistant.chat``), without a store or a model."""

from __future__ import annotations

import pytest

from assistant.answer import Answer, Citation
from assistant.chat import Turn, condense_offline, resolve_references

SENTENCE = (
    "At the end of July, Ukraine’s Naftogaz Group signed a deal with SOCAR Energy Ukraine to purchase Azerbaijani natural gas "
    "via the Trans-Balkan route through Bulgaria and Romania. Days later drones hit a gas distribution station."
)


def answered(quote: str, abstained: bool = False) -> list[Turn]:
    citation = Citation(index=1, title="t", source="s", path="p", published=None, quote=quote, start=0, end=len(quote))
    answer = Answer(text=f"{quote} [1]", question="Who signed a gas deal?", citations=[citation], abstained=abstained)
    return [Turn("Who signed a gas deal?", answer)]


@pytest.mark.parametrize(
    ("follow_up", "resolved"),
    [
        ("Which countries does that route pass through?", "Which countries does the Trans-Balkan route pass through?"),
        ("Who owns those routes?", "Who owns the Trans-Balkan route?"),
        ("Who runs this station?", "Who runs the gas distribution station?"),
        ("What does that group sell?", "What does Ukraine’s Naftogaz Group sell?"),
    ],
)
def test_a_demonstrative_becomes_the_phrase_the_previous_answer_names(follow_up: str, resolved: str) -> None:
    assert resolve_references(follow_up, answered(SENTENCE)) == resolved
    standalone, context = condense_offline(follow_up, answered(SENTENCE))
    assert standalone.startswith(resolved) and "Who signed a gas deal?" in standalone and context


@pytest.mark.parametrize(
    "follow_up",
    [
        "What did that deal cost?",  # "a deal": the answer says no more about it than the question does
        "Is this gas Russian?",  # "to purchase Azerbaijani natural gas": a verb's object, no article
        "Why does that matter?",  # not in the answer
        "What prompted that?",  # no noun
    ],
)
def test_a_demonstrative_the_previous_answer_does_not_name_more_fully_stays(follow_up: str) -> None:
    assert resolve_references(follow_up, answered(SENTENCE)) == follow_up


def test_a_refusal_or_no_earlier_turn_resolves_nothing() -> None:
    question = "Which countries does that route pass through?"
    assert resolve_references(question, answered(SENTENCE, abstained=True)) == question
    assert resolve_references(question, []) == question
