"""The one static file server on 127.0.0.1: the a11y gate, the tests and
Lighthouse serve built folders with it."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

COMPRESSED = (".html", ".css", ".js", ".svg", ".xml", ".txt", ".json")


@dataclass
class LocalServer:
    root: Path
    url: str


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, without a log line per request."""

    def log_message(self, format, *args):
        pass


class GzipHandler(QuietHandler):
    """Static files, gzipped when the client asks, like a static host."""

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            index = os.path.join(path, "index.html")
            if self.path.split("?")[0].endswith("/") and os.path.isfile(index):
                path = index
            else:
                return super().send_head()
        if (
            not path.endswith(COMPRESSED)
            or "gzip" not in self.headers.get("Accept-Encoding", "")
            or not os.path.isfile(path)
        ):
            return super().send_head()
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(root: Path, *, port: int = 0, compress: bool = False) -> Iterator[LocalServer]:
    """Serve ``root`` on 127.0.0.1 (a free port unless one is given) until
    the block ends."""
    handler_class = GzipHandler if compress else QuietHandler
    handler = functools.partial(handler_class, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalServer(root=Path(root), url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
