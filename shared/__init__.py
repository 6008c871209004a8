"""Everything the kiosk, counter and display share; no Qt widgets here (a test enforces it)."""
