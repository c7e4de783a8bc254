"""One test per build error: the message names the file, the line, the
problem and the fix."""

from __future__ import annotations

import re

import pytest
from assessment_support import case, error_for, load

# (id, source, line, words in the problem, words in the fix)
CASES = [
    (
        "unknown option",
        case("title: T\ncolour: blue\nscale: A | B | C"),
        3,
        "unknown option 'colour'",
        "use one of: title, scale",
    ),
    (
        "id given as an option",
        case("title: T\nid: other\nscale: A | B | C"),
        3,
        "unknown option 'id'",
        "::: assessment my-id",
    ),
    (
        "option twice",
        case("title: T\nscale: A | B | C\ntitle: U"),
        4,
        "option 'title' is given twice (first on line 2)",
        "keep only one",
    ),
    (
        "missing scale",
        case("title: T"),
        1,
        "has no scale labels",
        "scale: Never | Rarely | Sometimes | Often | Always",
    ),
    (
        "empty scale label",
        case("title: T\nscale: Never | | Often | Always"),
        3,
        "scale label 2 of 4 is missing",
        "write a label between every two '|'",
    ),
    (
        "duplicate scale label",
        case("title: T\nscale: Never | Often | often"),
        3,
        "scale label 'often' is used twice (points 2 and 3)",
        "its own label",
    ),
    (
        "scale too short",
        case("title: T\nscale: No | Yes"),
        3,
        "the scale has 2 points; it needs at least 3",
        "add labels",
    ),
    (
        "missing title",
        case("scale: A | B | C"),
        1,
        "the assessment has no title",
        "title: Your question?",
    ),
    (
        "no dimensions",
        case("title: T\nscale: A | B | C", body=""),
        1,
        "the assessment has no dimensions",
        "'## Dimension name'",
    ),
    (
        "empty dimension",
        case("title: T\nscale: A | B | C", body="## Alpha\n- One.\n- Two.\n\n## Empty\n"),
        9,
        "dimension 'Empty' is empty: it has no statements",
        "list at least 2 statements",
    ),
    (
        "dimension with one statement",
        case(
            "title: T\nscale: A | B | C", body="## Alpha\n- One.\n- Two.\n\n## Lonely\n- Alone.\n"
        ),
        9,
        "dimension 'Lonely' has only 1 statement; a dimension needs at least 2",
        "add another statement",
    ),
    (
        "duplicate statement",
        case(
            "title: T\nscale: A | B | C",
            body="## Alpha\n- I reply to calls.\n- i reply  to calls\n",
        ),
        7,
        "duplicate statement: the same text is on line 6",
        "remove one of the two",
    ),
    (
        "duplicate statement id",
        case(
            "title: T\nscale: A | B | C",
            body="## Alpha\n- One. (id same)\n- Two. (id same)\n",
        ),
        7,
        "duplicate id 'same': line 6 already uses it",
        "(id another-id)",
    ),
    (
        "duplicate dimension id",
        case(
            "title: T\nscale: A | B | C",
            body="## Alpha\n- One.\n- Two.\n\n## ALPHA\n- Three.\n- Four.\n",
        ),
        9,
        "duplicate id 'alpha': line 5 already uses it",
        "(id another-id)",
    ),
    (
        "statement id clashes with a dimension",
        case(
            "title: T\nscale: A | B | C",
            body="## Alpha\n- One. (id alpha)\n- Two.\n",
        ),
        6,
        "duplicate id 'alpha': line 5 already uses it",
        "(id another-id)",
    ),
    (
        "invalid assessment id",
        "::: assessment Not_OK\ntitle: T\n:::\n",
        1,
        "assessment id 'Not_OK' is not valid",
        "lowercase letters, digits and single hyphens",
    ),
    (
        "missing assessment id",
        "::: assessment\ntitle: T\n:::\n",
        1,
        "the assessment has no id",
        "::: assessment networking-habits",
    ),
    (
        "weight zero",
        case("title: T\nscale: A | B | C", body="## Alpha\n- One. (weight 0)\n- Two.\n"),
        6,
        "weight '0' is not a positive number",
        "a number greater than 0",
    ),
    (
        "weight negative",
        case("title: T\nscale: A | B | C", body="## Alpha\n- One.\n- Two. (weight -1)\n"),
        7,
        "weight '-1' is not a positive number",
        "a number greater than 0",
    ),
    (
        "weight not a number",
        case("title: T\nscale: A | B | C", body="## Alpha\n- One. (reverse, weight two)\n- Two.\n"),
        6,
        "weight 'two' is not a positive number",
        "(weight 2) or (weight 1.5)",
    ),
    (
        "unknown statement option",
        case("title: T\nscale: A | B | C", body="## Alpha\n- One. (reverse, wieght 2)\n- Two.\n"),
        6,
        "unknown statement option 'wieght 2'",
        "(reverse, weight 2)",
    ),
    (
        "overall bands leave a gap",
        case(
            "title: T\nscale: A | B | C",
            overall="## Overall\n### 0-39 Low\nL.\n### 50-100 High\nH.\n:::\n",
        ),
        12,
        "the bands of the overall result leave a gap: no band covers scores 40-49",
        "end the band before it at 49, or start this band at 40",
    ),
    (
        "overall bands overlap",
        case(
            "title: T\nscale: A | B | C",
            overall="## Overall\n### 0-59 Low\nL.\n### 50-100 High\nH.\n:::\n",
        ),
        12,
        "overlap: 'Low' (0-59) and 'High' (50-100) both cover 50-59",
        "start band 'High' (50-100) at 60",
    ),
    (
        "bands do not reach 100",
        case(
            "title: T\nscale: A | B | C",
            overall="## Overall\n### 0-49 Low\nL.\n### 50-90 High\nH.\n:::\n",
        ),
        12,
        "do not cover the whole score range: no band covers 91-100",
        "make the last band end at 100",
    ),
    (
        "bands do not start at 0",
        case(
            "title: T\nscale: A | B | C",
            overall="## Overall\n### 10-49 Low\nL.\n### 50-100 High\nH.\n:::\n",
        ),
        10,
        "leave a gap: no band covers scores 0-9",
        "start band 'Low' (10-49) at 0",
    ),
    (
        "band past 100",
        case(
            "title: T\nscale: A | B | C",
            overall="## Overall\n### 0-49 Low\nL.\n### 50-120 High\nH.\n:::\n",
        ),
        12,
        "band 'High' (50-120) goes past 100",
        "end the last band at 100",
    ),
    (
        "band backwards",
        case(
            "title: T\nscale: A | B | C",
            overall="## Overall\n### 49-0 Low\nL.\n### 50-100 High\nH.\n:::\n",
        ),
        10,
        "band 'Low' (49-0) runs backwards",
        "write the lower score first: 0-49",
    ),
    (
        "dimension bands leave a gap",
        case(
            "title: T\nscale: A | B | C",
            body="## Alpha\n- One.\n- Two.\n### 0-30 Low\nL.\n### 40-100 High\nH.\n",
        ),
        10,
        "the bands of dimension 'Alpha' leave a gap: no band covers scores 31-39",
        "end the band before it at 39",
    ),
    (
        "no overall bands",
        case("title: T\nscale: A | B | C", overall=":::\n"),
        9,
        "the assessment has no overall bands",
        "'## Overall' section",
    ),
    (
        "band without a range",
        case("title: T\nscale: A | B | C", overall="## Overall\n### Low\nL.\n:::\n"),
        10,
        "band heading 'Low' does not start with a score range",
        "'### 0-39 Starting out'",
    ),
    (
        "band without a verdict",
        case(
            "title: T\nscale: A | B | C",
            overall="## Overall\n### 0-49 Low\n- Tip first.\n### 50-100 High\nH.\n:::\n",
        ),
        10,
        "band 'Low' (0-49) has no verdict",
        "write one short paragraph under the band heading",
    ),
    (
        "unclosed block",
        "Title: x\n\n::: assessment t\ntitle: T\nscale: A | B | C\n\n## Alpha\n- One.\n",
        3,
        "this assessment block is never closed: the file ends",
        "add a line with only ':::'",
    ),
    (
        "unclosed block before another",
        "::: assessment a\ntitle: T\n\n::: assessment b\ntitle: U\n:::\n",
        1,
        "another '::: assessment' starts on line 4",
        "add a line with only ':::'",
    ),
    (
        "level-1 heading",
        case("title: T\nscale: A | B | C", body="# Alpha\n- One.\n- Two.\n"),
        5,
        "a '#' heading inside the assessment",
        "'## Name' for a dimension",
    ),
    (
        "text after the statements",
        case("title: T\nscale: A | B | C", body="## Alpha\n- One.\n- Two.\n\nStray text.\n"),
        9,
        "unexpected text in dimension 'Alpha'",
        "statements are list items",
    ),
]


