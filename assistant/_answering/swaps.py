"""What the best sentence gives otherwise than the question asks: the swaps SQuAD 2.0's writers made its
unanswerable questions with, and users' questions about what their documents do not say.

A year, a number, an ordinal or an owner the question gives that the sentence's surroundings lack, while
the sentence gives another in its place ("…in 1909?" against "In 1900, …"; "Kublai's third invasion"
against "Kublai's second invasion"; "Bohemond's son" against "Bohemond, Robert's son"), and the words of
another speaker than the one asked about. Rules, not signals of the fitted verifier: its training
questions rarely ask for what their article does not say (``extractive._asks_what_it_lacks`` applies
them to the best sentence). The opposite of a question word is ``verifier.says_the_opposite``, beside
the fitted signal it shares its reading with.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from assistant._answering.questions import FOLLOWING_UP, MONTHS, NUMBER_WORDS, STOPWORDS, TENS, in_a_day, names_in
from assistant._answering.spelling import english_ranks
from assistant._answering.verifier import folded_document
from assistant._keyword_index import fold

#: A year the question dates its subject by: "in 1909", "the 1990s", "2008-09" (both years); not one it
#: measures from ("after 1935", "since 2001", "by 2100"), which another year may answer.
_DATING_YEAR = re.compile(
    r"(?<![$€£\w.,-])(?<!after )(?<!before )(?<!since )(?<!until )(?<!by )((?:1[0-9]|20)\d{2})(s?)(?:[-–](\d{2}))?\b(?![.,]\d)",
    re.IGNORECASE,
)
#: Any year a text names, a range's end included ("1620–21"); not an amount ("$1999", "2000 people" is one).
_A_YEAR = re.compile(r"(?<![$€£\w.,])((?:1[0-9]|20)\d{2})(s?)(?:[-–](\d{2}))?\b(?![.,]\d|\s*(?:%|percent|million|billion))")
_CAPITALISED_MONTH = re.compile(rf"\b({'|'.join(month.capitalize() for month in MONTHS.split('|')[:12])})\b")


def dated_otherwise(question: str, sentence: str, window: str) -> bool:
    """Whether ``question`` dates what it asks about by a year or a month that ``window`` (the sentence,
    its neighbours, its title and its document's year) does not hold, while ``sentence`` is dated by
    another: "How did the Los Angeles Times define southern California in 1909?" is not answered by "In
    1900, the Los Angeles Times defined southern California as…" (0.78), nor "How many package downloads
    did npm have in December 2013?" by "In October 2013 there were 114.6 million package downloads"
    (0.49). SQuAD 2.0 wrote many of its unanswerable questions by swapping a date; the verifier sees that
    one of the question's numbers is missing (``anchors_found``), but not that the sentence gives another.
    On the pool's pairs, the rule holds for 3 of the 3,212 answer sentences, against 99 of the 5,316
    best-ranked candidates of unanswerable questions."""
    asked = _years_in(question, _DATING_YEAR)
    if asked:
        written = _years_in(window, _A_YEAR)
        if any(not _holds_year(written, year, decade) for year, decade in asked.items()):
            return any(not _holds_year(asked, year) for year in _years_in(sentence, _A_YEAR))
    months = set(_CAPITALISED_MONTH.findall(question))
    if months and not months & set(_CAPITALISED_MONTH.findall(window)):
        return bool(set(_CAPITALISED_MONTH.findall(sentence)) - months)
    return False


def ordered_otherwise(question: str, sentence: str) -> bool:
    """Whether ``question`` asks what came before something that ``sentence`` puts after (or the other way
    round): "What did Percy Shelley write before the Peterloo massacre?" is not answered by "Following the
    Peterloo massacre of 1819, poet Percy Shelley wrote…", nor "What was Tower District known for before
    the renewal?" by "Since renewal, the Tower District has become…". A swap SQuAD 2.0's writers made; the
    word after "before"/"after" must be the same in both, and the sentence must not also put it in the
    question's order, nor go on with "but", which tells what came in that order ("…support for democracy
    before coming to power, but strict application of sharia law…" answers "…what after coming to
    power?"). Of the SQuAD 2.0 pool's 106 answered questions saying before, after, since or until, it
    declines 2 unanswerable ones and no answer; of the written questions, none."""
    own = fold(question.partition(FOLLOWING_UP)[0]).casefold()
    text = fold(sentence).casefold()
    for asked, other in ((_BEFORE, _AFTER), (_AFTER, _BEFORE)):
        for what in re.findall(rf"\b(?:{asked}) {_ARTICLE}([a-z][\w-]{{2,}})", own):
            if _ordered(other, what, text) and not _ordered(asked, what, text):
                return True
    return False


_BEFORE = "before|prior to|until|preceding"
_AFTER = "after|following|since|succeeding"
_ARTICLE = r"(?:(?:the|a|an|his|her|its|their) )?"


def _ordered(order: str, what: str, text: str) -> bool:
    return re.search(rf"\b(?:{order}) {_ARTICLE}{re.escape(what)}\b(?!.*\bbut\b)", text) is not None


def counted_otherwise(question: str, sentence: str, window: str) -> bool:
    """Whether ``question`` gives a number (not a year: ``dated_otherwise``) or an ordinal that ``window``
    (the sentence with its title and neighbours) does not, while ``sentence`` gives another in its place.

    A number is looked for in figures or in words: "In what year did 12 national science academies issue
    a joint statement?" is not answered by "In 2001, 16 national science academies issued…", nor "What
    fault can produce a magnitude 8.7 event?" by "…a magnitude 6.7+ earthquake". An ordinal counts with
    the word after it: "What interfered with Kublai's third invasion of Japan?" is not answered by
    "Kublai's second invasion of Japan in 1281 failed…", nor a question about the 18th century by "an
    impressive 19th-century fortification". A number in words is read the same way, with the word after
    it: "One in seven of the world's bird species…" is not answered by "One in five of…", nor "the
    Seven-Day War" by "the Six-Day War". Over the SQuAD 2.0 pool's best sentences answered at
    the threshold, numbers hold for 8 unanswerable questions and 1 answer ("between 2 parties" where the
    sentence says "both"), ordinals for 12 unanswerable ones and no answer, numbers before a word for 10
    more unanswerable ones and no answer; over the written questions, for 1 wrong answer."""
    return any(otherwise(question, sentence, window) for otherwise in (_numbered_otherwise, _recounted, _ordered_otherwise))


def _numbered_otherwise(question: str, sentence: str, window: str) -> bool:
    # A year or a day of a month dates rather than counts (``dated_otherwise``): "What happened on March 17
    # at nodejs.org?" had been declined against "…going through to March 17th…, users were receiving
    # intermittent 404 responses", whose "404" is no count the question gives.
    given = [m.group() for m in _NUMBER.finditer(question) if not (_A_YEAR.fullmatch(m.group()) or in_a_day(question, m.start()))]
    if not given or all(_writes_number(window, n) for n in given):
        return False
    return any(n not in given for n in _NUMBER.findall(sentence)) or bool(_NUMBER_WORD.search(sentence))


def _recounted(question: str, sentence: str, window: str) -> bool:
    missing = {(number, word) for number, word in _counts(question) if not (_A_YEAR.fullmatch(number) or _writes_number(window, number))}
    return _qualified_otherwise(missing, _counts(sentence))


def _counts(text: str) -> set[tuple[str, str]]:
    """Each number of ``text`` with the word after it, the number in figures: "seven English" as ("7",
    "english"), "Six-Day" as ("6", "day")."""
    return {(str(_WORD_VALUES.get(number.lower(), number)), word.lower()) for number, word in _COUNT.findall(text)}


def _ordered_otherwise(question: str, sentence: str, window: str) -> bool:
    return _qualified_otherwise(_ordinals(question) - _ordinals(window), _ordinals(sentence))


def owned_otherwise(question: str, sentence: str, window: str) -> bool:
    """Whether ``question`` names an owner of something ("Bohemond's son") that ``window`` (the sentence
    with its title and neighbours) does not, while ``sentence`` gives it another owner: "Who was Bohemond's
    son?" is not answered by "…the Normans under the command of Bohemond, Robert's son, landed…", nor "In
    Galileo's view, …how many elements?" by "In Aristotle's view, the terrestrial sphere contained four
    elements". The word owned is no small word: "Fresno's most beautiful buildings" are among "the San
    Joaquin Valley's most beautiful architectural buildings". Over the SQuAD 2.0 pool's best sentences
    answered at the threshold, it holds for 7 unanswerable questions and no answer; over the written
    questions, for none."""
    return _qualified_otherwise(_owned(question) - _owned(window), _owned(sentence))


#: A capitalised owner and the word after it: "Bohemond's son", "Warsaw Palace's mixture" (by "Palace").
_OWNER = re.compile(r"\b([A-Z][\w-]+)['’]s\s+([a-z]+)")


def _owned(text: str) -> set[tuple[str, str]]:
    return {(owner.casefold(), word) for owner, word in _OWNER.findall(text) if word not in STOPWORDS}


def _qualified_otherwise(missing: set[tuple[str, str]], given: set[tuple[str, str]]) -> bool:
    """Whether a word the question qualifies (by a number, an ordinal or an owner: ``missing`` from the
    window) is qualified otherwise in the sentence (``given``)."""
    return any(word == other_word and qualifier != other for qualifier, word in missing for other, other_word in given)


def named_otherwise(question: str, sentence: str, window: str) -> bool:
    """Whether ``question`` gives a name that ``window`` (the sentence with its title and neighbours) does
    not, while ``sentence`` gives another name after the same word: "As of which CMake version can it
    generate Ninja files on FreeBSD?" is not answered by "…can generate Ninja files on Linux as of CMake
    version 2.8.8", nor "Who designed the garden for the Marek Library?" by "The University Library
    garden, designed by Irena Bajerska…". A name spelled alike ("Temur", "Temür"; "Krugmen"), sharing its
    first five letters ("Victoria", "Victorian"), part of one ("Curie", "Skłodowska-Curie") or written out
    ("WWII", "World War II"; "USA", "United States") is the same name. Over the SQuAD 2.0 pool's best
    sentences answered at the threshold, it holds for 22 unanswerable questions and 1 answer ("What region
    of China is Hebei part of?" against "…consisting of present-day Hebei, Shandong…"); over the written
    questions, for none. The same word may follow the names instead: "Which German monk studied primes…?"
    is not answered by "The French monk Marin Mersenne looked at primes…" (no pool or written answer
    changed)."""
    asked = _name_words(question.partition(FOLLOWING_UP)[0])
    around = _name_words(window)
    around_parts = _parts(around)
    in_question = {word.casefold() for word in asked}
    words = _name_words(sentence)
    given = _capitalised(words)
    for at, before, name in _capitalised(asked):
        if _written_in(name, around, around_parts):
            continue
        after = _word_after(asked, at)
        for where, other_before, other in given:
            if other.casefold() in in_question or _alike(other, name) or _abbreviates(other, asked[at:]):
                continue
            if other_before == before or (after and _word_after(words, where) == after):
                return True
    return False


def _word_after(words: list[str], at: int) -> str:
    """The lower-case word after ``words[at]`` ("" for none or a name): "German monk" and "French monk"."""
    following = words[at + 1] if at + 1 < len(words) else ""
    return following.casefold() if following and following[0].islower() and following.casefold() not in STOPWORDS else ""


def named_nowhere(question: str, window: str, document: str) -> bool:
    """Whether ``question`` gives a name that neither ``window`` (the best sentence with its title and
    neighbours) nor its whole ``document`` writes, as ``named_otherwise`` matches names: "What does the
    python3-venv package depend on in Ubuntu?" is not answered from a Debian policy that never names Ubuntu
    (0.51). SQuAD 2.0's writers swapped in names their article writes elsewhere (the pool's best sentences
    answered at the threshold: 1 unanswerable question and no answer); users ask about what a document
    never mentions. A program's name in lower case counts too (``_technical_words``): "Why is zlib faster
    than bzip2?" was answered (0.35) from a zlib manual that never names bzip2. Of the pool's 162
    questions holding such a word (typos mostly, respelled first) it declined 1 unanswerable and 1
    answerable one ("…an d2008…"); of the written questions' 166 (package names mostly), none."""
    if not document:
        return False
    own = question.partition(FOLLOWING_UP)[0]
    around = _name_words(window)
    around_parts = _parts(around)
    in_document = _document_words(document)
    names = [name for _, _, name in _capitalised(_name_words(own))]
    if any(not (_written_in(name, around, around_parts) or _written_in(name, *in_document)) for name in names):
        return True
    # Looked for in the text as written too: "mmh3.hash" and "pypi.org" are no words of ``_name_words``.
    text = folded_document(document)
    return any(not (word in text or _written_in(word, *in_document)) for word in _technical_words(own))


def _technical_words(question: str) -> list[str]:
    """The words of ``question`` written in lower case that are no English word, nor one with a prefix or
    an ending ("reimplemented", "unwealthy"): the names of programs, packages and formats ("bzip2",
    "nginx", "cmake"), which a user writes as the documents do."""
    return [word for word in _TECHNICAL.findall(question) if word not in STOPWORDS and not all(map(_is_english, word.split("-")))]


def _is_english(word: str) -> bool:
    english = english_ranks()
    if word in english or word.rstrip("s") in english:
        return True
    bare = _AFFIXES.sub("", word)  # "reimplemented", "unwealthy", "compromisingly"
    return len(bare) > 3 and (bare in english or f"{bare}e" in english)


#: A word in lower case, digits and "_" or "." inside it allowed ("bzip2", "os.path"), not a sentence's first.
_TECHNICAL = re.compile(r"(?<=\s)[a-z][a-z0-9_.+-]*[a-z0-9](?![\w'’-])")
#: What English words are made with: "re-", "un-", "over-"…, and "-ly", "-ness", "-ed"….
_AFFIXES = re.compile(r"^(?:re|un|over|under|non|pre|mis|out|dis|anti|semi|sub|super|inter|multi)|(?:ly|ness|ment|ed|ing|s)$")


def _written_in(name: str, words: list[str], parts: frozenset[str]) -> bool:
    """Whether ``words`` (``parts``: each of them and their hyphenated parts, in lower case) write ``name``
    as ``named_otherwise`` matches names: spelled alike (with the same first letter), sharing its first five
    letters, a part of a hyphenated word, each of its own parts written, or written out by its initials."""
    key = name.casefold()
    if "-" in key.strip("-"):  # "Kern-Bakersfield" is written where "Bakersfield-Kern" is
        return all(_written_in(piece, words, parts) for piece in name.split("-") if piece)
    if key in parts or any(_same_opening(key, part) for part in parts):
        return True
    # Only words that could be spelled alike: difflib's ratio is at most twice the shorter length over both.
    alike = (part for part in parts if part[0] == key[0] and 2 * min(len(part), len(key)) >= 0.75 * (len(part) + len(key)))
    return any(_spelled_alike(key, part) for part in alike) or _abbreviates(name, words)


def _parts(words: list[str]) -> frozenset[str]:
    return frozenset(part.casefold() for word in words for part in {word, *word.split("-")} if part)


@lru_cache(maxsize=16)
def _document_words(document: str) -> tuple[list[str], frozenset[str]]:
    """A document's words in order and their parts: the 8 candidates of an answer often share one
    document, and a paper holds some 15,000 words."""
    words = _name_words(document)
    return words, _parts(words)


#: A word (its possessive is taken off: "UN's" is "UN") or a number.
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d,.]*")
_POSSESSIVE = re.compile(r"['’]s?$")
_ROMAN = re.compile(r"[IVX]+")


