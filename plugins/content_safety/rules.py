"""What may not be published, decided on html5lib's parse of the HTML.

html5lib builds the tree the way a browser's HTML parser does (entities
decoded, attribute and tag names lower-cased, SVG and MathML in their
namespaces), so ``java&#115;cript:`` or ``JaVa&#x09;Script:`` are seen as
the browser sees them. No regular expression reads HTML here.

``body_findings(html, policy)`` lists what is wrong with a page body,
``metadata_findings(text, allowed)`` with a title, summary or name. Each
finding says what is wrong, how to fix it, and the ``needles`` to look for
in the source file to find the line.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import html5lib

# Elements that run code, embed another document or change how the page's
# links and scripts resolve. <noscript> is parsed differently by browsers
# (scripting on) and by any checker (scripting off): a way to smuggle markup.
EMBEDDING = {
    "iframe": "embeds another page",
    "frame": "embeds another page",
    "frameset": "embeds other pages",
    "object": "embeds a plugin or another document",
    "embed": "embeds a plugin or another document",
    "applet": "embeds a Java applet",
    "portal": "embeds another page",
    "base": "changes where every link of the page points",
    "noscript": "is read differently with and without JavaScript",
}
# Attributes whose value is a URL (or a list of them) the browser loads,
# navigates to or submits to. xlink:href is SVG's and MathML's href.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "srcset",
    "imagesrcset",
    "data",
    "cite",
    "background",
    "lowsrc",
    "dynsrc",
    "longdesc",
    "ping",
    "manifest",
    "codebase",
    "archive",
    "classid",
    "icon",
    "usemap",
    "profile",
}
SRCSET_ATTRIBUTES = {"srcset", "imagesrcset"}
# SVG animation can set an href to any of these values.
SVG_ANIMATION = {"set", "animate", "animatemotion", "animatetransform"}
SVG_ANIMATION_VALUES = {"to", "from", "by", "values"}
UNSAFE_SCHEMES = {"javascript", "vbscript", "data"}
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
XLINK = "{http://www.w3.org/1999/xlink}"
# What typogrify wraps text in (its amp, caps and initial_quotes filters).
TYPOGRIFY_CLASSES = {"amp", "caps", "dquo", "quo"}
# Inline markup Markdown makes of a Summary: line.
SUMMARY_ELEMENTS = {"p", "em", "strong", "code", "a", "br"}

FIX_SCRIPT = (
    "remove it: the site runs no author scripts. Interactive parts are widgets "
    "(::: assessment, ::: checklist); anything else goes in a script file of the theme"
)
FIX_HANDLER = (
    "remove the {name} attribute (in Markdown also from a {{…}} attribute list): "
    "pages run no inline code"
)
FIX_URL = "link to a page or file with a http(s), mailto or relative URL"
FIX_EMBED = "remove it; link to the page or file instead, or copy the image into content/images/"
FIX_META = "remove it: the theme writes the page's <head>, including its one CSP meta tag"
FIX_SRCDOC = "remove the srcdoc attribute: pages embed no other documents"
FIX_PLAIN = "write plain text: the theme escapes <, > and & for you"
FIX_SUMMARY = (
    "write the summary in plain Markdown (emphasis, code and links are fine) with no HTML tags"
)
FIX_FORM = (
    "let the form submit to this site (a relative action) or link to the other "
    "site's form instead: readers' answers never leave the site"
)


@dataclass(frozen=True)
class Finding:
    what: str
    fix: str
    needles: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Policy:
    """What this build allows.

    - ``own_host``: SITEURL's host (None when SITEURL is relative); forms may
      submit there.
    - ``widget_tags``: the widgets' elements (``habit-assessment``…); only
      inside them a JSON data island or a module script from the site's
      widget assets is allowed.
    - ``widget_script_prefixes``: the beginnings a widget's module script
      ``src`` may have: the ``{filename}`` link the widget core writes and
      the site URL of the widget assets folder it resolves to.
    """

    own_host: str | None = None
    widget_tags: frozenset[str] = frozenset()
    widget_script_prefixes: tuple[str, ...] = ()


def parse(html: str):
    return html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)


def local_name(name) -> str:
    """Tag or attribute name without its namespace, lower-cased; xlink:href
    keeps its prefix."""
    if not isinstance(name, str):
        return ""
    if name.startswith(XLINK):
        return "xlink:" + name[len(XLINK) :].lower()
    return name.rsplit("}", 1)[-1].lower()


def walk(element, ancestors=()):
    """(element, its ancestors' names) for every element below ``element``;
    comments are skipped (they are inert)."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        yield child, ancestors
        yield from walk(child, (*ancestors, local_name(child.tag)))


def url_as_browser_reads(value: str) -> str:
    """A URL as the browser's URL parser sees it: leading and trailing C0
    controls and spaces stripped, tabs and newlines removed anywhere."""
    return re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21)))))


