"""The caching reader: what a Markdown reader returned for a file, typogrify
included, kept between builds.

The plugin puts ``CachingReader`` in front of every reader class Pelican
registered (``readers_init``: each class in ``readers.reader_classes`` is
replaced by a subclass of itself). Whatever another plugin did to the class
before us (the assessment plugin wraps it) runs on a miss, through
``super().read()``. A plugin that wraps *our* class later gets the cache at
its own level: ``CachingReader.__init_subclass__`` moves the cache in front
of the subclass's ``read``, so the cache always answers for the whole chain
of classes, outermost first, and only once.

A read on a Markdown file:

1. The key (``BuildState.read_key``): the file's bytes, its absolute path,
   the working directory, the reader's class chain, its settings (minus
   ``WRITE_ONLY``), the plugins' code and the library versions
   (fingerprint.py).
2. A hit returns the stored content and metadata, and logs again the
   warnings the read logged, so a warm build reports what a cold one does.
3. A miss runs the reader, then typogrify (below), and stores the result
   with the warnings, unless the file changed while it was read. A read that
   raises is never stored.

typogrify: with the cache on, the plugin turns Pelican's ``TYPOGRIFY`` off
(``initialized``) and sets ``BUILD_CACHE_TYPOGRIFY``; the reader then does
what ``Readers.read_file`` would have done, on the same text at the same
point (content, title, summary; ``TYPOGRIFY_IGNORE_TAGS``,
``TYPOGRIFY_OMIT_FILTERS``, ``TYPOGRIFY_DASHES``), so the result is cached
with the read. Readers of other formats (reStructuredText, HTML) are not
cached, only typogrified the same way.

Metadata keeps its objects (tags, categories, authors, the assessment
plugin's parsed assessments). References to the settings are stored as a
token and re-attached to the live settings when loaded, so URLs always follow
the current build's settings.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import pickle
import time
from pathlib import Path

from pelican.readers import BaseReader, MarkdownReader

from .fingerprint import digest, reading_settings, stable

logger = logging.getLogger(__name__)

FORMAT = 2
KEEP_FILES = 4  # cache files (one per code and library fingerprint) kept
TYPOGRIFY_SETTING = "BUILD_CACHE_TYPOGRIFY"
# Figures of the last build, for `make bench` and the tests.
LAST_STATS: dict = {}


# -- typogrify, as Pelican's Readers.read_file does it ------------------------


def typogrify_read(settings, content, metadata):
    """Pelican 4.12's `Readers.read_file` typogrify step, on a reader's
    result: the same settings, the same fallbacks, the same fields."""
    import smartypants
    from typogrify.filters import typogrify

    dashes = settings["TYPOGRIFY_DASHES"]
    if dashes == "oldschool":
        smartypants.Attr.default = smartypants.Attr.set2
    elif dashes == "oldschool_inverted":
        smartypants.Attr.default = smartypants.Attr.set3
    else:
        smartypants.Attr.default = smartypants.Attr.set1
    smartypants.Attr.default |= smartypants.Attr.w

    def typogrify_wrapper(text):
        try:
            return typogrify(
                text,
                settings["TYPOGRIFY_IGNORE_TAGS"],
                **dict.fromkeys(settings["TYPOGRIFY_OMIT_FILTERS"], False),
            )
        except TypeError:
            try:
                typogrify(text, settings["TYPOGRIFY_IGNORE_TAGS"])
            except TypeError:
                return typogrify(text)

    if content:
        content = typogrify_wrapper(content)
    if "title" in metadata:
        metadata["title"] = typogrify_wrapper(metadata["title"])
    if "summary" in metadata:
        metadata["summary"] = typogrify_wrapper(metadata["summary"])
    return content, metadata


# -- warnings of a read --------------------------------------------------------


def _plain(value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


class _Capture(logging.Handler):
    """The warnings and errors logged while one file is read."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[tuple] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        if isinstance(record.msg, str) and isinstance(args, tuple) and all(map(_plain, args)):
            self.records.append((record.name, record.levelno, record.msg, args))
            return
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        self.records.append((record.name, record.levelno, "%s", (message,)))


def replay(records) -> None:
    for name, level, msg, args in records:
        logging.getLogger(name).log(level, msg, *args)


# -- storing reads -------------------------------------------------------------


class _Pickler(pickle.Pickler):
    def __init__(self, file, tokens: dict[int, str]) -> None:
        super().__init__(file, protocol=5)
        self.tokens = tokens

    def persistent_id(self, obj):
        return self.tokens.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, objects: dict[str, object]) -> None:
        super().__init__(file)
        self.objects = objects

    def persistent_load(self, pid):
        return self.objects[pid]


