"""Share links under every article of a publish build: plain links that load
nothing until clicked, a new window announced, and "copy link" that works
without JavaScript (a read-only field to select) and with it (a button).
`make html` builds have no absolute URL to share and no share block, and
leave the canonical link and og:url out."""

from __future__ import annotations

import socket
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from sitecheck.localserver import serve
from sitecheck.pages import parse_page

from conftest import PUBLISH_SITEURL, build_site

ARTICLE = "articles/a-story-about-a-move/index.html"
ARTICLE_URL = f"{PUBLISH_SITEURL}/articles/a-story-about-a-move/"
TITLE = "A story about a move"


def share_block(site, relative=ARTICLE):
    page = parse_page(site.read(relative))
    sections = [s for s in page.find("section") if "share" in s.attrs.get("class", "").split()]
    return page, sections


def share_links(site, relative=ARTICLE):
    page, _ = share_block(site, relative)
    return {
        a.text.split(" (")[0].strip(): a
        for a in page.find("a")
        if "share-link" in a.attrs.get("class", "").split()
    }


def test_every_published_article_has_one_share_block(small_site_published):
    articles = sorted(small_site_published.output.glob("articles/*/index.html"))
    assert len(articles) == 3
    for path in articles:
        relative = path.relative_to(small_site_published.output).as_posix()
        _, sections = share_block(small_site_published, relative)
        assert len(sections) == 1, relative
    # pages and listings are not shared
    for relative in ("index.html", "colophon/index.html", "category/habits/index.html"):
        assert share_block(small_site_published, relative)[1] == [], relative


def test_share_links_carry_the_absolute_article_url(small_site_published):
    links = share_links(small_site_published)
    assert set(links) == {"LinkedIn", "Bluesky", "Email"}
    linkedin = urlsplit(links["LinkedIn"].attrs["href"])
    assert (linkedin.scheme, linkedin.netloc, linkedin.path) == (
        "https",
        "www.linkedin.com",
        "/sharing/share-offsite/",
    )
    assert parse_qs(linkedin.query)["url"] == [ARTICLE_URL]
    bluesky = parse_qs(urlsplit(links["Bluesky"].attrs["href"]).query)["text"]
    assert bluesky == [f"{TITLE} {ARTICLE_URL}"]
    mail = urlsplit(links["Email"].attrs["href"])
    assert mail.scheme == "mailto" and mail.path == "", "the reader picks the recipient"
    query = parse_qs(mail.query)
    assert query["subject"] == [TITLE]
    assert query["body"] == [f"{TITLE}\r\n\r\n{ARTICLE_URL}"]


def test_links_to_other_sites_open_a_new_window_and_say_so(small_site_published):
    for name, link in share_links(small_site_published).items():
        if name == "Email":
            assert "target" not in link.attrs, "mail opens the mail program, not a window"
            continue
        assert link.attrs["target"] == "_blank", name
        assert set(link.attrs["rel"].split()) >= {"noopener", "noreferrer"}, name
        assert "(opens in a new window)" in link.text, name


def test_copy_link_field_holds_the_url_without_javascript(small_site_published):
    page, (_section,) = share_block(small_site_published)
    (field,) = [i for i in page.find("input") if i.attrs.get("id") == "share-url"]
    assert field.attrs["value"] == ARTICLE_URL
    assert "readonly" in field.attrs and "disabled" not in field.attrs
    (label,) = [lab for lab in page.find("label") if lab.attrs.get("for") == "share-url"]
    assert label.text
    (button,) = [b for b in page.find("button") if "share-copy-button" in b.attrs.get("class", "")]
    assert "hidden" in button.attrs, "the button appears only when the script can copy"
    scripts = [s.attrs.get("src", "") for s in page.find("script")]
    assert f"{PUBLISH_SITEURL}/theme/js/share.js" in scripts


def test_share_text_stays_escaped(small_site_published):
    """A title with & and quotes lands in the links' query strings encoded,
    and comes back whole."""
    relative = "articles/coffee-small-talk-that-works/index.html"
    html = small_site_published.read(relative)
    # (typogrify has curled the quotes)
    assert "subject=Coffee%20%26%20%E2%80%9Csmall%20talk%E2%80%9D%20that%20works&amp;" in html
    links = share_links(small_site_published, relative)
    subject = parse_qs(urlsplit(links["Email"].attrs["href"]).query)["subject"]
    assert subject == ["Coffee & “small talk” that works"]
    text = parse_qs(urlsplit(links["Bluesky"].attrs["href"]).query)["text"][0]
    assert text.startswith("Coffee & “small talk” that works https://")


def test_make_html_builds_have_no_share_block_and_no_canonical(small_site):
    for relative in (ARTICLE, "index.html", "colophon/index.html"):
        page = parse_page(small_site.read(relative))
        assert page.find("link", rel="canonical") == [], relative
        assert [m for m in page.find("meta") if m.attrs.get("property") == "og:url"] == []
    _, sections = share_block(small_site)
    assert sections == []
    assert "share.js" not in small_site.read(ARTICLE)


