"""Helpers shared by the checklist tests; the fixtures and site builder come
from the repository's conftest.py."""

from __future__ import annotations

import textwrap
from html.parser import HTMLParser
from pathlib import Path

from conftest import (  # noqa: F401 (re-exported for the checklist tests)
    BLOCKED_STORAGE,
    FULL_STORAGE,
    PUBLISH_SITEURL,
    build_site,
    run_axe,
    serve,
    write_content,
)

REPO = Path(__file__).resolve().parents[3]
PLUGINS = ["checklist"]


def build(tmp: Path, files: dict[str, str], **settings):
    """Build `files` as a site's whole content with the checklist plugin on."""
    content = write_content(tmp / "content", files)
    settings.setdefault("PLUGINS", PLUGINS)
    return build_site(tmp / "output", PATH=str(content), **settings)


def page(title: str, slug: str, body: str, *, summary: str = "A fixture page.") -> str:
    return f"Title: {title}\nSlug: {slug}\nSummary: {summary}\n\n{textwrap.dedent(body).strip()}\n"


def article(title: str, slug: str, body: str, *, date: str = "2026-09-14 08:00") -> str:
    return (
        f"Title: {title}\nSlug: {slug}\nDate: {date}\nCategory: Habits\n"
        f"Summary: A fixture article.\n\n{textwrap.dedent(body).strip()}\n"
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """(tag, attributes) of every start tag, in document order."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.found


def csp_problems(html: str) -> list[str]:
    """What a strict Content-Security-Policy would block or the site forbids:
    inline scripts, on* handlers, style attributes."""
    problems = []
    for tag, attrs in tags(html):
        if tag == "script" and "src" not in attrs:
            problems.append("inline <script>")
        problems += [f"<{tag} {name}=...>" for name in attrs if name.startswith("on")]
        if "style" in attrs:
            problems.append(f"<{tag} style=...>")
    return problems


def html5_errors(html: str) -> list[str]:
    import html5lib

    parser = html5lib.HTMLParser(strict=False)
    parser.parse(html)
    return [f"line {pos[0]} col {pos[1]}: {code} {data}" for pos, code, data in parser.errors]
