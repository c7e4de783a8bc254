"""`make publish` and `make github` end to end, in a copy of the project: a
publish replaces output/ only when the build and every gate passed, and a
deploy pushes the site (with .nojekyll and CNAME) to a local bare repository
acting as origin, adding one commit per deploy and nothing when publish fails.

The copy symlinks .venv and node_modules from the checkout and tells make not
to reinstall them: nothing is downloaded at test time."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import PUBLISH_SITEURL, REPO

SITEURL = "https://coach.example.org"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}
BROKEN_LINK_ARTICLE = """\
Title: A broken draft
Date: 2026-01-05 09:00
Category: Habits
Summary: It links to an article that does not exist.

The first paragraph.

Read [the missing one]({filename}no-such-article.md) next.
"""
INLINE_STYLE_ARTICLE = """\
Title: A page with an inline style
Date: 2026-01-05 09:00
Category: Habits
Summary: Raw HTML that the CSP would block.

<p style="color: red">Red.</p>
"""
INLINE_HANDLER_ARTICLE = """\
Title: A page with an inline handler
Date: 2026-01-05 09:00
Category: Habits
Summary: Raw HTML that could run code.

<p onclick="alert('hi')">Click me.</p>
"""


def require_gate_tools() -> None:
    """make publish runs every gate: Java for the HTML gate, Chromium for
    axe. Without them these tests are skipped locally and fail in CI."""
    from sitecheck.html import java_command

    from conftest import CHROMIUM

    missing = [n for n, ok in (("java", java_command()), ("chromium", CHROMIUM.exists())) if not ok]
    if not missing:
        return
    message = f"make publish needs {' and '.join(missing)} (see .ci/run)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must run it")
    pytest.skip(message)


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SITEURL", "CNAME", "MAKEFLAGS")}
    return {**env, **GIT_ENV, "HOME": env.get("HOME", "/tmp")}


def copy_project(target: Path) -> Path:
    """The checkout's files (tracked and new, not ignored), mtimes kept, with
    .venv and node_modules linked rather than installed."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if not source.is_file() or name.startswith(".github/"):
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    for linked in (".venv", "node_modules"):
        (target / linked).symlink_to(REPO / linked, target_is_directory=True)
    return target


