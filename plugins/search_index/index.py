"""The search index: what is in it and how it is written.

Each published article and page is one document, shown in results as its
title (a link), a line saying what it is, and its summary. What a document
is found by, and how much a match counts, are the words of four fields:

    title 8, headings (h2-h6 of the body) 4, summary 2, body 1

Only which fields a word occurs in is kept, not where or how often: the
index is a sorted word list and, for each word, the documents that hold it,
so it stays small (the body's text is not shipped; results highlight the
title and summary).

The file is JSON (a data file: nothing in it is ever run or parsed as HTML):

    {"version": 1,
     "fields": ["body", "summary", "headings", "title"],
     "docs": [[url, title, summary, about], ...],
     "words": ["advice", "answer", ...],         sorted, unique
     "postings": ["1g2x...", ...]}               one string per word

A posting list is a run of numbers, each (gap << 4) | fields: the gap from
the previous document number (the first from -1) and a bit per field the
word occurs in (bit 0 body, 1 summary, 2 headings, 3 title). Numbers are
written in base 32, most significant digit first; every digit but the last
of a number comes from the second half of ALPHABET, so no separators are
needed and no character needs escaping in JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .terms import words

FORMAT_VERSION = 1
FIELDS = ("body", "summary", "headings", "title")
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
FIELD_BITS = len(FIELDS)
assert len(ALPHABET) == 64


@dataclass(frozen=True)
class Document:
    url: str  # relative to the site's root, e.g. "articles/x/"
    title: str  # plain text
    summary: str  # plain text, shortened
    about: str  # what it is, e.g. "Article · 3 March 2026" or "Page"
    headings: str  # plain text of the body's headings
    body_words: tuple[str, ...]  # the body's words (stopwords dropped)


def encode_number(n: int) -> str:
    digits = []
    while True:
        digits.append(n & 31)
        n >>= 5
        if not n:
            break
    digits.reverse()
    return "".join(ALPHABET[32 + d] for d in digits[:-1]) + ALPHABET[digits[-1]]


def decode_numbers(text: str) -> list[int]:
    """The reverse of encode_number over a run (for tests; the page's
    script has its own)."""
    numbers, value = [], 0
    for char in text:
        digit = ALPHABET.index(char)
        if digit >= 32:
            value = (value << 5) | (digit - 32)
        else:
            numbers.append((value << 5) | digit)
            value = 0
    return numbers


def build(documents: list[Document]) -> dict:
    """The index of the documents, in their order (which is the order of
    equally good results)."""
    fields_of: dict[str, dict[int, int]] = {}
    for number, doc in enumerate(documents):
        for bit, text_words in enumerate(
            (doc.body_words, words(doc.summary), words(doc.headings), words(doc.title))
        ):
            for word in text_words:
                held = fields_of.setdefault(word, {})
                held[number] = held.get(number, 0) | (1 << bit)
    ordered = sorted(fields_of)
    postings = []
    # Most numbers are small gaps and repeat thousands of times: encode
    # each once (a third of the time of building the index).
    encoded: dict[int, str] = {}
    for word in ordered:
        previous, parts = -1, []
        for number, bits in sorted(fields_of[word].items()):
            value = ((number - previous) << FIELD_BITS) | bits
            text = encoded.get(value)
            if text is None:
                text = encoded[value] = encode_number(value)
            parts.append(text)
            previous = number
        postings.append("".join(parts))
    return {
        "version": FORMAT_VERSION,
        "fields": list(FIELDS),
        "docs": [[d.url, d.title, d.summary, d.about] for d in documents],
        "words": ordered,
        "postings": postings,
    }


def dumps(index: dict) -> str:
    """Compact UTF-8 JSON (fetch's .json() always reads UTF-8). Quotes and
    backslashes in titles are escaped by json.dumps, so text can never end
    a string; the page puts every value into the DOM as text."""
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))
