"""Follow-ups read against the previous answer (``assistant.chat``), without a store or a model."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant._answering.continuation import asks_to_go_on, asks_where_from
from assistant.answer import Answer, Citation
from assistant.chat import Turn, asked_again, asked_of_the_last_answer, changes_subject, condense_offline, joined, resolve_references, split_compound

SENTENCE = (
    "At the end of July, Ukraine’s Naftogaz Group signed a deal with SOCAR Energy Ukraine to purchase Azerbaijani natural gas "
    "via the Trans-Balkan route through Bulgaria and Romania. Days later drones hit a gas distribution station."
)


def answered(quote: str, abstained: bool = False) -> list[Turn]:
    citation = Citation(index=1, title="t", source="s", path="p", published=None, quote=quote, start=0, end=len(quote))
    answer = Answer(text=f"{quote} [1]", question="Who signed a gas deal?", citations=[citation], abstained=abstained)
    return [Turn("Who signed a gas deal?", answer)]


@pytest.mark.parametrize(
    ("follow_up", "resolved"),
    [
        ("Which countries does that route pass through?", "Which countries does the Trans-Balkan route pass through?"),
        ("Who owns those routes?", "Who owns the Trans-Balkan route?"),
        ("Who runs this station?", "Who runs the gas distribution station?"),
        ("What does that group sell?", "What does Ukraine’s Naftogaz Group sell?"),
    ],
)
def test_a_demonstrative_becomes_the_phrase_the_previous_answer_names(follow_up: str, resolved: str) -> None:
    assert resolve_references(follow_up, answered(SENTENCE)) == resolved
    standalone, context = condense_offline(follow_up, answered(SENTENCE))
    assert standalone.startswith(resolved) and "Who signed a gas deal?" in standalone and context


@pytest.mark.parametrize(
    "follow_up",
    [
        "What did that deal cost?",  # "a deal": the answer says no more about it than the question does
        "Is this gas Russian?",  # "to purchase Azerbaijani natural gas": a verb's object, no article
        "What did that cause?",  # a verb, but not one "that" stands alone before
        "Why does that matter?",  # after "Who signed…?": what its answer said, carried, not "signed a gas deal"
        "What prompted that?",
    ],
)
def test_a_demonstrative_the_previous_answer_does_not_name_more_fully_stays(follow_up: str) -> None:
    assert resolve_references(follow_up, answered(SENTENCE)) == follow_up


GROWTH = "This is also important as we need to regularly run compaction on each master since the registry is growing ~10GB per week on disk."


@pytest.mark.parametrize(
    ("asked", "follow_up", "resolved"),
    [
        ("How fast is the npm registry growing on disk?", "Why does that matter?", "Why does the npm registry growing on disk matter?"),
        ("Is command output buffered?", "Why would that matter?", "Why would command output buffered matter?"),
        ("What is Azerbaijan rising as?", "Why does the Kremlin dislike that?", "Why does the Kremlin dislike Azerbaijan rising as?"),
    ],
)
def test_that_standing_alone_is_what_the_question_before_asked_about(asked: str, follow_up: str, resolved: str) -> None:
    history = [Turn(asked, replace(answered(GROWTH)[0].answer, question=asked))]
    assert resolve_references(follow_up, history) == resolved
    standalone, _ = condense_offline(follow_up, history)
    assert standalone.startswith(f"{resolved} (following up on: {asked}")
    # With no other word of its own ("matter"), what the answer said is carried as after "When?"; "the Kremlin
    # dislike" is a question of its own.
    assert (GROWTH in standalone) == ("Kremlin" not in follow_up)


BAKU = "Kovalenko also notes that Baku is reportedly considering lifting its arms embargo on Ukraine — a move that could significantly bolster Kyiv’s defense."


@pytest.mark.parametrize(
    ("follow_up", "resolved"),
    [
        ("How would that help Kyiv?", "How would Baku considering help Kyiv?"),
        ("Could that change the war?", "Could Baku considering change the war?"),
        # The answer writes the word after "that": "that move" is the move it names, not "that" alone.
        ("Why would that move anger Moscow?", "Why would that move anger Moscow?"),
        ("Did that Russian strike hit Odesa?", "Did that Russian strike hit Odesa?"),  # a name's "that"
    ],
)
def test_that_before_a_verb_is_what_the_question_before_asked_about(follow_up: str, resolved: str) -> None:
    asked = "What is Baku considering?"
    history = [Turn(asked, replace(answered(BAKU)[0].answer, question=asked))]
    assert resolve_references(follow_up, history) == resolved
    refused = [Turn(asked, replace(answered(BAKU, abstained=True)[0].answer, question=asked))]
    assert resolve_references(follow_up, refused) == follow_up


def test_a_refusal_or_no_earlier_turn_resolves_nothing() -> None:
    question = "Which countries does that route pass through?"
    assert resolve_references(question, answered(SENTENCE, abstained=True)) == question
    assert resolve_references(question, []) == question


def test_a_follow_up_with_no_words_of_its_own_carries_the_previous_answer_s_first_sentence() -> None:
    standalone, context = condense_offline("When did that happen?", answered(SENTENCE))
    first_sentence = SENTENCE.split(" Days later")[0]
    assert standalone == f"When did that happen? (following up on: Who signed a gas deal? / {first_sentence})"
    assert "Naftogaz" in context


@pytest.mark.parametrize("follow_up", ["When?", "Why?", "Toward whom?", "When did that happen?"])
def test_a_follow_up_with_no_words_of_its_own_asks_about_the_last_answer_s_quotes(follow_up: str) -> None:
    history = answered(SENTENCE)
    assert asked_of_the_last_answer(follow_up, resolve_references(follow_up, history), history) == {("", 0, len(SENTENCE))}


@pytest.mark.parametrize("question", ["Which countries does that route pass through?", "When did Romania report contaminated oil?"])
def test_a_question_with_words_of_its_own_may_be_answered_anywhere(question: str) -> None:
    history = answered(SENTENCE)
    assert asked_of_the_last_answer(question, resolve_references(question, history), history) == set()
    assert asked_of_the_last_answer("When?", "When?", answered(SENTENCE, abstained=True)) == set()  # nothing was said
    assert asked_of_the_last_answer("When?", "When?", []) == set()


def test_a_follow_up_whose_it_is_resolved_has_words_of_its_own_and_carries_no_answer() -> None:
    """"Who discovered it?" after "What is oxygen?" is "Who discovered oxygen?": the definition quoted
    before says nothing about the discovery, and carried, it pulled retrieval away from it."""
    quote = "Oxygen is a chemical element with symbol O and atomic number 8."
    citation = Citation(index=1, title="t", source="s", path="p", published=None, quote=quote, start=0, end=len(quote))
    defined = Turn("What is oxygen?", Answer(text=f"{quote} [1]", question="What is oxygen?", citations=[citation]))
    standalone, _ = condense_offline("Who discovered it?", [defined])
    assert standalone == "Who discovered oxygen? (following up on: What is oxygen?)"


def test_a_long_previous_answer_is_carried_cut_to_its_first_forty_words() -> None:
    words = [f"w{n}" for n in range(60)]
    standalone, _ = condense_offline("Why?", answered(" ".join(words) + "."))
    assert standalone.endswith(f"/ {' '.join(words[:40])} …)")


def test_a_refused_answer_is_not_carried() -> None:
    standalone, _ = condense_offline("When did that happen?", answered(SENTENCE, abstained=True))
    assert standalone == "When did that happen? (following up on: Who signed a gas deal?)"


def test_after_a_refusal_the_latest_answer_is_carried() -> None:
    """"When did that happen?" after a refused question is about what the conversation last found."""
    history = [*answered(SENTENCE), *asked("How much did the gas deal cost?")]
    standalone, _ = condense_offline("When did that happen?", history)
    first_sentence = SENTENCE.split(" Days later")[0]
    assert standalone.endswith(f"/ How much did the gas deal cost? / {first_sentence})"), standalone


def test_no_answer_is_carried_into_or_out_of_a_question_about_the_document() -> None:
    standalone, _ = condense_offline("When was it published?", answered(SENTENCE))
    assert "Naftogaz" not in standalone
    dated = Answer(text="It was published on 11 August 2025. [1]", question="", citations=answered("Mon, 11 Aug 2025")[0].answer.citations)
    standalone, _ = condense_offline("Who wrote it?", [Turn("When was the article published?", dated)])
    assert standalone == "Who wrote it? (following up on: When was the article published?)"


def test_a_follow_up_with_words_of_its_own_is_not_given_the_previous_answer() -> None:
    standalone, _ = condense_offline("Which countries does the gas pass through?", answered(SENTENCE))
    assert "Naftogaz" not in standalone


def asked(*questions: str) -> list[Turn]:
    """Earlier turns that were refused: a pronoun's person comes from the questions, not the answers."""
    return [Turn(q, Answer(text="The documents do not answer this question.", question=q, abstained=True)) for q in questions]


