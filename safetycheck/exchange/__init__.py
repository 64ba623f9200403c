"""Interchange formats: the versioned assessment JSON."""
