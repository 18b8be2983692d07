"""The offline answerer: composes an answer from retrieved sentences, or abstains.

Every sentence of the retrieved passages gets a cheap hand-set score (its passage's similarity to the
question, the question's rare words it holds, whether it holds the date or number asked for, its
passage's rank); the score only proposes a shortlist. The learned answer verifier (``verifier.py``)
reads the shortlist and decides: the sentences it trusts, in reading order, become the answer, each
cited to its exact span; when its confidence is below the threshold the documents do not answer the
question, and the answer says so instead of guessing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import takewhile
from typing import TYPE_CHECKING

import numpy as np

from assistant.answer import Answer
from assistant._answering.citations import Span, citation, merge_adjacent, sentence_span
from assistant._answering.questions import (
    CODE_NAME, QuestionProfile, bare_name, content_words, defined_subject, defines, described_subject, gives_reason,
    has_expected,
    holds_release_asked_for, is_entry_for, lacks_the_version_asked, lacks_what_is_asked, names_the_same, stem_terms, states_reason,
    truecased,
)
from assistant._answering.reader import passage_text
from assistant._answering.swaps import counted_otherwise, dated_otherwise, named_nowhere, named_otherwise, ordered_otherwise, owned_otherwise, said_by_another
from assistant._answering.verifier import JOIN_SHARE, Verifier, anchors_found, negation_matched, opposite_absent, says_the_opposite
from assistant._corpus import Corpus, StoredDocument
from assistant.retrieval import Passage, Retriever
from assistant._sentences import LIST_ITEM, Sentence, split_sentences

if TYPE_CHECKING:  # the embedding module is imported where the model is loaded (``_resources``)
    from assistant._embedding import Encoder

# Weights of the shortlist's hand-set score (what proposes candidates; the verifier decides).
W_DENSE, W_FOCUS, W_CONTEXT, W_TYPE, W_RANK = 0.50, 0.35, 0.10, 0.10, 0.05
#: Taken off a sentence without the date or number asked for.
W_MISSING_KIND = 0.2
MAX_SENTENCES = 3
_TABLE_CELLS = " | "
#: Candidates the verifier weighs per question: the gold sentence is among the hand-set score's top 8 for
#: 94% of SQuAD 2.0's answerable training questions (top 1: 76%, top 5: 91%, all: 96%).
SHORTLIST = 8

NO_ANSWER = "The documents do not answer this question."


@dataclass
class _Candidate:
    passage: Passage
    sentence: Sentence
    position: int
    heading: str = ""
    """The heading of the section holding the sentence, unless it only repeats the document's title."""
    heading_start: int = -1
    """Where ``heading`` starts in the document's text (-1 without one)."""
    opens_section: bool = False
    """Whether the sentence stands right under its heading, which it is then read after (``read_as``)."""
    row_label: str = ""
    """The label its line opens with ("inputs | ", "clean: ") when it is a row of a table or a definition
    list and the sentence is not the row's first (``_row_label``), which it is then read after."""
    terms: set[str] = field(init=False)
    """The stemmed words of ``read_as``: "95% of tasks begin execution within five seconds" names no
    latency, and held none of "What is the delivery latency of ATF?", at place 29 of the shortlist."""
    focus: float = 0.0
    coverage: float = 0.0
    context: float = 0.0
    typed: bool = True
    score: float = 0.0
    before: str = ""
    after: str = ""
    beside: tuple[str, str] = ("", "")
    """The sentences right before and after it in its document, across its chunk's edge when it opens or
    closes its chunk (not a heading, a question or a fragment): its neighbours when they are no candidates
    of its chunk (``_neighbours``)."""
    document: str = field(default="", repr=False)
    """Its document's whole text (the corpus's cached copy), where a follow-up's earlier names are looked for."""
    similarity: float = 0.0
    """Cosine of the sentence's and the question's embeddings (set for the shortlist only)."""
    verified: float = 0.0
    """The verifier's score: how likely this sentence is to be the answer."""

    def __post_init__(self) -> None:
        self.terms = set(stem_terms(self.read_as))

    @property
    def read_as(self) -> str:
        """The sentence as the reader reads it: after its heading when it stands right under it, as a
        definition is read after its term ("Delivery latency: 95% of tasks begin execution within five
        seconds…"; an FAQ's "How are caches invalidated? Every task records a hash of its inputs.", refused
        at 0.04 read alone, 0.70 so)."""
        if self.opens_section:
            return f"{self.heading}{' ' if self.heading[-1] in '.?!:' else ': '}{self.sentence.text}"
        return f"{self.row_label}{self.sentence.text}"


