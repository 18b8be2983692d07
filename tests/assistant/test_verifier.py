"""The shipped answer verifier: loads from checked parameters, reads details, and its confidence reaches users."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from assistant import Assistant, _resources as resources
from assistant._answering.reader import passage_text
from assistant.answer import Answer
from assistant.chat import Turn, condense_offline
from assistant._answering import verifier as verifier_module
from assistant._answering.verifier import CONFIG, FEATURES, READER_FILE, Verifier, anchors_found, negation_matched, opposite_absent, says_the_opposite
from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.training.card import model_card

# From the seed article, which no training pair comes from.
SENTENCE = (
    "Within days, in the early hours of August 6, Russian drones struck a SOCAR-owned gas distribution "
    "station in Odesa region."
)
TITLE = "Ukraine, Azerbaijan tighten ties amid Russian aggression"
OTHER = "Turkey could also play a role in strengthening Ukraine's southern defenses."
# Each answerable question, and the same with one name or number swapped, or negated, so the sentence no
# longer answers it.
SWAPS = [
    ("Which company owned the gas station struck on August 6?", "Which company owned the gas station struck on August 9?"),
    ("Whose drones struck the gas station in Odesa region?", "Whose drones struck the gas station in Kharkiv region?"),
    ("Where did Russian drones strike a SOCAR-owned gas station?", "Where did Russian drones strike a Gazprom-owned gas station?"),
    ("In which region was the SOCAR station struck?", "In which region was the Lukoil station struck?"),
    ("Which station did Russian drones strike in Odesa region?", "Which station did Russian drones not strike in Odesa region?"),
    ("What did Russian drones strike in the early hours of August 6?", "What did Russian drones strike in the late hours of August 6?"),
]


def similarity(question: str, sentence: str) -> float:
    """The embedding similarity the answerer measures, with the real model."""
    q, s = (np.asarray(v) for v in resources.embedding_model(Settings()).get_text_embedding_batch([question, sentence]))
    return float(q @ s / (np.linalg.norm(q) * np.linalg.norm(s)))


def signals(**named: float) -> tuple[float, ...]:
    """A candidate's ``FEATURES`` by name."""
    assert set(named) == set(FEATURES)
    return tuple(named[name] for name in FEATURES)


def judged(verifier: Verifier, question: str, runner_up: float = 0.3) -> float:
    """Confidence for a shortlist whose best candidate is SENTENCE, fully on topic (the swap is the only difference)."""
    best = signals(
        focus=1.0,
        coverage=1.0,
        anchors_found=anchors_found(question, f"{TITLE} {SENTENCE}"),
        negation_matched=negation_matched(question, SENTENCE),
        dense=0.6,
        similarity=similarity(question, SENTENCE),
        inverse_rank=1.0,
        typed=1.0,
        opposite_absent=opposite_absent(question, SENTENCE, f"{TITLE} {SENTENCE}"),
    )
    other = signals(
        focus=runner_up, coverage=runner_up, anchors_found=1.0, negation_matched=1.0, dense=0.5, similarity=runner_up, inverse_rank=0.5, typed=1.0,
        opposite_absent=1.0,
    )  # fmt: skip
    return verifier.judge(question, [(passage(SENTENCE), best), (passage(OTHER), other)]).confidence


def passage(sentence: str) -> str:
    return passage_text(sentence, f"{TITLE}: … ")


@pytest.mark.parametrize(("question", "swapped"), SWAPS)
def test_an_answer_is_trusted_more_than_its_one_word_swapped_variant(question: str, swapped: str) -> None:
    verifier = Verifier()
    assert judged(verifier, question) > judged(verifier, swapped)


def test_a_candidate_covering_the_question_outranks_one_that_does_not() -> None:
    verifier = Verifier()
    covering = signals(focus=0.9, coverage=0.9, anchors_found=1.0, negation_matched=1.0, dense=0.5, similarity=0.6, inverse_rank=1.0, typed=1.0, opposite_absent=1.0)
    missing = signals(focus=0.2, coverage=0.3, anchors_found=0.0, negation_matched=1.0, dense=0.5, similarity=0.3, inverse_rank=1.0, typed=1.0, opposite_absent=1.0)
    question = "Which company owned the gas station struck on August 6?"
    scores = verifier.judge(question, [(passage(OTHER), missing), (passage(SENTENCE), covering)]).scores
    assert scores[1] > scores[0]


