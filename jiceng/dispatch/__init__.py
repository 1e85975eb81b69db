"""The dispatch app."""
