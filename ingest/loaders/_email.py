"""E-mail messages (.eml, as mail clients save them): the body a mail client shows (its plain-text part, or
the HTML part read like a web page), then each attachment in a format read here, under its file name;
titled by the subject, by the sender, dated by the Date header as the message writes it."""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import cast

from assistant._dates import iso_date
from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._html import load_html
from ingest.loaders._text import TextBuilder, decode_text_file, has_words, split_paragraphs, tidy_line, title_from_path

#: Headers every saved message has at least one of; bytes without any are not a message.
_MESSAGE_HEADERS = ("From", "To", "Subject", "Date", "Message-ID")
_ENCRYPTED = {"multipart/encrypted", "application/pkcs7-mime", "application/x-pkcs7-mime"}
_SIGNATURES = {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}
#: "> " marks of quoted replies, nested or not: the quoted words stay, their marks do not.
_QUOTE_MARKS = re.compile(r"^(?:[^\S\n]*>)+[^\S\n]?", re.MULTILINE)
#: The line that opens a signature (RFC 3676, 4.3): the sender's name and numbers, not the message.
_SIGNATURE = re.compile(r"^-- $", re.MULTILINE)


def parse_message(data: bytes) -> EmailMessage:
    """The MIME message in ``data`` (headers decoded, RFC 2047 words included)."""
    return cast(EmailMessage, email.message_from_bytes(data, policy=policy.default))  # what policy.default builds


def load_email(path: Path, data: bytes) -> LoadedDocument:
    message = parse_message(data)
    if not any(message[name] for name in _MESSAGE_HEADERS):
        raise LoadError("not an e-mail message (no From, To, Subject or Date header)")
    if any(part.get_content_type() in _ENCRYPTED for part in message.walk()):
        raise LoadError("encrypted e-mail (S/MIME or PGP); save it decrypted from your mail client")
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        raise LoadError("no text in the e-mail (it has no plain-text or HTML body)")
    text, sections, notes = _text_part(path, body)
    built = TextBuilder(sections=list(sections))
    built.add_text(text)  # already tidy paragraphs: the same text, so the page's section offsets hold
    notes += _add_attachments(built, message, path)
    date = tidy_line(str(message["Date"] or ""))
    sender = _sender(message)
    return LoadedDocument(
        text=built.text,
        title=tidy_line(str(message["Subject"] or "")) or title_from_path(path),
        source=sender,  # as for Word files: the person the document comes from
        published=iso_date(date),
        author=sender,
        sections=tuple(built.sections),
        warnings=notes,
        published_as_written=date or None,
    )


def page_of(path: Path, part: EmailMessage, url: str = "") -> LoadedDocument:
    """An HTML part read by the HTML loader: decoded by the charset the part declares, else by the one its
    markup declares (a saved page's part often names none)."""
    raw, charset = _payload(part)
    return load_html(path, raw, url=url, charset=charset)


def _payload(part: EmailMessage) -> tuple[bytes, str | None]:
    """The part's bytes, its transfer encoding (base64, quoted-printable) undone, and its charset."""
    raw = part.get_payload(decode=True)
    return raw if isinstance(raw, bytes) else b"", part.get_content_charset()


def _text_part(path: Path, part: EmailMessage) -> tuple[str, tuple[tuple[int, str], ...], tuple[str, ...]]:
    """A text/plain or text/html part's text, its sections (a page's headings) and warnings."""
    if part.get_content_type() == "text/html":
        page = page_of(path, part)
        return page.text, page.sections, page.warnings
    text, notes = _plain_text(path, part)
    return text, (), notes


def _plain_text(path: Path, part: EmailMessage) -> tuple[str, tuple[str, ...]]:
    """A plain-text body's paragraphs as the message has them, and any warning about its decoding."""
    raw, charset = _payload(part)
    if not raw.strip():
        raise LoadError("no text in the e-mail's body")
    text, notes = decode_text_file(raw, path.suffix.lower(), declared=charset)
    built = TextBuilder()
    for paragraph in split_paragraphs(_QUOTE_MARKS.sub("", _SIGNATURE.split(text, maxsplit=1)[0])):
        built.add(paragraph)
    if not has_words(built.text):
        raise LoadError("no text in the e-mail's body")
    return built.text, notes


def _sender(message: EmailMessage) -> str:
    header = message["From"]
    addresses = getattr(header, "addresses", ())
    if not addresses:
        return tidy_line(str(header or ""))
    return tidy_line(addresses[0].display_name or addresses[0].addr_spec)


def _add_attachments(built: TextBuilder, message: EmailMessage, path: Path) -> tuple[str, ...]:
    """Append the rest of the body (text parts with no file name), then each attachment in a format read
    here as a section named by its file name (a citation then says which attachment to open); returns
    warnings naming the others and any that could not be read."""
    from ingest.loaders import SUPPORTED_SUFFIXES, load_document  # this module is one of its loaders

    notes, skipped = [], []
    for part in message.iter_attachments():
        if _not_a_file_sent(part):
            continue
        name, data = _attached_file(part)
        if not name and part.get_content_type() in ("text/plain", "text/html"):
            notes += _add_more_of_the_body(built, path, part)
            continue
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES or not isinstance(data, bytes):
            skipped.append(name or part.get_content_type())
            continue
        try:
            attached = load_document(Path(name), data)
        except LoadError as exc:
            notes.append(f"attachment {name} not read: {exc}")
            continue
        built.add(name, heading=True)
        built.add_text(attached.text)
        notes += [f"attachment {name}: {warning}" for warning in attached.warnings]
    if skipped:
        notes.append(f"attachments not read: {', '.join(skipped)} (not a format read here)")
    return tuple(notes)


def _add_more_of_the_body(built: TextBuilder, path: Path, part: EmailMessage) -> list[str]:
    """A text part with no file name after the body: the rest of what the client shows (Apple Mail sends
    a picture placed in the text as text, picture, text). An empty one adds nothing."""
    try:
        text, _, notes = _text_part(path, part)
    except LoadError:
        return []
    built.add_text(text)
    return list(notes)


def _not_a_file_sent(part: EmailMessage) -> bool:
    """A signed message's signature, or a picture shown inside an HTML body (a logo)."""
    inline_picture = part.get_content_maintype() == "image" and part.get_content_disposition() != "attachment"
    return inline_picture or part.get_content_type() in _SIGNATURES


def _attached_file(part: EmailMessage) -> tuple[str, bytes | None]:
    """An attachment's file name and bytes; a forwarded message is one, an .eml named by its subject."""
    if part.get_content_type() == "message/rfc822" and (inner := part.get_payload()):
        forwarded = inner[0]
        name = tidy_line(str(forwarded["Subject"] or "")) or "forwarded message"
        return f"{name}.eml", forwarded.as_bytes(policy=policy.default)
    return part.get_filename() or "", part.get_payload(decode=True)
