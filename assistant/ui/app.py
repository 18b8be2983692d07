"""The chat app: ``assistant ui``, or ``streamlit run assistant/ui/app.py``.

Streamlit runs this script from the top on every interaction. The process holds one ``Assistant``
(``st.cache_resource``); each browser session holds its own ``Conversation`` in ``st.session_state``,
so one user's questions never show up in another's page. Retrieval and answering live in
``assistant``; this file only lays out what they return.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from assistant import Answer, Assistant, AssistantError, Citation, Conversation, EmptyStore, InvalidSettings, Settings, StoreUnavailable
from assistant._corpus import StoredDocument
from assistant._resources import llm_endpoint
from assistant.ui import render, uploads

if TYPE_CHECKING:
    from ingest.pipeline import FileOutcome

# What an ingest run shows when it is over: a headline, and (file, reason) for each file not ingested.
#: (headline, (file, reason) for each file not ingested, notes: files skipped, aliases, repairs).
IngestResult = tuple[str, list[tuple[str, str]], list[str]]

EMPTY_STORE = (
    "No documents have been ingested yet. Add some with **Add documents** in the sidebar, "
    "or run `assistant ingest FOLDER` in a terminal (for example `assistant ingest seeds`)."
)
INTRO = (
    "Answers are built from your documents only. Every [n] points to a source under the answer, with the "
    "quoted passage highlighted in its context; when the documents do not say, the assistant tells you so."
)


@st.cache_resource(show_spinner=False)
def _assistant(_settings: Settings, key: str) -> Assistant:
    """The process's one ``Assistant`` (one per distinct settings: ``key`` is what the cache hashes)."""
    return Assistant(_settings)


@st.cache_resource(show_spinner=False)
def _ingest_lock(key: str) -> threading.Lock:
    """Sessions take turns ingesting into one store: runs are not meant to overlap."""
    return threading.Lock()


def main() -> None:
    st.set_page_config(page_title="Ask your documents", page_icon=":material/description:")
    st.html(f"<style>{render.CSS}</style>")
    settings = _settings()
    assistant = _assistant(settings, settings.model_dump_json())
    if "conversation" not in st.session_state:
        st.session_state.conversation = assistant.chat()
    try:
        with st.sidebar:
            documents = _sidebar(assistant)
        _chat(assistant, st.session_state.conversation, documents)
    except AssistantError as error:
        _show_error(error)


def _settings() -> Settings:
    try:
        return Settings()
    except InvalidSettings as error:
        st.error(str(error))
        st.stop()


def _show_error(error: AssistantError) -> None:
    if isinstance(error, EmptyStore):
        st.warning(EMPTY_STORE)
    elif isinstance(error, StoreUnavailable):
        st.error(str(error))
        st.stop()
    else:
        st.error(str(error))


# --- chat ---------------------------------------------------------------------------------------------------


def _chat(assistant: Assistant, conversation: Conversation, documents: list[StoredDocument]) -> None:
    title, new = st.columns([4, 1], vertical_alignment="bottom")
    title.title("Ask your documents")
    if new.button("New conversation", key="new_conversation"):
        conversation.reset()
    if not documents:
        st.warning(EMPTY_STORE)
        st.chat_input("Add documents first", key="question", disabled=True)
        return
    if not conversation.turns:
        st.caption(INTRO)
    for turn in conversation.turns:
        with st.chat_message("user"):
            st.markdown(render.markdown_text(turn.question))
        with st.chat_message("assistant"):
            _show_answer(assistant, turn.question, turn.answer)
    question = st.chat_input("Ask a question about your documents", key="question", submit_mode="disable")
    if question and question.strip():
        _ask(assistant, conversation, question.strip())


def _ask(assistant: Assistant, conversation: Conversation, question: str) -> None:
    with st.chat_message("user"):
        st.markdown(render.markdown_text(question))
    with st.chat_message("assistant"):
        slot = st.empty()
        final: list[Answer] = []
        try:
            with slot.container(), st.spinner("Searching your documents…"):
                st.write_stream(_text_deltas(conversation.stream(question), final))
        except AssistantError as error:
            slot.empty()
            _show_error(error)
            return
        _show_answer(assistant, question, final[0], slot)


def _text_deltas(items: Iterable[str | Answer], final: list[Answer]) -> Iterator[str]:
    """The stream's text, escaped for markdown; the final ``Answer`` is put in ``final``."""
    for item in items:
        if isinstance(item, Answer):
            final.append(item)
        else:
            yield render.markdown_text(item)


def _show_answer(assistant: Assistant, asked: str, answer: Answer, slot: DeltaGenerator | None = None) -> None:
    """The answer text (an abstention as a notice), then its sources as numbered cards."""
    with (slot or st.empty()).container():
        if answer.abstained:
            st.info(render.markdown_text(answer.text), icon=":material/search_off:")
        else:
            st.markdown(render.markdown_text(answer.text))
    if answer.question.strip() != asked.strip():
        st.caption(f"Answered as: {render.markdown_text(answer.question)}")
    if not answer.abstained and (label := render.confidence_label(answer.confidence)):
        st.caption(label)
    if answer.citations:
        st.markdown(_cards(assistant, answer.citations), unsafe_allow_html=True)
    if answer.related:
        with st.expander("Related passages (not an answer)", expanded=False):
            st.markdown(_cards(assistant, answer.related), unsafe_allow_html=True)
    for warning in answer.warnings:
        st.caption(f":material/warning: {render.markdown_text(warning)}")


def _cards(assistant: Assistant, citations: list[Citation]) -> str:
    cards = []
    for citation in citations:
        document = assistant.document(citation.doc_id)
        text = assistant.document_text(citation.doc_id)
        context = render.quote_in_context(citation, text, document.body_start if document else 0)
        cards.append(render.source_card(citation, context))
    return render.source_cards(cards)


