"""Helpers for plugins/assessment/tests/test_assessment_browser.py: the sites it serves, and the
page operations it repeats (answering, reading the results the script shows).

Not a conftest.py on purpose: a second conftest.py would take over the module
name `conftest` that tests/ files import from.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import REPO, build_site

VECTORS = json.loads((REPO / "plugins/assessment/tests/vectors.json").read_text(encoding="utf-8"))
SMALL_SOURCE = REPO / "plugins/assessment/tests/fixtures/small.md"
REAL = 'habit-assessment[data-assessment-id="networking-habits"]'
SMALL = 'habit-assessment[data-assessment-id="small-check"]'
REAL_SLUG = "networking-habits-assessment"
SMALL_SLUG = "small-check"
# Version "b" of the site edits this statement, so the definition hash changes.
EDITED = "I add new results to my resume within a few weeks of achieving them."


def vectors(assessment_id: str) -> list[dict]:
    [entry] = [a for a in VECTORS["assessments"] if a["id"] == assessment_id]
    return entry["cases"]


def case(assessment_id: str, name: str) -> dict:
    [found] = [c for c in vectors(assessment_id) if c["name"] == name]
    return found


def build_versions(root: Path) -> None:
    """Two builds of the real content plus a page with the small fixture (its
    decimal weight and band-less dimension), under root/a and root/b. In b one
    statement of the real assessment is reworded."""
    small = SMALL_SOURCE.read_text(encoding="utf-8").replace(
        "{filename}/articles/story.md", "{filename}/pages/about.md"
    )
    for version in ("a", "b"):
        content = root / version / "content"
        shutil.copytree(REPO / "content", content)
        (content / "pages" / "small-check.md").write_text(
            f"Title: A small check\nSlug: {SMALL_SLUG}\nSummary: A fixture page.\n\n{small}\n",
            encoding="utf-8",
        )
        if version == "b":
            page = content / "pages" / f"{REAL_SLUG}.md"
            text = page.read_text(encoding="utf-8")
            assert EDITED in text
            page.write_text(text.replace(EDITED, EDITED.replace("few weeks", "month")), "utf-8")
        built = build_site(root / version / "output", PATH=str(content))
        assert built.problems() == [], built.problems()


# Answers are set the way a click would leave them, then one `change` event
# bubbles from the form, as it does for a click.
ANSWER = """([selector, answers]) => {
  const widget = document.querySelector(selector);
  for (const radio of widget.querySelectorAll(".assessment-form input[type=radio]"))
    radio.checked = answers[radio.name] === Number(radio.value);
  const first = widget.querySelector(".assessment-form input");
  first.dispatchEvent(new Event("change", { bubbles: true }));
}"""

# What the script shows, in the shape of the vectors' "expected".
RESULTS = """selector => {
  const widget = document.querySelector(selector);
  const value = (text) => (text === undefined || text === "" ? null : text);
  const number = (text) => (value(text) === null ? null : Number(text));
  const dimensions = {};
  for (const row of widget.querySelectorAll(".assessment-scores li[data-dimension-id]"))
    dimensions[row.dataset.dimensionId] = {
      score: number(row.dataset.score),
      band: value(row.dataset.band),
    };
  return {
    dimensions,
    overall: {
      score: number(widget.dataset.overallScore),
      band: value(widget.dataset.overallBand),
    },
  };
}"""


def answer(page, widget: str, answers: dict[str, int]) -> None:
    page.evaluate(ANSWER, [widget, answers])


def results(page, widget: str) -> dict:
    return page.evaluate(RESULTS, widget)


def checked(page, widget: str) -> dict[str, int]:
    return page.evaluate(
        """selector => Object.fromEntries(
          [...document.querySelectorAll(`${selector} .assessment-form input:checked`)]
            .map((r) => [r.name, Number(r.value)]))""",
        widget,
    )


def stored(page, key: str):
    return page.evaluate("key => JSON.parse(localStorage.getItem(key))", key)
