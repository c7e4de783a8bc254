"""The publishing gates (tools/sitecheck): each passes on the real site as
`make publish` builds it, and each failure mode is caught in a copy of that
site with one page broken, naming the file (and line) and how to fix it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitecheck import GateResult, Site, a11y, feeds, html, links, privacy

from conftest import PUBLISH_SITEURL, REPO

FAST_GATES = {"html": html, "links": links, "feeds": feeds, "privacy": privacy}


@pytest.fixture
def java():
    """The HTML gate needs Java: skipped without it locally, a failure in CI."""
    if html.java_command():
        return
    message = "the HTML gate needs Java (apt-get install default-jre-headless)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must run it")
    pytest.skip(message)


def site_of(built) -> Site:
    return Site(built.output, built.settings)


@pytest.fixture
def broken(publish_site, tmp_path) -> Site:
    """A copy of the real publish build to break."""
    return Site(shutil.copytree(publish_site.output, tmp_path / "site"), publish_site.settings)


def articles(site: Site) -> list[str]:
    found = sorted(site.rel(p) for p in site.root.glob("articles/*/index.html"))
    assert len(found) >= 2, "the site has articles to break"
    return found


def edit(site: Site, relative: str, old: str, new: str, count: int = 1) -> None:
    path = site.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} has no {old!r} to replace"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems_in(result: GateResult, relative: str) -> list[str]:
    return [p.format(result.gate) for p in result.problems if p.where.startswith(relative)]


def assert_every_problem_says_how_to_fix(result: GateResult) -> None:
    for problem in result.problems:
        assert problem.where and problem.what and problem.fix, problem
        assert " — Fix: " in problem.format(result.gate)


# The real site passes every gate.


@pytest.mark.parametrize("gate", sorted(FAST_GATES))
def test_gate_passes_on_the_real_publish_build(gate, publish_site, request):
    if gate == "html":
        request.getfixturevalue("java")
    result = FAST_GATES[gate].check(site_of(publish_site))
    assert result.ok, result.report()
    assert result.checked


def test_a11y_gate_passes_on_the_real_site_light_and_dark(publish_site, browser):
    site = site_of(publish_site)
    pages, _ = a11y.pages_to_check(site)
    assert {"home page", "newest article", "tag page", "search page"} <= set(pages)
    result = a11y.check(site, browser=browser)
    assert result.ok, result.report()
    assert "× 2 colour schemes" in result.checked


def test_a11y_gate_says_which_page_kinds_it_skipped(broken):
    shutil.rmtree(broken.root / "tag")
    for path in broken.html_files():
        if "<tip-checklist" in path.read_text(encoding="utf-8"):
            path.unlink()
    pages, notes = a11y.pages_to_check(broken)
    assert "tag page" not in pages
    assert "tag page: skipped (not in this site)" in notes
    assert "checklist page: skipped (not in this site)" in notes
    assert pages["home page"] == "index.html"
    assert pages["newest article"].startswith("articles/")


# HTML: the Nu HTML Checker.


def test_html_gate_reports_invalid_markup_with_file_and_line(broken, java):
    first, second = articles(broken)[:2]
    edit(broken, first, "</main>", "</div></main>")
    edit(broken, second, '<main id="content"', '<p id="content">x</p><main id="content"')
    result = html.check(broken)
    assert not result.ok
    stray = problems_in(result, first)
    assert any(re.search(r":\d+:\d+: Stray end tag .div.", p) for p in stray), result.report()
    duplicate = problems_in(result, second)
    assert any("Duplicate ID" in p and "ids must be unique" in p for p in duplicate), duplicate
    assert_every_problem_says_how_to_fix(result)
    assert len(result.problems) <= 3, result.report()  # nothing else in the real site


def test_html_gate_fails_when_java_is_missing(broken, monkeypatch):
    monkeypatch.setattr(html, "java_command", lambda: None)
    result = html.check(broken)
    assert not result.ok
    assert "default-jre-headless" in result.problems[0].fix


# Links: lychee, offline, fragments included.


def test_links_gate_reports_broken_links_and_fragments(broken):
    page = articles(broken)[0]
    target = articles(broken)[1].removesuffix("index.html")
    edit(
        broken,
        page,
        "</main>",
        '<p><a href="../no-such-article/">gone</a>'
        ' <a href="#no-such-heading">here</a>'
        f' <a href="{PUBLISH_SITEURL}/{target}#no-such-id">there</a>'
        f' <img src="{PUBLISH_SITEURL}/images/missing.png" alt="missing"></p></main>',
    )
    result = links.check(broken)
    reported = "\n".join(problems_in(result, page))
    assert re.search(r":\d+:\d+: broken link to /articles/no-such-article", reported), reported
    assert "broken fragment #no-such-heading" in reported
    assert f"broken fragment #no-such-id in {PUBLISH_SITEURL}/{target}" in reported
    assert f"broken link to {PUBLISH_SITEURL}/images/missing.png" in reported
    assert len(result.problems) == 4, result.report()
    assert_every_problem_says_how_to_fix(result)


def test_links_gate_reports_missing_share_images_and_manifest_icons(broken):
    page = articles(broken)[0]
    card = broken.root / "images" / "cards" / "articles" / f"{page.split('/')[1]}.png"
    assert card.is_file(), "the publish build has a card for each article"
    card.unlink()
    (broken.root / "icon-192.png").unlink()
    edit(
        broken,
        articles(broken)[1],
        f'property="og:image" content="{PUBLISH_SITEURL}/',
        'property="og:image" content="/',
    )
    result = links.check(broken)
    reported = result.report()
    assert re.search(
        rf"{re.escape(page)}:\d+: og:image names {PUBLISH_SITEURL}/images/cards/.*no such file",
        reported,
    ), reported
    assert re.search(rf"{re.escape(page)}:\d+: twitter:image names", reported), reported
    assert f"{articles(broken)[1]}:" in reported and "is not an absolute URL" in reported
    assert "site.webmanifest: icon 'icon-192.png'" in reported
    assert len(result.problems) == 4, reported
    assert_every_problem_says_how_to_fix(result)


# Feeds.


def test_feeds_gate_reports_a_feed_that_is_not_well_formed(broken):
    edit(broken, "feeds/all.atom.xml", "<title>", "<title>Tips & tricks ")
    result = feeds.check(broken)
    reported = "\n".join(problems_in(result, "feeds/all.atom.xml"))
    assert "feed readers reject this feed" in reported, result.report()
    assert "well-formed XML" in reported


def test_feeds_gate_reports_relative_links_permalink_guids_and_duplicate_ids(broken):
    rss = "feeds/all.rss.xml"
    text = broken.read(rss)
    guids = re.findall(r"<guid[^>]*>([^<]+)</guid>", text)
    links_ = re.findall(r"<item><title>[^<]*</title><link>([^<]+)</link>", text)
    assert len(guids) >= 2 and links_
    edit(broken, rss, f"<link>{links_[0]}</link>", "<link>/articles/relative/</link>")
    edit(broken, rss, f">{guids[1]}</guid>", f">{guids[0]}</guid>")
    edit(broken, rss, ' isPermaLink="false"', "")
    atom = "feeds/all.atom.xml"
    atom_id = re.findall(r"<entry>.*?<id>([^<]+)</id>", broken.read(atom), re.S)[0]
    edit(broken, atom, f"<id>{atom_id}</id>", "<id>tag:None,2026-01-01:/x/</id>")

    result = feeds.check(broken)
    reported = "\n".join(problems_in(result, rss))
    assert "link '/articles/relative/' is not an absolute URL" in reported, result.report()
    assert f"id {guids[0]!r} is also the id of" in reported
    assert 'lacks isPermaLink="false"' in reported
    assert "is not an absolute, site-specific id" in "\n".join(problems_in(result, atom))
    assert "different ids in different feeds" in result.report()
    assert_every_problem_says_how_to_fix(result)


def test_feeds_gate_reports_markup_in_titles_and_relative_content_urls(broken):
    atom = "feeds/all.atom.xml"
    title = re.findall(r"<entry><title>([^<]+)</title>", broken.read(atom))[0]
    edit(broken, atom, f"<entry><title>{title}", f"<entry><title>&lt;span&gt;{title}")
    edit(broken, atom, "&lt;/p&gt;", '&lt;a href="../x/"&gt;x&lt;/a&gt;&lt;/p&gt;')
    result = feeds.check(broken)
    reported = "\n".join(problems_in(result, atom))
    assert "title is not plain text" in reported, result.report()
    assert "relative URL(s) in the content" in reported and "../x/" in reported


def test_feeds_gate_reports_scripts_handlers_and_unsafe_urls_in_entries(broken):
    atom, rss = "feeds/all.atom.xml", "feeds/all.rss.xml"
    edit(broken, atom, "&lt;/p&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;")
    edit(
        broken,
        rss,
        "&lt;/p&gt;",
        f'&lt;img src="{PUBLISH_SITEURL}/x.png" alt="" onerror="alert(2)"&gt;'
        '&lt;a href="java&amp;#x09;script:alert(3)"&gt;x&lt;/a&gt;&lt;/p&gt;',
    )
    result = feeds.check(broken)
    in_atom = "\n".join(problems_in(result, atom))
    in_rss = "\n".join(problems_in(result, rss))
    assert "the content or summary has <script> element" in in_atom, result.report()
    assert "<img onerror=…> handler" in in_rss, result.report()
    assert "(javascript: URL)" in in_rss
    assert len(result.problems) == 2, result.report()
    assert_every_problem_says_how_to_fix(result)


def test_feeds_gate_takes_angle_brackets_in_a_title_as_text(broken):
    atom = "feeds/all.atom.xml"
    title = re.findall(r"<entry><title>([^<]+)</title>", broken.read(atom))[0]
    edit(broken, atom, f"<entry><title>{title}", f"<entry><title>Offer &lt; ask &gt; 0: {title}")
    result = feeds.check(broken)
    assert result.ok, result.report()


# Privacy and CSP.


def test_privacy_gate_reports_inline_code_foreign_hosts_and_a_missing_csp(broken):
    pages = sorted(broken.rel(p) for p in broken.html_files())
    inline, handler, foreign, no_csp = pages[:4]
    edit(broken, inline, "</main>", "<script>alert(1)</script></main>")
    edit(broken, handler, "<main ", '<main onclick="go()" ')
    edit(broken, foreign, "</main>", '<img src="https://cdn.example.net/x.png" alt="x"></main>')
    text = broken.read(no_csp)
    csp = re.search(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>\n?", text).group(0)
    edit(broken, no_csp, csp, "")

    result = privacy.check(broken)
    assert any(re.search(r":\d+: inline <script>", p) for p in problems_in(result, inline))
    assert any("<main onclick=…> handler" in p for p in problems_in(result, handler))
    assert any(
        "https://cdn.example.net/x.png" in p and "loads from another host" in p
        for p in problems_in(result, foreign)
    )
    assert any("0 Content-Security-Policy meta tags" in p for p in problems_in(result, no_csp))
    assert len(result.problems) == 4, result.report()
    assert_every_problem_says_how_to_fix(result)


def test_privacy_gate_reports_javascript_like_urls_however_spelled(broken):
    page = articles(broken)[0]
    edit(
        broken,
        page,
        "</main>",
        '<p><a href="java&#115;cript:alert(1)">a</a></p>\n'
        '<p><a href="java&#x09;script:alert(2)">b</a></p>\n'
        '<p><a href=" JaVaScRiPt:alert(3)">c</a></p>\n'
        '<p><a href="vbscript:msgbox(4)">d</a></p>\n'
        '<p><img src="x.png" srcset="x.png 1x, javascript:alert(5) 2x" alt=""></p>\n'
        '<p><a href="data:text/html,&lt;script&gt;alert(6)&lt;/script&gt;">f</a></p>\n'
        '<svg><a xlink:href="javascript:alert(7)"><text>g</text></a></svg></main>',
    )
    result = privacy.check(broken)
    reported = problems_in(result, page)
    lines = {int(re.match(rf"PRIVACY: {re.escape(page)}:(\d+):", p)[1]) for p in reported}
    assert len(reported) == 7 and len(lines) == 7, result.report()
    for what in (
        "<a href='javascript:alert(1)'> is a javascript: URL",
        "<a href='java script:alert(2)'> is a javascript: URL",
        "<a href='JaVaScRiPt:alert(3)'> is a javascript: URL",
        "is a vbscript: URL",
        "<img srcset='javascript:alert(5)'> is a javascript: URL",
        "is a data: URL",
        "<a xlink:href='javascript:alert(7)'>",
    ):
        assert any(what in p for p in reported), (what, reported)
    assert len(result.problems) == 7, result.report()
    assert_every_problem_says_how_to_fix(result)


def test_privacy_gate_lets_in_only_an_image_as_the_icon_from_a_data_url(broken):
    """The theme inlines its SVG icon (an image, only ever drawn); a data:
    URL that opens a document, or an image one a reader can open, is
    still reported."""
    page = articles(broken)[0]
    assert 'rel="icon" href="data:image/svg+xml,' in broken.read(page)
    edit(
        broken,
        page,
        "</head>",
        '<link rel="icon" href="data:text/html,%3Cscript%3Ealert(1)%3C/script%3E"></head>',
    )
    edit(broken, page, "</main>", '<p><a href="data:image/svg+xml,%3Csvg/%3E">x</a></p></main>')
    result = privacy.check(broken)
    reported = problems_in(result, page)
    assert len(reported) == 2, result.report()
    assert any("<link href='data:text/html," in p for p in reported), reported
    assert any("<a href='data:image/svg+xml," in p for p in reported), reported


def test_privacy_gate_reports_foreign_stylesheets(broken):
    page = articles(broken)[0]
    edit(
        broken,
        page,
        "</head>",
        '<link rel="stylesheet" href="https://fonts.example.com/css"></head>',
    )
    edit(broken, "theme/css/site.css", "", "@import url(https://fonts.example.com/x.css);\n")
    result = privacy.check(broken)
    assert any("fonts.example.com/css" in p for p in problems_in(result, page)), result.report()
    assert problems_in(result, "theme/css/site.css:1")


# Accessibility.


def test_a11y_gate_reports_axe_violations(broken, browser):
    page = articles(broken)[0]
    edit(broken, page, "</main>", '<img src="../../theme/favicon.svg"></main>')
    edit(broken, page, "</body>", '<script src="../../theme/js/missing.js" defer></script></body>')
    result = a11y.check(broken, browser=browser, pages={"article": page}, schemes=["dark"])
    reported = "\n".join(problems_in(result, page))
    assert "(article, dark): image-alt" in reported, result.report()
    assert "dequeuniversity.com" in reported  # the fix links to axe's explanation
    # a page tested without all its files proves nothing: that fails too
    assert "theme/js/missing.js did not load while testing" in reported


# The command line that `make publish` and `make check` run.


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "tools"), str(REPO / "plugins")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "sitecheck", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )


def test_cli_exits_non_zero_and_prints_each_failure(broken):
    page = articles(broken)[0]
    edit(broken, page, "<main ", '<main onclick="go()" ')
    done = run_cli(str(broken.root), "--settings", "publishconf.py", "--only", "privacy,feeds")
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(
        rf"PRIVACY: {re.escape(page)}:\d+: <main onclick=…> handler — Fix: ", done.stdout
    )
    assert "privacy: FAILED, 1 problem(s)" in done.stdout
    assert re.search(r"^feeds: ok", done.stdout, re.M)
    assert "sitecheck: FAILED: privacy" in done.stdout


def test_cli_checks_the_site_as_built(publish_site):
    # publishconf.py says https://career-exercise.example; the build says otherwise
    done = run_cli(str(publish_site.output), "--settings", "publishconf.py", "--only", "feeds")
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"was built for SITEURL={PUBLISH_SITEURL}" in done.stdout


def test_cli_refuses_a_folder_without_a_site(tmp_path: Path):
    done = run_cli(str(tmp_path))
    assert done.returncode == 2
    assert "no built site" in done.stderr
