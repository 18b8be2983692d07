"""The Streamlit app, driven through ``AppTest``: the script runs for real against real stores.

Each test points the app at a store with ``ASSISTANT_DATA_DIR`` and reads what a user would see: the
chat messages, the source cards, the sidebar, the warnings.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import Assistant
from assistant.settings import Settings
from assistant.ui import APP_PATH
from assistant.ui.render import markdown_text
from assistant.ui.uploads import UnsafeName, safe_name, save_uploads, upload_dir
from tests.conftest import free_port
from tests.ingest.office_files import write_pptx

# The first run in a process loads the embedding model (seconds, more on a busy machine).
TIMEOUT_S = 120
FIRST = "What did Zelenskyy and Aliyev do on July 10?"
FIRST_QUOTE = (
    "On July 10, Ukrainian President Volodymyr Zelenskyy and Azerbaijani President Ilham Aliyev held a phone call "
    "prompted by the strikes on Ukraine’s energy infrastructure used to transport Azerbaijani energy supplies."
)


@pytest.fixture
def seeded_app(seeded_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(seeded_settings.data_dir))
    return _started()


def _started() -> AppTest:
    app = AppTest.from_file(str(APP_PATH), default_timeout=TIMEOUT_S).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _ask(app: AppTest, question: str) -> AppTest:
    app.chat_input(key="question").set_value(question).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _answer_text(app: AppTest) -> str:
    """The newest assistant message's text, as the user reads it (markdown escapes removed)."""
    message = app.chat_message[-1]
    assert message.name == "assistant"
    return _unescape(" ".join(m.value for m in message.markdown if "source-card" not in m.value))


def _unescape(markdown: str) -> str:
    return markdown.replace("\\", "")


def _page_source(app: AppTest) -> str:
    """Every element's full protobuf text (bodies, labels, help texts) in the main area and the sidebar."""

    def walk(node) -> list[str]:
        return [str(getattr(node, "proto", ""))] + [text for child in getattr(node, "children", {}).values() for text in walk(child)]

    return "\n".join(walk(app.main) + walk(app.sidebar))


def _cards(block) -> list[str]:
    return [m.value for m in block.markdown if "source-card" in m.value]


# --- answers and sources -----------------------------------------------------------------------------------


def test_answer_is_shown_with_its_quote_highlighted_in_context(seeded_app: AppTest) -> None:
    app = _ask(seeded_app, FIRST)
    assert [m.name for m in app.chat_message] == ["user", "assistant"]
    assert "phone call" in _answer_text(app)
    assert "[1]" in _answer_text(app)
    (cards,) = _cards(app.chat_message[-1])
    assert f"<mark>{html.escape(FIRST_QUOTE)}</mark>" in cards
    assert "Ukraine, Azerbaijan tighten ties amid Russian aggression" in cards
    assert "global.espreso.tv · 11 Aug 2025" in cards
    # The quote sits inside its surrounding text: the sentences before and after it are there too.
    before, after = cards.split("<mark>")[0], cards.split("</mark>")[1]
    assert "diplomatic pushback" in before and "Kovalenko calls it" in after
    # The verifier's confidence, quietly: one caption, a percentage.
    confidence = [c.value for c in app.chat_message[-1].caption if c.value.startswith("Confidence ")]
    assert len(confidence) == 1 and confidence[0].endswith("%") and 0 <= int(confidence[0][11:-1]) <= 100


def test_follow_up_is_answered_in_the_context_of_the_previous_turn(seeded_app: AppTest) -> None:
    _ask(seeded_app, FIRST)
    app = _ask(seeded_app, "What prompted it?")
    assert [m.name for m in app.chat_message] == ["user", "assistant"] * 2
    assert "strikes on Ukraine’s energy infrastructure" in _answer_text(app)
    shown_as = [c.value for c in app.chat_message[-1].caption]
    assert any(_unescape(c).startswith("Answered as: What prompted it? (following up on: " + FIRST) for c in shown_as)
    assert _cards(app.chat_message[-1])


def test_abstention_claims_no_sources(seeded_app: AppTest) -> None:
    app = _ask(seeded_app, "What is the weather in Odesa?")
    message = app.chat_message[-1]
    assert [i.value for i in message.info] == ["The documents do not answer this question."]
    assert not [c for c in message.caption if c.value.startswith("Confidence")], "an abstention shows no confidence"
    (related,) = message.expander
    assert related.label == "Related passages (not an answer)"
    # Every passage shown is inside the collapsed "related" expander, none as the answer's source.
    assert _cards(message) == _cards(related)


