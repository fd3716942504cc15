"""Benchmarks (`make bench`) and the load test (`make loadtest`); see README "Benchmarks"."""
