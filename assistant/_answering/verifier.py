"""The answer verifier: which candidate sentence answers the question, and whether any does, learned from data.

The reader (``reader.py``, MiniLM fine-tuned to read the question and a candidate together) and two
logistic models over it, fitted by ``python -m assistant.training`` on SQuAD 2.0 training questions and
cross-validated by article (model card: ``assistant/models/MODEL_CARD.md``):

- the **ranker** scores each candidate of the shortlist from the reader's probability and the signals the
  answerer computes: the share of the question's rare words in the sentence and around it, the share of
  the question's names and numbers found near it (SQuAD 2.0's unanswerable questions are mostly
  answerable ones with one of them swapped, or negated), whether it is negated when the question is, the
  sentence's own embedding similarity to the question (the words may differ: "unattacked", "had not been
  attacked"), whether it holds the kind of thing asked for, and whether it holds the opposite of a
  question word ("lower" against "higher"). Not where it stands: fitted with the passage's rank and the
  candidate's place in the hand-set shortlist, the ranker let place stand in for reading; fitted with the
  passage's similarity, it ranked other documents than SQuAD's worse (``PLACES``);
- the **decision** reads the ranked shortlist (how sure the ranker is of its best candidate, how far
  ahead of the runner-up, the reader's probability and every signal of the best one) and gives the
  answer's confidence; below the threshold the answerer abstains.

What ships is ``verifier.json`` (the logistic models, the threshold, the reader weights' checksum), itself
checked by SHA-256 at load, and the reader's weights.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant._answering.opposites import TABLE as OPPOSITES
from assistant._answering.opposites import base_forms, converses, opposites, rivals
from assistant._answering.questions import FOLLOWING_UP, content_words, expected_answer, stem_terms
from assistant._answering.reader import Reader, check_file
from assistant._embedding import wheel_model_dir
from assistant._keyword_index import fold, words
from assistant.errors import AssistantError
from assistant.settings import Settings

MODEL_DIR = Path(__file__).resolve().parent.parent / "models"
CONFIG = MODEL_DIR / "verifier.json"
#: The reader's weights, beside ``CONFIG``.
READER_FILE = "reader.npz"

#: The signals the reader reads beside the text: those it was fine-tuned with. A signal added since
#: reaches the ranker and the decision only, so that adding one does not mean fine-tuning the reader again
#: (an hour); stacked, the reader variants measured all came out level (README).
READER_FEATURES = ("focus", "coverage", "anchors_found", "negation_matched", "dense", "similarity", "inverse_rank", "typed")
#: The signals the answerer computes for a candidate (each in [0, 1]): the reader's, then the later ones.
FEATURES = (*READER_FEATURES, "opposite_absent")
#: Where a candidate stands: its passage's retrieval rank and similarity to the question, the same for every
#: sentence of a passage. The reader and the decision read them; the ranker does not. Held out by article
#: (3 folds), the ranker fitted with the rank and the candidate's place in the hand-set shortlist put the
#: answer first for 82.5% of the pool's answerable questions, without them 86.7% (71.9% and 71.6% of the
#: written ones). With the similarity (2 folds) it put it first for 86.5% of the pool's and 71.3% of the
#: written ones, without 86.8% and 72.9%. A passage's similarity runs lower in other documents than in
#: SQuAD's (answer passages 0.60 on average in the written questions' documents, 0.66 in the pool's), and
#: what the ranker learnt from it on SQuAD's did not carry over (README, "The answer verifier").
PLACES = ("dense", "inverse_rank")
#: What the ranker reads of one candidate: the reader's probability (as a logit) and the signals but
#: ``PLACES``.
RANKER_FEATURES = ("reader_logit", *(name for name in FEATURES if name not in PLACES))
_RANKED = [i for i, name in enumerate(FEATURES) if name not in PLACES]
#: What the decision reads of a question's ranked shortlist.
DECISION_FEATURES = ("best_logit", "second_logit", "margin", "best_reader_logit", *(f"best_{name}" for name in FEATURES))

#: A further candidate joins the answer when the ranker scores it at least this share of the best one.
JOIN_SHARE = 0.5

#: A number with its ordinal or plural ending ("19th", "1990s"), or a capitalised name without its
#: possessive ("Council's" is found in "the Council has"), or a name capitalised inside ("macOS",
#: "iPhone", "deflateInit": none of the SQuAD 2.0 pool's questions writes one, so what was fitted is
#: unchanged). A question's first word is not a name, nor is the first word of each earlier question a
#: follow-up carries ("… (following up on: Who signed …?)").
_ANCHOR = re.compile(r"\b\d[\d,.]*(?:st|nd|rd|th|s)?\b|(?<!^)(?<![.?!:/]\s)\b[A-Z][\w-]+|\b[a-z]+[A-Z][\w-]*")
#: What a compound adds to the name it is made of: "the SpiderMonkey-based implementation" is anchored on
#: "SpiderMonkey", which a sentence names without the suffix ("based on SpiderMonkey"). "-style" and
#: "-like" stay: "Chinese-style name" and "Japanese-style name" are two things.
_AFFILIATION = re.compile(r"-(?:based|owned|led|backed|born|made|funded|controlled|run|operated|affiliated|headquartered|sponsored|era)$")

#: Negation: SQuAD 2.0's writers made many unanswerable questions by negating an answerable one ("Who
#: weren't exempt…"), and the word-coverage signals skip "not" as a stopword.
_NEGATION = re.compile(r"\b(?:not|no|never|none|nor|neither|without|except|non|cannot)\b|n['’]t\b", re.IGNORECASE)


def anchors_found(question: str, window: str, document: str = "") -> float:
    """Share of the question's numbers and capitalised names (not its first word) found in ``window``:
    a question anchored on "1910" or "the 19th century" is not answered by a sentence about 1900 or the
    20th. The names a follow-up carries from the questions before it ("… (following up on: Who wrote the
    TraceMonkey paper?)") say which document the conversation is about, not what the answer's sentence
    holds: they count as found anywhere in the candidate's ``document``. Looked for beside the sentence,
    they had "What is trace-based compilation?" refused (0.31) after that question, the paper's defining
    sentence not naming TraceMonkey. So does a name the follow-up repeats from them, as when "he" is read
    as the person asked about before: "What does Oleksandr Kovalenko say about Moscow?" after "Who is
    Oleksandr Kovalenko?" is answered by "Kovalenko concludes that Moscow…" (refused at 0.30 while
    "Oleksandr" was looked for beside it). Training questions carry none, so what was fitted is unchanged."""
    own, _, earlier = question.partition(FOLLOWING_UP)
    carried = _anchors(earlier)
    anchors = _anchors(own) - carried
    if not anchors and not carried:
        return 1.0
    haystack = fold(window).casefold()
    found = sum(1 for a in anchors if a in haystack)
    if carried:  # only a follow-up's: folding a long document for every candidate cost ~37 ms an answer
        whole = folded_document(document)
        found += sum(1 for a in carried if a in haystack or a in whole)
    return found / (len(anchors) + len(carried))


@lru_cache(maxsize=16)
def folded_document(document: str) -> str:
    """``document`` without accents and case, kept: a follow-up's 8 candidates often share one document."""
    return fold(document).casefold()


