"""krisovning — a crisis-communication drill simulator for Swedish municipalities."""

__version__ = "0.1.0"
