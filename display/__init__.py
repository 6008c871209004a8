"""The lobby display (layar antrean): now calling, counters, waits, voice announcements.

Entry point `display.main:main` (console script `antrean-display`); see display/README.md.
"""
