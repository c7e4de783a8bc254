"""Plain text of a published body: the text of its headings, and all its
words. What a reader never sees as text is skipped: scripts (the widgets'
JSON data), styles, templates, SVG and MathML.

The body is read with the standard library's HTMLParser, not html5lib
(which content_safety uses to judge the same HTML, browser-exact): only text
is taken here, from Pelican's own Markdown output that content_safety has
already checked, and html5lib took six times as long, over a second of
every cold build at 1,000 articles.
"""

from __future__ import annotations

from html.parser import HTMLParser

from .terms import words

SKIPPED = frozenset({"script", "style", "template", "svg", "math", "noscript", "textarea"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.heading: list[str] | None = None
        self.headings: list[str] = []
        self.body: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in HEADINGS and self.heading is None:
            self.heading = []

    def handle_startendtag(self, tag, attrs):
        pass  # <br/>, <img/>: no text

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in HEADINGS and self.heading is not None:
            text = " ".join("".join(self.heading).split())
            if text:
                self.headings.append(text)
            self.heading = None

    def handle_data(self, data):
        if self.skipping:
            return
        self.body.append(data)
        if self.heading is not None:
            self.heading.append(data)


def text_of(html: str) -> tuple[str, list[str]]:
    """(the headings' text, one line each; the body's distinct words)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.headings), list(dict.fromkeys(words(" ".join(parser.body))))