def _name_words(text: str) -> list[str]:
    return [_POSSESSIVE.sub("", word) for word in _WORD.findall(fold(text))]


def _capitalised(words: list[str]) -> list[tuple[int, str, str]]:
    """Each capitalised word of two letters or more but the first: where it is, the word before it (in
    lower case) and the word."""
    return [(i, words[i - 1].casefold(), words[i]) for i in range(1, len(words)) if words[i][0].isupper() and len(words[i]) > 1]


def _alike(name: str, word: str) -> bool:
    """The same name spelled alike, or sharing its opening (``_same_opening``)."""
    a, b = name.casefold(), word.casefold()
    return _same_opening(a, b) or _spelled_alike(a, b)


def _same_opening(name: str, word: str) -> bool:
    """Whether ``word`` opens with the first five letters of ``name`` (all of a shorter name's: "US",
    "USA"; not "In" and "India"); both in lower case."""
    return word.startswith(name[:5])


def _abbreviates(short: str, words: list[str]) -> bool:
    """Whether ``short`` (in capitals) is made of the initials of capitalised words in ``words``, or they of
    its start: "WWII" of "World War II" (a Roman numeral counts whole), "USA" of "United States". Loose on
    purpose ("WWI" passes for "World War II" too): a rule that declines on a name missing should rather
    miss a swap than decline an answer."""
    if len(short) < 2 or not short.isupper():
        return False
    for start in (i for i, word in enumerate(words) if word[0].isupper()):
        initials = _initials(words[start : start + 6])
        if len(initials) >= 2 and (initials.startswith(short) or short.startswith(initials)):
            return True
    return False


