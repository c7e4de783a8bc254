"""The plan that follows the reader, in Chromium: after a complete self-
assessment, the weekly career exercise page shows "This week's focus" (the
assessment-focus block, static/widgets/assessment-focus.js and
assessment-plan.js). Before a result, without JavaScript, with storage
blocked or a damaged plan, that page reads as it always did. Also: the second
assessment (readiness-check) keeps its answers and history apart.

Runs on the real site (the dev build), on a phone and a desktop viewport.
"""

from __future__ import annotations

import copy
import json
import re
import time
from urllib.parse import urlsplit

import pytest
from assessment_browser_support import REAL, answer, case, checked, stored
from playwright.sync_api import expect

from conftest import BLOCKED_STORAGE, CORRUPT_STORAGE, FULL_STORAGE, run_axe

WEEKLY = "weekly-career-exercise"
CHECK = "networking-habits-assessment"
SHORT = "readiness-check"
SHORT_WIDGET = 'habit-assessment[data-assessment-id="hr-readiness"]'
PLAN = "assessment-plan:networking-habits"
FOCUS = "habit-focus"
CYCLE = "answers cycle through the scale"  # readiness 25 is the lowest
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 800)}


@pytest.fixture
def site(dev_server):
    return dev_server


@pytest.fixture(params=list(VIEWPORTS))
def sized(request, page):
    width, height = VIEWPORTS[request.param]
    page.set_viewport_size({"width": width, "height": height})
    return page


def go(page, site, slug: str) -> None:
    page.goto(f"{site.url}/{slug}/")
    # Module scripts have run once their elements are defined.
    for tag in ("habit-focus", "habit-assessment", "tip-checklist"):
        if page.locator(tag).count():
            page.evaluate("tag => customElements.whenDefined(tag).then(() => true)", tag)


def saved(page, key: str) -> str | None:
    return page.evaluate("k => localStorage.getItem(k)", key)


def wait_for_key(page, key: str, present: bool = True, before: str | None = None) -> None:
    """assessment.js saves the plan through a dynamic import: wait until
    ``key`` is there (and differs from ``before``), or is gone."""
    for _ in range(100):
        value = saved(page, key)
        if (value is not None and value != before) if present else value is None:
            return
        time.sleep(0.05)
    raise AssertionError(f"{key} was {'never saved' if present else 'never removed'}")


# The plan is saved in a callback of assessment.js's dynamic import of
# assessment-plan.js: once the same import has resolved here too, after a
# turn of the event loop, that callback has run.
SETTLE = """async () => {
  const script = document.querySelector('script[src$="/assessment.js"]').src;
  await import(new URL("assessment-plan.js", script));
  await new Promise((resolve) => setTimeout(resolve));
}"""


def settle(page) -> None:
    page.evaluate(SETTLE)


def complete(page, site, vector: str = CYCLE) -> dict:
    """Answers the real assessment; returns the first tip (text and href,
    resolved) of each habit's band, read from the scoring key on the page."""
    go(page, site, CHECK)
    before = saved(page, PLAN)
    answer(page, REAL, case("networking-habits", vector)["answers"])
    wait_for_key(page, PLAN, before=before)
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll(
              "habit-assessment .assessment-key-dimension")].map((section) => {
          const dim = section.id.split("--dim-")[1];
          const band = document.querySelector(
            `habit-assessment .assessment-scores li[data-dimension-id="${dim}"]`).dataset.band;
          const tip = section.querySelector(`[data-band-id="${band}"] .assessment-tips li`);
          const link = tip.querySelector("a");
          return [dim, { step: tip.textContent.replace(/\\s+/g, " ").trim(),
                         href: link ? new URL(link.href).pathname + new URL(link.href).hash : "" }];
        }))"""
    )


def assert_clean(page) -> None:
    watch = page.watch
    assert watch.page_errors == [], watch.page_errors
    assert watch.console_errors == [], watch.console_errors
    assert watch.outside_requests() == [], watch.outside_requests()


def part(page, name: str):
    return page.locator(f"{FOCUS} .habit-focus-{name}")


# What a reader sees of the weekly page outside the checklist (whose own
# script adds its progress): the visible text of each block, in order.
READS = """() => [...document.querySelectorAll(".entry-content > :not(tip-checklist)")]
  .filter((e) => e.checkVisibility()).map((e) => e.innerText.trim())"""


@pytest.fixture
def without_js(browser, site):
    """The weekly page as a reader without JavaScript sees it."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site.url}/{WEEKLY}/")
        yield page.evaluate(READS)
    finally:
        context.close()


