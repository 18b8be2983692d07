"""``python -m ingest [-v] PATH [--full] [--dry-run] [--json]``: kept for those who learned it; the same as
``python -m assistant [-v] ingest ...``. An entry point, not part of the library: nothing imports it, so
the ``ingest`` package itself never loads the CLI."""

import runpy
import sys

_VERBOSE = ("-v", "--verbose")
# -v belongs to the top-level parser, before the command name.
_args = sys.argv[1:]
sys.argv = [sys.argv[0], *(a for a in _args if a in _VERBOSE), "ingest", *(a for a in _args if a not in _VERBOSE)]
runpy.run_module("assistant", run_name="__main__", alter_sys=True)
