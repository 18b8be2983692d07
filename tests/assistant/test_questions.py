"""What the answerer reads off a question and a sentence before the verifier weighs them."""

from __future__ import annotations

import pytest

from assistant._answering.abbreviations import abbreviation_asked, spells_out
from assistant._answering.mentions import mention_phrases, mentioned_topic
from assistant._answering.metadata import asked_field, byline_in, without_scope
from assistant._answering.questions import (
    as_question, content_words, defined_in, defined_subject, defines, described_subject, expected_answer, gives_reason, has_expected, is_entry_for,
    lacks_the_version_asked, lacks_what_is_asked, names_the_same, profile, states_reason, stem_terms, truecased,
    with_acronyms_cased,
)
from assistant._answering.spelling import respelled
from assistant._keyword_index import fold, words
from tests.conftest import SEED_FILE


@pytest.mark.parametrize(
    ("verb", "sentence"),
    [
        ("founded", "Founder | Netscape Communications Corporation"),
        ("created", "Its creator was Ann Roe."),
        ("invented", "Its inventor was Ann Roe."),
        ("edited", "Its editor was Ann Roe."),
        ("directed", "Its director was Ann Roe."),
        ("owned", "Its owner was Ann Roe."),
        ("led", "Its leader was Ann Roe."),
        ("won", "The winner was Ann Roe."),
    ],
)
def test_a_doer_is_named_by_the_word_of_what_they_did(verb: str, sentence: str) -> None:
    # Snowball keeps "founder" apart from "founded" (its stem is too short to lose "-er"), and an irregular
    # past from its verb: "Who founded Mozilla?" missed the infobox's "Founder" row. Not "write" and "build",
    # words of every programming manual.
    assert set(stem_terms(verb)) <= set(stem_terms(sentence)), (stem_terms(verb), stem_terms(sentence))


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("What did Amazon buy?", "Amazon bought Whole Foods in August 2017."),
        ("How much did the city pay?", "The city paid $2 million."),
        ("When did the war begin?", "The war began in 1914; by then it had begun to spread."),
        ("When did it become a capital?", "It became the capital in 1596."),
        ("What did she say?", "She said the plant would close."),
        ("Who was it given to?", "It was given to the museum."),
    ],
)
def test_an_irregular_past_is_its_verb(question: str, sentence: str) -> None:
    # "What did Amazon buy?" found none of "buy" in "Amazon bought Whole Foods…" and was answered from
    # "…modern buying and selling".
    assert set(stem_terms(question)) <= set(stem_terms(sentence)), (stem_terms(question), stem_terms(sentence))


@pytest.mark.parametrize("word", ["saw", "left", "felt", "found", "rose", "lay", "wrote", "built"])
def test_a_past_that_is_another_word_too_stays_itself(word: str) -> None:
    assert stem_terms(word) == [word]


@pytest.mark.parametrize(
    "sentence",
    [
        "Apparently, at least in part because the Kremlin had no interest in such agreements.",
        "Since the war began, prices have risen.",
        "Since markets collapsed in May, exports fell.",
        "The plant closed due to the strikes.",
        "The root cause of these downtime was insufficient resources: both hardware and human.",
        "A misconfigured cache caused the outage.",
        "This is not advisable as it bypasses Debian's dependency checking.",
        "- pip (recommended, as it's the most up-to-date)",
    ],
)
def test_a_cause_is_a_reason(sentence: str) -> None:
    assert states_reason(sentence)


@pytest.mark.parametrize("sentence", ["It runs as fast as it can.", "The result is the same as it was.", "Tools such as this one help."])
def test_as_comparing_or_giving_an_example_is_no_reason(sentence: str) -> None:
    assert not states_reason(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Agreements something Russia has failed to achieve since 2020.",
        "Since then, the river mouth has moved offshore.",
        "The region had been settled since the 6th century BC.",
        "Exports have grown since March.",
    ],
)
def test_since_starting_a_time_is_no_reason_for_the_answer_but_still_proposes_the_sentence(sentence: str) -> None:
    assert not states_reason(sentence)
    assert gives_reason(sentence)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When did the strike happen?", "date"),
        ("Where and when did the plague begin?", "date"),
        ("The embargo stayed in force until when?", "date"),
        ("Who led Richard's troops when Cyprus was conquered?", "name"),
        ("What happens when the double expansion crank is duplicated?", None),
        ("What did local residents do when Forbes announced budget cuts in 2011?", None),
        ("When the registry is down, who restarts it?", "name"),  # the opening clause asks nothing
        ("When the server crashes, what happens to the queue?", None),
        ("When did they raise the price of oil to $5.11?", "date"),  # the price is named, not asked for
        ("Who first measured the value of the gravitational constant?", "name"),
        ("What was the price of oil in 1973?", "number"),
        ("Through which countries does the route run?", "name"),  # a kind asked for in the plural
        ("Which companies sponsor the project?", "name"),
        ("What is the delivery latency of ATF?", "number"),  # a measure asked for by its name
        ("What was Mozilla's revenue in 2011?", "number"),
        ("What is the temperature?", "number"),
        ("What is income inequality attributed to?", None),  # the measure's word names something else
        ("What is the fastest growing area in the industry?", None),
    ],
)
def test_when_asks_for_a_time_only_where_it_opens_or_closes_the_question(question: str, kind: str | None) -> None:
    assert expected_answer(question) == kind


