"""The powers app."""