# -- the focus appears, changes, and stays -----------------------------------------


def test_focus_appears_after_completion_and_not_before(site, sized):
    page = sized
    go(page, site, WEEKLY)
    expect(page.locator(FOCUS)).to_be_hidden()

    # 20 of 21 answers: no result, so no plan and no focus.
    answers = dict(case("networking-habits", CYCLE)["answers"])
    answers.pop("consistency-4")
    go(page, site, CHECK)
    answer(page, REAL, answers)
    expect(page.locator(f"{REAL} .assessment-progress-text")).to_have_text(re.compile("^20 of 21 "))
    time.sleep(0.3)
    assert saved(page, PLAN) is None
    go(page, site, WEEKLY)
    expect(page.locator(FOCUS)).to_be_hidden()

    steps = complete(page, site)
    go(page, site, WEEKLY)
    expect(page.locator(FOCUS)).to_be_visible()
    expect(page.get_by_role("heading", name="This week’s focus: Readiness")).to_be_visible()
    expect(part(page, "score")).to_have_text(
        "Your weakest habit: 25 out of 100 (Caught off guard). An hour here does the most good."
    )
    expect(part(page, "text")).to_have_text(steps["readiness"]["step"])
    expect(part(page, "choice")).to_have_value("readiness")
    options = part(page, "choice").locator("option").all_text_contents()
    assert options == [
        "Readiness: 25 (weakest)",
        "Online presence: 44",
        "Professional community: 63",
        "Reciprocity and upkeep: 40",
        "Consistency: 75",
    ]
    # The step's link leads to the article section the tip names.
    link = page.get_by_role("link", name="Show me how")
    target = steps["readiness"]["href"]
    assert target.startswith("/articles/")
    assert link.get_attribute("href") == target
    link.click()
    page.wait_for_url(f"**{target}")
    expect(page.locator("h1")).to_have_text("Keep Your Resume Ready at All Times")
    go(page, site, WEEKLY)
    again = page.get_by_role("link", name="Take the check again")
    assert again.get_attribute("href") == f"/{CHECK}/"
    assert_clean(page)


def test_changing_the_focus_survives_a_reload(site, sized):
    page = sized
    steps = complete(page, site)
    go(page, site, WEEKLY)
    part(page, "choice").select_option("online-presence")
    expect(page.get_by_role("heading", name="This week’s focus: Online presence")).to_be_visible()
    expect(part(page, "status")).to_have_text("This week’s focus is now Online presence.")
    expect(part(page, "text")).to_have_text(steps["online-presence"]["step"])
    expect(part(page, "score")).to_have_text(
        "Your choice: 44 out of 100 (Present but quiet). Your weakest habit is Readiness, 25."
    )
    assert (
        page.get_by_role("link", name="Show me how").get_attribute("href")
        == (steps["online-presence"]["href"])
    )
    page.reload()
    expect(page.get_by_role("heading", name="This week’s focus: Online presence")).to_be_visible()
    expect(part(page, "choice")).to_have_value("online-presence")
    assert stored(page, PLAN)["focus"] == "online-presence"

    # The same answers given again keep the choice.
    go(page, site, CHECK)
    answer(page, REAL, case("networking-habits", CYCLE)["answers"])
    settle(page)
    assert stored(page, PLAN)["focus"] == "online-presence"
    go(page, site, WEEKLY)

    # Choosing the weakest again means "follow my result".
    part(page, "choice").select_option("readiness")
    expect(page.get_by_role("heading", name="This week’s focus: Readiness")).to_be_visible()
    assert stored(page, PLAN)["focus"] is None

    # A new result brings the focus back to its weakest habit.
    part(page, "choice").select_option("consistency")
    complete(page, site, "every answer the lowest label")
    go(page, site, WEEKLY)
    # Reciprocity and upkeep and Consistency both score 20: the first counts.
    expect(part(page, "name")).to_have_text("Reciprocity and upkeep")
    assert stored(page, PLAN)["focus"] is None
    assert_clean(page)


