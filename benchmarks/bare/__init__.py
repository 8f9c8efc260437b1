"""Bare processes, the baselines of the process rows: scripts a plain user of the stack would write.

Each runs as `python benchmarks/bare/NAME.py ...` and imports nothing of the newsroom.
"""
