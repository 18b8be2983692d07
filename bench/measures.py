"""Measuring: a wall-and-CPU stopwatch, peak memory, and the ``Figure`` every result becomes.

Every figure is a value next to a reference measured in the same run, and their ratio
(``value / reference``). On a shared, noisy machine absolute numbers move with the load; ratios of
numbers taken minutes apart on the same machine move much less. CPU seconds are kept next to wall
seconds because they are the less load-sensitive of the two.
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Timing:
    """Wall and process CPU seconds (all threads) of one measured piece of work."""

    wall_s: float
    cpu_s: float

    def to_json(self) -> dict[str, float]:
        return {"wall_s": round(self.wall_s, 4), "cpu_s": round(self.cpu_s, 4)}


class Stopwatch:
    """``with Stopwatch() as watch: ...`` then ``watch.timing``."""

    def __enter__(self) -> Stopwatch:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timing = Timing(time.perf_counter() - self._wall, time.process_time() - self._cpu)


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (Linux reports ``ru_maxrss`` in KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> float:
    """The 1-minute load average: how busy the machine was when a figure was taken."""
    return round(os.getloadavg()[0], 2)


Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Target:
    """What the ratio should be: at least (``better="higher"``) or at most (``"lower"``) ``bound``."""

    bound: float
    better: Better

    def met(self, ratio: float) -> bool:
        return ratio >= self.bound if self.better == "higher" else ratio <= self.bound

    def __str__(self) -> str:
        return f"{'≥' if self.better == 'higher' else '≤'} {self.bound:g}"


@dataclass(frozen=True)
class Figure:
    """One measured number, the reference it is judged against, and ``ratio = value / reference``.

    >>> Figure("ingest.throughput", "gen-300", "embedded", 40.0, "chunks/s", "embedding limit", 50.0).ratio
    0.8
    """

    figure: str
    corpus: str
    store: str
    value: float
    unit: str
    reference_name: str
    reference: float
    target: Target | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """None when the reference is zero (a part that took no time because it was already done)."""
        return self.value / self.reference if self.reference else None

    @property
    def met(self) -> bool | None:
        return None if self.target is None or self.ratio is None else self.target.met(self.ratio)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["target"] = str(self.target) if self.target else None
        return data | {"ratio": None if self.ratio is None else round(self.ratio, 4), "met": self.met}
