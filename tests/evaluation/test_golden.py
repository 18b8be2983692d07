"""Golden-set loading: the packaged seeds set is sound, malformed files fail clearly, squad2 loads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import InvalidGoldenSet
from assistant.evaluation.golden import GoldenCase, GoldenSet, default_golden_path, load_golden
from assistant.evaluation.scoring import normalise
from ingest.loaders import load_document

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "000_1b26b4ebeceedaf2.txt"
SQUAD_DEV = REPO.parent / "shared" / "eval" / "squad2" / "qa_dev.json"
MIXED_SET = REPO / "eval" / "mixed.json"
MIXED_CORPUS = REPO.parent / "shared" / "eval" / "mixed" / "corpus"


@pytest.fixture(scope="module")
def seeds() -> GoldenSet:
    return load_golden(default_golden_path())


@pytest.fixture(scope="module")
def article() -> str:
    """The seed article's body, without its title, site and date header lines."""
    return SEED.read_text(encoding="utf-8").split("\n", 4)[4]


def test_packaged_set_loads_with_enough_cases(seeds: GoldenSet) -> None:
    assert default_golden_path().is_file()
    assert seeds.about and seeds.path == default_golden_path()
    assert len(seeds) >= 40
    assert sum(case.abstain for case in seeds.cases) >= 10


def test_packaged_set_has_follow_up_conversations(seeds: GoldenSet) -> None:
    turn_counts = {len(case.turns) for case in seeds.cases}
    assert {1, 2, 3} <= turn_counts
    assert any(case.abstain and len(case.turns) > 1 for case in seeds.cases)


def test_every_case_has_a_kind(seeds: GoldenSet) -> None:
    kinds = {"who", "what", "when", "where", "why", "how-many", "which", "follow-up", "metadata", "absent"}
    assert {case.kind for case in seeds.cases} == kinds
    assert all(case.abstain == (case.kind == "absent") for case in seeds.cases)


def test_support_is_an_exact_substring_of_the_article(seeds: GoldenSet, article: str) -> None:
    missing = [case.id for case in seeds.cases if case.support is not None and case.support not in article]
    assert missing == []


def test_must_alternatives_come_from_the_article(seeds: GoldenSet, article: str) -> None:
    text = normalise(article)
    unfound = [
        (case.id, group)
        for case in seeds.cases
        if case.kind != "metadata"
        for group in case.must
        if not any(normalise(alt) in text for alt in group)
    ]
    assert unfound == []


def test_support_holds_an_answer_to_its_case(seeds: GoldenSet) -> None:
    # A citation quoting the support passage must also let an extractive answer pass the must check.
    unfound = [
        (case.id, group)
        for case in seeds.cases
        if case.support is not None
        for group in case.must
        if not any(normalise(alt) in normalise(case.support) for alt in group)
    ]
    assert unfound == []


def test_metadata_cases_have_no_support(seeds: GoldenSet) -> None:
    metadata = [case for case in seeds.cases if case.kind == "metadata"]
    assert metadata and all(case.support is None for case in metadata)


def test_squad2_dev_set_loads() -> None:
    if not SQUAD_DEV.is_file():
        pytest.skip(f"{SQUAD_DEV} is not present")
    squad = load_golden(SQUAD_DEV)
    assert len(squad) == 252
    assert sum(case.abstain for case in squad.cases) == 126
    assert squad.cases[0].extra == {"doc": "00_Normans.txt", "para": 1}


def test_mixed_set_cites_what_the_loaders_extract() -> None:
    """eval/mixed.json's supports are exact passages of the text our loaders get from the real files,
    and hold an answer; a loader change that breaks one shows here rather than as a lower score."""
    if not MIXED_CORPUS.is_dir():
        pytest.skip(f"{MIXED_CORPUS} is not present")
    mixed = load_golden(MIXED_SET)
    texts = {path.name: load_document(path, path.read_bytes()).text for path in MIXED_CORPUS.iterdir()}

    assert {case.extra.get("doc") for case in mixed.cases if not case.abstain} == set(texts)
    assert [c.id for c in mixed.cases if c.support is not None and c.support not in texts[c.extra["doc"]]] == []
    assert [
        c.id
        for c in mixed.cases
        if c.support is not None and not all(any(normalise(a) in normalise(c.support) for a in group) for group in c.must)
    ] == []


# --- malformed input -----------------------------------------------------------------------------


def write(tmp_path: Path, cases: object, name: str = "bad.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"about": "test", "cases": cases}), encoding="utf-8")
    return path


GOOD = {"id": "ok", "turns": ["Who?"], "must": [["Kovalenko"]]}


def test_minimal_valid_case_and_extra_keys(tmp_path: Path) -> None:
    golden = load_golden(write(tmp_path, [GOOD | {"kind": "who"}, {"id": "no", "turns": ["?"], "abstain": True}]))
    assert golden.cases[0] == GoldenCase("ok", ("Who?",), (("Kovalenko",),), None, False, {"kind": "who"})
    assert golden.cases[0].to_dict() == GOOD | {"support": None, "abstain": False, "kind": "who"}
    assert golden.cases[1].abstain and golden.cases[1].must == ()


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        ({"id": "no-turns", "must": [["x"]]}, "'turns'"),
        ({"id": "empty-turns", "turns": [], "must": [["x"]]}, "'turns'"),
        ({"id": "empty-group", "turns": ["q"], "must": [["x"], []]}, "group #1"),
        ({"id": "blank-alternative", "turns": ["q"], "must": [[""]]}, "group #0"),
        ({"id": "abstain-with-must", "turns": ["q"], "must": [["x"]], "abstain": True}, "abstain"),
        ({"id": "no-must", "turns": ["q"]}, "'must'"),
        ({"id": "bad-abstain", "turns": ["q"], "abstain": "yes"}, "'abstain'"),
        ({"id": "bad-support", "turns": ["q"], "must": [["x"]], "support": 3}, "'support'"),
    ],
)
def test_malformed_case_names_file_and_case(tmp_path: Path, case: dict[str, object], problem: str) -> None:
    path = write(tmp_path, [GOOD, case])
    with pytest.raises(InvalidGoldenSet) as error:
        load_golden(path)
    message = str(error.value)
    assert str(path) in message and repr(case["id"]) in message and problem in message


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, [GOOD, GOOD])
    with pytest.raises(InvalidGoldenSet, match=r"case 'ok': duplicate id") as error:
        load_golden(path)
    assert str(path) in str(error.value)


def test_case_without_id_is_named_by_position(tmp_path: Path) -> None:
    with pytest.raises(InvalidGoldenSet, match=r"case #1 needs a non-empty string 'id'"):
        load_golden(write(tmp_path, [GOOD, {"turns": ["q"], "must": [["x"]]}]))


def test_bad_json_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"about": "x",\n "cases": [\n  {"id": "a",}\n ]}', encoding="utf-8")
    with pytest.raises(InvalidGoldenSet, match=r"broken\.json: invalid JSON at line 3, column 14"):
        load_golden(path)


def test_wrong_top_level_shape_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(InvalidGoldenSet, match="list.json"):
        load_golden(path)
    with pytest.raises(InvalidGoldenSet, match="absent.json"):
        load_golden(tmp_path / "absent.json")
