"""The site builds, with dev and publish settings, into every page type a
reader can reach, and Pelican logs no warning or error while doing it."""

from __future__ import annotations

import json
import re

import pytest
from sitecheck.pages import parse_page

from conftest import PUBLISH_SITEURL, build_site

# Every page type of the theme, as the small fixture site produces them.
SMALL_SITE_PAGES = {
    "index": "index.html",
    "index, page 2": "page/2/index.html",
    "article": "articles/ask-the-hr-team-first/index.html",
    "page": "colophon/index.html",
    "category": "category/habits/index.html",
    "tag": "tag/coffee-meetings/index.html",
    "author": "author/career-exercise-editors/index.html",
    "archives": "archives/index.html",
    "year archive": "archives/2026/index.html",
    "month archive": "archives/2026/10/index.html",
    "tags list": "tags/index.html",
    "categories list": "categories/index.html",
    "authors list": "authors/index.html",
    "404": "404.html",
    "stylesheet": "theme/css/site.css",
}


def h1_text(site, relative):
    (h1,) = parse_page(site.read(relative)).find("h1")
    return " ".join(h1.text.split())


@pytest.mark.parametrize("which", ["small_site", "small_site_published"])
def test_every_page_type_is_built(which, request):
    site = request.getfixturevalue(which)
    missing = [
        name for name, path in SMALL_SITE_PAGES.items() if not (site.output / path).is_file()
    ]
    assert missing == [], f"page types not built: {missing}"
    assert site.problems() == []


def test_pagination_spreads_articles_over_pages(small_site):
    first = small_site.read("index.html")
    second = small_site.read("page/2/index.html")
    # newest first, two a page
    assert "A story about a move" in first and "small talk" in first
    assert "Ask the" in second and "A story about a move" not in second
    assert 'href="../../"' in second or 'href="../../index.html"' in second, (
        "page 2 links back to the first page"
    )


def test_list_pages_show_only_their_articles(small_site):
    habits = small_site.read("category/habits/index.html")
    assert "Ask the" in habits and "small talk" in habits
    assert "A story about a move" not in habits
    october = small_site.read("archives/2026/10/index.html")
    assert "small talk" in october and "A story about a move" not in october
    assert h1_text(small_site, "tag/coffee-meetings/index.html").lower().find("coffee") >= 0


def test_article_page_shows_its_metadata(small_site):
    html = small_site.read("articles/a-story-about-a-move/index.html")
    page = parse_page(html)
    times = page.find("time")
    assert any(t.attrs.get("datetime", "").startswith("2026-11-20") for t in times)
    assert "min read" in html, "reading time"
    # the internal {filename} link resolved to the other article
    assert "articles/ask-the-hr-team-first/" in html
    assert "{filename}" not in html
    mail = [a for a in page.find("a") if a.attrs.get("href", "").startswith("mailto:")]
    assert mail, "a reply-by-email link replaces comments"
    assert "subject=" in mail[0].attrs["href"]


def test_typogrify_runs_on_prose_but_never_reaches_title_or_meta(small_site):
    html = small_site.read("articles/ask-the-hr-team-first/index.html")
    page = parse_page(html)
    assert '<span class="caps">HR</span>' in html, "typogrify is on for the article"
    assert page.title().startswith("Ask the HR team first")
    for key in ("description", "og:title", "twitter:title", "og:description"):
        value = page.meta(key) or ""
        assert value and "span" not in value, f"{key} = {value!r}"
    (ld,) = page.find("script", type="application/ld+json")
    data = json.loads(ld.text)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Ask the HR team first"


def test_special_characters_stay_escaped_in_attributes(small_site):
    html = small_site.read("articles/coffee-small-talk-that-works/index.html")
    page = parse_page(html)
    # the parser decodes entities: a value survives intact only if it was escaped
    assert page.meta("og:title").startswith("Coffee & ")
    assert "small talk" in page.meta("og:title")
    assert page.title().startswith("Coffee & ")
    (ld,) = page.find("script", type="application/ld+json")
    assert "small talk" in json.loads(ld.text)["headline"]


def test_real_site_builds_cleanly_in_dev(dev_site):
    assert dev_site.problems() == []
    out = dev_site.output
    for pattern in (
        "index.html",
        "articles/*/index.html",
        "about/index.html",
        "category/*/index.html",
        "tag/*/index.html",
        "author/*/index.html",
        "archives/index.html",
        "archives/*/index.html",
        "archives/*/*/index.html",
        "tags/index.html",
        "categories/index.html",
        "authors/index.html",
        "404.html",
    ):
        assert list(out.glob(pattern)), f"nothing built for {pattern}"
    # dev builds have no feeds and only relative links
    assert not (out / "feeds").exists()
    assert "https://" not in dev_site.read("index.html").split("<body")[0].replace(
        "https://schema.org", ""
    )


def test_real_site_builds_cleanly_for_publishing(publish_site):
    assert publish_site.problems() == []
    home = parse_page(publish_site.read("index.html"))
    (canonical,) = home.find("link", rel="canonical")
    assert canonical.attrs["href"].startswith(PUBLISH_SITEURL + "/")
    alternates = {
        link.attrs["type"]: link.attrs["href"] for link in home.find("link", rel="alternate")
    }
    assert alternates["application/atom+xml"] == f"{PUBLISH_SITEURL}/feeds/all.atom.xml"
    assert alternates["application/rss+xml"] == f"{PUBLISH_SITEURL}/feeds/all.rss.xml"


def test_real_article_head_is_complete(publish_site):
    (article,) = [p for p in publish_site.output.glob("articles/*/index.html") if "julio" in str(p)]
    page = parse_page(article.read_text(encoding="utf-8"))
    url = page.meta("og:url")
    assert url and url.startswith(PUBLISH_SITEURL + "/articles/")
    assert page.meta("og:type") == "article"
    assert page.meta("twitter:card") in ("summary", "summary_large_image")
    assert page.meta("description")
    (ld,) = page.find("script", type="application/ld+json")
    data = json.loads(ld.text)
    assert data["url"] == url and re.match(r"\d{4}-\d\d-\d\d", data["datePublished"])


def test_pagination_links_first_last_and_nearby_pages_only(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    for number in range(1, 13):
        (content / f"a{number:02d}.md").write_text(
            f"Title: Article {number}\nDate: 2026-01-{number:02d}\nCategory: Habits\n"
            f"Tags: t\nSummary: S.\n\nBody.\n",
            encoding="utf-8",
        )
    site = build_site(tmp_path / "output", PATH=str(content), DEFAULT_PAGINATION=1)
    nav = site.read("page/6/index.html").split('class="pagination"')[1].split("</nav>")[0]
    shown = [int(n) for n in re.findall(r"Page </span>(\d+)</a>", nav)]
    assert shown == [1, 4, 5, 6, 7, 8, 12]
    assert nav.count("…") == 2
    assert 'aria-current="page"><span class="visually-hidden">Page </span>6<' in nav
