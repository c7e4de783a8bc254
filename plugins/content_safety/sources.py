"""Find the line of the source file a problem comes from.

The published HTML has no line numbers, so problems are placed by searching
the source: a metadata field at its header line, anything in the body at the
first (or n-th) body line that contains the finding's needle. Lines are
compared the way a browser reads them (entities decoded, tabs and newlines
dropped, lower case), so ``java&#x09;script:`` in the source matches the
needle ``javascript:``.
"""

from __future__ import annotations

import functools
import html
import os
import re
from pathlib import Path

HEADER_KEY = re.compile(r"^\s*:?(?P<key>[A-Za-z][\w-]*)\s*:")
HTML_META = re.compile(r"<meta\s+name=[\"']?(?P<key>[\w-]+)", re.I)


def display_path(path: str) -> str:
    """``path`` relative to the working directory when below it, so that
    editors and terminals turn ``content/articles/x.md:12`` into a link."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative


def normalise(text: str) -> str:
    return re.sub(r"[\x00-\x20]", "", html.unescape(text)).lower()


class Source:
    """A source file's lines, split into its metadata header and body."""

    def __init__(self, path: str) -> None:
        self.path = display_path(path)
        try:
            text = Path(path).read_text(encoding="utf-8").lstrip("\ufeff")
        except (OSError, UnicodeDecodeError):
            text = ""
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.header: dict[str, int] = {}
        self.body_start = 1
        self._read_header()
        self._used: dict[str, int] = {}

    @functools.cached_property
    def _normalised(self) -> list[str]:
        """The lines as a browser reads them: only needed to place a problem."""
        return [normalise(line) for line in self.lines]

    def _read_header(self) -> None:
        # Markdown and reST: "Key: value" (":key: value") lines up to the
        # first blank line; continuation lines are indented.
        for number, line in enumerate(self.lines, 1):
            if not line.strip():
                self.body_start = number + 1
                break
            match = HEADER_KEY.match(line)
            if match:
                self.header.setdefault(match["key"].lower(), number)
            elif not line[:1].isspace():
                self.body_start = number
                break
        else:
            self.body_start = len(self.lines) + 1
        for number, line in enumerate(self.lines, 1):  # HTML sources
            match = HTML_META.search(line)
            if match:
                self.header.setdefault(match["key"].lower(), number)

    def has_field(self, *keys: str) -> bool:
        return any(key in self.header for key in keys)

    def field_line(self, *keys: str) -> int:
        """The header line of the first of ``keys`` the file sets; 1 when the
        value comes from elsewhere (settings, folder name)."""
        for key in keys:
            if key in self.header:
                return self.header[key]
        return 1

    def body_line(self, needles) -> int:
        """The line of the body where the first needle that occurs is found.
        Asked again for the same needle, the next such line: two
        ``onclick`` in a file are reported at their own lines."""
        for needle in needles:
            wanted = normalise(needle)
            if not wanted:
                continue
            matches = [
                number
                for number, line in enumerate(self._normalised, 1)
                if number >= self.body_start
                for _ in range(line.count(wanted))
            ]
            if matches:
                index = self._used.get(wanted, 0)
                self._used[wanted] = index + 1
                return matches[min(index, len(matches) - 1)]
        return self.body_start if self.body_start <= len(self.lines) else 1
