"""Privacy and CSP gate: every page carries the site's Content-Security-Policy
meta tag before anything it governs, runs no inline script or on*= handler
(the CSP would block them), has no style= attribute or <style> block
(style-src 'self'), and loads nothing from another host: no foreign URL in
src/srcset/poster/data, stylesheet, icon or preload links, or form actions.
Stylesheets may not @import or url() another host either. No URL attribute
is a javascript:, vbscript: or data: URL, however spelled (character
references, tabs, case), except an image as the page's icon (the theme
inlines its SVG icon: drawn, never opened or run).

Links a reader clicks (<a href>) may point anywhere: they load nothing.
"""

from __future__ import annotations

import re

from sitecheck import GateResult, Site
from sitecheck.pages import is_foreign, parse_page, url_scheme

CSP_NEEDS = ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'self'"]
# source values that let in inline code or any host
CSP_FORBIDS = ["'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"]
TEMPLATE_HINT = "theme/templates/base.html writes it for every page"
FIX_SCRIPT = (
    "move the code into a file under theme/static/js/ and load it from the theme's "
    'templates with <script src="…" defer>'
)
FIX_HANDLER = (
    "remove the attribute and attach the handler with addEventListener() in a script "
    "file under theme/static/js/"
)
FIX_FOREIGN = (
    "copy the file into the site (content/images/ or theme/static/) and link it "
    "relative to SITEURL: the site loads nothing from other hosts"
)
FIX_STYLE = "move the rule into theme/static/css/site.css and use a class"
FIX_UNSAFE_URL = (
    "link with a http(s), mailto or relative URL: javascript:, vbscript: and data: URLs "
    "run code or open a document of their own (the content_safety plugin names the "
    "Markdown line; a template builds URLs from SITEURL)"
)
CSS_FOREIGN = re.compile(
    r"""@import\s+(?:url\()?\s*['"]?(?P<import>[^'")\s;]+)|url\(\s*['"]?(?P<url>[^'")\s]+)""",
    re.I,
)


def check_page(site: Site, relative: str, html: str, result: GateResult) -> None:
    page = parse_page(html)
    policies = page.csp_tags()
    if len(policies) != 1:
        result.add(
            relative,
            f"{len(policies)} Content-Security-Policy meta tags, need exactly one",
            f"keep the one CSP <meta http-equiv> in <head>; {TEMPLATE_HINT}",
        )
    for policy_tag in policies:
        where = f"{relative}:{policy_tag.line}"
        policy = policy_tag.attrs.get("content", "")
        missing = [d for d in CSP_NEEDS if d not in policy]
        if missing:
            result.add(
                where, f"CSP lacks {', '.join(missing)}", f"restore the policy; {TEMPLATE_HINT}"
            )
        directives = [d.split() for d in policy.split(";") if d.strip()]
        loose = sorted({v for d in directives for v in d[1:] if v in CSP_FORBIDS})
        if loose:
            result.add(
                where,
                f"CSP allows {', '.join(loose)}",
                "remove it: the site needs no inline code or wildcard sources",
            )
        earlier = [
            e
            for e in page.elements
            if e.line < policy_tag.line
            and (e.tag in ("script", "style") or (e.tag == "link" and "href" in e.attrs))
        ]
        if earlier:
            result.add(
                where,
                f"<{earlier[0].tag}> on line {earlier[0].line} comes before the CSP meta tag, "
                "which does not govern it",
                "put the CSP meta tag first in <head>, right after <meta charset>; "
                + TEMPLATE_HINT,
            )
    for script in page.inline_scripts():
        snippet = " ".join(script.text.split())[:60]
        result.add(f"{relative}:{script.line}", f"inline <script> {snippet!r}", FIX_SCRIPT)
    for element, name in page.event_handler_elements():
        result.add(f"{relative}:{element.line}", f"<{element.tag} {name}=…> handler", FIX_HANDLER)
    for element in page.elements:
        if "style" in element.attrs:
            result.add(
                f"{relative}:{element.line}",
                f"<{element.tag} style=\"…\"> (the CSP style-src 'self' blocks it)",
                FIX_STYLE,
            )
        elif element.tag == "style":
            result.add(
                f"{relative}:{element.line}",
                "<style> block (the CSP style-src 'self' blocks it)",
                FIX_STYLE,
            )
    for element, name, url in page.unsafe_urls():
        shown = " ".join(url.split())[:60]
        result.add(
            f"{relative}:{element.line}",
            f"<{element.tag} {name}={shown!r}> is a {url_scheme(url)}: URL",
            FIX_UNSAFE_URL,
        )
    for element, name, url in page.loaded_urls():
        if is_foreign(url, site.own_host):
            result.add(
                f"{relative}:{element.line}",
                f"<{element.tag} {name}={url!r}> loads from another host",
                FIX_FOREIGN,
            )


def check_css(site: Site, relative: str, css: str, result: GateResult) -> None:
    for match in CSS_FOREIGN.finditer(css):
        url = match.group("import") or match.group("url")
        line = css.count("\n", 0, match.start()) + 1
        if is_foreign(url, site.own_host):
            result.add(
                f"{relative}:{line}",
                f"stylesheet loads {url!r} from another host",
                "copy the file into theme/static/ and refer to it with a relative url()",
            )


def check(site: Site) -> GateResult:
    result = GateResult("privacy")
    pages = site.html_files()
    for path in pages:
        check_page(site, site.rel(path), path.read_text(encoding="utf-8"), result)
    stylesheets = sorted(site.root.rglob("*.css"))
    for path in stylesheets:
        check_css(site, site.rel(path), path.read_text(encoding="utf-8"), result)
    result.checked = f"{len(pages)} pages, {len(stylesheets)} stylesheets"
    if not pages:
        result.add(".", "no HTML pages to check", "build the site first")
    return result
