"""The app in a real browser: ``assistant ui`` on 127.0.0.1, driven by Debian's headless Chromium.

Playwright's bundled browsers cannot be downloaded here, so the test drives ``/usr/bin/chromium``
(``scripts/test.sh`` installs it). Screenshots land in ``test-artifacts/`` at the repo root.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from assistant.settings import Settings
from tests.conftest import REPO_ROOT, SEEDS, free_port

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = REPO_ROOT / "test-artifacts"
# The server loads the embedding model on the first question: generous on a busy 2-core machine.
ANSWER_TIMEOUT_MS = 120_000
QUOTE = (
    "On July 10, Ukrainian President Volodymyr Zelenskyy and Azerbaijani President Ilham Aliyev held a phone call "
    "prompted by the strikes on Ukraine’s energy infrastructure used to transport Azerbaijani energy supplies."
)


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """``assistant ui`` serving a store with the seed article (this test's own: it uploads into it)."""
    from ingest.pipeline import ingest

    command = shutil.which("assistant", path=str(Path(sys.executable).parent))
    assert command, "the assistant command is missing from the virtualenv (pip install -e .)"
    port = free_port()
    log_path = tmp_path / "ui.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([command, "ui", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    try:
        # The server opens the store only when a page connects: ingest while it starts up.
        assert not ingest(SEEDS, Settings()).failed  # ASSISTANT_DATA_DIR is this test's tmp store
        _wait_until_healthy(port, server, log_path)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(server, log_path)


def _stop(server: subprocess.Popen, log_path: Path) -> None:
    """SIGTERM to ``assistant ui`` must stop Streamlit too: nothing may outlive it."""
    streamlit = psutil.Process(server.pid).children(recursive=True) if server.poll() is None else []
    server.send_signal(signal.SIGTERM)
    try:
        code = server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        code = None
    survivors = [p for p in streamlit if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    for process in survivors:
        process.kill()
    assert code == 0 and not survivors, f"`assistant ui` exit {code}, still running {survivors}:\n{log_path.read_text()}"


def _wait_until_healthy(port: int, server: subprocess.Popen, log_path: Path, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"`assistant ui` exited with {server.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"`assistant ui` did not answer on port {port} within {timeout_s}s:\n{log_path.read_text()}")


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it with `apt-get install chromium` (scripts/test.sh does)")
    return CHROMIUM


@pytest.fixture
def page(chromium: Path) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 1400})
        finally:
            browser.close()


def _ask(page: Page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    expect(box).to_be_enabled(timeout=ANSWER_TIMEOUT_MS)
    box.fill(question)
    box.press("Enter")


@pytest.mark.timeout(300)
def test_chat_with_cited_sources_follow_up_and_upload(chromium: Path, app_url: str, page: Page) -> None:
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Ask your documents")).to_be_visible(timeout=60_000)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Ukraine, Azerbaijan tighten ties amid Russian aggression")

    _ask(page, "What did Zelenskyy and Aliyev do on July 10?")
    messages = page.get_by_test_id("stChatMessage")
    answer = messages.nth(1)
    expect(answer).to_contain_text("held a phone call", timeout=ANSWER_TIMEOUT_MS)
    expect(answer.locator(".source-card mark")).to_have_text(QUOTE)
    expect(answer.locator(".source-card")).to_contain_text("global.espreso.tv · 11 Aug 2025")

    _ask(page, "What prompted it?")
    follow_up = messages.nth(3)
    expect(follow_up).to_contain_text("Answered as: What prompted it? (following up on:", timeout=ANSWER_TIMEOUT_MS)
    expect(follow_up).to_contain_text("strikes on Ukraine’s energy infrastructure")
    expect(follow_up.locator(".source-card mark")).to_be_visible()
    expect(page.get_by_test_id("stChatInputTextArea")).to_be_enabled(timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("[data-stale=true]")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "ui-chat.png"))

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        [
            {"name": "lighthouse.md", "mimeType": "text/markdown", "buffer": b"# Skerryvore lighthouse\n\nIt was first lit on 1 February 1844.\n"},
            {"name": "broken.txt", "mimeType": "text/plain", "buffer": bytes(range(256)) * 8},
        ]
    )
    page.get_by_role("button", name="Ingest uploaded files").click()
    expect(sidebar.get_by_test_id("stAlertContentError")).to_contain_text("broken.txt", timeout=ANSWER_TIMEOUT_MS)
    expect(sidebar).to_contain_text("Skerryvore lighthouse")
    expect(sidebar).to_contain_text("2 documents")
    expect(page.locator("[data-stale=true]")).to_have_count(0, timeout=ANSWER_TIMEOUT_MS)  # the run is over
    page.screenshot(path=str(ARTIFACTS / "ui-upload.png"))
