"""Editor review: a SQLite store of runs and decisions, finding fingerprints, suppressions, and the web app."""
