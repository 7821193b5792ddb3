"""Per-text results kept between runs, so that a re-run computes only the texts it has not seen.

Adding one meeting to an analysed board changes a few dozen units out of thousands, yet spaCy's
NER, lemmas and the focus rules' parse would read every unit again. Each of those results is a
function of one text and of fixed things around it (the spaCy model and its version, a lexicon's
content, the code that computes it): :class:`PerText` stores it in the run's disk cache
(:class:`pipeline.core.io.Cache`) under a hash of the text and a fingerprint of those things, and
computes only what the cache does not hold. Whatever is fitted on the whole corpus is not cached
here: only the per-unit inputs to it.

A cache entry that does not read back as a value of the right shape is a miss, never a crash;
--force (a write-only cache) computes every text again and replaces what was stored.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Store(Protocol):
    """What :class:`pipeline.core.io.Cache` offers: JSON values by namespace and key."""

    def get(self, namespace: str, key: str) -> Any | None: ...
    def put(self, namespace: str, key: str, value: Any) -> None: ...


def fingerprint(*parts: object) -> str:
    """One hash of everything (as JSON) that decides a cached result besides its text."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def source_hash(*modules: ModuleType) -> str:
    """A hash of the modules' source files: editing the code that computes a result must make
    its cached results misses, without anyone remembering to bump a version."""
    h = hashlib.sha256()
    for module in modules:
        path = Path(str(module.__file__))
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def package_hash() -> str:
    """A hash of the whole package's code and templates: whatever a run wrote, or a reading it
    kept, by earlier code is stale once any of them changes (read afresh: tests edit them)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".j2", ".css", ".yaml"} and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=16)
def package_version(distribution: str) -> str:
    """An installed distribution's version, '' when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


@lru_cache(maxsize=16)
def model_identity(module: str) -> str:
    """A packaged spaCy pipeline's name and version from its meta.json, without loading it;
    '' when it is not installed."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return ""
    meta = Path(next(iter(spec.submodule_search_locations))) / "meta.json"
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return module
    fields = (data.get(k, "") for k in ("name", "version", "spacy_version"))
    return " ".join([module, *map(str, fields)])


class PerText:
    """Results stored in ``namespace`` of ``store``, one per key text, under ``version``
    (:func:`fingerprint` of everything else that decides them)."""

    def __init__(self, store: Store | None, namespace: str, version: str) -> None:
        self.store = store
        self.namespace = namespace
        self.version = version
        self.hits = 0
        self.misses = 0

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.version}\0{text}".encode()).hexdigest()

    def map(
        self,
        keys: Sequence[str],
        compute: Callable[[list[int]], Sequence[T]],
        *,
        load: Callable[[Any], T | None],
        dump: Callable[[T], Any],
    ) -> list[T]:
        """The result for each of ``keys``: from the store where it holds one (``load`` turns
        an entry back into a result, or None for an entry of the wrong shape), else from
        ``compute`` (given the positions of the keys to compute, it returns their results in
        that order), which is called once, for each distinct missing key once.

        Without a store, ``compute`` gets every position, as if nothing were cached."""
        if self.store is None:
            return list(compute(list(range(len(keys)))))
        found: dict[str, T] = {}
        todo: dict[str, int] = {}  # hashed key -> first position with it
        hashed = [self._key(k) for k in keys]
        for i, h in enumerate(hashed):
            if h in found or h in todo:
                continue
            entry = self.store.get(self.namespace, h)
            value = load(entry) if entry is not None else None
            if value is None:
                todo[h] = i
            else:
                found[h] = value
        self.hits, self.misses = len(found), len(todo)
        if todo:
            computed = list(compute(list(todo.values())))
            for h, value in zip(todo, computed, strict=True):
                found[h] = value
                self.store.put(self.namespace, h, dump(value))
        return [found[h] for h in hashed]