def make(project: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    # -o: never rebuild the install stamps (that would reinstall into the
    # checkout's .venv and node_modules through the links)
    command = ["make", "-o", ".venv/.installed", "-o", "node_modules/.installed", *args]
    done = subprocess.run(
        command, cwd=project, capture_output=True, text=True, env=environment(), timeout=timeout
    )
    done.log = f"$ {' '.join(command)}\n{done.stdout}\n{done.stderr}"
    return done


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env=environment(), check=True
    ).stdout.strip()


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file with its content hash and mtime: equal snapshots mean untouched."""
    return {
        path.relative_to(folder).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@dataclass
class Published:
    project: Path
    log: str


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Published:
    """A project copy where `make publish` has just replaced an older output/."""
    require_gate_tools()
    project = copy_project(tmp_path_factory.mktemp("publish") / "project")
    (project / "output").mkdir()
    (project / "output" / "left-from-before.txt").write_text("old site\n")
    done = make(project, "publish", f"SITEURL={PUBLISH_SITEURL}")
    assert done.returncode == 0, done.log
    return Published(project, done.log)


def test_publish_swaps_in_the_new_site_after_every_gate_passed(published):
    output = published.project / "output"
    assert (output / "index.html").is_file()
    assert not (output / "left-from-before.txt").exists(), "output/ is the new site only"
    assert not (published.project / ".publish-stage").exists()
    assert not (published.project / "output.previous").exists()
    for gate in ("html", "links", "feeds", "privacy", "a11y"):
        assert re.search(rf"^{gate}: ok", published.log, re.M), published.log
    assert "publish: ok" in published.log
    assert f'href="{PUBLISH_SITEURL}/' in (output / "index.html").read_text(encoding="utf-8")
    assert (output / "sitemap.xml").is_file() and (output / "robots.txt").is_file()


def test_a_broken_article_stops_publish_with_its_file_and_line(published):
    project = published.project
    before = snapshot(project / "output")
    broken = project / "content" / "articles" / "zz-broken-draft.md"
    broken.write_text(BROKEN_LINK_ARTICLE, encoding="utf-8")
    try:
        done = make(project, "publish", f"SITEURL={PUBLISH_SITEURL}")
    finally:
        broken.unlink()
    assert done.returncode != 0, done.log
    line = BROKEN_LINK_ARTICLE.splitlines().index(
        "Read [the missing one]({filename}no-such-article.md) next."
    )
    expected = (
        f"content/articles/zz-broken-draft.md:{line + 1}: Unable to find 'no-such-article.md'"
    )
    assert expected in done.stderr, done.log
    assert "publish: FAILED, nothing published: output/ is unchanged" in done.stdout
    assert "sitecheck" not in done.stdout, "no gate runs on a failed build"
    assert snapshot(project / "output") == before
    assert not (project / ".publish-stage").exists()


def test_a_failed_gate_stops_publish_and_leaves_output_untouched(published):
    project = published.project
    before = snapshot(project / "output")
    article = project / "content" / "articles" / "zz-inline-style.md"
    article.write_text(INLINE_STYLE_ARTICLE, encoding="utf-8")
    try:
        done = make(project, "publish", f"SITEURL={PUBLISH_SITEURL}")
    finally:
        article.unlink()
    assert done.returncode != 0, done.log
    assert re.search(
        r"^PRIVACY: articles/a-page-with-an-inline-style/index.html:\d+: "
        r"<p style=\"…\"> \(the CSP style-src 'self' blocks it\) — Fix: ",
        done.stdout,
        re.M,
    ), done.log
    assert "sitecheck: FAILED: privacy" in done.stdout
    assert snapshot(project / "output") == before
    assert not (project / ".publish-stage").exists()


def test_unsafe_content_stops_publish_before_the_gates(published):
    """content_safety stops the build itself, naming the Markdown line."""
    project = published.project
    before = snapshot(project / "output")
    article = project / "content" / "articles" / "zz-inline-handler.md"
    article.write_text(INLINE_HANDLER_ARTICLE, encoding="utf-8")
    try:
        done = make(project, "publish", f"SITEURL={PUBLISH_SITEURL}")
    finally:
        article.unlink()
    assert done.returncode != 0, done.log
    assert "content/articles/zz-inline-handler.md:6: <p onclick=…> runs code" in done.log
    assert "sitecheck" not in done.stdout, "no gate ran on a build that failed"
    assert snapshot(project / "output") == before
    assert not (project / ".publish-stage").exists()


def test_sitebuild_names_the_file_and_line_of_every_problem(tmp_path):
    content = shutil.copytree(REPO / "tests" / "fixtures" / "small-site", tmp_path / "content")
    (content / "articles" / "broken.md").write_text(BROKEN_LINK_ARTICLE, encoding="utf-8")
    (content / "articles" / "bad-date.md").write_text(
        "Title: Bad date\nDate: 2026-13-45\nCategory: Habits\nSummary: x\n\nText.\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "tools/sitebuild.py",
            "--settings",
            "publishconf.py",
            "--content",
            str(content),
            "--output",
            str(tmp_path / "output"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert f"{content}/articles/broken.md:8: Unable to find 'no-such-article.md'" in done.stderr
    assert re.search(
        rf"{content}/articles/bad-date.md:2: Could not process .*'2026-13-45' is not a valid date",
        done.stderr,
    ), done.stderr
    assert "build: FAILED: 2 warning or error(s)" in done.stderr


def test_sitebuild_relative_urls_like_pelicans_flag(tmp_path):
    """`make publish RELATIVE=1` passes --relative-urls: links become relative."""
    done = subprocess.run(
        [
            sys.executable,
            "tools/sitebuild.py",
            "--settings",
            "publishconf.py",
            "--content",
            str(REPO / "tests" / "fixtures" / "small-site"),
            "--output",
            str(tmp_path / "output"),
            "--relative-urls",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "output" / "articles" / "a-story-about-a-move" / "index.html").read_text()
    assert 'rel="stylesheet" href="../../theme/css/site.css"' in html


# sitemap.xml and robots.txt


def test_sitemap_lists_every_page_with_absolute_urls(publish_site):
    root = ET.fromstring(publish_site.read("sitemap.xml"))
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = [loc.text for loc in root.iter(f"{namespace}loc")]
    assert urls and all(url.startswith(PUBLISH_SITEURL + "/") for url in urls), urls
    assert len(urls) == len(set(urls))
    for article in publish_site.output.glob("articles/*/index.html"):
        relative = article.parent.relative_to(publish_site.output).as_posix()
        assert f"{PUBLISH_SITEURL}/{relative}/" in urls
    assert f"{PUBLISH_SITEURL}/" in urls
    assert not [url for url in urls if "404" in url or "robots" in url]


def test_robots_txt_points_to_the_sitemap(publish_site, dev_site):
    robots = publish_site.read("robots.txt")
    assert "User-agent: *" in robots
    assert f"Sitemap: {PUBLISH_SITEURL}/sitemap.xml\n" in robots
    assert "Disallow: /" not in robots
    # local builds have no absolute URL to give: only publishconf.py asks for
    # them (in one pytest process Pelican's signals stay connected, so the
    # settings are checked rather than the files)
    assert "sitemap" not in dev_site.settings["PLUGINS"]
    assert "robots.txt" not in dev_site.settings["TEMPLATE_PAGES"]
    assert not (dev_site.output / "robots.txt").exists()


# make github


# the demo's placeholders are left in (tests/test_placeholders.py tests the refusal)
DEPLOY_DEMO = (f"SITEURL={SITEURL}", "CNAME=coach.example.org", "ALLOW_PLACEHOLDERS=1")


def pages_branch(origin: Path, *args: str) -> str:
    return git(origin, *args)


@pytest.mark.java
@pytest.mark.browser
def test_make_github_deploys_to_origin_and_never_ships_a_failed_publish(tmp_path):
    require_gate_tools()
    project = copy_project(tmp_path / "project")
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", str(origin))
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "config", "user.name", "Test Author")
    git(project, "config", "user.email", "author@example.org")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--no-gpg-sign", "--message", "Source")
    git(project, "remote", "add", "origin", str(origin))
    first_source = git(project, "rev-parse", "--short", "HEAD")

    # first deploy: the branch appears with the site, .nojekyll and CNAME
    done = make(project, "github", *DEPLOY_DEMO)
    assert done.returncode == 0, done.log
    files = pages_branch(origin, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert {"index.html", ".nojekyll", "CNAME", "sitemap.xml", "robots.txt"} <= set(files)
    assert any(name.startswith("articles/") for name in files)
    assert pages_branch(origin, "show", "gh-pages:CNAME") == "coach.example.org"
    assert pages_branch(origin, "log", "-1", "--format=%s", "gh-pages") == (
        f"Publish site from {first_source}"
    )
    first_deploy = pages_branch(origin, "rev-parse", "gh-pages")
    index = pages_branch(origin, "show", "gh-pages:index.html")
    assert f'href="{SITEURL}/' in index

    # second deploy from a "fresh clone" (no local pages branch): one more
    # commit on top of the first, CNAME written again
    about = project / "content" / "pages" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA sentence added later.\n")
    git(project, "commit", "--quiet", "--no-gpg-sign", "--all", "--message", "Edit About")
    second_source = git(project, "rev-parse", "--short", "HEAD")
    git(project, "branch", "--quiet", "--delete", "--force", "gh-pages")
    git(project, "update-ref", "-d", "refs/remotes/origin/gh-pages")
    done = make(project, "github", *DEPLOY_DEMO)
    assert done.returncode == 0, done.log
    second_deploy = pages_branch(origin, "rev-parse", "gh-pages")
    assert second_deploy != first_deploy
    assert pages_branch(origin, "rev-parse", "gh-pages^") == first_deploy
    assert pages_branch(origin, "log", "-1", "--format=%s", "gh-pages") == (
        f"Publish site from {second_source}"
    )
    assert pages_branch(origin, "show", "gh-pages:CNAME") == "coach.example.org"
    assert "A sentence added later." in pages_branch(origin, "show", "gh-pages:about/index.html")

    # a failed publish pushes nothing
    broken = project / "content" / "articles" / "zz-broken-draft.md"
    broken.write_text(BROKEN_LINK_ARTICLE, encoding="utf-8")
    done = make(project, "github", *DEPLOY_DEMO)
    assert done.returncode != 0, done.log
    assert "zz-broken-draft.md:8: Unable to find" in done.stderr
    assert "ghp-import" not in done.stdout
    assert pages_branch(origin, "rev-parse", "gh-pages") == second_deploy


def test_make_html_with_a_broken_assessment_names_file_and_line_and_keeps_output(published):
    """`make html` (the author's everyday build) fails on a broken assessment
    with its file and line, and leaves the last good output/ untouched."""
    project = published.project
    assert make(project, "html").returncode == 0
    before = snapshot(project / "output")
    page = project / "content" / "pages" / "networking-habits-assessment.md"
    good = page.read_text(encoding="utf-8")
    scale = next(line for line in good.splitlines() if line.startswith("scale:"))
    line = good.splitlines().index(scale) + 1
    page.write_text(good.replace(scale, "scale: Never | Always"), encoding="utf-8")
    try:
        done = make(project, "html")
    finally:
        page.write_text(good, encoding="utf-8")
    assert done.returncode != 0, done.log
    assert f"content/pages/networking-habits-assessment.md:{line}: " in done.stdout + done.stderr
    assert "at least 3" in (done.stdout + done.stderr), done.log
    assert "html: FAILED: output/ is unchanged" in done.stdout
    assert snapshot(project / "output") == before
    assert not (project / ".html-stage").exists()
