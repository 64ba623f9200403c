"""Migration scripts, oldest first; revision ids are listed in safetycheck.store.schema."""
