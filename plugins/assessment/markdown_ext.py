"""Python-Markdown extension: one preprocessor that replaces each
``::: assessment`` block with the rendered widget.

The preprocessor runs at priority 29: after ``normalize_whitespace`` (30),
which keeps the number of lines, and before ``meta`` (27), which removes the
metadata header. So list index + 1 is the line number in the source file.

The source path comes from ``CURRENT`` (set by the Pelican reader around each
file) or, outside Pelican, from the extension's ``source_path`` option.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from .errors import AssessmentError, Problem, display_path
from .parser import find_blocks, parse_block
from .render import render_widget
from .validate import check

PRIORITY = 29
TAG = "habit-assessment"


@dataclass
class ReadSession:
    """What one file's conversion found; filled by the preprocessor."""

    path: str
    assessments: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


CURRENT: ContextVar[ReadSession | None] = ContextVar("assessment_session", default=None)


class AssessmentPreprocessor(Preprocessor):
    def __init__(self, md, source_path: str):
        super().__init__(md)
        self.source_path = source_path
        self.assessments = []  # used when no ReadSession is active
        self.warnings = []

    def run(self, lines: list[str]) -> list[str]:
        session = CURRENT.get()
        path = session.path if session else display_path(self.source_path)
        blocks = find_blocks(lines, path)
        if not blocks:
            return lines
        problems: list[Problem] = []
        found = []
        ids: dict[str, int] = {}
        for block in blocks:
            try:
                a = parse_block(block, lines, path)
                warnings = check(a)
            except AssessmentError as exc:
                problems.extend(exc.problems)
                continue
            if a.id in ids:
                problems.append(
                    Problem(
                        path,
                        a.line,
                        f"assessment id '{a.id}' is already used on line {ids[a.id]}",
                        "give each assessment its own id: '::: assessment other-id'",
                    )
                )
                continue
            ids[a.id] = a.line
            found.append((block, a, warnings))
        if problems:
            raise AssessmentError(problems)

        out: list[str] = []
        pos = 0
        for block, a, warnings in found:
            out.extend(lines[pos : block.start])
            out.extend(["", self.md.htmlStash.store(render_widget(a)), ""])
            pos = block.end + 1
            target = session if session else self
            target.assessments.append(a)
            target.warnings.extend(warnings)
        out.extend(lines[pos:])
        return out


class AssessmentExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "source_path": ["", "Path shown in error messages outside Pelican"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        if TAG not in md.block_level_elements:
            md.block_level_elements.append(TAG)
        md.preprocessors.register(
            AssessmentPreprocessor(md, self.getConfig("source_path")),
            "habit_assessment",
            PRIORITY,
        )


def makeExtension(**kwargs):
    return AssessmentExtension(**kwargs)
