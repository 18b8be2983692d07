"""The swap rules: what the best sentence gives otherwise than the question asks (``swaps``)."""

from __future__ import annotations

import pytest

from assistant._answering.swaps import (
    counted_otherwise, dated_otherwise, named_nowhere, named_otherwise, ordered_otherwise, owned_otherwise, said_by_another,
)


@pytest.mark.parametrize(
    ("question", "sentence", "neighbours", "otherwise"),
    [
        ("How did the Times define the region in 1909?", "In 1900, the Times defined the region as seven counties.", "", True),
        ("How did the Times define the region in 1909?", "It defined it as seven counties.", "In 1909 the Times wrote of it.", False),
        ("How many downloads did npm have in December 2013?", "In October 2013 there were 114.6 million downloads.", "", True),
        ("How many downloads did npm have in October 2013?", "In October 2013 there were 114.6 million downloads.", "", False),
        ("What was the trend from the 1970s on?", "After the merger in 1977, the proportion of women rose.", "", False),
        ("How much was lost in the crisis of 2008-09?", "Forbes in March 2009 estimated the loss at $12 billion.", "", False),
        ("How many died in Algiers in 1620-21?", "Algiers lost 30 to 50 thousand inhabitants in 1620–21.", "", False),
        ("After 1935, who was forbidden to enter the Rhineland?", "The German army re-occupied it in 1936.", "", False),
        ("What did Stiglitz present in 2008?", "Stiglitz presented evidence that inequality prevents growth.", "", False),  # no other year
        ("What was published on 2013-11-26?", "The post-mortem was published on 2013-11-26.", "", False),
    ],
)
def test_a_question_dated_by_a_year_or_month_the_sentence_dates_otherwise(
    question: str, sentence: str, neighbours: str, otherwise: bool
) -> None:
    assert dated_otherwise(question, sentence, f"{neighbours} {sentence}") is otherwise


@pytest.mark.parametrize(
    ("question", "sentence", "otherwise"),
    [
        ("When did 12 academies issue a joint statement?", "In 2001, 16 academies issued a joint statement.", True),
        ("What fault can produce a magnitude 8.7 event?", "Many faults can produce a magnitude 6.7+ earthquake.", True),
        ("How many reconstructions covered 10,000 years?", "Ten of these reconstructions covered 1,000 years.", True),
        ("When did 16 academies issue a joint statement?", "In 2001, 16 academies issued a joint statement.", False),
        ("What locks after 3 failed attempts?", "After three failed attempts, the account locks.", False),  # in words
        ("How many users had 100000 files?", "Some 5,000 users had 100,000 files.", False),  # with commas
        ("What did the 12 academies say?", "The academies said warming is real.", False),  # gives no other number
        # A number in words, before a word the sentence counts otherwise.
        ("One in seven of the world's bird species live where?", "One in five of the world's bird species live in the Amazon.", True),
        ("What ended the Seven-Day War?", "A ceasefire ended the Six-Day War.", True),
        ("What do the three judges decide?", "Two judges decide on appeals, and three judges on retrials.", False),
        ("Where are nine of the houses?", "Students live in twelve houses, nine of them by the river.", False),
        ("What happened in 1997?", "In 1998, the embargo was lifted.", False),  # a year: dated_otherwise's
        # A day of a month dates: the sentence's other number counts nothing the question counted.
        ("What happened on March 17?", "From March 15th to March 17th users received intermittent 404 responses.", False),
        ("What happened to 17 servers?", "From March 15th to March 17th users received intermittent 404 responses.", True),
        ("What interfered with Kublai's third invasion?", "Kublai's second invasion failed because of a typhoon.", True),
        ("What was built in the 18th century?", "The Citadel, a 19th-century fortification, was built then.", True),
        ("How did the final Song emperor die?", "The last Song emperor drowned.", False),  # the same ordinal
        ("Who was Genghis's 3rd son?", "Ögedei, his third son, succeeded him.", False),
        ("What did the second invasion achieve?", "The second invasion failed, as the first had.", False),
        ("When was the word first recorded?", "The second edition of the dictionary records it.", False),  # no other ordinal before "recorded"
    ],
)
def test_a_question_counting_by_a_number_or_an_ordinal_the_sentence_counts_otherwise(question: str, sentence: str, otherwise: bool) -> None:
    assert counted_otherwise(question, sentence, sentence) is otherwise


@pytest.mark.parametrize(
    ("question", "sentence", "otherwise"),
    [
        ("Who was Bohemond's son?", "The Normans under Bohemond, Robert's son, landed in Valona.", True),
        ("In Galileo's view, how many elements were there?", "In Aristotle's view, there were four elements.", True),
        ("Who was Robert's son?", "The Normans under Bohemond, Robert's son, landed in Valona.", False),
        ("What is Mozilla's revenue?", "Google's revenue was $66 billion.", True),
        ("What is Mozilla's revenue?", "Mozilla's revenue was $300 million, less than Google's revenue.", False),
        ("Who was Bohemond's son?", "Bohemond had a son, Bohemond II.", False),  # no other owner
        ("What are two of Fresno's most beautiful buildings?", "Fresno holds some of the Valley's most beautiful buildings.", False),
    ],
)
def test_a_question_naming_an_owner_the_sentence_gives_another_owner(question: str, sentence: str, otherwise: bool) -> None:
    assert owned_otherwise(question, sentence, sentence) is otherwise


