"""LaTeX sources (papers, theses, reports), read with pylatexenc's parser.

Read as plain text, a paper answered with its markup ("\\section{Introduction}\\label{sec:intro}",
"\\textbf{hot loops}", "Andr\\'e"). pylatexenc parses the whole language (macros and their arguments,
environments, math, comments, accents) and writes its text as a reader of the typeset paper sees it, so
here: the title and authors from ``\\title`` and ``\\author`` (``\\date`` is rarely a date: "May 2024",
"\\today"; the file's is used); the body of the ``document`` environment (a chapter file without one is
all body), its sectioning commands as headings, paragraphs with their line wraps joined, list items one
per line ("- "), table rows as rows ("a | b"), captions and footnotes as text, math as written. What
prints no text is left out: citations and cross-references ("~\\cite{gal09}" would read "<cit.>"),
labels, the bibliography's commands, preamble definitions, figures' graphics. A file another one
``\\input``s is read where it stands, as its own document: the assistant reads files, it does not
typeset them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.macrospec import MacroSpec, std_macro

from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._text import TextBuilder, decode_text_file, has_words, split_paragraphs, tidy_line, title_from_path

_HEADINGS = ("part", "chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph")
_LISTS = {"itemize": "- ", "enumerate": "{n}. ", "description": "- "}
_TABLES = ("tabular", "tabular*", "tabularx", "longtable", "array")
#: Environments whose content is not prose a reader sees.
_UNREAD = ("thebibliography", "tikzpicture", "comment")
#: Commands whose arguments print nothing: the parser must know their arguments to skip them.
_SILENT = {
    "label": "{", "ref": "*{", "eqref": "{", "pageref": "{", "autoref": "{", "cref": "*{", "Cref": "*{",
    "cite": "*[[{", "citep": "*[[{", "citet": "*[[{", "nocite": "{", "bibliography": "{", "bibliographystyle": "{",
    "includegraphics": "*[{", "usepackage": "[{", "documentclass": "[{", "thanks": "{", "vspace": "*{", "hspace": "*{",
    "maketitle": "", "tableofcontents": "", "newpage": "", "clearpage": "", "centering": "", "noindent": "", "hline": "",
    "toprule": "", "midrule": "", "bottomrule": "", "appendix": "", "and": "",
}
#: Commands that print their argument as it is (pylatexenc drops some, "\\texttt{code}" among them).
_AS_TEXT = ("texttt", "textsc", "textsf", "textrm", "textup", "textmd", "textnormal", "mbox", "url", "caption")


def _contexts():
    """(the parser's, the text writer's) command tables, with the commands above put first."""
    parsing = latexwalker.get_default_latex_context_db()
    parsing.add_context_category(
        "assistant", prepend=True,
        macros=[std_macro(name, args) for name, args in _SILENT.items()] + [MacroSpec(name, "[{") for name in _AS_TEXT],
    )  # fmt: skip
    writing = get_default_latex_context_db()
    writing.add_context_category(
        "assistant", prepend=True,
        macros=[MacroTextSpec(name, simplify_repl="") for name in _SILENT] + [MacroTextSpec(name, simplify_repl="%(2)s") for name in _AS_TEXT],
    )  # fmt: skip
    return parsing, writing


_PARSING, _WRITING = _contexts()
_TO_TEXT = LatexNodes2Text(latex_context=_WRITING, strict_latex_spaces=True)


def load_latex(path: Path, data: bytes) -> LoadedDocument:
    text, notes = decode_text_file(data, path.suffix.lower())
    try:
        nodes = latexwalker.LatexWalker(text, latex_context=_PARSING, tolerant_parsing=True).get_latex_nodes()[0]
    except latexwalker.LatexWalkerError as exc:
        raise LoadError(f"not readable LaTeX ({exc})") from exc
    preamble, body = _split_at_document(nodes)
    built = TextBuilder()
    for block, heading in _blocks(body):
        built.add(block, heading=heading)
    if not has_words(built.text):
        raise LoadError("no readable text in LaTeX")
    commands = {node.macroname: node for node in preamble if _is_macro(node, ("title", "author"))}
    title = _argument_text(commands["title"]) if "title" in commands else ""
    author = _authors(commands["author"]) if "author" in commands else ""
    return LoadedDocument(built.text, title or title_from_path(path), "", None, author=author, sections=tuple(built.sections), warnings=notes)


def _split_at_document(nodes: Sequence[latexwalker.LatexNode]) -> tuple[list, list]:
    """(preamble, body): the nodes before ``\\begin{document}`` and its content; a file without one (a
    chapter that a main file inputs) is all body, its title commands included."""
    for i, node in enumerate(nodes):
        if isinstance(node, latexwalker.LatexEnvironmentNode) and node.environmentname == "document":
            return list(nodes[:i]), list(node.nodelist)
    return list(nodes), list(nodes)


def _blocks(nodes: Sequence[latexwalker.LatexNode]) -> Iterator[tuple[str, bool]]:
    """The paragraphs of ``nodes`` in reading order, each with whether it is a heading."""
    run: list[latexwalker.LatexNode] = []
    for node in nodes:
        if _is_macro(node, _HEADINGS):
            yield from _paragraphs(run)
            run = []
            yield _argument_text(node), True
        elif isinstance(node, latexwalker.LatexEnvironmentNode) and not _inline_environment(node):
            yield from _paragraphs(run)
            run = []
            yield from _environment(node)
        elif not _is_macro(node, ("title", "author", "date")):
            run.append(node)
    yield from _paragraphs(run)


def _environment(node: latexwalker.LatexEnvironmentNode) -> Iterator[tuple[str, bool]]:
    name = node.environmentname.rstrip("*")
    if name in _UNREAD:
        return
    if name == "abstract":
        yield "Abstract", True
        yield from _blocks(node.nodelist)
    elif name in _LISTS:
        yield "\n".join(_LISTS[name].format(n=n) + item for n, item in enumerate(_items(node.nodelist), start=1)), False
    elif node.environmentname in _TABLES:
        yield "\n".join(" | ".join(tidy_line(_TO_TEXT.latex_to_text(cell)) for cell in row.split("&")) for row in _rows(node)), False
    elif name in ("verbatim", "lstlisting", "minted"):
        yield _verbatim(node), False
    else:  # figures, tables, math displays, theorems, quotes, minipages: their content in turn
        yield from _blocks(node.nodelist)


def _inline_environment(node: latexwalker.LatexEnvironmentNode) -> bool:
    """Math written as an environment inside a sentence ("$x$" is a math node, "\\begin{math}" is not)."""
    return node.environmentname in ("math",)


def _items(nodes: Sequence[latexwalker.LatexNode]) -> Iterator[str]:
    """Each ``\\item``'s text, on one line; a description's label first ("Caching: The module can…")."""
    label, item = "", None
    for node in [*nodes, None]:
        if node is None or _is_macro(node, ("item",)):
            if item is not None and (text := tidy_line(_TO_TEXT.nodelist_to_text(item))):
                yield f"{label}: {text}" if label else text
            label, item = _item_label(node), []
        elif item is not None:
            item.append(node)


def _item_label(item: latexwalker.LatexMacroNode | None) -> str:
    """The label of ``\\item[Label]``, as a description list writes one; empty for a bare ``\\item``."""
    arguments = item.nodeargd.argnlist if item is not None and item.nodeargd else []
    return tidy_line(_TO_TEXT.nodelist_to_text(arguments[0].nodelist)) if arguments and arguments[0] is not None else ""


_ROW_END = re.compile(r"\\\\(?:\[[^\]]*\])?")


def _rows(node: latexwalker.LatexEnvironmentNode) -> Iterator[str]:
    """The table's rows as LaTeX source, split at ``\\\\``; rules and empty rows left out."""
    inner = "".join(child.latex_verbatim() for child in node.nodelist)
    for row in _ROW_END.split(inner):
        row = re.sub(r"\\(?:hline|toprule|midrule|bottomrule|cline\{[^}]*\})", "", row)
        if row.strip():
            yield row


