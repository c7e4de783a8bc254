"""Render a validated assessment: the form, the scoring key, the JSON data,
the feed version and the summary stub.

All author text goes through ``markup.to_html`` (Markdown rendered, then
checked against an allowlist) or ``html.escape``; the JSON is escaped for a
``<script>`` element. The output has no ``style`` attributes, no inline
scripts and no ``on*`` handlers, so it works under a strict CSP.

DOM ids all start with the assessment id and a double hyphen, e.g.
``networking-habits--st-readiness-1``. Markdown's table of contents never
makes ids with "--", so they cannot clash with heading anchors on the page.
Author-chosen ids always follow a kind prefix (``dim-``, ``st-``, ``band-``),
and the widget's own parts never start with one, so a dimension called
"Results" or a band called "Heading" cannot produce a duplicate id.
"""

from __future__ import annotations

import hashlib
import json
from html import escape

from . import scoring
from .markup import plain, to_html
from .model import Assessment, Band

SCHEMA_VERSION = 1


def _esc(text) -> str:
    return escape(str(text), quote=True)


def dom_id(a: Assessment, *parts: str) -> str:
    return "--".join((a.id, *parts))


def definition_hash(a: Assessment) -> str:
    """12 hex digits of SHA-256 over what gives an answer its meaning: the
    scale and, per dimension, its id and statements (id, number, text,
    reverse, weight), as canonical JSON. Readers' answers, history and share
    links are tied to it, so editing a statement or the scale starts them
    afresh, while editing a band, verdict, tip, title or intro keeps them."""
    d = data(a)
    scored = {
        "scale": d["scale"],
        "dimensions": [{"id": x["id"], "statements": x["statements"]} for x in d["dimensions"]],
    }
    canonical = json.dumps(scored, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def render_widget(a: Assessment) -> str:
    """The whole widget: intro, form, results (for the script), scoring key
    and JSON data."""
    root = dom_id(a, "assessment")
    return "\n".join(
        [
            f'<habit-assessment id="{root}" data-assessment-id="{_esc(a.id)}" '
            f'data-definition-hash="{definition_hash(a)}">',
            render_intro(a),
            render_form(a),
            render_results(a),
            render_key(a),
            render_data(a),
            "</habit-assessment>",
        ]
    )


def minutes(a: Assessment) -> int:
    """About how long answering takes: some 15 seconds a statement."""
    return max(1, round(len(a.statements) / 4))


def render_intro(a: Assessment) -> str:
    out = [f'<p class="assessment-title" id="{dom_id(a, "title")}">{to_html(a.title, a.path)}</p>']
    if a.intro:
        out.append(f'<div class="assessment-intro">\n{to_html(a.intro, a.path)}\n</div>')
    count, habits = len(a.statements), len(a.dimensions)
    first = dom_id(a, "st-" + a.statements[0].id)
    out.append(
        f'<p class="assessment-start"><a class="assessment-button" href="#{first}">Start</a> '
        f"<span>{count} statements, {habits} habit{'s' * (habits > 1)}, "
        f"about {minutes(a)} minute{'s' * (minutes(a) > 1)}.</span></p>"
    )
    return "\n".join(out)


def render_progress(a: Assessment) -> str:
    """The progress bar above the statements. Its text is true on paper too
    (the script replaces it as the reader answers); its height is fixed, so
    the script changes nothing below it. A segment per habit: the ticks
    between them fall where each habit's statements end."""
    n = len(a.statements)
    parts, ticks, done = [], [], 0
    for dim in a.dimensions:
        if done:
            ticks.append(f'<line x1="{_pct(done, n)}" x2="{_pct(done, n)}" y1="0" y2="8"/>')
        parts.append(
            f'<rect class="assessment-fill" data-dimension-id="{dim.id}" '
            f'x="{_pct(done, n)}" width="0%" height="8"/>'
        )
        done += len(dim.statements)
    return (
        '<div class="assessment-progress">'
        f'<p class="assessment-progress-text">{n} statements in {len(a.dimensions)} '
        "habits</p>"
        '<svg class="assessment-progress-bar" width="100%" height="8" aria-hidden="true" '
        'focusable="false"><rect class="assessment-track" width="100%" height="8"/>'
        f"{''.join(parts + ticks)}</svg></div>"
    )


def _pct(part, whole) -> str:
    return f"{round(100 * part / whole, 2):g}%"


def render_form(a: Assessment) -> str:
    labels = [to_html(t, a.path) for t in a.scale]
    out = [
        f'<form class="assessment-form" id="{dom_id(a, "form")}" '
        f'aria-labelledby="{dom_id(a, "title")}">',
        '<p class="assessment-instructions">Choose one answer for each '
        "statement. Your answers stay in this browser: nothing is sent anywhere.</p>",
        # The next step on paper, and with the script: both take the same
        # place (site.css), so the page does not move when the script starts.
        '<p class="assessment-next"><span class="assessment-on-paper">Then add up '
        f'your points with the <a href="#{dom_id(a, "key")}">scoring key</a> '
        'below the form.</span> <span class="assessment-on-screen">Your scores '
        "and tips appear below the form as you answer.</span></p>",
        render_progress(a),
    ]
    for dim in a.dimensions:
        sec = dom_id(a, "dim-" + dim.id)
        # No accessible name on the inner sections: named sections become
        # region landmarks, and a landmark per dimension (twice, with the
        # key) would be noise. The headings give the structure.
        out.append(
            f'<section class="assessment-dimension" id="{sec}" data-dimension-id="{dim.id}">'
        )
        out.append(f'<h2 id="{sec}--heading">{to_html(dim.name, a.path)}</h2>')
        if dim.description:
            out.append(f'<p class="assessment-description">{to_html(dim.description, a.path)}</p>')
        for st in dim.statements:
            fid = dom_id(a, "st-" + st.id)
            out.append(
                f'<fieldset class="assessment-statement" id="{fid}" data-statement-id="{st.id}">'
            )
            out.append(
                f'<legend><span class="assessment-number">{st.number}.</span> '
                f"{to_html(st.text, a.path)}</legend>"
            )
            out.append('<div class="assessment-options">')
            for n, label in enumerate(labels, 1):
                out.append(
                    f'<label class="assessment-option" for="{fid}--{n}">'
                    f'<input type="radio" id="{fid}--{n}" name="{st.id}" '
                    f'value="{n}"> {label}</label>'
                )
            out.append("</div>")
            out.append("</fieldset>")
        out.append("</section>")
    # For screen readers only, at the points that matter (a habit done, all
    # done): the progress bar and the results say the same on screen.
    out.append(
        f'<div class="assessment-result" id="{dom_id(a, "result")}" '
        'role="status" aria-live="polite"></div>'
    )
    out.append("</form>")
    return "\n".join(out)


def render_bar(a: Assessment, dim) -> str:
    """One habit's bar in the result chart: the bands as segments with their
    boundaries marked and numbered, and the fill the script sizes. Drawn in
    percentages of the width, so text never stretches; only presentation
    attributes and classes (CSP). Hidden from screen readers: the text
    beside it says the same."""
    parts = ['<rect class="assessment-track" width="100%" height="12" rx="2"/>']
    for band in sorted(dim.bands, key=lambda b: b.low):
        parts.append(
            f'<rect class="assessment-segment" data-band-id="{band.id}" x="{band.low}%" '
            f'width="{min(band.high + 1, 100) - band.low}%" height="12"/>'
        )
    parts.append('<rect class="assessment-fill" width="0%" height="12" rx="2"/>')
    for band in sorted(dim.bands, key=lambda b: b.low)[1:]:
        parts.append(
            f'<line x1="{band.low}%" x2="{band.low}%" y1="0" y2="16"/>'
            f'<text x="{band.low}%" y="28" text-anchor="middle">{band.low}</text>'
        )
    return (
        '<svg class="assessment-bar" width="100%" height="30" aria-hidden="true" '
        f'focusable="false">{"".join(parts)}</svg>'
    )


def render_results(a: Assessment) -> str:
    """The results the script fills in, ``hidden`` until it runs: without
    JavaScript the reader never sees empty controls. Everything static (names,
    labels, messages, the chart's bands) is here, so the script stays small
    and reveals or fills parts without moving what is above them.
    """
    r = dom_id(a, "results")
    bars = "".join(
        f'<li data-dimension-id="{d.id}"><span class="assessment-bar-name">'
        f'{to_html(d.name, a.path)}</span> <span class="assessment-bar-value"></span>'
        f"{render_bar(a, d)}</li>"
        for d in a.dimensions
    )
    habit_cols = "".join(f'<th scope="col">{to_html(d.name, a.path)}</th>' for d in a.dimensions)
    return "\n".join(
        [
            f'<section class="assessment-results" id="{r}" aria-labelledby="{r}--heading" hidden>',
            f'<h2 id="{r}--heading" tabindex="-1">Your results</h2>',
            '<p class="assessment-storage-note" hidden>Saving is off in this '
            "browser: your answers and results will not be kept after you leave "
            "this page.</p>",
            '<div class="assessment-shared" hidden>',
            "<p>These are answers someone shared with you in a link. Nothing here "
            "is saved: your own answers are kept as they were, unless you choose "
            "to keep these instead.</p>",
            '<p class="assessment-buttons">'
            '<button type="button" class="assessment-keep">Keep these answers</button> '
            '<button type="button" class="assessment-back secondary">'
            "Back to my answers</button></p>",
            "</div>",
            '<p class="assessment-shared-old" hidden>This link was made for an '
            "earlier version of this check, so its answers cannot be shown. Your "
            "own answers are unchanged.</p>",
            '<p class="assessment-shared-damaged" hidden>This link is damaged: some of '
            "its answers are not on this check's scale, so none are shown. Your own "
            "answers are unchanged.</p>",
            '<p class="assessment-summary"></p>',
            '<div class="assessment-overall"></div>',
            f'<p class="assessment-chart-title" id="{r}--chart">Score of each habit, '
            "from 0 to 100, with the bands marked</p>",
            f'<ul class="assessment-scores" aria-labelledby="{r}--chart">{bars}</ul>',
            '<p class="assessment-strength" hidden>Your strength: <strong></strong></p>',
            f'<div class="assessment-step" hidden aria-labelledby="{r}--step" role="group">',
            f'<h3 id="{r}--step">Your step this week</h3>',
            '<p class="assessment-step-habit"></p>',
            '<div class="assessment-step-tip"></div>',
            "</div>",
            '<details class="assessment-more" hidden>',
            "<summary>More ideas</summary>",
            '<div class="assessment-more-items"></div>',
            "</details>",
            '<div class="assessment-history" hidden>',
            f'<h3 id="{r}--history" tabindex="-1">Your results over time</h3>',
            '<p class="assessment-history-note">Kept in this browser only: your '
            "result on each day you answer every statement.</p>",
            '<p class="assessment-change"></p>',
            '<ul class="assessment-changes"></ul>',
            '<div class="assessment-trend" hidden>',
            '<div class="assessment-chart" aria-hidden="true"></div>',
            f'<div class="assessment-past-scroll" role="region" tabindex="0" '
            f'aria-labelledby="{r}--past">',
            '<table class="assessment-past">',
            f'<caption id="{r}--past">Scores by date</caption>',
            '<thead><tr><th scope="col">Date</th><th scope="col">Overall</th>'
            f"{habit_cols}</tr></thead>",
            "<tbody></tbody>",
            "</table>",
            "</div>",
            "</div>",
            '<p class="assessment-buttons"><button type="button" '
            'class="assessment-delete secondary">Delete my history</button></p>',
            "</div>",
            '<p class="assessment-buttons assessment-actions">'
            '<button type="button" class="assessment-print">Print my results</button> '
            '<button type="button" class="assessment-copy secondary">Copy results as text</button> '
            '<button type="button" class="assessment-share secondary">'
            "Copy a link to these answers</button> "
            '<button type="button" class="assessment-reset secondary">'
            "Clear my answers</button></p>",
            '<p class="assessment-copy-status" role="status"></p>',
            '<p class="assessment-copy-box" hidden>'
            f'<label for="{r}--text">Select this text and copy it</label>'
            f'<textarea id="{r}--text" readonly rows="8"></textarea></p>',
            _confirm(
                r,
                "delete",
                "Delete every saved result of this check from this browser? "
                "Your current answers stay.",
                "Delete my history",
            ),
            _confirm(
                r,
                "clear",
                "Clear every answer on this page? Your saved results over time stay.",
                "Clear my answers",
            ),
            "</section>",
        ]
    )


def _confirm(r: str, action: str, question: str, verb: str) -> str:
    """A confirmation dialog; the script opens it and acts on ``action``."""
    return (
        f'<dialog class="assessment-confirm" data-action="{action}" '
        f'aria-labelledby="{r}--{action}">'
        f'<form method="dialog"><p id="{r}--{action}">{question}</p>'
        f'<p class="assessment-buttons"><button value="{action}">{verb}</button> '
        '<button value="cancel" class="secondary" autofocus>Cancel</button></p>'
        "</form></dialog>"
    )


def render_key(a: Assessment) -> str:
    """The printable scoring key: points per answer, totals and bands."""
    model = scoring.ScoringModel.from_assessment(a)
    k = a.points
    labels = [to_html(t, a.path) for t in a.scale]
    plain_labels = [plain(t, a.path) for t in a.scale]
    key = dom_id(a, "key")
    scale_points = ", ".join(f"{lab} = {n}" for n, lab in enumerate(plain_labels, 1))
    how = [
        f"Score yourself on screen or on paper. Each answer is worth points: {_esc(scale_points)}."
    ]
    if any(s.reverse for s in a.statements):
        how.append(
            "A statement marked <em>reverse</em> counts the other way round "
            f"({_esc(plain_labels[0])} = {k} … {_esc(plain_labels[-1])} = 1)."
        )
    if any(s.weight != 1 for s in a.statements):
        how.append("The points of a statement with a weight are multiplied by that weight.")
    how.append(
        "The tables give the points of every answer. Add up the points of each "
        "habit and find your total among its bands; your overall total is "
        "the sum of all the habit totals."
    )
    # Open without the script: it is the paper version. The script folds it
    # once it shows scores on screen, and marks the reader's bands in it.
    out = [
        '<details class="assessment-key-fold" open><summary>Score it on paper</summary>',
        f'<section class="assessment-key" id="{key}" aria-labelledby="{key}--heading">',
        f'<h2 id="{key}--heading">Scoring key</h2>',
        f"<p>{' '.join(how)}</p>",
    ]
    for dim, group in zip(a.dimensions, model.dimensions, strict=True):
        sec = dom_id(a, "key", "dim-" + dim.id)
        first, last = dim.statements[0].number, dim.statements[-1].number
        low, high = scoring.total_range(group.items, k)
        out.append(f'<section class="assessment-key-dimension" id="{sec}">')
        out.append(f'<h3 id="{sec}--heading">{to_html(dim.name, a.path)}</h3>')
        out.append('<table class="assessment-points">')
        out.append(f"<caption>Points per answer, statements {_span(first, last)}</caption>")
        out.append(
            '<thead><tr><th scope="col">Statement</th>'
            + "".join(f'<th scope="col">{lab}</th>' for lab in labels)
            + "</tr></thead>"
        )
        out.append("<tbody>")
        for st, item in zip(dim.statements, group.items, strict=True):
            notes = []
            if st.reverse:
                notes.append("reverse")
            if item.weight != 1:
                notes.append(f"weight {scoring.format_number(item.weight)}")
            note = f' <span class="assessment-marker">({", ".join(notes)})</span>' if notes else ""
            cells = "".join(
                f"<td>{scoring.format_number(item.weight * scoring.value(item, n, k))}</td>"
                for n in range(1, k + 1)
            )
            out.append(f'<tr><th scope="row">{st.number}{note}</th>{cells}</tr>')
        out.append("</tbody>")
        out.append("</table>")
        out.append(
            f'<p class="assessment-total">Add up the points of statements '
            f"{_span(first, last)}: your total is between "
            f"{scoring.format_number(low)} and {scoring.format_number(high)}.</p>"
        )
        if dim.bands:
            ranges = scoring.band_point_ranges(group.items, dim.bands, k)
            out.extend(_bands(a, dim.bands, ranges, sec))
        out.append("</section>")
    sec = dom_id(a, "key", "overall")
    low, high = scoring.total_range(model.items, k)
    out.append(f'<section class="assessment-key-overall" id="{sec}">')
    out.append(f'<h3 id="{sec}--heading">Overall</h3>')
    out.append(
        '<p class="assessment-total">Add up your habit totals: your '
        f"overall total is between {scoring.format_number(low)} and "
        f"{scoring.format_number(high)}.</p>"
    )
    ranges = scoring.band_point_ranges(model.items, a.bands, k)
    out.extend(_bands(a, a.bands, ranges, sec))
    out.append("</section>")
    out.append(
        '<p class="assessment-note">How the ranges are made: a total becomes a '
        "score from 0 to 100, 100 × (total − lowest total) ÷ (highest total − "
        "lowest total), rounded to the nearest whole number (halves round up), "
        "and each band covers a range of scores.</p>"
    )
    out.append("</section>")
    out.append("</details>")
    return "\n".join(out)


def _span(first: int, last: int) -> str:
    return f"{first} and {last}" if last == first + 1 else f"{first} to {last}"


def _bands(a: Assessment, bands: list[Band], ranges: dict, prefix: str) -> list[str]:
    out = []
    for band in sorted(bands, key=lambda b: b.low):
        bid = f"{prefix}--band-{band.id}"
        span = ranges.get(band.id)
        if span is None:
            points = "no total reaches this band"
        else:
            lo, hi = (scoring.format_number(x) for x in span)
            points = f"{lo} point{'s' * (lo != '1')}" if lo == hi else f"{lo} to {hi} points"
        out.append(
            f'<div class="assessment-band" id="{bid}" data-band-id="{band.id}" '
            f'data-score-min="{band.low}" data-score-max="{band.high}">'
        )
        out.append(
            f'<h4 id="{bid}--heading">{to_html(band.name, a.path)} '
            f'<span class="assessment-range">({points}; score {band.low}–'
            f'{band.high})</span> <strong class="assessment-your-band" hidden>Your band'
            "</strong></h4>"
        )
        out.append(f'<p class="assessment-verdict">{to_html(band.verdict, a.path)}</p>')
        if band.tips:
            out.append('<ul class="assessment-tips">')
            out.extend(f"<li>{to_html(t, a.path)}</li>" for t in band.tips)
            out.append("</ul>")
        out.append("</div>")
    return out


def data(a: Assessment) -> dict:
    """The model as plain data for the browser step (and the test vectors).

    Text is plain (no markup); verdict and tips with links live in the key,
    in the element whose id is each band's ``element``.
    """

    def bands(items, prefix):
        return [
            {
                "id": b.id,
                "name": plain(b.name, a.path),
                "min": b.low,
                "max": b.high,
                "verdict": plain(b.verdict, a.path),
                "element": f"{prefix}--band-{b.id}",
            }
            for b in sorted(items, key=lambda b: b.low)
        ]

    return {
        "schema": SCHEMA_VERSION,
        "id": a.id,
        "title": plain(a.title, a.path),
        "scale": [plain(t, a.path) for t in a.scale],
        "dimensions": [
            {
                "id": d.id,
                "name": plain(d.name, a.path),
                "statements": [
                    {
                        "id": s.id,
                        "number": s.number,
                        "text": plain(s.text, a.path),
                        "reverse": s.reverse,
                        "weight": _number(s.weight),
                    }
                    for s in d.statements
                ],
                "bands": bands(d.bands, dom_id(a, "key", "dim-" + d.id)),
            }
            for d in a.dimensions
        ],
        "bands": bands(a.bands, dom_id(a, "key", "overall")),
    }


def _number(x):
    return x.numerator if x.denominator == 1 else float(x)


def json_for_script(value) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (so
    no ``</script>`` or ``<!--`` can appear), and U+2028 and U+2029 become
    escapes too (they end lines in older JavaScript).
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, sub in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, sub)
    return text


