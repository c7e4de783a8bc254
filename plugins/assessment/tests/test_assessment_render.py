"""The rendered widget: a golden file for a small assessment, and the
structure a reader (or a screen reader) relies on."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET

import html5lib
import pytest
from assessment_support import GOLDEN, PLUGINS_DIR, small_source
from pelican.plugins.assessment.parser import parse
from pelican.plugins.assessment.render import data, definition_hash, render_feed, render_widget
from pelican.plugins.assessment.validate import check

# Regenerate after an intended change to the markup, then review the diff:
#   REGENERATE_ASSESSMENT_GOLDEN=1 .venv/bin/pytest plugins/assessment/tests -k golden
REGENERATE = os.environ.get("REGENERATE_ASSESSMENT_GOLDEN") == "1"
NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def small():
    [a] = parse(small_source(), "plugins/assessment/tests/fixtures/small.md")
    assert check(a) == []
    return a


def parse_strict(fragment: str) -> ET.Element:
    """Parse as an HTML5 document; any parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    doc = "<!DOCTYPE html><html lang=en><head><title>t</title></head><body>"
    return parser.parse(doc + fragment + "</body></html>")


def tag(el: ET.Element) -> str:
    return el.tag.replace(NS, "")


def text(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


def test_golden_widget(small):
    path = GOLDEN / "small-check.html"
    html = render_widget(small) + "\n"
    if REGENERATE:
        path.write_text(html, encoding="utf-8")
    assert html == path.read_text(encoding="utf-8"), (
        "rendered HTML changed; if intended, regenerate with "
        "REGENERATE_ASSESSMENT_GOLDEN=1 and review the diff"
    )


def test_golden_feed_version(small):
    path = GOLDEN / "small-check-feed.html"
    html = render_feed(small, "https://example.org/p/#small-check--assessment") + "\n"
    if REGENERATE:
        path.write_text(html, encoding="utf-8")
    assert html == path.read_text(encoding="utf-8")


def test_widget_is_valid_html5_with_unique_ids(small):
    root = parse_strict(render_widget(small))
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("small-check--") for i in ids)
    for el in root.iter():
        for name in el.attrib:
            assert name != "style" and not name.startswith("on"), (tag(el), name)
    assert not [el for el in root.iter() if tag(el) == "h1"]
    # Named sections are region landmarks: only the results (which the script
    # reveals) and the scoring key are (the form is a landmark of its own);
    # one per dimension would be noise.
    named = [
        el.get("id") for el in root.iter() if tag(el) == "section" and el.get("aria-labelledby")
    ]
    assert named == ["small-check--results", "small-check--key"]


def test_form_structure(small):
    root = parse_strict(render_widget(small))
    [form] = [el for el in root.iter() if el.get("class") == "assessment-form"]
    assert form.get("aria-labelledby") == "small-check--title"
    sections = [el for el in form.iter() if tag(el) == "section"]
    assert [text(s.find(f"{NS}h2")) for s in sections] == ["Keeping in touch", "Showing up"]
    fieldsets = [el for el in form.iter() if tag(el) == "fieldset"]
    assert [f.get("data-statement-id") for f in fieldsets] == [
        "keeping-in-touch-1",
        "keeping-in-touch-2",
        "keeping-in-touch-3",
        "showing-up-1",
        "new-people",
    ]
    labels_by_for = {lab.get("for"): lab for lab in form.iter(f"{NS}label")}
    for number, fs in enumerate(fieldsets, 1):
        legend = fs[0]
        assert tag(legend) == "legend" and text(legend).startswith(f"{number}. ")
        radios = [el for el in fs.iter(f"{NS}input")]
        assert [r.get("type") for r in radios] == ["radio"] * 4
        assert {r.get("name") for r in radios} == {fs.get("data-statement-id")}
        assert [r.get("value") for r in radios] == ["1", "2", "3", "4"]
        wording = [text(labels_by_for[r.get("id")]) for r in radios]
        assert wording == ["Never", "Sometimes", "Often", "Always"]
    # The title's Markdown is rendered, the statement text escaped.
    assert "A <em>small</em> check" in render_widget(small)


