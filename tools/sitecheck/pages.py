"""Read built HTML the way the gates and tests need: elements, attributes, URLs.

Shared by `sitecheck` (the publishing gates) and the test suite, so a rule is
written once. Every element remembers the line it starts on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import ClassVar
from urllib.parse import urlsplit

# What makes a URL unsafe is the build's content check's rule: one copy.
from content_safety.rules import (
    SRCSET_ATTRIBUTES,
    UNSAFE_SCHEMES,
    srcset_urls,
    url_as_browser_reads,
    url_scheme,
)
from content_safety.rules import URL_ATTRIBUTES as ANY_URL_ATTRIBUTES

# Script types that browsers execute; anything else (JSON, JSON-LD) is data.
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Attributes whose value is a URL the browser may request or navigate to.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "cite"}
# Attributes whose URL the browser fetches while showing the page (or sends a
# form to): these must stay on the site's own host.
LOADING_ATTRIBUTES = {"src", "srcset", "poster", "data", "action", "formaction"}
# <link rel=...> values that make the browser fetch the href.
LOADING_LINK_RELS = {
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "mask-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "preconnect",
    "dns-prefetch",
}
# Schemes that never reach a server.
LOCAL_SCHEMES = {"mailto", "data", "tel", "blob", "about", "javascript"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    line: int = 0


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    lang: str | None = None

    def find(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def meta(self, key: str) -> str | None:
        for e in self.elements:
            if e.tag == "meta" and key in (e.attrs.get("name"), e.attrs.get("property")):
                return e.attrs.get("content")
        return None

    def title(self) -> str:
        titles = self.find("title")
        return titles[0].text if titles else ""

    def csp_tags(self) -> list[Element]:
        return [
            e
            for e in self.find("meta")
            if e.attrs.get("http-equiv", "").lower() == "content-security-policy"
        ]

    def inline_scripts(self) -> list[Element]:
        return [
            e
            for e in self.find("script")
            if "src" not in e.attrs
            and e.attrs.get("type", "").strip().lower() in EXECUTABLE_SCRIPT_TYPES
        ]

    def event_handler_elements(self) -> list[tuple[Element, str]]:
        return [(e, name) for e in self.elements for name in e.attrs if name.startswith("on")]

    def event_handlers(self) -> list[str]:
        return [f"<{e.tag} {name}=...>" for e, name in self.event_handler_elements()]

    def urls(self) -> list[str]:
        return [url for _, _, url in self.url_attributes()]

    def url_attributes(self) -> list[tuple[Element, str, str]]:
        """(element, attribute, URL) for every URL in the page."""
        found = []
        for e in self.elements:
            for name, value in e.attrs.items():
                if name in URL_ATTRIBUTES and value:
                    found.append((e, name, value))
                elif name == "srcset" and value:
                    found += [
                        (e, name, part.split()[0]) for part in value.split(",") if part.strip()
                    ]
        return found

    def loaded_urls(self) -> list[tuple[Element, str, str]]:
        """URLs the browser fetches (or submits to) on its own: src, srcset,
        poster, object data, form actions and stylesheet, icon or preload
        links. Navigation links (<a href>, canonical, alternate) are not."""
        loaded = []
        for e, name, url in self.url_attributes():
            if name in LOADING_ATTRIBUTES:
                loaded.append((e, name, url))
            elif e.tag == "link" and name == "href":
                rels = set(e.attrs.get("rel", "").lower().split())
                if rels & LOADING_LINK_RELS:
                    loaded.append((e, name, url))
        return loaded

    def unsafe_urls(self) -> list[tuple[Element, str, str]]:
        """(element, attribute, URL) for every javascript:, vbscript: or
        data: URL, however spelled: the parser has decoded character
        references (``java&#115;cript:``), and the scheme is read the way
        browsers read it (``url_scheme``). One exception: an image as the
        page's icon (``<link rel="icon" href="data:image/…">``, the theme's
        inlined SVG): an icon is only ever drawn, never opened or run."""
        found = []
        for e in self.elements:
            for name, value in e.attrs.items():
                if name not in ANY_URL_ATTRIBUTES or not value:
                    continue
                if name in SRCSET_ATTRIBUTES:
                    urls = srcset_urls(value)
                else:
                    urls = value.split() if name == "ping" else [value]
                for url in urls:
                    if url_scheme(url) in UNSAFE_SCHEMES and not _drawn_icon(e, name, url):
                        found.append((e, name, url))
        return found

    def foreign_urls(self, own_host: str | None) -> list[str]:
        """URLs that point to a host other than the site's own."""
        return [url for url in self.urls() if is_foreign(url, own_host)]


def markup_in_text(text: str) -> list[str]:
    """Elements (and comments) that HTML markup in ``text`` makes, as
    html5lib, a spec-conforming parser, reads it: ``a < b`` makes none,
    ``<span>a</span>`` makes ``span``."""
    import html5lib

    fragment = html5lib.parseFragment(text, treebuilder="etree", namespaceHTMLElements=False)
    return [
        e.tag.rsplit("}", 1)[-1] if isinstance(e.tag, str) else "comment"
        for e in fragment.iter()
        if e is not fragment
    ]


def _drawn_icon(element: Element, name: str, url: str) -> bool:
    """An image data: URL as a <link rel="icon">: browsers draw it in the tab
    (SVG as an image runs no script) and never navigate to it."""
    rels = set(element.attrs.get("rel", "").lower().split())
    return (
        element.tag == "link"
        and name == "href"
        and "icon" in rels
        and url_as_browser_reads(url).lower().startswith("data:image/")
    )


def is_foreign(url: str, own_host: str | None) -> bool:
    """True when the URL names a host other than `own_host` (protocol-relative
    `//host/x` included)."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in LOCAL_SCHEMES:
        return False
    return bool(parts.netloc) and parts.hostname != own_host


class _Collector(HTMLParser):
    VOID: ClassVar[set[str]] = {
        "meta",
        "link",
        "img",
        "input",
        "br",
        "hr",
        "source",
        "area",
        "base",
        "col",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v or "") for k, v in attrs}, line=self.getpos()[0])
        self.page.elements.append(element)
        if tag == "html":
            self.page.lang = element.attrs.get("lang")
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        for element in self.open:
            element.text += data


def parse_page(html: str) -> Page:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.page


def html5_errors(html: str) -> list[str]:
    """Parse errors as a spec-conforming HTML5 parser reports them."""
    import html5lib

    parser = html5lib.HTMLParser(strict=False)
    parser.parse(html)
    return [f"line {pos[0]} col {pos[1]}: {code} {data}" for pos, code, data in parser.errors]
