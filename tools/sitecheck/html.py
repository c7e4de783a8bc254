"""HTML gate: the Nu HTML Checker (vnu-jar from npm, run on Java) over every
built page, offline. Zero errors; warnings are not gate failures."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from urllib.parse import unquote, urlsplit

from sitecheck import REPO, GateResult, Site

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SOURCE_HINT = (
    "the line is in the built page; change the Markdown (raw HTML) under content/ "
    "or the template in theme/templates/ that writes it"
)
# (pattern in vnu's message, how to fix it)
HINTS = [
    (
        r"Bad value “\{(filename|static|attach)\}",
        "Pelican did not find the target of this {filename}/{static} link: fix the path "
        "in the Markdown source (relative to the Markdown file, or to content/ when it "
        "starts with /)",
    ),
    (
        r"Duplicate ID",
        "ids must be unique on a page: rename one of them (two headings with the same "
        "text get the same id; reword one, or give it its own {#id})",
    ),
    (
        r"Stray end tag",
        "remove the extra closing tag, or add the opening tag it was meant to close; "
        + SOURCE_HINT,
    ),
    (
        r"Unclosed element|End tag .* seen, but there were open elements",
        "close the element that is still open; " + SOURCE_HINT,
    ),
    (
        r"not allowed as child of element",
        "move the element where HTML allows it (e.g. no <div> inside <p>, no block "
        "inside <a> in a list of links); " + SOURCE_HINT,
    ),
    (r"must have an “alt” attribute", 'add alt text: alt="" when the image is decoration'),
    (r"Attribute .* not allowed on element", "remove the attribute or use a data-* attribute"),
]


def hint(message: str) -> str:
    for pattern, fix in HINTS:
        if re.search(pattern, message):
            return fix
    return "fix the markup at that line; " + SOURCE_HINT


def java_command() -> str | None:
    return shutil.which(os.environ.get("JAVA") or "java")


def check(site: Site) -> GateResult:
    result = GateResult("html")
    pages = site.html_files()
    result.checked = f"{len(pages)} HTML files with the Nu HTML Checker"
    java = java_command()
    if not java:
        result.add(
            ".",
            "Java is not installed, so the Nu HTML Checker cannot run",
            "apt-get install default-jre-headless (.ci/run does this in CI), "
            "or set JAVA=/path/to/java",
        )
        return result
    if not VNU_JAR.is_file():
        result.add(
            ".",
            f"the Nu HTML Checker is missing ({VNU_JAR.relative_to(REPO)})",
            "run `make install` (npm ci installs the pinned vnu-jar)",
        )
        return result
    if not pages:
        result.add(".", "no HTML files to check", "build the site first")
        return result

    proc = subprocess.run(
        [
            java,
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            "--skip-non-html",
            str(site.root),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        messages = json.loads(proc.stdout)["messages"]
    except (ValueError, KeyError):
        result.add(
            ".",
            f"the Nu HTML Checker failed (exit {proc.returncode}): "
            f"{(proc.stderr or proc.stdout).strip()[:500]}",
            "run `java -jar node_modules/vnu-jar/build/dist/vnu.jar --version` to see why",
        )
        return result

    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        path = unquote(urlsplit(message.get("url", "")).path)
        where = site.rel(path) if path else "."
        line = message.get("lastLine") or message.get("firstLine")
        if line:
            where += f":{line}"
            column = message.get("firstColumn") or message.get("lastColumn")
            if column:
                where += f":{column}"
        text = message.get("message", "").strip()
        extract = " ".join(message.get("extract", "").split())
        if extract:
            text += f" (near “{extract[:80]}”)"
        result.add(where, text, hint(message.get("message", "")))
    return result
