"""The site's mark, drawn with Pillow from the same geometry as
theme/static/favicon.svg (a 32-unit square: a rounded tile, a triangle of
three people joined by lines, the top one in the accent colour).

tests/test_draw.py reads favicon.svg and checks that these numbers and
colours are still the ones it draws, so the PNG icons cannot drift from it.
Pillow's shapes are not anti-aliased: the mark is drawn larger and scaled
down (four times for small icons, twice from 128 px, where the edges look
the same and drawing costs a quarter).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw

VIEWBOX = 32
TILE_RADIUS = 7
TRIANGLE = ((9, 22), (16, 10), (23, 22))
STROKE_WIDTH = 2.5
DOT_RADIUS = 3.5
SUPERSAMPLE = 4


@dataclass(frozen=True)
class LogoColours:
    tile: str = "#0b57a4"
    lines: str = "#ffffff"
    top: str = "#fdba74"
    dots: str = "#ffffff"


def _draw_mark(draw: ImageDraw.ImageDraw, unit: float, offset: float, colours: LogoColours):
    def at(x: float, y: float) -> tuple[float, float]:
        return (offset + x * unit, offset + y * unit)

    points = [at(x, y) for x, y in TRIANGLE]
    width = max(1, round(STROKE_WIDTH * unit))
    draw.line([*points, points[0]], fill=colours.lines, width=width, joint="curve")
    # round joins, as stroke-linejoin="round"
    for x, y in points:
        r = width / 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colours.lines)
    for index, (x, y) in enumerate(TRIANGLE):
        cx, cy = at(x, y)
        r = DOT_RADIUS * unit
        fill = colours.top if index == 1 else colours.dots
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)


@lru_cache(maxsize=16)
def logo(
    size: int,
    colours: LogoColours = LogoColours(),
    *,
    tile: bool = True,
    bleed: bool = False,
    mark_scale: float = 1.0,
) -> Image.Image:
    """The mark as a `size`×`size` RGBA image.

    tile: draw the rounded tile (else the mark alone, on transparency).
    bleed: a square tile edge to edge (for "maskable" icons, which the
    platform crops); mark_scale shrinks the mark into the safe zone.
    """
    big = size * (SUPERSAMPLE if size < 128 else 2)
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = big / VIEWBOX
    if tile:
        if bleed:
            draw.rectangle((0, 0, big, big), fill=colours.tile)
        else:
            draw.rounded_rectangle(
                (0, 0, big - 1, big - 1), radius=TILE_RADIUS * unit, fill=colours.tile
            )
    mark_unit = unit * mark_scale
    offset = (big - VIEWBOX * mark_unit) / 2
    _draw_mark(draw, mark_unit, offset, colours)
    return image.resize((size, size), Image.Resampling.LANCZOS)
