"""Search (plugins/search_index, theme/templates/search.html,
theme/static/js/search.js): the index a build writes, and the page a reader
uses, on a phone and on a desktop, with and without JavaScript."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from search_index.index import decode_numbers
from search_index.terms import STOPWORDS, words
from sitecheck.pages import parse_page

from conftest import build_site, run_axe, serve, write_content

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

# Three articles that hold "mentor" in a different field each (the one with
# it in its body is the newest, the one with it in its title the oldest),
# and what must never be found: a draft, a hidden page, a draft page and an
# article dated in the future.
SEARCH_SITE = {
    "articles/body.md": """
        Title: Keeping in touch
        Date: 2026-03-01
        Category: Habits
        Tags: contacts
        Summary: Small notes to people you know.

        A short note now and then. Ask your mentor how the quarter went.
        """,
    "articles/heading.md": """
        Title: A year of small steps
        Date: 2026-02-01
        Category: Habits
        Tags: planning

        Plans for the year.

        ## Find a mentor

        Someone a few steps ahead of you.
        """,
    "articles/title.md": """
        Title: Why a Mentor Helps
        Date: 2026-01-01
        Category: Stories
        Tags: contacts, planning
        Summary: Someone who has walked the road sees the potholes.

        They have made the mistakes already.
        """,
    "articles/risky.md": """
        Title: Offer < ask & give > 0
        Date: 2025-12-01
        Category: Stories
        Summary: Give when 2 < 3 & 5 > 4 </p> and “quotes” stay quotes.

        Giving first works.
        """,
    "articles/draft.md": """
        Title: Mentor draft
        Date: 2026-01-02
        Status: draft

        A draft about a mentor, not published.
        """,
    "articles/future.md": """
        Title: Mentor from the future
        Date: 2099-01-01
        Category: Habits

        Not published until 2099.
        """,
    "pages/colophon.md": """
        Title: Colophon

        Built by a mentor and a few friends.
        """,
    "pages/hidden.md": """
        Title: Hidden mentor page
        Status: hidden

        Not listed.
        """,
    "pages/draft-page.md": """
        Title: Mentor draft page
        Status: draft

        Not published.
        """,
}
# Enough older articles with one word to need "Show more".
FILLERS = 21
for number in range(FILLERS):
    SEARCH_SITE[f"articles/filler-{number:02d}.md"] = f"""
        Title: Weekly note {number}
        Date: 2024-01-{number + 1:02d}
        Category: Notes

        A filler article.
        """
NEVER_FOUND = ["Mentor draft", "Mentor from the future", "Hidden mentor page", "Mentor draft page"]


@pytest.fixture(scope="module")
def search_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("search")
    content = write_content(root / "content", SEARCH_SITE)
    return build_site(root / "output", PATH=str(content), WITH_FUTURE_DATES=False)


@pytest.fixture(scope="module")
def search_server(search_site):
    yield from serve(search_site.output)


def index_of(site) -> dict:
    return json.loads((site.output / "search-index.json").read_text(encoding="utf-8"))


def postings(index: dict, word: str) -> dict[int, int]:
    """{document number: field bits} of a word."""
    found, previous = {}, -1
    for number in decode_numbers(index["postings"][index["words"].index(word)]):
        previous += number >> 4
        found[previous] = number & 15
    return found


# -- the index --------------------------------------------------------------


def test_index_holds_every_published_article_and_page_and_nothing_else(search_site):
    index = index_of(search_site)
    titles = [doc[1] for doc in index["docs"]]
    assert titles == [
        "Keeping in touch",
        "A year of small steps",
        "Why a Mentor Helps",
        "Offer < ask & give > 0",
        *(f"Weekly note {n}" for n in reversed(range(FILLERS))),
        "Colophon",
    ], "newest article first, then the pages"
    for title in NEVER_FOUND:
        assert title not in titles
    for url, *_ in index["docs"]:
        assert (search_site.output / url / "index.html").is_file(), url
    assert "2099" not in json.dumps(index)
    assert "draft" not in index["words"] and "hidden" not in index["words"]


def test_index_knows_which_field_a_word_is_in(search_site):
    index = index_of(search_site)
    body, heading, title = range(3)
    colophon = 4 + FILLERS
    mentor = postings(index, "mentor")
    assert mentor[title] & 8, "in the title"
    assert mentor[heading] & 4, "in a heading"
    assert mentor[body] == 1, "only in the body"
    assert mentor[colophon] == 1 | 2, "no Summary: Pelican's summary is the first words"
    assert postings(index, "potholes") == {title: 2}, "in the summary only"


def test_index_is_plain_json_data(search_site):
    index = index_of(search_site)
    for url, title, summary, about in index["docs"]:
        assert not urlsplit(url).scheme and not url.startswith("/"), url
        assert all(isinstance(v, str) for v in (title, summary, about))
    risky = index["docs"][3]
    # author text is kept as text: the page puts it in text nodes
    assert risky[1] == "Offer < ask & give > 0"
    assert risky[2] == "Give when 2 < 3 & 5 > 4 and “quotes” stay quotes."
    assert risky[3] == "Stories · 1 December 2025"


def test_the_search_page_lists_topics_tags_and_archive(search_site):
    html = search_site.read("search/index.html")
    page = parse_page(html)
    hrefs = {a.attrs.get("href") for a in page.find("a")}
    for expected in (
        "../category/habits/",
        "../category/stories/",
        "../tag/contacts/",
        "../tag/planning/",
        "../archives/2026/",
        "../archives/2025/",
        "../archives/",
    ):
        assert expected in hrefs, expected
    (form,) = page.find("form")
    assert form.attrs["role"] == "search" and form.attrs["method"] == "get"
    assert form.attrs["action"] == "../search/"
    assert re.search(r'<label class="search-label" for="search-q">', html)
    assert '<input type="search" id="search-q" name="q"' in html
    assert 'aria-live="polite"' in html
    assert '<script type="module" src="../theme/js/search.js"></script>' in html


def test_only_the_search_page_loads_the_search_script(search_site):
    for path in search_site.html_files():
        text = path.read_text(encoding="utf-8")
        loads = "js/search.js" in text or "search-index.json" in text
        assert loads == (path.relative_to(search_site.output).as_posix() == "search/index.html")


def test_a_warm_build_reads_no_body_again(tmp_path, monkeypatch):
    import search_index

    content = write_content(tmp_path / "content", SEARCH_SITE)
    cache = tmp_path / "cache"
    first = build_site(tmp_path / "one", PATH=str(content), CACHE_PATH=str(cache))
    calls = []
    real = search_index.text_of
    monkeypatch.setattr(search_index, "text_of", lambda html: calls.append(html) or real(html))
    second = build_site(tmp_path / "two", PATH=str(content), CACHE_PATH=str(cache))
    assert calls == []
    one = (first.output / "search-index.json").read_bytes()
    assert one == (second.output / "search-index.json").read_bytes()
    (content / "articles" / "body.md").write_text(
        (content / "articles" / "body.md").read_text() + "\nA new word: zeppelin.\n"
    )
    third = build_site(tmp_path / "three", PATH=str(content), CACHE_PATH=str(cache))
    assert len(calls) == 1, "only the changed body is read"
    assert "zeppelin" in index_of(third)["words"]


def test_a_warm_build_reuses_the_index_and_a_change_builds_it_again(tmp_path, monkeypatch):
    import search_index

    content = write_content(tmp_path / "content", SEARCH_SITE)
    cache = tmp_path / "cache"
    first = build_site(tmp_path / "one", PATH=str(content), CACHE_PATH=str(cache))
    builds = []
    real = search_index.build
    monkeypatch.setattr(search_index, "build", lambda docs: builds.append(docs) or real(docs))
    second = build_site(tmp_path / "two", PATH=str(content), CACHE_PATH=str(cache))
    assert builds == []
    assert (first.output / "search-index.json").read_bytes() == (
        second.output / "search-index.json"
    ).read_bytes()
    body = content / "articles" / "body.md"
    body.write_text(body.read_text().replace("Title: ", "Title: Zeppelin ", 1))
    third = build_site(tmp_path / "three", PATH=str(content), CACHE_PATH=str(cache))
    assert len(builds) == 1
    assert "zeppelin" in index_of(third)["words"]


def spy_on_jobs(monkeypatch) -> list:
    """(job, worker pool or None) of each build's search_index job, as started."""
    import search_index

    jobs = []
    real = search_index.start

    def spy(job, settings):
        result, pool = real(job, settings)
        jobs.append((job, pool))
        return result, pool

    monkeypatch.setattr(search_index, "start", spy)
    return jobs


