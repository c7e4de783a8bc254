"""Render the pages on every core: the write phase, split between the build
and forked copies of it.

After reading, every process holds the same site. Pelican's own generators
(articles, pages, template pages) run their ``generate_output`` in each
process, and each process renders only its share of the output files: the
share of a file is a hash of its name, so every process assigns every file
the same way without talking to the others. The main process does, for
every file, everything but the rendering and writing of the others' shares:
it keeps Pelican's record of written files (so overwrite errors are the
same), logs each file, and sends ``content_written`` for each in Pelican's
order (the sitemap plugin collects pages there). It writes all feeds and
every file written with ``override_output``. The workers send no signals;
they send back only the warnings their pages logged and any error, which
the main process then logs or raises. Everything after these generators
(static files, plugin generators, ``finalized``) runs after the workers have
finished, in the main process only.

It is used only when it is safe to: more than one worker, the stock
``Writer``, Pelican 4.12 (``_open_w`` below mirrors its bookkeeping), and no
``content_written`` receiver other than those known not to read the file
(``SAFE_RECEIVERS``). Otherwise the build writes in one process as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import resource
import signal
import time
import traceback
import weakref
import zlib

import pelican
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator, TemplatePagesGenerator
from pelican.writers import FileOverwriteFailedError, Writer

logger = logging.getLogger(__name__)

CORE = (ArticlesGenerator, PagesGenerator, TemplatePagesGenerator)
MAIN_SHARE = 0.85  # of a worker's share of the pages
# content_written receivers that only note the path (never read the file),
# by module.
SAFE_RECEIVERS = {"pelican.plugins.sitemap.sitemap"}


def _receiver_modules(sig) -> set[str]:
    modules = set()
    for ref in list(sig.receivers.values()):
        receiver = ref() if isinstance(ref, weakref.ref) else ref
        target = getattr(receiver, "__func__", receiver)
        modules.add(getattr(target, "__module__", None) or "?")
    return modules


def safe_to_split() -> bool:
    if not pelican.__version__.startswith("4.12."):
        return False
    return _receiver_modules(signals.content_written) <= SAFE_RECEIVERS


class _Shard:
    """Stands in for the template in one ``write_file`` call: renders only
    when the output file is this process's share."""

    def __init__(self, run: SplitWrite, template, override: bool) -> None:
        self.run = run
        self.template = template
        self.override = override

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, localcontext):
        name = localcontext.get("output_file") or ""
        if self.run.owner(name, self.override) == self.run.shard:
            self.run.skip_next = False
            self.run.current = localcontext.get("article") or localcontext.get("page")
            try:
                return self.template.render(localcontext)
            finally:
                self.run.current = None
        self.run.skip_next = True
        return ""


class _Content:
    """What tools/sitebuild.py looks for in the stack to name the file a
    message is about."""

    def __init__(self, source_path: str) -> None:
        self.source_path = source_path


class _ChildLog(logging.Handler):
    def __init__(self, run: SplitWrite) -> None:
        super().__init__(level=logging.WARNING)
        self.run = run
        self.records: list[tuple[str, int, str, str | None]] = []

    def emit(self, record):
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        source = getattr(self.run.current, "source_path", None)
        self.records.append((record.name, record.levelno, message, source))


class _SeenLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.seen: set[tuple[int, str]] = set()

    def emit(self, record):
        with contextlib.suppress(Exception):
            self.seen.add((record.levelno, record.getMessage()))


