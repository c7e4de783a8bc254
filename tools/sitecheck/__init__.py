"""Publishing quality gates for a built Pelican site.

Each gate looks at a built folder and returns a `GateResult`: the problems it
found, each with where it is (a file in the built site, with a line when the
tool reports one) and how to fix it. `python -m sitecheck OUTPUT` runs them all
(see __main__.py); the tests call the gate functions directly.

Gates:
  html     the Nu HTML Checker (vnu-jar, on Java): zero errors
  links    lychee, offline: every internal href/src resolves, #fragments too
  feeds    Atom and RSS: well-formed, absolute URLs and ids, guids, plain titles
  privacy  CSP meta tag, no inline script or on*=, nothing loaded from elsewhere
  a11y     axe-core in Chromium, WCAG 2.2 AA + best-practice, light and dark
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
GATES = ["html", "links", "feeds", "privacy", "a11y"]


@dataclass
class Problem:
    """One thing a gate rejects: where it is, what is wrong, how to fix it."""

    where: str
    what: str
    fix: str

    def format(self, gate: str) -> str:
        return f"{gate.upper()}: {self.where}: {self.what} — Fix: {self.fix}"


@dataclass
class GateResult:
    gate: str
    checked: str = ""
    problems: list[Problem] = field(default_factory=list)
    # What the gate could not look at and why: never silently skipped.
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, where: str, what: str, fix: str) -> None:
        self.problems.append(Problem(where, what, fix))

    def summary(self) -> str:
        state = "ok" if self.ok else f"FAILED, {len(self.problems)} problem(s)"
        checked = f" — {self.checked}" if self.checked else ""
        return f"{self.gate}: {state}{checked} ({self.seconds:.1f} s)"

    def report(self) -> str:
        lines = [p.format(self.gate) for p in self.problems]
        lines += [f"{self.gate}: note: {note}" for note in self.notes]
        lines.append(self.summary())
        return "\n".join(lines)


@dataclass
class Site:
    """A built site folder and the Pelican settings it was built with."""

    root: Path
    settings: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()

    @classmethod
    def load(cls, root: Path | str, settings_file: Path | str | None = None) -> Site:
        settings = load_settings(settings_file) if settings_file else {}
        return cls(Path(root), settings)

    @property
    def siteurl(self) -> str:
        return (self.settings.get("SITEURL") or "").rstrip("/")

    @property
    def own_host(self) -> str | None:
        return urlsplit(self.siteurl).hostname if self.siteurl else None

    def built_siteurl(self) -> str | None:
        """The SITEURL the folder was built for, read from the home page's
        canonical link (SITEURL + "/"): "" for a relative build (the theme
        writes no canonical link there), None when there is no home page or
        its canonical link is not SITEURL + "/"."""
        from sitecheck.pages import parse_page

        home = self.root / "index.html"
        if not home.is_file():
            return None
        links = parse_page(home.read_text(encoding="utf-8")).find("link", rel="canonical")
        if not links:
            return ""  # a relative build: no absolute URL to name
        href = links[0].attrs.get("href", "")
        if not urlsplit(href).netloc:
            return ""  # a relative build
        return href[:-1] if href.endswith("/") else None

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def rel(self, path: Path | str) -> str:
        path = Path(path)
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def read(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")


def load_settings(settings_file: Path | str) -> dict:
    """Pelican settings as `pelican -s FILE` reads them (SITEURL from the
    environment included, for publishconf.py)."""
    from pelican.settings import read_settings

    settings_file = Path(settings_file).resolve()
    old_cwd = os.getcwd()
    # publishconf.py imports pelicanconf from the current directory
    os.chdir(settings_file.parent)
    sys.path.insert(0, str(settings_file.parent))
    try:
        return read_settings(str(settings_file))
    finally:
        sys.path.remove(str(settings_file.parent))
        os.chdir(old_cwd)


def gate_function(name: str) -> Callable[[Site], GateResult]:
    from importlib import import_module

    return import_module(f"sitecheck.{name}").check


def run_gate(name: str, site: Site) -> GateResult:
    started = time.monotonic()
    result = gate_function(name)(site)
    result.seconds = time.monotonic() - started
    return result


def run(site: Site, gates: list[str] | None = None, out=None) -> list[GateResult]:
    """Run the gates side by side (most of their time is spent in Java,
    lychee and Chromium) and print each one's report in order."""
    from concurrent.futures import ThreadPoolExecutor

    out = out or sys.stdout
    gates = gates or GATES
    with ThreadPoolExecutor(max_workers=len(gates)) as pool:
        futures = [pool.submit(run_gate, name, site) for name in gates]
        results = []
        for name, future in zip(gates, futures, strict=True):
            try:
                result = future.result()
            except Exception as error:  # a gate that crashes fails, loudly
                result = GateResult(name)
                result.add(".", f"the gate crashed: {type(error).__name__}: {error}", "report it")
            print(result.report(), file=out, flush=True)
            results.append(result)
    return results
