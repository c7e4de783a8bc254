"""Every build refuses content that could run code in a reader's browser:
one build per payload, each failing with the file and line of the payload
and writing nothing; benign raw HTML builds and renders; the real site
builds cleanly with the check on."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from content_safety import UnsafeContentError
from sitecheck.pages import parse_page

from conftest import REPO, build_site

GOOD = """Title: A good article
Date: 2026-01-01 09:00
Category: Habits
Tags: habits

Nothing to see here.
"""

HEADER = {
    "Title": "Title: A fine title",
    "Date": "Date: 2026-01-02 09:00",
    "Category": "Category: Habits",
    "Tags": "Tags: habits, readiness",
}
BODY_LINE = 10


def article(body_payload: str = "", **header: str) -> str:
    """An article whose payload is on line BODY_LINE (body) or replaces one
    header field (``header``, in the order Title, Date, Category, Tags and
    then any new field)."""
    fields = {**HEADER, **header}
    lines = [*fields.values(), "", "First paragraph.", "", "Second paragraph.", ""]
    lines += [body_payload or "Third paragraph.", "", "Last paragraph.", ""]
    if not header:
        assert lines[BODY_LINE - 1] == (body_payload or "Third paragraph.")
    return "\n".join(lines)


def build(tmp_path: Path, text: str, **override):
    content = tmp_path / "content"
    content.mkdir()
    (content / "good.md").write_text(GOOD, encoding="utf-8")
    bad = content / "bad.md"
    bad.write_text(text, encoding="utf-8")
    return bad, lambda: build_site(tmp_path / "output", PATH=str(content), **override)


def assert_refused(tmp_path: Path, text: str, line: int, *words: str) -> list[str]:
    bad, run = build(tmp_path, text)
    with pytest.raises(UnsafeContentError) as raised:
        run()
    errors = raised.value.build.problems(logging.ERROR)
    mine = [e for e in errors if e.startswith(f"{bad}:")]
    assert mine, errors
    assert all(e.startswith(f"{bad}:{line}: ") for e in mine), mine
    assert any(all(w in e for w in words) for e in mine), mine
    assert all(". Fix: " in e for e in mine), mine
    assert not any(str(Path(e.split(":")[0]).name) == "good.md" for e in errors), errors
    output = tmp_path / "output"
    assert not output.exists() or not any(output.rglob("*")), "nothing is written"
    return mine


# (id, header fields, body payload, line, words in the message)
METADATA_PAYLOADS = [
    (
        "title",
        {"Title": 'Title: "><img src=x onerror=alert(1)>'},
        1,
        ("Title: contains HTML markup (<img>)", "write plain text"),
    ),
    (
        "raw summary",
        {"Summary": "Summary: Read this <img src=x onerror=alert(1)> now."},
        5,
        ("Summary: contains HTML markup (<img>)", "plain Markdown"),
    ),
    (
        "tag",
        {"Tags": 'Tags: habits, "><img src=x onerror=alert(1)>'},
        4,
        ("Tags: tag '\"><img src=x onerror=alert(1)>'", "HTML markup (<img>)"),
    ),
    (
        "category",
        {"Category": "Category: Habits<script>alert(1)</script>"},
        3,
        ("Category: contains HTML markup (<script>)",),
    ),
    (
        "author",
        {"Author": "Author: Ann <img src=x onerror=alert(1)>"},
        5,
        ("Author 'Ann <img src=x onerror=alert(1)>'", "(<img>)"),
    ),
    (
        "title spelling markup with entities",
        {"Title": "Title: &lt;img src=x onerror=alert(1)&gt;"},
        1,
        ("Title: spells HTML markup with character references",),
    ),
    (
        "slug with a quote",
        {"Slug": 'Slug: x" onmouseover="alert(1)'},
        5,
        ("Slug: ", "quotes, angle brackets"),
    ),
]


@pytest.mark.parametrize(
    ("header", "line", "words"),
    [case[1:] for case in METADATA_PAYLOADS],
    ids=[case[0] for case in METADATA_PAYLOADS],
)
def test_unsafe_metadata_stops_the_build_at_its_header_line(tmp_path, header, line, words):
    assert_refused(tmp_path, article(**header), line, *words)


BODY_PAYLOADS = [
    ("markdown javascript link", "[x](javascript:alert(1))", ("<a href='javascript:alert(1)'>",)),
    (
        "entity-obfuscated",
        '<a href="java&#115;cript:alert(1)">x</a>',
        ("is a javascript: URL", "Fix: link to a page"),
    ),
    ("tab-obfuscated", '<a href="java&#x09;script:alert(1)">x</a>', ("javascript: URL",)),
    ("mixed case", '<a href=" JaVaScRiPt:alert(1)">x</a>', ("javascript: URL",)),
    ("vbscript", '<a href="vbscript:msgbox(1)">x</a>', ("vbscript: URL",)),
    ("data URL", '<img src="data:image/svg+xml,&lt;svg/&gt;" alt="x">', ("<img src=", "data:")),
    ("srcset", '<img src="a.png" srcset="a.png 1x, javascript:alert(1) 2x" alt="">', ("srcset",)),
    ("svg xlink:href", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', ()),
    (
        "form formaction",
        '<form><button formaction="javascript:alert(1)">Go</button></form>',
        ("<button formaction=",),
    ),
    ("attr_list onclick", '## A heading {onclick="alert(1)"}', ("<h2 onclick=…>", "{…}")),
    ("raw script", "<script>alert(1)</script>", ("<script> element", "runs no author scripts")),
    ("img onerror", '<img src="x.png" alt="" onerror="alert(1)">', ("<img onerror=…>",)),
    ("iframe", '<iframe src="https://example.net/"></iframe>', ("<iframe> element",)),
    ("object", '<object data="movie.swf"></object>', ("<object> element",)),
    ("embed", '<embed src="movie.swf">', ("<embed> element",)),
    ("base", '<base href="https://example.net/">', ("<base> element", "every link")),
    (
        "meta http-equiv",
        '<meta http-equiv="refresh" content="0; url=https://example.net/">',
        ('<meta http-equiv="refresh"> in the body',),
    ),
    ("srcdoc", '<iframe srcdoc="&lt;p&gt;hi&lt;/p&gt;"></iframe>', ("<iframe srcdoc=…>",)),
    (
        "form to another host",
        '<form action="https://forms.example.net/collect" method="post"><button>Send</button>'
        "</form>",
        ("sends the form to another site", "forms.example.net"),
    ),
    (
        "json script outside a widget",
        '<script type="application/json">{"a": 1}</script>',
        ("<script> element",),
    ),
    (
        "foreign module script inside a widget element",
        '<tip-checklist><script type="module" src="https://cdn.example.net/x.js"></script>'
        "</tip-checklist>",
        ("<script> element",),
    ),
]


@pytest.mark.parametrize(
    ("payload", "words"),
    [case[1:] for case in BODY_PAYLOADS],
    ids=[case[0] for case in BODY_PAYLOADS],
)
def test_unsafe_body_stops_the_build_at_its_source_line(tmp_path, payload, words):
    assert_refused(tmp_path, article(payload), BODY_LINE, *words)


def test_each_problem_of_a_file_is_reported_at_its_own_line(tmp_path):
    text = article("<p onclick=\"a()\">one</p> <a href='javascript:b()'>two</a>") + (
        '\n<p onclick="c()">three</p>\n'
    )
    bad, run = build(tmp_path, text)
    with pytest.raises(UnsafeContentError) as raised:
        run()
    errors = raised.value.build.problems(logging.ERROR)
    mine = [e for e in errors if e.startswith(f"{bad}:")]
    assert sorted(int(e.split(":")[1]) for e in mine) == [BODY_LINE, BODY_LINE, 14], mine


BENIGN = """Title: Benign raw HTML
Date: 2026-01-03 09:00
Category: Habits
Tags: habits

