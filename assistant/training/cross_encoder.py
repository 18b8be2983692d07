"""An experiment: MiniLM as a cross-encoder verifier (``python -m assistant.training --cross-encoder``).

MiniLM from the wheel reads "[CLS] question [SEP] sentence | title: neighbours [SEP]"; its word pieces
are mean-pooled (the way it was trained to pool) and a linear head reads the pooled vector with the
answerer's signals. Only the top layers and the head train, so each pair's pass through the frozen lower
layers is computed once and kept (fp16) instead of once per epoch, and pairs are batched by length.

It does not ship. Held out by article (fold 1 of 3; trained on the other 12 articles' answerable
questions, 2 epochs, 10 minutes on 2 cores), its best candidate held the answer for 76.4% of answerable
questions against 77.0% for the hand-set score, and weighed with the signals in the ranker it moved
the ranking and the abstention curve by less than a point, at ~100 ms an answer. This module keeps the
experiment reproducible for whoever tries a stronger recipe (more layers, epochs, data).
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from assistant._answering.verifier import FEATURES
from assistant.training.pairs import Pair

log = logging.getLogger(__name__)


class VerifierNet(nn.Module):
    def __init__(self, model_dir: Path, trained_layers: int, n_features: int) -> None:
        super().__init__()
        import transformers
        from transformers import AutoModel

        transformers.logging.disable_progress_bar()
        self.bert = AutoModel.from_pretrained(str(model_dir))
        self.trained_layers = trained_layers
        self.head = nn.Linear(self.bert.config.hidden_size + n_features, 1)
        for name, parameter in self.bert.named_parameters():
            parameter.requires_grad = name.startswith(self.trained_prefixes())

    def trained_prefixes(self) -> tuple[str, ...]:
        first = self.bert.config.num_hidden_layers - self.trained_layers
        return tuple(f"encoder.layer.{i}." for i in range(first, self.bert.config.num_hidden_layers))

    def trained_state(self) -> dict[str, torch.Tensor]:
        """The tensors training changes: what is saved, the rest being the wheel's."""
        prefixes = self.trained_prefixes()
        state = {f"bert.{k}": v for k, v in self.bert.state_dict().items() if k.startswith(prefixes)}
        state.update({f"head.{k}": v for k, v in self.head.state_dict().items()})
        return state

    def _mask(self, attention_mask: torch.Tensor, hidden: torch.Tensor) -> torch.Tensor:
        # An additive mask over the keys, as BERT's eager attention takes it.
        return (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min

    def lower(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        """Hidden states after the frozen layers."""
        hidden = self.bert.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
        mask = self._mask(attention_mask, hidden)
        for layer in self.bert.encoder.layer[: self.bert.config.num_hidden_layers - self.trained_layers]:
            hidden = layer(hidden, attention_mask=mask)
        return hidden

    def upper(self, hidden: torch.Tensor, attention_mask: torch.Tensor, features: torch.Tensor) -> torch.Tensor:
        """Logits from the frozen layers' output."""
        mask = self._mask(attention_mask, hidden)
        for layer in self.bert.encoder.layer[self.bert.config.num_hidden_layers - self.trained_layers :]:
            hidden = layer(hidden, attention_mask=mask)
        weights = attention_mask[..., None].to(hidden.dtype)
        pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1)
        return self.head(torch.cat([pooled, features], dim=-1)).squeeze(-1)

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor, features: torch.Tensor
    ) -> torch.Tensor:
        """Probabilities."""
        return torch.sigmoid(self.upper(self.lower(input_ids, attention_mask, token_type_ids), attention_mask, features))


@dataclass(frozen=True)
class Recipe:
    trained_layers: int = 2
    max_length: int = 96
    epochs: int = 2
    batch_size: int = 32
    # Few steps (~750): at 5e-5 / 1e-3 the head could not even reach the signals' weights (training loss
    # 0.53 where a logistic model on the signals alone gets 0.40).
    learning_rate: float = 1e-4
    head_learning_rate: float = 1e-2
    negatives_per_question: int = 3
    """Hard negatives kept per question: the shortlist's highest-ranked ones."""
    seed: int = 13


