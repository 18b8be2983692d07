from assistant._sentences import split_sentences


def texts(text: str) -> list[str]:
    spans = split_sentences(text)
    assert all(text[s.start : s.end] == s.text for s in spans)
    return [s.text for s in spans]


def test_headings_run_into_the_next_sentence_are_split() -> None:
    text = "says Kovalenko in his article for minval.az media outlet.Terror as a tool of Russian “diplomacy”At the end of July, a deal was signed."
    assert texts(text) == [
        "says Kovalenko in his article for minval.az media outlet.",
        "Terror as a tool of Russian “diplomacy”",
        "At the end of July, a deal was signed.",
    ]
    assert texts("keeping tensions high. Hybrid escalation and diplomatic pushbackOn July 10, they spoke.") == [
        "keeping tensions high.",
        "Hybrid escalation and diplomatic pushback",
        "On July 10, they spoke.",
    ]


def test_abbreviations_initials_and_brand_names_do_not_end_sentences() -> None:
    assert texts("Mr. Smith met J. K. Rowling at 3.5 p.m. in the U.S. Army base. SharePoint and iPhone stayed.") == [
        "Mr. Smith met J. K. Rowling at 3.5 p.m. in the U.S. Army base.",
        "SharePoint and iPhone stayed.",
    ]
    assert texts("It will run much slower (eg. 20 to 30 times) than normal. Use -g, ie. Debug info.") == [
        "It will run much slower (eg. 20 to 30 times) than normal.",
        "Use -g, ie. Debug info.",
    ]
    # a name's initials, as "U.S." is: "Who is Tom Forte?" had quoted "…a managing director at the D.A."
    assert texts("Tom Forte is a managing director at the D.A. Davidson brokerage. He follows Amazon.") == [
        "Tom Forte is a managing director at the D.A. Davidson brokerage.",
        "He follows Amazon.",
    ]


def test_offsets_point_into_the_document() -> None:
    [first, second] = split_sentences("One here. Two there.", offset=100)
    assert (first.start, first.end, second.start, second.end) == (100, 109, 110, 120)


def test_run_on_text_is_cut_into_short_pieces() -> None:
    text = ", ".join(f"item {i}" for i in range(300))
    spans = split_sentences(text)
    assert len(spans) > 1 and all(len(s.text) <= 600 for s in spans)


def test_an_opening_quote_does_not_end_a_sentence() -> None:
    assert texts('Economist Branko Milanovic wrote in 2001 that, "The world is unequal." Then he left.') == [
        'Economist Branko Milanovic wrote in 2001 that, "The world is unequal."',
        "Then he left.",
    ]


def test_a_run_on_line_of_700_kb_is_cut_into_short_sentences_without_recursion() -> None:
    text = "word " * 140_000
    sentences = split_sentences(text)
    assert len(sentences) > 1000
    assert all(len(s.text) <= 600 and text[s.start : s.end] == s.text for s in sentences)


def test_a_sentence_wrapped_over_several_lines_stays_whole() -> None:
    text = (
        "Installation\n"
        "This package can either be installed using pip or from a tarball using the\n"
        "standard Python distutils. An attacker can circumvent firewalls and gain access\n"
        "to restricted resources, as all the requests are made from an internal and\n"
        "Trusted IP address. Most parsers do not cache the intermediate step for each\n"
        "Expansion.\n"
        "- first item of a list that is long enough to be a wrapped line\n"
        "- second item\n"
        "Short line without a stop\n"
        "Next sentence starts here."
    )
    assert texts(text) == [
        "Installation",
        "This package can either be installed using pip or from a tarball using the\nstandard Python distutils.",
        "An attacker can circumvent firewalls and gain access\nto restricted resources, as all the requests are made from an internal and\nTrusted IP address.",
        "Most parsers do not cache the intermediate step for each\nExpansion.",
        "- first item of a list that is long enough to be a wrapped line",
        "- second item",
        "Short line without a stop",
        "Next sentence starts here.",
    ]


