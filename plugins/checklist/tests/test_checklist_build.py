"""The checklist plugin inside real Pelican builds: output, script loading,
errors with file and line, fatal builds, feeds, typogrify, and living next to
another plugin that changes the Markdown reader."""

from __future__ import annotations

import gzip
import logging
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import feedparser
import pytest
from checklist_support import (
    PUBLISH_SITEURL,
    REPO,
    article,
    build,
    csp_problems,
    page,
    write_content,
)
from pelican_widget_blocks import BlockBuildError
from pelican_widget_blocks.bundle import fold_core

JS = REPO / "plugins" / "checklist" / "pelican" / "plugins" / "checklist" / "static" / "widgets"
CORE_JS = REPO / "plugins" / "widget_blocks" / "pelican_widget_blocks" / "static" / "widgets"
SCRIPT_TAG = re.compile(r'<script type="module" src="([^"]*widgets/checklist\.js)"></script>')

RESUME = """
    Keep it current.

    ::: checklist resume-ready
    title: Keep your resume ready
    - [ ] Update your resume with this quarter's results
    - [ ] Save a one-page version
    :::
"""


def test_widget_and_script_only_where_a_checklist_is(tmp_path):
    site = build(
        tmp_path,
        {
            "pages/with.md": page("With a checklist", "with", RESUME),
            "pages/without.md": page("Without", "without", "Just prose."),
            "articles/habit.md": article(
                "A habit",
                "a-habit",
                "Prose.\n\n::: checklist habit-steps\n- [ ] Call one contact\n:::\n",
            ),
        },
    )
    assert site.problems() == []
    with_page = site.read("with/index.html")
    assert with_page.count("<tip-checklist ") == 1
    assert 'data-checklist-id="resume-ready"' in with_page
    assert SCRIPT_TAG.findall(with_page) == ["../widgets/checklist.js"]
    assert SCRIPT_TAG.findall(site.read("articles/a-habit/index.html")) == [
        "../../widgets/checklist.js"
    ]
    for name in ("without/index.html", "index.html"):
        html = site.read(name)
        assert "checklist.js" not in html and "<tip-checklist" not in html, name
    for name in ("checklist.js", "checklist.css"):
        assert (site.output / "widgets" / name).is_file(), name
    assert csp_problems(with_page) == []


def test_error_names_file_and_line_and_stops_the_build(tmp_path):
    with pytest.raises(BlockBuildError) as caught:
        build(
            tmp_path,
            {
                "pages/good.md": page("Good", "good", RESUME),
                "pages/bad.md": page(
                    "Bad", "bad", "Intro.\n\n::: checklist empty\ntitle: Nothing here\n:::\n"
                ),
            },
        )
    bad = tmp_path / "content" / "pages" / "bad.md"
    errors = caught.value.build.problems()
    assert f"{bad}:7: the checklist has no items. Fix: add at least one" in errors[0]
    assert not (tmp_path / "output" / "good").exists(), "nothing is written"


def test_duplicate_ids_across_the_site_stop_the_build(tmp_path):
    with pytest.raises(BlockBuildError) as caught:
        build(
            tmp_path,
            {
                "pages/one.md": page("One", "one", RESUME),
                "articles/two.md": article("Two", "two", RESUME),
            },
        )
    content = tmp_path / "content"
    (error,) = caught.value.build.problems(logging.ERROR)
    assert error.startswith(f"{content}/pages/one.md:7: checklist id 'resume-ready' is already")
    assert f"used by {content}/articles/two.md:9" in error
    assert ". Fix: give one of them another id" in error


def pelican_cli(content: Path, output: Path) -> subprocess.CompletedProcess:
    """`make html` as a subprocess: --fatal errors, our plugin on."""
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("pelican")),
            str(content),
            "-o",
            str(output),
            "-s",
            "pelicanconf.py",
            "--fatal",
            "errors",
            "--log-handler",
            "plain",
            "-e",
            'PLUGINS=["checklist"]',
            f'CACHE_PATH="{output.parent / "cache"}"',
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "300", "LANG": "C.UTF-8"},
    )


@pytest.mark.parametrize(
    "files, message",
    [
        (
            {"pages/bad.md": page("Bad", "bad", "::: checklist open\n- [ ] One\n")},
            "pages/bad.md:5: this checklist block is never closed: the file ends before",
        ),
        (
            {
                "pages/one.md": page("One", "one", RESUME),
                "pages/two.md": page("Two", "two", RESUME),
            },
            "pages/two.md:7: checklist id 'resume-ready' is already used by",
        ),
    ],
    ids=["unclosed", "duplicate-across-site"],
)
def test_fatal_build_stops_before_writing_anything(tmp_path, files, message):
    content = write_content(tmp_path / "content", files)
    output = tmp_path / "output"
    result = pelican_cli(content, output)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    assert message in log, log
    assert list(output.rglob("*.html")) == [], "nothing written"


def test_a_good_site_builds_with_fatal_errors(tmp_path):
    content = write_content(tmp_path / "content", {"pages/one.md": page("One", "one", RESUME)})
    result = pelican_cli(content, tmp_path / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "output" / "one" / "index.html").is_file()


