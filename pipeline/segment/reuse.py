"""A board's reading of its minutes kept between runs, so that adding the next minutes reads
only them.

Reading is sequential: each meeting's reading adds the people it met to the corpus's roster
(with their roles, initials and posts), and the next meeting is read with what the meetings
before it added. So a document's reading is a function of the document and of every document
before it. Each minutes document gets a chain key, a hash of its own content (pages, source,
date, body) and of the key of the document before it, the board file and this package's code.
A run keeps its readings, and the roster as they left it, under its last document's key. The
next run looks for the longest prefix of its own chain that a run kept (when the next minutes
are added at the end, that is all of the last run's documents), takes the readings and the
roster from it, and reads only the documents after it. A document changed or added before the
end changes the key of every document after it, so they are read again from the end of the
longest prefix a run kept, which is only where some run ended (often: the whole board again).

What is kept holds real names (the roster), so it lives in the owner-only cache with extracted
text. An entry that does not load (damaged, or written by other code) is a miss, never a crash;
``--force`` reads everything again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from pipeline.core.textcache import Store, package_hash
from pipeline.inputs.board import Board

NAMESPACE = "segment-readings"


class BlobStore(Store, Protocol):
    """What :class:`pipeline.core.io.Cache` offers: JSON values (:class:`Store`) and bytes."""

    def has_blob(self, namespace: str, key: str) -> bool: ...
    def get_blob(self, namespace: str, key: str) -> bytes | None: ...
    def put_blob(self, namespace: str, key: str, data: bytes) -> None: ...
    def drop_blob(self, namespace: str, key: str) -> None: ...


@dataclass
class Kept:
    """The reading of a board's first ``n_docs`` minutes documents, as the loop left it."""

    n_docs: int
    parts: list[Any]  # per meeting read: (document index, date, reading, role sources, ...)
    corpus: Any  # the corpus's Roster after them


def chain(minutes: pd.DataFrame, by_doc: dict[str, pd.DataFrame], board: Board | None) -> list[str]:
    """Each minutes document's chain key, in reading order."""
    # The board file by what it says, not where it is: a corpus copied or moved is read alike.
    said = repr(dataclasses.replace(board, origin="")) if board is not None else "no board"
    context = hashlib.sha256(f"{package_hash()}\0{said}\0{sys.version_info[:2]}".encode()).digest()
    keys: list[str] = []
    previous = context
    for doc in minutes.itertuples(index=False):
        h = hashlib.sha256(previous)
        for part in (doc.doc_id, doc.source, getattr(doc, "body", ""), doc.meeting_date):
            h.update(str(part).encode() + b"\0")
        pages = by_doc.get(str(doc.doc_id))
        if pages is not None and len(pages):
            ordered = pages[sorted(pages.columns)]
            h.update(pd.util.hash_pandas_object(ordered, index=False).to_numpy().tobytes())
        previous = h.digest()
        keys.append(h.hexdigest())
    return keys


def restore(keys: Sequence[str], store: BlobStore) -> Kept | None:
    """The longest prefix of ``keys`` a run kept, or None."""
    for n in range(len(keys), 0, -1):
        if not store.has_blob(NAMESPACE, keys[n - 1]):
            continue
        data = store.get_blob(NAMESPACE, keys[n - 1])
        try:
            kept = pickle.loads(data) if data else None
        except Exception:  # damaged or foreign: a miss, never a crash
            kept = None
        if isinstance(kept, Kept) and kept.n_docs == n:
            return kept
        store.drop_blob(NAMESPACE, keys[n - 1])
    return None


def keep(keys: Sequence[str], kept: Kept, store: BlobStore, replacing: Kept | None) -> None:
    """Store ``kept`` under its last document's key, in place of the entry it grew from (a
    board's entries would otherwise pile up, one a run)."""
    if not keys or kept.n_docs != len(keys):
        return
    if replacing is not None and replacing.n_docs == kept.n_docs:
        return  # every document was read from it: it is already what would be stored
    store.put_blob(NAMESPACE, keys[-1], pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    if replacing is not None:
        store.drop_blob(NAMESPACE, keys[replacing.n_docs - 1])
