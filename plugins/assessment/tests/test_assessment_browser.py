"""The self-assessment in Chromium (the plugin's static/widgets/assessment.js): the shared
scoring vectors through the page, keyboard-only use, saved answers, an edited
definition, reset, broken storage, history, share links, copying, printing,
layout stability, the script's size, no JavaScript, and axe-core."""

from __future__ import annotations

import gzip
import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from assessment_browser_support import (
    REAL,
    REAL_SLUG,
    SMALL,
    SMALL_SLUG,
    answer,
    build_versions,
    case,
    checked,
    results,
    stored,
    vectors,
)
from playwright.sync_api import expect

from conftest import BLOCKED_STORAGE, CORRUPT_STORAGE, FULL_STORAGE, REPO, run_axe, serve

JS = REPO / "plugins/assessment/pelican/plugins/assessment/static/widgets"
BUDGET = 6 * 1024  # bytes of the published assessment.js, gzipped
HIGHEST = "every answer the highest label"
CYCLE = "answers cycle through the scale"
HABIT_IDS = [
    "readiness",
    "online-presence",
    "professional-community",
    "reciprocity-and-upkeep",
    "consistency",
]
HABITS = [
    "Readiness",
    "Online presence",
    "Professional community",
    "Reciprocity and upkeep",
    "Consistency",
]
LOWEST = "every answer the lowest label"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Versions a and b of the site on one origin (so they share localStorage)."""
    root = tmp_path_factory.mktemp("assessment-browser")
    build_versions(root)
    yield from serve(root)


def url(site, version: str = "a", slug: str = REAL_SLUG) -> str:
    return f"{site.url}/{version}/output/{slug}/"


def open_page(page, address: str, widget: str = REAL) -> None:
    page.goto(address)
    ready(page, widget)


def ready(page, widget: str = REAL) -> None:
    """The script has started: it reveals the results section."""
    page.locator(f"{widget} .assessment-results").wait_for(state="visible")


def part(page, name: str, widget: str = REAL):
    return page.locator(f"{widget} .assessment-{name}")


def status(page, widget: str = REAL):
    """The live region: screen readers only, and only at points that matter."""
    return page.locator(f"{widget} .assessment-result")


def progress(page, widget: str = REAL):
    return page.locator(f"{widget} .assessment-progress-text")


def key(page, prefix: str = "assessment", widget: str = REAL) -> str:
    element = page.locator(widget)
    return f"{prefix}:{element.get_attribute('data-assessment-id')}:" + element.get_attribute(
        "data-definition-hash"
    )


def assert_clean(page) -> None:
    watch = page.watch
    assert watch.page_errors == [], watch.page_errors
    assert watch.console_errors == [], watch.console_errors
    assert watch.outside_requests() == [], watch.outside_requests()


# -- loading, size, layout ---------------------------------------------------


def test_script_is_a_small_module_loaded_only_where_needed(site, page):
    # As published: the shared widget core is folded in and counts once.
    size = len(gzip.compress((site.root / "a/output/widgets/assessment.js").read_bytes(), 9))
    assert size <= BUDGET, f"assessment.js is {size} bytes gzipped, over {BUDGET}"
    open_page(page, url(site))
    loaded = {r.rsplit("/", 1)[1] for r in page.watch.requests if r.endswith(".js")}
    assert loaded == {"assessment.js"}
    assert page.locator('script[src$="/assessment.js"]').get_attribute("type") == "module"
    page.goto(f"{site.url}/a/output/about/")
    assert page.locator('script[src$="/assessment.js"]').count() == 0
    assert_clean(page)


CLS = """
window.layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    if (!entry.hadRecentInput) window.layoutShift += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.mark.parametrize("size", [(390, 844), (1280, 900)], ids=["phone", "desktop"])
@pytest.mark.parametrize("saved", [False, True], ids=["fresh", "saved"])
def test_no_layout_shift_when_the_script_starts(site, page, size, saved):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.context.add_init_script(CLS)
    if saved:
        open_page(page, url(site))
        answer(page, REAL, case("networking-habits", CYCLE)["answers"])
    open_page(page, url(site))
    page.wait_for_timeout(300)
    if saved:
        expect(part(page, "summary")).to_have_text(re.compile("^Overall: "))
        expect(progress(page)).to_have_text(re.compile("^21 of 21 "))
    shift = page.evaluate("window.layoutShift")
    assert shift < 0.01, f"layout shift {shift}"
    assert_clean(page)