def test_a_candidates_score_does_not_depend_on_its_place_in_the_shortlist() -> None:
    """The ranker reads each candidate, not where the hand-set score put it: the same candidates in the
    opposite order get the same scores and the same confidence."""
    verifier = Verifier()
    question = "Which company owned the gas station struck on August 6?"
    first = signals(focus=0.6, coverage=0.7, anchors_found=1.0, negation_matched=1.0, dense=0.5, similarity=0.5, inverse_rank=1.0, typed=1.0, opposite_absent=1.0)
    second = signals(focus=0.5, coverage=0.6, anchors_found=1.0, negation_matched=1.0, dense=0.5, similarity=0.6, inverse_rank=1.0, typed=1.0, opposite_absent=1.0)
    shortlist = [(passage(OTHER), first), (passage(SENTENCE), second)]
    forward, backward = verifier.judge(question, shortlist), verifier.judge(question, shortlist[::-1])
    assert np.allclose(forward.scores, backward.scores[::-1]) and np.isclose(forward.confidence, backward.confidence)


def test_anchors_are_numbers_with_their_endings_and_names_without_possessives() -> None:
    assert anchors_found("What did the 19th century bring?", "In the 20th century, quantum mechanics") == 0.0
    assert anchors_found("What did the 1990s bring?", "In the 1990s, the web") == 1.0
    assert anchors_found("How long does the Council's review take?", "The Council has 30 days") == 1.0
    assert anchors_found("What is the default on macOS?", "The default on Linux is the number of CPUs") == 0.0
    assert anchors_found("What is the default on macOS?", "On macOS the default is 4") == 1.0


def test_a_name_made_into_a_modifier_is_anchored_on_the_name() -> None:
    sentence = "We validate our techniques in an implementation based on the SpiderMonkey interpreter."
    assert anchors_found("What speedups does the SpiderMonkey-based implementation achieve?", sentence) == 1.0
    assert anchors_found("Who founded the Seattle-based company?", "The company, based in Seattle, was founded by Ana.") == 1.0
    assert anchors_found("What was Tugh's Japanese-style name?", "Tugh's Chinese-style name was Wenzong.") == 0.5


def test_a_follow_ups_earlier_questions_start_with_question_words_not_names() -> None:
    first = Turn("Who signed a gas deal with SOCAR Energy Ukraine?", Answer(text="", question=""))
    standalone, _ = condense_offline("Which countries does that route pass through?", [first])
    sentence = "Naftogaz signed a deal with SOCAR Energy Ukraine to buy gas via a route through Bulgaria and Romania."
    assert anchors_found(standalone, sentence) == 1.0
    assert anchors_found(standalone, "Naftogaz signed a deal to buy gas via a route through Bulgaria.") == 0.0


def test_a_follow_ups_earlier_names_count_anywhere_in_the_candidate_s_document() -> None:
    first = Turn("Who wrote the TraceMonkey paper?", Answer(text="", question=""))
    standalone, _ = condense_offline("What is trace-based compilation?", [first])
    sentence = "A trace-based compiler covers the program with a few type-specialized traces."
    paper = f"We implemented these techniques in TraceMonkey. {sentence}"
    assert anchors_found(standalone, sentence) == 0.0
    assert anchors_found(standalone, sentence, document=paper) == 1.0
    assert anchors_found(standalone, sentence, document="Another paper, about V8.") == 0.0
    # The question's own names are still looked for beside the sentence, not anywhere in the document.
    own = "How much faster than SpiderMonkey is trace-based compilation? (following up on: Who wrote it?)"
    assert anchors_found(own, sentence, document=f"{paper} SpiderMonkey is the baseline.") == 0.0


