"""plugins/article_nav on small fixture sites and on the real site: the table
of contents, series and related reading, as a reader finds them."""

from __future__ import annotations

import json
import subprocess
import sys

import html5lib
import pytest

from conftest import REPO, build_site, run_axe, write_content


def parse(text: str):
    return html5lib.parse(text, namespaceHTMLElements=False)


def find_class(tree, class_name: str, tag: str = "*"):
    return [el for el in tree.iter(tag) if class_name in (el.get("class") or "").split()]


def text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def entry_content(site, slug: str):
    tree = parse(site.read(f"articles/{slug}/index.html"))
    return tree, find_class(tree, "entry-content", "div")[0]


def toc_links(tree, container: str = "toc-open"):
    tocs = find_class(tree, "toc", "nav")
    if not tocs:
        return None
    box = find_class(tocs[0], container)[0]
    return [(a.get("href"), text(a)) for a in box.iter("a")]


def section_headings(content):
    """(id, text) of the body's h2 elements: the TOC's own heading left out."""
    return [
        (h.get("id"), text(h))
        for h in content.iter("h2")
        if "toc-heading" not in (h.get("class") or "")
    ]


ARTICLE = """\
Title: {title}
Date: {date}
Category: {category}
Tags: {tags}
Summary: Summary of {title}.
{extra}
{body}
"""


def article(title, date="2026-01-01", category="Habits", tags="t", extra="", body="Body."):
    return ARTICLE.format(
        title=title, date=date, category=category, tags=tags, extra=extra, body=body
    )


# --- Table of contents ---------------------------------------------------

INTRO = "An introduction paragraph.\n\nA second one.\n\n"

TOC_CONTENT = {
    "three.md": article(
        "Three sections",
        body=INTRO
        + "## One\n\nx\n\n## Two\n\nx\n\n## Three\n\nx\n\n"
        # a raw HTML heading is not a `##` section
        + '<section><h2 id="raw">Raw</h2></section>\n\n### A subsection\n\nx\n',
    ),
    "four.md": article(
        "Four sections",
        date="2026-01-02",
        body=INTRO
        + '## Why "ready" & &lt;tags&gt; <b>*matter*</b>\n\nx\n\n### Not listed\n\nx\n\n'
        + "## Step 2: `code` -- dashes\n\nx\n\n## Three\n\nx\n\n## Four\n\nx\n",
    ),
    "no-intro.md": article(
        "No introduction",
        date="2026-01-03",
        body="## A\n\nx\n\n## B\n\nx\n\n## C\n\nx\n\n## D\n\nx\n",
    ),
}


@pytest.fixture(scope="module")
def toc_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("toc")
    content = write_content(root / "content", TOC_CONTENT)
    return build_site(root / "output", PATH=str(content))


def test_three_sections_get_no_table_of_contents(toc_site):
    tree, content = entry_content(toc_site, "three-sections")
    assert toc_links(tree) is None
    assert [h for h, _ in section_headings(content)] == ["one", "two", "three", "raw"]


def test_four_sections_get_a_table_of_contents_that_links_each_heading(toc_site):
    tree, content = entry_content(toc_site, "four-sections")
    headings = section_headings(content)
    assert len(headings) == 4
    expected = [(f"#{heading_id}", label) for heading_id, label in headings]
    assert toc_links(tree) == expected
    # the folded copy for phones links the same headings
    assert toc_links(tree, "toc-fold") == expected
    # typographic quotes and dashes as in the heading, markup only as text
    assert expected[0][1] == "Why “ready” & <tags> matter"
    assert expected[1][1] == "Step 2: code — dashes"
    assert "### Not listed" not in str(expected) and len(expected) == 4


def test_table_of_contents_text_is_escaped(toc_site):
    page = toc_site.read("articles/four-sections/index.html")
    toc = page.split('<nav class="toc"')[1].split("</nav>")[0]
    assert "&amp; &lt;tags&gt; matter</a>" in toc
    assert "<b>" not in toc and "<em>" not in toc


