"""The Markdown extension on its own and next to other preprocessors."""

from __future__ import annotations

import pytest
from markdown import Markdown
from markdown.preprocessors import Preprocessor
from pelican.plugins.checklist.markdown_ext import ChecklistExtension
from pelican.plugins.checklist.model import ChecklistError

SOURCE = """Title: A page

::: other
collapsed
by
another
preprocessor
:::

::: checklist a
- [ ] One
- [ ] Two
:::

::: checklist b
- [x] Ticked
:::
"""


class Collapse(Preprocessor):
    """Like another widget's preprocessor that swaps a block for 3 lines."""

    def run(self, lines):
        start, end = lines.index("::: other"), lines.index(":::")
        return [*lines[:start], "", "<!-- other -->", "", *lines[end + 1 :]]


class Record(Preprocessor):
    def run(self, lines):
        self.seen = list(lines)
        return lines


def markdown(*extra):
    md = Markdown(
        extensions=[
            "markdown.extensions.extra",
            "markdown.extensions.meta",
            ChecklistExtension(source_path="page.md"),
        ],
        output_format="html5",
    )
    for processor, name, priority in extra:
        md.preprocessors.register(processor(md), name, priority)
    return md


@pytest.mark.parametrize("priority", [29, 28])  # e.g. the assessment plugin at 29
def test_line_numbers_are_the_files_when_other_preprocessors_run_later(priority):
    md = markdown((Collapse, "collapse", priority))
    with pytest.raises(ChecklistError) as caught:
        md.convert(SOURCE)
    assert str(caught.value).startswith("page.md:16: the item is already ticked")


def test_keeps_the_line_count_for_preprocessors_after_it():
    md = markdown((Record, "record", 29))
    md.convert(SOURCE.replace("[x]", "[ ]"))
    seen = md.preprocessors["record"].seen
    source = SOURCE.replace("[x]", "[ ]").split("\n")
    assert len(seen) == len(source) + 2  # normalize_whitespace adds two blank lines
    assert seen[:9] == source[:9], "lines before the checklist untouched"
    assert seen[9] == "" and seen[10].startswith("\x02") and seen[11:13] == ["", ""]


def test_standalone_conversion():
    html = markdown().convert(SOURCE.replace("- [x] Ticked", "- [ ] Fine"))
    assert html.count("<tip-checklist ") == 2
    assert "<p><tip-checklist" not in html, "not wrapped in a paragraph"
    assert "::: other" in html
