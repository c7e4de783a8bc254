"""Author text inside a widget: Markdown rendered, then held to an allowlist.

Three kinds of text:

- ``PLAIN`` (titles, labels, names, statements): ``*emphasis*``,
  ``**strong**`` and ```code```; no links.
- ``LINKS`` (descriptions, verdicts, tips, checklist items): the same, plus
  links.
- ``BLOCK`` (an intro): the same, plus paragraphs and lists.

``PLAIN`` and ``LINKS`` text is parsed as inline Markdown only, so a text that
starts with ``#`` or ``1.`` stays text. Refused, each with a problem and a
fix: raw HTML, attribute lists (``{: onclick=...}``), images, and links other
than http, https, mailto, relative ones and ``{filename}`` links to the site's
own content (so no ``javascript:``, ``data:`` or ``vbscript:``, however they
are spelt). Python-Markdown escapes ``<`` and ``&`` in text, so what passes is
safe to put in a page as is.
"""

from __future__ import annotations

import functools
import html
import re
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

from markdown import Markdown

from .errors import BlockError, Problem

PLAIN = "plain"
LINKS = "links"
BLOCK = "block"

ALLOWED_TAGS = {
    PLAIN: {"em", "strong", "code"},
    LINKS: {"em", "strong", "code", "a"},
    BLOCK: {"em", "strong", "code", "a", "p", "ul", "ol", "li", "br"},
}
ALLOWED_ATTRS = {"a": {"href", "title"}, "ol": {"start"}}
SAFE_SCHEMES = {"http", "https", "mailto"}
INTRASITE = re.compile(r"^\{filename\}")

CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
# attr_list syntax: {: #id .class key=value}, {#id}, {.class}, {key=value}
ATTR_LIST = re.compile(r"\{:?[ \t]*(?:[#.][\w-]|[\w-]+[ \t]*=)[^}]*\}")
EVENT_HANDLER = re.compile(r"(?:^|[\s{:])on[a-z]+[ \t]*=", re.I)
ENTITY = re.compile(r"^&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);$", re.I)
# What Python-Markdown leaves for "&" inside attribute values until serialising.
AMP_PLACEHOLDER = "\x02amp\x03"

FIXES = {
    PLAIN: "keep to *emphasis*, **strong** and `code` here",
    LINKS: "keep to *emphasis*, **strong**, `code` and [links](url) here",
    BLOCK: "keep to paragraphs, lists, *emphasis*, **strong**, `code` and [links](url)",
}
LINK_FIX = (
    "link to a web page (https://...), a page of this site ({filename}/articles/name.md) "
    "or an address (mailto:...); script and data links are refused"
)


def render(source: str, kind: str, where: str) -> str:
    """Safe HTML for ``source``, or ``ValueError`` listing (problem, fix) pairs.

    ``where`` names the text in messages: "a checklist item", "a verdict".
    """
    result, issues = _render(source, kind, where)
    if issues:
        raise TextRefused(issues)
    return result


def to_html(source: str, kind: str, where: str, path: str, line: int) -> str:
    """``render`` for text at ``path:line``; raises ``BlockError``."""
    try:
        return render(source, kind, where)
    except TextRefused as refused:
        raise BlockError([Problem(path, line, p, f) for p, f in refused.issues]) from None


def problems(source: str, kind: str, where: str, path: str, line: int) -> list[Problem]:
    """Every reason the text is refused (empty when it is fine)."""
    _, issues = _render(source, kind, where)
    return [Problem(path, line, p, f) for p, f in issues]


class TextRefused(ValueError):
    def __init__(self, issues) -> None:
        self.issues = tuple(issues)
        super().__init__("; ".join(p for p, _ in self.issues))


