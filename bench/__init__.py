"""Benchmarks: each module prints JSON lines with a baseline measured in the same run."""
