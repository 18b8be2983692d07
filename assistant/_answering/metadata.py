"""Questions about a document itself ("when was the article published?", "which outlet?", "what is the
article about?"), and about the stored documents as a whole ("what documents do you have?").

They are answered from the document's metadata and cited to its header: the title, source, author and
date lines at the top of the stored text, written there by ingest for exactly this purpose. What a
document is about is answered with its opening: the lead of an article, the definition opening an
encyclopedia page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import islice
from pathlib import PurePath

from assistant.answer import Answer
from assistant._answering.citations import Span, citation, document_list, merge_adjacent, sentence_span
from assistant._answering.extractive import compose
from assistant._answering.questions import defined_in, defined_subject, names_in, stem_terms, what_it_does
from assistant._corpus import Corpus, StoredDocument
from assistant._dates import in_words
from assistant._sentences import LIST_ITEM, PARAGRAPH, sentences_from
from assistant.retrieval import Passage

_DOCUMENT = r"(article|document|story|piece|report|post|paper|text|page|file|e-?mail|deck|slides|pdf|epub|e-?book|spreadsheet|workbook|presentation|notebook|transcript)"
#: "the article", "this post", "the Seattle Times article", "the npm post-mortem", "these pages" (a folder
#: of one site's): the document, named by up to four words before its kind; or by its title in quotes
#: ('Who wrote "Keeping The npm Registry Awesome"?'). Not "the analysis the article is based on": that is
#: another work.
_THE_DOCUMENT = (
    rf"(?:\b(the|this|these)\s+(?:(?!(?:the|a|an|this|that|which)\b)[\w.’'-]+\s+){{0,4}}?{_DOCUMENT}s?\b(?:-\w+)?"
    r"|[\"“][^\"”]{3,200}[\"”])"
)
#: "the article's", "this post’s": the document as the owner of what is asked ("What is the article's title?").
_OWNED_BY_THE_DOCUMENT = rf"{_THE_DOCUMENT}['’]s\s+"
_ASKS = {
    # The document must be the subject: "When was Colorama first released?" asks about the software. "It"
    # is the document only for what is done to documents alone ("When was it released?" may be Firefox).
    "published": re.compile(
        rf"\b(when|what (date|day|time))\b.*(?:{_THE_DOCUMENT}|\bthis\b).*\b(published|posted|written|released|dated|come out|appear|sent)|"
        r"\b(when|what (date|day|time))\b.*\bit\b.*\b(published|posted|dated)\b|"
        rf"\bpublication date\b|\bwhat (date|day) is (?:this|{_THE_DOCUMENT}) from\b|{_OWNED_BY_THE_DOCUMENT}date\b",
        re.I,
    ),
    # Publishing the document, not the content: "Which newspaper defined southern California?".
    "source": re.compile(
        rf"\b(which|what) (outlet|site|website|publication|newspaper|paper|media|source|publisher)\b.*(?:\b(publish\w*|ran|runs|post\w*|print\w*)\b|{_THE_DOCUMENT})|"
        rf"\bwho (published|publishes|ran)\b.*\b{_DOCUMENT}|\bwhere (was|is) (the|this) {_DOCUMENT} (published|from)|"
        rf"\bwhat(?:['’]s| is| was) the (?:source|publisher|outlet|site|website|publication) of {_THE_DOCUMENT}|"
        r"\bwhat (?:site|website|outlet|publication|newspaper|source) is this from\b|\bwhere was (?:this|it) published\b|"
        rf"{_OWNED_BY_THE_DOCUMENT}(?:source|publisher|outlet|site|website)\b",
        re.I,
    ),
    "title": re.compile(
        rf"\b(title|headline)\b.*\b{_DOCUMENT}|\bwhat is (the|this) {_DOCUMENT} called|^\s*what(?:['’]s| is) the (?:title|headline)\s*\??\s*$|"
        rf"{_OWNED_BY_THE_DOCUMENT}(?:title|headline)\b",
        re.I,
    ),
    # The whole question: "What does the article say about drones?" asks about its content.
    "summary": re.compile(
        rf"^\s*(?:what(?:['’]s| is| was)\s+{_THE_DOCUMENT}(?:\s+(?:on|about|by|from)\s+[\w\s.’'-]{{1,60}}?)?(?:\s+(?:mainly|mostly|primarily))?\s+about|"
        rf"(?:summari[sz]e|sum up)\s+{_THE_DOCUMENT}|what (?:is|was) the (?:main )?(?:topic|subject|point|gist) of\s+{_THE_DOCUMENT}|"
        rf"(?:give me )?(?:a summary|an overview) of\s+{_THE_DOCUMENT}|(?:tell me about|describe)\s+{_THE_DOCUMENT}|"
        rf"what (?:does|do)\s+{_THE_DOCUMENT}\s+(?:say|cover|discuss|describe)|"
        # The bare forms: "this" is the document ("it" only in a conversation about it: _ABOUT_IT).
        r"what(?:['’]s| is) this (?:all )?about|(?:please )?(?:give me |write )?(?:a )?(?:short |brief |quick )?summary|"
        rf"(?:please )?(?:summari[sz]e|sum up)(?: this| {_THE_DOCUMENT})?(?: briefly| in (?:one|a|two|three|a few) sentences?)?)"
        r"\s*[?.!]?\s*$",
        re.I,
    ),
    # Only a question about the document itself: "Who wrote the agreements?" asks about its content.
    "author": re.compile(
        rf"\bwho (wrote|authored|penned|sent)\s+{_THE_DOCUMENT}|\b(author|writer|sender)s? of {_THE_DOCUMENT}|\bwho is {_THE_DOCUMENT} from\b|"
        r"^\s*who (is|was|are|were) the (author|writer)s?\??\s*$|^\s*who wrote this\??\s*$|\bwritten by whom\b|"
        rf"{_OWNED_BY_THE_DOCUMENT}(?:author|writer)s?\b",
        re.I,
    ),
}


# "Which outlet did he write his article for?" asks about a person's work, not this document.
_ABOUT_SOMEONE = re.compile(r"\b(he|she|they|his|her|their|him|them)\b", re.I)


#: The same questions about "it", which is the document when the question before was about the document
#: ("What is the Dropbox post about?", then "Who wrote it?").
_ABOUT_IT = {
    # Asked first, or after questions about the document; after a question about its content ("Where did
    # the missile strike land in July?"), "On what date?" asks when that happened (it had been answered
    # with the article's publication date).
    "published": re.compile(r"^\s*(?:and\s+)?(?:on\s+)?what date\s*\??\s*$", re.I),
    "author": re.compile(r"^\s*(?:and\s+)?(?:who (?:wrote|authored) it|who is its author)\s*\??\s*$", re.I),
    "source": re.compile(r"^\s*(?:and\s+)?(?:who published it|where was it published)\s*\??\s*$", re.I),
    "summary": re.compile(r"^\s*(?:and\s+)?(?:what(?:['’]s| is) it about|summari[sz]e it|sum it up)\s*[?.!]?\s*$", re.I),
}


#: The stored documents, all of them (or all of a kind: "What PDFs do you have?"), as the subject:
#: "What documents do you have?", "What are these files about?", "Summarize the documents", "What is in my
#: library?", "How many documents are there?". With one document stored it is that document; with more, no
#: passage answers it (each is about one document) and "What is the article about?" cannot say which.
_DOCUMENTS = r"documents|files|texts|sources|pdfs|articles|papers|pages"
_THE_DOCUMENTS = (
    r"(?:(?:the|these|those|this|my|your|our|all(?: (?:the|these|my))?|both)\s+)?(?:(?:collection|set|folder) of\s+)?(?:\w+\s+)?"
    rf"(?:{_DOCUMENTS})"
)
#: Documents by what they are: "What spreadsheets do you have?", "How many PDFs are there?".
_KINDS_OF_DOCUMENT = (
    rf"(?:{_DOCUMENTS}|spreadsheets|workbooks|presentations|slides|decks|notebooks|transcripts|e-?books|books|e-?mails|messages)"
)
#: Not "the library" nor "the collection": a library's or a museum's, perhaps, in a document.
_THE_COLLECTION = rf"(?:{_THE_DOCUMENTS}|(?:my|your|our)\s+(?:library|collection|corpus|knowledge base|folder|store|documents))"
_COLLECTION = re.compile(
    r"^\s*(?:please\s+)?(?:"
    rf"(?:what|which)\s+{_KINDS_OF_DOCUMENT}\s+(?:do you have|have you got|are there|are (?:stored|ingested|loaded|indexed|available)"
    r"|(?:have|did) (?:you|i|we) (?:read|ingest(?:ed)?|index(?:ed)?|upload(?:ed)?|add(?:ed)?|give[n]? you|load(?:ed)?)|can you (?:see|read|search|access))"
    rf"|what(?:['’]s| is| are| was| were)\s+{_THE_COLLECTION}\s+(?:(?:all|mainly|mostly) )?about"
    rf"|what(?:['’]s| is) in\s+{_THE_COLLECTION}"
    rf"|what (?:topics|subjects) do(?:es)?\s+{_THE_COLLECTION}\s+cover|what do(?:es)?\s+{_THE_COLLECTION}\s+(?:cover|contain|hold|say|discuss)"
    rf"|(?:summari[sz]e|sum up|give me an overview of|give me a summary of|an overview of|tell me about|describe|list)\s+{_THE_COLLECTION}"
    rf"|what are\s+{_THE_DOCUMENTS}"
    rf"|how many\s+{_KINDS_OF_DOCUMENT}\s+(?:are there|do you have|have you got|are (?:stored|ingested|loaded|indexed)|(?:have|did) (?:you|i|we) (?:read|ingest(?:ed)?|upload(?:ed)?|add(?:ed)?))"
    r"|what can i ask(?: you)?(?: about)?|what do you know"
    r")\s*[?.!]?\s*$",
    re.I,
)


def asked_field(question: str, earlier: Sequence[str] = ()) -> str | None:
    """Which metadata field the question asks for, if it is about the document itself. ``earlier``: the
    conversation's questions before it, which can make "it" the document."""
    if _ABOUT_SOMEONE.search(question):
        return None
    if _COLLECTION.match(question):
        return "collection"
    for name, pattern in _ASKS.items():
        if pattern.search(question):
            return name
    if not earlier and _ABOUT_IT["published"].match(question):  # "What date?" asked first: the document's
        return "published"
    if _about_the_document(earlier):
        return next((name for name, pattern in _ABOUT_IT.items() if pattern.search(question)), None)
    return None


