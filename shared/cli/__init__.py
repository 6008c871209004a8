"""The `antrean` admin command line."""
