"""The enforcement app."""