TOP = "every answer the highest label"  # 75, 75, 75, 80, 80: all in their top band


def test_with_every_habit_in_its_top_band_the_focus_names_the_strength(site, sized):
    """The step card's rule, on the weekly page: no habit is called weakest;
    the strength is named and the step is the one with most room to grow,
    the same habit and tip as the result's own "Your step this week"."""
    page = sized
    steps = complete(page, site, TOP)
    card = page.locator(f"{REAL} .assessment-step")
    expect(card.locator(".assessment-step-habit")).to_have_text("Readiness: 75, Ready to move")
    expect(page.locator(f"{REAL} .assessment-strength")).to_have_text(
        "Your strength: Reciprocity and upkeep, 80"
    )
    tip = card.locator(".assessment-step-tip p").first.inner_text()

    go(page, site, WEEKLY)
    expect(page.get_by_role("heading", name="This week’s focus: Readiness")).to_be_visible()
    expect(part(page, "score")).to_have_text(
        "Every habit is in its top band; your strongest is Reciprocity and upkeep, 80. "
        "This one has the most room to grow: 75 out of 100 (Ready to move)."
    )
    expect(part(page, "text")).to_have_text(steps["readiness"]["step"])
    assert " ".join(tip.split()) == steps["readiness"]["step"]
    assert part(page, "choice").locator("option").all_text_contents() == [
        "Readiness: 75 (most room)",
        "Online presence: 75",
        "Professional community: 75",
        "Reciprocity and upkeep: 80",
        "Consistency: 80",
    ]
    assert "weak" not in page.locator(FOCUS).inner_text().lower()

    # The picker is there to choose another; choosing the suggestion again
    # follows the result.
    part(page, "choice").select_option("consistency")
    expect(page.get_by_role("heading", name="This week’s focus: Consistency")).to_be_visible()
    expect(part(page, "score")).to_have_text(
        "Your choice: 80 out of 100 (Weekly habit). Every habit is in its top band; "
        "Readiness has the most room to grow, 75."
    )
    expect(part(page, "text")).to_have_text(steps["consistency"]["step"])
    part(page, "choice").select_option("readiness")
    expect(part(page, "name")).to_have_text("Readiness")
    assert stored(page, PLAN)["focus"] is None
    assert [h["top"] for h in stored(page, PLAN)["habits"]] == [True] * 5
    assert_clean(page)


def test_a_habit_in_its_top_band_is_never_the_weakest(site, page):
    """With bands that differ between habits, the weakest is the lowest of
    those below their top band, not the lowest score (the plan says which
    habits are in their top band)."""
    plan = valid_plan()
    plan["habits"][0].update(score=72, band="Ready to move", top=True)
    plan["habits"][1].update(score=75, band="Getting there", top=False)
    go(page, site, WEEKLY)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [PLAN, json.dumps(plan)])
    page.reload()
    expect(part(page, "name")).to_have_text("Consistency")
    expect(part(page, "score")).to_have_text(
        "Your weakest habit: 75 out of 100 (Getting there). An hour here does the most good."
    )
    assert part(page, "choice").locator("option").all_text_contents() == [
        "Readiness: 72",
        "Consistency: 75 (weakest)",
    ]
    assert_clean(page)


ONE_RULE = """async (cases) => {
  const script = document.querySelector('script[src$="/assessment-focus.js"]').src;
  const { advise } = await import(new URL("widget-core.js", script));
  return cases.map(([habits, complete]) => {
    const { steps, strength } = advise(habits, complete);
    return { steps: steps.map((h) => h.id), strength: strength ? strength.id : null };
  });
}"""


def test_one_rule_for_the_step_card_and_the_focus(site, page):
    """advise (widget-core.js), the one copy both scripts use."""
    go(page, site, WEEKLY)
    h = lambda id, score, top: {"id": id, "score": score, "top": top}  # noqa: E731
    cases = [
        # below their top band come first, lowest first, the first of equals first
        [[h("a", 72, True), h("b", 75, False), h("c", 40, False), h("d", 40, False)], True],
        # every habit in its top band: all, lowest first; the best is the strength
        [[h("a", 90, True), h("b", 75, True), h("c", 90, True)], True],
        # partial answers: a top-band habit is never a step, and is a strength
        [[h("a", 90, True)], False],
        [[h("a", 60, False)], False],
        [[], False],
    ]
    assert page.evaluate(ONE_RULE, cases) == [
        {"steps": ["c", "d", "b"], "strength": "b"},
        {"steps": ["b", "a", "c"], "strength": "a"},
        {"steps": [], "strength": "a"},
        {"steps": ["a"], "strength": None},
        {"steps": [], "strength": None},
    ]