def asks_about_a_document_alone(question: str) -> bool:
    """Whether ``question`` asks about a document and names it in its own words ("Who wrote the npm
    post-mortem?", "When was the BBC article published?"), not as "it" or "this": such a question leans on
    no earlier turn. One naming nothing ("And on what date?", "When was the article published?") leans on
    the turns before: among 44 documents, "And on what date?" after "Which site published the article
    about Ukraine and Azerbaijan tightening ties?" was asked alone, of whichever document retrieval found."""
    return asked_field(question) is not None and not _REFERS_BACK.search(question) and names_a_document(question)


_REFERS_BACK = re.compile(r"\b(?:it|its|this|that)\b", re.IGNORECASE)


def _naming_words(question: str) -> set[str]:
    """The question's words that could name a document: not those asking about one, nor what it is."""
    return set(stem_terms(question)) - _ASKING - _KINDS_OF_TEXT


#: What a document is, naming none ("the article", "the document").
_KINDS_OF_TEXT = frozenset(stem_terms(_DOCUMENT.strip("()").replace("|", " ").replace("e-?", "e")))


def naming_the_document(question: str, earlier: Sequence[str]) -> str:
    """What names the document ``question`` asks about: the question itself when it names it alone ("Who
    wrote the npm post-mortem?"); with "it", also the latest earlier question that named one ("What is it
    about?" after "Who wrote the npm post-mortem?", and after "When was it published?" after that: asked
    "(When was it published?)" it was refused), else that asked about one. Not the conversation's other
    questions: asked "(following up on: Which documents mention Cloudflare? / …)", "Cloudflare" named no
    document and the npm post-mortem's author was refused."""
    if asks_about_a_document_alone(question):
        return question
    about = next((asked for asked in reversed(earlier) if asks_about_a_document_alone(asked)), "")
    about = about or next((asked for asked in reversed(earlier) if asked_field(asked) is not None and names_a_document(asked)), "")
    return f"{question} ({about})" if about else question