def test_a_worker_reading_many_bodies_writes_the_same_index(tmp_path, monkeypatch):
    """A cold build of more than WORKER_MIN_BODIES bodies reads them in a
    forked worker while the pages are written: same index as reading here."""
    import search_index
    from bench import generate

    # (a small site with a small threshold: the same code path, in a tenth of the time)
    monkeypatch.setattr(search_index, "WORKER_MIN_BODIES", 6)
    content = generate.generate(tmp_path / "content", search_index.WORKER_MIN_BODIES + 2)
    here = build_site(
        tmp_path / "here",
        PATH=str(content),
        SEARCH_INDEX_WORKER=False,
        CACHE_PATH=str(tmp_path / "c1"),
    )
    jobs = spy_on_jobs(monkeypatch)
    worker = build_site(tmp_path / "worker", PATH=str(content), CACHE_PATH=str(tmp_path / "c2"))
    pools = [pool for _, pool in jobs]
    assert len(pools) == 1 and pools[0] is not None, "read in a worker"
    index = (here.output / "search-index.json").read_bytes()
    assert index == (worker.output / "search-index.json").read_bytes()
    assert len(json.loads(index)["docs"]) == search_index.WORKER_MIN_BODIES + 4
    assert search_index._PENDING == {}, "nothing left waiting"


