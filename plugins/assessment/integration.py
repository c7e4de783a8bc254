"""Pelican glue: reader, site-wide checks, summaries and feeds.

- ``readers_init``: every Markdown reader class is wrapped so that the
  assessment extension is loaded and knows the file being read; a problem is
  logged as ``path:line: problem. Fix: ...`` and the file fails.
- ``content_object_init``: an automatic summary never cuts a widget in half,
  and content with a widget lists ``js/assessment.js`` in ``widget_scripts``
  (the theme's base.html loads those as modules on that page only).
- ``all_generators_finalized`` (after reading, before writing): stop the
  build if any file failed, check ids across the site and every
  ``{filename}`` link in assessment text.
- ``feed_generated``: feeds get a readable list instead of the form.
"""

from __future__ import annotations

import logging
import posixpath
import re
from urllib.parse import unquote, urlparse

from pelican import signals
from pelican.readers import MarkdownReader

from . import markup, render
from .errors import AssessmentBuildError, AssessmentError, Problem, display_path
from .markdown_ext import CURRENT, TAG, AssessmentExtension, ReadSession
from .model import PLAIN

logger = logging.getLogger(__name__)

METADATA_KEY = "habit_assessments"
WIDGET_RE = re.compile(
    r"<habit-assessment\b[^>]*?\bdata-assessment-id=\"(?P<id>[^\"]*)\"[^>]*>"
    r".*?(?:</habit-assessment>|\Z)",
    re.S,
)
INTRASITE_RE = re.compile(r"^[{|](?P<what>filename|static|attach)[|}](?P<value>.*)$")


PLUGIN_NAME = "assessment"


def enabled(settings) -> bool:
    """True when this build lists the plugin.

    Blinker signals are process-wide: once registered, the receivers also
    hear later builds in the same process (tests build many sites), so each
    receiver acts only when the build's own PLUGINS name this plugin.
    """
    for plugin in (settings or {}).get("PLUGINS") or ():
        name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        if name.rsplit(".", 1)[-1] == PLUGIN_NAME:
            return True
    return False