#: Where a question says which document it asks of, before or after what it asks: "According to the npm
#: post-mortem, what…?", "In the Dropbox blog post, which…?", "What…, according to the article?".
_SCOPE_BEFORE = re.compile(rf"^\s*(?:according to|in|from)\s+{_THE_DOCUMENT}\s*[,:]\s*", re.IGNORECASE)
_SCOPE_AFTER = re.compile(rf"(?:\s*,\s*(?:according to|in)|\s+according to)\s+{_THE_DOCUMENT}\s*(?=[?.!]*\s*$)", re.IGNORECASE)


def without_scope(question: str) -> str:
    """``question`` without the words saying which document it asks of ("According to the npm post-mortem,
    what was the root cause of the downtime?" as "What was the root cause of the downtime?"), for the
    answerer: they name the document, which retrieval reads them for, not what the answer's sentence says,
    and the verifier counted them missing from every sentence (0.57 asked so, 0.78 asked plainly)."""
    rest = _SCOPE_AFTER.sub("", _SCOPE_BEFORE.sub("", question, count=1), count=1)
    return rest[:1].upper() + rest[1:] if rest != question and rest.strip() else question


def names_a_document(question: str) -> bool:
    """Whether ``question`` has a word that could name a document: "When was the article published?" has
    none (the document is the one the conversation is about), "When was this BBC article published?" has."""
    return bool(_naming_words(question))