@pytest.mark.parametrize(
    ("earlier", "follow_up", "resolved"),
    [
        (["Who is Oleksandr Kovalenko?"], "Which outlet did he write his article for?", "Which outlet did Oleksandr Kovalenko write his article for?"),
        (["What did Mitchell Baker announce?"], "What was her role?", "What was Mitchell Baker's role?"),
        (["Who was Ada Lovelace?", "What did she write?"], "When did she write it?", "When did Ada Lovelace write it?"),
        (["What did Aliyev announce on July 19?"], "Why did he announce it?", "Why did Aliyev announce it?"),  # a month is no one
    ],
)
def test_a_personal_pronoun_becomes_the_person_the_conversation_is_about(earlier: list[str], follow_up: str, resolved: str) -> None:
    assert resolve_references(follow_up, asked(*earlier)) == resolved


@pytest.mark.parametrize(
    ("question", "quote", "follow_up", "resolved"),
    [
        ("Which president imposed the embargo on Sudan in 1997?", "In 1997, President Bill Clinton imposed a trade embargo against Sudan.",
         "What did he order in 1998?", "What did Clinton order in 1998?"),  # the article goes on with "Mr. Clinton"
        ("Who wrote the analysis the article is based on?", "These tactics serve the Kremlin’s ambitions, says analyst Oleksandr Kovalenko.",
         "How old is he?", "How old is Kovalenko?"),  # "the Kremlin's" names no one
        ("Who met Tony Blair in London?", "Bill Clinton met Tony Blair in London.", "What did he say?", "What did Clinton say?"),
    ],
)
def test_a_personal_pronoun_after_asking_who_did_something_is_the_person_the_answer_named(question: str, quote: str, follow_up: str, resolved: str) -> None:
    citation = Citation(index=1, title="t", source="s", path="p", published=None, quote=quote, start=0, end=len(quote))
    history = [Turn(question, Answer(text=f"{quote} [1]", question=question, citations=[citation]))]
    assert resolve_references(follow_up, history) == resolved