# -- scoring -----------------------------------------------------------------


@pytest.mark.parametrize(
    "widget, slug, assessment_id",
    [(REAL, REAL_SLUG, "networking-habits"), (SMALL, SMALL_SLUG, "small-check")],
    ids=["site", "small"],
)
def test_shared_scoring_vectors(site, page, widget, slug, assessment_id):
    open_page(page, url(site, slug=slug), widget)
    cases = vectors(assessment_id)
    ids = page.evaluate(
        "s => [...document.querySelectorAll(`${s} fieldset[data-statement-id]`)]"
        ".map(f => f.dataset.statementId)",
        widget,
    )
    assert set(ids) == set(cases[0]["answers"]), "the vectors are for this definition"
    for vector in cases:
        answer(page, widget, vector["answers"])
        assert results(page, widget) == vector["expected"], vector["name"]
        count = len([v for v in vector["answers"].values() if v])
        assert page.locator(widget).get_attribute("data-answered") == str(count)
    assert_clean(page)


def test_results_in_words(site, page):
    open_page(page, url(site))
    expect(part(page, "on-screen")).to_have_text(
        "Your scores and tips appear below the form as you answer."
    )
    expect(part(page, "on-paper")).to_be_hidden()
    expect(progress(page)).to_have_text("0 of 21")
    expect(status(page)).to_be_empty()
    expect(part(page, "summary")).to_have_text(
        "Answer the statements above: your scores appear here as you go."
    )
    answer(page, REAL, {"readiness-1": 5, "readiness-2": 4})
    expect(progress(page)).to_have_text("2 of 21 \u00b7 Readiness 2/4")
    expect(status(page)).to_be_empty()  # not every click is announced
    expect(part(page, "summary")).to_have_text(
        "So far: 88 out of 100, from 2 of 21 answers. Answer them all to see your overall band."
    )
    row = page.locator(f'{REAL} .assessment-scores li[data-dimension-id="readiness"]')
    expect(row.locator(".assessment-bar-value")).to_have_text("88 so far, 2 of 4 answered")
    expect(part(page, "step")).to_be_hidden()
    expect(part(page, "strength")).to_be_hidden()

    answer(page, REAL, case("networking-habits", HIGHEST)["answers"])
    expect(status(page)).to_have_text("All 21 answered. Overall: 77 out of 100, Building.")
    expect(part(page, "summary")).to_have_text("Overall: 77 out of 100, Building.")
    # The overall sentence is on screen once; the live region is for screen readers.
    assert page.get_by_text("Overall: 77 out of 100, Building.").count() == 2
    assert status(page).bounding_box()["width"] <= 1
    expect(part(page, "overall")).to_contain_text("Your network would notice if you needed it.")
    expect(row.locator(".assessment-bar-value")).to_have_text("75, Ready to move")
    expect(part(page, "strength")).to_have_text("Your strength: Reciprocity and upkeep, 80")
    # Every habit is in its top band: the step is the weakest one's tip.
    expect(part(page, "step-habit")).to_have_text("Readiness: 75, Ready to move")
    # More ideas: the other habits' and the overall tips, with their links.
    more = part(page, "more")
    expect(more).to_have_js_property("open", False)
    more.locator("summary").click()
    link = more.get_by_role("link", name=re.compile("avoid the habits"))
    assert link.get_attribute("href").startswith("../articles/linkedin-all-star-profile/#")
    ids = page.locator(f"{REAL} [id]").evaluate_all("els => els.map(e => e.id)")
    assert len(ids) == len(set(ids)), "cloned tips bring no duplicate ids"
    # One short live region; the detailed results are not re-read on each change.
    assert page.locator(f"{REAL} [aria-live]").count() == 1
    assert part(page, "results").get_attribute("aria-live") is None
    assert_clean(page)


