"""The demo's placeholders an author must replace before the site goes live
(README, "Make it yours"): the default author, the placeholder bio, and
reserved example addresses (``.example``, ``example.org``…) in SITEURL, the
settings and the content.

    PYTHONPATH=tools .venv/bin/python tools/placeholders.py \\
        --settings publishconf.py --content content [--refuse] [--allow]

Prints one line per placeholder left, on stderr. Without --refuse it only
warns (`make publish`) and exits 0. With --refuse (`make github`) it exits 1
while any is left, unless --allow or ALLOW_PLACEHOLDERS=1 says to deploy the
demo anyway. Settings are read as Pelican reads them (read_settings), with
SITEURL from the environment for publishconf.py.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# What the demo ships with (pelicanconf.py, "Make it yours").
DEFAULT_AUTHOR = "Career Exercise editors"
BIO_MARKER = "This is a placeholder bio"
# RFC 2606 / 6761 names that can never be anyone's real address.
RESERVED_SUFFIXES = (".example", ".invalid", ".test", ".localhost")
RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
CONTENT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".rst")
EMAIL = re.compile(r"[\w.+-]+@(?P<host>(?:[\w-]+\.)+[\w-]+)")
WEB_URL = re.compile(r"https?://(?P<host>[\w.-]+)")
SETTINGS_FILE = "pelicanconf.py"


@dataclass(frozen=True)
class Placeholder:
    where: str
    what: str
    fix: str

    def __str__(self) -> str:
        return f"placeholder: {self.where}: {self.what}. Fix: {self.fix}."


def reserved_host(host: str | None) -> bool:
    host = (host or "").lower().rstrip(".")
    return host.endswith(RESERVED_SUFFIXES) or any(
        host == domain or host.endswith("." + domain) for domain in RESERVED_DOMAINS
    )


def strings_in(value, path: str):
    """(setting path, text) of every string inside a setting's value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(item, f"{path}[{key!r}]")
    elif isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            yield from strings_in(item, f"{path}[{index}]")


def settings_placeholders(settings: dict) -> list[Placeholder]:
    found = []
    author = settings.get("AUTHOR")
    if author == DEFAULT_AUTHOR:
        found.append(
            Placeholder(
                "AUTHOR",
                f"still the demo's {DEFAULT_AUTHOR!r}",
                f"set AUTHOR in {SETTINGS_FILE} to your name",
            )
        )
    if BIO_MARKER.lower() in str(settings.get("AUTHOR_BIO") or "").lower():
        found.append(
            Placeholder(
                "AUTHOR_BIO",
                "still the demo's placeholder bio",
                f"write your own bio in AUTHOR_BIO ({SETTINGS_FILE}) and drop the marker line",
            )
        )
    siteurl = settings.get("SITEURL") or ""
    if reserved_host(urlsplit(siteurl).hostname):
        found.append(
            Placeholder(
                "SITEURL",
                f"{siteurl} is a reserved example address",
                f"set PUBLISH_SITEURL in {SETTINGS_FILE} (or SITEURL in the environment) "
                "to the address the site is published at",
            )
        )
    newsletter = settings.get("NEWSLETTER_URL")
    if isinstance(newsletter, str) and reserved_host(urlsplit(newsletter).hostname):
        found.append(
            Placeholder(
                "NEWSLETTER_URL",
                f"{newsletter} is a reserved example address",
                f"set NEWSLETTER_URL in {SETTINGS_FILE} to your sign-up page, or to None",
            )
        )
    # email addresses anywhere in the settings (REPLY_EMAIL, menu links…)
    for name in sorted(k for k in settings if k.isupper()):
        for path, text in strings_in(settings[name], name):
            for match in EMAIL.finditer(text):
                if reserved_host(match["host"]):
                    found.append(
                        Placeholder(
                            path,
                            f"{match[0]} is a reserved example address",
                            f"set {name} in {SETTINGS_FILE} to an inbox you read",
                        )
                    )
    return found


def content_placeholders(content: Path, shown_from: Path) -> list[Placeholder]:
    found = []
    for path in sorted(content.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in CONTENT_SUFFIXES:
            continue
        try:
            shown = path.resolve().relative_to(shown_from.resolve()).as_posix()
        except ValueError:
            shown = str(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            seen = set()
            for pattern in (EMAIL, WEB_URL):
                for match in pattern.finditer(line):
                    address = match[0]
                    if reserved_host(match["host"]) and address not in seen:
                        seen.add(address)
                        found.append(
                            Placeholder(
                                f"{shown}:{number}",
                                f"{address} is a reserved example address",
                                "replace it with a real one, or remove it",
                            )
                        )
    return found


def find_placeholders(settings: dict, content: Path | None, shown_from: Path) -> list[Placeholder]:
    found = settings_placeholders(settings)
    if content is not None and content.is_dir():
        found += content_placeholders(content, shown_from)
    return found


def load_settings(settings_file: Path) -> dict:
    from sitecheck import load_settings as read

    return read(settings_file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", type=Path, required=True)
    parser.add_argument("--content", type=Path)
    parser.add_argument(
        "--refuse", action="store_true", help="exit 1 while any placeholder is left (deploys)"
    )
    parser.add_argument(
        "--allow", action="store_true", help="with --refuse: deploy anyway (ALLOW_PLACEHOLDERS=1)"
    )
    parser.add_argument("--name", default="publish", help="what runs this, for the messages")
    args = parser.parse_args(argv)
    allow = args.allow or os.environ.get("ALLOW_PLACEHOLDERS") == "1"
    settings = load_settings(args.settings)
    found = find_placeholders(settings, args.content, Path.cwd())
    if not found:
        return 0
    count = f"{len(found)} placeholder{'s' * (len(found) > 1)}"
    for placeholder in found:
        print(placeholder, file=sys.stderr)
    if not args.refuse:
        print(
            f'{args.name}: {count} left (listed above): see "Make it yours" in README.md',
            file=sys.stderr,
        )
        return 0
    if allow:
        print(
            f"{args.name}: deploying with {count} left, as ALLOW_PLACEHOLDERS=1 asks",
            file=sys.stderr,
        )
        return 0
    print(
        f"{args.name}: refusing to deploy the demo: {count} left (listed above). "
        'Fix: replace them (README.md, "Make it yours"), or deploy anyway with '
        f"`make {args.name} ALLOW_PLACEHOLDERS=1`. Nothing was built or pushed.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