def _anchors(question: str) -> set[str]:
    return {_AFFILIATION.sub("", m.group(0).casefold().strip(".,")) for m in _ANCHOR.finditer(fold(question).strip())}


def _own_words(question: str) -> str:
    """A follow-up's own words, without the questions and the answer it carries (``FOLLOWING_UP``)."""
    return question.partition(FOLLOWING_UP)[0]


def negation_matched(question: str, sentence: str) -> float:
    """1 unless a factual question is negated and the sentence is not: "What was not built?" is not
    answered by "The tower was built in 1890". A "why" question's negation is what it asks about ("Why
    can't Russia attack directly?"), and the reason given need not repeat it. A follow-up is negated by its
    own words, not by the answer it carries ("… (following up on: … serving not just Ukraine…)")."""
    question = _own_words(question)
    if not _NEGATION.search(question) or expected_answer(question) == "reason":
        return 1.0
    return 1.0 if _NEGATION.search(sentence) else 0.0


def opposite_absent(question: str, sentence: str, window: str) -> float:
    """1 unless the sentence holds the opposite of a question word that ``window`` (the sentence with
    its neighbours) lacks: "What did lower living standards lead to?" is not answered by "higher
    material living standards led to better health". Held out by article, this put 3 more points of
    SQuAD 2.0's unanswerable questions under the threshold at the same share answered (README). Not an
    opposite the question names itself (``_named_in``; the verifier was fitted counting those too): of the
    40 pool questions naming a word and its opposite, 4 more answered right, 1 more unanswerable answered."""
    own = content_words(_ASKING_MEASURE.sub(" ", _own_words(question)))
    return 0.0 if _opposite_of_any(own, sentence, window, _named_in(own)) else 1.0