# -- keyboard ----------------------------------------------------------------


def focused(page) -> dict:
    return page.evaluate(
        "() => ({name: document.activeElement.name, value: document.activeElement.value,"
        " tag: document.activeElement.tagName, text: document.activeElement.textContent})"
    )


def tab_to(page, predicate, limit: int = 12) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if predicate(focused(page)):
            return
    pytest.fail(f"Tab never reached the element; focus is on {focused(page)}")


def test_keyboard_only_completion(site, page):
    open_page(page, url(site))
    wanted = case("networking-habits", CYCLE)["answers"]
    order = list(wanted)
    tab_to(page, lambda f: f["name"] == order[0], limit=80)
    for number, statement in enumerate(order):
        if number:
            tab_to(page, lambda f, s=statement: f["name"] == s, limit=3)
        value = wanted[statement]
        if value == 1:
            page.keyboard.press("Space")
        for _ in range(value - 1):
            page.keyboard.press("ArrowRight")
        # Focus stays where the reader is: nothing steals it.
        assert focused(page)["name"] == statement
    assert checked(page, REAL) == wanted
    expect(status(page)).to_have_text(re.compile("^All 21 answered. Overall: "))
    outline = page.evaluate(
        "() => getComputedStyle(document.activeElement.closest('label')).outlineStyle"
    )
    assert outline != "none", "the focused answer shows a focus ring"

    tab_to(page, lambda f: f["text"] == "Clear my answers", limit=60)
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    # It asks first, with Cancel focused; Shift+Tab reaches the clear button.
    assert focused(page)["text"] == "Cancel"
    page.keyboard.press("Shift+Tab")
    assert focused(page)["text"] == "Clear my answers"
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Answers cleared.")
    expect(progress(page)).to_have_text("0 of 21")
    assert checked(page, REAL) == {}
    assert_clean(page)


# -- saving ------------------------------------------------------------------


def test_answers_survive_a_reload(site, page):
    open_page(page, url(site))
    page.get_by_label("Sometimes").first.check()
    page.locator(f"{REAL} #networking-habits--st-consistency-4--5").check()
    page.reload()
    ready(page)
    assert checked(page, REAL) == {"readiness-1": 3, "consistency-4": 5}
    expect(progress(page)).to_have_text("2 of 21 \u00b7 Readiness 1/4 \u00b7 Consistency 1/4")
    assert stored(page, key(page))["answers"]["readiness-1"] == 3
    assert part(page, "storage-note").is_hidden()
    assert_clean(page)


def test_an_edited_definition_ignores_old_answers(site, page):
    open_page(page, url(site, "a"))
    answer(page, REAL, case("networking-habits", HIGHEST)["answers"])
    hash_a = page.locator(REAL).get_attribute("data-definition-hash")
    assert re.fullmatch(r"[0-9a-f]{12}", hash_a)

    open_page(page, url(site, "b"))
    assert page.locator(REAL).get_attribute("data-definition-hash") != hash_a
    assert checked(page, REAL) == {}, "old answers are not applied to the edited check"
    expect(progress(page)).to_have_text("0 of 21")
    expect(part(page, "history")).to_be_hidden()

    open_page(page, url(site, "a"))
    assert len(checked(page, REAL)) == 21
    # The small page on the same site keeps its own answers apart.
    open_page(page, url(site, slug=SMALL_SLUG), SMALL)
    assert checked(page, SMALL) == {}
    assert_clean(page)


def test_reset_clears_answers_but_keeps_history(site, page):
    open_page(page, url(site))
    answer(page, REAL, case("networking-habits", HIGHEST)["answers"])
    expect(part(page, "history")).to_be_visible()
    clear_answers(page)
    assert checked(page, REAL) == {}
    expect(progress(page)).to_have_text("0 of 21")
    expect(part(page, "overall")).to_be_empty()
    page.reload()
    ready(page)
    assert checked(page, REAL) == {}
    expect(part(page, "history")).to_be_visible()
    assert_clean(page)


