"""Build the site with Pelican, making its warnings (or errors) fatal, and
name the source file and line of every problem.

    python tools/sitebuild.py --settings publishconf.py --output .publish-stage
    python tools/sitebuild.py --settings pelicanconf.py --output output --fatal errors

Pelican's own `--fatal warnings` stops at the first warning with a traceback,
and many of its messages do not say which Markdown file they come from
("Unable to find 'x.md', skipping url replacement."; "Could not process
articles/x.md" without the reason). This wrapper runs the whole build, logs
each problem as `content/articles/x.md:12: message` (the reason included),
lists them all again at the end, and exits 1 when any reached the fatal level.
Nothing else differs from `pelican CONTENT -o OUTPUT -s SETTINGS`.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import signal
import sys
import time
from pathlib import Path

LEVELS = {"warnings": logging.WARNING, "errors": logging.ERROR}


def _display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


CONTENT_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown", ".rst", ".html", ".htm")
# `path:line:` as our plugins start their messages (at the start of any line)
LOCATED = re.compile(r"(?m)^\s*(?P<path>[^\s:][^:\n]*?):(?P<line>\d+):")
QUOTED = re.compile(r"'([^'\n]+)'|\"([^\"\n]+)\"|`([^`\n]+)`")


def _lines(source: str) -> list[str]:
    try:
        return Path(source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _line_in(source: str, needles: list[str]) -> int | None:
    """The first line of `source` holding one of the needles (in order),
    a metadata line (`Name: ...`) first."""
    lines = _lines(source)
    for needle in needles:
        needle = needle.strip()
        if len(needle) < 3:
            continue
        lowered = needle.lower()
        for number, line in enumerate(lines, 1):
            if line.lower().startswith(lowered + ":"):
                return number
        for number, line in enumerate(lines, 1):
            if needle in line:
                return number
    return None


class SourceAnnotator(logging.Filter):
    """Prefix warnings and errors with the `file:line:` they are about, add
    the reason of a swallowed exception, and remember them.

    Everything comes from the record and the exception it reports: a message
    that already starts with `path:line:` (our plugins) stays as it is; a
    file named in the record's arguments (Pelican's "Could not process %s",
    relative to the content folder, "Duplicate definition of `%s` for %s")
    is that file; otherwise the quoted value of the message (Pelican's
    "Unable to find 'x.md'") is looked up in the content files. The line is
    the exception's, or the first line of the file holding one of the
    message's values."""

    def __init__(self, content: str | None = None) -> None:
        super().__init__()
        self.content = content
        self.problems: list[tuple[int, str]] = []

    def _file(self, value) -> str | None:
        source = getattr(value, "source_path", None)  # a content object
        if isinstance(source, str) and os.path.isfile(source):
            return source
        if not isinstance(value, str) or "\n" in value or len(value) > 4096:
            return None
        roots = ["", self.content] if self.content else [""]
        for root in roots:
            if root is None:
                continue
            path = os.path.join(root, value) if root else value
            if os.path.isfile(path) and path.endswith(CONTENT_SUFFIXES):
                return path
        return None

    def _files_with(self, needles: list[str]) -> list[tuple[str, int]]:
        """(file, line) of each content file that holds one of the needles."""
        if not self.content or not os.path.isdir(self.content):
            return []
        found = []
        for folder, _, names in sorted(os.walk(self.content)):
            for name in sorted(names):
                if not name.endswith(CONTENT_SUFFIXES):
                    continue
                path = os.path.join(folder, name)
                for needle in needles:
                    if len(needle.strip()) < 3:
                        continue
                    line = next(
                        (n for n, text in enumerate(_lines(path), 1) if needle in text), None
                    )
                    if line is not None:
                        found.append((path, line))
                        break
        return found

    def locate(self, record: logging.LogRecord, message: str, exc) -> str | None:
        """`file:line` (or `file`) of the problem, or None."""
        for match in LOCATED.finditer(message):
            if os.path.isfile(match["path"]):
                return None  # the message names its own file and line
        args = record.args if isinstance(record.args, tuple) else ()
        values = [a for a in args if isinstance(a, str)]
        values += [a or b or c for a, b, c in QUOTED.findall(message)]
        if exc is not None:
            values += [a or b or c for a, b, c in QUOTED.findall(str(exc))]
        source = next((f for f in map(self._file, args) if f), None)
        if source is None:
            source = next((f for f in map(self._file, values) if f), None)
        line = getattr(exc, "lineno", None) or getattr(exc, "line", None)
        if source is None:
            found = self._files_with([v for v in values if not self._file(v)])
            if not found:
                return None
            (source, line), others = found[0], found[1:]
            where = f"{_display(source)}:{line}"
            if others:
                where += " (also " + ", ".join(f"{_display(p)}:{n}" for p, n in others) + ")"
            return where
        if not isinstance(line, int):
            line = _line_in(source, [v for v in values if v and self._file(v) != source])
        return _display(source) + (f":{line}" if line else "")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or getattr(record, "sitebuild_annotated", False):
            return True
        message = record.getMessage()
        # the exception being handled when the record was logged (Pelican's
        # "Could not process %s" leaves its reason out unless DEBUG is on)
        exc = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
        if exc is not None and not record.exc_info and str(exc) not in message:
            message += f": {type(exc).__name__}: {exc}"
        where = self.locate(record, message, exc)
        if where and where not in message:
            message = f"{where}: {message}"
        record.msg, record.args = message, ()
        record.sitebuild_annotated = True
        self.problems.append((record.levelno, message))
        return True