class ExtractiveAnswerer:
    def __init__(self, corpus: Corpus, retriever: Retriever, verifier: Callable[[], Verifier], sentence_encoder: Callable[[], Encoder]) -> None:
        """``verifier`` loads the verifier at the first answer: building a shortlist (what training reads
        to fit one) must not need a fitted one. ``sentence_encoder`` loads the model that embeds the
        shortlist's sentences (the embedding model in int8: ``quantized_encoder``)."""
        self.corpus = corpus
        self.retriever = retriever
        self._load_verifier = verifier
        self._sentence_vectors = _VectorCache(sentence_encoder)

    @cached_property
    def verifier(self) -> Verifier:
        return self._load_verifier()

    def answer(
        self, question: QuestionProfile, passages: list[Passage], besides: Collection[Quoted] = (), next_to: Collection[Quoted] = ()
    ) -> Answer:
        """The answer from ``passages``' sentences, none of them inside a span ``besides`` (what the
        conversation quoted already, when the question asks what else) and, given spans ``next_to`` (what
        the last answer quoted, when a follow-up asks about it alone: "When?"), one next to them."""
        # "the the the of and a", or words no document uses (another language): nothing to look for.
        if not any(self.retriever.knows(w) for w in content_words(question.standalone)):
            return abstention(question.text, [], self.corpus)
        shortlist = self.shortlist(question, passages, besides=besides)
        if not shortlist:
            return abstention(question.text, [], self.corpus)
        asked = truecased(question.standalone, [p.text for p in passages])
        judgement = self.verifier.judge(asked, [(reading(c), candidate_features(asked, c)) for c in shortlist])
        for candidate, score in zip(shortlist, judgement.scores):
            candidate.verified = score
        ranked = sorted(shortlist, key=lambda c: c.verified, reverse=True)
        best, confidence = ranked[0], judgement.confidence
        if _entries(question, ranked):
            confidence = 1.0  # looked up in the documents, as an abbreviation's expansion is
        if confidence < self.verifier.threshold or _asks_what_it_lacks(question, best) or (next_to and not _next_to(best, next_to)):
            closest = sentence_span(best.passage.doc_id, best.sentence, best.verified)
            return abstention(question.text, passages, self.corpus, confidence=confidence, closest=closest)
        chosen = self._choose(question, ranked)
        if definitions := _definitions(question, ranked):
            chosen = definitions[:2]
        texts = self._texts(chosen)
        read_on: list[Sentence] = []
        if question.expects == "reason" and not any(states_reason(c.sentence.text) for c in chosen):
            nearby = _nearby_reason(best, shortlist)
            chosen += nearby
            read_on = [] if nearby else _reason_after(best.sentence, texts[best.passage.doc_id])
        elif _reads_on_for_kind(question, chosen):
            read_on = _kind_after(question, best.sentence, texts[best.passage.doc_id])
        heading = _release_heading(question, chosen[0]) or _naming_heading(question, chosen[0])
        if heading:  # another release's item (another function's sentence) beside it would read as this one's
            chosen = [c for c in chosen if c.heading == chosen[0].heading]
        quoted = {
            (c.passage.doc_id, s.start): sentence_span(c.passage.doc_id, s, c.verified)
            for c in chosen
            for s in _with_introductions(c.sentence, texts[c.passage.doc_id])
        }
        if heading:
            quoted[(chosen[0].passage.doc_id, heading.start)] = heading
        for following in read_on:
            quoted[(best.passage.doc_id, following.start)] = sentence_span(best.passage.doc_id, following, best.verified)
        # Neighbouring sentences read on in the document's order; apart, the likeliest answer comes first:
        # "Where is Azerbaijan's embassy that was hit?" opened with the depot strike (0.60) before the
        # embassy's sentence, which came later in the article.
        spans = sorted(merge_adjacent(list(quoted.values()), texts), key=lambda span: -span.score)
        return replace(compose(question.text, spans, self.corpus), confidence=confidence)

    def _of_the_named_document(self, question: QuestionProfile, passages: list[Passage]) -> list[Passage]:
        """``passages`` of the one document the question names by its title or file name, when it names one
        of theirs and the others do not write that name: "What license is python-dotenv released under?" is
        not answered from Python's history ("…other software that is released under the GPL"), but "Who has
        final authority over the Node.js project?" is answered from Node.js's governance page, not only from
        its README, titled "Node.js": every page of a project's documentation names the project."""
        names = {p.doc_id: _name_in(question.text, self.corpus.document(p.doc_id)) for p in passages}
        named = [doc_id for doc_id, name in names.items() if name]
        if len(named) != 1:
            return passages
        name = re.compile(rf"(?<!\w){re.escape(names[named[0]] or '')}(?!\w)", re.IGNORECASE)
        if any(p.doc_id != named[0] and (name.search(p.text) or name.search(_SEPARATORS.sub(" ", p.text))) for p in passages):
            return passages
        return [p for p in passages if p.doc_id == named[0]]

    def shortlist(
        self, question: QuestionProfile, passages: list[Passage], size: int = SHORTLIST, besides: Collection[Quoted] = ()
    ) -> list[_Candidate]:
        """The ``size`` sentences of ``passages`` the hand-set score ranks highest, best first: what the
        verifier reads."""
        candidates = self._candidates(question, self._of_the_named_document(question, passages))
        if besides:
            candidates = [c for c in candidates if not _inside(c, besides)]
        self._score(question, candidates)
        ranked = sorted(candidates, key=lambda c: c.score, reverse=True)
        shortlist = ranked[:size]
        if (definitions := _definitions(question, ranked)) and definitions[0] not in shortlist:
            shortlist[-1] = definitions[0]
        self._measure_similarity(question.standalone, shortlist)
        return shortlist

    def _measure_similarity(self, question: str, shortlist: list[_Candidate]) -> None:
        """Each candidate's embedding similarity to the question: the words may differ ("unattacked",
        "had not been attacked"). The sentence is embedded as it is read, after its heading when it opens
        its section ("License: BSD3-Clause" is 0.42 like "What license does datewise use?", "BSD3-Clause"
        alone 0.10). The question's vector is retrieval's; only the shortlist's sentences are embedded (each
        alone, no slower than together: ``quantized_encoder``), and sentences seen before come from a cache."""
        asked = np.asarray(self.retriever.question_vector(question), dtype=np.float32)
        asked /= float(np.linalg.norm(asked)) or 1.0
        for candidate, vector in zip(shortlist, self._sentence_vectors.get([c.read_as for c in shortlist])):
            candidate.similarity = max(0.0, float(vector @ asked))

    def _candidates(self, question: QuestionProfile, passages: list[Passage]) -> list[_Candidate]:
        seen: set[tuple[str, int]] = set()
        candidates: list[_Candidate] = []
        documents_headings: dict[str, _Headings] = {}  # several passages often come from one document
        for passage in passages:
            title = _folded(passage.title)
            doc = self.corpus.document(passage.doc_id)
            body_start = doc.body_start if doc else 0
            text = self.corpus.text(passage.doc_id) or ""  # cached: sentences at the chunk's edges read it
            if passage.doc_id not in documents_headings:
                documents_headings[passage.doc_id] = _Headings(doc, text, title)
            headings = documents_headings[passage.doc_id]
            above = ""  # the sentence before, when it is a heading
            sentences = split_sentences(passage.text, offset=passage.start)
            for position, sentence in enumerate(sentences):
                is_heading = headings.is_heading(sentence)
                under, above = above, (sentence.text if is_heading else above if _before_the_prose(above, sentence.text) else "")
                key = (passage.doc_id, sentence.start)
                # The header (title, source, date) is answered from metadata; the title, often again as
                # the page's heading, matches every question about the document without answering any,
                # and so does a section's heading its section ("6.1. More on Modules" for "What is a module?").
                if key in seen or sentence.start < body_start or _folded(sentence.text) == title:
                    continue
                if is_heading and not _holds_the_date_asked_for(question, sentence.text):
                    continue
                if _ASKS.search(sentence.text):
                    continue
                heading_start, heading = headings.over(sentence)
                opens_section = bool(heading) and _folded(under) == _folded(heading)
                # A fragment says nothing alone, but a short line right under its heading is that heading's
                # value: "BSD3-Clause" under "License". A short sentence is not ("Yes." under an FAQ's
                # "Is there a debugger?", answered alone at 0.90): what follows it says what it means.
                if len(sentence.text) < _SHORTEST and not (opens_section and not _ENDS_SENTENCE.search(sentence.text)):
                    continue
                seen.add(key)
                label = "" if opens_section else _row_label(sentence, text)
                candidate = _Candidate(passage, sentence, position, heading, heading_start, opens_section, label, document=text)
                opens, closes = position == 0, position == len(sentences) - 1
                across = _beyond_the_chunk(sentence, text, body_start, headings) if opens or closes else ("", "")
                # The chunk's own neighbour too: one that retrieval's overlapping chunks made another chunk's
                # candidate (``seen``) was no sibling here, and "The following night, Russian strikes hit an
                # oil depot…" was read without "Romanian officials suspected…" before it (0.24, refused;
                # 0.70 so, as from the plain text, for "…the night after Romania's report?").
                candidate.beside = (
                    across[0] if opens else _neighbour_text(sentences[position - 1], headings),
                    across[1] if closes else _neighbour_text(sentences[position + 1], headings),
                )
                candidates.append(candidate)
        return candidates

    def _score(self, question: QuestionProfile, candidates: list[_Candidate]) -> None:
        focus_weights = {t: self.retriever.idf(t) for t in question.focus_terms}
        context_weights = {t: self.retriever.idf(t) for t in question.context_terms}
        by_passage: dict[str, list[_Candidate]] = {}
        for candidate in candidates:
            by_passage.setdefault(candidate.passage.chunk_id, []).append(candidate)
        for candidate in candidates:
            siblings = by_passage[candidate.passage.chunk_id]
            candidate.before, candidate.after = _neighbours(candidate, siblings)
            window = _window_terms(candidate, siblings) | _title_terms(candidate)
            candidate.focus = _coverage(focus_weights, candidate.terms)
            candidate.context = _coverage(context_weights, window) if context_weights else 0.0
            # A follow-up's own words are few ("What is it meant to support?"): earlier turns count half.
            candidate.coverage = _coverage({**{t: w / 2 for t, w in context_weights.items()}, **focus_weights}, window)
            candidate.typed = has_expected(question.expects, candidate.sentence.text, question.text, candidate.document)
            candidate.score = (
                W_DENSE * candidate.passage.dense_score
                + W_FOCUS * candidate.focus
                + W_CONTEXT * candidate.context
                + W_RANK / candidate.passage.rank
                + _kind_bonus(question.expects, candidate)
            )

    def _choose(self, question: QuestionProfile, ranked: list[_Candidate]) -> list[_Candidate]:
        """The best sentence, and those the verifier rates at least ``JOIN_SHARE`` as likely to answer: one
        more for a factual question, two more for "why" and "how", whose answers often take several. A
        sentence without the kind of thing asked for does not join one with it: "How much did Amazon pay
        for Whole Foods?" was answered "…$13.7 billion…" and "Whole Foods’ halibut deal opens a window into
        Amazon’s grocery strategy…" (0.35 beside 0.61). A table row (cells joined by " | ", as every
        loader writes them) is a whole record and answers alone, the row under it being another record, but
        for prose that states the value it gives (``_prose_agreeing``)."""
        best = ranked[0]
        if _TABLE_CELLS in best.sentence.text:
            return [best, *_prose_agreeing(question, best, ranked[1:])[:1]]
        room = MAX_SENTENCES if question.expects == "reason" or _HOW.match(question.text) else 2
        chosen = [best]
        covered = set(best.terms)
        for candidate in ranked[1:]:
            if len(chosen) == room or candidate.verified < best.verified * JOIN_SHARE:
                break
            if candidate.terms <= covered or (best.typed and not candidate.typed):
                continue
            chosen.append(candidate)
            covered |= candidate.terms
        return chosen

    def _texts(self, chosen: list[_Candidate]) -> dict[str, str]:
        return {c.passage.doc_id: self.corpus.text(c.passage.doc_id) or "" for c in chosen}


