"""The open311 app."""
