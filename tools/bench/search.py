"""Search on the benchmark's synthetic site: how big the index is and how
fast results appear, in Chromium.

    PYTHONPATH=tools:plugins .venv/bin/python -m bench.search [--articles 1000]
        [--site OUTPUT] [--rounds 3]        (or: make bench-search)

On its own it writes the synthetic site (bench/generate.py), builds it with
pelicanconf.py, and measures; `make bench` measures the site its builds made.

- Index: bytes of SEARCH_INDEX_SAVE_AS as built, and gzipped at level 9.
- Load: the time from the first focus of the search field to the index
  fetched (gzipped, from 127.0.0.1), parsed and ready; search.js records it
  as the performance measure "search:index-load". Median of the rounds.
- Results: for each query, the time from its input event to the results in
  the page, measured in the page: the input handler searches and renders
  synchronously, and the time is taken at the next animation frame after
  it, when the browser paints. Each round loads the page afresh (no word
  decoded yet); the index is loaded before the first query. Median (and
  worst) of every query of every round.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright as in the
tests. Without it the figures are None and the report says so.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from . import generate
from .pages import gz

REPO = Path(__file__).resolve().parents[2]

BUDGETS = {
    "index_gzip": 300 * 1024,  # at 1,000 articles
    "results_ms": 100,
}
# Words of the synthetic site (bench/generate.py): common and rare, one and
# two words, a prefix, a number only in one title, a typo.
QUERIES = [
    "network",
    "coffee meeting",
    "note 123",
    "recruit",
    "calendar reminder",
    "promotion layoff",
    "mentor",
    "qu",
    "netwrok",
    "habit 3",
]

MEASURE_QUERY = """async (query) => {
  const input = document.querySelector("#search-q");
  const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
  input.value = "";
  input.dispatchEvent(new Event("input", { bubbles: true }));
  await frame();
  await new Promise((done) => setTimeout(done, 50));
  const started = performance.now();
  input.value = query;
  input.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertText" }));
  const handled = performance.now() - started;
  await frame();
  return {
    handled,
    rendered: performance.now() - started,
    results: Number(document.querySelector(".search").dataset.count),
    shown: document.querySelectorAll(".search-result").length,
  };
}"""


def index_file(site: Path) -> Path:
    return site / "search-index.json"


def measure_browser(site: Path, rounds: int, log=print, browser=None) -> dict:
    """Timings in Chromium: `browser` (a Playwright Browser), or Debian's
    Chromium launched here."""
    from sitecheck.a11y import CHROMIUM, CHROMIUM_ARGS
    from sitecheck.localserver import serve

    if rounds < 1:
        return {"status": "not measured (no rounds asked for)"}
    if browser is None and not CHROMIUM.exists():
        return {"status": f"skipped: no Chromium at {CHROMIUM}"}
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(serve(site, compress=True))
        if browser is None:
            from playwright.sync_api import sync_playwright

            playwright = stack.enter_context(sync_playwright())
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            stack.callback(browser.close)
        return _measure(browser, server.url, rounds, log)


def _measure(browser, url: str, rounds: int, log) -> dict:
    loads: list[float] = []
    timings: dict[str, list[dict]] = {q: [] for q in QUERIES}
    for round_ in range(rounds):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            page.goto(url + "/search/")
            page.wait_for_load_state("networkidle")
            page.focus("#search-q")
            page.wait_for_function(
                "() => ['ready', 'failed'].includes("
                "document.querySelector('.search').dataset.state)"
            )
            load = page.evaluate(
                "() => performance.getEntriesByName('search:index-load')[0]?.duration ?? null"
            )
            if load is None:
                raise SystemExit(f"bench: the search index did not load: {errors}")
            loads.append(load)
            for query in QUERIES:
                timings[query].append(page.evaluate(MEASURE_QUERY, query))
            if errors:
                raise SystemExit(f"bench: the search page failed: {errors}")
        finally:
            context.close()
        log(
            f"  search round {round_ + 1}/{rounds}: index loaded in {load:.0f} ms, "
            + ", ".join(f"{q!r} {timings[q][-1]['rendered']:.1f} ms" for q in QUERIES[:3])
            + ", …"
        )
    rendered = [t["rendered"] for runs in timings.values() for t in runs]
    return {
        "status": "measured",
        "rounds": rounds,
        "load_ms": round(statistics.median(loads), 1),
        "load_all_ms": [round(x, 1) for x in loads],
        "results_ms": round(statistics.median(rendered), 1),
        "results_worst_ms": round(max(rendered), 1),
        "handler_ms": round(
            statistics.median(t["handled"] for runs in timings.values() for t in runs), 2
        ),
        "queries": {
            q: {
                "results": runs[-1]["results"],
                "shown": runs[-1]["shown"],
                "rendered_ms": round(statistics.median(t["rendered"] for t in runs), 1),
            }
            for q, runs in timings.items()
        },
    }


def bench_search(site: Path, articles: int, rounds: int = 3, log=print, browser=None) -> dict:
    """The index of a built site, and the page's timings in Chromium."""
    path = index_file(site)
    if not path.is_file():
        raise SystemExit(f"bench: {path} was not built (is search_index in PLUGINS?)")
    data = path.read_bytes()
    index = json.loads(data)
    report = {
        "articles": articles,
        "documents": len(index["docs"]),
        "words": len(index["words"]),
        "index_bytes": len(data),
        "index_gzip": gz(data),
        **measure_browser(site, rounds, log, browser),
    }
    return report


