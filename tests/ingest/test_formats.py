"""Office, OpenDocument, EPUB, e-mail, web archives and scanned PDFs: read with their structure, answered
like the same text in a .txt file, cited to the slide, page, chapter or attachment, and refused by name
when damaged, locked or unreadable."""

from __future__ import annotations

import difflib
import email.message
import email.mime.image
import email.mime.text
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pptx
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from assistant import Assistant, Answer
from assistant._answering.questions import profile
from assistant.settings import Settings
from ingest.loaders import LoadedDocument, load_document
from ingest.pipeline import ingest
from tests.conftest import MIXED_CORPUS, SEED_FILE, SQUAD_CORPUS, make_settings
from tests.ingest.conftest import CliRunner, written_headings
from tests.ingest.office_files import (
    lock_epub,
    lock_odt,
    write_asciidoc,
    write_docx,
    write_eml,
    write_epub,
    write_latex,
    write_mhtml,
    write_mixed_pdf,
    write_notebook,
    write_odp,
    write_ods,
    write_odt,
    write_org,
    write_pptx,
    write_rst,
    write_rtf,
    write_scanned_pdf,
    write_scanned_text,
    write_vtt,
    write_webarchive,
    write_xlsx,
)
from tests.ingest.store_checks import assert_consistent, write_article
from tests.test_offline import offline_command

ARTICLE = SQUAD_CORPUS / "03_Sky_United_Kingdom.txt"
QUESTIONS = (
    "When was BSkyB formed?",
    "Which Irish broadcaster was awarded Premier League rights?",
    "Who deemed the exclusivity of the rights to be against the interests of competition?",
    "How many Premier League packages did Setanta Sports get?",
)
#: A PGP/MIME message (RFC 3156) as a mail client saves it: the body is ciphertext.
PGP_MESSAGE = b"""From: Jane Roe <jane.roe@example.org>
To: team@example.org
Subject: Plans
MIME-Version: 1.0
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="sealed"

--sealed
Content-Type: application/pgp-encrypted

Version: 1

--sealed
Content-Type: application/octet-stream; name="encrypted.asc"

-----BEGIN PGP MESSAGE-----
hQEMA5bCJfC3vuHVAQf/ZmFrZSBjaXBoZXJ0ZXh0
-----END PGP MESSAGE-----

--sealed--
"""
#: A PGP/MIME signed message (RFC 3156): readable, with its signature as a second part.
PGP_SIGNED = b"""From: Jane Roe <jane.roe@example.org>
Subject: Harbour
MIME-Version: 1.0
Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary="signed"

--signed
Content-Type: text/plain; charset=utf-8

The harbour reopens on Monday.

--signed
Content-Type: application/pgp-signature; name="signature.asc"
Content-Disposition: attachment; filename="signature.asc"

-----BEGIN PGP SIGNATURE-----
iQEzBAEBCAAdFiEEZmFrZSBzaWduYXR1cmU=
-----END PGP SIGNATURE-----
--signed--
"""
HARBOUR_NOTICE = [
    "Harbour Authority Annual Notice",
    "",
    "The harbour closed for repairs on 3 May 2021.",
    "Ferries resumed service after nineteen days,",
    "according to the port director.",
]


def load(path: Path) -> LoadedDocument:
    return load_document(path, path.read_bytes())


def article_paragraphs() -> tuple[str, list[str]]:
    title, *paragraphs = ARTICLE.read_text(encoding="utf-8").split("\n\n")
    return title, [p.strip() for p in paragraphs[:4]]


def answers(folder: Path, data_dir: Path) -> list[Answer]:
    settings = make_settings(data_dir)
    report = ingest(folder, settings)
    assert not report.failed, report.failed
    assistant = Assistant(settings)
    return [assistant.ask(question) for question in QUESTIONS]


def quotes(replies: list[Answer]) -> list[str | None]:
    return [None if reply.abstained else reply.citations[0].quote for reply in replies]


def same_start(quote: str | None, other: str | None) -> bool:
    """Both refused, or one quote begins the other (the same sentence, perhaps with the next one joined)."""
    if quote is None or other is None:
        return quote is other
    return quote.startswith(other) or other.startswith(quote)


def similar_start(ocr: str, text: str) -> bool:
    """``same_start`` for OCR, which reads the same letters but not always exactly ("£1.3bn" as "f1.3bn")."""
    squeeze = lambda s: "".join(c for c in s.casefold() if c.isalnum())  # noqa: E731
    ocr, text = squeeze(ocr), squeeze(text)
    length = min(len(ocr), len(text))
    return difflib.SequenceMatcher(None, ocr[:length], text[:length]).ratio() > 0.9