#: The fields a first question naming no document among several is asked back about, rather than answered from
#: whichever document retrieval found: "What is the title of the article?" among the mixed, SQuAD and seed
#: corpora had answered the IPCC article's at confidence 1.0.
_ONE_DOCUMENTS = frozenset({"published", "source", "title", "author"})
#: How many of the documents closest to the question the reply names.
_SUGGESTED = 3


def _which_document(question: str, documents: list[StoredDocument], passages: list[Passage], corpus: Corpus) -> Answer:
    """Which of ``documents`` a first question about "the article" that names none means, asked back,
    naming those retrieval finds closest (their titles cited in their headers)."""
    among = {d.doc_id for d in documents}
    closest = [doc_id for doc_id in dict.fromkeys(p.doc_id for p in passages) if doc_id in among][:_SUGGESTED]
    spans = [span for doc_id in closest if (doc := corpus.document(doc_id)) and (span := _title_span(doc, corpus.text(doc_id) or ""))]
    related = [citation(i, corpus, span) for i, span in enumerate(spans, start=1)]
    titles = ", ".join(f"“{c.quote}”" for c in related)
    text = f"Which document do you mean? {len(documents)} are stored: name it by its title, site or author" + (
        f" (closest to your question: {titles})." if titles else "."
    )
    return Answer(text=text, question=question, abstained=True, related=related, confidence=0.0)


def _about_the_document(earlier: Sequence[str]) -> bool:
    """Whether the conversation was about the document just before: its last question asked about it, by
    name or by "it" after questions that did."""
    for question in reversed(earlier):
        if asked_field(question) is not None:
            return True
        if not any(pattern.search(question) for pattern in _ABOUT_IT.values()):
            return False
    return False


def answer_from_metadata(field: str, question: str, passages: list[Passage], corpus: Corpus, *, asked_first: bool = False) -> Answer | None:
    """The field's value for the document the question is about, or None when it is not known, or when
    the question names another work than a stored document ("When was the IPCC Fourth Assessment Report
    published?" asks about a report an article cites: the text may answer it, the header cannot). Only a
    name says so: "When was the news article published?" describes the document in words of its own.
    ``asked_first``: no turn before says which document a question naming none means; among several
    (of the format it names, if any: "the PDF" is the one PDF), which one is asked back."""
    stored = documents = corpus.documents()  # every manifest, read from the store once
    naming = set(stem_terms(question)) - _ASKING - (_COLLECTION_WORDS if field == "collection" else frozenset())
    if kinds := naming & _KIND_WORDS:  # "the PDF", "the spreadsheet": the documents in that format
        documents = [d for d in documents if kinds <= _kind_words(d)]
        if not documents and field == "collection":  # "What PDFs do you have?": none, and what there is
            overview = _overview(question, stored, corpus)
            none = f"No stored document is a {' or '.join(_suffixes(kinds))} file."
            return replace(overview, text=f"{none} {overview.text}") if overview else None
        if not documents:
            return None  # none is one: another work's ("When was the spreadsheet published?")
        naming -= kinds
    if asked_first and field in _ONE_DOCUMENTS and len(documents) > 1 and not names_a_document(question):
        return _which_document(question, documents, passages, corpus)
    if kinds and not naming:  # "the PDF" alone: every PDF
        named = [d.doc_id for d in documents]
    else:
        acronyms = set(stem_terms(" ".join(_ACRONYM.findall(question))))
        named = _named_documents(naming, acronyms, documents, _abbreviated_names(question))
    if field == "collection":
        return _overview(question, [d for d in documents if d.doc_id in named] if named else documents, corpus)
    if not named and set(stem_terms(" ".join(names_in(question)))) - _ASKING:
        return None
    if field == "summary" and not named and len(documents) > 1:
        return None  # which document? Retrieval for "what is the article about?" finds any of them
    doc = _document_in_question(named, passages, corpus)
    if doc is None:
        return None
    text = corpus.text(doc.doc_id) or ""
    if field == "summary":
        return _opening(question, doc, text, corpus)
    return _author(question, doc, text, corpus) if field == "author" else _from_the_header(field, question, doc, text, corpus)