@pytest.mark.parametrize(
    ("question", "sentence", "neighbours", "otherwise"),
    [
        ("As of which version can CMake write Ninja files on FreeBSD?", "CMake writes Ninja files on Linux as of version 2.8.8.", "", True),
        ("As of which version can CMake write Ninja files on FreeBSD?", "CMake writes Ninja files on Linux as of version 2.8.8.", "Ninja runs on FreeBSD too.", False),
        ("Who designed the garden of the Marek Library?", "The University Library garden was designed by Irena Bajerska.", "", True),
        ("When was the Tugh Temur era?", "The Tugh Temür era began in 1328.", "", False),  # spelled alike
        ("What does Paul Krugmen think of trade?", "Paul Krugman argues that trade raised inequality.", "", False),  # a letter off
        ("What did Maria Curie win?", "Maria Skłodowska-Curie won two Nobel prizes.", "", False),  # part of the name
        ("How many farms are in the USA?", "There are two million farms in the United States.", "", False),  # written out
        ("How many died in World War II?", "Seventy million died in WWII.", "", False),  # its initials
        ("What did the UN's treaty set up?", "The treaty of the United Nations set up a fund.", "", False),
        ("Which country is Paris in?", "Berlin is in Germany.", "", False),  # no word before it shared
        ("Which German monk studied primes?", "The French monk Marin Mersenne looked at primes.", "", True),  # the word after
        ("Which French monk studied primes?", "The French monk Marin Mersenne looked at primes.", "", False),
        ("When did NATO draw its plans?", "Its pre- and post-war plans differed.", "", False),  # a word cut at a hyphen
        # A follow-up's carried question says what the conversation is about, not what the sentence must name.
        ("Which route runs through Romania? (following up on: Who signed with SOCAR?)", "Naftogaz signed with Bulgargaz.", "", False),
    ],
)
def test_a_question_naming_something_the_sentence_names_otherwise_in_its_place(question: str, sentence: str, neighbours: str, otherwise: bool) -> None:
    assert named_otherwise(question, sentence, f"{sentence} {neighbours}") is otherwise


@pytest.mark.parametrize(
    ("question", "sentence", "otherwise"),
    [
        ("What did Shelley write before the Peterloo massacre?", "Following the Peterloo massacre of 1819, Shelley wrote a poem.", True),
        ("What was the district known for before the renewal?", "Since renewal, the district has become an attractive area.", True),
        ("What polluted the water after the early 1980s?", "Until the early 1980s, industry was a major source of water pollution.", True),
        ("What did Shelley write after the Peterloo massacre?", "Following the Peterloo massacre of 1819, Shelley wrote a poem.", False),
        ("What did Shelley write before the massacre?", "He wrote little before the massacre and much after the massacre.", False),  # both
        # "but" goes on to what came in the order asked.
        ("What did he apply after coming to power?", "He supported democracy before coming to power, but applied sharia law.", False),
    ],
)
def test_a_question_asking_before_something_the_sentence_puts_after(question: str, sentence: str, otherwise: bool) -> None:
    assert ordered_otherwise(question, sentence) is otherwise


POLICY = "Debian packages use Python 3. The python3-venv package depends on these. Debian 11 (Bullseye) drops Python 2."


@pytest.mark.parametrize(
    ("question", "nowhere"),
    [
        ("What does the python3-venv package depend on in Ubuntu?", True),
        ("What does the python3-venv package depend on in Debian?", False),
        ("What does Bullseye drop?", False),
        ("What does bullseye drop?", False),  # no name asked
        ("What does Debain drop?", False),  # spelled alike
        ("What does the Bullseye-Debian release drop?", False),  # each of its parts written
        ("What did Python 2 become? (following up on: What does Fedora ship?)", False),  # carried, not asked
        ("Is the python3-venv package built with cmake?", True),  # a program's name, in lower case
        ("Does the python3-venv package still need python2?", False),  # "Python 2", written apart
        ("Which packages were reimplemented in Debian 11?", False),  # an English word, with its prefix
    ],
)
def test_a_question_naming_what_the_document_never_names(question: str, nowhere: bool) -> None:
    assert named_nowhere(question, "", POLICY) is nowhere
    assert named_nowhere(question, "", "") is False  # no document: nothing to tell


@pytest.mark.parametrize(
    ("question", "sentence", "another"),
    [
        ("What did the ministry say about the tariff?", "The union noted that the tariff doubles prices.", False),  # no name asked
        ("What did Siemens say about the plant?", "Bosch noted that the plant would close in May.", True),
        ("What does Paul Krugmen think about trade?", "Paul Krugman argues that trade raised inequality.", False),  # a letter off
        ("What did the mayor tell Smith?", "Later the mayor told Smith that the bridge would stay shut.", False),
        ("What did Smith tell the mayor?", "The mayor warned Jones, and Jones told Smith nothing.", True),
        ("What did Smith say about the bridge?", "He said the bridge would stay shut.", False),  # anyone
        ("What did Smith say about the bridge?", "\"It stays shut,\" said Smith.", False),
        ("What has replaced the plants in the United States?", "Imports, the ministry stated, replaced them.", False),  # asks no speaker
        ("What did Azerbaijan's President announce?", "Azerbaijani President Ilham Aliyev had announced plans.", False),  # a role, named
        ("What did Mozilla announce about Firefox OS?", "Mozilla's CEO Brendan Eich announced that it would ship.", False),  # through him
    ],
)
def test_a_question_about_what_someone_said_is_not_answered_by_another_speaker(question: str, sentence: str, another: bool) -> None:
    assert said_by_another(question, sentence) is another
