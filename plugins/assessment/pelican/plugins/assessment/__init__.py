"""Networking-habit self-assessments written in Markdown (see README.md).

Install with pip, then enable with ``PLUGINS = ["pelican.plugins.assessment"]``.
"""

# Import Pelican first: its logging setup must be in place before this
# package creates loggers, so that --fatal applies to them.
from pelican import signals  # noqa: F401

from .integration import register

__all__ = ["register"]
