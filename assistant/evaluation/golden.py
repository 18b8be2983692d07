"""Golden sets: questions with what a correct answer must contain, loaded and validated.

A golden set is a JSON file ``{"about": str, "cases": [case, ...]}`` where each case is::

    {"id": str, "turns": [str, ...], "must": [[str, ...], ...], "support": str | null, "abstain": bool}

``turns`` are the user's messages in one conversation (only the last is scored). An answerable case
needs at least one ``must`` group; an ``abstain`` case must have none. Unknown keys (``kind``,
SQuAD's ``doc`` and ``para``) are kept in ``GoldenCase.extra``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import InvalidGoldenSet

_KNOWN_KEYS = frozenset({"id", "turns", "must", "support", "abstain"})

_Fail = Callable[[str], InvalidGoldenSet]
"""Builds the error for one case from a description of its problem."""


@dataclass(frozen=True)
class GoldenCase:
    """One conversation and what its last answer must (or must not) do."""

    id: str
    turns: tuple[str, ...]
    must: tuple[tuple[str, ...], ...] = ()
    """Groups of alternatives: every group needs one alternative in the answer text."""
    support: str | None = None
    """A passage at least one citation quote must contain."""
    abstain: bool = False
    extra: dict[str, Any] = field(default_factory=dict, hash=False)
    """Keys the format does not define, preserved as read."""

    @property
    def question(self) -> str:
        """The scored turn: the last user message."""
        return self.turns[-1]

    @property
    def kind(self) -> str | None:
        """The optional ``kind`` label (who, what, follow-up, absent, ...)."""
        kind = self.extra.get("kind")
        return kind if isinstance(kind, str) else None

    def to_dict(self) -> dict[str, Any]:
        """The case as JSON-ready data, extra keys included."""
        data: dict[str, Any] = {"id": self.id, "turns": list(self.turns)}
        if self.must:
            data["must"] = [list(group) for group in self.must]
        data["support"] = self.support
        data["abstain"] = self.abstain
        return data | self.extra


@dataclass(frozen=True)
class GoldenSet:
    """A loaded golden set."""

    about: str
    cases: tuple[GoldenCase, ...]
    path: Path | None = None

    def __len__(self) -> int:
        return len(self.cases)


def default_golden_path() -> Path:
    """The project's own golden set over ``seeds/``, shipped inside the package."""
    return Path(__file__).parent / "golden" / "seeds.json"


def load_golden(path: str | Path) -> GoldenSet:
    """Read and validate a golden set; a malformed file raises ``InvalidGoldenSet`` naming file and case."""
    path = Path(path)
    data = _read_json(path)
    if not isinstance(data, dict):
        raise InvalidGoldenSet(f"{path}: expected a JSON object with 'about' and 'cases'")
    about = data.get("about", "")
    if not isinstance(about, str):
        raise InvalidGoldenSet(f"{path}: 'about' must be a string")
    raw_cases = data.get("cases")
    if not isinstance(raw_cases, list):
        raise InvalidGoldenSet(f"{path}: 'cases' must be a list")
    cases = tuple(_parse_case(path, position, raw) for position, raw in enumerate(raw_cases))
    _check_unique_ids(path, cases)
    return GoldenSet(about=about, cases=cases, path=path)


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidGoldenSet(f"{path}: cannot read golden set ({exc.strerror or exc})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidGoldenSet(f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc


def _parse_case(path: Path, position: int, raw: object) -> GoldenCase:
    if not isinstance(raw, Mapping):
        raise InvalidGoldenSet(f"{path}: case #{position} must be an object")
    case_id = raw.get("id")
    if not isinstance(case_id, str) or not case_id.strip():
        raise InvalidGoldenSet(f"{path}: case #{position} needs a non-empty string 'id'")

    def fail(problem: str) -> InvalidGoldenSet:
        return InvalidGoldenSet(f"{path}: case {case_id!r}: {problem}")

    turns = _parse_turns(raw.get("turns"), fail)
    must = _parse_must(raw.get("must"), fail)
    support = raw.get("support")
    if support is not None and (not isinstance(support, str) or not support.strip()):
        raise fail("'support' must be a non-empty string or null")
    abstain = raw.get("abstain", False)
    if not isinstance(abstain, bool):
        raise fail("'abstain' must be true or false")
    if abstain and (must or support):
        raise fail("an abstain case cannot have 'must' or 'support'")
    if not abstain and not must:
        raise fail("an answerable case needs at least one 'must' group")
    extra = {key: value for key, value in raw.items() if key not in _KNOWN_KEYS}
    return GoldenCase(id=case_id, turns=turns, must=must, support=support, abstain=abstain, extra=extra)


def _parse_turns(raw: object, fail: _Fail) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise fail("'turns' must be a non-empty list of questions")
    if not all(isinstance(turn, str) and turn.strip() for turn in raw):
        raise fail("every turn must be a non-empty string")
    return tuple(raw)


def _parse_must(raw: object, fail: _Fail) -> tuple[tuple[str, ...], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise fail("'must' must be a list of groups of alternatives")
    groups = []
    for number, group in enumerate(raw):
        if not isinstance(group, list) or not group:
            raise fail(f"'must' group #{number} is empty or not a list")
        if not all(isinstance(alt, str) and alt.strip() for alt in group):
            raise fail(f"'must' group #{number} holds an empty or non-string alternative")
        groups.append(tuple(group))
    return tuple(groups)


def _check_unique_ids(path: Path, cases: tuple[GoldenCase, ...]) -> None:
    if (repeated := _repeated_id(cases)) is not None:
        raise InvalidGoldenSet(f"{path}: case {repeated!r}: duplicate id")


def _repeated_id(cases: tuple[GoldenCase, ...]) -> str | None:
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            return case.id
        seen.add(case.id)
    return None


def as_golden_set(golden: GoldenSet | Path | str | Sequence[GoldenCase | GoldenSet | Path | str]) -> GoldenSet:
    """One ``GoldenSet`` from a set, a file, or a sequence of cases, sets and files (ids must be unique)."""
    if isinstance(golden, GoldenSet):
        return golden
    if isinstance(golden, (str, Path)):
        return load_golden(golden)
    sets = [_one_set(item) for item in golden]
    cases = tuple(case for part in sets for case in part.cases)
    if (repeated := _repeated_id(cases)) is not None:
        raise InvalidGoldenSet(f"case id {repeated!r} occurs in more than one of the golden sets given")
    about = " + ".join(dict.fromkeys(part.about for part in sets if part.about))
    paths = [part.path for part in sets if part.path]
    return GoldenSet(about=about, cases=cases, path=paths[0] if len(paths) == 1 else None)


def golden_paths(golden: GoldenSet | Path | str | Sequence[GoldenCase | GoldenSet | Path | str]) -> tuple[str, ...]:
    """The golden-set files behind ``golden``, in order."""
    if isinstance(golden, GoldenSet):
        return (str(golden.path),) if golden.path else ()
    if isinstance(golden, (str, Path)):
        return (str(golden),)
    return tuple(path for item in golden if not isinstance(item, GoldenCase) for path in golden_paths(item))


def _one_set(item: GoldenCase | GoldenSet | Path | str) -> GoldenSet:
    if isinstance(item, GoldenCase):
        return GoldenSet(about="", cases=(item,))
    return as_golden_set(item)
