"""A deterministic stand-in for the sentence model, so theme and topic tests run without it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS


class BagOfWords:
    """Hashed word counts, normalised: texts sharing words are close, others are not.

    ``content_words`` keeps only words of three or more letters outside English stop words;
    otherwise every word counts, and a constant dimension keeps any text from being a zero
    vector.
    """

    name = "bag-of-words"

    def __init__(self, dims: int = 256, content_words: bool = False) -> None:
        self.dims = dims
        self.content_words = content_words

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        extra = 0 if self.content_words else 1
        out = np.zeros((len(texts), self.dims + extra), dtype=np.float32)
        if extra:
            out[:, self.dims] = 1.0
        pattern = r"[a-z]{3,}" if self.content_words else r"[a-z]+"
        for row, text in enumerate(texts):
            for word in re.findall(pattern, text.lower()):
                if self.content_words and word in ENGLISH_STOP_WORDS:
                    continue
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dims] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)
