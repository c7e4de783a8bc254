"""Turn a Checklist into HTML: a real, labelled form that works and prints
without JavaScript, and a plain list for feeds.

The markup carries no style attribute, inline script or on* handler (the
site's Content-Security-Policy forbids them). Author text is escaped; item
labels are the inline HTML that inline.py produced and checked.
`theme/static/js/checklist.js` enhances it: it reads the data attributes and
the class names below, so keep them in step.
"""

from __future__ import annotations

import re
from html import escape

from .model import Checklist

SCRIPT = "js/checklist.js"
WEEKLY_HINT = "A fresh list every week, Monday to Sunday: tick what you did this week."
STORAGE_NOTE = "Saving is off in this browser; your ticks will not be kept."
RESET_LABEL = "Clear ticks"


def render(checklist: Checklist) -> str:
    """The widget. What needs the script (the reset button, the weekly streak
    and history, the saving-off note) starts `hidden`; the script reveals it."""
    base = checklist.dom_id
    weekly_attr = " data-weekly" if checklist.weekly else ""
    lines = [
        f'<tip-checklist class="checklist{" checklist-weekly" if checklist.weekly else ""}"'
        f' data-checklist-id="{escape(checklist.id)}"'
        f' data-checklist-hash="{checklist.item_hash}"{weekly_attr}>',
        f'<form class="checklist-form" id="{base}" autocomplete="off">',
        "<fieldset>",
        f'<legend class="checklist-title">{escape(checklist.title, quote=False)}</legend>',
    ]
    if checklist.weekly:
        lines.append(f'<p class="checklist-hint">{escape(WEEKLY_HINT, quote=False)}</p>')
    lines.append('<ul class="checklist-items">')
    for number, item in enumerate(checklist.items, start=1):
        box = f"{base}-{number}"
        lines.append(
            f'<li><input type="checkbox" id="{box}" name="{box}">'
            f' <label for="{box}">{item.html}</label></li>'
        )
    lines += [
        "</ul>",
        "</fieldset>",
        '<p class="checklist-progress" role="status" aria-live="polite"></p>',
        f'<p class="checklist-storage-note" hidden>{escape(STORAGE_NOTE, quote=False)}</p>',
    ]
    if checklist.weekly:
        lines += [
            '<div class="checklist-weeks" hidden>',
            '<p class="checklist-streak"></p>',
            f'<p class="checklist-history-title" id="{base}-history">Past weeks</p>',
            f'<ul class="checklist-history" aria-labelledby="{base}-history"></ul>',
            "</div>",
        ]
    lines += [
        # `hidden` on a wrapper: a theme's `button {display: …}` rule would
        # override it on the button itself.
        '<p class="checklist-actions" hidden>'
        f'<button type="button" class="checklist-reset secondary">{RESET_LABEL}</button></p>',
        "</form>",
        "</tip-checklist>",
    ]
    return "\n".join(lines)


WIDGET = re.compile(r"<tip-checklist\b[^>]*>(?P<body>.*?)</tip-checklist>", re.DOTALL)
TITLE = re.compile(r"<legend\b[^>]*>(?P<text>.*?)</legend>", re.DOTALL)
HINT = re.compile(r'<p class="checklist-hint">(?P<text>.*?)</p>', re.DOTALL)
LABEL = re.compile(r"<label\b[^>]*>(?P<text>.*?)</label>", re.DOTALL)


def plain_lists(html: str) -> str:
    """Replace every widget in `html` with a title and a plain list of empty
    boxes (☐): what feeds get, since feed readers drop forms and scripts."""

    def plain(match: re.Match) -> str:
        body = match.group("body")
        title = TITLE.search(body)
        hint = HINT.search(body)
        parts = ['<div class="checklist">']
        if title:
            parts.append(f"<p><strong>{title.group('text')}</strong></p>")
        if hint:
            parts.append(f"<p>{hint.group('text')}</p>")
        parts.append("<ul>")
        parts += [f"<li>☐ {label.group('text')}</li>" for label in LABEL.finditer(body)]
        parts += ["</ul>", "</div>"]
        return "\n".join(parts)

    return WIDGET.sub(plain, html)
