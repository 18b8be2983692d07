"""The ``assistant`` command: parse arguments, call the Python API, print. No logic of its own."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import AssistantError
from assistant.retrieval import Filters
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.answer import Answer

EPILOG = """\
examples:
  assistant ingest seeds                  ingest the shipped article (incremental: re-runs skip unchanged files)
  assistant ingest ~/papers --dry-run     show what would be added, updated and removed
  assistant ask "Why was the SOCAR depot hit?"
  assistant chat                          a conversation in the terminal; follow-ups work
  assistant eval --baseline               score answers on the project's golden set
  assistant ui                            the chat app in your browser
  assistant config                        the effective settings (ASSISTANT_* variables and .env)

Settings come from ASSISTANT_* environment variables and .env; set OPENAI_API_KEY (and OPENAI_BASE_URL
for Ollama, vLLM or any OpenAI-compatible server) for generated answers.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    from assistant import logs

    logs.configure(verbose=args.verbose)
    try:
        return int(args.handler(args) or 0)
    except AssistantError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Ask questions about your documents and get answers cited to the exact passages.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    for register in _COMMANDS:
        register(commands)
    return parser


def _command(commands: argparse._SubParsersAction, name: str, help: str, epilog: str, handler: Callable) -> argparse.ArgumentParser:
    sub = commands.add_parser(
        name, help=help, description=help, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub.set_defaults(handler=handler)
    return sub


# --- ingest -------------------------------------------------------------------------------------------------


def _register_ingest(commands: argparse._SubParsersAction) -> None:
    sub = _command(
        commands,
        "ingest",
        "Parse, chunk, embed and store a folder (or file) of .txt, .md, .html and .pdf documents.",
        """\
Re-running is incremental: unchanged files are skipped without embedding, changed files are replaced,
files deleted from the folder are removed from the store, and renamed files keep their embeddings.

examples:
  assistant ingest seeds
  assistant ingest ~/notes --dry-run      print the plan, change nothing
  assistant ingest ~/notes --full         re-parse and re-embed everything under ~/notes
  assistant ingest ~/notes --json | jq .added

exit status: 0 all files ingested, 1 some files failed (the rest were stored), 2 the run could not start.
""",
        _ingest,
    )
    sub.add_argument("path", type=Path, help="folder or file to ingest")
    sub.add_argument("--full", action="store_true", help="rebuild: re-ingest every file, ignoring the manifest")
    sub.add_argument("--dry-run", action="store_true", help="print what would change and stop")
    sub.add_argument("--json", action="store_true", help="print the summary as one JSON object")


def _ingest(args: argparse.Namespace) -> int:
    from assistant.console import IngestDisplay, print_ingest_report
    from ingest.pipeline import ingest

    settings = Settings()
    with IngestDisplay(enabled=not args.json) as display:
        report = ingest(args.path, settings, full=args.full, dry_run=args.dry_run, progress=display)
    if args.json:
        print(json.dumps(report.summary()))
    else:
        print_ingest_report(report)
    return 1 if report.failed else 0


# --- ask and chat -------------------------------------------------------------------------------------------


def _register_ask(commands: argparse._SubParsersAction) -> None:
    sub = _command(
        commands,
        "ask",
        "Answer one question from the ingested documents, with numbered sources.",
        """\
Every [n] in the answer points at a source below it: the document, its date and the exact quote.
When the documents do not answer the question, it says so instead of guessing.

examples:
  assistant ask "Why was the SOCAR depot hit?"
  assistant ask "When was the article published?" --json
  assistant ask "What happened in Odesa?" --source global.espreso.tv --after 2025-08-01
""",
        _ask,
    )
    sub.add_argument("question", help="the question, in quotes")
    sub.add_argument("--json", action="store_true", help="print the answer and citations as JSON")
    _add_filter_arguments(sub)


def _add_filter_arguments(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--source", help="only documents from this source (e.g. a site name)")
    sub.add_argument("--path", action="append", default=[], help="only this document (repeatable)")
    sub.add_argument("--after", type=date.fromisoformat, help="only documents published on or after YYYY-MM-DD")
    sub.add_argument("--before", type=date.fromisoformat, help="only documents published on or before YYYY-MM-DD")


def _filters(args: argparse.Namespace) -> Filters | None:
    if not (args.source or args.path or args.after or args.before):
        return None
    paths = tuple(str(Path(p).expanduser().absolute()) for p in args.path)
    return Filters(source=args.source, paths=paths, published_after=args.after, published_before=args.before)


def _ask(args: argparse.Namespace) -> int:
    from assistant.console import print_answer
    from assistant.service import Assistant

    assistant = Assistant(Settings())
    if args.json:
        answer = assistant.ask(args.question, filters=_filters(args))
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print_answer(_streamed(assistant.stream(args.question, filters=_filters(args))))
    return 0


def _streamed(items: Iterable[str | Answer]) -> Answer:
    """Print text deltas as they arrive (LLM mode streams), return the final answer."""
    from assistant.answer import Answer

    answer = None
    for item in items:
        if isinstance(item, Answer):
            answer = item
    assert answer is not None
    return answer


def _register_chat(commands: argparse._SubParsersAction) -> None:
    _command(
        commands,
        "chat",
        "A conversation in the terminal: follow-up questions refer back to earlier answers.",
        """\
Type a question and press Enter; follow-ups like "and what prompted that?" work.
Commands: /new starts a new conversation, /quit (or Ctrl-D) leaves.
""",
        _chat,
    )


def _chat(args: argparse.Namespace) -> int:
    from assistant.console import print_answer
    from assistant.service import Assistant

    conversation = Assistant(Settings()).chat()
    print("Ask about your documents. /new starts over, /quit leaves.")
    while True:
        try:
            question = input("\nyou> ").strip()
        except EOFError:
            print()
            return 0
        if question in {"/quit", "/exit"}:
            return 0
        if question == "/new":
            conversation.reset()
            print("(new conversation)")
            continue
        if question:
            print_answer(_streamed(conversation.stream(question)), asked=question)


# --- config -------------------------------------------------------------------------------------------------


def _register_config(commands: argparse._SubParsersAction) -> None:
    _command(
        commands,
        "config",
        "Print the effective settings (from ASSISTANT_* variables, .env and defaults), secrets masked.",
        "example:\n  ASSISTANT_TOP_K=8 assistant config\n",
        _config,
    )


def _config(args: argparse.Namespace) -> int:
    settings = Settings()
    for name, value in settings.public_view().items():
        print(f"{name:20} {value}")
    print(f"{'store':20} {settings.store_description}")
    print(f"{'answers':20} {'LLM ' + settings.llm_model if settings.uses_llm else 'extractive (offline)'}")
    return 0


_COMMANDS = [_register_ingest, _register_ask, _register_chat, _register_config]
