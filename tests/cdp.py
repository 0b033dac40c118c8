"""A small Chrome DevTools Protocol client over ``--remote-debugging-pipe`` (no port, no deps).

Chromium reads commands from file descriptor 3 and writes replies and events to descriptor 4,
each a JSON message ended by a NUL byte. That is all the report tests need: open a page, collect
console errors and network requests, evaluate expressions, print to PDF, and
:func:`report_problems`, the checks every report must pass. Headless Chromium is
started with the flags that keep it off the network (this machine has none) and a fresh profile.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
)
TIMEOUT_S = 30.0


def find_chromium() -> str | None:
    """The Chromium to drive: ``$LINKTOX_CHROMIUM``, else the first candidate on PATH."""
    override = os.environ.get("LINKTOX_CHROMIUM")
    if override:
        return override
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """:func:`find_chromium`, or skip the test on a developer's machine; in CI (``CI=true``, as
    ``.ci/run`` sets it) a missing Chromium fails the test: it cannot pass by not running."""
    import pytest

    found = find_chromium()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium not found: CI must run the browser tests (.ci/run installs it)")
        pytest.skip("chromium not found (apt-get install chromium); CI runs this test")
    return found


class CdpError(RuntimeError):
    """Chromium answered a command with an error, closed the pipe, or did not answer in time."""


class Browser:
    """One headless Chromium process and its pipe."""

    def __init__(self, executable: str) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="linktox-chromium-")
        to_child, self._out_fd = os.pipe()
        self._in_fd, from_child = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become fds 3 (commands) and 4 (replies)
            read_end, write_end = os.dup(to_child), os.dup(from_child)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self._process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            preexec_fn=wire,  # dup2 must run in the child, before exec
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._out_fd, json.dumps(message).encode("utf-8") + b"\0")
        return self._next_id

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._in_fd], [], [], left)[0]:
                raise CdpError("Chromium did not answer in time")
            chunk = os.read(self._in_fd, 1 << 16)
            if not chunk:
                raise CdpError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send a command and wait for its reply; events met meanwhile go to ``events``."""
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            message = self._read_message(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise CdpError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, session: str) -> None:
        """Read until the event ``method`` arrives on ``session`` (or one already did)."""
        deadline = time.monotonic() + TIMEOUT_S
        while not any(
            e.get("method") == method and e.get("sessionId") == session for e in self.events
        ):
            self.events.append(self._read_message(deadline))

    def close(self) -> None:
        with contextlib.suppress(CdpError, OSError):
            self.call("Browser.close")
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for fd in (self._out_fd, self._in_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()


class Page:
    """A tab that has loaded one URL, with what it logged and requested on the way."""

    def __init__(self, browser: Browser, url: str) -> None:
        self.browser = browser
        self.url = url
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        attached = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})
        self.session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.call(f"{domain}.enable", session=self.session)
        self._start = len(browser.events)
        browser.call("Page.navigate", {"url": url}, session=self.session)
        browser.wait_for("Page.loadEventFired", self.session)

    def _events(self) -> list[dict[str, Any]]:
        return [e for e in self.browser.events[self._start :] if e.get("sessionId") == self.session]

    @property
    def errors(self) -> list[str]:
        """Uncaught exceptions, console.error/assert calls and error-level log entries."""
        found = []
        for event in self._events():
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                text = details.get("exception", {}).get("description") or details.get("text")
                found.append(f"exception: {text}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                args = " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
                found.append(f"console.{params['type']}: {args}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')}")
        return found

    @property
    def requests(self) -> list[str]:
        """Every URL the page asked for, its own document excepted."""
        return [
            e["params"]["request"]["url"]
            for e in self._events()
            if e.get("method") == "Network.requestWillBeSent"
            and e["params"]["request"]["url"] != self.url
        ]

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (an exception fails the call)."""
        result = self.browser.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
        )
        if "exceptionDetails" in result:
            raise CdpError(f"{expression[:60]}...: {result['exceptionDetails']}")
        return result["result"].get("value")

    def print_pdf(self) -> bytes:
        result = self.browser.call("Page.printToPDF", {"printBackground": True}, self.session)
        return base64.b64decode(result["data"])


# Every chart (svg.chart) must have a bar with an area, every table a row with text, and the
# tables' script must have finished: what a report looks like when nothing is missing.
_REPORT_PROBLEMS = """(() => {
  const problems = [];
  if (document.documentElement.dataset.tables !== "ready") {
    problems.push("the tables' script did not finish");
  }
  const name = (el) => el.id || el.closest("section")?.querySelector("h2")?.textContent || "?";
  for (const id of %s) {
    if (!document.getElementById(id)) problems.push(`${id} is missing`);
  }
  for (const svg of document.querySelectorAll("svg.chart")) {
    const bars = [...svg.querySelectorAll("rect")].filter((r) => {
      const box = r.getBBox();
      return box.width > 0 && box.height > 0;
    });
    if (!bars.length) problems.push(`chart ${name(svg)} has no bar`);
  }
  for (const table of document.querySelectorAll("table")) {
    const rows = [...table.tBodies].flatMap((b) => [...b.rows]).filter((r) => r.textContent.trim());
    if (!rows.length) problems.push(`table ${name(table)} has no row`);
  }
  return problems;
})()"""


def report_problems(page: Page, expected: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with a loaded linktox report: console errors, network requests, elements of
    ``expected`` (ids) that are missing, charts without a bar, tables without a row. [] if none."""
    found = [*page.errors, *(f"request: {url}" for url in page.requests)]
    return found + page.evaluate(_REPORT_PROBLEMS % json.dumps(list(expected)))


@contextlib.contextmanager
def open_page(path: Path, executable: str) -> Iterator[Page]:
    """Open a local file in a fresh headless Chromium; close everything afterwards."""
    browser = Browser(executable)
    try:
        yield Page(browser, path.resolve().as_uri())
    finally:
        browser.close()
