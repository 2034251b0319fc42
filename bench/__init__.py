"""Benchmarks: `make bench` (full) and `make bench-quick` (tiny, for CI). See README.md."""
