"""Preview server with live reload: `make devserver` runs this.

    python tools/devserver.py [--port 8000] [--bind 127.0.0.1]
        [--content content] [--output output] [--settings pelicanconf.py]

- Builds the site, then serves the output folder on http://BIND:PORT/.
- Watches the content, the theme, the plugins and the settings file; on a
  change it rebuilds (tools/sitebuild.py in a fresh process, errors fatal;
  the next one is started ahead and waits with the libraries loaded, so a
  save does not wait for Python and Pelican to start) into a scratch folder
  and swaps that into the output folder only when the build succeeded. A
  broken file prints its path and line here, and the server keeps serving
  the last good site; the next good save recovers.
- After each good build, open pages reload: every HTML response gets
  `<script src="/__livereload.js" defer>` before </body> (at serve time, never
  in the built files), which listens to Server-Sent Events at /__livereload.
  Both are same-origin, so the site's CSP (script-src 'self';
  connect-src 'self') allows them.
- Ctrl-C stops it cleanly.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

TOOLS = Path(__file__).resolve().parent
REPO = TOOLS.parent
EVENTS_PATH = "/__livereload"
SCRIPT_PATH = "/__livereload.js"
HEARTBEAT_SECONDS = 10
CLIENT_JS = """\
// Live reload for `make devserver`: reload when a rebuild finished.
(() => {
  const build = new URL(document.currentScript.src).searchParams.get("build") || "0";
  const events = new EventSource("/__livereload?since=" + encodeURIComponent(build));
  events.addEventListener("reload", () => {
    events.close();
    window.location.reload();
  });
})();
"""


def say(message: str) -> None:
    print(f"devserver: {message}", flush=True)


def shown(path: Path | str) -> str:
    """A path relative to the current folder when it is below it."""
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


class LiveReload:
    """The current build number, and a way to wait for the next one."""

    def __init__(self) -> None:
        self.build = 0
        self.stopping = False
        self.changed = threading.Condition()
        self.swap_lock = threading.Lock()

    def built(self) -> None:
        with self.changed:
            self.build += 1
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def wait_past(self, since: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.build > since or self.stopping, timeout)
            return self.build


class Handler(http.server.SimpleHTTPRequestHandler):
    live: LiveReload  # set on the class made by make_handler

    def log_message(self, format, *args):
        pass  # quiet: the terminal is for build messages

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            return self.send_events()
        if path == SCRIPT_PATH:
            return self.send_bytes(CLIENT_JS.encode(), "text/javascript; charset=utf-8")
        return super().do_GET()

    def send_bytes(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_head(self):
        # open the file while no build is being swapped in
        with self.live.swap_lock:
            path = self.translate_path(self.path)
            if os.path.isdir(path) and os.path.isfile(os.path.join(path, "index.html")):
                if not urlsplit(self.path).path.endswith("/"):
                    return super().send_head()  # redirect to the slash URL
                path = os.path.join(path, "index.html")
            if not path.endswith(".html") or not os.path.isfile(path):
                return super().send_head()
            with open(path, "rb") as handle:
                html = handle.read()
            build = self.live.build
        tag = f'<script src="{SCRIPT_PATH}?build={build}" defer></script>'.encode()
        at = html.lower().rfind(b"</body")
        html = html[:at] + tag + html[at:] if at >= 0 else html + tag
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(html)))
        self.end_headers()
        return io.BytesIO(html)

    def send_events(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        try:
            since = int(query.get("since", ["0"])[0])
        except ValueError:
            since = 0
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "keep-alive")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while not self.live.stopping:
                build = self.live.wait_past(since, HEARTBEAT_SECONDS)
                if self.live.stopping:
                    break
                if build > since:
                    self.wfile.write(f"event: reload\ndata: {build}\n\n".encode())
                    since = build
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class DevServer:
    def __init__(self, args: argparse.Namespace) -> None:
        self.settings = Path(args.settings).resolve()
        self.content = Path(args.content).resolve()
        self.output = Path(args.output).resolve()
        self.watched = [self.content, self.settings]
        self.watched += [Path(p).resolve() for p in args.watch if Path(p).exists()]
        self.live = LiveReload()
        self.standby: subprocess.Popen | None = None
        handler = type("BoundHandler", (Handler,), {"live": self.live})
        self.server = Server(
            (args.bind, args.port), functools.partial(handler, directory=str(self.output))
        )
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}/"

    def spawn(self) -> subprocess.Popen:
        """A build process (tools/sitebuild.py, errors fatal) that loads the
        libraries now and builds when told where to: each build still runs
        in a fresh process, with the plugins, settings and content as they
        are when it starts, without waiting for Python and Pelican to load."""
        command = [
            sys.executable,
            str(TOOLS / "sitebuild.py"),
            "--settings",
            str(self.settings),
            "--content",
            str(self.content),
            "--standby",
            "--fatal",
            "errors",
        ]
        return subprocess.Popen(command, cwd=self.settings.parent, stdin=subprocess.PIPE, text=True)

    def stop_standby(self) -> None:
        worker, self.standby = self.standby, None
        if worker is None:
            return
        try:
            worker.stdin.close()  # end of input: it exits without building
            worker.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            worker.kill()
            worker.wait()

    def build(self) -> bool:
        """Build into a scratch folder beside the output; swap it in on success."""
        self.output.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".publish-devserver-", dir=self.output.parent))
        worker, self.standby = self.standby, None
        if worker is None or worker.poll() is not None:
            worker = self.spawn()
        try:
            try:
                worker.stdin.write(f"{stage}\n")
                worker.stdin.close()
            except OSError:  # it died while waiting: build in a new one
                worker.wait()
                worker = self.spawn()
                worker.stdin.write(f"{stage}\n")
                worker.stdin.close()
            returncode = worker.wait()
            self.standby = self.spawn()  # loads while this build is swapped in
            if returncode != 0:
                return False
            old = self.output.with_name(f".publish-devserver-old-{os.getpid()}")
            with self.live.swap_lock:
                if self.output.exists():
                    self.output.rename(old)
                stage.rename(self.output)
            shutil.rmtree(old, ignore_errors=True)
            return True
        finally:
            shutil.rmtree(stage, ignore_errors=True)

    def watch(self) -> None:
        from watchfiles import DefaultFilter, watch

        watch_filter = DefaultFilter(ignore_paths=[str(self.output)])
        for changes in watch(*self.watched, watch_filter=watch_filter, debounce=200, step=50):
            names = sorted({shown(path) for _, path in changes})
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            say(f"{', '.join(names[:3])}{more} changed: rebuilding")
            if self.build():
                self.live.built()
                say(f"rebuilt; open pages reload ({self.url})")
            else:
                say("build FAILED (see above); still serving the last good site — fix and save")

    def run(self) -> int:
        say(f"building {shown(self.content)} with {self.settings.name}")
        if not self.build():
            if (self.output / "index.html").is_file():
                say("first build FAILED (see above); serving the previous build")
            else:
                say("first build FAILED (see above); fix it and save, the server is up")
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        say(f"serving {shown(self.output)} at {self.url} — Ctrl-C to stop")
        try:
            self.watch()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop_standby()
            self.live.stop()
            self.server.shutdown()
            self.server.server_close()
            say("stopped")
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--content", default=str(REPO / "content"))
    parser.add_argument("--output", default=str(REPO / "output"))
    parser.add_argument("--settings", default=str(REPO / "pelicanconf.py"))
    parser.add_argument(
        "--watch",
        nargs="*",
        default=[str(REPO / "theme"), str(REPO / "plugins")],
        help="more folders to watch (default: theme and plugins)",
    )
    args = parser.parse_args(argv)

    # `kill` stops the server as cleanly as Ctrl-C does
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server = DevServer(args)
    except OSError as error:
        print(
            f"devserver: cannot listen on {args.bind}:{args.port}: {error.strerror} — "
            "Fix: stop the other server, or pick another port: make devserver PORT=8001",
            file=sys.stderr,
        )
        return 2
    return server.run()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C during start-up
        sys.exit(130)