def _verbatim(node: latexwalker.LatexEnvironmentNode) -> str:
    source = node.latex_verbatim()
    return re.sub(r"^\\begin\{[^}]*\}(?:\[[^\]]*\])?(?:\{[^}]*\})?\n?|\n?\\end\{[^}]*\}$", "", source)


def _paragraphs(run: Sequence[latexwalker.LatexNode]) -> Iterator[tuple[str, bool]]:
    """The inline nodes' text, split at blank lines as LaTeX splits paragraphs."""
    text = _TO_TEXT.nodelist_to_text(run)
    for paragraph in split_paragraphs(text):
        yield _tidy_spacing(paragraph), False


#: A space left before punctuation where a citation or reference was dropped ("compile~\cite{x}.").
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)])")


def _tidy_spacing(paragraph: str) -> str:
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(paragraph.split()))


def _is_macro(node: latexwalker.LatexNode | None, names: Sequence[str]) -> bool:
    return isinstance(node, latexwalker.LatexMacroNode) and node.macroname in names


def _last_argument(node: latexwalker.LatexMacroNode) -> latexwalker.LatexNode | None:
    arguments = [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a is not None]
    return arguments[-1] if arguments else None


def _argument_text(node: latexwalker.LatexMacroNode) -> str:
    """The text of a command's last argument ("\\section*{Results}": "Results")."""
    argument = _last_argument(node)
    return tidy_line(_TO_TEXT.nodelist_to_text([argument])) if argument else ""


def _authors(node: latexwalker.LatexMacroNode) -> str:
    """``\\author{Ann Gal\\\\Mozilla \\and Bob Eich}`` as "Ann Gal, Bob Eich": each name up to its
    first line break, after which papers set the affiliation."""
    argument = _last_argument(node)
    names: list[list[latexwalker.LatexNode]] = [[]]
    in_affiliation = False
    for child in getattr(argument, "nodelist", None) or []:
        if _is_macro(child, ("and",)):
            names.append([])
            in_affiliation = False
        elif _is_macro(child, ("\\",)):
            in_affiliation = True
        elif not in_affiliation:
            names[-1].append(child)
    return ", ".join(filter(None, (tidy_line(_TO_TEXT.nodelist_to_text(name)) for name in names)))