def test_the_same_text_answers_the_same_from_every_format(tmp_path: Path) -> None:
    title, paragraphs = article_paragraphs()
    kinds = ("txt", "rst", "tex", "org", "adoc", "ipynb", "docx", "odt", "rtf", "pptx", "odp", "epub", "eml", "mhtml", "scan")
    folders = {kind: tmp_path / kind for kind in kinds}
    for folder in folders.values():
        folder.mkdir()
    write_article(folders["txt"], "sky.txt", ARTICLE, paragraphs=4)
    write_rst(folders["rst"] / "sky.rst", title, [("History", paragraphs[:2]), ("Sport", paragraphs[2:])])
    write_latex(folders["tex"] / "sky.tex", title, [("History", paragraphs[:2]), ("Sport", paragraphs[2:])])
    write_org(folders["org"] / "sky.org", title, [("History", paragraphs[:2]), ("Sport", paragraphs[2:])])
    write_asciidoc(folders["adoc"] / "sky.adoc", title, [("History", paragraphs[:2]), ("Sport", paragraphs[2:])])
    write_docx(folders["docx"] / "sky.docx", title, [("History", paragraphs[:2]), ("Sport", paragraphs[2:])])
    write_odt(folders["odt"] / "sky.odt", title, [("History", paragraphs[:2]), ("Sport", paragraphs[2:])])
    write_rtf(folders["rtf"] / "sky.rtf", title, paragraphs)
    write_pptx(folders["pptx"] / "sky.pptx", title, [(f"{title} ({n})", p, "") for n, p in enumerate(paragraphs, 1)])
    write_odp(folders["odp"] / "sky.odp", title, [(f"{title} ({n})", p, "") for n, p in enumerate(paragraphs, 1)])
    write_notebook(folders["ipynb"] / "sky.ipynb", title, paragraphs)
    write_eml(folders["eml"] / "sky.eml", title, paragraphs)
    write_mhtml(folders["mhtml"] / "sky.mhtml", "https://en.wikipedia.org/wiki/Sky_UK", title, paragraphs)
    write_epub(folders["epub"] / "sky.epub", title, "Wikipedia", [("History", paragraphs[:2]), ("Sport", paragraphs[2:])])
    write_scanned_text(folders["scan"] / "sky.pdf", [title, *paragraphs])

    replies = {kind: answers(folder, tmp_path / f"store-{kind}") for kind, folder in folders.items()}

    expected = quotes(replies["txt"])
    assert sum(quote is not None for quote in expected) >= 3, expected
    for kind in ("rst", "tex", "org", "adoc", "ipynb", "docx", "odt", "rtf", "pptx", "odp", "epub", "eml", "mhtml"):
        # The same answer sentence; the reader also reads the title and neighbours, which each format
        # gives a little differently, so whether the next sentence joins it may differ. A message keeps
        # the line breaks it was written with.
        for quote, wanted in zip(quotes(replies[kind]), expected):
            assert same_start(quote and " ".join(quote.split()), wanted), (kind, quote, wanted)
    for scanned, quote in zip(quotes(replies["scan"]), expected):
        assert (scanned is None) == (quote is None) and (quote is None or similar_start(scanned, quote)), (scanned, quote)
    for reply in replies["pptx"] + replies["odp"]:
        for citation in reply.citations:
            assert citation.slide == 1 + next(n for n, p in enumerate(paragraphs) if citation.quote in p)
            assert citation.location == f"slide {citation.slide}" and citation.page is None
    for kind in ("rst", "tex", "org", "adoc", "docx", "odt", "epub"):
        for reply in replies[kind]:
            for citation in reply.citations:
                holder = next(n for n, p in enumerate(paragraphs) if citation.quote in p)
                assert citation.section == ("History" if holder < 2 else "Sport"), (kind, citation.quote)


PAPER = r"""\documentclass{article}
\usepackage{amsmath}
% Submitted to PLDI; do not distribute.
\title{Trace-based \emph{Just-in-Time} Type Specialization}
\author{Andreas Gal\thanks{Mozilla}\\ UC Irvine \and Brendan Eich}
\begin{document}
\maketitle
\begin{abstract}
Dynamic languages such as JavaScript are more difficult to compile~\cite{chang09}. We
measure a speedup of $2\times$ on SunSpider.
\end{abstract}
\section{Introduction}\label{sec:intro}
TraceMonkey records \textbf{hot loops} as traces (see Section~\ref{sec:results}).
It was written by Andr\'e and runs 50\% faster with \texttt{-j}.
\begin{itemize}
  \item Type-stable loops are compiled.
  \item Nested loops form trace trees.
\end{itemize}
\begin{description}
  \item[Trace] A linear code path.
\end{description}
\subsection*{Results}\label{sec:results}
\begin{table}[h]\centering
\begin{tabular}{lr}\toprule
Benchmark & Speedup \\ \midrule
crypto & 22.5 \\
3d-cube & 3.1 \\ \bottomrule
\end{tabular}
\caption{Speedups over the interpreter.}
\end{table}
\begin{thebibliography}{9}
\bibitem{chang09} M. Chang. Tracing for web 3.0. 2009.
\end{thebibliography}
\end{document}
"""


def test_latex_is_read_as_its_typeset_text(tmp_path: Path) -> None:
    path = tmp_path / "tracemonkey.tex"
    path.write_text(PAPER, encoding="utf-8")
    doc = load(path)

    assert doc.title == "Trace-based Just-in-Time Type Specialization"
    assert doc.author == "Andreas Gal, Brendan Eich"  # the affiliation after the line break is not a name
    assert [heading for _, heading in doc.sections] == ["Abstract", "Introduction", "Results"]
    assert doc.text == (
        "Abstract\n\n"
        "Dynamic languages such as JavaScript are more difficult to compile. We measure a speedup of 2× on SunSpider.\n\n"
        "Introduction\n\n"
        "TraceMonkey records hot loops as traces (see Section). It was written by André and runs 50% faster with -j.\n\n"
        "- Type-stable loops are compiled.\n- Nested loops form trace trees.\n\n"
        "- Trace: A linear code path.\n\n"
        "Results\n\n"
        "Benchmark | Speedup\ncrypto | 22.5\n3d-cube | 3.1\n\n"
        "Speedups over the interpreter."
    )


def test_broken_latex_is_read_as_far_as_it_goes(tmp_path: Path) -> None:
    path = tmp_path / "draft.tex"
    path.write_text("\\section{Plan\nThe depot reopens in \\textbf{May.\n\n\\begin{itemize}\\item Fuel first.\n", encoding="utf-8")
    doc = load(path)
    assert "The depot reopens in May." in doc.text and "Fuel first." in doc.text and "\\" not in doc.text


ORG_NOTES = r"""#+TITLE: Harbour /operations/ notes
#+AUTHOR: Ann Roe
#+DATE: <2025-03-01 Sat>
#+STARTUP: overview
# a comment line

Notes kept by the harbour office, wrapped
over two lines with *bold* and =code= and [[https://example.org/tides][the tide tables]].

* TODO [#A] Call the harbour master                                   :work:phone:
  SCHEDULED: <2025-03-03 Mon>
  :PROPERTIES:
  :CUSTOM_ID: call
  :END:
  Ask whether the ferry leaves at noon.
  Shopping:
  - [ ] fuel for
    the tender
  - [X] rope
  1. first
  2. second
** Tides
| Day | High water |
|-----+------------|
| Mon | 06:12      |
#+BEGIN_SRC python
print("high water")
#+END_SRC
#+begin_comment
secret
#+end_comment
#+begin_quote
The sea is calm.
#+end_quote
"""