def _author(question: str, doc: StoredDocument, text: str, corpus: Corpus) -> Answer | None:
    """Who wrote ``doc``: the author its file names, cited to the header, else its byline."""
    return _from_the_header("author", question, doc, text, corpus) if doc.author else _by_the_byline(question, doc, text, corpus)


def _from_the_header(field: str, question: str, doc: StoredDocument, text: str, corpus: Corpus) -> Answer | None:
    """The field's value, cited to the header ingest wrote over the document's text; None when unknown."""
    fields = {"published": doc.published if doc.dated_by == "document" else None, "source": doc.source, "title": doc.title, "author": doc.author}
    value = fields[field]
    if not value:
        return None
    # The header holds title, source, author and date as the file writes them; the date is its last line.
    written = text[: doc.body_start].strip().split("\n")[-1] if field == "published" else value
    start = text.find(written, 0, doc.body_start or len(text))
    if start < 0:
        return None
    cite = citation(1, corpus, Span(doc.doc_id, start, start + len(written), 1.0))
    return Answer(text=f"{_sentence(field, value, doc)} [1]", question=question, citations=[cite], confidence=1.0)


_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
#: Words that ask about a document rather than name it ("When was the BBC article published?" names it by
#: "BBC" only).
_ASKING = frozenset(stem_terms(
    "wrote write written author writer authored penned publish published posted released dated appeared come out first date "
    "day time title headline outlet site website publication newspaper paper media source publisher post piece story report "
    "page file blog essay column summarize summarise summary sum up main topic subject point gist mainly mostly primarily"
))


def _document_in_question(named: list[str], passages: list[Passage], corpus: Corpus) -> StoredDocument | None:
    """The document the question names (``named``: by words of its title, source or author, "the BBC
    article", "the Seattle Times article about halibut"), else the one the best passage is from: a question
    about a document has little else for retrieval to find, and its best passage may be another document's."""
    ranked = [p.doc_id for p in passages if not named or p.doc_id in named]
    if ranked:
        return corpus.document(ranked[0])
    # Named, but none of its passages retrieved: only a single such document is certain.
    return corpus.document(named[0]) if len(named) == 1 else None


def _named_documents(naming: set[str], acronyms: set[str], documents: list[StoredDocument], abbreviated: dict[str, set[str]]) -> list[str]:
    """The documents sharing the most of the question's ``naming`` words (stemmed) with their title,
    source, author and file name, and at least half of them: "the New York Times article" is not the
    Seattle Times'. An ``acronym`` also names a document with a word it begins: "the NYT article" is the
    page from "NYTimes"; and a name the question spells out names a document with a word ``abbreviated``
    maps to its words: "the New York Times article" is that page too (it was refused, naming no stored
    document)."""
    if not naming:
        return []

    def name_words(doc: StoredDocument) -> set[str]:
        words = _name_words(doc)
        return words.union(*(spelled for short, spelled in abbreviated.items() if short in words))

    shared = {d.doc_id: _shared(naming, acronyms, name_words(d)) for d in documents}
    most = max(shared.values(), default=0)
    return [doc_id for doc_id, count in shared.items() if count == most] if most and 2 * most >= len(naming) else []


#: Words naming a document by its format, by the file's suffix (stemmed: "presentation" is "present").
_KINDS = {
    suffix: frozenset(stem_terms(words))
    for suffixes, words in (
        ((".pdf",), "pdf pdfs"),  # the stemmer leaves "pdfs": no vowel before its "s"
        ((".epub",), "epub ebook e-book book"),
        ((".docx", ".odt", ".rtf"), "docx odt rtf"),
        ((".xlsx", ".xlsm", ".ods", ".csv", ".tsv"), "spreadsheet workbook excel xlsx csv"),
        ((".pptx", ".odp"), "presentation slides deck slideshow powerpoint pptx"),
        ((".ipynb",), "notebook jupyter"),
        ((".vtt", ".srt"), "transcript subtitles"),
        ((".eml",), "email e-mail message"),
    )
    for suffix in suffixes
}
_KIND_WORDS = frozenset().union(*_KINDS.values())


def _suffixes(kinds: set[str]) -> list[str]:
    """The file suffixes of the formats ``kinds`` (words naming a format) name: ".pptx", ".odp" for "slides"."""
    return [suffix for suffix, words in _KINDS.items() if kinds <= words]


