"""The read cache: what a Markdown reader returned for a file, and what
typogrify made of it, kept between builds.

How a read works with the cache on (Pelican's ``Readers.read_file`` runs as
usual; two of its steps are answered from the cache):

1. ``reader.read(path)`` (Markdown with every plugin's extension: the
   assessment and checklist widgets are rendered here) is wrapped on each
   reader object. The key is a hash of the file's bytes, its path, the
   working directory, the reader's class and settings, the plugins' code and
   the library versions (fingerprint.py). On a hit the stored content and
   metadata come back, and the warnings the read logged are logged again, so
   a warm build reports exactly what a cold one does. On a miss the reader
   runs and its result is stored. A read that fails is never stored: it
   fails again, with its message, on every build until it is fixed.
2. typogrify, which ``read_file`` runs on the content, title and summary, is
   memoised on its exact arguments (the text, the ignored tags, the filters
   and smartypants' settings).

Metadata keeps its objects (tags, categories, authors, the assessment
plugin's parsed assessments): the plugins' site-wide checks and the theme see
the same objects as in a cold build. References to the settings are stored
as a token and re-attached to the live settings when loaded, so URLs always
follow the current build's settings.

At the first read, the files the cache lacks are handed to worker processes
(fork, ``BUILD_WORKERS``; prefetch.py), which read them through the same
``read_file`` chain with every plugin's wrapper and send back the cache
entries in reading order; the generators read every file in order, each
from the cache as its entry arrives. A worker that fails on a file just
leaves it to the main process.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import pickle
import time
from pathlib import Path

from pelican.readers import MarkdownReader

from .fingerprint import code_fingerprint, digest, reading_settings, stable, versions

logger = logging.getLogger(__name__)

PLUGIN_NAME = "buildcache"
FORMAT = 1
KEEP_FILES = 4  # cache files (one per settings and code fingerprint) kept


def enabled(settings) -> bool:
    """Blinker signals are process-wide (tests build many sites in one
    process): act only for builds whose PLUGINS name this plugin and that
    do not turn it off with BUILD_CACHE = False."""
    if not settings or settings.get("BUILD_CACHE", True) is False:
        return False
    for plugin in settings.get("PLUGINS") or ():
        name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        if name.rsplit(".", 1)[-1] == PLUGIN_NAME:
            return True
    return False


def workers_setting(settings) -> int:
    value = settings.get("BUILD_WORKERS")
    if value is None:
        value = os.cpu_count() or 1
    return max(1, int(value))


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        self.records.append((record.name, record.levelno, message))


class _Pickler(pickle.Pickler):
    def __init__(self, file, tokens: dict[int, str]) -> None:
        super().__init__(file, protocol=5)
        self._tokens = tokens

    def persistent_id(self, obj):
        return self._tokens.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, objects: dict[str, object]) -> None:
        super().__init__(file)
        self._objects = objects

    def persistent_load(self, pid):
        return self._objects[pid]


class BuildState:
    """Everything the cache knows during one build (one Pelican instance)."""

    def __init__(self, pelican) -> None:
        settings = pelican.settings
        self.settings = settings
        self.workers = workers_setting(settings)
        self.min_files = int(settings.get("BUILD_PARALLEL_MIN_FILES", 40))
        self.code = code_fingerprint(getattr(pelican, "plugins", ()), settings.get("PLUGIN_PATHS"))
        self.folder = Path(settings["CACHE_PATH"]) / "buildcache"
        # Known at the first read (see `open`): until then plugins and
        # readers still add to the settings (Markdown extensions).
        self.base = ""
        self.path = self.folder / "reads-unopened.pickle"
        self.opened = False
        self.entries: dict[str, bytes | str] = {}
        self.used: dict[str, bytes | str] = {}
        self.new = 0
        self.active = 0
        self.prefetched = False
        self.prefetch = None  # the workers' results while they read
        self.in_worker = False
        self.saved = False
        self.generators: list = []
        self._reader_keys: dict[int, str] = {}
        self._typogrify_options: dict[tuple, str] = {}
        self.stats = {
            "hits": [],
            "misses": [],
            "failed": [],
            "typogrify_hits": 0,
            "typogrify_runs": 0,
            "prefetched": 0,
            "prefetch_workers": 0,
            "write_workers": 1,
            "load_seconds": 0.0,
            "save_seconds": 0.0,
            "workers": self.workers,
            "cache_file": "",
            # seconds since this run's first generator, at each step
            "timeline": {},
        }
        self._t0 = time.perf_counter()

    def mark(self, step: str) -> None:
        self.stats["timeline"][step] = round(time.perf_counter() - self._t0, 3)

    # -- storage -------------------------------------------------------------

    def open(self) -> None:
        """Fix the key of this build's settings and load its cache file."""
        if self.opened:
            return
        self.opened = True
        self.base = digest(
            f"format={FORMAT}", versions(), self.code, stable(reading_settings(self.settings))
        )
        self.path = self.folder / f"reads-{self.base[:24]}.pickle"
        self.stats["cache_file"] = str(self.path)
        started = time.perf_counter()
        try:
            with open(self.path, "rb") as f:
                data = pickle.load(f)
            if data.get("format") == FORMAT and data.get("base") == self.base:
                self.entries = data["entries"]
        except FileNotFoundError:
            pass
        except Exception as exc:  # a broken or foreign file: start afresh
            logger.debug("buildcache: ignoring unreadable cache %s: %s", self.path, exc)
        self.stats["load_seconds"] = time.perf_counter() - started

    def reading_done(self) -> None:
        if self.prefetch is not None:
            self.prefetch.finish()
        self.save()

    def save(self) -> None:
        if self.in_worker or not self.opened:
            return
        if not self.new and len(self.used) == len(self.entries) and self.path.exists():
            self.saved = True
            return
        started = time.perf_counter()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump(
                    {"format": FORMAT, "base": self.base, "entries": self.used}, f, protocol=5
                )
            os.replace(tmp, self.path)
            self.entries = dict(self.used)
            self.new = 0
            old = sorted(
                self.folder.glob("reads-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
            )
            for stale in old[KEEP_FILES:]:
                stale.unlink(missing_ok=True)
        except OSError as exc:
            logger.warning("buildcache: could not save %s: %s", self.path, exc)
        self.saved = True
        self.stats["save_seconds"] = time.perf_counter() - started

    def lookup(self, key: str):
        value = self.used.get(key)
        if value is None:
            value = self.entries.get(key)
            if value is not None:
                self.used[key] = value
        return value

    def store(self, key: str, value) -> None:
        self.used[key] = value
        self.new += 1

    # -- keys ----------------------------------------------------------------

    def reader_key(self, reader) -> str:
        key = self._reader_keys.get(id(reader))
        if key is None:
            classes = ",".join(f"{c.__module__}.{c.__qualname__}" for c in type(reader).__mro__)
            key = digest(self.base, classes, stable(reading_settings(reader.settings)))
            self._reader_keys[id(reader)] = key
        return key

    def read_key(self, reader, source_path: str) -> str | None:
        try:
            data = Path(source_path).read_bytes()
        except OSError:
            return None
        return digest(
            "read", self.reader_key(reader), os.path.abspath(source_path), os.getcwd(), data
        )

    # -- (de)serialising reads ----------------------------------------------

    def _tokens(self, reader) -> dict[int, str]:
        return {id(self.settings): "settings", id(reader.settings): "reader-settings"}

    def dump(self, value, reader) -> bytes | None:
        buffer = io.BytesIO()
        try:
            _Pickler(buffer, self._tokens(reader)).dump(value)
        except Exception as exc:  # something in the metadata cannot be kept
            logger.debug("buildcache: not caching a read: %s", exc)
            return None
        return buffer.getvalue()

    def load(self, blob: bytes, reader):
        objects = {"settings": self.settings, "reader-settings": reader.settings}
        return _Unpickler(io.BytesIO(blob), objects).load()

    # -- wrapping ------------------------------------------------------------

    def wrap_readers(self, readers) -> None:
        for reader in list(readers.readers.values()):
            if isinstance(reader, MarkdownReader) and not getattr(reader.read, "buildcache", 0):
                reader.read = self._cached_read(reader)

    def _cached_read(self, reader):
        original = reader.read

        @functools.wraps(original)
        def read(source_path):
            key = self.read_key(reader, source_path)
            if key is not None and self.prefetch is not None:
                self.prefetch.wait_for(source_path)
            if key is not None:
                blob = self.lookup(key)
                if isinstance(blob, bytes):
                    try:
                        content, metadata, records = self.load(blob, reader)
                    except Exception as exc:
                        logger.debug("buildcache: unreadable entry for %s: %s", source_path, exc)
                    else:
                        self.stats["hits"].append(source_path)
                        for name, level, message in records:
                            logging.getLogger(name).log(level, "%s", message)
                        return content, metadata
            capture = _Capture()
            root = logging.getLogger()
            root.addHandler(capture)
            try:
                content, metadata = original(source_path)
            except BaseException:
                self.stats["failed"].append(source_path)
                raise
            finally:
                root.removeHandler(capture)
            self.stats["misses"].append(source_path)
            # Stored only if the file did not change while it was read.
            if key is not None and key == self.read_key(reader, source_path):
                blob = self.dump((content, metadata, capture.records), reader)
                if blob is not None:
                    self.store(key, blob)
            return content, metadata

        read.buildcache = 1
        return read

    def wrap_read_file(self, readers) -> None:
        original = readers.read_file
        if getattr(original, "buildcache", 0):
            return

        @functools.wraps(original)
        def read_file(base_path, path, *args, **kwargs):
            self.open()
            self.wrap_readers(readers)
            if not self.prefetched:
                self.prefetched = True
                from .prefetch import prefetch

                prefetch(self, kwargs.get("context"))
            self.active += 1
            try:
                return original(base_path, path, *args, **kwargs)
            finally:
                self.active -= 1

        read_file.buildcache = 1
        # On this instance only, as the checklist plugin does: other plugins
        # may wrap it too.
        readers.read_file = read_file

    # -- typogrify -----------------------------------------------------------

    def typogrify(self, original, text, ignore_tags, kwargs):
        import smartypants

        try:
            args = (int(smartypants.Attr.default), tuple(ignore_tags or ()), tuple(kwargs.items()))
            options = self._typogrify_options.get(args)
        except TypeError:  # unhashable arguments
            args, options = None, None
        if options is None:
            options = digest(
                "typogrify",
                self.base,
                str(int(smartypants.Attr.default)),
                stable(ignore_tags),
                stable(kwargs),
            )
            if args is not None:
                self._typogrify_options[args] = options
        key = digest(options, text)
        hit = self.lookup(key)
        if isinstance(hit, str):
            self.stats["typogrify_hits"] += 1
            return hit
        result = original(text, ignore_tags, **kwargs)
        self.stats["typogrify_runs"] += 1
        if isinstance(result, str):
            self.store(key, str(result))
        return result


# The Pelican instance of the build with this plugin, and the run in progress
# (None between runs or when the plugin is off).
INSTANCE = None
CURRENT: BuildState | None = None
# Figures of the last build, for `make bench` and the tests.
LAST_STATS: dict = {}


def state_for(settings) -> BuildState | None:
    state = CURRENT
    if state is not None and state.settings is settings:
        return state
    return None


def install_typogrify_memo() -> None:
    """Route typogrify.filters.typogrify through the cache while a build with
    this plugin is reading; everywhere else it runs as before. Pelican
    imports the function at each read, so replacing the module attribute is
    enough."""
    try:
        import typogrify.filters as filters
    except ImportError:
        return
    if getattr(filters.typogrify, "buildcache", 0):
        return
    original = filters.typogrify

    @functools.wraps(original)
    def typogrify(text, ignore_tags=None, **kwargs):
        state = CURRENT
        if state is None or not state.active or not isinstance(text, str):
            return original(text, ignore_tags, **kwargs)
        return state.typogrify(original, text, ignore_tags, kwargs)

    typogrify.buildcache = 1
    filters.typogrify = typogrify
