"""One core for Markdown ``:::`` widget blocks in Pelican (see README.md).

A widget plugin describes its block with a ``BlockType`` and calls
``use(block_type)`` from its ``register()``; the core finds the blocks
(fence-aware), reports mistakes as ``file:line: problem. Fix: ...``, keeps
author text to a safe allowlist, knows which file is being read, checks ids
across the site and ships the widgets' browser files.
"""

from .errors import BlockBuildError, BlockError, Problem, display_path
from .extension import BlockType, Found, WidgetBlocksExtension
from .inline import BLOCK, LINKS, PLAIN
from .pelican_glue import use
from .scanner import Block, find_blocks
from .slug import VALID_ID, id_fix, slugify
from .suggest import closest

__all__ = [
    "BLOCK",
    "LINKS",
    "PLAIN",
    "VALID_ID",
    "Block",
    "BlockBuildError",
    "BlockError",
    "BlockType",
    "Found",
    "Problem",
    "WidgetBlocksExtension",
    "closest",
    "display_path",
    "find_blocks",
    "id_fix",
    "slugify",
    "use",
]
