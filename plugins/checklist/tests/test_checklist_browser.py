"""Checklists in Chromium: ticks survive a reload, an edited list starts
clean, reset, keyboard use, the weekly rollover and streak (with Playwright's
clock), blocked, full and corrupted storage, no JavaScript, and axe-core."""

from __future__ import annotations

import re
import shutil
from datetime import datetime

import pytest
from checklist_support import BLOCKED_STORAGE, FULL_STORAGE, REPO, build, run_axe, serve
from checklist_support import page as page_source
from playwright.sync_api import expect

from conftest import CORRUPT_STORAGE

STANDARD = """
    Some prose first.

    ::: checklist resume-ready
    title: Keep your resume ready
    - [ ] Update your resume with this quarter's results
    - [ ] {second}
    - [ ] Save a one-page version
    - [ ] Name the job you want next
    - [ ] Add one result that proves it
    :::

    ::: checklist coffee
    title: Say yes
    - [ ] Answer the phone
    - [ ] Accept the coffee
    :::
"""
RESUME = 'tip-checklist[data-checklist-id="resume-ready"]'
COFFEE = 'tip-checklist[data-checklist-id="coffee"]'
WEEKLY = 'tip-checklist[data-checklist-id="career-exercise-week"]'
WEEKS_KEY = "checklist:career-exercise-week:weeks"
# Wednesdays at noon, local time, in four weeks in a row (Mondays 2, 9, 16, 23 March).
WEEK = [datetime(2026, 3, day, 12, 0) for day in (4, 11, 18, 25)]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Two builds of one site served from one origin (so they share
    localStorage): `a` and `b`, where b edits the second item of resume-ready."""
    root = tmp_path_factory.mktemp("checklist-browser")
    for name, second in (("a", "Save the file as a PDF"), ("b", "Save the file as a PDF and Word")):
        content = root / name / "content" / "pages"
        content.mkdir(parents=True)
        shutil.copy(REPO / "content/pages/weekly-career-exercise.md", content)
        built = build(
            root / name,
            {
                "pages/standard.md": page_source(
                    "Standard", "standard", STANDARD.format(second=second)
                )
            },
        )
        assert built.problems() == []
    yield from serve(root)


def url(site, version: str, slug: str) -> str:
    return f"{site.url}/{version}/output/{slug}/"


def assert_clean(page):
    watch = page.watch
    assert watch.page_errors == [], watch.page_errors
    assert watch.console_errors == [], watch.console_errors
    assert watch.outside_requests() == [], watch.outside_requests()


def boxes(page, widget):
    return page.locator(f"{widget} input[type=checkbox]")


def ticked(page, widget) -> list[bool]:
    return [box.is_checked() for box in boxes(page, widget).all()]


def progress(page, widget):
    return page.locator(f"{widget} .checklist-progress")


def ready(page, widget):
    """The script has enhanced the widget: its reset button is visible."""
    page.locator(f"{widget} .checklist-reset").wait_for(state="visible")


def open_page(page, address, widget):
    page.goto(address)
    ready(page, widget)


def test_tick_reload_still_ticked(site, page):
    open_page(page, url(site, "a", "standard"), RESUME)
    expect(progress(page, RESUME)).to_have_text("0 of 5 done")
    page.get_by_label("Update your resume with this quarter's results").check()
    page.get_by_label("Save a one-page version").check()
    expect(progress(page, RESUME)).to_have_text("2 of 5 done")
    page.get_by_label("Accept the coffee").check()
    page.reload()
    ready(page, RESUME)
    assert ticked(page, RESUME) == [True, False, True, False, False]
    assert ticked(page, COFFEE) == [False, True], "each checklist keeps its own ticks"
    expect(progress(page, RESUME)).to_have_text("2 of 5 done")
    expect(progress(page, COFFEE)).to_have_text("1 of 2 done")
    status = progress(page, RESUME)
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    assert page.locator(f"{RESUME} .checklist-storage-note").is_hidden()
    assert_clean(page)


def test_script_is_a_module_from_the_site(site, page):
    open_page(page, url(site, "a", "standard"), RESUME)
    loaded = {r.rsplit("/", 1)[1] for r in page.watch.requests if r.endswith(".js")}
    # One script: the build folds the widget core into it.
    assert loaded == {"checklist.js"}
    assert page.locator('script[src$="/checklist.js"]').get_attribute("type") == "module"
    assert_clean(page)


def test_edited_list_ignores_old_ticks(site, page):
    open_page(page, url(site, "a", "standard"), RESUME)
    page.get_by_label("Update your resume with this quarter's results").check()
    page.get_by_label("Save the file as a PDF").check()
    hash_a = page.locator(RESUME).get_attribute("data-checklist-hash")

    open_page(page, url(site, "b", "standard"), RESUME)
    assert page.locator(RESUME).get_attribute("data-checklist-hash") != hash_a
    assert ticked(page, RESUME) == [False] * 5, "old ticks are not applied to the edited list"
    expect(progress(page, RESUME)).to_have_text("0 of 5 done")

    open_page(page, url(site, "a", "standard"), RESUME)
    assert ticked(page, RESUME) == [True, True, False, False, False]
    assert_clean(page)


def test_reset(site, page):
    open_page(page, url(site, "a", "standard"), RESUME)
    for box in boxes(page, RESUME).all()[:3]:
        box.check()
    page.get_by_label("Accept the coffee").check()
    page.locator(f"{RESUME} .checklist-reset").click()
    assert ticked(page, RESUME) == [False] * 5
    expect(progress(page, RESUME)).to_have_text("0 of 5 done")
    page.reload()
    ready(page, RESUME)
    assert ticked(page, RESUME) == [False] * 5
    assert ticked(page, COFFEE) == [False, True], "reset clears only its own checklist"
    assert_clean(page)


def test_keyboard_only(site, page):
    open_page(page, url(site, "a", "standard"), RESUME)
    first = boxes(page, RESUME).first
    for _ in range(80):
        page.keyboard.press("Tab")
        if first.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the first checkbox")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert ticked(page, RESUME) == [True, True, False, False, False]
    expect(progress(page, RESUME)).to_have_text("2 of 5 done")
    reset = page.locator(f"{RESUME} .checklist-reset")
    for _ in range(6):
        page.keyboard.press("Tab")
        if reset.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the reset button")
    page.keyboard.press("Enter")
    assert ticked(page, RESUME) == [False] * 5
    outline = first.evaluate("el => { el.focus(); return getComputedStyle(el).outlineStyle }")
    assert outline != "none", "a focused checkbox shows a focus ring"
    assert_clean(page)


def weekly_state(page):
    history = page.locator(f"{WEEKLY} .checklist-history li").all_text_contents()
    streak = page.locator(f"{WEEKLY} .checklist-streak").text_content()
    return streak, history


def tick_all(page, widget):
    for box in boxes(page, widget).all():
        box.check()


def test_weekly_rollover_streak_and_history(site, page):
    page.clock.install(time=WEEK[0])
    open_page(page, url(site, "a", "weekly-career-exercise"), WEEKLY)
    total = boxes(page, WEEKLY).count()
    assert 5 <= total <= 6
    assert page.locator(f"{WEEKLY} .checklist-weeks").is_visible()
    assert weekly_state(page) == (
        "No streak right now: tick every item this week to start one.",
        ["None yet."],
    )
    tick_all(page, WEEKLY)
    expect(progress(page, WEEKLY)).to_have_text(f"{total} of {total} done this week")
    assert weekly_state(page)[0] == "Streak: 1 week in a row."

    # Week 2: a fresh list; last week's completion keeps the streak alive.
    page.clock.set_fixed_time(WEEK[1])
    page.reload()
    ready(page, WEEKLY)
    assert ticked(page, WEEKLY) == [False] * total
    expect(progress(page, WEEKLY)).to_have_text(f"0 of {total} done this week")
    assert weekly_state(page) == (
        "Streak: 1 week in a row. Finish this week to make it 2.",
        [f"Week of March 2, 2026: {total} of {total} done"],
    )
    tick_all(page, WEEKLY)
    assert weekly_state(page)[0] == "Streak: 2 weeks in a row."

    # Week 3: only one item done.
    page.clock.set_fixed_time(WEEK[2])
    page.reload()
    ready(page, WEEKLY)
    boxes(page, WEEKLY).first.check()
    assert weekly_state(page)[0] == "Streak: 2 weeks in a row. Finish this week to make it 3."

    # Week 4: week 3 was not completed, so the streak is over.
    page.clock.set_fixed_time(WEEK[3])
    page.reload()
    ready(page, WEEKLY)
    assert ticked(page, WEEKLY) == [False] * total
    assert weekly_state(page) == (
        "No streak right now: tick every item this week to start one.",
        [
            f"Week of March 16, 2026: 1 of {total} done",
            f"Week of March 9, 2026: {total} of {total} done",
            f"Week of March 2, 2026: {total} of {total} done",
        ],
    )
    tick_all(page, WEEKLY)
    assert weekly_state(page)[0] == "Streak: 1 week in a row."
    assert_clean(page)


def test_week_starts_on_local_monday(site, page):
    page.clock.install(time=datetime(2026, 3, 2, 0, 5))  # Monday just after midnight
    open_page(page, url(site, "a", "weekly-career-exercise"), WEEKLY)
    boxes(page, WEEKLY).first.check()
    page.clock.set_fixed_time(datetime(2026, 3, 8, 23, 55))  # Sunday night: same week
    page.reload()
    ready(page, WEEKLY)
    assert boxes(page, WEEKLY).first.is_checked()
    page.clock.set_fixed_time(datetime(2026, 3, 9, 0, 5))  # Monday: a new week
    page.reload()
    ready(page, WEEKLY)
    assert not boxes(page, WEEKLY).first.is_checked()
    assert_clean(page)


def test_weekly_rolls_over_when_the_reader_comes_back_to_the_tab(site, page):
    page.clock.install(time=WEEK[0])
    open_page(page, url(site, "a", "weekly-career-exercise"), WEEKLY)
    boxes(page, WEEKLY).first.check()
    page.clock.set_fixed_time(WEEK[1])
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert not boxes(page, WEEKLY).first.is_checked()
    assert_clean(page)


def test_another_tab_sees_the_ticks(site, page):
    open_page(page, url(site, "a", "standard"), RESUME)
    other = page.context.new_page()
    open_page(other, url(site, "a", "standard"), RESUME)
    other.get_by_label("Save a one-page version").check()
    page.wait_for_function(
        f"document.querySelector('{RESUME} .checklist-progress').textContent === '1 of 5 done'"
    )
    assert ticked(page, RESUME)[2] is True
    assert_clean(page)


BLOCKED, FULL = BLOCKED_STORAGE, FULL_STORAGE


@pytest.mark.parametrize("script", [BLOCKED, FULL], ids=["blocked", "full"])
def test_storage_failure_turns_saving_off_and_nothing_breaks(site, page, script):
    page.context.add_init_script(script)
    for slug, widget in (("standard", RESUME), ("weekly-career-exercise", WEEKLY)):
        open_page(page, url(site, "a", slug), widget)
        note = page.locator(f"{widget} .checklist-storage-note")
        expect(note).to_be_visible()
        expect(note).to_have_text("Saving is off in this browser; your ticks will not be kept.")
        boxes(page, widget).first.check()
        expect(progress(page, widget)).to_contain_text("1 of ")
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        assert boxes(page, widget).first.is_checked(), "coming back to the tab keeps ticks"
        page.locator(f"{widget} .checklist-reset").click()
        expect(progress(page, widget)).to_contain_text("0 of ")
    assert page.locator(f"{WEEKLY} .checklist-weeks").is_hidden()
    assert_clean(page)


CORRUPT = [
    *CORRUPT_STORAGE,
    "[0, 1]",
    '{"ticks": "0,1"}',
    '{"ticks": [0, "x", {}, null, 99]}',
]


@pytest.mark.parametrize("stored", CORRUPT)
def test_corrupted_storage_starts_clean_and_recovers(site, page, stored):
    open_page(page, url(site, "a", "standard"), RESUME)
    key = "checklist:resume-ready:" + page.locator(RESUME).get_attribute("data-checklist-hash")
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, stored])
    page.reload()
    ready(page, RESUME)
    # Only the valid part of a stored value counts: tick 0 in the last case.
    expected = [True, False, False, False, False] if '"ticks": [0' in stored else [False] * 5
    assert ticked(page, RESUME) == expected
    assert page.locator(f"{RESUME} .checklist-storage-note").is_hidden()
    page.get_by_label("Name the job you want next").check()
    page.reload()
    ready(page, RESUME)
    assert ticked(page, RESUME)[3] is True, "saving works again after corrupted data"
    assert_clean(page)


def test_corrupted_weekly_history_is_ignored(site, page):
    page.clock.install(time=WEEK[1])
    open_page(page, url(site, "a", "weekly-career-exercise"), WEEKLY)
    weeks = [
        {"week": "<img src=x>", "done": 1, "total": 1},
        {"week": "2026-03-02", "done": "6", "total": 6},
        5,
        None,
        {"week": "2026-03-02", "done": 2, "total": 6},
        {"week": "2026-02-23", "done": 1e308, "total": -5},
        {"week": "2026-02-16", "done": 7, "total": 6},
        {"week": "9999-99-99", "done": 1, "total": 6},
        {"week": "2099-01-05", "done": 1, "total": 6},
    ]
    page.evaluate("([k, v]) => localStorage.setItem(k, JSON.stringify(v))", [WEEKS_KEY, weeks])
    page.reload()
    ready(page, WEEKLY)
    total = boxes(page, WEEKLY).count()
    assert weekly_state(page)[1] == [f"Week of March 2, 2026: 2 of {total} done"]
    assert page.locator(f"{WEEKLY} img").count() == 0
    page.evaluate("k => localStorage.setItem(k, '{oops')", WEEKS_KEY)
    page.reload()
    ready(page, WEEKLY)
    assert weekly_state(page)[1] == ["None yet."]
    assert_clean(page)


def test_without_javascript_the_form_still_works(site, browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(url(site, "a", "weekly-career-exercise"))
        widget = page.locator(WEEKLY)
        assert widget.locator(".checklist-reset").is_hidden()
        assert widget.locator(".checklist-weeks").is_hidden()
        assert widget.locator(".checklist-storage-note").is_hidden()
        assert widget.locator("legend").is_visible()
        first = boxes(page, WEEKLY).first
        page.locator(f"{WEEKLY} label").first.click()
        assert first.is_checked(), "clicking the label ticks the real checkbox"
        page.emulate_media(media="print")
        assert boxes(page, WEEKLY).nth(1).is_visible(), "boxes print"
    finally:
        context.close()


def settle_for_axe(page, site, slug, widget):
    page.clock.install(time=WEEK[0])
    page.goto(url(site, "a", slug))
    ready(page, widget)
    tick_all(page, widget)
    if widget == WEEKLY:  # show a history and a streak too
        page.clock.set_fixed_time(WEEK[1])
        page.reload()
        ready(page, widget)
        boxes(page, widget).first.check()
        assert re.search(r"Week of", weekly_state(page)[1][0])


@pytest.mark.parametrize(
    "slug, widget",
    [("weekly-career-exercise", WEEKLY), ("standard", RESUME)],
    ids=["weekly", "standard"],
)
def test_axe_finds_no_violations(site, axe_page, slug, widget):
    settle_for_axe(axe_page, site, slug, widget)
    violations = run_axe(axe_page)
    assert violations == [], f"{axe_page.color_scheme}: {violations}"
