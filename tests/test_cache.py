"""The build cache (plugins/buildcache) never serves stale output.

Each test builds a small site into a temporary folder twice or more with one
cache folder, changes one input in between, and checks what was read again
(the cache's own record of hits and misses, and spies on Markdown and
typogrify) and that the output shows the change. No test times anything.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import buildcache.readcache as readcache
import markdown
import pytest
import typogrify.filters
from pelican.log import LimitFilter

from conftest import REPO, build_site

# The widget core stops the build: "1 file with widget errors", "1 widget error".
WIDGET_ERROR = r"widget errors?\b"

ASSESSMENT = """\
Title: Check yourself
Date: 2026-10-01 09:00
Category: Habits
Tags: habits

A short check of two habits.

::: assessment quick-check
title: A quick check
scale: Never | Sometimes | Often | Always

How often is each statement true for you? See [the first note]({filename}first.md).

## Keeping in touch

- I answer when a contact calls me.
- I let messages sit for weeks. (reverse)

### 0-49 Drifting
Your contacts are slipping away.

### 50-100 In touch
People hear from you.

## Overall

### 0-59 Quiet
Few people know what you do.

### 60-100 Known
Your field knows you.
:::
"""

CHECKLIST = """\
Title: Ready this week
Date: 2026-10-02 09:00
Category: Habits
Tags: resume

Do these "today" -- or this week.

::: checklist ready-week
title: Ready this week
- [ ] Update your resume
- [ ] Write to one contact
:::
"""

FIRST = """\
Title: The first note
Date: 2026-09-30 09:00
Category: Stories
Tags: networking, resume

"Quotes" and dashes -- typogrify has work to do. NASA & co.

## A heading

- a list item with `code`
"""

PAGE = """\
Title: About
Slug: about

