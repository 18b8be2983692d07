#!/usr/bin/env bash
# Create .venv at the repo root and install the project (with --test: and its test tools).
# torch==2.13.0 goes first: it is the CPU build; any other torch spec may pull a multi-GB CUDA build.
# A second run with an unchanged pyproject.toml skips pip entirely.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
stamp=".venv/.installed$(echo "$extras" | tr -d '[]')"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv/bin/pip install --quiet --disable-pip-version-check torch==2.13.0
    .venv/bin/pip install --quiet --disable-pip-version-check -e ".$extras"
    echo "$want" > "$stamp"
fi