def clear_answers(page) -> None:
    part(page, "reset").click()
    page.locator(f"{REAL} dialog[data-action=clear]").get_by_role(
        "button", name="Clear my answers"
    ).click()
    # the dialog's close event clears them a moment after the click
    expect(progress(page)).to_have_text(re.compile(r"^0 of "))


BLOCKED, FULL = BLOCKED_STORAGE, FULL_STORAGE


@pytest.mark.parametrize("script", [BLOCKED, FULL], ids=["blocked", "full"])
def test_broken_storage_turns_saving_off_and_the_form_still_works(site, page, script):
    page.context.add_init_script(script)
    open_page(page, url(site))
    note = part(page, "storage-note")
    expect(note).to_be_visible()
    expect(note).to_have_text(
        "Saving is off in this browser: your answers and results will not be kept "
        "after you leave this page."
    )
    vector = case("networking-habits", HIGHEST)
    answer(page, REAL, vector["answers"])
    assert results(page, REAL) == vector["expected"]
    expect(part(page, "overall")).to_contain_text("Your network would notice")
    expect(part(page, "history")).to_be_hidden()
    page.evaluate("dispatchEvent(new StorageEvent('storage', {key: 'x'}))")
    clear_answers(page)
    expect(progress(page)).to_have_text("0 of 21")
    page.get_by_label("Often").first.check()
    expect(progress(page)).to_have_text("1 of 21 \u00b7 Readiness 1/4")
    assert_clean(page)


CORRUPT = [
    *CORRUPT_STORAGE,
    "[3, 3]",
    '{"answers": "33333"}',
    '{"answers": {"readiness-1": "5", "readiness-2": 9, "readiness-3": 2.5, "nope": 1,'
    ' "readiness-4": 2}}',
]


@pytest.mark.parametrize("value", CORRUPT)
def test_corrupted_answers_start_clean_and_recover(site, page, value):
    open_page(page, url(site))
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key(page), value])
    page.reload()
    ready(page)
    # Only whole numbers 1..5 for known statements count.
    expected = {"readiness-4": 2} if "readiness-4" in value else {}
    assert checked(page, REAL) == expected
    assert part(page, "storage-note").is_hidden()
    page.get_by_label("Always").first.check()
    page.reload()
    ready(page)
    assert checked(page, REAL)["readiness-1"] == 5, "saving works again"
    assert_clean(page)


def test_corrupted_history_is_ignored(site, page):
    open_page(page, url(site))
    history = [
        {"date": "<img src=x onerror=alert(1)>", "overall": 10, "dims": {}},
        {"date": "2026-01-05", "overall": "50", "dims": {}},
        {"date": "2026-01-06", "overall": 101, "dims": {}},
        5,
        None,
        {"date": "2026-01-07", "overall": 40, "dims": {"readiness": "x"}},
        {"date": "9999-99-99", "overall": 60, "dims": {}},
        {"date": "2026-02-30", "overall": 60, "dims": {}},
        {"date": "2099-01-01", "overall": 60, "dims": {}},
    ]
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, JSON.stringify(v))",
        [key(page, "assessment-history"), history],
    )
    page.reload()
    ready(page)
    expect(part(page, "change")).to_have_text(
        "Your result of 7 January 2026 is kept. Take the check again in a month or two "
        "to see what changed."
    )
    assert page.locator(f"{REAL} img").count() == 0
    page.evaluate("k => localStorage.setItem(k, '{oops')", key(page, "assessment-history"))
    page.reload()
    ready(page)
    expect(part(page, "history")).to_be_hidden()
    assert_clean(page)


# -- history -----------------------------------------------------------------

FIRST_DAY = datetime(2026, 3, 3, 10, 0)
NEXT_MONTH = datetime(2026, 4, 7, 9, 0)