def _initials(words: list[str]) -> str:
    initials = ""
    for word in words:
        if word.casefold() in ("of", "the", "and"):
            continue
        if not word[0].isupper():
            break
        initials += word if _ROMAN.fullmatch(word) else word[0]
    return initials


_ORDINAL_WORDS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
_ORDINAL_SPELLING = {"final": "last", "1st": "first", "2nd": "second", "3rd": "third"} | {
    f"{n}th": word for n, word in enumerate(_ORDINAL_WORDS, 1) if n > 3
}
#: An ordinal and the word it orders: "third invasion", "18th century", "19th-century", "Second Law".
_ORDINAL = re.compile(
    rf"\b({'|'.join(_ORDINAL_WORDS)}|last|final|\d+(?:st|nd|rd|th))"
    r"[\s-]+([a-z]+)",
    re.IGNORECASE,
)


def _ordinals(text: str) -> set[tuple[str, str]]:
    """Each ordinal of ``text`` with the word after it, in lower case and one spelling: "3rd" as "third",
    "final" as "last"."""
    return {(_ORDINAL_SPELLING.get(o.lower(), o.lower()), word.lower()) for o, word in _ORDINAL.findall(text)}


#: A number in figures, as a word of its own: "12", "100,000", "8.7"; not "16th", "25x" or "v2".
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(NUMBER_WORDS[2:])})\b", re.IGNORECASE)
#: Numbers written in words, and their values; and each value's word ("7": "seven").
_WORD_VALUES = {word: value for value, word in enumerate(NUMBER_WORDS)} | {word: 30 + 10 * n for n, word in enumerate(TENS)}
_IN_WORDS = {str(value): word for word, value in _WORD_VALUES.items()}
#: A number and the word after it: "seven English lectures", "the Seven-Day War", "12 national academies";
#: not "one" ("one of the…" counts nothing) nor "zero".
_COUNT = re.compile(
    rf"(?<![\w.,])({'|'.join(word for word, value in _WORD_VALUES.items() if value > 1)}|\d+(?:[.,]\d+)*)[\s-]+([a-z]+)", re.IGNORECASE
)


