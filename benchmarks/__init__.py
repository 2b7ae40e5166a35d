"""Benchmark scripts: each prints its ratio against the bare library measured in the same run."""
