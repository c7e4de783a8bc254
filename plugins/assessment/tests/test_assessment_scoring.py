"""The Python scorer, checked by hand, and the test vectors that the browser
step reuses (plugins/assessment/tests/vectors.json).

Regenerate the vectors after changing an assessment:
    REGENERATE_ASSESSMENT_VECTORS=1 .venv/bin/pytest plugins/assessment/tests -k vectors
"""

from __future__ import annotations

import itertools
import json
import os
from fractions import Fraction

import pytest
from assessment_support import FIXTURES, REPO, SITE_PAGE, VECTORS
from pelican.plugins.assessment import scoring
from pelican.plugins.assessment.parser import parse
from pelican.plugins.assessment.scoring import (
    BandRange,
    Group,
    Item,
    ScoringModel,
    round_half_up,
    score,
)
from pelican.plugins.assessment.validate import check

REGENERATE = os.environ.get("REGENERATE_ASSESSMENT_VECTORS") == "1"
SOURCES = [SITE_PAGE, FIXTURES / "small.md"]


def load_file(path):
    [a] = parse(path.read_text(encoding="utf-8"), str(path))
    check(a)
    return a


@pytest.fixture(scope="module")
def site():
    return load_file(SITE_PAGE)


@pytest.fixture(scope="module")
def small():
    return load_file(FIXTURES / "small.md")


# -- hand-checked values (these do not trust the scorer) ---------------------


def test_round_half_up_is_exact():
    assert round_half_up(Fraction(25, 2)) == 13
    assert round_half_up(Fraction(75, 2)) == 38
    assert round_half_up(Fraction(2499, 200)) == 12  # 12.495
    assert round_half_up(Fraction(0)) == 0
    assert round_half_up(Fraction(100)) == 100
    # 100 * 7 / 24 = 29.1666...; a float sum could land on either side of .5
    # cases like 100 * 3 / 8 = 37.5, which must go up.
    assert round_half_up(Fraction(300, 8)) == 38


def test_site_all_sometimes(site):
    # Every answer 3 of 5: reverse items give 5 + 1 - 3 = 3 too, so every
    # dimension sits in the middle: 100 * 2 / 4 = 50.
    result = score(site, {s.id: 3 for s in site.statements})
    assert result.dimension_scores == {
        "readiness": 50,
        "online-presence": 50,
        "professional-community": 50,
        "reciprocity-and-upkeep": 50,
        "consistency": 50,
    }
    assert result.dimension_bands == {
        "readiness": "partly-ready",
        "online-presence": "present-but-quiet",
        "professional-community": "occasional-guest",
        "reciprocity-and-upkeep": "friendly-but-patchy",
        "consistency": "on-and-off",
    }
    assert (result.overall_score, result.overall_band) == (50, "warming-up")


def test_site_all_always(site):
    # All 5: normal items score v - 1 = 4, reverse items v = 1 -> 0.
    # Readiness 4+4+4+0 = 12 of 16 -> 75; reciprocity 4+0+4+4+4 = 16 of 20
    # -> 80; consistency (weight 2 on the first) 2*4+4+4+0 = 16 of 20 -> 80.
    # Overall 12+12+12+16+16 = 68 of 4 * 22 = 88 -> 77.27 -> 77.
    result = score(site, {s.id: 5 for s in site.statements})
    assert result.dimension_scores == {
        "readiness": 75,
        "online-presence": 75,
        "professional-community": 75,
        "reciprocity-and-upkeep": 80,
        "consistency": 80,
    }
    assert result.dimension_bands["consistency"] == "weekly-habit"
    assert (result.overall_score, result.overall_band) == (77, "building")


def test_site_half_rounds_up_across_a_band_line(site):
    # Readiness: 3, 3, 3 and the reverse item answered 5 (value 1):
    # 2+2+2+0 = 6 of 16 = 37.5 -> 38, still "Caught off guard" (0-39).
    answers = {"readiness-1": 3, "readiness-2": 3, "readiness-3": 3, "readiness-4": 5}
    result = score(site, answers)
    assert result.dimension_scores["readiness"] == 38
    assert result.dimension_bands["readiness"] == "caught-off-guard"
    # Nothing else answered: no other score, and no overall band.
    assert result.dimension_scores["consistency"] is None
    assert result.overall_score == 38 and result.overall_band is None


def test_site_weight_counts_double(site):
    # Consistency: only the weighted item (weight 2) answered 5 and the
    # others 1 (the reverse one 1 -> value 5): 2*4 + 0 + 0 + 4 = 12 of 20 = 60.
    answers = {"consistency-1": 5, "consistency-2": 1, "consistency-3": 1, "consistency-4": 1}
    result = score(site, answers)
    assert result.dimension_scores["consistency"] == 60
    assert result.dimension_bands["consistency"] == "on-and-off"


