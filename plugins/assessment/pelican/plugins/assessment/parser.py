"""Parse an ``::: assessment`` block into the model.

The widget core finds the blocks (``pelican_widget_blocks.find_blocks``,
fence-aware); this parser checks syntax only (what a line means); the
validator checks meaning (enough statements, bands that cover 0-100, safe
text...). Both report problems as ``path:line: problem. Fix: ...``.

Public entry points:

- ``parse_block(block, lines, path)``: one core ``Block`` -> ``Assessment``.
- ``parse(text, path="<string>", first_line=1)``: every assessment of a text.
"""

from __future__ import annotations

import re

from pelican_widget_blocks import VALID_ID, Block, closest, find_blocks, id_fix, slugify

from .errors import AssessmentError, Problem
from .model import BLOCK, LINKS, PLAIN, Assessment, Band, Dimension, Statement, Text

NAME = "assessment"
OPTION_RE = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
ITEM_RE = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?P<text>.*?))?[ \t]*$")
MARKERS_RE = re.compile(r"\((?P<body>[^()]*)\)[ \t]*$")
BAND_RE = re.compile(
    r"^(?P<low>\d+)[ \t]*(?:-|–|—|to)[ \t]*(?P<high>\d+)[ \t]*%?"
    r"[ \t]*(?:[:.–—-][ \t]*)?(?P<name>.*)$"
)
OVERALL_RE = re.compile(r"^overall(?:[ \t]+(?:result|results|score|bands))?:?$", re.I)
ID_RE = VALID_ID

OPTIONS = ("title", "scale")
MARKER_WORDS = {"reverse", "reversed", "weight", "id"}
MARKERS_FIX = "use (reverse), (weight 2), (id my-id) or a combination such as (reverse, weight 2)"
ID_FIX = id_fix("networking-habits")


