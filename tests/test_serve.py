"""`interview-sim serve` driven from a real headless Chromium (Debian's `chromium`; .ci/run
installs it), with Playwright pointed at that binary (no browser download).

The page draws the app with xterm.js on a canvas, so there is no text in the DOM: the page's
script is served with one line added that leaves its terminal object on `window`, and the
tests read the terminal's screen buffer, which is what the person sees.

Set INTERVIEW_SIM_SCREENSHOT_DIR=docs/screenshots to refresh the README's browser.png.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)",
    ),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")

PRACTICE = ["--topic", "decoding", "--questions", "1", "--follow-ups", "0"]
PRACTICE += ["--mode", "practice", "--seed", "7"]
ANSWER = "The model emits an EOS token; stop sequences and a max length limit also end it."


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def served(sessions: Path, *flags: str, start: tuple[str, ...] = ()) -> Iterator[Server]:
    """`interview-sim serve` on a free port, stopped (ctrl+c, then harder) however the test ends."""
    port = free_port()
    command = [sys.executable, "-m", "interview_sim", "serve", "--port", str(port)]
    command += ["--sessions-dir", str(sessions), *flags]
    if start:
        command += ["--", *start]
    env = {**os.environ, "INTERVIEW_SIM_CONFIG": "off"}
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,  # its tabs' apps are in its process group: stopped with it
    )
    try:
        url = _read_url(proc)
        assert wait_until(lambda: _listening(port)), "the server never listened"
        yield Server(proc, url, port)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


class Server:
    def __init__(self, proc: subprocess.Popen[str], url: str, port: int) -> None:
        self.proc, self.url, self.port = proc, url, port

    def stop(self, timeout: float = 15) -> tuple[int, str]:
        """ctrl+c, as a person stops it: the exit code and what it printed."""
        self.proc.send_signal(signal.SIGINT)
        out, _ = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out

    def apps(self) -> list[int]:
        """Process ids of the tabs' apps (the server's children)."""
        children: list[int] = []
        for task in Path(f"/proc/{self.proc.pid}/task").glob("*"):
            with_children = task / "children"
            if with_children.exists():
                children += [int(p) for p in with_children.read_text().split()]
        return children


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _read_url(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    seen = ""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            seen += line
            if match := re.search(r"serving on (\S+)", line):
                return match.group(1)
        if proc.poll() is not None:
            break
    raise AssertionError(f"the server did not start: {seen}")


@contextmanager
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


def open_app(chromium: Any, url: str) -> Any:
    """A page showing the app, its terminal reachable as window.__textual."""
    page = chromium.new_page(viewport={"width": 1100, "height": 700})

    def expose_terminal(route: Any) -> None:
        response = route.fetch()
        script, found = re.subn(
            r"(const (\w+)=new \w+\(e,\{ping:r\}\);)", r"\1window.__textual=\2;", response.text()
        )
        assert found == 1, "textual-serve's textual.js changed: update expose_terminal"
        route.fulfill(response=response, body=script)

    page.route("**/static/js/textual.js", expose_terminal)
    page.goto(url)
    return page


def screen(page: Any) -> str:
    text: str = page.evaluate(
        """() => {
            if (!window.__textual) return "";
            const buffer = window.__textual.terminal.buffer.active, lines = [];
            for (let i = 0; i < buffer.length; i++)
                lines.push(buffer.getLine(i).translateToString(true));
            return lines.join("\\n");
        }"""
    )
    return text


def wait_for(page: Any, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(page)
        if text in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the page shows:\n{shown}")


def type_answer(page: Any, text: str) -> None:
    page.locator(".xterm-helper-textarea").focus()  # where xterm.js takes keys
    page.keyboard.type(text)


def transcripts(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml")))


def wait_until(check: Any, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return bool(check())


def test_practice_answer_submitted_in_the_browser(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    with served(sessions, start=tuple(PRACTICE)) as server, browser() as chromium:
        page = open_app(chromium, server.url)
        wait_for(page, "Q1 of 1")
        type_answer(page, ANSWER)
        wait_for(page, "max length limit")
        page.keyboard.press("Control+s")
        shown = wait_for(page, "Model answer")
        assert re.search(r"Score \d+/100", shown)
        assert "model emits an end token" in shown  # a concept the answer hit, ticked
        page.keyboard.press("Tab")  # the folded wrong claims to check, opened by key
        page.keyboard.press("Enter")
        wait_for(page, "The grader matches words, not meaning")
        page.screenshot(path=tmp_path / "browser.png")
        if target := os.environ.get("INTERVIEW_SIM_SCREENSHOT_DIR"):
            shutil.copy(tmp_path / "browser.png", Path(target) / "browser.png")
    saved = transcripts(sessions)
    assert ANSWER in saved
    assert "status: completed" in saved or "completed" in saved


def test_closing_the_tab_mid_answer_keeps_the_draft(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    with served(sessions, start=tuple(PRACTICE)) as server, browser() as chromium:
        page = open_app(chromium, server.url)
        wait_for(page, "Q1 of 1")
        (app,) = server.apps()
        type_answer(page, "half an answer about zebra tokens")
        wait_for(page, "zebra tokens")
        page.close()  # well before the 2 s pause after which typing is kept anyway
        # the tab's app ends with its tab, and has kept what was typed
        assert wait_until(lambda: app not in server.apps(), timeout=10)
        assert "half an answer about zebra tokens" in transcripts(sessions)
        assert "draft" in transcripts(sessions)


def test_ctrl_c_stops_the_server_and_keeps_open_answers(tmp_path: Path) -> None:
    sessions = tmp_path / "sessions"
    with served(sessions, start=tuple(PRACTICE)) as server, browser() as chromium:
        page = open_app(chromium, server.url)
        wait_for(page, "Q1 of 1")
        type_answer(page, "typed while the server stopped")
        wait_for(page, "server stopped")
        started = time.monotonic()
        code, out = server.stop()  # SIGINT to the server alone: it must tell the tab's app
        assert code == 0, out
        assert time.monotonic() - started < 10
        assert "Traceback" not in out
        assert "typed while the server stopped" in transcripts(sessions)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_request_without_the_token_is_refused(tmp_path: Path) -> None:
    with served(tmp_path / "sessions", "--token") as server:
        assert "token=" in server.url
        base = f"http://127.0.0.1:{server.port}"
        assert _status(server.url) == 200
        assert _status(f"{base}/") == 403
        assert _status(f"{base}/?token=wrong") == 403
        assert _status(f"{base}/static/js/textual.js") == 403


def test_the_page_reaches_its_app_with_the_token(tmp_path: Path) -> None:
    """The token is in the URL only; the page's script and websocket get it as a cookie."""
    with served(tmp_path / "sessions", "--token") as server, browser() as chromium:
        page = open_app(chromium, server.url)
        wait_for(page, "Start")  # the setup screen


