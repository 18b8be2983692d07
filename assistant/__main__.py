"""``python -m assistant ...``: the ``assistant`` command, for environments without its script on PATH."""

import sys

from assistant.cli import main

sys.exit(main())
