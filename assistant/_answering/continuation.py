""""Tell me more", "Go on", "What happened next?": the document read on from where the last answer stopped;
and "Where did you find that?": where its quotes are.

Such a request names nothing to retrieve by, and the answerer, given it with the question before, quoted
the same sentences again (on the seed article, "Tell me more." after "Why was the SOCAR depot hit?" gave
the same two sentences at 0.66). What a reader of the document means is the text that follows the
answer: quoted here from the stored document, right after the previous answer's last quote.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import islice

from assistant.answer import Answer
from assistant._answering.citations import Span, document_list, merge_adjacent, sentence_span
from assistant._answering.extractive import abstention, compose
from assistant._corpus import Corpus
from assistant._sentences import sentences_from

_GO_ON = re.compile(
    r"^\s*(?:(?:and|so|ok|okay|then)[\s,]+)?(?:please\s+)?"
    r"(?:tell me more|more|go on|continue|keep going|carry on|and then|then what|what next|after that"
    r"|what (?:happened|happens|came|comes) (?:next|then|after(?:wards| that)?))"
    r"(?:[\s,]+please)?\s*[?.!…]*\s*$",
    re.IGNORECASE,
)
#: How many sentences a continuation quotes: an answer's length, as "why" and "how" answers are.
_SENTENCES = 3


def asks_to_go_on(question: str) -> bool:
    """Whether ``question`` asks for what the document says after the previous answer."""
    return bool(_GO_ON.match(question))


def continuation(previous: Answer, question: str, corpus: Corpus) -> Answer:
    """The sentences that follow the previous answer's last quote in the document it first quoted. When it
    quoted nothing (it declined) or its document ends there, there is nothing to go on with: a refusal,
    not the refused question answered after all (asked again with "Tell me more", "What is the price of
    the gas deal?" got the deal's sentence at 0.39)."""
    if previous.abstained or not previous.citations:
        return _nothing_before(question, corpus)
    doc_id = previous.citations[0].doc_id
    last = max((c for c in previous.citations if c.doc_id == doc_id), key=lambda c: c.end)
    text = corpus.text(doc_id) or ""
    spans = [sentence_span(doc_id, sentence, 1.0) for sentence in islice(sentences_from(text, last.end), _SENTENCES)]
    if not spans:
        return abstention(f"{question} (the document ends there)", [], corpus)
    answer = compose(question, merge_adjacent(spans, {doc_id: text}), corpus)
    return replace(answer, question=f"{question} (what follows “{_opening_words(last.quote)}”)", confidence=1.0)


def _opening_words(quote: str, words: int = 8) -> str:
    """The quote's first words, enough to recognise it by: "Romanian officials suspected Russian sabotage…"."""
    split = quote.split()
    return " ".join(split[:words]) + ("…" if len(split) > words else "")


#: "Where did you find that?", "Which document is that from?", "What's your source?": where the previous
#: answer's quotes are.
_WHERE_FROM = re.compile(
    r"^\s*(?:(?:and|so|ok|okay)[\s,]+)?(?:"
    r"where did you (?:find|get|read|see) (?:that|this|it)(?: from)?|where (?:is|was) (?:that|this) (?:from|written)"
    r"|where does it say (?:that|so)|(?:which|what) (?:document|file|article|page|source|paper|post) (?:is|was|does) (?:that|this|it) (?:from|in|come from)"
    r"|what(?:['’]s| is| was) (?:the|your) sources?(?: for (?:that|this))?|sources?|cite (?:that|it|your sources?)"
    r")\s*[?.!]*\s*$",
    re.IGNORECASE,
)


def asks_where_from(question: str) -> bool:
    """Whether ``question`` asks where the previous answer came from."""
    return bool(_WHERE_FROM.match(question))


def sources_of(previous: Answer, question: str, corpus: Corpus) -> Answer:
    """The previous answer's quotes, each under its document's title and file: "From “Title” (file.md):
    quote [1]". The reader, asked "Where did you find that?", refused (0.33): the question names nothing a
    sentence could answer. A refusal before is one again: nothing was found."""
    if previous.abstained or not previous.citations:
        return _nothing_before(question, corpus)
    entries = [(c.doc_id, Span(c.doc_id, c.start, c.end, 1.0)) for c in previous.citations]
    lines, citations = document_list(entries, corpus, len(entries))
    return Answer(text="\n".join(["From:", *lines]), question=f"{question} (the answer before)", citations=citations, confidence=previous.confidence)


def _nothing_before(question: str, corpus: Corpus) -> Answer:
    """The refusal of a request about the answer before, when that answer quoted nothing."""
    return abstention(f"{question} (nothing was answered before)", [], corpus)