def test_table_of_contents_comes_after_the_introduction(toc_site):
    _, content = entry_content(toc_site, "four-sections")
    children = list(content)
    tags = [(child.tag, child.get("class")) for child in children[:4]]
    assert tags == [("p", None), ("p", None), ("nav", "toc"), ("h2", None)]
    # and first when there is no introduction
    _, content = entry_content(toc_site, "no-introduction")
    assert [(c.tag, c.get("class")) for c in list(content)[:2]] == [("nav", "toc"), ("h2", None)]


def test_table_of_contents_is_not_in_the_feed_or_the_summary(tmp_path):
    content = write_content(tmp_path / "content", TOC_CONTENT)
    # (not a publish build: that would load pelican-sitemap into this process
    # early, and a later test's build that stops half-way would leave it
    # waiting for that build, so the session's publish build had no sitemap)
    site = build_site(tmp_path / "output", PATH=str(content), FEED_ALL_ATOM="feeds/all.atom.xml")
    feed = site.read("feeds/all.atom.xml")
    assert "An introduction paragraph" in feed and "Four sections" in feed
    assert "On this page" not in feed
    assert "On this page" not in site.read("index.html")


def test_table_of_contents_survives_a_warm_build(tmp_path):
    content = write_content(tmp_path / "content", TOC_CONTENT)
    cold = build_site(tmp_path / "output", PATH=str(content))
    cold_links = toc_links(parse(cold.read("articles/four-sections/index.html")))
    warm = build_site(tmp_path / "output", PATH=str(content))
    stats = json.loads((tmp_path / "output-cache" / "buildcache" / "last-build.json").read_text())
    assert stats["read"] == 0 and stats["from_cache"] == len(TOC_CONTENT), stats
    warm_page = warm.read("articles/four-sections/index.html")
    assert toc_links(parse(warm_page)) == cold_links and len(cold_links) == 4
    assert toc_links(parse(warm.read("articles/three-sections/index.html"))) is None


# 11 words as Jinja's wordcount counts them (Don, t, stop, ask, the, CEO, s,
# plan, 3, 5, times), with what typogrify turns into entities and spans
WORDY = "Don't stop -- ask... the CEO's \"plan\" 3.5 times.\n\n" * 30


def reading(site, slug):
    page = site.read(f"articles/{slug}/index.html")
    ld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    minutes = page.split('<span class="reading-time">')[1].split("<")[0]
    return ld["wordCount"], minutes


def test_reading_time_is_counted_when_the_file_is_read(tmp_path):
    """The word count is taken once, when the file is read, and kept in the
    build cache; the theme counts the body itself only without the plugin.
    All three give the same figures."""
    from pelican import signals

    content = write_content(tmp_path / "content", {"wordy.md": article("Wordy", body=WORDY)})
    counted = []

    def keep(generator):
        counted.extend(getattr(a, "word_count", None) for a in generator.articles)

    signals.article_generator_finalized.connect(keep)
    try:
        cold = build_site(tmp_path / "output", PATH=str(content))
        warm = build_site(tmp_path / "output", PATH=str(content))
    finally:
        signals.article_generator_finalized.disconnect(keep)
    assert counted == [330, 330], "from the read, and from the cache"
    stats = json.loads((tmp_path / "output-cache" / "buildcache" / "last-build.json").read_text())
    assert stats["read"] == 0
    assert reading(cold, "wordy") == reading(warm, "wordy") == (330, "2 min read")
    from pelican.settings import read_settings

    plugins = [
        p for p in read_settings(str(REPO / "pelicanconf.py"))["PLUGINS"] if p != "article_nav"
    ]
    alone = build_site(tmp_path / "alone", PATH=str(content), PLUGINS=plugins)
    assert reading(alone, "wordy") == (330, "2 min read")


