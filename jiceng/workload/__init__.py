"""The workload app."""
