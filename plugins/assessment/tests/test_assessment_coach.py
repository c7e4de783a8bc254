"""The self-assessment as a coach, in Chromium on a phone (390 x 844) and a
desktop (1280 x 800): the start, progress while answering, the choices'
layout, the chart, the strength and the one step, the partial-answers rule,
the folded scoring key, wording and dates, clearing with confirmation,
printing, and the history charts on a time axis."""

from __future__ import annotations

import re

import pytest
from assessment_browser_support import REAL, REAL_SLUG, answer, checked, stored
from playwright.sync_api import expect

from conftest import build_site, serve

VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}
HABITS = {
    "readiness": "Readiness",
    "online-presence": "Online presence",
    "professional-community": "Professional community",
    "reciprocity-and-upkeep": "Reciprocity and upkeep",
    "consistency": "Consistency",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("assessment-coach")
    built = build_site(root / "output")
    assert built.problems() == [], built.problems()
    yield from serve(root / "output")


@pytest.fixture(params=list(VIEWPORTS))
def view(request, page):
    width, height = VIEWPORTS[request.param]
    page.set_viewport_size({"width": width, "height": height})
    return request.param


def open_check(page, site, fragment: str = "") -> None:
    page.goto(f"{site.url}/{REAL_SLUG}/{fragment}")
    page.locator(f"{REAL} .assessment-results").wait_for(state="visible")


def part(page, name: str):
    return page.locator(f"{REAL} .assessment-{name}")


def statements(page) -> list[dict]:
    return page.evaluate(
        """s => JSON.parse(document.querySelector(`${s} .assessment-data`).textContent)
          .dimensions.flatMap(d => d.statements.map(x => ({...x, habit: d.id})))""",
        REAL,
    )


def answers_for(page, levels: dict[str, str], only: dict[str, int] | None = None) -> dict:
    """Answers that put each habit of `levels` at "high" (100) or "low" (0);
    `only` answers just the first n statements of a habit."""
    out, seen = {}, {}
    for s in statements(page):
        level = levels.get(s["habit"])
        if level is None:
            continue
        seen[s["habit"]] = seen.get(s["habit"], 0) + 1
        if only and s["habit"] in only and seen[s["habit"]] > only[s["habit"]]:
            continue
        out[s["id"]] = 5 if (level == "high") != s["reverse"] else 1
    return out


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found is not None, locator
    return found


def assert_clean(page) -> None:
    watch = page.watch
    assert watch.page_errors == [] and watch.console_errors == [], watch
    assert watch.outside_requests() == []


# -- 1. Start -------------------------------------------------------------------


def test_start_promise_time_and_link_in_the_first_screen(site, page, view):
    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling to wait for
    open_check(page, site)
    height = VIEWPORTS[view][1]
    start = page.get_by_role("link", name="Start", exact=True)
    promise = page.get_by_text("Find out which of five networking habits already work for you")
    expect(part(page, "start")).to_contain_text("21 statements, 5 habits, about 5 minutes.")
    # On a phone the time estimate may wrap below the fold; the link may not.
    shown = (promise, start) if view == "phone" else (promise, start, part(page, "start"))
    for element in shown:
        assert box(element)["y"] + box(element)["height"] <= height, "in the first screen"
    # The research note is kept, after the check.
    note = page.get_by_text("This is a habit check, not a validated psychological instrument.")
    assert box(note)["y"] > box(page.locator(f"{REAL} .assessment-form"))["y"]
    start.click()
    first = page.locator(f"{REAL} fieldset").first
    expect(first).to_be_in_viewport()
    # Not under the sticky progress bar.
    bar = box(part(page, "progress"))
    assert box(first.locator("legend"))["y"] >= bar["y"] + bar["height"]
    assert page.url.endswith("#" + first.get_attribute("id"))
    assert_clean(page)


# -- 2. Progress --------------------------------------------------------------------

SHIFTS = """
window.shifts = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.shifts += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""


def test_progress_stays_in_view_and_speaks_only_at_milestones(site, page, view):
    page.context.add_init_script(SHIFTS)
    open_check(page, site)
    progress, live = part(page, "progress"), part(page, "result")
    expect(progress.locator("p")).to_have_text("0 of 21")
    groups = page.locator(f"{REAL} fieldset")
    for n in range(3):
        groups.nth(n).locator("label").nth(2).click()
        expect(live).to_be_empty()  # clicks are not announced one by one
    groups.nth(3).locator("label").nth(2).click()
    expect(live).to_have_text("Readiness done. 4 of 21 answered.")
    groups.nth(4).locator("label").nth(2).click()
    expect(live).to_have_text("Readiness done. 4 of 21 answered.")
    expect(progress.locator("p")).to_have_text(
        "5 of 21 \u00b7 Readiness \u2713 \u00b7 Online presence 1/4"
    )
    fill = progress.locator('[data-dimension-id="readiness"]')
    assert fill.get_attribute("width") == f"{100 * 4 / 21}%"

    # Sticky: in view at the top of the window deep in the form.
    groups.nth(14).scroll_into_view_if_needed()
    expect(progress).to_be_in_viewport()
    assert abs(box(progress)["y"]) <= 1
    # Answers that arrive without a click (another tab, a script) shift nothing.
    page.evaluate("window.shifts = 0")
    answer(page, REAL, answers_for(page, dict.fromkeys(HABITS, "low"), {"consistency": 2}))
    expect(progress.locator("p")).to_have_text(re.compile("^19 of 21 "))
    page.wait_for_timeout(300)
    assert page.evaluate("window.shifts") < 0.01
    assert_clean(page)


def test_progress_respects_reduced_motion_and_is_not_printed(site, page):
    open_check(page, site)
    fill = part(page, "progress").locator(".assessment-fill").first
    duration = "e => getComputedStyle(e).transitionDuration"
    assert fill.evaluate(duration) == "0.2s"
    page.emulate_media(reduced_motion="reduce")
    assert fill.evaluate(duration) in ("0s", "1e-05s")
    page.emulate_media(media="print")
    expect(part(page, "progress")).to_be_hidden()


def test_progress_bar_keeps_its_place_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{site.url}/{REAL_SLUG}/")
        bar = page.locator(f"{REAL} .assessment-progress")
        expect(bar).to_have_text("21 statements in 5 habits")
        assert bar.evaluate("e => getComputedStyle(e).position") == "static"
        expect(page.locator(f"{REAL} .assessment-key")).to_be_visible()  # the paper key, open
    finally:
        context.close()


# -- 3. Phone layout -------------------------------------------------------------------


def test_choices_sit_in_one_row_in_scale_order(site, page, view):
    open_check(page, site)
    first = page.locator(f"{REAL} fieldset").first
    labels = first.locator("label")
    boxes = [box(labels.nth(i)) for i in range(labels.count())]
    assert labels.all_inner_texts() == ["Never", "Rarely", "Sometimes", "Often", "Always"]
    assert len({round(b["y"]) for b in boxes}) == 1, "one row"
    assert [b["x"] for b in boxes] == sorted(b["x"] for b in boxes), "in scale order"
    assert min(b["height"] for b in boxes) >= 44
    assert box(first)["height"] < 200, box(first)
    assert_clean(page)


def test_nothing_overflows_at_320_pixels(site, page):
    page.set_viewport_size({"width": 320, "height": 700})
    open_check(page, site)
    answer(
        page,
        REAL,
        answers_for(page, {"readiness": "low", "consistency": "high"}, {"consistency": 2}),
    )
    expect(part(page, "summary")).to_have_text(re.compile("^So far"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    labels = page.locator(f"{REAL} fieldset").first.locator("label")
    ys = [box(labels.nth(i))["y"] for i in range(labels.count())]
    assert ys == sorted(ys) and len(set(ys)) == len(ys), "one column, in scale order"


# -- 4. The result ------------------------------------------------------------------------


def test_chart_strength_and_one_step(site, page, view):
    open_check(page, site)
    levels = {**dict.fromkeys(HABITS, "high"), "readiness": "low", "reciprocity-and-upkeep": "low"}
    answer(page, REAL, answers_for(page, levels))
    bars = part(page, "scores").locator("li")
    expect(bars.locator(".assessment-bar-name")).to_have_text(list(HABITS.values()))
    readiness = bars.filter(has_text="Readiness")
    expect(readiness.locator(".assessment-bar-value")).to_have_text("0, Caught off guard")
    online = bars.filter(has_text="Online presence")
    expect(online.locator(".assessment-bar-value")).to_have_text("100, Visible and known")
    assert online.locator(".assessment-fill").get_attribute("width") == "100%"
    assert readiness.locator(".assessment-fill").get_attribute("width") == "0%"
    # The reader's band is outlined; the boundaries are marked and numbered.
    mine = readiness.locator(".assessment-mine")
    assert mine.count() == 1 and mine.get_attribute("data-band-id") == "caught-off-guard"
    assert readiness.locator("svg text").all_text_contents() == ["40", "70"]
    assert readiness.locator("svg").get_attribute("aria-hidden") == "true"

    expect(part(page, "strength")).to_have_text("Your strength: Online presence, 100")
    step = part(page, "step")
    expect(step.locator("h3")).to_have_text("Your step this week")
    expect(part(page, "step-habit")).to_have_text("Readiness: 0, Caught off guard")
    expect(step).to_contain_text("Start a running list of this month's wins")
    go = step.get_by_role("link")
    expect(go).to_have_count(1)
    expect(go).to_have_class("assessment-button")
    expect(go).to_have_text("Read \u201ckeep a running record of your work\u201d")
    href = go.get_attribute("href")
    assert href.endswith("/articles/keep-your-resume-ready/#keep-a-running-record-of-your-work")
    # Other tips wait under "More ideas", folded.
    more = part(page, "more")
    expect(more.locator("summary")).to_have_text("More ideas")
    assert not more.evaluate("d => d.open")
    expect(more.locator("h4")).to_have_text(
        ["More for Readiness", "Reciprocity and upkeep: 0, Keeping to yourself", "Overall"]
    )
    # The exact section exists in the article.
    go.click()
    page.wait_for_url(re.compile("keep-a-running-record-of-your-work$"))
    expect(page.locator("#keep-a-running-record-of-your-work")).to_be_in_viewport()
    assert_clean(page)


def test_with_partial_answers_only_a_finished_habit_below_its_top_band_is_lowest(site, page, view):
    open_check(page, site)
    # Online presence finished at 100; Readiness half answered, low so far.
    answer(
        page,
        REAL,
        answers_for(page, {"online-presence": "high", "readiness": "low"}, {"readiness": 2}),
    )
    expect(part(page, "summary")).to_have_text(re.compile("^So far: "))
    expect(part(page, "step")).to_be_hidden()
    expect(part(page, "more")).to_be_hidden()
    expect(part(page, "strength")).to_have_text("Your strength: Online presence, 100")
    value = (
        part(page, "scores")
        .locator("li")
        .filter(has_text="Readiness")
        .locator(".assessment-bar-value")
    )
    expect(value).to_have_text("0 so far, 2 of 4 answered")
    assert "lowest" not in part(page, "results").inner_text().lower()

    # A habit in its top band is never "lowest", even if it is the only one done.
    answer(page, REAL, answers_for(page, {"online-presence": "high", "consistency": "high"}))
    expect(part(page, "step")).to_be_hidden()

    # Readiness finished and low: now it is the step.
    answer(page, REAL, answers_for(page, {"online-presence": "high", "readiness": "low"}))
    expect(part(page, "step-habit")).to_have_text("Readiness: 0, Caught off guard")
    assert_clean(page)


# -- 5. Scoring key -------------------------------------------------------------------------


def test_scoring_key_is_folded_and_marks_your_bands(site, page, view):
    open_check(page, site)
    fold = part(page, "key-fold")
    expect(fold.locator("summary")).to_have_text("Score it on paper")
    expect(part(page, "key")).to_be_hidden()
    answer(page, REAL, answers_for(page, {**dict.fromkeys(HABITS, "high"), "readiness": "low"}))
    fold.locator("summary").click()
    expect(part(page, "key")).to_be_visible()
    marks = part(page, "key").locator(".assessment-your-band:visible")
    expect(marks).to_have_count(6)  # one per habit, one overall
    readiness = page.locator("#networking-habits--key--dim-readiness--band-caught-off-guard")
    expect(readiness.locator(".assessment-your-band")).to_be_visible()
    other = page.locator("#networking-habits--key--dim-readiness--band-ready-to-move")
    expect(other.locator(".assessment-your-band")).to_be_hidden()
    assert_clean(page)


# -- 6. Wording -----------------------------------------------------------------------------


def test_reader_text_says_habit_and_the_overall_sentence_once(site, page, view):
    open_check(page, site)
    answer(page, REAL, answers_for(page, dict.fromkeys(HABITS, "high")))
    for fold in page.locator(f"{REAL} details").all():
        fold.evaluate("d => (d.open = true)")
    text = page.locator(REAL).inner_text()
    assert "dimension" not in text.lower()
    sentence = page.locator(REAL).get_by_text(
        "Overall: 100 out of 100, Networking before you need it."
    )
    visible = [e for e in sentence.all() if (e.bounding_box() or {}).get("width", 0) > 1]
    assert len(visible) == 1, "seen once; the live region says it to screen readers"
    assert_clean(page)


FORMATS = [
    ("%-d %B %Y", "30 November 2026"),
    ("%B %-d, %Y", "November 30, 2026"),
    ("%Y-%m-%d", "2026-11-30"),
    ("%a %d %b %y", "Mon 30 Nov 26"),
    ("%d/%m/%Y", "30/11/2026"),
]


def test_dates_follow_the_sites_date_format(site, page):
    from datetime import date

    open_check(page, site)
    assert page.locator(REAL).get_attribute("data-date-sample") == "3 February 2001"
    for fmt, expected in FORMATS:
        sample = date(2001, 2, 3).strftime(fmt)
        got = page.evaluate(
            "async (s) => (await import('../widgets/widget-core.js')).formatDay('2026-11-30', s)",
            sample,
        )
        assert got == expected, (fmt, sample, got)
    # A sample in another language falls back to the page language's long date.
    fallback = page.evaluate(
        "async (s) => (await import('../widgets/widget-core.js')).formatDay('2026-11-30', s)",
        "3 février 2001",
    )
    assert fallback == "November 30, 2026"


# -- 7. Clearing answers ------------------------------------------------------------------------


def test_clearing_answers_asks_first(site, page, view):
    open_check(page, site)
    wanted = answers_for(page, dict.fromkeys(HABITS, "high"))
    answer(page, REAL, wanted)
    part(page, "reset").click()
    dialog = page.locator(f"{REAL} dialog[data-action=clear]")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Clear every answer on this page?")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert checked(page, REAL) == wanted, "Cancel keeps every answer"
    part(page, "reset").click()
    page.keyboard.press("Escape")
    assert checked(page, REAL) == wanted, "Escape keeps every answer"
    part(page, "reset").click()
    dialog.get_by_role("button", name="Clear my answers").click()
    expect(part(page, "progress").locator("p")).to_have_text("0 of 21")
    assert checked(page, REAL) == {}
    key = "assessment-history:networking-habits:" + page.locator(REAL).get_attribute(
        "data-definition-hash"
    )
    assert len(stored(page, key)) == 1, "saved results stay"
    assert_clean(page)


# -- 8. Print ----------------------------------------------------------------------------------


def test_print_button_and_the_result_first_on_paper(site, page, view):
    open_check(page, site)
    answer(page, REAL, answers_for(page, {**dict.fromkeys(HABITS, "high"), "readiness": "low"}))
    page.evaluate("() => { window.print = () => (window.printed = (window.printed || 0) + 1); }")
    page.get_by_role("button", name="Print my results").click()
    assert page.evaluate("window.printed") == 1
    page.emulate_media(media="print")
    results = box(part(page, "results"))
    first = box(page.locator(f"{REAL} fieldset").first)
    title = box(part(page, "title"))
    assert title["y"] < results["y"] < first["y"], "title, then the result, then the answers"
    # Page 1: the result starts within the first A4 page (1123 CSS px).
    assert results["y"] < 1123
    expect(part(page, "step")).to_be_visible()
    expect(part(page, "scores")).to_be_visible()
    assert page.locator(f"{REAL} button:visible").count() == 0


# -- 9. History -------------------------------------------------------------------------------


def test_history_charts_place_dates_by_time_and_the_table_says_the_same(site, page, view):
    open_check(page, site)
    key = "assessment-history:networking-habits:" + page.locator(REAL).get_attribute(
        "data-definition-hash"
    )
    dims = dict.fromkeys(HABITS, 50)
    history = [
        {"date": "2026-01-01", "overall": 20, "dims": {**dims, "readiness": 10}},
        {"date": "2026-01-02", "overall": 30, "dims": {**dims, "readiness": 20}},
        {"date": "2026-01-31", "overall": 60, "dims": {**dims, "readiness": 90}},
    ]
    page.evaluate("([k, v]) => localStorage.setItem(k, JSON.stringify(v))", [key, history])
    page.reload()
    page.locator(f"{REAL} .assessment-trend").wait_for(state="visible")
    charts = part(page, "chart").locator("figure")
    expect(charts.locator("figcaption")).to_have_text(["Overall", *HABITS.values()])
    for i in range(charts.count()):
        xs = [float(c.get_attribute("cx")) for c in charts.nth(i).locator("circle").all()]
        assert len(xs) == 3
        # One day, then thirty: the gaps keep that proportion.
        assert (xs[1] - xs[0]) / (xs[2] - xs[0]) == pytest.approx(1 / 30, abs=0.001)
    ys = [float(c.get_attribute("cy")) for c in charts.nth(1).locator("circle").all()]
    assert ys[0] > ys[1] > ys[2], "Readiness rises: 10, 20, 90"
    rows = part(page, "past").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2).locator("th, td")).to_have_text(
        ["31 January 2026", "60", "90", "50", "50", "50", "50"]
    )
    region = part(page, "past-scroll")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
    assert_clean(page)
