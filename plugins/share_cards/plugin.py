"""Pelican wiring, on documented signals only.

- initialized: read and check the settings; tell the theme (through
  settings, which become template variables) where the site's card, logo,
  icons and manifest will be.
- get_generators (the start of every run): a fresh state.
- all_generators_finalized: decide each article's and page's image (its own
  `Image:` or a card drawn from its title), set it as `content.share_image`
  for the templates, and start drawing the cards the cache lacks (in a
  forked worker when there are many, while Pelican writes the pages).
- finalized: finish drawing, then copy the cards, icons and manifest from
  the cache into the output folder (Pelican may empty it at the start of a
  run, so nothing is written there earlier).

Cards are needed only where pages can name them by an absolute URL (og:image
must be absolute): builds with an absolute SITEURL and RELATIVE_URLS off,
i.e. `make publish`. Local builds draw none; icons are drawn in every build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import re
import shutil
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from listed import listed
from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Static
from PIL import Image
from site_contents import written_contents

from . import draw, logo
from . import settings as plugin_settings

logger = logging.getLogger(__name__)

PLUGIN_NAME = "share_cards"
PLUGIN_DIR = Path(__file__).resolve().parent
# The cache key covers the code that draws: change it and every card is new.
CODE_FILES = ("draw.py", "logo.py")
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
PARALLEL_MIN_CARDS = 48
CHUNK = 24


@dataclass(frozen=True)
class ShareImage:
    """What the theme writes in og:image and friends. `path` is relative to
    SITEURL and already URL-quoted."""

    path: str
    width: int
    height: int
    alt: str
    type: str = "image/png"
    generated: bool = True


@dataclass
class Job:
    key: str
    card: draw.Card
    output: str  # relative to the output folder


@dataclass
class BuildState:
    options: plugin_settings.Options
    cache: Path
    absolute: bool
    jobs: dict[str, Job] = field(default_factory=dict)  # by output path
    futures: list[tuple[Future, list[Job]]] = field(default_factory=list)
    pool: ProcessPoolExecutor | None = None
    style_key: str = ""
    drawn: int = 0
    started: float = field(default_factory=time.perf_counter)


_STATE: dict[int, BuildState] = {}


def enabled(settings) -> bool:
    """Blinker signals are process-wide (tests build many sites in one
    process): act only for builds whose PLUGINS name this plugin."""
    return listed(settings, PLUGIN_NAME)


def absolute_urls(settings) -> bool:
    siteurl = str(settings.get("SITEURL") or "")
    return siteurl.startswith(("https://", "http://")) and not settings.get("RELATIVE_URLS")


try:  # the theme's own reading of author text, so a card says what <title> says
    from content_safety.filters import meta_text
except ImportError:  # the plugin used on its own
    meta_text = None


def plain(text) -> str:
    """Text as a reader sees it: no tags (typogrify's spans), entities
    decoded, spaces collapsed ("offer < ask" stays whole)."""
    if meta_text is not None:
        return meta_text(text)
    return " ".join(Markup(str(text or "")).striptags().split())


def _digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()


_FONT_DIGESTS: dict[tuple[str, int, int], str] = {}


def style_digest(style: draw.Style) -> str:
    """Colours, the font's bytes, the drawing code and Pillow's version."""
    stat = os.stat(style.font)
    marker = (style.font, stat.st_size, stat.st_mtime_ns)
    if marker not in _FONT_DIGESTS:
        _FONT_DIGESTS[marker] = _digest(Path(style.font).read_bytes())
    code = [(PLUGIN_DIR / name).read_bytes() for name in CODE_FILES]
    return _digest(
        json.dumps(asdict(style), sort_keys=True), _FONT_DIGESTS[marker], *code, Image.__version__
    )


def card_key(card: draw.Card, style_key: str) -> str:
    return _digest(style_key, card.title, card.label, card.site_name)


# -- initialized ----------------------------------------------------------------


ICONS = {
    # output name: (size, logo options); drawn from the same mark as the SVG
    "favicon-32.png": (32, {}),
    "apple-touch-icon.png": (180, {"bleed": True, "mark_scale": 0.8}),
    "icon-192.png": (192, {}),
    "icon-512.png": (512, {}),
    "icon-maskable-512.png": (512, {"bleed": True, "mark_scale": 0.7}),
}
MANIFEST = "site.webmanifest"


_OPTIONS: dict[int, plugin_settings.Options] = {}


def _site_card(settings) -> draw.Card:
    return draw.Card(
        title=plain(settings.get("SITESUBTITLE") or settings.get("SITENAME")),
        site_name=plain(settings.get("SITENAME")),
    )


def on_initialized(pelican) -> None:
    """Read the settings once, and tell the theme where things will be:
    settings set here are template variables in every run."""
    settings = pelican.settings
    _OPTIONS.clear()  # one site at a time: keep only this one's
    if not enabled(settings):
        return
    options = _OPTIONS[id(settings)] = plugin_settings.read(settings)
    if options.icons:
        settings["SITE_ICON_LINKS"] = [
            {"rel": "icon", "href": "favicon-32.png", "sizes": "32x32", "type": "image/png"},
            {"rel": "apple-touch-icon", "href": "apple-touch-icon.png", "sizes": "180x180"},
        ]
        settings["SITE_MANIFEST"] = MANIFEST
        settings["SITE_LOGO"] = {"path": "icon-512.png", "width": 512, "height": 512}
    if options.cards and absolute_urls(settings):
        state = BuildState(options, Path("."), True)
        settings["SHARE_CARD_SITE"] = _add_card(state, _site_card(settings), "site")


def on_run_start(pelican) -> None:
    """A fresh state for every run (Pelican's autoreload runs one instance
    many times); a run that failed before `finalized` leaves nothing behind."""
    for stale in _STATE.values():
        if stale.pool is not None:
            stale.pool.shutdown(cancel_futures=True)
    _STATE.clear()
    settings = pelican.settings
    options = _OPTIONS.get(id(settings))
    if options is None or not enabled(settings):
        return
    cache = Path(settings.get("CACHE_PATH") or "cache") / "share_cards"
    state = _STATE[id(settings)] = BuildState(options, cache, absolute_urls(settings))
    if options.cards and state.absolute:
        _add_card(state, _site_card(settings), "site")


# -- all_generators_finalized ---------------------------------------------------------


def _card_name(save_as: str) -> str:
    """articles/x/index.html -> articles/x; about/index.html -> about."""
    path = PurePosixPath(save_as)
    if path.name == "index.html":
        path = path.parent
    elif path.suffix:
        path = path.with_suffix("")
    return str(path) if str(path) not in ("", ".") else "index"


def _add_card(state: BuildState, card: draw.Card, name: str, source: str = "") -> ShareImage:
    output = f"{state.options.directory}/{name}.png"
    if output in state.jobs and state.jobs[output].card != card:
        logger.error(
            "share_cards: %s: two pages would share the card %s. Fix: give one of them "
            "another slug or save_as.",
            source or name,
            output,
        )
    if not state.style_key:
        state.style_key = style_digest(state.options.style)
    state.jobs[output] = Job(card_key(card, state.style_key), card, output)
    alt = f"{card.label}: {card.title}" if card.label else card.title
    if card.site_name and card.site_name != card.title:
        alt += f" · {card.site_name}"
    return ShareImage(quote(output), draw.WIDTH, draw.HEIGHT, alt)


def _field_line(source_path: str, key: str) -> int:
    try:
        with open(source_path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.lower().startswith(f"{key}:") or line.lower().startswith(f":{key}:"):
                    return number
                if not line.strip():
                    break
    except OSError:
        pass
    return 1


def _display(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


class ImageProblem(ValueError):
    pass


def _own_image(content, settings, statics: dict[str, Static]) -> ShareImage:
    """The file an article names in `Image:`, checked: it must be a picture
    in the content folder that Pelican publishes (under STATIC_PATHS)."""
    value = str(content.metadata.get("image")).strip()
    where = re.sub(r"^\{(static|filename|attach)\}", "", value)
    if re.match(r"^[a-z][a-z0-9+.-]*:", where, re.I) or where.startswith("//"):
        raise ImageProblem(
            f"{value!r} is a URL; the share image must be a file of the site",
            "put the picture under content/images/ and write Image: {static}/images/name.png",
        )
    content_root = Path(settings["PATH"]).resolve()
    base = content_root if where.startswith("/") else Path(content.source_path).resolve().parent
    target = (base / where.lstrip("/")).resolve()
    if not target.is_file():
        raise ImageProblem(
            f"{value!r}: no such file ({_display(str(target))})",
            "correct the path: {static}/images/x.png is content/images/x.png, a path "
            "without the leading / is relative to this file",
        )
    static = statics.get(str(target))
    if static is None:
        raise ImageProblem(
            f"{value!r} is not published (it is outside STATIC_PATHS "
            f"{list(settings.get('STATIC_PATHS') or [])})",
            "move it under content/images/",
        )
    try:
        with Image.open(target) as picture:
            width, height, kind = picture.width, picture.height, picture.format
    except (OSError, Image.DecompressionBombError) as error:
        raise ImageProblem(f"{value!r} is not a picture ({error})", "use a PNG or JPEG") from None
    if kind not in IMAGE_FORMATS:
        raise ImageProblem(f"{value!r} is a {kind} picture", "use a PNG or JPEG")
    alt = plain(content.metadata.get("image_alt")) or plain(content.title)
    return ShareImage(quote(static.url), width, height, alt, IMAGE_FORMATS[kind], False)


def _statics(generators) -> dict[str, Static]:
    statics = {}
    for generator in generators:
        for static in getattr(generator, "staticfiles", None) or ():
            statics[str(Path(static.source_path).resolve())] = static
    return statics


def on_all_generators_finalized(generators) -> None:
    generators = list(generators)
    if not generators or id(generators[0].settings) not in _STATE:
        return
    settings = generators[0].settings
    state = _STATE[id(settings)]
    options = state.options
    if not (options.cards and state.absolute):
        return
    site_name = plain(settings.get("SITENAME"))
    statics = _statics(generators)
    for content in written_contents(generators):
        if not getattr(content, "save_as", ""):
            continue  # not written, so never shared
        if content.metadata.get("image"):
            try:
                content.share_image = _own_image(content, settings, statics)
                continue
            except ImageProblem as problem:
                what, fix = problem.args
                logger.error(
                    "%s:%d: Image: %s. Fix: %s. (The generated card is used meanwhile.)",
                    _display(content.source_path),
                    _field_line(content.source_path, "image"),
                    what,
                    fix,
                )
        label = content.metadata.get("card_label") or ""
        if not label and isinstance(content, Article):
            label = content.category or ""
        card = draw.Card(plain(content.title), plain(label), site_name)
        content.share_image = _add_card(
            state, card, _card_name(content.save_as), _display(content.source_path)
        )
    _start_drawing(state)


# -- drawing ----------------------------------------------------------------------


def _cached(state: BuildState, key: str) -> Path:
    return state.cache / f"{key}.png"


def _draw_jobs(jobs: list[Job], style: draw.Style, cache: Path) -> int:
    """Draw cards into the cache (in a worker or here); the count drawn."""
    cache.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        data = draw.png_bytes(draw.render(job.card, style))
        target = cache / f"{job.key}.png"
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
    return len(jobs)


def _start_drawing(state: BuildState) -> None:
    missing = list(
        {
            job.key: job for job in state.jobs.values() if not _cached(state, job.key).exists()
        }.values()
    )
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if (
        len(missing) < PARALLEL_MIN_CARDS
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        state.futures = [(None, missing)] if missing else []
        return
    # One worker: Pelican writes the pages on the other core meanwhile, and
    # whatever the worker has not started by then is drawn here.
    state.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start : start + CHUNK]
        future = state.pool.submit(_draw_jobs, chunk, state.options.style, state.cache)
        state.futures.append((future, chunk))


def _finish_drawing(state: BuildState) -> None:
    for future, chunk in state.futures:
        if future is None or future.cancel():
            state.drawn += _draw_jobs(chunk, state.options.style, state.cache)
    for future, _chunk in state.futures:
        if future is not None and not future.cancelled():
            state.drawn += future.result()
    if state.pool is not None:
        state.pool.shutdown()
        state.pool = None


# -- finalized ----------------------------------------------------------------------


def _copy(source: Path, target: Path) -> bool:
    """Put a cached file in the output unless it is already there (same size
    and time). A hard link when the cache and the output share a file
    system: a publish build empties the output, and linking a thousand
    cards back costs a tenth of copying them. Nothing writes to a published
    file in place, so the cache cannot change through it."""
    try:
        old, new = target.stat(), source.stat()
        if old.st_size == new.st_size and old.st_mtime_ns == new.st_mtime_ns:
            return False
        target.unlink()
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copy2(source, target)
    return True


def _icons(state: BuildState, settings, output: Path) -> list[str]:
    """Draw (or take from the cache) the icons and write the manifest; the
    names of the cached files used."""
    used = []
    style = state.options.style
    colours = style.logo
    code = _digest(*[(PLUGIN_DIR / "logo.py").read_bytes()], Image.__version__, repr(colours))
    for name, (size, extra) in ICONS.items():
        key = _digest(code, name, str(size), json.dumps(extra, sort_keys=True))
        cached = state.cache / f"icon-{key}.png"
        if not cached.exists():
            state.cache.mkdir(parents=True, exist_ok=True)
            picture = logo.logo(size, colours, **extra)
            if extra.get("bleed"):  # home screens fill transparency with black
                picture = picture.convert("RGB")
            picture.save(cached, "PNG")
        _copy(cached, output / name)
        used.append(cached.name)
    manifest = {
        "name": plain(settings.get("SITENAME")),
        "short_name": state.options.short_name,
        "description": plain(settings.get("SITE_DESCRIPTION") or settings.get("SITESUBTITLE")),
        "lang": settings.get("DEFAULT_LANG") or "en",
        # relative to the manifest: right for a site at a host's root or in a folder
        "start_url": "./",
        "scope": "./",
        "display": "browser",
        "theme_color": style.background,
        "background_color": style.footer_background,
        "icons": [
            {"src": "icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "icon-512.png", "sizes": "512x512", "type": "image/png"},
            {
                "src": "icon-maskable-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    path = output / MANIFEST
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return used


USED_FILE = "used.json"


def prune(cache: Path, used: set[str], days: int, today: date | None = None) -> int:
    """Remove the cached pictures no build has used for more than ``days``
    days; the number removed. ``used.json`` in the cache keeps the day each
    was last used (a picture it does not know starts its clock today), so a
    card of an old title goes, while a local build, which draws no cards,
    does not empty the cache that `make publish` fills."""
    today = today or date.today()
    record_path = cache / USED_FILE
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        if not isinstance(record, dict):
            record = {}
    except (OSError, ValueError):
        record = {}
    kept: dict[str, str] = {}
    removed = 0
    for path in sorted(cache.glob("*.png")):
        name = path.name
        if name in used:
            kept[name] = today.isoformat()
            continue
        try:
            last = date.fromisoformat(str(record.get(name)))
        except ValueError:  # unknown, or not a date: start its clock
            kept[name] = today.isoformat()
            continue
        if (today - last).days > days:
            try:
                path.unlink()
                removed += 1
            except OSError as error:  # another build's, or read-only: next time
                logger.debug("share_cards: could not remove %s: %s", path, error)
                kept[name] = last.isoformat()
        else:
            kept[name] = last.isoformat()
    if kept != record:
        try:
            temporary = record_path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(kept, indent=0, sort_keys=True), encoding="utf-8")
            os.replace(temporary, record_path)
        except OSError as error:
            logger.debug("share_cards: could not save %s: %s", record_path, error)
    return removed


def on_finalized(pelican) -> None:
    state = _STATE.pop(id(pelican.settings), None)
    if state is None:
        return
    output = Path(pelican.output_path)
    _finish_drawing(state)
    used = set()
    for job in state.jobs.values():
        _copy(_cached(state, job.key), output / job.output)
        used.add(_cached(state, job.key).name)
    if state.options.icons:
        used.update(_icons(state, pelican.settings, output))
    pruned = prune(state.cache, used, state.options.cache_days) if state.cache.is_dir() else 0
    stats = {
        "cards": len(state.jobs),
        "drawn": state.drawn,
        "from_cache": len(state.jobs) - state.drawn,
        "pruned": pruned,
        "seconds": round(time.perf_counter() - state.started, 3),
    }
    try:
        state.cache.mkdir(parents=True, exist_ok=True)
        (state.cache / "last-build.json").write_text(json.dumps(stats), encoding="utf-8")
    except OSError as error:
        logger.debug("share_cards: could not save the figures: %s", error)
    if state.jobs:
        logger.info(
            "share_cards: %d cards, %d drawn, %d from the cache",
            stats["cards"],
            stats["drawn"],
            stats["from_cache"],
        )
    if pruned:
        logger.info(
            "share_cards: removed %d cached pictures unused for over %d days",
            pruned,
            state.options.cache_days,
        )


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(on_run_start)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