def _writes_number(text: str, number: str) -> bool:
    """Whether ``text`` writes ``number`` in figures (commas or not) or in words (up to twenty, the tens)."""
    figures = number.replace(",", "")
    forms = {figures, _IN_WORDS.get(figures, figures)}
    plain = _THOUSANDS.sub("", text)
    return any(re.search(rf"(?<![\w.,]){re.escape(form)}(?![\w])", plain, re.IGNORECASE) for form in forms)


#: A comma between thousands: "100,000" is read as "100000".
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


def _years_in(text: str, pattern: re.Pattern[str]) -> dict[str, bool]:
    """The years ``pattern`` finds in ``text``, each with whether it was written as a decade ("1990s")."""
    years: dict[str, bool] = {}
    for match in pattern.finditer(text):
        first, decade, end = match.groups()
        years[first] = bool(decade) or years.get(first, False)
        if end and end > first[2:]:  # a range ("2008-09"), not a month ("2013-11-26")
            years.setdefault(first[:2] + end, False)
    return years


def _holds_year(years: dict[str, bool], year: str, decade: bool = False) -> bool:
    """Whether ``years`` hold ``year``, or one of its decade when it is a decade; a decade among ``years``
    holds each of its years."""
    return any(y == year or ((decade or is_decade) and y[:3] == year[:3]) for y, is_decade in years.items())


