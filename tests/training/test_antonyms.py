"""The opposites table's writer reads WordNet's database format (wndb(5)) the way WordNet writes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.training.antonyms import antonym_pairs, irregular_forms, main

# Four adjective synsets in WordNet's format: offset, lexicographer file, type, word count (hex), words
# with lex ids, pointer count, pointers (symbol, target offset, target type, source/target word numbers).
DATA_ADJ = """\
  1 This software and database is being provided to you, the LICENSEE, by
00001740 00 a 01 high 0 002 ! 00002098 a 0101 & 00009999 a 0000 | greater than normal in degree
00002098 00 a 01 low 0 001 ! 00001740 a 0101 | less than normal in degree
00003000 00 a 02 well_off 0 rich 0 001 ! 00004000 s 0202 | having wealth
00004000 00 s 02 hard_up 0 poor 0 001 ! 00003000 a 0202 | lacking wealth
"""


def wordnet(tmp_path: Path) -> Path:
    for pos in ("adj", "adv", "noun", "verb"):
        (tmp_path / f"data.{pos}").write_text(DATA_ADJ if pos == "adj" else "", encoding="latin-1")
        (tmp_path / f"{pos}.exc").write_text("lower low\nworse bad\n" if pos == "adj" else "", encoding="latin-1")
    (tmp_path / "LICENSE").write_text("WordNet 3.0 Copyright 2006 by Princeton University.\n", encoding="utf-8")
    return tmp_path


def test_antonym_pointers_give_word_pairs_both_ways_and_their_irregular_forms(tmp_path: Path) -> None:
    antonyms = antonym_pairs(wordnet(tmp_path))
    assert antonyms == {"high": {"low"}, "low": {"high"}, "rich": {"poor"}, "poor": {"rich"}}
    # "worse" is left out: "bad" has no opposite in this table.
    assert irregular_forms(tmp_path, set(antonyms)) == {"lower": {"low"}}


def test_the_table_is_written_with_wordnets_licence_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "out" / "antonyms.json"
    out.parent.mkdir()
    assert main([str(wordnet(tmp_path)), "--out", str(out)]) == 0
    table = json.loads(out.read_text(encoding="utf-8"))
    assert table["antonyms"]["high"] == ["low"] and table["irregular"] == {"lower": ["low"]}
    assert "Princeton" in (out.parent / "WORDNET-LICENSE").read_text(encoding="utf-8")


def test_a_folder_that_is_not_wordnet_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "data.adj").write_text("", encoding="latin-1")
    with pytest.raises(SystemExit):
        main([str(tmp_path), "--out", str(tmp_path / "antonyms.json")])
    assert "not WordNet 3.0's database directory (no adj.exc, data.adv" in capsys.readouterr().err
    assert not (tmp_path / "antonyms.json").exists()
