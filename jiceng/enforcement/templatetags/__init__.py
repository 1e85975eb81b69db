"""Template tags of the enforcement app."""
