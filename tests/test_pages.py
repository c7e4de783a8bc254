"""Every built page is complete, valid HTML that keeps the site's promises:
a language, a title, one h1, a strict CSP, no inline script, nothing loaded
from (or pointing at) another host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sitecheck.pages import html5_errors, parse_page

from conftest import PUBLISH_SITEURL

SITES = ["dev_site", "publish_site", "small_site", "small_site_published"]
CSP_NEEDS = ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'"]


def pages_of(site):
    files = site.html_files()
    assert len(files) >= 10, "the site has its page types"
    for path in files:
        yield path.relative_to(site.output), path.read_text(encoding="utf-8")


@pytest.mark.parametrize("which", SITES)
def test_every_page_parses_as_html5(which, request):
    site = request.getfixturevalue(which)
    failures = {
        str(name): errors[:3] for name, html in pages_of(site) if (errors := html5_errors(html))
    }
    assert failures == {}


@pytest.mark.parametrize("which", SITES)
def test_every_page_has_lang_title_and_one_h1(which, request):
    site = request.getfixturevalue(which)
    for name, html in pages_of(site):
        page = parse_page(html)
        assert html.lstrip().lower().startswith("<!doctype html>"), name
        assert page.lang == "en", name
        title = page.title()
        assert title.strip(), f"{name}: empty <title>"
        assert "<" not in title and "span" not in title, f"{name}: {title!r}"
        assert len(page.find("h1")) == 1, f"{name}: {len(page.find('h1'))} h1 elements"
        assert page.find("main"), f"{name}: no <main>"


@pytest.mark.parametrize("which", SITES)
def test_every_page_has_a_strict_csp_and_no_inline_script(which, request):
    site = request.getfixturevalue(which)
    for name, html in pages_of(site):
        page = parse_page(html)
        policies = page.find("meta", http_equiv="Content-Security-Policy")
        assert len(policies) == 1, f"{name}: CSP meta tag"
        policy = policies[0].attrs["content"]
        for directive in CSP_NEEDS:
            assert directive in policy, f"{name}: CSP lacks {directive}"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert page.inline_scripts() == [], f"{name}: inline script"
        assert page.event_handlers() == [], f"{name}: {page.event_handlers()}"
        styled = [e.tag for e in page.elements if "style" in e.attrs]
        assert styled == [], f"{name}: style attributes break style-src 'self': {styled}"


SHARE_ENDPOINTS = (
    "https://www.linkedin.com/sharing/share-offsite/?url=",
    "https://bsky.app/intent/compose?text=",
)


@pytest.mark.parametrize("which", SITES)
def test_no_page_points_at_another_host(which, request):
    site = request.getfixturevalue(which)
    own_host = urlsplit(site.settings["SITEURL"]).hostname
    for name, html in pages_of(site):
        foreign = [
            url
            for url in parse_page(html).foreign_urls(own_host)
            # an article's share links (plain links, loaded only when clicked)
            if not url.startswith(SHARE_ENDPOINTS)
        ]
        assert foreign == [], f"{name}: {foreign}"


def test_publish_pages_use_absolute_urls_on_the_site_host(publish_site):
    assert publish_site.settings["SITEURL"] == PUBLISH_SITEURL
    for name, html in pages_of(publish_site):
        page = parse_page(html)
        (canonical,) = page.find("link", rel="canonical")
        assert canonical.attrs["href"].startswith(PUBLISH_SITEURL + "/"), name
        stylesheets = [s.attrs["href"] for s in page.find("link", rel="stylesheet")]
        # One stylesheet in <head>; a widget links its own from inside its
        # element, which holds back only what follows it, never first paint.
        theme = [href for href in stylesheets if "/widgets/" not in href]
        assert len(theme) == 1, f"{name}: one stylesheet, nothing else render-blocking"
        for href in stylesheets:
            assert href.startswith(PUBLISH_SITEURL + "/"), f"{name}: {href}"


def test_dev_pages_link_relatively(dev_site):
    page = parse_page(dev_site.read("index.html"))
    (stylesheet,) = page.find("link", rel="stylesheet")
    assert not urlsplit(stylesheet.attrs["href"]).netloc


def test_css_asks_no_other_host(dev_site):
    css = (dev_site.output / "theme/css/site.css").read_text(encoding="utf-8")
    assert "@import" not in css
    assert "http://" not in css and "https://" not in css and "//fonts" not in css
    assert "prefers-color-scheme:dark" in css.replace(" ", "")
    assert "@media print" in css
    assert "prefers-reduced-motion" in css
    assert ":focus-visible" in css
