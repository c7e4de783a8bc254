"""buildcache: fast rebuilds that are never stale. See README.md.

Enable with ``PLUGINS = [..., "buildcache"]``; ``BUILD_CACHE = False`` turns
it off for a build.
"""

# Import Pelican first: its logging setup must be in place before this
# package creates loggers, so that --fatal applies to them.
from pelican import signals  # noqa: F401

from .plugin import register

__all__ = ["register"]