@pytest.mark.parametrize(
    ("sentence", "holds"),
    [
        ("By default, output is to stdout.", True),
        ("If that is not specified, it uses /etc/xml/catalog.", True),
        ("Settings are kept in ~/.config/tool.", True),
        ("Reports go to https://example.org/bugs.", True),
        ("It is the fastest processor and/or the smallest, at a ratio of 3/4.", False),
    ],
)
def test_where_a_program_reads_or_writes_is_a_place(sentence: str, holds: bool) -> None:
    assert has_expected("place", sentence, "Where does the tool write its output?") is holds


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What is the name of the Louisiana gunman?", "name"),
        ("What was the schooner's name?", "name"),
        ("What are the names of the two rivers?", "name"),
        ("What is the process called?", None),  # a term, often not capitalised: "net force"
    ],
)
def test_asking_for_a_name_expects_one(question: str, kind: str | None) -> None:
    assert expected_answer(question) == kind


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("How many tonnes of tomatoes does Victoria produce?", "Last year, 121,200 tonnes of pears and 270,000 tonnes of tomatoes were produced."),
        ("How many Khitan Tumens were there?", "Two Han Chinese leaders defected and commanded the 3 Tumens in the Mongol army."),
        ("How many times has Polonia won the cup?", "They also won the country's championship in 1946, and won the cup twice as well."),
        ("How many passengers were on board?", "The jet carried 67 passengers and crew."),
        # Every number word counts, the teens and the tens too.
        ("How many lead authors does the report have?", "The report has fifteen lead authors."),
        ("How many members does the council have?", "The council has seventy members."),
        ("What percentage of Victorians are Christian?", "Of Victoria's population, 61.1% are Christian."),
        ("What is the percentage of stations without fuel?", "In February 1974, 20 percent of stations had no fuel."),
        ("What percentage of its efficiency does the engine reach?", "The engine reaches some 27-30% on high pressure."),
        ("What percentage of the planet's rainforests does the Amazon represent?", "The Amazon represents over half of them."),
        # Brackets give the amount the words before them say.
        ("How many passes does the VM wait?", "It will not record a trace until it is passed a few more times (32 in our implementation)."),
        # A number starting like a year is no year; words may stand before "number of".
        ("What is the default maximum number of variables?", "The default is 15000."),
    ],
)
def test_a_count_of_what_is_asked_is_the_number_asked_for(question: str, sentence: str) -> None:
    assert expected_answer(question) == "number" and has_expected("number", sentence, question)


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("How many drones were shot down?", "Russian forces launched a massive Shahed-136 drone attack on a gas station."),
        ("How many Victorians are Buddhist?", "More than 26,000 square kilometres of Victorian farmland are sown for grain."),
        ("How many passengers were on board?", "Two days earlier, an AZAL passenger jet was shot down."),
        ("How many employees does Mozilla have?", "An employee in Mozilla's video formats team justified it."),
        ("What percentage of Spain's population died of the plague?", "More than 1.25 million deaths resulted from plague in Spain."),
        ("How much did Mozilla pay Cisco for the codec?", "Firefox would use a Cisco-provided codec to play the H.264 video format."),
        ("How much does the tool cost?", "Release v1.2 of the tool added a cache."),
        ("What is the maximum depth of the stack?", "Adjust the maximum depth before libxslt(3) concludes it is in a loop."),  # a manual's section
    ],
)
def test_a_number_of_something_else_is_not(question: str, sentence: str) -> None:
    assert not has_expected("number", sentence, question)


@pytest.mark.parametrize(
    ("question", "sentence", "lacks"),
    [
        ("What is the price of the gas deal?", "Naftogaz signed a deal with SOCAR Energy Ukraine to purchase gas.", True),
        ("How many were killed by plague in Naples?", "The plague killed about half of Naples' 300,000 inhabitants.", False),
        ("How much of the budget goes to defence?", "A third of the budget goes to defence.", False),
        ("How many engineers maintain it?", "A few engineers maintain it.", False),
        ("How long did the call last?", "The presidents held a phone call.", False),  # a duration, often in words
        ("How much support does the evidence give it?", "The evidence gives it little support.", False),
        ("How many employees does Mozilla have?", "An employee justified it by the need to keep their large user base.", True),
        ("What is a function of the market price of skill?", "Wages are a function of the market price of skill.", False),
        ("How many drones were used on August 6?", "On August 6, Russia launched a massive Shahed-136 drone attack.", True),
        ("How many drones were used?", "On August 6, Russia launched about 40 drones.", False),
        ("What is the heartbeat timeout in seconds?", "Each heartbeat timeout is large enough to eclipse failures.", True),
        ("What is the heartbeat timeout in seconds?", "Each heartbeat times out after 30 seconds.", False),
    ],
)
def test_how_many_or_how_much_wants_a_number_of_some_kind(question: str, sentence: str, lacks: bool) -> None:
    assert lacks_what_is_asked(question, sentence) is lacks