def test_history_after_two_completions(site, page):
    page.clock.install(time=FIRST_DAY)
    open_page(page, url(site))
    expect(part(page, "history")).to_be_hidden()
    low = case("networking-habits", LOWEST)
    answer(page, REAL, low["answers"])
    expect(part(page, "history")).to_be_visible()
    expect(part(page, "change")).to_have_text(re.compile("^Your result of 3 March 2026 is kept"))
    expect(part(page, "trend")).to_be_hidden()

    # A month later: the saved answers come back; a retake changes some.
    page.clock.set_fixed_time(NEXT_MONTH)
    page.reload()
    ready(page)
    assert len(checked(page, REAL)) == 21
    retake = {**low["answers"], **{f"consistency-{i}": 5 for i in (1, 2, 3)}}
    retake["consistency-4"] = 1  # reverse: "never" is the best answer
    answer(page, REAL, retake)
    overall = int(page.locator(REAL).get_attribute("data-overall-score"))
    assert overall > low["expected"]["overall"]["score"]
    expect(part(page, "change")).to_have_text("Since 3 March 2026:")
    changes = part(page, "changes").locator("li")
    expect(changes).to_have_text(
        [
            f"Overall: +{overall - low['expected']['overall']['score']}",
            "Readiness: no change",
            "Online presence: no change",
            "Professional community: no change",
            "Reciprocity and upkeep: no change",
            "Consistency: +80",
        ]
    )
    expect(part(page, "trend")).to_be_visible()
    rows = part(page, "past").locator("tbody tr")
    # The table says what the charts show: every habit and overall, by date.
    expect(part(page, "past").locator("thead th")).to_have_text(["Date", "Overall", *HABITS])

    def row(date, found):
        dims = [str(found["dimensions"][d]["score"]) for d in HABIT_IDS]
        return [date, str(found["overall"]["score"]), *dims]

    expect(rows.nth(0).locator("th, td")).to_have_text(row("3 March 2026", low["expected"]))
    expect(rows.nth(1).locator("th, td")).to_have_text(row("7 April 2026", results(page, REAL)))
    chart = part(page, "chart")
    assert chart.get_attribute("aria-hidden") == "true", "the table says it in words"
    expect(chart.locator("figcaption")).to_have_text(["Overall", *HABITS])
    assert chart.locator("svg").count() == 6
    assert chart.locator("svg").first.locator("circle").count() == 2
    assert chart.locator("[style]").count() == 0

    # A second completion the same day replaces that day's result.
    answer(page, REAL, {**retake, "readiness-1": 5})
    saved = stored(page, key(page, "assessment-history"))
    assert [e["date"] for e in saved] == ["2026-03-03", "2026-04-07"]
    assert saved[1]["overall"] == int(page.locator(REAL).get_attribute("data-overall-score"))
    assert saved[1]["dims"]["readiness"] == 50

    # Deleting asks first; Escape (or Cancel) keeps everything.
    part(page, "delete").click()
    dialog = page.locator(f"{REAL} dialog[data-action=delete]")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(part(page, "delete")).to_be_focused()
    assert len(stored(page, key(page, "assessment-history"))) == 2
    part(page, "delete").click()
    dialog.get_by_role("button", name="Delete my history").click()
    expect(part(page, "change")).to_have_text(
        "Your history is deleted. Results you complete from now on will be kept here."
    )
    expect(part(page, "history").locator("h3")).to_be_focused()
    expect(part(page, "trend")).to_be_hidden()
    assert stored(page, key(page, "assessment-history")) is None
    assert len(checked(page, REAL)) == 21, "current answers stay"
    assert_clean(page)


# -- share and copy ----------------------------------------------------------


