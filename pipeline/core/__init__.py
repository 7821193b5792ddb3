"""Foundations every stage uses: paths and fixed vocabularies (config, vocab, items), errors, table
schemas, file I/O, the sentence model."""
