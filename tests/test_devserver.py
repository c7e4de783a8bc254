"""`make devserver` (tools/devserver.py): the open page reloads when an
article is saved; a broken file is reported with its file and line while the
server keeps serving, and the next good save recovers."""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import REPO, SMALL_SITE

ARTICLE_URL = "articles/ask-the-hr-team-first/"
SENTENCE = "The HR team knows more than you think."


@dataclass
class DevServer:
    process: subprocess.Popen
    content: Path
    output: Path
    lines: list[str] = field(default_factory=list)
    url: str = ""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def read(self) -> None:
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    def text(self) -> str:
        with self.changed:
            return "\n".join(self.lines)

    def wait_for(self, pattern: str, after: int = 0, timeout: float = 30) -> re.Match:
        """Wait until a line from number `after` on matches `pattern`."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.lines[after:]:
                    if match := re.search(pattern, line):
                        return match
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    pytest.fail(f"no {pattern!r} from the dev server:\n" + "\n".join(self.lines))
                self.changed.wait(left)

    def mark(self) -> int:
        with self.changed:
            return len(self.lines)

    def get(self, path: str) -> tuple[int, str]:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.status, response.read().decode("utf-8")


@pytest.fixture
def devserver(tmp_path) -> Iterator[DevServer]:
    content = shutil.copytree(SMALL_SITE, tmp_path / "content")
    output = tmp_path / "output"
    process = subprocess.Popen(
        [
            sys.executable,
            "tools/devserver.py",
            "--content",
            str(content),
            "--output",
            str(output),
            "--port",
            "0",
            "--watch",  # nothing beyond the content and settings
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = DevServer(process, content, output)
    reader = threading.Thread(target=server.read, daemon=True)
    reader.start()
    try:
        server.url = server.wait_for(r"at (http://127\.0\.0\.1:\d+/)", timeout=60).group(1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join(timeout=5)


def test_saving_reloads_the_page_and_a_broken_file_does_not_stop_the_server(devserver, page):
    article = devserver.content / "articles" / "first.md"
    built = devserver.output / ARTICLE_URL / "index.html"
    assert "__livereload" not in built.read_text(encoding="utf-8"), "never in built files"

    page.goto(devserver.url + ARTICLE_URL)
    assert page.locator("script[src^='/__livereload.js']").count() == 1
    page.evaluate("window.beforeReload = true")

    # an author saves the article: the open page reloads with the change
    mark = devserver.mark()
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(SENTENCE, SENTENCE + " Edited while serving."))
    devserver.wait_for(r"first\.md changed: rebuilding", after=mark)
    page.wait_for_function(
        "() => document.body.innerText.includes('Edited while serving.')", timeout=20_000
    )
    assert page.evaluate("window.beforeReload") is None, "the page reloaded"
    assert page.watch.console_errors == [], "no CSP or other console error"
    assert page.watch.page_errors == []

    # a broken file: its path and line in the terminal; the last good site stays up
    mark = devserver.mark()
    broken = devserver.content / "articles" / "fourth.md"
    broken.write_text("Title: A fourth article\nDate: 2026-13-45\n\nText.\n", encoding="utf-8")
    devserver.wait_for(r"fourth\.md:2: Could not process .*not a valid date", after=mark)
    devserver.wait_for(r"build FAILED .* still serving the last good site", after=mark)
    status, html = devserver.get(ARTICLE_URL)
    assert status == 200 and "Edited while serving." in html
    assert devserver.process.poll() is None

    # the next good save recovers, and the open page reloads again
    page.evaluate("window.beforeReload = true")
    mark = devserver.mark()
    broken.write_text(
        "Title: A fourth article\nDate: 2026-10-13\nCategory: Habits\n\nFixed text.\n",
        encoding="utf-8",
    )
    devserver.wait_for(r"rebuilt; open pages reload", after=mark)
    page.wait_for_function("() => window.beforeReload === undefined", timeout=20_000)
    status, html = devserver.get("articles/a-fourth-article/")
    assert status == 200 and "Fixed text." in html

    # Ctrl-C stops it cleanly
    devserver.process.send_signal(signal.SIGINT)
    assert devserver.process.wait(timeout=15) == 0
    devserver.wait_for(r"devserver: stopped")
    assert not list(devserver.output.parent.glob(".publish-devserver-*")), "no scratch left"


def test_a_taken_port_is_reported_with_a_fix(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "tools/devserver.py",
                "--port",
                str(port),
                "--output",
                str(tmp_path / "output"),
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "PORT=" in done.stderr
