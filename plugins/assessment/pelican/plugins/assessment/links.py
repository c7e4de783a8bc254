"""Site-wide check of the assessment's own: every ``{filename}`` link in its
text points to content that exists (and to an id on that page)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from pelican_widget_blocks.pelican_glue import found_widgets, intrasite_key, intrasite_target

from . import markup
from .errors import Problem
from .model import PLAIN
from .parser import NAME

INTRASITE_RE = re.compile(r"^\{filename\}(?P<value>.*)$")


def iter_assessments(context):
    """(content object, assessment) for every assessment read this run."""
    for content, found in found_widgets(context):
        if found.kind == NAME:
            yield content, found.model


def link_problems(context) -> list[Problem]:
    """Links in assessment text to content that does not exist."""
    problems = []
    for content, a in sorted(iter_assessments(context), key=lambda e: (e[1].path, e[1].line)):
        for text in a.texts():
            if text.kind == PLAIN:
                continue
            for href in markup.hrefs(markup.to_html(text, a.path)):
                m = INTRASITE_RE.match(href)
                if not m:
                    continue
                url = urlparse(m["value"])
                if not url.path:
                    continue
                target = intrasite_target(href, content, context)
                key = intrasite_key(href, content)
                if target is None and (Path(context.get("PATH", "")) / key).is_file():
                    problems.append(
                        Problem(
                            a.path,
                            text.line,
                            f"the link {href} points to '{key}', which failed to build",
                            f"fix the error reported above for '{key}'; this link works "
                            "once that file builds",
                        )
                    )
                elif target is None:
                    problems.append(
                        Problem(
                            a.path,
                            text.line,
                            f"the link {href} points to '{key}', which does not exist in "
                            "the content folder",
                            "correct the path (after {filename}, a leading '/' means the "
                            "content folder, otherwise this file's folder), or write the "
                            "article first",
                        )
                    )
                elif url.fragment:
                    body = getattr(target, "content", None) or ""
                    pattern = r"\bid\s*=\s*[\"']" + re.escape(url.fragment) + r"[\"']"
                    if body and not re.search(pattern, body):
                        problems.append(
                            Problem(
                                a.path,
                                text.line,
                                f"the link {href} points to '#{url.fragment}', but "
                                f"'{key}' has no element with that id",
                                "link to one of its headings' ids, or drop the '#...' part",
                                "warning",
                            )
                        )
    return problems