class SplitWrite:
    def __init__(self, state, generators) -> None:
        self.state = state
        self.generators = generators
        self.originals = [g.generate_output for g in generators]
        self.count = state.workers
        # The main process also keeps the books for every page, writes the
        # feeds and sends the signals: it renders a slightly smaller share.
        weights = [MAIN_SHARE] + [1.0] * (self.count - 1)
        total, running, self.limits = sum(weights), 0.0, []
        for weight in weights:
            running += weight
            self.limits.append(round(1000 * running / total))
        self.shard = 0
        self.children: list[tuple[int, int]] = []  # (pid, read fd)
        self.skip_next = False
        self.current = None
        self.seen: _SeenLog | None = None
        self.active = False

    def owner(self, name: str, override: bool) -> int:
        if override:
            return 0
        bucket = zlib.crc32(name.encode("utf-8")) % 1000
        for shard, limit in enumerate(self.limits):
            if bucket < limit:
                return shard
        return self.count - 1

    # -- installing ---------------------------------------------------------

    def install(self) -> None:
        last = len(self.generators) - 1
        for i, generator in enumerate(self.generators):
            generator.generate_output = self._wrap(i, i == 0, i == last)

    def _wrap(self, index: int, first: bool, last: bool):
        original = self.originals[index]

        def generate_output(writer):
            if first:
                self.start(writer)
            try:
                original(writer)
            except BaseException:
                self.abort(writer)
                raise
            if last:
                self.finish(writer)

        return generate_output

    # -- the writer ----------------------------------------------------------

    def patch(self, writer) -> None:
        write_file = writer.write_file
        write_feed = writer.write_feed
        run = self

        def split_write_file(name, template, context, *args, **kwargs):
            run.skip_next = False
            override = kwargs.get("override_output", False)
            if len(args) >= 4:  # positional override_output
                override = args[3]
            return write_file(name, _Shard(run, template, bool(override)), context, *args, **kwargs)

        def split_write_feed(*args, **kwargs):
            if run.shard == 0:
                return write_feed(*args, **kwargs)
            return None

        def split_open_w(filename, encoding, override=False):
            if not run.skip_next:
                return Writer._open_w(writer, filename, encoding, override)
            run.skip_next = False
            # Pelican 4.12's bookkeeping, without touching the file: another
            # process writes it.
            if filename in writer._overridden_files:
                if override:
                    raise FileOverwriteFailedError(
                        f'Failed to overwrite "{filename}" a second time '
                        "(was previously overwritten)"
                    )
            elif filename in writer._written_files and not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already '
                    "written to it previously (set `override=True` if intended)"
                )
            if override:
                writer._overridden_files.add(filename)
            writer._written_files.add(filename)
            return open(os.devnull, "w", encoding=encoding)

        writer.write_file = split_write_file
        writer.write_feed = split_write_feed
        writer._open_w = split_open_w

    @staticmethod
    def unpatch(writer) -> None:
        for name in ("write_file", "write_feed", "_open_w"):
            writer.__dict__.pop(name, None)

    # -- processes -----------------------------------------------------------

    def start(self, writer) -> None:
        if type(writer) is not Writer:
            return
        for shard in range(1, self.count):
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # a worker: never returns
                os.close(read_fd)
                self._child(writer, shard, write_fd)
            os.close(write_fd)
            self.children.append((pid, read_fd))
        self.active = True
        self.shard = 0
        self.state.stats["write_workers"] = self.count
        self.state.mark("writing starts")
        self.started_cpu = _cpu()
        self.seen = _SeenLog()
        logging.getLogger().addHandler(self.seen)
        self.patch(writer)

    def _child(self, writer, shard: int, fd: int) -> None:
        status = 0
        try:
            self.shard = shard
            self.children = []
            self.state.in_worker = True
            # No signal leaves a worker: the main process sends them all.
            for name in dir(signals):
                sig = getattr(signals, name)
                if hasattr(sig, "send") and hasattr(sig, "receivers"):
                    sig.send = lambda *a, **k: []
            root = logging.getLogger()
            for handler in list(root.handlers):
                root.removeHandler(handler)
            log = _ChildLog(self)
            root.addHandler(log)
            self.patch(writer)
            error = None
            try:
                for original in self.originals:
                    original(writer)
            except BaseException:
                error = traceback.format_exc()
            payload = pickle.dumps({"logs": log.records, "error": error})
            with os.fdopen(fd, "wb") as pipe:
                pipe.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)

    def _stop(self, writer) -> bool:
        """Undo what start() hooked in; False when nothing was started."""
        if not self.active:
            return False
        self.active = False
        self.unpatch(writer)
        if self.seen is not None:
            logging.getLogger().removeHandler(self.seen)
        return True

    def finish(self, writer) -> None:
        if not self._stop(writer):
            return
        parent_cpu = _cpu() - self.started_cpu
        self.state.mark("main process wrote its pages")
        waited = time.perf_counter()
        results = self._collect()
        self.state.stats["write_seconds_main_cpu"] = round(parent_cpu, 3)
        self.state.stats["write_seconds_waiting"] = round(time.perf_counter() - waited, 3)
        self.state.mark("workers wrote theirs")
        seen = self.seen.seen if self.seen else set()
        errors = []
        for result in results:
            if result is None:
                errors.append("a worker process died")
                continue
            for name, level, message, source in result["logs"]:
                if (level, message) in seen:
                    continue
                seen.add((level, message))
                _relog(name, level, message, source)
            if result["error"]:
                errors.append(result["error"])
        if errors:
            raise RuntimeError("writing pages in parallel failed:\n" + "\n".join(errors))

    def _collect(self) -> list[dict | None]:
        results = []
        for pid, fd in self.children:
            chunks = []
            with os.fdopen(fd, "rb") as pipe:
                while chunk := pipe.read(1 << 20):
                    chunks.append(chunk)
            _, status, usage = os.wait4(pid, 0)
            worker_cpu = self.state.stats.setdefault("write_seconds_worker_cpu", [])
            worker_cpu.append(round(usage.ru_utime + usage.ru_stime, 3))
            try:
                result = pickle.loads(b"".join(chunks)) if chunks else None
            except Exception:
                result = None
            if status != 0 and result is not None and not result.get("error"):
                result["error"] = f"worker exited with status {status}"
            results.append(result)
        self.children = []
        return results

    def abort(self, writer) -> None:
        if not self._stop(writer):
            return
        for pid, fd in self.children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
            with contextlib.suppress(OSError):
                os.close(fd)
        self.children = []


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _relog(name: str, level: int, message: str, source: str | None) -> None:
    # tools/sitebuild.py names the file from a `content` local in the stack
    content = _Content(source) if source else None  # noqa: F841
    logging.getLogger(name).log(level, "%s", message)


def install(state, generators) -> None:
    """Split the write phase if it is safe and worth it."""
    if state.workers < 2 or not hasattr(os, "fork") or not safe_to_split():
        return
    with_output = [g for g in generators if hasattr(g, "generate_output")]
    core = []
    for generator in with_output:
        if type(generator) not in CORE:
            break
        core.append(generator)
    if not core:
        return
    files = 0
    for generator in core:
        for name in ("articles", "translations", "pages", "hidden_pages", "drafts"):
            files += len(getattr(generator, name, None) or ())
    if files < state.min_files:
        return
    SplitWrite(state, core).install()