@pytest.mark.parametrize(
    ("source", "line", "problem", "fix"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_error_names_file_line_problem_and_fix(source, line, problem, fix):
    exc = error_for(source, path="content/pages/check.md")
    assert exc.path == "content/pages/check.md"
    assert exc.line == line, str(exc)
    assert problem in exc.problem, str(exc)
    assert fix in exc.fix, str(exc)
    first = str(exc).splitlines()[0]
    assert re.fullmatch(rf"content/pages/check\.md:{line}: .+\. Fix: .+\.", first), first


def test_every_error_is_reported_at_once():
    exc = error_for(
        case(
            "title: T\nscale: No | Yes",
            body="## Alpha\n- One. (weight 0)\n",
            overall="## Overall\n### 0-49 Low\nL.\n:::\n",
        )
    )
    found = [(p.line, p.problem.split(":")[0]) for p in exc.problems]
    assert [line for line, _ in found] == sorted(line for line, _ in found)
    text = str(exc)
    assert "the scale has 2 points" in text
    assert "has only 1 statement" in text
    assert "weight '0'" in text
    assert "no band covers 50-100" in text
    assert len(text.splitlines()) == len(exc.problems) >= 4


def test_valid_base_case_has_no_error():
    a = load(case("title: T\nscale: A | B | C"))
    assert [s.id for s in a.statements] == ["alpha-1", "alpha-2"]


def test_parentheses_that_are_not_options_stay_in_the_text():
    a = load(
        case(
            "title: T\nscale: A | B | C",
            body="## Alpha\n- I update my profile (photo, headline).\n- Two. (reverse)\n",
        )
    )
    first, second = a.statements
    assert first.text.source == "I update my profile (photo, headline)."
    assert not first.reverse
    assert second.text.source == "Two." and second.reverse


def test_unreachable_band_is_a_warning_with_line():
    # Two statements on a 3-point scale: scores 0, 25, 50, 75 or 100 only.
    a = load(
        case(
            "title: T\nscale: A | B | C",
            body="## Alpha\n- One.\n- Two.\n### 0-25 Low\nL.\n### 26-49 Mid\nM.\n"
            "### 50-100 High\nH.\n",
        )
    )
    from pelican.plugins.assessment.validate import validate

    [warning] = validate(a)
    assert warning.severity == "warning"
    assert warning.line == 10
    assert "band 'Mid' (26-49) of dimension 'Alpha' can never be reached" in str(warning)


def test_assessment_inside_code_fence_is_ignored():
    from pelican.plugins.assessment.parser import parse

    text = "```markdown\n::: assessment t\ntitle: nope\n```\n\n~~~\n::: assessment u\n~~~\n"
    assert parse(text, "x.md") == []


def test_windows_line_endings():
    from pelican.plugins.assessment.parser import parse

    text = case("title: T\nscale: A | B | C").replace("\n", "\r\n")
    [a] = parse(text, "x.md")
    assert a.id == "t" and [lab.source for lab in a.scale] == ["A", "B", "C"]
