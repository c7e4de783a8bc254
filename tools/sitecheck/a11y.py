"""Accessibility gate: axe-core (the pinned npm package, never a CDN) in
Debian's Chromium, with the WCAG 2.2 AA tags and best-practice, in light and
dark colour schemes, on one page of each kind: the home page, the newest
article, a tag page, the assessment page, a checklist page and the search
page (TEMPLATE_PAGES' search.html).

The folder is served on 127.0.0.1; requests for the site's own absolute URLs
(a publish build links to SITEURL/...) are answered from the folder, and
anything else is blocked, so the pages look exactly as published. A page kind
the site does not have is reported as skipped, never silently.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from sitecheck import REPO, GateResult, Site
from sitecheck.localserver import serve
from sitecheck.pages import parse_page

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = REPO / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 AA as axe tags it, plus best practices; axe leaves target-size
# (a 2.2 AA rule) off unless wcag22aa is asked for.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SCHEMES = ["light", "dark"]
ASSESSMENT_SLUG = "networking-habits-assessment"


def _save_as_glob(pattern: str) -> str:
    """A *_SAVE_AS pattern as a glob: articles/{slug}/index.html -> articles/*/index.html."""
    glob = re.sub(r"\{[^}]*\}", "*", pattern)
    return re.sub(r"\*+", "*", glob)


def _first_containing(site: Site, marker: str) -> str | None:
    for path in site.html_files():
        if marker in path.read_text(encoding="utf-8"):
            return site.rel(path)
    return None


def newest_article(site: Site) -> str | None:
    pattern = site.settings.get("ARTICLE_SAVE_AS", "articles/{slug}/index.html")
    dated = []
    for path in sorted(site.root.glob(_save_as_glob(pattern))):
        published = parse_page(path.read_text(encoding="utf-8")).meta("article:published_time")
        if published:
            dated.append((published, site.rel(path)))
    return max(dated)[1] if dated else None


def pages_to_check(site: Site) -> tuple[dict[str, str], list[str]]:
    """{kind: relative path} of the pages to test, and notes on kinds skipped."""
    found: dict[str, str | None] = {}
    found["home page"] = "index.html" if (site.root / "index.html").is_file() else None
    found["newest article"] = newest_article(site)
    tag_pattern = site.settings.get("TAG_SAVE_AS", "tag/{slug}/index.html")
    tags = sorted(site.root.glob(_save_as_glob(tag_pattern)))
    found["tag page"] = site.rel(tags[0]) if tags else None
    page_pattern = site.settings.get("PAGE_SAVE_AS", "{slug}/index.html")
    assessment = page_pattern.replace("{slug}", ASSESSMENT_SLUG)
    if not (site.root / assessment).is_file():
        assessment = _first_containing(site, "<habit-assessment")
    found["assessment page"] = assessment
    found["checklist page"] = _first_containing(site, "<tip-checklist")
    search = (site.settings.get("TEMPLATE_PAGES") or {}).get("search.html")
    found["search page"] = search if search and (site.root / search).is_file() else None
    pages = {kind: path for kind, path in found.items() if path}
    notes = [f"{kind}: skipped (not in this site)" for kind, path in found.items() if not path]
    return pages, notes


@contextlib.contextmanager
def launch_browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _router(site: Site, local: str):
    """Serve the site's own absolute URLs from the folder; block other hosts."""
    siteurl = site.siteurl

    def route(route):
        url = route.request.url
        if url.startswith(local + "/") or url == local:
            route.continue_()
        elif siteurl and (url == siteurl or url.startswith(siteurl + "/")):
            response = route.fetch(url=local + url[len(siteurl) :])
            route.fulfill(response=response)
        elif urlsplit(url).scheme in ("data", "blob"):
            route.continue_()
        else:
            route.abort()

    return route


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page (its context must bypass the CSP)."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return result["violations"]


def check(
    site: Site,
    browser=None,
    pages: dict[str, str] | None = None,
    schemes: list[str] | None = None,
) -> GateResult:
    """Run axe on `pages` ({kind: path}; default: one of each kind) in each
    colour scheme. Pass `browser` to reuse a running Playwright browser."""
    result = GateResult("a11y")
    if pages is None:
        pages, notes = pages_to_check(site)
        result.notes += notes
    schemes = schemes or SCHEMES
    if not AXE_SCRIPT.is_file():
        result.add(".", f"{AXE_SCRIPT.relative_to(REPO)} is missing", "run `make install` (npm ci)")
        return result
    if browser is None and not CHROMIUM.exists():
        result.add(
            ".",
            f"Chromium is not installed at {CHROMIUM}",
            "apt-get install chromium (.ci/run does this), or set CHROMIUM=/path/to/chromium",
        )
        return result

    with contextlib.ExitStack() as stack:
        if browser is None:
            browser = stack.enter_context(launch_browser())
        local = stack.enter_context(serve(site.root)).url
        for scheme in schemes:
            context = browser.new_context(bypass_csp=True, color_scheme=scheme)
            stack.callback(context.close)
            context.route("**/*", _router(site, local))
            page = context.new_page()
            failed: list[str] = []
            page.on("requestfailed", lambda request, failed=failed: failed.append(request.url))
            page.on(
                "response",
                lambda response, failed=failed: (
                    failed.append(response.url) if response.status >= 400 else None
                ),
            )
            for kind, relative in pages.items():
                path = re.sub(r"(^|/)index\.html$", r"\1", relative)
                failed.clear()
                response = page.goto(f"{local}/{path}", wait_until="load")
                if response is None or not response.ok:
                    status = response.status if response else "no response"
                    result.add(relative, f"{kind} did not load ({status})", "build the site first")
                    continue
                # axe on a page without its stylesheet or scripts proves nothing
                for url in sorted(set(failed)):
                    result.add(
                        f"{relative} ({kind}, {scheme})",
                        f"{url} did not load while testing (missing, or on another host)",
                        "every file a page needs must be in the site: see the links and "
                        "privacy gates",
                    )
                for violation in axe_violations(page):
                    nodes = violation["nodes"]
                    targets = ", ".join(" ".join(n["target"]) for n in nodes[:3])
                    more = f" and {len(nodes) - 3} more" if len(nodes) > 3 else ""
                    summary = " ".join((nodes[0].get("failureSummary") or "").split())
                    result.add(
                        f"{relative} ({kind}, {scheme})",
                        f"{violation['id']} ({violation['impact']}): {violation['help']} "
                        f"— at {targets}{more}",
                        f"{summary} See {violation['helpUrl']}",
                    )
    result.checked = f"{len(pages)} pages × {len(schemes)} colour schemes: " + ", ".join(
        pages.values()
    )
    return result