def test_org_notes_are_read_as_their_text(tmp_path: Path) -> None:
    path = tmp_path / "harbour.org"
    path.write_text(ORG_NOTES, encoding="utf-8")
    doc = load(path)

    assert (doc.title, doc.author, doc.published) == ("Harbour operations notes", "Ann Roe", "2025-03-01")
    assert [heading for _, heading in doc.sections] == ["Call the harbour master", "Tides"]  # no TODO, priority, tags
    assert doc.text == (
        "Notes kept by the harbour office, wrapped over two lines with bold and code and the tide tables.\n\n"
        "Call the harbour master\n\n"
        "Ask whether the ferry leaves at noon. Shopping:\n- fuel for the tender\n- rope\n1. first\n2. second\n\n"
        "Tides\n\n"
        "Day | High water\nMon | 06:12\n\n"
        'print("high water")\n\n'
        "The sea is calm."
    )  # no drawer, planning line, comment, keyword or comment block


ASCIIDOC_GUIDE = r"""// a comment before the title
= Harbour _Operations_ Guide
Ann Roe <ann@example.org>
:revdate: 2025-03-01
:toc: left
:icons: font

The harbour office keeps these notes, wrapped
over two lines, with *bold*, `code` and https://example.org/tides[the tide tables].

== Ferries

[NOTE]
The ferry leaves at noon.

NOTE: Tickets are sold on board.

.Checklist
* fuel for
  the tender
* rope
. first
. second

Tender:: a small boat
Ferry:: the big one

[source,python]
----
print("high water")
----

////
secret comment block
////

=== Tides

|===
| Day | High water
| Mon | 06:12
|===

include::other.adoc[]

See <<ferries,the ferry section>> and std::vector for code. Deploy `+*.war+` files.
"""


def test_asciidoc_is_read_as_its_text(tmp_path: Path) -> None:
    path = tmp_path / "guide.adoc"
    path.write_text(ASCIIDOC_GUIDE, encoding="utf-8")
    doc = load(path)

    assert (doc.title, doc.author, doc.published) == ("Harbour Operations Guide", "Ann Roe", "2025-03-01")
    assert [heading for _, heading in doc.sections] == ["Ferries", "Tides"]
    assert doc.text == (
        "The harbour office keeps these notes, wrapped over two lines, with bold, code and the tide tables.\n\n"
        "Ferries\n\n"
        "The ferry leaves at noon.\n\n"
        "NOTE: Tickets are sold on board.\n\n"
        "Checklist\n- fuel for the tender\n- rope\n- first\n- second\n\n"
        "Tender: a small boat\nFerry: the big one\n\n"
        'print("high water")\n\n'
        "Tides\n\n"
        "Day | High water\nMon | 06:12\n\n"
        "See the ferry section and std::vector for code. Deploy *.war files."
    )  # no attribute, block attribute, comment, comment block or include directive


def test_word_document_keeps_headings_tables_and_properties(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "depot.docx",
        "Depot report",
        [("Background", ["The depot near Izmail was hit by drones on Monday."]), ("Response", ["Repairs began at once."])],
        table=[["Site", "Damage"], ["Izmail", "Fuel tanks"]],
    )
    doc = load(path)

    assert (doc.title, doc.source, doc.published) == ("Depot report", "Jane Roe", "2024-05-17T09:30:00+00:00")
    assert doc.author == "Jane Roe"
    assert doc.text == (
        "Background\n\nThe depot near Izmail was hit by drones on Monday.\n\nResponse\n\nRepairs began at once."
        "\n\nSite | Damage\nIzmail | Fuel tanks"
    )
    assert written_headings(doc) == ["Background", "Response"]


def test_word_headings_of_every_level_head_their_sections(tmp_path: Path) -> None:
    # A handbook's chapters are level 1, its topics level 2: a level-2 heading left as a paragraph was a
    # candidate answer ("Annual leave"), and the sentences under it were read without it.
    document = docx.Document()
    document.add_heading("Employee handbook", level=0)
    document.add_heading("Time off", level=1)
    document.add_heading("Annual leave", level=2)
    document.add_paragraph("Everyone gets 25 days a year, plus public holidays.")
    document.add_heading("Sick leave", level=2)
    document.add_paragraph("Tell your manager before 10 am on the first day.")
    document.save(tmp_path / "handbook.docx")
    doc = load(tmp_path / "handbook.docx")

    assert written_headings(doc) == ["Employee handbook", "Time off", "Annual leave", "Sick leave"]


def test_opendocument_text_keeps_headings_lists_tables_and_meta(tmp_path: Path) -> None:
    path = write_odt(
        tmp_path / "depot.odt",
        "Depot report",
        [("Background", ["The depot near Izmail was hit by drones on Monday."]), ("Response", ["Repairs began at once."])],
        items=["Fuel tanks", "Pumps"],
        table=[["Site", "Damage"], ["Izmail", "Fuel tanks"]],
    )
    doc = load(path)

    assert (doc.title, doc.author, doc.published) == ("Depot report", "Jane Roe", "2024-05-17")
    assert doc.text == (
        "Background\n\nThe depot near Izmail was hit by drones on Monday.\n\nResponse\n\nRepairs began at once."
        "\n\n- Fuel tanks\n- Pumps\n\nSite | Damage\nIzmail | Fuel tanks"
    )
    assert [name for _, name in doc.sections] == ["Background", "Response"]


def test_rtf_keeps_its_paragraphs_characters_and_info(tmp_path: Path) -> None:
    path = write_rtf(tmp_path / "cafe.rtf", "Café notes", ["The café opened in 1901 — “everyone came”.", "Its {menu} was short."])
    doc = load(path)

    assert (doc.title, doc.author, doc.published) == ("Café notes", "Jane Roe", "2024-05-17")
    assert doc.text == "The café opened in 1901 — “everyone came”.\n\nIts {menu} was short."


