"""Feeds as subscribers' readers and the W3C validator see them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
import pytest

from conftest import PUBLISH_SITEURL, build_site

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["feeds/all.atom.xml", "feeds/all.rss.xml"]
CATEGORY_FEEDS = ["feeds/category/habits.atom.xml", "feeds/category/habits.rss.xml"]


def parse(site, relative):
    feed = feedparser.parse(site.read(relative))
    assert not feed.bozo, f"{relative}: {feed.get('bozo_exception')}"
    return feed


def is_absolute(url):
    parts = urlsplit(url)
    return bool(parts.scheme) and (parts.scheme == "tag" or bool(parts.netloc))


@pytest.mark.parametrize("relative", FEEDS + CATEGORY_FEEDS)
def test_feed_parses_with_absolute_links_and_plain_titles(small_site_published, relative):
    feed = parse(small_site_published, relative)
    expected = 2 if "habits" in relative else 3
    assert len(feed.entries) == expected, "one entry per article"
    assert feed.feed.title and "<" not in feed.feed.title
    for entry in feed.entries:
        assert entry.link.startswith(PUBLISH_SITEURL + "/articles/"), entry.link
        assert "<" not in entry.title and "span" not in entry.title, entry.title
    titles = {entry.title for entry in feed.entries}
    assert "Ask the HR team first" in titles


def test_feed_titles_keep_special_characters_as_text(small_site_published):
    feed = parse(small_site_published, "feeds/all.atom.xml")
    (entry,) = [e for e in feed.entries if "small talk" in e.title]
    assert entry.title.startswith("Coffee & ")


@pytest.mark.parametrize("relative", FEEDS)
def test_feed_carries_full_content_not_a_teaser(small_site_published, relative):
    feed = parse(small_site_published, relative)
    (entry,) = [e for e in feed.entries if e.title == "A story about a move"]
    body = entry.content[0].value if "content" in entry else entry.description
    assert "Third article body" in body
    # links inside the content are absolute too, so they work in a reader
    assert f'href="{PUBLISH_SITEURL}/articles/ask-the-hr-team-first/"' in body


def ids_of(site, relative):
    root = ET.fromstring(site.read(relative))
    if root.tag == f"{ATOM}feed":
        return [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")]
    return [item.findtext("guid") for item in root.iter("item")]


@pytest.mark.parametrize("relative", FEEDS + CATEGORY_FEEDS)
def test_entry_ids_are_absolute_unique_and_not_tag_none(small_site_published, relative):
    ids = ids_of(small_site_published, relative)
    assert all(ids), "every entry has an id"
    assert len(set(ids)) == len(ids)
    for entry_id in ids:
        assert is_absolute(entry_id), entry_id
        assert "None" not in entry_id, entry_id
        assert "coach.example.org" in entry_id, entry_id


def test_entry_ids_are_stable_across_builds(small_site_published, tmp_path):
    again = build_site(
        tmp_path / "output",
        publish=True,
        PATH=small_site_published.settings["PATH"],
        DEFAULT_PAGINATION=2,
    )
    for relative in FEEDS:
        assert ids_of(again, relative) == ids_of(small_site_published, relative)


@pytest.mark.parametrize("relative", ["feeds/all.rss.xml", "feeds/category/habits.rss.xml"])
def test_rss_guids_that_are_not_urls_say_so(small_site_published, relative):
    root = ET.fromstring(small_site_published.read(relative))
    for guid in root.iter("guid"):
        if not re.match(r"https?://", guid.text):
            assert guid.get("isPermaLink") == "false", ET.tostring(guid)


@pytest.mark.parametrize("relative", FEEDS + CATEGORY_FEEDS)
def test_feed_has_description_and_absolute_self_link(small_site_published, relative):
    root = ET.fromstring(small_site_published.read(relative))
    expected_self = f"{PUBLISH_SITEURL}/{relative}"
    self_links = [
        link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel") == "self"
    ]
    assert self_links == [expected_self]
    if root.tag == "rss":
        description = root.find("channel").findtext("description")
        assert description and description.strip()
    else:
        assert root.findtext(f"{ATOM}subtitle", "").strip()


def test_real_site_feeds(publish_site):
    for relative in FEEDS:
        feed = parse(publish_site, relative)
        articles = list(publish_site.output.glob("articles/*/index.html"))
        assert len(feed.entries) == len(articles)
        for entry in feed.entries:
            assert entry.link.startswith(PUBLISH_SITEURL + "/")
            assert "span" not in entry.title
