"""Reading scanned pages: OCR with RapidOCR, whose detection and recognition models (PP-OCRv4) ship
inside its wheel and run on onnxruntime, so a scan needs no network and no model download."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium

from ingest.loaders._document import LoadError
from ingest.loaders._text import short_reason

#: The usual resolution for OCR: 10-point text comes out ~40 px tall, which the recogniser (48 px lines)
#: reads with its spaces; at 150 dpi it runs words together ("accordingtotheport").
_DPI = 300
#: Vertical gap, in line heights, that separates two paragraphs.
_PARAGRAPH_GAP = 0.9
_ENGINE_LOCK = threading.Lock()
#: The recogniser drops the spaces of small print ("accordingtotheportdirector"): runs of letters this
#: long are candidates for ``_respace``.
_LETTERS = re.compile(r"[^\W\d_]{7,}")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z]{2})")
#: A capitalised run shorter than this is taken for a name ("Haghighat"), not lost spaces, unless it
#: starts with a word that begins sentences and no name ("Wepresent", "Inthis").
_NAME_LENGTH = 12
_SENTENCE_OPENERS = frozenset("We In The It This That At On For To And But As If Of Our Its An".split())
_FUNCTION_WORDS = frozenset("a an the in on at of to by for and or is was as it".split())
_ONE_LETTER_WORDS = frozenset({"a", "A", "I"})
#: Spaces lost around numbers and after punctuation: "on3May2021" -> "on 3 May 2021", "1990by" -> "1990
#: by", "InMay" -> "In May", "director,Maria" -> "director, Maria". Only where a space is all but
#: certain: around a short function word, before a capitalised word, after punctuation between words.
_LOST_SPACES = (
    (re.compile(r"(?<![^\W\d_])(on|in|at|of|by|to|for|from|since|until|and|or|the|than|about|over|under|after|before)(?=\d)"), r"\1 "),
    (re.compile(r"(?<=\d)(?=(?:by|in|on|at|of|to|for|and|the|from|was|were)\b)"), " "),
    (re.compile(r"(?<=\d)(?=[A-Z][a-z])|(?<=[a-z]{2})(?=(?:1\d|20)\d\d\b)"), " "),
    (re.compile(r"\b(In|On|At|By|Of|To|For|And|The|From|Since|Until|After|Before)(?=[A-Z][a-z])"), r"\1 "),
    (re.compile(r"(?<=[a-z][,;:])(?=[A-Za-z])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])"), " "),
)


def has_image(page: pdfium.PdfPage) -> bool:
    return any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


def read_page(page: pdfium.PdfPage) -> str:
    """The page's text as lines in reading order, a blank line between paragraphs."""
    bitmap = page.render(scale=_DPI / 72).to_numpy()  # BGR, as OpenCV (inside RapidOCR) expects
    with _ENGINE_LOCK:  # one engine, already using every core; parallel calls would only contend
        found, _timings = _engine()(bitmap)
    lines = [_Line(text, min(x for x, _ in box), min(y for _, y in box), max(x for x, _ in box), max(y for _, y in box)) for box, text, _ in found or []]
    return _paragraphs(_reading_order(lines, width=bitmap.shape[1]))


@functools.cache
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:  # e.g. OpenCV without libGL.so.1 on a bare server
        raise LoadError(f"OCR unavailable ({short_reason(exc)}); on Debian/Ubuntu: apt install libgl1") from exc
    # Measured on a page of prose rendered at 150 dpi (tests/ingest/test_formats.py writes such pages):
    # - the orientation classifier squeezes a whole line into 192 px and turned one line in four upside
    #   down, which the recogniser then read as nothing: scans are upright, so it is off;
    # - RapidOCR shrinks the page to max_side_len before cutting out the lines it recognises, and
    #   at its default (2000 px) small print loses its spaces: the page is kept at 300 dpi (A4 3,508 px)
    #   and only detection works on a copy of at most 1,600 px, which finds every line as well.
    return RapidOCR(print_verbose=False, use_cls=False, max_side_len=4500, det_limit_type="max", det_limit_side_len=1600)


@dataclass(frozen=True)
class _Line:
    text: str
    left: float
    top: float
    right: float
    bottom: float


def _reading_order(lines: list[_Line], width: int) -> list[_Line]:
    """RapidOCR's lines run top to bottom across the page, which interleaves the lines of two columns.
    Lines that sit in one half of the page are read a column at a time, in bands that lines spanning
    the page (titles, figures' captions, footers) separate."""
    middle, slack = width / 2, 0.02 * width
    ordered: list[_Line] = []
    band: list[_Line] = []
    for line in sorted(lines, key=lambda line: (line.top, line.left)):
        if line.right <= middle + slack or line.left >= middle - slack:
            band.append(line)
            continue
        ordered += sorted(band, key=lambda b: (b.left >= middle - slack, b.top))
        band = []
        ordered.append(line)
    return ordered + sorted(band, key=lambda b: (b.left >= middle - slack, b.top))


def _paragraphs(lines: list[_Line]) -> str:
    """Lines in reading order -> text; a gap taller than a line ends a paragraph."""
    out: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if previous is not None and line.top - previous.bottom > _PARAGRAPH_GAP * (previous.bottom - previous.top):
            out.append("")
        out.append(_respace(unicodedata.normalize("NFKC", line.text)))  # NFKC: the model writes "，" for ","
        previous = line
    return "\n".join(out)


def _respace(line: str) -> str:
    """Put back the spaces OCR lost inside long runs of letters: first between a lower-case letter and a
    capitalised word in long runs ("RickReitmaier"), then by wordninja's English word frequencies (shipped
    in its package; "theport" -> "the port"). A run that is one word, splits into fragments ("dmandelin"
    -> "d mandel in"), or may be a name, is left as it is."""
    line = _LETTERS.sub(lambda run: " ".join(map(_split_words, _split_camel(run.group(0)))), line)
    for pattern, replacement in _LOST_SPACES:  # after the runs are split: "1990bytheequal" -> "1990by the equal"
        line = pattern.sub(replacement, line)
    return line


def _split_camel(run: str) -> list[str]:
    pieces = _CAMEL.split(run) if len(run) > 10 else [run]
    return pieces if all(len(piece) >= 3 for piece in pieces) else [run]


def _split_words(run: str) -> str:
    import wordninja  # reads its word list (~60 ms) when a scan is first read, not with every PDF

    if len(run) < 7:
        return run
    pieces = wordninja.split(run)
    if run[0].isupper() and len(run) < _NAME_LENGTH and pieces[0] not in _SENTENCE_OPENERS:
        # a name, unless it is a word and a function word glued on ("Formedin"; not "Kingston")
        if len(pieces) < 2 or len(pieces[0]) < 4 or not set(pieces[1:]) <= _FUNCTION_WORDS:
            return run
    if len(pieces) > 1 and all(len(piece) > 1 or piece in _ONE_LETTER_WORDS for piece in pieces):
        return " ".join(pieces)
    return run
