"""Author text is escaped the same way wherever the theme shows it: the
<h1> (with typogrify's spans), listings, neighbour links, tag, category and
author pages, <title>, meta tags, JSON-LD, the reply link and the feeds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from sitecheck import Site, feeds
from sitecheck.pages import parse_page

from conftest import PUBLISH_SITEURL, build_site

HOSTILE = """Title: "Q&A" with HR: when offer < ask > 0 & 'why'
Date: 2026-02-02 09:00
Category: Pay & "perks" <> more
Tags: R&D > "ops" < 'x', plain
Author: Dana "D" O'Brien & Co < 3
Summary: Pay < worth & "fair" > nothing, says HR.

Body.
"""
OTHER = "Title: {title}\nDate: {date}\nCategory: Habits\nTags: plain\n\n{title}.\n"

# What a reader sees: typogrify's curly quotes, everything else as written.
TITLE = "“Q&A” with HR: when offer < ask > 0 & ‘why’"
SUMMARY = "Pay < worth & “fair” > nothing, says HR."
CATEGORY = 'Pay & "perks" <> more'
TAG = "R&D > \"ops\" < 'x'"
AUTHOR = 'Dana "D" O\'Brien & Co < 3'
# Each would be markup, or break an attribute, if printed unescaped.
RAW = ["< ask >", "<> more", '> "ops" <', "Co < 3", "< worth &", "'why'\""]

ARTICLE = "articles/qa-with-hr-when-offer-0-why/index.html"
CATEGORY_PAGE = "category/pay-perks-more/index.html"
TAG_PAGE = "tag/rd-ops-x/index.html"
AUTHOR_PAGE = "author/dana-d-obrien-co-3/index.html"
TYPOGRIFY_TAGS = {
    '<span class="caps">',
    '<span class="amp">',
    '<span class="dquo">',
    '<span class="quo">',
    "</span>",
}


def hostile_site(tmp_path_factory, kind: str):
    root = tmp_path_factory.mktemp(f"hostile-{kind}")
    content = root / "content"
    content.mkdir()
    (content / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    for name, date in (("Older one", "2026-01-01 09:00"), ("Newer one", "2026-03-01 09:00")):
        text = OTHER.format(title=name, date=date)
        (content / f"{name.split()[0].lower()}.md").write_text(text, encoding="utf-8")
    built = build_site(root / "output", publish=kind.startswith("publish"), PATH=str(content))
    assert built.problems() == []
    return built


@pytest.fixture(scope="module", params=["dev", "publish"])
def site(request, tmp_path_factory):
    return hostile_site(tmp_path_factory, request.param)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Only publish builds write feeds."""
    return hostile_site(tmp_path_factory, "publish-feeds")


def text(element) -> str:
    return " ".join(element.text.split())


def links_to(site, relative: str, target: str) -> list[str]:
    """Texts of the links on a page to the URL that ends with ``target``."""
    page = parse_page(site.read(relative))
    return [text(a) for a in page.find("a") if a.attrs.get("href", "").endswith(target)]


def test_nothing_is_printed_unescaped_anywhere(site):
    files = site.html_files() + sorted(site.output.rglob("*.xml"))
    assert len(files) > 10
    for path in files:
        raw = path.read_text(encoding="utf-8")
        for needle in RAW:
            assert needle not in raw, f"{path.relative_to(site.output)} prints {needle!r} raw"


def test_h1_keeps_typogrify_and_escapes_the_rest(site):
    raw = site.read(ARTICLE)
    (inner,) = re.findall(r'<h1 class="post-title">(.*?)</h1>', raw, re.S)
    assert set(re.findall(r"<[^>]*>", inner)) <= TYPOGRIFY_TAGS, inner
    assert '<span class="caps">HR</span>' in inner
    assert '<span class="amp">&amp;</span>' in inner
    assert '<span class="dquo">“</span>' in inner
    assert "offer &lt; ask &gt; 0" in inner
    (h1,) = parse_page(raw).find("h1")
    assert text(h1) == TITLE