@pytest.mark.parametrize(
    ("question", "text", "lacks"),
    [
        ("Which Python versions does dotenv support?", "The syntax of .env files supported by dotenv is similar to Bash:", True),
        ("Which version of lxml fixed the issue?", "Some libraries such as lxml disable network access by default.", True),
        ("Which Python version does Rich require?", "Rich requires Python 3.8 or later.", False),
        ("Which versions are under the GPL?", "Versions prior to v1.8.0 are under GPLv3+ license.", False),
        ("Which release dropped Python 3.7 support?", "Changelog › 0.16.0 (March 2023) - Drop Python 3.7 support.", False),  # under its heading
        ("Which release dropped Python 3.7 support?", "Changelog › Unreleased - Drop Python 3.7 support.", True),  # 3.7 is the question's
        ("Which versions of the API are deprecated?", "All versions of the old API are deprecated.", False),
        ("What did the release notes say?", "The notes say nothing new.", False),  # asks for no version
    ],
)
def test_a_version_asked_for_wants_a_version_the_question_does_not_give(question: str, text: str, lacks: bool) -> None:
    assert lacks_the_version_asked(question, text) is lacks


@pytest.mark.parametrize(
    ("question", "sentence", "lacks"),
    [
        ("What was the promotional price of halibut?", "A few days earlier, Whole Foods touted a promotional price for halibut.", True),
        ("What was the promotional price of halibut?", "It is one of more than 300 such Prime promotions.", True),
        ("What was the promotional price of halibut?", "Halibut fillets were priced at $16.99 a pound.", False),
        ("How much did Amazon pay for Whole Foods?", "Amazon bought Whole Foods in August 2017 for $13.7 billion.", False),
        ("What does the subscription cost?", "The subscription costs 20 euros a month.", False),
        ("How much did the harbour repairs cost?", "The harbour repairs cost two million euros.", False),
        ("How much did the crane repairs cost?", "Item: Crane repairs | Cost (EUR): 310,000", False),  # a workbook's row
        ("What is the cost of the library?", "The library is free for everyone.", False),
        ("How much did Amazon pay for Whole Foods?", "Amazon bought Whole Foods in August 2017.", True),
    ],
)
def test_a_price_asked_for_wants_money(question: str, sentence: str, lacks: bool) -> None:
    assert lacks_what_is_asked(question, sentence) is lacks


@pytest.mark.parametrize(
    ("question", "sentence", "lacks"),
    [
        ("What year did Amazon launch Prime?", "Then came Prime, Amazon’s $119-a-year program, with 100 million members.", True),
        ("In what year did medical knowledge stagnate?", "Medical knowledge had stagnated during the Middle Ages.", True),
        ("By what year would the rainforest be lost?", "It leads to a loss of rainforest cover in the basin by 2100.", False),
        ("In which century did the plague strike Europe?", "Outbreaks came between the 14th and 17th centuries.", False),
        ("Since which decade has it been a major industry?", "Since the 1920s, motion pictures have been major industries.", False),
        ("What year was the deal signed?", "At the end of July, Naftogaz signed a deal.", True),  # a month is not a year
        ("When was the deal signed?", "Naftogaz signed a deal, the article says.", False),  # a "when" may be answered by a clause
    ],
)
def test_what_year_wants_a_year_or_a_century(question: str, sentence: str, lacks: bool) -> None:
    assert lacks_what_is_asked(question, sentence) is lacks


@pytest.mark.parametrize(
    ("question", "sentence", "lacks"),
    [
        ("What is the name of Bassi's grandfather?", "Bassi’s grandfather fished halibut when schooners carried dories.", True),
        ("What is the name of the Whole Foods spokeswoman?", "A Whole Foods spokeswoman declined to comment on pricing.", True),
        ("What is the name of Bassi's boat?", "Bassi’s father fished on the Polaris.", False),
        ("What was the ship's name?", "The ship, the Mayflower, sailed in 1620.", False),
        ("Who is the spokeswoman?", "A Whole Foods spokeswoman declined to comment on pricing.", False),  # "who" is often answered by a role
    ],
)
def test_what_is_the_name_of_wants_a_name_the_question_does_not_give(question: str, sentence: str, lacks: bool) -> None:
    assert lacks_what_is_asked(question, sentence) is lacks


_MOZILLA = (
    "Mozilla was founded by members of Netscape. On March 24, 2014, Mozilla promoted Brendan Eich to the role of CEO. "
    "Eich voluntarily stepped down on April 3, 2014. However, the controversy went on. The board, however, met again."
)


