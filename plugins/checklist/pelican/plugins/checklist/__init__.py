"""Tip checklists: Markdown task lists readers can tick off. See README.md."""

from .plugin import register

__all__ = ["register"]
