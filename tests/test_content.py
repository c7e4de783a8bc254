"""The writing keeps its promises: every article has its metadata, every habit
article ends with a checklist, every internal link and #fragment resolves, and
readers can find their way from the home page and the start-here page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from linkcheck import links_from
from sitecheck import Site, links

from conftest import REPO

ARTICLES = REPO / "content" / "articles"
PAGES = REPO / "content" / "pages"
ARTICLE_SOURCES = sorted(ARTICLES.glob("*.md"))
ASSESSMENT = PAGES / "networking-habits-assessment.md"
WEEKLY = PAGES / "weekly-career-exercise.md"
START_HERE = PAGES / "start-here.md"
STORY = ARTICLES / "julio-story.md"

META_LINE = re.compile(r"^(?P<key>[A-Za-z0-9_-]+):[ \t]*(?P<value>.*)$")
META_CONTINUATION = re.compile(r"^ {4,}(?P<value>\S.*)$")
CHECKLIST_OPENER = re.compile(r"^:::[ \t]*checklist\b", re.IGNORECASE | re.MULTILINE)
CHECKLIST_CLOSER = re.compile(r"^:::[ \t]*$", re.MULTILINE)
CHECKLIST_ITEM = re.compile(r"^- \[ \] \S", re.MULTILINE)
MAIN = re.compile(r"<main\b.*?</main>", re.DOTALL | re.IGNORECASE)
TIME = re.compile(
    r"<time\b[^>]*\bdatetime=\"(?P<datetime>[^\"]+)\"[^>]*>(?P<text>.*?)</time>",
    re.DOTALL | re.IGNORECASE,
)


def metadata(path: Path) -> dict[str, str]:
    """A Markdown file's Pelican header, the way Python-Markdown's meta
    extension reads it: `Key: value` lines up to the first blank line, with
    indented continuation lines. Keys are lowercased."""
    if not path.is_file():
        pytest.fail(f"{path.relative_to(REPO)} does not exist")
    meta: dict[str, str] = {}
    key = None
    for line in path.read_text(encoding="utf-8").lstrip("\ufeff").splitlines():
        if not line.strip():
            break
        if match := META_LINE.match(line):
            key = match["key"].lower()
            meta[key] = match["value"].strip()
        elif key and (match := META_CONTINUATION.match(line)):
            meta[key] += " " + match["value"].strip()
        else:
            break
    return meta


def body(path: Path) -> str:
    """A Markdown file without its metadata header."""
    return path.read_text(encoding="utf-8").split("\n\n", 1)[1]


def tags(meta: dict[str, str]) -> list[str]:
    return [tag.strip() for tag in meta.get("tags", "").split(",") if tag.strip()]


def slug_of(path: Path, settings: dict) -> str:
    from pelican.utils import slugify

    meta = metadata(path)
    return meta.get("slug") or slugify(
        meta["title"], regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    )


def built_article(path: Path, settings: dict) -> str:
    from pelican.utils import get_date

    date = get_date(metadata(path)["date"])
    return settings["ARTICLE_SAVE_AS"].format(slug=slug_of(path, settings), date=date)


def built_page(path: Path, settings: dict) -> str:
    return settings["PAGE_SAVE_AS"].format(slug=slug_of(path, settings))


def habit_articles() -> list[Path]:
    return [p for p in ARTICLE_SOURCES if metadata(p).get("category", "").lower() == "habits"]


def plugin_enabled(settings: dict, name: str) -> bool:
    """Whether PLUGINS names the plugin, as a string or as a module."""
    for plugin in settings.get("PLUGINS") or []:
        plugin_name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        if plugin_name.rsplit(".", 1)[-1] == name:
            return True
    return False


def shown_times(html: str) -> list[tuple[str, str]]:
    """(datetime attribute, visible text) of every <time> element."""
    return [
        (m["datetime"], " ".join(re.sub(r"<[^>]+>", " ", m["text"]).split()))
        for m in TIME.finditer(html)
    ]


def main_links(site, relative: str) -> set[str]:
    """The built files that links inside a page's <main> lead to (the header
    menu is left out: it lists every page on every page)."""
    html = site.read(relative)
    match = MAIN.search(html)
    assert match, f"{relative}: no <main>"
    return links_from(site.output, relative, match.group(), site.settings["SITEURL"])


# Source checks ---------------------------------------------------------------


def test_there_are_articles_and_habit_articles():
    assert STORY in ARTICLE_SOURCES
    assert len(habit_articles()) >= 5, "one article per habit, plus the weekly plan"


@pytest.mark.parametrize("path", ARTICLE_SOURCES, ids=lambda p: p.name)
def test_every_article_has_category_tags_summary_and_date(path):
    from pelican.utils import get_date

    meta = metadata(path)
    assert meta.get("title"), f"{path.name}: Title"
    assert meta.get("category"), f"{path.name}: Category"
    assert tags(meta), f"{path.name}: at least one tag in Tags"
    assert meta.get("summary"), f"{path.name}: Summary"
    assert meta.get("date"), f"{path.name}: Date"
    get_date(meta["date"])  # raises ValueError when Pelican could not read it


@pytest.mark.parametrize("path", habit_articles(), ids=lambda p: p.name)
def test_every_habit_article_ends_with_a_checklist(path):
    text = body(path)
    opener = CHECKLIST_OPENER.search(text)
    assert opener, f"{path.name}: no '::: checklist' block"
    rest = text[opener.end() :]
    closer = CHECKLIST_CLOSER.search(rest)
    assert closer, f"{path.name}: the checklist is not closed with ':::'"
    assert CHECKLIST_ITEM.search(rest[: closer.start()]), f"{path.name}: checklist has no items"
    assert not rest[closer.end() :].strip(), f"{path.name}: the checklist is not the last thing"
    assert "\n## Your checklist\n" in text[: opener.start()], f"{path.name}: heading"


@pytest.mark.parametrize("path", habit_articles(), ids=lambda p: p.name)
def test_habit_articles_use_h2_and_below(path):
    headings = re.findall(r"^(#+) ", body(path), re.MULTILINE)
    assert headings and "#" not in headings, f"{path.name}: the theme writes the only h1"


# Built-site checks -------------------------------------------------------------


def test_every_article_page_shows_its_date(dev_site):
    from pelican.utils import get_date

    for path in ARTICLE_SOURCES:
        relative = built_article(path, dev_site.settings)
        assert (dev_site.output / relative).is_file(), f"{path.name} was not built as {relative}"
        date = get_date(metadata(path)["date"])
        shown = [
            text
            for datetime, text in shown_times(dev_site.read(relative))
            if datetime.startswith(date.strftime("%Y-%m-%dT%H:%M")) and str(date.year) in text
        ]
        assert shown, f"{relative}: no visible <time> for {date}"
    built = sorted(dev_site.output.glob("articles/*/index.html"))
    assert len(built) == len(ARTICLE_SOURCES)
    for page in built:
        assert any(text for _, text in shown_times(page.read_text(encoding="utf-8"))), page


def test_habit_articles_render_their_checklist(dev_site):
    # Conditional ONLY on the settings: the checklist plugin is being written
    # in parallel, and until "checklist" is in PLUGINS the block stays plain
    # Markdown (the source test above still applies). Once it is enabled,
    # every habit page must carry the rendered widget.
    if not plugin_enabled(dev_site.settings, "checklist"):
        pytest.skip("the checklist plugin is not in PLUGINS yet")
    for path in habit_articles():
        relative = built_article(path, dev_site.settings)
        html = dev_site.read(relative)
        assert "<tip-checklist" in html, f"{relative}: checklist not rendered"
        assert "::: checklist" not in html, f"{relative}: checklist source left in the page"


@pytest.mark.parametrize("which", ["dev_site", "publish_site"])
def test_every_internal_link_and_fragment_resolves(which, request):
    site = request.getfixturevalue(which)
    result = links.check(Site(site.output, site.settings))
    assert [p.format("links") for p in result.problems] == []
    leftovers = [p.name for p in site.html_files() if "{filename}" in p.read_text("utf-8")]
    assert leftovers == [], "unresolved {filename} placeholders"


def test_habit_articles_link_to_the_self_assessment(dev_site):
    assessment = built_page(ASSESSMENT, dev_site.settings)
    for path in habit_articles():
        relative = built_article(path, dev_site.settings)
        assert assessment in main_links(dev_site, relative), f"{relative}: no assessment link"


def test_weekly_plan_links_to_the_weekly_exercise_page(dev_site):
    (plan,) = [p for p in habit_articles() if "career exercise" in tags(metadata(p))]
    relative = built_article(plan, dev_site.settings)
    assert built_page(WEEKLY, dev_site.settings) in main_links(dev_site, relative)


def test_start_here_leads_to_every_habit_the_story_and_the_tools(dev_site):
    settings = dev_site.settings
    links = main_links(dev_site, built_page(START_HERE, settings))
    wanted = {
        built_page(ASSESSMENT, settings),
        built_page(WEEKLY, settings),
        built_article(STORY, settings),
        *(built_article(path, settings) for path in habit_articles()),
    }
    assert wanted - links == set()


def test_home_page_links_to_the_assessment_and_start_here(dev_site):
    # In the page itself, not only in the header menu: a reader landing on the
    # home page should see both ways in.
    links = main_links(dev_site, "index.html")
    wanted = {built_page(ASSESSMENT, dev_site.settings), built_page(START_HERE, dev_site.settings)}
    assert wanted - links == set()
