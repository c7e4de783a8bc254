"""Mark RSS guids that are not URLs as such.

Pelican gives every feed entry a `tag:` URI as its id. In RSS a `<guid>`
without `isPermaLink="false"` claims to be a URL that readers may open, so
feed validators flag it and some readers link to it. This plugin tells the
feed generator the truth before the feed is written.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pelican import signals


def mark_non_url_guids(context, feed) -> None:
    for item in feed.items:
        unique_id = item.get("unique_id")
        if unique_id and urlsplit(unique_id).scheme not in ("http", "https"):
            item["unique_id_is_permalink"] = False


def register() -> None:
    signals.feed_generated.connect(mark_non_url_guids)
