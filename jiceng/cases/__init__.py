"""The cases app."""