@pytest.mark.parametrize(
    ("earlier", "follow_up"),
    [
        (["Who announced legal action over the AZAL jet?"], "When did he announce it?"),  # the person is the answer
        (["What did Zelenskyy and Aliyev discuss?"], "What did he say?"),  # which of the two?
        (["Who wrote the analysis the article is based on?"], "How old is he?"),  # nobody named
    ],
)
def test_a_personal_pronoun_without_one_person_named_stays(earlier: list[str], follow_up: str) -> None:
    assert resolve_references(follow_up, asked(*earlier)) == follow_up


@pytest.mark.parametrize(
    ("before", "follow_up", "resolved"),
    [
        ("What is ATF?", "What does it stand for?", "What does ATF stand for?"),
        ("What does ATF stand for?", "What is it used for?", "What is ATF used for?"),
        ("What is SpiderMonkey?", "Which browser is it embedded in?", "Which browser is SpiderMonkey embedded in?"),
        ("What is SpiderMonkey?", "Who wrote its first version?", "Who wrote SpiderMonkey's first version?"),
        ("What is the Trans-Balkan route?", "Which countries does it pass through?", "Which countries does the Trans-Balkan route pass through?"),
        ("What did Russian strikes hit?", "Where was it?", "Where was it?"),  # "it" is in the answer
        ("Who is Kovalenko?", "Where was it published?", "Where was it published?"),  # a person is no "it"
        ("What does path.join() do?", "What does it return?", "What does path.join() return?"),
        ("What about the Newcomen engine?", "How efficient was it?", "How efficient was the Newcomen engine?"),
        ("And when?", "Where was it?", "Where was it?"),  # no thing named
    ],
)
def test_it_is_what_the_question_before_asked_to_be_defined(before: str, follow_up: str, resolved: str) -> None:
    assert resolve_references(follow_up, asked(before)) == resolved


