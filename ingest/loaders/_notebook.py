"""Jupyter notebooks (.ipynb, nbformat 4): the Markdown cells as Markdown, each code cell and its text
output as code, in order; titled by the notebook's metadata or its first heading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._markdown import markdown_to_text
from ingest.loaders._text import decode_text_file, first, tidy_line, title_from_path

#: Lines kept of one cell's output: a training log or a printed table runs to thousands of lines, which
#: would outnumber the notebook's prose in retrieval; its first lines (a result, a table's head) stay.
_OUTPUT_LINES = 40


def load_notebook(path: Path, data: bytes) -> LoadedDocument:
    raw, notes = decode_text_file(data, path.suffix.lower())
    try:
        notebook = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LoadError(f"malformed notebook: {exc.msg} at line {exc.lineno}") from exc
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise LoadError("not a Jupyter notebook of format 4 (no list of cells); open and save it in Jupyter")
    built, first_heading = markdown_to_text("\n\n".join(_as_markdown(cell) for cell in cells if isinstance(cell, dict)))
    if not built.text:
        raise LoadError("no text in any cell of the notebook")
    metadata = notebook.get("metadata") if isinstance(notebook.get("metadata"), dict) else {}
    authors = metadata.get("authors") if isinstance(metadata.get("authors"), list) else []
    author = ", ".join(tidy_line(a["name"]) for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str))
    title = metadata.get("title") if isinstance(metadata.get("title"), str) else ""
    return LoadedDocument(
        text=built.text,
        sections=tuple(built.sections),
        title=first(tidy_line(title), first_heading, title_from_path(path)),
        source=author,
        published=None,
        author=author,
        warnings=notes,
    )


def _as_markdown(cell: dict[str, Any]) -> str:
    """A cell as Markdown: a Markdown cell as it is, a code cell and each text output fenced as code."""
    source = _text(cell.get("source"))
    if cell.get("cell_type") == "markdown":
        return source
    if cell.get("cell_type") != "code":
        return ""
    blocks = [source] + [_output_text(output) for output in cell.get("outputs") or [] if isinstance(output, dict)]
    return "\n\n".join(f"```\n{block.strip(chr(10))}\n```" for block in blocks if block.strip())


def _output_text(output: dict[str, Any]) -> str:
    """What a printed or returned value shows as text (not images, not HTML), its first lines."""
    if output.get("output_type") == "stream":
        text = _text(output.get("text"))
    elif output.get("output_type") in ("execute_result", "display_data"):
        data = output.get("data")
        text = _text(data.get("text/plain")) if isinstance(data, dict) else ""
    else:
        return ""  # an error's traceback is not the notebook's content
    return "\n".join(text.split("\n")[:_OUTPUT_LINES])


def _text(value: Any) -> str:
    """nbformat writes multi-line strings as lists of lines."""
    if isinstance(value, list):
        return "".join(part for part in value if isinstance(part, str))
    return value if isinstance(value, str) else ""
