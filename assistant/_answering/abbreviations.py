"""What an abbreviation stands for: "What does ATF stand for?" answered by the sentence that spells it out.

The reader, fine-tuned on SQuAD, gives such a question no particular sentence ("What does ATF stand for?"
was answered "Following are some examples of what could be built as an extension to ATF." at 0.38), and
SQuAD 2.0 made half of its own unanswerable by changing a letter ("What does CDB stand for?" where the
article spells out CBD). Whether a sentence spells the abbreviation out is a matter of letters, checked
here: the words written beside it, in parentheses or after "or" or "stands for", begin with its letters in
order ("Async Task Framework (ATF)", "the FIS or Front Islamique de Salut", "quantum electrodynamics (or
QED)", "psutil (process and system utilities)").
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from assistant.answer import Answer
from assistant._answering.citations import Span
from assistant._answering.extractive import abstention, compose
from assistant._answering.questions import defined_in, defined_subject
from assistant._corpus import Corpus
from assistant._sentences import split_sentences
from assistant.retrieval import Passage

#: "What does ATF stand for?", "What does the acronym FIS stand for?", "What is QED short for?", "What is
#: SoCal an abbreviation of?": the abbreviation asked about.
_ASKS = re.compile(
    r"^\s*what\s+(?:(?:does|did|do)\s+(?:the\s+(?:acronym|abbreviation|initialism)\s+)?(?P<a>\S+)\s+(?:stands?|stood)\s+for"
    r"|(?:is|was)\s+(?:the\s+(?:acronym|abbreviation|initialism)\s+)?(?P<b>\S+)\s+(?:short|an?\s+(?:abbreviation|acronym))\s+(?:for|of))"
    r"\s*\??\s*$",
    re.IGNORECASE,
)
#: Words an expansion may leave out of the abbreviation ("Front Islamique de Salut" is FIS) or keep ("DoD").
_MINOR = frozenset("a an and the of for to in on at by de du des la le et und y &".split())
#: An abbreviation in capitals, maybe with digits or an "&" ("ATF", "AT&T", "MP3"; not "I").
_CAPITALS = re.compile(r"[A-Z][A-Z0-9&]*[A-Z0-9]")
#: "What does it stand for?" asks about the abbreviation of the answer before (a follow-up, read with it).
_REFERRING = frozenset("it this that these those they".split())
#: What may stand between an abbreviation and its expansion written after it: "ATF (Async Task…",
#: "FIS or Front…", "ATF stands for…", "QED, short for…".
_BEFORE_EXPANSION = frozenset("( or , — – - : stands stand for short is means meaning i.e.".split())
#: Where a sentence naming an abbreviation says what it stands for, wherever it names it: "dip: The group's
#: name stands for "Dialup IP"."
_SAYS_WHAT_IT_STANDS_FOR = re.compile(r"\b(?:stands?\s+for|short\s+for|(?:an\s+)?(?:abbreviation|acronym)\s+(?:of|for))\s+", re.IGNORECASE)
_WORD = re.compile(r"[\w’'&.-]+|[(),:—–]")
#: The most words an expansion may have beyond the abbreviation's letters (minor words, mostly).
_SPARE_WORDS = 3


def abbreviation_asked(question: str) -> str | None:
    """The abbreviation whose expansion ``question`` asks for, without quotes: "ATF" in "What does ATF stand
    for?"; None for any other question."""
    found = _ASKS.match(question)
    if not found:
        return None
    abbreviation = (found.group("a") or found.group("b")).strip("\"'“”‘’")
    return abbreviation if len(_letters(abbreviation)) >= 2 and abbreviation.casefold() not in _REFERRING else None


def abbreviation_named(question: str) -> str | None:
    """The abbreviation ``question`` asks about, to expand or to define: "ATF" in "What does ATF stand for?"
    and in "What is ATF?", whose definition often spells it out ("Async Task Framework (ATF) is the
    infrastructural system…")."""
    subject = defined_subject(question)
    return abbreviation_asked(question) or (subject if subject and _CAPITALS.fullmatch(subject) else None)


def phrases_spelling_out(abbreviation: str) -> list[tuple[str, ...]]:
    """What a passage spelling ``abbreviation`` out holds word for word (for ``Retriever.containing``): it in
    parentheses, or before one, or beside "or"; or it and "stands for" or "short for" anywhere."""
    return [
        phrase
        for form in dict.fromkeys((abbreviation, abbreviation.upper()))
        for phrase in (
            (f"({form})",), (f"({form}s)",), (f"(or {form})",), (f"{form} (",), (f"{form} or ",), (f"{form}, or ",), (f" or {form}",),
            (form, "stands for"), (form, "short for"),
        )
    ]  # fmt: skip


