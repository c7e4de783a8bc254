"""One answer, for this site's own plugins, to "which articles and pages
does this build write?" (content_safety checks them, share_cards gives each
its picture). Not a plugin itself: it is never listed in PLUGINS.
"""

from __future__ import annotations

from pelican.contents import Static


def written_contents(generators) -> list:
    """Every article and page read in this build, in source order: drafts,
    hidden pages and translations are written too."""
    context = next((g.context for g in generators if hasattr(g, "context")), {})
    found = {}
    for content in list(context.get("generated_content", {}).values()):
        path = getattr(content, "source_path", None)
        if path and not isinstance(content, Static):
            found[path] = content
    return [found[path] for path in sorted(found)]
