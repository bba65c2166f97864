"""Everything that leaves the app as a file: chart builders, the one-page brief and its facts, CSV, redaction, and the export entry point (render)."""