def answer_abbreviation(abbreviation: str, question: str, passages: list[Passage], corpus: Corpus, *, refuse: bool) -> Answer | None:
    """The sentences of ``passages`` that spell ``abbreviation`` out (two at most, in the passages' order),
    quoted; when none does, "the documents do not answer this" if ``refuse``, else None (a language model
    reads the passages: it may know an expansion this does not, "SquirrelFish Extreme (SFX)")."""
    spans: dict[tuple[str, int], Span] = {}
    for passage in passages:
        for sentence in split_sentences(passage.text, offset=passage.start):
            if spells_out(sentence.text, abbreviation):
                spans.setdefault((passage.doc_id, sentence.start), Span(passage.doc_id, sentence.start, sentence.end, 1.0))
    if spans:
        return replace(compose(question, list(spans.values())[:_QUOTED], corpus), confidence=1.0)
    return abstention(question, passages, corpus) if refuse else None


def answer_what_it_is(question: str, passages: list[Passage], corpus: Corpus) -> Answer | None:
    """"What is PPP?" answered by the sentence spelling PPP out ("…partnering such as Public-Private
    Partnering (PPPs) aka private finance initiatives…") when no sentence of ``passages`` defines it; None
    when one does (the answerer quotes the definition), or none spells it out, or the question asks about
    no abbreviation. The reader gave that sentence 0.22, under the threshold: SQuAD fine-tuned it on
    definitions, and a spelled-out name is the next best thing a reader of the documents can be told."""
    subject = defined_subject(question)
    if not subject or not _CAPITALS.fullmatch(subject):
        return None
    if defined_in(((p.text, p.title) for p in passages), subject):
        return None
    return answer_abbreviation(subject, question, passages, corpus, refuse=False)


#: Sentences quoted at most: a document may spell an abbreviation out twice (an introduction and a glossary).
_QUOTED = 2


def spells_out(sentence: str, abbreviation: str) -> bool:
    """Whether ``sentence`` writes out what ``abbreviation`` stands for beside it: its expansion just before
    it in parentheses ("Async Task Framework (ATF)") or after "or" ("quantum electrodynamics (or QED)"), or
    just after it, past a parenthesis, "or" or "stands for" ("psutil (process and system utilities)"); or,
    naming it, says "stands for" before its expansion ("dip: The group's name stands for "Dialup IP".")."""
    tokens = _WORD.findall(sentence)
    letters = _letters(abbreviation)
    longest = len(letters) + _SPARE_WORDS
    named = [index for index, token in enumerate(tokens) if _names(token, abbreviation)]
    if named and (said := _SAYS_WHAT_IT_STANDS_FOR.search(sentence)):
        written = _WORD.findall(sentence[said.end() :])
        if any(_spells(letters, written[:size]) for size in range(1, longest + 1)):
            return True
    for index in named:
        before = tokens[max(0, index - 1 - longest) : index]
        if not before or before[-1] not in ("(", "or"):
            before = []  # "Async Task Framework (ATF)", "…electrodynamics (or QED)": not any words before it
        while before and before[-1] in ("(", "or"):
            before.pop()
        if any(_spells(letters, before[-size:]) for size in range(1, len(before) + 1)):
            return True
        after = tokens[index + 1 :]
        skipped = next((n for n, word in enumerate(after) if word.casefold() not in _BEFORE_EXPANSION), len(after))
        if skipped and any(_spells(letters, after[skipped : skipped + size]) for size in range(1, longest + 1)):
            return True
    return False


def _names(token: str, abbreviation: str) -> bool:
    """Whether ``token`` is the abbreviation, maybe in the plural ("Public-Private Partnering (PPPs)"): as
    written when it has capitals ("APT", not the command "apt"), in any case when it has none ("psutil")."""
    if any(c.isupper() for c in abbreviation[1:]):
        return token in (abbreviation, f"{abbreviation}s")
    return token.casefold() in (abbreviation.casefold(), f"{abbreviation.casefold()}s")


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


@lru_cache(maxsize=4096)  # bounded: a server answers for days, each question with new words
def _spells_words(letters: str, words: tuple[str, ...]) -> bool:
    """Whether ``letters`` are ``words``' letters in order, each word (but a minor one) giving its first
    letter and maybe more of its own after it ("QED" from "quantum electrodynamics", "psutil" from "process
    and system utilities"); a word opening with "ex" may give its "x" ("SquirrelFish Extreme (SFX)")."""
    if not words:
        return not letters
    word, rest = _letters(words[0]), words[1:]
    if not word:
        return _spells_words(letters, rest)
    if word in _MINOR and _spells_words(letters, rest):
        return True
    if not letters or letters[0] != word[0] and not (word.startswith("ex") and letters[0] == "x"):
        return False
    # The word gives its first letter, then any of its later letters in order, before the next word takes over.
    taken, position = 1, word.find(letters[0]) + 1
    while True:
        if _spells_words(letters[taken:], rest):
            return True
        if taken == len(letters):
            return False
        position = word.find(letters[taken], position)
        if position < 0:
            return False
        taken, position = taken + 1, position + 1


def _spells(letters: str, words: list[str]) -> bool:
    """``_spells_words`` for a run of words that opens with a word of meaning ("the Last Glacial Maximum"
    counts from "Last") and has two at least: one word is no expansion ("mbr.img" holds the letters of MBR,
    "apt-get" those of APT)."""
    meaningful = [w for w in words if _letters(w) and w.casefold() not in _MINOR]
    return len(meaningful) >= 2 and words[0] is meaningful[0] and _spells_words(letters, tuple(words))
