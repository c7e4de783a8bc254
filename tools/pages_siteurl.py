"""The address the CI deploy (.github/workflows/pages.yml) publishes for.

    PYTHONPATH=tools:plugins .venv/bin/python tools/pages_siteurl.py

prints, in this order of preference: the repository variable SITEURL (passed
as the environment variable SITEURL_VARIABLE); PUBLISH_SITEURL from
pelicanconf.py, once it is a real address rather than the demo's reserved
one ("Make it yours" in README.md); else the repository's own GitHub Pages
address from OWNER and REPOSITORY: https://owner.github.io/repository, or
https://owner.github.io for a repository named owner.github.io.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from placeholders import reserved_host

REPO = Path(__file__).resolve().parent.parent


def site_address(variable: str, publish_siteurl: str, owner: str, repository: str) -> str:
    if variable.strip():
        return variable.strip().rstrip("/")
    if publish_siteurl and not reserved_host(urlsplit(publish_siteurl).hostname):
        return publish_siteurl.rstrip("/")
    # GitHub Pages host names are lower case
    owner = owner.lower()
    if repository.lower() == f"{owner}.github.io":
        return f"https://{owner}.github.io"
    return f"https://{owner}.github.io/{repository}"


def main() -> int:
    from sitecheck import load_settings

    owner, repository = os.environ.get("OWNER", ""), os.environ.get("REPOSITORY", "")
    variable = os.environ.get("SITEURL_VARIABLE", "")
    if not variable.strip() and not (owner and repository):
        print("pages_siteurl: set SITEURL_VARIABLE, or OWNER and REPOSITORY", file=sys.stderr)
        return 2
    settings = load_settings(REPO / "pelicanconf.py")
    publish_siteurl = str(settings.get("PUBLISH_SITEURL") or "")
    print(site_address(variable, publish_siteurl, owner, repository))
    return 0


if __name__ == "__main__":
    sys.exit(main())
