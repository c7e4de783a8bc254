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
import logging
import os
import re
import sys
import time
from pathlib import Path

LEVELS = {"warnings": logging.WARNING, "errors": logging.ERROR}


def _display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _source_of_frames(frame) -> str | None:
    """The content file being processed when a message was logged: the
    `source_path` of a Content object, or the file a generator was reading."""
    while frame is not None:
        local = frame.f_locals
        candidates = [local.get("self"), local.get("content"), local.get("article")]
        candidates.append(local.get("page"))
        for obj in candidates:
            source = getattr(obj, "source_path", None)
            if isinstance(source, str) and os.path.isfile(source):
                return source
        # a generator's read loop: `for f in self.get_files(...)`, base self.path
        base = getattr(local.get("self"), "path", None)
        name = local.get("f")
        if isinstance(base, str) and isinstance(name, str):
            joined = os.path.join(base, name)
            if os.path.isfile(joined):
                return joined
        if isinstance(local.get("path"), str) and isinstance(local.get("base_path"), str):
            joined = os.path.join(local["base_path"], local["path"])
            if os.path.isfile(joined):
                return joined
        frame = frame.f_back
    return None


def _line_in(source: str, needles: list[str]) -> int | None:
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for needle in needles:
        needle = needle.strip()
        if len(needle) < 3:
            continue
        for number, line in enumerate(lines, 1):
            if needle in line:
                return number
    return None


class SourceAnnotator(logging.Filter):
    """Prefix warnings and errors with `file:line:` of the content being
    processed, add the reason of a swallowed exception, and remember them."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[tuple[int, str]] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or getattr(record, "_annotated", False):
            return True
        message = record.getMessage()
        exc = sys.exc_info()[1]
        if exc is not None and not record.exc_info and str(exc) not in message:
            message += f": {type(exc).__name__}: {exc}"
        source = _source_of_frames(sys._getframe(1))
        if source and _display(source) not in message:
            args = record.args if isinstance(record.args, tuple) else ()
            needles = [a for a in args if isinstance(a, str)]
            needles += [a or b for a, b in re.findall(r"'([^']+)'|\"([^\"]+)\"", message)]
            line = getattr(exc, "line", None) or getattr(exc, "lineno", None)
            line = line if isinstance(line, int) else _line_in(source, needles)
            where = _display(source) + (f":{line}" if line else "")
            message = f"{where}: {message}"
        record.msg, record.args, record._annotated = message, (), True
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
    annotator = SourceAnnotator()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", required=True, help="pelicanconf.py or publishconf.py")
    parser.add_argument("--output", required=True, help="folder to write the site into")
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
    # settings files use paths relative to their own folder, and publishconf.py
    # imports pelicanconf from the current directory
    sys.path.insert(0, os.path.dirname(os.path.abspath(args.settings)))
    return build(
        args.settings, args.output, args.content, args.fatal, args.verbose, args.relative_urls
    )


if __name__ == "__main__":
    sys.exit(main())