@pytest.mark.parametrize(
    ("question", "sentence", "names_one"),
    [
        # a month is no one: only the question's names and a date
        ("Who replaced Brendan Eich as CEO of Mozilla?", "On March 24, 2014, Mozilla promoted Brendan Eich to the role of CEO.", False),
        # a sentence's first word is a name when the document capitalises it mid-sentence too
        ("Who stepped down on April 3, 2014?", "Eich voluntarily stepped down on April 3, 2014.", True),
        ("Who went on?", "However, the controversy went on.", False),  # the document writes "however" too
        # a title is no name: "Mr Obama" is the question's Obama
        ("Who interviewed Obama?", "In the interview, Mr Obama said it was distressing.", False),
        ("Who interviewed Obama?", "Mr. Obama was interviewed by Jon Sopel.", True),
        ("Who interviewed Obama?", "In a wide-ranging interview, President Obama also said this.", False),
        ("Who met Obama?", "President Obama met Prime Minister David Cameron.", True),
    ],
)
def test_a_name_is_neither_a_month_nor_a_sentence_opening_word_nor_a_title(question: str, sentence: str, names_one: bool) -> None:
    assert expected_answer(question) == "name"
    assert has_expected("name", sentence, question, _MOZILLA) is names_one


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("Who wrote the npm post-mortem?", "author"),
        ("Who is the author of the Seattle Times article about halibut?", "author"),
        ("Who are the authors of the paper?", "author"),
        ("Who wrote this?", "author"),
        ("Who wrote the Washington agreements?", None),  # the document's content, not the document
        ("Who wrote his article for minval.az?", None),  # a person's work
        ("Who wrote the analysis the article is based on?", None),  # another work the document cites
        ("When was the article written?", "published"),
        ("When was this posted?", "published"),
        ("When was Colorama first released?", None),  # the software, not the document
        ("When was it published?", "published"),
        ("When was it released?", None),  # Firefox OS, perhaps
        ("Which site published the article?", "source"),
        ("What outlet is this story from?", "source"),
        ("Which newspaper defined southern California?", None),  # the content
        ("What is the npm post-mortem about?", "summary"),
        ("Summarize this paper", "summary"),
        ("What is the paper on dynamic languages about?", "summary"),
        ("What does the article say about drones?", None),  # its content
        ("Who sent the email?", "author"),
        ("When was the email sent?", "published"),
        ("What date is the article from?", "published"),
        ("What site is this from?", "source"),
        ("Which site are these pages from?", "source"),  # a folder of one site's pages
        ("Who published these articles?", "source"),
        ("What is the title of the PDF?", "title"),
        ("When was the spreadsheet published?", "published"),
        ("Which sites are the Alps from?", None),  # the content
        ("Where was this published?", "source"),
        ("What's the source of this article?", "source"),
        ("What is the source of the gas?", None),  # the content
        ("Where was this agreement signed?", None),
        ("What is the headline?", "title"),
        ("What is the title of the treaty?", None),
        ("What's this about?", "summary"),
        ("Give me a summary", "summary"),
        ("Sum up the article in one sentence.", "summary"),
        ("Summarize the deal", None),  # the content
        ("Summarize it", None),  # "it" is the document only in a conversation about it
        # The document as the owner of what is asked.
        ("What is the article's title?", "title"),
        ("What's the BBC article’s headline?", "title"),
        ("Who is the npm post-mortem's author?", "author"),
        ("What is the article's source?", "source"),
        ("What is the document's date?", "published"),
        ("Where was it published?", "source"),
        ("What is the treaty's title?", None),  # the content
        ("What is the paper's main finding?", None),
    ],
)
def test_questions_about_the_document_itself(question: str, field: str | None) -> None:
    assert asked_field(question) == field


@pytest.mark.parametrize("question", ["On what date?", "What year?", "For what reason?", "At what time?"])
def test_a_question_of_kind_words_alone_focuses_on_nothing_as_when_does(question: str) -> None:
    assert profile(question).focus_terms == profile("When?").focus_terms == ()
    assert profile("What date did the strike hit?").focus_terms == ("date", "strike", "hit")


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ("What documents do you have?", "collection"),
        ("Which files have I uploaded?", "collection"),
        ("What are these documents about?", "collection"),
        ("What is this collection of documents about?", "collection"),
        ("Summarize the documents", "collection"),
        ("Tell me about the documents.", "collection"),  # "Summarize the documents", as asked offline
        ("What are the documents?", "collection"),  # "List the documents", as asked offline
        ("What is in my library?", "collection"),
        ("What topics do the files cover?", "collection"),
        ("How many documents are there?", "collection"),
        ("What PDFs do you have?", "collection"),
        ("What can I ask you about?", "collection"),
        ("What is the article about?", "summary"),  # one document
        ("Which documents mention Firefox?", None),  # a question about their content
        ("What documents did the FBI release?", None),
        ("How many documents did the FBI release?", None),
        ("What are the documents required for a visa?", None),
        ("What do the documents say about drones?", None),
        ("What is in the library?", None),  # a library a document describes, perhaps
        ("What is in the collection?", None),
    ],
)
def test_questions_about_the_stored_documents_as_a_whole(question: str, field: str | None) -> None:
    assert asked_field(question) == field


TEXT = (
    "Another deal was signed. Ukraine's Naftogaz Group signed a deal with SOCAR Energy Ukraine, and Naftogaz's "
    "gas will cross Bulgaria. Turkey could help; turkey is also a bird. Another day, another drone."
)


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("who did naftogaz sign a deal with?", "who did Naftogaz sign a deal with?"),
        ("does naftogaz's gas cross bulgaria?", "does Naftogaz's gas cross Bulgaria?"),  # a possessive too
        ("is there another deal?", "is there another deal?"),  # capitalised only where a sentence opens
        ("what could turkey do?", "what could turkey do?"),  # written both ways as often
        ("What did naftogaz sign?", "What did naftogaz sign?"),  # a capital: typed with care, left as typed
        ("who is kovalenko?", "who is kovalenko?"),  # not in the passages
    ],
)
def test_a_question_typed_in_lower_case_gets_the_passages_capitals(typed: str, written: str) -> None:
    assert truecased(typed, [TEXT]) == written


