"""search_index: the index the search page (theme/templates/search.html,
theme/static/js/search.js) searches in the reader's browser. See README.md.

One documented seam: ``all_generators_finalized`` (every file read, URLs
known, nothing written yet). The published articles and pages, in the
order the site lists them (newest article first, then the pages), are
written to ``SEARCH_INDEX_SAVE_AS`` (default ``search-index.json``) in the
output folder. Drafts, hidden pages, translations and, when
``WITH_FUTURE_DATES`` is off, articles dated in the future are not in
Pelican's ``articles`` and ``pages`` lists, so they are not in the index.

Reading text out of HTML is most of the work: what each body gave is kept
in ``CACHE_PATH/search_index.json`` under the digest of the HTML and of
this plugin's code, so a warm build reads no body again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

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
    for plugin in (settings or {}).get("PLUGINS") or ():
        name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        if name.rsplit(".", 1)[-1] == NAME:
            return True
    return False


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

    def text_of(self, html: str) -> tuple[str, list[str]]:
        key = hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()
        entry = self.known.get(key)
        if entry is None:
            headings, body_words = text_of(html)
            entry = [headings, " ".join(body_words)]
        self.used[key] = entry
        return entry[0], entry[1].split()

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


def documents(context, cache: TextCache) -> list[Document]:
    found = []
    for kind, contents in (("article", context.get("articles")), ("page", context.get("pages"))):
        for content in contents or ():
            headings, body_words = cache.text_of(content.content or "")
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
                Document(
                    url=content.url,
                    title=_meta_text(content.title),
                    summary=shorten(_meta_text(getattr(content, "summary", "") or "")),
                    about=about,
                    headings=headings,
                    body_words=tuple(body_words),
                )
            )
    return found


def on_all_generators_finalized(generators) -> None:
    generators = list(generators)
    if not generators or not enabled(generators[0].settings):
        return
    settings = generators[0].settings
    context = next((g.context for g in generators if hasattr(g, "context")), {})
    cache = TextCache(settings)
    index = build(documents(context, cache))
    cache.save()
    target = Path(settings["OUTPUT_PATH"]) / (
        settings.get("SEARCH_INDEX_SAVE_AS") or DEFAULT_SAVE_AS
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(index), encoding="utf-8")
    logger.info(
        "search_index: %d documents, %d words in %s",
        len(index["docs"]),
        len(index["words"]),
        target,
    )


def register() -> None:
    signals.all_generators_finalized.connect(on_all_generators_finalized)