def test_the_section_count_is_a_setting(tmp_path):
    content = write_content(tmp_path / "content", TOC_CONTENT)
    site = build_site(tmp_path / "output", PATH=str(content), ARTICLE_TOC_MIN_SECTIONS=3)
    links = toc_links(parse(site.read("articles/three-sections/index.html")))
    assert [href for href, _ in links] == ["#one", "#two", "#three"]


# --- Series ----------------------------------------------------------------

SERIES = "Series: Good habits\n"
SERIES_CONTENT = {
    # files named out of order: the index decides
    "c-plan.md": article(
        "The plan", date="2026-02-05", extra=SERIES + "Series_index: 3\n", tags="plan"
    ),
    "a-first.md": article(
        "First habit", date="2026-02-01", extra=SERIES + "Series_index: 1\nSeries_label: Habit\n"
    ),
    "b-second.md": article(
        "Second habit",
        date="2026-02-03",
        extra=SERIES + "Series_index: 2\nSeries_label: Habit\n",
    ),
    "d-draft.md": article(
        "Unfinished habit",
        date="2026-02-06",
        extra=SERIES + "Series_index: 4\nSeries_label: Habit\nStatus: draft\n",
    ),
    "e-scheduled.md": article(
        "Scheduled habit",
        date="2099-01-01",
        extra=SERIES + "Series_index: 5\nSeries_label: Habit\n",
    ),
    "z-alone.md": article("Not in a series", date="2026-02-07"),
}


@pytest.fixture(scope="module")
def series_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("series")
    content = write_content(root / "content", SERIES_CONTENT)
    return build_site(root / "output", PATH=str(content), WITH_FUTURE_DATES=False)


def series_view(site, slug):
    tree = parse(site.read(f"articles/{slug}/index.html"))
    position = find_class(tree, "post-series-position")
    navs = find_class(tree, "series-nav", "nav")
    if not navs:
        return None
    nav = navs[0]
    items = [
        (text(find_class(li, "series-item-label")[0]), text(li.find(".//a")))
        for li in find_class(nav, "series-list")[0].findall("li")
    ]
    current = [text(a) for a in nav.iter("a") if a.get("aria-current") == "page"]
    steps = {
        kind: text(find_class(nav, f"series-{kind}")[0])
        for kind in ("previous", "next")
        if find_class(nav, f"series-{kind}")
    }
    return {
        "position": text(position[0]),
        "heading": text(nav.find(".//h2")),
        "items": items,
        "current": current,
        "steps": steps,
    }


def test_series_order_labels_and_overview(series_site):
    view = series_view(series_site, "second-habit")
    assert view["position"] == "Habit 2 of 2"
    assert view["heading"] == "Series Good habits"
    assert view["items"] == [
        ("Habit 1", "First habit"),
        ("Habit 2", "Second habit"),
        ("Part 3", "The plan"),
    ]
    assert view["current"] == ["Second habit"]
    assert view["steps"] == {
        "previous": "Previous: Habit 1 First habit",
        "next": "Next: Part 3 The plan",
    }


def test_first_and_last_of_a_series_link_one_way(series_site):
    first = series_view(series_site, "first-habit")
    assert first["position"] == "Habit 1 of 2"
    assert first["steps"] == {"next": "Next: Habit 2 Second habit"}
    assert first["current"] == ["First habit"]
    last = series_view(series_site, "the-plan")
    assert last["position"] == "Part 3 of 3"
    assert last["steps"] == {"previous": "Previous: Habit 2 Second habit"}


def test_drafts_and_scheduled_articles_stay_out_of_the_series(series_site):
    for slug in ("first-habit", "second-habit", "the-plan"):
        page = series_site.read(f"articles/{slug}/index.html")
        assert "Unfinished habit" not in page and "Scheduled habit" not in page
    assert series_view(series_site, "not-in-a-series") is None


def test_series_place_is_linked_from_under_the_title(series_site):
    tree = parse(series_site.read("articles/second-habit/index.html"))
    line = find_class(tree, "post-series", "p")[0]
    assert line.find("a").get("href") == "#series-heading"
    assert tree.find(".//*[@id='series-heading']") is not None