# -- results kept before the plan existed ---------------------------------------------


def seed(page, items: dict[str, object]) -> None:
    page.evaluate(
        "items => { for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v); }",
        {k: v if isinstance(v, str) else json.dumps(v) for k, v in items.items()},
    )


def old_records(page, site, latest_dims: dict | None = None) -> dict[str, object]:
    """Answers and a history as the assessment kept them before plans: two
    results, the latest (14 February 2026) the CYCLE answers' scores."""
    go(page, site, CHECK)
    digest = page.locator(REAL).get_attribute("data-definition-hash")
    cycle = case("networking-habits", CYCLE)
    dims = {k: v["score"] for k, v in cycle["expected"]["dimensions"].items()}
    return {
        f"assessment:networking-habits:{digest}": {"answers": cycle["answers"]},
        f"assessment-history:networking-habits:{digest}": [
            {"date": "2026-01-10", "overall": 50, "dims": dict.fromkeys(dims, 50)},
            {
                "date": "2026-02-14",
                "overall": cycle["expected"]["overall"]["score"],
                "dims": dims if latest_dims is None else latest_dims,
            },
        ],
    }


def test_results_kept_before_plans_existed_give_the_focus_without_a_new_answer(site, sized):
    """The weekly page alone cannot make the plan (the habits' names, bands
    and tips are on the assessment page, not in storage): the assessment
    page makes it from the last kept result when it loads."""
    page = sized
    records = old_records(page, site)
    seed(page, records)
    kept = {key: saved(page, key) for key in records}
    go(page, site, WEEKLY)
    expect(page.locator(FOCUS)).to_be_hidden()

    go(page, site, CHECK)
    wait_for_key(page, PLAN)
    assert {key: saved(page, key) for key in records} == kept, "answers and history untouched"
    go(page, site, WEEKLY)
    expect(page.get_by_role("heading", name="This week’s focus: Readiness")).to_be_visible()
    expect(part(page, "score")).to_have_text(
        "Your weakest habit: 25 out of 100 (Caught off guard). An hour here does the most good."
    )
    expect(part(page, "text")).to_contain_text("running list")
    # the plan is the kept result's, of its date, not of today
    expect(part(page, "date")).to_have_text("14 February 2026")
    assert_clean(page)


DAMAGED_LATEST = {
    "a habit missing": {"readiness": 25, "online-presence": 44},
    "a score as text": {
        "readiness": "25",
        "online-presence": 44,
        "professional-community": 63,
        "reciprocity-and-upkeep": 40,
        "consistency": 75,
    },
    "a score off the scale": {
        "readiness": 101,
        "online-presence": 44,
        "professional-community": 63,
        "reciprocity-and-upkeep": 40,
        "consistency": 75,
    },
    "a fractional score": {
        "readiness": 25.5,
        "online-presence": 44,
        "professional-community": 63,
        "reciprocity-and-upkeep": 40,
        "consistency": 75,
    },
}


@pytest.mark.parametrize("dims", list(DAMAGED_LATEST.values()), ids=list(DAMAGED_LATEST))
def test_a_damaged_kept_result_gives_no_plan(site, page, dims):
    seed(page, old_records(page, site, dims))
    go(page, site, CHECK)
    settle(page)
    assert saved(page, PLAN) is None
    go(page, site, WEEKLY)
    expect(page.locator(FOCUS)).to_be_hidden()
    assert_clean(page)


