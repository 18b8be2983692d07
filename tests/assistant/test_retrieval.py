"""The dense side of retrieval returns the chunks truly nearest the question, whichever process asks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from llama_index.core.schema import QueryBundle

from assistant import Assistant, Settings
from ingest.pipeline import ingest

WRITTEN = Path(__file__).resolve().parents[2] / "assistant" / "training" / "written"


def test_the_dense_search_finds_the_nearest_chunks_not_an_approximation(settings: Settings) -> None:
    # 326 chunks of 23 documents, each of 549 questions: at Chroma's default search breadth its approximate
    # index left a chunk of the true 12 out for 0 to 3 questions a store ("When was version 1.0.0
    # released?" among them, whose answer flipped from one evaluation run to the next); this test then
    # failed 2 times in 3 (the index differs from one ingest to the next).
    ingest(WRITTEN / "corpus", settings)
    retriever = Assistant(settings)._retriever
    stored = retriever.corpus.chunks.get(include=["embeddings"])
    vectors = np.asarray(stored["embeddings"], dtype=np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    questions = [case["question"] for case in json.loads((WRITTEN / "questions.json").read_text(encoding="utf-8"))["cases"]]

    for question in questions:
        asked = np.asarray(retriever.question_vector(question), dtype=np.float64)
        similarity = vectors @ (asked / np.linalg.norm(asked))
        nearest = sorted(stored["ids"], key=lambda i, at={i: n for n, i in enumerate(stored["ids"])}: (-round(similarity[at[i]], 6), i))[:12]
        found = retriever._dense(QueryBundle(question, embedding=retriever.question_vector(question)), 12, None)
        assert [n.node.node_id for n in found] == nearest, question


def test_the_chunk_keyword_search_ranks_first_is_always_retrieved(settings: Settings) -> None:
    # Fused by rank alone, a chunk only keyword search finds ranked below every chunk both searches hold:
    # "What runs as the messagebus user?" lost the only chunk naming messagebus (BM25 1.40, next 1.24) to six
    # chunks each search ranked middling. Without the rule 17 of these 549 questions lost their first match.
    ingest(WRITTEN / "corpus", settings)
    retriever = Assistant(settings)._retriever
    questions = [case["question"] for case in json.loads((WRITTEN / "questions.json").read_text(encoding="utf-8"))["cases"]]

    for question in questions:
        keyword = retriever._sparse(QueryBundle(question, embedding=retriever.question_vector(question)), 12, None)
        passages = retriever.retrieve(question)
        assert len(passages) == retriever.top_k
        if keyword:
            assert keyword[0].node.get_content() in {p.text for p in passages}, question
