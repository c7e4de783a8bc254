"""Parse a ``::: checklist`` block (found by the widget core) into the model.

    ::: checklist resume-ready
    title: Keep your resume ready
    - [ ] Update your resume with this quarter's results
    - [ ] Save a one-page version
    :::

The opener takes an optional id and the word `weekly`; option lines (`title:`,
`id:`, `type:`) come before the first item; items are `- [ ] text` lines, and
an indented line continues the item above it. Every mistake raises the core's
``BlockError`` naming the file and the 1-based line.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pelican_widget_blocks import VALID_ID, Block, BlockError, closest, find_blocks, id_fix, slugify
from pelican_widget_blocks.inline import LINKS, PLAIN, TextRefused, render

from .model import Checklist, Item

NAME = "checklist"
ITEM = re.compile(r"^[-*+][ \t]+\[(?P<mark>[^\]]*)\](?:[ \t]+(?P<text>.*?))?[ \t]*$")
OPTION = re.compile(r"^(?P<name>[A-Za-z][\w-]*)[ \t]*:(?:[ \t]+(?P<value>.*?))?[ \t]*$")
CONTINUATION = re.compile(r"^(?:[ ]{2,}|\t)[ \t]*(?P<text>\S.*?)[ \t]*$")

OPTIONS = ("title", "id", "type")
TYPES = {"weekly": True, "standard": False}
DEFAULT_TITLES = {False: "Checklist", True: "This week’s checklist"}
ID_FIX = id_fix("resume-ready")


def parse_text(text: str, path: str) -> list[Checklist]:
    """Every checklist of a whole file's text (newlines normalised the way
    Python-Markdown does, so line numbers match the file)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    blocks = find_blocks(lines, [NAME], path)
    return [parse_block(block, lines, path, ordinal) for ordinal, block in enumerate(blocks, 1)]


def parse_block(block: Block, lines: list[str], path: str, ordinal: int = 1) -> Checklist:
    """One block's checklist; raises ``BlockError`` on the first mistake."""
    return _parse_block(lines, block, path, ordinal)


def _parse_block(lines, block, path, ordinal) -> Checklist:
    opener_line = block.line
    checklist_id = ""
    weekly: bool | None = None
    for word in block.args.split():
        if word.lower() == "weekly" and not weekly:
            weekly = True
        elif not checklist_id and word.lower() != "weekly":
            if not VALID_ID.match(word):
                raise BlockError(path, opener_line, f"'{word}' is not a valid checklist id", ID_FIX)
            checklist_id = word
        else:
            raise BlockError(
                path,
                opener_line,
                f"unexpected '{word}' after '::: checklist'",
                "write '::: checklist <id>', optionally followed by 'weekly'",
            )

    options: dict[str, tuple[str, int]] = {}
    if checklist_id:
        options["id"] = (checklist_id, opener_line)
    if weekly:
        options["type"] = ("weekly", opener_line)
    items: list[tuple[str, int]] = []  # (text, line)
    can_continue = False
    for number, line in block.body(lines):
        if not line.strip():
            can_continue = False
            continue
        item = ITEM.match(line)
        if item:
            items.append((_item_text(item, path, number), number))
            can_continue = True
            continue
        continuation = CONTINUATION.match(line)
        if continuation and can_continue:
            text, item_line = items[-1]
            items[-1] = (f"{text} {continuation.group('text')}", item_line)
            continue
        option = OPTION.match(line)
        if option and not items:
            _add_option(options, option, path, number)
            continue
        if option and option.group("name").lower() in OPTIONS:
            raise BlockError(
                path,
                number,
                f"option '{option.group('name').lower()}:' comes after the items",
                "put title:, id: and type: lines right after the '::: checklist' line",
            )
        raise BlockError(
            path,
            number,
            f"'{_shorten(line.strip())}' is not a checklist item",
            "start each item with '- [ ] ', indent a line to continue the item above, "
            "or close the checklist with ':::' first",
        )
    if not items:
        raise BlockError(
            path,
            opener_line,
            "the checklist has no items",
            "add at least one '- [ ] action' line before the closing ':::'",
        )

    is_weekly = TYPES[options["type"][0]] if "type" in options else False
    if "title" in options:
        title, title_line = options["title"]
        try:
            title_html = render(title, PLAIN, "a checklist title")
        except TextRefused as refused:
            raise BlockError(path, title_line, *refused.issues[0]) from None
    else:
        title = DEFAULT_TITLES[is_weekly]
        title_html = render(title, PLAIN, "a checklist title")
    if "id" in options:
        checklist_id, explicit = options["id"][0], True
    else:
        checklist_id, explicit = _derived_id(options.get("title", ("", 0))[0], path, ordinal), False

    rendered = []
    for text, number in items:
        try:
            rendered.append(
                Item(text=text, html=render(text, LINKS, "a checklist item"), line=number)
            )
        except TextRefused as refused:
            raise BlockError(path, number, *refused.issues[0]) from None
    return Checklist(
        id=checklist_id,
        title=title,
        title_html=title_html,
        items=tuple(rendered),
        weekly=is_weekly,
        path=path,
        line=opener_line,
        explicit_id=explicit,
    )


def _item_text(match, path, number) -> str:
    mark = match.group("mark")
    if mark in ("x", "X"):
        raise BlockError(
            path,
            number,
            "the item is already ticked ([x])",
            "write '- [ ] ': readers tick items themselves",
        )
    if mark != " ":
        raise BlockError(
            path,
            number,
            f"'[{mark}]' is not an empty box",
            "write '- [ ] ' (a space between the brackets)",
        )
    text = (match.group("text") or "").strip()
    if not text:
        raise BlockError(path, number, "the item has no text", "write the action after '- [ ] '")
    return text


def _add_option(options, option, path, number) -> None:
    name = option.group("name").lower()
    value = (option.group("value") or "").strip()
    if name not in OPTIONS:
        meant = closest(name, OPTIONS)
        raise BlockError(
            path,
            number,
            f"unknown option '{option.group('name')}:'",
            (f"did you mean '{meant}:'? " if meant else "")
            + "use title:, id: or type: (weekly or standard), or start an item with '- [ ] '",
        )
    if name in options:
        raise BlockError(
            path,
            number,
            f"{name} is given twice (first on line {options[name][1]})",
            f"keep one {name}",
        )
    if not value:
        raise BlockError(path, number, f"{name}: is empty", f"write the {name} after '{name}:'")
    if name == "id" and not VALID_ID.match(value):
        raise BlockError(path, number, f"'{value}' is not a valid checklist id", ID_FIX)
    if name == "type":
        value = value.lower()
        if value not in TYPES:
            raise BlockError(
                path, number, f"unknown type '{value}'", "write 'type: weekly' or 'type: standard'"
            )
    options[name] = (value, number)


def _derived_id(title: str, path: str, ordinal: int) -> str:
    slug = slugify(title)
    if slug:
        return slug
    return f"{slugify(PurePosixPath(path).stem) or 'page'}-checklist-{ordinal}"


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
