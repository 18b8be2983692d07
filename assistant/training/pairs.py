"""Training pairs for the verifier: each pool question with the candidates the answer path gives it.

The candidates are exactly what the verifier will read when answering: the project's retrieval over
the corpus, then the answerer's shortlist (``ExtractiveAnswerer.shortlist``). Labels:

- a candidate of an answerable question is positive when it lies in the question's gold paragraph (a
  question written without one, ``para`` -1, takes its whole document) and holds a gold answer;
  negative when it holds no gold answer (a hard negative: retrieval ranked it
  high); left out when it holds the answer text elsewhere in the corpus (it may well answer);
- every candidate of an unanswerable question is negative (the decision learns abstention from them,
  the reader from each one's highest-ranked candidate);
- a *swapped* variant of an answerable question (a number, name or qualifier changed, or a negation
  added, the way SQuAD 2.0's writers made unanswerable questions) is negative with the answer sentence.
  Trained on, they made an earlier reader (its top two layers fine-tuned) distrust every sentence that
  matched its question; given their own shortlists, they moved the decision's cross-validated results by
  less than a point while refusing more real answers on the project's sets. They are still written
  (``Pair.synthetic``) but nothing fits on them; checking the reader on them held out would need the fold
  runs to read them too, which they do not yet.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant._answering.extractive import candidate_context, candidate_features
from assistant._answering.questions import profile
from assistant._answering.verifier import reader_signals
from assistant.evaluation.scoring import normalise
from assistant.service import Assistant


@dataclass(frozen=True)
class PoolQuestion:
    id: str
    question: str
    doc: str
    para: int
    answers: tuple[str, ...]
    abstain: bool


@dataclass(frozen=True)
class Pair:
    """One (question, candidate) pair with its label, as stored in the pairs file."""

    qid: str
    doc: str
    question: str
    sentence: str
    context: str
    features: tuple[float, ...]
    label: int
    rank: int
    """The candidate's place in the shortlist (0 = the hand-set score's best)."""
    abstain: bool
    """Whether the question (not this pair) is unanswerable."""
    synthetic: bool = False

    @property
    def reader_features(self) -> tuple[float, ...]:
        """The signals the reader reads beside the texts (``verifier.READER_FEATURES``)."""
        return reader_signals(self.features)


def load_pool(path: Path) -> list[PoolQuestion]:
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    return [
        PoolQuestion(c["id"], c["question"], c["doc"], int(c["para"]), tuple(c.get("answers") or ()), bool(c["abstain"]))
        for c in cases
    ]


def paragraph(corpus_dir: Path, doc: str, index: int) -> str:
    """Paragraph ``index`` of a pool document: the blocks after the title line, split at blank lines."""
    body = (corpus_dir / doc).read_text(encoding="utf-8").split("\n", 1)[1]
    blocks = [b.strip() for b in re.split(r"\n\s*\n", body) if b.strip()]
    return blocks[index]


def label(sentence: str, in_gold_paragraph: bool, answers: Iterable[str]) -> int | None:
    """1, 0, or None (holds the answer text outside the gold paragraph: not used)."""
    text = normalise(sentence)
    holds = any(normalise(a) in text for a in answers if a.strip())
    if not holds:
        return 0
    return 1 if in_gold_paragraph else None


def build_pairs(assistant: Assistant, corpus_dir: Path, pool: list[PoolQuestion]) -> Iterator[Pair]:
    """Every labelled shortlist pair of every pool question, and a swapped variant of each answerable
    question whose answer is on its shortlist, paired with that answer sentence."""
    answerer = assistant._extractive
    paths = {Path(d.path).name: d.doc_id for d in assistant.documents()}
    for item in pool:
        shortlist = answerer.shortlist(profile(item.question), assistant.retrieve(item.question))
        gold_span = _gold_span(assistant, corpus_dir, item, paths)
        positive = None
        for rank, candidate in enumerate(shortlist):
            inside = candidate.passage.doc_id == paths.get(item.doc) and gold_span[0] <= candidate.sentence.start < gold_span[1]
            value = 0 if item.abstain else label(candidate.sentence.text, inside, item.answers)
            if value is None:
                continue
            positive = positive or (candidate if value else None)
            yield Pair(item.id, item.doc, item.question, **_reading(item.question, candidate), label=value, rank=rank, abstain=item.abstain)
        swapped = swap(item.question, item.id) if positive is not None else None
        if swapped and swapped != item.question:
            yield Pair(item.id, item.doc, swapped, **_reading(swapped, positive), label=0, rank=0, abstain=True, synthetic=True)


def _reading(question: str, candidate: Any) -> dict[str, object]:
    """The candidate as a pair keeps it: the signals the verifier weighs, and the texts (the sentence; its
    document's title and neighbours) that the reader reads."""
    return {"sentence": candidate.sentence.text, "context": candidate_context(candidate), "features": candidate_features(question, candidate)}


def _gold_span(assistant: Assistant, corpus_dir: Path, item: PoolQuestion, paths: dict[str, str]) -> tuple[int, int]:
    doc_id = paths.get(item.doc)
    text = assistant.document_text(doc_id) if doc_id else None
    if not text:
        return (0, 0)
    if item.para < 0:
        return (0, len(text))
    block = paragraph(corpus_dir, item.doc, item.para)
    start = text.find(block)
    return (start, start + len(block)) if start >= 0 else (0, 0)


# --- swapped variants ---------------------------------------------------------------------------

_OPPOSITES = {
    "first": "last", "last": "first", "largest": "smallest", "smallest": "largest", "most": "least",
    "least": "most", "before": "after", "after": "before", "earliest": "latest", "latest": "earliest",
    "highest": "lowest", "lowest": "highest", "north": "south", "south": "north", "east": "west",
    "west": "east", "increase": "decrease", "decrease": "increase", "early": "late", "late": "early",
    "major": "minor", "minor": "major", "longest": "shortest", "shortest": "longest", "oldest": "newest",
    "newest": "oldest", "best": "worst", "worst": "best", "more": "fewer", "private": "public",
    "public": "private", "inside": "outside", "outside": "inside", "modern": "ancient", "ancient": "modern",
}  # fmt: skip
_NEGATABLE = re.compile(r"\b(is|was|are|were|did|does|do|can|could|will|would|has|had|have)\b")
_WHOLE_NUMBER = re.compile(r"\b\d[\d,]*\b")
_NAME = re.compile(r"(?<!^)\b[A-Z][a-z]{2,}\b")


def swap(question: str, seed: str) -> str | None:
    """An unanswerable variant of ``question``: one number, qualifier or name changed, or a negation
    added. Deterministic for a given ``seed``; None when nothing can be changed."""
    rng = random.Random(seed)
    options = []
    numbers = list(_WHOLE_NUMBER.finditer(question))
    if numbers:
        number = rng.choice(numbers)
        options.append(lambda: _replace(question, number, _other_number(number.group(0), rng)))
    words = [m for m in re.finditer(r"\b\w+\b", question) if m.group(0).lower() in _OPPOSITES]
    if words:
        options.append(lambda: _replace(question, words[0], _cased(words[0].group(0), _OPPOSITES[words[0].group(0).lower()])))
    verbs = list(_NEGATABLE.finditer(question))
    if verbs:
        options.append(lambda: _replace(question, verbs[0], f"{verbs[0].group(0)} not"))
    names = list(_NAME.finditer(question))
    if len(names) >= 1:
        options.append(lambda: _replace(question, names[-1], rng.choice(_STAND_INS)))
    if not options:
        return None
    return rng.choice(options)()


_STAND_INS = ("Germany", "Brazil", "Tokyo", "Henry", "Elizabeth", "Chicago", "Egypt", "Microsoft", "Napoleon", "Canada")


def _replace(text: str, match: re.Match[str], new: str) -> str:
    return text[: match.start()] + new + text[match.end() :]


def _other_number(number: str, rng: random.Random) -> str:
    value = int(number.replace(",", ""))
    other = value + rng.choice((1, 2, 3, 5, 10, 20)) * rng.choice((-1, 1))
    return str(other if other >= 0 else value + 7)


def _cased(original: str, new: str) -> str:
    return new.capitalize() if original[:1].isupper() else new


def write_pairs(pairs: Iterable[Pair], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for pair in pairs:
            out.write(json.dumps(asdict(pair)) + "\n")
            count += 1
    return count


def read_pairs(path: Path) -> list[Pair]:
    with path.open(encoding="utf-8") as handle:
        return [Pair(**{**row, "features": tuple(row["features"])}) for row in map(json.loads, handle)]