def test_a_wrapped_line_may_open_with_a_dash_or_a_quote_and_follow_a_preposition() -> None:
    text = (
        "On August 7, Romania reported that “contaminated” Azerbaijani crude oil\n"
        "— with dangerously high chlorine levels — had arrived at the Petrobazi\n"
        "refinery. Russia has failed to arrange such agreements in the region since\n"
        "2020, he wrote, calling the deal the region's long-awaited “turning point”\n"
        "“and a test” of its partners.\n"
        "$ pip install --upgrade courlan # to make sure you have the latest version\n"
        "$ pip install git+https://github.com/adbar/courlan.git"
    )
    assert texts(text) == [
        "On August 7, Romania reported that “contaminated” Azerbaijani crude oil\n— with dangerously high chlorine levels — had arrived at the Petrobazi\nrefinery.",
        "Russia has failed to arrange such agreements in the region since\n2020, he wrote, calling the deal the region's long-awaited “turning point”\n“and a test” of its partners.",
        "$ pip install --upgrade courlan # to make sure you have the latest version",
        "$ pip install git+https://github.com/adbar/courlan.git",
    ]


def test_a_wrapped_line_is_as_short_as_the_next_word_is_long() -> None:
    # Wrapped at 69 columns, the second line stops at 53: "‘triggers-pending’" did not fit after it.
    text = (
        "pending triggers.  Packages with a nonempty list of pending triggers\n"
        "which would otherwise be in state ‘installed’ are in state\n"
        "‘triggers-pending’ instead, so if the package was previously\n"
        "‘installed’ it becomes ‘triggers-pending’. The parser sums the integers when it is given --sum:\n"
        ">>> parser.parse_args(['1', '--sum'])  # the total\n"
        "Namespace(accumulate=sum)"
    )
    assert texts(text)[1:] == [
        "Packages with a nonempty list of pending triggers\nwhich would otherwise be in state ‘installed’ are in state\n"
        "‘triggers-pending’ instead, so if the package was previously\n‘installed’ it becomes ‘triggers-pending’.",
        "The parser sums the integers when it is given --sum:",
        ">>> parser.parse_args(['1', '--sum'])  # the total",  # code is laid out, not wrapped
        "Namespace(accumulate=sum)",
    ]


def test_dotted_names_and_constants_do_not_end_sentences() -> None:
    text = "Ambiguous times raise pytz.exceptions.AmbiguousTimeError here. Print Fore.RED text. It ran.Then it stopped."
    assert texts(text) == [
        "Ambiguous times raise pytz.exceptions.AmbiguousTimeError here.",
        "Print Fore.RED text.",
        "It ran.",
        "Then it stopped.",
    ]
    # GNU bc's manual: the thanks were cut at "Steve." and quoted from "Sommars@att.com)".
    text = "The author would like to thank Steve Sommars (Steve.Sommars@att.com) for his help.Many suggestions were given."
    assert texts(text) == ["The author would like to thank Steve Sommars (Steve.Sommars@att.com) for his help.", "Many suggestions were given."]
    # Debian's Python policy: "must be called pythonX.Y." was quoted as "must be called pythonX."
    assert texts("The main package must be called pythonX.Y. It is found.") == ["The main package must be called pythonX.Y.", "It is found."]


def test_a_numbered_list_items_number_stays_with_its_item() -> None:
    text = (
        "The registry had downtime over three periods:\n\n"
        "1. November 4th -- 16:30 to 15:00 UTC\n"
        "2. November 13th -- 15:00 to 19:30 UTC\n\n"
        "It formed dioxygen with the formula O\n"
        "2. Diatomic oxygen makes up a fifth of the air."
    )
    assert texts(text) == [
        "The registry had downtime over three periods:",
        "1. November 4th -- 16:30 to 15:00 UTC",
        "2. November 13th -- 15:00 to 19:30 UTC",
        "It formed dioxygen with the formula O",
        "2.",
        "Diatomic oxygen makes up a fifth of the air.",
    ]


def test_a_numbered_headings_number_stays_with_its_heading() -> None:
    text = (
        "Modules can import other modules.\n\n"
        "6.1. More on Modules\n\n"
        "A module can contain executable statements.\n\n"
        "12.2.1. Creating Virtual Environments\n\n"
        "Chapter 3. The Root Filesystem\n\n"
        "The release was numbered 6.1. More followed."
    )
    assert texts(text) == [
        "Modules can import other modules.",
        "6.1. More on Modules",
        "A module can contain executable statements.",
        "12.2.1. Creating Virtual Environments",
        "Chapter 3. The Root Filesystem",
        "The release was numbered 6.1.",
        "More followed.",
    ]


def test_camel_case_names_in_code_do_not_end_sentences() -> None:
    text = "deflateInit() will allocate 256K bytes. Call getElementById first. It was a diplomatic pushbackOn July 10 it ended."
    assert texts(text) == [
        "deflateInit() will allocate 256K bytes.",
        "Call getElementById first.",
        "It was a diplomatic pushback",
        "On July 10 it ended.",
    ]
