"""Fine-tuning the reader (``assistant/_answering/reader.py``): MiniLM from the wheel as a cross-encoder.

All six encoder layers and the head train (the word-piece embeddings stay the wheel's: they are not
shipped), on each answerable training question's positive sentence and its 3 highest-ranked negatives
from the shortlist, and each unanswerable question's highest-ranked candidate, negative; 2 epochs, pairs
batched by length. The embeddings' output is computed once per pair (``ReaderNet.embed``) instead of once
per epoch.

What was measured on the way (held out by article): the top two layers only, trained the same way,
ranked no better than the signals (76.4% against 77.0% on one fold); all six, as here, put the answer
at the top for 80.3% against 77.9%, and weighed with the signals 83.1% against 80.4%. Adding the
unanswerable questions' best candidates (all three folds): the reader alone separated answerable from
unanswerable questions better on every fold (ROC AUC of its best probability 0.649 / 0.643 / 0.618 →
0.692 / 0.676 / 0.672); weighed with the signals, it ranked a little worse (83.3% → 82.6%) and separated
a little better (at 55% of unanswerable questions refused, 68.8% → 69.4% of answerable ones answered
right; at 75% answered, 41.4% → 42.5% refused).
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from assistant._answering import reader_net
from assistant._answering.reader import Reader, pack, passage_text, tokenizer
from assistant._answering.reader_net import ReaderNet
from assistant._answering.verifier import READER_FEATURES
from assistant._embedding import wheel_model_dir
from assistant.training.pairs import Pair

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipe:
    max_length: int = 96
    epochs: int = 2
    batch_size: int = 32
    learning_rate: float = 5e-5
    # The head starts from nothing and has a few hundred steps to reach the signals' weights.
    head_learning_rate: float = 1e-2
    negatives_per_question: int = 3
    """Hard negatives kept per answerable question: the shortlist's highest-ranked ones."""
    unanswerable_negatives: int = 1
    """Candidates kept per unanswerable question, negative: the shortlist's highest-ranked ones."""
    seed: int = 13


def training_sample(pairs: Sequence[Pair], recipe: Recipe) -> list[Pair]:
    """Answerable questions' positives and their highest-ranked negatives, and the highest-ranked
    candidates of unanswerable questions, negative: the sentence that best matches a question the
    documents do not answer is exactly what the reader must learn to doubt.

    Every candidate of an unanswerable question (and swapped variants of answerable ones) made the reader
    distrust every sentence matching its question when only the top two layers trained (its best candidate
    held the answer for 50% of questions held out, against 76% for the hand-set score)."""
    kept: list[Pair] = []
    negatives: dict[str, int] = defaultdict(int)
    for pair in sorted(pairs, key=lambda p: (p.qid, p.rank)):
        if pair.synthetic:
            continue
        wanted = recipe.unanswerable_negatives if pair.abstain else recipe.negatives_per_question
        if pair.label:
            kept.append(pair)
        elif negatives[pair.qid] < wanted:
            negatives[pair.qid] += 1
            kept.append(pair)
    return kept