def test_one_changed_body_of_many_is_read_and_indexed_in_the_worker(tmp_path, monkeypatch):
    """On a large site a changed body means a new index: the worker reads the
    one body and builds it, with the same result as building here."""
    import search_index
    from bench import generate

    # (a small site with a small threshold: the same code path, in a tenth of the time)
    monkeypatch.setattr(search_index, "WORKER_MIN_BODIES", 6)
    content = generate.generate(tmp_path / "content", search_index.WORKER_MIN_BODIES + 2)
    cache = tmp_path / "cache"
    build_site(tmp_path / "cold", PATH=str(content), CACHE_PATH=str(cache))
    jobs = spy_on_jobs(monkeypatch)
    warm = build_site(tmp_path / "warm", PATH=str(content), CACHE_PATH=str(cache))
    [(job, pool)] = jobs
    assert job.bodies == [] and not job.build_index and pool is None, "nothing to do"
    article = sorted((content / "articles").glob("*.md"))[3]
    article.write_text(article.read_text() + "\nA new word: zeppelin.\n")
    jobs.clear()
    touched = build_site(tmp_path / "touched", PATH=str(content), CACHE_PATH=str(cache))
    [(job, pool)] = jobs
    assert len(job.bodies) == 1 and job.build_index and pool is not None, "in the worker"
    here = build_site(
        tmp_path / "here",
        PATH=str(content),
        CACHE_PATH=str(tmp_path / "c2"),
        SEARCH_INDEX_WORKER=False,
    )
    index = (touched.output / "search-index.json").read_bytes()
    assert index == (here.output / "search-index.json").read_bytes()
    assert index != (warm.output / "search-index.json").read_bytes()
    assert "zeppelin" in json.loads(index)["words"]
    assert search_index._PENDING == {}, "nothing left waiting"


