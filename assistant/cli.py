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
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.retrieval import Filters

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
    from assistant import _logs as logs

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
        "Parse, chunk, embed and store a folder (or file) of documents.",
        """\
formats: text (.txt), Markdown (.md), reStructuredText (.rst), Jupyter notebooks (.ipynb), transcripts
and subtitles (.vtt, .srt; cited by the time said), web pages (.html, .xhtml, and .mhtml and .webarchive
archives), e-mail (.eml, with its attachments), PDF (.pdf; scanned pages are read by OCR, offline, a few
seconds a page), Word (.docx), OpenDocument text (.odt), RTF (.rtf), PowerPoint and OpenDocument slides
(.pptx, .odp; cited by slide), EPUB (.epub; cited by chapter) and spreadsheets (.csv, .tsv, .xlsx,
.ods; a row per line, labelled by the header; cited by sheet). Other files are skipped; damaged,
password-protected or DRM-locked ones are reported by name with the reason, and what is already stored
for them is kept.

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
    from assistant._console import IngestDisplay, print_ingest_report
    from assistant.service import Assistant

    with IngestDisplay(enabled=not args.json) as display:
        report = Assistant(Settings()).ingest(args.path, full=args.full, dry_run=args.dry_run, progress=display)
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
When the documents do not answer the question, it says so instead of guessing, and lists related
passages (not an answer), starting with the sentence that came closest: check it when you expected one.
Set ASSISTANT_ANSWER_THRESHOLD (0-1; unset, the model's own) lower to answer more, higher to refuse more.

examples:
  assistant ask "Why was the SOCAR depot hit?"
  assistant ask "When was the article published?" --json
  assistant ask "What happened in Odesa?" --source global.espreso.tv --after 2025-08-01
  assistant ask "What documents do you have?"          each document's title and opening
  assistant ask "Which documents mention Firefox?"     each with the sentence that does
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
    from assistant.retrieval import Filters

    paths = tuple(str(Path(p).expanduser().absolute()) for p in args.path)
    return Filters(source=args.source, paths=paths, published_after=args.after, published_before=args.before)


def _ask(args: argparse.Namespace) -> int:
    from assistant._console import print_answer
    from assistant.service import Assistant

    assistant = Assistant(Settings())
    if args.json:
        answer = assistant.ask(args.question, filters=_filters(args))
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print_answer(_streamed(assistant.stream(args.question, filters=_filters(args)), live=assistant.settings.uses_llm))
    return 0


def _streamed(items: Iterable[str | Answer], live: bool = False) -> Answer:
    """The final answer; with ``live`` (LLM mode) on a terminal, the model's text is shown as it arrives.

    The live draft is erased once the checked answer (citations verified and renumbered) is ready to print.
    """
    from contextlib import nullcontext

    from rich.live import Live
    from rich.text import Text

    from assistant.answer import Answer
    from assistant._console import out

    answer = None
    draft = Text(style="dim")
    with Live(draft, console=out, transient=True, auto_refresh=False) if live and out.is_terminal else nullcontext() as view:
        for item in items:
            if isinstance(item, Answer):
                answer = item
            elif view is not None:
                draft.append(item)
                view.refresh()
    assert answer is not None
    return answer


def _register_chat(commands: argparse._SubParsersAction) -> None:
    _command(
        commands,
        "chat",
        "A conversation in the terminal: follow-up questions refer back to earlier answers.",
        """\
Type a question and press Enter; follow-ups like "and what prompted that?" work, "tell me more"
reads on from where the answer stopped, "what else?" asks the question before again for what was not
quoted yet, and "who is X and where did he …?" is asked as two questions.
Commands: /new starts a new conversation, /quit (or Ctrl-D) leaves.
""",
        _chat,
    )


def _chat(args: argparse.Namespace) -> int:
    from assistant._console import print_answer
    from assistant.service import Assistant

    assistant = Assistant(Settings())
    conversation = assistant.chat()
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
            print_answer(_streamed(conversation.stream(question), live=assistant.settings.uses_llm), asked=question)


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


# --- ui -----------------------------------------------------------------------------------------------------


def _register_ui(commands: argparse._SubParsersAction) -> None:
    sub = _command(
        commands,
        "ui",
        "Open the chat app in your browser: ask questions, read the cited passages, upload documents.",
        """\
Starts a local Streamlit server and prints its address; Ctrl-C stops it.

examples:
  assistant ui                            then open http://127.0.0.1:8501
  assistant ui --port 8600
  assistant ui --host 0.0.0.0             listen on every interface (anyone who reaches it can upload)
