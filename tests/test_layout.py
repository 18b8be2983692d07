"""The architecture the layout promises: ``ingest`` writes the store and never reaches for a front door
(CLI, UI, evaluation), and no two modules import each other, directly or through others."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

PACKAGES = ("assistant", "ingest")
FRONT_DOORS = ("assistant.cli", "assistant._console", "assistant.ui", "assistant.evaluation", "assistant.__main__")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            parts = path.relative_to(REPO_ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules ``path`` imports when it runs (``if TYPE_CHECKING:`` blocks left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    package = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])])
            found |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names}
    return {name for name in found if name in known}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) for name, path in known.items()}


def cycle_through(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_ingest_never_imports_a_front_door() -> None:
    edges = graph()
    reached = {(module, target) for module, targets in edges.items() if module.startswith("ingest") for target in targets}
    assert not {(m, t) for m, t in reached if t.startswith(FRONT_DOORS)}


def test_importing_ingest_loads_no_front_door() -> None:
    """``python -m ingest`` hands over to the CLI at run time; importing the library must not."""
    code = "import sys, ingest.pipeline, ingest.loaders; print(sorted(m for m in sys.modules if m.startswith(%r)))" % FRONT_DOORS[0]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stderr


def test_no_module_imports_itself_through_others() -> None:
    edges = graph()
    # The package's lazy __getattr__ exports name every public type; a module importing ``assistant`` for
    # ``Settings`` is not a cycle, so the package node's own edges are left out.
    edges["assistant"] = set()
    assert cycle_through(edges) is None
