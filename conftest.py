"""Shared fixtures: build the site with Pelican in a temporary folder, serve a
built folder on 127.0.0.1, and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import logging
import os
import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# One definition of the browser and of axe, shared with the publishing gates.
from sitecheck.a11y import AXE_SCRIPT, AXE_TAGS, CHROMIUM, CHROMIUM_ARGS
from sitecheck.localserver import LocalServer
from sitecheck.localserver import serve as serve_folder

REPO = Path(__file__).resolve().parent
# The publish tests need a host to check absolute URLs against.
PUBLISH_SITEURL = "https://coach.example.org/site"


# `make test-fast` leaves out what needs Chromium or Java (and the slow whole
# publish runs that need both): `pytest -m "not browser and not java"`.
BROWSER_FIXTURES = {"browser", "page", "axe_page"}
JAVA_FIXTURES = {"java", "published"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        params = getattr(getattr(item, "callspec", None), "params", {})
        if names & JAVA_FIXTURES or params.get("gate") == "html":
            item.add_marker(pytest.mark.java)


@dataclass
class BuiltSite:
    """A finished Pelican run: where it wrote, and what it logged."""

    output: Path
    settings: dict
    records: list[logging.LogRecord] = field(default_factory=list)

    def problems(self, level: int = logging.WARNING) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno >= level]

    def html_files(self) -> list[Path]:
        return sorted(self.output.rglob("*.html"))

    def read(self, relative: str) -> str:
        return (self.output / relative).read_text(encoding="utf-8")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def build_site(
    output: Path,
    *,
    publish: bool = False,
    siteurl: str = PUBLISH_SITEURL,
    **override,
) -> BuiltSite:
    """Build the site the way `make html` (or `make publish`) would, in-process.

    Settings files are read from the repository; `override` replaces settings,
    e.g. PATH to build a fixture content folder with the real theme. When the
    build raises, the exception carries the BuiltSite as `exc.build`.
    """
    from pelican import Pelican
    from pelican.settings import read_settings

    conf = REPO / ("publishconf.py" if publish else "pelicanconf.py")
    old_cwd = os.getcwd()
    old_siteurl = os.environ.get("SITEURL")
    os.chdir(REPO)  # the settings files use paths relative to the repository
    if publish:
        os.environ["SITEURL"] = siteurl
    collector = _Collect()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        settings = read_settings(
            str(conf),
            override={
                "OUTPUT_PATH": str(output),
                "CACHE_PATH": str(output.parent / f"{output.name}-cache"),
                **override,
            },
        )
        built = BuiltSite(output=output, settings=settings, records=collector.records)
        try:
            Pelican(settings).run()
        except Exception as exc:
            exc.build = built  # what was logged before the failure, for the test
            raise
    finally:
        root.removeHandler(collector)
        os.chdir(old_cwd)
        if publish:
            if old_siteurl is None:
                os.environ.pop("SITEURL", None)
            else:
                os.environ["SITEURL"] = old_siteurl
    return built


@pytest.fixture(scope="session")
def dev_site(tmp_path_factory) -> BuiltSite:
    """The real site, built with pelicanconf.py."""
    return build_site(tmp_path_factory.mktemp("dev") / "output")


@pytest.fixture(scope="session")
def publish_site(tmp_path_factory) -> BuiltSite:
    """The real site, built with publishconf.py."""
    return build_site(tmp_path_factory.mktemp("publish") / "output", publish=True)


SMALL_SITE = REPO / "tests" / "fixtures" / "small-site"


@pytest.fixture(scope="session")
def small_site(tmp_path_factory):
    return build_site(
        tmp_path_factory.mktemp("small") / "output", PATH=str(SMALL_SITE), DEFAULT_PAGINATION=2
    )


@pytest.fixture(scope="session")
def small_site_published(tmp_path_factory):
    return build_site(
        tmp_path_factory.mktemp("small-pub") / "output",
        publish=True,
        PATH=str(SMALL_SITE),
        DEFAULT_PAGINATION=2,
    )


def serve(root: Path) -> Iterator[LocalServer]:
    """For fixtures: ``yield from serve(folder)`` serves it while in use."""
    with serve_folder(root) as server:
        yield server


@pytest.fixture(scope="session")
def dev_server(dev_site) -> Iterator[LocalServer]:
    """The dev build served on 127.0.0.1, as `make serve` would."""
    yield from serve(dev_site.output)


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must run them")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageWatch:
    """What a page did that a reader would not want: errors and outside requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        from urllib.parse import urlsplit

        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).hostname != "127.0.0.1"
        ]


@pytest.fixture
def page(browser):
    """A fresh browser context and page that records console errors, uncaught
    exceptions and every request, and blocks requests that leave 127.0.0.1."""
    context = browser.new_context()
    watch = PageWatch()

    def route(route):
        from urllib.parse import urlsplit

        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on(
        "console",
        lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
    page.on("request", lambda request: watch.requests.append(request.url))
    page.watch = watch
    yield page
    context.close()


def write_content(root: Path, files: dict[str, str]) -> Path:
    """Write a content folder: {relative path: text (dedented)}."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


# What a widget must survive finding in its localStorage key: not JSON, or
# JSON of the wrong type. Each widget's tests add their own wrong shapes.
CORRUPT_STORAGE = ["{not json", "null", "5", '"text"']


def copy_tree(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def run_axe(page) -> list[dict]:
    """Run axe-core (from the pinned npm package, never a CDN) on the page and
    return its violations, each trimmed to what a failure message needs.

    The page's CSP forbids injected scripts, so the browser context must be
    created with bypass_csp=True (see the `axe_page` fixture)."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make install` (npm ci)")
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


@pytest.fixture(params=["light", "dark"])
def axe_page(request, browser):
    """A page in a context that lets axe-core in, once per colour scheme."""
    context = browser.new_context(bypass_csp=True, color_scheme=request.param)
    page = context.new_page()
    page.color_scheme = request.param
    yield page
    context.close()


# Init scripts for browser tests: storage as private mode blocks it, and as a
# full quota refuses writes. Pages must keep working with either.
BLOCKED_STORAGE = """
Object.defineProperty(window, "localStorage", {
  configurable: true,
  get() { throw new DOMException("The operation is insecure.", "SecurityError"); },
});
"""
FULL_STORAGE = """
Storage.prototype.setItem = function () {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
};
"""