def test_share_link_round_trip_in_a_fresh_context(site, browser, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_page(page, url(site))
    shared = case("networking-habits", CYCLE)
    answer(page, REAL, shared["answers"])
    part(page, "share").click()
    expect(part(page, "copy-status")).to_have_text(re.compile("^Link copied"))
    link = page.evaluate("navigator.clipboard.readText()")
    fragment = urlsplit(link).fragment
    digits = "".join(str(v) for v in shared["answers"].values())
    definition = page.locator(REAL).get_attribute("data-definition-hash")
    assert fragment == f"answers=networking-habits.{definition}.{digits}"
    assert link.startswith(url(site))

    # Someone else, with answers of their own.
    other = browser.new_context()
    try:
        reader = other.new_page()
        watch = page.watch  # the same checks: errors and outside requests
        reader.on("console", lambda m: m.type == "error" and watch.console_errors.append(m.text))
        reader.on("pageerror", lambda e: watch.page_errors.append(str(e)))
        reader.on("request", lambda r: watch.requests.append(r.url))
        open_page(reader, url(site))
        mine = case("networking-habits", LOWEST)
        answer(reader, REAL, mine["answers"])
        own = stored(reader, key(reader))

        open_page(reader, link)
        expect(part(reader, "shared")).to_be_visible()
        expect(reader.locator(f"{REAL} .assessment-results h2")).to_have_text("Shared results")
        assert checked(reader, REAL) == shared["answers"]
        assert results(reader, REAL) == shared["expected"]
        expect(part(reader, "history")).to_be_hidden()
        assert stored(reader, key(reader)) == own, "opening the link saves nothing"
        # Changing an answer in the shared view saves nothing either.
        reader.get_by_label("Never").first.check()
        assert stored(reader, key(reader)) == own
        reader.reload()
        ready(reader)
        assert checked(reader, REAL) == shared["answers"], "the link still shows its answers"

        reader.get_by_role("button", name="Back to my answers").click()
        expect(part(reader, "shared")).to_be_hidden()
        expect(reader.locator(f"{REAL} .assessment-results h2")).to_have_text("Your results")
        assert checked(reader, REAL) == mine["answers"]
        assert "#" not in reader.url
        expect(reader.locator(f"{REAL} .assessment-results h2")).to_be_focused()

        open_page(reader, link)
        reader.get_by_role("button", name="Keep these answers").click()
        expect(part(reader, "shared")).to_be_hidden()
        assert stored(reader, key(reader))["answers"] == shared["answers"]
        [kept] = stored(reader, key(reader, "assessment-history"))
        assert kept["overall"] == shared["expected"]["overall"]["score"]
        reader.reload()
        ready(reader)
        assert checked(reader, REAL) == shared["answers"]
    finally:
        other.close()
    assert_clean(page)


def test_share_link_for_an_edited_definition_is_refused(site, page):
    open_page(page, url(site, "b"))
    answer(page, REAL, case("networking-habits", HIGHEST)["answers"])
    old = page.evaluate(f"document.querySelector('{REAL}').link()")
    page.goto("about:blank")
    open_page(page, old.replace("/b/", "/a/"))
    expect(part(page, "shared-old")).to_be_visible()
    expect(part(page, "shared")).to_be_hidden()
    assert checked(page, REAL) == {}
    # A link for another check on the page, or a malformed one, is left alone.
    open_page(page, url(site) + "#answers=other-check.abc.123")
    expect(part(page, "shared-old")).to_be_hidden()
    assert_clean(page)


def test_share_link_with_digits_off_the_scale_says_it_is_damaged(site, page):
    open_page(page, url(site))
    answer(page, REAL, case("networking-habits", HIGHEST)["answers"])
    link = page.evaluate(f"document.querySelector('{REAL}').link()")
    damaged = link[:-1] + "9"  # the scale has 5 points: a 9 cannot be an answer
    page.goto("about:blank")
    open_page(page, damaged)
    expect(part(page, "shared-damaged")).to_be_visible()
    expect(part(page, "shared-damaged")).to_contain_text("This link is damaged")
    expect(part(page, "shared")).to_be_hidden()
    expect(part(page, "shared-old")).to_be_hidden()
    assert checked(page, REAL) == case("networking-habits", HIGHEST)["answers"], "own answers kept"
    assert_clean(page)


def test_copy_results_as_text(site, page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_page(page, url(site))
    answer(page, REAL, case("networking-habits", HIGHEST)["answers"])
    part(page, "copy").click()
    expect(part(page, "copy-status")).to_have_text("Results copied.")
    text = page.evaluate("navigator.clipboard.readText()")
    lines = text.splitlines()
    assert lines[0].startswith("The networking habit check, ")
    assert lines[1] == "Overall: 77 out of 100, Building."
    assert "Readiness: 75, Ready to move" in lines
    assert "Consistency: 80, Weekly habit" in lines
    assert "Your strength: Reciprocity and upkeep, 80" in lines
    assert "Your step this week" in lines
    assert any(
        line.startswith("- Keep engaging, and avoid the habits") and "(http://127.0.0.1:" in line
        for line in lines
    ), "tips keep their links as full addresses"
    assert lines[-1] == url(site)
    expect(part(page, "copy-box")).to_be_hidden()
    assert_clean(page)


def test_copy_falls_back_to_selected_text(site, page):
    page.context.add_init_script(
        "navigator.clipboard.writeText = () =>"
        " Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'))"
    )
    open_page(page, url(site))
    answer(page, REAL, case("networking-habits", HIGHEST)["answers"])
    part(page, "copy").click()
    box = part(page, "copy-box").locator("textarea")
    expect(box).to_be_visible()
    expect(box).to_be_focused()
    assert box.input_value().splitlines()[1] == "Overall: 77 out of 100, Building."
    selection = box.evaluate("e => [e.selectionStart, e.selectionEnd, e.value.length]")
    assert selection[0] == 0 and selection[1] == selection[2] > 0, "all the text is selected"
    expect(part(page, "copy-status")).to_have_text(re.compile("^Copying is blocked"))
    assert_clean(page)


# -- print and no JavaScript ---------------------------------------------------


def test_print_shows_results_and_tips_not_controls(site, page):
    open_page(page, url(site))
    partial = dict(case("networking-habits", LOWEST)["answers"])  # a copy: vectors are shared
    partial.pop("consistency-4")
    answer(page, REAL, partial)
    page.emulate_media(media="print")
    expect(part(page, "results")).to_be_visible()
    expect(part(page, "summary")).to_be_visible()
    expect(part(page, "step")).to_be_visible()
    for hidden in ("actions", "result", "key", "next", "progress", "start"):
        expect(part(page, hidden)).to_be_hidden()
    assert page.locator(f"{REAL} button:visible").count() == 0
    # An answered statement prints its answer only; an open one every choice.
    assert page.locator("#networking-habits--st-readiness-1 label:visible").all_text_contents() == [
        " Never"
    ]
    assert page.locator("#networking-habits--st-consistency-4 label:visible").count() == 5

    page.emulate_media(media="screen")
    clear_answers(page)
    page.emulate_media(media="print")
    expect(part(page, "key")).to_be_visible()  # nothing answered: the key prints for paper
    assert_clean(page)


def test_without_javascript_the_results_stay_hidden(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url(site))
        expect(page.locator(f"{REAL} .assessment-results")).to_be_hidden()
        expect(page.locator(f"{REAL} .assessment-on-paper")).to_be_visible()
        expect(page.locator(f"{REAL} .assessment-on-screen")).to_be_hidden()
        expect(page.locator(f"{REAL} .assessment-key")).to_be_visible()
        page.get_by_label("Often").first.check()
        assert page.get_by_label("Often").first.is_checked()
    finally:
        context.close()


# -- axe ---------------------------------------------------------------------


@pytest.mark.parametrize("state", ["fresh", "partial", "complete", "shared", "history"])
def test_axe_finds_no_violations(site, axe_page, state):
    page = axe_page
    page.clock.install(time=FIRST_DAY)
    open_page(page, url(site))
    lowest = case("networking-habits", LOWEST)["answers"]
    if state == "partial":
        answer(page, REAL, dict(list(lowest.items())[:10]))
    if state in ("complete", "shared", "history"):
        answer(page, REAL, lowest)
    if state in ("shared", "history"):
        page.clock.set_fixed_time(NEXT_MONTH)
        page.reload()
        ready(page)
        answer(page, REAL, case("networking-habits", CYCLE)["answers"])
        expect(part(page, "trend")).to_be_visible()
    if state == "shared":
        link = page.evaluate(f"document.querySelector('{REAL}').link()")
        page.goto("about:blank")
        open_page(page, link)
        expect(part(page, "shared")).to_be_visible()
    if state != "fresh":
        # Folded parts open too, so axe checks what is inside them.
        for fold in page.locator(f"{REAL} details:visible").all():
            fold.evaluate("d => (d.open = true)")
    violations = run_axe(page)
    assert violations == [], f"{page.color_scheme}: {violations}"
