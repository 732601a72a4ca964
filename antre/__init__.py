"""The `antre` command: the composition root that knows the core and every app."""
