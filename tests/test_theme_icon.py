"""The site's SVG icon is inlined in every page's head as a data: URL
(plugins/theme_icon.py): the exact bytes of theme/static/favicon.svg,
percent-encoded, so it costs no request. A missing icon file stops the build
with a message that names it."""

from __future__ import annotations

import shutil
from urllib.parse import unquote

import pytest
from sitecheck.pages import parse_page
from theme_icon import ThemeIconError, svg_data_uri

from conftest import REPO, SMALL_SITE, build_site

FAVICON = REPO / "theme" / "static" / "favicon.svg"
PREFIX = "data:image/svg+xml,"


def svg_icons(html: str) -> list[str]:
    return [
        e.attrs["href"]
        for e in parse_page(html).find("link", rel="icon")
        if e.attrs.get("type") == "image/svg+xml"
    ]


@pytest.mark.parametrize("which", ["dev_site", "publish_site"])
def test_every_page_inlines_the_themes_svg_icon_exactly(which, request):
    site = request.getfixturevalue(which)
    expected = FAVICON.read_text(encoding="utf-8")
    pages = site.html_files()
    assert len(pages) >= 10
    for path in pages:
        (href,) = svg_icons(path.read_text(encoding="utf-8"))
        assert href.startswith(PREFIX), path
        body = href[len(PREFIX) :]
        # nothing an attribute or a URL parser would trip on is left raw
        assert not set(body) & set(" \n\t\"'<>&#"), body
        assert unquote(body) == expected, path
    # The PNG icon (share_cards) is still offered before it, for browsers
    # without SVG icons, and the file is still published beside it.
    home = site.read("index.html")
    pngs = [e.attrs for e in parse_page(home).find("link", rel="icon") if e.attrs.get("sizes")]
    assert [a["type"] for a in pngs] == ["image/png"]
    assert home.index('type="image/png"') < home.index(PREFIX)
    assert (site.output / "theme" / "favicon.svg").read_bytes() == FAVICON.read_bytes()


def test_the_icon_is_read_again_when_it_changes(tmp_path):
    icon = tmp_path / "icon.svg"
    icon.write_text('<svg xmlns="http://www.w3.org/2000/svg"><title>A & B</title></svg>')
    first = svg_data_uri(icon)
    assert unquote(first[len(PREFIX) :]) == icon.read_text()
    icon.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    assert unquote(svg_data_uri(icon)[len(PREFIX) :]) == icon.read_text()


def test_a_file_that_is_not_svg_is_refused(tmp_path):
    icon = tmp_path / "icon.svg"
    icon.write_bytes(b"\x89PNG\r\n")
    with pytest.raises(ThemeIconError, match=r"icon\.svg: cannot read the site icon"):
        svg_data_uri(icon)
    icon.write_text("not an image")
    with pytest.raises(ThemeIconError, match=r"icon\.svg: the site icon is not an SVG image"):
        svg_data_uri(icon)


def test_a_theme_without_the_icon_stops_the_build_naming_the_file(tmp_path):
    theme = shutil.copytree(REPO / "theme", tmp_path / "theme")
    (theme / "static" / "favicon.svg").unlink()
    with pytest.raises(ThemeIconError) as failure:
        build_site(tmp_path / "output", THEME=str(theme), PATH=str(SMALL_SITE))
    message = str(failure.value)
    assert message.startswith(f"{theme / 'static' / 'favicon.svg'}: cannot read the site icon")
    assert "No such file or directory" in message and "theme/templates/base.html" in message
