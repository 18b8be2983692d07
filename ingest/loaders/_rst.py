"""reStructuredText (Sphinx documentation, Python READMEs), read with docutils' own parser.

Read as plain text, such a file answered with its markup: "``pip``", ".. image:: https://…/badge.svg",
":alt: Latest Version". docutils knows every construct (roles, substitutions, directives, tables), so the
text here is what a reader of the rendered page sees: headings, paragraphs with their line wraps joined,
list items one per line ("- "), fields ("Author: Stuart Bishop"), literal blocks verbatim, table rows as
rows; images, badges, comments and link targets are not text (an image amid a sentence's words reads as
its alternative text). Directives that would read other files or
embed raw HTML are switched off.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree
from docutils.utils import SystemMessage

from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._text import TextBuilder, decode_text_file, has_words, short_reason, tidy_line, title_from_path

_SETTINGS = {
    "report_level": 5,  # malformed markup is read as well as it can be, never reported or fatal
    "halt_level": 5,
    "file_insertion_enabled": False,  # ".. include:: /etc/passwd" must not pull another file in
    "raw_enabled": False,
    "warning_stream": io.StringIO(),
}
#: Nodes that are not text a reader sees.
_SKIPPED = (nodes.comment, nodes.substitution_definition, nodes.image, nodes.raw, nodes.system_message, nodes.target, nodes.problematic)


def load_rst(path: Path, data: bytes) -> LoadedDocument:
    text, notes = decode_text_file(data, path.suffix.lower())
    try:
        doctree = publish_doctree(text, settings_overrides=_SETTINGS)
    except (SystemMessage, ValueError, AttributeError) as exc:  # docutils gives up on some broken markup
        raise LoadError(f"not readable reStructuredText ({short_reason(exc)})") from exc
    built = TextBuilder()
    for block, heading in _blocks(doctree):
        built.add(block, heading=heading)
    body = built.text
    if not has_words(body):
        raise LoadError("no readable text in reStructuredText")
    # docutils makes a lone top-level heading the document's title; a README opening with badges and
    # "Quick links" has none, and its file name says more than its first heading.
    title = tidy_line(doctree.get("title", "")) or title_from_path(path)
    return LoadedDocument(body, title, "", None, warnings=notes, sections=tuple(built.sections))


def _blocks(node: nodes.Node) -> Iterator[tuple[str, bool]]:
    """The paragraphs of ``node``, in reading order, each with whether it is a heading (a section's
    title, which opens the section citations name)."""
    for child in node.children:
        if isinstance(child, _SKIPPED):
            continue
        if isinstance(child, nodes.bullet_list):
            yield "\n".join(f"- {_inline(item)}" for item in child.children if isinstance(item, nodes.list_item)), False
        elif isinstance(child, nodes.enumerated_list):
            items = [item for item in child.children if isinstance(item, nodes.list_item)]
            yield "\n".join(f"{n}. {_inline(item)}" for n, item in enumerate(items, start=child.get("start", 1))), False
        elif isinstance(child, (nodes.field_list, nodes.docinfo)):
            yield "\n".join(_field(field) for field in child.children), False
        elif isinstance(child, nodes.table):
            yield "\n".join(" | ".join(_inline(entry) for entry in row.children) for row in child.findall(nodes.row)), False
        elif isinstance(child, (nodes.literal_block, nodes.doctest_block)):
            yield child.astext(), False
        elif isinstance(child, nodes.definition_list):
            for item in child.children:
                yield from _defined(item) if isinstance(item, nodes.definition_list_item) else _blocks(item)
        elif isinstance(child, nodes.TextElement):  # paragraphs, titles, terms, captions
            yield _inline(child), isinstance(child, nodes.title)
        else:  # sections, block quotes, admonitions, definition lists: their paragraphs in turn
            yield from _blocks(child)


def _defined(item: nodes.definition_list_item) -> Iterator[tuple[str, bool]]:
    """A definition list's item as an HTML page's is read (``_html._terms_as_paragraphs``): its term before
    the first paragraph of its definition ("release: A snapshot of a project at a particular point in
    time…", "require(*requirements): Ensure that distributions matching requirements are activated"), the
    rest of the definition after it. A term on a paragraph of its own said nothing of what it defined:
    "What is a release?" was answered with another term's definition that names a release."""
    label = ", ".join(filter(None, (_inline(term) for term in item.children if isinstance(term, nodes.term))))
    definition = next((child for child in item.children if isinstance(child, nodes.definition)), None)
    blocks = list(_blocks(definition)) if definition is not None else []
    opens_with_prose = definition is not None and bool(definition.children) and isinstance(definition.children[0], nodes.paragraph)
    if label and blocks and opens_with_prose:
        yield f"{label}: {blocks[0][0]}", False
        yield from blocks[1:]
        return
    if label:
        yield label, False
    yield from blocks


def _inline(node: nodes.Node) -> str:
    """A node's text on one line: a paragraph's text without what is not text (a badge inside it), or
    the paragraphs of a list item or table cell joined by spaces."""
    if isinstance(node, nodes.TextElement):
        return tidy_line(_text(node))
    return " ".join(filter(None, (_inline(child) for child in node.children if not isinstance(child, _SKIPPED))))


def _text(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return node.astext()
    if isinstance(node, nodes.image) and _amid_words(node):
        return node.get("alt", "")
    return "" if isinstance(node, _SKIPPED) else "".join(_text(child) for child in node.children)


def _amid_words(image: nodes.image) -> bool:
    """Whether an inline image stands between words, where its alternative text is one of them ("please
    |donate| to the authors", the substitution's name its alt text): a badge opening a paragraph is not."""
    placed: nodes.Node = image
    while isinstance(placed.parent, nodes.reference) and len(placed.parent.children) == 1:
        placed = placed.parent  # a linked image: ".. |donate| image:: …" with ":target: https://…"
    before, after = placed.previous_sibling(), placed.next_node(descend=False, siblings=True)
    return all(isinstance(side, nodes.Text) and side.astext().strip() for side in (before, after))


def _field(field: nodes.Node) -> str:
    """A field (":Author: Stuart Bishop", or the docinfo docutils makes of it) as "Author: Stuart Bishop"."""
    if isinstance(field, nodes.field):
        name, value = field.children[0], field.children[1]
        return f"{_inline(name)}: {_inline(value)}"
    return f"{field.tagname.capitalize()}: {_inline(field)}"
