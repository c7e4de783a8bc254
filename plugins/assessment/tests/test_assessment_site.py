"""Builds: the real site, feeds, typogrify, and failures that must stop the
build before anything is written."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import feedparser
import html5lib
import pytest
from assessment_support import (
    PLUGINS_DIR,
    REPO,
    SITE_PAGE,
    article,
    build,
    page,
    small_source,
    write_content,
)
from pelican.plugins.assessment.errors import AssessmentBuildError, AssessmentError
from pelican.plugins.assessment.parser import parse
from pelican.plugins.assessment.render import data
from pelican.plugins.assessment.validate import check

NS = "{http://www.w3.org/1999/xhtml}"
WIDGET_RE = re.compile(r"<habit-assessment\b.*?</habit-assessment>", re.S)

ABOUT = page("About", "about", "## How it works\n\nWe explain it here.")
STORY = article("The story", "story", "## Top\n\nOnce upon a time.", summary="A story.")


def small_site(root: Path, extra: dict[str, str] | None = None) -> Path:
    """A content folder: the small assessment in an article, plus its targets."""
    files = {
        "pages/about.md": ABOUT,
        "articles/story.md": STORY,
        "articles/check.md": article(
            "Check yourself",
            "check-yourself",
            'Before the "widget", NASA-style text.\n\n' + small_source() + "\n\nAfter it.",
        ),
    }
    files.update(extra or {})
    return write_content(root / "content", files)


def configured_plugins() -> list[str]:
    from pelican.settings import read_settings

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        plugins = list(read_settings(str(REPO / "pelicanconf.py"))["PLUGINS"])
    finally:
        os.chdir(cwd)
    return plugins + ["assessment"] * ("assessment" not in plugins)


def widget(html: str) -> str:
    [found] = WIDGET_RE.findall(html)
    return found


def files_in(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


# -- the real site -----------------------------------------------------------


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "output"
    return build(out, PLUGINS=configured_plugins())


@pytest.fixture(scope="module")
def real_page(real_site):
    return real_site.read("networking-habits-assessment/index.html")


def test_real_site_builds_without_assessment_warnings(real_site):
    problems = [m for m in real_site.problems() if "ssessment" in m]
    assert problems == []


def test_real_assessment_form(real_page):
    doc = html5lib.parse(real_page)
    forms = [f for f in doc.iter(f"{NS}form") if f.get("class") == "assessment-form"]
    [form] = forms
    sections = [s for s in form.iter(f"{NS}section")]
    assert len(sections) >= 5
    assert all(s.find(f"{NS}h2") is not None for s in sections)
    fieldsets = list(form.iter(f"{NS}fieldset"))
    assert len(fieldsets) >= 15
    labels = {lab.get("for"): lab for lab in form.iter(f"{NS}label")}
    for fs in fieldsets:
        assert fs[0].tag == f"{NS}legend" and "".join(fs[0].itertext()).strip()
        radios = list(fs.iter(f"{NS}input"))
        assert len(radios) == 5 and all(r.get("type") == "radio" for r in radios)
        assert [" ".join("".join(labels[r.get("id")].itertext()).split()) for r in radios] == [
            "Never",
            "Rarely",
            "Sometimes",
            "Often",
            "Always",
        ]
    assert len(list(doc.iter(f"{NS}h1"))) == 1  # the theme's page title only


def test_real_page_loads_the_browser_step(real_site, real_page):
    # the widget links its own files, relative to the page, once per page
    assert real_page.count('<link rel="stylesheet" href="../widgets/assessment.css">') == 1
    assert real_page.count('<script type="module" src="../widgets/assessment.js"></script>') == 1
    for name in ("assessment.js", "assessment.css"):
        assert (real_site.output / "widgets" / name).is_file(), name
    assert "assessment.js" not in real_site.read("about/index.html")


def test_real_assessment_widget_is_strict_html5(real_page):
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(f"<!DOCTYPE html><html lang=en><title>t</title><body>{widget(real_page)}")


def test_real_assessment_key_and_links(real_site, real_page):
    part = widget(real_page)
    assert 'class="assessment-key"' in part
    assert part.count('class="assessment-band"') == 5 * 3 + 4
    assert "{filename}" not in part
    # Every site link in the widget leads to a page that was written.
    page_dir = real_site.output / "networking-habits-assessment"
    links = re.findall(r'href="(\.\./[^"#]*)', part)
    assert links
    for link in links:
        target = (page_dir / link).resolve()
        assert (target / "index.html").exists() or target.is_file(), link


def test_real_assessment_json_matches_the_model(real_page):
    m = re.search(
        r'<script type="application/json" class="assessment-data" id="networking-habits--data">'
        r"(.*?)</script>",
        real_page,
        re.S,
    )
    payload = json.loads(m.group(1))
    [a] = parse(SITE_PAGE.read_text(encoding="utf-8"), str(SITE_PAGE))
    check(a)
    assert payload == data(a)
    statements = [s for d in payload["dimensions"] for s in d["statements"]]
    assert len(statements) >= 15 and len(payload["dimensions"]) >= 5
    assert any(s["reverse"] for s in statements)
    assert len(payload["bands"]) >= 3
    assert all(len(d["bands"]) >= 2 for d in payload["dimensions"])


def test_real_page_says_it_is_a_habit_check(real_page):
    # Below the check, so that the first screen leads to the first statement.
    after = real_page.split("</habit-assessment>", 1)[1]
    text = " ".join(re.sub(r"<[^>]+>", " ", after).split())
    assert "This is a habit check, not a validated psychological instrument." in text


# -- feeds ------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("feeds")
    auto = article(
        "Automatic summary",
        "automatic-summary",
        "Short intro.\n\n" + small_source().replace("small-check", "auto-check"),
    )
    content = small_site(root, {"articles/auto.md": auto})
    return build(root / "output", content, publish=True)


@pytest.mark.parametrize("feed", ["feeds/all.atom.xml", "feeds/all.rss.xml"])
def test_feed_has_a_readable_version(published, feed):
    raw = published.read(feed)
    for bad in (
        "<form",
        "&lt;form",
        "&lt;input",
        "&lt;script",
        "habit-assessment&gt;",
        "{filename}",
    ):
        assert bad not in raw, bad
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    [entry] = [e for e in parsed.entries if e.title == "Check yourself"]
    html = entry.content[0].value if "content" in entry else entry.summary
    assert "<li>I answer when a contact calls me.</li>" in html
    assert "<h2>Keeping in touch</h2>" in html
    link = "https://career-exercise.example/articles/check-yourself/#small-check--assessment"
    assert f'<a href="{link}">Take the self-assessment on the site</a>' in html
    assert 'href="https://career-exercise.example/about/"' in html  # intro link resolved
    assert "NASA" in html  # the article text around the widget is kept
    html5lib.HTMLParser(strict=True).parseFragment(html)


def test_automatic_summary_does_not_cut_the_widget(published):
    raw = published.read("feeds/all.atom.xml")
    parsed = feedparser.parse(raw)
    [entry] = [e for e in parsed.entries if e.title == "Automatic summary"]
    assert "Self-assessment: A <em>small</em> check (5 statements)" in entry.summary
    assert "<fieldset" not in entry.summary and "<table" not in entry.summary
    index = published.read("index.html")
    assert "Self-assessment: A <em>small</em> check" in index
    assert index.count("<habit-assessment") == 0


# -- typogrify ---------------------------------------------------------------


def typogrify_site(root: Path) -> Path:
    body = """\
