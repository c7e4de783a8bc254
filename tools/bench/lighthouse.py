"""`make lighthouse`: Lighthouse scores for the home page, the newest article
and the assessment page of a publish build.

    PYTHONPATH=tools:plugins .venv/bin/python -m bench.lighthouse [--out bench-results]

The site is built with publishconf.py and SITEURL=http://127.0.0.1:PORT (so
canonical URLs, the sitemap and robots.txt name the host Lighthouse sees),
or with `--build html` as `make html` builds it (pelicanconf.py, relative
URLs, no canonical links),
served from that folder on 127.0.0.1 with gzip, as static hosts serve it,
and audited by the npm package lighthouse (tools/lighthouse/, installed by
`make lighthouse`) in Debian's Chromium, headless, with its default mobile
settings. Scores (0-100) and the audits that kept a category below 100 go to
OUT/lighthouse.json, which `make bench` includes; the full reports go to
OUT/lighthouse/.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sitecheck.a11y import CHROMIUM, CHROMIUM_ARGS
from sitecheck.localserver import serve

from . import pages

REPO = Path(__file__).resolve().parents[2]
LIGHTHOUSE = REPO / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(output: Path, siteurl: str, kind: str = "publish") -> None:
    env = {**os.environ, "SITEURL": siteurl}
    settings = "publishconf.py" if kind == "publish" else "pelicanconf.py"
    cmd = [
        str(Path(sys.executable).parent / "pelican"),
        str(REPO / "content"),
        "-o",
        str(output),
        "-s",
        str(REPO / settings),
        "-e",
        f"CACHE_PATH={json.dumps(str(output.parent / 'cache'))}",
        "--fatal",
        "errors",
    ]
    result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"lighthouse: the {kind} build failed:\n{result.stdout}{result.stderr}")


def audit(url: str, report: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not report.exists():
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stdout}{result.stderr}")
    return json.loads(report.read_text(encoding="utf-8"))


def summarise(name: str, path: str, data: dict) -> dict:
    scores = {}
    failed = []
    for cid in CATEGORIES:
        category = data["categories"].get(cid)
        score = category.get("score") if category else None
        scores[cid] = None if score is None else round(score * 100)
        if not category:
            continue
        for ref in category.get("auditRefs", []):
            result = data["audits"].get(ref["id"], {})
            if (
                ref.get("weight", 0) > 0
                and result.get("score") is not None
                and result["score"] < 1
                and result.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
            ):
                value = result.get("displayValue")
                failed.append(
                    f"{cid}: {result.get('title')} ({ref['id']}"
                    + (f", {value}" if value else "")
                    + f", score {result['score']:.2f})"
                )
    return {"name": name, "path": path, "scores": scores, "failed_audits": failed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "bench-results")
    parser.add_argument(
        "--build",
        choices=["publish", "html"],
        default="publish",
        help="audit a publish build (default) or a `make html` build",
    )
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse: not installed; run `make lighthouse`")
    if not CHROMIUM.exists():
        raise SystemExit(f"lighthouse: needs Chromium at {CHROMIUM} (apt-get install chromium)")
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    reports = out / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    port = free_port()
    siteurl = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    try:
        site = work / "site"
        print(f"lighthouse: building the site ({args.build}) for {siteurl}", flush=True)
        build(site, siteurl, args.build)
        found = pages.find_pages(site)
        results = []
        version = None
        with serve(site, port=port, compress=True):
            for name in ("home", "article", "assessment"):
                path = found.get(name)
                if not path:
                    continue
                url_path = path[: -len("index.html")] if path.endswith("index.html") else path
                url = f"{siteurl}/{url_path}"
                print(f"lighthouse: {name} {url}", flush=True)
                data = audit(url, reports / f"{name}.json")
                version = data.get("lighthouseVersion")
                results.append(summarise(name, path, data))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "version": version,
        "form_factor": "mobile (Lighthouse defaults: simulated slow 4G, 4x CPU slowdown)",
        "build": args.build,
        "categories": CATEGORIES,
        "pages": results,
    }
    (out / "lighthouse.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    for page in results:
        scores = "  ".join(f"{c} {page['scores'][c]}" for c in CATEGORIES)
        print(f"  {page['name']:<11} {scores}")
        for issue in page["failed_audits"]:
            print(f"    - {issue}")
    print(f"lighthouse: written to {out / 'lighthouse.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