def test_feeds_get_plain_lists_with_empty_boxes(tmp_path):
    body = (
        "Prose.\n\n::: checklist habit-steps\ntitle: Try it this week\n"
        "- [ ] Read [the page]({filename}/pages/other.md)\n- [ ] Call one contact\n:::\n"
    )
    site = build(
        tmp_path,
        {
            "articles/habit.md": article("A habit", "a-habit", body),
            "pages/other.md": page("Other", "other", "Other page."),
        },
        publish=True,
    )
    assert site.problems() == []
    for relative in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        feed = feedparser.parse(site.read(relative))
        assert not feed.bozo, feed.get("bozo_exception")
        (entry,) = feed.entries
        body = entry.content[0].value if "content" in entry else entry.description
        for control in ("<input", "<form", "<button", "<label", "tip-checklist", "hidden"):
            assert control not in body, (relative, control)
        assert "<strong>Try it this week</strong>" in body
        assert f'<li>☐ Read <a href="{PUBLISH_SITEURL}/other/">the page</a></li>' in body
        assert "<li>☐ Call one contact</li>" in body
    # the page itself keeps the widget
    assert "<tip-checklist " in site.read("articles/a-habit/index.html")


def test_typogrify_leaves_the_widget_alone(tmp_path):
    body = (
        'Ask "HR" about it -- soon.\n\n'
        "::: checklist ask-hr\n"
        'title: Talk to "HR" -- today\n'
        "- [ ] Ask \"HR\" what's next -- and say 'thanks'\n"
        ":::\n"
    )
    site = build(tmp_path, {"pages/hr.md": page("HR", "hr", body)}, TYPOGRIFY=True)
    html = site.read("hr/index.html")
    prose, widget = html.split("<tip-checklist", 1)
    assert '<span class="caps">HR</span>' in prose, "typogrify ran on the prose"
    assert "&#8220;" in prose or "“" in prose
    widget = widget.split("</tip-checklist>", 1)[0]
    assert "Ask \"HR\" what's next -- and say 'thanks'" in widget
    assert 'Talk to "HR" -- today' in widget
    assert "caps" not in widget and "&#82" not in widget and "&nbsp;" not in widget


def test_plugin_off_means_plain_markdown(tmp_path):
    # Receivers stay connected after an earlier build; they must stay quiet.
    build(tmp_path / "on", {"pages/one.md": page("One", "one", RESUME)})
    site = build(tmp_path / "off", {"pages/one.md": page("One", "one", RESUME)}, PLUGINS=[])
    html = site.read("one/index.html")
    assert "<tip-checklist" not in html and "checklist.js" not in html
    assert "::: checklist resume-ready" in html


OTHER_PLUGIN = '''
"""A stand-in for another plugin with its own Markdown reader class."""
from pelican import signals

NAME = __name__


def on_readers_init(readers):
    if NAME not in (readers.settings.get("PLUGINS") or []):
        return
    {make_class}

    class OtherReader(base):
        def read(self, source_path):
            content, metadata = super().read(source_path)
            return content.replace("<p>other</p>", "<p>other reader</p>"), metadata

    for ext in OtherReader.file_extensions:
        readers.reader_classes[ext] = OtherReader


def register():
    signals.readers_init.connect(on_readers_init)
'''


@pytest.mark.parametrize("order", ["checklist-first", "other-first"])
@pytest.mark.parametrize(
    "style, make_class",
    [
        ("subclasses-current", 'base = readers.reader_classes["md"]'),
        ("replaces-blindly", "from pelican.readers import MarkdownReader as base"),
    ],
)
def test_lives_next_to_another_markdown_reader_plugin(tmp_path, order, style, make_class):
    name = f"other_reader_{style.replace('-', '_')}_{order.replace('-', '_')}"
    plugin_dir = tmp_path / "plugins"
    plugin_dir.mkdir()
    (plugin_dir / f"{name}.py").write_text(
        textwrap.dedent(OTHER_PLUGIN).replace("{make_class}", make_class), encoding="utf-8"
    )
    plugins = ["checklist", name] if order == "checklist-first" else [name, "checklist"]
    files = {"pages/one.md": page("One", "one", "other\n\n" + textwrap.dedent(RESUME))}
    site = build(
        tmp_path,
        files,
        PLUGINS=plugins,
        PLUGIN_PATHS=[str(REPO / "plugins"), str(plugin_dir)],
        TYPOGRIFY=False,
    )
    html = site.read("one/index.html")
    assert "<p>other reader</p>" in html, "the other plugin's reader ran"
    assert 'data-checklist-id="resume-ready"' in html, "the checklist extension ran"


def test_real_weekly_page(tmp_path):
    source = REPO / "content" / "pages" / "weekly-career-exercise.md"
    content = tmp_path / "content" / "pages"
    content.mkdir(parents=True)
    shutil.copy(source, content / source.name)
    site = build_content(tmp_path)
    assert site.problems() == []
    html = site.read("weekly-career-exercise/index.html")
    assert '<h1 class="post-title">Your weekly career exercise</h1>' in html
    assert 'data-checklist-id="career-exercise-week"' in html and "data-weekly" in html
    assert 6 >= html.count('type="checkbox"') >= 5
    assert SCRIPT_TAG.findall(html)


def build_content(tmp_path):
    from checklist_support import build_site

    return build_site(tmp_path / "output", PATH=str(tmp_path / "content"), PLUGINS=["checklist"])


def test_script_budget():
    # What readers download: the script with the widget core folded in.
    core = (CORE_JS / "widget-core.js").read_text(encoding="utf-8")
    published = fold_core((JS / "checklist.js").read_text(encoding="utf-8"), core)
    size = len(gzip.compress(published.encode(), compresslevel=9))
    assert size <= 3 * 1024, size
