"""The corpora the bench ingests: copies of the shared evaluation articles, and generated folders.

Generated documents are realistic and distinct: each recombines a run of paragraphs from one SQuAD
article (sometimes with one paragraph of another), and every paragraph gets a sentence of its own with
a unique record number, name, place and date, so no two chunks are equal and nothing can be skipped as
a duplicate. Everything is written under a temporary folder; the shared files are only read.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SQUAD_DIR = SHARED / "eval" / "squad2"
MIXED_DIR = SHARED / "eval" / "mixed"
SHARED_CORPORA = {"squad2": SQUAD_DIR / "corpus", "mixed": MIXED_DIR / "corpus"}

_FILES_PER_FOLDER = 250
# Sample of generated documents the real splitter chunks to learn how many words make a chunk.
_CALIBRATION_DOCS = 40
_NAMES = ("Amara Okafor", "Lukas Brandt", "Mei Tanaka", "Rafael Ortiz", "Ingrid Holm", "Tomasz Wilk", "Aisha Rahman", "Pierre Lavoie")
_PLACES = ("Tromsø", "Valparaíso", "Kraków", "Nagoya", "Windhoek", "Tampere", "Mendoza", "Leuven", "Halifax", "Ipoh")


@dataclass(frozen=True)
class BenchCorpus:
    """A folder the bench ingests; ``target_chunks`` is set for generated corpora."""

    name: str
    path: Path
    files: int
    words: int
    target_chunks: int | None = None

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "path": str(self.path), "files": self.files, "words": self.words, "target_chunks": self.target_chunks}


def copy_shared(name: str, dest: Path) -> BenchCorpus:
    """A writable copy of a shared corpus (``squad2`` or ``mixed``): re-ingest tests edit a file of it."""
    source = SHARED_CORPORA[name]
    if not source.is_dir():
        raise FileNotFoundError(f"{source} is missing: the bench reads the shared evaluation corpora next to the repository")
    shutil.copytree(source, dest, copy_function=shutil.copyfile)
    for path in [dest, *dest.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return _describe(name, dest)


def generate(dest: Path, chunks: int, *, chunk_tokens: int = 200, chunk_overlap: int = 30, seed: int = 7) -> BenchCorpus:
    """Write about ``chunks`` chunks' worth of distinct documents (at the given chunk settings) under ``dest``."""
    rng = random.Random(seed)
    articles = _squad_articles()
    documents = (_document(rng, articles, number) for number in range(1_000_000))
    sample = [next(documents) for _ in range(_CALIBRATION_DOCS)]
    words_per_chunk = _words_per_chunk(sample, chunk_tokens, chunk_overlap)
    budget = chunks * words_per_chunk
    for number, (title, text) in enumerate(itertools.chain(sample, documents)):
        if budget <= 0:
            break
        folder = dest / f"part{number // _FILES_PER_FOLDER:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{number:05d}_{_slug(title)}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
        budget -= len(text.split())
    return _describe(f"gen-{chunks}", dest, target_chunks=chunks)


def change_one_file(root: Path, stamp: str) -> Path:
    """Edit one text file the way a person does: a sentence added in the middle paragraph."""
    candidates = sorted(p for p in root.rglob("*") if p.suffix.lower() in {".txt", ".md"})
    if not candidates:
        raise FileNotFoundError(f"no .txt or .md file under {root} to edit")
    path = candidates[len(candidates) // 2]
    paragraphs = path.read_text(encoding="utf-8").split("\n\n")
    middle = len(paragraphs) // 2
    paragraphs[middle] = paragraphs[middle].rstrip() + f" This paragraph was revised in edit {stamp}."
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    return path


def questions(limit: int) -> list[str]:
    """``limit`` questions of the SQuAD dev set, read at run time: answerable and unanswerable in turn,
    each kind spread over all the articles (an abstention takes a different path to its answer)."""
    cases = json.loads((SQUAD_DIR / "qa_dev.json").read_text(encoding="utf-8"))["cases"]
    answerable = _spread([c["turns"][0] for c in cases if not c.get("abstain")], (limit + 1) // 2)
    unanswerable = _spread([c["turns"][0] for c in cases if c.get("abstain")], limit // 2)
    return [q for pair in itertools.zip_longest(answerable, unanswerable) for q in pair if q is not None]


def _spread(items: list[str], count: int) -> list[str]:
    return items[:: max(1, len(items) // count)][:count] if count else []


def _squad_articles() -> list[tuple[str, list[str]]]:
    articles = []
    for path in sorted((SQUAD_DIR / "corpus").glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        articles.append((title.strip(), [p.strip() for p in body.split("\n\n") if p.strip()]))
    return articles


def _document(rng: random.Random, articles: list[tuple[str, list[str]]], number: int) -> tuple[str, str]:
    title, paragraphs = rng.choice(articles)
    length = min(len(paragraphs), rng.randint(2, 10))
    start = rng.randrange(len(paragraphs) - length + 1)
    chosen = paragraphs[start : start + length]
    if rng.random() < 0.3:
        chosen.insert(rng.randrange(len(chosen) + 1), rng.choice(rng.choice(articles)[1]))
    code = f"R{number:05d}"
    body = [_inject(rng, paragraph, f"{code}-{i}") for i, paragraph in enumerate(chosen)]
    return f"{title} — field notes {code}", "\n\n".join(body)


def _inject(rng: random.Random, paragraph: str, record: str) -> str:
    """Put a unique sentence at a random sentence boundary of ``paragraph``."""
    sentences = re.split(r"(?<=[.!?])\s+", paragraph)
    unique = (
        f"Record {record} was filed by {rng.choice(_NAMES)} in {rng.choice(_PLACES)} "
        f"on {rng.randint(1, 28)} {rng.choice(('March', 'June', 'October'))} {rng.randint(1990, 2024)}."
    )
    sentences.insert(rng.randint(0, len(sentences)), unique)
    return " ".join(sentences)


def _words_per_chunk(sample: list[tuple[str, str]], chunk_tokens: int, chunk_overlap: int) -> float:
    from llama_index.core import Document

    from assistant.settings import Settings
    from ingest import _chunking as chunking

    splitter = chunking.splitter(Settings(chunk_tokens=chunk_tokens, chunk_overlap=chunk_overlap))
    documents = [Document(text=text, metadata={"title": title}) for title, text in sample]
    nodes = splitter.get_nodes_from_documents(documents)
    return sum(len(text.split()) for _, text in sample) / max(1, len(nodes))


def _slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", title.split(" — ")[0]).strip("_")[:40]


def _describe(name: str, root: Path, target_chunks: int | None = None) -> BenchCorpus:
    files = [p for p in root.rglob("*") if p.is_file()]
    words = sum(len(p.read_text(encoding="utf-8", errors="ignore").split()) for p in files if p.suffix != ".pdf")
    return BenchCorpus(name, root, len(files), words, target_chunks)
