"""The org app."""
