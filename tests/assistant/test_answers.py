"""Offline answers over the seed article: cited, exact, follow-ups understood, abstaining when it must."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from assistant import Answer, Assistant, EmptyStore, Filters
from assistant._answering.questions import profile
from assistant.cli import main
from tests.conftest import MIXED_CORPUS, REPO_ROOT, SEED_FILE


def assert_citations_exact(assistant: Assistant, answer: Answer) -> None:
    """The invariant every answer keeps: each quote is the stored text at its span, and each [n] resolves."""
    for citation in [*answer.citations, *answer.related]:
        text = assistant.document_text(citation.doc_id)
        assert text is not None
        assert text[citation.start : citation.end] == citation.quote
        assert citation.quote.strip() and len(citation.quote) < 1200
    for citation in answer.citations:
        assert f"[{citation.index}]" in answer.text


def test_why_question_is_answered_with_the_strike_and_cited(seeded_assistant: Assistant) -> None:
    answer = seeded_assistant.ask("Why was the SOCAR depot hit?")
    assert not answer.abstained
    assert "SOCAR" in answer.text
    assert answer.citations and answer.citations[0].title == "Ukraine, Azerbaijan tighten ties amid Russian aggression"
    assert answer.citations[0].source == "global.espreso.tv"
    assert_citations_exact(seeded_assistant, answer)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When did Russian forces attack the gas distribution station in Odesa region?", "August 6"),
        ("How much humanitarian aid has Azerbaijan sent to Ukraine?", "$2 million"),
        ("Who mediated the agreements between Azerbaijan and Armenia?", "United States"),
        ("Which refinery received the contaminated crude oil?", "Petrobazi"),
    ],
)
def test_factual_questions(seeded_assistant: Assistant, question: str, expected: str) -> None:
    answer = seeded_assistant.ask(question)
    assert not answer.abstained
    assert expected in answer.text
    assert_citations_exact(seeded_assistant, answer)


@pytest.mark.parametrize(
    "question",
    [
        "What was the weather in Odesa on August 6?",
        "What is the name of SOCAR's chief executive?",
        "How many drones were shot down during the attack?",
    ],
)
def test_questions_the_article_does_not_answer_abstain(seeded_assistant: Assistant, question: str) -> None:
    answer = seeded_assistant.ask(question)
    assert answer.abstained, answer.text
    assert answer.citations == []
    assert "do not answer" in answer.text
    assert_citations_exact(seeded_assistant, answer)


def test_how_much_is_not_answered_by_a_sentence_holding_no_number(seeded_settings) -> None:
    # With no threshold at all, only the missing number can decline it; the deal's sentence stays related.
    assistant = Assistant(seeded_settings.model_copy(update={"answer_threshold": 0.0}))
    declined = assistant.ask("What was the value of the gas deal Naftogaz signed?")
    assert declined.abstained and declined.citations == [], declined.text
    assert "signed a deal with SOCAR Energy Ukraine" in declined.related[0].quote
    answered = assistant.ask("How much aid has Azerbaijan sent to Ukraine?")
    assert not answered.abstained and "$2 million" in answered.text, answered.text
    assert_citations_exact(assistant, declined)


@pytest.mark.parametrize(
    ("declined", "answered", "expected"),
    [
        # The article never dates Kovalenko's article: what year, asked of a sentence holding none.
        ("In what year did Kovalenko write his article?", "What year was the AZAL passenger jet downed?", "2024"),
        # The article's AZAL sentence says 2024, the Romanian report August 7; the article itself is dated
        # 2025, so its sentences answer for that year.
        ("What did Aliyev announce in 2023?", "What did Aliyev announce in 2025?", "legal action"),
        ("What did Romania report on September 7?", "What did Romania report on August 7?", "chlorine"),
        # Azerbaijan sent $2 million; the oil had dangerously high chlorine levels; Azerbaijan is rising.
        ("Who sent $3 million in humanitarian aid?", "Who sent $2 million in humanitarian aid?", "Azerbaijan"),
        ("What had dangerously low chlorine levels?", "What had dangerously high chlorine levels?", "crude oil"),
        ("Which country is falling as a regional power?", "Which country is rising as a regional power?", "Azerbaijan"),
    ],
)
def test_a_question_the_best_sentence_lacks_dates_counts_or_says_otherwise_is_declined(
    seeded_settings, declined: str, answered: str, expected: str
) -> None:
    # With no threshold, only the missing year, the date, number or opposite declines; the question as the
    # article has it is answered.
    assistant = Assistant(seeded_settings.model_copy(update={"answer_threshold": 0.0}))
    refusal = assistant.ask(declined)
    assert refusal.abstained and refusal.citations == [], (declined, refusal.text)
    answer = assistant.ask(answered)
    assert not answer.abstained and expected in answer.text, (answered, answer.text)


def test_an_opposite_is_declined_though_the_next_paragraph_holds_the_question_word(settings, tmp_path: Path) -> None:
    text = (
        "# Harbour town\n\nThe town was founded in 1822 and named after Ann Roe, the first military governor of the "
        "territory.\n\nToday the harbour is a military and civilian deep-water port with two naval bases.\n"
    )
    assistant = _assistant_over(settings, tmp_path, "town.md", text, answer_threshold=0.0)
    assert "Ann Roe" in assistant.ask("Who was the first military governor of the territory?").text
    declined = assistant.ask("Who was the first civilian governor of the territory?")
    assert declined.abstained, declined.text


def test_a_declined_answer_still_shows_the_sentence_the_verifier_found_closest(seeded_settings) -> None:
    question = "Who signed a gas deal with SOCAR Energy Ukraine?"
    answered = Assistant(seeded_settings).ask(question)
    declined = Assistant(seeded_settings.model_copy(update={"answer_threshold": 0.999})).ask(question)
    assert not answered.abstained and declined.abstained and declined.citations == []
    assert declined.related[0].quote in answered.citations[0].quote
    assert len(declined.related) == 2 and declined.related[1].quote != declined.related[0].quote
    assert_citations_exact(Assistant(seeded_settings), declined)


def test_a_name_written_with_a_possessive_is_a_word_the_documents_use(seeded_settings) -> None:
    # "job" is no word of the article and "Kovalenko's" was not one either, so the question was refused
    # before anything was read; with no threshold, the verifier's best sentence is the answer.
    answer = Assistant(seeded_settings.model_copy(update={"answer_threshold": 0.0})).ask("What is Kovalenko’s job?")
    assert not answer.abstained and "Kovalenko" in answer.text, answer.text


@pytest.mark.parametrize("question", ["the the the of and a", "ما هو الطقس في أوديسا؟"])
def test_questions_with_no_word_the_documents_use_abstain(seeded_assistant: Assistant, question: str) -> None:
    answer = seeded_assistant.ask(question)
    assert answer.abstained and answer.citations == []


def test_a_question_pasted_over_two_lines_or_with_double_spaces_is_read_as_typed(seeded_assistant: Assistant) -> None:
    typed = seeded_assistant.ask("Which website is the article from?")
    for pasted in ("Which  website is  the article from?", "Which website\nis the article from?"):
        answer = seeded_assistant.ask(pasted)
        assert answer.text == typed.text and "global.espreso.tv" in answer.text, answer.text


@pytest.mark.parametrize(("question", "problem"), [("   ", "is empty"), ("caf\udce9?", "not valid UTF-8")])
def test_bad_questions_are_one_clear_line_and_exit_status_2(seeded_settings, monkeypatch, capsys, question, problem) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(seeded_settings.data_dir))
    assert main(["ask", question]) == 2
    err = capsys.readouterr().err
    assert problem in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_follow_up_is_rewritten_and_answered(seeded_assistant: Assistant) -> None:
    chat = seeded_assistant.chat()
    first = chat.ask("What did Zelenskyy and Aliyev do on July 10?")
    assert "phone call" in first.text
    second = chat.ask("What prompted it?")
    assert "July 10" in second.question and second.question.startswith("What prompted it?")
    assert "strikes on Ukraine’s energy infrastructure" in second.text
    assert_citations_exact(seeded_assistant, second)


def test_a_follow_ups_that_route_is_the_route_the_previous_answer_named(seeded_assistant: Assistant) -> None:
    """The issue's follow-up: "that route" is read as the previous answer's "the Trans-Balkan route", and
    the sentence naming its countries answers."""
    chat = seeded_assistant.chat()
    chat.ask("Who signed a gas deal with SOCAR Energy Ukraine?")
    second = chat.ask("Which countries does that route pass through?")
    assert second.question.startswith("Which countries does the Trans-Balkan route pass through?")
    assert not second.abstained and "Bulgaria" in second.text and "Romania" in second.text
    assert_citations_exact(seeded_assistant, second)


def test_that_before_a_verb_is_what_the_previous_answer_said(seeded_assistant: Assistant) -> None:
    """"How would that help Kyiv?" asks how what Baku is considering would: refused (0.28) while "that help"
    was read as a demonstrative and its noun."""
    chat = seeded_assistant.chat()
    chat.ask("What is Baku considering?")
    second = chat.ask("How would that help Kyiv?")
    assert not second.abstained and "bolster Kyiv’s defense" in second.text
    assert_citations_exact(seeded_assistant, second)


def test_a_follow_up_with_no_words_of_its_own_reads_what_the_previous_answer_said(seeded_assistant: Assistant) -> None:
    """"That" in "When did that happen?" is the strike the previous answer quoted; the question before
    ("What happened to the SOCAR oil depot?") does not say what happened. Without the answer the
    verifier refused (0.19); the answer's own "The following night" is when."""
    chat = seeded_assistant.chat()
    first = chat.ask("What happened to the SOCAR oil depot?")
    assert "Russian strikes hit an oil depot" in first.text
    second = chat.ask("When did that happen?")
    assert "Russian strikes hit an oil depot" in second.question
    assert not second.abstained and "The following night" in second.text
    assert_citations_exact(seeded_assistant, second)


def test_who_was_behind_it_is_answered_by_who_did_it(seeded_assistant: Assistant) -> None:
    """"Behind" is written in no sentence of the article: refused at 0.17 while it counted as a word the
    answer must hold. Nor is the follow-up negated by the answer it carries ("…serving not just Ukraine…")."""
    chat = seeded_assistant.chat()
    chat.ask("What happened on August 6?")
    second = chat.ask("Who was behind it?")
    assert not second.abstained and "Russian forces launched" in second.text, second.text
    assert_citations_exact(seeded_assistant, second)


def test_a_request_to_list_is_answered_as_the_question_it_asks(seeded_assistant: Assistant) -> None:
    answer = seeded_assistant.ask("List the anti-aircraft systems mentioned.")
    assert answer.question == "What are the anti-aircraft systems mentioned?"
    assert not answer.abstained and "Bofors 40mm" in answer.text
    assert_citations_exact(seeded_assistant, answer)


