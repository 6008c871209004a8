"""Honest waits: when each waiting visitor will be called, with an 80 % window.

In plain words: we play the rest of the queue forward on paper. Every open counter takes,
in docs/design.md's call order, the next visitor of the services it serves; each visitor keeps it
busy for the service time observed today (robust to outliers, starting from the configured
figure early in the day), allowing for the share who do not come when called and the time
such a no-show costs. Paused counters come back after a typical break; closed ones do not.
The spread around that expectation grows with the work ahead and shrinks with the number of
counters sharing it; the window is its 10th to 90th percentile.
"""