def test_loopback_refuses_another_host_name(tmp_path: Path) -> None:
    """A page whose own name was made to resolve to 127.0.0.1 (DNS rebinding) is refused."""
    with served(tmp_path / "sessions") as server:
        request = urllib.request.Request(
            server.url, headers={"Host": f"evil.example:{server.port}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status = int(response.status)
        except urllib.error.HTTPError as exc:
            status = exc.code
        assert status == 403
        assert _status(server.url) == 200


def test_two_tabs_cannot_answer_in_one_session(tmp_path: Path) -> None:
    """The session lock holds across tabs: each tab is its own process."""
    sessions = tmp_path / "sessions"
    with served(sessions) as server, browser() as chromium:
        first = open_app(chromium, server.url)
        wait_for(first, "Start")
        first.locator(".xterm-helper-textarea").focus()
        first.keyboard.press("Control+s")  # the setup screen's defaults
        wait_for(first, "Q1 of")
        type_answer(first, ANSWER)
        first.keyboard.press("Control+s")
        wait_for(first, "Follow-up")  # the first answer is on disk: history lists the session
        second = open_app(chromium, server.url)
        wait_for(second, "Start")
        second.locator(".xterm-helper-textarea").focus()
        second.keyboard.press("Control+r")
        wait_for(second, "in progress")
        second.keyboard.press("r")
        wait_for(second, "Only one terminal at a time can answer in a session")


def test_a_websocket_from_another_site_is_refused(tmp_path: Path) -> None:
    """Browsers let any page open a websocket anywhere: the Origin must be the server's own."""
    import asyncio

    import aiohttp

    async def connect(origin: str, ws_url: str) -> int:
        async with aiohttp.ClientSession() as client:
            try:
                async with client.ws_connect(ws_url, headers={"Origin": origin}) as ws:
                    await ws.close()
                    return 101
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status

    with served(tmp_path / "sessions") as server:
        ws_url = f"ws://127.0.0.1:{server.port}/ws"
        assert asyncio.run(connect("http://evil.example", ws_url)) == 403
        assert asyncio.run(connect(f"http://127.0.0.1:{server.port}", ws_url)) == 101
