"""Problems found in an assessment, each pointing at a file and a line."""

from __future__ import annotations

import os
from dataclasses import dataclass


def display_path(path: str) -> str:
    """Show ``path`` relative to the working directory when it lies below it.

    Editors and terminals turn ``content/pages/x.md:12`` into a link; an
    absolute path works too but is harder to read.
    """
    if not path or path.startswith("<"):
        return path or "<markdown>"
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an assessment: where, what, and how to fix it."""

    path: str
    line: int
    problem: str
    fix: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        problem = self.problem.rstrip(".")
        fix = self.fix.rstrip(".")
        return f"{self.path}:{self.line}: {problem}. Fix: {fix}."


class AssessmentError(Exception):
    """One or more problems that stop the build.

    ``str(error)`` is one ``path:line: problem. Fix: ...`` line per problem.
    The first problem is also available as ``path``, ``line``, ``problem``
    and ``fix`` so tests and tools can check it directly.
    """

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        if not problems:
            raise ValueError("AssessmentError needs at least one problem")
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @property
    def path(self) -> str:
        return self.problems[0].path

    @property
    def line(self) -> int:
        return self.problems[0].line

    @property
    def problem(self) -> str:
        return self.problems[0].problem

    @property
    def fix(self) -> str:
        return self.problems[0].fix


class AssessmentBuildError(RuntimeError):
    """Raised after reading when any assessment failed: stops before writing."""
