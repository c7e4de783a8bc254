"""Turn author text (Markdown) into safe HTML, or explain why it is refused.

Assessment text is rendered with its own, extension-free Python-Markdown
instance, then checked against an allowlist:

- ``PLAIN`` text (title, scale labels, dimension and band names, statements):
  ``*emphasis*``, ``**strong**`` and ```code```; no links.
- ``LINKS`` text (descriptions, verdicts, tips): the same plus links.
- ``BLOCK`` text (the intro): the same plus paragraphs and lists.

Raw HTML, attribute lists (``{: onclick=...}``) and links whose scheme is
not http, https, mailto or tel (``javascript:``, ``data:``, ``vbscript:``...)
are errors. Python-Markdown escapes ``<`` and ``&`` in text, so what passes
the allowlist is safe to put in the page as is.
"""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser

import markdown

from .errors import AssessmentError, Problem
from .model import BLOCK, LINKS, PLAIN, Text

ALLOWED_TAGS = {
    PLAIN: {"em", "strong", "code"},
    LINKS: {"em", "strong", "code", "a"},
    BLOCK: {"em", "strong", "code", "a", "p", "ul", "ol", "li", "br"},
}
ALLOWED_ATTRS = {"a": {"href", "title"}, "ol": {"start"}}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}

CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1", re.S)
AUTOLINK_RE = re.compile(r"<(?:(?:https?|mailto|tel):[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>", re.I)
TAG_START_RE = re.compile(r"<[/!?]?[A-Za-z]|<[!?]")
ATTR_LIST_RE = re.compile(r"\{[ \t]*(?::|[.#][A-Za-z_]|[A-Za-z_][\w-]*[ \t]*=)")

WHERE = {
    PLAIN: "titles, scale labels, names and statements",
    LINKS: "descriptions, verdicts and tips",
    BLOCK: "the intro",
}
FIXES = {
    PLAIN: "keep to *emphasis*, **strong** and `code` here",
    LINKS: "keep to *emphasis*, **strong**, `code` and [links](url) here",
    BLOCK: "keep to paragraphs, lists, *emphasis*, **strong**, `code` and [links](url)",
}


def to_html(text: Text, path: str) -> str:
    """Safe HTML for ``text``; raises ``AssessmentError`` if it is refused."""
    result, issues = _render(text.source, text.kind)
    if issues:
        raise AssessmentError([Problem(path, text.line, p, f) for p, f in issues])
    return result


def problems(text: Text, path: str) -> list[Problem]:
    """Every reason ``text`` is refused (empty when it is fine)."""
    _, issues = _render(text.source, text.kind)
    return [Problem(path, text.line, p, f) for p, f in issues]


def to_plain(fragment: str) -> str:
    """Text content of an HTML fragment, whitespace collapsed."""
    parser = _TextCollector()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


def plain(text: Text, path: str) -> str:
    return to_plain(to_html(text, path))


def hrefs(fragment: str) -> list[str]:
    """The (unescaped) href of every link in an HTML fragment."""
    parser = _Checker(LINKS)
    parser.feed(fragment)
    parser.close()
    return parser.hrefs


@functools.lru_cache(maxsize=4096)
def _render(source: str, kind: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    issues: list[tuple[str, str]] = []
    scan = CODE_SPAN_RE.sub("", source)
    scan = AUTOLINK_RE.sub("", scan)
    tag = TAG_START_RE.search(scan)
    if tag:
        snippet = scan[tag.start() : tag.start() + 20].split(">")[0] + (
            ">" if ">" in scan[tag.start() :] else ""
        )
        issues.append(
            (
                f"raw HTML ('{snippet}') is not allowed in assessment text",
                "use Markdown instead (*emphasis*, **strong**, [link](url)); "
                "to show a literal '<', put it in `code` or write &lt;",
            )
        )
    attr = ATTR_LIST_RE.search(scan)
    if attr:
        end = scan.find("}", attr.start())
        snippet = scan[attr.start() : end + 1 if end >= 0 else attr.start() + 20]
        issues.append(
            (
                f"attribute list '{snippet}' is not allowed in assessment text",
                "remove it: the plugin sets ids and classes itself, and event "
                "handlers such as onclick would break the site's strict "
                "Content-Security-Policy",
            )
        )
    if issues:
        return "", tuple(issues)

    out = _markdown().convert(source)
    _markdown().reset()
    if kind != BLOCK:
        if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
            out = out[3:-4]
        elif out:
            issues.append(
                (
                    "this text turned into a block (a heading, list, quote or "
                    "code block) where only one line of text is allowed",
                    "write it as plain words; a line starting with '#', '>', "
                    "'-' or '1.' is read as Markdown block syntax",
                )
            )
            return "", tuple(issues)
    checker = _Checker(kind)
    checker.feed(out)
    checker.close()
    issues.extend(checker.issues)
    return out, tuple(dict.fromkeys(issues))


@functools.lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=[], output_format="html")


class _Checker(HTMLParser):
    def __init__(self, kind: str):
        super().__init__(convert_charrefs=True)
        self.kind = kind
        self.issues: list[tuple[str, str]] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        allowed = ALLOWED_TAGS[self.kind]
        if tag not in allowed:
            if tag == "a":
                self.issues.append(
                    (
                        f"links are not allowed in {WHERE[self.kind]}",
                        "move the link into the intro, a verdict or a tip",
                    )
                )
            else:
                self.issues.append(
                    (
                        f"<{tag}> is not allowed in {WHERE[self.kind]}",
                        FIXES[self.kind],
                    )
                )
        for name, value in attrs:
            if name not in ALLOWED_ATTRS.get(tag, ()):
                self.issues.append(
                    (
                        f"the attribute '{name}' is not allowed in assessment text",
                        FIXES[self.kind],
                    )
                )
            elif name == "href":
                self.hrefs.append(value or "")
                scheme = _scheme(value or "")
                if scheme and scheme not in SAFE_SCHEMES:
                    self.issues.append(
                        (
                            f"a link to '{scheme}:' is not allowed",
                            "link to a web page (https://...), a site page "
                            "({filename}/articles/name.md) or an address "
                            "(mailto:...); script and data links are refused",
                        )
                    )

    handle_startendtag = handle_starttag


def _scheme(url: str) -> str:
    # Browsers ignore control characters and whitespace inside a scheme, and
    # Markdown may have written entities: undo both before looking.
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url)).lower()
    m = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned)
    return m.group(1) if m else ""


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)
