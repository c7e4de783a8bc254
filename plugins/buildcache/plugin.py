"""Pelican wiring of the read cache, on Pelican's documented signals only.

- initialized: with the cache on, typogrify moves into the caching reader:
  `TYPOGRIFY` is turned off and `BUILD_CACHE_TYPOGRIFY` remembers it was on;
  Jinja gets its bytecode cache (`JINJA_ENVIRONMENT`). Settings only.
- get_generators (the start of every run; Pelican's autoreload runs one
  instance many times): a fresh BuildState keyed by the plugins' code and
  the library versions.
- readers_init: every reader class gets the cache in front
  (readcache.install).
- page_generator_finalized, finalized: save the reads (the pages are read
  last; `finalized` catches reads by later generators), report the figures.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time

from listed import listed
from pelican import signals

from . import readcache
from .fingerprint import code_fingerprint, digest, stable, versions

logger = logging.getLogger(__name__)

PLUGIN_NAME = "buildcache"


def enabled(settings) -> bool:
    """Blinker signals are process-wide (tests build many sites in one
    process): act only for builds whose PLUGINS name this plugin and that
    do not turn it off with BUILD_CACHE = False."""
    if not settings or settings.get("BUILD_CACHE", True) is False:
        return False
    return listed(settings, PLUGIN_NAME)


_TITLE_GROUP = re.compile(r"\(\?P<(title|summary)>")


def _title_from_elsewhere(settings) -> bool:
    """True when a title or summary can come from the file's path or the
    settings rather than from the reader: Pelican typogrifies those too, and
    the reader never sees them, so Pelican keeps doing typogrify."""
    if {"title", "summary"} & set(settings.get("DEFAULT_METADATA") or {}):
        return True
    for name in ("FILENAME_METADATA", "PATH_METADATA"):
        if _TITLE_GROUP.search(str(settings.get(name) or "")):
            return True
    for extra in (settings.get("EXTRA_PATH_METADATA") or {}).values():
        if isinstance(extra, dict) and {"title", "summary"} & set(extra):
            return True
    return False


def _template_cache(settings) -> None:
    """Jinja's own bytecode cache (`JINJA_ENVIRONMENT["bytecode_cache"]`):
    each generator's environment loads the compiled templates instead of
    compiling them again. Jinja checks each template's source against its
    checksum; the folder is named after the environment's options and the
    Jinja and Python versions, which the compiled code also depends on."""
    import jinja2

    options = dict(settings.get("JINJA_ENVIRONMENT") or {})
    if "bytecode_cache" in options:
        return
    tag = digest(stable(options), jinja2.__version__, sys.version)[:16]
    folder = os.path.join(settings["CACHE_PATH"], "buildcache", f"templates-{tag}")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return
    settings["JINJA_ENVIRONMENT"] = {
        **options,
        "bytecode_cache": jinja2.FileSystemBytecodeCache(folder),
    }


def on_initialized(pelican) -> None:
    settings = pelican.settings
    if not enabled(settings):
        return
    _template_cache(settings)
    if settings.get(readcache.TYPOGRIFY_SETTING):
        return
    if settings.get("TYPOGRIFY") and not _title_from_elsewhere(settings):
        settings["TYPOGRIFY"] = False
        settings[readcache.TYPOGRIFY_SETTING] = True


def on_run_start(pelican) -> None:
    settings = pelican.settings
    if not enabled(settings):
        return
    base = digest(
        str(readcache.FORMAT),
        code_fingerprint(pelican.plugins, settings.get("PLUGIN_PATHS")),
        versions(),
    )
    state = readcache.start(settings, base)
    state.stats["started"] = time.perf_counter()


def on_readers_init(readers) -> None:
    if readcache.state_for(readers.settings) is not None:
        readcache.install(readers)


def _report(state) -> dict:
    """The figures so far, in `last-build.json` (written when reading is
    done too: a build that stops at a site-wide check still leaves them)."""
    stats = state.stats
    summary = {
        "from_cache": len(stats["hits"]),
        "read": len(stats["misses"]),
        "failed": len(stats["failed"]),
        "typogrify_runs": stats["typogrify_runs"],
        **{k: round(v, 3) for k, v in stats.items() if k.endswith("_seconds")},
        "seconds": round(time.perf_counter() - stats.get("started", 0), 3),  # so far
    }
    try:
        state.folder.mkdir(parents=True, exist_ok=True)
        (state.folder / "last-build.json").write_text(json.dumps(summary, indent=1))
    except OSError:
        pass
    return summary


def on_reading_done(generator) -> None:
    state = readcache.state_for(generator.settings)
    if state is not None:
        state.stop_prefetch()
        state.save()
        _report(state)


def on_finalized(pelican) -> None:
    state = readcache.finish(pelican.settings)
    if state is None:
        return
    state.save()
    summary = _report(state)
    logger.info(
        "buildcache: %d files from the cache, %d read", summary["from_cache"], summary["read"]
    )


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(on_run_start)
    signals.readers_init.connect(on_readers_init)
    signals.page_generator_finalized.connect(on_reading_done)
    signals.finalized.connect(on_finalized)
