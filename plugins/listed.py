"""One answer, for this site's own plugins, to "is this build mine?".

Blinker signals are process-wide: a receiver also hears every later build
in the same process (the dev server, the tests), so each plugin acts only
for builds whose PLUGINS list it, by its module name or a dotted path
ending in it. (Not a plugin itself: it is never listed in PLUGINS.)
"""

from __future__ import annotations


def listed(settings, name: str) -> bool:
    for plugin in (settings or {}).get("PLUGINS") or ():
        plugin_name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        if plugin_name.rsplit(".", 1)[-1] == name:
            return True
    return False
