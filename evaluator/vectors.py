"""TF-IDF vectors in plain Python, computed as scikit-learn's ``TfidfVectorizer`` does.

The formula of ``TfidfVectorizer(analyzer=..., sublinear_tf=True)``: smooth idf
``ln((1 + n) / (1 + df)) + 1``, sublinear tf ``1 + ln(count)``, each vector L2-normalised;
terms unknown to the fitted space are dropped. Grading one answer needs only this: the
vocabulary, the idf weights and a few dot products, which plain Python does in
microseconds without importing NumPy, SciPy or scikit-learn (about 1 s). A vector is a
dict from term index to weight, in ascending index order, so sums run in the order
scikit-learn's sparse products use; tests/test_vectors.py checks the numbers against
scikit-learn (equal to about 1e-15).

>>> space = Space.fit([["india", "korea"], ["india", "msme"]])
>>> v = space.vector(["korea", "korea", "unknown"])
>>> [round(w, 3) for w in v.values()]
[1.0]
>>> round(dot(space.vector(["india", "korea"]), v), 3)
0.814
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Vector = dict[int, float]


@dataclass(frozen=True)
class Space:
    """A fitted vocabulary (term -> index, terms sorted) and the idf weight of each index."""

    vocabulary: dict[str, int]
    idf: tuple[float, ...]

    @classmethod
    def fit(cls, docs: Sequence[Sequence[str]]) -> Space:
        """Fit on analysed documents (each a sequence of terms)."""
        df: dict[str, int] = {}
        for doc in docs:
            for term in set(doc):
                df[term] = df.get(term, 0) + 1
        if not df:
            # As scikit-learn: there is nothing to weigh (callers name the rubric).
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        terms = sorted(df)
        n = len(docs) + 1
        return cls(
            {t: i for i, t in enumerate(terms)},
            tuple(math.log(n / (df[t] + 1)) + 1.0 for t in terms),
        )

    def scaled(self, terms: Iterable[str], factor: float) -> Space:
        """This space with the idf of ``terms`` (those it has) multiplied by ``factor``."""
        idf = list(self.idf)
        for term in terms:
            i = self.vocabulary.get(term)
            if i is not None:
                idf[i] *= factor
        return Space(self.vocabulary, tuple(idf))

    def vector(self, terms: Iterable[str]) -> Vector:
        """The L2-normalised TF-IDF vector of an analysed document."""
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for term in terms:
            i = vocabulary.get(term)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        idf = self.idf
        weights = [(i, (math.log(c) + 1.0) * idf[i]) for i, c in sorted(counts.items())]
        return normalised(dict(weights))


def normalised(v: Vector) -> Vector:
    """``v`` divided by its L2 norm (a zero vector stays zero)."""
    total = 0.0
    for w in v.values():
        total += w * w
    if total == 0.0:
        return dict(v)
    norm = math.sqrt(total)
    return {i: w / norm for i, w in v.items()}


def dot(a: Vector, b: Vector) -> float:
    """Dot product, summed in ascending index order."""
    small, large = (b, a) if len(b) < len(a) else (a, b)
    shared = sorted(i for i in small if i in large)
    total = 0.0
    for i in shared:
        total += a[i] * b[i]
    return total


def total(vectors: Iterable[Vector]) -> Vector:
    """The sum of ``vectors`` (a column sum), keys in ascending order."""
    out: dict[int, float] = {}
    for v in vectors:
        for i, w in v.items():
            out[i] = out.get(i, 0.0) + w
    return dict(sorted(out.items()))


class Index:
    """Dot products of many fixed vectors (a rubric's points) with one query vector at a time.

    An inverted index: for each term, the rows that have it. ``dots(q)`` sums in
    ascending term order per row, as :func:`dot` does.
    """

    def __init__(self, rows: Sequence[Vector]) -> None:
        self.rows = tuple(rows)
        postings: dict[int, list[tuple[int, float]]] = {}
        for r, v in enumerate(self.rows):
            for i, w in v.items():
                postings.setdefault(i, []).append((r, w))
        self._postings = postings

    def dots(self, query: Vector) -> dict[int, float]:
        """Row -> dot product with ``query``, for the rows sharing a term with it."""
        out: dict[int, float] = {}
        postings = self._postings
        for i in sorted(query):
            plist = postings.get(i)
            if plist is None:
                continue
            q = query[i]
            for r, w in plist:
                out[r] = out.get(r, 0.0) + w * q
        return out
