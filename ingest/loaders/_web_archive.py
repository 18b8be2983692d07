"""Web archives, a saved page in one file: MHTML (.mhtml, .mht: Chrome's and Edge's "Save as: Web page,
single file") and Safari's .webarchive. The page is read like any web page, its site named from the
address it was saved from when the page names none."""

from __future__ import annotations

import plistlib
from pathlib import Path

from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._email import page_of, parse_message
from ingest.loaders._html import load_html


def load_mhtml(path: Path, data: bytes) -> LoadedDocument:
    archive = parse_message(data)
    parts = [part for part in archive.walk() if not part.is_multipart()]
    start = archive.get_param("start", header="content-type")
    # RFC 2387: the root is the part the "start" parameter names, else the first; a saved page's frames
    # and images follow it.
    root = next((part for part in parts if start and part["Content-ID"] == start), parts[0] if parts else None)
    if root is None or root.get_content_type() != "text/html":
        raise LoadError("not a web archive (MHTML): no web page at its start")
    # The archive's Date is when the page was saved, not published: the page's own markup says that.
    return page_of(path, root, url=str(archive["Snapshot-Content-Location"] or root["Content-Location"] or ""))


def load_webarchive(path: Path, data: bytes) -> LoadedDocument:
    """Safari's archive: a property list whose main resource holds the page's bytes, its address and its
    text encoding; the images and scripts beside it are not read."""
    try:
        archive = plistlib.loads(data)
        page = archive["WebMainResource"]
        markup, url = page["WebResourceData"], str(page.get("WebResourceURL", ""))
    except (plistlib.InvalidFileException, ValueError, TypeError, KeyError) as exc:
        raise LoadError(f"not a Safari web archive ({type(exc).__name__})") from exc
    if not isinstance(markup, bytes) or "html" not in str(page.get("WebResourceMIMEType", "text/html")):
        raise LoadError("not a Safari web archive of a web page")
    return load_html(path, markup, url=url, charset=str(page.get("WebResourceTextEncodingName", "")) or None)