def test_small_with_decimal_weight(small):
    # Scale of 4. Keeping in touch, all "Often" (3): 2 + (reverse 4+1-3=2) 1
    # + 1.5 * 2 = 6 of 3 * 3.5 = 10.5 -> 57.14 -> 57. Showing up: 2*2 + 2 = 6
    # of 9 -> 66.67 -> 67. Overall 12 of 19.5 -> 61.5 -> 62.
    result = score(small, {s.id: 3 for s in small.statements})
    assert result.dimension_scores == {"keeping-in-touch": 57, "showing-up": 67}
    assert result.dimension_bands == {"keeping-in-touch": "in-touch", "showing-up": None}
    assert (result.overall_score, result.overall_band) == (62, "known")


def test_partial_dimension_has_a_score_but_no_band(small):
    result = score(small, {"keeping-in-touch-1": 4, "keeping-in-touch-3": None})
    assert result.dimension_scores["keeping-in-touch"] == 100
    assert result.dimension_bands["keeping-in-touch"] is None
    assert result.dimension_scores["showing-up"] is None


def test_bad_answers_are_refused(small):
    with pytest.raises(ValueError, match="no statement with id 'nope'"):
        score(small, {"nope": 1})
    with pytest.raises(ValueError, match="must be 1 to 4"):
        score(small, {"new-people": 5})
    with pytest.raises(ValueError, match="whole number"):
        score(small, {"new-people": 2.0})


def test_paper_ranges_match_the_scorer(site):
    model = ScoringModel.from_assessment(site)
    for group in [*model.dimensions, scoring.Group("overall", model.items, model.bands)]:
        ranges = scoring.band_point_ranges(group.items, group.bands, model.points)
        for total in scoring.totals(group.items, model.points):
            s = scoring.score_of_total(total, group.items, model.points)
            band = scoring.band_for(group.bands, s)
            low, high = ranges[band]
            assert low <= total <= high


# -- the vectors file --------------------------------------------------------


def _answers_for_sum(items, k, target):
    """Answers (deterministic) whose sum of w * (v - 1) is ``target``."""
    suffix = [{Fraction(0)}]
    for item in reversed(items):
        suffix.insert(0, {s + item.weight * d for s in suffix[0] for d in range(k)})
    answers, rest = {}, Fraction(target)
    for n, item in enumerate(items):
        for d in range(k - 1, -1, -1):
            if rest - item.weight * d in suffix[n + 1]:
                v = d + 1
                answers[item.id] = k + 1 - v if item.reverse else v
                rest -= item.weight * d
                break
    assert rest == 0
    return answers


def _interesting_sums(items, bands, k):
    """Raw sums that land on a rounding half, or either side of a band line."""
    weights = sum(i.weight for i in items)
    sums = sorted({t - weights for t in scoring.totals(items, k)})
    exact = {s: 100 * s / ((k - 1) * weights) for s in sums}
    picked = []
    halves = [s for s in sums if (exact[s] - Fraction(1, 2)).denominator == 1]
    picked += halves[:2]
    for low, high in itertools.pairwise(bands):
        below = [s for s in sums if round_half_up(exact[s]) <= low.high]
        above = [s for s in sums if round_half_up(exact[s]) >= high.low]
        picked += [below[-1], above[0]]
    return list(dict.fromkeys(picked))