def budget_rows(search: dict) -> list[dict]:
    """Rows for the budgets table (pages.check_budgets' shape)."""
    n = search["articles"]
    measured = search.get("status") == "measured"
    results = search.get("results_ms") if measured else None
    return [
        {
            "budget": f"search index at {n:,} articles, gzipped",
            "limit": BUDGETS["index_gzip"],
            "value": search["index_gzip"],
            "unit": "B",
            "met": search["index_gzip"] <= BUDGETS["index_gzip"],
        },
        {
            "budget": f"search results after typing, median ms ({n:,} articles)",
            "limit": BUDGETS["results_ms"],
            "value": results,
            "unit": "ms",
            "met": None if results is None else results <= BUDGETS["results_ms"],
        },
        {
            "budget": f"search index load and parse, median ms ({n:,} articles)",
            "limit": None,
            "value": search.get("load_ms") if measured else None,
            "unit": "ms",
            "met": None,
        },
    ]


def render_markdown(search: dict) -> list[str]:
    lines = [
        "",
        f"## Search (synthetic site, {search['articles']:,} articles)",
        "",
        f"Index: {search['documents']:,} documents, {search['words']:,} words,"
        f" {search['index_bytes'] / 1024:.1f} KB as built,"
        f" {search['index_gzip'] / 1024:.1f} KB gzipped.",
        "",
    ]
    if search.get("status") != "measured":
        return [*lines, f"Browser timings: {search.get('status')}."]
    lines += [
        f"In Chromium, {search['rounds']} round(s): index load and parse"
        f" {search['load_ms']:.0f} ms (median; all: "
        + ", ".join(f"{x:.0f}" for x in search["load_all_ms"])
        + f"); results {search['results_ms']:.1f} ms after the input event (median,"
        f" worst {search['results_worst_ms']:.1f} ms; the handler itself"
        f" {search['handler_ms']:.2f} ms).",
        "",
        "| query | results (shown) | ms to results (median) |",
        "| --- | ---: | ---: |",
    ]
    for query, row in search["queries"].items():
        lines.append(
            f"| `{query}` | {row['results']} ({row['shown']}) | {row['rendered_ms']:.1f} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--site", type=Path, help="a built site to measure (default: build one)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    work = None
    try:
        site = args.site
        if site is None:
            work = Path(tempfile.mkdtemp(prefix="bench-search-"))
            content = generate.generate(work / "content", args.articles)
            site = work / "output"
            print(f"bench.search: building {args.articles} articles in {work}", flush=True)
            subprocess.run(
                [
                    str(Path(sys.executable).parent / "pelican"),
                    str(content),
                    "-o",
                    str(site),
                    "-s",
                    str(REPO / "pelicanconf.py"),
                    "-e",
                    f"CACHE_PATH={json.dumps(str(work / 'cache'))}",
                    "--fatal",
                    "errors",
                    "-q",
                ],
                cwd=REPO,
                check=True,
            )
        search = bench_search(site, args.articles, args.rounds)
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    print("\n".join(render_markdown(search)))
    for row in budget_rows(search):
        print(f"- {row['budget']}: {row['value']} (limit {row['limit']}, met {row['met']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