<figure>
  <img src="https://example.org/chart.png" alt="A chart of contacts per month">
  <figcaption>Contacts per month</figcaption>
</figure>

<details><summary>Why weekly?</summary><p>Small steps add up.</p></details>

Ask <abbr title="Human Resources">HR</abbr>, press <kbd>Ctrl</kbd>+<kbd>S</kbd>,
read note<sup>1</sup> and [the guide](https://example.org/guide "Guide").

<table>
  <thead><tr><th>Habit</th><th>Minutes</th></tr></thead>
  <tbody><tr><td>Coffee</td><td>30</td></tr></tbody>
</table>

<form action="/search/"><label>Find <input name="q"></label></form>
"""


def test_benign_raw_html_builds_and_renders(tmp_path):
    _, run = build(tmp_path, BENIGN)
    site = run()
    assert site.problems() == []
    page = parse_page(site.read("articles/benign-raw-html/index.html"))
    for tag in ("figure", "figcaption", "details", "summary", "abbr", "kbd", "sup", "table"):
        assert page.find(tag), f"<{tag}> is published"
    assert page.find("abbr", title="Human Resources")
    assert [td.text for td in page.find("td")] == ["Coffee", "30"]


def test_a_warm_build_still_catches_a_new_problem(tmp_path):
    """Clean bodies are remembered between builds; a changed one is not."""
    bad, run = build(tmp_path, article())
    run()
    assert (tmp_path / "output-cache" / "content_safety.txt").read_text().split()
    bad.write_text(article("<script>alert(1)</script>"), encoding="utf-8")
    with pytest.raises(UnsafeContentError):
        run()


def test_real_site_builds_cleanly_with_the_check_on(dev_site, publish_site):
    for site in (dev_site, publish_site):
        assert "content_safety" in site.settings["PLUGINS"]
        assert site.problems() == []
    # the widgets' own scripts were checked and allowed
    html = dev_site.read("networking-habits-assessment/index.html")
    page = parse_page(html)
    scripts = page.find("script")
    assert {s.attrs.get("type") for s in scripts} >= {"module", "application/json"}


def test_make_html_and_publish_report_the_file_and_line(tmp_path):
    """tools/sitebuild.py (make html, make publish) prints the problem and
    exits non-zero."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "bad.md").write_text(article("<script>alert(1)</script>"), encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "tools/sitebuild.py",
            "--settings",
            "pelicanconf.py",
            "--output",
            str(tmp_path / "output"),
            "--content",
            str(content),
            "--fatal",
            "errors",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert f"{content / 'bad.md'}:{BODY_LINE}: <script> element. Fix: " in done.stderr
    assert not (tmp_path / "output").exists() or not any((tmp_path / "output").rglob("*"))


def test_checking_in_worker_processes_finds_the_same_problems(tmp_path):
    """A site with many bodies is checked in forked workers: an unsafe body
    among 80 clean ones still stops the build at its file and line."""
    content = tmp_path / "content"
    content.mkdir()
    for n in range(80):
        (content / f"clean-{n:02d}.md").write_text(
            article().replace("Title: ", f"Title: Clean {n} ", 1), encoding="utf-8"
        )
    bad = content / "zz-bad.md"
    bad.write_text(article('<a href="java&#x09;script:alert(1)">x</a>'), encoding="utf-8")
    with pytest.raises(UnsafeContentError) as raised:
        build_site(tmp_path / "output", PATH=str(content), CONTENT_SAFETY_WORKERS=2)
    errors = raised.value.build.problems(logging.ERROR)
    assert [e for e in errors if "javascript: URL" in e] == [
        e for e in errors if e.startswith(f"{bad}:{BODY_LINE}: ")
    ]
    assert len(errors) == 1, errors


def test_worker_processes_give_the_serial_results_in_order():
    from content_safety import body_findings_all, rules

    policy = rules.Policy()
    bodies = ["<p>fine</p>"] * 70
    bodies[3] = "<p><img src=x onerror=alert(1)></p>"
    bodies[66] = "<script>alert(2)</script>"
    serial = body_findings_all(bodies, policy, {"CONTENT_SAFETY_WORKERS": 1})
    parallel = body_findings_all(bodies, policy, {"CONTENT_SAFETY_WORKERS": 2})
    assert parallel == serial
    assert [i for i, found in enumerate(parallel) if found] == [3, 66]


def test_checked_bodies_are_remembered_whatever_the_hash_seed(tmp_path):
    """A warm build checks no body again: what the cache remembers must not
    depend on the process's hash seed (it did, through a frozenset's repr,
    and every other warm build checked every body again)."""
    cache = tmp_path / "cache"
    remembered = []
    for seed in ("1", "2"):
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "pelican"),
                str(REPO / "tests/fixtures/small-site"),
                "-o",
                str(tmp_path / f"out-{seed}"),
                "-s",
                str(REPO / "pelicanconf.py"),
                "-e",
                f'CACHE_PATH="{cache}"',
                "-q",
            ],
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        remembered.append((cache / "content_safety.txt").read_text(encoding="ascii"))
    assert remembered[0] and remembered[0] == remembered[1]