def test_a_question_naming_the_document_it_asks_of_is_answered_as_the_plain_question(settings, tmp_path: Path) -> None:
    harbour = (
        "Harbour works at Tidewick\n\nThe harbour board paid for the new quay walls through municipal bonds. "
        "The quay walls were finished in 2021, a year late, and the ferries returned in the spring.\n"
    )
    lighthouse = "Lighthouse notes\n\nThe lighthouse keeper retired in 1998. His daughter kept the light until 2005.\n"
    assistant = _assistant_over(settings, tmp_path, "harbour-report.md", harbour, {"lighthouse-post.md": lighthouse})
    plain = assistant.ask("When were the quay walls finished?")
    assert not plain.abstained and "2021" in plain.text, plain.text
    for scoped in (  # "council's annual" is written nowhere: read as the question's words, it was refused at 0.11
        "According to the Tidewick council's annual report, when were the quay walls finished?",
        "When were the quay walls finished, according to the report?",
    ):
        answer = assistant.ask(scoped)
        quoted = [(c.doc_id, c.start, c.end) for c in answer.citations]
        assert quoted == [(c.doc_id, c.start, c.end) for c in plain.citations], (scoped, answer.text)
        assert answer.confidence >= plain.confidence - 0.05, (scoped, answer.confidence, plain.confidence)  # retrieval differs a little


def test_a_question_asked_politely_or_in_capitals_is_answered_as_asked_plainly(seeded_assistant: Assistant) -> None:
    plain = seeded_assistant.ask("Which refinery received the contaminated oil?")
    assert not plain.abstained and "Petrobazi" in plain.text, plain.text
    for asked in (
        "Can you tell me which refinery received the contaminated oil?",
        "I want to know which refinery received the contaminated oil",
        "WHICH REFINERY RECEIVED THE CONTAMINATED OIL?",
    ):
        answer = seeded_assistant.ask(asked)
        assert not answer.abstained and answer.citations == plain.citations, (asked, answer.text)
    contracted = seeded_assistant.ask("Who's Oleksandr Kovalenko?")
    assert contracted.citations == seeded_assistant.ask("Who is Oleksandr Kovalenko?").citations != []


def test_a_request_to_summarize_something_is_answered_from_what_the_documents_say_about_it(seeded_assistant: Assistant) -> None:
    answer = seeded_assistant.ask("Summarize the Russian strikes.")
    assert answer.question == "Tell me about the Russian strikes."
    assert not answer.abstained and "strike" in answer.text
    assert_citations_exact(seeded_assistant, answer)


def test_a_new_conversation_forgets_earlier_turns(seeded_assistant: Assistant) -> None:
    chat = seeded_assistant.chat()
    chat.ask("What did Zelenskyy and Aliyev do on July 10?")
    chat.reset()
    assert chat.ask("What prompted it?").question == "What prompted it?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When was the article published?", "11 August 2025"),
        ("When was the news article published?", "11 August 2025"),  # the user's own words for it
        ("Which site published the article?", "global.espreso.tv"),
        ("What is the title of the article?", "Ukraine, Azerbaijan tighten ties amid Russian aggression"),
        ("What site is this from?", "global.espreso.tv"),
        ("What date is the article from?", "11 August 2025"),
    ],
)
def test_questions_about_the_document_are_answered_from_its_header(
    seeded_assistant: Assistant, question: str, expected: str
) -> None:
    answer = seeded_assistant.ask(question)
    assert expected in answer.text
    [citation] = answer.citations
    doc = next(d for d in seeded_assistant.documents() if d.doc_id == citation.doc_id)
    assert citation.end <= doc.body_start, "metadata answers cite the document header"
    assert citation.quote in Path(citation.path).read_text(encoding="utf-8"), "the quote is in the file as written"
    assert_citations_exact(seeded_assistant, answer)


@pytest.mark.parametrize(
    "question",
    [
        "What is the article about?", "Summarize the article.", "What is the main topic of the article?", "What's this about?",
        "Give me a summary", "Tell me about the article.", "Summarize this document in two sentences.",
        "What does the article cover?",
    ],
)  # fmt: skip
def test_what_a_document_is_about_is_answered_with_its_opening(seeded_assistant: Assistant, question: str) -> None:
    answer = seeded_assistant.ask(question)
    assert answer.text.startswith("“Ukraine, Azerbaijan tighten ties amid Russian aggression” opens: These tactics are driving closer ties")
    assert answer.confidence == 1.0
    citation = answer.citations[0]
    doc = next(d for d in seeded_assistant.documents() if d.doc_id == citation.doc_id)
    assert citation.start >= doc.body_start and "Oleksandr Kovalenko" in citation.quote
    assert all(c.quote in Path(c.path).read_text(encoding="utf-8") for c in answer.citations)
    assert_citations_exact(seeded_assistant, answer)


def test_the_publication_date_is_quoted_as_the_file_writes_it(seeded_assistant: Assistant) -> None:
    answer = seeded_assistant.ask("When was the article published?")
    assert [c.quote for c in answer.citations] == ["Mon, 11 Aug 2025 19:11:00 +0300"]
    assert answer.confidence == 1.0


def test_filters_restrict_what_is_searched(seeded_assistant: Assistant) -> None:
    question = "How much humanitarian aid has Azerbaijan sent to Ukraine?"
    assert not seeded_assistant.ask(question, filters=Filters(source="global.espreso.tv")).abstained
    assert seeded_assistant.ask(question, filters=Filters(source="bbc.co.uk")).abstained
    assert seeded_assistant.ask(question, filters=Filters(published_before=date(2024, 1, 1))).abstained
    assert seeded_assistant.retrieve(question, filters=Filters(published_after=date(2025, 8, 1)))


def test_an_empty_store_says_how_to_add_documents(settings) -> None:
    with pytest.raises(EmptyStore, match="assistant ingest"):
        Assistant(settings).ask("Anything?")


