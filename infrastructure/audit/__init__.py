"""Audit: verifying the hash chains, seals, exports, the newsroom-wide log and replays."""