class AssessmentReaderMixin:
    """Adds the assessment extension to a Markdown reader class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment_errors = []
        md = dict(self.settings["MARKDOWN"])
        md["extensions"] = [*md.get("extensions", []), AssessmentExtension()]
        self.settings = {**self.settings, "MARKDOWN": md}

    def read(self, source_path):
        session = ReadSession(display_path(source_path))
        token = CURRENT.set(session)
        try:
            content, metadata = super().read(source_path)
        except AssessmentError as exc:
            self.assessment_errors.append(exc)
            # Logged here because Pelican's "Could not process" line hides the
            # exception's message unless DEBUG is on. Under --fatal errors
            # this log call itself stops the build.
            logger.error("Assessment error:\n%s", exc)
            raise
        finally:
            CURRENT.reset(token)
        for warning in session.warnings:
            logger.warning("Assessment warning: %s", warning)
        if session.assessments:
            metadata[METADATA_KEY] = session.assessments
        return content, metadata


_wrapped: dict[type, type] = {}


def _with_assessments(cls: type) -> type:
    if cls not in _wrapped:
        # Same name as the base, so Pelican's `reader` metadata stays "markdown".
        _wrapped[cls] = type(cls.__name__, (AssessmentReaderMixin, cls), {})
    return _wrapped[cls]


def add_reader(readers) -> None:
    if not enabled(readers.settings):
        return
    for ext, cls in list(readers.reader_classes.items()):
        if (
            isinstance(cls, type)
            and issubclass(cls, MarkdownReader)
            and not issubclass(cls, AssessmentReaderMixin)
        ):
            readers.reader_classes[ext] = _with_assessments(cls)


def configure(pelican) -> None:
    """Make sure typogrify leaves the widget alone, whatever the settings say."""
    if not enabled(pelican.settings):
        return
    tags = list(pelican.settings.get("TYPOGRIFY_IGNORE_TAGS") or [])
    if TAG not in tags:
        pelican.settings["TYPOGRIFY_IGNORE_TAGS"] = [*tags, TAG]


def iter_assessments(context):
    """(content object, assessment) for every assessment read this run."""
    for content in list((context or {}).get("generated_content", {}).values()):
        for a in getattr(content, METADATA_KEY, None) or []:
            yield content, a


def check_site(generators) -> None:
    generators = list(generators)
    if not generators or not enabled(generators[0].settings):
        return
    failed = 0
    for gen in generators:
        readers = getattr(getattr(gen, "readers", None), "readers", {}) or {}
        for reader in readers.values():
            failed += len(getattr(reader, "assessment_errors", []))
    if failed:
        raise AssessmentBuildError(
            f"{failed} file{'s' * (failed > 1)} with assessment errors (listed "
            "above): stopping before anything is written"
        )
    context = next((g.context for g in generators if hasattr(g, "context")), {})
    problems = site_problems(context)
    for p in problems:
        if p.severity == "warning":
            logger.warning("Assessment warning: %s", p)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        logger.error("Assessment error:\n%s", "\n".join(map(str, errors)))
        raise AssessmentBuildError(
            f"{len(errors)} assessment error{'s' * (len(errors) > 1)} (listed "
            "above): stopping before anything is written"
        )


def site_problems(context) -> list[Problem]:
    """Duplicate ids across files and links to content that does not exist."""
    problems = []
    entries = sorted(iter_assessments(context), key=lambda e: (e[1].path, e[1].line))
    first: dict[str, object] = {}
    for content, a in entries:
        if a.id in first:
            other = first[a.id]
            problems.append(
                Problem(
                    a.path,
                    a.line,
                    f"assessment id '{a.id}' is already used by "
                    f"{other.path}:{other.line}; ids must be unique on the site",
                    f"give one of them another id: '::: assessment {a.id}-2'",
                )
            )
        else:
            first[a.id] = a
        problems.extend(_link_problems(content, a, context))
    return problems


def _link_problems(content, a, context) -> list[Problem]:
    generated = context.get("generated_content", {})
    static = context.get("static_content", {})
    base = getattr(content, "relative_dir", "")
    problems = []
    for text in a.texts():
        if text.kind == PLAIN:
            continue
        for href in markup.hrefs(markup.to_html(text, a.path)):
            m = INTRASITE_RE.match(href)
            if not m:
                continue
            what, value = m.group("what"), m.group("value")
            url = urlparse(value)
            path = unquote(url.path)
            if not path:
                continue
            if path.startswith("/"):
                key = path[1:]
            else:
                key = posixpath.normpath(posixpath.join(base, path))
            if what == "filename":
                target = generated.get(key) or static.get(key)
            else:
                target = static.get(key)
            if target is None:
                problems.append(
                    Problem(
                        a.path,
                        text.line,
                        f"the link {{{what}}}{value} points to '{key}', which "
                        "does not exist in the content folder",
                        "correct the path (after {filename}, a leading '/' "
                        "means the content folder, otherwise this file's folder), "
                        "or write the article first",
                    )
                )
            elif url.fragment and what == "filename":
                body = getattr(target, "_content", None) or ""
                pattern = r"\bid\s*=\s*[\"']" + re.escape(url.fragment) + r"[\"']"
                if body and not re.search(pattern, body):
                    problems.append(
                        Problem(
                            a.path,
                            text.line,
                            f"the link {{{what}}}{value} points to '#{url.fragment}', "
                            f"but '{key}' has no element with that id",
                            "link to one of its headings' ids, or drop the '#...' part",
                            "warning",
                        )
                    )
    return problems


def fix_summary(content) -> None:
    """Replace widgets in an automatic summary by a one-line stub."""
    raw = getattr(content, "_content", None)
    metadata = getattr(content, "metadata", None)
    if not raw or metadata is None or "summary" in metadata or f"<{TAG}" not in raw:
        return
    if not enabled(getattr(content, "settings", None)):
        return
    from pelican import utils

    found = {a.id: a for a in getattr(content, METADATA_KEY, None) or []}
    html = WIDGET_RE.sub(lambda m: render.render_summary_stub(found.get(m["id"])), raw)
    settings = content.settings
    paragraphs = settings.get("SUMMARY_MAX_PARAGRAPHS")
    if paragraphs is not None:
        html = utils.truncate_html_paragraphs(html, paragraphs)
    if settings.get("SUMMARY_MAX_LENGTH") is not None:
        html = utils.truncate_html_words(
            html, settings["SUMMARY_MAX_LENGTH"], settings.get("SUMMARY_END_SUFFIX", "…")
        )
    strip_toc = getattr(utils, "strip_toc_elements_from_html", None)
    if strip_toc:
        html = strip_toc(html)
    metadata["summary"] = html
    content._summary = html


def add_script(content) -> None:
    """Ask the theme to load the browser step on pages with a widget.

    ``widget_scripts`` is shared with other widget plugins: append, never
    replace.
    """
    if f"<{TAG}" not in (getattr(content, "_content", None) or ""):
        return
    if not enabled(getattr(content, "settings", None)):
        return
    scripts = list(getattr(content, "widget_scripts", None) or [])
    if render.SCRIPT not in scripts:
        scripts.append(render.SCRIPT)
    content.widget_scripts = scripts


def fix_feed(context, feed) -> None:
    """Swap each widget in feed entries for the readable feed version."""
    if not enabled(context):
        return
    index = {a.id: (content, a) for content, a in iter_assessments(context)}
    siteurl = context.get("SITEURL", "")
    for item in feed.items:
        link = item.get("link") or ""
        for field in ("content", "description"):
            value = item.get(field)
            if value and f"<{TAG}" in value:
                item[field] = WIDGET_RE.sub(
                    lambda m, link=link: _feed_version(index, m["id"], link, siteurl),
                    value,
                )


def _feed_version(index, aid: str, link: str, siteurl: str) -> str:
    url = f"{link.split('#')[0]}#{aid}--assessment"
    if aid not in index:
        return f'<p><a href="{render._esc(url)}">Take the self-assessment on the site</a>.</p>'
    content, a = index[aid]
    html = render.render_feed(a, url)
    update = getattr(content, "_update_content", None)
    return update(html, siteurl) if update else html


def register() -> None:
    signals.initialized.connect(configure)
    signals.readers_init.connect(add_reader)
    signals.content_object_init.connect(fix_summary)
    signals.content_object_init.connect(add_script)
    signals.all_generators_finalized.connect(check_site)
    signals.feed_generated.connect(fix_feed)
