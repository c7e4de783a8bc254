"""The walk a new reader takes, on a phone and on a desktop: from the home
page to the self-assessment, a result, a tip's article, and its checklist."""

from __future__ import annotations

import pytest

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("device", VIEWPORTS)
def test_home_to_assessment_to_tip_to_checklist(device, browser, dev_server):
    context = browser.new_context(viewport=VIEWPORTS[device])
    errors: list[str] = []
    outside: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(dev_server.url)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(dev_server.url + "/")
        page.locator("main .home-features a", has_text="networking habits").click()
        page.wait_for_url("**/networking-habits-assessment/")

        statements = page.locator(".assessment-statement")
        count = statements.count()
        assert count >= 15
        for index in range(count):
            # "Sometimes" everywhere, "Never" for the first few: a mixed result
            answer = "Never" if index < 4 else "Sometimes"
            statements.nth(index).get_by_label(answer, exact=True).check()
        status = page.locator(".assessment-result")  # for screen readers
        assert f"All {count} answered" in status.text_content()

        step = page.locator(".assessment-step")
        assert step.is_visible(), "the reader sees one step for this week"
        tip = step.locator("a.assessment-button[href*='/articles/']")
        tip_text = tip.inner_text()
        tip.click()
        page.wait_for_load_state("load")
        assert "/articles/" in page.url, tip_text

        checklist = page.locator("tip-checklist").first
        checklist.scroll_into_view_if_needed()
        first_box = checklist.locator("input[type=checkbox]").first
        first_box.check()
        total = checklist.locator("input[type=checkbox]").count()
        progress = checklist.locator(".checklist-progress")
        assert progress.inner_text().strip().startswith(f"1 of {total}")

        page.reload()
        assert page.locator("tip-checklist input[type=checkbox]").first.is_checked()
        assert errors == []
        assert outside == []
    finally:
        context.close()