@pytest.mark.parametrize(
    ("earlier", "resolved"),
    [
        (["What is the Rhine?", "Which countries does it flow through?"], "Where does the Rhine start?"),
        (["What is the Rhine?", "How long is it?", "Is it navigable?"], "Where does the Rhine start?"),
        (["What is the Rhine?", "What did Russian strikes hit?"], "Where does it start?"),  # another subject between
    ],
)
def test_it_stays_what_it_meant_in_the_question_before(earlier: list[str], resolved: str) -> None:
    assert resolve_references("Where does it start?", asked(*earlier)) == resolved


@pytest.mark.parametrize(
    ("earlier", "follow_up", "resolved"),
    [
        (["Where is Warsaw?"], "When was it destroyed?", "When was Warsaw destroyed?"),
        (["Where is Warsaw?", "What is its population?"], "When was it destroyed?", "When was Warsaw destroyed?"),
        (["Who were the Normans?"], "Where did they come from?", "Where did the Normans come from?"),
        (["What is a private school?"], "How are they funded?", "How are private schools funded?"),
        (["What are ctenophores?", "How do they move?"], "What is their diet?", "What is ctenophores' diet?"),
        (["What is a colony?"], "Where do they live?", "Where do colonies live?"),
        (["What did Russian strikes hit?"], "Where did they land?", "Where did they land?"),  # in the answer
        (["Where is Warsaw?"], "How many people live there?", "How many people live in Warsaw?"),
        (["Where is Warsaw?"], "Are there any parks?", "Are there any parks?"),  # "there" as in "there are"
        (["Where is Warsaw?"], "Is there a river there?", "Is there a river in Warsaw?"),
        (["Where did the oil arrive?"], "What happened there?", "What happened there?"),  # the place is in the answer
        (["What are the systems Turkey could supply to Ukraine?"], "Who makes them?", "Who makes them?"),
    ],
)
def test_it_they_and_there_are_the_place_or_the_things_the_question_before_asked_about(
    earlier: list[str], follow_up: str, resolved: str
) -> None:
    assert resolve_references(follow_up, asked(*earlier)) == resolved


def asked_before(question: str) -> list[Turn]:
    return [Turn(question, Answer(text="An answer. [1]", question=question))]


@pytest.mark.parametrize(
    ("before", "follow_up", "standalone"),
    [
        ("Which systems could Turkey supply?", "What about Azerbaijan?", "Which systems could Azerbaijan supply?"),
        ("Who is Ilham Aliyev?", "And Zelenskyy?", "Who is Zelenskyy?"),
        ("When did Romania report it?", "How about the United States?", "When did the United States report it?"),
        ("What does the -q option do?", "And -l?", "What does the -l option do?"),  # a name in code for one
        ("What does the -q option do?", "What about --warn?", "What does the --warn option do?"),
        ("What is os.EOL used for?", "And os.tmpdir()?", "What is os.tmpdir() used for?"),
    ],
)
def test_and_another_name_asks_the_question_before_about_it(before: str, follow_up: str, standalone: str) -> None:
    assert condense_offline(follow_up, asked_before(before)) == (standalone, before)
    assert resolve_references(follow_up, asked_before(before)) == standalone


