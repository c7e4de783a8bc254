"""A widget's script as published: the core module folded in, comments out.

A widget's source imports the core as an ES module (``import { load } from
"./widget-core.js"``), so it can be linted and read on its own. Published
that way, a page with one checklist would fetch three files (the widget, its
script, the core); the article budget is five requests in all. So the build
publishes each widget script with the core inside it, as a function scope
whose exports become the names the import asked for:

    const { load, formatDay: day } = (() => { ...core...; return { load, formatDay, ... }; })();

Scoping keeps the core's private names away from the widget's. Two widgets
on one page each carry the core (about 2 KB gzipped); their storage helpers
hold no state beyond a probe, so two copies cannot disagree.

Whole-line ``//`` comments, blank lines and indentation are dropped from
what is published: readers do not need them, and the source keeps them.
Only whole lines are touched, so a ``//`` inside a string or a URL stays;
indentation stays when a template literal (backquote) spans lines, as it
would be part of that string.
"""

from __future__ import annotations

import re

CORE_NAME = "widget-core.js"
CORE_IMPORT = re.compile(
    r'^import\s*\{(?P<names>[^}]*)\}\s*from\s*"\./' + re.escape(CORE_NAME) + r'";[ \t]*\n', re.M
)
EXPORT = re.compile(r"^export\s+(?:const|let|function|class)\s+(?P<name>[A-Za-z_$][\w$]*)", re.M)
COMMENT_LINE = re.compile(r"^[ \t]*//.*\n|^[ \t]*\n", re.M)


class BundleError(ValueError):
    pass


def strip_comments(source: str) -> str:
    source = COMMENT_LINE.sub("", source)
    if all(line.count("`") % 2 == 0 for line in source.split("\n")):
        source = re.sub(r"^[ \t]+", "", source, flags=re.M)
    return source


def fold_core(script: str, core: str, script_name: str = "the script") -> str:
    """``script`` with its import of the core replaced by the core itself."""
    match = CORE_IMPORT.search(script)
    if match is None:
        return strip_comments(script)
    exported = EXPORT.findall(core)
    bindings = []
    for part in match["names"].split(","):
        words = part.split()
        if not words:
            continue
        if len(words) == 3 and words[1] == "as":
            name, alias = words[0], words[2]
        elif len(words) == 1:
            name = alias = words[0]
        else:
            raise BundleError(f"{script_name}: cannot read the import '{part.strip()}'")
        if name not in exported:
            raise BundleError(
                f"{script_name} imports '{name}', which {CORE_NAME} does not export; "
                f"it exports {', '.join(exported)}"
            )
        bindings.append(name if name == alias else f"{name}: {alias}")
    body = re.sub(r"^export\s+", "", core, flags=re.M)
    folded = (
        f"const {{ {', '.join(bindings)} }} = (() => {{\n{body.rstrip()}\n"
        f"return {{ {', '.join(exported)} }};\n}})();\n"
    )
    return strip_comments(script[: match.start()] + folded + script[match.end() :])
