"""The index's parts: words, the text of a body, the posting lists."""

from __future__ import annotations

import json

from search_index import shorten
from search_index.extract import text_of
from search_index.index import Document, build, decode_numbers, dumps, encode_number
from search_index.terms import words


def test_words_fold_accents_and_case_and_drop_common_ones():
    assert words("Résumé tips: the LinkedIn’s NAÏVE e-mail, 10x a I") == [
        "resume",
        "tips",
        "linkedin",
        "naive",
        "mail",
        "10x",
    ]


def test_numbers_round_trip_without_separators():
    numbers = [0, 1, 15, 16, 31, 32, 33, 1023, 1024, 99_999]
    text = "".join(encode_number(n) for n in numbers)
    assert decode_numbers(text) == numbers
    assert encode_number(17) == "H"  # one character for a small number
    assert json.dumps(text) == f'"{text}"', "nothing in a posting list needs escaping"


def test_text_of_a_body_reads_headings_and_skips_what_is_not_text():
    html = (
        "<h2 id='a'>Find a <em>mentor</em></h2><p>Coffee &amp; calls</p>"
        "<script type='application/json'>{\"secretword\": 1}</script>"
        "<style>.hiddenrule{}</style><svg><text>svgtext</text></svg>"
        "<h3>Second</h3><p>tail</p>"
    )
    headings, body = text_of(html)
    assert headings == "Find a mentor\nSecond"
    assert body == ["find", "mentor", "coffee", "calls", "second", "tail"]


def doc(number, title="", summary="", headings="", body=()):
    return Document(f"d{number}/", title, summary, "Page", headings, tuple(body))


def postings_of(index, word):
    numbers = decode_numbers(index["postings"][index["words"].index(word)])
    found, previous = {}, -1
    for n in numbers:
        previous += n >> 4
        found[previous] = n & 15
    return found


def test_each_word_lists_its_documents_and_the_fields_it_is_in():
    index = build(
        [
            doc(0, title="Why a mentor helps"),
            doc(1, headings="Find a mentor", body=["find", "mentor"]),
            doc(2, summary="A mentor", body=["mentor", "coffee"]),
            doc(3, body=["coffee"]),
        ]
    )
    assert index["words"] == sorted(index["words"])
    # bits: 1 body, 2 summary, 4 headings, 8 title
    assert postings_of(index, "mentor") == {0: 8, 1: 4 | 1, 2: 2 | 1}
    assert postings_of(index, "coffee") == {2: 1, 3: 1}
    assert index["docs"][0] == ["d0/", "Why a mentor helps", "", "Page"]


def test_the_file_is_json_data():
    index = build([doc(0, title='Offer < ask & "give" > 0 </script>')])
    text = dumps(index)
    assert json.loads(text)["docs"][0][1] == 'Offer < ask & "give" > 0 </script>'


def test_long_summaries_are_cut_at_a_word():
    text = "word " * 100
    short = shorten(text.strip(), 30)
    assert short == "word word word word word word…"
    assert shorten("short one") == "short one"
