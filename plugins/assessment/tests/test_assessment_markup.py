"""Author text is Markdown with an allowlist: unsafe input is an error with
file and line; everything that passes is escaped in HTML and in JSON."""

from __future__ import annotations

import json

import pytest
from assessment_support import case, error_for, load
from pelican.plugins.assessment.render import json_for_script, render_data, render_widget


def with_statement(text: str) -> str:
    return case("title: T\nscale: A | B | C", body=f"## Alpha\n- {text}\n- Two.\n")


def with_tip(tip: str) -> str:
    overall = f"## Overall\n### 0-49 Low\nL.\n- {tip}\n### 50-100 High\nH.\n:::\n"
    return case("title: T\nscale: A | B | C", overall=overall)


UNSAFE = [
    ("raw HTML in a statement", with_statement("I <b>always</b> reply."), 6, "raw HTML (<b>)"),
    (
        "script tag in a statement",
        with_statement("Hi <script>alert(1)</script>"),
        6,
        "raw HTML (<script>)",
    ),
    ("HTML comment", with_statement("Hi <!-- x -->"), 6, "raw HTML"),
    (
        "raw HTML in a scale label",
        case("title: T\nscale: <i>A</i> | B | C"),
        3,
        "raw HTML (<i>)",
    ),
    (
        "raw HTML in the title",
        case('title: <img src=x onerror="alert(1)">\nscale: A | B | C'),
        2,
        "raw HTML (<img src=x onerror=",
    ),
    ("javascript: link", with_tip("[x](javascript:alert(1))"), 12, "a link to 'javascript:'"),
    (
        "javascript: link hidden behind entities",
        with_tip("[x](&#106;avascript:alert(1))"),
        12,
        "a link to 'javascript:'",
    ),
    (
        "javascript: link with a tab inside",
        with_tip("[x](java\tscript:alert(1))"),
        12,
        "a link to 'javascript:'",
    ),
    ("data: link", with_tip("[x](data:text/html,hi)"), 12, "a link to 'data:'"),
    ("vbscript: link", with_tip("[x](VBScript:msgbox)"), 12, "a link to 'vbscript:'"),
    (
        "attr_list event handler",
        with_tip('Read this. {: onclick="alert(1)" }'),
        12,
        'event handler attribute ({: onclick="alert(1)" })',
    ),
    (
        "attr_list without colon",
        with_statement('Hi {onmouseover="x()"}'),
        6,
        "event handler attribute",
    ),
    (
        "link in a statement",
        with_statement("See [this](https://example.org)."),
        6,
        "a link in a title",
    ),
    (
        "image in a tip",
        with_tip("![x](https://example.org/x.png)"),
        12,
        "an image in a description",
    ),
]


@pytest.mark.parametrize(
    ("source", "line", "problem"), [u[1:] for u in UNSAFE], ids=[u[0] for u in UNSAFE]
)
def test_unsafe_text_is_an_error(source, line, problem):
    exc = error_for(source, path="content/x.md")
    assert exc.line == line, str(exc)
    assert problem in exc.problem, str(exc)
    assert exc.fix
    assert str(exc).startswith(f"content/x.md:{line}: ")


def test_safe_markdown_and_links_pass():
    a = load(
        case(
            "title: T\nscale: A | B | C",
            body="## Alpha\n- I *always* reply to `calls` & notes < 5 days.\n- Two.\n",
            overall="## Overall\n### 0-49 Low\nL.\n"
            "- See [the story]({filename}/articles/story.md#top), "
            "<https://example.org/> or [mail](mailto:a@example.org).\n"
            "### 50-100 High\nH.\n:::\n",
        )
    )
    html = render_widget(a)
    assert "I <em>always</em> reply to <code>calls</code> &amp; notes &lt; 5 days." in html
    assert 'href="{filename}/articles/story.md#top"' in html
    assert 'href="https://example.org/"' in html


def test_text_is_escaped_in_html_and_attributes():
    a = load(with_statement("Quotes \" and ' and & and a > b."))
    html = render_widget(a)
    assert "Quotes &quot; and ' and &amp; and a &gt; b." in html or (
        "Quotes \" and ' and &amp; and a &gt; b." in html
    )
    assert "a > b" not in html


def test_json_escapes_lt_gt_amp_and_line_separators():
    value = {"t": "</script><!-- & \u2028 \u2029 >"}
    out = json_for_script(value)
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\u2028" not in out and "\u2029" not in out
    assert "\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028 \\u2029 \\u003e" in out
    assert json.loads(out) == value


def test_embedded_json_of_an_assessment_is_escaped():
    a = load(
        case(
            "title: Tom & Jerry's `</script>` 1 < 2 check\nscale: A | B | C",
            body="## Alpha\n- Line\u2028separator and para\u2029separator.\n- `<b>` in code.\n",
        )
    )
    script = render_data(a)
    body = script.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert "</" not in body and "&" not in body and "\u2028" not in body
    data = json.loads(body)
    assert data["title"] == "Tom & Jerry's </script> 1 < 2 check"
    assert data["dimensions"][0]["statements"][1]["text"] == "<b> in code."
    # Plain text collapses whitespace, U+2028 included; json_for_script's own
    # test above covers the escape for any that would remain.
    assert data["dimensions"][0]["statements"][0]["text"] == "Line separator and para separator."
