"""Pseudonymisation: every person named in the units becomes a stable pseudonym (names, people,
variants, contacts find them), then spaCy lemmas; the stage is preprocess.preprocess."""