def test_bad_series_metadata_stops_the_build_naming_file_and_line(tmp_path):
    """As an author sees it in `make html` (tools/sitebuild.py). In a process
    of its own: a build that stops half-way leaves pelican-sitemap waiting
    for it, and later builds in the same process would write no sitemap."""
    files = {
        "x.md": article("X", extra=SERIES + "Series_index: two\n"),
        "y.md": article("Y", extra=SERIES + "Series_index: 1\n"),
        "z.md": article("Z", extra=SERIES + "Series_index: 1\n"),
        "orphan.md": article("Orphan", extra="Series_label: Habit\n"),
    }
    write_content(tmp_path / "content", files)
    run = subprocess.run(
        [
            sys.executable,
            str(REPO / "tools" / "sitebuild.py"),
            "--settings",
            str(REPO / "pelicanconf.py"),
            "--output",
            "output",
            "--content",
            "content",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1, run.stderr
    for message in (
        "content/x.md:7: Series_index: 'two' is not a whole number from 1. Fix:",
        "content/z.md:7: Series_index: 1 is also the index of content/y.md in the "
        "series 'Good habits'. Fix:",
        "content/orphan.md:6: Series_label is set but Series is not. Fix:",
    ):
        assert message in run.stderr
    assert not (tmp_path / "output" / "index.html").exists()


# --- Related reading ------------------------------------------------------

RELATED_CONTENT = {
    "a.md": article("Alpha", date="2026-03-01", tags="x, y, z"),
    "b.md": article("Bravo", date="2026-03-02", tags="x, y, z"),
    "c.md": article("Charlie", date="2026-03-03", tags="x"),
    "d.md": article("Delta", date="2026-03-04", tags="y, z"),
    "e.md": article("Echo", date="2026-03-05", tags="w", category="Stories"),
    "f.md": article("Foxtrot", date="2026-03-06", tags="v", category="Stories"),
    "g.md": article("Golf", date="2026-03-07", tags="u", category="Other"),
}


@pytest.fixture(scope="module")
def related_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("related")
    content = write_content(root / "content", RELATED_CONTENT)
    return build_site(root / "output", PATH=str(content))


def related_titles(site, slug):
    tree = parse(site.read(f"articles/{slug}/index.html"))
    sections = find_class(tree, "related", "section")
    if not sections:
        return None
    return [text(a) for a in find_class(sections[0], "related-title", "a")]


def test_related_reading_ranks_by_shared_tags(related_site):
    # Bravo shares three tags, Delta two, Charlie one
    assert related_titles(related_site, "alpha") == ["Bravo", "Delta", "Charlie"]
    # Delta shares two tags with Alpha and with Bravo, Charlie one
    assert related_titles(related_site, "bravo") == ["Alpha", "Delta", "Charlie"]


def test_related_reading_never_lists_the_article_itself(related_site):
    for path in RELATED_CONTENT:
        title = article_title = RELATED_CONTENT[path].split("\n")[0].removeprefix("Title: ")
        titles = related_titles(related_site, title.lower())
        assert article_title not in titles and len(titles) == 3 == len(set(titles))


def test_related_reading_falls_back_to_the_category_then_the_newest(related_site):
    # Echo shares no tag: Foxtrot is of its category, then the newest articles
    assert related_titles(related_site, "echo") == ["Foxtrot", "Golf", "Delta"]
    # Charlie shares x with Alpha and Bravo: the newer first, then Delta (same category)
    assert related_titles(related_site, "charlie") == ["Bravo", "Alpha", "Delta"]


def test_related_reading_prefers_articles_outside_the_own_series(tmp_path):
    files = {
        "a.md": article("Alpha", date="2026-03-01", tags="x", extra=SERIES),
        "b.md": article("Bravo", date="2026-03-02", tags="x", extra=SERIES),
        "c.md": article("Charlie", date="2026-03-03", tags="x", category="Stories"),
        "d.md": article("Delta", date="2026-03-04", tags="q"),
    }
    content = write_content(tmp_path / "content", files)
    site = build_site(tmp_path / "output", PATH=str(content))
    # all share one tag with Alpha: Charlie (not in the series) before Bravo
    assert related_titles(site, "alpha") == ["Charlie", "Bravo", "Delta"]


def test_related_reading_count_is_a_setting(tmp_path):
    content = write_content(tmp_path / "content", RELATED_CONTENT)
    site = build_site(tmp_path / "output", PATH=str(content), RELATED_READING_COUNT=0)
    assert related_titles(site, "alpha") is None
    with pytest.raises(ValueError, match="RELATED_READING_COUNT"):
        build_site(tmp_path / "output2", PATH=str(content), RELATED_READING_COUNT="3")


# --- The real site --------------------------------------------------------

HABITS = [
    "keep-your-resume-ready",
    "know-what-you-want",
    "linkedin-all-star-profile",
    "association-meetings-without-a-hire-me-sign",
    "answer-the-call-take-the-coffee",
]
PLAN = "one-hour-a-week-career-exercise"


def real_articles(site):
    return sorted(p.parent.name for p in (site.output / "articles").glob("*/index.html"))


def test_real_articles_with_four_or_more_sections_have_a_table_of_contents(dev_site):
    slugs = real_articles(dev_site)
    assert len(slugs) >= 7
    for slug in slugs:
        tree, content = entry_content(dev_site, slug)
        headings = section_headings(content)
        links = toc_links(tree)
        if len(headings) >= 4:
            assert links == [(f"#{i}", label) for i, label in headings], slug
        else:
            assert links is None, slug


def test_real_habits_and_plan_are_one_series(dev_site):
    for number, slug in enumerate(HABITS, 1):
        view = series_view(dev_site, slug)
        assert view["position"] == f"Habit {number} of 5", slug
        assert [label for label, _ in view["items"]] == [
            "Habit 1",
            "Habit 2",
            "Habit 3",
            "Habit 4",
            "Habit 5",
            "Part 6",
        ]
        assert len(view["current"]) == 1
    plan = series_view(dev_site, PLAN)
    assert plan["position"] == "Part 6 of 6"
    assert plan["steps"] == {
        "previous": "Previous: Habit 5 Answer the Call, Take the Coffee",
    }
    assert series_view(dev_site, "julio-kept-his-network-warm") is None


def test_real_articles_end_with_three_related_articles(dev_site):
    for slug in real_articles(dev_site):
        tree = parse(dev_site.read(f"articles/{slug}/index.html"))
        own = text(find_class(tree, "post-title", "h1")[0])
        titles = related_titles(dev_site, slug)
        assert len(titles) == 3 == len(set(titles)) and own not in titles, slug


@pytest.mark.parametrize("width", [390, 1280])
def test_series_article_with_toc_reads_well_in_a_browser(dev_server, axe_page, width):
    axe_page.set_viewport_size({"width": width, "height": 900})
    axe_page.goto(f"{dev_server.url}/articles/linkedin-all-star-profile/")
    fold = axe_page.locator(".toc-fold")
    listed = axe_page.locator(".toc-open")
    if width == 390:
        # folded on a phone: one row between the introduction and the first section
        assert fold.is_visible() and not listed.is_visible()
        assert axe_page.locator(".toc").bounding_box()["height"] < 80
        fold.locator("summary").click()
        links = fold.locator("a")
    else:
        assert listed.is_visible() and not fold.is_visible()
        links = listed.locator("a")
    assert links.count() == 8
    links.nth(3).click()
    assert axe_page.url.endswith("#step-3-engage-so-people-know-who-you-are")
    # (the page scrolls smoothly: wait until the heading is at the top)
    axe_page.wait_for_function(
        "id => Math.abs(document.getElementById(id).getBoundingClientRect().top) < 200",
        arg="step-3-engage-so-people-know-who-you-are",
    )
    violations = run_axe(axe_page)
    assert violations == [], f"{axe_page.color_scheme} at {width}px: {violations}"