def _prose_agreeing(question: QuestionProfile, row: _Candidate, others: list[_Candidate]) -> list[_Candidate]:
    """Sentences of the row's document, not rows, that state a year or number the row gives and the
    question does not: a table row is a terse record ("Founded | February 28, 1998"), and the prose saying
    the same ("Mozilla is a free-software community, created in 1998 by members of Netscape.") tells what
    the row is about in words a reader can check it against. Only for dates and numbers, whose values match
    as written."""
    if question.expects not in _PATTERNED_KINDS:
        return []
    values = set(_VALUE.findall(row.sentence.text)) - set(_VALUE.findall(question.text))
    return [
        c for c in others
        if c.passage.doc_id == row.passage.doc_id and _TABLE_CELLS not in c.sentence.text and values & set(_VALUE.findall(c.sentence.text))
    ]


#: A value a row and a sentence can share: a year, or a number of two digits or more, whole ("2019." ends a
#: sentence; "2019.5" is another number).
_VALUE = re.compile(r"(?<![\w.])\d[\d,.]*\d(?!\w|\.\d)")


#: The kinds of answer whose presence the shortlist rewards (and whose absence it penalises): a date or a
#: number is written as one and found by a pattern. A name or a place often is not ("a consortium of
#: several contractors", "in nursing homes", "the south-east of Australia"): for those kinds the bonus put
#: the answer sentence in the top 8 for 89.4% of the SQuAD 2.0 pool's answerable questions asking for a
#: name and 89.4% asking for a place, and for 93.4% and 92.9% without it (the written questions' 13 and 10
#: of 18 and 16 became 16 and 11). For dates it keeps 13 of the written questions' 14 answers in the top 8
#: (10 without; the pool's 95.7%, 97.4% without), for numbers it is level. The verifier still reads
#: whether the sentence holds one of any kind.
_PATTERNED_KINDS = ("date", "number")