def says_the_opposite(question: str, sentence: str, window: str) -> bool:
    """Whether the sentence holds the opposite of a question word that ``window`` lacks, the question's
    small words counted too ("much", "more", "inside", "below", "up"), which ``opposite_absent`` leaves out
    as the verifier was fitted: "Barro found there is much relation between income inequality and rates of
    what?" is not answered by "…found that there is little overall relation between income inequality and
    rates of growth". Not the "much" or "many" a question asks with, nor an opposite the question itself
    names ("…few skilled workers but many available positions?"). Over the SQuAD 2.0 pool's best sentences
    answered at the threshold, the small words hold for 9 more unanswerable questions and 1 wrong answer,
    no right one. Words WordNet gives no antonym but that exclude each other (``opposites.rivals``: "modern"
    and "medieval", "million" and "billion") count too; antonyms naming one relation from either side
    (``opposites.converses``: "sold" and "bought") do not."""
    own = words(_ASKING_MEASURE.sub(" ", _own_words(question)))
    named = _named_in(own) | {base for word in own for base in converses(word)}
    return _opposite_of_any(own, sentence, window, named) or _rival_of_any(own, sentence, window)


def _named_in(question_words: list[str]) -> set[str]:
    """The base forms of ``question_words``: an opposite the question itself names says nothing against it
    ("Why do very small files get larger when compressed?" against "Files of less than about one hundred
    bytes tend to get larger…")."""
    return {base for word in question_words for base in base_forms(word)}


#: The words asking for an amount or a measure, which ask rather than say how much: "How large is the zlib
#: format header?" says nothing against "…a very small header of only two bytes" (0.24, refused, with it).
_ASKING_MEASURE = re.compile(
    r"\bhow\s+(?:much|many|large|big|small|long|short|old|young|far|near|wide|narrow|tall|high|low|deep|shallow|heavy|light|"
    r"fast|slow|quickly|often|early|late|hot|cold|warm|strong|weak|thick|thin)\b"
    # Not a clause saying how it is ("sizes dependent upon how weak the push is"): there the word says something.
    r"(?!\s+(?:the|an?|its|their|his|her|this|that|these|those)\b)",
    re.IGNORECASE,
)


def _opposite_of_any(question_words: list[str], sentence: str, window: str, named: AbstractSet[str] = frozenset()) -> bool:
    """Whether the sentence, unnegated, holds an opposite (other than those ``named``) of one of
    ``question_words`` that ``window`` does not hold in any form."""
    seen = set(words(window))
    seen_stems = set(stem_terms(window))
    in_sentence = {base for word in _unnegated(words(sentence)) for base in base_forms(word)}
    for word in question_words:
        if word in seen or seen_stems.intersection(stem_terms(word)):
            continue
        if (opposites(word) & in_sentence) - named:
            return True
    return False


def _rival_of_any(question_words: list[str], sentence: str, window: str) -> bool:
    """Whether the sentence, unnegated, holds a rival of one of ``question_words`` (``opposites.rivals``)
    that neither ``window`` (in any of the word's forms: "rise" for "rose") nor the question holds."""
    seen = set(words(window))
    in_sentence = set(_unnegated(words(sentence))) - set(question_words)
    for word in question_words:
        forms, others = rivals(word)
        if not forms & seen and others & in_sentence:
            return True
    return False


def _unnegated(sentence_words: list[str]) -> list[str]:
    """The words no negation stands just before (two words at most): "not a valid JSON document" says
    invalid, and answers "What does json.loads raise for invalid JSON?"."""
    return [w for i, w in enumerate(sentence_words) if not any(_NEGATION.search(n) for n in sentence_words[max(0, i - 2) : i])]


