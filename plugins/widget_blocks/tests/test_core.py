"""The widget core on its own and with both widgets: one block finder that
agrees with Python-Markdown about fences, one error type, one allowlist for
author text, one slug rule, near-miss errors, one site-wide id check, and the
widgets' browser files shipped and linked in any theme.

Sites are built with Pelican's defaults (its own theme) and only the
settings each test names.
"""

from __future__ import annotations

import logging
import re
import textwrap
from pathlib import Path

import markdown
import pytest
from pelican import Pelican
from pelican.plugins.assessment.markdown_ext import ASSESSMENT
from pelican.plugins.checklist.markdown_ext import CHECKLIST
from pelican.settings import read_settings
from pelican_widget_blocks import (
    BlockBuildError,
    BlockError,
    WidgetBlocksExtension,
    find_blocks,
    slugify,
)
from pelican_widget_blocks.scanner import fenced_lines

WIDGETS = ["pelican.plugins.assessment", "pelican.plugins.checklist"]
ASSESSMENT_BLOCK = (Path(__file__).parents[2] / "assessment/tests/fixtures/small.md").read_text(
    encoding="utf-8"
)
CHECKLIST_BLOCK = "::: checklist resume-ready\ntitle: Résumé ready\n- [ ] Update it\n:::\n"


def convert(text: str, path: str = "page.md") -> str:
    blocks = WidgetBlocksExtension(types=[ASSESSMENT, CHECKLIST], source_path=path)
    return markdown.Markdown(extensions=["fenced_code", blocks]).convert(text)


def error_of(text: str, path: str = "page.md") -> BlockError:
    with pytest.raises(BlockError) as caught:
        convert(text, path)
    return caught.value


# -- the block finder and fences ---------------------------------------------

FENCE_CASES = {
    "backtick fence": "```\n::: checklist a\n- [ ] x\n:::\n```\n",
    "tilde fence with a language": "~~~markdown\n::: checklist a\n- [ ] x\n:::\n~~~\n",
    "longer closing fence is not a close": "````\n::: checklist a\n- [ ] x\n:::\n```\n````\n",
    "indented fence is not a fence": "  ```\n::: checklist a\n- [ ] x\n:::\n  ```\n",
    "unclosed fence is not a fence": "```\nnot code after all\n\n::: checklist a\n- [ ] x\n:::\n",
    "words after a fence are no language": "``` two words\n::: checklist a\n- [ ] x\n:::\n```\n",
}


@pytest.mark.parametrize("text", FENCE_CASES.values(), ids=FENCE_CASES.keys())
def test_blocks_are_found_exactly_where_python_markdown_sees_no_code(text):
    lines = text.split("\n")
    found = find_blocks(lines, ["checklist"], "page.md")
    plain = markdown.Markdown(extensions=["fenced_code"]).convert(text)
    opener_is_code = bool(re.search(r"<pre><code[^>]*>[^<]*::: checklist a", plain))
    assert bool(found) is not opener_is_code, plain
    # and the core's view of fenced lines is the same one
    assert (0 in fenced_lines(lines)) is opener_is_code


def test_an_unclosed_fence_hides_no_widget_errors():
    error = error_of("```\nnever closed\n\n::: checklist a\n- [x] ticked already\n:::\n")
    assert str(error).startswith("page.md:5: the item is already ticked")


def test_every_mistake_of_a_file_is_listed_at_once():
    error = error_of(
        "::: checklist a\n- [x] one\n:::\n\n::: checklist b\n:::\n\n"
        + ASSESSMENT_BLOCK.replace("title: A *small* check", "titel: x")
    )
    lines = [(p.line, p.problem) for p in error.problems]
    assert [line for line, _ in lines] == [2, 5, 9], lines


@pytest.mark.parametrize(
    ("opener", "meant"),
    [
        ("::: assesment small", "assessment"),
        ("::: Assessment small", "assessment"),
        ("::: checklst a", "checklist"),
        ("::: CHECKLIST a", "checklist"),
    ],
)
def test_a_near_miss_block_name_is_an_error_with_did_you_mean(opener, meant):
    error = error_of(f"Intro.\n\n{opener}\n- [ ] x\n:::\n")
    assert error.line == 3
    assert f"unknown block '{opener.split()[1]}'" in error.problem.replace("::: ", "")
    assert f"did you mean '::: {meant}'" in error.fix


def test_other_colon_blocks_are_left_to_other_extensions():
    html = convert("::: note\nHello.\n:::\n")
    assert "::: note" in html


