"""article_nav: ways through the articles. See README.md.

- A table of contents on articles with four or more `##` sections (toc.py).
- Series: ``Series:`` metadata, "Habit 2 of 5", previous and next, and the
  whole series listed (series.py).
- Related reading: three articles chosen by shared tags (related.py).

Documented Pelican seams only:

- ``initialized``: the Markdown extension that records the `##` sections
  joins the MARKDOWN setting; the theme's ``article_toc`` filter joins
  JINJA_FILTERS.
- ``readers_init``: each Markdown reader class is replaced by a subclass
  that keeps those section ids in the file's metadata (``section_ids``), so
  a read answered by the build cache carries them too.
- ``article_generator_finalized``: every published article gets
  ``series_nav`` (when in a series) and ``related_reading``.
"""

from __future__ import annotations

import logging

from listed import listed
from pelican import signals

from . import related, series, toc

logger = logging.getLogger(__name__)

NAME = "article_nav"
RELATED_COUNT_SETTING = "RELATED_READING_COUNT"
DEFAULT_RELATED_COUNT = 3
FILTERS = dict(toc.FILTERS)


def enabled(settings) -> bool:
    """Blinker signals are process-wide: a receiver also hears later builds
    in the same process, so it acts only for builds whose PLUGINS list it."""
    return listed(settings, NAME)


def check_settings(settings) -> None:
    """Stop at the start of the build on a setting the plugin cannot use."""
    for name, default in (
        (RELATED_COUNT_SETTING, DEFAULT_RELATED_COUNT),
        (toc.MIN_SECTIONS_SETTING, toc.DEFAULT_MIN_SECTIONS),
    ):
        value = settings.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(
                f"{name} = {value!r} in the settings: it must be a whole number "
                "(RELATED_READING_COUNT = 0 shows no related reading). Fix it in pelicanconf.py"
            )


def on_initialized(pelican) -> None:
    settings = pelican.settings
    if not enabled(settings):
        return
    check_settings(settings)
    toc.add_extension(settings)
    settings["JINJA_FILTERS"] = {**(settings.get("JINJA_FILTERS") or {}), **FILTERS}


def on_readers_init(readers) -> None:
    if enabled(readers.settings):
        toc.wrap_readers(readers)


def on_article_generator_finalized(generator) -> None:
    settings = generator.settings
    if not enabled(settings):
        return
    articles = list(generator.articles)
    ordered, problems = series.build_series(articles)
    # drafts and hidden articles may not join a series, but a typo there is
    # still a typo
    others = [*getattr(generator, "drafts", ()), *getattr(generator, "hidden_articles", ())]
    problems += series.check_orphans(others)
    for article in others:
        if series.text_of(article.metadata.get("series")):
            try:
                series.series_index(article)
            except series.SeriesError as error:
                problems.append(str(error))
    if problems:
        for message in problems:
            logger.error("%s", message)
        raise series.SeriesError(
            f"{len(problems)} problem{'s' * (len(problems) > 1)} with Series metadata "
            "(listed above)"
        )
    places = series.places(ordered)
    count = settings.get(RELATED_COUNT_SETTING, DEFAULT_RELATED_COUNT)
    series_of = {key: place.name for key, place in places.items()}
    reading = related.related_reading(articles, count, series_of)
    for article in articles:
        article.series_nav = places.get(id(article))
        article.related_reading = reading.get(id(article), [])


def register() -> None:
    signals.initialized.connect(on_initialized)
    signals.readers_init.connect(on_readers_init)
    signals.article_generator_finalized.connect(on_article_generator_finalized)