@pytest.mark.parametrize(
    ("before", "follow_up"),
    [
        ("Did Zelenskyy call Aliyev?", "And Erdogan?"),  # two names: which one is replaced?
        ("Which systems could Turkey supply?", "And the drones?"),  # no name: a follow-up like any
        ("Which systems could Turkey supply?", "What about it?"),
    ],
)
def test_and_another_name_is_left_as_a_follow_up_when_no_one_name_is_replaced(before: str, follow_up: str) -> None:
    standalone, _ = condense_offline(follow_up, asked_before(before))
    assert standalone.startswith(f"{follow_up} (following up on: {before}")



@pytest.mark.parametrize("question", ["What happened on August 7?", "What happened in 2019?"])
def test_a_question_naming_a_date_is_self_contained_though_it_has_one_word_of_its_own(question: str) -> None:
    assert condense_offline(question, answered(SENTENCE)) == (question, "")


@pytest.mark.parametrize("question", ["Who is Kovalenko?", "Where is Odesa?", "What is SOCAR?", "What does os.homedir() return?", "What does the -q option do?", "What does setTimeout() return?"])
def test_a_short_question_about_a_name_is_self_contained(question: str) -> None:
    assert condense_offline(question, answered(SENTENCE)) == (question, "")


@pytest.mark.parametrize(
    ("question", "goes_on"),
    [
        ("Tell me more.", True),
        ("tell me more please", True),
        ("Go on", True),
        ("OK, continue", True),
        ("And then?", True),
        ("What happened next?", True),
        ("And after that?", True),
        ("More?", True),
        ("Tell me more about the drones.", False),  # a question of its own
        ("What happened next to the depot?", False),
        ("What comes next in the pipeline?", False),
    ],
)
def test_a_request_to_go_on_is_told_from_a_question(question: str, goes_on: bool) -> None:
    assert asks_to_go_on(question) is goes_on


def _turn(question: str) -> Turn:
    return Turn(question, Answer(text="…", question=question))


@pytest.mark.parametrize(
    ("earlier", "question", "asked", "turns_kept"),
    [
        (["Who did Zelenskyy call?"], "Who else?", "Who did Zelenskyy call?", 0),
        (["Which systems could Turkey supply?"], "Anything else?", "Which systems could Turkey supply?", 0),
        (["Who is Kovalenko?", "What does he say about Russia?"], "What else?", "What does he say about Russia?", 1),
        (["What did Russia do?"], "What else did Russia do?", "What did Russia do?", 1),
        (["Who is Kovalenko?"], "What else does he say?", "What does he say?", 1),  # "he" is resolved after
        (["What did Russia do in Odesa?", "What else did Russia do?"], "What else?", "What did Russia do?", 1),
        (["What did Russia do?", "What else?"], "Anything else?", "What did Russia do?", 0),
        (["What did Russia do?", "Tell me more."], "What else?", "Tell me more.", 2),  # read on again
    ],
)
def test_what_else_asks_the_question_before_again(earlier: list[str], question: str, asked: str, turns_kept: int) -> None:
    history = [_turn(q) for q in earlier]
    again = asked_again(question, history)
    assert again is not None
    assert again[0] == asked and again[1] == history[:turns_kept]


@pytest.mark.parametrize("question", ["What does the rest of the article say?", "Who elsewhere signed?", "Tell me more."])
def test_other_questions_are_not_asked_again(question: str) -> None:
    assert asked_again(question, [_turn("Who signed the deal?")]) is None


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("Who is Kovalenko and where did he publish his article?", ("Who is Kovalenko?", "Where did he publish his article?")),
        ("What did Romania report, and why did officials suspect Russia?", ("What did Romania report?", "Why did officials suspect Russia?")),
        ("Who signed the deal and when?", ("Who signed the deal?", "When?")),
        ("A single line connects San Bernardino, Riverside and what other county?", None),  # one question
        ("Where and when did the investigation begin?", None),
        ("What happens before the foundation is dug and when a final inspection is passed?", None),
        ("Who signed the deal?", None),
    ],
)
def test_a_question_asking_two_is_split_into_both(question: str, parts: tuple[str, str] | None) -> None:
    assert split_compound(question) == parts