def parse(text: str, path: str = "<string>", first_line: int = 1) -> list[Assessment]:
    """Parse every assessment block of a Markdown text (no validation)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [
        parse_block(block, lines, path) for block in find_blocks(lines, [NAME], path, first_line)
    ]


class _Item:
    def __init__(self, kind: str, text: str, line: int, level: int = 0):
        self.kind = kind  # "heading", "item" or "para"
        self.text = text
        self.line = line
        self.level = level


def parse_block(block: Block, lines: list[str], path: str) -> Assessment:
    """Parse one block into an ``Assessment``; syntax errors raise."""
    return _BlockParser(path).parse(block, lines)


class _BlockParser:
    def __init__(self, path: str):
        self.path = path

    def fail(self, line: int, problem: str, fix: str):
        raise AssessmentError(Problem(self.path, line, problem, fix))

    def parse(self, block: Block, lines: list[str]) -> Assessment:
        opener = block.line
        body = [(number, line.rstrip()) for number, line in block.body(lines)]
        aid = block.args
        if not aid:
            self.fail(
                opener,
                "the assessment has no id",
                "name it on the opening line, e.g. '::: assessment networking-habits'",
            )
        if not ID_RE.match(aid):
            self.fail(opener, f"assessment id '{aid}' is not valid", ID_FIX)
        a = Assessment(id=aid, path=self.path, line=opener, end_line=block.first_line + block.end)
        pos = self._options(a, body)
        pos = self._intro(a, body, pos)
        self._body(a, self._tokens(body[pos:]))
        number = 0
        for dim in a.dimensions:
            for n, st in enumerate(dim.statements, 1):
                number += 1
                st.number = number
                if not st.explicit_id:
                    st.id = f"{dim.id}-{n}" if dim.id else f"statement-{number}"
        return a

    # -- options: `key: value` lines right after the opening line ----------
    def _options(self, a: Assessment, body) -> int:
        seen = {}
        pos = 0
        while pos < len(body) and body[pos][1].strip():
            lineno, line = body[pos]
            m = OPTION_RE.match(line)
            if not m:
                break
            key = m.group("key").lower()
            value = m.group("value")
            if key not in OPTIONS:
                if key == "id":
                    fix = "put the id on the opening line: '::: assessment my-id'"
                else:
                    fix = (
                        f"use one of: {', '.join(OPTIONS)} (a line of text that "
                        "is not an option goes after a blank line)"
                    )
                self.fail(lineno, f"unknown option '{m.group('key')}'", fix)
            if key in seen:
                self.fail(
                    lineno,
                    f"option '{key}' is given twice (first on line {seen[key]})",
                    "keep only one of them",
                )
            seen[key] = lineno
            if key == "title":
                a.title = Text(value, lineno, PLAIN)
            elif key == "scale":
                a.scale_line = lineno
                if value:
                    a.scale = [Text(lab.strip(), lineno, PLAIN) for lab in value.split("|")]
            pos += 1
        return pos

    # -- intro: free Markdown up to the first heading -------------------------
    def _intro(self, a: Assessment, body, pos: int) -> int:
        start = pos
        while pos < len(body) and not HEADING_RE.match(body[pos][1]):
            pos += 1
        chunk = body[start:pos]
        while chunk and not chunk[0][1].strip():
            chunk = chunk[1:]
        while chunk and not chunk[-1][1].strip():
            chunk = chunk[:-1]
        if chunk:
            a.intro = Text("\n".join(line for _, line in chunk), chunk[0][0], BLOCK)
        return pos

    # -- the rest: headings, list items and paragraphs ------------------------
    def _tokens(self, body) -> list[_Item]:
        tokens: list[_Item] = []
        current = None
        for lineno, line in body:
            if not line.strip():
                current = None
                continue
            hm = HEADING_RE.match(line)
            if hm:
                current = None
                tokens.append(
                    _Item(
                        "heading", (hm.group("text") or "").strip(), lineno, len(hm.group("hashes"))
                    )
                )
                continue
            im = ITEM_RE.match(line)
            if im:
                current = _Item("item", im.group("text") or "", lineno)
                tokens.append(current)
                continue
            if current is not None:  # continuation of an item or a paragraph
                current.text += " " + line.strip()
            else:
                current = _Item("para", line.strip(), lineno)
                tokens.append(current)
        return tokens

    def _body(self, a: Assessment, tokens: list[_Item]) -> None:
        section = None  # a Dimension, or "overall"
        band = None
        for tok in tokens:
            if tok.kind == "heading":
                section, band = self._heading(a, tok, section)
            elif tok.kind == "item":
                if band is not None:
                    band.tips.append(Text(tok.text, tok.line, LINKS))
                elif section == "overall":
                    self.fail(
                        tok.line,
                        "a list item under '## Overall' before any band",
                        "put statements under a '## Dimension' heading; the "
                        "overall part holds only '### 0-39 Band name' bands",
                    )
                else:
                    section.statements.append(self._statement(tok))
            else:  # paragraph
                if band is not None:
                    if band.verdict is None and not band.tips:
                        band.verdict = Text(tok.text, tok.line, LINKS)
                    elif band.tips:
                        self.fail(
                            tok.line,
                            f"text after the tips of band '{band.name.source}'",
                            "make it a tip ('- ...') or move it into the verdict "
                            "paragraph under the band heading",
                        )
                    else:
                        self.fail(
                            tok.line,
                            f"band '{band.name.source}' has a second verdict paragraph",
                            "keep the verdict to one short paragraph; turn advice "
                            "into tips ('- ...')",
                        )
                elif section == "overall":
                    self.fail(
                        tok.line,
                        "text under '## Overall' before any band",
                        "write the overall bands as '### 0-39 Band name' "
                        "headings, each followed by its verdict",
                    )
                elif section.statements or section.description is not None:
                    self.fail(
                        tok.line,
                        f"unexpected text in dimension '{section.name.source}'",
                        "statements are list items ('- I ...'); a dimension "
                        "may have one short description paragraph before its "
                        "statements",
                    )
                else:
                    section.description = Text(tok.text, tok.line, LINKS)

    def _heading(self, a: Assessment, tok: _Item, section):
        if tok.level == 2:
            text = tok.text
            if not text:
                self.fail(tok.line, "empty '##' heading", "name the dimension")
            if OVERALL_RE.match(text):
                if a.overall_line is not None:
                    self.fail(
                        tok.line,
                        f"a second '## Overall' section (the first is on line {a.overall_line})",
                        "keep one '## Overall' section with all overall bands",
                    )
                a.overall_line = tok.line
                return "overall", None
            name, items = split_markers(text)
            dim = Dimension(id=slugify(name), name=Text(name, tok.line), line=tok.line)
            for item in items or []:
                word, _, arg = _marker_parts(item)
                if word == "id" and arg:
                    dim.id = arg
                    dim.explicit_id = True
                else:
                    self.fail(
                        tok.line,
                        f"unknown dimension option '{item}'",
                        "a dimension heading takes only an id, e.g. "
                        "'## Online presence (id online)'",
                    )
            a.dimensions.append(dim)
            return dim, None
        if tok.level == 3:
            if section is None:
                self.fail(
                    tok.line,
                    "a band heading before any dimension",
                    "put '### 0-39 Band name' bands under a '## Dimension' or '## Overall' heading",
                )
            band = self._band(tok)
            if section == "overall":
                a.bands.append(band)
            else:
                section.bands.append(band)
            return section, band
        if tok.level == 1:
            self.fail(
                tok.line,
                "a '#' heading inside the assessment",
                "use '## Name' for a dimension, '## Overall' for the overall "
                "bands and '### 0-39 Name' for a band",
            )
        self.fail(
            tok.line,
            f"a level-{tok.level} heading inside the assessment",
            "use '## Name' for a dimension, '## Overall' for the overall bands "
            "and '### 0-39 Name' for a band",
        )

    def _band(self, tok: _Item) -> Band:
        m = BAND_RE.match(tok.text)
        if not m:
            self.fail(
                tok.line,
                f"band heading '{tok.text}' does not start with a score range",
                "start it with the range of scores (0 to 100) it covers, e.g. "
                "'### 0-39 Starting out'",
            )
        name = m.group("name").strip()
        if not name:
            self.fail(
                tok.line,
                f"band {m.group('low')}-{m.group('high')} has no name",
                "name it after the range, e.g. '### 0-39 Starting out'",
            )
        return Band(
            id=slugify(name),
            name=Text(name, tok.line),
            low=int(m.group("low")),
            high=int(m.group("high")),
            line=tok.line,
        )

    def _statement(self, tok: _Item) -> Statement:
        text, items = split_markers(tok.text)
        st = Statement(id="", text=Text(text, tok.line), line=tok.line)
        for item in items or []:
            word, _, arg = _marker_parts(item)
            if word in ("reverse", "reversed") and not arg:
                st.reverse = True
            elif word == "weight":
                if not arg:
                    self.fail(tok.line, "'weight' without a number", MARKERS_FIX)
                if st.weight_source is not None:
                    self.fail(tok.line, "two weights on one statement", MARKERS_FIX)
                st.weight_source = arg
            elif word == "id" and arg:
                st.id = arg
                st.explicit_id = True
            else:
                meant = closest(word, sorted(MARKER_WORDS - {"reversed"}))
                hint = f"did you mean '{meant}'? " if meant else ""
                self.fail(tok.line, f"unknown statement option '{item}'", hint + MARKERS_FIX)
        if not text:
            self.fail(tok.line, "empty statement", "write the statement after the '-'")
        return st


def split_markers(text: str) -> tuple[str, list[str] | None]:
    """Split a trailing ``(reverse, weight 2)`` group off a statement.

    A trailing parenthesis is read as options only when one of its
    comma-separated parts starts with reverse, weight or id, or when it holds
    a near-miss of one ("(reverce)", "(wieght 2)": an error, not text that
    silently changes the scoring); anything else, e.g. "(photo, headline)",
    stays part of the text.
    """
    m = MARKERS_RE.search(text)
    if not m:
        return text, None
    items = [part.strip() for part in re.split(r"[,;]", m.group("body"))]
    if not any(_marker_parts(item)[0] in MARKER_WORDS for item in items) and not any(
        _near_marker(item) for item in items
    ):
        return text, None
    return text[: m.start()].rstrip(), items


def _near_marker(item: str) -> bool:
    """One unknown word close to an option, alone or with one argument."""
    if len(item.split()) > 2:
        return False
    word = _marker_parts(item)[0]
    return bool(word) and closest(word, sorted(MARKER_WORDS)) is not None


def _marker_parts(item: str) -> tuple[str, str, str]:
    m = re.match(r"^([A-Za-z]+)[ \t]*[:=]?[ \t]*(.*)$", item)
    if not m:
        return "", item, ""
    return m.group(1).lower(), m.group(1), m.group(2).strip()
