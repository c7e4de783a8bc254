"""Both widget plugins installed with pip the way another site would use them:
a fresh venv holding only Pelican, Markdown and the three distributions built
from plugins/, a bare site on Pelican's default theme, driven in Chromium.
The assessment scores answers in its live region; a checklist tick survives
a reload.

Nothing is downloaded here: `make install` puts Pelican, Markdown and their
dependencies in .venv/wheelhouse (requirements-plugin-install.txt), and pip
runs with --no-index.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import REPO, serve

WHEELHOUSE = Path(sys.prefix) / "wheelhouse"  # the venv `make install` made
REQUIREMENTS = REPO / "requirements-plugin-install.txt"
# distribution -> (folder in plugins/, the one package it installs)
PLUGINS = {
    "pelican-widget-blocks": ("widget_blocks", "pelican_widget_blocks"),
    "pelican-assessment": ("assessment", "pelican.plugins.assessment"),
    "pelican-checklist": ("checklist", "pelican.plugins.checklist"),
}
# Besides the wheelhouse's packages (Pelican, Markdown, their dependencies
# and the `wheel` build tool), the venv holds only its own pip and setuptools.
VENV_TOOLS = {"pip", "setuptools"}
# Run in the new venv: where each plugin package is imported from, and the
# files each distribution installed.
INSPECT = """
import importlib, importlib.metadata as m, json, sys
plugins = json.loads(sys.argv[1])
print(json.dumps({
    d: [importlib.import_module(p).__file__, [str(f) for f in m.files(d)]]
    for d, (_, p) in plugins.items()
}))
"""

CONF = """\
# What pelican-quickstart writes, plus the two plugins; no THEME: the default.
AUTHOR = "Test"
SITENAME = "Plugin install check"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
RELATIVE_URLS = True
PLUGINS = ["pelican.plugins.assessment", "pelican.plugins.checklist"]
"""

SCALE = ["Never", "Sometimes", "Often", "Always"]
# dimension -> [(statement, reverse, weight)], and each dimension's bands
DIMENSIONS = {
    "Reaching out": [
        ("I reply to messages within a day.", False, 1),
        ("I let contacts go quiet for months.", True, 1),
    ],
    "Learning": [
        ("I read about my field every week.", False, 1),
        ("I take a course each year.", False, 2),
    ],
}
BANDS = {
    "Reaching out": [(0, 49, "Quiet"), (50, 100, "Active")],
    "Learning": [(0, 59, "Stalled"), (60, 100, "Growing")],
    "Overall": [(0, 49, "Starting"), (50, 100, "Going well")],
}
ANSWERS = {  # statement -> label the reader clicks
    "I reply to messages within a day.": "Often",
    "I let contacts go quiet for months.": "Sometimes",
    "I read about my field every week.": "Always",
    "I take a course each year.": "Never",
}
ITEMS = ["Reply to one old message", "Thank someone who helped you", "Share one useful link"]


def assessment_page() -> str:
    lines = [
        "Title: Habit check",
        "Slug: habit-check",
        "",
        "::: assessment habit-check",
        "title: A habit check",
        "scale: " + " | ".join(SCALE),
        "",
        "Two habits, two statements each.",
    ]
    for name, statements in DIMENSIONS.items():
        lines += ["", f"## {name}", ""]
        for text, reverse, weight in statements:
            options = [*(["reverse"] if reverse else []), *([f"weight {weight}"] * (weight != 1))]
            lines.append(f"- {text}" + (f" ({', '.join(options)})" if options else ""))
        lines += bands(name)
    lines += ["", "## Overall", *bands("Overall"), ":::", ""]
    return "\n".join(lines)


def bands(name: str) -> list[str]:
    out = []
    for low, high, band in BANDS[name]:
        out += ["", f"### {low}-{high} {band}", f"The verdict for {band.lower()}."]
    return out


CHECKLIST_ARTICLE = "\n".join(
    [
        "Title: Keep in touch",
        "Date: 2026-01-05",
        "Slug: keep-in-touch",
        "",
        "Three small things to do this week.",
        "",
        "::: checklist keep-in-touch",
        "title: Keep in touch this week",
        *(f"- [ ] {item}" for item in ITEMS),
        ":::",
        "",
    ]
)


def score(statements) -> int:
    """The assessment's score (plugins/assessment/README.md, "Scoring"):
    round_half_up(100 * sum w(v - 1) / ((k - 1) * sum w)), exactly."""
    k = len(SCALE)
    points = weights = 0
    for text, reverse, weight in statements:
        answer = SCALE.index(ANSWERS[text]) + 1
        value = k + 1 - answer if reverse else answer
        points += weight * (value - 1)
        weights += weight
    exact = Fraction(100 * points, (k - 1) * weights)
    return int(exact + Fraction(1, 2))  # floor(x + 1/2): x is never negative


def band(name: str, value: int) -> str:
    return next(b for low, high, b in BANDS[name] if low <= value <= high)


def run(args, cwd: Path, env: dict[str, str], what: str) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    if done.returncode:
        said = f"{done.stdout}\n{done.stderr}".strip()
        if len(said) > 4000:  # the first problem, and how it ended
            said = f"{said[:2000]}\n[...]\n{said[-2000:]}"
        pytest.fail(f"{what} failed (exit {done.returncode}):\n{said}", pytrace=False)
    return done.stdout


def clean_env() -> dict[str, str]:
    """The environment without this venv or this machine's pip settings: pip
    reads no config file, and Python sees no PYTHONPATH (not the repository)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "PYTHON")) and k != "VIRTUAL_ENV"
    }
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    env["COLUMNS"] = "160"  # Pelican's log lines unwrapped, for failure messages
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The built site's output folder."""
    if not any(WHEELHOUSE.glob("pelican-*.whl")):
        message = (
            f"no Pelican wheel in {WHEELHOUSE}: run `make install`, which downloads "
            f"the wheels of {REQUIREMENTS.name} there for this offline test"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("plugin-install")
    env = clean_env()

    # Plugins are built from copies: a build leaves build/ and *.egg-info
    # behind, and an egg-info left by the editable install must not count.
    sources = root / "src"
    junk = shutil.ignore_patterns("*.egg-info", "build", "dist", "__pycache__", "*.pyc")
    for folder, _ in PLUGINS.values():
        shutil.copytree(REPO / "plugins" / folder, sources / folder, ignore=junk)

    target = root / "venv"
    run([sys.executable, "-m", "venv", target], root, env, "python -m venv")
    python = target / "bin" / "python"
    pip = [python, "-m", "pip", "--no-cache-dir"]
    run(
        [*pip, "install", "--no-index", "--find-links", WHEELHOUSE, "-r", REQUIREMENTS],
        root,
        env,
        "installing Pelican and Markdown from the wheelhouse",
    )
    run(
        [*pip, "install", "--no-index", "--no-build-isolation"]
        + [sources / folder for folder, _ in PLUGINS.values()],
        root,
        env,
        "pip install of the three plugins",
    )

    listed = json.loads(run([*pip, "list", "--format", "json"], root, env, "pip list"))
    installed = {canonical(p["name"]) for p in listed}
    wheels = {canonical(w.name.split("-")[0]) for w in WHEELHOUSE.glob("*.whl")}
    allowed = wheels | VENV_TOOLS | set(PLUGINS)
    assert installed <= allowed, f"unexpected packages in the venv: {installed - allowed}"
    assert {"pelican", "markdown", *PLUGINS} <= installed, listed

    # Each plugin is imported from the venv, not the repository, and its
    # distribution installed its own package, browser files included, and
    # nothing else (no tests/, no pelican/plugins/__init__.py).
    inspect = [python, "-c", INSPECT, json.dumps(PLUGINS)]
    found = json.loads(run(inspect, root, env, "importing the installed plugins"))
    for dist, (_, package) in PLUGINS.items():
        module, files = found[dist]
        assert Path(module).is_relative_to(target / "lib"), (dist, module)
        prefix = package.replace(".", "/") + "/"
        assert [f for f in files if not f.startswith(prefix) and ".dist-info/" not in f] == []
        assert any(f.startswith(f"{prefix}static/widgets/") for f in files), (dist, files)

    site = root / "site"
    (site / "content" / "pages").mkdir(parents=True)
    (site / "conf.py").write_text(CONF, encoding="utf-8")
    (site / "content" / "pages" / "habit-check.md").write_text(assessment_page(), encoding="utf-8")
    (site / "content" / "keep-in-touch.md").write_text(CHECKLIST_ARTICLE, encoding="utf-8")
    build = ["content", "-o", "output", "-s", "conf.py", "--fatal", "warnings"]
    run([target / "bin" / "pelican", *build], site, env, "pelican (default theme)")
    output = site / "output"
    for name in ["assessment.js", "assessment.css", "checklist.js", "checklist.css"]:
        assert (output / "widgets" / name).is_file(), f"widgets/{name} was not published"
    assert (output / "widgets" / "safe-storage.js").is_file()
    assert (output / "widgets" / "widget-common.js").is_file()
    return output


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


@pytest.fixture(scope="module")
def server(installed):
    yield from serve(installed)


def load(page, address: str) -> list[tuple[str, int]]:
    """Open a page; returns (url, status) of every widget file it fetched."""
    fetched = []
    page.on(
        "response",
        lambda r: fetched.append((r.url, r.status)) if "/widgets/" in r.url else None,
    )
    page.goto(address)
    return fetched


def assert_clean(page, fetched, *names: str) -> None:
    watch = page.watch
    assert watch.console_errors == [] and watch.page_errors == []
    assert watch.outside_requests() == []
    assert {url.rsplit("/", 1)[-1] for url, _ in fetched} == set(names), fetched
    assert all(status in (200, 304) for _, status in fetched), fetched


def test_assessment_scores_answers_in_its_live_region(server, page):
    fetched = load(page, f"{server.url}/pages/habit-check.html")
    widget = page.locator("habit-assessment")
    live = widget.locator("[role=status][aria-live=polite]")
    statements = [s for group in DIMENSIONS.values() for s in group]
    expect(live).to_have_text(f"0 of {len(statements)} answered.")  # the script runs
    for n, (text, _, _) in enumerate(statements, 1):
        group = widget.get_by_role("group", name=text)
        group.locator("label").filter(has_text=ANSWERS[text]).click()
        expect(group.get_by_role("radio", name=ANSWERS[text])).to_be_checked()
        if n < len(statements):
            expect(live).to_have_text(f"{n} of {len(statements)} answered.")

    overall = score(statements)
    expect(live).to_have_text(
        f"All {len(statements)} answered. "
        f"Overall: {overall} out of 100, {band('Overall', overall)}."
    )
    for name, group in DIMENSIONS.items():
        row = widget.locator(".assessment-scores tbody tr").filter(has_text=name)
        value = score(group)
        expect(row.locator("td")).to_have_text([str(value), band(name, value)])
    # A complete result also loads the module that saves the reader's plan
    # for a focus block elsewhere (a dynamic import, so wait for it): the
    # installed package ships it too.
    for _ in range(100):
        if any(url.endswith("/assessment-plan.js") for url, _ in fetched):
            break
        page.wait_for_timeout(50)
    assert_clean(
        page,
        fetched,
        "assessment.css",
        "assessment.js",
        "safe-storage.js",
        "widget-common.js",
        "assessment-plan.js",
    )


def test_a_checklist_tick_survives_a_reload(server, page):
    fetched = load(page, f"{server.url}/keep-in-touch.html")
    widget = page.locator("tip-checklist")
    progress = widget.locator("[role=status][aria-live=polite]")
    expect(progress).to_have_text(f"0 of {len(ITEMS)} done")

    widget.get_by_text(ITEMS[1], exact=True).click()
    expect(widget.get_by_role("checkbox", name=ITEMS[1])).to_be_checked()
    expect(progress).to_have_text(f"1 of {len(ITEMS)} done")

    page.reload()
    expect(progress).to_have_text(f"1 of {len(ITEMS)} done")
    for item in ITEMS:
        box = widget.get_by_role("checkbox", name=item)
        (expect(box).to_be_checked if item == ITEMS[1] else expect(box).not_to_be_checked)()
    assert_clean(
        page, fetched, "checklist.css", "checklist.js", "safe-storage.js", "widget-common.js"
    )
