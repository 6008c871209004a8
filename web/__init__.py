"""The visitor's phone: ticket status (live), satisfaction survey and online booking.

A small FastAPI service over the same store as the apps (`antrean web`). Pages are rendered
on the server, small and without external assets, so they work on a cheap phone over a slow
link; a few lines of JavaScript keep the status page live and it still refreshes without them.
"""
