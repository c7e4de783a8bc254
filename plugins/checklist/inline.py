"""Render an item's inline Markdown (links, emphasis, code) and refuse what a
checklist must not carry: raw HTML, script or data URLs, images, attribute
lists. Only inline syntax is parsed: an item that starts with `#` or `1.` stays
text instead of becoming a heading or a list."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Markdown

ALLOWED_TAGS = {"a", "em", "strong", "code"}
BLOCKED_SCHEMES = ("javascript:", "vbscript:", "data:")
# attr_list syntax: {: #id .class key=value} or {#id}, {.class}, {key=value}
ATTR_LIST = re.compile(r"\{:?[ \t]*(?:[#.][\w-]|[\w-]+[ \t]*=)[^}]*\}")
EVENT_HANDLER = re.compile(r"(?:^|[\s{:])on[a-z]+[ \t]*=", re.IGNORECASE)
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
ENTITY = re.compile(r"^&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);$", re.IGNORECASE)
# Placeholder Python-Markdown leaves for "&" inside attribute values.
AMP_PLACEHOLDER = "\x02amp\x03"


class InlineProblem(ValueError):
    """Unsafe or unsupported inline content; the parser adds file and line."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(problem)


def check_plain_text(text: str, what: str) -> None:
    """A title is plain text: refuse anything that looks like an HTML tag."""
    if re.search(r"<[A-Za-z/!]", text):
        raise InlineProblem(
            f"raw HTML in the {what}",
            f"write the {what} as plain text, without <tags>",
        )


class InlineRenderer:
    """One private Markdown instance, reused for every item of a document."""

    def __init__(self) -> None:
        self._md = Markdown(output_format="html5")

    def render(self, text: str) -> str:
        outside_code = CODE_SPAN.sub("", text)
        attr_list = ATTR_LIST.search(outside_code)
        if attr_list:
            if EVENT_HANDLER.search(attr_list.group()):
                raise InlineProblem(
                    "an event handler attribute (on...=) in an item",
                    "remove it: pages run no inline script",
                )
            raise InlineProblem(
                "an attribute list {: ...} in an item",
                "remove it: checklist items take plain inline Markdown only",
            )
        md = self._md
        md.reset()
        root = etree.Element("div")
        paragraph = etree.SubElement(root, "p")
        paragraph.text = text
        for processor in md.treeprocessors:
            new_root = processor.run(root)
            if new_root is not None:
                root = new_root
        raw = [block for block in md.htmlStash.rawHtmlBlocks if not ENTITY.match(block)]
        if raw:
            raise InlineProblem(
                f"raw HTML ({raw[0]}) in an item",
                "use Markdown instead: [text](url), *emphasis*, **strong**, `code`",
            )
        for element in paragraph.iter():
            if element is paragraph:
                continue
            if element.tag == "img":
                raise InlineProblem(
                    "an image in an item",
                    "describe it in words, or put the image outside the checklist",
                )
            if element.tag not in ALLOWED_TAGS:
                raise InlineProblem(
                    f"unsupported markup <{element.tag}> in an item",
                    "use links, *emphasis*, **strong** or `code` only",
                )
            href = element.get("href")
            if href is not None and _blocked_url(href):
                raise InlineProblem(
                    f"a link to a {_scheme(href)} URL in an item",
                    "link to a page (https:, a relative path or {filename}); "
                    "script and data URLs are not allowed",
                )
        output = md.serializer(root)
        for processor in md.postprocessors:
            output = processor.run(output)
        output = output.strip()
        prefix, suffix = "<div>\n<p>", "</p>\n</div>"
        if not (output.startswith(prefix) and output.endswith(suffix)):  # pragma: no cover
            raise AssertionError(f"unexpected inline rendering: {output!r}")
        return output[len(prefix) : -len(suffix)]


def _plain_url(url: str) -> str:
    url = html.unescape(url.replace(AMP_PLACEHOLDER, "&"))
    # Browsers ignore control characters and spaces inside a scheme.
    return "".join(ch for ch in url if ord(ch) > 32).lower()


def _blocked_url(url: str) -> bool:
    return _plain_url(url).startswith(BLOCKED_SCHEMES)


def _scheme(url: str) -> str:
    return _plain_url(url).split(":", 1)[0] + ":"
