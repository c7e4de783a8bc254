"""The plugin's settings, read with their defaults and checked: a wrong value
is logged as an error that names the setting and how to fix it (fatal in
`make html` and `make publish`), and the default is used instead."""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace
from pathlib import Path, PurePosixPath

from PIL import ImageColor, ImageFont

from .draw import Style

logger = logging.getLogger(__name__)

PLUGIN_DIR = Path(__file__).resolve().parent
DEFAULT_FONT = PLUGIN_DIR / "fonts" / "NotoSerif-Bold.ttf"
DEFAULT_DIR = "images/cards"
DEFAULT_CACHE_DAYS = 30
COLOUR_NAMES = ("background", "title", "label", "footer_background", "footer_text", "rule")


@dataclass(frozen=True)
class Options:
    cards: bool
    icons: bool
    directory: str  # where the cards go, relative to the output folder
    style: Style
    short_name: str
    cache_days: int = DEFAULT_CACHE_DAYS  # cached pictures unused this long are removed


def _error(setting: str, value, problem: str, fix: str) -> None:
    logger.error("share_cards: %s = %r: %s. Fix: %s.", setting, value, problem, fix)


def _flag(settings, name: str, default: bool) -> bool:
    value = settings.get(name, default)
    if isinstance(value, bool):
        return value
    _error(name, value, "not True or False", f"set {name} = True or {name} = False")
    return default


def _directory(settings) -> str:
    value = settings.get("SHARE_CARDS_DIR", DEFAULT_DIR)
    path = PurePosixPath(value) if isinstance(value, str) else None
    if (
        path is None
        or not value.strip()
        or path.is_absolute()
        or ".." in path.parts
        or "\\" in value
        or any(c in value for c in "\"'<>?#%")
    ):
        _error(
            "SHARE_CARDS_DIR",
            value,
            "not a folder inside the output",
            f"give a relative folder such as {DEFAULT_DIR!r}",
        )
        return DEFAULT_DIR
    return str(path)


def _cache_days(settings) -> int:
    value = settings.get("SHARE_CARDS_CACHE_DAYS", DEFAULT_CACHE_DAYS)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    _error(
        "SHARE_CARDS_CACHE_DAYS",
        value,
        "not a whole number of days",
        f"give the days a cached card may go unused before it is removed, e.g. "
        f"{DEFAULT_CACHE_DAYS} (0: removed the day after its last use)",
    )
    return DEFAULT_CACHE_DAYS


def _font(settings) -> str:
    value = settings.get("SHARE_CARD_FONT") or str(DEFAULT_FONT)
    path = Path(str(value))
    if not path.is_absolute() and not path.exists():
        # relative to the site's folder (the content folder's parent)
        path = Path(settings.get("PATH") or ".").resolve().parent / path
    try:
        ImageFont.truetype(str(path), 12)
    except OSError as error:
        _error(
            "SHARE_CARD_FONT",
            value,
            f"not a font Pillow can read ({error})",
            "give the path of a .ttf or .otf file in the repository (fonts are never "
            "downloaded at build time), or leave it out for the bundled Noto Serif Bold",
        )
        return str(DEFAULT_FONT)
    return str(path)


def _style(settings, font: str) -> Style:
    style = Style(font=font)
    colours = settings.get("SHARE_CARD_COLORS") or {}
    if not isinstance(colours, dict):
        _error(
            "SHARE_CARD_COLORS",
            colours,
            "not a dict",
            f'give a dict with some of {", ".join(COLOUR_NAMES)}, e.g. {{"background": "#0b57a4"}}',
        )
        return style
    chosen = {}
    for name, value in colours.items():
        if name not in COLOUR_NAMES:
            _error(
                "SHARE_CARD_COLORS",
                {name: value},
                f"{name!r} is not a colour of the card",
                f"use the names {', '.join(COLOUR_NAMES)}",
            )
            continue
        try:
            ImageColor.getrgb(str(value))
        except ValueError:
            _error(
                "SHARE_CARD_COLORS",
                {name: value},
                "not a colour",
                'write it as CSS hex, e.g. "#0b57a4"',
            )
            continue
        chosen[name] = str(value)
    assert set(chosen) <= {f.name for f in fields(Style)}
    return replace(style, **chosen)


def read(settings) -> Options:
    sitename = " ".join(str(settings.get("SITENAME") or "").split())
    short_name = settings.get("SITE_SHORT_NAME") or sitename
    if not isinstance(short_name, str):
        _error("SITE_SHORT_NAME", short_name, "not text", "give the name for home screens")
        short_name = sitename
    return Options(
        cards=_flag(settings, "SHARE_CARDS", True),
        icons=_flag(settings, "SITE_ICONS", True),
        directory=_directory(settings),
        style=_style(settings, _font(settings)),
        short_name=short_name,
        cache_days=_cache_days(settings),
    )
