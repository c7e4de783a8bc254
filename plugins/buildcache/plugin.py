"""Pelican wiring of the read cache and the parallel phases.

- initialized: note the Pelican instance; each run of it (get_generators
  starts one) gets a BuildState, which loads the cache file, when its
  first generator is made.
- readers_init: wrap this Readers' read_file (cache, typogrify memo, the
  parallel first read).
- generator_init: remember the generators (the workers read their files).
- page_generator_finalized, all_generators_finalized: save the cache once
  every file is read; then split the write phase between processes.
- finalized: keep the build's figures in readcache.LAST_STATS.
"""

from __future__ import annotations

import json
import logging

from pelican import signals

from . import parallel_write, readcache

logger = logging.getLogger(__name__)


def on_initialized(pelican) -> None:
    _stop_workers()
    readcache.CURRENT = None
    readcache.INSTANCE = pelican if readcache.enabled(pelican.settings) else None
    if readcache.INSTANCE is not None:
        readcache.install_typogrify_memo()


def on_run_start(pelican) -> None:
    """Pelican asks for generators at the start of every run: whatever the
    last run left (it may have stopped half-way) is not this run's."""
    if readcache.INSTANCE is pelican:
        _stop_workers()
        readcache.CURRENT = None


def _state(settings):
    """This run's state, made when its first generator appears: Pelican's
    autoreload (`make regenerate`) runs one instance many times."""
    state = readcache.state_for(settings)
    pelican = readcache.INSTANCE
    if state is None and pelican is not None and pelican.settings is settings:
        state = readcache.BuildState(pelican)
        readcache.CURRENT = state
        # live: the tests read it even when a build stops half-way
        readcache.LAST_STATS = state.stats
    return state


def on_readers_init(readers) -> None:
    state = _state(readers.settings)
    if state is not None:
        state.wrap_read_file(readers)


def on_generator_init(generator) -> None:
    state = _state(getattr(generator, "settings", None))
    if state is not None:
        state.generators.append(generator)


def on_reading_done(generator) -> None:
    state = readcache.state_for(getattr(generator, "settings", None))
    if state is not None:
        state.reading_done()


def on_all_generators_finalized(generators) -> None:
    generators = list(generators)
    if not generators:
        return
    state = readcache.state_for(generators[0].settings)
    if state is None:
        return
    state.mark("all read")
    if not state.saved or state.new or state.prefetch is not None:
        state.reading_done()
    state.mark("cache saved")
    _report(state)
    parallel_write.install(state, generators)


def on_finalized(pelican) -> None:
    state = readcache.state_for(pelican.settings)
    if state is not None:
        state.mark("finished")
        _report(state)
        summary = {k: v for k, v in state.stats.items() if k not in ("hits", "misses", "failed")}
        summary["from_cache"] = len(state.stats["hits"]) - state.stats["prefetched"]
        summary["read"] = len(state.stats["misses"]) + state.stats["prefetched"]
        try:
            state.folder.mkdir(parents=True, exist_ok=True)
            (state.folder / "last-build.json").write_text(json.dumps(summary, indent=1))
        except OSError:
            pass
        _stop_workers()
        readcache.CURRENT = None


def _stop_workers() -> None:
    """Reading workers left over by a build that stopped half-way."""
    state = readcache.CURRENT
    if state is not None and state.prefetch is not None:
        state.prefetch.close()


def _report(state) -> None:
    stats = state.stats
    logger.info(
        "buildcache: %d files from the cache, %d read (%d of them in %d workers)",
        len(stats["hits"]) - stats["prefetched"],
        len(stats["misses"]) + stats["prefetched"],
        stats["prefetched"],
        stats["prefetch_workers"],
    )


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(on_run_start)
    signals.generator_init.connect(on_generator_init)
    signals.readers_init.connect(on_readers_init)
    signals.page_generator_finalized.connect(on_reading_done)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
