"""Check a built site's internal links: every URL that stays on the site must
reach a file, and every #fragment must match an id on the page it targets.

    from linkcheck import broken_links
    assert broken_links(site.output, site.settings["SITEURL"]) == []

Links to other hosts and non-web schemes (mailto:, tel:, data:) are not
followed: this is about the site holding together, not about the internet.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that make the browser fetch or navigate to a URL.
LINK_ATTRIBUTES = ("href", "src", "poster")
WEB_SCHEMES = ("http", "https")
# Pelican placeholders that should have been replaced by real URLs; a missing
# {filename} target leaves them in the output (sometimes percent-encoded).
LEFTOVER = re.compile(
    r"(?:\{|%7B)(?:filename|static|attach|index|tag|category|author)(?:\}|%7D)",
    re.IGNORECASE,
)
# The HTML standard scrolls to the top for an empty fragment or "#top", even
# without an element of that id.
TOP_FRAGMENTS = {"", "top"}


@dataclass(frozen=True)
class Target:
    """Where an internal URL leads: a file relative to the output folder (with
    index.html filled in for directory URLs) and the decoded fragment."""

    path: str
    fragment: str
    problem: str = ""


@dataclass(frozen=True)
class BrokenLink:
    page: str
    url: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url!r} {self.problem}"


@dataclass
class _Scan(HTMLParser):
    """The link URLs and fragment targets of one page (self-contained, so the
    checker depends on nothing but the standard library)."""

    urls: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").strip()
            if not value:
                continue
            if name in LINK_ATTRIBUTES:
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)

    handle_startendtag = handle_starttag


def scan(html: str) -> _Scan:
    page = _Scan()
    page.feed(html)
    page.close()
    return page


def page_urls(html: str) -> list[str]:
    """Every link URL in a page: href, src, poster and each srcset candidate."""
    return scan(html).urls


def resolve(output: Path, page: str, url: str, siteurl: str = "") -> Target | None:
    """Resolve `url`, found on `page` (a path relative to `output`), inside the
    built site. Returns None when the URL leaves the site: another host, or a
    scheme such as mailto:. `siteurl` is the site's SITEURL; absolute URLs on
    its host (and root-relative ones) must stay under its path."""
    parts = urlsplit(url)
    fragment = unquote(parts.fragment)
    site = urlsplit(siteurl)
    root = site.path.rstrip("/")
    if parts.scheme and parts.scheme.lower() not in WEB_SCHEMES:
        return None
    if parts.netloc:
        if not site.netloc or parts.netloc.lower() != site.netloc.lower():
            return None  # another host (or a dev build, where every link is relative)
        absolute = True
    else:
        absolute = parts.path.startswith("/")

    raw_path = unquote(parts.path)
    if absolute:
        if raw_path != root and not raw_path.startswith(root + "/"):
            return Target("", fragment, f"points outside the site root {root or '/'}")
        relative = raw_path[len(root) :].lstrip("/")
    elif not raw_path:
        return Target(page, fragment)  # "#fragment" or "?query": this very page
    else:
        relative = posixpath.join(posixpath.dirname(page), raw_path)

    wants_directory = raw_path.endswith("/") or raw_path.endswith("/.") or raw_path in (".", "..")
    normal = posixpath.normpath(relative) if relative else "."
    if normal == ".." or normal.startswith("../"):
        return Target("", fragment, "climbs above the site root")
    target = output / normal
    if target.is_dir():
        return Target(posixpath.join(normal, "index.html").removeprefix("./"), fragment)
    if wants_directory:
        return Target(normal, fragment, "is a directory URL, but no such directory was built")
    return Target(normal, fragment)


@cache
def _ids(path: Path, mtime: float) -> frozenset[str]:
    return frozenset(scan(path.read_text(encoding="utf-8")).ids)


def ids_on(path: Path) -> frozenset[str]:
    """The ids a fragment can point at on a built page (plus legacy <a name>)."""
    return _ids(path, path.stat().st_mtime)


def link_problem(output: Path, page: str, url: str, siteurl: str = "") -> str:
    """Why `url` on `page` is broken, or "" when it is fine or leaves the site."""
    target = resolve(output, page, url, siteurl)
    if target is None:
        return ""
    if target.problem:
        return target.problem
    file = output / target.path
    if not file.is_file():
        return f"-> {target.path}: no such file in the built site"
    fragment = target.fragment
    if fragment.lower() in TOP_FRAGMENTS or fragment in ids_on(file):
        return ""
    return f"-> {target.path}: no element with id {fragment!r}"


def broken_links(output: Path, siteurl: str = "") -> list[BrokenLink]:
    """Every broken internal link in every built HTML page under `output`, and
    every Pelican placeholder ({filename} and friends) left in the output."""
    broken = []
    for file in sorted(output.rglob("*.html")):
        page = file.relative_to(output).as_posix()
        html = file.read_text(encoding="utf-8")
        for leftover in sorted(set(LEFTOVER.findall(html))):
            broken.append(BrokenLink(page, leftover, "is an unresolved Pelican placeholder"))
        for url in page_urls(html):
            if LEFTOVER.search(url):
                continue  # already reported above
            problem = link_problem(output, page, url, siteurl)
            if problem:
                broken.append(BrokenLink(page, url, problem))
    return broken


def links_from(output: Path, page: str, html: str, siteurl: str = "") -> set[str]:
    """The built files (relative to `output`) that the links in `html`, a page
    or a fragment of `page`, lead to; links that leave the site are left out."""
    targets = set()
    for url in page_urls(html):
        target = resolve(output, page, url, siteurl)
        if target is not None and not target.problem:
            targets.add(target.path)
    return targets