def test_a_plan_from_before_top_bands_is_renewed_keeping_the_choice(site, page):
    """A plan saved before plans said which habits are in their top band
    reads every habit as below it; the assessment page renews it from the
    same result, and the reader's choice stays."""
    complete(page, site, TOP)
    plan = stored(page, PLAN)
    for habit_ in plan["habits"]:
        del habit_["top"]
    plan["focus"] = "online-presence"
    seed(page, {PLAN: plan})
    go(page, site, WEEKLY)
    expect(part(page, "score")).to_have_text(
        "Your choice: 75 out of 100 (Visible and known). Your weakest habit is Readiness, 75."
    )
    go(page, site, CHECK)
    wait_for_key(page, PLAN, before=json.dumps(plan))
    assert stored(page, PLAN)["focus"] == "online-presence"
    go(page, site, WEEKLY)
    expect(part(page, "score")).to_have_text(
        "Your choice: 75 out of 100 (Visible and known). Every habit is in its top band; "
        "Readiness has the most room to grow, 75."
    )
    assert_clean(page)


def test_weekly_ticks_survive_a_reload_beside_the_focus(site, sized):
    page = sized
    complete(page, site)
    go(page, site, WEEKLY)
    boxes = page.locator("tip-checklist input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(2).check()
    expect(page.locator("tip-checklist .checklist-progress")).to_have_text("2 of 6 done this week")
    page.reload()
    go(page, site, WEEKLY)
    assert [boxes.nth(i).is_checked() for i in range(6)] == [
        True,
        False,
        True,
        False,
        False,
        False,
    ]
    expect(page.locator(FOCUS)).to_be_visible()
    assert_clean(page)


def test_a_result_from_another_tab_shows_at_once(site, page):
    go(page, site, WEEKLY)
    expect(page.locator(FOCUS)).to_be_hidden()
    other = page.context.new_page()
    complete(other, site)
    expect(page.locator(FOCUS)).to_be_visible()
    expect(part(page, "name")).to_have_text("Readiness")
    other.close()
    assert_clean(page)


def test_deleting_the_history_forgets_the_focus(site, page):
    complete(page, site)
    part_delete = page.locator(f"{REAL} .assessment-delete")
    part_delete.click()
    page.locator(f"{REAL} dialog[data-action=delete]").get_by_role(
        "button", name="Delete my history"
    ).click()
    wait_for_key(page, PLAN, present=False)
    go(page, site, WEEKLY)
    expect(page.locator(FOCUS)).to_be_hidden()
    assert_clean(page)


# -- nothing breaks, and without a plan the page reads as before ---------------------


def test_without_javascript_the_page_reads_as_before(site, browser, without_js):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{site.url}/{WEEKLY}/")
        expect(page.locator(FOCUS)).to_be_hidden()
        assert page.locator(FOCUS).bounding_box() is None
    finally:
        context.close()
    assert not any("focus" in block.lower() for block in without_js), without_js
    assert without_js[0].startswith("A network is easiest to use")
    assert without_js[2].startswith("Here is this week’s exercise.")


def test_with_javascript_and_no_result_the_page_reads_as_without(site, sized, without_js):
    go(sized, site, WEEKLY)
    assert sized.evaluate(READS) == without_js
    assert_clean(sized)


@pytest.mark.parametrize("script", [BLOCKED_STORAGE, FULL_STORAGE], ids=["blocked", "full"])
def test_broken_storage_breaks_neither_page(site, page, script, without_js):
    page.context.add_init_script(script)
    go(page, site, CHECK)
    answer(page, REAL, case("networking-habits", CYCLE)["answers"])
    expect(page.locator(f"{REAL} .assessment-result")).to_contain_text("All 21 answered.")
    go(page, site, WEEKLY)
    expect(page.locator(FOCUS)).to_be_hidden()
    assert page.evaluate(READS) == without_js
    page.locator("tip-checklist input[type=checkbox]").first.check()
    expect(page.locator("tip-checklist .checklist-progress")).to_have_text("1 of 6 done this week")
    assert_clean(page)


FILL_STORAGE = """() => {
  Storage.prototype.setItem = function () {
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  };
}"""


def test_storage_full_after_loading_keeps_the_choice_for_the_visit(site, page):
    complete(page, site)
    go(page, site, WEEKLY)
    expect(part(page, "name")).to_have_text("Readiness")
    page.evaluate(FILL_STORAGE)
    part(page, "choice").select_option("consistency")
    expect(part(page, "name")).to_have_text("Consistency")
    expect(part(page, "status")).to_have_text(
        "Focus: Consistency. Saving is off in this browser, so this choice lasts until "
        "you leave the page."
    )
    page.reload()
    expect(part(page, "name")).to_have_text("Readiness")
    assert_clean(page)


def valid_plan() -> dict:
    return {
        "version": 1,
        "assessment": "networking-habits",
        "title": "The networking habit check",
        "page": f"/{CHECK}/",
        "date": "2026-03-03",
        "focus": None,
        "habits": [
            {
                "id": "readiness",
                "name": "Readiness",
                "score": 25,
                "band": "Caught off guard",
                "step": "Start a running list of this month's wins.",
                "href": "/articles/keep-your-resume-ready/",
            },
            {
                "id": "consistency",
                "name": "Consistency",
                "score": 75,
                "band": "Weekly habit",
                "step": "Keep your streak going.",
                "href": f"/{WEEKLY}/",
            },
        ],
    }


def damaged(change) -> str:
    plan = valid_plan()
    change(plan)
    return json.dumps(plan)


def habit(field, value):
    return lambda plan: plan["habits"][0].__setitem__(field, value)


CORRUPT_PLANS = {
    **{f"stored {value!r}": value for value in CORRUPT_STORAGE},
    "a list": "[1, 2]",
    "another version": damaged(lambda p: p.__setitem__("version", 2)),
    "another assessment": damaged(lambda p: p.__setitem__("assessment", "hr-readiness")),
    "no habits": damaged(lambda p: p.__setitem__("habits", [])),
    "habits not a list": damaged(lambda p: p.__setitem__("habits", {"readiness": 1})),
    "a habit that is null": damaged(lambda p: p["habits"].append(None)),
    "the same habit twice": damaged(lambda p: p["habits"].append(copy.deepcopy(p["habits"][0]))),
    "a script link": damaged(habit("href", "javascript:alert(1)")),
    "a link to another host": damaged(habit("href", "https://evil.example/x")),
    "a protocol-relative link": damaged(habit("href", "//evil.example/x")),
    "a relative link": damaged(habit("href", "articles/x/")),
    "a backslash link": damaged(habit("href", "/\\evil.example/x")),
    "a score above 100": damaged(habit("score", 101)),
    "a score as text": damaged(habit("score", "25")),
    "a fractional score": damaged(habit("score", 25.5)),
    "a name that is a number": damaged(habit("name", 5)),
    "an empty name": damaged(habit("name", " ")),
    "an id with markup": damaged(habit("id", "<b>x</b>")),
    "a focus on no habit": damaged(lambda p: p.__setitem__("focus", "nope")),
    "a date that does not exist": damaged(lambda p: p.__setitem__("date", "2026-02-30")),
    "a script page": damaged(lambda p: p.__setitem__("page", "javascript:alert(1)")),
}


@pytest.mark.parametrize("value", list(CORRUPT_PLANS.values()), ids=list(CORRUPT_PLANS))
def test_a_damaged_plan_is_ignored(site, page, value, without_js):
    go(page, site, WEEKLY)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [PLAN, value])
    page.reload()
    go(page, site, WEEKLY)
    expect(page.locator(FOCUS)).to_be_hidden()
    assert page.evaluate(READS) == without_js
    assert_clean(page)


