"""Page weight: what a reader downloads for one page of a built site.

For a page: the HTML, then everything it makes the browser fetch before it
is usable: stylesheets (and their @import and url() files), scripts (and
the modules they import statically), images and the icon (one: of the
favicons offered, the one a browser picks). A data: URL (the theme inlines
its SVG icon as one) is no request: its bytes are in the HTML, counted
there. Links to other pages, prefetch
and preload hints, feeds, the canonical URL, the apple-touch-icon and the
manifest (fetched when a reader saves the page to a home screen) and the
share card (fetched by sharing sites) are not fetched. Each file is gzipped
at level 9 (what a static host with compression sends, give or take a few
bytes) and counted once. Requests
count every fetched file, the HTML included.

Render-blocking: a stylesheet link in <head> without a non-screen media
query, and a classic script in <head> without defer or async. Module scripts
never block. A stylesheet a widget links from inside its own element (in
<body>, so the plugin works in any theme) holds back only what follows it,
never the first paint: it is counted, not called render-blocking.
"""

from __future__ import annotations

import gzip
import posixpath
import re
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

GZIP_LEVEL = 9

# Budgets from the issue, for one article.
BUDGETS = {
    "article_html_gzip": 14 * 1024,
    "article_total_gzip": 40 * 1024,
    # HTML, site.css, share.js (the copy-link button), and for a page with
    # a checklist its own checklist.css and checklist.js: widgets ship their
    # own files so that they work in any theme, and the build folds the
    # widget core into each widget's script
    # (plugins/widget_blocks/pelican_widget_blocks/bundle.py). The icon is
    # no request: the theme inlines its SVG as a data: URL in the HTML.
    "article_requests": 5,
    # The published assessment.js, which carries the shared core: the
    # helpers count once, inside it.
    "assessment_script_gzip": 6 * 1024,
    "assessment_total_gzip": 30 * 1024,
    "render_blocking_stylesheets": 1,
    "render_blocking_scripts": 0,
}

CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""")
JS_IMPORT = re.compile(
    r"""(?:^|[;\s])import\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)""",
    re.M,
)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


@dataclass
class Resource:
    url: str
    kind: str
    bytes: int
    gzip: int
    blocking: bool = False


@dataclass
class PageWeight:
    name: str
    path: str
    html_bytes: int
    html_gzip: int
    resources: list[Resource] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return 1 + len(self.resources)

    def gzip_of(self, kind: str) -> int:
        return sum(r.gzip for r in self.resources if r.kind == kind)

    @property
    def total_gzip(self) -> int:
        return self.html_gzip + sum(r.gzip for r in self.resources)

    @property
    def blocking_stylesheets(self) -> int:
        return sum(1 for r in self.resources if r.blocking and r.kind == "css")

    @property
    def blocking_scripts(self) -> int:
        return sum(1 for r in self.resources if r.blocking and r.kind == "js")

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(
            requests=self.requests,
            css_gzip=self.gzip_of("css"),
            js_gzip=self.gzip_of("js"),
            other_gzip=self.gzip_of("image") + self.gzip_of("icon") + self.gzip_of("font"),
            total_gzip=self.total_gzip,
            blocking_stylesheets=self.blocking_stylesheets,
            blocking_scripts=self.blocking_scripts,
        )
        return data


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, bool]] = []  # (url, kind, blocking)
        self.icons: list[tuple[str, str]] = []  # (url, type) of rel=icon links
        self.in_head = False

    def icon(self) -> str | None:
        """The one favicon a browser uses of those offered: the SVG (every
        current engine reads it; the PNG beside it, sized 32x32, is for
        those that do not), else the first. A data: URL is not fetched."""
        svg = [url for url, kind in self.icons if kind == "image/svg+xml"]
        return (svg or [url for url, _ in self.icons] or [None])[0]

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        if tag == "link":
            rel = set(a.get("rel", "").lower().split())
            href = a.get("href")
            if not href:
                return
            if "stylesheet" in rel:
                media = a.get("media", "all").strip().lower()
                screen = media in ("", "all", "screen") and "disabled" not in a
                blocking = screen and self.in_head
                self.refs.append((href, "css", blocking))
            elif "icon" in rel:
                self.icons.append((href, a.get("type", "").lower()))
        elif tag == "script" and a.get("src"):
            module = a.get("type", "").lower() == "module"
            blocking = self.in_head and not module and "defer" not in a and "async" not in a
            self.refs.append((a["src"], "js", blocking))
        elif tag == "img" and a.get("src"):
            self.refs.append((a["src"], "image", False))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def _local(url: str, page_url: str, site_root: Path, siteurl: str) -> Path | None:
    """The built file for a URL, or None when it is on another host."""
    absolute = urljoin(page_url, url)
    parts = urlsplit(absolute)
    base = urlsplit(siteurl + "/")
    if parts.scheme in ("data", "blob"):
        return None
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = parts.path
    if not path.startswith(base.path):
        return None
    rel = posixpath.normpath(path[len(base.path) :]) if path != base.path else ""
    target = site_root / rel
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def weigh(site_root: Path, relative: str, siteurl: str, name: str | None = None) -> PageWeight:
    """Weigh the page at `relative` (e.g. "index.html") of a build whose
    absolute URLs start with `siteurl`."""
    site_root = Path(site_root)
    html_path = site_root / relative
    data = html_path.read_bytes()
    page = PageWeight(name or relative, relative, len(data), gz(data))
    page_url = urljoin(siteurl + "/", relative)
    parser = _Refs()
    parser.feed(data.decode("utf-8", "replace"))
    queue = [(url, kind, blocking, page_url) for url, kind, blocking in parser.refs]
    if parser.icon():
        queue.append((parser.icon(), "icon", False, page_url))
    seen: set[Path] = set()
    while queue:
        url, kind, blocking, base_url = queue.pop(0)
        target = _local(url, base_url, site_root, siteurl)
        if target is None:
            continue
        if target in seen:
            continue
        seen.add(target)
        if not target.is_file():
            page.missing.append(url)
            continue
        body = target.read_bytes()
        absolute = urljoin(base_url, url)
        page.resources.append(Resource(absolute, kind, len(body), gz(body), blocking))
        text = body.decode("utf-8", "replace")
        if kind == "css":
            for found in CSS_IMPORT.findall(text):
                queue.append((found, "css", blocking, absolute))
            for _q, found in CSS_URL.findall(text):
                if not found.startswith(("data:", "#")):
                    sub = "font" if found.split("?")[0].endswith((".woff2", ".woff")) else "image"
                    queue.append((found, sub, False, absolute))
        elif kind == "js":
            for a, b in JS_IMPORT.findall(text):
                queue.append((a or b, "js", False, absolute))
    return page


def find_pages(site_root: Path) -> dict[str, str | None]:
    """The home page, the newest article (the first one the home page links
    to) and the page with the self-assessment, as paths in the build."""
    site_root = Path(site_root)
    found: dict[str, str | None] = {"home": "index.html", "article": None, "assessment": None}
    home = (site_root / "index.html").read_text(encoding="utf-8")
    for match in re.finditer(r'href="([^"]*?/articles/[^"#]+)"', home):
        slug_path = urlsplit(match.group(1)).path
        i = slug_path.find("articles/")
        candidate = slug_path[i:].rstrip("/") + "/index.html"
        if (site_root / candidate).is_file():
            found["article"] = candidate
            break
    for html in sorted(site_root.rglob("index.html")):
        if "<habit-assessment" in html.read_text(encoding="utf-8"):
            found["assessment"] = html.relative_to(site_root).as_posix()
            break
    return found


def assessment_script(site_root: Path) -> dict:
    script = Path(site_root) / "widgets" / "assessment.js"
    if not script.is_file():
        return {"path": "widgets/assessment.js", "status": "not built yet"}
    body = script.read_bytes()
    return {
        "path": "widgets/assessment.js",
        "status": "built",
        "bytes": len(body),
        "gzip": gz(body),
    }


def heaviest_article(site_root: Path, siteurl: str) -> PageWeight | None:
    heaviest = None
    for html in sorted((Path(site_root) / "articles").glob("*/index.html")):
        weight = weigh(site_root, html.relative_to(site_root).as_posix(), siteurl)
        if heaviest is None or weight.total_gzip > heaviest.total_gzip:
            heaviest = weight
    return heaviest


def check_budgets(pages: dict[str, PageWeight], script: dict) -> list[dict]:
    """One row per budget: what it is, the limit, the measure, met or not."""
    rows = []

    def row(what, limit, value, unit="B"):
        rows.append(
            {
                "budget": what,
                "limit": limit,
                "value": value,
                "unit": unit,
                "met": None if value is None else value <= limit,
            }
        )

    article = pages.get("article")
    worst = pages.get("heaviest article")
    for label, page in (("newest article", article), ("heaviest article", worst)):
        if page is None:
            continue
        row(f"{label}: HTML, gzipped", BUDGETS["article_html_gzip"], page.html_gzip)
        row(f"{label}: everything, gzipped", BUDGETS["article_total_gzip"], page.total_gzip)
        row(f"{label}: requests", BUDGETS["article_requests"], page.requests, "")
    assessment = pages.get("assessment")
    if assessment is not None:
        row(
            "assessment page: everything, gzipped",
            BUDGETS["assessment_total_gzip"],
            assessment.total_gzip,
        )
    row(
        "assessment script, gzipped",
        BUDGETS["assessment_script_gzip"],
        script.get("gzip"),
    )
    for name, page in pages.items():
        row(
            f"{name}: render-blocking stylesheets",
            BUDGETS["render_blocking_stylesheets"],
            page.blocking_stylesheets,
            "",
        )
        row(
            f"{name}: render-blocking scripts",
            BUDGETS["render_blocking_scripts"],
            page.blocking_scripts,
            "",
        )
    return rows