@pytest.mark.parametrize(
    ("earlier", "question", "field"),
    [
        (["What is the Dropbox post about?"], "Who wrote it?", "author"),
        (["What is the Dropbox post about?", "Who wrote it?"], "What is it about?", "summary"),
        (["What does ATF stand for?"], "Who wrote it?", None),  # "it" is what the conversation is about
        (["When was the BBC article published?"], "Summarize it.", "summary"),
        ([], "Who wrote it?", None),
        # "What date?" is the document's asked first or about it, and when what was asked about happened after.
        ([], "On what date?", "published"),
        (["Which site published the article?"], "And on what date?", "published"),
        (["Where did the Russian missile strike land in July?"], "On what date?", None),
    ],
)
def test_it_is_the_document_when_the_conversation_was_about_it(earlier: list[str], question: str, field: str | None) -> None:
    assert asked_field(question, earlier) == field


@pytest.mark.parametrize(
    ("request_", "question"),
    [
        ("Explain why the SOCAR depot was hit.", "Why the SOCAR depot was hit?"),
        ("please tell me when Romania reported it", "When Romania reported it?"),
        ("List the anti-aircraft systems mentioned.", "What are the anti-aircraft systems mentioned?"),
        ("List all of the countries on the route", "What are the countries on the route?"),
        ("Why was the depot hit?", "Why was the depot hit?"),  # a question already
        ("Explain the Trans-Balkan route.", "Tell me about the Trans-Balkan route."),  # no question inside
        ("Describe the attack on the station", "Tell me about the attack on the station."),
        ("Explain this briefly", "Explain this briefly"),  # the document: metadata's
        ("Listening posts near Odesa?", "Listening posts near Odesa?"),
        ("Summarize the Russian strikes briefly.", "Tell me about the Russian strikes."),
        ("Give me an overview of the gas deal", "Tell me about the gas deal."),
        ("Summarize this in two sentences", "Summarize this in two sentences"),  # the document: metadata's
        ("What does pinning mean?", "What is pinning?"),  # the form a definition answers
        ("What did the term 'Pax Mongolica' mean?", "What was 'Pax Mongolica'?"),
        ("What does it mean for a disease to be enzootic?", "What does it mean for a disease to be enzootic?"),
        ("Can you tell me who maintains the npmjs website?", "Who maintains the npmjs website?"),
        ("Please tell me: What is a collection?", "What is a collection?"),
        ("I want to know how long ATF has been in use", "How long ATF has been in use?"),
        ("Do you know where the tarballs are going?", "Where the tarballs are going?"),
        ("Could you please list the systems mentioned?", "What are the systems mentioned?"),
        ("Can you summarize the strikes?", "Tell me about the strikes."),
        ("WHO MAINTAINS THE NPMJS WEBSITE?", "Who maintains the npmjs website?"),  # the documents' capitals say which are names
        ("Who's Oleksandr Kovalenko?", "Who is Oleksandr Kovalenko?"),
        ("Whats the route the gas takes?", "What is the route the gas takes?"),
        ("What’s been done about it?", "What has been done about it?"),
        ("Whose boat is it?", "Whose boat is it?"),
    ],
)
def test_a_request_is_read_as_the_question_it_asks(request_: str, question: str) -> None:
    assert as_question(request_) == question


@pytest.fixture(scope="module")
def seed_vocabulary() -> dict[str, int]:
    counts: dict[str, int] = {}
    for paragraph in SEED_FILE.read_text(encoding="utf-8").split("\n\n"):
        for word in set(words(paragraph)):
            counts[word] = counts.get(word, 0) + 1
    return counts


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Which refinery did the contamnated crude oil reach?", "Which refinery did the contaminated crude oil reach?"),
        ("Who signed a gas deal with SOCAR Enrgy Ukraine?", "Who signed a gas deal with SOCAR Energy Ukraine?"),
        ("what did kovalenko say about the caspain sea?", "what did kovalenko say about the caspian sea?"),
        ("How much humanitarain aid was sent?", "How much humanitarian aid was sent?"),
        ("Which anti-aircarft systems are mentioned?", "Which anti-aircarft systems are mentioned?"),  # hyphenated: left
    ],
)
def test_a_misspelt_word_is_respelt_as_the_article_writes_it(seed_vocabulary: dict[str, int], typed: str, meant: str) -> None:
    assert respelled(typed, seed_vocabulary) == meant


@pytest.mark.parametrize(
    "question",
    [
        "Who is Kowalski?",  # a name the article does not use
        "What did NATO say?",  # an acronym it does not use
        "Was the attack unsurprising?",  # an English word it does not use
        "What was the toll?",  # too short to tell from its neighbours
    ],
)
def test_words_the_article_does_not_use_are_asked_as_typed(seed_vocabulary: dict[str, int], question: str) -> None:
    assert respelled(question, seed_vocabulary) == question


def test_a_word_is_respelt_to_the_likeliest_neighbour_and_never_to_its_negation() -> None:
    vocabulary = {"have": 900, "heavy": 3, "surprisingly": 5, "circulating": 4, "received": 2, "drudging": 1}
    assert respelled("Who makes havy trucks?", vocabulary) == "Who makes heavy trucks?"
    # Both in the English list: a slip common enough to be listed, and a real word rarer than its neighbour.
    assert respelled("Who recieved it?", vocabulary) == "Who received it?"
    assert respelled("Who paid for the dredging?", vocabulary) == "Who paid for the dredging?"
    assert respelled("Unsurprisinglyy, what happened?", vocabulary) == "Unsurprisinglyy, what happened?"
    assert respelled("Is the water recirculatingg?", vocabulary) == "Is the water recirculatingg?"


