"""Read the files the cache lacks in worker processes, while the generators
read them one by one (Pelican reads on one core).

Workers are forked from the build, so they hold the same settings, plugins
and readers. They read the files, in Pelican's order, through the generator's own
``Readers.read_file`` (every plugin's wrapper included: the checklist plugin,
for one, tells its extension which file it reads there) with the cache in
"store" mode, and sends back only the new cache entries. Whatever else a
read does in a worker (content objects, signals, log output) is thrown away
with the worker: the main process reads every file itself, in Pelican's
order, from the cache as each worker's result arrives, and logs each file's
warnings then.
"""

from __future__ import annotations

import logging
import multiprocessing
import os

from pelican.contents import Article, Page
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.readers import MarkdownReader
from pelican.utils import file_suffix

from . import readcache

logger = logging.getLogger(__name__)

# Set just before forking; the workers read their jobs from here.
_JOBS: list[tuple] = []
_CONTEXT = None


def _files(state):
    settings = state.settings
    for generator in state.generators:
        if type(generator) is ArticlesGenerator:
            paths, exclude, cls = "ARTICLE_PATHS", "ARTICLE_EXCLUDES", Article
        elif type(generator) is PagesGenerator:
            paths, exclude, cls = "PAGE_PATHS", "PAGE_EXCLUDES", Page
        else:
            continue
        state.wrap_readers(generator.readers)
        for name in generator.get_files(settings[paths], exclude=settings[exclude]):
            reader = generator.readers.readers.get(file_suffix(name))
            if isinstance(reader, MarkdownReader):
                yield generator, name, cls, reader


def prefetch(state, context) -> None:
    """Start the workers on the files the cache lacks; their results come
    back in Pelican's reading order while the main process reads, which
    takes each file's result as it needs it (`Prefetch.wait_for`)."""
    if state.workers < 2 or not hasattr(os, "fork") or state.in_worker:
        return
    state.open()
    state.mark("first read")
    jobs = []
    for generator, name, cls, reader in _files(state):
        source = os.path.abspath(os.path.join(generator.path, name))
        key = state.read_key(reader, source)
        if key is None or key in state.entries:
            continue
        jobs.append((source, state.generators.index(generator), name, cls))
    if len(jobs) < state.min_files:
        return
    count = min(state.workers, len(jobs))
    global _JOBS, _CONTEXT
    _JOBS, _CONTEXT = jobs, context
    try:
        pool = multiprocessing.get_context("fork").Pool(count, initializer=_quiet)
    except Exception as exc:  # no workers: the main process reads everything
        logger.warning("buildcache: cannot start workers, reading in one process: %s", exc)
        _JOBS, _CONTEXT = [], None
        return
    state.mark("workers start reading")
    # small chunks, in reading order: results arrive about when needed
    results = pool.imap(_work, range(len(jobs)), chunksize=4)
    state.prefetch = Prefetch(state, pool, results, [job[0] for job in jobs], count)


class Prefetch:
    """The workers' results, taken in order as the main process reads."""

    def __init__(self, state, pool, results, sources: list[str], count: int) -> None:
        self.state = state
        self.pool = pool
        self.results = results
        self.pending = {source: i for i, source in enumerate(sources)}
        self.done = 0
        self.total = len(sources)
        state.stats["prefetch_workers"] = count

    def wait_for(self, source: str) -> None:
        """Take results until the one for `source` (if a worker reads it)."""
        index = self.pending.get(source)
        while index is not None and self.done <= index:
            if not self._take():
                break

    def _take(self) -> bool:
        try:
            entries, read = next(self.results)
        except StopIteration:
            self.done = self.total
            return False
        except Exception as exc:  # a worker died: the main process reads the rest
            logger.warning("buildcache: parallel reading failed: %s", exc)
            self.close()
            return False
        self.done += 1
        for key, value in entries.items():
            if key not in self.state.used:
                self.state.store(key, value)
        self.state.stats["prefetched"] += read
        return True

    def finish(self) -> None:
        """All reading is over: take what is left and stop the workers."""
        while self.done < self.total and self._take():
            pass
        self.state.mark("workers done")
        self.close()

    def close(self) -> None:
        global _JOBS, _CONTEXT
        self.done = self.total
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
        _JOBS, _CONTEXT = [], None
        if self.state.prefetch is self:
            self.state.prefetch = None


def _quiet() -> None:
    """A worker prints nothing: the main process logs each file's warnings
    when it reads the file."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(logging.NullHandler())
    state = readcache.CURRENT
    if state is not None:
        state.in_worker = True


def _work(index: int):
    """Read one file in a worker; return the cache entries it made."""
    state = readcache.CURRENT
    if state is None:
        return {}, 0
    before = set(state.used)
    _source, generator_index, name, cls = _JOBS[index]
    generator = state.generators[generator_index]
    read = 0
    try:
        generator.readers.read_file(
            base_path=generator.path, path=name, content_class=cls, context=_CONTEXT
        )
        read = 1
    except BaseException:  # the main process reads it again and reports
        pass
    new = {k: v for k, v in state.used.items() if k not in before}
    # a worker keeps nothing it sent: its next file starts from the cache
    for key in new:
        del state.used[key]
    return new, read