@pytest.mark.parametrize("write", [write_pptx, write_odp])
def test_deck_has_one_part_per_slide_with_its_notes(tmp_path: Path, write: Callable[..., Path]) -> None:
    """PowerPoint and OpenDocument slides alike; write_odp puts each slide's title frame after its body
    in the file, but above it on the slide, which is the order read."""
    path = write(
        tmp_path / f"board.{write.__name__.removeprefix('write_')}",
        "Board deck",
        [("Results", "Revenue grew 12 percent.", "Mention the new depot."), ("Risks", "Drone strikes.", "")],
    )
    doc = load(path)

    assert doc.title == "Board deck" and doc.part_kind == "slide"
    assert doc.text == "Results\n\nRevenue grew 12 percent.\n\nMention the new depot.\n\nRisks\n\nDrone strikes."
    assert [doc.text[start:].split("\n")[0] for start in doc.part_starts] == ["Results", "Risks"]
    # Each title heads its slide, as a heading its section: not itself an answer ("What is planned for next
    # quarter?" was answered "Next quarter"), it is what its first line is read under.
    assert doc.sections == ((0, "Results"), (doc.text.index("Risks"), "Risks"))


def test_a_slides_title_is_no_answer_but_what_its_lines_are_read_under(tmp_path: Path) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    write_pptx(folder / "review.pptx", "Q3 review", [
        ("Q3 at a glance", "Revenue grew 12% to $4.1 million.\nChurn fell to 2.1% a month.", "Open with the numbers."),
        ("Hiring", "Eleven engineers joined this quarter.\nRecruiting fees were cut by a third.", ""),
        ("Next quarter", "Launch the mobile app in November.\nMove billing to the new provider.", "Ask for questions."),
    ])  # fmt: skip
    settings = make_settings(tmp_path / "store", answer_threshold=0.0)
    assert not ingest(folder, settings).failed

    answer = Assistant(settings).ask("What is planned for next quarter?")

    assert answer.citations and all(c.quote != "Next quarter" for c in answer.citations), answer.text
    assert "Launch the mobile app in November." in answer.citations[0].quote


@pytest.mark.parametrize("write", [write_pptx, write_odp])
def test_slide_footers_and_numbers_are_not_slide_text(tmp_path: Path, write: Callable[..., Path]) -> None:
    path = write(
        tmp_path / f"board.{write.__name__.removeprefix('write_')}",
        "Board deck",
        [("Results", "Revenue grew 12 percent.", ""), ("Risks", "Drone strikes.", "")],
        footer="Acme Shipping · Confidential",
    )
    doc = load(path)

    assert doc.text == "Results\n\nRevenue grew 12 percent.\n\nRisks\n\nDrone strikes."


ROUTES = [
    ["Harbour ferry routes, summer 2024"],
    ["Route", "Vessel", "Daily departures", "Occupancy"],
    ["Gdansk–Ystad", "Baltic Star", (6, "6"), (0.85, "85%")],
    ["Tallinn–Helsinki", "Nordic Wave", (12, "12"), (0.92, "92%")],
]
BUDGET = [["Item", "Cost (EUR)"], ["Dredging", (2400000, "2,400,000")], ["Crane repairs", (310000, "310,000")]]


@pytest.mark.parametrize("write", [write_xlsx, write_ods])
def test_a_workbook_is_a_section_per_sheet_each_row_under_its_header(tmp_path: Path, write: Callable[..., Path]) -> None:
    path = write(tmp_path / f"harbour.{write.__name__.removeprefix('write_')}", "Harbour plan", [("Routes", ROUTES), ("Budget", BUDGET)])
    doc = load(path)

    assert (doc.title, doc.author, doc.published) == ("Harbour plan", "Jane Roe", "2024-05-17")
    assert doc.text == (
        "Harbour ferry routes, summer 2024\n\n"
        "Route: Gdansk–Ystad | Vessel: Baltic Star | Daily departures: 6 | Occupancy: 85%\n"
        "Route: Tallinn–Helsinki | Vessel: Nordic Wave | Daily departures: 12 | Occupancy: 92%\n\n"
        "Item: Dredging | Cost (EUR): 2,400,000\nItem: Crane repairs | Cost (EUR): 310,000"
    )
    assert [(doc.text[start:].split("\n")[0], name) for start, name in doc.sections] == [
        ("Harbour ferry routes, summer 2024", "Routes"),
        ("Item: Dredging | Cost (EUR): 2,400,000", "Budget"),
    ]


def test_a_csv_file_is_read_in_its_own_dialect_and_a_table_without_a_header_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "routes.csv").write_bytes("Route;Vessel;Occupancy\nGdansk–Ystad;Baltic Star;85%\n".encode("cp1252"))
    (tmp_path / "log.tsv").write_text("2024-05-01\tBaltic Star\t6\n2024-05-02\tNordic Wave\t12\n")

    routes, log = load(tmp_path / "routes.csv"), load(tmp_path / "log.tsv")

    assert routes.title == "routes" and routes.warnings == ("not valid UTF-8; decoded as cp1252",)
    assert routes.text == "Route: Gdansk–Ystad | Vessel: Baltic Star | Occupancy: 85%"
    assert log.text == "2024-05-01 | Baltic Star | 6\n2024-05-02 | Nordic Wave | 12"