def test_scoring_key_is_paper_ready(small):
    root = parse_strict(render_widget(small))
    [key] = [el for el in root.iter() if el.get("id") == "small-check--key"]
    rows = [[text(c) for c in tr] for tr in key.iter(f"{NS}tr") if tr[0].get("scope") == "row"]
    assert rows == [
        ["1", "1", "2", "3", "4"],
        ["2 (reverse)", "4", "3", "2", "1"],
        ["3 (weight 1.5)", "1.5", "3", "4.5", "6"],
        ["4 (weight 2)", "2", "4", "6", "8"],
        ["5", "1", "2", "3", "4"],
    ]
    totals = [text(p) for p in key.iter(f"{NS}p") if p.get("class") == "assessment-total"]
    assert totals == [
        "Add up the points of statements 1 to 3: your total is between 3.5 and 14.",
        "Add up the points of statements 4 and 5: your total is between 3 and 12.",
        "Add up your habit totals: your overall total is between 6.5 and 26.",
    ]
    found = [b for b in key.iter(f"{NS}div") if b.get("class") == "assessment-band"]
    # Each band carries a "Your band" mark, hidden until the script shows a
    # result in it.
    marks = [m for b in found for m in b.iter(f"{NS}strong")]
    assert [(m.get("class"), m.get("hidden"), text(m)) for m in marks] == [
        ("assessment-your-band", "", "Your band")
    ] * len(found)
    bands = {b.get("id"): text(b.find(f"{NS}h4")).removesuffix(" Your band") for b in found}
    # Keeping in touch: points 3.5..14, score = 100 * (t - 3.5) / 10.5.
    # 8.5 -> 47.6 -> 48 (Drifting), 9 -> 52.4 -> 52 (In touch).
    assert bands == {
        "small-check--key--dim-keeping-in-touch--band-drifting": (
            "Drifting (3.5 to 8.5 points; score 0–49)"
        ),
        "small-check--key--dim-keeping-in-touch--band-in-touch": (
            "In touch (9 to 14 points; score 50–100)"
        ),
        # Overall: 6.5..26, score = 100 * (t - 6.5) / 19.5; 18 -> 58.97 -> 59,
        # 18.5 -> 61.5 -> 62.
        "small-check--key--overall--band-quiet": "Quiet (6.5 to 18 points; score 0–59)",
        "small-check--key--overall--band-known": "Known (18.5 to 26 points; score 60–100)",
    }
    tips = [text(li) for li in key.iter(f"{NS}li")]
    assert tips == ["Reply to one old message today.", "Read the story."]


def test_embedded_data_matches_the_model(small):
    root = parse_strict(render_widget(small))
    [script] = [el for el in root.iter() if tag(el) == "script"]
    assert script.get("type") == "application/json"
    payload = json.loads(script.text)
    assert payload == data(small)
    assert payload["scale"] == ["Never", "Sometimes", "Often", "Always"]
    [keeping, showing] = payload["dimensions"]
    assert keeping["statements"][1] == {
        "id": "keeping-in-touch-2",
        "number": 2,
        "text": "I let messages from contacts sit for weeks.",
        "reverse": True,
        "weight": 1,
    }
    assert keeping["statements"][2]["weight"] == 1.5
    assert showing["bands"] == []
    assert payload["bands"][0]["element"] == "small-check--key--overall--band-quiet"
    assert keeping["bands"][1]["verdict"] == "People hear from you & you hear from them."


def test_feed_version_has_lists_and_link_but_no_form(small):
    html = render_feed(small, "https://example.org/p/#small-check--assessment")
    root = parse_strict(html)
    names = {tag(el) for el in root.iter()}
    assert not names & {"form", "input", "script", "fieldset", "label"}
    items = [text(li) for li in root.iter(f"{NS}li")]
    assert items[0] == "I answer when a contact calls me." and len(items) == 5
    [link] = [a for a in root.iter(f"{NS}a") if "Take the" in text(a)]
    assert link.get("href") == "https://example.org/p/#small-check--assessment"


def test_readme_example_is_valid():
    """The complete example in the plugin's README parses, validates and renders."""
    readme = (PLUGINS_DIR / "assessment" / "README.md").read_text(encoding="utf-8")
    example = readme.split("````markdown\n", 1)[1].split("\n````", 1)[0]
    [a] = parse(example, "README.md")
    assert check(a) == []
    assert [d.id for d in a.dimensions] == ["readiness", "upkeep"]
    assert [s.id for s in a.statements] == [
        "readiness-1",
        "readiness-2",
        "readiness-3",
        "upkeep-1",
        "peer-review",
    ]
    assert [(s.reverse, s.weight) for s in a.statements[:3]] == [(False, 1), (True, 1), (False, 2)]
    assert "<fieldset" in render_widget(a)


def _hash_after(old: str, new: str) -> str:
    source = small_source()
    assert old in source
    [a] = parse(source.replace(old, new), "plugins/assessment/tests/fixtures/small.md")
    assert check(a) == []
    return definition_hash(a)


def test_definition_hash_changes_with_what_answers_mean(small):
    """Saved answers, history and share links are tied to the hash: a new
    wording of a statement, its scoring or the scale starts them afresh; an
    edited verdict, tip, title or intro keeps them."""
    base = definition_hash(small)
    assert re.fullmatch(r"[0-9a-f]{12}", base)
    assert f'data-definition-hash="{base}"' in render_widget(small)
    assert definition_hash(small) == base, "stable"
    for old, new in [
        ("Your field knows you.", "Your field knows you well."),
        ("- Reply to one old message today.", "- Reply to one old message."),
        ("title: A *small* check", "title: A short check"),
        ("Two habits, five statements.", "Two habits."),
        ("### 0-49 Drifting", "### 0-49 Drifting away"),
    ]:
        assert _hash_after(old, new) == base, old
    for old, new in [
        ("I answer when a contact calls me.", "I answer when a contact calls."),
        ("weeks. (reverse)", "weeks."),
        ("(weight 1.5)", "(weight 2)"),
        ("(id new-people)", "(id newcomers)"),
        ("Often | Always", "Usually | Always"),
        ("Often | Always", "Often | Always | Daily"),
    ]:
        assert _hash_after(old, new) != base, old