"Quoted" text and NASA outside the widget.

::: assessment typo
title: The "HR" check
scale: Never | Sometimes | Always

## Alpha
- I ask HR about "career paths" -- often.
- I read the IEEE newsletter... sometimes.

## Overall
### 0-49 Low
Talk to "HR" and the CEO.
### 50-100 High
Fine -- really.
:::
"""
    return write_content(root / "content", {"pages/t.md": page("T", "t", body)})


@pytest.mark.parametrize("ignore", ["configured", "missing"])
def test_typogrify_leaves_the_widget_alone(tmp_path, ignore):
    override = {"TYPOGRIFY": True}
    if ignore == "missing":
        # The plugin adds habit-assessment to the ignore list by itself.
        override["TYPOGRIFY_IGNORE_TAGS"] = ["pre", "code"]
    site = build(tmp_path / "output", typogrify_site(tmp_path), **override)
    html = site.read("t/index.html")
    part = widget(html)
    outside = html.replace(part, "")
    # Typogrify is on: it changed the text outside the widget...
    assert '<span class="caps">NASA</span>' in outside
    assert "Quoted&#8221;" in outside
    # ...and left the widget alone.
    assert 'class="caps"' not in part and "&#8220;" not in part and "“" not in part
    assert "I ask HR about &quot;career paths&quot; -- often." in part or (
        'I ask HR about "career paths" -- often.' in part
    )
    assert "The &quot;HR&quot; check" in part or 'The "HR" check' in part


# -- failures ----------------------------------------------------------------

BROKEN = "::: assessment broken\ntitle: Broken\ncolour: blue\nscale: A | B | C\n"


def test_broken_assessment_stops_the_build_and_writes_nothing(tmp_path):
    body = BROKEN + "\n## Alpha\n- One.\n- Two.\n:::\n"
    content = small_site(tmp_path, {"pages/broken.md": page("Broken", "broken", body)})
    out = tmp_path / "output"
    with pytest.raises(AssessmentBuildError) as info:
        build(out, content)
    assert files_in(out) == []
    [message] = [m for m in info.value.build.problems(logging.ERROR) if "colour" in m]
    path = (content / "pages" / "broken.md").as_posix()
    # Three metadata lines and a blank line, then the block from line 5.
    assert f"{path}:7: unknown option 'colour'. Fix: use one of: title, scale" in message


@pytest.mark.parametrize(
    ("fatal", "files", "expected"),
    [
        (
            "errors",
            {"pages/broken.md": page("Broken", "broken", BROKEN + "\n## Alpha\n- One.\n")},
            "pages/broken.md:5: this assessment block is never closed: the file ends "
            "before a closing ':::' line. Fix: add a line with only ':::'",
        ),
        (
            "warnings",
            {
                "pages/anchor.md": page(
                    "Anchor",
                    "anchor",
                    small_source()
                    .replace("small-check", "anchor-check")
                    .replace("articles/story.md", "articles/story.md#nowhere"),
                )
            },
            "pages/anchor.md:38: the link {filename}/articles/story.md#nowhere points to "
            "'#nowhere', but 'articles/story.md' has no element with that id. Fix: link "
            "to one of its headings' ids",
        ),
    ],
    ids=["make html: error", "make publish: warning"],
)
def test_pelican_cli_exits_non_zero_and_writes_nothing(tmp_path, fatal, files, expected):
    content = small_site(tmp_path, files)
    out = tmp_path / "output"
    cmd = [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-o",
        str(out),
        "-s",
        str(REPO / "pelicanconf.py"),
        "--fatal",
        fatal,
        "-e",
        'PLUGINS=["assessment"]',
        f'PLUGIN_PATHS=["{PLUGINS_DIR.as_posix()}"]',
        f'CACHE_PATH="{(tmp_path / "cache").as_posix()}"',
    ]
    env = {**os.environ, "COLUMNS": "1000", "TERM": "dumb"}
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    log = proc.stdout + proc.stderr
    assert proc.returncode != 0, log
    assert expected in log, log
    assert files_in(out) == []


def test_duplicate_id_across_two_files(tmp_path):
    other = page("Other", "other", small_source())
    content = small_site(tmp_path, {"pages/other.md": other})
    with pytest.raises(AssessmentBuildError):
        build(tmp_path / "output", content)
    [message] = [m for m in build_error_messages(tmp_path, content) if "already used" in m]
    a = (content / "articles" / "check.md").as_posix()
    b = (content / "pages" / "other.md").as_posix()
    # Sorted by path: the article comes first, the page is the duplicate.
    assert f"{b}:5: assessment id 'small-check' is already used by {a}:8" in message
    assert "Fix: give one of them another id" in message
    assert files_in(tmp_path / "output") == []


def test_duplicate_id_in_one_file(tmp_path):
    twice = small_source() + "\n" + small_source()
    content = small_site(tmp_path, {"pages/twice.md": page("Twice", "twice", twice)})
    with pytest.raises(AssessmentBuildError):
        build(tmp_path / "output", content)
    path = (content / "pages" / "twice.md").as_posix()
    messages = build_error_messages(tmp_path, content)
    second = 5 + small_source().count("\n") + 1  # after the first copy and a blank line
    expected = f"{path}:{second}: assessment id 'small-check' is already used on line 5"
    assert any(expected in m for m in messages), messages


def test_tip_link_to_missing_article(tmp_path):
    missing = (
        small_source()
        .replace("small-check", "missing-check")
        .replace("articles/story.md", "articles/no-such-story.md")
    )
    content = small_site(tmp_path, {"pages/missing.md": page("Missing", "missing", missing)})
    with pytest.raises(AssessmentBuildError):
        build(tmp_path / "output", content)
    path = (content / "pages" / "missing.md").as_posix()
    messages = build_error_messages(tmp_path, content)
    expected = (
        f"{path}:38: the link {{filename}}/articles/no-such-story.md points to "
        "'articles/no-such-story.md', which does not exist in the content folder. Fix:"
    )
    assert any(expected in m for m in messages), messages
    assert files_in(tmp_path / "output") == []


def test_tip_link_to_an_article_that_failed_to_build_says_so(tmp_path):
    content = small_site(tmp_path)
    story = content / "articles" / "story.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace("Date: ", "Date: not-a-date ", 1),
        encoding="utf-8",
    )
    messages = build_error_messages(tmp_path, content)
    tip = f"{(content / 'articles' / 'check.md').as_posix()}:"
    failed = [m for m in messages if m.startswith(tip) and "{filename}/articles/story.md" in m]
    assert failed, messages
    assert "points to 'articles/story.md', which failed to build. Fix: fix the error" in failed[0]
    assert not any("does not exist" in m for m in messages), messages


def test_a_bare_dash_statement_is_reported_at_its_own_line():
    source = small_source().replace(
        "- I answer when a contact calls me.\n", "- I answer when a contact calls me.\n-\n"
    )
    with pytest.raises(AssessmentError) as caught:
        check(parse(source, "x.md")[0])
    assert (caught.value.line, caught.value.problem) == (13, "empty statement")


def test_unclosed_block_in_a_build(tmp_path):
    body = "Intro.\n\n" + small_source().rstrip().removesuffix(":::")
    content = small_site(tmp_path, {"pages/open.md": page("Open", "open", body)})
    with pytest.raises(AssessmentBuildError):
        build(tmp_path / "output", content)
    path = (content / "pages" / "open.md").as_posix()
    messages = build_error_messages(tmp_path, content)
    assert any(f"{path}:7: this assessment block is never closed" in m for m in messages)


def test_plugin_not_listed_means_no_effect(tmp_path):
    # Signals are process-wide: the plugin's receivers are still connected
    # from the builds above, and must stay quiet for a build without it.
    content = small_site(tmp_path)
    site = build(tmp_path / "output", content, PLUGINS=[])
    html = site.read("articles/check-yourself/index.html")
    assert "<habit-assessment" not in html
    assert "::: assessment small-check" in html


def build_error_messages(tmp_path: Path, content: Path) -> list[str]:
    """Error messages of a failing build of ``content`` (built once more)."""
    out = tmp_path / "output-again"
    try:
        build(out, content)
    except AssessmentBuildError as exc:
        return exc.build.problems(logging.ERROR)
    raise AssertionError("the build was expected to fail")


def test_every_habit_step_links_to_an_article_section(real_page):
    """The first tip of a habit's band becomes "Your step this week", with its
    first link as the button: it must lead to a section, not a page top."""
    bands = re.findall(
        r'<div class="assessment-band" id="networking-habits--key--dim-[^"]+".*?</div>',
        real_page,
        re.S,
    )
    assert len(bands) >= 10
    for band in bands:
        first_tip = re.search(r"<li>(.*?)</li>", band, re.S)
        assert first_tip, band
        href = re.search(r'href="([^"]+)"', first_tip[1])
        assert href and "/articles/" in href[1] and "#" in href[1], first_tip[1]
