"""The real site, as an author uses it: a warm `make html`, and the time from
saving a file to the reload event of `make devserver`.

    PYTHONPATH=tools:plugins .venv/bin/python -m bench.realsite [--saves 5]

Both run in a temporary copy of the project (content, theme, plugins,
settings, tools), never in the checkout: the cache, the output and the edits
stay there.

- `make html`, warm: `tools/sitebuild.py` (what `make html` runs) twice with
  one cache folder, in fresh processes; the second build's wall time.
- save to reload: starts `tools/devserver.py` on a free port of 127.0.0.1,
  waits for its first build, connects to its Server-Sent Events endpoint
  (`/__livereload`) as the open page does, then appends a sentence to an
  article and times until the `reload` event arrives. Repeated `saves`
  times (the first save may still warm up); the median is kept. Every wait
  is bounded, and the server is stopped (SIGINT, then SIGKILL) at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
COPIED = ("content", "theme", "plugins", "tools", "pelicanconf.py", "publishconf.py")
SAVE_ARTICLE = Path("content") / "articles" / "keep-your-resume-ready.md"


def copy_project(where: Path) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source,
                where / name,
                ignore=shutil.ignore_patterns("__pycache__", "node_modules", "*.pyc"),
            )
        elif source.is_file():
            shutil.copy2(source, where / name)
    return where


def sitebuild_command(project: Path, output: Path) -> list[str]:
    return [
        PYTHON,
        str(project / "tools" / "sitebuild.py"),
        "--settings",
        str(project / "pelicanconf.py"),
        "--content",
        str(project / "content"),
        "--output",
        str(output),
        "--fatal",
        "errors",
    ]


def warm_make_html(project: Path, log=print) -> dict:
    """`make html`'s build twice; the second (warm) build's wall time."""
    times = []
    for number in (1, 2):
        output = project / f".html-stage-{number}"
        started = time.perf_counter()
        done = subprocess.run(
            sitebuild_command(project, output),
            cwd=project,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"bench: the real site's build failed:\n{done.stderr[-4000:]}")
        shutil.rmtree(output, ignore_errors=True)
    log(f"  make html on the real site: cold {times[0]:.2f} s, warm {times[1]:.2f} s")
    return {"cold_seconds": round(times[0], 3), "warm_seconds": round(times[1], 3)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EventStream:
    """A Server-Sent Events client on its own thread: the time of every
    `reload` event it receives."""

    def __init__(self, host: str, port: int, since: int) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=60)
        self.connection.request("GET", f"/__livereload?since={since}")
        self.response = self.connection.getresponse()
        if self.response.status != 200:
            raise SystemExit(f"bench: /__livereload answered {self.response.status}")
        self.reloads: list[float] = []
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for raw in self.response:
                if raw.startswith(b"event: reload"):
                    with self.changed:
                        self.reloads.append(time.perf_counter())
                        self.changed.notify_all()
        except (OSError, ValueError):
            pass

    def wait_for(self, count: int, timeout: float) -> float | None:
        with self.changed:
            self.changed.wait_for(lambda: len(self.reloads) >= count, timeout)
            return self.reloads[count - 1] if len(self.reloads) >= count else None

    def close(self) -> None:
        with contextlib.suppress(OSError, AttributeError):
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.connection.close()


def current_build(port: int) -> int:
    """The build number the served pages carry (as the open page knows it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/")
        html = connection.getresponse().read().decode("utf-8", "replace")
    finally:
        connection.close()
    found = re.search(r"__livereload\.js\?build=(\d+)", html)
    return int(found.group(1)) if found else 0


def save_to_reload(project: Path, saves: int = 5, log=print) -> dict:
    port = free_port()
    lines: list[str] = []
    ready = threading.Event()
    process = subprocess.Popen(
        [
            PYTHON,
            str(project / "tools" / "devserver.py"),
            "--content",
            str(project / "content"),
            "--output",
            str(project / "output"),
            "--settings",
            str(project / "pelicanconf.py"),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--watch",
            str(project / "theme"),
            str(project / "plugins"),
        ],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )

    def read_output() -> None:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if re.search(r"serving .* at http://", line):
                ready.set()

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    stream = None
    article = project / SAVE_ARTICLE
    original = article.read_text(encoding="utf-8")
    times: list[float] = []
    try:
        if not ready.wait(120) or process.poll() is not None:
            raise SystemExit("bench: the dev server did not start:\n" + "\n".join(lines[-40:]))
        stream = EventStream("127.0.0.1", port, since=current_build(port))
        time.sleep(0.5)  # the watcher is up (it starts right after "serving")
        for number in range(1, saves + 1):
            text = original + f"\nA sentence saved by the benchmark, number {number}.\n"
            started = time.perf_counter()
            article.write_text(text, encoding="utf-8")
            arrived = stream.wait_for(number, timeout=60)
            if arrived is None:
                raise SystemExit(
                    "bench: no reload event within 60 s of a save:\n" + "\n".join(lines[-40:])
                )
            times.append(arrived - started)
            time.sleep(1.0)  # an author does not save twice a second
    finally:
        article.write_text(original, encoding="utf-8")
        if stream is not None:
            stream.close()
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        reader.join(timeout=5)
    median = statistics.median(times)
    log(
        "  make devserver on the real site, save to reload: "
        + ", ".join(f"{t:.2f}" for t in times)
        + f" s (median {median:.2f} s)"
    )
    return {"seconds": round(median, 3), "all_seconds": [round(t, 3) for t in times]}


def bench_real_site(saves: int = 5, log=print) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-realsite-"))
    try:
        project = copy_project(work / "project")
        html = warm_make_html(project, log=log)
        reload = save_to_reload(project, saves=saves, log=log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"make_html": html, "devserver_reload": reload}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=5)
    args = parser.parse_args(argv)
    print(bench_real_site(args.saves))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
