"""Text utilities shared by stages: number parsing and friends (no language branches)."""
