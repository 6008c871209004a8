"""Ticket printing: the slip, its ESC/POS layout and raster twin, and the printers behind one
narrow interface (`TicketPrinter`). No Qt here; call printers off the GUI thread."""