# Cache files this process loaded or saved, by path: (size, mtime, entries).
# A process that builds again (Pelican's autoreload, the tests) does not
# unpickle the file again while it is unchanged.
_LOADED: dict[str, tuple[int, int, dict]] = {}


class BuildState:
    """The cache during one run of one Pelican instance."""

    def __init__(self, settings, base: str) -> None:
        self.settings = settings
        self.base = base
        self.folder = Path(settings["CACHE_PATH"]) / "buildcache"
        self.path = self.folder / f"reads-{base[:24]}.pickle"
        self.entries: dict[str, bytes] | None = None
        self.used: dict[str, bytes] = {}
        self.new = 0
        self.reader_keys: dict[int, str] = {}
        self.misses = 0
        self.prefetch = None  # the worker reading ahead (prefetch.py)
        self.stats: dict = {
            "hits": [],
            "misses": [],
            "failed": [],
            "typogrify_runs": 0,
            "read_seconds": 0.0,  # the reader chain (Markdown, the plugins)
            "typogrify_seconds": 0.0,
            "load_seconds": 0.0,  # keys and unpickling of hits
            "store_seconds": 0.0,  # pickling of misses
        }

    # -- the cache file ------------------------------------------------------

    def _entries(self) -> dict[str, bytes]:
        if self.entries is None:
            self.entries = {}
            try:
                stat = self.path.stat()
            except OSError:
                return self.entries
            known = _LOADED.get(str(self.path))
            if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
                self.entries = known[2]
                return self.entries
            try:
                with open(self.path, "rb") as f:
                    data = pickle.load(f)
                if data.get("format") == FORMAT and data.get("base") == self.base:
                    self.entries = data["entries"]
            except Exception as exc:  # a damaged file is a cold cache
                logger.debug("buildcache: ignoring %s: %s", self.path, exc)
        return self.entries

    def lookup(self, key: str) -> bytes | None:
        value = self.used.get(key)
        if value is None:
            value = self._entries().get(key)
            if value is not None:
                self.used[key] = value
        return value

    def store(self, key: str, value: bytes) -> None:
        self.used[key] = value
        self.new += 1

    def stop_prefetch(self) -> None:
        if self.prefetch is not None:
            self.prefetch.stop()
            self.prefetch = None

    def save(self) -> None:
        """Keep this run's reads (and only those: entries of deleted or
        changed files go) if any of them is new."""
        if not self.new:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as f:
                pickle.dump(
                    {"format": FORMAT, "base": self.base, "entries": self.used}, f, protocol=5
                )
            os.replace(tmp, self.path)
            stat = self.path.stat()
            self.entries = dict(self.used)
            _LOADED[str(self.path)] = (stat.st_size, stat.st_mtime_ns, self.entries)
            self.new = 0
            old = sorted(
                self.folder.glob("reads-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
            )
            for stale in old[KEEP_FILES:]:
                stale.unlink(missing_ok=True)
                _LOADED.pop(str(stale), None)
        except OSError as exc:
            logger.warning("buildcache: could not save %s: %s", self.path, exc)

    # -- keys ----------------------------------------------------------------

    def reader_key(self, reader) -> str:
        key = self.reader_keys.get(id(reader))
        if key is None:
            chain = ",".join(f"{c.__module__}.{c.__qualname__}" for c in type(reader).__mro__)
            key = digest(self.base, chain, stable(reading_settings(reader.settings)), os.getcwd())
            self.reader_keys[id(reader)] = key
        return key

    def read_key(self, reader, source_path: str) -> str | None:
        try:
            data = Path(source_path).read_bytes()
        except OSError:
            return None
        return digest("read", self.reader_key(reader), os.path.abspath(source_path), data)

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


# The state of each run in progress, by the identity of its settings (tests
# and Pelican's autoreload build several sites in one process).
_STATES: dict[int, BuildState] = {}


def start(settings, base: str) -> BuildState:
    state = BuildState(settings, base)
    _STATES[id(settings)] = state
    LAST_STATS.clear()
    LAST_STATS.update(state.stats)
    state.stats = LAST_STATS  # live: the tests read it when a build stops half-way
    return state


def state_for(settings) -> BuildState | None:
    state = _STATES.get(id(settings))
    return state if state is not None and state.settings is settings else None


def finish(settings) -> BuildState | None:
    state = state_for(settings)
    if state is not None:
        del _STATES[id(settings)]
        state.stop_prefetch()
    return state


# -- the reader ----------------------------------------------------------------


def _cached_read(reader, source_path, read):
    """The cache in front of `read` (the rest of the reader chain)."""
    if getattr(reader, "buildcache_depth", 0):
        return read(source_path)  # an outer class of the chain has the cache
    settings = reader.settings
    typogrify = bool(settings.get(TYPOGRIFY_SETTING))
    state = reader.buildcache_state if isinstance(reader, MarkdownReader) else None
    reader.buildcache_depth = 1
    try:
        started = time.perf_counter()
        key = state.read_key(reader, source_path) if state is not None else None
        if key is not None:
            blob = state.lookup(key)
            if blob is not None:
                try:
                    content, metadata, records = state.load(blob, reader)
                except Exception as exc:
                    logger.debug("buildcache: unreadable entry for %s: %s", source_path, exc)
                else:
                    state.stats["hits"].append(source_path)
                    state.stats["load_seconds"] += time.perf_counter() - started
                    replay(records)
                    return content, metadata
        if state is not None and key is not None:
            taken = _prefetched(state, reader, source_path, key)
            if taken is not None:
                return taken
        capture = _Capture()
        root = logging.getLogger()
        root.addHandler(capture)
        try:
            started = time.perf_counter()
            content, metadata = read(source_path)
            read_at = time.perf_counter()
            if typogrify:
                content, metadata = typogrify_read(settings, content, metadata)
                if state is not None:
                    state.stats["typogrify_runs"] += 1
            if state is not None:
                state.stats["read_seconds"] += read_at - started
                state.stats["typogrify_seconds"] += time.perf_counter() - read_at
        except BaseException:
            if state is not None:
                state.stats["failed"].append(source_path)
            raise
        finally:
            root.removeHandler(capture)
        if state is not None:
            state.stats["misses"].append(source_path)
            # stored only if the file did not change while it was read
            started = time.perf_counter()
            if key is not None and key == state.read_key(reader, source_path):
                blob = state.dump((content, metadata, capture.records), reader)
                if blob is not None:
                    state.store(key, blob)
            state.stats["store_seconds"] += time.perf_counter() - started
        return content, metadata
    finally:
        reader.buildcache_depth = 0


def _prefetched(state, reader, source_path, key):
    """The read of `source_path` by the worker (prefetch.py), if it did it:
    taken like a hit, counted as a read of this build."""
    state.misses += 1
    if state.misses == 2 and state.prefetch is None:
        from . import prefetch

        state.prefetch = prefetch.start(state, reader, source_path)
        return None
    if state.prefetch is None:
        return None
    result = state.prefetch.take(source_path)
    if result is None or result[0] != key:
        return None
    _key, blob, read_seconds, typogrify_seconds = result
    try:
        content, metadata, records = state.load(blob, reader)
    except Exception as exc:
        logger.debug("buildcache: unreadable prefetched read of %s: %s", source_path, exc)
        return None
    state.store(key, blob)
    state.stats["misses"].append(source_path)
    state.stats["prefetched"] = state.stats.get("prefetched", 0) + 1
    state.stats["read_seconds"] += read_seconds
    state.stats["typogrify_seconds"] += typogrify_seconds
    if reader.settings.get(TYPOGRIFY_SETTING):
        state.stats["typogrify_runs"] += 1
    replay(records)
    return content, metadata


def _mark(function):
    function.buildcache_cached = True
    return function


class CachingReader:
    """Put in front of a reader class (see `caching_class`)."""

    buildcache_state: BuildState | None = None
    buildcache_depth = 0

    def __init__(self, settings=None, *args, **kwargs):
        self.buildcache_state = state_for(settings)
        super().__init__(settings, *args, **kwargs)

    @_mark
    def read(self, source_path):
        return _cached_read(self, source_path, super().read)

    def __init_subclass__(cls, **kwargs):
        """A plugin subclassed a caching reader to wrap its `read`: answer
        from the cache in front of that `read`, so that what the subclass
        does around ours is cached too, and typogrify runs after it, as
        Pelican would run it."""
        super().__init_subclass__(**kwargs)
        inner = cls.read
        if getattr(inner, "buildcache_cached", False):
            return

        @_mark
        @functools.wraps(inner)
        def read(self, source_path):
            return _cached_read(self, source_path, functools.partial(inner, self))

        cls.read = read


_classes: dict[type, type] = {}


def caching_class(cls: type) -> type:
    """`cls` with the cache in front; the same name, so that Pelican's
    `reader` metadata stays what it was ("markdown")."""
    if issubclass(cls, CachingReader):
        return cls
    if cls not in _classes:
        _classes[cls] = type(cls.__name__, (CachingReader, cls), {"__module__": __name__})
    return _classes[cls]


def install(readers) -> None:
    for ext, cls in list(readers.reader_classes.items()):
        if isinstance(cls, type) and issubclass(cls, BaseReader):
            readers.reader_classes[ext] = caching_class(cls)
