"""The ``::: assessment-focus`` block (focus.py): its mistakes, each with file,
line and a fix; what it renders (hidden, nothing executable, every author
value escaped); and in a build: the assessment it names must exist, several
pages may name one, and feeds and listings show nothing of it.

Sites are built with Pelican's own theme and only the settings named here.
"""

from __future__ import annotations

import html
import logging
import re
import textwrap
from pathlib import Path

import html5lib
import markdown
import pytest
from assessment_support import small_source
from pelican import Pelican
from pelican.plugins.assessment.focus import FOCUS, Focus, render
from pelican.plugins.assessment.markdown_ext import ASSESSMENT
from pelican.settings import read_settings
from pelican_widget_blocks import BlockBuildError, BlockError, WidgetBlocksExtension


def convert(text: str, path: str = "week.md") -> str:
    blocks = WidgetBlocksExtension(types=[ASSESSMENT, FOCUS], source_path=path)
    return markdown.Markdown(extensions=[blocks]).convert(textwrap.dedent(text))


def error_of(text: str) -> BlockError:
    with pytest.raises(BlockError) as caught:
        convert(text)
    return caught.value


# -- mistakes in the block ------------------------------------------------------

# (id, source, line, words of the problem, words of the fix)
ERRORS = [
    (
        "no assessment named",
        "Intro.\n\n::: assessment-focus\n:::\n",
        3,
        "the assessment-focus block names no assessment",
        "'::: assessment-focus networking-habits'",
    ),
    (
        "two assessments named",
        "::: assessment-focus networking-habits hr-readiness\n:::\n",
        1,
        "names more than one assessment ('networking-habits hr-readiness')",
        "one block per assessment",
    ),
    (
        "an id that cannot be one",
        "::: assessment-focus Networking_Habits\n:::\n",
        1,
        "assessment id 'Networking_Habits' is not valid",
        "lowercase letters, digits and single hyphens",
    ),
    (
        "text inside the block",
        "::: assessment-focus networking-habits\n\nFocus on this!\n:::\n",
        3,
        "the assessment-focus block takes no text, but this line has some",
        "put your own text before or after the block",
    ),
    (
        "a misspelt block name",
        "::: assessment-focs networking-habits\n:::\n",
        1,
        "assessment-focs",
        "assessment-focus",
    ),
    (
        "never closed",
        "Intro.\n\n::: assessment-focus networking-habits\n\nMore text.\n",
        3,
        "never closed",
        ":::",
    ),
    (
        "twice on one page",
        "::: assessment-focus a\n:::\n\n::: assessment-focus a\n:::\n",
        4,
        "assessment-focus id 'a' is already used on line 1 of this file",
        "keep one focus block per assessment on a page",
    ),
]


