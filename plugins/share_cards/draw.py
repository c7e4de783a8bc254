"""Draw one share card: a 1200×630 PNG with the title, a label above it
(the article's category) and the site's name and mark below.

Pure Pillow, no Pelican: plugin.py decides what goes on which card and
caches the result. Everything that changes the picture is in `Card` and
`Style`, which plugin.py hashes (with this module's source) into the cache
key.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageColor, ImageDraw, ImageFont

from .logo import LogoColours, logo

WIDTH, HEIGHT = 1200, 630
MARGIN_X = 80
TOP = 56
FOOTER_HEIGHT = 128
LABEL_SIZE = 28
LABEL_TRACKING = 2.5  # px between label letters (small capitals read better spaced)
TITLE_TOP_GAP = 28  # label baseline area to the title
TITLE_SIZES = (84, 76, 68, 60, 54, 48, 42)  # tried in turn until the title fits
LINE_HEIGHT = 1.2
FOOTER_LOGO = 64
FOOTER_NAME_SIZE = 34
ELLIPSIS = "…"


@dataclass(frozen=True)
class Style:
    """Colours (CSS hex) and the font file. The defaults are the site's:
    theme/static/css/site.css (--link, --bg, --text, --muted) and the
    favicon's accent (--accent in the dark scheme)."""

    background: str = "#0b57a4"
    title: str = "#ffffff"
    label: str = "#fdba74"
    footer_background: str = "#fbfaf7"
    footer_text: str = "#1d2126"
    rule: str = "#fdba74"
    font: str = ""  # path of a TrueType/OpenType file
    logo: LogoColours = field(default_factory=LogoColours)


@dataclass(frozen=True)
class Card:
    title: str
    label: str = ""  # shown above the title, e.g. the category
    site_name: str = ""


@lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: the same picture on every machine (raqm needs the
    # system's fribidi, which a machine may lack)
    return _MeasuredFont(path, size)


class _MeasuredFont(ImageFont.FreeTypeFont):
    """A font that measures text from each character's advance, learnt once:
    FreeType's measure of a whole string costs ~25 µs a character with this
    font, and wrapping measures the same words again and again. Kerning is
    left out of the measure, so lines are measured slightly wider than they
    draw: they never overflow."""

    def __init__(self, path: str, size: int) -> None:
        super().__init__(path, size, layout_engine=ImageFont.Layout.BASIC)
        self._advances: dict[str, float] = {}

    def getlength(self, text, *args, **kwargs) -> float:
        if args or kwargs:
            return super().getlength(text, *args, **kwargs)
        advances = self._advances
        total = 0.0
        for char in text:
            advance = advances.get(char)
            if advance is None:
                advance = advances[char] = super().getlength(char)
            total += advance
        return total


def _split_long_word(word: str, font, width: float) -> list[str]:
    """A word wider than the line (a URL, a long compound) is cut between
    characters, never left to overflow."""
    pieces, current = [], ""
    for char in word:
        if current and font.getlength(current + char) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, font, width: float) -> list[str]:
    """Greedy word wrap by measured width."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if font.getlength(word) <= width:
            current = word
        else:
            *whole, current = _split_long_word(word, font, width)
            lines.extend(whole)
    if current:
        lines.append(current)
    return lines


def balanced_wrap(text: str, font, width: float) -> list[str]:
    """As few lines as the greedy wrap, but as even as they can be: the
    narrowest width that still needs no more lines (no lone last word)."""
    lines = wrap(text, font, width)
    if len(lines) < 2:
        return lines
    low, high = width / 2, width
    best = lines
    while high - low > 4:
        middle = (low + high) / 2
        attempt = wrap(text, font, middle)
        if len(attempt) <= len(lines) and all(font.getlength(x) <= width for x in attempt):
            best, high = attempt, middle
        else:
            low = middle
    return best


def _ellipsize(line: str, font, width: float) -> str:
    while line and font.getlength(line + ELLIPSIS) > width:
        line = line[:-1].rstrip() if " " not in line else line.rsplit(" ", 1)[0]
    return line.rstrip(" ,;:–—-") + ELLIPSIS


@dataclass(frozen=True)
class TitleLayout:
    size: int
    lines: tuple[str, ...]
    line_height: int
    truncated: bool


def layout_title(text: str, font_path: str, width: float, height: float) -> TitleLayout:
    """The largest size at which the title fits the box; at the smallest
    size a title that still does not fit loses its end to an ellipsis."""
    text = " ".join(text.split())
    for size in TITLE_SIZES:
        font = _font(font_path, size)
        line_height = round(size * LINE_HEIGHT)
        fits = max(1, int(height // line_height))
        lines = balanced_wrap(text, font, width)
        if len(lines) <= fits:
            return TitleLayout(size, tuple(lines), line_height, False)
    lines = wrap(text, font, width)[:fits]
    lines[-1] = _ellipsize(lines[-1], font, width)
    return TitleLayout(size, tuple(lines), line_height, True)


@lru_cache(maxsize=2048)
def _word(font_path: str, size: int, word: str) -> tuple[Image.Image | None, int, int]:
    """One word drawn once as a grey-level mask, with its offset from the
    pen position on the baseline. Rasterising is most of a card's cost
    (this font's hinting makes it ~0.25 ms a character) and titles share
    most of their words, so each is drawn once a size per build."""
    font = _font(font_path, size)
    x0, y0, x1, y1 = font.getbbox(word, anchor="ls")
    if x1 <= x0 or y1 <= y0:
        return None, 0, 0
    mask = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(mask).text((-x0, -y0), word, font=font, fill=255, anchor="ls")
    return mask, x0, y0


# The card is an 8-bit palette PNG: a third the size of full colour and
# three times faster to write. Its colours are exact: the blue area is drawn
# as coverage masks that index two ramps of the palette (background to title,
# background to label), and the footer's few colours are looked up once.
TITLE_STEPS = 64
LABEL_STEPS = 32
RAMPS = TITLE_STEPS + LABEL_STEPS
TITLE_INDEX = [round(level * (TITLE_STEPS - 1) / 255) for level in range(256)]
LABEL_INDEX = [TITLE_STEPS + round(level * (LABEL_STEPS - 1) / 255) for level in range(256)]


def _mix(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _rgb(colour: str) -> tuple[int, int, int]:
    return ImageColor.getrgb(colour)[:3]


@dataclass(frozen=True)
class _Chrome:
    palette: tuple[int, ...]  # 256 × RGB
    footer: Image.Image  # palette indices (mode L) of the rows from FOOTER_TOP


FOOTER_TOP = HEIGHT - FOOTER_HEIGHT - 8  # the accent rule, then the footer


@lru_cache(maxsize=8)
def _chrome(style: Style, site_name: str) -> _Chrome:
    """What every card shares: the palette, and the footer with the mark and
    the site's name on the page colour, drawn once a build."""
    image = Image.new("RGB", (WIDTH, HEIGHT - FOOTER_TOP), style.footer_background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 7), fill=style.rule)
    mark = logo(FOOTER_LOGO, style.logo)
    logo_top = 8 + (FOOTER_HEIGHT - FOOTER_LOGO) // 2
    image.paste(mark, (MARGIN_X, logo_top), mark)
    if site_name:
        font = _font(style.font, FOOTER_NAME_SIZE)
        room = WIDTH - 2 * MARGIN_X - FOOTER_LOGO - 24
        name = _ellipsize(site_name, font, room) if font.getlength(site_name) > room else site_name
        draw.text(
            (MARGIN_X + FOOTER_LOGO + 24, 8 + FOOTER_HEIGHT // 2),
            name,
            font=font,
            fill=style.footer_text,
            anchor="lm",
        )
    background, title, label = _rgb(style.background), _rgb(style.title), _rgb(style.label)
    colours = [_mix(background, title, i / (TITLE_STEPS - 1)) for i in range(TITLE_STEPS)]
    colours += [_mix(background, label, i / (LABEL_STEPS - 1)) for i in range(LABEL_STEPS)]
    # the footer's colours, most used first, while there is room; a rare
    # anti-aliasing shade beyond that takes the nearest one kept
    used = [colour for _, colour in sorted(image.getcolors(1 << 16), reverse=True)]
    kept = used[: 256 - RAMPS]
    colours += kept
    index = {colour: RAMPS + i for i, colour in enumerate(kept)}
    for colour in used[len(kept) :]:
        nearest = min(kept, key=lambda k: sum((a - b) ** 2 for a, b in zip(k, colour, strict=True)))
        index[colour] = index[nearest]
    footer = Image.new("L", image.size)
    footer.putdata([index[colour] for colour in image.get_flattened_data()])
    flat = [channel for colour in colours for channel in colour]
    return _Chrome(tuple(flat + [0] * (768 - len(flat))), footer)


def _draw_words(mask, x, baseline, words, font_path, size, spacing=None):
    """Words left to right from (x, baseline) into a coverage mask, each
    pasted from its cached mask; `spacing` between words (default: the
    font's space), or between letters when `words` are single characters."""
    font = _font(font_path, size)
    gap = font.getlength(" ") if spacing is None else spacing
    for word in words:
        glyphs, dx, dy = _word(font_path, size, word)
        if glyphs is not None:
            mask.paste(255, (round(x + dx), baseline + dy), glyphs)
        x += font.getlength(word) + gap


@lru_cache(maxsize=8)
def _blank(style: Style, site_name: str) -> Image.Image:
    """A card without its text, as palette indexes: the background (index 0)
    above the footer."""
    chrome = _chrome(style, site_name)
    image = Image.new("P", (WIDTH, HEIGHT), 0)
    image.putpalette(chrome.palette)
    footer = Image.frombytes("P", chrome.footer.size, chrome.footer.tobytes())
    image.paste(footer, (0, FOOTER_TOP))
    return image


def _text_band(image, top, bottom, words, font_path, size, baselines, index, spacing=None):
    """Draw lines of words as coverage in a band of rows, map coverage to
    the ramp's palette indexes (`index`: 256 entries) and paste the band."""
    top, bottom = max(0, top), min(FOOTER_TOP, bottom)
    mask = Image.new("L", (WIDTH, bottom - top), 0)
    for line, baseline in zip(words, baselines, strict=True):
        _draw_words(mask, MARGIN_X, baseline - top, line, font_path, size, spacing)
    band = mask.point(index)
    image.paste(Image.frombytes("P", band.size, band.tobytes()), (0, top))


def render(card: Card, style: Style) -> Image.Image:
    """The card as a palette ("P") image."""
    image = _blank(style, " ".join(card.site_name.split())).copy()
    inner = WIDTH - 2 * MARGIN_X
    # the blue area above the footer's rule, less a margin top and bottom
    area_top, area_bottom = TOP, FOOTER_TOP - TOP
    label = " ".join(card.label.split()).upper()
    label_font = _font(style.font, LABEL_SIZE)
    while len(label) > 1 and label_font.getlength(label) + LABEL_TRACKING * len(label) > inner:
        label = label[:-2].rstrip() + ELLIPSIS
    label_height = LABEL_SIZE + TITLE_TOP_GAP if label else 0

    title = layout_title(card.title, style.font, inner, area_bottom - area_top - label_height)
    font = _font(style.font, title.size)
    ascent, descent = font.getmetrics()
    title_height = title.line_height * (len(title.lines) - 1) + ascent + descent // 3
    # label and title as one block, centred in the area
    top = area_top + max(0, (area_bottom - area_top - label_height - title_height) // 2)
    if label:
        _label_ascent, label_descent = label_font.getmetrics()
        _text_band(
            image,
            top - 4,
            top + LABEL_SIZE + label_descent,
            [label],
            style.font,
            LABEL_SIZE,
            [top + LABEL_SIZE],
            LABEL_INDEX,
            spacing=LABEL_TRACKING,
        )
    first = top + label_height + ascent
    baselines = [first + i * title.line_height for i in range(len(title.lines))]
    _text_band(
        image,
        top + label_height - ascent // 4,
        baselines[-1] + descent,
        [line.split(" ") for line in title.lines],
        style.font,
        title.size,
        baselines,
        TITLE_INDEX,
    )
    return image


def png_bytes(image: Image.Image) -> bytes:
    """PNG at zlib level 3: level 6 takes twice the time for a fifth less,
    level 9 ten times."""
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=3)
    return out.getvalue()