def render_data(a: Assessment) -> str:
    return (
        f'<script type="application/json" class="assessment-data" '
        f'id="{dom_id(a, "data")}">{json_for_script(data(a))}</script>'
    )


def render_feed(a: Assessment, url: str) -> str:
    """Readable feed version: statements as lists and a link to the site."""
    labels = [plain(t, a.path) for t in a.scale]
    out = [
        '<div class="habit-assessment-feed">',
        f"<p><strong>{to_html(a.title, a.path)}</strong></p>",
    ]
    if a.intro:
        out.append(to_html(a.intro, a.path))
    out.append(
        f"<p>Rate each statement from {_esc(labels[0])} to "
        f"{_esc(labels[-1])} ({_esc(', '.join(labels))}).</p>"
    )
    for dim in a.dimensions:
        out.append(f"<h2>{to_html(dim.name, a.path)}</h2>")
        start = dim.statements[0].number
        out.append(f'<ol start="{start}">')
        out.extend(f"<li>{to_html(s.text, a.path)}</li>" for s in dim.statements)
        out.append("</ol>")
    out.append(
        f'<p><a href="{_esc(url)}">Take the self-assessment on the site</a> '
        "to see your score, what it means and tips for each habit.</p>"
    )
    out.append("</div>")
    return "\n".join(out)


def render_summary_stub(a: Assessment | None) -> str:
    """What stands for the widget in an automatic summary."""
    if a is None:
        return '<p class="assessment-summary">Self-assessment.</p>'
    count = len(a.statements)
    return (
        f'<p class="assessment-summary">Self-assessment: '
        f"{to_html(a.title, a.path)} ({count} statements)</p>"
    )
