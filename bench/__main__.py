"""``python -m bench [--quick | --full | --smoke] [--sizes N,N] [--references-up-to N] [--json OUT]``."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from assistant._console import err, out
from bench.report import print_result, write_json
from bench.runner import PLANS, run


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    plan = PLANS[args.plan]
    if args.sizes:
        plan = dataclasses.replace(plan, sizes=tuple(args.sizes))
    if args.references_up_to is not None:
        plan = dataclasses.replace(plan, references_up_to=args.references_up_to)
    if args.no_server:
        plan = dataclasses.replace(plan, server=False)
    with tempfile.TemporaryDirectory(prefix="bench-", dir=args.work_dir) as work:
        result = run(plan, Path(work), say=lambda message: err.print(f"[dim]{message}[/dim]"))
        print_result(result, out)
        if args.json:
            write_json(result, args.json)
            err.print(f"wrote {args.json}")
    return 0


def _sizes(text: str) -> list[int]:
    try:
        return [int(size) for size in text.split(",") if size.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes takes chunk counts separated by commas, like 1000,5000, not {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Ingest and answer speed and memory, each as a ratio to a reference measured in the same run.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", dest="plan", action="store_const", const="quick", help="a few minutes: 200 and 600 chunks (default)")
    mode.add_argument("--full", dest="plan", action="store_const", const="full", help="the shared corpora and up to 20,000 chunks")
    mode.add_argument("--smoke", dest="plan", action="store_const", const="smoke", help="a tiny corpus in this process: checks the bench works")
    parser.set_defaults(plan="quick")
    parser.add_argument("--sizes", type=_sizes, help="generated corpus sizes in chunks, replacing the plan's (e.g. 1000,5000)")
    parser.add_argument(
        "--references-up-to", type=int, metavar="CHUNKS",
        help="run llama-index and the Chroma server only on corpora of at most this many chunks (each is another full embedding pass)",
    )
    parser.add_argument("--no-server", action="store_true", help="skip the Chroma server comparison")
    parser.add_argument("--json", type=Path, help="write every figure, its reference and ratio, and the raw timings here")
    parser.add_argument("--work-dir", type=Path, help="where to make the temporary folder of corpora and stores (removed at the end)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