def _kind_words(doc: StoredDocument) -> frozenset[str]:
    return _KINDS.get(PurePath(doc.path).suffix.lower(), frozenset())


def _name_words(doc: StoredDocument) -> set[str]:
    """What a document is named by: its title, source and author, and its file name ("the tracemonkey
    paper" is tracemonkey.pdf, whose title never says TraceMonkey)."""
    return set(stem_terms(f"{doc.title} {doc.source} {doc.author} {doc.file_name}"))


def _abbreviated_names(question: str) -> dict[str, set[str]]:
    """Each name of two words or more in ``question``, as a site's or a file's name shortens it (stemmed)
    -> the name's words (stemmed): "New York Times" as "nyt" and "nytimes", "Wall Street Journal" as
    "wsj" and "wsjournal"."""
    forms: dict[str, set[str]] = {}
    for name in names_in(question):
        words = re.sub(r"^The\s+", "", name).split()
        if len(words) < 2:
            continue
        initials = "".join(word[0] for word in words).lower()
        for short in (initials, initials[:-1] + words[-1].lower()):
            forms.update(dict.fromkeys(stem_terms(short), set(stem_terms(" ".join(words)))))
    return forms


def _shared(naming: set[str], acronyms: set[str], names: set[str]) -> int:
    return sum(1 for word in naming if word in names or (word in acronyms and any(name.startswith(word) for name in names)))


#: A word of a person's name: capitalised, an initial, or a particle ("Mohammad R. Haghighat", "Ludwig van Beethoven").
_NAME_WORD = r"(?:(?!(?:The|A|An)\b)[A-Z][^\W\d_’'-]*[a-z][^\W\d_’'-]*(?:[’'-][^\W\d_]+)*|[A-Z]\.|van|von|de|da|di|del|der|du|la|le)"
#: The marks a paper's byline puts after a name, to its affiliation and footnotes: "Andreas Gal∗+".
_AFFILIATION_MARKS = "∗*+#$†‡§¶¹²³⁴⁵⁶⁷⁸⁹0123456789"
_PERSON = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}[{_AFFILIATION_MARKS}]*"
#: A byline: "By Jane Doe", a name and an e-mail address ("Christian Heimes <christian@python.org>"), or two
#: names or more separated by commas or "and" ("Andreas Gal∗+, Brendan
#: Eich∗, …, Michael Franz+ Mozilla Corporation∗": the affiliation after the last mark is not a name).
_BYLINE = re.compile(
    rf"(?:By\s+{_PERSON}|{_PERSON}\s+<?[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>?|{_PERSON}(?:\s*,\s*(?:and\s+)?{_PERSON}|\s+and\s+{_PERSON})+)(?=\s|$)"
)
#: Words of an institution, not a person: "Mozilla Corporation", "University of California".
_INSTITUTION = re.compile(r"\b(?:Corporation|Inc|Ltd|University|Institute|Laboratory|Labs?|Department|College|School|Center|Centre|Research|Foundation|Company|Group|Team|Workgroup|Press)\b")
#: How many paragraphs after the title a byline may come (a subtitle, a date line before it).
_BYLINE_PARAGRAPHS = 3


def _by_the_byline(question: str, doc: StoredDocument, text: str, corpus: Corpus) -> Answer | None:
    """For a document whose file names no author, who its byline under the title says wrote it, quoted as
    printed: a paper's PDF often has no /Author, and "Who wrote the TraceMonkey paper?" was refused (0.13)."""
    for paragraph in islice(PARAGRAPH.finditer(text, doc.body_start), _BYLINE_PARAGRAPHS):
        if byline := byline_in(paragraph.group()):
            cite = citation(1, corpus, Span(doc.doc_id, paragraph.start(), paragraph.start() + len(byline), 1.0))
            written = ", ".join(name.rstrip(_AFFILIATION_MARKS) for name in re.findall(_PERSON, byline.removeprefix("By ")))
            return Answer(text=f"{_sentence('author', written, doc)} [1]", question=question, citations=[cite], confidence=1.0)
    return None


def byline_in(paragraph: str) -> str | None:
    """The names ``paragraph`` opens with when it is a byline: the names and at most an affiliation or a
    date after them ("The French and Indian War (1754–1763) was…" opens an article, not a byline)."""
    byline = _BYLINE.match(paragraph)
    rest = paragraph[byline.end() :].strip() if byline else ""
    if byline and not _INSTITUTION.search(byline.group()) and (not rest or _INSTITUTION.search(rest) or _DATE_LINE.fullmatch(rest)):
        return byline.group()
    return None


