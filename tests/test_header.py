"""The site header: a short menu (Browse holds the topics, tags and archive;
Search when the site has a search page) that fits one row from 768 px wide,
folds into a no-JS "Menu" disclosure on a phone, marks the current page with
aria-current and a bar clear of the letters, and shows keyboard focus."""

from __future__ import annotations

import html
import posixpath
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, build_site, serve

SMALL_SITE = REPO / "tests" / "fixtures" / "small-site"
MENU = ["Start here", "Assessment", "Weekly exercise", "About", "Browse"]
NAV = re.compile(r'<nav class="site-nav" aria-label="Main">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]*)"(?: aria-current="([^"]*)")?>([^<]*)</a>')


def menu(page_html: str) -> list[tuple[str, str, str | None]]:
    """(label, href, aria-current) of each menu link, in order."""
    (nav,) = NAV.findall(page_html)
    return [
        (html.unescape(label), href, current or None) for href, current, label in LINK.findall(nav)
    ]


def has_search_page(content: Path) -> bool:
    """Whether the site already has a search page: a template page written
    to search/index.html, or a page with slug "search"."""
    from pelican.settings import read_settings

    settings = read_settings(str(REPO / "pelicanconf.py"))
    if "search/index.html" in (settings.get("TEMPLATE_PAGES") or {}).values():
        return True
    for path in (content / "pages").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if path.stem == "search" or re.search(r"(?mi)^slug:\s*search\s*$", text):
            return True
    return False


@pytest.fixture(scope="module")
def site_with_search(tmp_path_factory):
    """The real content with a search page (slug "search") added when it has
    none yet, so the Search link can be checked before the search page lands."""
    root = tmp_path_factory.mktemp("header")
    content = root / "content"
    shutil.copytree(REPO / "content", content)
    if not has_search_page(content):
        (content / "pages" / "search.md").write_text(
            "Title: Search\nSlug: search\nSummary: Find an article.\n\nSearch the site.\n",
            encoding="utf-8",
        )
    return build_site(root / "output", PATH=str(content))


@pytest.fixture(scope="module")
def header_server(site_with_search) -> Iterator:
    yield from serve(site_with_search.output)


# --- the markup ---


def test_menu_is_short_and_has_no_home_archives_or_topics(dev_site):
    labels = [label for label, _, _ in menu(dev_site.read("index.html"))]
    assert labels[: len(MENU)] == MENU
    assert not {"Home", "Archives", "Topics"} & set(labels), "the site's name links home"
    # Search is offered exactly when the site has a search page
    has_search = (dev_site.output / "search" / "index.html").exists()
    assert ("Search" in labels) == has_search
    assert len(labels) <= 6


def resolve(relative: str, href: str) -> str:
    """The output file a relative link on the page at `relative` leads to."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), href))
    return posixpath.join(target, "index.html") if href.endswith("/") else target


@pytest.mark.parametrize("relative", ["index.html", "articles/keep-your-resume-ready/index.html"])
def test_search_link_points_to_the_search_page(site_with_search, relative):
    links = {
        label: (href, current) for label, href, current in menu(site_with_search.read(relative))
    }
    href, current = links["Search"]
    assert resolve(relative, href) == "search/index.html" and current is None
    assert list(links)[-1] == "Search"
    on_search = dict(
        (label, current) for label, _, current in menu(site_with_search.read("search/index.html"))
    )
    assert on_search["Search"] == "page"


def test_no_search_link_without_a_search_page(tmp_path):
    """A site without a search page gets no Search link (no broken link)."""
    site = build_site(tmp_path / "output", PATH=str(SMALL_SITE), TEMPLATE_PAGES={})
    assert not (site.output / "search").exists()
    assert "Search" not in [label for label, _, _ in menu(site.read("index.html"))]


def test_site_name_links_home_and_is_current_there(dev_site):
    home = dev_site.read("index.html")
    assert 'rel="home" aria-current="page">' in home
    assert 'rel="home" aria-current="page"' not in dev_site.read("about/index.html")


@pytest.mark.parametrize(
    ("relative", "label", "current"),
    [
        ("start-here/index.html", "Start here", "page"),
        ("networking-habits-assessment/index.html", "Assessment", "page"),
        ("about/index.html", "About", "page"),
        ("archives/index.html", "Browse", "page"),
        # the pages Browse leads to: topics, tags and the year archives
        ("categories/index.html", "Browse", "true"),
        ("tags/index.html", "Browse", "true"),
        ("category/habits/index.html", "Browse", "true"),
        ("archives/2026/index.html", "Browse", "true"),
    ],
)
def test_the_current_page_is_marked_once(dev_site, relative, label, current):
    links = menu(dev_site.read(relative))
    marked = [(name, value) for name, _, value in links if value]
    assert marked == [(label, current)]


def test_articles_mark_no_menu_item(dev_site):
    (article,) = [p for p in dev_site.output.glob("articles/*/index.html") if "julio" in str(p)]
    assert [v for _, _, v in menu(article.read_text(encoding="utf-8")) if v] == []


def test_old_topic_and_tag_urls_still_work(dev_site):
    for relative in ("archives/index.html", "categories/index.html", "tags/index.html"):
        assert (dev_site.output / relative).exists(), relative
    hrefs = [href for _, href, _ in menu(dev_site.read("index.html"))]
    assert not [h for h in hrefs if "categories/" in h or "tags/" in h]


def test_browse_lists_every_topic_tag_and_article(dev_site):
    browse = dev_site.read("archives/index.html")
    out = dev_site.output
    assert "<h1>Browse</h1>" in browse
    for kind in ("category", "tag", "articles"):
        pages = sorted(p.parent.name for p in out.glob(f"{kind}/*/index.html"))
        assert pages, kind
        for slug in pages:
            assert f'href="../{kind}/{slug}/"' in browse, f"{kind}/{slug} missing from Browse"
    # topics, then tags, then the articles by year
    order = [browse.index(f'id="browse-{name}"') for name in ("topics", "tags", "articles")]
    assert order == sorted(order)


# --- in Chromium ---

WIDE = [768, 1024, 1280]


def header_geometry(page) -> dict:
    return page.evaluate(
        """() => {
          const box = e => e.getBoundingClientRect();
          const links = [...document.querySelectorAll('.site-nav a')];
          return {
            header: box(document.querySelector('.site-header')).height,
            name: box(document.querySelector('.site-name a')),
            links: links.map(a => ({label: a.textContent.trim(), top: box(a).top,
                                    bottom: box(a).bottom, visible: a.checkVisibility()})),
            toggle: document.querySelector('.site-menu-toggle').checkVisibility(),
          };
        }"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_one_row_from_768_px(browser, header_server, scheme):
    heights = {}
    for width in WIDE:
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
        page = context.new_page()
        page.goto(header_server.url + "/archives/")
        geometry = header_geometry(page)
        context.close()
        links = geometry["links"]
        assert [link["label"] for link in links][: len(MENU)] == MENU
        assert "Search" in [link["label"] for link in links]
        assert all(link["visible"] for link in links), f"{width}px: every link shown"
        assert not geometry["toggle"], f"{width}px: no Menu toggle"
        tops = {round(link["top"]) for link in links}
        assert len(tops) == 1, f"{width}px: the links wrap: {links}"
        # on the same row as the site's name
        name = geometry["name"]
        middle = (links[0]["top"] + links[0]["bottom"]) / 2
        assert name["top"] <= middle <= name["bottom"], f"{width}px: menu below the name"
        heights[width] = round(geometry["header"])
    assert len(set(heights.values())) == 1, heights
    assert max(heights.values()) <= 64, heights