def test_a_name_a_follow_up_repeats_from_earlier_counts_anywhere_in_the_document() -> None:
    first = Turn("Who is Oleksandr Kovalenko?", Answer(text="", question=""))
    standalone, _ = condense_offline("What does he say about Moscow?", [first])
    sentence = "Kovalenko concludes that Moscow will not abandon its aggressive policies."
    article = f"Ukrainian analyst Oleksandr Kovalenko wrote it. {sentence}"
    assert "Oleksandr Kovalenko" in standalone.partition("(")[0]
    assert anchors_found(standalone, sentence, document=article) == 1.0
    assert anchors_found(standalone, sentence, document=sentence) < 1.0
    # Its new names are still looked for beside the sentence.
    assert anchors_found(standalone, "Kovalenko concludes that Kyiv will hold.", document=f"{article} Moscow") < 1.0


def test_a_negated_factual_question_needs_a_negated_sentence_but_a_why_question_does_not() -> None:
    assert negation_matched("Which sites weren't attacked?", "The sites were attacked in May.") == 0.0
    assert negation_matched("Which sites had gone without attacks?", "These sites had not been attacked.") == 1.0
    assert negation_matched("Which sites were attacked?", "The sites were attacked in May.") == 1.0
    assert negation_matched("Why can't Russia attack Azerbaijan directly?", "Russia lacks a border with it.") == 1.0


def test_a_follow_up_is_negated_and_opposed_by_its_own_words_not_the_answer_it_carries() -> None:
    carried = "Who was behind it? (following up on: What happened? / Drones hit a station serving not just Ukraine but higher demand.)"
    assert negation_matched(carried, "Russian forces launched the attack.") == 1.0
    assert opposite_absent(carried, "Lower demand was met.", "Lower demand was met.") == 1.0
    assert negation_matched("Who was not behind it? (following up on: What happened?)", "Russian forces launched the attack.") == 0.0


def test_a_sentence_holding_the_opposite_of_a_question_word_does_not_answer_it() -> None:
    """WordNet's antonyms, found through inflections ("lower" is a form of "low", "sold" of "sell")."""
    sentence = "For most of human history higher material living standards led to better health."
    assert opposite_absent("What did lower material living standards lead to?", sentence, sentence) == 0.0
    assert opposite_absent("What did higher material living standards lead to?", sentence, sentence) == 1.0
    assert opposite_absent("Who sold the factory in 2005?", "Siemens bought the factory in 2005.", "Siemens bought the factory in 2005.") == 0.0
    # The question's own word nearby settles it: the sentence contrasts the two, it does not swap them.
    window = "Richer workers gained. In poorer countries wages rose, unlike in rich ones."
    assert opposite_absent("What happened to wages in poorer countries?", "In poorer countries wages rose, unlike in rich ones.", window) == 1.0
    assert opposite_absent("What happened to wages in the factory?", sentence, sentence) == 1.0
    # A negated opposite says the question's word: "not a valid" is invalid.
    negated = "If the data being deserialized is not a valid JSON document, a JSONDecodeError will be raised."
    assert opposite_absent("What exception does json.loads raise for invalid JSON?", negated, negated) == 1.0
    assert opposite_absent("What does the parser do with invalid JSON?", "Valid JSON is parsed.", "Valid JSON is parsed.") == 0.0
    # An opposite the question names itself is no swap: it asks about both.
    small = "Files of less than about one hundred bytes tend to get larger, since the overhead is constant."
    assert opposite_absent("Why do very small files get larger when compressed?", small, small) == 1.0
    assert opposite_absent("Why do very small files get shorter when compressed?", small, small) == 0.0


def test_the_measure_a_question_asks_with_is_no_word_a_sentence_can_oppose() -> None:
    # "How large…?" asks for a size; the answer may well be small. Said in a clause, the word says something.
    sentence = "The zlib format has a very small header of only two bytes."
    assert opposite_absent("How large is the zlib format header?", sentence, sentence) == 1.0
    trip = "A long trip takes two days."
    assert says_the_opposite("How long does a short trip take?", trip, trip)  # "short" is the question's own word
    assert opposite_absent("What grows depending on how weak the push is?", "Sizes depend on how strong the push is.", "Sizes depend.") == 0.0