#: A date after a title block's names: "2020/11/24", "November 30, 2022".
_DATE_LINE = re.compile(r"(?=.*\b(?:1[5-9]|20)\d\d\b)\S+(?:\s+\S+){0,4}")


#: "the colorama package", "the Rich library": a name, for what it names.
_THE_PACKAGE = re.compile(
    r"^(?P<asking>\s*(?:what\s*(?:['’]s|is|are|does|do)|who\s+(?:wrote|authored|created|made))\s+)the\s+(?P<name>\S+)\s+"
    r"(?:package|library|module|tool|project|framework|crate)\b",
    re.IGNORECASE,
)
#: "Who wrote defusedxml?": its author, when it names a document.
_WHO_WROTE = re.compile(r"^\s*who\s+(?:wrote|authored|created|made)\s+(?P<subject>[^?]{1,60}?)\s*\??\s*$", re.IGNORECASE)
#: "What is the Debian Reference about?": a document named by its title, the article as titles take it.
_WHAT_IS_IT_ABOUT = re.compile(r"^\s*what(?:['’]s|\s+is|\s+are|\s+was)\s+(?:the\s+)?(?P<subject>[^?]{1,60}?)\s+(?:all\s+)?about\s*\??\s*$", re.IGNORECASE)
#: A document's name is a name: "What is a courlan?" asks about the bird the package is named after.
_WITH_AN_ARTICLE = re.compile(r"^\s*what\s*(?:['’]s|is|are|was|were|does|do)\s+(?:the|an?)\s", re.IGNORECASE)


def answer_about_a_named_document(question: str, passages: list[Passage], corpus: Corpus) -> Answer | None:
    """Questions about the one document titled (or named) as the question names it, as about the document
    itself. "What is the Debian Reference about?": its opening. "What is Narwhals?", "What does Colorama
    do?": when no sentence of ``passages`` defines it, that
    document's opening, which a README spends on just that ("Makes ANSI escape character sequences … work
    under MS Windows."; the reader had answered "pip install narwhals" (0.76) and "On other platforms,
    Colorama does nothing." (0.72)). "Who wrote defusedxml?": its author or byline ("Christian Heimes
    <christian@python.org>" under the title). None for any other question."""
    if about := _WHAT_IS_IT_ABOUT.match(question):  # "What is the Debian Reference about?"
        doc = _the_document_named(about.group("subject"), passages, corpus)
        return _opening(question, doc, corpus.text(doc.doc_id) or "", corpus) if doc else None
    question = _THE_PACKAGE.sub(r"\g<asking>\g<name>", question)  # "What does the colorama package do?"
    wrote = _WHO_WROTE.match(question)
    subject = wrote.group("subject") if wrote else what_it_does(question) or defined_subject(question)
    if not subject or _WITH_AN_ARTICLE.match(question):  # "What is a courlan?" asks about the bird
        return None
    doc = _the_document_named(subject, passages, corpus)
    if doc is None:
        return None
    text = corpus.text(doc.doc_id) or ""
    if wrote:
        return _author(question, doc, text, corpus)
    if defined_in(((p.text, p.title) for p in passages), subject):
        return None
    return _opening(question, doc, text, corpus)


def _the_document_named(name: str, passages: list[Passage], corpus: Corpus) -> StoredDocument | None:
    """The one document of ``passages`` whose title or file name is ``name``, in any case, a kind after it or
    not ("the pytz README" is pytz.rst). Among the retrieved, whose records are cached: reading every
    manifest took 10 ms an answer over 113 documents, and a question naming a document retrieves it."""
    names = {name.casefold(), _KIND_AFTER.sub("", name).casefold()}
    documents = filter(None, map(corpus.document, dict.fromkeys(p.doc_id for p in passages)))
    named = [d for d in documents if names & {d.title.casefold(), d.file_name.casefold()}]
    return named[0] if len(named) == 1 else None


_KIND_AFTER = re.compile(r"\s+(?:readme|manual|guide|documentation|docs|spec|specification|book|paper|post|article|page|file)$", re.IGNORECASE)


#: Sentences of the opening quoted for what a document is about, and the fewest words one must have
#: (not "Yes." or "See below."; npm's "This command removes "extraneous" packages." has five).
_OPENING_SENTENCES = 2
_OPENING_MIN_WORDS = 5
#: How a sentence of prose ends: not a heading ("Terror as a tool of Russian “diplomacy”"), a paper's
#: byline ("Andreas Gal∗+, Brendan Eich∗, … Mozilla Corporation∗"), a page's date line, a list introduced
#: by a colon, nor a question (a contents list's "- Who can nominate Collaborators?").
_PROSE_END = re.compile(r"[.!…][\"'”’)\]]*$")


