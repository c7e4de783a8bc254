"""The one slug rule of the widgets: ids derived from names and titles."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str) -> str:
    """ASCII slug: lowercase letters and digits joined by single hyphens.

    Accents are folded (NFKD), so "Résumé ready" gives ``resume-ready``;
    characters with no ASCII form are dropped.
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


VALID_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def id_fix(example: str) -> str:
    return f"use lowercase letters, digits and single hyphens, e.g. {example}"
