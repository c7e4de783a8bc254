"""Parsing and validation of checklist blocks: the syntax, and one test per
authoring mistake, each naming the file and the line."""

from __future__ import annotations

import textwrap

import markdown
import pytest
from pelican.plugins.checklist.markdown_ext import ChecklistExtension
from pelican.plugins.checklist.model import ChecklistError
from pelican.plugins.checklist.parse import parse_text
from pelican_widget_blocks.inline import LINKS, render

PATH = "content/articles/resume.md"


def parse(source: str):
    """Parse a test document; a triple-quoted one loses its first newline."""
    source = textwrap.dedent(source)
    return parse_text(source.removeprefix("\n"), PATH)


def error_of(source: str) -> ChecklistError:
    with pytest.raises(ChecklistError) as caught:
        parse(source)
    return caught.value


def test_reads_id_title_items_and_lines():
    (block,) = parse(
        """
        Title: Keep your resume ready

        Some prose.

        ::: checklist resume-ready
        title: Keep your resume ready
        - [ ] Update your resume with this quarter's results
        - [ ] Save a one-page version
        :::
        """
    )
    checklist = block
    assert (checklist.id, checklist.title, checklist.weekly) == (
        "resume-ready",
        "Keep your resume ready",
        False,
    )
    assert [item.text for item in checklist.items] == [
        "Update your resume with this quarter's results",
        "Save a one-page version",
    ]
    assert [item.line for item in checklist.items] == [7, 8]
    assert (checklist.path, checklist.line) == (PATH, 5)


@pytest.mark.parametrize(
    "opener, option",
    [("::: checklist weekly-habit weekly", ""), ("::: checklist weekly-habit", "type: weekly")],
)
def test_weekly_by_opener_word_or_type_option(opener, option):
    (block,) = parse(f"{opener}\n{option}\n- [ ] Reach out to one contact\n:::\n")
    assert block.weekly
    assert block.id == "weekly-habit"
    assert block.title == "This week’s checklist"


def test_id_option_and_defaults():
    (first, second, third) = parse(
        """
        ::: checklist
        id: from-option
        - [ ] One
        :::

        ::: checklist
        title: Meet people in your field!
        - [ ] Two
        :::

        ::: checklist
        - [ ] Three
        :::
        """
    )
    assert first.id == "from-option" and first.title == "Checklist"
    assert second.id == "meet-people-in-your-field"
    assert not second.explicit_id
    assert third.id == "resume-checklist-3"  # file name + position


def test_items_accept_other_bullets_continuations_and_blank_lines():
    (block,) = parse(
        """
        ::: checklist habits
        * [ ] Answer the phone when people
          call to network

        + [ ] Accept the coffee
        :::
        """
    )
    assert [i.text for i in block.items] == [
        "Answer the phone when people call to network",
        "Accept the coffee",
    ]


def test_items_render_inline_markdown_only():
    (block,) = parse(
        """
        ::: checklist links
        - [ ] Read [the story]({filename}julio.md) and *underline* one **habit**
        - [ ] # Not a heading, `<b>` in code is fine & so is &copy;
        - [ ] 1. Not a list either
        :::
        """
    )
    html = [item.html for item in block.items]
    assert html[0] == (
        'Read <a href="{filename}julio.md">the story</a> and <em>underline</em> one '
        "<strong>habit</strong>"
    )
    assert html[1] == "# Not a heading, <code>&lt;b&gt;</code> in code is fine &amp; so is &copy;"
    assert html[2] == "1. Not a list either"


def test_fenced_code_is_left_alone():
    blocks = parse(
        """
        ```markdown
        ::: checklist example
        - [ ] Shown, not parsed
        ```

        ~~~~
        ::: checklist
        ~~~~
        """
    )
    assert blocks == []


def test_other_colon_fences_are_not_ours():
    assert parse("::: assessment habits\nquestion: anything\n:::\n") == []


def test_hash_follows_items_not_title_or_type():
    def hash_of(source):
        return parse(source)[0].item_hash

    base = hash_of("::: checklist a\ntitle: One\n- [ ] Update your resume\n- [ ] Call\n:::\n")
    assert len(base) == 12
    assert base == hash_of(
        "::: checklist a weekly\ntitle: Two\n- [ ]  Update  your resume\n- [ ] Call\n:::\n"
    )
    assert base != hash_of("::: checklist a\n- [ ] Update your CV\n- [ ] Call\n:::\n")
    assert base != hash_of("::: checklist a\n- [ ] Call\n- [ ] Update your resume\n:::\n")
    assert base != hash_of("::: checklist a\n- [ ] Update your resume\n:::\n")


# -- one test per mistake: the message names the file, the line and a fix ----


def assert_error(error: ChecklistError, line: int, *words: str):
    message = str(error)
    assert message.startswith(f"{PATH}:{line}: "), message
    assert ". Fix: " in message, message
    for word in words:
        assert word in message, message
    assert (error.path, error.line) == (PATH, line)


def test_unclosed_checklist():
    error = error_of("Intro.\n\n::: checklist open\n- [ ] One\n- [ ] Two\n")
    assert_error(error, 3, "never closed", "':::'")


def test_unclosed_before_the_next_checklist():
    error = error_of("::: checklist a\n- [ ] One\n\n::: checklist b\n- [ ] Two\n:::\n")
    assert_error(error, 1, "another '::: checklist' starts on line 4")