def _opening(question: str, doc: StoredDocument, text: str, corpus: Corpus) -> Answer | None:
    """What the document is about, in its own words: its first two sentences of some length. A news
    article's lead says it ("These tactics are driving closer ties between nations targeted by the
    Kremlin's imperial ambitions, says … Kovalenko…"), an encyclopedia page's definition does ("Mozilla is
    a free-software community…"); a summary written here would not be a quote a user can find."""
    spans = _opening_spans(doc, text, _OPENING_SENTENCES)
    if not spans:
        return None
    answer = compose(question, merge_adjacent(spans, {doc.doc_id: text}), corpus)
    return replace(answer, text=f"“{doc.title}” opens: {answer.text}", confidence=1.0)


def _opening_spans(doc: StoredDocument, text: str, count: int) -> list[Span]:
    """The first ``count`` sentences of prose in the document's body (not its headings, list items, byline)."""
    headings = {doc.title, *(heading for _, heading in doc.sections)}  # "What went wrong and how was it fixed?"
    prose = (
        s for s in sentences_from(text, doc.body_start)
        if len(s.text.split()) >= _OPENING_MIN_WORDS and _PROSE_END.search(s.text.strip()) and s.text.strip() not in headings
        and not LIST_ITEM.match(s.text)
    )  # fmt: skip
    return [sentence_span(doc.doc_id, s, 1.0) for s in islice(prose, count)]


#: Words that ask about the stored documents as a whole, not name some of them ("What documents do you have?").
_COLLECTION_WORDS = frozenset(stem_terms(
    "document documents file files text texts source sources article articles paper papers page pages collection set folder library "
    "corpus knowledge base store stored ingested indexed loaded uploaded added read available topics subjects cover contain hold say "
    "discuss overview list describe tell many know ask news"
))
#: How many documents an overview quotes the opening of; the rest are counted. Each opening is read from its
#: document's stored text: eight took 7–19 ms.
_OVERVIEW_DOCUMENTS = 12


def _overview(question: str, documents: list[StoredDocument], corpus: Corpus) -> Answer | None:
    """The stored documents (``documents``: all, or those the question names), one line each: its title
    and its opening sentence, quoted. One document is answered as "What is it about?" is."""
    if len(documents) == 1:
        [doc] = documents
        return _opening(question, doc, corpus.text(doc.doc_id) or "", corpus)
    if not documents:
        return None
    quoted = [(doc.doc_id, _first_span(doc, corpus.text(doc.doc_id) or "")) for doc in documents[:_OVERVIEW_DOCUMENTS]]
    counted = [(doc.doc_id, None) for doc in documents[_OVERVIEW_DOCUMENTS:]]  # texts not read: only counted
    lines, citations = document_list(quoted + counted, corpus, _OVERVIEW_DOCUMENTS)
    heading = f"{len(documents)} documents, each with its opening:"
    return Answer(text="\n".join([heading, *lines]), question=question, citations=citations, confidence=1.0)


def _first_span(doc: StoredDocument, text: str) -> Span | None:
    """What an overview quotes of ``doc``: its first sentence of prose, else its title as the header over
    its text writes it (a spreadsheet, a deck of headings opens with no prose), else nothing."""
    if opening := _opening_spans(doc, text, 1):
        return opening[0]
    return _title_span(doc, text)


def _title_span(doc: StoredDocument, text: str) -> Span | None:
    """The title as the header over the document's ``text`` writes it, if it has one."""
    start = text.find(doc.title, 0, doc.body_start)
    return Span(doc.doc_id, start, start + len(doc.title), 1.0) if doc.title and start >= 0 else None


def _sentence(field: str, value: str, doc: StoredDocument) -> str:
    sent = PurePath(doc.path).suffix.lower() == ".eml"  # a message is sent, not published
    if field == "published":
        return f"“{doc.title}” was {'sent' if sent else 'published'} on {_readable_date(value)}."
    if field == "source":
        return f"“{doc.title}” was {'sent' if sent else 'published'} by {value}."
    if field == "author":
        return f"“{doc.title}” was {'sent' if sent else 'written'} by {value}."
    return f"The document is titled “{value}”."


def _readable_date(iso: str) -> str:
    return in_words(iso) or iso