def test_head_title_meta_and_json_ld_carry_the_plain_text(site):
    page = parse_page(site.read(ARTICLE))
    assert page.title() == f"{TITLE} · Career Exercise"
    assert page.meta("og:title") == TITLE
    assert page.meta("twitter:title") == TITLE
    assert page.meta("description") == SUMMARY
    assert page.meta("og:description") == SUMMARY
    assert page.meta("article:section") == CATEGORY
    tags = [m.attrs["content"] for m in page.find("meta", property="article:tag")]
    assert tags == [TAG, "plain"]
    (ld,) = page.find("script", type="application/ld+json")
    assert "<" not in ld.text and "&" not in ld.text, "tojson escapes <, > and &"
    data = json.loads(ld.text)
    assert data["headline"] == TITLE
    assert data["description"] == SUMMARY
    assert data["articleSection"] == CATEGORY
    assert data["keywords"] == f"{TAG}, plain"
    assert [a["name"] for a in data["author"]] == [AUTHOR]


def test_article_page_links_and_reply_subject(site):
    page = parse_page(site.read(ARTICLE))
    assert links_to(site, ARTICLE, "/category/pay-perks-more/") == [CATEGORY, CATEGORY]
    assert links_to(site, ARTICLE, "/tag/rd-ops-x/") == [TAG]
    assert links_to(site, ARTICLE, "/author/dana-d-obrien-co-3/") == [AUTHOR]
    mails = [a for a in page.find("a") if a.attrs.get("href", "").startswith("mailto:")]
    (mail,) = [a for a in mails if "button" in a.attrs.get("class", "")]
    subject = parse_qs(urlsplit(mail.attrs["href"]).query)["subject"]
    assert subject == [f"Re: {TITLE}"]
    assert text(mail) == f"Reply by email: {TITLE}"
    # publish builds also offer the article by email (the share links)
    shared = [a for a in mails if "share-link" in a.attrs.get("class", "")]
    assert len(shared) == (1 if site.settings["SITEURL"] else 0)
    for link in shared:
        query = parse_qs(urlsplit(link.attrs["href"]).query)
        assert query["subject"] == [TITLE]
        assert query["body"][0].startswith(TITLE + "\r\n\r\n" + site.settings["SITEURL"] + "/")


@pytest.mark.parametrize(
    "listing",
    [
        "index.html",
        "archives/index.html",
        "archives/2026/02/index.html",
        CATEGORY_PAGE,
        TAG_PAGE,
        AUTHOR_PAGE,
        "articles/older-one/index.html",  # "Newer article"
        "articles/newer-one/index.html",  # "Older article"
    ],
)
def test_listings_and_neighbour_links_show_the_title_as_text(site, listing):
    titles = links_to(site, listing, "/articles/qa-with-hr-when-offer-0-why/")
    assert TITLE in titles, titles
    raw = site.read(listing)
    assert "offer &lt; ask &gt; 0" in raw


@pytest.mark.parametrize(
    ("relative", "h1", "title"),
    [
        (CATEGORY_PAGE, CATEGORY, CATEGORY),
        (TAG_PAGE, f"Articles tagged “{TAG}”", f"Articles tagged “{TAG}”"),
        (AUTHOR_PAGE, f"Articles by {AUTHOR}", f"Articles by {AUTHOR}"),
    ],
)
def test_tag_category_and_author_pages(site, relative, h1, title):
    page = parse_page(site.read(relative))
    (heading,) = page.find("h1")
    assert text(heading) == h1
    assert page.title() == f"{title} · Career Exercise"
    assert page.meta("og:title") == title
    assert h1.split("“")[-1].rstrip("”") in page.meta("description")


@pytest.mark.parametrize(
    ("relative", "target", "name"),
    [
        ("categories/index.html", "/category/pay-perks-more/", CATEGORY),
        ("tags/index.html", "/tag/rd-ops-x/", TAG),
        ("authors/index.html", "/author/dana-d-obrien-co-3/", AUTHOR),
    ],
)
def test_term_lists(site, relative, target, name):
    assert links_to(site, relative, target) == [name]


def test_feeds_carry_plain_titles_and_pass_the_gate(published):
    site = published
    for relative in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        raw = site.read(relative)
        parsed = feedparser.parse(raw)
        (entry,) = [e for e in parsed.entries if "HR" in e.title]
        assert entry.title == TITLE, "the whole title, not Pelican's striptags of it"
        assert "span" not in re.findall(r"<item>\s*<title>[^<]*|<entry><title>[^<]*", raw)[0]
        assert entry.link == f"{PUBLISH_SITEURL}/{Path(ARTICLE).parent}/"
    result = feeds.check(Site(site.output, site.settings))
    assert result.ok, result.report()
