"""Scheduled posts: an article dated in the future is nowhere in a publish
build (no page, listing, tag or category page, feed, sitemap or drafts/
file) until its date, and a local build shows it marked "Scheduled"."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PUBLISH_SITEURL, REPO, build_site, write_content

SMALL_SITE = Path(__file__).resolve().parent / "fixtures" / "small-site"
# Words that appear only in the scheduled article, so any leak is found.
SLUG = "the-launch-nobody-has-seen"
TITLE = "The Launch Nobody Has Seen"
TAG = "embargoed-topic"
CATEGORY = "Embargoed"
IN_A_WEEK = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)


def future_article(date: datetime.datetime, status: str = "") -> str:
    return f"""
        Title: {TITLE}
        Date: {date:%Y-%m-%d %H:%M}
        Slug: {SLUG}
        Category: {CATEGORY}
        Tags: {TAG}, resume
        Summary: Nobody should read this before its day.
        {status}
        ## Not yet

        Embargoed body text.
        """


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("scheduled") / "content"
    shutil.copytree(SMALL_SITE, root)
    return write_content(root, {"articles/scheduled.md": future_article(IN_A_WEEK)})


# Publish builds run in a fresh Python, as `make publish` does: the sitemap
# plugin keeps state between builds in one process, and a build that failed
# earlier in the test session can leave it stuck, with no sitemap written.
PUBLISH = """
import datetime, json, sys, types
content, output, cache, now = sys.argv[1:5]
if now:
    import pelican.contents
    later = datetime.datetime.fromisoformat(now)

    class Later(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return later.astimezone(tz) if tz else later.replace(tzinfo=None)

    # Pelican decides in pelican.contents, with datetime.datetime.now()
    pelican.contents.datetime = types.SimpleNamespace(datetime=Later, UTC=datetime.UTC)
from pathlib import Path
from conftest import build_site
site = build_site(Path(output), publish=True, PATH=content, CACHE_PATH=cache)
print(json.dumps(site.problems()))
"""


def publish(content: Path, output: Path, cache: Path, now: datetime.datetime | None = None):
    """Build `content` with publishconf.py; `now` pretends the build runs then.
    Returns the output folder and the warnings logged."""
    paths = os.pathsep.join(str(REPO / name) for name in (".", "tests", "plugins", "tools"))
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PUBLISH,
            str(content),
            str(output),
            str(cache),
            now.isoformat() if now else "",
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": paths},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return output, json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def published(content, tmp_path_factory):
    root = tmp_path_factory.mktemp("scheduled-pub")
    return publish(content, root / "output", root / "cache")


def leaks(output: Path) -> list[str]:
    """Every output file that names the scheduled article, or is its page."""
    found = []
    for path in output.rglob("*"):
        relative = path.relative_to(output).as_posix()
        if SLUG in relative or "embargoed" in relative.lower() or relative.startswith("drafts"):
            found.append(relative)
        elif path.is_file() and path.suffix in (".html", ".xml", ".txt", ".json", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            if SLUG in text or TITLE in text or TAG in text or "Embargoed" in text:
                found.append(relative)
    return found


def test_publish_build_leaves_the_future_article_out_everywhere(published):
    out, problems = published
    assert problems == []
    # the rest of the site is there, with feeds and a sitemap to leak into
    assert list(out.glob("articles/*/index.html"))
    for relative in (
        "sitemap.xml",
        "feeds/all.atom.xml",
        "feeds/all.rss.xml",
        "archives/index.html",
    ):
        assert (out / relative).exists(), relative
    assert (out / "tag" / "resume" / "index.html").exists()
    assert leaks(out) == []


def test_publish_build_writes_no_drafts(tmp_path):
    """Pelican writes drafts (which is what a future article becomes) to
    drafts/ by default: unlisted, but public. Publish builds write none."""
    content = write_content(
        tmp_path / "content",
        {
            "articles/now.md": """
                Title: Out now
                Date: 2026-01-05
                Category: Habits
                Summary: Published.

                Body.
                """,
            "articles/draft.md": future_article(
                datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), "Status: draft\n"
            ),
        },
    )
    out, _ = publish(content, tmp_path / "output", tmp_path / "cache")
    assert (out / "articles" / "out-now" / "index.html").exists()
    assert leaks(out) == []


def test_local_build_shows_it_marked_scheduled(content, tmp_path):
    site = build_site(tmp_path / "output", PATH=str(content))
    page = site.read(f"articles/{SLUG}/index.html")
    assert 'class="scheduled">Scheduled for <time' in page
    home = site.read("index.html")
    assert TITLE in home and '<strong class="scheduled">Scheduled</strong>' in home
    # published articles carry no mark
    assert 'class="scheduled"' not in site.read("articles/ask-the-hr-team-first/index.html")


def test_it_goes_live_at_the_first_publish_after_its_date(content, tmp_path):
    """The daily CI build publishes it once its date has passed, also when a
    build cache from before its date is still there."""
    cache = tmp_path / "cache"
    before, _ = publish(content, tmp_path / "before", cache)
    assert leaks(before) == []

    # a day later: the Date is read in the site's TIMEZONE, hours off UTC
    later = IN_A_WEEK + datetime.timedelta(days=1)
    after, _ = publish(content, tmp_path / "after", cache, now=later)
    assert (after / "articles" / SLUG / "index.html").exists()
    assert f"{PUBLISH_SITEURL}/articles/{SLUG}/" in (after / "sitemap.xml").read_text()
    assert TITLE in (after / "feeds" / "all.atom.xml").read_text()
