"""Plain text of a published body, read with html5lib the way a browser
parses it (content_safety's parser): the text of its headings, and all its
words. What a reader never sees as text is skipped: scripts (the widgets'
JSON data), styles, templates, SVG and MathML."""

from __future__ import annotations

from content_safety.rules import local_name, parse

from .terms import words

SKIPPED = frozenset({"script", "style", "template", "svg", "math", "noscript", "textarea"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _texts(element, in_heading: bool, headings: list[str], body: list[str]) -> None:
    for child in element:
        if isinstance(child.tag, str):
            name = local_name(child.tag)
            if name not in SKIPPED:
                heading = in_heading or name in HEADINGS
                if heading and not in_heading:
                    headings.append("")
                if child.text:
                    body.append(child.text)
                    if heading:
                        headings[-1] += child.text
                _texts(child, heading, headings, body)
        if child.tail:
            body.append(child.tail)
            if in_heading:
                headings[-1] += child.tail


def text_of(html: str) -> tuple[str, list[str]]:
    """(the headings' text, one line each; the body's distinct words)."""
    root = parse(html)
    headings: list[str] = []
    body: list[str] = [root.text or ""]
    _texts(root, False, headings, body)
    heading_text = "\n".join(" ".join(h.split()) for h in headings if h.strip())
    return heading_text, list(dict.fromkeys(words(" ".join(body))))