def _kind_bonus(expects: str | None, candidate: _Candidate) -> float:
    if expects == "reason":
        return W_TYPE if gives_reason(candidate.sentence.text) else 0.0
    if expects not in _PATTERNED_KINDS:
        return 0.0
    return W_TYPE if candidate.typed else -W_MISSING_KIND


def _before_the_prose(heading: str, line: str) -> bool:
    """Whether ``line`` may stand between ``heading``, naming code, and the prose that opens its section,
    which is then still read after the heading: a list item or a line that ends no sentence, as an API
    reference writes a function's parameters and return type first ("timeout.refresh()" / "- Returns:
    <Timeout> a reference to timeout" / "Sets the timer's start time to the current time…": read alone,
    the reader preferred the "Returns" line, 0.83). Under other headings the lines after a list or a
    line of code are no opening (a README's "Now you could run it with Python directly:")."""
    return bool(CODE_NAME.match(heading)) and (bool(LIST_ITEM.match(line.lstrip())) or not _ENDS_SENTENCE.search(line))


#: Characters a candidate sentence has at least, unless it is a value under its heading.
_SHORTEST = 12
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*$")
#: A sentence that asks: a transcript's "Bo Lind: How much did the repairs cost?", an FAQ's heading. It
#: repeats a question's words without answering it, and the reader, fine-tuned on SQuAD's prose (10 of the
#: pool's 47,174 candidates are questions, none an answer), rated it above the answer that follows.
_ASKS = re.compile(r"\?[\s\"'”’)\]]*$")


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _coverage(weights: dict[str, float], terms: set[str]) -> float:
    total = sum(weights.values())
    if not total:
        return 1.0
    return sum(w for t, w in weights.items() if t in terms) / total


def _release_heading(question: QuestionProfile, best: _Candidate) -> Span | None:
    """The heading over the best sentence, quoted first, when it holds the release asked for and the
    sentence does not: a changelog's "- Enable TCP_NODELAY for all synchronous sockets. (#651)" answers
    "Which release enabled TCP_NODELAY?" only under "0.17.2 (May 23th, 2023)"."""
    if not best.heading or holds_release_asked_for(question, best.sentence.text) or not holds_release_asked_for(question, best.heading):
        return None
    return Span(best.passage.doc_id, best.heading_start, best.heading_start + len(best.heading), best.verified + 1.0)


def _naming_heading(question: QuestionProfile, chosen: _Candidate) -> Span | None:
    """The heading over a chosen sentence, quoted before it, when the question asks which function (method,
    option, command…) does something and the heading names one the sentence does not: an API reference
    answers "Which function cancels a Timeout object?" with "Cancels a Timeout object created by
    setTimeout()." under the heading "clearTimeout(timeout)", and the name is the answer."""
    if not chosen.heading or not _ASKS_FOR_A_NAME.match(question.text) or bare_name(chosen.heading) in chosen.sentence.text.casefold():
        return None
    if not CODE_NAME.match(chosen.heading):
        return None
    return Span(chosen.passage.doc_id, chosen.heading_start, chosen.heading_start + len(chosen.heading), chosen.verified + 1.0)


#: "Which function cancels…", "What method of the Buffer class…", "Which command-line option…".
_ASKS_FOR_A_NAME = re.compile(
    r"^\s*(?:which|what)\s+(?:[\w-]+\s+){0,2}?(?:functions?|methods?|class(?:es)?|options?|commands?|propert(?:y|ies)|events?|"
    r"settings?|flags?|modules?|apis?|macros?|calls?|variables?|constants?|fields?|parameters?|arguments?|keys?|endpoints?|types?)\b",
    re.IGNORECASE,
)


def _name_in(question: str, doc: StoredDocument | None) -> str | None:
    """The name ``question`` calls ``doc`` by: its title as written ("Normans", not "force" for a page titled
    "Force"), or its file name in any case, "-" and "_" read as spaces ("python dotenv" for python-dotenv,
    "Charset Normalizer"); None when it names it by neither."""
    if doc is None:
        return None
    name = doc.file_name
    if len(doc.title) >= 3 and re.search(rf"(?<!\w){re.escape(doc.title)}(?!\w)", question):
        return doc.title
    if len(name) >= 3 and not any(w.isdigit() for w in name.split()) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", _SEPARATORS.sub(" ", question), re.I):
        return name
    return None


#: What a file's name reads as spaces (``StoredDocument.file_name``), read so in the question too.
_SEPARATORS = re.compile(r"[-_.]+")


def _definitions(question: QuestionProfile, candidates: list[_Candidate]) -> list[_Candidate]:
    """For "What is X?", those of ``candidates`` that say what X is, naming it as its subject, in their order.
    They are the answer (two at most, as for any factual question), without the others: "What is Mozilla?"
    was answered "Firefox is a web browser, and is Mozilla's flagship software product." (the reader,
    fine-tuned on SQuAD, whose questions rarely ask for a definition, gave "Mozilla is a free-software
    community, created in 1998…" 0.23). Of the SQuAD 2.0 pool's 457 questions
    of this form, one finds such a sentence in its passages, and it holds the answer."""
    subject = defined_subject(question.text)
    defining = [c for c in candidates if defines(c.sentence.text, subject)] if subject else []
    return defining or _entries(question, candidates) or _section_openings(question, candidates)


def _entries(question: QuestionProfile, candidates: list[_Candidate]) -> list[_Candidate]:
    """For "What does X do?", "What is X?" about a name in code, those of ``candidates`` that are a
    reference's entry for X ("-q, --quiet: Do not print the normal GNU bc welcome."): the documents' own
    word on it, looked up, not judged. The reader, fine-tuned on SQuAD's prose, gave that entry 0.20 for
    "What does the -q option do?", and an answer the line "bc takes the following options…" (0.16). Read
    from the standalone question: "And -l?" after it asks "What does the -l option do?"."""
    subject = described_subject(question.standalone)
    return [c for c in candidates if is_entry_for(c.sentence.text, subject)] if subject else []


