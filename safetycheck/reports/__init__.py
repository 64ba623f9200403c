"""Renderers: they lay out a finished result and plan; they do not calculate."""
