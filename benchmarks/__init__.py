"""Benchmarks that print each figure beside a baseline measured in the same run.

Run them all with `python -m benchmarks.run` (see benchmarks/README.md).
"""
