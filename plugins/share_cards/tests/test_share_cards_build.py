"""Share cards and icons in real builds: a distinct card per article with the
meta tags a sharing site reads (absolute URLs), an article's own image from
its metadata (and the error when it is missing), the cache (a warm build
draws nothing, a changed title redraws one card), icons and the manifest on
every page, nothing in local builds that pages would not use, and settings
errors that say what to fix."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pytest
from PIL import Image
from sitecheck.pages import parse_page

from conftest import PUBLISH_SITEURL, build_site, write_content

ARTICLE = """\
Title: {title}
Date: 2026-03-0{day} 09:00
Category: {category}
{extra}
Body of {title}.
"""


def article(title: str, day: int, category: str = "Habits", extra: str = "") -> str:
    return ARTICLE.format(title=title, day=day, category=category, extra=extra)


def small_content(root: Path, **extra_files: str) -> Path:
    content = write_content(
        root,
        {
            "articles/coffee.md": article(
                "Answer the call, take the coffee", 1, extra="Slug: coffee"
            ),
            "articles/resume.md": article("Résumé – ça marche", 2, "Resumes"),
            "articles/julio.md": article("Julio’s story", 3, "Stories"),
            "articles/give.md": article("Give & take: offer < ask > 0", 5, extra="Slug: give"),
            "pages/about.md": "Title: About\n\nAbout us.\n",
            **extra_files,
        },
    )
    return content


def photo(content: Path, relative: str = "images/photo.png", size=(800, 420)) -> Path:
    path = content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, "#9a3412").save(path)
    return path


def head(built, relative: str):
    return parse_page(built.read(relative))


def card_file(built, url: str) -> Path:
    assert url.startswith(PUBLISH_SITEURL + "/"), url
    return built.output / url[len(PUBLISH_SITEURL) + 1 :]


def last_build(built) -> dict:
    cache = Path(built.settings["CACHE_PATH"]) / "share_cards" / "last-build.json"
    return json.loads(cache.read_text(encoding="utf-8"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- the real site --------------------------------------------------------------


def article_pages(built) -> list[str]:
    return sorted(
        str(p.relative_to(built.output)) for p in (built.output / "articles").glob("*/index.html")
    )


def test_every_article_of_the_real_site_has_its_own_card(publish_site):
    pages = article_pages(publish_site)
    assert len(pages) >= 5
    seen = {}
    for relative in pages:
        page = head(publish_site, relative)
        url = page.meta("og:image")
        assert page.meta("twitter:image") == url
        assert page.meta("twitter:card") == "summary_large_image"
        assert page.meta("og:image:width") == "1200"
        assert page.meta("og:image:height") == "630"
        assert page.meta("og:image:type") == "image/png"
        title = page.meta("og:title")
        assert title in page.meta("og:image:alt")
        path = card_file(publish_site, url)
        with Image.open(path) as card:
            assert (card.format, card.size) == ("PNG", (1200, 630))
        seen.setdefault(digest(path), []).append(relative)
    assert all(len(v) == 1 for v in seen.values()), f"pages share a card: {seen}"


def test_json_ld_names_the_card_and_a_png_logo(publish_site):
    relative = article_pages(publish_site)[0]
    page = head(publish_site, relative)
    scripts = [e for e in page.elements if e.tag == "script"]
    ld = json.loads(next(e.text for e in scripts if e.attrs.get("type") == "application/ld+json"))
    assert ld["image"]["url"] == page.meta("og:image")
    assert (ld["image"]["width"], ld["image"]["height"]) == (1200, 630)
    logo = ld["publisher"]["logo"]
    assert logo["url"].startswith(PUBLISH_SITEURL + "/")
    with Image.open(card_file(publish_site, logo["url"])) as picture:
        assert (picture.format, picture.size) == ("PNG", (logo["width"], logo["height"]))


def test_home_listings_and_pages_have_cards_too(publish_site):
    home = head(publish_site, "index.html").meta("og:image")
    assert home == f"{PUBLISH_SITEURL}/images/cards/site.png"
    assert head(publish_site, "archives/index.html").meta("og:image") == home
    assessment = head(publish_site, "networking-habits-assessment/index.html")
    assert assessment.meta("og:image") == (
        f"{PUBLISH_SITEURL}/images/cards/networking-habits-assessment.png"
    )
    assert card_file(publish_site, home).is_file()
    assert digest(card_file(publish_site, home)) != digest(
        card_file(publish_site, assessment.meta("og:image"))
    )


def test_no_page_loads_a_card(publish_site):
    """Cards are for sharing sites: only meta tags name them, so the page
    weights (tools/bench/pages.py) do not change."""
    for path in publish_site.html_files():
        for element in parse_page(path.read_text(encoding="utf-8")).elements:
            if element.tag == "meta":
                continue
            for name, value in element.attrs.items():
                assert "/images/cards/" not in (value or ""), (path, element.tag, name)


def test_every_page_links_the_icons_and_the_manifest(publish_site):
    for path in publish_site.html_files():
        page = parse_page(path.read_text(encoding="utf-8"))
        links = {(e.attrs.get("rel"), e.attrs.get("href")) for e in page.find("link")}
        for rel, name in [
            ("icon", "favicon-32.png"),
            ("apple-touch-icon", "apple-touch-icon.png"),
            ("manifest", "site.webmanifest"),
        ]:
            assert (rel, f"{PUBLISH_SITEURL}/{name}") in links, (path, rel)


def test_the_manifest_is_relative_safe_and_its_icons_exist(publish_site):
    manifest = json.loads((publish_site.output / "site.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Career Exercise"
    assert manifest["short_name"]
    assert manifest["start_url"] == "./" and manifest["scope"] == "./"
    assert manifest["theme_color"] == "#0b57a4"
    assert manifest["background_color"] == "#fbfaf7"
    for icon in manifest["icons"]:
        width, height = map(int, icon["sizes"].split("x"))
        with Image.open(publish_site.output / icon["src"]) as picture:
            assert (picture.format, picture.size) == ("PNG", (width, height))
    with Image.open(publish_site.output / "apple-touch-icon.png") as picture:
        assert picture.size == (180, 180)
        assert picture.mode == "RGB"  # iOS shows transparency as black
    with Image.open(publish_site.output / "favicon-32.png") as picture:
        assert picture.size == (32, 32)


def test_a_local_build_links_icons_but_draws_no_cards(dev_site):
    page = head(dev_site, "index.html")
    assert page.meta("og:image") is None
    assert page.meta("twitter:card") == "summary"
    assert not (dev_site.output / "images" / "cards").exists()
    assert (dev_site.output / "favicon-32.png").is_file()
    rels = {e.attrs.get("rel") for e in page.find("link")}
    assert {"icon", "apple-touch-icon", "manifest"} <= rels


# -- the cache ------------------------------------------------------------------


def test_a_warm_build_draws_no_card_and_a_new_title_redraws_one(tmp_path):
    content = small_content(tmp_path / "content")
    output = tmp_path / "output"
    first = build_site(output, publish=True, PATH=str(content))
    stats = last_build(first)
    assert stats["drawn"] == stats["cards"] == 6  # four articles, a page, the site
    before = {p.name: digest(p) for p in (output / "images" / "cards").rglob("*.png")}

    second = build_site(output, publish=True, PATH=str(content))
    assert last_build(second) == {**last_build(second), "drawn": 0, "from_cache": 6}
    again = {p.name: digest(p) for p in (output / "images" / "cards").rglob("*.png")}
    assert again == before

    source = content / "articles" / "coffee.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("take the coffee", "take the tea"),
        encoding="utf-8",
    )
    third = build_site(output, publish=True, PATH=str(content))
    assert last_build(third)["drawn"] == 1
    after = {p.name: digest(p) for p in (output / "images" / "cards").rglob("*.png")}
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"coffee.png"}


def test_cached_cards_unused_for_30_days_are_removed(tmp_path):
    """The cache keeps the day each picture was last used (used.json): a
    card of an old title goes once it has been unused for more than
    SHARE_CARDS_CACHE_DAYS days; a local build, which draws no cards, does
    not empty what `make publish` filled."""
    from datetime import date, timedelta

    content = small_content(tmp_path / "content")
    output = tmp_path / "output"
    cache = tmp_path / "cache"
    build_site(output, publish=True, PATH=str(content), CACHE_PATH=str(cache))
    cards = cache / "share_cards"
    record = json.loads((cards / "used.json").read_text())
    in_use = set(record)
    assert len([n for n in in_use if not n.startswith("icon-")]) == 6
    assert set(record.values()) == {date.today().isoformat()}
    # a card of an old title, one used lately, and one the record lacks
    long_ago = (date.today() - timedelta(days=31)).isoformat()
    lately = (date.today() - timedelta(days=30)).isoformat()
    for name in ("old.png", "lately.png", "unknown.png"):
        (cards / name).write_bytes(b"png")
    (cards / "used.json").write_text(
        json.dumps({**record, "old.png": long_ago, "lately.png": lately}), encoding="utf-8"
    )
    built = build_site(output, publish=True, PATH=str(content), CACHE_PATH=str(cache))
    assert last_build(built)["pruned"] == 1
    assert not (cards / "old.png").exists()
    assert (cards / "lately.png").exists() and (cards / "unknown.png").exists()
    record = json.loads((cards / "used.json").read_text())
    assert record["lately.png"] == lately
    assert record["unknown.png"] == date.today().isoformat(), "its clock starts now"
    assert "old.png" not in record
    # a local build uses only the icons: the cards stay, with their days
    build_site(tmp_path / "local", PATH=str(content), CACHE_PATH=str(cache))
    assert all((cards / name).exists() for name in in_use)
    # 0 days: gone the day after the last use
    (cards / "used.json").write_text(
        json.dumps({**record, "lately.png": (date.today() - timedelta(days=1)).isoformat()}),
        encoding="utf-8",
    )
    build_site(
        output, publish=True, PATH=str(content), CACHE_PATH=str(cache), SHARE_CARDS_CACHE_DAYS=0
    )
    assert not (cards / "lately.png").exists()
    assert all((cards / name).exists() for name in in_use)


def test_a_card_reads_the_title_as_the_page_title_does(tmp_path):
    content = small_content(tmp_path / "content")
    built = build_site(tmp_path / "output", publish=True, PATH=str(content))
    page = head(built, "articles/give/index.html")
    assert page.title().startswith("Give & take: offer < ask > 0 ·")
    assert page.meta("og:image:alt") == "Habits: Give & take: offer < ask > 0 · Career Exercise"


# -- an article's own image -----------------------------------------------------


def test_an_article_may_name_its_own_image(tmp_path):
    content = small_content(
        tmp_path / "content",
        **{
            "articles/own.md": article(
                "With a photo",
                4,
                extra="Image: {static}/images/photo.png\nImage_alt: A coffee cup on a desk",
            )
        },
    )
    photo(content, size=(800, 420))
    built = build_site(tmp_path / "output", publish=True, PATH=str(content))
    assert built.problems(logging.ERROR) == []
    page = head(built, "articles/with-a-photo/index.html")
    assert page.meta("og:image") == f"{PUBLISH_SITEURL}/images/photo.png"
    assert page.meta("twitter:image") == f"{PUBLISH_SITEURL}/images/photo.png"
    assert (page.meta("og:image:width"), page.meta("og:image:height")) == ("800", "420")
    assert page.meta("og:image:alt") == "A coffee cup on a desk"
    assert page.meta("twitter:card") == "summary_large_image"
    assert not (built.output / "images" / "cards" / "articles" / "with-a-photo.png").exists()
    assert last_build(built)["cards"] == 6


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("{static}/images/missing.png", ["no such file", "images/missing.png"]),
        ("notes/photo.png", ["not published", "STATIC_PATHS"]),
        ("https://elsewhere.example/photo.png", ["is a URL", "{static}/images/"]),
        ("{static}/images/notes.txt", ["not a picture"]),
    ],
)
def test_a_wrong_image_is_an_error_naming_the_file_and_line(tmp_path, value, words):
    content = small_content(
        tmp_path / "content",
        **{"articles/own.md": article("With a photo", 4, extra=f"Image: {value}")},
    )
    photo(content, "articles/notes/photo.png")
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "notes.txt").write_text("not a picture", encoding="utf-8")
    built = build_site(tmp_path / "output", publish=True, PATH=str(content))
    errors = built.problems(logging.ERROR)
    assert len(errors) == 1, errors
    assert errors[0].split(": Image:")[0].endswith("articles/own.md:4"), errors[0]
    for word in words:
        assert word in errors[0], errors[0]
    assert "Fix:" in errors[0]
    # the page still gets a card meanwhile
    page = head(built, "articles/with-a-photo/index.html")
    assert page.meta("og:image") == f"{PUBLISH_SITEURL}/images/cards/articles/with-a-photo.png"


# -- settings -------------------------------------------------------------------


def test_wrong_settings_are_errors_that_say_what_to_fix(tmp_path):
    content = small_content(tmp_path / "content")
    built = build_site(
        tmp_path / "output",
        publish=True,
        PATH=str(content),
        SHARE_CARDS_DIR="../outside",
        SHARE_CARD_FONT="fonts/missing.ttf",
        SHARE_CARD_COLORS={"background": "not-a-colour", "border": "#000000"},
        SHARE_CARDS="yes",
        SHARE_CARDS_CACHE_DAYS=-1,
    )
    errors = "\n".join(built.problems(logging.ERROR))
    assert "SHARE_CARDS_DIR = '../outside': not a folder inside the output" in errors
    assert "SHARE_CARD_FONT = 'fonts/missing.ttf': not a font" in errors
    assert "SHARE_CARD_COLORS = {'background': 'not-a-colour'}: not a colour" in errors
    assert "'border' is not a colour of the card" in errors
    assert "SHARE_CARDS = 'yes': not True or False" in errors
    assert "SHARE_CARDS_CACHE_DAYS = -1: not a whole number of days" in errors
    # the defaults stand in, so the build still has its cards
    page = head(built, "index.html")
    assert page.meta("og:image") == f"{PUBLISH_SITEURL}/images/cards/site.png"


def test_share_cards_false_leaves_the_cards_out(tmp_path):
    content = small_content(tmp_path / "content")
    built = build_site(tmp_path / "output", publish=True, PATH=str(content), SHARE_CARDS=False)
    page = head(built, "articles/julios-story/index.html")
    assert page.meta("og:image") is None
    assert page.meta("twitter:card") == "summary"
    assert not (built.output / "images" / "cards").exists()
    assert (built.output / "site.webmanifest").is_file()


def test_one_pelican_run_twice_writes_the_cards_both_times(tmp_path, monkeypatch):
    """Pelican's autoreload (and the dev server) runs one instance again and
    again: each run gets its cards and icons, from the cache after the first."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from conftest import REPO

    content = small_content(tmp_path / "content")
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("SITEURL", PUBLISH_SITEURL)
    output = tmp_path / "output"
    settings = read_settings(
        str(REPO / "publishconf.py"),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(tmp_path / "cache"),
        },
    )
    pelican = Pelican(settings)
    figures = []
    for _ in range(2):
        pelican.run()
        stats = json.loads((tmp_path / "cache" / "share_cards" / "last-build.json").read_text())
        figures.append((stats["cards"], stats["drawn"]))
        assert (output / "images" / "cards" / "site.png").is_file()
        assert (output / "icon-512.png").is_file()
    assert figures == [(6, 6), (6, 0)]


def test_cards_drawn_by_a_worker_are_the_cards_drawn_here(tmp_path, monkeypatch):
    """Many cards are drawn in a forked worker while the pages are written:
    the same files as drawn in the build's own process."""
    from share_cards import plugin

    content = small_content(tmp_path / "content")
    alone = build_site(tmp_path / "alone" / "output", publish=True, PATH=str(content))
    monkeypatch.setattr(plugin, "PARALLEL_MIN_CARDS", 2)
    monkeypatch.setattr(plugin, "CHUNK", 2)
    forked = build_site(tmp_path / "forked" / "output", publish=True, PATH=str(content))
    assert last_build(forked)["drawn"] == 6
    cards = sorted(p.relative_to(alone.output) for p in alone.output.rglob("images/cards/**/*.png"))
    assert len(cards) == 6
    for card in cards:
        assert digest(forked.output / card) == digest(alone.output / card), card
