"""Turn one file's raw bytes into clean text plus metadata, one module per format.

Formats: plain text (including the seed-article header), Markdown with YAML front matter, saved web
pages (main content only), PDFs (page by page, scanned pages by OCR), Word documents, PowerPoint decks
(slide by slide) and EPUB books (chapter by chapter). A file that cannot be used raises
:class:`LoadError` with a short reason the user can act on; lesser problems land in
``LoadedDocument.warnings``.

``LoadedDocument.text`` is what chunks and citations slice by character offset: paragraphs separated by
one blank line, whitespace inside a line collapsed, no markup.

>>> doc = load_document(Path("notes.txt"), b"Release notes\\n\\nVersion 2 is out.\\n")
>>> doc.title, doc.text
('Release notes', 'Version 2 is out.')
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.loaders._document import LoadedDocument, LoadError, PartKind, part_of
from ingest.loaders._docx import load_docx
from ingest.loaders._epub import load_epub
from ingest.loaders._html import load_html
from ingest.loaders._markdown import load_markdown
from ingest.loaders._pdf import OcrProgress, load_pdf
from ingest.loaders._plain import load_text
from ingest.loaders._pptx import load_pptx

__all__ = ["SUPPORTED_SUFFIXES", "LoadError", "LoadedDocument", "OcrProgress", "PartKind", "load_document", "part_of"]

_LOADERS: dict[str, Callable[[Path, bytes], LoadedDocument]] = {
    ".txt": load_text,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".pptx": load_pptx,
    ".epub": load_epub,
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_LOADERS)


def load_document(path: Path, data: bytes, on_ocr_page: OcrProgress | None = None) -> LoadedDocument:
    """Load ``data`` (the raw bytes of ``path``) by the file's suffix.

    ``on_ocr_page(done, total)`` is called after each scanned page read by OCR. Raises
    :class:`LoadError` for an unsupported suffix, an empty file, binary content, a damaged, encrypted or
    DRM-locked file, or a file with no readable text.
    """
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise LoadError(f"unsupported file type {suffix or '(no extension)'}")
    if not data.strip():
        raise LoadError("empty file")
    if loader is load_pdf:
        return load_pdf(path, data, on_ocr_page)
    return loader(path, data)
