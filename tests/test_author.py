"""The author: AUTHOR_BIO (Markdown, checked like content), AUTHOR_PHOTO and
AUTHOR_CREDENTIALS on the author page, which bylines link to, and on About;
a JSON-LD Person with the author page's URL."""

from __future__ import annotations

import json
import shutil

import pytest
from sitecheck.pages import parse_page

from conftest import PUBLISH_SITEURL, SMALL_SITE, build_site

AUTHOR_PAGE = "author/career-exercise-editors/index.html"
# the smallest valid PNG: one transparent pixel
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5f0000000049454e44ae426082"
)


def profile(site, relative):
    page = parse_page(site.read(relative))
    sections = [s for s in page.find("section") if "author-profile" in s.attrs.get("class", "")]
    return page, sections


def json_ld(page):
    return [json.loads(s.text) for s in page.find("script", type="application/ld+json")]


def test_author_page_shows_the_bio_not_only_a_list(dev_site):
    page, (section,) = profile(dev_site, AUTHOR_PAGE)
    (h1,) = page.find("h1")
    assert " ".join(h1.text.split()) == "Career Exercise editors"
    assert "This is a placeholder bio" in section.text, "the demo bio says what it is"
    assert page.find("article"), "and the author's articles below it"


def test_about_shows_the_same_bio(dev_site):
    author_page, (on_author,) = profile(dev_site, AUTHOR_PAGE)
    about, (on_about,) = profile(dev_site, "about/index.html")
    bio = [p.text for p in author_page.find("p") if p.line >= on_author.line][:3]
    assert bio and all(text in on_about.text for text in bio)
    links = [a.attrs["href"] for a in about.find("a") if a.attrs.get("rel") == "author"]
    assert links == ["../author/career-exercise-editors/"]


def test_other_pages_show_no_bio(dev_site):
    for relative in ("start-here/index.html", "subscribe/index.html", "index.html"):
        assert profile(dev_site, relative)[1] == [], relative


def test_bylines_link_to_the_author_page(publish_site):
    for path in publish_site.output.glob("articles/*/index.html"):
        page = parse_page(path.read_text(encoding="utf-8"))
        bylines = [a.attrs["href"] for a in page.find("a") if a.attrs.get("rel") == "author"]
        assert bylines == [f"{PUBLISH_SITEURL}/author/career-exercise-editors/"], path


def test_json_ld_person_names_the_bio_url(publish_site):
    page, _ = profile(publish_site, AUTHOR_PAGE)
    (data,) = json_ld(page)
    url = f"{PUBLISH_SITEURL}/author/career-exercise-editors/"
    assert data["@type"] == "ProfilePage" and data["url"] == url
    person = data["mainEntity"]
    assert person == {
        "@type": "Person",
        "name": "Career Exercise editors",
        "url": url,
        "description": person["description"],
    }
    assert person["description"].startswith("This is a placeholder bio")
    article = next(publish_site.output.glob("articles/*/index.html"))
    (posting,) = json_ld(parse_page(article.read_text(encoding="utf-8")))
    assert [a["url"] for a in posting["author"]] == [url]


def test_photo_and_credentials(tmp_path):
    content = shutil.copytree(SMALL_SITE, tmp_path / "content")
    (content / "images").mkdir()
    (content / "images" / "me.png").write_bytes(PIXEL_PNG)
    site = build_site(
        tmp_path / "out",
        publish=True,
        PATH=str(content),
        AUTHOR_BIO="I coach *people* who are changing jobs & careers.",
        AUTHOR_PHOTO="images/me.png",
        AUTHOR_CREDENTIALS=["Certified coach & mentor", "Ten years in HR"],
    )
    page, (section,) = profile(site, AUTHOR_PAGE)
    assert "Ten years in HR" in section.text
    (img,) = page.find("img")
    assert img.attrs["src"] == f"{PUBLISH_SITEURL}/images/me.png"
    assert (img.attrs["width"], img.attrs["height"]) == ("96", "96")
    assert (site.output / "images" / "me.png").is_file()
    html = site.read(AUTHOR_PAGE)
    assert "<em>people</em>" in html and "jobs &amp; careers" in html
    assert "<li>Certified coach &amp; mentor</li>" in html
    (data,) = json_ld(page)
    person = data["mainEntity"]
    assert person["image"] == f"{PUBLISH_SITEURL}/images/me.png"
    assert [c["name"] for c in person["hasCredential"]] == [
        "Certified coach & mentor",
        "Ten years in HR",
    ]
    assert person["description"] == "I coach people who are changing jobs & careers."


def test_a_bio_that_starts_like_metadata_is_kept(tmp_path):
    site = build_site(tmp_path / "out", PATH=str(SMALL_SITE), AUTHOR_BIO="Note: I write here.")
    assert "Note: I write here." in site.read(AUTHOR_PAGE)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"AUTHOR_BIO": "Hi <script>alert(1)</script>"}, "AUTHOR_BIO: <script> element"),
        ({"AUTHOR_BIO": "[me](javascript:alert(1))"}, "AUTHOR_BIO: <a href='javascript:"),
        ({"AUTHOR_BIO": '<p onclick="x()">hi</p>'}, "AUTHOR_BIO: "),
        ({"AUTHOR_CREDENTIALS": ["<img src=x onerror=alert(1)>"]}, "AUTHOR_CREDENTIALS: "),
        ({"AUTHOR_CREDENTIALS": "Coach"}, "AUTHOR_CREDENTIALS: must be a list"),
        ({"AUTHOR_PHOTO": "images/missing.jpg"}, "AUTHOR_PHOTO: "),
        ({"AUTHOR_PHOTO": "https://cdn.example.net/me.jpg"}, "AUTHOR_PHOTO: "),
    ],
)
def test_unsafe_author_settings_stop_the_build(tmp_path, settings, expected):
    with pytest.raises(Exception) as raised:
        build_site(tmp_path / "out", PATH=str(SMALL_SITE), **settings)
    problems = raised.value.build.problems()
    assert any(p.startswith(expected) and "Fix: " in p for p in problems), problems
    assert not (tmp_path / "out" / "index.html").exists()
