"""Problems in a widget block, each pointing at a file and a line."""

from __future__ import annotations

import os
from dataclasses import dataclass


def display_path(path: str) -> str:
    """``path`` relative to the working directory when it lies below it.

    Editors and terminals turn ``content/pages/x.md:12`` into a link; an
    absolute path works too but is harder to read.
    """
    if not path or path.startswith("<"):
        return path or "<markdown>"
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        return absolute
    return absolute if relative.startswith("..") else relative


@dataclass(frozen=True)
class Problem:
    """One thing wrong: where, what, and how to fix it."""

    path: str
    line: int
    problem: str
    fix: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        problem = self.problem.rstrip(".")
        fix = self.fix.rstrip(".")
        return f"{self.path}:{self.line}: {problem}. Fix: {fix}."


class BlockError(ValueError):
    """One or more problems that stop the build.

    ``str(error)`` is one ``path:line: problem. Fix: ...`` line per problem.
    Made either from problems, ``BlockError([Problem(...), ...])``, or from
    the parts of one, ``BlockError(path, line, problem, fix)``. The first
    problem is also available as ``path``, ``line``, ``problem`` and ``fix``.
    """

    def __init__(self, *args) -> None:
        if len(args) == 4:
            problems = [Problem(*args)]
        elif len(args) == 1:
            problems = [args[0]] if isinstance(args[0], Problem) else list(args[0])
        else:
            raise TypeError("BlockError(problems) or BlockError(path, line, problem, fix)")
        if not problems:
            raise ValueError("BlockError needs at least one problem")
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def __reduce__(self):  # picklable, e.g. by a build cache
        return (type(self), (self.problems,))

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


class BlockBuildError(RuntimeError):
    """Raised after reading when a file failed or ids clash: stops the build
    before anything is written."""
