"""The outreach app."""