def test_conversations_are_per_session_and_can_be_started_over(seeded_settings: Settings, monkeypatch) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(seeded_settings.data_dir))
    alice, bob = _started(), _started()
    _ask(alice, FIRST)
    bob.run()
    assert len(alice.chat_message) == 2
    assert len(bob.chat_message) == 0
    assert FIRST not in str(bob.main)
    alice.button(key="new_conversation").click().run()
    assert len(alice.chat_message) == 0


# --- corpus, uploads and errors -----------------------------------------------------------------------------


def test_sidebar_lists_the_corpus_and_the_answering_mode(seeded_app: AppTest, seeded_assistant: Assistant) -> None:
    sidebar = " ".join(_unescape(m.value) for m in [*seeded_app.sidebar.markdown, *seeded_app.sidebar.caption])
    chunks = sum(doc.chunk_count for doc in seeded_assistant.documents())
    assert "Ukraine, Azerbaijan tighten ties amid Russian aggression" in sidebar
    assert f"global.espreso.tv · 11 Aug 2025 · {chunks} chunks" in sidebar
    assert f"1 document · {chunks} chunks · last ingest " in sidebar
    assert "Answering offline" in sidebar


def test_empty_store_says_how_to_add_documents() -> None:
    app = _started()
    (warning,) = app.warning
    assert "No documents have been ingested yet" in warning.value
    assert "assistant ingest FOLDER" in warning.value
    assert app.chat_input(key="question").disabled
    assert app.button(key="reingest").disabled  # ./seeds does not exist in this working directory


def test_reingest_button_ingests_the_configured_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "harbour.txt").write_text("Harbour notice\n\nThe harbour closes to small boats on 3 March 2025.\n")
    (corpus / "tides.json").write_text('{"high water": "06:12"}\n')  # text in a format not read
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    app = _started()
    assert app.warning  # nothing ingested yet
    app.button(key="reingest").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Harbour notice" in " ".join(m.value for m in app.sidebar.markdown)
    assert "Last ingest: 1 added" in _unescape(app.sidebar.success[0].value)
    assert "1 text file skipped, in formats not read here: .json (1)" in _unescape(app.sidebar.info[0].value)
    assert not app.warning


def test_failing_llm_is_a_quiet_warning_and_its_key_is_never_shown(
    seeded_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()  # nothing listens there: every request to the "LLM" fails at once
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(seeded_settings.data_dir))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-test-key-123456")
    monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "llama3.1:8b")
    app = _ask(_started(), FIRST)
    mode = " ".join(c.value for c in app.sidebar.caption)
    assert f"`llama3.1:8b` at `127.0.0.1:{port}`" in mode
    assert "phone call" in _answer_text(app)  # the extractive answer stands in
    warnings = [_unescape(c.value) for c in app.chat_message[-1].caption]
    assert any(f"LLM endpoint http://127.0.0.1:{port}/v1 failed" in w for w in warnings), warnings
    assert not app.error
    page = _page_source(app)
    assert "llama3.1:8b" in page and "secret" not in page


