"""Check an assessment's meaning: the rules that make it scorable and safe.

``validate(a)`` returns every problem (errors and warnings), sorted by line.
``check(a)`` raises ``AssessmentError`` with all errors, or returns warnings.
"""

from __future__ import annotations

import re
from fractions import Fraction

from . import markup, scoring
from .errors import AssessmentError, Problem
from .model import Assessment, Band
from .parser import ID_FIX, ID_RE

MIN_POINTS = 3
MIN_STATEMENTS = 2
WEIGHT_RE = re.compile(r"^(?:\d+(?:\.\d{1,2})?|\.\d{1,2})$")


def check(a: Assessment) -> list[Problem]:
    """Raise ``AssessmentError`` listing every error; return the warnings."""
    found = validate(a)
    errors = [p for p in found if p.severity == "error"]
    if errors:
        raise AssessmentError(errors)
    return [p for p in found if p.severity == "warning"]


def validate(a: Assessment) -> list[Problem]:
    v = _Validator(a)
    v.run()
    return sorted(v.problems, key=lambda p: p.line)


class _Validator:
    def __init__(self, a: Assessment):
        self.a = a
        self.problems: list[Problem] = []

    def error(self, line: int, problem: str, fix: str) -> None:
        self.problems.append(Problem(self.a.path, line, problem, fix))

    def warning(self, line: int, problem: str, fix: str) -> None:
        self.problems.append(Problem(self.a.path, line, problem, fix, "warning"))

    def run(self) -> None:
        a = self.a
        if a.title is None or not a.title.source.strip():
            self.error(
                a.title.line if a.title else a.line,
                "the assessment has no title",
                f"add 'title: Your question?' on the line after '::: assessment {a.id}'",
            )
        self.scale()
        self.dimensions()
        self.ids_and_statements()
        self.weights()
        for dim in a.dimensions:
            if dim.bands:
                self.bands(dim.bands, f"dimension '{dim.name.source}'", dim.line)
        if a.bands:
            self.bands(a.bands, "the overall result", a.overall_line or a.line)
        else:
            self.error(
                a.overall_line or a.end_line,
                "the assessment has no overall bands",
                "add a '## Overall' section with '### 0-39 Name' bands that "
                "together cover every score from 0 to 100",
            )
        for text in a.texts():
            self.problems.extend(markup.problems(text, a.path))
        if not any(p.severity == "error" for p in self.problems):
            self.reachable()

    def scale(self) -> None:
        a = self.a
        if a.scale_line is None or not a.scale:
            self.error(
                a.scale_line or a.line,
                "the assessment has no scale labels",
                "declare the scale once, after the opening line, e.g. "
                "'scale: Never | Rarely | Sometimes | Often | Always'",
            )
            return
        seen: dict[str, int] = {}
        for n, label in enumerate(a.scale, 1):
            if not label.source:
                self.error(
                    label.line,
                    f"scale label {n} of {len(a.scale)} is missing",
                    "write a label between every two '|', and none before the "
                    "first or after the last",
                )
                continue
            key = " ".join(label.source.casefold().split())
            if key in seen:
                self.error(
                    label.line,
                    f"scale label '{label.source}' is used twice (points {seen[key]} and {n})",
                    "give every point of the scale its own label",
                )
            else:
                seen[key] = n
        if len(a.scale) < MIN_POINTS:
            self.error(
                a.scale_line,
                f"the scale has {len(a.scale)} point{'s' * (len(a.scale) != 1)}; "
                f"it needs at least {MIN_POINTS}",
                "add labels, e.g. 'scale: Never | Sometimes | Always'",
            )

    def dimensions(self) -> None:
        a = self.a
        if not a.dimensions:
            self.error(
                a.line,
                "the assessment has no dimensions",
                "add a '## Dimension name' heading followed by a list of statements ('- I ...')",
            )
        for dim in a.dimensions:
            n = len(dim.statements)
            if n == 0:
                self.error(
                    dim.line,
                    f"dimension '{dim.name.source}' is empty: it has no statements",
                    f"list at least {MIN_STATEMENTS} statements under it "
                    "('- I ...'), or remove the heading",
                )
            elif n < MIN_STATEMENTS:
                self.error(
                    dim.line,
                    f"dimension '{dim.name.source}' has only {n} statement; a "
                    f"dimension needs at least {MIN_STATEMENTS}",
                    "add another statement, or move this one into another dimension",
                )

    def ids_and_statements(self) -> None:
        used: dict[str, int] = {}

        def claim(ident: str, line: int, what: str, fix: str) -> None:
            if not ID_RE.match(ident):
                self.error(line, f"{what} id '{ident}' is not valid", ID_FIX)
            elif ident in used:
                self.error(
                    line,
                    f"duplicate id '{ident}': line {used[ident]} already uses it",
                    fix,
                )
            else:
                used[ident] = line

        texts: dict[str, int] = {}
        for dim in self.a.dimensions:
            if not dim.id:
                self.error(
                    dim.line,
                    f"cannot make an id from the dimension name '{dim.name.source}'",
                    f"add one: '## {dim.name.source} (id my-dimension)'",
                )
            else:
                claim(
                    dim.id,
                    dim.line,
                    "dimension",
                    "rename one dimension, or give it its own id: "
                    f"'## {dim.name.source} (id another-id)'",
                )
            for st in dim.statements:
                claim(
                    st.id,
                    st.line,
                    "statement",
                    "give the statement its own id: '- ... (id another-id)'",
                )
                key = " ".join(st.text.source.casefold().rstrip(" .!?").split())
                if key in texts:
                    self.error(
                        st.line,
                        f"duplicate statement: the same text is on line {texts[key]}",
                        "remove one of the two, or reword it",
                    )
                else:
                    texts[key] = st.line

    def weights(self) -> None:
        for st in self.a.statements:
            w = st.weight_source
            if w is None:
                continue
            if not WEIGHT_RE.match(w) or Fraction(w) <= 0:
                self.error(
                    st.line,
                    f"weight '{w}' is not a positive number",
                    "use a number greater than 0 with at most 2 decimals, e.g. "
                    "(weight 2) or (weight 1.5); leave it out for weight 1",
                )

    def bands(self, bands: list[Band], where: str, line: int) -> None:
        names: dict[str, int] = {}
        usable = []
        for band in bands:
            label = f"band '{band.name.source}' ({band.low}-{band.high})"
            if band.id in names:
                self.error(
                    band.line,
                    f"{where} has two bands named '{band.name.source}' "
                    f"(the first on line {names[band.id]})",
                    "give every band of a set its own name",
                )
            elif not band.id:
                self.error(
                    band.line,
                    f"cannot make an id from the band name '{band.name.source}'",
                    "use letters or digits in the band name",
                )
            else:
                names[band.id] = band.line
            if band.verdict is None:
                self.error(
                    band.line,
                    f"{label} has no verdict",
                    "write one short paragraph under the band heading saying what the score means",
                )
            low, high = band.low, band.high
            if band.low > band.high:
                self.error(
                    band.line,
                    f"{label} runs backwards",
                    f"write the lower score first: {band.high}-{band.low}",
                )
                low, high = high, low
            if high > 100:
                self.error(
                    band.line,
                    f"{label} goes past 100, the highest score",
                    "scores run from 0 to 100; end the last band at 100",
                )
                high = 100
            # Check coverage with the range the author most likely meant, so
            # one mistake does not also show up as a gap.
            usable.append((low, high, band))
        usable.sort(key=lambda u: (u[0], u[1]))
        expected = 0
        previous = None
        for low, high, band in usable:
            name = f"'{band.name.source}' ({band.low}-{band.high})"
            if low > expected:
                gap = _span(expected, low - 1)
                self.error(
                    band.line,
                    f"the bands of {where} leave a gap: no band covers "
                    f"score{'s' * (low - 1 > expected)} {gap}",
                    f"start band {name} at {expected}"
                    if previous is None
                    else f"end the band before it at {low - 1}, or start this band at {expected}",
                )
            elif low < expected:
                prev = f"'{previous.name.source}' ({previous.low}-{previous.high})"
                self.error(
                    band.line,
                    f"the bands of {where} overlap: {prev} and {name} both "
                    f"cover {_span(low, min(expected - 1, high))}",
                    f"start band {name} at {expected}, or end the other one at {low - 1}",
                )
            if high + 1 > expected:
                expected = high + 1
                previous = band
        if expected <= 100:
            self.error(
                usable[-1][2].line if usable else line,
                f"the bands of {where} do not cover the whole score range: no "
                f"band covers {_span(expected, 100)}",
                "scores run from 0 to 100; make the last band end at 100",
            )

    def reachable(self) -> None:
        """Warn about bands that no answers can reach (needs valid input)."""
        model = scoring.ScoringModel.from_assessment(self.a)
        k = model.points
        for dim, group in zip(self.a.dimensions, model.dimensions, strict=True):
            self._reachable(group.items, dim.bands, k, f"dimension '{dim.name.source}'")
        self._reachable(model.items, self.a.bands, k, "the overall result")

    def _reachable(self, items, bands, k, where) -> None:
        if not bands:
            return
        ranges = scoring.band_point_ranges(items, bands, k)
        for band in bands:
            if ranges[band.id] is None:
                self.warning(
                    band.line,
                    f"band '{band.name.source}' ({band.low}-{band.high}) of "
                    f"{where} can never be reached: no total of points gives a "
                    "score in it",
                    "widen the band, or merge it with a neighbour",
                )


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"