About this "site".
"""


def pelican_cli(site, settings: Path, out: Path) -> Path:
    """`pelican` in a fresh process (a plugin's code is imported anew),
    errors fatal; returns the output folder."""
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pelican"),
            str(site.content),
            "-o",
            str(out),
            "-s",
            str(settings),
            "--fatal",
            "errors",
        ],
        cwd=site.root,
        check=True,
        capture_output=True,
    )
    return out


def write_site(root: Path) -> Path:
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "articles" / "first.md").write_text(FIRST, encoding="utf-8")
    (content / "articles" / "check.md").write_text(ASSESSMENT, encoding="utf-8")
    (content / "articles" / "ready.md").write_text(CHECKLIST, encoding="utf-8")
    (content / "pages" / "about.md").write_text(PAGE, encoding="utf-8")
    return content


@pytest.fixture
def site(tmp_path):
    content = write_site(tmp_path)
    cache = tmp_path / "cache"

    def build(name: str = "out", **override):
        LimitFilter._raised_messages.clear()  # as in a fresh process
        settings = {"PATH": str(content), "CACHE_PATH": str(cache)}
        settings.update(override)
        return build_site(tmp_path / name, **settings)

    build.content = content
    build.cache = cache
    build.root = tmp_path
    return build


@pytest.fixture
def spies(monkeypatch):
    """Counts Markdown conversions and typogrify runs (the real work)."""
    counts = {"markdown": 0, "typogrify": 0}
    convert = markdown.Markdown.convert
    applyfilters = typogrify.filters.applyfilters

    def counting_convert(self, source):
        counts["markdown"] += 1
        return convert(self, source)

    def counting_applyfilters(*args, **kwargs):
        counts["typogrify"] += 1
        return applyfilters(*args, **kwargs)

    monkeypatch.setattr(markdown.Markdown, "convert", counting_convert)
    monkeypatch.setattr(typogrify.filters, "applyfilters", counting_applyfilters)

    def reset():
        counts.update(markdown=0, typogrify=0)

    counts["reset"] = reset
    return counts


def names(paths) -> list[str]:
    return sorted(Path(p).name for p in paths)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_warm_build_runs_no_markdown_and_no_typogrify(site, spies):
    cold = site("cold")
    stats = readcache.LAST_STATS
    assert names(stats["misses"]) == ["about.md", "check.md", "first.md", "ready.md"]
    assert spies["markdown"] > 0 and spies["typogrify"] > 0
    spies["reset"]()

    warm = site("warm")
    stats = readcache.LAST_STATS
    assert stats["misses"] == []
    assert names(stats["hits"]) == ["about.md", "check.md", "first.md", "ready.md"]
    assert stats["typogrify_runs"] == 0
    assert spies == {"markdown": 0, "typogrify": 0, "reset": spies["reset"]}
    # ... and the site is the same, byte for byte
    assert tree(warm.output) == tree(cold.output)
    assert "Quotes&#8221;" in warm.read("articles/the-first-note/index.html")


def test_only_the_changed_article_is_read_again(site):
    site()
    first = site.content / "articles" / "first.md"
    first.write_text(FIRST.replace("A heading", "A changed heading"), encoding="utf-8")
    built = site()
    assert names(readcache.LAST_STATS["misses"]) == ["first.md"]
    assert len(readcache.LAST_STATS["hits"]) == 3
    assert "A changed heading" in built.read("articles/the-first-note/index.html")


def test_touching_without_changing_reads_nothing(site):
    site()
    first = site.content / "articles" / "first.md"
    first.write_bytes(first.read_bytes())  # new mtime, same bytes
    site()
    assert readcache.LAST_STATS["misses"] == []


def test_changed_assessment_shows(site):
    site()
    check = site.content / "articles" / "check.md"
    check.write_text(
        ASSESSMENT.replace("I answer when a contact calls me.", "I return calls within a day."),
        encoding="utf-8",
    )
    built = site()
    html = built.read("articles/check-yourself/index.html")
    assert "I return calls within a day." in html
    assert "I answer when a contact calls me." not in html
    assert names(readcache.LAST_STATS["misses"]) == ["check.md"]


def test_typogrify_settings_invalidate(site):
    before = site().read("articles/the-first-note/index.html")
    assert "Quotes&#8221;" in before
    # widont back on: a non-breaking space before the last word of paragraphs
    after = site(TYPOGRIFY_OMIT_FILTERS=[]).read("articles/the-first-note/index.html")
    assert after != before and "&nbsp;" in after
    assert len(readcache.LAST_STATS["misses"]) == 4
    plain = site(TYPOGRIFY=False).read("articles/the-first-note/index.html")
    assert "&#8220;" not in plain and '"Quotes"' in plain


def test_markdown_settings_invalidate(site):
    before = site().read("articles/the-first-note/index.html")
    md = {
        "extension_configs": {
            "markdown.extensions.codehilite": {"css_class": "highlight"},
            "markdown.extensions.extra": {},
            "markdown.extensions.meta": {},
            "markdown.extensions.toc": {"permalink": "#"},
        },
        "output_format": "html5",
    }
    after = site(MARKDOWN=md).read("articles/the-first-note/index.html")
    assert 'class="headerlink"' in after and 'class="headerlink"' not in before


SPICE_PLUGIN = '''\
"""A test plugin whose reader output depends on its own setting."""
from pelican import signals
from pelican.readers import MarkdownReader


def add(readers):
    if "{name}" not in (readers.settings.get("PLUGINS") or ()):
        return
    base = readers.reader_classes["md"]

    class Spiced(base):
        def read(self, source_path):
            content, metadata = super().read(source_path)
            word = self.settings.get("SPICE_WORD", "plain")
            return content.replace("@@SPICE@@", {template}), metadata

    if isinstance(base, type) and issubclass(base, MarkdownReader):
        readers.reader_classes["md"] = Spiced


def register():
    signals.readers_init.connect(add)
'''


def _spice_plugin(folder: Path, name: str, template: str = "word") -> Path:
    package = folder / name
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(
        SPICE_PLUGIN.replace("{name}", name).replace("{template}", template), encoding="utf-8"
    )
    return folder


def test_a_plugin_setting_invalidates(site):
    plugins = _spice_plugin(site.root / "extra-plugins", "spice_setting")
    first = site.content / "articles" / "first.md"
    first.write_text(FIRST + "\nSpice: @@SPICE@@\n", encoding="utf-8")
    conf = {
        "PLUGIN_PATHS": [str(REPO / "plugins"), str(plugins)],
        "PLUGINS": ["feed_guids", "assessment", "checklist", "buildcache", "spice_setting"],
    }
    assert "Spice: pepper" in site(**conf, SPICE_WORD="pepper").read(
        "articles/the-first-note/index.html"
    )
    assert "Spice: salt" in site(**conf, SPICE_WORD="salt").read(
        "articles/the-first-note/index.html"
    )


def test_plugin_code_change_invalidates(site):
    """In a fresh process, as `make html` and the dev server build: the
    plugin's code changes, the cache is warm, the output follows the code."""
    plugins = _spice_plugin(site.root / "code-plugins", "spice_code", '"old-" + word')
    first = site.content / "articles" / "first.md"
    first.write_text(FIRST + "\nSpice: @@SPICE@@\n", encoding="utf-8")
    settings = site.root / "spice.py"
    settings.write_text(
        textwrap.dedent(
            f"""\
            import sys
            sys.path.insert(0, {str(REPO)!r})
            from pelicanconf import *
            THEME = {str(REPO / "theme")!r}
            PLUGIN_PATHS = [{str(REPO / "plugins")!r}, {str(plugins)!r}]
            PLUGINS = [*PLUGINS, "spice_code"]
            CACHE_PATH = {str(site.cache)!r}
            SPICE_WORD = "word"
            """
        ),
        encoding="utf-8",
    )

    def build() -> str:
        out = pelican_cli(site, settings, site.root / "spice-out")
        return (out / "articles" / "the-first-note" / "index.html").read_text(encoding="utf-8")

    assert "Spice: old-word" in build()
    assert "Spice: old-word" in build()  # warm
    init = plugins / "spice_code" / "__init__.py"
    init.write_text(init.read_text().replace('"old-" + word', '"new-" + word'))
    assert "Spice: new-word" in build()


def test_each_run_of_one_instance_uses_the_cache(site, monkeypatch):
    """Pelican's autoreload (`make regenerate`) runs one instance again and
    again."""
    from pelican import Pelican
    from pelican.settings import read_settings

    monkeypatch.chdir(REPO)
    LimitFilter._raised_messages.clear()
    settings = read_settings(
        str(REPO / "pelicanconf.py"),
        override={
            "PATH": str(site.content),
            "OUTPUT_PATH": str(site.root / "auto"),
            "CACHE_PATH": str(site.cache),
        },
    )
    pelican = Pelican(settings)
    pelican.run()
    assert len(readcache.LAST_STATS["misses"]) == 4
    # a run that stops half-way leaves nothing behind for the next one
    check = site.content / "articles" / "check.md"
    check.write_text(ASSESSMENT.replace("scale: Never", "scale:"), encoding="utf-8")
    with pytest.raises(Exception, match=WIDGET_ERROR):
        pelican.run()
    check.write_text(ASSESSMENT, encoding="utf-8")
    pelican.run()
    # the broken read was never stored: check.md as it was comes back
    assert readcache.LAST_STATS["failed"] == []
    assert names(readcache.LAST_STATS["hits"]) == ["about.md", "check.md", "first.md", "ready.md"]
    assessment = site.root / "auto" / "articles" / "check-yourself" / "index.html"
    assert "I answer when a contact calls me." in assessment.read_text(encoding="utf-8")
    first = site.content / "articles" / "first.md"
    first.write_text(FIRST.replace("A heading", "Another heading"), encoding="utf-8")
    pelican.run()
    assert names(readcache.LAST_STATS["misses"]) == ["first.md"]
    page = site.root / "auto" / "articles" / "the-first-note" / "index.html"
    assert "Another heading" in page.read_text(encoding="utf-8")


def test_theme_change_shows(site):
    theme = site.root / "theme"
    shutil.copytree(REPO / "theme", theme)
    site(THEME=str(theme))
    article = theme / "templates" / "article.html"
    article.write_text(
        article.read_text().replace(
            '<div class="entry-content">', '<div class="entry-content" id="x-new">'
        )
    )
    built = site(THEME=str(theme))
    assert readcache.LAST_STATS["misses"] == []  # reading did not change...
    assert 'id="x-new"' in built.read("articles/the-first-note/index.html")  # ...the page did


def test_template_options_are_part_of_the_compiled_templates_key(site):
    """Jinja's compiled templates are kept too (JINJA_ENVIRONMENT's bytecode
    cache); they follow the environment's options, not only the sources."""
    tight = site("tight")
    options = {"trim_blocks": False, "lstrip_blocks": False, "extensions": []}
    loose = site("loose", JINJA_ENVIRONMENT=options)
    plain = site("loose-plain", BUILD_CACHE=False, JINJA_ENVIRONMENT=options)
    assert tree(loose.output) == tree(plain.output)
    assert tree(loose.output) != tree(tight.output)


def test_urls_follow_the_current_settings(site):
    """Tags and categories come from the cache, but their URLs are made from
    this build's settings."""
    site()
    built = site(TAG_URL="topics/{slug}.html", TAG_SAVE_AS="topics/{slug}.html")
    assert readcache.LAST_STATS["misses"] == []
    assert "topics/resume.html" in built.read("articles/the-first-note/index.html")
    assert (built.output / "topics" / "resume.html").is_file()


def test_warnings_are_reported_by_warm_builds(site):
    first = site.content / "articles" / "first.md"
    first.write_text(FIRST.replace("Tags:", "Tags: extra\nTags:"), encoding="utf-8")
    cold = site()
    warm = site()
    assert readcache.LAST_STATS["misses"] == []
    expected = [m for m in cold.problems() if "Duplicate definition" in m]
    assert expected
    assert [m for m in warm.problems() if "Duplicate definition" in m] == expected


def test_duplicate_assessment_id_fails_a_warm_build(site):
    site()
    copy = site.content / "articles" / "check-again.md"
    copy.write_text(
        ASSESSMENT.replace("Title: Check yourself", "Title: Check again"), encoding="utf-8"
    )
    with pytest.raises(Exception, match=WIDGET_ERROR):
        site()
    assert names(readcache.LAST_STATS["misses"]) == ["check-again.md"]


def test_duplicate_checklist_id_fails_a_warm_build(site):
    """As `make html` builds (tools/sitebuild.py, errors fatal), in a fresh
    process: the cache is warm, a second file reuses a checklist id, and the
    build fails naming the new file."""
    settings = site.root / "site.py"
    settings.write_text(
        textwrap.dedent(
            f"""\
            import sys
            sys.path.insert(0, {str(REPO)!r})
            from pelicanconf import *
            THEME = {str(REPO / "theme")!r}
            PLUGIN_PATHS = [{str(REPO / "plugins")!r}]
            CACHE_PATH = {str(site.cache)!r}
            """
        ),
        encoding="utf-8",
    )

    def make_html() -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                sys.executable,
                str(REPO / "tools" / "sitebuild.py"),
                "--settings",
                str(settings),
                "--content",
                str(site.content),
                "--output",
                str(site.root / "html"),
                "--fatal",
                "errors",
            ],
            cwd=site.root,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert make_html().returncode == 0
    assert make_html().returncode == 0  # warm
    stats = json.loads((site.cache / "buildcache" / "last-build.json").read_text())
    assert stats["read"] == 0 and stats["from_cache"] == 4
    copy = site.content / "articles" / "ready-again.md"
    copy.write_text(
        CHECKLIST.replace("Title: Ready this week", "Title: Ready again"), encoding="utf-8"
    )
    done = make_html()
    assert done.returncode != 0, done.stderr
    assert "ready-again.md" in done.stderr and "ready-week" in done.stderr, done.stderr
    assert "build: FAILED" in done.stderr
    stats = json.loads((site.cache / "buildcache" / "last-build.json").read_text())
    assert stats["read"] == 1 and stats["from_cache"] == 4


