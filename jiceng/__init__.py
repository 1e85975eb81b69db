"""jiceng (基层): a governance platform for townships and sub-district offices."""