# --- sidebar ------------------------------------------------------------------------------------------------


def _sidebar(assistant: Assistant) -> list[StoredDocument]:
    """Answering mode, the corpus, and the controls that add to it; returns the documents listed."""
    settings = assistant.settings
    st.subheader("Documents")
    corpus = st.container()
    _upload_form(assistant)
    _reingest_button(assistant)
    _last_ingest()
    st.divider()
    st.caption(_mode(settings))
    st.caption(f"Store: {render.markdown_text(settings.store_description)}")
    documents = assistant.documents()
    with corpus:
        _corpus(documents)
    return documents


def _mode(settings: Settings) -> str:
    if settings.uses_llm:
        from urllib.parse import urlsplit

        host = urlsplit(llm_endpoint(settings)).netloc or llm_endpoint(settings)
        return f"Answering with the language model `{settings.llm_model}` at `{host}`; citations are checked against the documents."
    return "Answering offline: answers are sentences quoted from your documents; no language model is used."


def _corpus(documents: list[StoredDocument]) -> None:
    if not documents:
        st.caption("Nothing ingested yet.")
        return
    chunks = sum(doc.chunk_count for doc in documents)
    last = render.time_label(max(doc.ingested_at for doc in documents))
    st.caption(f"{render.plural(len(documents), 'document')} · {render.plural(chunks, 'chunk')} · last ingest {last}")
    with st.expander("Ingested documents", expanded=len(documents) <= 8):
        for doc in documents:
            st.markdown(render.document_line(doc))


def _upload_form(assistant: Assistant) -> None:
    with st.form("upload", clear_on_submit=True, border=False):
        files = st.file_uploader(
            "Add documents",
            type=uploads.accepted_types(),
            accept_multiple_files=True,
            key="upload_files",
            max_upload_size=math.ceil(assistant.settings.max_file_mb),
            help=f"Saved in {uploads.upload_dir(assistant.settings)} and ingested; "
            f"up to {assistant.settings.max_file_mb:g} MB each.",
        )
        submitted = st.form_submit_button("Ingest uploaded files", key="upload_submit")
    if submitted and files:

        def run(progress: _IngestStatus) -> IngestResult:
            outcome = uploads.ingest_uploads(files, assistant, progress)
            refused = [(rejected.name, rejected.reason) for rejected in outcome.uploads.rejected]
            if outcome.report is None:
                return "No file was ingested.", refused, []
            return render.ingest_headline(outcome.report), refused + render.ingest_failures(outcome.report), outcome.report.notes

        _run_ingest(assistant, f"Ingesting {render.plural(len(files), 'uploaded file')}…", run)


def _reingest_button(assistant: Assistant) -> None:
    folder = assistant.settings.corpus_dir
    exists = folder.is_dir()
    hint = f"Ingest {folder.absolute()} again (unchanged files are skipped)." if exists else (
        f"{folder.absolute()} does not exist; set ASSISTANT_CORPUS_DIR to the folder to re-ingest."
    )
    if st.button(f"Re-ingest {folder}", key="reingest", disabled=not exists, help=hint):
        def run(progress: _IngestStatus) -> IngestResult:
            report = assistant.ingest(folder, progress=progress)
            return render.ingest_headline(report), render.ingest_failures(report), report.notes

        _run_ingest(assistant, f"Ingesting {folder}…", run)


def _run_ingest(assistant: Assistant, label: str, run: Callable[[_IngestStatus], IngestResult]) -> None:
    """Run one ingest with a live progress box; its summary stays in the sidebar until the next one."""
    slot = st.empty()
    with _ingest_lock(assistant.settings.model_dump_json()), slot.status(label, expanded=True) as status:
        try:
            headline, failures, notes = run(_IngestStatus(status))
        except AssistantError as error:
            headline, failures, notes = "Ingest did not run.", [("", str(error))], []
    slot.empty()  # the summary below replaces the progress box
    st.session_state.last_ingest = (headline, failures, notes)


def _last_ingest() -> None:
    if "last_ingest" not in st.session_state:
        return
    headline, failures, notes = st.session_state.last_ingest
    (st.warning if failures else st.success)(f"Last ingest: {render.markdown_text(headline)}")
    if failures:
        st.error("Not ingested:\n" + "\n".join(_failure_line(name, reason) for name, reason in failures))
    if notes:
        st.info("\n".join(f"- {render.markdown_text(note)}" for note in notes))


def _failure_line(name: str, reason: str) -> str:
    named = f"**{render.markdown_text(name)}**: " if name else ""
    return f"- {named}{render.markdown_text(reason)}"


class _IngestStatus:
    """The ingest pipeline's progress callbacks, drawn as a progress bar inside an ``st.status`` box."""

    def __init__(self, status: DeltaGenerator) -> None:
        self._bar = status.progress(0.0, text="Reading files…")
        self._total = self._done = self._chunks = 0

    def planned(self, files: int, to_process: int) -> None:
        self._total = to_process
        self._show()

    def file_done(self, outcome: FileOutcome) -> None:
        self._done += 1
        self._show()

    def embedded(self, chunks: int) -> None:
        self._chunks += chunks
        self._show()

    def ocr_page(self, path: str, done: int, total: int) -> None:
        self._bar.progress(done / total, text=f"Reading scanned pages of {Path(path).name} (OCR): {done}/{total}")

    def _show(self) -> None:
        fraction = self._done / self._total if self._total else 1.0
        self._bar.progress(min(fraction, 1.0), text=f"{self._done}/{self._total} files · {self._chunks} chunks embedded")


main()
