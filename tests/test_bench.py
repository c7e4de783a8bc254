"""The benchmark harness works (tools/bench). Nothing here times anything;
`make bench` reports times and the weight budgets. One budget needs no
timing and is checked here on the real builds: the requests of an article
with a checklist."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench import generate, pages, run, search

from conftest import PUBLISH_SITEURL, build_site


def test_generator_writes_realistic_articles(tmp_path):
    content = generate.generate(tmp_path / "content", 120)
    articles = sorted((content / "articles").glob("*.md"))
    assert len(articles) == 120
    texts = [a.read_text(encoding="utf-8") for a in articles]
    assert all(t.startswith("Title: ") for t in texts)
    categories = {line for t in texts for line in t.splitlines() if line.startswith("Category:")}
    assert len(categories) == 10
    tags = {
        tag.strip()
        for t in texts
        for line in t.splitlines()
        if line.startswith("Tags:")
        for tag in line[5:].split(",")
    }
    assert len(tags) == 50
    body = texts[42]
    for marker in ("\n## ", "\n- ", "\n1. ", "```python", "{filename}", "https://"):
        assert marker in body
    assert sum("::: checklist" in t for t in texts) == 5
    assert sum("::: assessment" in t for t in texts) == 1
    # the same N gives the same files
    again = generate.generate(tmp_path / "again", 120)
    assert (again / "articles" / "article-0042.md").read_text() == body


def test_page_weight_counts_what_the_browser_fetches(tmp_path):
    site = tmp_path / "site"
    (site / "theme" / "css").mkdir(parents=True)
    (site / "theme" / "js").mkdir(parents=True)
    (site / "theme" / "css" / "site.css").write_text("body{background:url(../bg.svg)}")
    (site / "theme" / "bg.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (site / "theme" / "js" / "a.js").write_text('import { x } from "./b.js";\nx();')
    (site / "theme" / "js" / "b.js").write_text("export const x = () => 1;")
    (site / "index.html").write_text(
        "<!doctype html><html><head>"
        '<link rel="stylesheet" href="http://h.test/theme/css/site.css">'
        '<link rel="stylesheet" href="/theme/css/print.css" media="print">'
        '<link rel="prefetch" href="/other/">'
        '<script src="/theme/js/old.js"></script>'
        "</head><body><a href='/other/'>other</a>"
        '<script type="module" src="/theme/js/a.js"></script>'
        '<img src="https://elsewhere.test/x.png"></body></html>'
    )
    page = pages.weigh(site, "index.html", "http://h.test")
    kinds = sorted(r.kind for r in page.resources)
    assert kinds == ["css", "image", "js", "js"]
    assert page.missing == ["/theme/css/print.css", "/theme/js/old.js"]
    assert page.requests == 5
    assert page.blocking_stylesheets == 1
    assert page.blocking_scripts == 0
    assert page.html_gzip > 0 and page.total_gzip > page.html_gzip
    script = pages.assessment_script(site)
    assert script == {"path": "widgets/assessment.js", "status": "not built yet"}
    rows = pages.check_budgets({"article": page}, script)
    assert any(r["budget"] == "assessment script, gzipped" and r["met"] is None for r in rows)


@pytest.mark.parametrize("inlined", [False, True], ids=["svg file", "svg data url"])
def test_page_weight_counts_one_favicon_and_no_share_card(tmp_path, inlined):
    """A browser fetches one of the favicons offered (the SVG), not the
    apple-touch-icon or the manifest, and never the share card. An SVG
    inlined as a data: URL is no request at all (its bytes are the HTML's)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (site / "favicon-32.png").write_bytes(b"\x89PNG" + b"0" * 900)
    (site / "card.png").write_bytes(b"\x89PNG" + b"0" * 9000)
    svg = "data:image/svg+xml,%3Csvg%2F%3E" if inlined else "/favicon.svg"
    (site / "index.html").write_text(
        "<!doctype html><html><head>"
        '<meta property="og:image" content="http://h.test/card.png">'
        '<link rel="icon" href="/favicon-32.png" sizes="32x32" type="image/png">'
        f'<link rel="icon" href="{svg}" type="image/svg+xml">'
        '<link rel="apple-touch-icon" href="/apple-touch-icon.png" sizes="180x180">'
        '<link rel="manifest" href="/site.webmanifest">'
        "</head><body></body></html>"
    )
    page = pages.weigh(site, "index.html", "http://h.test")
    fetched = [] if inlined else [("icon", "http://h.test/favicon.svg")]
    assert [(r.kind, r.url) for r in page.resources] == fetched
    assert page.requests == 1 + len(fetched)
    assert page.missing == []


def checklist_articles(site) -> list[str]:
    found = [
        path.relative_to(site.output).as_posix()
        for path in sorted(site.output.glob("articles/*/index.html"))
        if "<tip-checklist" in path.read_text(encoding="utf-8")
    ]
    assert found, "the site has an article with a checklist"
    return found


@pytest.mark.parametrize("which", ["dev_site", "publish_site"])
def test_an_article_with_a_checklist_makes_at_most_five_requests(which, request):
    site = request.getfixturevalue(which)
    # The dev build links relatively, so any origin will do for it.
    siteurl = PUBLISH_SITEURL if which == "publish_site" else "http://h.test"
    limit = pages.BUDGETS["article_requests"]
    assert limit == 5
    for relative in checklist_articles(site):
        page = pages.weigh(site.output, relative, siteurl)
        fetched = sorted(r.url.rsplit("/", 1)[-1] for r in page.resources)
        assert page.missing == [], (relative, page.missing)
        # share.js (the copy-link button) needs the absolute URLs of a publish build
        expected = ["checklist.css", "checklist.js", "share.js", "site.css"]
        if which == "dev_site":
            expected.remove("share.js")
        assert fetched == expected, relative
        assert page.requests <= limit, (relative, fetched)


def test_every_bench_build_keeps_its_settings_and_its_cache_in_the_work_folder(tmp_path):
    """Pelican keeps only the last `-e` of a command line: every override
    must reach the build, CACHE_PATH included (it once did not, and the
    "site conf" builds kept a growing cache in the repository's cache/)."""
    from pelican import parse_arguments

    configs = run.build_configs(tmp_path / "plain.py")
    assert [c.name for c in configs] == ["plain", "site", "ours"]
    for config in configs:
        cache = tmp_path / f"cache-{config.name}"
        argv = run.build_command(config, tmp_path / "content", tmp_path / "out", cache)[1:]
        overrides = parse_arguments(argv).overrides
        assert overrides["CACHE_PATH"] == str(cache), config.name
        for item in config.overrides:
            name = item.split("=", 1)[0]
            assert name in overrides, (config.name, name)
    site = next(c for c in configs if c.name == "site")
    argv = run.build_command(site, tmp_path / "content", tmp_path / "out", tmp_path / "c")[1:]
    overrides = parse_arguments(argv).overrides
    assert overrides["PLUGINS"] == [] and overrides["BUILD_CACHE"] is False


def test_bench_runs_end_to_end(tmp_path):
    """`make bench` with 5 articles and one round: both builds, three ways,
    the real site's warm build and save-to-reload, the page weights, the
    tables and the files."""
    out = tmp_path / "results"
    argv = ["--articles", "5", "--repeat", "1", "--saves", "1", "--out", str(out)]
    argv += ["--search-rounds", "0"]  # Chromium: test_search_bench_in_chromium
    assert run.main(argv) == 0
    report = json.loads((out / "latest.json").read_text())
    builds = report["builds"]["builds"]
    for name in ("plain", "ours"):
        for kind in ("cold", "warm", "touch"):
            row = builds[name][kind]
            assert row["seconds"] > 0 and row["peak_rss_mb_largest_process"] > 0
    assert [t["target"] for t in report["builds"]["targets"]] == [
        "cold build, ours / plain",
        "warm rebuild, ours / plain",
        "one article changed, ours / plain",
        "real site: warm make html, seconds",
        "real site: make devserver, save to reload, seconds",
    ]
    real = report["real_site"]
    assert 0 < real["make_html"]["warm_seconds"] < 60
    assert len(real["devserver_reload"]["all_seconds"]) == 1
    assert 0 < real["devserver_reload"]["seconds"] < 60
    cache = report["builds"]["buildcache_last_build"]
    assert cache["read"] == 1 and cache["from_cache"] == 6  # 5 articles and 2 pages
    assert set(report["pages"]["pages"]) >= {"home", "article", "assessment"}
    search = report["search"]
    assert search["documents"] == 7 and search["index_gzip"] > 0
    budgets = {r["budget"]: r for r in report["pages"]["budgets"]}
    assert budgets["search index at 5 articles, gzipped"]["met"] is True
    assert budgets["search results after typing, median ms (5 articles)"]["value"] is None
    markdown = Path(out / "latest.md").read_text()
    assert "| cold (no cache) |" in markdown
    assert "## Page weight" in markdown and "## Lighthouse" in markdown
    assert "## Search (synthetic site, 5 articles)" in markdown
    assert "| search index at 5 articles, gzipped | ≤ 300.0 KB |" in markdown


def test_search_bench_in_chromium(tmp_path, browser):
    """The search part of `make bench` on a small synthetic site: the index
    loads and each query's time to results is measured in the page."""
    content = generate.generate(tmp_path / "content", 30)
    site = build_site(tmp_path / "output", PATH=str(content))
    report = search.bench_search(site.output, 30, rounds=1, log=lambda _: None, browser=browser)
    assert report["status"] == "measured" and report["documents"] == 32
    assert 0 < report["load_ms"] < 30_000
    assert 0 < report["results_ms"] < 30_000
    queries = report["queries"]
    assert queries["network"]["results"] > 20, "nearly every synthetic article says it"
    assert queries["network"]["shown"] == 20, "the first 20 are shown"
    assert queries["note 123"]["results"] == 0, "no article 123 in 30"
    assert queries["netwrok"]["results"] == queries["network"]["results"], "a typo finds"
    rows = search.budget_rows(report)
    assert [r["unit"] for r in rows] == ["B", "ms", "ms"]
    assert "| `network` |" in "\n".join(search.render_markdown(report))