def test_the_real_site_index_has_every_article_and_page(dev_site, publish_site):
    for site in (dev_site, publish_site):
        index = index_of(site)
        urls = {doc[0] for doc in index["docs"]}
        articles = {
            p.parent.relative_to(site.output).as_posix() + "/"
            for p in site.output.glob("articles/*/index.html")
        }
        assert articles and articles <= urls
        pages = {f"{slug}/" for slug in ("about", "start-here", "weekly-career-exercise")}
        assert pages <= urls
        assert "search/" not in urls
    html = publish_site.read("search/index.html")
    assert 'action="https://coach.example.org/site/search/"' in html
    assert 'data-search-index="https://coach.example.org/site/search-index.json"' in html


# -- in the browser -----------------------------------------------------------


def open_search(page, server, query: str = ""):
    page.goto(server.url + "/search/" + (f"?q={query}" if query else ""))
    page.wait_for_load_state("networkidle")


def result_titles(page) -> list[str]:
    return page.locator(".search-result-title").all_inner_texts()


@pytest.mark.parametrize("device", VIEWPORTS)
def test_typing_a_word_finds_title_matches_first(device, page, search_server):
    page.set_viewport_size(VIEWPORTS[device])
    open_search(page, search_server)
    field = page.get_by_label("Search articles and pages")
    field.click()
    field.press_sequentially("ment")
    page.wait_for_function("() => document.querySelectorAll('.search-result').length === 4")
    assert result_titles(page) == [
        "Why a Mentor Helps",
        "A year of small steps",
        "Colophon",  # in its summary (its first words) and body
        "Keeping in touch",  # only in its body
    ]
    assert page.locator(".search-result-title mark").all_inner_texts() == ["Mentor"]
    status = page.locator("#search-status")
    assert status.get_attribute("aria-live") == "polite"
    page.wait_for_function(
        "() => document.querySelector('#search-status').textContent.startsWith('4 results')"
    )
    assert status.inner_text() == "4 results for “ment”."
    assert page.url.endswith("/search/?q=ment"), "the query is kept in the URL"
    link = page.locator(".search-result-title").first
    assert link.get_attribute("href").endswith("/articles/why-a-mentor-helps/")
    box = link.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[device]["width"]
    assert page.watch.console_errors == [] and page.watch.page_errors == []
    assert page.watch.outside_requests() == []


def test_more_words_narrow_and_a_typo_still_finds(page, search_server):
    open_search(page, search_server, "mentor%20potholes")
    page.wait_for_function("() => document.querySelectorAll('.search-result').length === 1")
    assert result_titles(page) == ["Why a Mentor Helps"]
    assert page.locator(".search-result-summary mark").all_inner_texts() == ["potholes"]
    field = page.locator("#search-q")
    field.fill("pothloes")  # two letters swapped
    page.wait_for_function("() => document.querySelector('.search-result-title')?.textContent")
    assert result_titles(page) == ["Why a Mentor Helps"]
    field.fill("zzzz")
    page.wait_for_function(
        "() => document.querySelector('#search-status').textContent.startsWith('No results')"
    )
    assert page.locator(".search-result").count() == 0
    assert page.locator("#search-results").is_hidden()


def test_show_more_adds_results_and_moves_focus_to_them(page, search_server):
    open_search(page, search_server, "filler")
    page.wait_for_selector(".search-result")
    assert page.locator(".search-result").count() == 20
    more = page.get_by_role("button", name="Show 1 more (20 of 21 shown)")
    more.focus()
    page.keyboard.press("Enter")
    assert page.locator(".search-result").count() == 21
    assert page.evaluate("() => document.activeElement.textContent") == "Weekly note 0"
    assert more.is_hidden()
    page.locator("#search-q").fill("weekly")
    assert page.locator(".search-result").count() == 20, "a new query starts again at 20"


def test_a_shared_link_shows_its_results_on_load(page, search_server):
    open_search(page, search_server, "colophon")
    page.wait_for_function("() => document.querySelector('#search-status').textContent !== ''")
    assert page.locator("#search-q").input_value() == "colophon"
    assert result_titles(page) == ["Colophon"]
    assert page.locator("#search-status").inner_text() == "1 result for “colophon”."


