"""python -m sitecheck OUTPUT_DIR [--settings publishconf.py] [--only html,links]

Runs the publishing gates on a built site and exits 1 when any gate fails.
Each problem is printed as `GATE: where: what — Fix: how`, then one summary
line per gate.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitecheck import GATES, Site, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sitecheck",
        description="Quality gates for a built site: " + ", ".join(GATES) + ".",
    )
    parser.add_argument("output", type=Path, help="the built site folder")
    parser.add_argument(
        "--settings",
        type=Path,
        help="the Pelican settings file the site was built with (for SITEURL and feeds)",
    )
    parser.add_argument(
        "--only",
        default=",".join(GATES),
        help="comma-separated gates to run (default: all): " + ",".join(GATES),
    )
    args = parser.parse_args(argv)

    gates = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = [g for g in gates if g not in GATES]
    if unknown:
        parser.error(f"unknown gate(s) {', '.join(unknown)}; choose from {', '.join(GATES)}")
    if not (args.output / "index.html").is_file():
        print(
            f"sitecheck: {args.output} holds no built site (no index.html) — "
            "Fix: build first (`make publish`, or `make html` then "
            "`make check CHECKCONF=pelicanconf.py`)",
            file=sys.stderr,
        )
        return 2

    site = Site.load(args.output, args.settings)
    built_for = site.built_siteurl()
    if built_for is not None and built_for != site.siteurl:
        # e.g. `SITEURL=https://me.github.io/site make publish`, then `make check`
        print(
            f"sitecheck: {args.output} was built for SITEURL={built_for or '(relative)'}, "
            f"not {site.siteurl or '(relative)'}: checking it as built",
            flush=True,
        )
        site.settings = {**site.settings, "SITEURL": built_for}
    where = f" for {site.siteurl}" if site.siteurl else ""
    print(f"sitecheck: checking {args.output}{where}: {', '.join(gates)}", flush=True)
    results = run(site, gates)
    failed = [r.gate for r in results if not r.ok]
    if failed:
        print(f"sitecheck: FAILED: {', '.join(failed)}", flush=True)
        return 1
    print("sitecheck: every gate passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
