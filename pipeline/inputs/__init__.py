"""What a user supplies besides the documents: the board's roster (board.yaml), codebooks, a survey
to draft a codebook from, the involvement cue lexicon."""
