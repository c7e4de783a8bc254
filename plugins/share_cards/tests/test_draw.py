"""The card renderer and the logo, without Pelican: size, colours, wrapping
of long and accented titles, and that the PNG icons draw what
theme/static/favicon.svg draws."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, ImageColor, ImageDraw
from share_cards import draw, logo
from share_cards.settings import DEFAULT_FONT

from conftest import REPO

STYLE = draw.Style(font=str(DEFAULT_FONT))
SITE = "Career Exercise"
LONG_TITLE = (
    "A very long title that goes on about networking habits, coffee meetings, association "
    "events, LinkedIn profiles, résumés and everything else a career coach might squeeze "
    "into one headline without stopping for breath, and then keeps going for another "
    "sentence or two because nobody told the author where to stop writing it. "
) * 2


def card_png(title: str, label: str = "Habits", style: draw.Style = STYLE) -> Image.Image:
    data = draw.png_bytes(draw.render(draw.Card(title, label, SITE), style))
    image = Image.open(io.BytesIO(data))
    image.load()
    image.info["bytes"] = len(data)
    return image


def rgb(colour: str) -> tuple[int, int, int]:
    return ImageColor.getrgb(colour)[:3]


def test_a_card_is_a_1200_by_630_png_of_a_few_kilobytes():
    image = card_png("Keep your résumé ready")
    assert image.format == "PNG"
    assert image.size == (1200, 630)
    assert image.info["bytes"] < 60_000


def test_a_card_is_in_the_site_colours():
    image = card_png("Keep your résumé ready").convert("RGB")
    assert image.getpixel((10, 10)) == rgb(STYLE.background)
    assert image.getpixel((10, 625)) == rgb(STYLE.footer_background)
    colours = {colour for _, colour in image.getcolors(1 << 16)}
    for wanted in (STYLE.title, STYLE.label, STYLE.footer_text, STYLE.rule):
        assert rgb(wanted) in colours, wanted


def test_other_colours_make_another_card():
    style = draw.Style(font=str(DEFAULT_FONT), background="#1d2126", label="#8cc4ff")
    image = card_png("Keep your résumé ready", style=style).convert("RGB")
    assert image.getpixel((10, 10)) == rgb("#1d2126")
    assert rgb("#8cc4ff") in {colour for _, colour in image.getcolors(1 << 16)}


def test_distinct_titles_and_labels_make_distinct_cards():
    one = card_png("Answer the call, take the coffee").tobytes()
    assert one != card_png("Answer the call, take the tea").tobytes()
    assert one != card_png("Answer the call, take the coffee", label="Stories").tobytes()
    assert one == card_png("Answer the call, take the coffee").tobytes()


def title_columns(image: Image.Image) -> tuple[int, int, int, int]:
    """The box of the title-coloured (white) pixels above the footer."""
    body = image.convert("RGB").crop((0, 0, draw.WIDTH, draw.HEIGHT - draw.FOOTER_HEIGHT - 8))
    white = body.point(lambda v: 255 if v > 240 else 0).convert("L")
    white = white.point(lambda v: 255 if v == 255 else 0)
    box = white.getbbox()
    assert box, "no title drawn"
    return box


def test_a_short_title_is_large_and_a_long_one_smaller_but_inside_the_margins():
    short = draw.layout_title("About", str(DEFAULT_FONT), 1040, 400)
    long = draw.layout_title(LONG_TITLE, str(DEFAULT_FONT), 1040, 400)
    assert short.size == draw.TITLE_SIZES[0]
    assert long.size == draw.TITLE_SIZES[-1]
    assert long.truncated and long.lines[-1].endswith("…")
    font = draw._font(str(DEFAULT_FONT), long.size)
    assert all(font.getlength(line) <= 1040 for line in long.lines)
    left, _top, right, _bottom = title_columns(card_png(LONG_TITLE))
    assert left >= draw.MARGIN_X - 4
    assert right <= draw.WIDTH - draw.MARGIN_X + 4


def test_a_word_longer_than_the_line_is_cut_not_overflowing():
    word = "https://career-exercise.example/" + "very-long-path-" * 12
    layout = draw.layout_title(word, str(DEFAULT_FONT), 1040, 400)
    assert "".join(layout.lines).replace("…", "") in word
    _left, _top, right, _bottom = title_columns(card_png(word))
    assert right <= draw.WIDTH - draw.MARGIN_X + 4


def test_lines_are_balanced_no_lone_last_word():
    layout = draw.layout_title(
        "Julio’s story: the layoff that a network turned into a new job",
        str(DEFAULT_FONT),
        1040,
        400,
    )
    assert len(layout.lines) >= 2
    assert len(layout.lines[-1].split()) > 1


def test_accented_text_keeps_every_character_and_the_font_has_them():
    text = "Résumé – ça marche"
    layout = draw.layout_title(text, str(DEFAULT_FONT), 1040, 400)
    assert " ".join(layout.lines) == text
    font = draw._font(str(DEFAULT_FONT), 40)

    def glyph(char: str) -> bytes:
        image = Image.new("L", (80, 80))
        ImageDraw.Draw(image).text((10, 10), char, font=font, fill=255)
        return image.tobytes()

    missing = glyph("\uffff")  # what a character without a glyph draws
    for char in set(text) - {" "}:
        assert glyph(char) != missing, f"no glyph for {char!r}"
    assert glyph("\u4e2d") == missing  # the check can fail: no Chinese in this font
    assert card_png(text).tobytes() != card_png("Resume - ca marche").tobytes()


def test_a_long_label_is_shortened_not_overflowing():
    image = card_png("Short", label="A category name far too long to fit on a card " * 3)
    row = image.convert("RGB").crop((draw.WIDTH - draw.MARGIN_X + 4, 0, draw.WIDTH, 200))
    assert row.getcolors() == [(row.width * row.height, rgb(STYLE.background))]


# -- the logo and the icons -----------------------------------------------------


SVG = "{http://www.w3.org/2000/svg}"


def test_the_png_logo_draws_what_favicon_svg_draws():
    svg = ET.parse(REPO / "theme" / "static" / "favicon.svg").getroot()
    assert svg.get("viewBox") == f"0 0 {logo.VIEWBOX} {logo.VIEWBOX}"
    rect = svg.find(f"{SVG}rect")
    colours = logo.LogoColours()
    assert float(rect.get("rx")) == logo.TILE_RADIUS
    assert rect.get("fill") == colours.tile
    path = svg.find(f"{SVG}path")
    points = [tuple(map(int, p)) for p in re.findall(r"(\d+) (\d+)", path.get("d"))]
    assert points == list(logo.TRIANGLE)
    assert float(path.get("stroke-width")) == logo.STROKE_WIDTH
    assert path.get("stroke") == colours.lines
    circles = svg.findall(f"{SVG}circle")
    assert [(int(c.get("cx")), int(c.get("cy"))) for c in circles] == [
        logo.TRIANGLE[1],
        logo.TRIANGLE[0],
        logo.TRIANGLE[2],
    ]
    assert {float(c.get("r")) for c in circles} == {logo.DOT_RADIUS}
    assert [c.get("fill") for c in circles] == [colours.top, colours.dots, colours.dots]


def test_the_card_defaults_are_the_site_colours():
    css = (REPO / "theme" / "static" / "css" / "site.css").read_text(encoding="utf-8")
    light = css[css.index(":root {") : css.index("@media (prefers-color-scheme: dark)")]
    props = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", light))
    assert STYLE.background == props["link"]
    assert STYLE.footer_background == props["bg"]
    assert STYLE.footer_text == props["text"]
    assert rgb(STYLE.title) == rgb(props["button-text"])
    svg = (REPO / "theme" / "static" / "favicon.svg").read_text(encoding="utf-8")
    assert STYLE.label in svg and STYLE.rule in svg


@pytest.mark.parametrize("size", [32, 180, 512])
def test_icons_are_the_mark_on_its_tile(size):
    icon = logo.logo(size)
    assert icon.size == (size, size)
    centre_top = icon.getpixel((size // 2, round(size * 10 / 32)))  # the top dot
    assert centre_top[:3] == rgb(logo.LogoColours().top)
    assert icon.getpixel((0, 0))[3] == 0  # rounded corner: transparent
    assert icon.getpixel((size // 2, 2))[:3] == rgb(logo.LogoColours().tile)
    bleed = logo.logo(size, bleed=True, mark_scale=0.8)
    assert bleed.getpixel((0, 0)) == (*rgb(logo.LogoColours().tile), 255)