def test_broken_assessment_is_never_cached(site):
    check = site.content / "articles" / "check.md"
    check.write_text(ASSESSMENT.replace("scale: Never", "scale:"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(Exception, match=WIDGET_ERROR):
            site()
        assert names(readcache.LAST_STATS["failed"]) == ["check.md"]


def test_off_switch(site, spies):
    site()
    spies["reset"]()
    site(BUILD_CACHE=False)
    assert spies["markdown"] > 0


# -- the same site with and without the cache ---------------------------------


@pytest.mark.parametrize("dashes", ["default", "oldschool"])
def test_the_cache_changes_no_byte_of_the_site(site, spies, dashes):
    """Pelican's own typogrify (cache off) and the caching reader's, cold and
    warm, write the same files."""
    plain = site("plain", BUILD_CACHE=False, TYPOGRIFY_DASHES=dashes)
    cold = site("cold", TYPOGRIFY_DASHES=dashes)
    spies["reset"]()
    warm = site("warm", TYPOGRIFY_DASHES=dashes)
    assert spies["markdown"] == 0 and spies["typogrify"] == 0
    assert tree(cold.output) == tree(plain.output)
    assert tree(warm.output) == tree(plain.output)
    html = warm.read("articles/the-first-note/index.html")
    assert "Quotes&#8221;" in html
    assert (dashes == "oldschool") == ("&#8211;" in html)  # "--": en dash


OUTER_PLUGIN = '''\
"""A test plugin that wraps the Markdown reader class it finds, as the widget
core does: it sets a context variable around the read (the widgets' source
path hook), adds to the content and to the metadata after it.

Blinker does not promise an order for the receivers of a signal, so each
test decides which class wraps which: "theirs wraps ours" lets the cache
plugin's receiver put its class in first; "ours wraps theirs" registers the
outer class in READERS, before any receiver runs."""
import contextvars

from pelican import signals
from pelican.readers import MarkdownReader

READING = contextvars.ContextVar("reading", default=None)
CLASSES = []


class OuterMixin:
    def read(self, source_path):
        token = READING.set(source_path)
        try:
            content, metadata = super().read(source_path)
        finally:
            READING.reset(token)
        metadata["outer"] = "seen"
        return content + '<p>"Outer" -- after the read.</p>', metadata


OuterReader = type("MarkdownReader", (OuterMixin, MarkdownReader), {})


def add(readers):
    if "outer_reader" not in (readers.settings.get("PLUGINS") or ()):
        return
    from buildcache.plugin import on_readers_init

    on_readers_init(readers)  # the cache's class first (it does this once)
    for ext, cls in list(readers.reader_classes.items()):
        if isinstance(cls, type) and issubclass(cls, MarkdownReader):
            if not issubclass(cls, OuterMixin):
                readers.reader_classes[ext] = type(cls.__name__, (OuterMixin, cls), {})
                CLASSES.append(readers.reader_classes[ext])


def register():
    signals.readers_init.connect(add)
'''


@pytest.mark.parametrize("order", ["ours wraps theirs", "theirs wraps ours"])
def test_another_reader_plugin_on_either_side(site, spies, order):
    """Another plugin replaces the Markdown reader class with a subclass of
    the one it finds, before or after this plugin does: the site is the
    same as without the cache, and a warm build runs no Markdown."""
    folder = site.root / "outer-plugins"
    (folder / "outer_reader").mkdir(parents=True)
    (folder / "outer_reader" / "__init__.py").write_text(OUTER_PLUGIN, encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        import outer_reader
    finally:
        sys.path.remove(str(folder))
    plugins = ["feed_guids", "assessment", "checklist", "buildcache"]
    conf = {"PLUGIN_PATHS": [str(REPO / "plugins"), str(folder)], "PLUGINS": plugins}
    if order == "ours wraps theirs":
        conf["READERS"] = {ext: outer_reader.OuterReader for ext in ("md", "markdown")}
    else:
        conf["PLUGINS"] = [*plugins, "outer_reader"]
    plain = site("plain", BUILD_CACHE=False, **conf)
    cold = site("cold", **conf)
    spies["reset"]()
    outer_reader.CLASSES.clear()
    warm = site("warm", **conf)
    assert spies["markdown"] == 0 and spies["typogrify"] == 0
    assert names(readcache.LAST_STATS["hits"]) == ["about.md", "check.md", "first.md", "ready.md"]
    assert tree(cold.output) == tree(plain.output)
    assert tree(warm.output) == tree(plain.output)
    # typogrify ran after the outer class, as Pelican runs it after the reader
    assert "Outer&#8221; &#8212; after the read." in warm.read("articles/the-first-note/index.html")
    if order == "theirs wraps ours":
        assert outer_reader.CLASSES
        for outer in outer_reader.CLASSES:
            assert outer.__mro__[1] is outer_reader.OuterMixin
            assert issubclass(outer, readcache.CachingReader)


HELPER_PLUGIN = '''\
"""A test plugin whose output comes from a module outside the plugin
folders (as an editable install's shared package would be)."""
from pelican import signals
from pelican.readers import MarkdownReader
from spice_helper import spice


def add(readers):
    if "spice_helped" not in (readers.settings.get("PLUGINS") or ()):
        return
    base = readers.reader_classes["md"]

    class Helped(base):
        def read(self, source_path):
            content, metadata = super().read(source_path)
            return content.replace("@@SPICE@@", spice()), metadata

    if isinstance(base, type) and issubclass(base, MarkdownReader):
        readers.reader_classes["md"] = Helped


def register():
    signals.readers_init.connect(add)
'''


def test_a_module_the_plugins_import_invalidates(site):
    """A module a plugin imports from outside the plugin folders and
    site-packages is part of the key, in a fresh process as `make html`."""
    plugins = site.root / "helped-plugins"
    (plugins / "spice_helped").mkdir(parents=True)
    (plugins / "spice_helped" / "__init__.py").write_text(HELPER_PLUGIN, encoding="utf-8")
    shared = site.root / "shared"
    shared.mkdir()
    helper = shared / "spice_helper.py"
    helper.write_text('def spice():\n    return "cumin"\n', encoding="utf-8")
    first = site.content / "articles" / "first.md"
    first.write_text(FIRST + "\nSpice: @@SPICE@@\n", encoding="utf-8")
    settings = site.root / "helped.py"
    settings.write_text(
        textwrap.dedent(
            f"""\
            import sys
            sys.path.insert(0, {str(REPO)!r})
            sys.path.insert(0, {str(shared)!r})
            from pelicanconf import *
            THEME = {str(REPO / "theme")!r}
            PLUGIN_PATHS = [{str(REPO / "plugins")!r}, {str(plugins)!r}]
            PLUGINS = [*PLUGINS, "spice_helped"]
            CACHE_PATH = {str(site.cache)!r}
            """
        ),
        encoding="utf-8",
    )

    def build() -> str:
        out = pelican_cli(site, settings, site.root / "helped-out")
        stats = json.loads((site.cache / "buildcache" / "last-build.json").read_text())
        page = (out / "articles" / "the-first-note" / "index.html").read_text(encoding="utf-8")
        return page, stats

    page, _ = build()
    assert "Spice: cumin" in page
    page, stats = build()
    assert "Spice: cumin" in page and stats["read"] == 0  # warm
    helper.write_text('def spice():\n    return "saffron"\n', encoding="utf-8")
    page, stats = build()
    assert "Spice: saffron" in page and stats["read"] == 4


def test_reading_on_two_cores_changes_no_byte_of_the_site(site):
    """With enough files to read, a forked worker reads from the end while
    the build reads from the beginning (buildcache/prefetch.py): the same
    files, warnings included, as Pelican alone."""
    for n in range(40):
        (site.content / "articles" / f"more-{n:02d}.md").write_text(
            f'Title: More "notes" number {n}\nDate: 2026-09-{n % 28 + 1:02d} 08:00\n'
            f"Category: Habits\n\nA -- short note, number {n}, with ... dots.\n",
            encoding="utf-8",
        )
    plain = site("plain", BUILD_CACHE=False)
    cold = site("cold")
    stats = readcache.LAST_STATS
    assert stats.get("prefetched", 0) > 0 and stats["failed"] == []
    assert len(stats["misses"]) == 44
    warm = site("warm")
    assert readcache.LAST_STATS["misses"] == []
    assert tree(cold.output) == tree(plain.output)
    assert tree(warm.output) == tree(plain.output)
