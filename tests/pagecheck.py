"""Read built HTML the way the tests need: elements, attributes and URLs."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import ClassVar
from urllib.parse import urlsplit

# Script types that browsers execute; anything else (JSON, JSON-LD) is data.
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Attributes whose value is a URL the browser may request or navigate to.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "cite"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


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

    def inline_scripts(self) -> list[Element]:
        return [
            e
            for e in self.find("script")
            if "src" not in e.attrs
            and e.attrs.get("type", "").strip().lower() in EXECUTABLE_SCRIPT_TYPES
        ]

    def event_handlers(self) -> list[str]:
        return [
            f"<{e.tag} {name}=...>"
            for e in self.elements
            for name in e.attrs
            if name.startswith("on")
        ]

    def urls(self) -> list[str]:
        found = []
        for e in self.elements:
            for name, value in e.attrs.items():
                if name in URL_ATTRIBUTES and value:
                    found.append(value)
                elif name == "srcset" and value:
                    found += [part.split()[0] for part in value.split(",") if part.strip()]
        return found

    def foreign_urls(self, own_host: str | None) -> list[str]:
        """URLs that point to a host other than the site's own."""
        foreign = []
        for url in self.urls():
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "data", "tel"):
                continue
            if parts.netloc and parts.hostname != own_host:
                foreign.append(url)
        return foreign


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
        element = Element(tag, {k: (v or "") for k, v in attrs})
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
