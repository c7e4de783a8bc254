"""Series: articles that share a ``Series:`` name, in order.

Metadata (all in the article's header):

- ``Series: Five habits and an hour a week`` joins the series of that name.
- ``Series_index: 2`` places it (1, 2, 3, …). Articles without one follow
  the numbered ones, oldest first.
- ``Series_label: Habit`` names what the article is: it shows "Habit 2 of 5",
  counted among the articles of the series with the same label. Without a
  label it shows "Part 6 of 6", counted over the whole series.

Only published articles count: a draft or a scheduled (future) article is
not listed, linked or counted until it is published.

Each article in a series gets ``article.series_nav`` (a ``SeriesPlace``); a
mistake in the metadata stops the build with the file, the line and a fix.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_LABEL = "Part"


class SeriesError(ValueError):
    """Series metadata that cannot be used: the message names file and line."""


@dataclass(frozen=True)
class SeriesItem:
    article: object
    label: str  # "Habit 2"
    position: str  # "Habit 2 of 5"


@dataclass(frozen=True)
class SeriesPlace:
    name: str
    items: tuple[SeriesItem, ...]
    index: int  # of this article in items, from 0

    @property
    def current(self) -> SeriesItem:
        return self.items[self.index]

    @property
    def position(self) -> str:
        return self.current.position

    @property
    def previous(self) -> SeriesItem | None:
        return self.items[self.index - 1] if self.index > 0 else None

    @property
    def next(self) -> SeriesItem | None:
        return self.items[self.index + 1] if self.index + 1 < len(self.items) else None


def _display(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def header_line(source_path: str, key: str) -> int:
    """The line of ``key:`` in the file's metadata header (1 if not found)."""
    pattern = re.compile(rf"^\s*:?{re.escape(key)}\s*:", re.I)
    try:
        with open(source_path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    break
                if pattern.match(line):
                    return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1


def _where(article, key: str) -> str:
    path = getattr(article, "source_path", "") or ""
    return f"{_display(path)}:{header_line(path, key)}"


def text_of(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def series_index(article) -> float:
    raw = article.metadata.get("series_index")
    if raw is None or text_of(raw) == "":
        return math.inf
    text = text_of(raw)
    if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
        raise SeriesError(
            f"{_where(article, 'series_index')}: Series_index: {text!r} is not a whole "
            "number from 1. Fix: number the articles of the series 1, 2, 3, … "
            "(or leave Series_index out to order them by date)"
        )
    return int(text)


def check_orphans(articles) -> list[str]:
    """Series_index or Series_label without a Series: surely a typo."""
    problems = []
    for article in articles:
        meta = article.metadata
        if text_of(meta.get("series")):
            continue
        for key, name in (("series_index", "Series_index"), ("series_label", "Series_label")):
            if key in meta:
                problems.append(
                    f"{_where(article, key)}: {name} is set but Series is not. Fix: add "
                    "'Series: <name of the series>' to the header, or remove the line"
                )
    return problems


def build_series(articles) -> tuple[dict[str, list], list[str]]:
    """{series name: its articles in order} and the problems found.

    ``articles`` are the published articles (Pelican's ``generator.articles``)."""
    problems = check_orphans(articles)
    members: dict[str, list] = {}
    for article in articles:
        name = text_of(article.metadata.get("series"))
        if name:
            members.setdefault(name, []).append(article)
    ordered: dict[str, list] = {}
    for name, group in members.items():
        keyed = []
        for article in group:
            try:
                keyed.append((series_index(article), article.date, article))
            except SeriesError as error:
                problems.append(str(error))
        seen: dict[float, object] = {}
        for index, _date, article in keyed:
            if index != math.inf and index in seen:
                problems.append(
                    f"{_where(article, 'series_index')}: Series_index: {int(index)} is "
                    f"also the index of {_display(seen[index].source_path)} in the series "
                    f"{name!r}. Fix: give each article of a series its own number"
                )
            seen.setdefault(index, article)
        keyed.sort(key=lambda entry: (entry[0], entry[1]))
        ordered[name] = [article for _, _, article in keyed]
    return ordered, problems


def places(ordered: dict[str, list]) -> dict[int, SeriesPlace]:
    """{id(article): its place} for every article in a series."""
    found: dict[int, SeriesPlace] = {}
    for name, group in ordered.items():
        labels = [text_of(a.metadata.get("series_label")) for a in group]
        totals: dict[str, int] = {}
        for label in labels:
            totals[label] = totals.get(label, 0) + 1
        counts: dict[str, int] = {}
        items = []
        for number, (article, label) in enumerate(zip(group, labels, strict=True), 1):
            if label:
                counts[label] = counts.get(label, 0) + 1
                n, m = counts[label], totals[label]
            else:
                label, n, m = DEFAULT_LABEL, number, len(group)
            items.append(SeriesItem(article, f"{label} {n}", f"{label} {n} of {m}"))
        items_tuple = tuple(items)
        for index, article in enumerate(group):
            found[id(article)] = SeriesPlace(name, items_tuple, index)
    return found