def url_scheme(value: str) -> str:
    match = SCHEME.match(url_as_browser_reads(value))
    return match.group(1).lower() if match else ""


def srcset_urls(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.split()]


def is_foreign_target(url: str, own_host: str | None) -> bool:
    """True when submitting to ``url`` leaves the site: another host, or a
    scheme other than http(s)."""
    url = url_as_browser_reads(url)
    parts = urlsplit(url)
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return True
    if url.startswith("//") or parts.netloc:
        return not own_host or (parts.hostname or "") != own_host
    return False


def _unsafe_url(element: str, name: str, url: str) -> Finding | None:
    scheme = url_scheme(url)
    if scheme not in UNSAFE_SCHEMES:
        return None
    shown = url_as_browser_reads(url)[:40]
    return Finding(
        f"<{element} {name}={shown!r}> is a {scheme}: URL, which can run code",
        FIX_URL,
        (f"{scheme}:", name),
    )


def _widget_script(element, attrs: dict, ancestors, policy: Policy) -> bool:
    """The only scripts allowed: exactly what the widget plugins write, and
    only inside a widget element.

    - the data island: ``<script type="application/json" class=… id=…>``
      with no src;
    - the module: ``<script type="module" src=…>`` with no text, its src a
      link into the site's widget assets.
    """
    if not policy.widget_tags.intersection(ancestors):
        return False
    kind = attrs.get("type", "").strip().lower()
    if kind == "application/json":
        return set(attrs) <= {"type", "class", "id"}
    if kind == "module" and set(attrs) == {"type", "src"} and not (element.text or "").strip():
        src = re.sub(r"^(?:\.\.?/)+", "", url_as_browser_reads(attrs["src"]))
        return any(
            src.startswith(prefix) and _plain_asset_name(src[len(prefix) :])
            for prefix in policy.widget_script_prefixes
        )
    return False


def _plain_asset_name(rest: str) -> bool:
    return re.fullmatch(r"[A-Za-z0-9_\-]+\.js", rest) is not None


def body_findings(html: str, policy: Policy) -> list[Finding]:
    findings: list[Finding] = []
    for element, ancestors in walk(parse(html)):
        tag = local_name(element.tag)
        attrs = {local_name(k): v for k, v in element.attrib.items()}
        if tag == "script":
            if not _widget_script(element, attrs, ancestors, policy):
                findings.append(Finding("<script> element", FIX_SCRIPT, ("<script",)))
        elif tag in EMBEDDING:
            findings.append(Finding(f"<{tag}> element {EMBEDDING[tag]}", FIX_EMBED, (f"<{tag}",)))
        elif tag == "meta" and "http-equiv" in attrs:
            findings.append(
                Finding(
                    f'<meta http-equiv="{attrs["http-equiv"]}"> in the body',
                    FIX_META,
                    ("http-equiv", "<meta"),
                )
            )
        for name, value in attrs.items():
            if name.startswith("on"):
                findings.append(
                    Finding(
                        f"<{tag} {name}=…> runs code when the reader interacts",
                        FIX_HANDLER.format(name=name),
                        (name,),
                    )
                )
            elif name == "srcdoc":
                findings.append(
                    Finding(f"<{tag} srcdoc=…> embeds a document", FIX_SRCDOC, ("srcdoc",))
                )
            elif name in SRCSET_ATTRIBUTES:
                findings += filter(None, (_unsafe_url(tag, name, u) for u in srcset_urls(value)))
            elif name in URL_ATTRIBUTES:
                finding = _unsafe_url(tag, name, value)
                if finding:
                    findings.append(finding)
            elif tag in SVG_ANIMATION and name in SVG_ANIMATION_VALUES:
                findings += filter(None, (_unsafe_url(tag, name, u) for u in value.split(";")))
        targets = []
        if tag == "form" and "action" in attrs:
            targets.append(("action", attrs["action"]))
        if "formaction" in attrs:
            targets.append(("formaction", attrs["formaction"]))
        for name, url in targets:
            if url_scheme(url) not in UNSAFE_SCHEMES and is_foreign_target(url, policy.own_host):
                findings.append(
                    Finding(
                        f"<{tag} {name}={url!r}> sends the form to another site",
                        FIX_FORM,
                        (url, name),
                    )
                )
    return findings