def _section_openings(question: QuestionProfile, candidates: list[_Candidate]) -> list[_Candidate]:
    """For "What is X?", "What does X do?", "What does X return?", those of ``candidates`` that open the
    section headed X, past its parameters: an API reference names a function in its heading and describes
    it under it without naming it again ("timeout.refresh()" / "- Returns: <Timeout> a reference to
    timeout" / "Sets the timer's start time to the current time…"). The reader, fine-tuned on SQuAD's
    headless articles, preferred a line of example code naming the function ("What does path.join() do?":
    "path.join('foo', {}, 'bar');" at 0.63, the section's "The path.join() method joins all given path
    segments…" at 0.46) or the "Returns" line."""
    subject = described_subject(question.text)
    if not subject:
        return []
    return [c for c in candidates if c.opens_section and not _before_the_prose(c.heading, c.sentence.text) and names_the_same(c.heading, subject)]


def _window_terms(candidate: _Candidate, siblings: list[_Candidate]) -> set[str]:
    terms = set(candidate.terms)
    beside = {-1: candidate.beside[0], 1: candidate.beside[1]}
    for sibling in siblings:
        if (offset := sibling.position - candidate.position) in beside:
            terms |= sibling.terms
            del beside[offset]  # the same sentence, its words stemmed already (~25 µs a sentence)
    for text in beside.values():
        terms |= set(stem_terms(text))
    return terms


def _row_label(sentence: Sentence, document: str) -> str:
    """The label a row of a table or a definition list opens its line with, and its separator ("inputs | "
    in "inputs | given a list of targets, print…", "clean: " in "clean: remove built files. …"), when
    ``sentence`` is not the row's first: "Available since Ninja 1.11." says which tool is available only
    so, and each of a manual's tools has one such sentence; "Adding the -g flag also removes built files
    created by the generator." was not found for "What does the -g flag do for the clean tool?" (0.30)."""
    row = _ROW_LABEL.match(document, _line_start(sentence, document), sentence.start)
    return row.group() if row and not _TRANSCRIPT_SPEAKER.fullmatch(row.group()) else ""


#: A row's label: a short cell before " | ", or a term of at most four words before ": ".
_ROW_LABEL = re.compile(r"[^|\n]{1,40}? \| |[^\s:|][^\s:|]*(?: [^\s:|]+){0,3}: ")
#: A transcript's speaker ("Ann Roe: "), who says what follows but is not what it is about: read after the
#: name, "The harbour reopened on 3 May after nineteen days of repairs." outranked the cost's sentence.
_TRANSCRIPT_SPEAKER = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}: ")


def _neighbours(candidate: _Candidate, siblings: list[_Candidate]) -> tuple[str, str]:
    texts = {s.position: s.sentence.text for s in siblings}
    before, after = candidate.beside
    return texts.get(candidate.position - 1, before), texts.get(candidate.position + 1, after)


#: How far across a chunk's edge the sentence next to it is looked for.
_BEYOND_CHARS = 600


def _neighbour_text(neighbour: Sentence, headings: _Headings) -> str:
    """``neighbour``'s text, or nothing when it is a heading, a question or a fragment: none says what the
    sentence beside it is about."""
    if headings.is_heading(neighbour) or _ASKS.search(neighbour.text) or len(neighbour.text) < _SHORTEST:
        return ""
    return neighbour.text


def _beyond_the_chunk(sentence: Sentence, document: str, body_start: int, headings: _Headings) -> tuple[str, str]:
    """The sentences right before and after ``sentence`` in its ``document``, when they are in another
    chunk: where a chunk ends is arbitrary, and "Ukraine and Azerbaijan, he argues, are now two of Russia’s
    biggest irritants." opening one was read without "Kovalenko calls it…", the sentence naming "he"
    (refused at 0.29; answered at 0.66 where the chunk held both). Not a heading, the header, or a
    sentence the window may have cut."""
    start = max(body_start, sentence.start - _BEYOND_CHARS)
    before = split_sentences(document[start : sentence.start], offset=start)
    end = min(len(document), sentence.end + _BEYOND_CHARS)
    after = split_sentences(document[sentence.end : end], offset=sentence.end)

    def whole(found: list[Sentence], index: int, window_edge_reached: bool) -> str:
        if not found or (len(found) < 2 and not window_edge_reached):
            return ""
        return _neighbour_text(found[index], headings)

    return whole(before, -1, start == body_start), whole(after, 0, end == len(document))


def _introduced(sentence: Sentence, document: str) -> list[Sentence]:
    """What a sentence ending in ":", "..." or "," introduces: the next sentence ("Run the following to test
    Rich output on your terminal:" then "python -m rich"; "Addresses are specified in the following syntax,"
    then "protocol/host:port"), or the list starting there, up to ``MAX_LIST_ITEMS``
    items ("The httpcore package has the following dependencies..." then "- h11", "- certifi"). The
    answer is in them, not in the sentence, which is all the verifier reads. They are read from the
    ``document``'s text, not the sentence's chunk: a chunk may end right after "The motivation for
    httpcore is:", its list starting the next one."""
    if not _INTRODUCES.search(sentence.text):
        return []
    following = split_sentences(document[sentence.end : sentence.end + _INTRODUCED_CHARS], offset=sentence.end)
    if not following or not LIST_ITEM.match(following[0].text):
        return following[:1]
    return list(takewhile(lambda s: LIST_ITEM.match(s.text), following[:MAX_LIST_ITEMS]))


def _with_introductions(sentence: Sentence, document: str) -> list[Sentence]:
    """A chosen sentence with what introduces it (or what its opening pronoun stands for) and what it
    introduces or names the instances of, as the answer quotes them."""
    before = _introducing(sentence, document) or _antecedent(sentence, document) or _row_opening(sentence, document)
    return [*before, sentence, *(_introduced(sentence, document) or _instances(sentence, document))]


def _row_opening(sentence: Sentence, document: str) -> list[Sentence]:
    """For a sentence further along a table's row or a definition, the row's first sentence, which holds its
    label: the reader read "Normally, bzip2 will not overwrite existing output files." after "-f --force: "
    (``_row_label``), and the answer to "Which flag forces bzip2 to overwrite existing files?" quoted it
    without the flag."""
    if not _row_label(sentence, document):
        return []
    line_start = _line_start(sentence, document)
    return split_sentences(document[line_start : sentence.start], offset=line_start)[:1]