def test_cli_ask_prints_answer_and_numbered_sources(seeded_settings, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(seeded_settings.data_dir))
    assert main(["ask", "How much humanitarian aid has Azerbaijan sent to Ukraine?"]) == 0
    printed = capsys.readouterr().out
    assert "$2 million" in printed and "Sources" in printed and "[1]" in printed
    assert main(["ask", "What was the weather in Odesa?", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["abstained"] is True and payload["citations"] == []


def _assistant_over(
    settings, tmp_path: Path, name: str, text: str, others: dict[str, str | bytes] | None = None, **changed: object
) -> Assistant:
    """An assistant over a folder holding a document ``name`` with ``text`` (and ``others``, name -> text or
    a file's bytes), ingested with ``settings`` and the ``changed`` ones ("answer_threshold=0.0": the best
    candidate is the answer, whatever the verifier's confidence)."""
    from ingest.pipeline import ingest

    settings = settings.model_copy(update=changed)
    folder = tmp_path / "docs"
    folder.mkdir()
    for file_name, content in {name: text, **(others or {})}.items():
        if isinstance(content, bytes):
            (folder / file_name).write_bytes(content)
        else:
            (folder / file_name).write_text(content, encoding="utf-8")
    ingest(folder, settings)
    return Assistant(settings)


def test_the_seed_article_through_a_converter_answers_as_its_plain_text_does(settings, tmp_path: Path) -> None:
    # Markdown joins a paragraph's lines: a converter (pandoc) runs the header's three lines into one
    # paragraph, stored as text, which moves where the chunks end.
    blocks = [" ".join(block.split("\n")) for block in SEED_FILE.read_text(encoding="utf-8").split("\n\n") if block.strip()]
    assistant = _assistant_over(settings, tmp_path, "seed.md", "\n\n".join(blocks))

    published = assistant.ask("When was the article published?")
    why = assistant.ask("Why, according to the article, has Russia failed to bring about agreements between Azerbaijan and Armenia?")

    assert "Ukraine, Azerbaijan tighten ties amid Russian aggression" in published.text and "11 August 2025" in published.text
    assert "had no interest in such agreements" in why.text  # the reason, beside the answer across a chunk's edge
    for answer in (published, why):
        assert_citations_exact(assistant, answer)


def test_a_sentence_is_read_beside_the_one_before_it_when_an_overlapping_chunk_claimed_that_one(seeded_assistant: Assistant) -> None:
    # Two retrieved chunks overlap on "Romanian officials suspected…", a candidate of the first only: the
    # second's "The following night…" had no sentence before it, and "Romania" was not found beside it
    # (the seed article as a five-page A5 PDF: refused at 0.24, 0.70 from its plain text).
    question = profile("What did Russian strikes hit the night after Romania's report about the oil?")
    passage = next(p for p in seeded_assistant.retrieve(question.text) if "Romanian officials" in p.text and "The following night" in p.text)
    claimed, night = passage.text.index("Romanian officials"), passage.text.index("The following night")
    first = replace(passage, chunk_id="first", text=passage.text[:night].rstrip(), end=passage.start + len(passage.text[:night].rstrip()))
    second = replace(passage, chunk_id="second", text=passage.text[claimed:], start=passage.start + claimed, rank=2)

    shortlist = seeded_assistant._extractive.shortlist(question, [first, second])

    following = next(c for c in shortlist if c.sentence.text.startswith("The following night"))
    assert following.passage.chunk_id == "second" and following.before.startswith("Romanian officials suspected")


def test_a_documents_own_footnote_markers_stay_out_of_the_answer(settings, tmp_path: Path) -> None:
    assistant = _assistant_over(
        settings, tmp_path, "museum.txt",
        "The city museum\n\nThe city museum holds 7 [9] paintings by Vermeer [12]. It was founded in 1901 by the "
        "merchant Jan de Wit [3], who left it his house on the canal.\n",
    )  # fmt: skip
    answer = assistant.ask("How many paintings by Vermeer does the city museum hold?")
    assert not answer.abstained, answer
    assert "7 paintings by Vermeer" in answer.text and "[9]" not in answer.text and "[12]" not in answer.text
    assert "[9]" in answer.citations[0].quote
    assert_citations_exact(assistant, answer)


def test_sentences_the_file_runs_together_are_cited_apart() -> None:
    # The seed article was scraped without the space between paragraphs ("…infrastructure.Turkey could…"):
    # quoted as one span, an answer read the two sentences run together.
    from assistant._answering.citations import Span, merge_adjacent

    text = "Aid was sent.Turkey could help. Drones flew."
    first, second, third = Span("d", 0, 13, 0.9), Span("d", 13, 31, 0.5), Span("d", 32, 44, 0.4)
    merged = merge_adjacent([first, second, third], {"d": text})
    assert [(s.start, s.end) for s in merged] == [(0, 13), (13, 44)]


def test_a_sentence_opening_a_chunk_is_read_after_the_one_before_it(settings, tmp_path: Path) -> None:
    # "She" is Marta Kowalska, named in the sentence before, which small chunks put in another chunk.
    assistant = _assistant_over(
        settings, tmp_path, "harbour.txt",
        "Harbour news\n\nThe harbour authority of Lindmark opened its new container terminal in March after four "
        "years of building work. The terminal has two berths and can handle ships of up to 300 metres. Marta "
        "Kowalska, who has led the authority since 2019, spoke at the opening ceremony.\n\nShe said the terminal "
        "cost 84 million euros, most of it paid by the regional government. The rest came from a loan by the "
        "European Investment Bank.\n",
        chunk_tokens=40, chunk_overlap=0,
    )  # fmt: skip
    answer = assistant.ask("How much did Marta Kowalska say the terminal cost?")
    assert not answer.abstained, answer
    assert "84 million euros" in answer.text
    assert_citations_exact(assistant, answer)


def test_a_short_line_under_its_heading_is_that_headings_value(settings, tmp_path: Path) -> None:
    # Too short to be a sentence, "BSD3-Clause" was no candidate at all. The reader, fine-tuned on SQuAD's
    # prose, is unsure of a bare value (0.27): the best candidate is what is checked here.
    assistant = _assistant_over(
        settings, tmp_path, "README.md",
        "# datewise\n\ndatewise parses dates written in many languages.\n\n## License\n\nBSD3-Clause\n\n"
        "## Installation\n\nInstall it with pip install datewise, on Python 3.10 or later.\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("What license does datewise use?")
    assert answer.text.startswith("BSD3-Clause"), answer.text
    assert answer.citations[0].section == "License"
    assert_citations_exact(assistant, answer)


@pytest.mark.parametrize(
    ("question", "release"),
    [("Which release added the streaming upload API?", "2.4.0 (March 3rd, 2025)"), ("When did tidewire drop Python 3.8 support?", "2.3.0 (January 9th, 2025)")],
)
def test_a_changelog_item_is_quoted_under_its_release(settings, tmp_path: Path, question: str, release: str) -> None:
    # The item says what changed, only its heading which release: "- Add the streaming upload API." alone
    # does not answer "Which release…?".
    assistant = _assistant_over(
        settings, tmp_path, "CHANGELOG.md",
        "# tidewire changelog\n\n## 2.4.0 (March 3rd, 2025)\n\n- Add the streaming upload API. (#412)\n"
        "- Fix a crash when the server closes the connection early. (#409)\n\n## 2.3.0 (January 9th, 2025)\n\n"
        "- Drop Python 3.8 support. (#398)\n- Retry idempotent requests on connection reset. (#391)\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask(question)
    assert answer.text.startswith(release), answer.text
    assert answer.citations[0].quote.startswith(release)
    assert "2.4.0" not in answer.text or "2.3.0" not in answer.text  # not another release's item beside it
    assert_citations_exact(assistant, answer)


def test_a_question_naming_a_document_is_answered_from_it(settings, tmp_path: Path) -> None:
    # Another document says what was "released under" a licence; the question asks about tidewire's.
    assistant = _assistant_over(
        settings, tmp_path, "tidewire.md",
        "# tidewire\n\ntidewire moves files between servers over SSH.\n\n## Installation\n\n"
        "Install it with pip install tidewire, on Python 3.10 or later.\n",
        {"history.txt": "A short history of file tools\n\nMost early file transfer tools were released under the "
         "GPL, and later ones under the MIT license. The first of them ran on university mainframes.\n"},
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("What license is tidewire released under?")
    assert {Path(c.path).name for c in answer.citations} == {"tidewire.md"}, answer.text


@pytest.mark.parametrize(
    "turns",
    [
        ["Which site published the article about Ukraine and Azerbaijan tightening ties?", "And on what date?"],
        ["How much humanitarian aid has Azerbaijan sent to Ukraine?", "When was the article published?"],
    ],
)
def test_a_question_naming_no_document_is_about_the_one_the_conversation_is_on(settings, tmp_path: Path, turns: list[str]) -> None:
    others = {  # dated documents a question naming none could be taken for
        f"notes-{n}.md": f"---\ntitle: Field notes {n}\ndate: 2019-0{n}-01\n---\n\nThe survey team published its {n} field notes on river birds.\n"
        for n in (1, 2, 3)
    }
    assistant = _assistant_over(settings, tmp_path, "article.txt", SEED_FILE.read_text(encoding="utf-8"), others)
    chat = assistant.chat()
    for turn in turns[:-1]:
        chat.ask(turn)

    answer = chat.ask(turns[-1])

    assert "11 August 2025" in answer.text
    assert [c.quote for c in answer.citations] == ["Mon, 11 Aug 2025 19:11:00 +0300"]


def test_a_project_every_document_names_is_no_document_named(settings, tmp_path: Path) -> None:
    # The README is titled "Tidewire", and the governance page, which answers, names Tidewire too.
    assistant = _assistant_over(
        settings, tmp_path, "README.md",
        "# Tidewire\n\nTidewire moves files between servers over SSH. Install it with pip install tidewire.\n\n"
        "## Team\n\nThe project is maintained by a team of volunteers from four countries.\n",
        {"GOVERNANCE.md": "# Tidewire Project Governance\n\nTidewire is developed in the open by its maintainers.\n\n"
         "## Steering council\n\nThe steering council has final authority over this project, including its licence "
         "and the list of maintainers.\n"},
    )  # fmt: skip
    answer = assistant.ask("Who has final authority over the Tidewire project?")
    assert not answer.abstained and "The steering council has final authority" in answer.citations[0].quote, answer.text


def test_an_api_reference_answers_from_the_section_its_heading_names(settings, tmp_path: Path) -> None:
    # As Node.js documents its API: the heading names the function, its parameters and return type come
    # first, and the description under them does not name it again, or names it beside example code.
    reference = (
        "# Tides\n\nThe tide module reads harbour tide tables and tells the time of high and low water.\n\n"
        "## `tide.join([...tables])`\n\n* `...tables` {Table} The tables to join.\n* Returns: {Table}\n\n"
        "The `tide.join()` method joins all given tide tables into one, ordered by the time of high water.\n\n"
        "```js\ntide.join(dover, calais);\ntide.join(dover, {}, calais);\n```\n\n"
        "## `tide.open(path)`\n\n* `path` {string} Where the table is kept.\n* Returns: {Table}\n\n"
        "Reads the tide table kept at `path` and gives the times of high and low water it lists.\n\n"
        "## `tide.clear(table)`\n\n* `table` {Table} A table the module gave.\n\n"
        "Cancels a tide table and frees the memory it held, so that its harbour can be read again.\n"
    )
    assistant = _assistant_over(settings, tmp_path, "tides.md", reference)

    joined = assistant.ask("What does tide.join() do?")
    assert joined.citations[0].quote == "The tide.join() method joins all given tide tables into one, ordered by the time of high water.", joined.text
    opened = assistant.ask("What does the tide.open() function return?")
    assert opened.citations[0].quote.startswith("Reads the tide table kept at path"), opened.text
    cancels = assistant.ask("Which function cancels a tide table?")  # the heading names it
    assert [c.quote for c in cancels.citations[:2]] == [
        "tide.clear(table)", "Cancels a tide table and frees the memory it held, so that its harbour can be read again."
    ], cancels.text
    for answer in (joined, opened, cancels):
        assert_citations_exact(assistant, answer)


def test_a_references_entry_for_an_option_or_variable_is_its_answer(settings, tmp_path: Path) -> None:
    # As GNU manuals list options and environment variables: each spelling, a colon, what it does.
    manual = (
        "# tally\n\ntally counts the lines, words and pages of the files given to it and prints a summary.\n\n"
        "## Options\n\ntally takes the following options from the command line:\n\n"
        "-q, --quiet: Do not print the summary line, only the counts.\n\n"
        "-Q, --quote: Quote every file name in the output.\n\n"
        "-o file, --output=file: Write the counts to file instead of the standard output.\n\n"
        "## Environment\n\nTALLY_WIDTH: The number of columns a summary line may take.\n\n"
        "Note: Options given on the command line win over the environment.\n"
    )
    assistant = _assistant_over(settings, tmp_path, "tally.md", manual)

    for question, entry in [
        ("What does the -q option do?", "-q, --quiet: Do not print the summary line, only the counts."),
        ("What does --output do?", "-o file, --output=file: Write the counts to file instead of the standard output."),
        ("What is TALLY_WIDTH?", "TALLY_WIDTH: The number of columns a summary line may take."),
    ]:
        answer = assistant.ask(question)
        assert [c.quote for c in answer.citations] == [entry] and answer.confidence == 1.0, (question, answer.text)
        assert_citations_exact(assistant, answer)
    quote = assistant.ask("What does the -Q flag do?")  # another option than -q
    assert quote.citations[0].quote.startswith("-Q, --quote:"), quote.text
    assert assistant.ask("What is a note?").confidence < 1.0  # a label of words is no name to look up


def test_a_tables_row_for_a_name_in_code_is_its_entry(settings, tmp_path: Path) -> None:
    # As X11's transport manual lists its flags: the name in one cell, what it means in the next.
    manual = (
        "# Transports\n\nEach transport has a record in the transport table.\n\nThe flags field can hold these masks:\n\n"
        "| Mask | Meaning |\n|---|---|\n| TRANS_ALIAS | indicates that this record is an alias, and should not be used to create a listener. |\n"
        "| TRANS_LOCAL | indicates that this is a local connection transport. |\n"
    )
    assistant = _assistant_over(settings, tmp_path, "transports.md", manual)

    answer = assistant.ask("What does TRANS_ALIAS indicate?")
    assert [c.quote for c in answer.citations] == ["| TRANS_ALIAS | indicates that this record is an alias, and should not be used to create a listener. |"], answer.text
    assert answer.confidence == 1.0
    assert_citations_exact(assistant, answer)


_PROJECT_PAGE = (
    "# Harrow\n\n| Field | Value |\n|---|---|\n| Released | March 3, 2019 |\n| License | MIT |\n\n"
    "Harrow is a build tool for small projects that a team at a weather service has kept up since 2019. "
    "It reads one build file and runs the tasks it names in order.\n\n"
    "## Design\n\nEvery task records a hash of its inputs, so a task whose inputs did not change is skipped. "
    "The tool never runs as root.\n"
)


def test_a_table_rows_answer_is_quoted_with_the_prose_stating_the_same(settings, tmp_path: Path) -> None:
    # A row is a terse record; the prose giving the same year says what it is about, in words to check it by.
    assistant = _assistant_over(settings, tmp_path, "harrow.md", _PROJECT_PAGE)
    answer = assistant.ask("When was Harrow released?")
    quotes = [c.quote for c in answer.citations]
    assert quotes[0] == "| Released | March 3, 2019 |", answer.text
    assert any("kept up since 2019" in q for q in quotes[1:]), answer.text
    assert_citations_exact(assistant, answer)
    assert [c.quote for c in assistant.ask("What license is Harrow under?").citations] == ["| License | MIT |"]


def test_a_sentence_cut_at_a_comma_is_quoted_with_what_follows(settings, tmp_path: Path) -> None:
    # "…in the following syntax," then the syntax on a line of its own: the sentence alone says nothing.
    assistant = _assistant_over(
        settings, tmp_path, "addresses.md",
        "# Addresses\n\nAddresses are specified in the following syntax,\n\n```\nprotocol/host:port\n```\n\n"
        "where protocol names a protocol family and port a service access point.\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("What is the syntax of an address?")
    assert "protocol/host:port" in answer.text, answer.text
    assert_citations_exact(assistant, answer)


def test_a_references_entry_retrieval_did_not_reach_is_looked_up_and_a_follow_up_asks_for_another(settings, tmp_path: Path) -> None:
    # Examples naming the -l option in every section outrank its entry among the others, as in GNU bc's manual.
    examples = "".join(
        f"## Example {n}\n\nWhat does the -l option do for the {place} reports? Run tally with the -l option on "
        f"them: the -l option counts what they hold, and the -l option works with every input tally reads.\n\n"
        for n, place in enumerate(["March", "April", "harbour", "warehouse", "office", "branch", "archive", "annual"], start=1)
    )
    entries = [
        "-a, --all: Count hidden files too.", "-b, --bytes: Count bytes only.", "-c, --chars: Count characters only.",
        "-l, --lines: Count lines only, not words or pages.", "-q, --quiet: Do not print the summary line.",
        "-w, --words: Count words only.", "-z, --zero: Read file names ended by a null byte.",
    ]
    manual = "# tally\n\n## Options\n\n" + "\n\n".join(entries) + "\n\n" + examples
    assistant = _assistant_over(settings, tmp_path, "tally.md", manual, chunk_tokens=64, chunk_overlap=0)

    chat = assistant.chat()
    lines = chat.ask("What does the -l option do?")
    assert [c.quote for c in lines.citations] == ["-l, --lines: Count lines only, not words or pages."], lines.text
    for follow_up, entry in [("And -q?", "-q, --quiet:"), ("What about --words?", "-w, --words:")]:
        answer = chat.ask(follow_up)
        assert answer.citations and answer.citations[0].quote.startswith(entry), (follow_up, answer.text)


def test_a_sentence_introducing_a_list_is_quoted_with_its_items(settings, tmp_path: Path) -> None:
    assistant = _assistant_over(
        settings, tmp_path, "README.md",
        "# HTTP Core\n\nThe HTTP Core package provides a minimal low-level HTTP client.\n\n## Dependencies\n\n"
        "The `httpcore` package has the following dependencies...\n\n* `h11`\n* `certifi`\n\n"
        "## Versioning\n\nWe use SEMVER for our versioning policy.\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("What are httpcore's dependencies?")
    assert "following dependencies" in answer.text and "h11" in answer.text and "certifi" in answer.text, answer.text
    assert "SEMVER" not in answer.text
    assert_citations_exact(assistant, answer)


def test_a_sections_heading_is_no_answer(settings, tmp_path: Path) -> None:
    # "More on Modules" holds every word of "What is a module?" and says nothing: Python's tutorial quoted it
    # as an answer, alone or run on after the sentence that answers.
    assistant = _assistant_over(
        settings, tmp_path, "modules.md",
        "# Modules\n\nIf you quit from the interpreter and enter it again, the definitions you have made are lost. "
        "A module is a file containing definitions and statements.\n\n## More on Modules\n\nA module can contain "
        "executable statements as well as function definitions. These statements are intended to initialize the "
        "module. Each module has its own private namespace. The author of a module can use global variables in the "
        "module.\n\n## Executing modules as scripts\n\nWhen you run a module with python you get the code in the "
        "module executed.\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("What is a module?")
    assert not any("More on Modules" in c.quote for c in answer.citations), answer.text
    assert_citations_exact(assistant, answer)


def test_a_heading_holding_the_date_asked_for_answers(settings, tmp_path: Path) -> None:
    assistant = _assistant_over(
        settings, tmp_path, "CHANGELOG.md",
        "# Changelog\n\n## Version 1.0.9 (April 24th, 2025)\n\n- Resolve an issue with the pool timeout.\n\n"
        "## Version 1.0.8 (April 11th, 2025)\n\n- Fix an AttributeError on Python 3.14.\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("When was version 1.0.9 released?")
    assert "April 24th, 2025" in answer.text, answer.text
    assert_citations_exact(assistant, answer)



def test_a_single_digit_tells_sentences_apart(settings, tmp_path: Path) -> None:
    # A single digit was no word, so both sentences held every word of the question: the August 6 sentence
    # was quoted alone for August 7.
    assistant = _assistant_over(
        settings, tmp_path, "report.md",
        "# Strikes on energy sites\n\nWithin days, in the early hours of August 6, Russian forces launched a massive "
        "drone attack on a gas distribution station in Odesa region. On August 7, Romania reported that contaminated "
        "crude oil had arrived at the Petrobazi refinery.\n\n## Software\n\nThe monitoring tool version 1.0.0 was "
        "released in March 2020 after two years of work. Its version 1.1.0 was released in June 2021 with a new "
        "scheduler.\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("What happened on August 7?")
    assert "On August 7" in answer.citations[0].quote, answer.text
    assert_citations_exact(assistant, answer)



def test_a_line_of_code_is_quoted_with_the_sentence_introducing_it(settings, tmp_path: Path) -> None:
    # The code alone names the function without saying what it does; the sentence before it says.
    assistant = _assistant_over(
        settings, tmp_path, "README.md",
        "# threadcap\n\nthreadcap is a small Python package.\n\n## Usage\n\nLimit how many workers numerical "
        "libraries start, for one block of your program:\n\n```python\n>>> from threadcap import thread_cap\n"
        ">>> with thread_cap(2):\n...     compute()\n```\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("What does thread_cap do?")
    assert "thread_cap" in answer.text and "Limit how many workers numerical libraries start" in answer.text, answer.text
    assert_citations_exact(assistant, answer)

def test_a_sentence_opening_with_a_pronoun_is_quoted_with_the_one_it_points_back_to(settings, tmp_path: Path) -> None:
    # "It is the fastest growing sector" names nothing; the sentence before says what "it" is. A paragraph's
    # first sentence keeps to itself: the one before belongs to another paragraph.
    assistant = _assistant_over(
        settings, tmp_path, "pharmacy.md",
        "# Pharmacy\n\nHospital pharmacies stock medicines for the wards of a hospital.\n\nSpecialty pharmacies "
        "supply costly injected and infused medicines for complex diseases. It is currently the fastest growing "
        "sector of the pharmaceutical industry.\n\nThey are run by pharmacists with further training.\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("What is the fastest growing sector of the pharmaceutical industry?")
    assert "Specialty pharmacies supply" in answer.text and "It is currently the fastest" in answer.text, answer.text
    assert_citations_exact(assistant, answer)
    answer = assistant.ask("Who runs them, with further training?")
    assert "They are run by pharmacists" in answer.text and "the fastest growing sector" not in answer.text, answer.text


def test_a_lists_item_is_quoted_with_the_sentence_introducing_the_list(settings, tmp_path: Path) -> None:
    # "- Plan 9" alone does not say the package runs there; the sentence over the list does.
    assistant = _assistant_over(
        settings, tmp_path, "README.md",
        "# sysprobe\n\nsysprobe reads processes, memory and disks the way ps and top show them. It runs on "
        "these:\n\n- Linux\n- Windows\n- **Plan 9 from Bell Labs**\n\nIt has no dependencies beyond the "
        "standard library.\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("Does sysprobe support Plan 9?")
    assert "Plan 9" in answer.text and "It runs on these:" in answer.text, answer.text
    assert_citations_exact(assistant, answer)


_FAQ = (
    "# Design notes for the Harrow build tool\n\n"
    "## Why are build files written in TOML?\n\nThere are several reasons. One is readability: a TOML table can be "
    "read by anyone who has edited an INI file, and the format has no surprises in its quoting rules. Another is "
    "tooling, since every language in use here has a parser for it.\n\n"
    "## Why is there no plugin system?\n\nPlugins were tried in the first releases. Each one pinned its own version "
    "of the core, and upgrades broke whichever plugin had not kept up, so the team removed them in version 2.\n\n"
    "## How are caches invalidated?\n\nEvery task records a hash of its inputs. When any input file changes, the hash "
    "no longer matches and the task runs again.\n\n"
    "## Can I run tasks in parallel?\n\nYes. Tasks that do not depend on each other run on as many workers as the "
    "machine has cores, and the jobs setting lowers that.\n\n"
    "## Why does Harrow refuse to run as root?\n\nTasks run arbitrary commands from the build file. Running them with "
    "full rights would let a mistaken path delete system files, so the tool stops with an error instead.\n"
)


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("Why is there no plugin system?", "Plugins were tried"),
        ("Can I run tasks in parallel?", "Tasks that do not depend"),
        ("How are caches invalidated?", "Every task records a hash"),
        ("Why does Harrow refuse to run as root?", "Tasks run arbitrary commands"),
    ],
)
def test_an_faqs_heading_is_read_with_the_answer_under_it(settings, tmp_path: Path, question: str, section: str) -> None:
    # The heading asks the question and its section answers it without repeating its words. Read without
    # their headings, three of these were refused (0.30, 0.04, 0.11) and one quoted the next section's
    # first sentence too; read as "How are caches invalidated? Every task records a hash of its inputs.",
    # the answer is 0.70 likely (0.73, 0.59, 0.70, 0.79).
    assistant = _assistant_over(settings, tmp_path, "design-faq.md", _FAQ)
    answer = assistant.ask(question)
    assert not answer.abstained, answer.confidence
    own = next(block for block in _FAQ.split("\n\n") if section in block)
    assert section in answer.citations[0].quote
    assert all(c.quote in own for c in answer.citations), answer.text
    assert_citations_exact(assistant, answer)


@pytest.mark.parametrize(
    ("question", "reason"),
    [("Why is there no plugin system?", "so the team removed them"), ("Why does Harrow refuse to run as root?", "so the tool stops")],
)
def test_a_why_answer_reads_on_to_the_reason_its_section_gives(settings, tmp_path: Path, question: str, reason: str) -> None:
    # The heading's sentence says what happened; the next one says why, joined by ", so" ("upgrades broke
    # whichever plugin had not kept up, so the team removed them"), and was left out.
    assistant = _assistant_over(settings, tmp_path, "design-faq.md", _FAQ)
    answer = assistant.ask(question)
    assert reason in answer.text, answer.text
    assert_citations_exact(assistant, answer)


def _shortlist(assistant: Assistant, question: str) -> list:
    """The candidates the verifier reads for ``question``, as the answer path builds them."""
    return assistant._extractive.shortlist(profile(question), assistant.retrieve(question))


_POLICY = (
    "# Python policy\n\n"
    "Every Python interpreter in Debian is installed under /usr/bin. "
    "The preferred interpreter for Python 3 scripts is /usr/bin/python3. "
    "Maintainers may name a versioned interpreter such as /usr/bin/python3.11 when a script needs it. "
    "Maintainers should not override the Debian Python interpreter using /usr/bin/env name. "
    "This is not advisable as it bypasses Debian's dependency checking and makes the package vulnerable to "
    "incomplete local installations.\n\n"
    "The interpreter directive of a script is its first line. "
    "Maintainers of private modules should use the default interpreter. "
    "An interpreter may be overridden by a local administrator in /usr/local/bin. "
    "Scripts run through /usr/bin/env find the interpreter on the search path. "
    "Maintainers should check every interpreter directive before each upload. "
    "Packages overriding the interpreter are reported by lintian.\n"
)


def test_a_why_answer_reads_on_to_the_reason_the_next_sentence_gives(settings, tmp_path: Path) -> None:
    # The rule's sentence matches the question word for word; the reason after it, joined by "as it", shares
    # none of its words and was not among the candidates read, so the answer restated the rule.
    assistant = _assistant_over(settings, tmp_path, "policy.md", _POLICY)
    question = "Why should maintainers not override the interpreter using /usr/bin/env?"
    assert not any("bypasses" in c.sentence.text for c in _shortlist(assistant, question)), "the reason must not be a candidate itself"
    answer = assistant.ask(question)
    assert "should not override" in answer.text and "bypasses Debian's dependency checking" in answer.text, answer.text
    assert_citations_exact(assistant, answer)


def test_an_answer_quotes_the_sentence_after_it_naming_what_it_speaks_of(settings, tmp_path: Path) -> None:
    # "Which languages…?" is answered by the sentence about per-territory orthographies, which names none;
    # the one after it names them and shares none of the question's words.
    assistant = _assistant_over(
        settings, tmp_path, "fonts.md",
        "# Lang tags\n\nEach font lists the languages it supports, computed from its Unicode coverage. "
        "For languages used in multiple territories with radically different character sets, the library "
        "includes per-territory orthographies. This includes Azerbaijani, Kurdish, Pashto, Tigrinya and Chinese.\n\n"
        "No provision has been made for adding new orthographies aside from rebuilding the library.\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("Which languages get per-territory orthographies?")
    assert "per-territory orthographies" in answer.text and "Azerbaijani, Kurdish" in answer.text, answer.text
    assert "rebuilding" not in answer.text  # the next paragraph is another matter
    assert_citations_exact(assistant, answer)


_TOOLS = (
    "<html><head><title>Build tool manual</title></head><body><h1>Build tool manual</h1>"
    "<p>The -t flag runs one of the tools below.</p><dl>"
    "<dt>clean</dt><dd>remove built files. By default it removes all built files except those the generator made. "
    "Adding the -g flag also removes built files created by the generator.</dd>"
    "<dt>compdb</dt><dd>print a compilation database. Adding the -x flag expands the rule variables.</dd>"
    "<dt>inputs</dt><dd>print every input of the given targets. Available since version 1.11.</dd>"
    "<dt>cleandead</dt><dd>remove files no build statement produces any more. Available since version 1.10.</dd>"
    "</dl></body></html>"
)


def test_a_sentence_further_along_a_definition_is_read_after_its_term(settings, tmp_path: Path) -> None:
    # "Adding the -g flag also removes…" says which tool only on its line ("clean | remove built files. …"):
    # read alone, "What does the -g flag do for the clean tool?" was refused (0.30 on the Ninja manual).
    assistant = _assistant_over(settings, tmp_path, "manual.html", _TOOLS)
    question = "What does the -g flag do for the clean tool?"
    shortlist = _shortlist(assistant, question)
    adding = next(c for c in shortlist if c.sentence.text.startswith("Adding the -g flag"))
    assert adding.read_as == f"clean: {adding.sentence.text}"
    first = next(c for c in shortlist if "remove built files." in c.sentence.text)
    assert first.read_as == first.sentence.text  # the row's first sentence holds its label already
    answer = assistant.ask(question)
    assert not answer.abstained and "Adding the -g flag also removes" in answer.text, (answer.confidence, answer.text)
    # Quoted after the row's first sentence, which names the tool, as it was read.
    assert answer.text.startswith("clean: remove built files."), answer.text
    assert_citations_exact(assistant, answer)


def test_a_list_in_the_next_chunk_is_still_quoted_with_the_sentence_introducing_it(settings, tmp_path: Path) -> None:
    assistant = _assistant_over(
        settings, tmp_path, "README.md",
        "# HTTP Core\n\nThe HTTP Core package provides a minimal low-level HTTP client, which does one thing only: "
        "sending HTTP requests. It does not provide any high level model abstractions over the API, does not "
        "handle redirects, multipart uploads, building authentication headers, transparent HTTP caching, URL "
        "parsing, session cookie handling, content or charset decoding, handling JSON, environment based "
        "configuration defaults, or any of that Jazz.\n\nThe motivation for `httpcore` is:\n\n"
        "* To provide a reusable low-level client library, that other packages can then build on top of.\n"
        "* To provide a really clear interface split between the networking code and client logic.\n",
        chunk_tokens=48, chunk_overlap=0, answer_threshold=0.0,
    )  # fmt: skip
    question = "What is the motivation for httpcore?"
    introducing = [p for p in assistant.retrieve(question) if "The motivation for httpcore is:" in p.text]
    assert introducing and "reusable low-level client library" not in introducing[0].text, "the list must start in another chunk"
    answer = assistant.ask(question)
    assert "reusable low-level client library" in answer.text and "interface split" in answer.text, answer.text
    assert_citations_exact(assistant, answer)


def test_a_place_written_without_a_capital_is_among_the_candidates(settings, tmp_path: Path) -> None:
    """"Where…?" answered by "in nursing homes": the shortlist no longer rewards a capitalised name for a
    place, which put every sentence naming Chicago or the University of Illinois ahead of it."""
    assistant = _assistant_over(
        settings, tmp_path, "pharmacy.txt",
        "Consultant pharmacy in Illinois\n\n"
        "The Illinois Pharmacists Association was founded in Chicago in 1880. "
        "Consultant pharmacists in Illinois are licensed by the Illinois Department of Financial and Professional Regulation. "
        "Many consultant pharmacists in Illinois trained at the University of Illinois Chicago College of Pharmacy. "
        "The American Society of Consultant Pharmacists holds its Midwest meeting in Springfield. "
        "Consultant pharmacists in Illinois most typically work in nursing homes, but increasingly in hospices too. "
        "Walgreens and CVS employ consultant pharmacists in Illinois as well. "
        "The Chicago Tribune wrote about consultant pharmacists in Illinois in 2019. "
        "Medicare Part D changed the work of consultant pharmacists in Illinois in 2006. "
        "Northwestern Medicine hired consultant pharmacists in Illinois in 2015. "
        "Rush University trains consultant pharmacists in Illinois every summer.\n",
        answer_threshold=0.0,
    )  # fmt: skip
    answer = assistant.ask("Where do consultant pharmacists in Illinois typically work?")
    assert "nursing homes" in answer.text, answer.text
    assert_citations_exact(assistant, answer)


@pytest.fixture(scope="module")
def posts_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An assistant over six of the mixed documents: a Markdown post whose front matter names its author,
    news pages whose <meta> do, one whose author is its newsroom, an encyclopedia page and a paper."""
    from ingest.pipeline import ingest
    from tests.conftest import make_settings

    folder = tmp_path_factory.mktemp("posts")
    for name in ("2013-outage-postmortem.md", "nytimes-1.html", "bbc-1.html", "wikipedia.html", "seattletimes-1.html", "tracemonkey.pdf"):
        (folder / name).write_bytes((MIXED_CORPUS / name).read_bytes())
    settings = make_settings(tmp_path_factory.mktemp("posts-store"))
    ingest(folder, settings)
    return Assistant(settings)


def test_a_question_about_the_document_after_one_about_its_subject_is_about_that_document(settings, tmp_path: Path) -> None:
    # Asked alone, "Who wrote the paper?" finds the note saying who wrote a paper; after a question the
    # TraceMonkey paper answered, it asks about that paper.
    note = "Notes on reading\n\nMary Shaw wrote the paper that named software architecture. Reading it twice is advised.\n"
    paper = {"tracemonkey.pdf": (MIXED_CORPUS / "tracemonkey.pdf").read_bytes()}
    chat = _assistant_over(settings, tmp_path, "notes.txt", note, paper).chat()
    chat.ask("What is TraceMonkey?")

    answer = chat.ask("Who wrote the paper?")

    assert "Andreas Gal" in answer.text and {Path(c.path).name for c in answer.citations} == {"tracemonkey.pdf"}


def test_a_follow_up_stays_with_the_document_its_conversation_is_about_among_others(settings, tmp_path: Path) -> None:
    # "(following up on: Who is Oleksandr Kovalenko?)" also matched the encyclopedia page's sentences
    # describing people, whose passages crowded the seed article's opening out of the six retrieved.
    written = REPO_ROOT / "assistant" / "training" / "written" / "corpus" / "trafilatura.md"
    others = {"wikipedia.html": (MIXED_CORPUS / "wikipedia.html").read_bytes(), "trafilatura.md": written.read_bytes()}
    assistant = _assistant_over(settings, tmp_path, SEED_FILE.name, SEED_FILE.read_text(encoding="utf-8"), others)
    chat = assistant.chat()
    chat.ask("Who is Oleksandr Kovalenko?")

    answer = chat.ask("Which outlet did he write his article for?")

    assert "minval.az" in answer.text and {Path(c.path).name for c in answer.citations} == {SEED_FILE.name}
    assert_citations_exact(assistant, answer)


@pytest.mark.parametrize("question", ["When was the article published?", "What is the title of the article?", "Which site published the article?"])
def test_a_first_question_about_a_document_naming_none_among_several_asks_which(posts_assistant: Assistant, question: str) -> None:
    answer = posts_assistant.ask(question)

    assert answer.abstained and not answer.citations
    assert answer.text.startswith("Which document do you mean? 6 are stored: name it by its title, site or author")
    assert answer.related and all(f"“{c.quote}”" in answer.text for c in answer.related)  # titles, quoted from headers
    assert_citations_exact(posts_assistant, answer)


@pytest.mark.parametrize(
    ("question", "expected", "quote"),
    [
        ("Who wrote the npm post-mortem?", "written by Charlie Robbins", "Charlie Robbins"),
        ("Who is the author of the article about Sudan sanctions?", "written by Jeffrey Gettleman", "Jeffrey Gettleman"),
        ("Who wrote the BBC article?", "written by BBC News", "BBC News"),
        # Its site is "NYTimes": the name spelled out names it too.
        ("Who wrote the New York Times article?", "written by Jeffrey Gettleman", "Jeffrey Gettleman"),
        # Named by its source only; retrieval alone ranks other documents' passages first.
        ("When was the BBC article published?", "24 July 2015", "2015-07-24T05:36:09+01:00"),
    ],
)
def test_the_document_a_question_names_is_the_one_answered_about(
    posts_assistant: Assistant, question: str, expected: str, quote: str
) -> None:
    answer = posts_assistant.ask(question)
    assert expected in answer.text, answer.text
    [citation] = answer.citations
    assert citation.quote == quote
    doc = next(d for d in posts_assistant.documents() if d.doc_id == citation.doc_id)
    assert citation.end <= doc.body_start, "metadata answers cite the document header"
    assert quote in Path(citation.path).read_text(encoding="utf-8"), "the quote is in the file as written"
    assert_citations_exact(posts_assistant, answer)


@pytest.mark.parametrize(
    ("question", "expected"),
    [("What is the title of the PDF?", "titled “Trace-based Just-in-Time Type Specialization"), ("When was the PDF published?", "1 April 2009")],
)
def test_a_document_named_by_its_format(posts_assistant: Assistant, question: str, expected: str) -> None:
    # The one PDF among web pages and Markdown; its header holds what the file's properties say.
    answer = posts_assistant.ask(question)
    assert expected in answer.text, answer.text
    [citation] = answer.citations
    assert citation.path.endswith("tracemonkey.pdf")
    assert citation.end <= next(d.body_start for d in posts_assistant.documents() if d.doc_id == citation.doc_id)
    assert_citations_exact(posts_assistant, answer)


def test_a_paper_without_an_author_property_was_written_by_its_byline(posts_assistant: Assistant) -> None:
    # tracemonkey.pdf's /Author is empty; the byline under its title names sixteen authors, each with the
    # marks that tie them to an affiliation. The quote is the byline as printed.
    answer = posts_assistant.ask("Who wrote the TraceMonkey paper?")
    assert "written by Andreas Gal, Brendan Eich, Mike Shaver" in answer.text and "Mason Chang, Michael Franz." in answer.text, answer.text
    [citation] = answer.citations
    assert citation.quote.startswith("Andreas Gal∗+, Brendan Eich∗,") and citation.quote.endswith("Michael Franz+")
    assert_citations_exact(posts_assistant, answer)


def test_a_name_is_defined_by_what_the_text_writes_beside_it_not_by_a_word_it_begins(posts_assistant: Assistant) -> None:
    """"Prime, Amazon’s $119-a-year shipping and media-subscription program" says what Prime is; the paper's
    pseudo-code loading "primes" was the answer (0.48)."""
    answer = posts_assistant.ask("What is Prime?")
    assert "Amazon’s $119-a-year shipping and media-subscription program" in answer.citations[0].quote
    assert "primes" not in answer.text
    assert_citations_exact(posts_assistant, answer)


def test_a_format_no_document_has_is_another_work(posts_assistant: Assistant) -> None:
    answer = posts_assistant.ask("When was the spreadsheet published?")
    assert "was published on" not in answer.text, answer.text


def test_who_wrote_something_in_a_document_is_not_its_author(posts_assistant: Assistant) -> None:
    answer = posts_assistant.ask("Who wrote the npm Registry's CouchDB replication code?")
    assert "Charlie Robbins" not in answer.text


def test_a_sentence_without_what_is_asked_does_not_join_the_answer(posts_assistant: Assistant) -> None:
    answer = posts_assistant.ask("How much did Amazon pay for Whole Foods?")
    assert "$13.7 billion" in answer.text
    assert all(any(ch.isdigit() for ch in c.quote) for c in answer.citations), [c.quote for c in answer.citations]


def test_what_a_document_among_several_is_about(posts_assistant: Assistant) -> None:
    answer = posts_assistant.ask("What is the BBC article about?")
    assert "opens: President Barack Obama has admitted" in answer.text  # not the title its page repeats
    assert_citations_exact(posts_assistant, answer)
    # Which article? Retrieval for a question naming none finds any of them.
    assert posts_assistant.ask("What is the article about?").abstained
    # A paper opens with its byline, which is no sentence: the abstract's first sentence is quoted.
    paper = posts_assistant.ask("What is the paper on dynamic languages about?")
    assert "opens: Dynamic languages such as JavaScript are more difficult to compile" in paper.text, paper.text
    # Named by its file (tracemonkey.pdf; the title never says TraceMonkey), and by an acronym of its source.
    assert "opens: Dynamic languages" in posts_assistant.ask("What is the TraceMonkey paper about?").text
    assert "“United States to Lift Sudan Sanctions” opens:" in posts_assistant.ask("What is the NYT article about?").text
    # "Times" alone does not make the Seattle Times' article the New York Times', which "NYTimes" names.
    assert "“United States to Lift Sudan Sanctions” opens:" in posts_assistant.ask("What is the New York Times article about?").text


def test_what_the_stored_documents_are_about(posts_assistant: Assistant) -> None:
    # Retrieval finds passages, each about one document: this was refused ("The documents do not answer").
    answer = posts_assistant.ask("What documents do you have?")
    lines = answer.text.splitlines()
    assert lines[0].startswith("6 documents") and len(lines) == 7, answer.text
    titles = {d.title for d in posts_assistant.documents()}
    assert {line.split("”")[0].removeprefix("- “") for line in lines[1:]} == titles
    assert "(tracemonkey.pdf): Dynamic languages such as JavaScript are more difficult to compile" in answer.text
    assert len(answer.citations) == 6 and not answer.abstained
    assert_citations_exact(posts_assistant, answer)
    # Of a kind, or named: one document is answered with its opening.
    assert posts_assistant.ask("What PDFs do you have?").text.startswith("“Trace-based Just-in-Time Type Specialization")
    assert posts_assistant.ask("What are the npm files about?").text.startswith("“Keeping The npm Registry Awesome” opens:")
    # None of a kind: said so, then what there is.
    none = posts_assistant.ask("What spreadsheets do you have?")
    assert none.text.startswith("No stored document is a .xlsx or .xlsm or .ods or .csv or .tsv file. 6 documents"), none.text
    assert posts_assistant.ask("How many emails are there?").text.startswith("No stored document is a .eml file.")


def test_the_only_document_is_what_the_documents_are_about(seeded_assistant: Assistant) -> None:
    answer = seeded_assistant.ask("What are these documents about?")
    assert "opens: These tactics are driving closer ties between nations" in answer.text, answer.text
    assert_citations_exact(seeded_assistant, answer)


@pytest.mark.parametrize("question", ["When was the Warren Commission report published?", "Who wrote the Mozilla Public License paper?"])
def test_a_question_about_another_work_is_not_answered_from_the_header(posts_assistant: Assistant, question: str) -> None:
    answer = posts_assistant.ask(question)
    starts = {d.doc_id: d.body_start for d in posts_assistant.documents()}
    assert all(c.start >= starts[c.doc_id] for c in answer.citations), answer.text
    assert "was published on" not in answer.text and "was written by" not in answer.text


def test_it_is_the_document_after_a_question_about_the_document(posts_assistant: Assistant) -> None:
    chat = posts_assistant.chat()
    chat.ask("When was the BBC article published?")
    assert "was written by BBC News" in chat.ask("Who wrote it?").text
    assert "opens: President Barack Obama has admitted" in chat.ask("What is it about?").text
    chat.ask("What did Obama say about race relations?")
    assert "was written by" not in chat.ask("Who wrote it?").text  # "it" is no longer the article
    # Two questions about "it" on from the one naming the article: still that article (it was refused).
    chat = posts_assistant.chat()
    chat.ask("Who wrote the BBC article?")
    assert "24 July 2015" in chat.ask("When was it published?").text
    assert "opens: President Barack Obama has admitted" in chat.ask("What is it about?").text


def test_who_did_something_is_answered_by_the_row_naming_its_doer(posts_assistant: Assistant) -> None:
    # "founded" and the infobox's "Founder" are one word to the answerer (Snowball's stems keep them apart):
    # it had answered "Products | Mozilla Application Suite" (0.38), the row under "Founder".
    answer = posts_assistant.ask("Who founded Mozilla?")
    assert [c.quote for c in answer.citations] == ["Founder | Netscape Communications Corporation"], answer.text


def test_an_answer_naming_no_one_reads_on_to_the_next_sentence_about_its_subject_that_does(posts_assistant: Assistant) -> None:
    # The list item's first sentence says what npmjs.com is; "It is a Node.js program … maintained and
    # operated by Isaac …" says who runs it.
    answer = posts_assistant.ask("Who runs the npmjs.com website?")
    assert "operated by Isaac" in answer.text, answer.text
    assert_citations_exact(posts_assistant, answer)


def test_an_answer_lacking_the_number_asked_reads_on_to_the_sentence_giving_it(settings, tmp_path: Path) -> None:
    # A manual's option is described, then its default given; "libxslt(3)" is no number, "15000" no year 1500.
    manual = (
        "xsltproc options\n\n"
        "--maxdepth VALUE: Adjust the maximum depth of the template stack before libxslt(3) concludes it is in an infinite loop. "
        "The default is 3000.\n\n"
        "--maxvars VALUE: Maximum number of variables. The default is 15000.\n\n"
        "--nonet: Do not use the Internet to fetch DTDs, entities or documents.\n"
    )
    assistant = _assistant_over(settings, tmp_path, "xsltproc.txt", manual, answer_threshold=0.0)
    for question, value in (("What is the default maximum number of variables?", "15000"), ("What is the default maximum depth of the template stack?", "3000")):
        answer = assistant.ask(question)
        assert f"The default is {value}." in answer.text, answer.text
        assert_citations_exact(assistant, answer)


@pytest.mark.parametrize("question", ["What is Mozilla?", "what's mozilla"])
def test_what_something_is_is_answered_by_the_sentence_defining_it(posts_assistant: Assistant, question: str) -> None:
    # Not "Firefox is a web browser, and is Mozilla's flagship software product.", which the reader preferred.
    answer = posts_assistant.ask(question)
    assert answer.text.startswith("Mozilla is a free-software community, created in 1998 by members of Netscape."), answer.text
    assert len(answer.citations) == 1
    assert_citations_exact(posts_assistant, answer)



@pytest.mark.parametrize(("question", "role"), [("Who is Kovalenko?", "political analyst Oleksandr Kovalenko"), ("Who is Ilham Aliyev?", "Azerbaijani President Ilham Aliyev")])
def test_who_someone_is_is_answered_by_a_sentence_naming_their_role(seeded_assistant: Assistant, question: str, role: str) -> None:
    # The reader rated every sentence naming Kovalenko about alike and quoted "Kovalenko describes it as part of
    # a broader geopolitical shift…"; asked after another question, it was also read as a follow-up to it.
    for answer in (seeded_assistant.ask(question), _asked_after(seeded_assistant, "Why was the SOCAR depot hit?", question)):
        assert role in answer.citations[0].quote, answer.text
        assert_citations_exact(seeded_assistant, answer)


def _asked_after(assistant: Assistant, before: str, question: str) -> Answer:
    chat = assistant.chat()
    chat.ask(before)
    return chat.ask(question)

def test_a_misspelt_question_is_answered_as_the_one_meant(seeded_assistant: Assistant) -> None:
    meant = seeded_assistant.ask("Who signed a gas deal with SOCAR Energy Ukraine?")
    typed = seeded_assistant.ask("Who signed a gas deal with SOCAR Enrgy Ukriane?")
    assert not typed.abstained and typed.citations == meant.citations


def test_a_bare_follow_up_is_answered_beside_the_last_answer_or_not_at_all(seeded_assistant: Assistant) -> None:
    """"When?" after the sentence on Turkey's anti-aircraft systems asks when Turkey would supply them,
    which the article does not say: the dates of other events, paragraphs away, do not answer it."""
    assert _asked_after(seeded_assistant, "What could Turkey supply to Ukraine?", "When?").abstained
    answer = _asked_after(seeded_assistant, "Who held a phone call on July 10?", "Why?")  # its own sentence says
    assert not answer.abstained and "prompted by the strikes" in answer.text


def test_on_what_date_asks_when_what_the_conversation_was_about_happened(seeded_assistant: Assistant) -> None:
    """"On what date?" had been answered with the article's publication date whatever came before; after a
    question about a strike it asks when the strike was, as "When?" does, and after a question about the
    article itself it still asks when the article was published."""
    answer = _asked_after(seeded_assistant, "Where did the Russian missile strike land in July?", "On what date?")
    assert not answer.abstained and "July 21" in answer.text, answer.text
    assert _asked_after(seeded_assistant, "What could Turkey supply to Ukraine?", "On what date?").abstained
    published = _asked_after(seeded_assistant, "Which site published the article?", "And on what date?")
    assert published.citations[0].quote == "Mon, 11 Aug 2025 19:11:00 +0300", published.text


def test_a_word_negated_by_un_finds_the_sentence_negating_the_word(seeded_settings) -> None:
    """The article never writes "unattacked"; it says the sites "had not been attacked". Whether the
    verifier is sure enough to answer is the threshold's: 0.33 on an AMD EPYC, over 0.35 on a Xeon."""
    assistant = Assistant(seeded_settings.model_copy(update={"answer_threshold": 0.0}))
    answer = assistant.ask("How long had the energy sites been unattacked?")
    assert answer.question == "How long had the energy sites been not attacked?", answer.question
    assert "had not been attacked" in answer.citations[0].quote, answer.text


def test_an_answer_quoting_two_sentences_reads_the_likeliest_first(seeded_assistant: Assistant) -> None:
    """Both strikes answer "Where were the Russian strikes?", in sentences apart; the answer reads them in
    the verifier's order, likeliest first (the shipped fit puts the later one first). Which one a fit finds
    likelier is its own: the test pinned one order before, and broke on refits that answered as well."""
    answer = seeded_assistant.ask("Where were the Russian strikes?")
    quotes = [c.quote for c in answer.citations]
    assert len(quotes) == 2 and any("embassy in Kyiv" in q for q in quotes) and any("oil depot" in q for q in quotes), quotes
    assert answer.citations[0].score >= answer.citations[1].score
    assert answer.text.startswith(answer.citations[0].quote)


def test_what_an_abbreviation_stands_for_is_quoted_where_the_document_spells_it_out(settings, tmp_path: Path) -> None:
    # The one paragraph that spells ATF out is one of many that name it, and retrieval's two passages
    # need not hold it: the passages that write "(ATF)" are read too.
    uses = [
        f"ATF runs the nightly jobs of team {team}: it retries each job until the job reports success, and it "
        f"pages the team when a job has failed {n} times in a row."
        for n, team in enumerate(["Atlas", "Borealis", "Cygnus", "Draco", "Eridanus", "Fornax", "Gemini", "Hydra"], start=3)
    ]
    text = "Jobs at Tidewire\n\n" + "\n\n".join([*uses[:4], "The Async Task Framework (ATF) is the system that runs the work no user waits for.", *uses[4:]]) + "\n"
    assistant = _assistant_over(settings, tmp_path, "jobs.md", text, top_k=2, chunk_tokens=40, chunk_overlap=0)

    expanded = assistant.ask("What does ATF stand for?")
    assert not expanded.abstained, expanded
    assert expanded.citations[0].quote == "The Async Task Framework (ATF) is the system that runs the work no user waits for."
    assert_citations_exact(assistant, expanded)
    defined = assistant.ask("What is ATF?")
    assert not defined.abstained and "Async Task Framework (ATF) is the system" in defined.citations[0].quote, defined
    chat = assistant.chat()
    chat.ask("What is ATF?")
    followed = chat.ask("What does it stand for?")  # "it" is ATF
    assert not followed.abstained and "Async Task Framework (ATF)" in followed.citations[0].quote, followed
    # Letters changed, as SQuAD 2.0 wrote its unanswerable questions: the documents do not spell it out.
    for question in ("What does AFT stand for?", "What does ATFS stand for?"):
        refused = assistant.ask(question)
        assert refused.abstained and refused.citations == [], refused


def test_an_abbreviation_typed_in_lower_case_is_found_as_the_post_writes_it(settings, tmp_path: Path) -> None:
    """"what is atf" had been answered "Following are some examples of what could be built as an extension
    to ATF.": the lookups for a definition spelling ATF out read the question's capitals."""
    post = (MIXED_CORPUS / "dropbox-blog.html").read_bytes()
    answer = _assistant_over(settings, tmp_path, "dropbox-blog.html", post).ask("what is atf")
    assert answer.question == "what is ATF"
    assert not answer.abstained and answer.citations[0].quote.startswith("Async Task Framework (ATF) is the infrastructural system"), answer.text


def test_a_definition_ranking_does_not_reach_is_read(settings, tmp_path: Path) -> None:
    # Every paragraph names widget triggers, more often than the one saying what they are, amid other news:
    # retrieval's two passages do not hold it, the passages writing "widget trigger is" do.
    uses = [
        f"Widget triggers in package {name}: its widget trigger is activated by {n} widget files, and the "
        f"widget trigger stays pending until {name} processes widget triggers."
        for n, name in enumerate(["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"], start=2)
    ]
    definition = "A widget trigger is a facility that lets one package tell another that something it watches has changed."
    news = (
        "This document was first published in 2007 by the packaging team, who reviewed it at three meetings "
        f"in Brussels and Oslo before the release of version 1.14 of the package manager. {definition} Its "
        "authors thank the reviewers for their patience and the many comments they sent."
    )
    text = "Widget triggers\n\n" + "\n\n".join([*uses[:5], news, *uses[5:]]) + "\n"
    assistant = _assistant_over(settings, tmp_path, "triggers.txt", text, top_k=2, chunk_tokens=40, chunk_overlap=0)

    answer = assistant.ask("What is a widget trigger?")
    assert not answer.abstained, answer
    assert answer.citations[0].quote == definition
    assert_citations_exact(assistant, answer)


def test_what_a_document_named_in_the_question_is_or_does_is_its_opening(settings, tmp_path: Path) -> None:
    # A README spends its opening on what the package does, and no sentence says "Tidewire is a…"; the reader
    # had answered "What is Narwhals?" with "pip install narwhals" and "What does Colorama do?" with "On other
    # platforms, Colorama does nothing.".
    readme = (
        "# tidewire\n\n[![PyPI](https://img.shields.io/pypi/v/tidewire.svg)](https://pypi.org/project/tidewire/)\n\n"
        "Makes harbour tide tables readable in any terminal, with colours for high and low water.\n\n"
        "Mara Olsen <mara@tidewire.example>\n\n## Install\n\npip install tidewire\n\n## Platforms\n\nOn Windows, tidewire converts its colours. "
        "On other platforms, tidewire does nothing to them.\n"
    )
    other = "# Rope knots\n\nA bowline is a knot that makes a fixed loop at the end of a rope, and sailors tie it with one hand.\n"
    assistant = _assistant_over(settings, tmp_path, "tidewire.md", readme, {"knots.md": other})

    for question in ("What does tidewire do?", "What is tidewire?", "What does the tidewire package do?", "What is the tidewire README about?"):
        answer = assistant.ask(question)
        assert "Makes harbour tide tables readable in any terminal" in answer.citations[0].quote, (question, answer.text)
        assert_citations_exact(assistant, answer)
    # Who wrote it: the byline under its title, a name and an e-mail address (an autolink, shown without its <>).
    wrote = assistant.ask("Who wrote tidewire?")
    assert "written by Mara Olsen." in wrote.text and wrote.citations[0].quote == "Mara Olsen mara@tidewire.example", wrote.text
    # A sentence defining what is asked about answers, as for any "What is X?".
    assert "A bowline is a knot that makes a fixed loop" in assistant.ask("What is a bowline?").text


def test_what_a_word_means_is_answered_as_what_it_is(settings, tmp_path: Path) -> None:
    # The reader, fine-tuned on SQuAD's questions, trusts "What is X?" more than "What does X mean?" (pip's
    # docs: 0.31 and refused, against 0.52); the one is asked as the other.
    text = (
        "# Repeatable installs\n\n## Pinning the package versions\n\nPinning package versions of your dependencies in "
        "the requirements file protects you from bugs or incompatibilities in newly released versions:\n\n```\n"
        "TidePackage == 1.2.3\nHarbourLib == 4.5.6\n```\n\nPinning refers to using the == operator to require the "
        "package to be one specific version.\n\nA requirements file with pinned versions can be written by the freeze "
        "command, which pins the top-level packages and everything they depend on.\n"
    )
    assistant = _assistant_over(settings, tmp_path, "installs.md", text)

    means, is_ = assistant.ask("What does pinning mean?"), assistant.ask("What is pinning?")
    assert not means.abstained and means.citations[0].quote.startswith("Pinning refers to using the == operator"), means.text
    assert (means.citations, means.confidence) == (is_.citations, is_.confidence)
    assert_citations_exact(assistant, means)


def test_a_documents_opening_is_its_first_sentence_of_prose_however_short(settings, tmp_path: Path) -> None:
    # As npm documents a command: a subtitle, a list of contents (one item asks), then a short first sentence.
    page = (
        "# tideprune\n\nRemove stale tide tables\n\n- [Synopsis](#synopsis)\n- [Who may prune tables?](#who)\n\n"
        "## Description\n\nThis command removes stale tables. If a harbour name is given, only the tables of that "
        "harbour are removed, and the others are kept as they are.\n"
    )
    assistant = _assistant_over(settings, tmp_path, "tideprune.md", page)

    answer = assistant.ask("What does tideprune do?")
    assert answer.text.startswith("“tideprune” opens: This command removes stale tables. If a harbour name is given"), answer.text
    assert_citations_exact(assistant, answer)


def test_what_is_an_abbreviation_wants_its_definition_not_any_sentence_spelling_it_out(settings, tmp_path: Path) -> None:
    # Retrieval finds a sentence spelling ATF out that says nothing of what it is; the definition is elsewhere.
    uses = [
        f"ATF runs the nightly jobs of team {team}: ATF retries each ATF job until it succeeds, and ATF pages team {team} after {n} failures."
        for n, team in enumerate(["Atlas", "Borealis", "Cygnus", "Draco", "Eridanus", "Fornax", "Gemini", "Hydra"], start=3)
    ]
    spelled = "What is ATF? This Async Task Framework (ATF) would replace the many cron scripts of the teams."
    definition = "Async Task Framework (ATF) is the system that runs the work no user waits for, on Dropbox's servers."
    news = f"Notes from 2019 about the office move and the new coffee machine, which everyone liked. {definition} The move took three weeks."
    text = "Jobs at Tidewire\n\n" + "\n\n".join([spelled, *uses[:4], news, *uses[4:]]) + "\n"
    assistant = _assistant_over(settings, tmp_path, "jobs.md", text, top_k=2, chunk_tokens=40, chunk_overlap=0)

    answer = assistant.ask("What is ATF?")
    assert not answer.abstained and answer.citations[0].quote == definition, answer.text


def test_a_term_in_a_glossary_is_defined_by_its_entry(settings, tmp_path: Path) -> None:
    # As the Dropbox post defines its terms: sentences using "lambda" outnumber the one saying what it is.
    text = (
        "Tide tables at Tidewire\n\nTidewire schedules the work of every team as tasks.\n\nGlossary\n\nLambda: A callback implementing the business logic of one job.\n\n"
        "Task: Unit of execution of a lambda.\n\nPriority: Labels ordering the tasks of a lambda.\n\n"
        "Each lambda owner deploys a lambda on worker hosts, and a lambda runs its tasks in order of priority. "
        "A lambda owner may pause a lambda at any time.\n"
    )
    assistant = _assistant_over(settings, tmp_path, "tidewire.md", text)

    for question, entry in (("What is a lambda?", "Lambda: A callback"), ("What is a task in Tidewire?", "Task: Unit of")):
        answer = assistant.ask(question)
        assert not answer.abstained and answer.citations[0].quote.startswith(entry), (question, answer.text)
        assert_citations_exact(assistant, answer)


def test_what_is_an_abbreviation_no_sentence_defines_is_answered_by_the_one_spelling_it_out(settings, tmp_path: Path) -> None:
    # The document writes the abbreviation in the plural, and says only what it stands for; the question
    # asks in the singular, a word no chunk writes as such.
    text = (
        "Harbour works\n\nThe harbour board paid for the new quay walls through public-private partnerships "
        "(PPPs) and municipal bonds, over the objections of two councillors. The quay walls were finished in 2021, "
        "a year late, and the ferries returned in the spring.\n"
    )
    assistant = _assistant_over(settings, tmp_path, "harbour.md", text)

    for question in ("What is PPP?", "What does PPP stand for?"):
        answer = assistant.ask(question)
        assert not answer.abstained and "public-private partnerships (PPPs)" in answer.citations[0].quote, (question, answer.text)
        assert_citations_exact(assistant, answer)
    assert assistant.ask("What is PQP?").abstained  # a letter changed: the documents do not spell it out


def test_tell_me_more_reads_on_from_where_the_answer_stopped(seeded_assistant: Assistant) -> None:
    chat = seeded_assistant.chat()
    first = chat.ask("Why was the SOCAR depot hit?")
    text = seeded_assistant.document_text(first.citations[0].doc_id) or ""
    said = first
    for request in ("Tell me more.", "Go on"):
        more = chat.ask(request)
        # The sentences right after the last quote, quoted from the file: not the same answer again.
        assert not more.abstained and more.citations, more.text
        assert text[max(c.end for c in said.citations) : more.citations[0].start].strip() == "", more.text
        assert all(c.quote not in said.text for c in more.citations)
        assert_citations_exact(seeded_assistant, more)
        said = more
    # After a refusal there is nothing to go on from: still a refusal, not a guess.
    refused = seeded_assistant.chat()
    assert refused.ask("What is the price of the gas deal?").abstained
    assert refused.ask("Tell me more").abstained


def test_what_else_is_answered_from_sentences_not_quoted_yet(seeded_assistant: Assistant) -> None:
    chat = seeded_assistant.chat()
    first = chat.ask("Who is Kovalenko?")
    more = chat.ask("What else does he say?")  # refused at 0.25: "he" and "else" named nothing to find
    assert not more.abstained and more.question.startswith("What does Kovalenko say?"), more.question
    said = {(c.doc_id, c.start) for c in first.citations}
    assert not any(c.start < f.end and f.start < c.end for c in more.citations for f in first.citations), (said, more.text)
    assert_citations_exact(seeded_assistant, more)
    # One sentence names the systems: asked again without it, nothing else answers.
    systems = seeded_assistant.chat()
    assert "Oerlikon" in systems.ask("Which anti-aircraft systems could Turkey supply?").text
    assert systems.ask("What else?").abstained  # it had quoted the same sentence again (0.37)


def test_a_question_asking_two_is_answered_for_both(seeded_assistant: Assistant) -> None:
    answer = seeded_assistant.ask("What did Romania report, and why did officials suspect Russia?")
    quotes = [c.quote for c in answer.citations]
    assert any("Romania reported" in q for q in quotes) and any("sabotage" in q for q in quotes), answer.text
    assert [c.index for c in answer.citations] == list(range(1, len(quotes) + 1))
    assert_citations_exact(seeded_assistant, answer)


def test_which_documents_mention_something_lists_each_with_a_quote(posts_assistant: Assistant) -> None:
    # The answerer quoted one sentence from one document at most.
    answer = posts_assistant.ask("Which documents mention Firefox?")
    files = {Path(c.path).name for c in answer.citations}
    assert files == {"wikipedia.html", "tracemonkey.pdf"} and answer.text.startswith("2 documents mention “Firefox”:"), answer.text
    # Each quotes a sentence saying how it mentions it, not a heading that only names it.
    assert all("firefox" in c.quote.lower() and len(c.quote.split()) >= 5 for c in answer.citations), answer.text
    assert_citations_exact(posts_assistant, answer)
    assert {Path(c.path).name for c in posts_assistant.ask("Where is CouchDB mentioned?").citations} == {"2013-outage-postmortem.md"}
    assert posts_assistant.ask("Which articles discuss quantum computing?").abstained


def test_a_question_naming_its_document_leans_on_no_earlier_turn(posts_assistant: Assistant) -> None:
    chat = posts_assistant.chat()
    chat.ask("Which documents mention Firefox?")
    # Asked "(following up on: Which documents mention Firefox? …)", it was refused.
    assert "written by Charlie Robbins" in chat.ask("Who wrote the npm post-mortem?").text
    assert chat.ask("What is it about?").text.startswith("“Keeping The npm Registry Awesome” opens:")


def test_where_did_you_find_that_names_the_answer_s_documents(posts_assistant: Assistant) -> None:
    chat = posts_assistant.chat()
    answer = chat.ask("What is Mozilla?")
    sources = chat.ask("Where did you find that?")  # refused (0.33): it names nothing a sentence answers
    assert sources.text.startswith("From:\n- “Mozilla” (wikipedia.html): Mozilla is a free-software community"), sources.text
    assert [(c.doc_id, c.start, c.end) for c in sources.citations] == [(c.doc_id, c.start, c.end) for c in answer.citations]
    assert_citations_exact(posts_assistant, sources)
    refused = posts_assistant.chat()
    refused.ask("What is the price of the Kenya trip?")
    assert refused.ask("Where did you find that?").abstained


APIARY = (
    "Bees on the island of Orust\n\nThe Lindqvist apiary on Orust was founded by Maja Lindqvist in 1962. It keeps forty "
    "hives on the western shore. The hives stand in a meadow of heather and clover. Honey bees make wax in eight glands "
    "on the underside of their abdomen, and shape it into the hexagonal cells of the comb. A strong colony gathers "
    "about twenty kilograms of honey in a good summer.\n"
)
HARBOUR = (
    "The harbour of Port Elva\n\nThe harbour of Port Elva is run by the Elva Harbour Board, elected every four years. "
    "Its ferries leave for the mainland at seven in the morning and at five in the afternoon. The breakwater was "
    "rebuilt in 2004 after a winter storm.\n"
)


def test_a_question_on_another_subject_is_not_asked_as_a_follow_up(settings, tmp_path: Path) -> None:
    """"How do honey bees make wax?" names nothing, so it read as a follow-up of the harbour question before
    it, and the verifier looked for "Port Elva" beside the answer."""
    assistant = _assistant_over(settings, tmp_path, "apiary.txt", APIARY, {"harbour.txt": HARBOUR})
    chat = assistant.chat()
    assert "Elva Harbour Board" in chat.ask("Who runs the harbour of Port Elva?").text
    answer = chat.ask("How do honey bees make wax?")
    assert answer.question == "How do honey bees make wax?"
    assert not answer.abstained and "eight glands" in answer.text
    assert_citations_exact(assistant, answer)


def test_a_follow_up_in_the_same_document_need_not_name_what_the_question_before_named(settings, tmp_path: Path) -> None:
    """After "Who founded the Lindqvist apiary?", "How do honey bees make wax?" follows up on the apiary's
    document, whose wax sentence does not name Lindqvist: the earlier question's names are looked for in
    the document, not beside the sentence, and the follow-up is answered as surely as the question alone
    (0.39 against 0.80 when they were looked for beside it)."""
    assistant = _assistant_over(settings, tmp_path, "apiary.txt", APIARY, {"harbour.txt": HARBOUR})
    alone = assistant.ask("How do honey bees make wax?")
    chat = assistant.chat()
    assert "Maja Lindqvist" in chat.ask("Who founded the Lindqvist apiary?").text
    answer = chat.ask("How do honey bees make wax?")
    assert "following up on" in answer.question
    assert not answer.abstained and "eight glands" in answer.text
    assert answer.confidence >= alone.confidence - 0.1
    assert_citations_exact(assistant, answer)