def test_a_word_negated_by_un_is_asked_with_not_when_the_documents_write_the_word_alone() -> None:
    vocabulary = {"attacked": 3, "important": 2, "install": 5, "known": 4, "unharmed": 1}
    assert respelled("How long had the sites gone unattacked?", vocabulary) == "How long had the sites gone not attacked?"
    assert respelled("Was its role unimportant for years?", vocabulary) == "Was its role not important for years?"
    assert respelled("Who played an unimportant role?", vocabulary) == "Who played an unimportant role?"  # of the role
    assert respelled("Unknown to whom?", vocabulary) == "Not known to whom?"
    assert respelled("Who was unharmed?", vocabulary) == "Who was unharmed?"  # the documents write it so
    assert respelled("How do I uninstall it?", vocabulary) == "How do I uninstall it?"  # undoing, not negating
    assert respelled("Was it unpaid?", vocabulary) == "Was it unpaid?"  # "paid" is not theirs: as typed


def test_a_negative_contraction_is_asked_as_typed() -> None:
    # "shouldn" is no word of theirs, and was respelled "should": the question lost its "not".
    vocabulary = {"should": 40, "would": 30, "does": 50, "content": 3, "owned": 2}
    for question in ("Why shouldn't it own web content?", "Why wouldn’t it run?", "Why doesn't it own content?"):
        assert respelled(question, vocabulary) == question


def test_a_real_word_the_documents_write_in_another_form_is_asked_as_typed() -> None:
    vocabulary = {"making": 40, "marked": 2, "quantity": 9, "quantified": 1}
    assert respelled("What marking excludes it?", vocabulary) == "What marking excludes it?"
    assert respelled("What is used to quantify forces?", vocabulary) == "What is used to quantify forces?"
    assert respelled("What marking excludes it?", {"making": 40}) == "What making excludes it?"  # a slip, as far as they show


def test_accents_are_folded_for_matching_as_people_type_names_without_them() -> None:
    assert fold("Śródmieście, Jumièges, Łódź, Straße") == "Srodmiescie, Jumieges, Lodz, Strasse"
    assert words("Czerniaków’s lakes") == words("Czerniakow's lakes") == ["czerniakow's", "lakes"]


def test_a_dotted_number_is_one_word_and_a_single_digit_a_word_of_meaning() -> None:
    assert words("Version 1.0.0 needs Python 3.14, not 3.") == ["version", "1.0.0", "needs", "python", "3.14", "not", "3"]
    # A one-letter option or format specifier keeps its sign; a hyphenated word, a dash and "--verbose" do not.
    assert words("Pass -p (or %e) to e-mail - not --verbose.") == ["pass", "-p", "or", "%e", "to", "e", "mail", "not", "verbose"]
    assert content_words("What does the -p option do?") == ["-p", "option"]
    assert content_words("What happened on August 7 in the U.S.?") == ["august", "7"]



@pytest.mark.parametrize(
    ("sentence", "subject", "defined"),
    [
        ("Mozilla is a free-software community, created in 1998.", "Mozilla", True),
        ("Extraneous packages are those present in the folder that no package depends on.", "extraneous packages", True),
        ("Pinning refers to using the == operator to require a specific version.", "pinning", True),
        ('"Hoisting" means moving declarations to the top of their scope.', "hoisting", True),
        ('- "indirectly lost" means your program is leaking memory in a pointer-based structure.', "indirectly lost", True),
        ("Pinning packages is a good idea.", "pinning", False),
        ("Async Task Framework (ATF) is the infrastructural system that runs tasks.", "ATF", True),
        ("Firefox is a web browser, and is Mozilla's flagship software product.", "Mozilla", False),
        ("tqdm is very versatile.", "tqdm", False),
        # A name, then what owns it and what it is: "What is Prime?" took pseudo-code loading "primes".
        ("Then came the integration of Prime, Amazon’s $119-a-year shipping and media-subscription program.", "Prime", True),
        ("Seattle, Amazon's home town, voted.", "Seattle", True),
        ("It ships to Prime members, and Amazon's stores sell it.", "Prime", False),
        ("Lambda: A callback implementing business logic.", "lambda", True),  # a glossary's entry
        ("Task: Unit of execution of a lambda.", "lambda", False),
    ],
)
def test_a_sentence_defines_what_it_names_as_its_subject_and_then_a_thing(sentence: str, subject: str, defined: bool) -> None:
    assert defines(sentence, subject) is defined


@pytest.mark.parametrize(
    ("sentence", "person", "defined"),
    [
        ("…says Ukrainian military and political analyst Oleksandr Kovalenko in his article.", "Kovalenko", True),
        ("The primary system administrator is Jason Smith, the current CTO at Nodejitsu.", "Jason Smith", True),
        ("Eric Reeves, one of the leading American academic voices on Sudan, said he was appalled.", "Eric Reeves", True),
        ("Nor is it a coincidence, Kovalenko notes, that a missile landed near the embassy.", "Kovalenko", False),
        ("Ukraine and Azerbaijan, Kovalenko argues, are now two of Russia's biggest irritants.", "Kovalenko", False),
        ("After Kovalenko left, the editors met.", "Kovalenko", False),
    ],
)
def test_a_person_asked_about_is_defined_by_a_role_written_beside_their_name(sentence: str, person: str, defined: bool) -> None:
    assert defined_subject(f"Who is {person}?") == person
    assert defines(sentence, person) is defined