def _line_start(sentence: Sentence, document: str) -> int:
    return document.rfind("\n", 0, sentence.start) + 1


def _instances(sentence: Sentence, document: str) -> list[Sentence]:
    """The sentence after ``sentence`` in its paragraph when it names what ``sentence`` speaks of: "For
    languages used in multiple territories…, fontconfig includes per-territory orthographies." then "This
    includes Azerbaijani, Kurdish, Pashto, Tigrinya and Chinese.", which answers "Which languages get
    per-territory orthographies?" and shares none of its words."""
    return _following_that(sentence, document, lambda text: bool(_NAMES_INSTANCES.match(text)))


#: A sentence naming the instances of what the one before it speaks of.
_NAMES_INSTANCES = re.compile(r"\W*(?:This|These|They|Those|Such\s+[\w-]+)\s+(?:includes?|included)\b")


#: A blank line: where a paragraph ends.
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _following_that(sentence: Sentence, document: str, holds: Callable[[str], bool]) -> list[Sentence]:
    """The sentence after ``sentence`` in its paragraph, when ``holds`` says its text does what is wanted of
    it (names instances, states a reason, holds the kind asked for)."""
    following = _next_in_paragraph(sentence, document)
    return [following] if following and holds(following.text) else []


def _next_in_paragraph(sentence: Sentence, document: str) -> Sentence | None:
    """The sentence after ``sentence`` in ``document``, unless a paragraph ends between them."""
    following = split_sentences(document[sentence.end : sentence.end + _INTRODUCED_CHARS], offset=sentence.end)
    if not following or _PARAGRAPH_BREAK.search(document, sentence.end, following[0].start):
        return None
    return following[0]


def _antecedent(sentence: Sentence, document: str) -> list[Sentence]:
    """For a sentence opening with a pronoun, the sentence before it in its paragraph, which says what the
    pronoun stands for: "What is the fastest growing area in the pharmaceutical industry?" was answered "It
    is currently the fastest growing sector…", the specialty pharmacies it means named only in the sentence
    before. Of the SQuAD 2.0 pool's answers 7% open so; for 5 of the 16 wrong ones the sentence before
    holds the answer."""
    if not _REFERS_BACK.match(sentence.text):
        return []
    earlier = _sentences_before(sentence, document)
    window_start = sentence.start - _MAX_INTRODUCING_CHARS
    if not earlier or (window_start > 0 and earlier[-1].start == window_start):
        return []  # the window starts inside that sentence
    return [earlier[-1]] if "\n" not in document[earlier[-1].start : sentence.start] else []


def _sentences_before(sentence: Sentence, document: str) -> list[Sentence]:
    """The sentences in the ``_MAX_INTRODUCING_CHARS`` before ``sentence`` (the first may be cut)."""
    start = max(0, sentence.start - _MAX_INTRODUCING_CHARS)
    return split_sentences(document[start : sentence.start], offset=start)


def _introducing(sentence: Sentence, document: str) -> list[Sentence]:
    """For a line of code or a list's item, the sentence right before its block when it ends in ":" and so
    says what the code does or what the list is: "Control the number of threads used by the underlying
    runtime libraries…:" over ">>> from threadpoolctl import threadpool_limits", which alone was the answer to
    "What does threadpoolctl limit?"; "psutil currently supports the following platforms:" over "- Sun
    Solaris", alone the answer to "Does psutil support Solaris?". Prose keeps its own words: a sentence
    ending in ":" before it may introduce a picture ("The above produces the following output:")."""
    if _CODE_LINE.search(sentence.text):
        in_block = _CODE_LINE.search  # the code's first line may be further up
    elif LIST_ITEM.match(sentence.text):
        in_block = LIST_ITEM.match  # and the list's first item
    else:
        return []
    for earlier in reversed(_sentences_before(sentence, document)):
        if not in_block(earlier.text):
            return [earlier] if earlier.text.endswith(":") else []
    return []


def _nearby_reason(best: _Candidate, candidates: list[_Candidate]) -> list[_Candidate]:
    """For "why": a sentence next to the best one that gives a reason, since articles often state the
    event in one sentence and its cause in the one before or after; in the same section, as the one before
    a heading answers another question ("Why is there no plugin system?" took "Another is tooling, since
    every language in use here has a parser for it." from the section before)."""
    nearby = [c for c in candidates if _near(c, best) and c.heading == best.heading and states_reason(c.sentence.text)]
    return sorted(nearby, key=lambda c: (c.passage.chunk_id != best.passage.chunk_id, abs(c.position - best.position), -c.score))[:1]


def _reason_after(sentence: Sentence, document: str) -> list[Sentence]:
    """For "why", when no candidate beside the best one gives a reason: the sentence right after it in its
    paragraph, when that one does. The shortlist holds the sentences sharing the question's words, and the
    reason that follows a statement often shares none: "Maintainers should not override the Debian Python
    interpreter using /usr/bin/env name." is followed by "This is not advisable as it bypasses Debian's
    dependency checking…", which the shortlist left out."""
    return _following_that(sentence, document, states_reason)


def _reads_on_for_kind(question: QuestionProfile, chosen: list[_Candidate]) -> bool:
    """Whether the question asks for a kind of thing (a number, a date, a name, a place) that none of the
    answer's sentences holds, so that the answer reads on for it (``_kind_after``)."""
    return question.expects not in (None, "reason") and not any(c.typed for c in chosen)


def _kind_after(question: QuestionProfile, sentence: Sentence, document: str) -> list[Sentence]:
    """When no sentence of the answer holds the kind of thing asked for: the next one in its paragraph, when
    it holds one and goes on about the same subject ("It…", "They…") or gives a word of the question that
    the answer's sentence lacks. "Who runs the npmjs.com website?" was answered "- https://npmjs.com: The
    npmjs website that you interact with using a web browser.", the next sentence of that item ("It is a
    Node.js program… maintained and operated by Isaac…") left out; "What is the default maximum depth of
    the template stack?" was answered "--maxdepth VALUE: Adjust the maximum depth of the template stack…"
    without "The default is 3000."."""
    lacking = set(question.focus_terms) - set(stem_terms(sentence.text))

    def completes(text: str) -> bool:
        goes_on = bool(_REFERS_BACK.match(text)) or not lacking.isdisjoint(stem_terms(text))
        return goes_on and has_expected(question.expects, text, question.text, document)

    return _following_that(sentence, document, completes)


