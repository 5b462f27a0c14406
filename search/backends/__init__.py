"""Search backends with Danish analysis. `search.backends.database` is the one the settings name."""
