"""The ticket kiosk (anjungan): a touchscreen where visitors take their number.

Screens are Qt widgets; the work behind them (`desk.TicketDesk`) is plain Python that the
screens reach only through the operation runner, so no store or printer I/O blocks a touch.
"""
