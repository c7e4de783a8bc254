"""A cold build reads on two cores: one forked worker reads, from the end,
the Markdown files Pelican is expected to read, while Pelican reads from the
beginning; the two meet in the middle.

When the caching reader meets its second miss of a run (one changed file
does not start a worker), ``start`` guesses the files Pelican reads with
that reader: the files under ``PATH`` whose extension the reader class
handles, minus ``ARTICLE_EXCLUDES``, ``PAGE_EXCLUDES`` and ``IGNORE_FILES``,
articles first, then pages. A wrong guess only costs time: the worker reads
a file nobody needs, or Pelican reads one itself.

The worker is a fork of the build. For each file, from the last, it claims
the file (a byte per file in shared memory, under a lock), skips it if the
cache already has it, and reads it with a fresh instance of the same reader
class and settings through its public ``read()`` (the caching reader: the
reader chain, typogrify, the warnings captured, stored only if the file did
not change while read). It sends the stored entry back through a pipe; a
read that raised sends nothing to use, and Pelican reads that file itself
and reports the error. The worker logs nothing: the main process replays
each file's warnings when it takes the file, as for any cache hit.

The main process, on a miss, claims the file too: a file the worker has not
claimed it reads itself; one the worker claimed it waits for, and uses the
entry only if its key (the file's bytes among others) is the one it
computed itself.
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import multiprocessing
import os
import pickle
import signal
import struct
import threading
from fnmatch import fnmatch

logger = logging.getLogger(__name__)

MIN_FILES = 32  # fewer expected files: no worker
FREE, MAIN, WORKER = 0, 1, 2
_HEADER = struct.Struct("<Q")


def expected_files(settings, extensions) -> list[str]:
    """The absolute paths Pelican's article then page generator would read
    with a reader of these extensions, in their order when the guess is
    right (they walk the same way and fill a set the same way)."""
    base = settings["PATH"]
    ignores = settings.get("IGNORE_FILES") or ()
    extensions = tuple(f".{e}" for e in extensions)

    def files(paths, exclude):
        if isinstance(paths, str):
            paths = [paths]
        by_parent: dict[str, set] = {}
        for e in exclude or ():
            parent, sub = os.path.split(os.path.join(base, e))
            by_parent.setdefault(parent, set()).add(sub)
        found = set()
        for path in paths:
            root = os.path.join(base, path) if path else base
            if not os.path.isdir(root):
                if os.path.isfile(root):
                    found.add(os.path.relpath(root, base))
                continue
            for dirpath, dirs, names in os.walk(root, topdown=True, followlinks=True):
                excluded = by_parent.get(dirpath, ())
                dirs[:] = [
                    d for d in dirs if d not in excluded and not any(fnmatch(d, i) for i in ignores)
                ]
                reldir = os.path.relpath(dirpath, base)
                for name in names:
                    if name.endswith(extensions) and not any(fnmatch(name, i) for i in ignores):
                        found.add(os.path.join(reldir, name))
        return found

    ordered = []
    for paths, exclude in (
        (settings.get("ARTICLE_PATHS", [""]), settings.get("ARTICLE_EXCLUDES")),
        (settings.get("PAGE_PATHS", ["pages"]), settings.get("PAGE_EXCLUDES")),
    ):
        for name in files(paths, exclude):
            source = os.path.abspath(os.path.join(base, name))
            if source not in ordered:
                ordered.append(source)
    return ordered


class Prefetch:
    """The worker, seen from the main process."""

    def __init__(self, sources: list[str], claimed: str) -> None:
        self.sources = sources
        self.index = {source: i for i, source in enumerate(sources)}
        self.claims = mmap.mmap(-1, max(1, len(sources)))
        self.lock = multiprocessing.get_context("fork").Lock()
        self.results: dict[str, tuple | None] = {}
        self.done = False
        self.ready = threading.Condition()
        self.pid = 0
        self.stats = {"prefetched": 0}
        if claimed in self.index:
            self.claims[self.index[claimed]] = MAIN

    # -- the main process ----------------------------------------------------

    def take(self, source: str):
        """The worker's entry for `source`: (key, blob, seconds...), or
        None when the main process is to read it itself."""
        i = self.index.get(source)
        if i is None:
            return None
        with self.lock:
            owner = self.claims[i]
            if owner == FREE:
                self.claims[i] = MAIN
                return None
        if owner != WORKER:
            return None
        with self.ready:
            while source not in self.results and not self.done:
                self.ready.wait()
            return self.results.pop(source, None)

    def _receive(self, fd: int) -> None:
        with os.fdopen(fd, "rb") as pipe:
            try:
                while True:
                    header = pipe.read(_HEADER.size)
                    if len(header) < _HEADER.size:
                        break
                    (size,) = _HEADER.unpack(header)
                    data = pipe.read(size)
                    if len(data) < size:
                        break
                    source, result = pickle.loads(data)
                    with self.ready:
                        self.results[source] = result
                        self.ready.notify_all()
            finally:
                with self.ready:
                    self.done = True
                    self.ready.notify_all()

    def stop(self) -> None:
        """Reading is over: the worker stops, whatever it was reading."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0
        with self.ready:
            self.done = True
            self.results.clear()
            self.ready.notify_all()

    # -- the worker ----------------------------------------------------------

    def _work(self, fd: int, state, reader_class, settings) -> None:
        root = logging.getLogger()
        for handler in list(root.handlers):
            root.removeHandler(handler)
        reader = reader_class(settings)
        with os.fdopen(fd, "wb") as pipe:
            for i in reversed(range(len(self.sources))):
                source = self.sources[i]
                with self.lock:
                    if self.claims[i] != FREE:
                        continue
                key = state.read_key(reader, source)
                if key is None or state.lookup(key) is not None:
                    continue  # a hit for the main process too
                with self.lock:
                    if self.claims[i] != FREE:
                        continue
                    self.claims[i] = WORKER
                result = None
                before = (state.stats["read_seconds"], state.stats["typogrify_seconds"])
                try:
                    reader.read(source)
                except BaseException:
                    pass  # the main process reads it again and reports
                else:
                    blob = state.used.get(key)
                    if blob is not None:
                        result = (
                            key,
                            blob,
                            state.stats["read_seconds"] - before[0],
                            state.stats["typogrify_seconds"] - before[1],
                        )
                data = pickle.dumps((source, result), protocol=5)
                pipe.write(_HEADER.pack(len(data)) + data)
                pipe.flush()


def start(state, reader, source: str) -> Prefetch | None:
    """Fork the worker on the files `reader` is expected to read."""
    if not hasattr(os, "fork"):
        return None
    settings = reader.settings
    try:
        sources = expected_files(settings, type(reader).file_extensions)
    except (OSError, KeyError, TypeError, ValueError):
        return None
    if len(sources) < MIN_FILES:
        return None
    prefetch = Prefetch(sources, source)
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the worker
        status = 0
        try:
            os.close(read_end)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            prefetch._work(write_end, state, type(reader), settings)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    prefetch.pid = pid
    threading.Thread(target=prefetch._receive, args=(read_end,), daemon=True).start()
    return prefetch
