"""Conversations: memory of earlier turns, and follow-ups rewritten into standalone questions.

Offline, a follow-up ("What prompted it?", "And when?") is recognised by its references to earlier
turns (pronouns, a leading "and", a bare question word, nothing named) and completed with the previous standalone
question, which retrieval and scoring then use as context. A demonstrative whose noun the previous
answer names with more words ("that route" after an answer saying "via the Trans-Balkan route") is
replaced by them. With an LLM configured, the rewrite is llama-index's condense step instead (see
``assistant._answering.generative``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.answer import Answer, Citation
from assistant._answering.abbreviations import abbreviation_asked
from assistant._answering.continuation import asks_to_go_on
from assistant._answering.metadata import asked_field, asks_about_a_document_alone
from assistant._answering.questions import (
    CODE_NAME, FOLLOWING_UP, POSSESSIVE, STOPWORDS, asks_only_the_kind, content_words, described_subject, expected_answer, names_in, stem,
    stem_terms, stems,
)
from assistant._sentences import split_sentences

_REFERENCE = re.compile(
    r"\b(it|its|it's|that|this|these|those|they|them|their|theirs|he|him|his|she|her|hers|there|then|the same|"
    r"such|former|latter|both|either|neither)\b",
    re.I,
)
_DEMONSTRATIVE = re.compile(r"\b(?:that|this|these|those)\s+([A-Za-z][\w-]*)", re.I)
_PERSONAL = re.compile(r"\b(he|she|him|his|her)\b", re.I)
_IT = re.compile(r"\b(?:it|its)\b", re.I)
_THEY = re.compile(r"\b(?:they|them|their)\b", re.I)
#: "there" as a place ("How many people live there?"), not as in "Is there…", "there are".
_THERE = re.compile(r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )\bthere\b(?!\s+(?:is|are|was|were|be|been)\b|['’]s\b)", re.I)
#: "Where is Warsaw?", "Where was the Petrobazi refinery?": a question about one place, which "it" is next.
_WHERE_IS = re.compile(r"^\s*where\s+(?:is|was)\s+(?P<place>(?:the\s+)?[A-Z][^?]*?)\s*\??\s*$", re.I)
#: "What are ctenophores?", "Who were the Normans?", "What is a private school?": what "they" is next.
_WHAT_ARE = re.compile(r"^\s*(?:what|who)\s+(?:are|were)\s+(?P<group>[^?]+?)\s*\??\s*$", re.I)
_WHAT_IS_ONE = re.compile(r"^\s*what\s+(?:is|was)\s+an?\s+(?P<one>[^?]+?)\s*\??\s*$", re.I)
#: "Who is Oleksandr Kovalenko?" is about the person it names; "Who announced legal action over the AZAL
#: jet?" is not (its person is in the answer), nor about AZAL.
_WHO_IS = re.compile(r"^\s*who\s+(?:is|was)\b", re.I)
#: A question asking who did something: its person is in the answer ("Who signed the deal?", "Which
#: president imposed the embargo?"), not in the question, as with "Who is Oleksandr Kovalenko?".
_ASKS_FOR_SOMEONE = re.compile(r"^\s*(?:and\s+)?(?:who(?!\s+(?:is|was)\b)|which\s+(?:person|president|minister|official|leader|editor|analyst|king|queen|emperor|general))\b", re.I)
_WORD = re.compile(r"[\w’'-]+")
_ARTICLES = frozenset({"the", "a", "an"})
#: Words of a noun phrase kept before its noun ("the full-scale Russian invasion" at most).
_MODIFIERS = 3
# "And when?", "Why?", "How so?": a question word and at most two more words.
_CONTINUATION = re.compile(r"^\s*(?:(?:and|but|so)\s+)?(?:why|when|where|who|how|what)(?:\s+\w+){0,2}\s*\??\s*$", re.I)
#: "Who is Kovalenko?", "Where is Odesa?", "What is SOCAR?": short, but about the name they ask about.
_ABOUT_A_NAME = re.compile(r"^\s*(?i:(?:who|what|where)(?:['’]s|\s+is|\s+was|\s+are|\s+were))\s+[A-Z]")


@dataclass(frozen=True)
class Turn:
    question: str
    answer: Answer


def is_follow_up(question: str) -> bool:
    """Whether ``question`` leans on earlier turns to be understood: it refers back ("it", "that",
    "and when?"), is a question word and hardly more ("Why?", "And where?"), or names nothing (no name,
    number or date) to anchor it. A question naming something with few words of its own ("What happened on
    August 7?", "Who is Kovalenko?") stands alone."""
    # A name in code anchors a question as a capitalised one does: "What does os.homedir() return?", "What
    # does the -q option do?".
    anchored = any(word[:1].isupper() or any(ch.isdigit() for ch in word) or CODE_NAME.match(word) for word in question.split()[1:])
    return refers_back(question) or not anchored


def refers_back(question: str) -> bool:
    """Whether ``question`` points at an earlier turn: a reference ("it", "that route"), a leading "and"
    ("And when?"), or a question word and hardly more ("Why?"), unless about a name ("Who is Kovalenko?")."""
    starts_with_and = bool(re.match(r"^\s*(and|but|also|what about|how about)\b", question, re.I))
    return (
        bool(_REFERENCE.search(question))
        or starts_with_and
        or (bool(_CONTINUATION.match(question)) and not _ABOUT_A_NAME.match(question))
    )


def changes_subject(question: str, subject_before: Iterable[str], known: Callable[[str], bool]) -> bool:
    """Whether ``question``, naming nothing and referring to nothing before it, is about something else
    than the turn before (``subject_before``: its question and the documents its answer quotes): at least
    two of its own words are ones the documents write (``known``), and half of those or more are not in
    that subject. "How does the immune system protect against bacteria?" after "Who founded Harvard?" is
    not about Harvard: asked "(following up on: Who founded Harvard?)" it was refused at 0.19, asked
    alone it is answered at 0.70. "Which route will the gas take?" after "What did Naftogaz sign?" is
    about the deal the answer quoted ("…natural gas via the Trans-Balkan route…"), and "What was the
    outcome?" has one word of its own, too few to tell: both stay follow-ups. Nor does a question about
    the document itself: "Who wrote the paper?" after "What is TraceMonkey?" asks about the paper the
    answer quoted ("wrote" is no word of its; asked alone among six documents, it was refused)."""
    if refers_back(question) or not is_follow_up(question) or asked_field(question) is not None:
        return False  # refers back; names something (it stands alone anyway); or asks about the document
    own = [word for word in dict.fromkeys(content_words(question)) if known(word)]
    if len(own) < 2:
        return False
    before = frozenset().union(*map(_terms_of, subject_before))
    return 2 * sum(stem(word) not in before for word in own) >= len(own)


@lru_cache(maxsize=16)  # keyed by whole texts, which the corpus caches too: a few documents, not the store
def _terms_of(text: str) -> frozenset[str]:
    """The stemmed content words of ``text``, each stemmed once: a paper's 8,000 words took 46 ms a turn,
    and a conversation asks of the same documents turn after turn."""
    return frozenset(stems(set(content_words(text))))


def condense_offline(question: str, history: list[Turn]) -> tuple[str, str]:
    """(standalone question, context) for retrieval; the context is empty for a self-contained question.

    The context is the conversation's last self-contained question (what it is about) and the turn just
    before (what "it" most likely points at): "Where was it?" after "Who did it belong to?" after "What
    did Russian strikes hit ...?" needs both. The question's demonstratives are resolved against the
    previous answer first (``resolve_references``). A follow-up with no words of its own ("When did that
    happen?", "Why?") also carries what the previous answer said (``_what_was_said``). A question about a
    document it names ("Who wrote the npm post-mortem?") stands alone, and a question about the
    stored documents as a whole ("What documents do you have?") is about no one thing a question after it
    could lean on: "When does the ferry leave?" after it was asked "(following up on: What documents do you
    have?)" and refused."""
    history = [turn for turn in history if asked_field(turn.question) != "collection"]
    if not history or not is_follow_up(question) or asks_about_a_document_alone(question):
        return question, ""
    anchor = next((t.question for t in reversed(history) if not is_follow_up(t.question)), history[0].question)
    if instead := _asked_instead(question, history):
        return instead, anchor  # the earlier question about another name: self-contained, nothing to add
    resolved = resolve_references(question, history).strip()
    earlier = [*dict.fromkeys([anchor, history[-1].question]), *filter(None, [_what_was_said(question, resolved, history)])]
    context = " ".join(earlier)
    return f"{resolved}{FOLLOWING_UP}{' / '.join(earlier)})", context


#: "What about Azerbaijan?", "And Zelenskyy?", "How about the United States?": the question before, about
#: another name.
_INSTEAD = re.compile(r"^\s*(?:and|but|what about|how about)\s+(?P<name>[^?]+?)\s*\?*\s*$", re.I)
#: "And when?", "But why?": a question word where "What about…?" would name a thing.
_ASKING_WORD = re.compile(r"^(?:when|where|why|who|whom|whose|what|which|how|it|this|that|they|he|she)\b", re.I)
_NAME_WORDS = re.compile(r"^(?:the\s+)?[A-Z][\w’'.-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w’'.-]*)*$")


def _asked_instead(question: str, history: list[Turn]) -> str | None:
    """The previous question with its one name replaced by the name ``question`` asks about instead:
    "What about Azerbaijan?" after "Which systems could Turkey supply?" is "Which systems could
    Azerbaijan supply?", "And -l?" after "What does the -q option do?" is "What does the -l option do?".
    None unless ``question`` is only a name and the previous question, as it was asked (self-contained),
    names exactly one of its kind (a name in code for a name in code)."""
    found = _INSTEAD.match(question)
    if not found:
        return None
    name = found.group("name")
    before = history[-1].answer.question or history[-1].question
    if FOLLOWING_UP in before:
        return None
    if _is_code_word(name):
        names = [word for word in _CODE_WORD.findall(before) if _is_code_word(word)]
    elif _NAME_WORDS.match(name):
        names = names_in(before)
    else:
        return None
    return before.replace(names[0], name, 1) if len(names) == 1 else None


def _is_code_word(word: str) -> bool:
    """Whether ``word`` is one name in code: "-q", "--warn", "os.EOL", "refresh()"."""
    return not any(c.isspace() for c in word) and bool(CODE_NAME.match(word))


#: A word as a name in code is written, up to the punctuation after it.
_CODE_WORD = re.compile(r"[^\s?,;]+(?<![.:])")


#: At most this many words of the previous answer are carried: the reader reads 96 word pieces and never
#: cuts the question, so each word carried is one fewer of the candidate sentence it can read.
_SAID_WORDS = 40


def _what_was_said(question: str, resolved: str, history: list[Turn]) -> str:
    """The first sentence the previous answer quotes, when ``question`` has at most one word of its own
    once its references are ``resolved``: "that" in "When did that happen?" is what that sentence says
    ("The following night, Russian strikes hit an oil depot belonging to Azerbaijan’s SOCAR…"), which the
    previous question ("What happened to the SOCAR oil depot?") does not. "Who discovered it?" after "What
    is oxygen?" is "Who discovered oxygen?": carrying "Oxygen is a chemical element with symbol O…" too,
    retrieval missed the discovery's passage. After a refusal, what the latest answer said: "When was that?"
    after "What happened to the AZAL passenger jet?" and a refused "How many passengers were on board?" is
    about the jet. Empty if nothing was answered."""
    asked = [turn.question for turn in history]
    answered = [n for n, turn in enumerate(history) if not turn.answer.abstained and turn.answer.citations]
    if not answered or len(_words_of_its_own(question, resolved, history)) > 1:
        return ""
    last = history[answered[-1]]
    # A header line (a date, a site) says nothing "that" could be; a question about the document itself
    # is answered from the questions that name the document, not from an answer's words.
    if asked_field(last.question, asked[: answered[-1]]) or asked_field(question, asked):
        return ""
    words = split_sentences(last.answer.citations[0].quote)[0].text.split()
    return " ".join(words[:_SAID_WORDS]) + (" …" if len(words) > _SAID_WORDS else "")


def _own_terms(question: str) -> list[str]:
    """The question's content words other than its references to earlier turns."""
    return stem_terms(_REFERENCE.sub(" ", question))


def _words_of_its_own(question: str, resolved: str, history: list[Turn]) -> list[str]:
    """The content words of ``question`` once its references are ``resolved``, less those a "that" standing
    alone was resolved to (``resolve_references``): "When did that happen?" asks about the last answer, as
    "When?" does, whatever the question before it asked."""
    own = _own_terms(resolved)
    if asks_only_the_kind(own):  # "On what date?" asks what "When?" asks
        return []
    if not history or not _that_alone(question, history[-1]):
        return own
    said = set(stem_terms(_what_was_asked(history[-1].question)))
    return [term for term in own if term not in said]


#: "What else?", "Anything else?", "Who else?", "Any others?": the question before, asked again.
_ELSE_ALONE = re.compile(
    r"^\s*(?:(?:and|so|ok|okay)[\s,]+)?(?:(?:is|was|are|were) there\s+)?"
    r"(?:(?:what|who|where|which|when|how|why|anything|something|anyone|anybody)\s+else|any\s+others?|others?)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
#: "What else did Russia do?", "Who else signed?": the question without "else".
_ELSE = re.compile(r"^\s*(?:(?:and|so)\s+)?(?P<asking>what|who|whom|where|which|when|how|why)\s+else\b\s*(?P<rest>.*)$", re.IGNORECASE)


def asked_again(question: str, history: list[Turn]) -> tuple[str, list[Turn]] | None:
    """What "What else?" asks, and in which conversation: the question before (the latest that was not a
    "what else" itself) as it was asked, in the conversation it was asked in; "What else did Russia do?"
    is "What did Russia do?", here; after "Tell me more", "What else?" is another "Tell me more". The
    answer is then looked for among the sentences not quoted yet (``quoted_so_far``): the reader, given
    "What else?", quoted the same sentences again. None for any other question."""
    if _ELSE_ALONE.match(question):
        for turn in range(len(history) - 1, -1, -1):
            asked = history[turn].question
            if asks_to_go_on(asked):  # after "Tell me more", more of the document: read on from the last answer
                return asked, history
            if not _ELSE_ALONE.match(asked):
                return _without_else(asked), history[:turn]
        return None
    if _ELSE.match(question):
        return _without_else(question), history
    return None


def _without_else(question: str) -> str:
    other = _ELSE.match(question)
    return f"{other.group('asking')} {other.group('rest')}".strip() if other else question


#: Two questions in one: "Who is Kovalenko and where did he publish his article?", "Who signed the deal and
#: when?". The second opens with a question word and a verb ("and what other county?" asks one question,
#: as 24 of the 25 questions of the golden sets, the SQuAD 2.0 pool and the written ones joining "and" to
#: a question word do), or is a question word alone; the first has three words or more ("Where and when
#: did…?" is one question).
_COMPOUND = re.compile(
    r"^(?P<first>(?:\S+\s+){2,}\S*\w)[,;]?\s+and\s+"
    r"(?P<second>(?:what|who|whom|where|when|why|how|which)(?:\s+\w+)?\s+"
    r"(?:did|does|do|is|was|were|are|can|could|will|would|has|have|had|should)\b.*|(?:when|where|why|how)\s*\?*)\s*$",
    re.IGNORECASE,
)


def split_compound(question: str) -> tuple[str, str] | None:
    """The two questions of a question asking two, each as a question: the second is a follow-up to the
    first ("he" is Kovalenko, "when?" is when the deal was signed). None for a question asking one."""
    both = _COMPOUND.match(question)
    if not both:
        return None
    second = both.group("second").strip().rstrip("?.! ")
    return f"{both.group('first')}?", f"{second[:1].upper()}{second[1:]}?"


def joined(first: Answer, second: Answer, asked: tuple[str, str]) -> Answer:
    """The answers to a compound question's two parts (``asked``) as one: both quoted, the second's
    citations numbered on from the first's (a passage the first quoted already is not quoted again: one
    sentence often answers both), the lower confidence; a part the documents do not answer is named in a
    warning (refused both, it is a refusal)."""
    question = f"{first.question} / {second.question}"
    if first.abstained and second.abstained:
        return replace(first, question=question)
    if first.abstained or second.abstained:
        answered, refused = (second, asked[0]) if first.abstained else (first, asked[1])
        return replace(answered, warnings=[*answered.warnings, f"The documents do not answer “{refused}”"], question=question)
    if second.citations and _overlaps(second.citations[0], first.citations):
        # The second part's likeliest sentence was quoted for the first ("Who signed the deal and when?":
        # "At the end of July, Naftogaz signed…"); what joined it would read as the second part's answer.
        return replace(first, question=question, confidence=min(first.confidence or 0.0, second.confidence or 0.0))
    text, citations = second.text, []
    for citation in second.citations:
        if _overlaps(citation, first.citations):
            text = text.replace(f"{citation.quote} [{citation.index}]", "", 1)
        else:
            citations.append(citation)
    numbers = {c.index: len(first.citations) + n for n, c in enumerate(citations, start=1)}
    # A marker follows its quote after a space; a footnote mark inside a quote ("in 1998.[3]") does not.
    text = _MARKER.sub(lambda m: f"[{numbers[int(m.group(1))]}]" if int(m.group(1)) in numbers else m.group(0), text)
    return replace(
        first,
        text=" ".join(filter(None, (first.text, re.sub(r" {2,}", " ", text).strip()))),  # where a quote was taken out
        question=question,
        citations=[*first.citations, *(replace(c, index=numbers[c.index]) for c in citations)],
        warnings=[*first.warnings, *second.warnings],
        confidence=min(first.confidence or 0.0, second.confidence or 0.0),
    )


def _overlaps(citation: Citation, others: list[Citation]) -> bool:
    return any(c.doc_id == citation.doc_id and c.start < citation.end and citation.start < c.end for c in others)


_MARKER = re.compile(r"(?<= )\[(\d+)\](?=\s|$)")


def asked_of_the_last_answer(question: str, resolved: str, history: list[Turn]) -> set[tuple[str, int, int]]:
    """(doc_id, start, end) of the last answer's quotes when ``question`` is a follow-up with no words of its
    own once its references are ``resolved`` (``resolve_references``): "When?", "Why?", "Toward whom?",
    "When did that happen?". It asks about what that answer said, so its answer stands beside it. Asked
    "When?" after "What could Turkey supply to Ukraine?" (answered with the sentence naming the Bofors guns,
    which gives no date), "…in the early hours of August 6, Russian forces launched…", three paragraphs
    away, was answered at 0.76. Empty otherwise."""
    if not history or not is_follow_up(question) or _words_of_its_own(question, resolved, history):
        return set()
    last = history[-1].answer
    return set() if last.abstained else {(c.doc_id, c.start, c.end) for c in last.citations}


def quoted_so_far(history: list[Turn]) -> set[tuple[str, int, int]]:
    """(doc_id, start, end) of every passage the conversation's answers quoted."""
    return {(c.doc_id, c.start, c.end) for turn in history for c in turn.answer.citations}


def resolve_references(question: str, history: list[Turn]) -> str:
    """``question`` with its first "he/she/his/her" replaced by the person the conversation is about
    (``_person_meant``), else its first "it/its" by what the question before asked to be defined
    (``_thing_meant``), its first "they/them/their" by the things it asked about (``_group_meant``), and
    each "that/this/these/those NOUN" by the fuller phrase the previous answer
    names that noun with: "Which countries does that route pass through?" after an answer quoting
    "...gas via the Trans-Balkan route through Bulgaria..." becomes "Which countries does the
    Trans-Balkan route pass through?", which the sentence naming the route's countries matches word for
    word. A noun the answer names bare ("a deal"), without an article or not at all leaves the
    demonstrative as it is."""
    if not history:
        return question
    if instead := _asked_instead(question, history):
        return instead
    if person := _person_meant(history):
        question = _PERSONAL.sub(lambda match: _as_pronoun_was(person, match, question), question, count=1)
    if thing := _thing_meant(history):
        question = _IT.sub(lambda match: f"{thing}'s" if match.group().lower() == "its" else thing, question, count=1)
    if (where := _WHERE_IS.match(history[-1].question)) and _THERE.search(question):
        # "How many people live there?" after "Where is Warsaw?": "…people lived in Warsaw…" at 0.56, 0.74 so asked
        question = _THERE.sub(f"in {where.group('place')}", question, count=1)
    if group := _group_meant(history):
        question = _THEY.sub(lambda match: _possessive(group) if match.group().lower() == "their" else group, question, count=1)
    if history[-1].answer.abstained:
        return question
    answered = " ".join(c.quote for c in history[-1].answer.citations)

    def fuller(match: re.Match[str]) -> str:
        phrase = _named_phrase(match.group(1), answered)
        return phrase or match.group(0)

    question = _DEMONSTRATIVE.sub(fuller, question)
    said = _what_was_asked(history[-1].question)
    that = _that_alone(question, history[-1]) if said else None
    return f"{question[: that[0]]}{said}{question[that[1] :]}" if that else question


_AUXILIARY = r"(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b"
#: "that" or "this" standing for what the last answer said, not before a noun: "Why does that matter?",
#: "Why does the Kremlin dislike that?", "Is this true?".
_THAT_ALONE = re.compile(
    rf"\b(?:that|this)\b(?=\s*[?.!]|\s*$|\s+(?:{_AUXILIARY}|might|may|must|matters?|mean|means|happen|happened|happens)\b)",
    re.I,
)
#: "that" after an auxiliary, before a word in lower case: "How would that help Kyiv?", "Could that change the
#: outcome?" (before a name, "that" is the name's: "Did that Russian strike hit Odesa?").
_THAT_AFTER_AUXILIARY = re.compile(rf"\b{_AUXILIARY}\s+(?P<that>that)\s+(?P<next>(?-i:[a-z]+))\b", re.I)


def _that_alone(question: str, before: Turn) -> tuple[int, int] | None:
    """Where "that" in ``question`` stands for what the answer ``before`` said (``_THAT_ALONE``), or, after an
    auxiliary, is the subject of the verb after it: "How would that help Kyiv?" after "What is Baku
    considering?" asks how lifting the embargo would help (refused at 0.28, "help" read as the noun of
    "that help"). Not when the answer writes the word after it: "does that route pass…" after an answer
    naming "a route" bare points at the route."""
    if alone := _THAT_ALONE.search(question):
        return alone.span()
    verb = _THAT_AFTER_AUXILIARY.search(question)
    if not verb or before.answer.abstained:
        return None
    answered = " ".join(c.quote for c in before.answer.citations)
    return None if re.search(rf"\b{re.escape(verb.group('next'))}\b", answered, re.I) else verb.span("that")


#: What opens a question and says nothing of what it is about: its question word ("how" with its measure)
#: and the auxiliary after it, or the auxiliary a yes-no question opens with.
_ASKING = re.compile(
    r"^\s*(?:(?:and|so|but)\s+)?"
    r"(?:(?:how(?:\s+(?:fast|much|many|long|often|far|big|large|old|soon|well))?|what|which|who|whom|whose|when|where|why)\s+)?"
    rf"{_AUXILIARY}\s*",
    re.I,
)


def _what_was_asked(question: str) -> str:
    """What ``question`` asked about, without its question word and auxiliary: "the npm registry growing on
    disk" for "How fast is the npm registry growing on disk?". A "that" standing alone in the question
    after it ("Why does that matter?") is what the answer said of it: the answerer looks for the question's
    own words, and "matter" alone found nothing in "…run compaction on each master since the registry is
    growing ~10GB per week on disk" (0.16). Empty when the question word is its subject ("What happened to
    the depot?", "Who signed the deal?"): "that" is then the event the answer tells of ("When was that?"),
    which the answer's sentence, carried, says better than "happened to the depot"."""
    asking = _ASKING.match(question)
    return question[asking.end() :].strip(" ?.!") if asking else ""


def _thing_meant(history: list[Turn]) -> str | None:
    """What the latest earlier question asked to be defined, described or spelled out: "it" in "What does
    it stand for?" after "What is ATF?" is ATF, and the question, so read, is answered by "Async Task
    Framework (ATF)" (refused at 0.30 with "it"); in "What does it return?" after "What does path.join()
    do?", path.join(). An "it" the question before asked about means what it meant there: "Where does it
    start?" after "Which countries does it flow through?" after "What is the Rhine?" asks about the Rhine
    (refused at 0.23 with "it"). After "What about the Newcomen engine?" it is that engine ("How efficient
    was it?" was answered about steam engines in general). None after any other question: "it" may be
    anything its answer named."""
    before = history[-1].question
    if (instead := _INSTEAD.match(before)) and not _ASKING_WORD.match(instead.group("name")):
        return instead.group("name")
    if where := _WHERE_IS.match(before):  # "When was it destroyed?" after "Where is Warsaw?"
        return where.group("place")
    subject = abbreviation_asked(before) or (None if _WHO_IS.match(before) else described_subject(before))
    if subject is None or _IT.search(subject):  # "What is its population?" asks about what "its" meant
        return _thing_meant(history[:-1]) if len(history) > 1 and _IT.search(before) else None
    with_article = re.search(rf"\b(?:the|an?)\s+{re.escape(subject)}", before, re.IGNORECASE)  # "the Trans-Balkan route"
    return with_article.group() if with_article else subject


def _group_meant(history: list[Turn]) -> str | None:
    """What "they" is after a question asking what some things are: "Where did they come from?" after
    "Who were the Normans?" asks about the Normans, "How are they funded?" after "What is a private
    school?" about private schools (refused at 0.27 with "they", answered at 0.76 so). A "they" the
    question before asked about means what it meant there. None after any other question: "they" may
    be any people or things its answer named."""
    before = history[-1].question
    group = _WHAT_ARE.match(before)
    if group and len(group.group("group").split()) <= _GROUP_WORDS and not _THEY.search(group.group("group")):
        return group.group("group")
    if (found := _WHAT_IS_ONE.match(before)) and len(found.group("one").split()) <= _GROUP_WORDS:
        return _plural(found.group("one"))
    return _group_meant(history[:-1]) if len(history) > 1 and _THEY.search(before) else None


#: Words at most in what "they" can stand for: "What are the systems Turkey could supply to Ukraine?" asks
#: about systems it names more fully than "they" would be read.
_GROUP_WORDS = 3


def _plural(noun_phrase: str) -> str:
    """"private school" as "private schools", "ctenophore" as "ctenophores", "colony" as "colonies"."""
    if re.search(r"(?:s|x|z|ch|sh)$", noun_phrase):
        return f"{noun_phrase}es"
    if re.search(r"[^aeiou]y$", noun_phrase):
        return f"{noun_phrase[:-1]}ies"
    return f"{noun_phrase}s"


def _possessive(noun_phrase: str) -> str:
    return f"{noun_phrase}'" if noun_phrase.endswith("s") else f"{noun_phrase}'s"  # as "its" becomes "ATF's"


def _person_meant(history: list[Turn]) -> str | None:
    """The one name in the latest earlier question that names anyone: "Which outlet did he write for?"
    after "Who is Oleksandr Kovalenko?" asks about Kovalenko, and the reader, which reads only the
    question and a sentence, then finds him in "…says analyst Oleksandr Kovalenko in his article for
    minval.az". When that question asked who did something, the person is in its answer: "What did he
    order in 1998?" after "Which president imposed the embargo on Sudan?" asks about the one its answer
    names first ("In 1997, President Bill Clinton imposed…"). None when the question names several, or
    its answer names no one new."""
    for turn in reversed(history):
        if _ASKS_FOR_SOMEONE.match(turn.question):
            return _named_in_answer(turn)
        if names := names_in(turn.question):
            asks_for_something_named = expected_answer(turn.question) == "name" and not _WHO_IS.match(turn.question)
            return names[0] if len(names) == 1 and not asks_for_something_named else None
    return None


def _named_in_answer(turn: Turn) -> str | None:
    """The first full name (two words or more: "the Kremlin's" names no one) that the answer's first quote
    gives and its question does not, by its last word: the article goes on with "Mr. Clinton", not
    "President Bill Clinton"."""
    if turn.answer.abstained or not turn.answer.citations:
        return None
    asked = turn.question.casefold()
    # A name may open the quote ("Bill Clinton met Tony Blair…"): read it from a space before, and skip a
    # capitalised opening word that names nothing ("The Rhine", "In 1997").
    names = names_in(f" {turn.answer.citations[0].quote}")
    named = next(
        (n for n in names if n.casefold() not in asked and len(n.split()) > 1 and not POSSESSIVE.search(n) and n.split()[0].lower() not in STOPWORDS),
        None,
    )
    return named.split()[-1] if named else None


def _as_pronoun_was(person: str, pronoun: re.Match[str], question: str) -> str:
    """``person`` in the pronoun's place, possessive where it was: "his", or "her" before a noun."""
    word = pronoun.group(1).lower()
    following = _WORD.match(question, pronoun.end() + 1)
    possessive = word == "his" or (word == "her" and following is not None and following.group().lower() not in STOPWORDS)
    return f"{person}'s" if possessive else person


def _named_phrase(noun: str, text: str) -> str | None:
    """The first noun phrase in ``text`` that ends in ``noun`` (or another form of it) and has words
    between its article and the noun: "a massive drone attack" for "attack", as "the massive drone
    attack"; or that a possessive opens: "Ukraine’s Naftogaz Group". Without a tagger, the article or the
    possessive is what tells a phrase from a verb's object ("to purchase natural gas" is not "the gas")."""
    if noun.lower() in STOPWORDS:
        return None
    wanted = stem(noun.lower())
    found = list(_WORD.finditer(text))
    for i, word in enumerate(found):
        if stem(word.group().lower()) != wanted:
            continue
        start = i
        while i - start < _MODIFIERS and (before := _word_before(text, found, start)) and before not in STOPWORDS:
            start -= 1
        if start == i:
            continue
        phrase = text[found[start].start() : word.end()]
        if _word_before(text, found, start) in _ARTICLES:
            return f"the {phrase}"
        if POSSESSIVE.search(found[start].group()):
            return phrase
    return None


def _word_before(text: str, found: list[re.Match[str]], n: int) -> str | None:
    """The word before ``found[n]``, lower-cased, when only spaces separate them (no comma, bracket or
    sentence end); else None."""
    if n == 0 or text[found[n - 1].end() : found[n].start()].strip():
        return None
    return found[n - 1].group().lower()


#: What answers a question in a conversation: text deltas, then the final ``Answer``.
Respond = Callable[[str, list[Turn]], Iterator[str | Answer]]


class Conversation:
    """A conversation with memory; each ``ask`` sees the earlier turns.

    >>> chat = assistant.chat()                                  # doctest: +SKIP
    >>> chat.ask("What did Zelenskyy and Aliyev do on July 10?")  # doctest: +SKIP
    >>> chat.ask("What prompted it?").question                    # doctest: +SKIP
    'What prompted it? (following up on: What did Zelenskyy and Aliyev do on July 10?)'
    """

    def __init__(self, respond: Respond) -> None:
        """``respond(question, earlier_turns)`` yields text deltas, then the final ``Answer``
        (``Assistant.chat`` passes its own)."""
        self._respond = respond
        self.turns: list[Turn] = []

    def ask(self, question: str) -> Answer:
        return final_answer(self.stream(question))

    def stream(self, question: str) -> Iterator[str | Answer]:
        """Text deltas as they are produced, then the final ``Answer``."""
        final: Answer | None = None
        for item in self._respond(question, self.turns):
            if isinstance(item, Answer):
                final = item
            yield item
        if final is not None:
            self.turns.append(Turn(question, final))

    def reset(self) -> None:
        self.turns.clear()


def final_answer(items: Iterable[str | Answer]) -> Answer:
    """The ``Answer`` a stream of text deltas ends with."""
    final = None
    for item in items:
        if isinstance(item, Answer):
            final = item
    if final is None:
        raise RuntimeError("an answer stream ended without its Answer")
    return final
