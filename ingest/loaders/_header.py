"""What a document prints about itself at its top: its title, and the date and the site under it.

An article saved as Word, PDF or Markdown keeps its header as lines of text ("Ukraine, Azerbaijan tighten
ties…", "global.espreso.tv", "Mon, 11 Aug 2025 19:11:00 +0300") where a web page or the seed's plain
text would give them as metadata. Read as body text, "When was the article published?" and "Which site
published it?" were refused for the seed article in those three formats and answered from its plain text.
Only what its loader left unknown, or took from the file's properties, is filled in, and only from the
short lines before the first line of prose: a date there is the document's, not one its text mentions.
The same holds for the title. A Word, OpenDocument, RTF or PDF copy of an article often has no title
property and no heading style, only its first line: titled by the file's name ("seed"), "What is the
article's title?" was answered "seed", and "the article about Ukraine and Azerbaijan" named no document.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

from assistant._dates import iso_date
from ingest.loaders._document import LoadedDocument

#: A site's host name alone on its line ("global.espreso.tv").
HOST_NAME = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$", re.IGNORECASE)
#: A date as people write it: "24 July 2015", "August 11, 2025", "Aug. 11 2025", "2025-08-11".
WRITTEN_DATE = r"(?:[A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]+\.? \d{4}|\d{4}-\d{2}-\d{2})"
_WRITTEN_FORMATS = ("%B %d, %Y", "%B %d %Y", "%b %d, %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")

#: A line that is a date and nothing else, perhaps as a list item or labelled, with a weekday before
#: it and a time after it: "- 24 July 2015", "Published: Monday, August 11, 2025 at 7:11 pm", and the
#: RFC 2822 and ISO 8601 dates feeds and files carry ("Mon, 11 Aug 2025 19:11:00 +0300").
_DATELINE = re.compile(
    r"(?:[-*•]\s+)?(?:(?:Published|Posted|Date|Dated)(?: on)?\s*:?\s*)?"
    rf"(?P<written>(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?(?P<date>{WRITTEN_DATE})(?:T[\d:.]+(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+(?:[+-]\d{4}|[A-Z]{2,4}))?)?)",
    re.IGNORECASE,
)
#: How many of the opening lines make a header, and how long one may be: a title, a site, a byline, a
#: date, a section; the first line longer than that is the document's prose.
_HEADER_LINES = 6
_HEADER_CHARS = 80
#: How a line of prose ends, where a title does not.
SENTENCE_END = (".", "!", "?", ",", ";", ":")


def written_date(text: str) -> str | None:
    """``text`` read as one of the dates ``WRITTEN_DATE`` matches, as an ISO 8601 day; None when it is none."""
    for layout in _WRITTEN_FORMATS:
        try:
            return datetime.strptime(text.replace(".", ""), layout).date().isoformat()
        except ValueError:
            continue
    return None


def with_header(loaded: LoadedDocument, file_name_title: str) -> LoadedDocument:
    """``loaded`` with the date and site its opening lines print where its loader found none, or only the
    file's properties (a Word copy of an article was made after it was published, by someone else). A
    host name there is the site only beside a date: alone under a title ("example.com" in a guide to DNS)
    it may be what the document is about. Beside a date, the first line is also the title when the loader
    had only ``file_name_title``, the title made from the file's name, for one: a first line alone ("Notes",
    "Introduction") may be a heading, not what the document is called."""
    wants_date = not loaded.published or loaded.file_properties
    wants_site = not loaded.source or loaded.file_properties
    wants_title = loaded.title == file_name_title
    if not (wants_date or wants_site or wants_title):
        return loaded
    printed = _printed_header(_header_lines(loaded.text)) or _run_together(_first_line(loaded.text))
    if not printed:
        return loaded
    title, site, dated = printed
    found: dict[str, str] = {}
    if wants_date:
        found["published"], found["published_as_written"] = dated
    if wants_site and site:
        found["source"] = site
    if wants_title and title:
        found["title"] = title
    return dataclasses.replace(loaded, **found)


def _printed_header(header: list[str]) -> tuple[str, str, tuple[str, str]] | None:
    """(title, site, (ISO 8601, as written)) from opening lines holding a date; the title and site may be
    empty."""
    dated = next(filter(None, map(dateline, header)), None)
    if not dated:
        return None
    site = next((line for line in header if HOST_NAME.match(line)), "")
    first = header[0]
    title = first if looks_like_title(first) and not (dateline(first) or HOST_NAME.match(first)) else ""
    return title, site, dated


def _run_together(line: str) -> tuple[str, str, tuple[str, str]] | None:
    """(title, site, (ISO 8601, as written)) of a header whose lines a converter ran into one: Markdown joins
    a paragraph's lines, so the seed article's plain text through pandoc opens with "Ukraine, Azerbaijan
    tighten ties amid Russian aggression global.espreso.tv Mon, 11 Aug 2025 19:11:00 +0300". Only with the
    site's host name right before the date: a first sentence ending in a date ("Python 3.11 was released
    on 24 October 2022") is no header."""
    if len(line) > _RUN_TOGETHER_CHARS:
        return None
    words = line.split(" ")
    for cut in range(2, len(words)):
        if HOST_NAME.match(words[cut - 1]) and (dated := dateline(" ".join(words[cut:]))):
            title = " ".join(words[: cut - 1])
            return (title if looks_like_title(title) else "", words[cut - 1], dated)
    return None


def _first_line(text: str) -> str:
    found = _LINE.search(text)
    return found.group().strip() if found else ""


#: How long a header run into one line may be: a title, a host name, a date with its time and zone.
_RUN_TOGETHER_CHARS = 240


def looks_like_title(line: str) -> bool:
    """Whether ``line`` could be a title: short, with letters, not ending as a sentence or clause does."""
    line = line.strip()
    return 0 < len(line) <= 150 and any(c.isalpha() for c in line) and not line.endswith(SENTENCE_END)


def _header_lines(text: str) -> list[str]:
    header: list[str] = []
    for found in _LINE.finditer(text):  # lazily: a book's text need not be split to read its first lines
        line = found.group().strip()
        if len(line) > _HEADER_CHARS or len(header) == _HEADER_LINES:
            break
        if line:
            header.append(line)
    return header


_LINE = re.compile(r"[^\n]+")


def dateline(line: str) -> tuple[str, str] | None:
    """(ISO 8601, the date as written) when ``line`` is a date alone (``_DATELINE``); a time and its
    offset are kept when the whole date reads as RFC 2822 or ISO 8601."""
    match = _DATELINE.fullmatch(line)
    if not match:
        return None
    written = match.group("written")
    parsed = iso_date(written) or written_date(match.group("date"))
    return (parsed, written) if parsed else None
