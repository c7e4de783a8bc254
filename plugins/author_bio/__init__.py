"""author_bio: the author's bio, photo and credentials from the settings.

One documented seam, ``initialized``: AUTHOR_BIO (Markdown) is rendered with
the site's MARKDOWN settings and checked with content_safety's rules, like
any article body; AUTHOR_CREDENTIALS must be plain text and AUTHOR_PHOTO a
file in the content folder. The theme reads the results as settings:

- ``AUTHOR_BIO_HTML``: the bio as HTML (Markup), or "" when there is none;
- ``AUTHOR_BIO_TEXT``: its plain text, for JSON-LD and meta descriptions.

A problem is logged as an error naming the setting and how to fix it, then
the build stops with ``AuthorBioError`` before anything is read or written.
The rendered bio is kept in CACHE_PATH (keyed by the bio, MARKDOWN, this
code and Markdown's version), so a warm build runs no Markdown at all.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import textwrap
from importlib import metadata as package_metadata
from pathlib import Path

from listed import listed
from markupsafe import Markup
from pelican import signals

logger = logging.getLogger(__name__)

NAME = "author_bio"
# Markdown's "meta" extension would read a first line such as "Note: …" as
# metadata and drop it from a bio.
SKIPPED_EXTENSIONS = {"markdown.extensions.meta", "meta"}


class AuthorBioError(RuntimeError):
    """Raised when the author settings cannot be published safely."""


def enabled(settings) -> bool:
    return listed(settings, NAME)


def markdown_config(settings) -> dict:
    """The site's MARKDOWN settings, as plain data a bio is rendered with."""
    config = {
        key: value for key, value in (settings.get("MARKDOWN") or {}).items() if key != "extensions"
    }
    config = copy.deepcopy(config)
    config["extensions"] = [
        name
        for name in (settings.get("MARKDOWN") or {}).get("extensions") or []
        if isinstance(name, str)
    ]
    return config


def render_markdown(text: str, settings) -> str:
    """The bio as the site's Markdown reader would render a body."""
    from markdown import Markdown

    config = markdown_config(settings)
    extension_configs = {
        name: options
        for name, options in (config.pop("extension_configs", None) or {}).items()
        if name not in SKIPPED_EXTENSIONS
    }
    # by name only: plugins add extension objects (the widget blocks) that a
    # bio has no use for
    extensions = [
        name
        for name in config.pop("extensions", None) or []
        if isinstance(name, str) and name not in SKIPPED_EXTENSIONS
    ]
    extensions += [name for name in extension_configs if name not in extensions]
    markdown = Markdown(extensions=extensions, extension_configs=extension_configs, **config)
    return markdown.convert(textwrap.dedent(text).strip())


def cached_markdown(text: str, settings) -> str:
    """render_markdown(), from CACHE_PATH when this bio was rendered before."""
    cache_root = settings.get("CACHE_PATH") if settings.get("BUILD_CACHE", True) else None
    if not cache_root:
        return render_markdown(text, settings)
    key = "\0".join(
        (
            text,
            repr(markdown_config(settings)),
            package_metadata.version("markdown"),
            Path(__file__).read_text(encoding="utf-8"),
        )
    )
    path = Path(cache_root) / NAME / (hashlib.sha256(key.encode("utf-8")).hexdigest() + ".html")
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    html = render_markdown(text, settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("*.html"):
            old.unlink()  # one bio per site: keep only the current one
        path.write_text(html, encoding="utf-8")
    except OSError:
        pass  # a read-only cache folder costs one Markdown run, nothing else
    return html


def problems_in(settings) -> tuple[list[str], str]:
    """(problems, bio HTML) for the author settings."""
    from content_safety import policy_for, rules

    found = []
    bio = settings.get("AUTHOR_BIO") or ""
    html = ""
    if not isinstance(bio, str):
        found.append(
            f"AUTHOR_BIO: is a {type(bio).__name__}, not text. "
            'Fix: write the bio as a Markdown string, AUTHOR_BIO = """…"""'
        )
    elif bio.strip():
        html = cached_markdown(bio, settings)
        for finding in rules.body_findings(html, policy_for(settings)):
            found.append(f"AUTHOR_BIO: {finding.what.rstrip('.')}. Fix: {finding.fix.rstrip('.')}.")
    credentials = settings.get("AUTHOR_CREDENTIALS") or []
    if isinstance(credentials, str) or not isinstance(credentials, (list, tuple)):
        found.append(
            "AUTHOR_CREDENTIALS: must be a list of short lines. "
            'Fix: AUTHOR_CREDENTIALS = ["Certified career coach", "…"]'
        )
    else:
        for line in credentials:
            for finding in rules.metadata_findings(str(line), "none"):
                found.append(
                    f"AUTHOR_CREDENTIALS: {str(line)[:40]!r} {finding.what.rstrip('.')}. "
                    f"Fix: {finding.fix.rstrip('.')}."
                )
    photo = settings.get("AUTHOR_PHOTO")
    if photo:
        content = Path(settings.get("PATH") or "content")
        if not isinstance(photo, str) or rules.unsafe_name(photo) or photo.startswith("/"):
            found.append(
                f"AUTHOR_PHOTO: {str(photo)[:60]!r} is not a path in the content folder. "
                'Fix: put the photo in content/images/ and write AUTHOR_PHOTO = "images/name.jpg" '
                "(the site loads nothing from other hosts)"
            )
        elif not (content / photo).is_file():
            found.append(
                f"AUTHOR_PHOTO: {content / photo} does not exist. "
                "Fix: put the photo there, or set AUTHOR_PHOTO = None"
            )
    return found, html


def on_initialized(pelican) -> None:
    settings = pelican.settings
    settings.setdefault("AUTHOR_BIO_HTML", "")
    settings.setdefault("AUTHOR_BIO_TEXT", "")
    if not enabled(settings):
        return
    from content_safety.rules import text_of

    found, html = problems_in(settings)
    for message in found:
        logger.error("%s", message)
    if found:
        raise AuthorBioError(
            f"{len(found)} problem{'s' * (len(found) > 1)} in the author settings (listed above)"
        )
    settings["AUTHOR_BIO_HTML"] = Markup(html)
    settings["AUTHOR_BIO_TEXT"] = text_of(html) if html else ""


def register() -> None:
    signals.initialized.connect(on_initialized)