@pytest.mark.parametrize("javascript", [True, False])
def test_phone_header_is_one_row_and_the_menu_opens_without_js(browser, header_server, javascript):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto(header_server.url + "/articles/keep-your-resume-ready/")
    closed = header_geometry(page)
    assert closed["toggle"], "the Menu toggle is shown"
    assert not any(link["visible"] for link in closed["links"])
    # two rows at most (here: one) before the content
    assert closed["header"] <= 2 * 44 + 16, closed["header"]
    page.get_by_text("Menu", exact=True).click()
    opened = header_geometry(page)
    assert all(link["visible"] for link in opened["links"])
    page.get_by_role("link", name="Browse").click()
    page.wait_for_url("**/archives/")
    context.close()


def test_keyboard_focus_is_visible(browser, header_server):
    for width, first_stop in ((1280, "Start here"), (390, "Menu")):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(header_server.url + "/")
        page.keyboard.press("Tab")  # skip link
        page.keyboard.press("Tab")  # site name
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
                       return {text: e.textContent.trim(), style: s.outlineStyle,
                               width: parseFloat(s.outlineWidth)}; }"""
        )
        assert focused["text"] == first_stop, width
        assert focused["style"] != "none" and focused["width"] >= 2, focused
        if first_stop == "Menu":
            page.keyboard.press("Enter")
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.textContent.trim()") == MENU[0]
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_current_page_marker_clears_the_descenders(browser, header_server, width):
    """The bar under the current link sits below the text's descenders (the
    y of "Weekly"), instead of an underline that breaks around them."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(header_server.url + "/weekly-career-exercise/")
    if width < 768:
        page.get_by_text("Menu", exact=True).click()
    found = page.evaluate(
        """() => {
          const a = document.querySelector('.site-nav a[aria-current="page"]');
          const s = getComputedStyle(a), range = document.createRange();
          range.selectNodeContents(a);
          return {label: a.textContent.trim(), decoration: s.textDecorationLine,
                  shadow: s.boxShadow, text: range.getBoundingClientRect(),
                  box: a.getBoundingClientRect()};
        }"""
    )
    context.close()
    assert found["label"] == "Weekly exercise"
    assert found["decoration"] == "none", "no underline through the letters"
    assert "inset" in found["shadow"], found["shadow"]
    if width >= 768:
        # a 3px bar at the bottom of the link's box, below the text's descent
        assert found["box"]["bottom"] - 3 >= found["text"]["bottom"], found
    else:
        # a bar on the start side of the row, left of the text
        assert found["text"]["left"] - found["box"]["left"] >= 8, found


@pytest.mark.parametrize("width", [390, 1280])
def test_header_passes_axe(axe_page, header_server, width):
    from conftest import run_axe

    axe_page.set_viewport_size({"width": width, "height": 800})
    axe_page.goto(header_server.url + "/archives/")
    if width < 768:
        axe_page.get_by_text("Menu", exact=True).click()
    assert run_axe(axe_page) == []