class _Batches:
    """Tokenized, length-bucketed batches of pairs."""

    def __init__(self, tokenizer: Any, pairs: Sequence[Pair], recipe: Recipe) -> None:
        encodings = tokenizer.encode_batch([(p.question, passage_text(p.sentence, p.context)) for p in pairs])
        order = sorted(range(len(pairs)), key=lambda i: len(encodings[i].ids))
        self.batches = []
        for start in range(0, len(order), recipe.batch_size):
            rows = order[start : start + recipe.batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = torch.zeros(len(rows), width, dtype=torch.long)
            mask = torch.zeros_like(ids)
            types = torch.zeros_like(ids)
            for r, i in enumerate(rows):
                e = encodings[i]
                n = len(e.ids)
                ids[r, :n], mask[r, :n], types[r, :n] = torch.tensor(e.ids), 1, torch.tensor(e.type_ids)
            features = torch.tensor([pairs[i].reader_features for i in rows], dtype=torch.float32)
            labels = torch.tensor([float(pairs[i].label) for i in rows])
            self.batches.append((ids, mask, types, features, labels))


def train(model_dir: Path, pairs: Sequence[Pair], recipe: Recipe, progress: Callable[[str], None] = log.info) -> ReaderNet:
    """A reader fine-tuned on ``pairs`` (sampled by ``training_sample``)."""
    torch.manual_seed(recipe.seed)
    random.seed(recipe.seed)
    net = ReaderNet(model_dir, len(READER_FEATURES))
    sample = training_sample(pairs, recipe)
    batches = _Batches(tokenizer(model_dir, recipe.max_length), sample, recipe).batches
    started = time.perf_counter()
    net.eval()
    with torch.no_grad():
        embedded = [net.embed(ids, types).to(torch.float16) for ids, _, types, _, _ in batches]
    progress(f"{len(sample)} pairs in {len(batches)} batches; embeddings computed once in {time.perf_counter() - started:.0f} s")
    trained = [p for p in net.parameters() if p.requires_grad and p is not net.head.weight and p is not net.head.bias]
    optimiser = torch.optim.AdamW(
        [{"params": trained, "lr": recipe.learning_rate}, {"params": net.head.parameters(), "lr": recipe.head_learning_rate}],
        weight_decay=0.01,
    )
    steps = recipe.epochs * len(batches)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: min(1.0, (step + 1) / (0.06 * steps)) * max(0.0, (steps - step) / steps))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    order = list(range(len(batches)))
    for epoch in range(recipe.epochs):
        net.train()
        random.shuffle(order)
        total = 0.0
        for n, b in enumerate(order, start=1):
            _, mask, _, features, labels = batches[b]
            loss = loss_fn(net.read(embedded[b].float(), mask, features), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += loss.item()
            if n % 100 == 0:
                progress(f"epoch {epoch + 1}/{recipe.epochs}: {n}/{len(batches)} batches, loss {total / n:.4f}, {time.perf_counter() - started:.0f} s")
    return net.eval()


def read_as_answered(weights: Path, sha256: str, pairs: Sequence[Pair], recipe: Recipe) -> list[float]:
    """Each pair's probability from the reader packed in ``weights`` (``reader.pack``; ``sha256`` its checksum), computed as answers
    compute it: the weights exported to ONNX with int8 matrix products (``Reader``), each question's
    candidates read together. The ranker and the decision are fitted on these reads, so they weigh what
    they will be given: torch's float reads of the same weights differed from them by 0.019 on average
    (at most 0.26) on 2,000 pool pairs, and took twice as long (17.6 against 9.0 ms a pair on 2 cores)."""
    read: list[float] = []
    with tempfile.TemporaryDirectory(prefix="reader-graph-") as graphs:
        reader = Reader(weights, sha256, recipe.max_length, len(READER_FEATURES), wheel_model_dir(), Path(graphs))
        for _, asked in itertools.groupby(pairs, key=lambda p: (p.qid, p.question)):
            group = list(asked)
            passages = [passage_text(p.sentence, p.context) for p in group]
            read += reader.probabilities(group[0].question, passages, [p.reader_features for p in group])
    return read


def _read_held_out(net: ReaderNet, pairs: Sequence[Pair], recipe: Recipe) -> list[float]:
    """``read_as_answered`` with a fold run's reader, packed as a shipped one would be."""
    with tempfile.TemporaryDirectory(prefix="reader-fold-") as folder:
        weights = Path(folder) / "reader.npz"
        return read_as_answered(weights, pack(net.trained_state(), weights), pairs, recipe)


def cross_fitted(
    pairs: Sequence[Pair], folds: Sequence[set[str]], recipe: Recipe, work: Path, final: bool = True
) -> tuple[list[float], dict[str, torch.Tensor] | None, dict[str, float]]:
    """Every real pair's probability from a reader fine-tuned without its article's fold (what the ranker
    and the decision are fitted and cross-validated on), the state of a reader fine-tuned on every article
    (what ships; None without ``final``), and the seconds each run took. Runs are kept under ``work``,
    named by pairs, recipe and folds: a fold run kept from other folds held out other articles."""
    model_dir = wheel_model_dir()
    runs = work / f"reader-{_digest(pairs, recipe, folds)}"
    runs.mkdir(parents=True, exist_ok=True)
    read = np.zeros(len(pairs), dtype=np.float32)
    for n, held_out in enumerate(folds):
        rows = [i for i, p in enumerate(pairs) if p.doc in held_out and not p.synthetic]
        with _run(runs / f"fold{n}.npy") as saved:
            if saved:
                log.info("reader fold %d/%d: fine-tuning without %s", n + 1, len(folds), ", ".join(sorted(held_out)))
                net = train(model_dir, [p for p in pairs if p.doc not in held_out], recipe)
                np.save(saved, np.asarray(_read_held_out(net, [pairs[i] for i in rows], recipe), dtype=np.float32))
        read[rows] = np.load(runs / f"fold{n}.npy")
    if not final:
        return read.tolist(), None, _seconds(runs)
    with _run(runs / "final.pt") as saved:
        if saved:
            log.info("reader: fine-tuning on every article")
            torch.save(train(model_dir, pairs, recipe).trained_state(), saved)
    return read.tolist(), torch.load(runs / "final.pt"), _seconds(runs)


def _seconds(runs: Path) -> dict[str, float]:
    return {path.name.split(".")[0]: float(path.read_text()) for path in sorted(runs.glob("*.seconds"))}


@contextmanager
def _run(result: Path) -> Iterator[Path | None]:
    """Yields a path to write ``result`` to when it still has to be made (else None); once written, it
    becomes ``result`` (a run killed halfway leaves no result to trust) with how long it took beside it."""
    if result.exists():
        yield None
        return
    started = time.perf_counter()
    partial = result.with_name(f"partial-{result.name}")
    yield partial
    result.with_suffix(".seconds").write_text(f"{time.perf_counter() - started:.0f}")
    partial.replace(result)


#: The code a run is made by besides its recipe: how pairs are sampled and the network is fine-tuned.
RUN_CODE = (Path(__file__), Path(reader_net.__file__))


def _digest(pairs: Sequence[Pair], recipe: Recipe, folds: Sequence[set[str]]) -> str:
    """Names a run by its pairs, recipe, folds and ``RUN_CODE``: a run kept from other sampling code
    would be reused as if it had been made by this one."""
    digest = hashlib.sha256(repr((asdict(recipe), [sorted(fold) for fold in folds])).encode())
    for path in RUN_CODE:
        digest.update(path.read_bytes())
    for p in pairs:
        digest.update(repr((p.qid, p.question, p.sentence, p.context, p.reader_features, p.label, p.rank, p.synthetic)).encode())
    return digest.hexdigest()[:12]
