"""search_index: the index the search page (theme/templates/search.html,
theme/static/js/search.js) searches in the reader's browser. See README.md.

Two documented signals:

- ``all_generators_finalized`` (every file read, URLs known, nothing
  written yet): the published articles and pages, in the order the site
  lists them (newest article first, then the pages), are taken with their
  title, summary and body HTML. Drafts, hidden pages, translations and,
  when ``WITH_FUTURE_DATES`` is off, articles dated in the future are not
  in Pelican's ``articles`` and ``pages`` lists, so they are not in the
  index. Reading the words out of the bodies, and building the index,
  start here.
- ``finalized`` (every page written): the index is written to
  ``SEARCH_INDEX_SAVE_AS`` (default ``search-index.json``) in the output
  folder.

Reading text out of HTML is most of the work. What each body gave is kept
in ``CACHE_PATH/search_index.json`` under the digest of the HTML and of
this plugin's code, so a warm build reads no body again (titles and
summaries go through the theme's ``meta_text`` filter, which content_safety
keeps between builds); with nothing changed it reuses the last index as
well. On a site of many documents the rest (new bodies, the index) is done
in one forked worker process while Pelican writes the pages
(``SEARCH_INDEX_WORKER = False`` does it in the build's own process).
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from listed import listed
from pelican import signals

from .extract import text_of
from .index import Document, build, dumps

logger = logging.getLogger(__name__)

NAME = "search_index"
DEFAULT_SAVE_AS = "search-index.json"
CACHE_FILE = "search_index.json"
# A summary longer than this is cut at a word and ends with "…".
SUMMARY_CHARACTERS = 240


def enabled(settings) -> bool:
    """Blinker signals are process-wide (tests build many sites in one
    process): act only for builds whose PLUGINS list this plugin."""
    return listed(settings, NAME)


def _meta_text(value) -> str:
    # the theme's filter: typogrify's markup dropped, entities decoded
    from content_safety.filters import meta_text

    return meta_text(value)


def shorten(text: str, limit: int = SUMMARY_CHARACTERS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:.–—-")
    return cut + "…"


def _code_digest() -> str:
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()


def _digest(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()


class TextCache:
    """What each body gave (headings, words), by digest of its HTML. Only
    the entries this build used are saved: the file never grows stale."""

    def __init__(self, settings) -> None:
        cache = settings.get("CACHE_PATH")
        self.path = Path(cache) / CACHE_FILE if cache else None
        self.code = _code_digest()
        self.known: dict[str, list] = {}
        self.used: dict[str, list] = {}
        if self.path is not None:
            try:
                saved = json.loads(self.path.read_text(encoding="utf-8"))
                if saved.get("code") == self.code:
                    self.known = saved["entries"]
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass

    def save(self) -> None:
        if self.path is None or self.used == self.known:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(
                json.dumps({"code": self.code, "entries": self.used}), encoding="utf-8"
            )
            os.replace(temporary, self.path)
        except OSError as error:  # a read-only cache only costs time
            logger.debug("search_index: could not save %s: %s", self.path, error)


@dataclass
class Entry:
    """One document, read at all_generators_finalized."""

    url: str
    title: str
    summary: str
    about: str
    key: str  # digest of its body HTML


def _read(bodies: list[str]) -> list[list]:
    return [[headings, " ".join(found)] for headings, found in map(text_of, bodies)]


def index_text(entries: list[Entry], texts: dict[str, list]) -> str:
    """The index file's text, from the documents and each body's text."""
    documents = []
    for entry in entries:
        headings, body_words = texts[entry.key]
        documents.append(
            Document(
                entry.url,
                entry.title,
                entry.summary,
                entry.about,
                headings,
                tuple(body_words.split()),
            )
        )
    return dumps(build(documents))


@dataclass
class Job:
    """What is left to do once the documents are known: read the bodies not
    in the cache, and build the index unless the last one can be reused."""

    entries: list[Entry]
    known: dict[str, list]  # body texts from the cache
    keys: list[str]  # bodies to read, in this order
    bodies: list[str]
    build_index: bool

    def run(self) -> tuple[list[list], str | None]:
        read = _read(self.bodies)
        if not self.build_index:
            return read, None
        return read, index_text(self.entries, self.texts(read))

    def texts(self, read: list[list]) -> dict[str, list]:
        """Every body's text by digest: the cached ones and those just read."""
        return {**self.known, **dict(zip(self.keys, read, strict=True))}


# On a large site the job runs in one forked worker, started when every
# file is read and collected at `finalized`: it is a pure function of the
# documents, a fork shares them without copying, and it runs while Pelican
# writes the pages. Smaller sites, or no fork: run here, at once.
WORKER_MIN_BODIES = 64  # documents, read or not
_JOB: Job | None = None  # set just before forking; the worker reads it


def _run_in_worker() -> tuple[list[list], str | None]:
    assert _JOB is not None
    return _JOB.run()