def test_publish_builds_have_absolute_canonical_and_og_url(small_site_published):
    for relative, path in ((ARTICLE, "articles/a-story-about-a-move/"), ("index.html", "")):
        page = parse_page(small_site_published.read(relative))
        (canonical,) = page.find("link", rel="canonical")
        assert canonical.attrs["href"] == f"{PUBLISH_SITEURL}/{path}"
        (og_url,) = [m for m in page.find("meta") if m.attrs.get("property") == "og:url"]
        assert og_url.attrs["content"] == f"{PUBLISH_SITEURL}/{path}"


# -- in a browser ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def local_publish(tmp_path_factory):
    """The small site built for publishing at the address it is served from,
    so its script and stylesheet load from 127.0.0.1."""
    from conftest import SMALL_SITE

    port = free_port()
    siteurl = f"http://127.0.0.1:{port}"
    built = build_site(
        tmp_path_factory.mktemp("share") / "output",
        publish=True,
        siteurl=siteurl,
        PATH=str(SMALL_SITE),
    )
    with serve(built.output, port=port) as server:
        server.article_url = f"{siteurl}/articles/a-story-about-a-move/"
        yield server


def test_copy_button_copies_the_link(browser, local_publish):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(local_publish.article_url)
        button = page.get_by_role("button", name="Copy link")
        button.wait_for(state="visible")
        button.click()
        status = page.locator(".share-copy-status")
        # the clipboard answers asynchronously: wait for the status
        expect(status).to_contain_text("Link copied")
        assert page.evaluate("navigator.clipboard.readText()") == local_publish.article_url
        assert errors == []
        assert [u for u in requests if urlsplit(u).hostname != "127.0.0.1"] == [], (
            "nothing loads from another host until a share link is clicked"
        )
    finally:
        context.close()


def test_copy_falls_back_to_selecting_the_link(browser, local_publish):
    context = browser.new_context()
    # a browser that refuses the clipboard
    context.add_init_script(
        "Object.defineProperty(navigator, 'clipboard', {value: {writeText: () =>"
        " Promise.reject(new DOMException('denied', 'NotAllowedError'))}});"
    )
    page = context.new_page()
    try:
        page.goto(local_publish.article_url)
        page.get_by_role("button", name="Copy link").click()
        expect(page.locator(".share-copy-status")).to_contain_text("Ctrl+C")
        selected = page.evaluate(
            "() => { const f = document.activeElement;"
            " return f.id + ':' + f.value.slice(f.selectionStart, f.selectionEnd); }"
        )
        assert selected == f"share-url:{local_publish.article_url}"
    finally:
        context.close()


def test_without_javascript_the_link_is_there_to_select(browser, local_publish):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(local_publish.article_url)
        field = page.get_by_label("Link to this article")
        assert field.is_visible() and field.is_editable() is False
        assert field.input_value() == local_publish.article_url
        assert not page.get_by_role("button", name="Copy link").is_visible()
        field.select_text()  # a reader can select it to copy
        assert page.get_by_role("link", name="LinkedIn (opens in a new window)").is_visible()
    finally:
        context.close()


def test_linkedin_opens_in_a_new_window_only_when_clicked(browser, local_publish):
    context = browser.new_context()
    outside = []

    def route(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    try:
        page.goto(local_publish.article_url)
        page.wait_for_load_state("networkidle")
        assert outside == [], "the page alone asks nothing of LinkedIn"
        with context.expect_page() as opened:
            page.get_by_role("link", name="LinkedIn (opens in a new window)").click()
        popup = opened.value
        assert popup.url.startswith("https://www.linkedin.com/sharing/share-offsite/") or any(
            u.startswith("https://www.linkedin.com/sharing/share-offsite/") for u in outside
        )
        assert page.url == local_publish.article_url, "the article stays open"
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "articles/a-story-about-a-move/",
        "subscribe/",
        "author/career-exercise-editors/",
        "about/",
    ],
)
def test_axe_finds_no_violations_on_share_subscribe_and_author_pages(
    axe_page, local_real_site, path
):
    from conftest import run_axe

    if path == "articles/a-story-about-a-move/":
        path = local_real_site.article_path
    axe_page.goto(f"{local_real_site.url}/{path}")
    copy = axe_page.locator(".share-copy-button")
    if copy.count():
        copy.click()  # the status message shown too
    assert run_axe(axe_page) == [], f"{path} ({axe_page.color_scheme})"


@pytest.fixture(scope="module")
def local_real_site(tmp_path_factory):
    """The real site (Subscribe, About), built for publishing where it is served."""
    port = free_port()
    built = build_site(
        tmp_path_factory.mktemp("share-real") / "output",
        publish=True,
        siteurl=f"http://127.0.0.1:{port}",
    )
    with serve(built.output, port=port) as server:
        article = sorted(built.output.glob("articles/*/index.html"))[0]
        server.article_path = article.parent.relative_to(built.output).as_posix() + "/"
        yield server