def build_cases(a):
    model = ScoringModel.from_assessment(a)
    k = model.points
    items = model.items
    cases = [
        ("every answer the lowest label", {i.id: 1 for i in items}),
        ("every answer the highest label", {i.id: k for i in items}),
        ("every answer the middle label", {i.id: (k + 1) // 2 for i in items}),
        (
            "best habits: reverse items answered lowest",
            {i.id: 1 if i.reverse else k for i in items},
        ),
        (
            "worst habits: reverse items answered highest",
            {i.id: k if i.reverse else 1 for i in items},
        ),
        ("answers cycle through the scale", {i.id: n % k + 1 for n, i in enumerate(items)}),
        ("nothing answered", {}),
        ("one answer only", {items[0].id: k}),
        ("only the reverse items, answered highest", {i.id: k for i in items if i.reverse}),
    ]
    first = model.dimensions[0]
    cases.append((f"only {first.id}, answered highest", {i.id: k for i in first.items}))
    weighted = [i for i in items if i.weight != 1]
    for item in weighted[:1]:
        group = next(g for g in model.dimensions if item in g.items)
        answers = {i.id: 1 for i in group.items}
        answers[item.id] = k
        cases.append(
            (f"{group.id}: weighted {item.id} highest label, the rest lowest label", answers)
        )
    for group in model.dimensions:
        for s in _interesting_sums(group.items, sorted(group.bands, key=lambda b: b.low), k):
            answers = _answers_for_sum(list(group.items), k, s)
            exact = 100 * s / ((k - 1) * sum(i.weight for i in group.items))
            cases.append((f"{group.id}: exact score {float(exact):g}", answers))
    overall = sorted(model.bands, key=lambda b: b.low)
    for s in _interesting_sums(items, overall, k):
        answers = _answers_for_sum(list(items), k, s)
        exact = 100 * s / ((k - 1) * sum(i.weight for i in items))
        cases.append((f"overall: exact score {float(exact):g}", answers))
    return [
        {"name": name, "answers": answers, "expected": score(model, answers).as_dict()}
        for name, answers in cases
    ]


def scoring_data(a):
    """What scoring needs, in the page JSON's shape (``model_from_json``)."""
    model = ScoringModel.from_assessment(a)

    def bands(items):
        return [{"id": b.id, "min": b.low, "max": b.high} for b in items]

    return {
        "scale": a.points,
        "dimensions": [
            {
                "id": g.id,
                "statements": [
                    {"id": i.id, "reverse": i.reverse, "weight": _num(i.weight)} for i in g.items
                ],
                "bands": bands(g.bands),
            }
            for g in model.dimensions
        ],
        "bands": bands(model.bands),
    }


def _num(x):
    return x.numerator if x.denominator == 1 else float(x)


def build_vectors():
    return {
        "about": (
            "Answers (statement id -> 1..k, first scale label = 1; a missing id "
            "is unanswered) and the expected dimension scores, dimension bands, "
            "overall score and overall band. Scoring rules: "
            "plugins/assessment/README.md#scoring. Generated by "
            "plugins/assessment/tests/test_assessment_scoring.py; regenerate with "
            "REGENERATE_ASSESSMENT_VECTORS=1 .venv/bin/pytest plugins/assessment/tests -k vectors"
        ),
        "assessments": [
            {
                "source": path.relative_to(REPO).as_posix(),
                "id": a.id,
                "model": scoring_data(a),
                "cases": build_cases(a),
            }
            for path, a in ((p, load_file(p)) for p in SOURCES)
        ],
    }


def test_vectors_file_is_up_to_date():
    fresh = build_vectors()
    if REGENERATE:
        VECTORS.write_text(json.dumps(fresh, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    stored = json.loads(VECTORS.read_text(encoding="utf-8"))
    assert stored == fresh, (
        "plugins/assessment/tests/vectors.json is stale: an assessment or the scorer "
        "changed. Regenerate with REGENERATE_ASSESSMENT_VECTORS=1 and review the diff"
    )


def test_vectors_cover_the_hard_cases():
    stored = json.loads(VECTORS.read_text(encoding="utf-8"))
    site = stored["assessments"][0]
    assert site["id"] == "networking-habits"
    cases = site["cases"]
    assert len(cases) >= 25
    names = " / ".join(c["name"] for c in cases)
    assert "exact score 37.5" in names  # a half that rounds up
    assert "nothing answered" in names
    assert any("weighted" in c["name"] for c in cases)
    overall_bands = {c["expected"]["overall"]["band"] for c in cases}
    assert {"head-down", "warming-up", "building", "networking-before-you-need-it"} <= overall_bands
    assert None in overall_bands  # partial answers give no overall band


def model_from_json(data) -> ScoringModel:
    """The scoring model from the page JSON's shape, as assessment.js reads it."""

    def bands(items):
        return tuple(BandRange(b["id"], b["min"], b["max"]) for b in items)

    scale = data["scale"]
    return ScoringModel(
        points=scale if isinstance(scale, int) else len(scale),
        dimensions=tuple(
            Group(
                d["id"],
                tuple(
                    Item(s["id"], s["reverse"], Fraction(str(s["weight"]))) for s in d["statements"]
                ),
                bands(d["bands"]),
            )
            for d in data["dimensions"]
        ),
        bands=bands(data["bands"]),
    )


def test_vectors_score_the_same_from_the_json_model():
    """The JSON shape is enough to reproduce every expected result."""
    stored = json.loads(VECTORS.read_text(encoding="utf-8"))
    for entry in stored["assessments"]:
        model = model_from_json(entry["model"])
        for case in entry["cases"]:
            assert score(model, case["answers"]).as_dict() == case["expected"], case["name"]