def _near(candidate: _Candidate, best: _Candidate) -> bool:
    """Whether ``candidate`` is within two sentences of ``best`` in its chunk, or right beside it across the
    chunk's edge: where a chunk ends is arbitrary, and "Apparently, at least in part because the Kremlin had
    no interest…" was left out of "Why has Russia failed to bring about agreements…?" when the seed
    article's header, stored as text in a Word copy, moved the edge between it and the sentence before."""
    if candidate.passage.chunk_id == best.passage.chunk_id:
        return 0 < abs(candidate.position - best.position) <= 2
    return candidate.passage.doc_id == best.passage.doc_id and candidate.sentence.text in (best.before, best.after)


class _VectorCache:
    """Normalised embeddings of texts, the most recent few thousand kept: a conversation keeps asking
    about the same passages."""

    _SIZE = 4096

    def __init__(self, encoder: Callable[[], Encoder]) -> None:
        self._load_encoder = encoder
        self._vectors: dict[str, np.ndarray] = {}

    @cached_property
    def _encoder(self) -> Encoder:
        return self._load_encoder()

    def get(self, texts: list[str]) -> list[np.ndarray]:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if len(self._vectors) + len(missing) > self._SIZE:
            self._vectors.clear()
            missing = list(dict.fromkeys(texts))
        if missing:
            self._vectors.update(zip(missing, self._encoder.encode(missing)))
        return [self._vectors[t] for t in texts]


def candidate_context(candidate: _Candidate) -> str:
    """What surrounds a candidate sentence: its document's title (and its section's heading) and its
    neighbours in the passage."""
    return f"{_titled(candidate)}: {candidate.before} … {candidate.after}".strip()


#: A span of a document an answer quoted: (doc_id, start, end).
Quoted = tuple[str, int, int]


#: How far from a quote a sentence still stands next to it: the sentence before or after it, or the one
#: after that ("One day later, Jamie Zawinski from Netscape registered mozilla.org." answers "When?" with the
#: sentence before it, "On January 23, 1998, Netscape made two announcements…").
NEXT_TO_CHARS = 400


def _next_to(candidate: _Candidate, spans: Collection[Quoted]) -> bool:
    sentence = candidate.sentence
    return any(
        doc_id == candidate.passage.doc_id and start - NEXT_TO_CHARS <= sentence.end and sentence.start <= end + NEXT_TO_CHARS
        for doc_id, start, end in spans
    )


def _inside(candidate: _Candidate, spans: Collection[Quoted]) -> bool:
    sentence = candidate.sentence
    return any(doc_id == candidate.passage.doc_id and start <= sentence.start and sentence.end <= end for doc_id, start, end in spans)


def reading(candidate: _Candidate) -> str:
    """The candidate as the reader reads it (the same in training and when answering)."""
    return passage_text(candidate.read_as, candidate_context(candidate))


def candidate_features(question: str, candidate: _Candidate) -> tuple[float, ...]:
    """The signals the verifier weighs (``verifier.FEATURES``): the same in training and when answering."""
    window = _window(candidate)
    return (
        candidate.focus,
        candidate.coverage,
        anchors_found(question, window, candidate.document),
        negation_matched(question, candidate.sentence.text),
        max(0.0, candidate.passage.dense_score),
        candidate.similarity,
        1.0 / candidate.passage.rank,
        1.0 if candidate.typed else 0.0,
        opposite_absent(question, candidate.sentence.text, window),
    )


def _window(candidate: _Candidate) -> str:
    """The sentence as the signals see it: under its title and heading, between its neighbours."""
    return " ".join((_titled(candidate), candidate.before, candidate.sentence.text, candidate.after))


def _paragraph_window(candidate: _Candidate) -> str:
    """``_window`` without a neighbour from another paragraph: a question word there says nothing of the
    sentence. "Who was the first civilian governor of the Florida Territory?" was answered by "…Andrew
    Jackson, the first military governor of the Florida Territory…" (0.38), since the next paragraph opens
    "…a major military and civilian deep-water port"."""
    document, sentence = candidate.document, candidate.sentence
    start = max((m.end() for m in _PARAGRAPH_BREAK.finditer(document, 0, sentence.start)), default=0)
    end = _PARAGRAPH_BREAK.search(document, sentence.end)
    paragraph = document[start : end.start() if end else len(document)]
    beside = [text for text in (candidate.before, candidate.after) if text and text in paragraph]
    return " ".join((_titled(candidate), *beside, sentence.text))


def _asks_what_it_lacks(question: QuestionProfile, best: _Candidate) -> bool:
    """Whether the best sentence lacks what the question names (``lacks_what_is_asked``; read with the next
    sentence that completes it, ``_kind_after``: "--maxvars VALUE: Maximum number of variables." then "The
    default is 15000.", which the answer quotes too) or the version it asks
    for (``lacks_the_version_asked``: a changelog's heading may give it), says the opposite of a question word
    its neighbourhood lacks (``says_the_opposite``), or dates, counts, orders or owns what it speaks of
    otherwise than the question (``dated_otherwise``, ``counted_otherwise``, ``ordered_otherwise``: before or
    after it, ``owned_otherwise``; a document's own date dates each of its sentences), names another in the place of a name the question gives
    (``named_otherwise``), stands in a document that never names it or a program it names in lower case
    (``named_nowhere``), or gives the words of another speaker than the one asked about (``said_by_another``).
    Rules, not signals: the verifier's training questions rarely ask for what their article does not say. The
    opposite is a signal too, but too rare (1.8% of the pool's candidates) for the decision to weigh it fully:
    "The strong force is due to the exchange of what?" was answered by "The weak force is due to the exchange
    of the heavy W and Z bosons." Over the SQuAD 2.0 pool's best sentences answered at the threshold, the
    signal's opposites hold for 23 unanswerable questions and no answer; over the written questions, for none."""
    sentence, window = best.sentence.text, _window(best)
    published = (best.passage.published or "")[:4] if best.passage.dated_by == "document" else ""
    read_on = _kind_after(question, best.sentence, best.document) if _reads_on_for_kind(question, [best]) else []
    completed = " ".join([sentence, *(s.text for s in read_on)])
    return (
        lacks_what_is_asked(question.text, completed, best.document)
        or lacks_the_version_asked(question.text, window)
        or says_the_opposite(question.text, sentence, _paragraph_window(best))
        or dated_otherwise(question.text, sentence, f"{window} {published}")
        or counted_otherwise(question.text, sentence, window)
        or ordered_otherwise(question.text, sentence)
        or owned_otherwise(question.text, sentence, window)
        or said_by_another(question.text, sentence)
        or named_otherwise(question.text, sentence, window)
        or named_nowhere(question.text, window, best.document)
    )


