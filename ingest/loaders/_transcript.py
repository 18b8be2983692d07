"""Subtitles and meeting transcripts (.vtt: WebVTT, as Zoom, Teams and YouTube export them; .srt: SubRip):
the words spoken, a paragraph per speaker's turn ("Ann: …"), each turn a section named by the time it
starts, so a citation says where in the recording to listen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders._document import LoadedDocument, LoadError
from ingest.loaders._text import TextBuilder, decode_text_file, split_paragraphs, tidy_line, title_from_path

#: "00:01:02.500 --> 00:01:05.000" (WebVTT) or "00:01:02,500 --> 00:01:05,000" (SubRip); hours optional.
_TIMING = re.compile(r"^\s*((?:\d+:)?\d{2}:\d{2})[.,]\d{3}\s+-->\s+(?:\d+:)?\d{2}:\d{2}[.,]\d{3}")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]+>")
#: Blocks of a WebVTT file that are not cues: its header, comments, styles and regions.
_NOT_CUES = ("WEBVTT", "NOTE", "STYLE", "REGION")


@dataclass(frozen=True)
class _Cue:
    start: str
    speaker: str
    words: str


def load_transcript(path: Path, data: bytes) -> LoadedDocument:
    raw, notes = decode_text_file(data, path.suffix.lower())
    cues = list(_cues(raw))
    if not cues:
        raise LoadError("no timed cues (lines like 00:00:01.000 --> 00:00:04.000): not a WebVTT or SubRip file")
    built = TextBuilder()
    for start, speaker, words in _turns(cues):
        built.open_section(start)
        built.add(f"{speaker}: {words}" if speaker else words)
    first_line = raw.lstrip("\ufeff").split("\n", 1)[0]
    # "WEBVTT - Board meeting": a WebVTT header may name the recording; SubRip files name nothing.
    named = tidy_line(first_line.removeprefix("WEBVTT").lstrip(" -\t")) if first_line.startswith("WEBVTT") else ""
    return LoadedDocument(
        text=built.text,
        title=named or title_from_path(path),
        source="",
        published=None,
        sections=tuple(built.sections),
        warnings=notes,
    )


def _cues(raw: str) -> Iterator[_Cue]:
    for block in split_paragraphs(raw.lstrip("\ufeff")):
        lines = [line for line in block.strip("\n").split("\n") if line.strip()]
        timings = [(n, found) for n, line in enumerate(lines[:2]) if (found := _TIMING.match(line))]
        if not timings or lines[0].startswith(_NOT_CUES):
            continue
        at, timing = timings[0]
        text = " ".join(lines[at + 1 :])
        voice = _VOICE.search(text)
        speaker, words = (voice.group(1).strip() if voice else ""), tidy_line(_TAG.sub(" ", text))
        if ":" in words[:40] and not voice:  # "Ann: Hello", the way exports without voice tags write it
            named, said = words.split(":", 1)
            if named and len(named.split()) <= 4 and not any(c.isdigit() for c in named):
                speaker, words = named.strip(), said.strip()
        if words:
            yield _Cue(timing.group(1), speaker, words)


def _turns(cues: list[_Cue]) -> Iterator[tuple[str, str, str]]:
    """(start, speaker, words) of each run of cues by one speaker: captions cut a sentence across cues."""
    start, speaker, words = cues[0].start, cues[0].speaker, [cues[0].words]
    for cue in cues[1:]:
        if cue.speaker != speaker:
            yield start, speaker, " ".join(words)
            start, speaker, words = cue.start, cue.speaker, []
        words.append(cue.words)
    yield start, speaker, " ".join(words)
