"""Which documents mention something: "Which documents mention Firefox?", "What files talk about caching?".

The answerer quotes the sentence likeliest to answer a question, from whichever document holds it: asked
which documents, it named one at most. Here every stored document whose text writes the words is listed,
each with the first sentence holding them, quoted: the documents retrieval finds for the words first, then
those that only write them (a scan of the store for the words as written, up to ``SCANNED`` chunks).
"""

from __future__ import annotations

import re

from assistant.answer import Answer
from assistant._answering.citations import document_list, sentence_span
from assistant._answering.extractive import abstention
from assistant._answering.questions import content_words, stem_terms
from assistant._corpus import Corpus
from assistant._sentences import Sentence, split_sentences
from assistant.retrieval import Passage

_DOCUMENTS = r"(?:documents?|files?|articles?|pages?|papers?|sources?|texts?|pdfs?|posts?|notes)"
_MENTION = (
    r"(?:mentions?|names?|talks? about|discuss(?:es)?|covers?|refers? to|describes?|contains?|says? (?:anything|something) about"
    r"|(?:is|are) about|deals? with)"
)
_WHICH_MENTION = re.compile(
    rf"^\s*(?:(?:which|what|how many)\s+(?:of\s+(?:the|my|these)\s+)?{_DOCUMENTS}\s+{_MENTION}\s+(?P<topic>.+?)"
    rf"|(?:where|in (?:which|what) {_DOCUMENTS}) (?:is|are|was|were) (?P<mentioned>.+?) mentioned)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
#: How many chunks the scan for the words reads: enough for a store's documents that write them to show.
SCANNED = 200
#: The fewest words of a sentence of prose, quoted before a heading that only names the topic.
_PROSE_WORDS = 5
#: How many documents the answer quotes; the rest are counted.
_LISTED = 12


def mentioned_topic(question: str) -> str | None:
    """What ``question`` asks the documents mentioning, or None when it asks something else."""
    asked = _WHICH_MENTION.match(question)
    topic = (asked.group("topic") or asked.group("mentioned")) if asked else None
    return topic if topic and content_words(topic) else None


def mention_phrases(topic: str) -> list[tuple[str, ...]]:
    """The topic's words as a scan of the store finds them written (Chroma's ``$contains`` minds the case):
    as typed, in lower case and capitalised."""
    meaningful = set(content_words(topic))
    words = [w for w in re.findall(r"[\w.+#-]+", topic) if w.lower() in meaningful]
    return list(dict.fromkeys(tuple(form(w) for w in words) for form in (str, str.lower, str.capitalize))) if words else []


def answer_mentions(question: str, topic: str, passages: list[Passage], corpus: Corpus) -> Answer:
    """Each document of ``passages`` (in their order) writing every word of ``topic``, with the first
    sentence of its first passage holding them, quoted; a refusal when none does."""
    wanted = set(stem_terms(topic))
    mentions: dict[str, list[Sentence]] = {}
    for passage in passages:
        doc = corpus.document(passage.doc_id)
        if doc:
            mentions.setdefault(passage.doc_id, []).extend(_mentions(passage, wanted, doc.body_start))
    # A sentence of prose says how the document mentions it; a heading ("Firefox", "Kenya trip") only that it does.
    found = {
        doc_id: sentence_span(doc_id, next((s for s in sentences if len(s.text.split()) >= _PROSE_WORDS), sentences[0]), 1.0)
        for doc_id, sentences in mentions.items()
        if sentences
    }
    if not found:
        return abstention(question, [], corpus)
    lines, citations = document_list(list(found.items()), corpus, _LISTED)
    documents = "1 document mentions" if len(found) == 1 else f"{len(found)} documents mention"
    return Answer(text="\n".join([f"{documents} “{topic}”:", *lines]), question=question, citations=citations, confidence=1.0)


def _mentions(passage: Passage, wanted: set[str], body_start: int) -> list[Sentence]:
    """The passage's sentences of the body (not the header's title) holding every word wanted."""
    sentences = split_sentences(passage.text, offset=passage.start)
    return [s for s in sentences if s.start >= body_start and wanted <= set(stem_terms(s.text))]