def test_plain_texts_are_remembered_between_builds(tmp_path, monkeypatch):
    """The meta_text filter parses a summary with html5lib once: later builds
    (new processes) take the text from CACHE_PATH, and only a changed value
    is parsed again. A damaged file is ignored."""
    from content_safety import filters

    content = tmp_path / "content"
    content.mkdir()
    source = content / "one.md"
    source.write_text(
        GOOD.replace("Tags: habits", "Tags: habits\nSummary: Ask <em>one</em> thing.")
    )
    cache = tmp_path / "cache"

    def build_in_a_new_process(name):
        filters._TEXTS.clear()  # what a new process starts with
        parsed = []
        real = filters.text_of
        monkeypatch.setattr(filters, "text_of", lambda v: parsed.append(v) or real(v))
        site = build_site(tmp_path / name, PATH=str(content), CACHE_PATH=str(cache))
        return site, parsed

    first, parsed = build_in_a_new_process("one")
    assert any("<em>one</em>" in value for value in parsed)
    saved = json.loads((cache / "content_safety_texts.json").read_text(encoding="utf-8"))
    assert "Ask one thing." in saved["texts"].values()
    second, parsed = build_in_a_new_process("two")
    assert parsed == []
    page = "articles/a-good-article/index.html"
    assert first.read(page) == second.read(page)
    assert "Ask one thing." in second.read(page)
    source.write_text(source.read_text().replace("<em>one</em>", "<em>two</em>"))
    third, parsed = build_in_a_new_process("three")
    assert parsed and all("<em>two</em>" in value for value in parsed)
    assert "Ask two thing." in third.read(page)
    (cache / "content_safety_texts.json").write_text('{"code": 1, "texts": [}', encoding="utf-8")
    fourth, parsed = build_in_a_new_process("four")
    assert parsed and fourth.read(page) == third.read(page)
