"""Near words by meaning, from static word vectors built offline from all-MiniLM-L6-v2.

``evaluator/data/wordneighbours.tsv`` (built by ``scripts/build_vectors.py``; licence in
``evaluator/data/MINILM-LICENSE``) lists, for about 29,000 English Porter stems, their
nearest stems by the cosine of the model's word vectors (up to 16, cosine at least 0.45,
antonyms and prefix reversals left out). The vectors are reduced to this list offline, so
a lookup is plain Python: no torch, no NumPy, nothing downloaded. The table is sorted by
stem and never read whole: a stem's line is found by binary search in the mapped file
(:class:`evaluator.io.SortedTable`), so looking up the few hundred words of a rubric costs
about a millisecond, where parsing the table (then 2.8 MB, now 5.3 MB) cost 25-70 ms.

>>> "compani" in near(("firm",), 0.5)[0]
True
>>> near(("qwzx",), 0.5)
(frozenset(),)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from evaluator import io

NEIGHBOURS = "wordneighbours.tsv"


def _table() -> io.SortedTable:
    return io.package_sorted_table(NEIGHBOURS)


@lru_cache(maxsize=16384)
def neighbours(stem: str) -> tuple[tuple[str, float], ...]:
    """``stem``'s near stems with their cosines, nearest first (empty when unknown)."""
    fields = (_table().get(stem) or "").split()
    return tuple((fields[i], float(fields[i + 1])) for i in range(0, len(fields), 2))


def near(stems: Sequence[str], threshold: float) -> tuple[frozenset[str], ...]:
    """Per stem, the stems whose cosine with it is at least ``threshold``."""
    return tuple(
        frozenset(other for other, cos in neighbours(st) if cos >= threshold) for st in stems
    )


def cosine(a: str, b: str) -> float:
    """Cosine of two stems when one is among the other's neighbours, else 0."""
    for other, cos in neighbours(a):
        if other == b:
            return cos
    return 0.0
