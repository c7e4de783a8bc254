"""Find and validate checklist blocks in the lines of a Markdown document.

    ::: checklist resume-ready
    title: Keep your resume ready
    - [ ] Update your resume with this quarter's results
    - [ ] Save a one-page version
    :::

The opener takes an optional id and the word `weekly`; option lines (`title:`,
`id:`, `type:`) come before the first item; items are `- [ ] text` lines, and
an indented line continues the item above it. Fenced code is skipped, so a
page can show the syntax. Every mistake raises ChecklistError naming the file
and the 1-based line.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from .inline import InlineProblem, InlineRenderer, check_plain_text
from .model import Block, Checklist, ChecklistError, Item

OPENER = re.compile(r"^:::[ \t]*checklist(?:[ \t]+(?P<args>.*?))?[ \t]*$", re.IGNORECASE)
CLOSER = re.compile(r"^:::[ \t]*$")
FENCE = re.compile(r"^[ ]{0,3}(?P<fence>`{3,}|~{3,})")
ITEM = re.compile(r"^[-*+][ \t]+\[(?P<mark>[^\]]*)\](?:[ \t]+(?P<text>.*?))?[ \t]*$")
OPTION = re.compile(r"^(?P<name>[A-Za-z][\w-]*)[ \t]*:(?:[ \t]+(?P<value>.*?))?[ \t]*$")
CONTINUATION = re.compile(r"^(?:[ ]{2,}|\t)[ \t]*(?P<text>\S.*?)[ \t]*$")
VALID_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

OPTIONS = ("title", "id", "type")
TYPES = {"weekly": True, "standard": False}
DEFAULT_TITLES = {False: "Checklist", True: "This week’s checklist"}
ID_FIX = "use lowercase letters, digits and single hyphens, e.g. resume-ready"


def parse_document(lines: list[str], path: str) -> list[Block]:
    """Every checklist block in `lines` (a document split on newlines), in
    order. Raises ChecklistError on the first mistake."""
    renderer = InlineRenderer()
    blocks: list[Block] = []
    first_line: dict[str, int] = {}
    fence = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if fence:
            if line.strip() and set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
                fence = ""
            index += 1
            continue
        fence_match = FENCE.match(line)
        if fence_match:
            fence = fence_match.group("fence")
            index += 1
            continue
        opener = OPENER.match(line)
        if not opener:
            index += 1
            continue
        block = _parse_block(lines, index, opener, path, renderer, ordinal=len(blocks) + 1)
        checklist = block.checklist
        if checklist.id in first_line:
            raise ChecklistError(
                path,
                checklist.line,
                f"checklist id '{checklist.id}' is already used on line "
                f"{first_line[checklist.id]} of this file",
                "give each checklist its own id: '::: checklist another-id'",
            )
        first_line[checklist.id] = checklist.line
        blocks.append(block)
        index = block.end + 1
    return blocks


def parse_text(text: str, path: str) -> list[Block]:
    """parse_document for a whole file's text (newlines normalised the way
    Python-Markdown does, so line numbers match the file)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return parse_document(text.split("\n"), path)


def _parse_block(lines, start, opener, path, renderer, ordinal) -> Block:
    opener_line = start + 1
    checklist_id = ""
    weekly: bool | None = None
    for word in (opener.group("args") or "").split():
        if word.lower() == "weekly" and not weekly:
            weekly = True
        elif not checklist_id and word.lower() != "weekly":
            if not VALID_ID.match(word):
                raise ChecklistError(
                    path, opener_line, f"'{word}' is not a valid checklist id", ID_FIX
                )
            checklist_id = word
        else:
            raise ChecklistError(
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
    end = None
    for index in range(start + 1, len(lines)):
        line = lines[index]
        number = index + 1
        if CLOSER.match(line):
            end = index
            break
        if OPENER.match(line):
            raise _unclosed(path, opener_line, f" before the next one on line {number}")
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
            raise ChecklistError(
                path,
                number,
                f"option '{option.group('name').lower()}:' comes after the items",
                "put title:, id: and type: lines right after the '::: checklist' line",
            )
        raise ChecklistError(
            path,
            number,
            f"'{_shorten(line.strip())}' is not a checklist item",
            "start each item with '- [ ] ', indent a line to continue the item above, "
            "or close the checklist with ':::' first",
        )
    if end is None:
        raise _unclosed(path, opener_line, "")
    if not items:
        raise ChecklistError(
            path,
            opener_line,
            "the checklist has no items",
            "add at least one '- [ ] action' line before the closing ':::'",
        )

    is_weekly = TYPES[options["type"][0]] if "type" in options else False
    if "title" in options:
        title, title_line = options["title"]
        try:
            check_plain_text(title, "title")
        except InlineProblem as problem:
            raise ChecklistError(path, title_line, problem.problem, problem.fix) from None
    else:
        title = DEFAULT_TITLES[is_weekly]
    if "id" in options:
        checklist_id, explicit = options["id"][0], True
    else:
        checklist_id, explicit = _derived_id(options.get("title", ("", 0))[0], path, ordinal), False

    rendered = []
    for text, number in items:
        try:
            rendered.append(Item(text=text, html=renderer.render(text), line=number))
        except InlineProblem as problem:
            raise ChecklistError(path, number, problem.problem, problem.fix) from None
    checklist = Checklist(
        id=checklist_id,
        title=title,
        items=tuple(rendered),
        weekly=is_weekly,
        path=path,
        line=opener_line,
        explicit_id=explicit,
    )
    return Block(checklist=checklist, start=start, end=end)


def _item_text(match, path, number) -> str:
    mark = match.group("mark")
    if mark in ("x", "X"):
        raise ChecklistError(
            path,
            number,
            "the item is already ticked ([x])",
            "write '- [ ] ': readers tick items themselves",
        )
    if mark != " ":
        raise ChecklistError(
            path,
            number,
            f"'[{mark}]' is not an empty box",
            "write '- [ ] ' (a space between the brackets)",
        )
    text = (match.group("text") or "").strip()
    if not text:
        raise ChecklistError(
            path, number, "the item has no text", "write the action after '- [ ] '"
        )
    return text


def _add_option(options, option, path, number) -> None:
    name = option.group("name").lower()
    value = (option.group("value") or "").strip()
    if name not in OPTIONS:
        raise ChecklistError(
            path,
            number,
            f"unknown option '{option.group('name')}:'",
            "use title:, id: or type: (weekly or standard), or start an item with '- [ ] '",
        )
    if name in options:
        raise ChecklistError(
            path,
            number,
            f"{name} is given twice (first on line {options[name][1]})",
            f"keep one {name}",
        )
    if not value:
        raise ChecklistError(path, number, f"{name}: is empty", f"write the {name} after '{name}:'")
    if name == "id" and not VALID_ID.match(value):
        raise ChecklistError(path, number, f"'{value}' is not a valid checklist id", ID_FIX)
    if name == "type":
        value = value.lower()
        if value not in TYPES:
            raise ChecklistError(
                path, number, f"unknown type '{value}'", "write 'type: weekly' or 'type: standard'"
            )
    options[name] = (value, number)


def _unclosed(path, opener_line, where) -> ChecklistError:
    return ChecklistError(
        path,
        opener_line,
        f"the checklist that starts here is not closed{where}",
        "add a line with only ':::' after its last item",
    )


def _derived_id(title: str, path: str, ordinal: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if slug:
        return slug
    stem = re.sub(r"[^a-z0-9]+", "-", PurePosixPath(path).stem.lower()).strip("-")
    return f"{stem or 'page'}-checklist-{ordinal}"


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
