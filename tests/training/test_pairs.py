"""The verifier's training data: labels, swapped variants, the sample trained on, the pool's paragraphs."""

from __future__ import annotations

import dataclasses

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant._answering.reader import file_sha256, passage_text
from assistant._answering.verifier import CONFIG, FEATURES, RANKER_FEATURES, READER_FILE, Verifier
from assistant.training import __main__ as training
from assistant.training import reader as reader_training
from assistant.training.reader import Recipe, training_sample
from assistant.training.decision import cross_validated, fit, fit_logistic
from assistant.training.heldout import Outcome, folds_by_article, rates, shortlists
from assistant.training.pairs import Pair, label, load_pool, paragraph, read_pairs, swap, write_pairs


def pair(
    qid: str, label_: int, rank: int, *, doc: str = "a.txt", abstain: bool = False, synthetic: bool = False,
    features: tuple[float, ...] = (1.0,) * len(FEATURES),
) -> Pair:
    return Pair(qid, doc, "q?", "s.", "ctx", features, label_, rank, abstain, synthetic)


def test_a_sentence_holding_the_answer_is_positive_only_in_the_gold_paragraph() -> None:
    answers = ["Denmark, Iceland and Norway"]
    assert label("The Norse came from Denmark, Iceland and Norway.", True, answers) == 1
    # Same answer text elsewhere may well answer too: neither label, so it is not trained on.
    assert label("Raiders from Denmark, Iceland and Norway came later.", False, answers) is None
    assert label("The Normans settled in France.", True, answers) == 0
    assert label("Matching ignores “case” and curly quotes: DENMARK, ICELAND AND NORWAY", True, answers) == 1


def test_swapped_variants_change_one_detail_and_are_deterministic() -> None:
    question = "What did the Normans build in 1066?"
    variant = swap(question, "q1")
    assert variant is not None and variant != question
    assert variant == swap(question, "q1")
    changed = set(variant.rstrip("?").split()) ^ set(question.rstrip("?").split())
    assert 1 <= len(changed) <= 3, (question, variant)
    assert swap("why", "q2") is None


def test_the_sample_is_positives_and_top_ranked_negatives_of_both_kinds_of_question() -> None:
    pairs = [pair("q", 0, r) for r in range(8)] + [pair("q", 1, 5), pair("q", 0, 0, abstain=True, synthetic=True)]
    pairs += [pair("u", 0, r, abstain=True) for r in range(4)]
    sample = training_sample(pairs, Recipe(negatives_per_question=3, unanswerable_negatives=1))
    assert sorted(p.rank for p in sample if not p.label and p.qid == "q") == [0, 1, 2]
    assert [p.rank for p in sample if p.qid == "u"] == [0]
    assert sum(p.label for p in sample) == 1
    assert not any(p.synthetic for p in sample)


