"""The published widget scripts: the core folded in (one request instead of
three), comments out, and the site's date format handed to the widgets."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pelican_widget_blocks.bundle import BundleError, fold_core, strip_comments
from pelican_widget_blocks.pelican_glue import CORE_STATIC, date_sample

CORE = """// the core
const pad = (n) => String(n).padStart(2, "0");
export const OFF = "saving off";
export function load(key) {
  return [key, OFF];
}
export const formatDay = (d) => pad(d);
"""

WIDGET = """// a widget
import { load, formatDay as day } from "./widget-core.js";
const url = "https://example.org//path"; // stays
export const shown = () => `${day(3)} ${load("k")[1]}`;
"""

NODE = shutil.which("node")


def test_the_core_is_folded_into_a_scope_of_its_own():
    published = fold_core(WIDGET, CORE, "widget.js")
    assert "import" not in published
    assert published.startswith("const { load, formatDay: day } = (() => {\n")
    assert "return { OFF, load, formatDay };" in published
    # Whole-line comments go; a "//" inside a string stays.
    assert "// the core" not in published and "// a widget" not in published
    assert '"https://example.org//path"; // stays' in published
    # The core's private helper stays inside the function scope.
    assert published.index("const pad") > published.index("(() => {")


@pytest.mark.skipif(NODE is None, reason="needs node (npm ci installs the linters with it)")
def test_folded_script_runs_as_the_module_did(tmp_path: Path):
    module = tmp_path / "widget.mjs"
    module.write_text(fold_core(WIDGET, CORE, "widget.js"), encoding="utf-8")
    run = subprocess.run(
        [
            NODE,
            "--input-type=module",
            "-e",
            f"import {{ shown }} from '{module}'; console.log(shown())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "03 saving off"


def test_an_unknown_import_names_the_script_and_the_exports():
    with pytest.raises(BundleError) as caught:
        fold_core('import { nope } from "./widget-core.js";\n', CORE, "widget.js")
    assert "widget.js imports 'nope'" in str(caught.value)
    assert "OFF, load, formatDay" in str(caught.value)


def test_a_script_without_the_core_only_loses_comments():
    assert fold_core("// hi\nconst a = 1;\n", CORE) == "const a = 1;\n"


def test_indentation_stays_when_a_template_spans_lines():
    source = "const a = `one\n  two`;\n  const b = 2;\n"
    assert strip_comments(source) == source
    assert strip_comments("if (x) {\n  y();\n}\n") == "if (x) {\ny();\n}\n"


@pytest.mark.skipif(NODE is None, reason="needs node")
@pytest.mark.parametrize("widget", ["assessment", "checklist"])
def test_the_real_scripts_fold_and_parse(tmp_path: Path, widget: str):
    plugins = Path(__file__).resolve().parents[2]
    source = next(plugins.glob(f"{widget}/pelican/plugins/{widget}/static/widgets/{widget}.js"))
    core = (CORE_STATIC / "widget-core.js").read_text(encoding="utf-8")
    out = tmp_path / f"{widget}.mjs"
    out.write_text(fold_core(source.read_text(encoding="utf-8"), core, source.name), "utf-8")
    subprocess.run([NODE, "--check", str(out)], check=True)


@pytest.mark.parametrize(
    "fmt, sample",
    [
        ("%-d %B %Y", "3 February 2001"),
        ("%B %-d, %Y", "February 3, 2001"),
        ("%Y-%m-%d", "2001-02-03"),
        ("%a %d %b %y", "Sat 03 Feb 01"),
    ],
)
def test_date_sample_applies_the_sites_format(fmt, sample):
    assert date_sample({"DEFAULT_DATE_FORMAT": fmt}) == sample


def test_no_date_format_no_sample():
    assert date_sample({}) == ""
    assert date_sample({"DEFAULT_DATE_FORMAT": 5}) == ""