@pytest.mark.parametrize(
    ("question", "sentence", "opposite"),
    [
        ("Is there much relation between inequality and growth?", "There is little relation between inequality and growth.", True),
        ("What is held inside the formal system?", "Much land is held outside the formal system.", True),
        ("What was below the projected range?", "The rise was above the projected range.", True),
        ("What did the strong force exchange?", "The weak force exchanged W bosons.", True),  # as opposite_absent
        # Asking "how much" says no amount; an opposite the question names itself is no swap.
        ("How much support does the evidence give?", "The evidence gives little support.", False),
        ("What do jobs with few workers but many positions pay?", "Jobs with few workers pay more.", False),
        ("Is there much relation between inequality and growth?", "There is much relation between inequality and growth.", False),
    ],
)
def test_the_rule_reads_the_questions_small_words_for_opposites_too(question: str, sentence: str, opposite: bool) -> None:
    assert says_the_opposite(question, sentence, sentence) is opposite


@pytest.mark.parametrize(
    ("question", "sentence", "opposite"),
    [
        ("What will the company earn in the next quarter?", "The company earned $3 million in the last quarter.", True),
        ("How many people live in eastern Italy?", "Ten million people live in northern Italy.", True),
        ("Which bridge cost $40 million?", "The new bridge cost $40 billion.", True),
        # The word in another of its forms ("rise" for "rose"), or a rival the question names, is no swap.
        ("Whose shares rose in May?", "Acme's shares rise every May, while Initech's dropped.", False),
        ("What did the report say of the northern and eastern provinces?", "The report praised the northern provinces.", False),
        # A relation and its converse say the same thing the other way round.
        ("Who repaired the depot before it reopened?", "The depot reopened in November after repairs by a crew from Lviv.", False),
    ],
)
def test_words_that_exclude_each_other_without_being_antonyms_are_swaps_too(question: str, sentence: str, opposite: bool) -> None:
    """Compass points, orders of magnitude, next and last: WordNet has no antonym for them."""
    assert says_the_opposite(question, sentence, sentence) is opposite
    assert opposite_absent(question, sentence, sentence) == 1.0  # as the verifier was fitted


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Who sold the factory in 2005?", "In 2005 Siemens bought the factory from Bosch."),
        ("Who was Margaret's husband?", "Margaret was the wife of King Malcolm III."),
        ("Who lost the 2014 final?", "Germany won the 2014 final against Argentina."),
    ],
)
def test_one_relation_named_from_the_other_side_is_no_swap_for_the_rule(question: str, sentence: str) -> None:
    """The rule leaves WordNet's converse antonyms to the fitted signal, which reads them as it was fitted."""
    assert not says_the_opposite(question, sentence, sentence)
    assert opposite_absent(question, sentence, sentence) == 0.0


def test_the_fitted_opposite_signal_reads_content_words_only() -> None:
    """As the verifier was fitted: the small words are the rule's (``says_the_opposite``)."""
    sentence = "There is little relation between inequality and growth."
    assert opposite_absent("Is there much relation between inequality and growth?", sentence, sentence) == 1.0


def test_a_damaged_opposites_table_is_a_clear_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = tmp_path / "antonyms.json"
    damaged.write_text(verifier_module.OPPOSITES.read_text(encoding="utf-8").replace('"low"', '"lowly"', 1), encoding="utf-8")
    monkeypatch.setattr(verifier_module, "OPPOSITES", damaged)
    with pytest.raises(AssistantError, match=r"opposites table .*antonyms\.json is damaged .*reinstall"):
        Verifier(cache_dir=tmp_path / "cache")


def test_damaged_parameters_are_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    config = json.loads(CONFIG.read_text(encoding="utf-8"))
    config["decision"]["bias"] += 1.0
    damaged = tmp_path / "verifier.json"
    damaged.write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(AssistantError, match=r"verifier in .* is damaged .*reinstall"):
        Verifier(damaged)
    damaged.write_text("{not json", encoding="utf-8")
    with pytest.raises(AssistantError, match="cannot be read"):
        Verifier(damaged)
    with pytest.raises(AssistantError, match="cannot be read"):
        Verifier(tmp_path / "missing.json")


