"""content_safety: nothing executable gets published. See README.md.

Three seams, all documented Pelican ones:

- ``initialized``: the theme's filters for author text (``meta_html``,
  ``meta_text``, see filters.py) are added to the JINJA_FILTERS setting.
- ``feed_generated``: entry titles are the whole plain text of the title.
- ``all_generators_finalized`` (every file read, nothing written yet): the
  metadata and the published body (after Markdown and typogrify) of every
  article and page, drafts, hidden pages and translations included, are
  checked (rules.py). Each problem is logged as an error,
  ``content/articles/x.md:12: what. Fix: how.``, then the build stops with
  ``UnsafeContentError`` before a file is written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from importlib import metadata as package_metadata
from pathlib import Path
from urllib.parse import urlsplit

from listed import listed
from pelican import signals
from pelican.contents import Static
from site_contents import written_contents

from . import filters, rules
from .filters import FILTERS, meta_text
from .sources import Source

logger = logging.getLogger(__name__)

NAME = "content_safety"
CACHE_FILE = "content_safety.txt"
TEXTS_FILE = "content_safety_texts.json"


class UnsafeContentError(RuntimeError):
    """Raised after reading when any content is unsafe to publish."""


def enabled(settings) -> bool:
    """Blinker signals are process-wide: a receiver also hears later builds
    in the same process, so it acts only for builds whose PLUGINS list it."""
    return listed(settings, NAME)


def on_initialized(pelican) -> None:
    settings = pelican.settings
    if enabled(settings):
        settings["JINJA_FILTERS"] = {**(settings.get("JINJA_FILTERS") or {}), **FILTERS}
        filters.start_build(_load_texts(_texts_path(settings)))


def on_finalized(pelican) -> None:
    if enabled(pelican.settings):
        _save_texts(_texts_path(pelican.settings), filters.texts_used())


# The plain text of titles and summaries (the meta_text filter), by value,
# from the last build: parsing them is a pure function of the value and of
# the filter's code.
def _texts_digest() -> str:
    return _digest_of("rules.py", "filters.py")


def _texts_path(settings) -> Path | None:
    return _cache_path(settings, TEXTS_FILE)


_LOADED_TEXTS: dict[str, str] = {}  # what the file held, to skip saving the same


def _load_texts(path: Path | None) -> dict[str, str]:
    global _LOADED_TEXTS
    _LOADED_TEXTS = {}
    if path is None:
        return {}
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(saved, dict) or saved.get("code") != _texts_digest():
        return {}
    texts = saved.get("texts")
    _LOADED_TEXTS = texts if isinstance(texts, dict) else {}
    return _LOADED_TEXTS


def _save_texts(path: Path | None, texts: dict[str, str]) -> None:
    if path is None or texts == _LOADED_TEXTS:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(
            json.dumps({"code": _texts_digest(), "texts": texts}, ensure_ascii=False),
            encoding="utf-8",
        )
        os.replace(temporary, path)
    except OSError as error:  # a read-only cache only costs time
        logger.debug("content_safety: could not save %s: %s", path, error)


def policy_for(settings) -> rules.Policy:
    siteurl = settings.get("SITEURL") or ""
    widget_tags: frozenset[str] = frozenset()
    try:
        from pelican_widget_blocks.pelican_glue import active_types
    except ImportError:  # no widget plugins installed: no widget markup to allow
        pass
    else:
        widget_tags = frozenset(kind.tag for kind in active_types(settings).values())
    assets = settings.get("WIDGET_ASSETS_DIR", "widgets")
    return rules.Policy(
        own_host=urlsplit(siteurl).hostname,
        widget_tags=widget_tags,
        widget_script_prefixes=rules.asset_prefixes(siteurl, assets if widget_tags else ""),
    )


def problem(source: Source, line: int, finding: rules.Finding, field: str = "") -> str:
    what = finding.what.rstrip(".")
    if field:
        what = f"{field}: {what}"
    return f"{source.path}:{line}: {what}. Fix: {finding.fix.rstrip('.')}."


def metadata_problems(content, source: Source) -> list[str]:
    meta = content.metadata
    found = []

    def check(value, keys, allowed, label):
        for finding in rules.metadata_findings(str(value), allowed):
            found.append(problem(source, source.field_line(*keys), finding, label))

    if meta.get("title") is not None:
        check(meta["title"], ("title",), "typogrify", "Title")
    if source.has_field("summary") and meta.get("summary") is not None:
        check(meta["summary"], ("summary",), "summary", "Summary")
    for tag in meta.get("tags") or ():
        check(tag, ("tags", "tag"), "none", f"Tags: tag {str(tag)[:40]!r}")
    if meta.get("category") is not None:
        check(meta["category"], ("category",), "none", "Category")
    for author in meta.get("authors") or ([meta["author"]] if meta.get("author") else []):
        check(author, ("author", "authors"), "none", f"Author {str(author)[:40]!r}")
    for key in ("slug", "url", "save_as"):
        value = meta.get(key)
        if isinstance(value, str) and rules.unsafe_name(value):
            finding = rules.Finding(
                f"{value[:60]!r} is written into links but has quotes, angle brackets, "
                "spaces or a scheme",
                "use lower-case words joined by hyphens (or leave it out: Pelican makes "
                "one from the title)",
            )
            found.append(problem(source, source.field_line(key), finding, key.title()))
    return found


def body_problems(html: str, source: Source, policy: rules.Policy) -> list[str]:
    return [
        problem(source, source.body_line(finding.needles), finding)
        for finding in rules.body_findings(html, policy)
    ]


# Contents found clean in the last build, by digest of the checker's code, the
# policy, the metadata and the HTML: a warm build re-checks only what changed.
def _code_digest() -> str:
    return _digest_of("rules.py", "__init__.py")


def _digest_of(*names: str) -> str:
    """html5lib's version and the named files of this plugin."""
    h = hashlib.sha256(package_metadata.version("html5lib").encode())
    for name in names:
        h.update((Path(__file__).parent / name).read_bytes())
    return h.hexdigest()