# Every word the widget uses for its own ids, as a dimension, statement and
# band name or id: none may produce an id the page already has.
OWN_WORDS = [
    "assessment",
    "title",
    "form",
    "result",
    "results",
    "key",
    "data",
    "overall",
    "heading",
    "focus",
    "history",
    "confirm",
    "text",
    "band",
    "dim",
    "st",
]


def test_no_author_chosen_name_or_id_duplicates_a_dom_id():
    dims = []
    for word in OWN_WORDS:
        name = word.title()
        high = "Key" if word == "heading" else "Heading"
        dims.append(
            f"## {name} (id {word})\n\n- A statement on {word}. (id {word}-1)\n- {name}.\n\n"
            f"### 0-49 {name}\nLow.\n\n### 50-100 {high}\nHigh.\n"
        )
    overall = "## Overall\n\n### 0-49 Results\nLow.\n\n### 50-100 Key\nHigh.\n"
    source = (
        "::: assessment words\ntitle: T\nscale: A | B | C\n\n" + "\n".join(dims) + overall + ":::\n"
    )
    [a] = parse(source, "words.md")
    check(a)
    ids = re.findall(r'(?<![\w-])id="([^"]+)"', render_widget(a))
    assert len(ids) > 200
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


SVG = "{http://www.w3.org/2000/svg}"


def test_result_chart_markup(small):
    """A row per habit: its name, the score in words (filled by the script),
    and a bar hidden from screen readers, drawn in percentages: one segment
    per band, the boundaries marked and numbered, the fill the script sizes."""
    root = parse_strict(render_widget(small))
    [chart] = [el for el in root.iter(f"{NS}ul") if el.get("class") == "assessment-scores"]
    label = chart.get("aria-labelledby")
    assert [text(el) for el in root.iter() if el.get("id") == label] == [
        "Score of each habit, from 0 to 100, with the bands marked"
    ]
    rows = list(chart)
    assert [r.get("data-dimension-id") for r in rows] == ["keeping-in-touch", "showing-up"]
    banded, bandless = rows
    assert [tag(c) if c.tag.startswith(NS) else c.tag for c in banded] == [
        "span",
        "span",
        f"{SVG}svg",
    ]
    assert text(banded[0]) == "Keeping in touch" and text(banded[1]) == ""
    svg = banded[2]
    assert svg.get("aria-hidden") == "true" and svg.get("focusable") == "false"
    segments = [
        (r.get("data-band-id"), r.get("x"), r.get("width"))
        for r in svg.iter(f"{SVG}rect")
        if r.get("class") == "assessment-segment"
    ]
    assert segments == [("drifting", "0%", "50%"), ("in-touch", "50%", "50%")]
    [fill] = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "assessment-fill"]
    assert fill.get("width") == "0%"
    assert [line.get("x1") for line in svg.iter(f"{SVG}line")] == ["50%"]
    assert [t.text for t in svg.iter(f"{SVG}text")] == ["50"]
    # A habit without bands gets a bar without segments or boundaries.
    plain = bandless[2]
    assert [r.get("class") for r in plain.iter(f"{SVG}rect")] == [
        "assessment-track",
        "assessment-fill",
    ]
    assert list(plain.iter(f"{SVG}line")) == []
    # Nothing in the widget needs a style attribute (CSP).
    assert not [el for el in root.iter() if el.get("style") is not None]


def test_progress_bar_markup(small):
    root = parse_strict(render_widget(small))
    [bar] = [el for el in root.iter(f"{NS}div") if el.get("class") == "assessment-progress"]
    assert text(bar) == "5 statements in 2 habits"
    fills = [
        (r.get("data-dimension-id"), r.get("x"))
        for r in bar.iter(f"{SVG}rect")
        if r.get("class") == "assessment-fill"
    ]
    # Keeping in touch has 3 statements of 5: its segment ends at 60%.
    assert fills == [("keeping-in-touch", "0%"), ("showing-up", "60%")]
    assert [line.get("x1") for line in bar.iter(f"{SVG}line")] == ["60%"]


def test_start_link_goes_to_the_first_statement(small):
    root = parse_strict(render_widget(small))
    [start] = [el for el in root.iter(f"{NS}p") if el.get("class") == "assessment-start"]
    [link] = start.iter(f"{NS}a")
    assert text(link) == "Start"
    first = next(el for el in root.iter(f"{NS}fieldset"))
    assert link.get("href") == "#" + first.get("id")
    assert text(start) == "Start 5 statements, 2 habits, about 1 minute."