def test_damaged_reader_weights_are_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    shutil.copy(CONFIG, tmp_path / CONFIG.name)
    weights = bytearray((CONFIG.parent / READER_FILE).read_bytes())
    weights[len(weights) // 2] ^= 0xFF
    (tmp_path / READER_FILE).write_bytes(bytes(weights))
    with pytest.raises(AssistantError, match=r"reader's weights .*reader\.npz is damaged .*reinstall"):
        Verifier(tmp_path / CONFIG.name, cache_dir=tmp_path / "cache")
    (tmp_path / READER_FILE).unlink()
    with pytest.raises(AssistantError, match=r"reader's weights .*reader\.npz cannot be read"):
        Verifier(tmp_path / CONFIG.name, cache_dir=tmp_path / "cache")


def test_the_reader_is_exported_once_per_cache_and_reads_like_the_shipped_one(tmp_path: Path) -> None:
    question = "Which company owned the gas station struck on August 6?"
    candidates = [(passage(SENTENCE), (1.0,) * len(FEATURES)), (passage(OTHER), (0.3,) * len(FEATURES))]
    first = Verifier(cache_dir=tmp_path / "cache")
    graphs = list((tmp_path / "cache").glob("answer-reader-*.onnx"))
    again = Verifier(cache_dir=tmp_path / "cache")
    assert len(graphs) == 1 and list((tmp_path / "cache").glob("*.onnx")) == graphs
    assert first.judge(question, candidates) == again.judge(question, candidates)


def test_the_shipped_verifier_is_described_by_its_card() -> None:
    config = json.loads(CONFIG.read_text(encoding="utf-8"))
    assert 0.0 < config["threshold"] < 1.0 and config["cross_validation"]["by"] == "article"
    card = (CONFIG.parent / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Cross-validated by article" in card and str(config["threshold"]) in card
    # Generated from the parameters it describes, never edited by hand: a refit rewrites both.
    assert card == model_card(config)


def test_a_threshold_setting_overrides_the_shipped_one(tmp_path: Path) -> None:
    shutil.copy(CONFIG, tmp_path / "verifier.json")
    shutil.copy(CONFIG.parent / READER_FILE, tmp_path / READER_FILE)
    assert Verifier(tmp_path / "verifier.json", threshold=0.9).threshold == 0.9


def test_answers_carry_the_verifiers_confidence(seeded_assistant: Assistant) -> None:
    answered = seeded_assistant.ask("How much humanitarian aid has Azerbaijan sent to Ukraine?")
    refused = seeded_assistant.ask("What was the weather in Odesa on August 6?")
    assert not answered.abstained and refused.abstained
    assert answered.confidence is not None and refused.confidence is not None
    assert answered.confidence >= Verifier().threshold > refused.confidence


def test_first_questions_asked_at_once_load_each_answer_model_once(seeded_settings: Settings) -> None:
    """The first offline answer loads the embedding model, the verifier and the int8 sentence encoder in the
    background while it opens the store; two first questions at once (two tabs of the UI) wait for those
    loads instead of loading again, and are answered alike."""
    builds = (resources._embedding_model, resources._sentence_encoder, resources._answer_verifier)
    for build in builds:
        build.cache_clear()
    resources._start_prefetch.cache_clear()
    question = "Who suspected Russian sabotage behind the contaminated crude oil?"
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: Assistant(seeded_settings).ask(question), range(2))
    assert not first.abstained and "Romanian officials" in first.text
    assert (second.text, second.confidence) == (first.text, first.confidence)
    assert [build.cache_info().misses for build in builds] == [1, 1, 1]


def test_a_model_cache_that_cannot_be_written_fails_the_answer_clearly(
    seeded_settings: Settings, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """The background load meets the same fault as the answer; only the answer reports it."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the model cache should be", encoding="utf-8")
    settings = seeded_settings.model_copy(update={"model_cache_dir": blocked / "models"})
    with pytest.raises(AssistantError, match="cannot write the model cache"):
        Assistant(settings).ask("Why was the SOCAR depot hit?")
    assert "Exception in thread" not in capfd.readouterr().err
