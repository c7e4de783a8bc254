"""parallel_write writes exactly what Pelican writes alone, on more cores.

Each build test builds one generated site twice, in one process
(PARALLEL_WRITE_PROCESSES=1) and in three (MIN_PAGES=0, so a small site is
shared out too), and compares the two output trees byte for byte. Nothing
here times anything: `make bench` measures the speed.
"""

from __future__ import annotations

import filecmp
import gc
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from parallel_write import WriteCall, read_settings, share_out
from pelican import signals
from pelican.log import LimitFilter

from conftest import REPO, build_site, write_content


@pytest.fixture(autouse=True)
def shared_out(caplog):
    """Each build below that asks for several processes really uses them: no
    `content_written` listener is left from an earlier build in this process
    (a publish build's sitemap generator, when something still holds it),
    and the plugin says it shared the pages out."""
    gc.collect()
    for ref in list(signals.content_written.receivers.values()):
        receiver = ref() if callable(ref) else ref
        if receiver is not None:
            signals.content_written.disconnect(receiver)
    assert not signals.content_written.receivers
    LimitFilter._raised_messages.clear()  # Pelican logs a message once a process
    caplog.set_level(logging.DEBUG, logger="parallel_write")
    yield caplog


def shared(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "parallel_write"]


TAGS = ["resume", "linkedin", "coffee", "associations", "goals"]


def article(number: int, extra: str = "") -> str:
    tags = ", ".join(TAGS[number % 5 : number % 5 + 2])
    return f"""\
        Title: Habit note {number}
        Date: 2026-{1 + number % 11:02d}-{1 + number % 27:02d} 09:{number % 60:02d}
        Category: {"Habits" if number % 3 else "Stories"}
        Tags: {tags}
        Summary: Note number {number}, on {tags}.

        A paragraph about habit {number}, linking to
        [the first note]({{filename}}/articles/note-1.md).

        ## What to do

        - Something small, every week.
        {extra}
        """


def site(root: Path, count: int = 40, **extra: str) -> Path:
    files = {f"articles/note-{n}.md": article(n, extra.get(f"note-{n}", "")) for n in range(count)}
    files["pages/about.md"] = "Title: About\n\nWho writes this.\n"
    return write_content(root, files)


def differences(left: Path, right: Path) -> list[str]:
    """Paths that differ, or exist on one side only."""
    found = []
    compared = filecmp.dircmp(left, right)
    stack = [(compared, "")]
    while stack:
        node, prefix = stack.pop()
        found += [prefix + n for n in node.left_only + node.right_only + node.funny_files]
        _, mismatch, errors = filecmp.cmpfiles(
            node.left, node.right, node.common_files, shallow=False
        )
        found += [prefix + n for n in mismatch + errors]
        stack += [(sub, f"{prefix}{name}/") for name, sub in node.subdirs.items()]
    return sorted(found)


@pytest.mark.parametrize("publish", [False, True], ids=["make-html", "publish"])
def test_pages_written_in_three_processes_match_one_process(tmp_path, publish, shared_out):
    content = site(tmp_path / "content")
    # (publish builds without the sitemap plugin: it listens to content_written)
    plugins = {
        "PLUGINS": [
            "parallel_write",
            "feed_guids",
            "pelican.plugins.assessment",
            "pelican.plugins.checklist",
            "content_safety",
            "buildcache",
        ]
    }
    one = build_site(
        tmp_path / "one",
        publish=publish,
        PATH=str(content),
        PARALLEL_WRITE_PROCESSES=1,
        **plugins,
    )
    assert shared(shared_out) == []
    three = build_site(
        tmp_path / "three",
        publish=publish,
        PATH=str(content),
        PARALLEL_WRITE_PROCESSES=3,
        PARALLEL_WRITE_MIN_PAGES=0,
        **plugins,
    )
    assert len(shared(shared_out)) == 1 and "in 3 processes" in shared(shared_out)[0]
    pages = list(one.output.rglob("index.html"))
    # every article, paginated listings (8 a page), tags, categories
    assert len(pages) > 60
    assert (one.output / "page" / "2" / "index.html").exists()
    assert differences(one.output, three.output) == []
    assert three.problems() == one.problems() == []


TEMPLATES = (
    "index",
    "tag",
    "category",
    "author",
    "page",
    "tags",
    "categories",
    "authors",
    "archives",
    "period_archives",
    "404",
    "search",  # TEMPLATE_PAGES: the search page
)


def theme(root: Path, article_template: str) -> Path:
    """A bare theme whose article pages render `article_template`."""
    (root / "templates").mkdir(parents=True)
    (root / "static").mkdir()
    for name in TEMPLATES:
        (root / "templates" / f"{name}.html").write_text("{{ output_file }}\n")
    (root / "templates" / "article.html").write_text(article_template)
    return root


