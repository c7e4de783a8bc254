"""subscribe: the NEWSLETTER_URL setting and a footer on every feed entry.

Two documented seams:

- ``initialized``: NEWSLETTER_URL, when set, must be a http(s) address (the
  theme links the Subscribe page to it); anything else stops the build with
  an error naming the setting.
- ``feed_generated``: each entry of every feed ends with a line linking back
  to the article on the site and to the pages FEED_FOOTER_LINKS names, e.g.
  the self-assessment. The line is HTML inside the entry's content, which
  the feed writer escapes like the rest of it; every value in it is escaped
  here first.
"""

from __future__ import annotations

import logging
from html import escape
from urllib.parse import urlsplit

from listed import listed
from pelican import signals

logger = logging.getLogger(__name__)

NAME = "subscribe"


class SubscribeSettingsError(RuntimeError):
    """Raised when NEWSLETTER_URL cannot be linked to."""


def enabled(settings) -> bool:
    return listed(settings, NAME)


def newsletter_problem(value) -> str | None:
    if value in (None, ""):
        return None
    parts = urlsplit(value) if isinstance(value, str) else None
    if (
        parts is None
        or parts.scheme not in ("https", "http")
        or not parts.hostname
        or any(c in value for c in "\"'<>` \t\n")
    ):
        return (
            f"NEWSLETTER_URL: {str(value)[:60]!r} is not a web address. "
            'Fix: set it to your sign-up page, NEWSLETTER_URL = "https://…", or to None'
        )
    return None


def on_initialized(pelican) -> None:
    if not enabled(pelican.settings):
        return
    problem = newsletter_problem(pelican.settings.get("NEWSLETTER_URL"))
    if problem:
        logger.error("%s", problem)
        raise SubscribeSettingsError(problem)


def footer_links(context) -> list[tuple[str, str]]:
    """(absolute URL, label) of each FEED_FOOTER_LINKS page found."""
    siteurl = (context.get("SITEURL") or "").rstrip("/")
    pages = list(context.get("pages") or []) + list(context.get("hidden_pages") or [])
    by_slug = {page.slug: page for page in pages}
    links = []
    for slug, label in context.get("FEED_FOOTER_LINKS") or ():
        page = by_slug.get(slug)
        if page is None:
            # not an error: a site (or a test's fixture content) may lack the page
            logger.info("FEED_FOOTER_LINKS: no page has the slug %r: left out of feeds", slug)
            continue
        links.append((f"{siteurl}/{page.url}", label))
    return links


def entry_footer(link: str, sitename: str, links: list[tuple[str, str]]) -> str:
    parts = [f'<a href="{escape(link)}">Read this article on {escape(sitename)}</a>']
    parts += [f'<a href="{escape(url)}">{escape(label)}</a>' for url, label in links]
    return '<hr><p class="feed-entry-footer">' + " · ".join(parts) + "</p>"


def on_feed_generated(context, feed) -> None:
    if not enabled(context):
        return
    from markupsafe import Markup

    sitename = Markup(context.get("SITENAME") or "").striptags()
    links = footer_links(context)
    for item in feed.items:
        link = item.get("link")
        if not link:
            continue
        # Atom keeps the whole article in "content"; RSS in "description"
        field = "content" if item.get("content") else "description"
        item[field] = str(item.get(field) or "") + entry_footer(link, sitename, links)


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.feed_generated.connect(on_feed_generated)
