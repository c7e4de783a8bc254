"""Helpers for the assessment tests.

Not a conftest.py on purpose: a second conftest.py would take over the module
name `conftest` that tests/ files import from.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from pelican.plugins.assessment.errors import AssessmentError
from pelican.plugins.assessment.parser import parse
from pelican.plugins.assessment.validate import check

from conftest import write_content  # noqa: F401 (the tests import it from here)

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
PLUGINS_DIR = REPO / "plugins"
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
VECTORS = HERE / "vectors.json"
SITE_PAGE = REPO / "content" / "pages" / "networking-habits-assessment.md"


def load(text: str, path: str = "test.md"):
    """Parse and validate the first assessment in ``text``."""
    text = textwrap.dedent(text).lstrip("\n")
    [a] = parse(text, path)
    check(a)
    return a


def error_for(text: str, path: str = "test.md") -> AssessmentError:
    """The AssessmentError that ``text`` raises (fails if it raises none)."""
    text = textwrap.dedent(text).lstrip("\n")
    try:
        for a in parse(text, path):
            check(a)
    except AssessmentError as exc:
        return exc
    raise AssertionError("expected an AssessmentError, got none")


OVERALL = """\
## Overall
### 0-49 Low
Low verdict.
### 50-100 High
High verdict.
:::
"""


def case(head: str, body: str = "## Alpha\n- One.\n- Two.\n", overall: str = OVERALL):
    """An assessment: opening line, ``head`` (options), a blank line, ``body``
    (dimensions) from line 5 on, then ``overall``."""
    return f"::: assessment t\n{head}\n\n{body}\n{overall}"


def small_source() -> str:
    return (FIXTURES / "small.md").read_text(encoding="utf-8")


def page(title: str, slug: str, body: str, summary: str = "A test page.") -> str:
    body = textwrap.dedent(body).strip()
    return f"Title: {title}\nSlug: {slug}\nSummary: {summary}\n\n{body}\n"


def article(title: str, slug: str, body: str, summary: str | None = None) -> str:
    body = textwrap.dedent(body).strip()
    head = f"Title: {title}\nSlug: {slug}\nDate: 2026-10-01 09:00\nCategory: Tests\n"
    if summary:
        head += f"Summary: {summary}\n"
    return f"{head}\n{body}\n"


def build(output: Path, content: Path | None = None, *, publish: bool = False, **override):
    """Build a site in-process with the assessment plugin on (conftest's
    build_site); ``content`` defaults to the real content folder."""
    from conftest import build_site

    settings = {
        "PATH": str(content or REPO / "content"),
        "PLUGIN_PATHS": [str(PLUGINS_DIR)],
        "PLUGINS": ["assessment"],
        "THEME": str(REPO / "theme"),
        **override,
    }
    return build_site(
        output, publish=publish, siteurl="https://career-exercise.example", **settings
    )
