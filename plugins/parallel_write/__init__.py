"""Write the site's pages on every core.

Pelican renders and writes its pages one after the other: on a warm build of
a large site that is most of the time. This plugin hands Pelican a Writer
(the documented ``get_writer`` signal) whose ``write_file`` only notes each
call. When every generator has asked for its pages (the ``finalized``
signal), the calls are shared out between the parent process and forked
children, and each process runs Pelican's own ``Writer.write_file`` on its
share. The files are byte for byte what Pelican writes alone
(tests/test_parallel_write.py compares the two).

- Calls that write the same file (``override_output``) stay in one process,
  in their order, so Pelican's own override rules still decide.
- Log records of the children (``Writing …`` in verbose mode, warnings such
  as "Unable to find 'x.md'") are sent back and handled by the parent's
  logging, in each child's order, so they are shown and counted as usual.
  A failure in a child fails the build with the child's exception.
- Pelican sends ``content_written`` for each file from the process that
  wrote it. When any receiver listens to it, its side effects would be lost
  in a child, so the plugin then writes everything in the parent, as Pelican
  does.
- Small sites (fewer than PARALLEL_WRITE_MIN_PAGES calls), a single core,
  or no ``os.fork`` (Windows): written in the parent, as Pelican does.

Settings:
    PARALLEL_WRITE_PROCESSES   processes that write, the parent included
                               (default: the number of usable cores, at most 4;
                               1 turns the plugin off)
    PARALLEL_WRITE_MIN_PAGES   fewer write calls than this are written in the
                               parent (default 200)

List it first in PLUGINS: the pages are written when ``finalized`` reaches
it, so a plugin that reads written pages in its own ``finalized`` receiver
must come after it.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import pickle
import sys
from dataclasses import dataclass, field

from pelican import signals
from pelican.writers import Writer

logger = logging.getLogger(__name__)

DEFAULT_MAX_PROCESSES = 4
DEFAULT_MIN_PAGES = 200


@dataclass
class WriteCall:
    """One `write_file` call, as Pelican made it."""

    order: int
    args: tuple
    kwargs: dict
    pages: int = 1  # files the call writes (a paginated listing writes several)


@dataclass
class Share:
    calls: list[WriteCall] = field(default_factory=list)
    pages: int = 0


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def read_settings(settings: dict) -> tuple[int, int]:
    """(processes, min_pages), invalid values logged and replaced by defaults."""
    processes = settings.get("PARALLEL_WRITE_PROCESSES")
    if processes is None:
        processes = min(_usable_cores(), DEFAULT_MAX_PROCESSES)
    elif isinstance(processes, bool) or not isinstance(processes, int) or processes < 1:
        logger.error(
            "PARALLEL_WRITE_PROCESSES must be a whole number of 1 or more (1 writes"
            " in one process), not %r: writing in one process",
            processes,
        )
        processes = 1
    min_pages = settings.get("PARALLEL_WRITE_MIN_PAGES", DEFAULT_MIN_PAGES)
    if isinstance(min_pages, bool) or not isinstance(min_pages, int) or min_pages < 0:
        logger.error(
            "PARALLEL_WRITE_MIN_PAGES must be a whole number of 0 or more, not %r: using %d",
            min_pages,
            DEFAULT_MIN_PAGES,
        )
        min_pages = DEFAULT_MIN_PAGES
    return processes, min_pages


def _pages_of(settings: dict, args: tuple, kwargs: dict) -> int:
    """How many files a call writes: Pelican paginates listings whose template
    is in PAGINATED_TEMPLATES. Only a weight for sharing the work out."""
    template_name = kwargs.get("template_name")
    paginated_templates = settings.get("PAGINATED_TEMPLATES") or {}
    if template_name not in paginated_templates:
        return 1
    listing = kwargs.get("articles") or kwargs.get("dates") or []
    per_page = paginated_templates[template_name] or settings.get("DEFAULT_PAGINATION")
    if not per_page:
        return 1
    return max(1, math.ceil(len(listing) / per_page))


def share_out(calls: list[WriteCall], processes: int) -> list[Share]:
    """Calls shared between `processes`, heaviest first to the lightest share;
    calls naming the same file go together, and every share keeps Pelican's
    order."""
    groups: dict[str, list[WriteCall]] = {}
    for call in calls:
        groups.setdefault(str(call.args[0]), []).append(call)
    shares = [Share() for _ in range(processes)]
    for group in sorted(groups.values(), key=lambda g: -sum(c.pages for c in g)):
        lightest = min(shares, key=lambda s: s.pages)
        lightest.calls.extend(group)
        lightest.pages += sum(c.pages for c in group)
    for share in shares:
        share.calls.sort(key=lambda c: c.order)
    return shares


class _Collect(logging.Handler):
    """A child's log records, kept to be handled by the parent."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _portable(record: logging.LogRecord) -> logging.LogRecord:
    """The record with what pickle cannot carry turned into text. Plain
    arguments stay (the build wrapper reads file names from them)."""
    if record.exc_info:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    args = record.args if isinstance(record.args, tuple) else ()
    if record.args and not all(isinstance(a, str | int | float) for a in args):
        record.msg, record.args = record.getMessage(), ()
    try:
        pickle.dumps(record)
    except Exception:
        record = logging.makeLogRecord(
            {
                "name": record.name,
                "levelno": record.levelno,
                "levelname": record.levelname,
                "msg": record.getMessage(),
            }
        )
    return record