def warn(title):
    """A template filter that warns while a page renders, which happens in
    whichever process writes the page."""
    logging.getLogger("theme").warning("The title '%s' is odd", title)
    return title


def test_a_warning_in_a_writing_process_reaches_the_build_log(tmp_path, shared_out):
    content = site(tmp_path / "content")
    built = build_site(
        tmp_path / "out",
        PATH=str(content),
        THEME=str(theme(tmp_path / "theme", "{{ article.title|warn }}\n")),
        JINJA_FILTERS={"warn": warn},
        PARALLEL_WRITE_PROCESSES=3,
        PARALLEL_WRITE_MIN_PAGES=0,
    )
    assert "in 3 processes" in shared(shared_out)[0]
    # one warning per article page, from all three processes
    assert sorted(built.problems()) == sorted(
        f"The title 'Habit note {n}' is odd" for n in range(40)
    )


def test_the_build_wrapper_names_file_and_fails_on_a_childs_warning(tmp_path):
    content = site(tmp_path / "content")
    theme(tmp_path / "theme", "{{ article.title|warn }}\n")
    settings = tmp_path / "conf.py"
    settings.write_text(
        "import logging\n"
        "from pelicanconf import *\n"
        "def warn(title):\n"
        "    logging.getLogger('theme').warning(\"The title '%s' is odd\", title)\n"
        "    return title\n"
        "JINJA_FILTERS = {**JINJA_FILTERS, 'warn': warn}\n"
        f"THEME = {str(tmp_path / 'theme')!r}\n"
        "PARALLEL_WRITE_MIN_PAGES = 0\n"
        f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "tools" / "sitebuild.py"),
            "--settings",
            str(settings),
            "--content",
            str(content),
            "--output",
            str(tmp_path / "out"),
            "--fatal",
            "warnings",
        ],
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "build: FAILED: 40 warning" in result.stderr
    assert "note-7.md:1: The title 'Habit note 7' is odd" in result.stderr


def test_a_failing_template_in_a_writing_process_fails_the_build(tmp_path):
    content = site(tmp_path / "content")
    # only article pages fail, and they go to every process
    failing = theme(tmp_path / "theme", "{{ article.title }}{{ 1 / 0 }}\n")
    with pytest.raises(ZeroDivisionError):
        build_site(
            tmp_path / "out",
            PATH=str(content),
            THEME=str(failing),
            PARALLEL_WRITE_PROCESSES=2,
            PARALLEL_WRITE_MIN_PAGES=0,
        )


def test_with_a_content_written_listener_every_page_is_written_in_one_process(tmp_path):
    content = site(tmp_path / "content", count=12)
    seen: list[str] = []

    def listen(path, context):
        seen.append(path)

    signals.content_written.connect(listen)
    try:
        built = build_site(
            tmp_path / "out",
            PATH=str(content),
            PARALLEL_WRITE_PROCESSES=3,
            PARALLEL_WRITE_MIN_PAGES=0,
        )
    finally:
        signals.content_written.disconnect(listen)
    written = {str(p) for p in built.output.rglob("*.html")}
    assert written <= set(seen)
    assert len(written) > 12


def test_share_out_keeps_order_and_keeps_one_file_in_one_process():
    calls = [
        WriteCall(i, (f"page-{i}.html",), {}, pages) for i, pages in enumerate([9, 1, 1, 1, 3, 1])
    ]
    calls.append(WriteCall(6, ("page-1.html",), {"override_output": True}, 1))
    shares = share_out(calls, 2)
    assert sorted(c.order for s in shares for c in s.calls) == list(range(7))
    for share in shares:
        orders = [c.order for c in share.calls]
        assert orders == sorted(orders)
    owner = [s for s in shares if any(c.args[0] == "page-1.html" for c in s.calls)]
    assert len(owner) == 1 and [c.order for c in owner[0].calls if c.args[0] == "page-1.html"] == [
        1,
        6,
    ]
    assert sorted(s.pages for s in shares) == [8, 9]


def test_invalid_settings_are_logged_and_replaced(caplog):
    with caplog.at_level(logging.ERROR):
        assert read_settings({"PARALLEL_WRITE_PROCESSES": 0}) == (1, 200)
        assert read_settings({"PARALLEL_WRITE_PROCESSES": 2, "PARALLEL_WRITE_MIN_PAGES": "x"}) == (
            2,
            200,
        )
    messages = [r.getMessage() for r in caplog.records]
    assert any("PARALLEL_WRITE_PROCESSES must be a whole number" in m for m in messages)
    assert any("PARALLEL_WRITE_MIN_PAGES must be a whole number" in m for m in messages)
