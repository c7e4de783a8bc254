"""Networking-habit self-assessments written in Markdown (see README.md).

Enable with ``PLUGIN_PATHS = ["plugins"]`` and ``PLUGINS = ["assessment"]``.
"""

# Import Pelican first: its logging setup must be in place before this
# package creates loggers, so that --fatal applies to them.
from pelican import signals  # noqa: F401

from .integration import register

__all__ = ["register"]
