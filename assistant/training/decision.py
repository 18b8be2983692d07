"""Fitting the verifier: which candidate answers (the ranker), and whether any does (the decision).

- The **ranker** is fitted on the answerable questions' candidates: label 1 for a candidate in the gold
  paragraph holding a gold answer.
- The **decision** is fitted on every question's ranked shortlist: label 1 when the question is
  answerable and the answer shown holds it (the best candidate, or the runner-up that joins it), so its
  output is the probability that the answer shown is right. The questions written like users'
  (``assistant/training/written``) fit it too.

Newton's method with a small L2 penalty: a few features and tens of thousands of rows need no library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant._answering.verifier import DECISION_FEATURES, JOIN_SHARE, RANKER_FEATURES, Logistic, decision_features, ranker_features
from assistant.training.heldout import Outcome, Shortlist

L2 = 1.0


def fit_logistic(rows: np.ndarray, labels: np.ndarray, names: Sequence[str], weights: np.ndarray | None = None) -> Logistic:
    """Logistic regression by Newton's method; ``weights`` (default 1) count each row that many times."""
    weights = np.ones(len(rows)) if weights is None else weights
    mean = np.average(rows, axis=0, weights=weights)
    scale = np.sqrt(np.average((rows - mean) ** 2, axis=0, weights=weights)) + 1e-6
    z = np.hstack([(rows - mean) / scale, np.ones((len(rows), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * L2
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1 / (1 + np.exp(-(z @ w)))
        step = np.linalg.solve((z * (weights * p * (1 - p))[:, None]).T @ z + penalty, z.T @ (weights * (p - labels)) + penalty @ w)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Logistic(tuple(names), tuple(w[:-1].tolist()), float(w[-1]), tuple(mean.tolist()), tuple(scale.tolist()))


def _ranker_rows(s: Shortlist) -> list[tuple[float, ...]]:
    return [ranker_features(read, pair.features) for read, pair in zip(s.read, s.pairs)]


@dataclass(frozen=True)
class _Judged:
    shortlist: Shortlist
    scores: list[float]

    @property
    def best(self) -> int:
        return int(np.argmax(self.scores))

    def decision_row(self) -> tuple[float, ...]:
        return decision_features(self.scores, self.shortlist.read[self.best], self.shortlist.pairs[self.best].features)

    def answers(self) -> bool:
        """Whether the answer shown holds the answer: the best candidate, or the runner-up that joins it."""
        if self.shortlist.abstain:
            return False
        order = np.argsort(self.scores)[::-1][:2]
        shown = [i for i in order if self.scores[i] >= self.scores[order[0]] * JOIN_SHARE]
        return any(self.shortlist.pairs[i].label for i in shown)


def _judge(ranker: Logistic, found: Sequence[Shortlist]) -> list[_Judged]:
    return [_Judged(s, ranker.probabilities(_ranker_rows(s)).tolist()) for s in found]


def fit(found: Sequence[Shortlist], written: Sequence[Shortlist] = ()) -> tuple[Logistic, Logistic]:
    """(ranker, decision): the ranker fitted on ``found``'s answerable questions, the decision on ``found``
    and ``written`` together, each question counted ``Shortlist.weight`` times.

    The written questions (``assistant/training/written``) do not fit the ranker: fitted with them, it
    ranked the candidates of written documents it had not seen worse (best candidate right 69.2% of
    answerable questions, 66.8% with them at weight 1, 63.6% at 5; pool fold 0, inner folds by document)."""
    answerable = [s for s in found if not s.abstain]
    rows = np.array([row for s in answerable for row in _ranker_rows(s)])
    labels = np.array([float(pair.label) for s in answerable for pair in s.pairs])
    ranker = fit_logistic(rows, labels, RANKER_FEATURES)
    judged = _judge(ranker, [*found, *written])
    decision_rows = np.array([j.decision_row() for j in judged])
    decision_labels = np.array([float(j.answers()) for j in judged])
    decision = fit_logistic(decision_rows, decision_labels, DECISION_FEATURES, np.array([j.shortlist.weight for j in judged]))
    return ranker, decision


def outcomes(ranker: Logistic, decision: Logistic, found: Sequence[Shortlist]) -> list[Outcome]:
    judged = _judge(ranker, found)
    confidence = decision.probabilities([j.decision_row() for j in judged]).tolist() if judged else []
    return [Outcome(j.shortlist.qid, j.shortlist.doc, j.shortlist.abstain, c, j.answers()) for j, c in zip(judged, confidence)]


def cross_validated(found: Sequence[Shortlist], folds: Sequence[set[str]], written: Sequence[Shortlist] = ()) -> list[Outcome]:
    """Each question's outcome (``found``'s, then ``written``'s) from a ranker and decision fitted without
    its fold's documents."""
    result: list[Outcome] = []
    for held_out in folds:
        ranker, decision = fit([s for s in found if s.doc not in held_out], [s for s in written if s.doc not in held_out])
        result += outcomes(ranker, decision, [s for s in [*found, *written] if s.doc in held_out])
    return result
