"""Scheduled posts: the Jinja test ``scheduled`` (``{% if article is
scheduled %}``), true for content dated after the moment the page is rendered.

Publish builds (publishconf.py) set WITH_FUTURE_DATES = False, so Pelican
turns such an article into a draft, which they do not write: it appears
nowhere until the first build after its date. Local builds
(pelicanconf.py) keep WITH_FUTURE_DATES = True to preview it, and the theme
marks it "Scheduled for <date>" with this test. It is a settings value
(JINJA_TESTS), not a Pelican plugin: nothing to add to PLUGINS.
"""

from __future__ import annotations

import datetime


def is_scheduled(content) -> bool:
    """True when the article or page is dated in the future."""
    date = getattr(content, "date", None)
    if not isinstance(date, datetime.datetime):
        return False
    if date.tzinfo is None:
        return date > datetime.datetime.now()
    return date > datetime.datetime.now(datetime.UTC)


JINJA_TESTS = {"scheduled": is_scheduled}
