"""share_cards: a share card (1200×630 PNG) for every article and page, the
site's PNG icons and its web app manifest. See README.md.

Enable with ``PLUGINS = [..., "share_cards"]``.
"""

# Import Pelican first: its logging setup must be in place before this
# package creates loggers, so that --fatal applies to them.
from pelican import signals  # noqa: F401

from .plugin import register

__all__ = ["register"]
