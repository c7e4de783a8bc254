"""The theme's two Jinja filters for author text, registered through the
JINJA_FILTERS setting by the plugin. Every title, tag, category and author
name the theme prints goes through one of them.

- ``meta_html``: HTML for element content. Keeps typogrify's
  ``<span class="amp|caps|dquo|quo">`` (its typography) and escapes
  everything else: any other markup is reduced to its text, ``<``, ``>``,
  ``&`` and quotes become entities.
- ``meta_text``: the plain text (typogrify's markup dropped, entities
  decoded, white space collapsed), for ``<title>``, attributes (with ``|e``),
  JSON-LD (with ``|tojson``) and mail subjects (with ``|urlencode``). It
  returns a plain string: the template escapes it for where it lands.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .rules import _typogrify_span, local_name, parse, text_of


def _render(element) -> str:
    out = [str(escape(element.text or ""))]
    for child in element:
        if isinstance(child.tag, str):
            attrs = {local_name(k): v for k, v in child.attrib.items()}
            inner = _render(child)
            if local_name(child.tag) == "span" and _typogrify_span(attrs):
                out.append(f'<span class="{attrs["class"]}">{inner}</span>')
            else:
                out.append(inner)
        out.append(str(escape(child.tail or "")))
    return "".join(out)


def meta_html(value) -> Markup:
    if value is None:
        return Markup("")
    return Markup(_render(parse(str(value))))


def meta_text(value) -> str:
    if value is None:
        return ""
    return text_of(str(value))


FILTERS = {"meta_html": meta_html, "meta_text": meta_text}
