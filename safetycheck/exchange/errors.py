"""The interchange error, importable without loading the format's code."""

from __future__ import annotations


class ExchangeError(ValueError):
    """An interchange file that cannot be read; the message names the place in the file."""
