"""Related reading: for each article, the articles that share the most tags
with it.

Ties go to an article outside the article's own series (the page lists the
series already), then to one of the same category, then to the newer one. When
fewer than ``count`` articles share a tag, the list is filled with the
newest articles of the same category, then with the newest articles of the
site; the article itself is never in its own list.

Cost: each article counts the articles of its own tags (a dictionary of
tag -> articles is made once), so a build does work in proportion to the
sum over articles of their tags' sizes, never a loop over all articles per
article.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain
from operator import itemgetter


def related_reading(articles, count: int, series_of=None) -> dict[int, list]:
    """{id(article): up to ``count`` related articles} for ``articles``
    (published articles, in any order).

    ``series_of``: {id(article): series name}. Among articles that share as
    many tags, one outside the article's own series comes first: the page
    already links every article of its series."""
    series_of = series_of or {}
    if count <= 0:
        return {}
    newest_first = sorted(range(len(articles)), key=lambda i: articles[i].date, reverse=True)
    rank = {i: r for r, i in enumerate(newest_first)}  # 0 = newest
    by_tag: dict[object, list[int]] = {}
    by_category: dict[object, list[int]] = {}
    for i in newest_first:
        article = articles[i]
        for tag in set(getattr(article, "tags", None) or ()):
            by_tag.setdefault(tag, []).append(i)
        by_category.setdefault(getattr(article, "category", None), []).append(i)

    found: dict[int, list] = {}
    for i, article in enumerate(articles):
        category = getattr(article, "category", None)
        own_series = series_of.get(id(article))
        shared = Counter()
        for tag in set(getattr(article, "tags", None) or ()):
            shared.update(by_tag[tag])
        shared.pop(i, None)
        # Most shared tags first (sorted in C); the tie-break key is computed
        # only for the groups of equal counts that the list reaches.
        ranked = sorted(shared.items(), key=itemgetter(1), reverse=True)
        best: list[int] = []
        k = 0
        while k < len(ranked) and len(best) < count:
            tied = ranked[k][1]
            group = []
            while k < len(ranked) and ranked[k][1] == tied:
                group.append(ranked[k][0])
                k += 1
            group.sort(
                key=lambda j: (
                    own_series is not None and series_of.get(id(articles[j])) == own_series,
                    articles[j].category != category,
                    rank[j],
                )
            )
            best += group[: count - len(best)]
        if len(best) < count:
            chosen = {i, *best}
            for j in chain(by_category.get(category, ()), newest_first):
                if len(best) == count:
                    break
                if j not in chosen:
                    best.append(j)
                    chosen.add(j)
        found[id(article)] = [articles[j] for j in best]
    return found
