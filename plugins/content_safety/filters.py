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

from functools import lru_cache

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


# A title is shown on many pages (listings, neighbours, archives): parse
# each distinct value once per process. Text without "<" or "&" has no
# markup or references to read.
@lru_cache(maxsize=8192)
def _meta_html(value: str) -> str:
    if "<" not in value and "&" not in value:
        return str(escape(value))
    return _render(parse(value))


@lru_cache(maxsize=8192)
def _meta_text(value: str) -> str:
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    return text_of(value)


def meta_html(value) -> Markup:
    return Markup(_meta_html("" if value is None else str(value)))


def meta_text(value) -> str:
    return _meta_text("" if value is None else str(value))


FILTERS = {"meta_html": meta_html, "meta_text": meta_text}
