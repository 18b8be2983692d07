"""``python -m ingest [-v] FOLDER [--full] [--dry-run] [--json]``: the same as ``assistant [-v] ingest ...``."""

import sys

from assistant.cli import main

_VERBOSE = ("-v", "--verbose")
# -v belongs to the top-level parser, before the command name.
_args = sys.argv[1:]
sys.exit(main([*(a for a in _args if a in _VERBOSE), "ingest", *(a for a in _args if a not in _VERBOSE)]))
