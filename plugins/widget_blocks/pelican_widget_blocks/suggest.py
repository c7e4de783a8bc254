"""Near-misses: a word close to one the author probably meant."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.75


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known word ``word`` was probably meant to be, or None.

    A different case counts as a near-miss ("Assessment"), and so does a
    word at most one or two letters off ("assesment", "checklst", "reverce",
    "wieght").
    """
    known = list(dict.fromkeys(known))
    if word in known:
        return None
    lowered = word.lower()
    for candidate in known:
        if candidate.lower() == lowered:
            return candidate
    match = difflib.get_close_matches(lowered, [k.lower() for k in known], n=1, cutoff=CUTOFF)
    if not match:
        return None
    return next(k for k in known if k.lower() == match[0])