def _holds_the_date_asked_for(question: QuestionProfile, heading: str) -> bool:
    """A heading that holds the date or number asked for answers: a changelog's "Version 1.0.9 (April
    24th, 2025)" for "When was version 1.0.9 released?"."""
    return question.expects in ("date", "number") and has_expected(question.expects, heading, question.text)


def _title_terms(candidate: _Candidate) -> set[str]:
    return set(stem_terms(_titled(candidate)))


def _titled(candidate: _Candidate) -> str:
    """The title a sentence is read under: its document's, and its section's heading when it has one. A
    heading says what its section's sentences are about, as a title does for a document's, and an FAQ's
    heading is the very question its section answers ("Why are Python strings immutable?" over "One is
    performance: …"), though, asking, it is no candidate itself."""
    return f"{candidate.passage.title} › {candidate.heading}" if candidate.heading else candidate.passage.title


class _Headings:
    """A document's section headings as its text writes them: which sentence is one, and which one a sentence
    stands under. A transcript's sections are the times its turns start ("00:01:06") and a workbook's its
    sheets, named for citations but not written where they start: they head nothing here."""

    def __init__(self, doc: StoredDocument | None, text: str, title: str) -> None:
        sections = ((doc.body_start + start, heading) for start, heading in doc.sections) if doc else ()
        self._written = [(start, heading) for start, heading in sections if text.startswith(heading, start)]
        self._starts = [start for start, _ in self._written]
        self._lengths = {start: len(heading) for start, heading in self._written}
        self._title = title

    def is_heading(self, sentence: Sentence) -> bool:
        return len(sentence.text) <= self._lengths.get(sentence.start, -1)

    def over(self, sentence: Sentence) -> tuple[int, str]:
        """(start, heading) of the section holding ``sentence``, unless the heading only repeats the
        document's title: (-1, "")."""
        place = bisect.bisect_right(self._starts, sentence.start)
        start, heading = self._written[place - 1] if place else (-1, "")
        return (-1, "") if _folded(heading) == self._title else (start, heading)


_INTRODUCES = re.compile(r"(?::|\.\.\.|…|,)\s*$")
#: List items an answer quotes after the sentence introducing them.
MAX_LIST_ITEMS = 5
#: How far after an introducing sentence its list is looked for: five long items.
_INTRODUCED_CHARS = 2000
#: A sentence opening with a pronoun that points back ("It is…", "They…", "This has given…", "His or her role…").
_REFERS_BACK = re.compile(r"(?:It|They|He|She|This|These|Those|Its|Their|His|Her)\b")
#: How far before a line of code or a list's item the sentence introducing it is looked for (and before a
#: sentence opening with a pronoun, the one it points back to).
_MAX_INTRODUCING_CHARS = 600
#: A line of code: a prompt or a command, a statement ending in ";" or a brace, a bare call, a C condition
#: or a preprocessor line.
_CODE_LINE = re.compile(
    r"^\s*(?:>>>|\.\.\.\s|\$ |pip3? install |npm |cargo |python3? -m |import \w|from [\w.]+ import )"
    r"|^(?=.*[(=]).*[;{}]\s*$|^\s*[\w.]+\([^)]*\)\s*;?\s*$"
    r"|^\s*(?:if|for|while|switch)\s*\(|^\s*#\s*(?:if|ifdef|ifndef|elif|else|endif|include|define)\b"
)
_HOW = re.compile(r"^\s*(and\s+)?how\b(?! (many|much|long|far|old|big|large|often)\b)", re.IGNORECASE)


#: A document's own footnote markers ("7 [9] paintings"): in the answer they would read as ours and point
#: at nothing, so the answer leaves them out; the citation's quote keeps the exact text.
_DOCUMENT_MARKER = re.compile(r"\s?\[\d{1,3}\]")


def compose(question: str, spans: list[Span], corpus: Corpus) -> Answer:
    """An answer quoting ``spans`` in the order given, each followed by its ``[n]`` marker."""
    citations = [citation(i, corpus, span) for i, span in enumerate(spans, start=1)]
    text = " ".join(f"{_DOCUMENT_MARKER.sub('', c.quote)} [{c.index}]" for c in citations)
    return Answer(text=text, question=question, citations=citations)


def abstention(
    question: str,
    passages: list[Passage],
    corpus: Corpus,
    warnings: list[str] | None = None,
    confidence: float = 0.0,
    closest: Span | None = None,
) -> Answer:
    """"The documents do not answer this", with the closest passages offered as related reading only.

    ``closest``: the sentence the verifier found likeliest to answer, shown first. It declines about one
    real answer in five on SQuAD articles it never saw, and for half of those that sentence holds the
    answer: the user can still find it."""
    spans = [closest] if closest else []
    for passage in passages[:2]:
        sentences = split_sentences(passage.text, offset=passage.start)
        if sentences:
            first = sentences[0] if len(sentences) == 1 else max(sentences[:3], key=lambda s: len(s.text))
            spans.append(Span(passage.doc_id, first.start, first.end, passage.score))
    distinct: list[Span] = []
    for span in spans:
        if all((span.doc_id, span.start) != (d.doc_id, d.start) for d in distinct):
            distinct.append(span)
    related = [citation(i, corpus, span) for i, span in enumerate(distinct[:2], start=1)]
    return Answer(text=NO_ANSWER, question=question, abstained=True, related=related, warnings=warnings or [], confidence=confidence)
