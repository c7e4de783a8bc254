"""The ``::: assessment-focus <assessment id>`` block: "This week's focus",
the reader's weakest habit and its first step, read from this browser.

    ::: assessment-focus networking-habits
    :::

It renders an element that is ``hidden`` in the HTML: without JavaScript,
or until the reader completes that assessment in this browser, the page
reads as if the block were not there. Its script (static/widgets/
assessment-focus.js) fills it from the plan record assessment-plan.js keeps
in localStorage when a result is complete. Nothing is sent anywhere.

The site check makes sure the named assessment exists on the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from pelican_widget_blocks import VALID_ID, BlockType, Problem, closest, id_fix
from pelican_widget_blocks.errors import BlockError
from pelican_widget_blocks.pelican_glue import found_widgets

from .parser import NAME as ASSESSMENT_NAME

NAME = "assessment-focus"
TAG = "habit-focus"
STATIC = Path(__file__).parent / "static" / "widgets"
EXAMPLE = f"'::: {NAME} networking-habits' and, on the next line, ':::'"


@dataclass(frozen=True)
class Focus:
    """A focus block: the id of the assessment whose result it shows."""

    assessment_id: str
    path: str
    line: int


def parse(block, lines, path) -> Focus:
    problems = []
    aid = block.args
    if not aid:
        problems.append(
            Problem(
                path,
                block.line,
                f"the {NAME} block names no assessment",
                f"write the id of the assessment whose result it shows: {EXAMPLE}",
            )
        )
    elif len(aid.split()) > 1:
        problems.append(
            Problem(
                path,
                block.line,
                f"the {NAME} block names more than one assessment ('{aid}')",
                "name one assessment per block; use one block per assessment",
            )
        )
    elif not VALID_ID.match(aid):
        problems.append(
            Problem(
                path,
                block.line,
                f"assessment id '{aid}' is not valid",
                id_fix("networking-habits") + ", as on the assessment's own '::: assessment' line",
            )
        )
    for number, text in block.body(lines):
        if text.strip():
            problems.append(
                Problem(
                    path,
                    number,
                    f"the {NAME} block takes no text, but this line has some",
                    "its words come from the assessment; put your own text "
                    f"before or after the block, which is just {EXAMPLE}",
                )
            )
            break
    if problems:
        raise BlockError(problems)
    return Focus(aid, path, block.line)


def dom_id(focus: Focus, *parts: str) -> str:
    # The assessment's own DOM ids never use "weekly-focus" (render.py).
    return "--".join((focus.assessment_id, "weekly-focus", *parts))


def render(focus: Focus) -> str:
    """The element the script fills: hidden, with every fixed word in place."""
    # The parser admits only slug ids; escaped all the same, as author text.
    root = escape(dom_id(focus), quote=True)
    aid = escape(focus.assessment_id, quote=True)
    return "\n".join(
        [
            f'<habit-focus class="habit-focus" id="{root}" data-assessment-id="{aid}" hidden>',
            f'<h2 class="habit-focus-heading" id="{root}--heading">This week’s focus: '
            '<span class="habit-focus-name"></span></h2>',
            '<p class="habit-focus-score"></p>',
            '<p class="habit-focus-step"><strong>Your step this week:</strong> '
            '<span class="habit-focus-text"></span></p>',
            '<p class="habit-focus-go" hidden><a class="habit-focus-link">Show me how</a></p>',
            '<p class="habit-focus-choose">'
            f'<label for="{root}--choice">Choose another habit to focus on</label> '
            f'<select class="habit-focus-choice" id="{root}--choice"></select></p>',
            '<p class="habit-focus-status" role="status"></p>',
            '<p class="habit-focus-note">From your result of <span class="habit-focus-date">'
            "</span>, kept in this browser only. "
            '<a class="habit-focus-again">Take the check again</a> to update it.</p>',
            "</habit-focus>",
        ]
    )


def assessment_problems(context) -> list[Problem]:
    """Focus blocks that name an assessment the site does not have."""
    found = list(found_widgets(context))
    known = sorted({f.id for _, f in found if f.kind == ASSESSMENT_NAME})
    problems = []
    for _, f in sorted(found, key=lambda e: (e[1].path, e[1].line)):
        if f.kind != NAME or f.id in known:
            continue
        guess = closest(f.id, known)
        if guess:
            fix = f"did you mean '{guess}'? Write '::: {NAME} {guess}'"
        elif known:
            fix = "use the id of an assessment on this site: " + ", ".join(f"'{k}'" for k in known)
        else:
            fix = f"add the assessment ('::: assessment {f.id}') to a page, or remove this block"
        problems.append(
            Problem(
                f.path,
                f.line,
                f"the {NAME} block shows the result of assessment '{f.id}', "
                "but no page of this site has that assessment",
                fix,
            )
        )
    return problems


FOCUS = BlockType(
    name=NAME,
    tag=TAG,
    parse=parse,
    render=render,
    id_of=lambda focus: focus.assessment_id,
    plugin="pelican.plugins.assessment",
    static_dir=str(STATIC),
    stylesheet="assessment-focus.css",
    script="assessment-focus.js",
    # No summary stub and an empty feed version: without the reader's own
    # result, the block shows nothing, and neither do listings and feeds.
    feed_version=lambda focus, link: "",
    site_check=assessment_problems,
    same_id_fix="keep one focus block per assessment on a page",
    unique_on_site=False,
)