def test_unreachable_chroma_server_is_an_error_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setenv("ASSISTANT_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("ASSISTANT_CHROMA_PORT", str(port))
    app = _started()
    (error,) = app.error
    assert f"Chroma server at 127.0.0.1:{port} is unreachable" in error.value
    assert not app.chat_input


def test_uploaded_files_are_ingested_and_failures_named(tmp_path: Path) -> None:
    app = _started()
    notes = b"# Skerryvore lighthouse\n\nThe Skerryvore lighthouse was first lit on 1 February 1844. Its keeper logs the lamp oil.\n"
    app.file_uploader(key="upload_files").set_value(
        [
            ("lighthouse.md", notes, "text/markdown"),
            ("broken.txt", bytes(range(256)) * 8, "text/plain"),
            ("../../escape.txt", b"should never be written", "text/plain"),
        ]
    )
    app.button(key="upload_submit").click().run()
    assert not app.exception, [e.value for e in app.exception]

    sidebar = " ".join(_unescape(m.value) for m in app.sidebar.markdown)
    assert "Skerryvore lighthouse" in sidebar
    (failures,) = app.sidebar.error
    assert "broken.txt" in _unescape(failures.value) and "binary" in failures.value
    assert "../../escape.txt" in _unescape(failures.value) and "folder part" in failures.value
    folder = upload_dir(Settings())
    assert sorted(p.name for p in folder.iterdir()) == ["lighthouse.md"]  # the failed file is not kept
    assert not any(tmp_path.rglob("escape.txt"))

    app = _ask(app, "When was the Skerryvore lighthouse first lit?")
    assert "1 February 1844" in _answer_text(app)
    assert "lighthouse.md" in _cards(app.chat_message[-1])[0]


def test_an_uploaded_deck_is_answered_with_the_slide_named(tmp_path: Path) -> None:
    deck = write_pptx(
        tmp_path / "harbour.pptx",
        "Harbour board",
        [("Agenda", "Budget and repairs.", ""), ("Repairs", "The Skerryvore pier reopened on 9 March 2022.", "")],
    )
    app = _started()
    app.file_uploader(key="upload_files").set_value([(deck.name, deck.read_bytes(), "application/octet-stream")])
    app.button(key="upload_submit").click().run()
    assert not app.exception and not app.sidebar.error

    app = _ask(app, "When did the Skerryvore pier reopen?")
    assert "9 March 2022" in _answer_text(app)
    assert "slide 2" in _cards(app.chat_message[-1])[0]


# --- upload safety and escaping, without the app ------------------------------------------------------------


@dataclass
class _Upload:
    name: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def getvalue(self) -> bytes:
        return self.data


@pytest.mark.parametrize(
    "name",
    ["../../x.txt", "..", ".", "", "   ", ".env.txt", ".hidden.md", "a/b.txt", "a\\b.txt", "/etc/passwd.txt", "x\n.txt", "notes.exe"],
)
def test_unsafe_upload_names_are_refused(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "data" / "uploads"
    with pytest.raises(UnsafeName):
        safe_name(name)
    result = save_uploads([_Upload(name, b"text")], folder, max_bytes=1000)
    assert [r.name for r in result.rejected] == [name] and not result.saved
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # nothing written anywhere, not even inside


def test_plain_names_are_kept_and_written_inside_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    result = save_uploads([_Upload("Report 2025 (final).PDF", b"%PDF"), _Upload("notes.md", b"hi")], folder, 1000)
    assert result.saved == [folder / "Report 2025 (final).PDF", folder / "notes.md"]
    assert sorted(p.name for p in folder.iterdir()) == ["Report 2025 (final).PDF", "notes.md"]
    assert (folder / "notes.md").read_bytes() == b"hi"


def test_a_same_named_upload_keeps_both_files(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    save_uploads([_Upload("notes.md", b"mine")], folder, 1000)
    again = save_uploads([_Upload("notes.md", b"yours"), _Upload("notes.md", b"mine")], folder, 1000)
    assert again.saved == [folder / "notes (2).md", folder / "notes.md"]
    assert (folder / "notes.md").read_bytes() == b"mine" and (folder / "notes (2).md").read_bytes() == b"yours"


def test_bidi_controls_are_stripped_from_upload_names(tmp_path: Path) -> None:
    result = save_uploads([_Upload("invoice\u202egpj.txt", b"x")], tmp_path, 1000)
    assert [p.name for p in result.saved] == ["invoicegpj.txt"]


def test_files_over_the_size_limit_are_refused_before_writing(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    result = save_uploads([_Upload("big.txt", b"x" * 2001), _Upload("small.txt", b"x" * 2000)], folder, 2000)
    assert [(r.name, "over the 0.002 MB limit" in r.reason) for r in result.rejected] == [("big.txt", True)]
    assert [p.name for p in folder.iterdir()] == ["small.txt"]


def test_markdown_text_shows_document_text_literally() -> None:
    text = "It cost $5 and $10 *each*; see [site](http://x) <b>now</b> ![img](http://y)"
    escaped = markdown_text(text)
    assert r"\$5" in escaped and r"\[site\]\(" in escaped and r"\<b\>" in escaped and r"\!\[" in escaped
    assert _unescape(escaped) == text


def test_source_cards_escape_what_documents_contain() -> None:
    from assistant.answer import Citation
    from assistant.ui.render import quote_in_context, source_card

    text = "Intro <script>alert(1)</script> then the <img src=x onerror=alert(2)> quote & more.\n\nNext paragraph."
    start = text.index("<img")
    quote = text[start : text.index(" quote") + 6]
    citation = Citation(1, "T <i>", "site", "/d/x.html", "2025-01-02", quote, start, start + len(quote))
    card = source_card(citation, quote_in_context(citation, text))
    assert "<script>" not in card and "<img" not in card and "<i>" not in card
    assert f"<mark>{html.escape(quote)}</mark>" in card
    assert "\n" not in card  # a blank line would end the HTML block and let markdown render the rest
    assert "2 Jan 2025" in card
