"""Web archives (.mhtml, .mht: a browser's "Save as: Web page, single file"): the saved page read like any
web page, its site named from the address it was saved from when the page names none."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._email import page_of, parse_message


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