def _cited(index: int, start: int, quote: str) -> Citation:
    return Citation(index=index, title="t", source="", path="a.txt", published=None, quote=quote, start=start, end=start + len(quote), doc_id="a")


def test_two_answers_join_numbered_on_without_quoting_a_sentence_twice() -> None:
    first = Answer(text="Naftogaz signed it. [1]", question="Who signed?", citations=[_cited(1, 0, "Naftogaz signed it.")], confidence=0.8)
    second = Answer(
        text="It was in July.[2] [1] Naftogaz signed it. [2]",  # a footnote mark inside a quote stays as written
        question="When?",
        citations=[_cited(1, 40, "It was in July.[2]"), _cited(2, 0, "Naftogaz signed it.")],
        confidence=0.6,
    )
    both = joined(first, second, ("Who signed?", "When?"))
    assert both.text == "Naftogaz signed it. [1] It was in July.[2] [2]"
    assert [(c.index, c.start) for c in both.citations] == [(1, 0), (2, 40)]
    assert both.confidence == 0.6 and both.question == "Who signed? / When?"
    refused = Answer(text="The documents do not answer this question.", question="When? (following up…)", abstained=True)
    partly = joined(first, refused, ("Who signed?", "When?"))
    assert partly.text == first.text and partly.warnings == ["The documents do not answer “When?”"]
    assert joined(refused, refused, ("Who signed?", "When?")).abstained
    # The second part answered by the sentence the first quoted: nothing more is quoted for it.
    assert joined(first, replace(second, citations=second.citations[::-1]), ("Who signed?", "When?")).citations == first.citations


def test_a_question_after_one_about_all_the_documents_stands_alone() -> None:
    # "What documents do you have?" is about no one thing: the next question was asked "(following up on: …)".
    overview = [_turn("What documents do you have?")]
    assert condense_offline("When does the ferry leave?", overview) == ("When does the ferry leave?", "")
    assert condense_offline("When does the ferry leave?", [_turn("Who runs the harbour?")])[1]  # a topic: followed up


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Where did you find that?", True),
        ("Which document is that from?", True),
        ("What's your source?", True),
        ("Sources?", True),
        ("Where did Kovalenko publish his article?", False),
        ("Which document is the Firefox part from?", False),
        ("Where is that pipeline?", False),
    ],
)
def test_where_the_answer_came_from_is_told_from_a_question(question: str, asks: bool) -> None:
    assert asks_where_from(question) is asks


HARVARD = "Who founded Harvard? Harvard was named for John Harvard, its first benefactor, and chartered in 1636."
KNOWN = set(
    "harvard named john benefactor chartered immune system protect bacteria prime number gas route take outcome".split()
)


@pytest.mark.parametrize(
    ("question", "before", "changes"),
    [
        ("How does the immune system protect against bacteria?", HARVARD, True),  # nothing of it about Harvard
        ("What is a prime number?", HARVARD, True),
        ("Which route will the gas take?", SENTENCE + " Take legal action.", False),  # the deal's gas and route
        ("What was the outcome?", HARVARD, False),  # one word of its own: too few to tell
        ("How does it protect against bacteria?", HARVARD, False),  # "it" points back
        ("And the immune system?", HARVARD, False),
        ("What do tree sloths eat?", HARVARD, False),  # words no document writes: no sign of another subject
    ],
)
def test_a_question_naming_nothing_changes_subject_when_its_words_are_not_the_turn_befores(
    question: str, before: str, changes: bool
) -> None:
    assert changes_subject(question, [before], KNOWN.__contains__) is changes