def test_pairs_are_named_by_the_code_and_the_loaded_documents_that_build_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pairs kept from other answer-path code, or from documents that loaded otherwise, would train on
    signals the answerer no longer computes; a loader change that loads the corpus as before keeps them."""
    for name in ("assistant/_answering/verifier.py", "assistant/training/pairs.py", "ingest/_chunking.py", "ingest/loaders/_pdf.py", "docs/notes.md", "questions.json", "corpus/a.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(training, "_ROOT", tmp_path)
    named = lambda: training._digest(tmp_path / "questions.json", tmp_path / "corpus")  # noqa: E731
    before = named()
    for name in ("docs/notes.md", "ingest/loaders/_pdf.py"):
        (tmp_path / name).write_text("other code\n", encoding="utf-8")
        assert named() == before, name
    loaded = training.load_document
    monkeypatch.setattr(training, "load_document", lambda path, data: dataclasses.replace(loaded(path, data), title="Retitled"))
    assert named() != before
    monkeypatch.setattr(training, "load_document", loaded)
    for name in ("assistant/_answering/verifier.py", "assistant/training/pairs.py", "ingest/_chunking.py", "corpus/a.txt", "questions.json"):
        changed = named()
        (tmp_path / name).write_text("x = 2\n", encoding="utf-8")
        assert named() != changed, name


def test_pairs_come_back_from_their_file_as_written(tmp_path: Path) -> None:
    pairs = [pair("q", 1, 0), pair("q", 0, 1, abstain=True, synthetic=True, features=(0.25,) * len(FEATURES))]
    assert write_pairs(pairs, tmp_path / "pairs.jsonl") == 2
    assert read_pairs(tmp_path / "pairs.jsonl") == pairs


def test_question_level_rates_judge_the_best_candidate() -> None:
    found = [Outcome("a", "a.txt", False, 0.9, True), Outcome("u", "a.txt", True, 0.4, False)]
    assert rates(found, 0.5) == {
        "threshold": 0.5, "answerable": 1.0, "abstention_recall": 1.0, "abstention_precision": 1.0, "top_is_answer": 1.0,
    }
    assert rates(found, 0.35)["abstention_recall"] == 0.0
    assert rates(found, 0.95)["answerable"] == 0.0


def test_shortlists_group_a_questions_candidates_and_leave_out_swapped_variants() -> None:
    pairs = [pair("q", 0, 0), pair("q", 1, 1), pair("q", 0, 0, abstain=True, synthetic=True), pair("u", 0, 0, abstain=True)]
    found = {s.qid: s for s in shortlists(pairs, [0.1, 0.2, 0.3, 0.4])}
    assert [p.rank for p in found["q"].pairs] == [0, 1] and found["u"].abstain
    assert found["q"].read == [0.1, 0.2] and found["u"].read == [0.4]


def test_folds_split_by_article() -> None:
    pairs = [pair(str(i), 0, 0, doc=f"{i % 5}.txt") for i in range(20)]
    folds = folds_by_article(pairs, 3)
    assert set().union(*folds) == {f"{i}.txt" for i in range(5)}
    assert sum(len(f) for f in folds) == 5


def test_pool_paragraphs_are_the_blocks_after_the_title(tmp_path: Path) -> None:
    (tmp_path / "00_X.txt").write_text("X\n\nFirst block.\n\nSecond block\nstill second.\n", encoding="utf-8")
    assert paragraph(tmp_path, "00_X.txt", 1) == "Second block\nstill second."
    pool = tmp_path / "pool.json"
    pool.write_text(json.dumps({"cases": [{"id": "1", "question": "Q?", "doc": "00_X.txt", "para": 0, "answers": ["First"], "abstain": False}]}))
    [item] = load_pool(pool)
    assert item.answers == ("First",) and not item.abstain


def test_ranker_and_decision_learn_from_the_signals() -> None:
    """Answerable questions have one candidate covering the question; unanswerable ones none: the ranker
    must pick the covering candidate, the decision must tell the two kinds of question apart."""
    rng = np.random.default_rng(0)
    pairs = []
    for q in range(120):
        abstain = q % 2 == 1
        answer_at = int(rng.integers(0, 4))
        for r in range(4):
            answers = not abstain and r == answer_at
            cover = 0.9 if answers else float(rng.uniform(0.1, 0.5))
            anchors = 1.0 if answers else float(rng.uniform(0, 1))
            features = (cover, cover, anchors, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0)
            pairs.append(pair(f"q{q}", int(answers), r, doc=f"{q % 6}.txt", abstain=abstain, features=features))
    uninformed = [0.5] * len(pairs)  # the reader tells nothing here: the signals must do it
    found = shortlists(pairs, uninformed)
    ranker, _ = fit(found)
    outcomes = cross_validated(found, folds_by_article(pairs, 3))
    assert rates(outcomes, 0.5)["answerable"] > 0.9 and rates(outcomes, 0.5)["abstention_recall"] > 0.9
    assert ranker.weights[RANKER_FEATURES.index("focus")] > 0, "covering the question's words counts for the answer"


def test_a_weighted_row_counts_as_that_many_copies() -> None:
    rng = np.random.default_rng(1)
    rows = rng.normal(size=(40, 2))
    labels = (rows[:, 0] + rng.normal(scale=0.5, size=40) > 0).astype(float)
    weights = np.ones(40)
    weights[:10] = 3.0
    weighted = fit_logistic(rows, labels, ("a", "b"), weights)
    copied = fit_logistic(np.vstack([rows, rows[:10], rows[:10]]), np.concatenate([labels, labels[:10], labels[:10]]), ("a", "b"))
    assert np.allclose(weighted.weights, copied.weights) and np.isclose(weighted.bias, copied.bias)


WRITTEN = Path(__file__).resolve().parents[2] / "assistant" / "training" / "written"
SHARED_EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"


def test_written_questions_are_answered_by_their_documents_text_and_are_no_evaluation_case() -> None:
    from assistant.evaluation.scoring import normalise
    from ingest.loaders import load_document

    questions = load_pool(WRITTEN / "questions.json")
    assert len({q.id for q in questions}) == len(questions) and all(q.para == -1 for q in questions)
    texts = {}
    for q in questions:
        path = WRITTEN / "corpus" / q.doc
        texts.setdefault(q.doc, normalise(load_document(path, path.read_bytes()).text))
        assert q.abstain == (not q.answers)
        assert all(normalise(a) in texts[q.doc] for a in q.answers), (q.id, q.answers)
    evaluated = set()
    for golden in (Path(__file__).resolve().parents[2] / "assistant/evaluation/golden/seeds.json", Path(__file__).resolve().parents[2] / "eval/mixed.json", SHARED_EVAL / "squad2/qa_dev.json"):
        evaluated |= {normalise(turn) for case in json.loads(golden.read_text(encoding="utf-8"))["cases"] for turn in case["turns"]}
    assert not evaluated & {normalise(q.question) for q in questions}


def test_keeping_the_reader_copies_its_weights(tmp_path: Path) -> None:
    """``--keep-reader`` refits the ranker and decision around the shipped reader: its weights reach the
    output unchanged."""
    entry = training._kept_reader(tmp_path, Recipe())
    assert file_sha256(tmp_path / entry["file"]) == entry["sha256"] == json.loads(CONFIG.read_text(encoding="utf-8"))["reader"]["sha256"]


def test_training_reads_a_questions_candidates_as_answers_read_them() -> None:
    """The ranker and decision are fitted on what the answer path will give them: training's reads of a
    question's candidates are the shipped verifier's, to the bit (not torch's float arithmetic)."""
    question = "Which countries does the Trans-Balkan route pass through?"
    candidates = [
        ("Naftogaz signed a deal to buy gas via the Trans-Balkan route through Bulgaria, Romania, and into Ukraine.", (0.6, 0.6, 1.0, 1.0, 0.5, 0.6, 1.0, 1.0)),
        ("The following night, Russian strikes hit an oil depot in Odesa region.", (0.0, 0.1, 1.0, 1.0, 0.5, 0.2, 0.5, 1.0)),
    ]
    pairs = [Pair("q1", "a.txt", question, sentence, "Gas deals", (*signals, 1.0), 0, rank, False) for rank, (sentence, signals) in enumerate(candidates)]
    shipped = json.loads(CONFIG.read_text(encoding="utf-8"))["reader"]
    read = reader_training.read_as_answered(CONFIG.parent / shipped["file"], shipped["sha256"], pairs, Recipe())
    answering = Verifier().reader.probabilities(question, [passage_text(p.sentence, p.context) for p in pairs], [p.reader_features for p in pairs])
    assert read == answering
    assert read[0] > read[1]


def test_keeping_a_reader_that_does_not_match_its_checksum_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copyfile(CONFIG, tmp_path / CONFIG.name)
    (tmp_path / READER_FILE).write_bytes(b"not the reader")
    monkeypatch.setattr(training, "CONFIG", tmp_path / CONFIG.name)
    with pytest.raises(SystemExit, match="leave out --keep-reader"):
        training._kept_reader(tmp_path / "out", Recipe())


def test_reader_runs_are_named_by_the_code_that_makes_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fold run kept from other sampling or fine-tuning code would be reused as this code's."""
    pairs = [pair("q1", 1, 0), pair("q1", 0, 1)]
    code = tmp_path / "reader.py"
    code.write_text("sampling = 1\n", encoding="utf-8")
    monkeypatch.setattr(reader_training, "RUN_CODE", (code,))
    before = reader_training._digest(pairs, Recipe(), [{"a.txt"}])
    code.write_text("sampling = 2\n", encoding="utf-8")
    assert reader_training._digest(pairs, Recipe(), [{"a.txt"}]) != before
