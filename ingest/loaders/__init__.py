"""Turn one file's raw bytes into clean text plus metadata, one module per format.

Formats: plain text (including the seed-article header), Markdown with YAML front matter,
reStructuredText, LaTeX, Org mode, AsciiDoc, Jupyter notebooks, transcripts and subtitles, saved web
pages (main content only; web archives too), e-mail messages, PDFs (page by page, scanned pages by OCR), Word documents, OpenDocument
text, RTF, PowerPoint and OpenDocument slides (slide by slide) and EPUB books (chapter by chapter). A file
that cannot be used raises :class:`LoadError` with a short reason the user can act on; lesser problems
land in ``LoadedDocument.warnings``.

``LoadedDocument.text`` is what chunks and citations slice by character offset: paragraphs separated by
one blank line, whitespace inside a line collapsed, no markup.

>>> doc = load_document(Path("notes.txt"), b"Release notes\\n\\nVersion 2 is out.\\n")
>>> doc.title, doc.text
('Release notes', 'Version 2 is out.')
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ingest.loaders._document import LoadedDocument, LoadError, OcrProgress, PartKind, part_of
from ingest.loaders._header import with_header
from ingest.loaders._text import title_from_path

__all__ = ["SUPPORTED_SUFFIXES", "LoadError", "LoadedDocument", "OcrProgress", "PartKind", "load_document", "part_of"]

#: suffix -> (format module, its loader). A format's module, and the library it reads the format with,
#: is imported when a file of that format is first loaded: python-docx, python-pptx, ebooklib, odfpy,
#: openpyxl and docutils cost ~0.2 s of every start of an ingest or the app, most of which never meets
#: such a file.
_LOADERS: dict[str, tuple[str, str]] = {
    ".txt": ("_plain", "load_text"),
    ".md": ("_markdown", "load_markdown"),
    ".markdown": ("_markdown", "load_markdown"),
    ".rst": ("_rst", "load_rst"),
    ".tex": ("_latex", "load_latex"),
    ".latex": ("_latex", "load_latex"),
    ".org": ("_org", "load_org"),
    ".adoc": ("_asciidoc", "load_asciidoc"),
    ".asciidoc": ("_asciidoc", "load_asciidoc"),
    ".ipynb": ("_notebook", "load_notebook"),
    ".vtt": ("_transcript", "load_transcript"),
    ".srt": ("_transcript", "load_transcript"),
    ".html": ("_html", "load_html"),
    ".htm": ("_html", "load_html"),
    ".xhtml": ("_html", "load_html"),
    ".mhtml": ("_web_archive", "load_mhtml"),
    ".mht": ("_web_archive", "load_mhtml"),
    ".webarchive": ("_web_archive", "load_webarchive"),
    ".eml": ("_email", "load_email"),
    ".pdf": ("_pdf", "load_pdf"),
    ".docx": ("_docx", "load_docx"),
    ".pptx": ("_pptx", "load_pptx"),
    ".epub": ("_epub", "load_epub"),
    ".odt": ("_odt", "load_odt"),
    ".odp": ("_odp", "load_odp"),
    ".rtf": ("_rtf", "load_rtf"),
    ".csv": ("_spreadsheet", "load_csv"),
    ".tsv": ("_spreadsheet", "load_csv"),
    ".xlsx": ("_spreadsheet", "load_xlsx"),
    ".xlsm": ("_spreadsheet", "load_xlsx"),
    ".ods": ("_spreadsheet", "load_ods"),
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_LOADERS)


def load_document(path: Path, data: bytes, on_ocr_page: OcrProgress | None = None) -> LoadedDocument:
    """Load ``data`` (the raw bytes of ``path``) by the file's suffix.

    ``on_ocr_page(done, total)`` is called after each scanned page read by OCR. Raises
    :class:`LoadError` for an unsupported suffix, an empty file, binary content, a damaged, encrypted or
    DRM-locked file, or a file with no readable text.
    """
    suffix = path.suffix.lower()
    if suffix not in _LOADERS:
        raise LoadError(f"unsupported file type {suffix or '(no extension)'}")
    if not data.strip():
        raise LoadError("empty file")
    module, name = _LOADERS[suffix]
    loader = getattr(importlib.import_module(f"ingest.loaders.{module}"), name)
    loaded = loader(path, data, on_ocr_page) if suffix == ".pdf" else loader(path, data)
    return with_header(loaded, title_from_path(path))