def _cache_path(settings, name: str = CACHE_FILE) -> Path | None:
    cache = settings.get("CACHE_PATH")
    if not cache or not settings.get("CONTENT_SAFETY_CACHE", True):
        return None
    return Path(cache) / name


def _load_clean(path: Path | None) -> set[str]:
    try:
        return set(path.read_text(encoding="ascii").split()) if path else set()
    except (OSError, UnicodeDecodeError):
        return set()


def _save_clean(path: Path | None, digests: set[str]) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text("\n".join(sorted(digests)), encoding="ascii")
        os.replace(temporary, path)
    except OSError as error:  # a read-only cache only costs time
        logger.debug("content_safety: could not save %s: %s", path, error)


# Bodies are checked in forked worker processes when there are many: the
# check is a pure function of (HTML, policy), and a fork shares the HTML
# without copying it. Fewer bodies, or no fork: checked here, one by one.
PARALLEL_MIN_BODIES = 64
_BODIES: list[str] = []  # set just before forking; the workers read it
_POLICY: rules.Policy | None = None


def _check_bodies(indexes: range) -> list[list[rules.Finding]]:
    return [rules.body_findings(_BODIES[i], _POLICY) for i in indexes]


def body_findings_all(bodies: list[str], policy: rules.Policy, settings) -> list:
    """``rules.body_findings`` of each body, in order: in worker processes
    when there are many bodies and two or more cores, else here."""
    workers = settings.get("CONTENT_SAFETY_WORKERS")
    if workers is None:
        workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1, 4)
    if (
        workers < 2
        or len(bodies) < PARALLEL_MIN_BODIES
        or "fork" not in (multiprocessing.get_all_start_methods())
    ):
        return [rules.body_findings(html, policy) for html in bodies]
    global _BODIES, _POLICY
    _BODIES, _POLICY = bodies, policy
    try:
        size = max(8, len(bodies) // (workers * 8))
        chunks = [range(i, min(i + size, len(bodies))) for i in range(0, len(bodies), size)]
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [found for part in pool.map(_check_bodies, chunks) for found in part]
    finally:
        _BODIES, _POLICY = [], None


def on_all_generators_finalized(generators) -> None:
    generators = list(generators)
    if not generators or not enabled(generators[0].settings):
        return
    settings = generators[0].settings
    policy = policy_for(settings)
    cache = _cache_path(settings)
    known_clean = _load_clean(cache)
    # (sorted: a frozenset's repr follows the process's hash seed, and a salt
    # that changed from build to build made every warm build check every body)
    salt = _code_digest() + repr(
        (policy.own_host, sorted(policy.widget_tags), policy.widget_script_prefixes)
    )
    clean: set[str] = set()
    todo: list[tuple] = []
    for content in written_contents(generators):
        html = content.content or ""
        # what is checked: the published HTML and every metadata value
        checked = repr(sorted((k, str(v)) for k, v in content.metadata.items()))
        digest = hashlib.sha256(
            "\0".join((salt, content.source_path, checked, html)).encode("utf-8", "surrogatepass")
        ).hexdigest()
        if digest in known_clean:
            clean.add(digest)
        else:
            todo.append((content, html, digest))
    problems: list[str] = []
    bodies = body_findings_all([html for _, html, _ in todo], policy, settings)
    for (content, _html, digest), body in zip(todo, bodies, strict=True):
        source = Source(content.source_path)
        found = metadata_problems(content, source) + [
            problem(source, source.body_line(finding.needles), finding) for finding in body
        ]
        if found:
            problems += found
        else:
            clean.add(digest)
    _save_clean(cache, clean)
    for message in problems:
        logger.error("%s", message)
    if problems:
        raise UnsafeContentError(
            f"{len(problems)} unsafe thing{'s' * (len(problems) > 1)} in the content "
            "(listed above): stopping before anything is written"
        )


def on_feed_generated(context, feed) -> None:
    """Pelican writes ``Markup(title).striptags()`` as an entry's title,
    which drops the text between a ``<`` and a ``>`` ("offer < ask > 0"
    becomes "offer 0"): give it the whole plain text instead."""
    if not enabled(context):
        return
    by_url = {}
    for content in (context.get("generated_content") or {}).values():
        if not isinstance(content, Static) and getattr(content, "url", None):
            by_url[content.url] = content
    siteurl = (context.get("SITEURL") or "").rstrip("/")
    for item in feed.items:
        link = (item.get("link") or "").split("?", 1)[0]
        url = link[len(siteurl) + 1 :] if link.startswith(siteurl + "/") else None
        content = by_url.get(url)
        if content is not None and getattr(content, "title", None):
            item["title"] = meta_text(content.title)


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.feed_generated.connect(on_feed_generated)
    signals.finalized.connect(on_finalized)
