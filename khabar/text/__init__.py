"""Text utilities shared by stages (no language branches): ``numbers`` (numbers in running text),
``normalise`` (normalised text with a map back to the original), ``fold`` (folding for matching,
with a map), ``script`` (Unicode scripts of a text)."""
