"""Feeds gate: the rules a feed validator (and feed readers) apply, checked
directly because no W3C feed validator installs offline.

Every Atom and RSS file in the site must:
- parse without feedparser's `bozo` flag (well-formed XML, a known format);
- carry an absolute rel="self" link to where it is published;
- give the site and every entry an absolute link on the site's host;
- give every entry an absolute id (no `tag:None`), unique in the feed and the
  same in every feed that carries the entry (a stable id);
- mark RSS guids that are not URLs isPermaLink="false";
- keep titles plain text (no markup such as typogrify's <span class="amp">,
  no character references: a reader may read an RSS title as HTML);
- use absolute URLs inside entry content, so links work in a reader;
- carry nothing executable in entry content and summaries: no <script>, no
  on* attribute, no javascript:, vbscript: or data: URL.
The feeds the settings ask for (FEED_ALL_ATOM, FEED_ALL_RSS, ...) must exist.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from sitecheck import GateResult, Site
from sitecheck.pages import markup_in_text, parse_page, url_scheme

ATOM = "{http://www.w3.org/2005/Atom}"
FEED_SETTINGS = ["FEED_ATOM", "FEED_RSS", "FEED_ALL_ATOM", "FEED_ALL_RSS"]
FIX_SETTINGS = "set FEED_DOMAIN = SITEURL and RELATIVE_URLS = False (publishconf.py)"
FIX_EXECUTABLE = (
    "feeds carry the article's HTML: remove the script, handler or URL from the "
    "Markdown source (the content_safety plugin stops the build on it and names the "
    "line) or from the plugin that writes it into the feed"
)
FIX_TITLE = (
    "titles in feeds must be plain text: strip markup in the feed (typogrify adds "
    "<span> to titles; Pelican's feed writer must get the plain title)"
)


def is_absolute(url: str | None) -> bool:
    if not url:
        return False
    parts = urlsplit(url)
    return bool(parts.scheme) and (parts.scheme in ("tag", "urn") or bool(parts.netloc))


def is_url(value: str) -> bool:
    return re.match(r"https?://", value or "") is not None


def line_of(text: str, needle: str | None) -> int | None:
    if not needle:
        return None
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def feed_files(site: Site) -> list[Path]:
    """Every XML file in the site whose root is an Atom feed or RSS channel."""
    found = []
    for path in sorted(site.root.rglob("*.xml")):
        with path.open("rb") as handle:
            head = handle.read(2048)
        if re.search(rb"<(feed|rss)[\s>]", head):
            found.append(path)
    return found


def expected_feeds(site: Site) -> list[str]:
    """Feeds the settings promise that do not depend on a category or tag."""
    return [site.settings[name] for name in FEED_SETTINGS if site.settings.get(name)]


def _entries(root: ET.Element) -> list[dict]:
    """Entries of an Atom or RSS document as {title, link, id, guid, content}
    (content: the HTML of the summary and the content together)."""
    entries = []
    if root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            links = [
                link.get("href")
                for link in entry.findall(f"{ATOM}link")
                if link.get("rel", "alternate") == "alternate"
            ]
            content = (entry.findtext(f"{ATOM}summary") or "") + (
                entry.findtext(f"{ATOM}content") or ""
            )
            entries.append(
                {
                    "title": entry.findtext(f"{ATOM}title"),
                    "link": links[0] if links else None,
                    "id": entry.findtext(f"{ATOM}id"),
                    "guid": None,
                    "content": content,
                }
            )
    else:
        for item in root.iter("item"):
            guid = item.find("guid")
            entries.append(
                {
                    "title": item.findtext("title"),
                    "link": item.findtext("link"),
                    "id": guid.text if guid is not None else None,
                    "guid": guid,
                    "content": item.findtext("description") or "",
                }
            )
    return entries


def check(site: Site) -> GateResult:
    import feedparser

    result = GateResult("feeds")
    files = feed_files(site)
    for relative in expected_feeds(site):
        if not (site.root / relative).is_file():
            result.add(
                relative,
                "the settings ask for this feed but it was not built",
                "check the FEED_* settings and that the site has articles",
            )
    if not files:
        if not expected_feeds(site):
            result.notes.append("skipped: this build writes no feeds (no FEED_* settings)")
        result.checked = "no feeds"
        return result

    ids_by_link: dict[str, dict[str, str]] = {}
    entry_count = 0
    for path in files:
        relative = site.rel(path)
        raw = path.read_bytes()
        text = raw.decode("utf-8", errors="replace")
        parsed = feedparser.parse(raw)
        if parsed.bozo:
            error = parsed.get("bozo_exception")
            line = getattr(error, "getLineNumber", lambda: None)()
            where = f"{relative}:{line}" if line else relative
            result.add(
                where,
                f"feed readers reject this feed: {error}",
                "the feed must be well-formed XML: look for an unescaped & or < in a title "
                "or summary, or a broken template",
            )
            continue
        root = ET.fromstring(raw)
        is_rss = root.tag == "rss"
        channel = root.find("channel") if is_rss else root

        # the feed itself
        self_links = [
            link.get("href") for link in channel.iter(f"{ATOM}link") if link.get("rel") == "self"
        ]
        expected_self = f"{site.siteurl}/{relative}" if site.siteurl else None
        if not self_links:
            result.add(relative, 'no rel="self" link', "Pelican writes one when FEED_DOMAIN is set")
        for href in self_links:
            if not is_absolute(href) or (expected_self and href != expected_self):
                result.add(
                    f"{relative}:{line_of(text, href) or 1}",
                    f'rel="self" link {href!r} is not this feed\'s address {expected_self!r}',
                    FIX_SETTINGS,
                )
        home = channel.findtext("link") if is_rss else None
        if not is_rss:
            homes = [
                link.get("href")
                for link in channel.findall(f"{ATOM}link")
                if link.get("rel", "alternate") == "alternate"
            ]
            home = homes[0] if homes else None
        if not is_absolute(home):
            result.add(relative, f"the feed's site link {home!r} is not absolute", FIX_SETTINGS)
        feed_title = channel.findtext("title") if is_rss else channel.findtext(f"{ATOM}title")
        if not (feed_title or "").strip() or "<" in (feed_title or ""):
            result.add(relative, f"feed title {feed_title!r} is empty or not plain", FIX_TITLE)
        if is_rss and not (channel.findtext("description") or "").strip():
            result.add(
                relative,
                "RSS channel has no description",
                "set SITESUBTITLE (the channel description)",
            )

        # its entries
        seen: dict[str, str] = {}
        for entry in _entries(root):
            entry_count += 1
            title = entry["title"] or ""
            entry_id = entry["id"] or ""
            link = entry["link"] or ""
            where = f"{relative}:{line_of(text, entry_id or link or title) or 1}"
            label = f"entry {' '.join(title.split())[:60]!r}"
            if not title.strip():
                result.add(where, f"{label} has no title", "give the article a Title")
            elif markup_in_text(title) or re.search(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", title, re.I):
                result.add(where, f"{label}: title is not plain text", FIX_TITLE)
            if not is_absolute(link) or not link.startswith(site.siteurl + "/"):
                result.add(
                    where,
                    f"{label}: link {link!r} is not an absolute URL on {site.siteurl or 'SITEURL'}",
                    FIX_SETTINGS,
                )
            if not is_absolute(entry_id) or "None" in entry_id:
                result.add(
                    where,
                    f"{label}: id {entry_id!r} is not an absolute, site-specific id",
                    "set FEED_DOMAIN = SITEURL (publishconf.py); Pelican builds tag: ids from it",
                )
            elif entry_id in seen:
                result.add(
                    where,
                    f"{label}: id {entry_id!r} is also the id of {seen[entry_id]!r}",
                    "every entry needs its own id: two articles share a URL or date and slug",
                )
            else:
                seen[entry_id] = title
            if link and entry_id:
                ids_by_link.setdefault(link, {})[relative] = entry_id
            guid = entry["guid"]
            if (
                guid is not None
                and not is_url(guid.text or "")
                and guid.get("isPermaLink") != "false"
            ):
                result.add(
                    where,
                    f'{label}: RSS guid {guid.text!r} is not a URL but lacks isPermaLink="false"',
                    "enable the feed_guids plugin (PLUGINS in pelicanconf.py)",
                )
            body = parse_page(entry["content"])
            executable = [f"<{e.tag}> element" for e in body.find("script")]
            executable += [
                f"<{e.tag} {name}=…> handler" for e, name in body.event_handler_elements()
            ]
            executable += [
                f"<{e.tag} {name}={' '.join(url.split())[:40]!r}> ({url_scheme(url)}: URL)"
                for e, name, url in body.unsafe_urls()
            ]
            if executable:
                result.add(
                    where,
                    f"{label}: the content or summary has " + ", ".join(executable[:3]),
                    FIX_EXECUTABLE,
                )
            relative_urls = [
                url for url in body.urls() if not urlsplit(url).scheme and not url.startswith("//")
            ]
            if relative_urls:
                result.add(
                    where,
                    f"{label}: relative URL(s) in the content, which break in feed readers: "
                    + ", ".join(relative_urls[:3]),
                    "a {filename}/{static} link Pelican could not resolve: fix its path in "
                    "the Markdown source"
                    if any("{" in url for url in relative_urls)
                    else "publish with RELATIVE_URLS = False and link with {filename}/{static} "
                    "in Markdown instead of writing paths by hand",
                )

    # stability: an entry keeps one id wherever it appears
    for link, ids in sorted(ids_by_link.items()):
        if len(set(ids.values())) > 1:
            detail = ", ".join(f"{feed}: {entry_id}" for feed, entry_id in sorted(ids.items()))
            result.add(
                link,
                f"the entry has different ids in different feeds ({detail})",
                "ids must not depend on the feed or the build: use Pelican's tag: ids "
                "(FEED_DOMAIN) and no plugin that rewrites them per feed",
            )
    result.checked = f"{len(files)} feeds, {entry_count} entries"
    return result