def test_what_is_x_used_for_asks_no_definition() -> None:
    asked = ("What is png_set_packing used for?", "What is Rust like?", "What is the article about?")
    assert [defined_subject(q) for q in asked] == [None, None, None]
    assert defined_subject("What is the capital of France?") == "capital of France"


@pytest.mark.parametrize(
    ("question", "field"),
    [
        ('Who wrote "Keeping The npm Registry Awesome"?', "author"),
        ("Who were the authors of “Trace-based Just-in-Time Type Specialization for Dynamic Languages”?", "author"),
        ('When was "Keeping The npm Registry Awesome" published?', "published"),
        ('What does "hoisting" mean?', None),
    ],
)
def test_a_document_may_be_named_by_its_title_in_quotes(question: str, field: str | None) -> None:
    assert asked_field(question) == field


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("According to the npm post-mortem, what was the root cause of the downtime?", "What was the root cause of the downtime?"),
        ("In the Dropbox blog post, which AWS service queues tasks?", "Which AWS service queues tasks?"),
        ("What was the largest speedup, according to the TraceMonkey paper?", "What was the largest speedup?"),
        ("What is in the article?", "What is in the article?"),  # the article is what it asks about
        ("In the end, who won?", "In the end, who won?"),
    ],
)
def test_the_words_naming_the_document_asked_of_are_not_read_as_the_question(question: str, read: str) -> None:
    assert without_scope(question) == read


def test_a_title_defines_nothing_the_answerer_would_quote() -> None:
    title = "coURLan: Clean, filter, normalize, and sample URLs"
    assert defines(title, "coURLan")
    assert not defined_in([(f"{title}\n\nIt is important for the crawler to visit important pages first.", title)], "coURLan")
    assert defined_in([(f"{title}\n\ncoURLan: A library for URLs.", title)], "coURLan")


def test_what_is_a_term_in_a_named_work_asks_for_the_term() -> None:
    assert defined_subject("What is a lambda in ATF?") == "lambda"
    assert defined_subject("What is the biggest city in California?") == "biggest city in California"
    assert defined_subject("What is inflation in Spain?") == "inflation in Spain"  # asks of Spain


def test_who_is_asks_for_a_definition_only_of_a_name() -> None:
    asked = ("Who is the analyst?", "Who is he?", "Who was Emma's brother?", "Who is Azerbaijan an ally of?")
    assert [defined_subject(q) for q in asked] == [None, None, None, None]


@pytest.mark.parametrize(
    ("question", "abbreviation"),
    [
        ("What does ATF stand for?", "ATF"),
        ("What does the acronym FIS stand for?", "FIS"),
        ("What is QED short for?", "QED"),
        ("What is SoCal an abbreviation of?", "SoCal"),
        ("what does psutil stand for", "psutil"),
        ("What does it stand for?", None),  # a follow-up: read with the answer before
        ("What is ATF?", None),
        ("What does ATF do?", None),
    ],
)
def test_a_question_asking_what_an_abbreviation_stands_for(question: str, abbreviation: str | None) -> None:
    assert abbreviation_asked(question) == abbreviation


@pytest.mark.parametrize(
    ("sentence", "abbreviation", "spelled"),
    [
        ("Async Task Framework (ATF) is the infrastructural system that supports this capability.", "ATF", True),
        ("ATF stands for Async Task Framework.", "ATF", True),
        ("…was the FIS or Front Islamique de Salut (the Islamic Salvation Front).", "FIS", True),
        ("…ultimately led to quantum electrodynamics (or QED), which fully describes…", "QED", True),
        ("psutil (process and system utilities) is a cross-platform library.", "psutil", True),
        ("The Department of Defense (DoD) said so.", "DoD", True),
        ("(d) SquirrelFish Extreme (SFX), the call-threaded JavaScript interpreter", "SFX", True),
        ("The CBD, or central business district, is busy.", "CBD", True),
        ("The quay was paid for through public-private partnerships (PPPs) and bonds.", "PPP", True),  # plural
        ('dip: The group\'s name stands for "Dialup IP".', "dip", True),
        # SQuAD 2.0's unanswerable twins: a letter changed or added.
        ("The CBD, or central business district, is busy.", "CDB", False),
        ("…was the FIS or Front Islamique de Salut (the Islamic Salvation Front).", "FISS", False),
        # Named, not spelled out.
        ("Following are some examples of what could be built as an extension to ATF.", "ATF", False),
        ("The ATF service is 99.9% available to accept task scheduling requests.", "ATF", False),
        ("IP is particularly important here.", "IP", False),
        # The Debian Reference: a word holding its letters is no expansion, nor is the command "apt" APT.
        ("In case of doubt, please use the apt, apt-get and apt-cache commands over the aptitude command.", "APT", False),
        ("• ”mbr.img”: The MBR with the partition table", "MBR", False),
        ("…which can utilize all these resources is Advanced Packaging Tool (APT).", "APT", True),
    ],
)
def test_a_sentence_spells_an_abbreviation_out_when_the_words_beside_it_begin_with_its_letters(sentence: str, abbreviation: str, spelled: bool) -> None:
    assert spells_out(sentence, abbreviation) is spelled