def training_sample(pairs: Sequence[Pair], recipe: Recipe) -> list[Pair]:
    """Answerable questions' positives and their highest-ranked negatives.

    The verifier learns to *rank*: which candidate answers. Whether any does is the decision's to learn
    (``decision.py``), from the unanswerable questions. Training the verifier on those too (every
    candidate of an unanswerable question, and swapped variants of answerable ones, negative) made
    sentences that match the question look like non-answers: held out by article, its best candidate
    held the answer for 50% of questions, against 76% for the hand-set score it was meant to improve."""
    kept: list[Pair] = []
    negatives: dict[str, int] = defaultdict(int)
    for pair in sorted(pairs, key=lambda p: (p.qid, p.rank)):
        if pair.abstain or pair.synthetic:
            continue
        if pair.label:
            kept.append(pair)
        elif negatives[pair.qid] < recipe.negatives_per_question:
            negatives[pair.qid] += 1
            kept.append(pair)
    return kept


class _Batches:
    """Tokenized, length-bucketed batches of pairs."""

    def __init__(self, tokenizer: object, pairs: Sequence[Pair], recipe: Recipe) -> None:
        encodings = tokenizer.encode_batch([(p.question, f"{p.sentence} | {p.context}") for p in pairs])  # type: ignore[attr-defined]
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
            features = torch.tensor([pairs[i].features for i in rows], dtype=torch.float32)
            labels = torch.tensor([float(pairs[i].label) for i in rows])
            self.batches.append((rows, ids, mask, types, features, labels))


def tokenizer(model_dir: Path, max_length: int) -> object:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.enable_truncation(max_length, strategy="only_second")
    tok.no_padding()
    return tok


def train(model_dir: Path, pairs: Sequence[Pair], recipe: Recipe, progress: Callable[[str], None] = log.info) -> VerifierNet:
    """A verifier fine-tuned on ``pairs`` (sampled by ``training_sample``)."""
    torch.manual_seed(recipe.seed)
    random.seed(recipe.seed)
    net = VerifierNet(model_dir, recipe.trained_layers, len(FEATURES))
    sample = training_sample(pairs, recipe)
    batches = _Batches(tokenizer(model_dir, recipe.max_length), sample, recipe).batches
    started = time.perf_counter()
    net.eval()
    with torch.no_grad():
        lower = [net.lower(ids, mask, types).to(torch.float16) for _, ids, mask, types, _, _ in batches]
    progress(f"{len(sample)} pairs in {len(batches)} batches; frozen layers run once in {time.perf_counter() - started:.0f} s")
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
            _, _, mask, _, features, labels = batches[b]
            loss = loss_fn(net.upper(lower[b].float(), mask, features), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            total += loss.item()
            if n % 100 == 0:
                progress(f"epoch {epoch + 1}/{recipe.epochs}: {n}/{len(batches)} batches, loss {total / n:.4f}, {time.perf_counter() - started:.0f} s")
    return net.eval()


def predict(net: VerifierNet, model_dir: Path, pairs: Sequence[Pair], recipe: Recipe) -> np.ndarray:
    """The verifier's probability for every pair, in order."""
    out = np.zeros(len(pairs), dtype=np.float32)
    with torch.no_grad():
        for rows, ids, mask, types, features, _ in _Batches(tokenizer(model_dir, recipe.max_length), pairs, recipe).batches:
            out[rows] = net(ids, mask, types, features).numpy()
    return out


def swapped_ranked_below(pairs: Sequence[Pair], probabilities: np.ndarray) -> float:
    """Share of swapped variants the verifier scores below their answerable question, on the same sentence."""
    answers = {(p.qid, p.sentence): float(q) for p, q in zip(pairs, probabilities) if p.label and not p.synthetic}
    pairs_of = [(answers[(p.qid, p.sentence)], float(q)) for p, q in zip(pairs, probabilities) if p.synthetic and (p.qid, p.sentence) in answers]
    return sum(a > s for a, s in pairs_of) / max(1, len(pairs_of))
