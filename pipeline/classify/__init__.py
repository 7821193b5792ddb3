"""Per-unit classifiers: a theme from the codebook (themes) and a focus, process, action or outcome,
with outcome scope (focus)."""