class ParallelWriter(Writer):
    """Pelican's Writer, with `write_file` calls kept until `flush()`."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.processes, self.min_pages = read_settings(self.settings)
        self.pending: list[WriteCall] = []
        _WRITERS.append(self)

    def write_file(self, *args, **kwargs):
        if not args or not args[0]:
            return  # Pelican writes nothing for an empty name either
        call = WriteCall(len(self.pending), args, kwargs, _pages_of(self.settings, args, kwargs))
        self.pending.append(call)

    def _write(self, calls: list[WriteCall]) -> None:
        for call in calls:
            Writer.write_file(self, *call.args, **call.kwargs)

    def flush(self) -> None:
        calls, self.pending = self.pending, []
        processes = min(self.processes, len(calls))
        if (
            processes < 2
            or len(calls) < self.min_pages
            or not hasattr(os, "fork")
            or signals.content_written.receivers
        ):
            self._write(calls)
            return
        shares = share_out(calls, processes)
        logger.debug(
            "parallel_write: %d calls (%s pages) in %d processes",
            len(calls),
            "+".join(str(s.pages) for s in shares),
            processes,
        )
        sys.stdout.flush()
        sys.stderr.flush()
        gc.freeze()  # children share the parent's objects without copying them
        children = []
        try:
            for share in shares[1:]:
                children.append(self._fork(share.calls))
            self._write(shares[0].calls)
        finally:
            gc.unfreeze()
            failure = self._collect(children)
        if failure is not None:
            raise failure

    def _fork(self, calls: list[WriteCall]) -> tuple[int, int]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid:
            os.close(write_end)
            return pid, read_end
        # In the child: write, send back the log records and any failure.
        os.close(read_end)
        status = 0
        collect = _Collect()
        root = logging.getLogger()
        root.handlers = [collect]
        for name in list(logging.Logger.manager.loggerDict):
            other = logging.getLogger(name)
            if other.handlers and not other.propagate:
                other.handlers = [collect]
        failure = None
        try:
            self._write(calls)
        except BaseException as exc:
            failure, status = exc, 1
        payload = {"records": [_portable(r) for r in collect.records], "failure": None}
        if failure is not None:
            try:
                payload["failure"] = pickle.dumps(failure)
            except Exception:
                payload["failure"] = pickle.dumps(
                    RuntimeError(f"{type(failure).__name__}: {failure}")
                )
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(payload, pipe)
        finally:
            os._exit(status)

    @staticmethod
    def _collect(children: list[tuple[int, int]]) -> BaseException | None:
        failure = None
        for pid, read_end in children:
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            try:
                payload = pickle.loads(data)
            except Exception:
                failure = failure or RuntimeError(
                    f"parallel_write: a writing process ended with status {status}"
                    " before it finished; set PARALLEL_WRITE_PROCESSES = 1 to write"
                    " in one process and see the error"
                )
                continue
            for record in payload["records"]:
                logging.getLogger(record.name).handle(record)
            if payload["failure"] is not None and failure is None:
                failure = pickle.loads(payload["failure"])
        return failure


# Writers of the runs under way (one per Pelican.run).
_WRITERS: list[ParallelWriter] = []


def provide_writer(pelican):
    # A new run: writers of an earlier run that failed before `finalized`
    # hold calls that must never be written.
    _WRITERS.clear()
    return ParallelWriter


def write_pending(pelican) -> None:
    while _WRITERS:
        _WRITERS.pop().flush()


def register() -> None:
    signals.get_writer.connect(provide_writer)
    signals.finalized.connect(write_pending)