""",
        _ui,
    )
    sub.add_argument("--port", type=int, default=8501, help="port to listen on (default 8501)")
    sub.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")


def _ui(args: argparse.Namespace) -> int:
    import signal
    import subprocess

    from assistant.ui import APP_PATH

    # Flags rather than .streamlit/config.toml, which Streamlit only reads from the working directory.
    command = [sys.executable, "-m", "streamlit", "run", str(APP_PATH), "--server.port", str(args.port)]
    command += ["--server.address", args.host, "--browser.gatherUsageStats", "false", "--server.headless", "true"]
    command += ["--client.toolbarMode", "minimal"]
    process = subprocess.Popen(command)
    signal.signal(signal.SIGTERM, lambda signum, frame: process.send_signal(signum))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)  # a terminal's Ctrl-C reached it already; a `kill -INT` did not
        process.wait()
        return 130


# --- eval ---------------------------------------------------------------------------------------------------


def _register_eval(commands: argparse._SubParsersAction) -> None:
    sub = _command(
        commands,
        "eval",
        "Score the assistant's answers on a golden set of questions (and, with --baseline, a naive pipeline's).",
        """\
Each golden case is a conversation: every turn is asked in a fresh chat and the last answer is scored.
It passes when the answer contains the case's `must` phrases and a citation quotes its `support`
passage, or, for a question the documents do not answer, when the assistant says so. Every quote is
checked against the stored text, and retrieval is checked for the support passage (hit@k, MRR).
--baseline also scores llama-index's naive pipeline over the same store (the best chunk as the answer)
with the same scorer, so the table shows what the assistant adds.

examples:
  assistant eval                                  the packaged golden set against your current store
  assistant eval --corpus seeds --baseline        ingest seeds/ into a temporary store first (yours is untouched)
  assistant eval --corpus ../shared/eval/squad2/corpus --golden ../shared/eval/squad2/qa_dev.json --baseline
  assistant eval --limit 10 --html report.html    a quick look at the first 10 cases, in a browser
  assistant eval --json results.json --min-pass 0.8   for CI: exit status 1 when fewer than 80% pass

a golden set is a JSON file:
  {"about": "what it tests",
   "cases": [{"id": "deal-route", "turns": ["What did Naftogaz sign?", "Which route will the gas take?"],
              "must": [["Trans-Balkan"]], "support": "via the Trans-Balkan route", "abstain": false}]}
  must: groups of alternatives, one of each group must be in the answer; support: text a quote must hold;
  abstain: true for questions the documents do not answer (then no must or support).

exit status: 0 evaluated (pass rate at least --min-pass), 1 pass rate below --min-pass, 2 the run could not start.
""",
        _eval,
    )
    sub.add_argument(
        "--golden", type=Path, nargs="+", action="extend", metavar="FILE", help="golden-set JSON file(s) (default: the packaged seeds set)"
    )
    sub.add_argument("--corpus", type=Path, metavar="DIR", help="ingest DIR into a temporary store and evaluate against it")
    sub.add_argument("--json", type=Path, metavar="OUT", help="write every case and the metrics as JSON to OUT")
    sub.add_argument("--html", type=Path, metavar="OUT", help="write a self-contained HTML report to OUT")
    sub.add_argument("--min-pass", type=_share, metavar="RATE", help="exit with status 1 when the pass rate is below RATE (0.8 or 80%%)")
    sub.add_argument("--baseline", action="store_true", help="also score llama-index's naive top-chunk pipeline and show the difference")
    sub.add_argument("--limit", type=int, metavar="N", help="only the first N cases")


def _share(text: str) -> float:
    value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a rate: give 0..1 or 0%..100%")
    return value


def _eval(args: argparse.Namespace) -> int:
    import logging
    from dataclasses import replace

    from assistant.errors import EmptyStore
    from assistant.evaluation import as_golden_set, default_golden_path, evaluate
    from assistant.evaluation.report import EvalDisplay, print_report, write_html, write_json

    if not args.verbose:
        # log lines per answer and per ingest would break the progress bars; the report has the numbers
        for name in ("assistant.service", "ingest.pipeline"):
            logging.getLogger(name).setLevel(logging.WARNING)
    golden = as_golden_set(args.golden or [default_golden_path()])  # InvalidGoldenSet: one line from main()
    if args.limit:
        golden = replace(golden, cases=golden.cases[: args.limit])
    try:
        with EvalDisplay() as display:
            run = evaluate(golden, settings=Settings(), corpus=args.corpus, baseline=args.baseline, progress=display)
    except EmptyStore as error:
        print(f"error: {error} Or evaluate on a temporary store: `assistant eval --corpus seeds`.", file=sys.stderr)
        return 2
    print_report(run)
    for path, write in ((args.json, write_json), (args.html, write_html)):
        if path:
            write(run, path)
            print(f"wrote {path}")
    pass_rate = run.ours.metrics.summary.pass_rate or 0.0
    if args.min_pass is not None and pass_rate < args.min_pass:
        print(f"pass rate {pass_rate:.1%} is below --min-pass {args.min_pass:.1%}", file=sys.stderr)
        return 1
    return 0


_COMMANDS = [_register_ingest, _register_ask, _register_chat, _register_config, _register_ui, _register_eval]