@pytest.mark.parametrize(
    ("marker", "meant"), [("(reverce)", "reverse"), ("(wieght 2)", "weight"), ("(Reverse)", "")]
)
def test_a_near_miss_statement_option_is_an_error_not_text(marker, meant):
    source = ASSESSMENT_BLOCK.replace(
        "- I answer when a contact calls me.", f"- I answer when a contact calls me. {marker}"
    )
    if not meant:  # a different case is the option itself
        assert "<habit-assessment" in convert(source)
        return
    error = error_of(source)
    assert error.line == 12
    assert f"unknown statement option '{marker[1:-1]}'" in error.problem
    assert f"did you mean '{meant}'?" in error.fix


def test_parentheses_that_are_not_near_an_option_stay_text():
    source = ASSESSMENT_BLOCK.replace(
        "- I answer when a contact calls me.", "- I keep my profile current (photo, headline)."
    )
    assert "current (photo, headline)." in convert(source)


def test_a_near_miss_checklist_option_names_the_option_meant():
    error = error_of("::: checklist a\ntitel: Hello\n- [ ] x\n:::\n")
    assert (error.line, "did you mean 'title:'?") == (2, error.fix.split(" use")[0])


# -- one slug rule, one allowlist ------------------------------------------------


def test_the_slug_rule_folds_accents():
    assert slugify("Résumé ready") == "resume-ready"
    assert slugify("  Ça   marche !") == "ca-marche"
    html = convert("::: checklist\ntitle: Résumé ready\n- [ ] x\n:::\n")
    assert 'data-checklist-id="resume-ready"' in html


UNSAFE_LINKS = {
    "javascript:alert(1)": "javascript",
    "JaVa\tScRiPt:alert(1)": "javascript",
    "java&#115;cript:alert(1)": "javascript",
    "&#x6A;avascript:alert(1)": "javascript",
    "vbscript:msgbox(1)": "vbscript",
    "data:text/html;base64,PHNjcmlwdD4=": "data",
    "tel:+15550100": "tel",
}
SAFE_LINKS = [
    "https://example.org/a",
    "http://example.org/a",
    "mailto:me@example.org",
    "../relative/page/",
    "#section",
    "{filename}/articles/story.md",
]


def with_link(widget: str, href: str) -> str:
    if widget == "checklist":
        return f"::: checklist a\n- [ ] Read [this]({href})\n:::\n"
    return ASSESSMENT_BLOCK.replace(
        "- Reply to one old message today.", f"- Reply to [one]({href}) today."
    )


@pytest.mark.parametrize("widget", ["checklist", "assessment"])
@pytest.mark.parametrize(("href", "scheme"), UNSAFE_LINKS.items())
def test_both_widgets_refuse_the_same_links(widget, href, scheme):
    error = error_of(with_link(widget, href))
    assert f"a link to '{scheme}:'" in error.problem, error


@pytest.mark.parametrize("widget", ["checklist", "assessment"])
@pytest.mark.parametrize("href", SAFE_LINKS)
def test_both_widgets_allow_the_same_links(widget, href):
    html = convert(with_link(widget, href))
    assert f'href="{href}"' in html.replace("&amp;", "&")


@pytest.mark.parametrize("widget", ["checklist", "assessment"])
@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<b>bold</b>", "raw HTML (<b>)"),
        ("![me](me.png)", "an image"),
        ("x {: onclick=alert(1) }", "an event handler attribute"),
        ("x {: .big }", "an attribute list"),
    ],
)
def test_both_widgets_refuse_the_same_markup(widget, text, problem):
    if widget == "checklist":
        source = f"::: checklist a\n- [ ] {text}\n:::\n"
    else:
        source = ASSESSMENT_BLOCK.replace("Reply to one old message today.", text)
    assert problem in error_of(source).problem


# -- in a Pelican build (default theme) -------------------------------------------


def build(tmp_path: Path, files: dict[str, str], **settings) -> Path:
    content = tmp_path / "content"
    for name, text in files.items():
        target = content / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    output = tmp_path / "output"
    pelican_settings = read_settings(
        None,
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(tmp_path / "cache"),
            "PLUGINS": WIDGETS,
            "RELATIVE_URLS": True,
            "FEED_ALL_ATOM": None,
            "CATEGORY_FEED_ATOM": None,
            "AUTHOR_FEED_ATOM": None,
            "AUTHOR_FEED_RSS": None,
            "TRANSLATION_FEED_ATOM": None,
            **settings,
        },
    )
    Pelican(pelican_settings).run()
    return output


def page(slug: str, body: str) -> str:
    return f"Title: {slug.title()}\nSlug: {slug}\n\n{body}"


