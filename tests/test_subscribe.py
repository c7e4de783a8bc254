"""The Subscribe page, linked from every page: email (NEWSLETTER_URL, or a
feed-to-email service) and every feed; and the footer line each feed entry
ends with, linking back to the article and to the self-assessment."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest
from sitecheck.pages import parse_page

from conftest import PUBLISH_SITEURL, build_site

SUBSCRIBE = "subscribe/index.html"
ATOM = "{http://www.w3.org/2005/Atom}"


def main_text(site, relative):
    page = parse_page(site.read(relative))
    (main,) = page.find("main")
    return page, " ".join(main.text.split())


@pytest.mark.parametrize("which", ["dev_site", "publish_site"])
def test_every_page_links_to_subscribe(which, request):
    site = request.getfixturevalue(which)
    pages = site.html_files()
    assert len(pages) > 20
    for path in pages:
        relative = path.relative_to(site.output).as_posix()
        page = parse_page(path.read_text(encoding="utf-8"))
        links = [a for a in page.find("a") if "subscribe-link" in a.attrs.get("class", "")]
        assert len(links) == 1, relative
        href = links[0].attrs["href"]
        if site.settings["SITEURL"]:
            assert href == f"{PUBLISH_SITEURL}/subscribe/", relative
        else:
            assert href.endswith("subscribe/") and "//" not in href, relative


def test_subscribe_page_lists_every_feed(publish_site):
    page, text = main_text(publish_site, SUBSCRIBE)
    hrefs = {a.attrs["href"] for a in page.find("a")}
    expected = {
        f"{PUBLISH_SITEURL}/feeds/all.rss.xml",
        f"{PUBLISH_SITEURL}/feeds/all.atom.xml",
    }
    categories = sorted(p.parent.name for p in publish_site.output.glob("category/*/index.html"))
    assert categories, "the site has topics"
    for slug in categories:
        expected |= {
            f"{PUBLISH_SITEURL}/feeds/category/{slug}.rss.xml",
            f"{PUBLISH_SITEURL}/feeds/category/{slug}.atom.xml",
        }
    assert expected <= hrefs
    for href in expected:
        # the page links only to feeds that were written
        assert (publish_site.output / href[len(PUBLISH_SITEURL) + 1 :]).is_file(), href
    assert "feed reader is an app or website" in text
    # no newsletter set: the feed-to-email route, without naming a vendor
    assert "RSS to email" in text
    assert f"{PUBLISH_SITEURL}/feeds/all.rss.xml" in text


def test_subscribe_page_reads_well_without_feeds(dev_site):
    page, text = main_text(dev_site, SUBSCRIBE)
    assert not [a for a in page.find("a") if ".xml" in a.attrs.get("href", "")]
    assert "feed reader is an app or website" in text
    assert "feeds are written only when the site is published" in text
    assert "RSS to email" in text
    assert "None" not in text and "{{" not in text


def test_newsletter_url_makes_the_page_link_to_the_sign_up(tmp_path):
    site = build_site(
        tmp_path / "out", NEWSLETTER_URL="https://letters.example.net/join?list=a&b=1"
    )
    page, text = main_text(site, SUBSCRIBE)
    (signup,) = [a for a in page.find("a") if "letters.example.net" in a.attrs["href"]]
    assert signup.attrs["href"] == "https://letters.example.net/join?list=a&b=1"
    assert "&amp;b=1" in site.read(SUBSCRIBE), "the URL is escaped in the attribute"
    assert "Sign up" in signup.text
    assert "RSS to email" not in text


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "letters.example.net/join", '"><x'])
def test_a_newsletter_url_that_is_not_a_web_address_stops_the_build(tmp_path, bad):
    with pytest.raises(Exception) as raised:
        build_site(tmp_path / "out", NEWSLETTER_URL=bad)
    problems = raised.value.build.problems()
    assert any(p.startswith("NEWSLETTER_URL: ") and "Fix: " in p for p in problems), problems
    assert not (tmp_path / "out" / "index.html").exists()


# -- feed entry footers ---------------------------------------------------------


def atom_entries(site, relative="feeds/all.atom.xml"):
    root = ET.fromstring(site.read(relative))
    return list(root.iter(f"{ATOM}entry"))


@pytest.mark.parametrize(
    "relative", ["feeds/all.atom.xml", "feeds/all.rss.xml", "feeds/category/habits.rss.xml"]
)
def test_each_entry_ends_with_links_to_the_article_and_the_assessment(publish_site, relative):
    feed = feedparser.parse(publish_site.read(relative))
    assert not feed.bozo and feed.entries
    for entry in feed.entries:
        body = entry.content[0].value if "content" in entry else entry.description
        footer = body[body.rindex("<hr") :]
        page = parse_page(footer)
        hrefs = [a.attrs["href"] for a in page.find("a")]
        assert hrefs == [entry.link, f"{PUBLISH_SITEURL}/networking-habits-assessment/"]
        assert "Read this article on Career Exercise" in footer


def test_the_footer_is_escaped_inside_the_entry(tmp_path):
    from conftest import SMALL_SITE

    site = build_site(tmp_path / "out", publish=True, PATH=str(SMALL_SITE), SITENAME="Coach & Co")
    for entry in atom_entries(site):
        (content,) = entry.iter(f"{ATOM}content")
        assert content.attrib["type"] == "html"
        assert list(content) == [], "the HTML is text inside <content>, not XML"
        assert content.text.endswith("Read this article on Coach &amp; Co</a></p>")
    # the small site has no assessment page: only the article link
    assert site.problems() == []


def test_no_feed_footer_without_the_plugin(tmp_path):
    from conftest import SMALL_SITE

    plugins = ["feed_guids", "content_safety", "buildcache"]
    site = build_site(tmp_path / "out", publish=True, PATH=str(SMALL_SITE), PLUGINS=plugins)
    assert "feed-entry-footer" not in site.read("feeds/all.atom.xml")
