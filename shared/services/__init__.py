"""Service layer: every state change is a function taking a unit of work and plain values."""