def said_by_another(question: str, sentence: str) -> bool:
    """Whether ``question`` asks what someone it names said ("What did Google say about the contract?")
    and ``sentence`` gives the words of another named speaker only: "Mozilla noted that roughly 85% of
    their revenue comes from their contract with Google" (0.86). A name is matched loosely ("Krugmen"
    asked, "Krugman" written); a pronoun or a common noun ("He argued…", "officials said…") may be
    anyone, and leaves the question to the verifier. Over the SQuAD 2.0 pool's and the written
    questions' best sentences answered at the threshold it holds for none: their questions about what
    someone said quote that one (or a pronoun for them)."""
    asked = _ASKS_WHAT_WAS_SAID.search(question)
    if not asked or not _NAMED_SPEAKER.fullmatch(asked.group("speaker")):
        return False
    speaker = asked.group("speaker").split()
    names = [word for name in names_in(question) for word in name.split() if word in speaker]
    said = [m for m in _SPEAKER.finditer(sentence) if (m.group("before") or m.group("after")).lower() not in STOPWORDS]
    if not names or not said:
        return False
    # Named before the words are said, the one asked about may speak through the speaker: "Mozilla's CEO
    # Brendan Eich announced…" answers "What did Mozilla announce?".
    named_before = re.findall(r"[A-Z][\w’'-]+", sentence[: said[-1].end()])
    return not any(_spelled_alike(word, name) for word in named_before for name in names)