@pytest.mark.parametrize(
    ("source", "line", "problem", "fix"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_each_mistake_names_file_line_and_fix(source, line, problem, fix):
    error = error_of(source)
    assert (error.path, error.line) == ("week.md", line), str(error)
    assert problem in error.problem
    assert fix in error.fix
    assert str(error).startswith(f"week.md:{line}: ")


def test_blank_lines_inside_the_block_are_fine():
    assert "<habit-focus" in convert("::: assessment-focus a\n\n\n:::\n")


def test_every_mistake_of_a_file_is_listed_at_once():
    error = error_of("::: assessment-focus\n:::\n\n::: assessment-focus b\nwords\n:::\n")
    assert [(p.line, p.problem.split(",")[0]) for p in error.problems] == [
        (1, "the assessment-focus block names no assessment"),
        (5, "the assessment-focus block takes no text"),
    ]


# -- what it renders ------------------------------------------------------------


def test_renders_hidden_with_its_files_and_no_inline_code():
    out = convert("Before.\n\n::: assessment-focus networking-habits\n:::\n\nAfter.\n")
    tree = html5lib.parseFragment(out, namespaceHTMLElements=False)
    [element] = tree.findall(".//habit-focus")
    assert element.get("hidden") == ""
    assert element.get("data-assessment-id") == "networking-habits"
    assert element.get("id") == "networking-habits--weekly-focus"
    # The core links the block's own files from its first element.
    assert [e.get("href") for e in element.iter("link")] == [
        "{filename}/__widget_assets__/assessment-focus.css"
    ]
    assert [e.get("src") for e in element.iter("script")] == [
        "{filename}/__widget_assets__/assessment-focus.js"
    ]
    assert not re.search(r"\s(on\w+|style)=", out)
    # Every control has its label; the status is a live region.
    select = element.find(".//select")
    assert element.find(f".//label[@for='{select.get('id')}']") is not None
    assert element.find(".//*[@role='status']") is not None
    # Markdown leaves it whole: no <p> around the element, text before and after kept.
    assert out.startswith("<p>Before.</p>") and out.rstrip().endswith("<p>After.</p>")
    assert "<p><habit-focus" not in out


def test_an_odd_id_is_escaped_in_every_attribute():
    out = render(Focus('a"><script>x</script>', "x.md", 1))
    assert "<script>" not in out
    assert html.escape('a"><script>x</script>') in out


# -- in a build -----------------------------------------------------------------

ABOUT = "Title: About\nSlug: about\n\n## How it works\n\nWe explain it here.\n"
STORY = "Title: Story\nDate: 2026-11-01\nSlug: story\nSummary: A story.\n\nOnce upon a time.\n"


def build(tmp_path: Path, files: dict[str, str], **settings) -> Path:
    content = tmp_path / "content"
    for name, text in {"articles/story.md": STORY, "pages/about.md": ABOUT, **files}.items():
        target = content / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    output = tmp_path / "output"
    pelican_settings = read_settings(
        None,
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(tmp_path / "cache"),
            "PLUGINS": ["pelican.plugins.assessment"],
            "RELATIVE_URLS": True,
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


FOCUS_BLOCK = "::: assessment-focus small-check\n:::\n"


def test_an_unknown_assessment_stops_the_build_with_did_you_mean(tmp_path, caplog):
    caplog.set_level(logging.ERROR)
    files = {
        "pages/check.md": page("check", small_source()),
        "pages/week.md": page(
            "week", "Intro.\n\n" + FOCUS_BLOCK.replace("small-check", "small-chek")
        ),
    }
    with pytest.raises(BlockBuildError):
        build(tmp_path, files)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    expected = (
        "week.md:6: the assessment-focus block shows the result of assessment 'small-chek', "
        "but no page of this site has that assessment. Fix: did you mean 'small-check'? "
        "Write '::: assessment-focus small-check'."
    )
    assert any(e.endswith(expected) for e in errors), errors
    assert not (tmp_path / "output").exists(), "nothing is written"


def test_an_unknown_assessment_far_from_any_lists_the_known_ones(tmp_path, caplog):
    caplog.set_level(logging.ERROR)
    files = {
        "pages/check.md": page("check", small_source()),
        "pages/week.md": page("week", FOCUS_BLOCK.replace("small-check", "hr-readiness")),
    }
    with pytest.raises(BlockBuildError):
        build(tmp_path, files)
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(
        "week.md:4: " in e and "use the id of an assessment on this site: 'small-check'" in e
        for e in errors
    ), errors


def test_several_pages_may_show_one_assessments_focus(tmp_path):
    article = "Title: Habit\nDate: 2026-11-20\n\nWords first.\n\n" + FOCUS_BLOCK
    newest = "Title: Newest\nDate: 2026-11-25\n\nThe theme shows this one whole.\n"
    files = {
        "articles/newest.md": newest,
        "pages/check.md": page("check", small_source()),
        "pages/week.md": page("week", FOCUS_BLOCK),
        "articles/habit.md": article,
    }
    output = build(tmp_path, files)
    week = (output / "pages/week.html").read_text(encoding="utf-8")
    assert week.count("<habit-focus ") == 1
    assert 'src="../widgets/assessment-focus.js"' in week
    for name in ("assessment-focus.js", "assessment-focus.css", "assessment-plan.js"):
        assert (output / "widgets" / name).is_file(), name
    # A feed reader runs no script and has no result to show: nothing of it.
    feed = (output / "feeds/all.atom.xml").read_text(encoding="utf-8")
    assert "Words first." in feed
    assert "habit-focus" not in feed and "focus" not in html.unescape(feed).lower()
    # Nor does an automatic summary in a listing.
    index = (output / "index.html").read_text(encoding="utf-8")
    assert "Words first." in index
    assert "habit-focus" not in index


def test_the_real_site_shows_the_focus_on_the_weekly_page_and_links_the_second_check(dev_site):
    weekly = dev_site.read("weekly-career-exercise/index.html")
    assert re.search(r'<habit-focus [^>]*data-assessment-id="networking-habits" hidden>', weekly)
    # Above the week's checklist, after the two paragraphs of introduction.
    assert weekly.index("<habit-focus") < weekly.index("<tip-checklist")
    julio = dev_site.read("articles/julio-kept-his-network-warm/index.html")
    assert 'href="../../readiness-check/"' in julio
    check = dev_site.read("readiness-check/index.html")
    assert 'data-assessment-id="hr-readiness"' in check
    assert check.count('<fieldset class="assessment-statement"') == 6
