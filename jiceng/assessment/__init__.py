"""The assessment app."""