def build(
    settings_file: str,
    output: str,
    content: str | None = None,
    fatal: str = "warnings",
    verbose: bool = False,
    relative_urls: bool = False,
) -> int:
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    annotator = SourceAnnotator(os.path.abspath(content) if content else None)
    handler.addFilter(annotator)
    init_logging(level=logging.INFO if verbose else logging.WARNING, handler=handler)

    override = {"OUTPUT_PATH": os.path.abspath(output)}
    if relative_urls:  # like pelican --relative-urls (make ... RELATIVE=1)
        override["RELATIVE_URLS"] = True
    if content:
        override["PATH"] = os.path.abspath(content)
    started = time.monotonic()
    try:
        settings = read_settings(settings_file, override=override)
        annotator.content = os.path.abspath(settings["PATH"])
        Pelican(settings).run()
    except Exception as exc:  # Pelican's own errors, plugins raising
        logging.getLogger("sitebuild").critical("%s: %s", type(exc).__name__, exc)
    fatal_level = LEVELS[fatal]
    fatal_problems = [m for level, m in annotator.problems if level >= fatal_level]
    seconds = time.monotonic() - started
    if fatal_problems:
        kind = "warning or error" if fatal == "warnings" else "error"
        print(
            f"build: FAILED: {len(fatal_problems)} {kind}(s) stop this build"
            f" ({settings_file}, {seconds:.1f} s):",
            file=sys.stderr,
        )
        for message in fatal_problems:
            print("  " + message.replace("\n", "\n    "), file=sys.stderr)
        return 1
    print(f"build: ok — {output} ({settings_file}, {seconds:.1f} s)", file=sys.stderr)
    return 0


def preload() -> None:
    """Import what every build needs from the libraries (not the plugins nor
    the settings, which a build loads as they are when it starts): most of a
    fresh process's start-up, done before the dev server needs the build."""
    import jinja2  # noqa: F401
    import markdown  # noqa: F401
    import pelican
    import pelican.generators
    import pelican.readers
    import pelican.settings
    import pelican.writers  # noqa: F401

    for optional in ("typogrify.filters", "smartypants", "pygments.formatters.html"):
        with contextlib.suppress(ImportError):
            __import__(optional)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", required=True, help="pelicanconf.py or publishconf.py")
    output = parser.add_mutually_exclusive_group(required=True)
    output.add_argument("--output", help="folder to write the site into")
    output.add_argument(
        "--standby",
        action="store_true",
        help="(for tools/devserver.py) load the libraries, then wait for a line on"
        " stdin naming the folder to write the site into; exit quietly on end of input",
    )
    parser.add_argument("--content", help="content folder (default: PATH from the settings)")
    parser.add_argument(
        "--fatal",
        choices=sorted(LEVELS),
        default="warnings",
        help="lowest level that fails the build (default: warnings)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show Pelican's info log")
    parser.add_argument(
        "--relative-urls", action="store_true", help="use relative URLs (make RELATIVE=1)"
    )
    args = parser.parse_args(argv)
    if args.standby:
        preload()
        # Ctrl-C in the dev server's terminal reaches this process too: while
        # it waits, that is the dev server's business (it ends our input).
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        line = sys.stdin.readline().strip()
        signal.signal(signal.SIGINT, previous)
        if not line:
            return 0
        args.output = line
    # settings files use paths relative to their own folder, and publishconf.py
    # imports pelicanconf from the current directory
    sys.path.insert(0, os.path.dirname(os.path.abspath(args.settings)))
    return build(
        args.settings, args.output, args.content, args.fatal, args.verbose, args.relative_urls
    )


if __name__ == "__main__":
    sys.exit(main())