def test_the_valid_plan_of_these_tests_is_shown(site, page):
    """The damaged plans above are ignored for what was changed, not for
    what they share: the same plan, undamaged, shows."""
    go(page, site, WEEKLY)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [PLAN, json.dumps(valid_plan())])
    page.reload()
    expect(part(page, "name")).to_have_text("Readiness")
    assert page.get_by_role("link", name="Show me how").get_attribute("href") == (
        "/articles/keep-your-resume-ready/"
    )
    # the result's date in the site's DEFAULT_DATE_FORMAT ("%-d %B %Y")
    expect(part(page, "date")).to_have_text("3 March 2026")
    assert_clean(page)


def test_stored_text_is_shown_as_text(site, page):
    plan = valid_plan()
    plan["habits"][0]["name"] = '<img src=x onerror="window.owned=1">Readiness'
    plan["habits"][0]["step"] = "<b>Bold?</b> No."
    go(page, site, WEEKLY)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [PLAN, json.dumps(plan)])
    page.reload()
    expect(part(page, "name")).to_have_text('<img src=x onerror="window.owned=1">Readiness')
    expect(part(page, "text")).to_have_text("<b>Bold?</b> No.")
    assert page.locator(f"{FOCUS} img, {FOCUS} b").count() == 0
    assert page.evaluate("window.owned") is None
    assert_clean(page)