def test_each_page_links_each_widgets_files_once_relative_to_itself(tmp_path):
    about = "Title: About\nSlug: about\n\nAbout us.\n"
    story = "Title: Story\nDate: 2026-11-01\nSlug: story\n\nA story.\n"
    both = page(
        "both",
        ASSESSMENT_BLOCK
        + "\n"
        + CHECKLIST_BLOCK
        + "\n"
        + CHECKLIST_BLOCK.replace("resume-ready", "second"),
    )
    output = build(
        tmp_path,
        {"pages/both.md": both, "pages/about.md": about, "articles/story.md": story},
    )
    html = (output / "pages/both.html").read_text(encoding="utf-8")
    assert html.count('href="../widgets/assessment.css"') == 1
    assert html.count('src="../widgets/assessment.js"') == 1
    assert html.count('href="../widgets/checklist.css"') == 1
    assert html.count('src="../widgets/checklist.js"') == 1
    assert html.count("<tip-checklist ") == 2
    for name in (
        "assessment.js",
        "assessment.css",
        "checklist.js",
        "checklist.css",
        "widget-core.js",
    ):
        assert (output / "widgets" / name).is_file(), name
    assert "widgets/" not in (output / "pages/about.html").read_text(encoding="utf-8")


def test_absolute_urls_and_another_assets_folder(tmp_path):
    output = build(
        tmp_path,
        {"pages/list.md": page("list", CHECKLIST_BLOCK)},
        RELATIVE_URLS=False,
        SITEURL="https://coach.example.org/blog",
        WIDGET_ASSETS_DIR="static/widget-files",
    )
    html = (output / "pages/list.html").read_text(encoding="utf-8")
    assert 'src="https://coach.example.org/blog/static/widget-files/checklist.js"' in html
    assert (output / "static/widget-files/checklist.js").is_file()


@pytest.mark.parametrize("kind", ["assessment", "checklist"])
def test_an_id_used_in_two_files_stops_the_build_for_either_widget(tmp_path, kind, caplog):
    block = ASSESSMENT_BLOCK if kind == "assessment" else CHECKLIST_BLOCK
    caplog.set_level(logging.ERROR)
    with pytest.raises(BlockBuildError):
        build(tmp_path, {"pages/one.md": page("one", block), "pages/two.md": page("two", block)})
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    ident = "small-check" if kind == "assessment" else "resume-ready"
    assert any(f"two.md:4: {kind} id '{ident}' is already used by" in e for e in errors), errors
    assert not (tmp_path / "output").exists(), "nothing is written"


def test_an_assessment_and_a_checklist_may_share_an_id(tmp_path):
    block = CHECKLIST_BLOCK.replace("resume-ready", "small-check")
    output = build(
        tmp_path,
        {
            "pages/one.md": page("one", ASSESSMENT_BLOCK + "\n" + block),
            "pages/about.md": "Title: About\n\nAbout.\n",
            "articles/story.md": "Title: Story\nDate: 2026-11-01\n\nStory.\n",
        },
    )
    assert (output / "pages/one.html").is_file()


def test_a_widget_error_stops_the_build_naming_file_and_line(tmp_path, caplog):
    caplog.set_level(logging.ERROR)
    with pytest.raises(BlockBuildError):
        build(tmp_path, {"pages/bad.md": page("bad", "Intro.\n\n::: checklist a\n:::\n")})
    assert any("bad.md:6: the checklist has no items" in r.getMessage() for r in caplog.records)


def test_listing_summaries_show_a_stub_not_the_form(tmp_path):
    article = "Title: Habit\nDate: 2026-11-01\n\nSome words first.\n\n" + CHECKLIST_BLOCK
    newest = "Title: Newest\nDate: 2026-11-20\n\nThe theme shows this one whole.\n"
    output = build(tmp_path, {"articles/habit.md": article, "articles/newest.md": newest})
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "Some words first." in index
    assert "<form" not in index and "<tip-checklist" not in index
    assert "Résumé ready (a checklist of 1 item)" in index


def test_widgets_are_known_even_when_a_read_cache_answers_beneath_the_hook(tmp_path):
    """Whatever order plugins wrap the Markdown reader in, a file read from a
    cache still carries its widgets (the site-wide id check needs them)."""
    from pelican.readers import MarkdownReader
    from pelican_widget_blocks.pelican_glue import (
        METADATA_KEY,
        on_initialized,
        use,
        with_widget_hook,
    )

    use(CHECKLIST)
    stored = {}

    class CachingReader(MarkdownReader):
        def read(self, source_path):
            if source_path not in stored:
                stored[source_path] = super().read(source_path)
            content, metadata = stored[source_path]
            return content, dict(metadata)

    settings = read_settings(None, override={"PLUGINS": ["pelican.plugins.checklist"]})

    class FakePelican:
        pass

    fake = FakePelican()
    fake.settings = settings
    on_initialized(fake)
    source = tmp_path / "list.md"
    source.write_text("Title: List\n\n" + CHECKLIST_BLOCK, encoding="utf-8")
    reader = with_widget_hook(CachingReader)(settings)
    first = reader.read(str(source))[1][METADATA_KEY]
    again = reader.read(str(source))[1][METADATA_KEY]
    assert [(f.kind, f.id, f.line) for f in again] == [("checklist", "resume-ready", 3)]
    assert again == first