@pytest.mark.parametrize(
    ("paragraph", "byline"),
    [
        ("Frank Mittelbach, David Carlisle, Chris Rowley, Walter Schmidt† 2020/11/24", "Frank Mittelbach, David Carlisle, Chris Rowley, Walter Schmidt†"),
        ("Sebastian Rahtz and David Carlisle", "Sebastian Rahtz and David Carlisle"),
        ("Mohammad R. Haghighat$, Edwin Smith# Adobe Corporation#", "Mohammad R. Haghighat$, Edwin Smith#"),
        ("By Jeffrey Gettleman", "By Jeffrey Gettleman"),
        ("Christian Heimes <christian@python.org>", "Christian Heimes <christian@python.org>"),
        ("The French and Indian War (1754–1763) was the North American theater of the worldwide Seven Years' War.", None),
        ("Department of Computer Science and Engineering", None),
        ("Mozilla Corporation and Adobe Corporation", None),
        ("Alice Smith, Bob Jones and the rest of the team met on Tuesday.", None),
    ],
)
def test_a_byline_is_a_paragraph_of_names(paragraph: str, byline: str | None) -> None:
    assert byline_in(paragraph) == byline


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("What does path.join() do?", "path.join()"),
        ("What does the os.tmpdir() method return?", "os.tmpdir()"),
        ("What is png_set_packing used for?", "png_set_packing"),
        ("What is os.EOL?", "os.EOL"),
        ("What does Colorama do?", "Colorama"),
        ("Who wrote path.join()?", None),
        ("What does it do?", None),
    ],
)
def test_what_a_question_asks_to_have_described(question: str, subject: str | None) -> None:
    assert described_subject(question) == subject


@pytest.mark.parametrize(
    ("heading", "subject", "same"),
    [
        ("path.join([...paths])", "path.join()", True),
        ("`os.EOL`", "os.eol", True),
        ("Class: Timeout", "Timeout", True),
        ("Delivery latency", "delivery latency", True),
        ("path.joinAll(paths)", "path.join()", False),
        ("", "path.join()", False),
    ],
)
def test_a_heading_names_a_function_whatever_its_arguments(heading: str, subject: str, same: bool) -> None:
    assert names_the_same(heading, subject) is same


@pytest.mark.parametrize(
    ("sentence", "subject", "entry"),
    [
        ("-q, --quiet: Do not print the normal GNU bc welcome.", "-q", True),
        ("-q, --quiet: Do not print the normal GNU bc welcome.", "--quiet", True),
        ("-o file, --output=file: Write the resource use statistics to file.", "--output", True),
        ("-p spec…, --package spec…: Benchmark only the specified packages.", "-p", True),
        ("-1 (or --fast) to -9 (or --best): Set the block size to 100 k, 200 k … 900 k.", "--fast", True),  # bzip2(1)
        ("-1 (or --fast) to -9 (or --best): Set the block size to 100 k, 200 k … 900 k.", "--quiet", False),
        ("%e: Elapsed time in seconds.", "%e", True),
        ("BC_LINE_LENGTH: This should be an integer.", "BC_LINE_LENGTH", True),
        ("os.EOL: The end of line marker.", "os.EOL", True),
        ("-O: Optimise the output.", "-o", False),  # options differ by case
        ("-qq: Be quieter still.", "-q", False),
        ("Note: Back up first.", "note", False),  # a word, not a name in code
        ("Returns: <Timeout> a reference to timeout.", "timeout.refresh()", False),
        ("Use -q to keep quiet: nothing is printed.", "-q", False),
        ("TRANS_ALIAS | indicates that this record is an alias.", "TRANS_ALIAS", True),  # a table's row
        ("| TRANS_LOCAL | indicates a local transport. |", "TRANS_LOCAL", True),
        ("_.each({one: 1, two: 2, three: 3}, alert);", "_.each", False),  # a colon inside a call's braces
    ],
)
def test_a_references_entry_names_what_it_describes_in_its_label(sentence: str, subject: str, entry: bool) -> None:
    assert is_entry_for(sentence, subject) is entry


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Which documents mention Firefox?", "Firefox"),
        ("What files talk about caching?", "caching"),
        ("Which of my notes discuss the harbour budget?", "the harbour budget"),
        ("Where is CouchDB mentioned?", "CouchDB"),
        ("How many documents mention Kenya?", "Kenya"),
        ("In which document is the SOCAR depot mentioned?", "the SOCAR depot"),
        ("Which documents did the FBI release?", None),  # about their content
        ("What does the document mention about Firefox?", None),
        ("Which documents mention it?", None),  # nothing to look for
    ],
)
def test_which_documents_mention_something(question: str, topic: str | None) -> None:
    assert mentioned_topic(question) == topic


def test_the_words_mentioned_are_looked_for_as_documents_write_them() -> None:
    assert mention_phrases("the harbour Budget") == [("harbour", "Budget"), ("harbour", "budget"), ("Harbour", "Budget")]


def test_a_lower_case_question_gets_the_acronyms_the_documents_write_not_their_other_names() -> None:
    texts = ["The Async Task Framework (ATF) is the system, and we use ATF daily. The US will lift Sudan sanctions, says the Times."]
    assert with_acronyms_cased("what is atf?", texts) == "what is ATF?"
    # "Sudan" alone capitalised would be a name no document is named by ("New York Times" is not written).
    assert with_acronyms_cased("who wrote the new york times article about sudan?", texts) == "who wrote the new york times article about sudan?"
