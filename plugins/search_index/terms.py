"""Words, as the search page's script reads them (theme/static/js/search.js
has the same rules; tests/test_search.py checks both agree).

A word is a run of letters and digits after Unicode compatibility
decomposition with the accents dropped, lower-cased: "Résumé" and "resume"
are the same word, "LinkedIn's" is "linkedin" and "s" (one-letter words are
not indexed). Common English words say nothing about what a page is about
and are left out of the index.
"""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[^\W_]+")
MIN_LENGTH = 2

# Kept short on purpose: a word a reader might look for ("work", "help",
# "call") must stay searchable. (One string, as in search.js, to compare.)
STOPWORDS = frozenset(
    """
    a an and are as at be but by do does for from had has have he her his i if in into is it
    its me my no not of on or our she so than that the their them then there these they this
    to us was we were what when which who will with you your
    """.split()  # noqa: SIM905
)


class _Marks(dict):
    """str.translate table that drops combining marks (Unicode category M),
    filled in as characters are first met."""

    def __missing__(self, code: int):
        self[code] = None if unicodedata.category(chr(code)).startswith("M") else code
        return self[code]


_MARKS = _Marks()


def fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text).translate(_MARKS).lower()


def words(text: str) -> list[str]:
    """Every word of the text, in order, stopwords and short ones dropped."""
    return [w for w in WORD.findall(fold(text)) if len(w) >= MIN_LENGTH and w not in STOPWORDS]
