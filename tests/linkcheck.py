"""Where a built page's links lead, for content tests such as "the home page
links to the assessment". Whether every link resolves is the links gate's job
(tools/sitecheck/links.py, lychee); this only maps URLs to built files.

Links to other hosts and non-web schemes (mailto:, tel:, data:) are left out.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that make the browser fetch or navigate to a URL.
LINK_ATTRIBUTES = ("href", "src", "poster")
WEB_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Target:
    """Where an internal URL leads: a file relative to the output folder (with
    index.html filled in for directory URLs) and the decoded fragment."""

    path: str
    fragment: str
    problem: str = ""


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


def links_from(output: Path, page: str, html: str, siteurl: str = "") -> set[str]:
    """The built files (relative to `output`) that the links in `html`, a page
    or a fragment of `page`, lead to; links that leave the site are left out."""
    targets = set()
    for url in page_urls(html):
        target = resolve(output, page, url, siteurl)
        if target is not None and not target.problem:
            targets.add(target.path)
    return targets