def test_an_answer_from_a_workbook_quotes_the_row_and_names_its_sheet(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    write_xlsx(folder / "harbour.xlsx", "Harbour plan", [("Routes", ROUTES), ("Budget", BUDGET)])
    settings = make_settings(tmp_path / "store")
    assert not ingest(folder, settings).failed
    assistant = Assistant(settings)

    vessel = assistant.ask("Which vessel serves the Tallinn–Helsinki route?")
    cost = assistant.ask("How much did the crane repairs cost?")

    # One row, not the row under it too: a row is a whole record.
    assert [(c.quote, c.location) for c in vessel.citations] == [
        ("Route: Tallinn–Helsinki | Vessel: Nordic Wave | Daily departures: 12 | Occupancy: 92%", "Routes")
    ]
    assert [(c.quote, c.location) for c in cost.citations] == [("Item: Crane repairs | Cost (EUR): 310,000", "Budget")]


def test_an_email_is_its_message_from_its_sender_dated_as_its_header_writes_it(tmp_path: Path) -> None:
    path = write_eml(
        tmp_path / "depot.eml",
        "Depot – update",
        ["The depot near Izmail was hit by drones on Monday. Repairs began at once, the café next door stayed open."],
        quoted=["Is the depot safe? We heard about the drones."],
    )
    doc = load(path)

    assert (doc.title, doc.author, doc.source) == ("Depot – update", "Jane Roe", "Jane Roe")
    assert (doc.published, doc.published_as_written) == ("2024-05-17T09:30:00+02:00", "Fri, 17 May 2024 09:30:00 +0200")
    # the body as written, wrapped lines and all; the reply's quote marks and the signature left out
    assert doc.text == (
        "The depot near Izmail was hit by drones on Monday. Repairs began at\nonce, the café next door stayed open."
        "\n\nIs the depot safe? We heard about the drones."
    )
    assert doc.warnings == ()
    html_only = load(write_eml(tmp_path / "news.eml", "News", ["Ferries resumed after nineteen days."], as_html=True))
    assert (html_only.text, html_only.warnings) == ("Ferries resumed after nineteen days.", ())  # its logo is no attachment


def test_an_email_s_attachments_and_forwarded_messages_are_read_under_their_names(tmp_path: Path) -> None:
    report = write_docx(tmp_path / "report.docx", "Depot report", [("Damage", ["Two fuel tanks burned for nine hours."])])
    photos = tmp_path / "photos.zip"
    photos.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    broken = tmp_path / "old.pdf"
    broken.write_bytes(b"%PDF-1.4 cut short")
    earlier = write_eml(tmp_path / "earlier.eml", "Ferry times", ["Ferries leave at seven and nine."])
    doc = load(write_eml(tmp_path / "depot.eml", "Depot", ["The report is attached."], attachments=[report, photos, broken, earlier]))

    assert doc.text == (
        "The report is attached.\n\nreport.docx\n\nDamage\n\nTwo fuel tanks burned for nine hours."
        "\n\nFerry times.eml\n\nFerries leave at seven and nine."
    )
    assert doc.sections == ((doc.text.index("report.docx"), "report.docx"), (doc.text.index("Ferry times.eml"), "Ferry times.eml"))
    assert doc.warnings[0].startswith("attachment old.pdf not read: malformed PDF")
    assert doc.warnings[1:] == ("attachments not read: photos.zip (not a format read here)",)


def test_an_email_s_text_after_a_picture_is_part_of_its_body(tmp_path: Path) -> None:
    # As Apple Mail sends a picture placed inside the text: text, the picture, more text, each a part of
    # its own with no file name; the text after the picture used to be reported as an unread attachment.
    message = email.message.EmailMessage()
    message["From"], message["To"], message["Subject"] = "Jane Roe <jane.roe@example.org>", "team@example.org", "Harbour photos"
    message["Date"] = "Fri, 17 May 2024 09:30:00 +0200"
    message.make_mixed()
    for part in (email.mime.text.MIMEText("Here is the harbour at dawn.", "plain", "utf-8"),
                 email.mime.image.MIMEImage(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "gif"),
                 email.mime.text.MIMEText("The ferry leaves at noon on Friday.", "plain", "iso-8859-1"),
                 email.mime.text.MIMEText("", "plain", "utf-8")):  # an empty part, as some clients add
        message.attach(part)
    path = tmp_path / "photos.eml"
    path.write_bytes(bytes(message))
    doc = load(path)

    assert doc.text == "Here is the harbour at dawn.\n\nThe ferry leaves at noon on Friday."
    assert doc.warnings == ()


def test_a_signed_email_is_read_and_its_signature_is_no_attachment(tmp_path: Path) -> None:
    path = tmp_path / "signed.eml"
    path.write_bytes(PGP_SIGNED)
    doc = load(path)

    assert (doc.text, doc.warnings) == ("The harbour reopens on Monday.", ())


def test_an_email_says_who_sent_it_when_and_what_its_attachment_says(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    report = write_docx(tmp_path / "report.docx", "Depot report", [("Damage", ["Two fuel tanks burned for nine hours after the strike."])])
    message = write_eml(
        folder / "depot.eml", "Depot update", ["The depot near Izmail was hit by drones on Monday.", "Repairs began at once."], attachments=[report]
    )
    settings = make_settings(tmp_path / "store")
    assert not ingest(folder, settings).failed
    assistant = Assistant(settings)

    sender, sent = assistant.ask("Who sent the email?"), assistant.ask("When was the email sent?")
    burned = assistant.ask("How long did the fuel tanks burn?")

    assert sender.text.startswith("“Depot update” was sent by Jane Roe.") and [c.quote for c in sender.citations] == ["Jane Roe"]
    assert sent.text.startswith("“Depot update” was sent on 17 May 2024")
    assert [c.quote for c in sent.citations] == ["Fri, 17 May 2024 09:30:00 +0200"]
    assert "nine hours" in burned.text
    assert (burned.citations[0].path, burned.citations[0].location) == (str(message), "report.docx")


@pytest.mark.parametrize(("write", "suffix"), [(write_mhtml, "mhtml"), (write_webarchive, "webarchive")])
def test_a_web_archive_is_read_as_its_page_named_by_the_site_it_was_saved_from(
    tmp_path: Path, write: Callable[..., Path], suffix: str
) -> None:
    """Chrome's MHTML (the markup declares its charset, the part none) and Safari's archive (the archive
    names the encoding, the markup none), both of a page in windows-1252."""
    path = write(
        tmp_path / f"harbour.{suffix}",
        "https://www.example.org/news/harbour",
        "Harbour reopens",
        [
            "The café by the harbour reopened on 3 May after nineteen days of repairs — “everyone came”, its owner said.",
            "Ferries resumed their timetable the same week, and the port director thanked the crews who worked at night.",
        ],
        charset="windows-1252",
    )
    doc = load(path)

    assert (doc.title, doc.source, doc.warnings) == ("Harbour reopens", "example.org", ())
    # the page's words, rightly decoded; the site's navigation left out
    assert doc.text.startswith("Harbour reopens\n\nThe café by the harbour reopened on 3 May after nineteen days of repairs — “everyone came”")
    assert "Home" not in doc.text


def test_a_notebook_is_its_markdown_and_its_code_with_what_it_printed(tmp_path: Path) -> None:
    log = "".join(f"epoch {n}: loss 0.{99 - n}\n" for n in range(60))
    path = write_notebook(
        tmp_path / "ferries.ipynb",
        "Harbour traffic",
        ["We count the ferries that called in 2024."],
        code=[("print(len(ferries))", "1432\n"), ("train(model)", log)],
    )
    doc = load(path)

    assert (doc.title, doc.author) == ("Harbour traffic", "Ann Analyst")
    assert doc.text.startswith("Harbour traffic\n\nWe count the ferries that called in 2024.\n\nprint(len(ferries))\n\n1432\n\ntrain(model)")
    # a long printout keeps its first 40 lines: the notebook's prose is not drowned in retrieval
    assert "epoch 39: loss 0.60" in doc.text and "epoch 40" not in doc.text


MEETING = [
    (1, "Ann Roe", "Good morning. The harbour reopened on 3 May"),
    (5, "Ann Roe", "after nineteen days of repairs."),
    (62, "Bo Lind", "How much did the repairs cost?"),
    (66, "Ann Roe", "The repairs cost two million euros, paid by the port authority."),
]


def test_a_transcript_is_a_paragraph_per_speaker_s_turn_named_by_when_it_starts(tmp_path: Path) -> None:
    doc = load(write_vtt(tmp_path / "board.vtt", "Harbour board meeting", MEETING))
    srt = tmp_path / "board.srt"
    srt.write_text("1\n00:00:01,000 --> 00:00:04,500\nAnn: Good morning, the harbour\nreopened on 3 May.\n\n2\n00:00:04,500 --> 00:00:07,000\nBo: <i>Great.</i>\n")

    assert doc.title == "Harbour board meeting"  # the header's name; the comment is no cue
    assert doc.text == (
        "Ann Roe: Good morning. The harbour reopened on 3 May after nineteen days of repairs.\n\n"
        "Bo Lind: How much did the repairs cost?\n\nAnn Roe: The repairs cost two million euros, paid by the port authority."
    )
    assert [name for _, name in doc.sections] == ["00:00:01", "00:01:02", "00:01:06"]
    assert load(srt).text == "Ann: Good morning, the harbour reopened on 3 May.\n\nBo: Great."


def test_an_answer_from_a_transcript_says_when_it_was_said(tmp_path: Path) -> None:
    folder = tmp_path / "meetings"
    folder.mkdir()
    write_vtt(folder / "board.vtt", "Harbour board meeting", MEETING)
    settings = make_settings(tmp_path / "store")
    assert not ingest(folder, settings).failed

    assistant = Assistant(settings)
    answer = assistant.ask("How much did the harbour repairs cost?")

    assert "two million euros" in answer.text and answer.citations[0].location == "00:01:06"
    # The times name where turns start but are not written there: no sentence is read under one as its heading.
    question = profile("How much did the harbour repairs cost?")
    assert not any(c.heading for c in assistant._extractive.shortlist(question, assistant.retrieve(question.text)))


def test_epub_chapters_in_spine_order_with_package_metadata(tmp_path: Path) -> None:
    path = write_epub(tmp_path / "book.epub", "A Small Book", "Ann Author", [("The Harbour", ["Ships came in at dawn."]), ("The Storm", ["It lasted three days."])])
    doc = load(path)

    assert (doc.title, doc.source, doc.published) == ("A Small Book", "Ann Author", "2023-10-02")
    assert doc.author == "Ann Author"
    assert doc.text == "The Harbour\n\nShips came in at dawn.\n\nThe Storm\n\nIt lasted three days."
    assert doc.sections == ((0, "The Harbour"), (doc.text.index("The Storm"), "The Storm"))


def test_an_epub_comes_from_its_publisher_when_it_names_one(tmp_path: Path) -> None:
    # "Which site published it?" of a book with a publisher named the author (every file's source is the
    # person it comes from when it names nothing better)
    doc = load(write_epub(tmp_path / "book.epub", "A Small Book", "Ann Author", [("The Harbour", ["Ships came in."])], publisher="Harbour Press"))
    assert (doc.source, doc.author) == ("Harbour Press", "Ann Author")


def test_an_epub_chapters_own_headings_head_their_sections(tmp_path: Path) -> None:
    # Debian Policy's chapters hold numbered sections ("4.9.1. debian/rules and DEB_BUILD_OPTIONS"): left as
    # paragraphs they were candidate answers, and the sentences under them were read without them.
    chapters = [("4. Source packages", ["Every package has a changelog.", "## 4.1. Standards conformance", "Packages state the version they follow."])]
    doc = load(write_epub(tmp_path / "policy.epub", "Policy", "Ann Author", chapters))

    assert doc.sections == ((0, "4. Source packages"), (doc.text.index("4.1. Standards"), "4.1. Standards conformance"))


def test_an_epub_contents_page_in_its_reading_order_is_left_out(tmp_path: Path) -> None:
    # As Sphinx writes a manual (Debian Policy's policy.epub): the first page of the spine is the
    # introduction with the whole table of contents under it, as links to the chapters.
    contents = "<ul>" + "".join(
        f'<li><a href="chapter{n}.xhtml">{n}. {name}</a><ul><li><a href="chapter{n}.xhtml#part">{n}.1. Its rules</a></li></ul></li>'
        for n, name in ((2, "The Harbour"), (3, "The Storm"))
    ) + "</ul>"
    path = write_epub(tmp_path / "manual.epub", "Harbour Manual", "The Board", [
        ("Harbour Manual", [f"This manual describes the harbour.</p>{contents}<p>See also <a href='https://example.org/'>the board's site</a>."]),
        ("The Harbour", ["Ships came in at dawn."]), ("The Storm", ["It lasted three days."]),
    ])
    doc = load(path)

    assert doc.text == (
        "Harbour Manual\n\nThis manual describes the harbour.\n\nSee also the board's site.\n\n"
        "The Harbour\n\nShips came in at dawn.\n\nThe Storm\n\nIt lasted three days."
    )


def test_a_mixed_pdf_keeps_its_text_pages_and_reads_the_scanned_ones(tmp_path: Path) -> None:
    scanned = write_scanned_pdf(tmp_path / "scan.pdf", [HARBOUR_NOTICE])
    mixed = write_mixed_pdf(tmp_path / "mixed.pdf", MIXED_CORPUS / "tracemonkey.pdf", scanned)
    pages: list[tuple[int, int]] = []

    doc = load_document(mixed, mixed.read_bytes(), lambda done, total: pages.append((done, total)))

    text_page = load_document(MIXED_CORPUS / "tracemonkey.pdf", (MIXED_CORPUS / "tracemonkey.pdf").read_bytes())
    assert doc.text.startswith(text_page.text[: text_page.part_starts[1]].rstrip())
    assert "The harbour closed for repairs on 3 May 2021." in doc.text[doc.part_starts[1] :]
    assert doc.warnings == ("1 page read by OCR: 2",)
    assert pages == [(1, 1)]


def test_a_scanned_pdf_is_answered_offline_and_cited_to_its_page(tmp_path: Path) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    write_scanned_pdf(folder / "notice.pdf", [["Harbour Authority"], HARBOUR_NOTICE])
    data_dir = tmp_path / "store"
    cache = Settings().model_cache_dir.parent  # the model export this session already made
    command = [str(Path(sys.executable).parent / "assistant")]  # the installed command
    for argv in ([*command, "ingest", str(folder), "--json"], [*command, "ask", "When did the harbour close for repairs?", "--json"]):
        (scratch := tmp_path / argv[1]).mkdir()  # "ingest", "ask"
        offline, env = offline_command(argv, scratch)
        env.update(ASSISTANT_DATA_DIR=str(data_dir), XDG_CACHE_HOME=str(cache))
        done = subprocess.run(offline, capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert not answer["abstained"], answer
    assert "3 May 2021" in answer["citations"][0]["quote"] and answer["citations"][0]["page"] == 2


def test_damaged_locked_and_unreadable_files_are_named_and_nothing_stored_is_lost(tmp_path: Path, cli: CliRunner) -> None:
    folder = tmp_path / "docs"
    good = write_article(folder, "good.txt", ARTICLE, paragraphs=2)
    kept = write_docx(folder / "kept.docx", "Kept", [("Only", ["This report ingested fine before it was damaged."])])
    assert cli("ingest", folder, "--json")[0] == 0
    before = assert_consistent(Settings())

    kept.write_bytes(b"not a zip at all " * 50)
    with zipfile.ZipFile(folder / "hollow.docx", "w") as hollow:
        hollow.writestr("readme.txt", "a zip, but no Word document inside")
    plain = write_docx(tmp_path / "secret.docx", "Secret", [("Plans", ["The launch is in June."])])
    with plain.open("rb") as source, (folder / "secret.docx").open("wb") as locked:
        OOXMLFile(source).encrypt("hunter2", locked)
    lock_epub(write_epub(folder / "locked.epub", "Locked", "Nobody", [("One", ["Encrypted words."])]))
    lock_odt(write_odt(folder / "locked.odt", "Locked", [("One", ["Encrypted words."])]))
    (folder / "notes.rtf").write_bytes(b"PK\x03\x04 a zip someone named .rtf")
    lock_odt(write_odp(folder / "locked.odp", "Locked", [("One", "Encrypted words.", "")]))
    (folder / "secret.eml").write_bytes(PGP_MESSAGE)
    budget = write_xlsx(tmp_path / "budget.xlsx", "Budget", [("Budget", BUDGET)])
    with budget.open("rb") as source, (folder / "budget.xlsx").open("wb") as locked:
        OOXMLFile(source).encrypt("hunter2", locked)
    (folder / "routes.ods").write_bytes(write_ods(tmp_path / "routes.ods", "Routes", [("Routes", ROUTES)]).read_bytes()[:900])
    (folder / "quotes.csv").write_text('Route,Note\nGdansk,"an open quote' + "x" * 200_000 + "\n")
    (folder / "todo.eml").write_bytes(b"Buy milk.\nCall the harbour office about the ferry.\n")
    (folder / "page.mht").write_bytes(b"<html><body><p>A page someone named .mht</p></body></html>")
    (folder / "page.webarchive").write_bytes(b"<html><body><p>A page someone named .webarchive</p></body></html>")
    (folder / "cut.ipynb").write_text('{"cells": [{"cell_type": "markdown", "source": "The harb')
    (folder / "lines.srt").write_text("Subtitles someone typed\nwithout any timings.\n")
    write_scanned_pdf(folder / "faint.pdf", [HARBOUR_NOTICE], shade=252)
    expected = {
        "kept.docx": "malformed Word document: not an Office Open XML (zip) file",
        "hollow.docx": "malformed Word document",
        "secret.docx": "encrypted Word document (it is password-protected",
        "locked.epub": "EPUB with DRM",
        "locked.odt": "encrypted OpenDocument text (it is password-protected",
        "notes.rtf": "malformed RTF document: it does not start with {\\rtf",
        "locked.odp": "encrypted OpenDocument presentation (it is password-protected",
        "secret.eml": "encrypted e-mail (S/MIME or PGP); save it decrypted",
        "budget.xlsx": "encrypted Excel workbook (it is password-protected",
        "routes.ods": "malformed OpenDocument spreadsheet",
        "quotes.csv": "malformed CSV: field larger than field limit",
        "todo.eml": "not an e-mail message (no From, To, Subject or Date header)",
        "page.mht": "not a web archive (MHTML)",
        "page.webarchive": "not a Safari web archive",
        "cut.ipynb": "malformed notebook: Unterminated string",
        "lines.srt": "no timed cues",
        "faint.pdf": "no text found by OCR on its 1 scanned page",
    }

    code, out, _ = cli("ingest", folder, "--json")

    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert code == 1
    assert {name for name, f in files.items() if f["status"] == "failed"} == set(expected)
    for name, reason in expected.items():
        assert reason in files[name]["reason"], (name, files[name]["reason"])
    after = assert_consistent(Settings())
    assert after[str(good)] == before[str(good)] and after[str(kept)] == before[str(kept)]


def test_documents_in_formats_not_read_are_named_with_what_to_do(tmp_path: Path, cli: CliRunner) -> None:
    folder = tmp_path / "docs"
    write_article(folder, "good.txt", ARTICLE, paragraphs=1)
    (folder / "minutes.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (folder / "budget.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")  # binary: not worth a note
    (folder / "ferry.log").write_text("2025-03-01 12:00 ferry left\n")
    (folder / "tides.json").write_text('{"high water": "06:12"}\n')
    (folder / "boats.log").write_text("2025-03-01 tender refuelled\n")
    (folder / "README").write_text("Notes about this folder.\n")

    code, out, _ = cli("ingest", folder, "--json")

    summary = json.loads(out)
    assert code == 0 and summary["added"] == 1
    assert summary["notes"] == [
        f"{folder / 'budget.xls'} skipped: an old Excel file; save it as .xlsx",
        f"{folder / 'minutes.doc'} skipped: an old Word file; save it as .docx",
        "4 text files skipped, in formats not read here: .log (2), (no extension) (1), .json (1); "
        "to read one as plain text, save it as .txt (or as .md if it is Markdown)",
    ]


def test_a_saved_page_s_resources_folder_is_not_read_as_documents(tmp_path: Path, cli: CliRunner) -> None:
    """"Save page as: Web page, complete" writes Article_files/ beside Article.html, with the page's
    embedded frames (adverts, share buttons) saved as pages of their own."""
    folder = tmp_path / "docs"
    resources, notes = folder / "Harbour_files", folder / "project_files"
    resources.mkdir(parents=True)
    notes.mkdir()
    (folder / "Harbour.html").write_text("<html><body><p>The harbour reopened on 3 May after repairs.</p></body></html>")
    (resources / "saved_resource.html").write_text("<html><body><p>Buy cheap flights to the harbour now.</p></body></html>")
    (resources / "style.css").write_text("p { color: red }")
    (notes / "memo.txt").write_text("The harbour budget was approved.\n")  # no project.html: a folder like any

    code, out, _ = cli("ingest", folder, "--json")

    summary = json.loads(out)
    assert code == 0 and sorted(Path(f["path"]).name for f in summary["files"]) == ["Harbour.html", "memo.txt"]
    assert summary["notes"] == [f"{resources} skipped: the images, scripts and embedded frames of the saved page Harbour.html"]


def test_a_generator_template_s_author_and_2013_date_are_not_taken_for_the_document_s(tmp_path: Path) -> None:
    """python-docx and python-pptx start from templates authored in 2013; a file they made without
    setting its own properties is dated by the file, like a text file."""
    word = docx.Document()
    word.add_paragraph("The harbour reopened in May.")
    word.save(tmp_path / "plain.docx")
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Results"
    slide.placeholders[1].text = "Revenue grew 12 percent."
    deck.save(tmp_path / "plain.pptx")

    for name in ("plain.docx", "plain.pptx"):
        doc = load(tmp_path / name)
        assert (doc.source, doc.published) == ("", None), name


def test_a_scan_is_titled_by_its_first_line_not_the_file_name_its_pdf_repeats(tmp_path: Path) -> None:
    doc = load(write_scanned_pdf(tmp_path / "notice.pdf", [HARBOUR_NOTICE]))  # Pillow writes /Title "notice"

    assert doc.title == "Harbour Authority Annual Notice"


def _seed_article_as_word(path: Path) -> Path:
    """The seed article as someone saves it from a browser into Word: its title a heading, the site and the
    date it prints under the title as paragraphs, no date in the file's properties."""
    title, site, date, _, *body = SEED_FILE.read_text(encoding="utf-8").split("\n")
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=1)
    for paragraph in (site, date, *(line for line in body if line.strip())):
        document.add_paragraph(paragraph)
    document.save(path)
    return path


@pytest.mark.parametrize(
    ("question", "answered", "quoted"),
    [
        ("When was the article published?", "11 August 2025", "Mon, 11 Aug 2025 19:11:00 +0300"),
        ("Which site published the article?", "global.espreso.tv", "global.espreso.tv"),
    ],
)
def test_an_article_saved_as_word_is_dated_and_sourced_by_the_lines_under_its_title(
    tmp_path: Path, question: str, answered: str, quoted: str
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    _seed_article_as_word(folder / "ukraine-azerbaijan.docx")
    settings = make_settings(tmp_path / "store")
    ingest(folder, settings)

    assistant = Assistant(settings)
    answer = assistant.ask(question)

    assert answered in answer.text and not answer.abstained
    [citation] = answer.citations
    assert citation.quote == quoted  # as the file writes it, so the reader finds it in the document
    assert (assistant.document_text(citation.doc_id) or "")[citation.start : citation.end] == quoted


def test_a_date_and_site_printed_under_the_title_come_before_the_files_own_properties(tmp_path: Path) -> None:
    # write_docx stamps the file as made on 17 May 2024 by Jane Roe: when and by whom the copy was made
    body = "Azerbaijan has already sent $2 million in humanitarian aid to support Ukraine's energy infrastructure."
    path = write_docx(tmp_path / "aid.docx", "Aid", [("Aid to Ukraine", ["global.espreso.tv", "Mon, 11 Aug 2025 19:11:00 +0300", body])])
    plain = write_docx(tmp_path / "plain.docx", "Aid", [("Aid to Ukraine", [body])])

    assert (load(path).published, load(path).source, load(path).author) == ("2025-08-11T19:11:00+03:00", "global.espreso.tv", "Jane Roe")
    assert (load(plain).published, load(plain).source) == ("2024-05-17T09:30:00+00:00", "Jane Roe")
