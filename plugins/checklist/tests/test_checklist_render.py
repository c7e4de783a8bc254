"""The widget's HTML, compared with golden files, and the feed's plain list.

Regenerate the golden files after an intended markup change with
    CHECKLIST_REGEN_GOLDEN=1 .venv/bin/pytest plugins/checklist/tests/test_checklist_render.py
and review the diff before committing (checklist.js reads this markup).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from checklist_support import csp_problems, html5_errors, tags
from pelican.plugins.checklist.parse import parse_text
from pelican.plugins.checklist.render import render, render_feed

GOLDEN = Path(__file__).parent / "golden"
SOURCES = {
    "standard": """\
::: checklist resume-ready
title: Keep your "resume" ready & current
- [ ] Update your resume with this quarter's results
- [ ] Ask the HR team what a [strong profile]({filename}profile.md) looks like
- [ ] Save a *one-page* version, named `resume-short.pdf`
:::
""",
    "weekly": """\
::: checklist career-exercise-week weekly
title: This week's career exercise
- [ ] Reach out to one contact
- [ ] Say yes to a coffee
:::
""",
}


def widget(name: str) -> str:
    (block,) = parse_text(SOURCES[name], f"{name}.md")
    return render(block) + "\n"


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_widget_matches_golden_html(name):
    golden = GOLDEN / f"{name}.html"
    html = widget(name)
    if os.environ.get("CHECKLIST_REGEN_GOLDEN"):
        golden.write_text(html, encoding="utf-8")
    assert html == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if intended, regenerate (see this file's docstring)"
    )


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_widget_is_valid_strict_csp_html(name):
    html = widget(name)
    document = (
        f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{html}</body></html>'
    )
    assert html5_errors(document) == []
    assert csp_problems(html) == []
    found = tags(html)
    boxes = [attrs for tag, attrs in found if tag == "input"]
    labels = {attrs["for"] for tag, attrs in found if tag == "label"}
    assert boxes and all(box["type"] == "checkbox" for box in boxes)
    assert {box["id"] for box in boxes} == labels, "every box has its label"
    ids = [attrs["id"] for _, attrs in found if "id" in attrs]
    assert len(ids) == len(set(ids))
    (status,) = [attrs for tag, attrs in found if attrs.get("role") == "status"]
    assert status["aria-live"] == "polite"
    (reset,) = [attrs for tag, attrs in found if tag == "button"]
    assert reset["type"] == "button"
    assert '<p class="checklist-actions" hidden><button' in html, "reset hidden without script"


def test_author_text_is_escaped():
    html = widget("standard")
    assert '<legend class="checklist-title">Keep your "resume" ready &amp; current</legend>' in html


def test_weekly_parts_are_hidden_without_script():
    html = widget("weekly")
    assert "data-weekly" in html
    assert '<div class="checklist-weeks" hidden>' in html
    assert "data-weekly" not in widget("standard")


def test_plain_lists_for_feeds():
    plain = "\n".join(
        render_feed(parse_text(SOURCES[name], f"{name}.md")[0]) for name in ("standard", "weekly")
    )
    assert "<input" not in plain and "<form" not in plain and "<button" not in plain
    assert "tip-checklist" not in plain and "hidden" not in plain
    assert '<p><strong>Keep your "resume" ready &amp; current</strong></p>' in plain
    assert "<li>☐ Update your resume with this quarter's results</li>" in plain
    assert '<li>☐ Ask the HR team what a <a href="{filename}profile.md">strong profile</a>' in plain
    assert "<li>☐ Say yes to a coffee</li>" in plain
    assert "A fresh list every week" in plain
    assert plain.count("☐") == 5


def test_entities_in_the_title_are_escaped_once():
    source = "::: checklist a\ntitle: Skip &lt;script&gt; tags & *keep* it\n- [ ] x\n:::\n"
    (checklist,) = parse_text(source, "a.md")
    html = render(checklist)
    assert '<legend class="checklist-title">Skip &lt;script&gt; tags &amp; <em>keep</em> it' in html
    assert "&amp;lt;" not in html and "<script>" not in html
