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


# The plain text of values with markup, kept between builds as well: the
# plugin loads what the last build used from CACHE_PATH at `initialized`
# and saves what this one used at `finalized` (__init__.py). Summaries are
# the bulk: each is parsed by html5lib, and listings, related reading and
# the search index all show them. Pages rendered in forked processes
# (parallel_write) read the texts known when they were forked.
_TEXTS: dict[str, str] = {}
_USED: set[str] = set()
_MAX_TEXTS = 65536  # a long devserver session: start again rather than grow


def _meta_text(value: str) -> str:
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    text = _TEXTS.get(value)
    if text is None:
        if len(_TEXTS) >= _MAX_TEXTS:
            _TEXTS.clear()
        text = _TEXTS[value] = text_of(value)
    _USED.add(value)
    return text


def start_build(known: dict[str, str]) -> None:
    """A build starts: ``known`` are texts saved by an earlier one."""
    _USED.clear()
    for value, text in known.items():
        if isinstance(value, str) and isinstance(text, str):
            _TEXTS.setdefault(value, text)


def texts_used() -> dict[str, str]:
    """The texts this process needed since ``start_build``, to save."""
    return {value: _TEXTS[value] for value in sorted(_USED) if value in _TEXTS}


def meta_html(value) -> Markup:
    return Markup(_meta_html("" if value is None else str(value)))


def meta_text(value) -> str:
    return _meta_text("" if value is None else str(value))


FILTERS = {"meta_html": meta_html, "meta_text": meta_text}