# -- the second assessment -------------------------------------------------------------


def answer_short_check(page, value: str) -> None:
    for fieldset in page.locator(f"{SHORT_WIDGET} fieldset.assessment-statement").all():
        fieldset.get_by_label(value, exact=True).check()


def saved_keys(page) -> list[str]:
    return sorted(page.evaluate("Object.keys(localStorage)"))


def test_two_assessments_keep_separate_answers_and_history(site, sized):
    page = sized
    go(page, site, SHORT)
    answer_short_check(page, "Mostly")
    expect(page.locator(f"{SHORT_WIDGET} .assessment-result")).to_contain_text("All 6 answered.")
    short_answers = checked(page, SHORT_WIDGET)
    assert len(short_answers) == 6
    wait_for_key(page, "assessment-plan:hr-readiness")
    short_keys = saved_keys(page)
    assert {k.split(":")[0] for k in short_keys} >= {"assessment", "assessment-history"}
    assert all(":hr-readiness" in k for k in short_keys), short_keys
    short_saved = {k: saved(page, k) for k in short_keys}

    # The long check starts empty, with no history, and the weekly page has no focus.
    go(page, site, CHECK)
    assert checked(page, REAL) == {}
    expect(page.locator(f"{REAL} .assessment-history")).to_be_hidden()
    go(page, site, WEEKLY)
    expect(page.locator(FOCUS)).to_be_hidden()

    # Completing the long check leaves the short one's saved data as it was.
    complete(page, site)
    long_keys = [k for k in saved_keys(page) if k not in short_keys]
    assert long_keys and all(":networking-habits" in k for k in long_keys), long_keys
    for key, value in short_saved.items():
        assert saved(page, key) == value, key
    go(page, site, SHORT)
    assert checked(page, SHORT_WIDGET) == short_answers
    expect(page.locator(f"{SHORT_WIDGET} .assessment-change")).to_contain_text("is kept")

    # And clearing the short check's answers leaves the long one's alone.
    long_saved = {k: saved(page, k) for k in long_keys}
    page.locator(f"{SHORT_WIDGET} .assessment-reset").click()
    page.locator(f"{SHORT_WIDGET} dialog[data-action=clear]").get_by_role(
        "button", name="Clear my answers"
    ).click()
    expect(page.locator(f"{SHORT_WIDGET} .assessment-progress-text")).to_have_text("0 of 6")
    go(page, site, CHECK)
    assert len(checked(page, REAL)) == 21
    for key, value in long_saved.items():
        assert saved(page, key) == value, key
    go(page, site, WEEKLY)
    expect(part(page, "name")).to_have_text("Readiness")
    assert_clean(page)


def test_the_short_check_tips_link_to_real_sections(site, page):
    go(page, site, SHORT)
    hrefs = page.eval_on_selector_all(
        f"{SHORT_WIDGET} .assessment-key a[href]", "links => links.map((a) => a.href)"
    )
    assert len(hrefs) >= 10
    for href in sorted(set(hrefs)):
        path = urlsplit(href)
        response = page.request.get(href)
        assert response.ok, href
        if path.fragment:
            assert f'id="{path.fragment}"' in response.text(), href


# -- axe -------------------------------------------------------------------------------


def test_axe_weekly_page_with_the_focus_shown(site, axe_page):
    page = axe_page
    page.set_viewport_size({"width": 390, "height": 844})
    complete(page, site)
    go(page, site, WEEKLY)
    part(page, "choice").select_option("online-presence")
    expect(part(page, "status")).not_to_be_empty()
    violations = run_axe(page)
    assert violations == [], f"{page.color_scheme}: {violations}"


@pytest.mark.parametrize("state", ["fresh", "complete"])
def test_axe_short_check(site, axe_page, state):
    page = axe_page
    go(page, site, SHORT)
    if state == "complete":
        answer_short_check(page, "A little")
        expect(page.locator(f"{SHORT_WIDGET} .assessment-overall")).not_to_be_empty()
    violations = run_axe(page)
    assert violations == [], f"{page.color_scheme}: {violations}"
