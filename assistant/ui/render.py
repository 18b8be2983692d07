"""Text and HTML for the chat app: answers' sources as cards, dates, ingest summaries.

Everything that comes from documents, answers or users is escaped here: plain text for Streamlit
markdown goes through :func:`markdown_text`, HTML cards through :func:`html.escape`, so the app may hand
cards to ``st.markdown(..., unsafe_allow_html=True)`` without a document being able to inject markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant._dates import parse_iso

if TYPE_CHECKING:
    from assistant.answer import Citation
    from assistant._corpus import StoredDocument
    from ingest.pipeline import IngestReport

CONTEXT_CHARS = 300
"""Characters of surrounding text shown on each side of a quote."""

CSS = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")

# ASCII punctuation that Streamlit's markdown gives a meaning to (emphasis, links, images, LaTeX, HTML,
# headings, tables, strikethrough); a backslash makes each one literal.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|$~])")


def markdown_text(text: str) -> str:
    """``text`` escaped so that Streamlit markdown shows it literally (a ``$`` is not LaTeX, ``[a](b)`` no link)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class QuoteInContext:
    """A quote and the text around it in its document; ``before``/``after`` are empty when unknown."""

    before: str
    quote: str
    after: str


def quote_in_context(
    citation: Citation, text: str | None, body_start: int = 0, chars: int = CONTEXT_CHARS
) -> QuoteInContext:
    """Up to ``chars`` characters either side of the quote, cut at word boundaries.

    The window does not reach back into the document's header (title, source, date) unless the quote
    itself is in it. When the stored text no longer holds the quote at its span (the document was
    re-ingested since), only the quote is shown.
    """
    start, end = citation.start, citation.end
    if text is None or text[start:end] != citation.quote:
        return QuoteInContext("", citation.quote, "")
    floor = body_start if start >= body_start else 0
    low, high = max(floor, start - chars), min(len(text), end + chars)
    before, after = text[low:start], text[end:high]
    if low > floor:
        before = "…" + before[before.find(" ") + 1 :] if " " in before else "…"
    if high < len(text):
        after = after[: after.rfind(" ")] + "…" if " " in after else "…"
    return QuoteInContext(before, citation.quote, after)


def source_card(citation: Citation, context: QuoteInContext) -> str:
    """One numbered source as HTML: title, where and when, and the quote highlighted in its context."""
    title = citation.title or Path(citation.path).name
    where = citation.source or Path(citation.path).name
    meta = " · ".join(part for part in (where, date_label(citation.published), citation.location) if part)
    return (
        '<div class="source-card">'
        f'<div class="source-head"><span class="source-n">[{citation.index}]</span>'
        f'<span class="source-title">{_escape(title)}</span></div>'
        f'<div class="source-meta" title="{_escape(citation.path)}">{_escape(meta)}</div>'
        f'<div class="source-text">{_escape(context.before)}<mark>{_escape(context.quote)}</mark>'
        f"{_escape(context.after)}</div>"
        "</div>"
    )


def source_cards(cards: Iterable[str]) -> str:
    return '<div class="source-cards">' + "".join(cards) + "</div>"


def _escape(text: str) -> str:
    # A blank line would end the HTML block and let markdown loose on the rest: newlines become <br>.
    return html.escape(text).replace("\n", "<br>")


def confidence_label(confidence: float | None) -> str | None:
    """"Confidence 87%" for an answer the verifier scored; None when nothing scored it (an LLM's)."""
    return None if confidence is None else f"Confidence {round(confidence * 100)}%"


def date_label(iso: str | None) -> str:
    """``2025-08-11T19:11:00+03:00`` as ``11 Aug 2025``; anything unparsable as given, ``None`` as ''."""
    moment = parse_iso(iso)
    return moment.strftime("%-d %b %Y") if moment else (iso or "")


def time_label(iso: str) -> str:
    """An ingest time (UTC ISO) as ``2025-08-11 16:11 UTC``."""
    moment = parse_iso(iso)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else iso


def document_line(doc: StoredDocument) -> str:
    """A document in the sidebar list, as markdown: its title, then date and chunk count."""
    dated = date_label(doc.published)
    if dated and doc.dated_by != "document":
        dated += " (file date)"
    details = " · ".join(part for part in (doc.source, dated, plural(doc.chunk_count, "chunk")) if part)
    return f"**{markdown_text(doc.title or Path(doc.path).name)}**  \n{markdown_text(details)}"


def ingest_headline(report: IngestReport) -> str:
    """``2 added, 1 unchanged, 1 failed · 14 chunks in 3.2 s``: the non-zero counts of a run."""
    done = ", ".join(f"{value} {status}" for status, value in report.counts().items() if value) or "no files found"
    return f"{done} · {plural(report.chunks, 'chunk')} in {report.seconds:.1f} s"


def ingest_failures(report: IngestReport) -> list[tuple[str, str]]:
    """(file, reason) for each file a run could not ingest; files are named relative to the folder ingested."""
    root = Path(report.root)
    return [(_relative(Path(outcome.path), root), outcome.reason) for outcome in report.failed]


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) and path != root else str(path)


def plural(count: int, noun: str) -> str:
    """``1 chunk``, ``7 chunks``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
