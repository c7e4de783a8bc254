"""Find ``::: name`` blocks in the lines of a Markdown document.

A block opens with ``::: name [arguments]`` and closes with a line holding
only ``:::``. Fenced code is skipped the way Python-Markdown's own
``fenced_code`` extension sees it (its regular expression is used, so both
agree on where a fence opens and closes): an example of the syntax inside a
fence is not a block, and a fence that is never closed is not code, so it
hides nothing.

An opener whose name is close to a known block name (``::: assesment``,
``::: Assessment``) is an error with a "did you mean"; other names are left
alone for other extensions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from .errors import BlockError, Problem
from .suggest import closest

OPENER = re.compile(r"^:::[ \t]*(?P<name>[A-Za-z][\w-]*)(?:[ \t]+(?P<args>.*?))?[ \t]*$")
CLOSER = re.compile(r"^:::[ \t]*$")
FENCE = FencedBlockPreprocessor.FENCED_BLOCK_RE


@dataclass(frozen=True)
class Block:
    """One block: its name, what follows the name on the opening line, and
    where it sits (0-based indexes of the opener and closer lines)."""

    name: str
    args: str
    start: int
    end: int
    first_line: int = 1  # the file's line number of index 0

    @property
    def line(self) -> int:
        """The opener's line number in the file."""
        return self.first_line + self.start

    def body(self, lines: list[str]) -> list[tuple[int, str]]:
        """(line number, text) of every line between opener and closer."""
        return [(self.first_line + i, lines[i]) for i in range(self.start + 1, self.end)]


def fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside fenced code blocks, fences included."""
    text = "\n".join(lines)
    inside: set[int] = set()
    for match in FENCE.finditer(text):
        first = text.count("\n", 0, match.start())
        last = text.count("\n", 0, match.end())
        inside.update(range(first, last + 1))
    return inside


def find_blocks(
    lines: list[str], known: Iterable[str], path: str, first_line: int = 1
) -> list[Block]:
    """The blocks of the known names, in order.

    Raises ``BlockError`` for a block that is never closed and for an opener
    whose name looks like a misspelt known name.
    """
    known = list(known)
    code = fenced_lines(lines)
    blocks: list[Block] = []
    problems: list[Problem] = []
    index = 0
    while index < len(lines):
        opener = None if index in code else OPENER.match(lines[index])
        if not opener:
            index += 1
            continue
        name = opener.group("name")
        if name not in known:
            meant = closest(name, known)
            if meant:
                problems.append(
                    Problem(
                        path,
                        first_line + index,
                        f"unknown block '::: {name}'",
                        f"did you mean '::: {meant}'? Block names are lowercase",
                    )
                )
            index += 1
            continue
        end = _closer(lines, index, known, code, name, path, first_line)
        blocks.append(Block(name, (opener.group("args") or "").strip(), index, end, first_line))
        index = end + 1
    if problems:
        raise BlockError(problems)
    return blocks


def _closer(lines, start, known, code, name, path, first_line) -> int:
    for index in range(start + 1, len(lines)):
        if index in code:
            continue
        if CLOSER.match(lines[index]):
            return index
        nested = OPENER.match(lines[index])
        if nested and nested.group("name") in known:
            raise BlockError(
                path,
                first_line + start,
                f"this {name} block is never closed: another "
                f"'::: {nested.group('name')}' starts on line {first_line + index} "
                "before a closing ':::' line",
                f"add a line with only ':::' where this {name} ends",
            )
    raise BlockError(
        path,
        first_line + start,
        f"this {name} block is never closed: the file ends before a closing ':::' line",
        f"add a line with only ':::' where this {name} ends",
    )
