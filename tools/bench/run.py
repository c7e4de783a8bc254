"""`make bench`: build speed against plain Pelican, and page weight.

    PYTHONPATH=tools:plugins .venv/bin/python -m bench [--articles 1000] [--repeat 3]
        [--out bench-results] [--lighthouse]

1. Writes a synthetic site of N articles (bench/generate.py) into a
   temporary folder.
2. Builds it with plain Pelican (its default theme, no plugins, typogrify
   off, its content cache on) and with this project's configuration
   (pelicanconf.py: our theme, plugins and typogrify, the buildcache plugin),
   each with the `pelican` command in a fresh process, three ways: cold
   (empty cache and output), warm (again, nothing changed) and after one
   article's text changed. Each is repeated (`--repeat`, alternating plain
   and ours) and the median is kept. For each build: wall time, articles per
   second, and peak memory, both of the largest process (wait4's ru_maxrss)
   and of all the build's processes together (sampled every 20 ms from
   /proc).
3. Times the real site as an author uses it (bench/realsite.py): a warm
   `make html` build (tools/sitebuild.py, the second of two), and the time
   from saving an article to the reload event of `make devserver`.
4. Weighs the home page, the newest article and the assessment page of a
   publish build of the real site (bench/pages.py) and checks the budgets.
   Search (bench/search.py): the size of the synthetic site's search index,
   and in Chromium its load time and the time from typing to results.
5. Adds the latest Lighthouse scores (bench-results/lighthouse.json from
   `make lighthouse`; `--lighthouse` runs it first).
6. Prints the tables and writes them to OUT/latest.md and OUT/latest.json.

Nothing here is a test: the budgets are reported, met or missed, and the
exit status is 0 unless a build failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import generate, pages, realsite
from . import search as search_bench

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PELICAN = VENV_BIN / "pelican"

# Targets (ratios to plain Pelican with its content cache on, and seconds).
TARGET_COLD = 1.6  # ours cold / plain cold
TARGET_WARM = 1.0  # ours warm / plain warm
TARGET_TOUCH = 1.0  # ours with one article changed / plain with one article changed
TARGET_HTML_WARM = 1.0  # seconds: a warm `make html` build of the real site
TARGET_RELOAD = 0.6  # seconds: save to reload event, `make devserver`, real site

PLAIN_SETTINGS = """\
# Plain Pelican for the benchmark: default theme, no plugins, no typogrify,
# Pelican's own content cache on (so its warm rebuild skips Markdown).
AUTHOR = "Career Exercise editors"
SITENAME = "Career Exercise"
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
PLUGINS = []
TYPOGRIFY = False
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
"""


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    max_rss_kb: int
    tree_rss_kb: int
    returncode: int
    output: str


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
            fields = stat[stat.rindex(")") + 2 :].split()
            pid = int(entry)
            parents[pid] = int(fields[1])
            rss[pid] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
        except (OSError, ValueError, IndexError):
            continue
    total = 0
    for pid, kb in rss.items():
        p, hops = pid, 0
        while p and p != root and hops < 64:
            p, hops = parents.get(p, 0), hops + 1
        if p == root:
            total += kb
    return total


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run a command; its wall time and peak memory."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        seconds,
        usage.ru_utime + usage.ru_stime,
        int(usage.ru_maxrss),
        max(peak, int(usage.ru_maxrss)),
        proc.returncode,
        output.decode("utf-8", "replace"),
    )


@dataclass
class Config:
    name: str
    label: str
    settings: Path
    overrides: list[str]  # NAME=value, for `pelican -e`
    flags: list[str]


def build_command(config: Config, content: Path, output: Path, cache: Path) -> list[str]:
    # One -e for every override: pelican keeps only the last -e it is given
    # (a second one once dropped CACHE_PATH, and that build wrote its cache
    # into the repository's cache/ folder, where it kept growing).
    return [
        str(PELICAN),
        str(content),
        "-o",
        str(output),
        "-s",
        str(config.settings),
        "-e",
        f"CACHE_PATH={json.dumps(str(cache))}",
        *config.overrides,
        *config.flags,
    ]


def build_configs(plain_settings: Path) -> list[Config]:
    return [
        Config("plain", "plain Pelican", plain_settings, [], []),
        # The same pages as ours (theme, pagination, archives, typogrify) by
        # Pelican alone with its own content cache: what our plugins and our
        # cache cost, or save, on this site's own settings.
        Config(
            "site",
            "Pelican, site conf",
            REPO / "pelicanconf.py",
            ["PLUGINS=[]", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true", "BUILD_CACHE=false"],
            [],
        ),
        Config("ours", "Career Exercise", REPO / "pelicanconf.py", [], ["--fatal", "errors"]),
    ]


def bench_builds(work: Path, articles: int, repeat: int, log=print) -> dict:
    content = generate.generate(work / "content", articles)
    plain_settings = work / "plain.py"
    plain_settings.write_text(PLAIN_SETTINGS, encoding="utf-8")
    configs = build_configs(plain_settings)
    touched = content / "articles" / f"article-{articles // 2:04d}.md"
    original = touched.read_bytes()
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    results: dict[str, dict[str, list[Run]]] = {
        c.name: {"cold": [], "warm": [], "touch": []} for c in configs
    }
    cold_stats = None
    for round_ in range(repeat):
        order = configs if round_ % 2 == 0 else list(reversed(configs))
        for config in order:
            # New folders each round, removed only at the end: deleting a
            # site just before a build makes the file system (ext4 with
            # online discard) slow to create the next one's files.
            output = work / f"out-{config.name}-{round_}"
            cache = work / f"cache-{config.name}-{round_}"
            cmd = build_command(config, content, output, cache)
            for kind in ("cold", "warm", "touch"):
                if kind == "touch":
                    touched.write_bytes(
                        original + b"\nOne more paragraph, written by the benchmark.\n"
                    )
                os.sync()  # the last build's writes are not this one's
                try:
                    run = measure(cmd, REPO, env)
                finally:
                    touched.write_bytes(original)
                if run.returncode != 0:
                    raise SystemExit(
                        f"bench: the {config.label} {kind} build failed:\n{run.output[-4000:]}"
                    )
                results[config.name][kind].append(run)
                stats_file = cache / "buildcache" / "last-build.json"
                if config.name == "ours" and kind == "cold" and stats_file.exists():
                    cold_stats = json.loads(stats_file.read_text())
                log(
                    f"  round {round_ + 1}/{repeat}: {config.label:<16} {kind:<5}"
                    f" {run.seconds:6.2f} s  (CPU {run.cpu_seconds:6.2f} s)"
                    f"  {run.tree_rss_kb / 1024:6.0f} MB  load {os.getloadavg()[0]:.1f}"
                )
    stats_file = work / f"cache-ours-{repeat - 1}" / "buildcache" / "last-build.json"
    cache_stats = json.loads(stats_file.read_text()) if stats_file.exists() else None
    table = {}
    for config in configs:
        rows = {}
        for kind, runs in results[config.name].items():
            seconds = statistics.median(r.seconds for r in runs)
            rows[kind] = {
                "seconds": round(seconds, 3),
                "all_seconds": [round(r.seconds, 3) for r in runs],
                "articles_per_second": round(articles / seconds, 1),
                "cpu_seconds": round(statistics.median(r.cpu_seconds for r in runs), 3),
                "peak_rss_mb_largest_process": round(max(r.max_rss_kb for r in runs) / 1024, 1),
                "peak_rss_mb_all_processes": round(max(r.tree_rss_kb for r in runs) / 1024, 1),
            }
        table[config.name] = rows
    ratios = {
        kind: round(table["ours"][kind]["seconds"] / table["plain"][kind]["seconds"], 3)
        for kind in ("cold", "warm", "touch")
    }
    cpu_ratios = {
        kind: round(table["ours"][kind]["cpu_seconds"] / table["plain"][kind]["cpu_seconds"], 3)
        for kind in ("cold", "warm", "touch")
    }
    site_ratios = {
        kind: round(table["ours"][kind]["seconds"] / table["site"][kind]["seconds"], 3)
        for kind in ("cold", "warm", "touch")
    }
    targets = [
        {
            "target": "cold build, ours / plain",
            "limit": TARGET_COLD,
            "value": ratios["cold"],
            "met": ratios["cold"] <= TARGET_COLD,
        },
        {
            "target": "warm rebuild, ours / plain",
            "limit": TARGET_WARM,
            "value": ratios["warm"],
            "met": ratios["warm"] <= TARGET_WARM,
        },
        {
            "target": "one article changed, ours / plain",
            "limit": TARGET_TOUCH,
            "value": ratios["touch"],
            "met": ratios["touch"] <= TARGET_TOUCH,
        },
    ]
    return {
        "articles": articles,
        "repeat": repeat,
        "builds": table,
        "ratios": ratios,
        "cpu_ratios": cpu_ratios,
        "site_ratios": site_ratios,
        "targets": targets,
        "buildcache_last_build": cache_stats,
        "buildcache_cold_build": cold_stats,
    }


def bench_pages(work: Path, log=print) -> dict:
    """A publish build of the real site, weighed page by page."""
    siteurl = "http://127.0.0.1:8000"
    output = work / "publish"
    env = {**os.environ, "SITEURL": siteurl}
    cmd = [
        str(PELICAN),
        str(REPO / "content"),
        "-o",
        str(output),
        "-s",
        str(REPO / "publishconf.py"),
        "-e",
        f"CACHE_PATH={json.dumps(str(work / 'cache-publish'))}",
        "--fatal",
        "errors",
    ]
    run = measure(cmd, REPO, env)
    if run.returncode != 0:
        raise SystemExit(f"bench: the publish build of the site failed:\n{run.output[-4000:]}")
    found = pages.find_pages(output)
    weighed: dict[str, pages.PageWeight] = {}
    for name in ("home", "article", "assessment"):
        if found.get(name):
            weighed[name] = pages.weigh(output, found[name], siteurl, name)
    heaviest = pages.heaviest_article(output, siteurl)
    if heaviest is not None:
        heaviest.name = "heaviest article"
        weighed["heaviest article"] = heaviest
    script = pages.assessment_script(output)
    budgets = pages.check_budgets(weighed, script)
    log(f"  weighed {', '.join(f'{k} ({v.path})' for k, v in weighed.items())}")
    return {
        "gzip_level": pages.GZIP_LEVEL,
        "pages": {k: v.as_dict() for k, v in weighed.items()},
        "assessment_script": script,
        "budgets": budgets,
    }


# -- report -------------------------------------------------------------------


def _kb(n: int | None) -> str:
    return "—" if n is None else f"{n / 1024:.1f} KB"


def _amount(value, unit: str) -> str:
    if unit == "B":
        return _kb(value)
    if unit == "ms":
        return f"{value:.1f} ms"
    return str(value)


def _met(flag) -> str:
    return "—" if flag is None else ("met" if flag else "MISSED")


def render_markdown(report: dict) -> str:
    lines = [
        f"# Benchmark: {report['builds']['articles']} articles",
        "",
        f"{report['when']} · {report['machine']} · median of"
        f" {report['builds']['repeat']} run(s) per build · `make bench`",
        "",
        "## Build time",
        "",
        "| build | plain Pelican | Career Exercise | ours / plain | CPU, ours / plain |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    b = report["builds"]["builds"]
    names = {
        "cold": "cold (no cache)",
        "warm": "warm, nothing changed",
        "touch": "one article changed",
    }
    for kind in ("cold", "warm", "touch"):
        p, o = b["plain"][kind], b["ours"][kind]
        lines.append(
            f"| {names[kind]} | {p['seconds']:.2f} s · {p['articles_per_second']:.0f} art/s"
            f" · {p['peak_rss_mb_all_processes']:.0f} MB"
            f" | {o['seconds']:.2f} s · {o['articles_per_second']:.0f} art/s"
            f" · {o['peak_rss_mb_all_processes']:.0f} MB"
            f" | {report['builds']['ratios'][kind]:.2f}"
            f" | {report['builds']['cpu_ratios'][kind]:.2f} |"
        )
    lines += [
        "",
        "The same builds by Pelican alone on this site's own settings (our theme, "
        "pagination, archives and typogrify; no plugins; its content cache on), "
        "which writes the same pages as ours:",
        "",
        "| build | Pelican, site settings | Career Exercise | ours / Pelican, site settings |",
        "| --- | ---: | ---: | ---: |",
    ]
    for kind in ("cold", "warm", "touch"):
        p, o = b["site"][kind], b["ours"][kind]
        lines.append(
            f"| {names[kind]} | {p['seconds']:.2f} s | {o['seconds']:.2f} s"
            f" | {report['builds']['site_ratios'][kind]:.2f} |"
        )
    lines += [
        "",
        "CPU time (all processes, median): "
        + "; ".join(
            f"{names[k]}: plain {b['plain'][k]['cpu_seconds']:.1f} s,"
            f" ours {b['ours'][k]['cpu_seconds']:.1f} s"
            for k in ("cold", "warm", "touch")
        )
        + f". Load average (1 min) before the benchmark: {report['load'][0]:.2f}"
        + (
            " — other work was running: wall times may be off (CPU times less so)."
            if report["load"][0] > 1.0
            else "."
        ),
        "",
        "Memory: peak resident memory of all the build's processes together;"
        " largest single process:"
        f" plain {max(b['plain'][k]['peak_rss_mb_largest_process'] for k in b['plain']):.0f} MB,"
        f" ours {max(b['ours'][k]['peak_rss_mb_largest_process'] for k in b['ours']):.0f} MB.",
        "",
        "| target | limit | measured | |",
        "| --- | ---: | ---: | --- |",
    ]
    for t in report["builds"]["targets"]:
        lines.append(
            f"| {t['target']} | ≤ {t['limit']:.2f} | {t['value']:.2f} | {_met(t['met'])} |"
        )
    real = report.get("real_site")
    cache = report["builds"].get("buildcache_last_build")
    if cache:
        lines += [
            "",
            f"Our last build (one article changed): {cache.get('from_cache')} files from the"
            f" cache, {cache.get('read')} read (Markdown and typogrify ran"
            f" {cache.get('typogrify_runs')} times).",
        ]
    cold_stats = report["builds"].get("buildcache_cold_build")
    if cold_stats:
        lines += [
            "",
            f"Our last cold build: the reader chain (Markdown, the widget plugins)"
            f" {cold_stats.get('read_seconds', 0):.2f} s, typogrify"
            f" {cold_stats.get('typogrify_seconds', 0):.2f} s, storing the reads"
            f" {cold_stats.get('store_seconds', 0):.2f} s, of"
            f" {cold_stats.get('seconds', 0):.2f} s from the start of the run to its end.",
        ]
    if real:
        lines += [
            "",
            f"Real site: `make html` cold {real['make_html']['cold_seconds']:.2f} s, warm"
            f" {real['make_html']['warm_seconds']:.2f} s; save to reload: "
            + ", ".join(f"{t:.2f}" for t in real["devserver_reload"]["all_seconds"])
            + " s.",
        ]
    pw = report["pages"]
    lines += [
        "",
        f"## Page weight (publish build of the real site, gzip -{pw['gzip_level']})",
        "",
        "| page | HTML | CSS | JS | other | total | requests | blocking |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, p in pw["pages"].items():
        lines.append(
            f"| {name} (`{p['path']}`) | {_kb(p['html_gzip'])} | {_kb(p['css_gzip'])}"
            f" | {_kb(p['js_gzip'])} | {_kb(p['other_gzip'])} | {_kb(p['total_gzip'])}"
            f" | {p['requests']} | {p['blocking_stylesheets']} css,"
            f" {p['blocking_scripts']} js |"
        )
    script = pw["assessment_script"]
    lines += [
        "",
        "Assessment script: "
        + (
            f"{_kb(script['gzip'])} gzipped ({_kb(script['bytes'])} as built)"
            if script["status"] == "built"
            else "not built yet"
        ),
        "",
        "| budget | limit | measured | |",
        "| --- | ---: | ---: | --- |",
    ]
    for r in pw["budgets"]:
        value = (
            ("not measured" if r["unit"] == "ms" else "not built yet")
            if r["value"] is None
            else _amount(r["value"], r["unit"])
        )
        limit = "—" if r["limit"] is None else "≤ " + _amount(r["limit"], r["unit"])
        lines.append(f"| {r['budget']} | {limit} | {value} | {_met(r['met'])} |")
    if report.get("search"):
        lines += search_bench.render_markdown(report["search"])
    lh = report.get("lighthouse")
    lines += ["", "## Lighthouse", ""]
    if not lh:
        lines.append("No results yet: run `make lighthouse` (or `make bench LIGHTHOUSE=1`).")
    else:
        cats = lh["categories"]
        lines += [
            f"{lh['when']} · lighthouse {lh['version']} · {lh.get('form_factor', 'mobile')}",
            "",
            "| page | " + " | ".join(cats) + " |",
            "| --- | " + " | ".join("---:" for _ in cats) + " |",
        ]
        for page in lh["pages"]:
            scores = " | ".join(
                "—" if page["scores"].get(c) is None else str(page["scores"][c]) for c in cats
            )
            lines.append(f"| {page['name']} (`{page['path']}`) | {scores} |")
        below = [
            f"{page['name']}: {c} {page['scores'][c]}"
            for page in lh["pages"]
            for c in cats
            if page["scores"].get(c) is not None and page["scores"][c] < 100
        ]
        lines += ["", "All 100." if not below else "Below 100: " + "; ".join(below) + "."]
        for page in lh["pages"]:
            for issue in page.get("failed_audits", []):
                lines.append(f"- {page['name']}: {issue}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench-results")
    parser.add_argument("--lighthouse", action="store_true", help="run `make lighthouse` first")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--search-rounds", type=int, default=3, help="page loads timed on the search page"
    )
    parser.add_argument(
        "--saves", type=int, default=5, help="saves timed in the dev server (median kept)"
    )
    args = parser.parse_args(argv)
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    out.mkdir(parents=True, exist_ok=True)
    if args.lighthouse:
        from . import lighthouse

        lighthouse.main(["--out", str(out)])
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    load_before = os.getloadavg()[0]
    try:
        print(f"bench: {args.articles} articles, {args.repeat} round(s), in {work}", flush=True)
        builds = bench_builds(work, args.articles, args.repeat, log=_flush_print)
        print("bench: the real site (make html, make devserver)", flush=True)
        real_site = realsite.bench_real_site(args.saves, log=_flush_print)
        html, reload = real_site["make_html"]["warm_seconds"], real_site["devserver_reload"]
        builds["targets"] += [
            {
                "target": "real site: warm make html, seconds",
                "limit": TARGET_HTML_WARM,
                "value": html,
                "met": html <= TARGET_HTML_WARM,
            },
            {
                "target": "real site: make devserver, save to reload, seconds",
                "limit": TARGET_RELOAD,
                "value": reload["seconds"],
                "met": reload["seconds"] <= TARGET_RELOAD,
            },
        ]
        print("bench: search (the synthetic site, in Chromium)", flush=True)
        search = search_bench.bench_search(
            work / f"out-ours-{args.repeat - 1}", args.articles, args.search_rounds, _flush_print
        )
        print("bench: page weight (publish build of the real site)", flush=True)
        weights = bench_pages(work, log=_flush_print)
        weights["budgets"] += search_bench.budget_rows(search)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    lighthouse_file = out / "lighthouse.json"
    report = {
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "builds": builds,
        "real_site": real_site,
        "pages": weights,
        "search": search,
        "lighthouse": json.loads(lighthouse_file.read_text()) if lighthouse_file.exists() else None,
    }
    markdown = render_markdown(report)
    (out / "latest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "latest.md").write_text(markdown, encoding="utf-8")
    print()
    print(markdown)
    print(f"bench: written to {out / 'latest.md'} and {out / 'latest.json'}")
    return 0


def _flush_print(message: str) -> None:
    print(message, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