def test_a_missing_index_is_said_and_browsing_still_works(page, search_server):
    page.route("**/search-index.json", lambda route: route.fulfill(status=404, body="gone"))
    open_search(page, search_server, "mentor")
    page.wait_for_function("() => document.querySelector('.search').dataset.state === 'failed'")
    status = page.locator("#search-status")
    assert "could not be loaded" in status.inner_text()
    page.locator("#search-q").fill("mentors")
    assert "could not be loaded" in status.inner_text(), "typing does not hide it"
    assert page.locator(".search-browse a").count() > 5
    assert page.watch.page_errors == []


def test_author_text_is_shown_as_text(page, search_server):
    open_search(page, search_server, "offer")
    page.wait_for_selector(".search-result")
    item = page.locator(".search-result").first
    assert item.locator(".search-result-title").inner_text() == "Offer < ask & give > 0"
    assert "Give when 2 < 3 & 5 > 4 and “quotes” stay quotes." in item.inner_text()
    elements = page.evaluate(
        "[...document.querySelectorAll('.search-result *')].map(e => e.localName)"
    )
    assert set(elements) <= {"a", "p", "mark"}
    assert page.watch.page_errors == []


def test_keyboard_only(page, search_server):
    page.set_viewport_size(VIEWPORTS["phone"])
    open_search(page, search_server)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "search-q":
            break
    else:
        pytest.fail("Tab never reached the search field")
    page.keyboard.type("mentor")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#search-status').textContent.startsWith('4 results')"
    )
    assert page.evaluate("document.activeElement.id") == "search-q", "Enter keeps focus"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Search"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Why a Mentor Helps"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused result shows its focus"
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/why-a-mentor-helps/")
    assert page.watch.console_errors == []


def test_without_javascript_the_page_lists_topics_tags_and_archive(browser, search_server):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    try:
        page = context.new_page()
        page.goto(search_server.url + "/search/")
        assert "needs JavaScript" in page.locator("#search-status").inner_text()
        browse = page.locator(".search-browse")
        for name in ("Habits", "Stories", "contacts", "planning", "2026", "2025"):
            assert browse.get_by_role("link", name=name, exact=True).count() == 1, name
        # the form is a real GET form to this page
        page.locator("#search-q").fill("mentor")
        page.locator("#search-q").press("Enter")
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == "/search/" and urlsplit(page.url).query == "q=mentor"
    finally:
        context.close()


def test_the_script_reads_words_and_the_index_as_the_build_does(page, search_server):
    open_search(page, search_server)
    sample = "Résumé tips: the LinkedIn’s NAÏVE e-mail, 10x a I ﬁne İstanbul Straße_x CV's"
    module = "/theme/js/search.js"
    in_browser = page.evaluate(f"text => import('{module}').then(m => m.words(text))", sample)
    assert in_browser == words(sample)
    stopwords = page.evaluate(f"() => import('{module}').then(m => [...m.STOPWORDS])")
    assert set(stopwords) == STOPWORDS
    index = index_of_server(search_server)
    decoded = page.evaluate(
        f"""data => import('{module}').then(m => {{
            const index = new m.SearchIndex(data);
            return data.words.map((_, at) => index.posting(at));
        }})""",
        index,
    )
    for at, word in enumerate(index["words"]):
        expected = [x for doc, bits in postings(index, word).items() for x in (doc, bits)]
        assert decoded[at] == expected, word


def index_of_server(server) -> dict:
    return json.loads((Path(server.root) / "search-index.json").read_text(encoding="utf-8"))


def test_the_search_page_of_the_real_site_passes_axe(axe_page, dev_server):
    axe_page.goto(dev_server.url + "/search/?q=coffee")
    axe_page.wait_for_selector(".search-result mark")
    axe_page.wait_for_function("() => document.querySelector('#search-status').textContent !== ''")
    assert run_axe(axe_page) == []