def test_empty_checklist():
    assert_error(error_of("Intro.\n::: checklist empty\ntitle: Nothing\n\n:::\n"), 2, "no items")


def converted_error_of(source: str) -> ChecklistError:
    """Ids are checked per file by the core's preprocessor, in a conversion."""
    md = markdown.Markdown(extensions=[ChecklistExtension(source_path=PATH)])
    with pytest.raises(ChecklistError) as caught:
        md.convert(source)
    return caught.value


def test_duplicate_id_in_one_file():
    error = converted_error_of(
        "::: checklist same\n- [ ] One\n:::\n\n::: checklist same\n- [ ] Two\n:::\n"
    )
    assert_error(error, 5, "'same'", "already used on line 1")


def test_duplicate_derived_id_in_one_file():
    error = converted_error_of(
        "::: checklist\ntitle: A\n- [ ] One\n:::\n::: checklist a\n- [ ] Two\n:::\n"
    )
    assert_error(error, 5, "'a'", "already used on line 1")


def test_unknown_option():
    assert_error(
        error_of("::: checklist a\ncolour: red\n- [ ] One\n:::\n"), 2, "unknown option 'colour:'"
    )


def test_option_after_items():
    error = error_of("::: checklist a\n- [ ] One\ntitle: Late\n:::\n")
    assert_error(error, 3, "option 'title:' comes after the items")


def test_option_given_twice():
    error = error_of("::: checklist a weekly\ntype: weekly\n- [ ] One\n:::\n")
    assert_error(error, 2, "type is given twice (first on line 1)")


def test_empty_option():
    assert_error(error_of("::: checklist a\ntitle:\n- [ ] One\n:::\n"), 2, "title: is empty")


def test_unknown_type():
    assert_error(
        error_of("::: checklist a\ntype: daily\n- [ ] One\n:::\n"), 2, "unknown type 'daily'"
    )


@pytest.mark.parametrize("bad", ["Resume_Ready", "résumé", "-a", "a--b"])
def test_invalid_id(bad):
    assert_error(error_of(f"::: checklist {bad}\n- [ ] One\n:::\n"), 1, f"'{bad}' is not a valid")


def test_extra_word_on_opener():
    error = error_of("::: checklist a weekly extra\n- [ ] One\n:::\n")
    assert_error(error, 1, "unexpected 'extra'")


@pytest.mark.parametrize(
    "line, words",
    [
        ("- Update your resume", ["'- Update your resume' is not a checklist item", "- [ ] "]),
        ("Some prose in the middle", ["is not a checklist item"]),
        ("1. [ ] Numbered", ["is not a checklist item"]),
    ],
)
def test_line_that_is_not_an_item(line, words):
    assert_error(error_of(f"::: checklist a\n- [ ] One\n{line}\n:::\n"), 3, *words)


def test_indented_line_after_a_blank_is_not_a_continuation():
    error = error_of("::: checklist a\n- [ ] One\n\n  two\n:::\n")
    assert_error(error, 4, "not a checklist item")


def test_ticked_item():
    assert_error(error_of("::: checklist a\n- [x] Done already\n:::\n"), 2, "already ticked")


def test_box_without_a_space():
    assert_error(error_of("::: checklist a\n- [] One\n:::\n"), 2, "'[]' is not an empty box")


def test_item_without_text():
    assert_error(error_of("::: checklist a\n- [ ] One\n- [ ]\n:::\n"), 3, "no text")


@pytest.mark.parametrize(
    "item, words",
    [
        ("Say <b>yes</b> to coffee", ["raw HTML (<b>)"]),
        ("A comment <!-- hidden -->", ["raw HTML"]),
        ("Click [here](javascript:alert(1))", ["link to 'javascript:'"]),
        ("Click [here](JaVa\tScRiPt:alert(1))", ["link to 'javascript:'"]),
        ("Click [here](&#106;avascript:alert(1))", ["link to 'javascript:'"]),
        ("Open [this](data:text/html;base64,PHNjcmlwdD4=)", ["link to 'data:'"]),
        ("Picture ![me](me.png)", ["an image"]),
        ("Tick me {: onclick=alert(1) }", ["event handler", "no inline script"]),
        ("Styled {: .big }", ["attribute list"]),
    ],
)
def test_unsafe_item_content(item, words):
    error = error_of(f"Intro.\n\n::: checklist a\n- [ ] Fine\n- [ ] {item}\n:::\n")
    assert_error(error, 5, *words)


def test_raw_html_in_title():
    error = error_of("::: checklist a\ntitle: Be <em>ready</em>\n- [ ] One\n:::\n")
    assert_error(error, 2, "raw HTML (<em>) in a checklist title")


def test_braces_that_are_not_attribute_lists_are_text():
    (block,) = parse("::: checklist a\n- [ ] Link [it]({filename}x.md) {like this}\n:::\n")
    assert block.items[0].html == 'Link <a href="{filename}x.md">it</a> {like this}'


def test_renderer_is_reusable_after_an_error():
    with pytest.raises(ValueError):
        render("<b>x</b>", LINKS, "an item")
    assert render("*fine*", LINKS, "an item") == "<em>fine</em>"
