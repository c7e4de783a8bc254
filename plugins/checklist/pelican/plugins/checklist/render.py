"""Turn a Checklist into HTML: a real, labelled form that works and prints
without JavaScript, and a plain list for feeds.

The markup carries no style attribute, inline script or on* handler (the
site's Content-Security-Policy forbids them). Author text is escaped; item
labels are the inline HTML that inline.py produced and checked.
`theme/static/js/checklist.js` enhances it: it reads the data attributes and
the class names below, so keep them in step.
"""

from __future__ import annotations

from html import escape

from .model import Checklist

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
        f'<legend class="checklist-title">{checklist.title_html}</legend>',
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


def render_feed(checklist: Checklist) -> str:
    """What feeds get instead of the form (feed readers drop forms and
    scripts): the title and a plain list of empty boxes (☐)."""
    parts = ['<div class="checklist">', f"<p><strong>{checklist.title_html}</strong></p>"]
    if checklist.weekly:
        parts.append(f"<p>{escape(WEEKLY_HINT, quote=False)}</p>")
    parts.append("<ul>")
    parts += [f"<li>☐ {item.html}</li>" for item in checklist.items]
    parts += ["</ul>", "</div>"]
    return "\n".join(parts)


def render_summary_stub(checklist: Checklist) -> str:
    """What a listing shows instead of the form."""
    count = len(checklist.items)
    return (
        f'<p class="checklist-stub">{checklist.title_html} '
        f"(a checklist of {count} item{'s' * (count != 1)})</p>"
    )