#: The verbs a speaker's words are given by, in their forms.
_SAYING = (
    r"(?:say|says|said|think|thinks|thought|argue[sd]?|claim(?:s|ed)?|write|writes|wrote|state[sd]?|tell|tells|told|"
    r"believe[sd]?|suggest(?:s|ed)?|report(?:s|ed)?|note[sd]?|announce[sd]?|maintain(?:s|ed)?|stress(?:es|ed)?|"
    r"acknowledge[sd]?|warn(?:s|ed)?|insist(?:s|ed)?|estimate[sd]?|conclude[sd]?|explain(?:s|ed)?|adds|added)"
)
#: "What did Google say…?", "What does Kovalenko argue…?": the speaker asked about, before the verb of saying
#: (in lower case: "…in the United States?" asks nothing of the kind).
_ASKS_WHAT_WAS_SAID = re.compile(rf"^\s*(?i:what (?:did|does|do|has|have|had|will|would)) (?P<speaker>.+?) {_SAYING}\b")
#: A speaker asked about by name alone ("Google", "the IPCC", "Donald J. Trump"); one asked about by what they
#: are ("Azerbaijan's President", "the 2007 IPCC report") is often named in the answer ("Azerbaijani President
#: Ilham Aliyev had announced…").
_NAMED_SPEAKER = re.compile(r"(?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*")
#: A capitalised word just before a verb of saying ("Mozilla noted", "President Obama also said"), or just
#: after a quote's "said" ("…, said Sopel"; after "told" comes whom it was told to).
_SPEAKER = re.compile(
    rf"\b(?P<before>[A-Z][\w’'-]+)\s+(?:also\s+|has\s+|had\s+|then\s+)?{_SAYING}\b|\b(?:said|says|added|wrote),?\s+(?P<after>[A-Z][\w’'-]+)"
)


def _spelled_alike(word: str, other: str) -> bool:
    """The same name, or one a letter or two off ("Krugmen" for "Krugman")."""
    return difflib.SequenceMatcher(None, word.casefold(), other.casefold()).ratio() >= 0.75
