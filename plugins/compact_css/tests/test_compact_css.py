"""The theme's CSS is published compacted, and means the same to a browser."""

from __future__ import annotations

import gzip

import pytest

from conftest import REPO, build_site

SOURCE = REPO / "theme" / "static" / "css" / "site.css"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("compact") / "out")


def test_published_stylesheet_has_no_comments_and_is_smaller(built):
    published = (built.output / "theme" / "css" / "site.css").read_bytes()
    source = SOURCE.read_bytes()
    assert b"/*" in source and b"/*" not in published
    assert len(gzip.compress(published, 9)) < 0.85 * len(gzip.compress(source, 9))
    assert built.problems() == []


def test_the_theme_folder_keeps_its_comments(built):
    assert "/* === Header and menu === */" in SOURCE.read_text(encoding="utf-8")


def test_off_publishes_the_stylesheet_as_written(tmp_path):
    built = build_site(tmp_path / "out", COMPACT_CSS=False)
    assert (built.output / "theme" / "css" / "site.css").read_bytes() == SOURCE.read_bytes()


@pytest.mark.browser
def test_a_browser_reads_the_same_rules(built, browser):
    """Chromium parses both into the same rules, selector for selector and
    declaration for declaration."""
    page = browser.new_page()
    rules = """(css) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        const walk = (list) => [...list].flatMap((r) =>
            r.cssRules ? [r.cssText.split("{")[0].trim(), ...walk(r.cssRules)] : [r.cssText]);
        return walk(sheet.cssRules);
    }"""
    source = page.evaluate(rules, SOURCE.read_text(encoding="utf-8"))
    published = page.evaluate(
        rules, (built.output / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    )
    page.close()
    assert len(source) > 200
    assert published == source
