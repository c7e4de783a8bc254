"""tools/placeholders.py and the make targets that use it: `make publish`
warns, one line each, about every placeholder the demo still has (README,
"Make it yours"); `make github` refuses to deploy while any is left, unless
ALLOW_PLACEHOLDERS=1, and then pushes nothing.

The make runs use a copy of the project (test_publish.copy_project) and a
local bare repository as origin; SITECHECK=true skips the publishing gates,
which tests/test_publish.py runs in full: here only the placeholder step
and what it lets through are under test."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import placeholders
import pytest
from test_publish import copy_project, git, make

from conftest import REPO

DEMO = placeholders.find_placeholders(
    placeholders.load_settings(REPO / "publishconf.py"), REPO / "content", REPO
)


def write_settings(folder: Path, body: str) -> Path:
    path = folder / "conf.py"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_the_demo_lists_each_placeholder_once():
    where = [p.where for p in DEMO]
    assert where == [
        "AUTHOR",
        "AUTHOR_BIO",
        "SITEURL",
        "REPLY_EMAIL",
        where[4],
    ]
    assert re.fullmatch(r"content/pages/about\.md:\d+", where[4])
    assert "letters@career-exercise.example" in DEMO[4].what


def test_own_values_leave_no_placeholder(tmp_path, monkeypatch):
    monkeypatch.delenv("SITEURL", raising=False)
    conf = write_settings(
        tmp_path,
        """
        AUTHOR = "Ana Ruiz"
        AUTHOR_BIO = "I have coached people through job changes since 2012."
        SITEURL = "https://ana-ruiz.net/coaching"
        REPLY_EMAIL = "ana@ana-ruiz.net"
        NEWSLETTER_URL = "https://letters.ana-ruiz.net/join"
        MENUITEMS = [("Contact", "mailto:hello@ana-ruiz.net")]
        """,
    )
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("Write to [me](mailto:ana@ana-ruiz.net).\n")
    settings = placeholders.load_settings(conf)
    assert placeholders.find_placeholders(settings, content, tmp_path) == []
    assert placeholders.main(["--settings", str(conf), "--refuse"]) == 0


@pytest.mark.parametrize(
    ("setting", "where"),
    [
        ('AUTHOR = "Career Exercise editors"', "AUTHOR"),
        ('AUTHOR_BIO = "*This is a placeholder bio: replace it.*\\n\\nMe."', "AUTHOR_BIO"),
        ('SITEURL = "https://coach.example.org"', "SITEURL"),
        ('SITEURL = "https://my-site.example"', "SITEURL"),
        ('REPLY_EMAIL = "me@site.example"', "REPLY_EMAIL"),
        ('NEWSLETTER_URL = "https://news.example.com/join"', "NEWSLETTER_URL"),
        ('MENUITEMS = [("Write", "mailto:me@mail.test")]', "MENUITEMS[0][1]"),
    ],
)
def test_each_placeholder_is_found(tmp_path, monkeypatch, setting, where):
    monkeypatch.delenv("SITEURL", raising=False)
    conf = write_settings(
        tmp_path,
        f"""
        AUTHOR = "Ana Ruiz"
        SITEURL = "https://ana-ruiz.net"
        {setting}
        """,
    )
    found = placeholders.find_placeholders(placeholders.load_settings(conf), None, tmp_path)
    assert [p.where for p in found] == [where]
    assert str(found[0]).startswith(f"placeholder: {where}: ") and "Fix: " in str(found[0])


def test_content_addresses_are_found_with_file_and_line(tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "about.md").write_text(
        "Title: About\n\nWrite to [x@site.example](mailto:x@site.example).\n"
        "See https://www.example.org/page and https://real.org/.\n"
    )
    found = placeholders.content_placeholders(content, tmp_path)
    assert [(p.where, p.what.split()[0]) for p in found] == [
        ("content/pages/about.md:3", "x@site.example"),
        ("content/pages/about.md:4", "https://www.example.org"),
    ]


def test_refusal_and_its_override(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("ALLOW_PLACEHOLDERS", raising=False)
    conf = write_settings(tmp_path, 'AUTHOR = "Career Exercise editors"\n')
    assert placeholders.main(["--settings", str(conf)]) == 0, "publish only warns"
    assert placeholders.main(["--settings", str(conf), "--refuse", "--name", "github"]) == 1
    err = capsys.readouterr().err
    assert "github: refusing to deploy the demo: 1 placeholder left" in err
    assert "ALLOW_PLACEHOLDERS=1" in err
    assert placeholders.main(["--settings", str(conf), "--refuse", "--allow"]) == 0
    monkeypatch.setenv("ALLOW_PLACEHOLDERS", "1")
    assert placeholders.main(["--settings", str(conf), "--refuse"]) == 0
    assert "deploying with 1 placeholder left" in capsys.readouterr().err


# -- make publish, make github ----------------------------------------------------


@pytest.fixture
def project(tmp_path):
    """A project copy, committed, with a bare repository as its origin."""
    project = copy_project(tmp_path / "project")
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", str(origin))
    git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "--no-gpg-sign", "--message", "Source")
    git(project, "remote", "add", "origin", str(origin))
    return project


def origin_of(project: Path) -> Path:
    return project.parent / "origin.git"


def pages_branch(project: Path) -> str:
    return git(origin_of(project), "branch", "--list", "gh-pages")


def placeholder_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("placeholder: ")]


def test_make_publish_warns_once_per_placeholder(project):
    done = make(project, "publish", "SITECHECK=true")
    assert done.returncode == 0, done.log
    lines = placeholder_lines(done.stderr)
    assert [line.split(":")[1].strip() for line in lines] == [
        "AUTHOR",
        "AUTHOR_BIO",
        "SITEURL",
        "REPLY_EMAIL",
        "content/pages/about.md",
    ]
    assert "publish: 5 placeholders left" in done.stderr
    assert (project / "output" / "index.html").is_file(), "publish still publishes"


def test_make_github_refuses_while_placeholders_are_left(project):
    done = make(project, "github", "SITECHECK=true")
    assert done.returncode != 0, done.log
    assert len(placeholder_lines(done.stderr)) == 5
    assert "github: refusing to deploy the demo: 5 placeholders left" in done.stderr
    assert "make github ALLOW_PLACEHOLDERS=1" in done.stderr
    assert "ghp-import" not in done.stdout
    assert not (project / ".publish-stage").exists() and not (project / "output").exists(), (
        "refused before building"
    )
    assert pages_branch(project) == "", "nothing pushed"


def test_allow_placeholders_deploys_the_demo(project):
    done = make(project, "github", "SITECHECK=true", "ALLOW_PLACEHOLDERS=1")
    assert done.returncode == 0, done.log
    assert "github: deploying with 5 placeholders left" in done.stderr
    assert pages_branch(project).strip() == "gh-pages"
    files = git(origin_of(project), "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "index.html" in files and "subscribe/index.html" in files


def test_github_deploys_once_every_placeholder_is_replaced(project):
    conf = project / "pelicanconf.py"
    text = conf.read_text(encoding="utf-8")
    text = text.replace('AUTHOR = "Career Exercise editors"', 'AUTHOR = "Ana Ruiz"')
    text = text.replace("*This is a placeholder bio: replace it with your own", "*Ana's bio")
    text = text.replace("letters@career-exercise.example", "ana@ana-ruiz.net")
    text = text.replace("https://career-exercise.example", "https://ana-ruiz.net")
    conf.write_text(text, encoding="utf-8")
    about = project / "content" / "pages" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8").replace(
            "letters@career-exercise.example", "ana@ana-ruiz.net"
        ),
        encoding="utf-8",
    )
    git(project, "commit", "--quiet", "--no-gpg-sign", "--all", "--message", "Mine")
    done = make(project, "github", "SITECHECK=true")
    assert done.returncode == 0, done.log
    assert placeholder_lines(done.stderr) == []
    assert pages_branch(project).strip() == "gh-pages"
    index = git(origin_of(project), "show", "gh-pages:index.html")
    assert 'href="https://ana-ruiz.net/"' in index
