"""Qt glue the three apps share: QtCore only (no widgets), tested like the rest of `shared`."""