def _done(result) -> Future:
    future: Future = Future()
    future.set_result(result)
    return future


def start(job: Job, settings) -> tuple[Future, ProcessPoolExecutor | None]:
    """The job's result as a Future, and the worker pool (to shut down once
    the result is in) when one was started."""
    if (
        (not job.bodies and not job.build_index)  # nothing to do
        or len(job.entries) < WORKER_MIN_BODIES
        or settings.get("SEARCH_INDEX_WORKER", True) is False
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return _done(job.run()), None
    global _JOB
    _JOB = job
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        return pool.submit(_run_in_worker), pool
    finally:
        _JOB = None  # the worker, forked at submit, has its own copy


@dataclass
class Pending:
    job: Job
    cache: TextCache
    built: BuiltIndex
    reused: str | None  # the last index, when nothing changed
    result: Future
    pool: ProcessPoolExecutor | None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


# Builds whose index is not written yet, by output folder (the devserver
# and the tests run many builds in one process).
_PENDING: dict[str, Pending] = {}


def entries_of(context) -> tuple[list[Entry], dict[str, str]]:
    """The documents, and their body HTML by digest."""
    found, bodies = [], {}
    for kind, contents in (("article", context.get("articles")), ("page", context.get("pages"))):
        for content in contents or ():
            html = content.content or ""
            key = _digest(html)
            bodies[key] = html
            if kind == "article":
                category = getattr(content, "category", None)
                about = " · ".join(
                    part
                    for part in (_meta_text(category) if category else "", content.locale_date)
                    if part
                )
            else:
                about = "Page"
            found.append(
                Entry(
                    url=content.url,
                    title=_meta_text(content.title),
                    summary=shorten(_meta_text(getattr(content, "summary", "") or "")),
                    about=about,
                    key=key,
                )
            )
    return found, bodies


def on_all_generators_finalized(generators) -> None:
    generators = list(generators)
    if not generators or not enabled(generators[0].settings):
        return
    settings = generators[0].settings
    output = str(settings["OUTPUT_PATH"])
    stale = _PENDING.pop(output, None)
    if stale is not None:  # a build that failed before `finalized`
        stale.close()
    context = next((g.context for g in generators if hasattr(g, "context")), {})
    entries, bodies = entries_of(context)
    cache = TextCache(settings)
    keys = [key for key in bodies if key not in cache.known]
    # The index is a pure function of the entries (each body's text follows
    # from its digest) and of this code: a warm build with nothing changed
    # reuses the last one instead of building it again.
    built = BuiltIndex(settings, cache.code, entries)
    reused = built.load()
    job = Job(entries, cache.known, keys, [bodies[key] for key in keys], reused is None)
    result, pool = start(job, settings)
    _PENDING[output] = Pending(job, cache, built, reused, result, pool)


def on_finalized(pelican) -> None:
    settings = pelican.settings
    pending = _PENDING.pop(str(settings.get("OUTPUT_PATH")), None)
    if pending is None or not enabled(settings):
        return
    in_worker = pending.pool is not None
    try:
        read, text = pending.result.result()
    finally:
        pending.close()
    cache, job = pending.cache, pending.job
    texts = job.texts(read)
    for entry in job.entries:
        cache.used[entry.key] = texts[entry.key]
    if text is None:
        text = pending.reused
    else:
        pending.built.save(text)
    cache.save()
    target = Path(settings["OUTPUT_PATH"]) / (
        settings.get("SEARCH_INDEX_SAVE_AS") or DEFAULT_SAVE_AS
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    logger.info(
        "search_index: %d documents in %s (%d bodies read%s%s)",
        len(job.entries),
        target,
        len(job.keys),
        ", in a worker" if in_worker else "",
        ", the index unchanged" if pending.reused is not None else "",
    )


class BuiltIndex:
    """The last index written, kept in CACHE_PATH beside the digest of what
    it was built from."""

    FILE = "search_index_built.json"

    def __init__(self, settings, code: str, entries) -> None:
        cache = settings.get("CACHE_PATH")
        self.path = Path(cache) / self.FILE if cache else None
        self.digest = hashlib.sha256(
            json.dumps(
                [code, [[e.url, e.title, e.summary, e.about, e.key] for e in entries]],
                ensure_ascii=False,
            ).encode("utf-8", "surrogatepass")
        ).hexdigest()

    def load(self) -> str | None:
        if self.path is None:
            return None
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(saved, dict) or saved.get("digest") != self.digest:
            return None
        text = saved.get("index")
        return text if isinstance(text, str) else None

    def save(self, text: str) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(
                json.dumps({"digest": self.digest, "index": text}), encoding="utf-8"
            )
            os.replace(temporary, self.path)
        except OSError as error:  # a read-only cache only costs time
            logger.debug("search_index: could not save %s: %s", self.path, error)


def register() -> None:
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
