"""Static word vectors, built offline from all-MiniLM-L6-v2 and shipped in the package.

``evaluator/data/wordvectors.bin.gz`` (built by ``scripts/build_vectors.py``; licence in
``evaluator/data/MINILM-LICENSE``) holds one int8 vector per Porter stem of about 19,000
English stems. It is read on first use, with NumPy alone (never torch), and only when a
rubric point is not already met by its words, their stems and the lexicon.

Vectors are int8, so their dot products are whole numbers that float32 sums exactly
(every partial sum is below 2^24): a cosine is the same on every machine and BLAS.

>>> "enterpris" in near(("firm",), 0.45)[0]
True
>>> near(("qwzx",), 0.45)
(frozenset(),)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from evaluator import io

VECTORS = "wordvectors.bin.gz"
# Neighbours kept per stem, nearest first: enough for the paraphrases a student writes,
# few enough that a common word does not stand for half the vocabulary.
LIMIT = 12
# Prefixes that reverse a word: "disconnect" is near "connect" in the vectors, and the
# opposite of it in an answer.
_REVERSING = ("un", "dis", "in", "im", "il", "ir", "non", "anti", "mis", "de")


class _Table:
    def __init__(self) -> None:
        import gzip

        import numpy as np

        raw = gzip.decompress(io.package_data(VECTORS))
        head, _, rest = raw.partition(b"\n")
        header = json.loads(head)
        count, dims = int(header["count"]), int(header["dims"])
        names = rest.split(b"\n", count)
        self.stems: tuple[str, ...] = tuple(n.decode("ascii") for n in names[:count])
        body = names[count]
        self.index = {st: i for i, st in enumerate(self.stems)}
        q = np.frombuffer(body, dtype=np.int8, count=count * dims).reshape(count, dims)
        self.matrix: Any = q.astype(np.float32)
        # Squared norms are whole numbers too (exact in float64).
        self.norms: Any = np.sqrt((q.astype(np.int64) ** 2).sum(axis=1).astype(np.float64))


@lru_cache(maxsize=1)
def _table() -> _Table:
    return _Table()


def known(stem: str) -> bool:
    """True when the table has a vector for ``stem``."""
    return stem in _table().index


def cosine(a: str, b: str) -> float:
    """Cosine of two stems' vectors (0 when either is unknown)."""
    t = _table()
    i, j = t.index.get(a), t.index.get(b)
    if i is None or j is None:
        return 0.0
    dot = float(t.matrix[i] @ t.matrix[j])
    return dot / float(t.norms[i] * t.norms[j])


def near(stems: Sequence[str], threshold: float, limit: int = LIMIT) -> tuple[frozenset[str], ...]:
    """Per stem, the stems whose cosine with it is at least ``threshold`` (itself and words
    that reverse it excluded), at most ``limit``, nearest first; empty for an unknown stem."""
    out = [_near(st, threshold, limit) for st in stems]
    return tuple(out)


@lru_cache(maxsize=8192)
def _near(stem: str, threshold: float, limit: int) -> frozenset[str]:
    t = _table()
    i = t.index.get(stem)
    if i is None:
        return frozenset()
    import numpy as np

    dots = t.matrix @ t.matrix[i]
    cos = dots.astype(np.float64) / (t.norms * t.norms[i])
    hits = np.flatnonzero(cos >= threshold)
    # Nearest first, ties by stem order: the same set on every run.
    ranked = sorted(hits.tolist(), key=lambda j: (-cos[j], t.stems[j]))
    chosen: list[str] = []
    for j in ranked:
        other = t.stems[j]
        if j == i or _reverses(stem, other):
            continue
        chosen.append(other)
        if len(chosen) >= limit:
            break
    return frozenset(chosen)


def _reverses(a: str, b: str) -> bool:
    """True when one stem is the other with a reversing prefix ("connect" / "disconnect")."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return any(long_ == p + short for p in _REVERSING)


def mean_vector(stems: Sequence[str]) -> Any:
    """The sum of the known stems' vectors (each counted once), or None when none is known.

    Whole numbers, so the same on every machine; compare two with :func:`mean_cosine`.
    """
    t = _table()
    rows = sorted({i for st in stems if (i := t.index.get(st)) is not None})
    if not rows:
        return None
    import numpy as np

    # Each row divided by its norm would not be exact; rows are near unit length already
    # (int8 scaled to 127 at the largest component), so the plain sum is their mean's direction.
    return t.matrix[rows].astype(np.float64).sum(axis=0)


def mean_cosine(a: Any, b: Any) -> float:
    """Cosine of two :func:`mean_vector` results (0 when either is None)."""
    if a is None or b is None:
        return 0.0
    import numpy as np

    denom = float(np.sqrt(a @ a) * np.sqrt(b @ b))
    return float(a @ b) / denom if denom else 0.0
