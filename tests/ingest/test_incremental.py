"""Re-running ingest: only new and changed text is embedded, and the store always matches the folder.

After every run the store is checked as a whole (``assert_consistent``) and the embedding model's real
calls are counted, independently of what the report says.
"""

from __future__ import annotations

from pathlib import Path

from assistant.settings import Settings
from ingest.pipeline import IngestReport, ingest
from tests.conftest import SQUAD_CORPUS
from tests.ingest.conftest import CliRunner, EmbedCalls
from tests.ingest.store_checks import assert_consistent, open_corpus, write_article

ARTICLES = {
    "sky.txt": SQUAD_CORPUS / "03_Sky_United_Kingdom.txt",
    "amazon.txt": SQUAD_CORPUS / "10_Amazon_rainforest.txt",
    "oil.txt": SQUAD_CORPUS / "08_1973_oil_crisis.txt",
}
NEW_ENDING = (
    "In a later review the regulator found that the new contract had raised prices for viewers, and it "
    "asked the company to offer a cheaper package of matches to other broadcasters from the next season."
)


def statuses(report: IngestReport) -> dict[str, str]:
    return {Path(outcome.path).name: outcome.status for outcome in report.outcomes}


def planned(out: str, status: str, path: Path) -> bool:
    """Whether the printed plan lists ``path`` under ``status`` (the console wraps long lines)."""
    return f"{status}{path}" in "".join(out.split())


def test_reruns_embed_only_new_and_changed_chunks(tmp_path: Path, embed_calls: EmbedCalls) -> None:
    settings, folder = Settings(), tmp_path / "docs"
    for name, source in ARTICLES.items():
        write_article(folder, name, source)

    # New files: every chunk is embedded once.
    first = ingest(folder, settings)
    assert statuses(first) == dict.fromkeys(ARTICLES, "added")
    stored = assert_consistent(settings)
    assert all(len(texts) >= 2 for texts in stored.values())
    assert first.embedded_chunks == first.chunks == sum(map(len, stored.values())) == embed_calls.take()

    # Nothing changed: nothing is parsed or embedded.
    again = ingest(folder, settings)
    assert statuses(again) == dict.fromkeys(ARTICLES, "unchanged")
    assert (again.embedded_chunks, again.chunks, embed_calls.take()) == (0, 0, 0)
    assert assert_consistent(settings) == stored

    # One file's last paragraph edited: only its chunks with new text are embedded.
    sky = write_article(folder, "sky.txt", ARTICLES["sky.txt"], edit=NEW_ENDING)
    edited = ingest(folder, settings)
    assert statuses(edited) == {"sky.txt": "updated", "amazon.txt": "unchanged", "oil.txt": "unchanged"}
    after_edit = assert_consistent(settings)
    new_texts = [text for text in after_edit[str(sky)] if text not in stored[str(sky)]]
    assert NEW_ENDING in after_edit[str(sky)][-1]
    assert 0 < len(new_texts) < len(after_edit[str(sky)])
    assert edited.embedded_chunks == len(new_texts) == embed_calls.take()
    assert edited.reused_embeddings == len(after_edit[str(sky)]) - len(new_texts)
    assert {p: t for p, t in after_edit.items() if p != str(sky)} == {p: t for p, t in stored.items() if p != str(sky)}

    # One file deleted: it and its chunks leave the store.
    oil = folder / "oil.txt"
    oil_id = next(doc.doc_id for doc in open_corpus(settings).documents() if doc.path == str(oil))
    oil.unlink()
    deleted = ingest(folder, settings)
    assert statuses(deleted) == {"sky.txt": "unchanged", "amazon.txt": "unchanged", "oil.txt": "removed"}
    after_delete = assert_consistent(settings)
    assert str(oil) not in after_delete
    assert open_corpus(settings).chunks.get(where={"document_id": oil_id})["ids"] == []
    assert (deleted.embedded_chunks, embed_calls.take()) == (0, 0)

    # One file renamed: same chunks under the new path, nothing embedded, reported once as a rename.
    amazon, renamed_path = folder / "amazon.txt", folder / "rainforest.txt"
    amazon.rename(renamed_path)
    renamed = ingest(folder, settings)
    assert statuses(renamed) == {"sky.txt": "unchanged", "rainforest.txt": "renamed"}
    after_rename = assert_consistent(settings)
    assert sorted(after_rename) == sorted([str(sky), str(renamed_path)])
    assert after_rename[str(renamed_path)] == after_delete[str(amazon)]
    assert (renamed.embedded_chunks, embed_calls.take()) == (0, 0)
    assert renamed.reused_embeddings == len(after_rename[str(renamed_path)])


def test_dry_run_prints_the_plan_and_full_re_embeds_everything(
    tmp_path: Path, embed_calls: EmbedCalls, cli: CliRunner
) -> None:
    settings, folder = Settings(), tmp_path / "docs"
    sky = write_article(folder, "sky.txt", ARTICLES["sky.txt"], paragraphs=2)
    oil = write_article(folder, "oil.txt", ARTICLES["oil.txt"], paragraphs=2)

    code, out, _ = cli("ingest", folder, "--dry-run")
    assert code == 0
    assert "dry run" in out and planned(out, "added", sky) and planned(out, "added", oil)
    assert open_corpus(settings).documents() == [] and open_corpus(settings).chunk_count() == 0
    assert embed_calls.take() == 0

    ingest(folder, settings)
    stored, records = assert_consistent(settings), open_corpus(settings).documents()
    total = sum(map(len, stored.values()))
    embed_calls.take()

    write_article(folder, "oil.txt", ARTICLES["oil.txt"], paragraphs=2, edit=NEW_ENDING)
    (folder / "new.txt").write_text("A new note\n\nThe meeting moved to Thursday at ten.\n", encoding="utf-8")
    sky.unlink()
    code, out, _ = cli("ingest", folder, "--dry-run")
    assert code == 0
    for status, path in (("added", folder / "new.txt"), ("updated", oil), ("removed", sky)):
        assert planned(out, status, path)
    assert assert_consistent(settings) == stored and open_corpus(settings).documents() == records
    assert embed_calls.take() == 0

    sky = write_article(folder, "sky.txt", ARTICLES["sky.txt"], paragraphs=2)
    write_article(folder, "oil.txt", ARTICLES["oil.txt"], paragraphs=2)
    (folder / "new.txt").unlink()
    full = ingest(folder, settings, full=True)
    assert statuses(full) == {"sky.txt": "updated", "oil.txt": "updated"}
    assert full.embedded_chunks == total == embed_calls.take()
    assert full.reused_embeddings == 0
    assert assert_consistent(settings) == stored