def markup_in(text: str, allowed: str = "typogrify") -> list[str]:
    """The markup in a metadata value that is not allowed there, as short
    descriptions (``<img>``, ``comment``). ``allowed``: "none" (names),
    "typogrify" (titles: typogrify's spans) or "summary" (also Markdown's
    inline markup, with safe links)."""
    found = []
    fragment = parse(text)
    for element, _ in walk(fragment):
        tag = local_name(element.tag)
        attrs = {local_name(k): v for k, v in element.attrib.items()}
        if allowed != "none" and tag == "span" and _typogrify_span(attrs):
            continue
        if allowed == "summary" and tag in SUMMARY_ELEMENTS:
            extra = set(attrs) - ({"href", "title"} if tag == "a" else set())
            if not extra and url_scheme(attrs.get("href", "")) not in UNSAFE_SCHEMES:
                continue
        found.append(f"<{tag}>")
    if "<!--" in text and not found:
        found.append("an HTML comment")
    return found


def _typogrify_span(attrs: dict) -> bool:
    return set(attrs) == {"class"} and attrs["class"] in TYPOGRIFY_CLASSES


def text_of(value: str) -> str:
    """The text of a metadata value as a reader sees it: markup dropped,
    entities decoded, whitespace collapsed."""
    return " ".join("".join(parse(value).itertext()).split())


@functools.lru_cache(maxsize=8192)
def metadata_findings(value: str, allowed: str) -> tuple[Finding, ...]:
    """Memoised: tags, categories and authors repeat across a site."""
    return tuple(_metadata_findings(value, allowed))


def _metadata_findings(value: str, allowed: str) -> list[Finding]:
    if "<" not in value and "&" not in value:
        return []  # no markup and no character references to read
    bad = markup_in(value, allowed)
    if bad:
        return [
            Finding(
                f"contains HTML markup ({', '.join(sorted(set(bad)))})",
                FIX_SUMMARY if allowed == "summary" else FIX_PLAIN,
                tuple(b.strip("<>") for b in bad),
            )
        ]
    decoded = text_of(value)
    if markup_in(decoded, "none"):
        # entities that spell markup (&lt;img …&gt;): text on the page, but
        # an RSS reader that reads titles as HTML would run it
        return [
            Finding(
                f"spells HTML markup with character references ({decoded[:60]!r})",
                "write plain words: a title or name never needs < or > as markup",
            )
        ]
    return []


def unsafe_name(value: str) -> bool:
    """Slugs and URLs the theme writes into href attributes: no quotes,
    angle brackets, backticks or white space, no scheme."""
    return bool(re.search(r"[\"'<>`\s\\]", value)) or url_scheme(value) != ""


def asset_prefixes(siteurl: str, assets_dir: str) -> tuple[str, ...]:
    """Where a widget module script may come from: the widget core's
    ``{filename}`` link and the URLs Pelican resolves it to."""
    folder = posixpath.normpath(assets_dir.strip("/")) + "/"
    prefixes = ["{filename}/__widget_assets__/", "/" + folder, folder]
    if siteurl:
        prefixes.insert(0, siteurl.rstrip("/") + "/" + folder)
    return tuple(prefixes)