def to_plain(fragment: str) -> str:
    """Text content of an HTML fragment, whitespace collapsed."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    return " ".join("".join(collector.parts).split())


def hrefs(fragment: str) -> list[str]:
    """The (unescaped) href of every link in an HTML fragment."""
    collector = _Links()
    collector.feed(fragment)
    collector.close()
    return collector.hrefs


def url_scheme(url: str) -> str:
    """The scheme a browser would see: entities decoded, control characters
    and spaces removed, lowercased ("java&#x09;Script:" gives "javascript")."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url.replace(AMP_PLACEHOLDER, "&")))
    m = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned.lower())
    return m.group(1) if m else ""


@functools.lru_cache(maxsize=4096)
def _render(source: str, kind: str, where: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    outside_code = CODE_SPAN.sub("", source)
    attr_list = ATTR_LIST.search(outside_code)
    if attr_list:
        if EVENT_HANDLER.search(attr_list.group()):
            problem = f"an event handler attribute ({attr_list.group()}) in {where}"
        else:
            problem = f"an attribute list ({attr_list.group()}) in {where}"
        return "", (
            (
                problem,
                "remove it: the plugin sets ids and classes itself, and the site's "
                "Content-Security-Policy runs no inline script",
            ),
        )
    md = _markdown()
    md.reset()
    try:
        if kind == BLOCK:
            output = md.convert(source)
            raw = list(md.htmlStash.rawHtmlBlocks)
        else:
            output, raw = _inline(md, source)
    finally:
        stash = [block for block in md.htmlStash.rawHtmlBlocks]
        md.reset()
    raw = [block for block in (raw or stash) if not ENTITY.match(str(block))]
    if raw:
        snippet = str(raw[0])
        snippet = snippet if len(snippet) <= 30 else snippet[:29] + "…"
        return "", (
            (
                f"raw HTML ({snippet}) in {where}",
                "use Markdown instead: *emphasis*, **strong**, [text](url); to show "
                "a literal '<', put it in `code` or write &lt;",
            ),
        )
    checker = _Checker(kind, where)
    checker.feed(output)
    checker.close()
    return output, tuple(dict.fromkeys(checker.issues))


@functools.lru_cache(maxsize=1)
def _markdown() -> Markdown:
    return Markdown(extensions=[], output_format="html5")


def _inline(md: Markdown, source: str) -> tuple[str, list]:
    """Inline Markdown only: the text is one paragraph, whatever it starts with."""
    root = etree.Element("div")
    paragraph = etree.SubElement(root, "p")
    paragraph.text = source
    for processor in md.treeprocessors:
        new_root = processor.run(root)
        if new_root is not None:
            root = new_root
    raw = list(md.htmlStash.rawHtmlBlocks)
    output = md.serializer(root)
    for processor in md.postprocessors:
        output = processor.run(output)
    output = output.strip()
    prefix, suffix = "<div>\n<p>", "</p>\n</div>"
    if not (output.startswith(prefix) and output.endswith(suffix)):  # pragma: no cover
        raise AssertionError(f"unexpected inline rendering: {output!r}")
    return output[len(prefix) : -len(suffix)], raw


class _Checker(HTMLParser):
    def __init__(self, kind: str, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.kind = kind
        self.where = where
        self.issues: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS[self.kind]:
            if tag == "a":
                self.issues.append(
                    (f"a link in {self.where}", "links are not allowed here: " + FIXES[self.kind])
                )
            elif tag == "img":
                self.issues.append(
                    (
                        f"an image in {self.where}",
                        "describe it in words, or put the image outside the block",
                    )
                )
            else:
                self.issues.append((f"<{tag}> in {self.where}", FIXES[self.kind]))
            return
        for name, value in attrs:
            if name not in ALLOWED_ATTRS.get(tag, ()):
                self.issues.append((f"the attribute '{name}' in {self.where}", FIXES[self.kind]))
            elif name == "href":
                href = value or ""
                scheme = url_scheme(href)
                if scheme and scheme not in SAFE_SCHEMES and not INTRASITE.match(href):
                    self.issues.append((f"a link to '{scheme}:' in {self.where}", LINK_FIX))

    handle_startendtag = handle_starttag


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if tag == "a" and name == "href":
                self.hrefs.append(value or "")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)