def reader_signals(features: tuple[float, ...]) -> tuple[float, ...]:
    """Of a candidate's ``FEATURES``, the ``READER_FEATURES``."""
    return features[: len(READER_FEATURES)]


def ranker_features(read: float, features: tuple[float, ...]) -> tuple[float, ...]:
    return (_logit(read), *(features[i] for i in _RANKED))


def decision_features(scores: list[float], best_read: float, best_features: tuple[float, ...]) -> tuple[float, ...]:
    ranked = sorted(scores, reverse=True) + [0.0]
    return (_logit(ranked[0]), _logit(ranked[1]), ranked[0] - ranked[1], _logit(best_read), *best_features)


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return float(np.log(p / (1 - p)))


@dataclass(frozen=True)
class Logistic:
    """A fitted logistic model over standardised features (``assistant.training.decision`` fits it)."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def probabilities(self, rows: list[tuple[float, ...]]) -> np.ndarray:
        z = (np.asarray(rows, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        return 1 / (1 + np.exp(-(z @ np.asarray(self.weights) + self.bias)))

    @classmethod
    def from_json(cls, raw: dict[str, list[float] | list[str] | float]) -> Logistic:
        return cls(**{k: float(v) if k == "bias" else tuple(v) for k, v in raw.items()})  # type: ignore[arg-type, union-attr]


def parameters_sha256(ranker: Logistic, decision: Logistic, threshold: float, reader: dict[str, Any], opposites: str) -> str:
    """The checksum training writes beside the parameters and loading checks (``reader`` holds the reader
    weights' own checksum, ``opposites`` the opposites table's)."""
    canonical = json.dumps([asdict(ranker), asdict(decision), threshold, reader, opposites], sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Judgement:
    """The verifier's verdict on one question's shortlist."""

    scores: list[float]
    """Per candidate, in shortlist order: how likely it is to be the answer."""
    confidence: float
    """How likely the best-scored candidate is to answer the question at all."""


class Verifier:
    """The reader, the fitted ranker and decision, and the threshold under which the answerer abstains."""

    def __init__(self, config: Path = CONFIG, threshold: float | None = None, cache_dir: Path | None = None) -> None:
        """``cache_dir``: where the reader's ONNX graph is kept (default: ``Settings().model_cache_dir``)."""
        try:
            raw = json.loads(config.read_text(encoding="utf-8"))
            self.ranker = Logistic.from_json(raw["ranker"])
            self.decision = Logistic.from_json(raw["decision"])
            shipped = float(raw["threshold"])
            expected = str(raw["sha256"])
            reader = dict(raw["reader"])
            opposites = str(raw["opposites_sha256"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise AssistantError(f"the answer verifier in {config} cannot be read ({exc}); reinstall the package") from exc
        actual = parameters_sha256(self.ranker, self.decision, shipped, reader, opposites)
        if actual != expected:
            raise AssistantError(
                f"the answer verifier in {config} is damaged (checksum {actual[:12]}…, expected {expected[:12]}…); "
                "reinstall the package or retrain it with `python -m assistant.training`"
            )
        if self.ranker.features != RANKER_FEATURES or self.decision.features != DECISION_FEATURES:
            raise AssistantError(f"the answer verifier in {config} was fitted on other signals; retrain it with `python -m assistant.training`")
        check_file(OPPOSITES, opposites, "the opposites table")
        self.threshold = shipped if threshold is None else threshold
        self.reader = Reader(
            config.parent / reader["file"], reader["sha256"], int(reader["max_length"]), len(READER_FEATURES),
            wheel_model_dir(), cache_dir or Settings().model_cache_dir,
        )  # fmt: skip

    def judge(self, question: str, candidates: list[tuple[str, tuple[float, ...]]]) -> Judgement:
        """Score a shortlist given in the hand-set score's order: each candidate's passage as the reader
        reads it (``reader.passage_text``) and its ``FEATURES``."""
        features = [f for _, f in candidates]
        read = self.reader.probabilities(question, [passage for passage, _ in candidates], [reader_signals(f) for f in features])
        scores = self.ranker.probabilities([ranker_features(r, f) for r, f in zip(read, features)]).tolist()
        best = int(np.argmax(scores))
        confidence = float(self.decision.probabilities([decision_features(scores, read[best], features[best])])[0])
        return Judgement(scores, confidence)
