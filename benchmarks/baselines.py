"""Reference-overlap baselines: the floor any grader has to beat.

Each baseline scores one :class:`~benchmarks.datasets.Item` as a float in ``[0, 1]``, read as
"fraction of full marks"; none of them is fitted to human scores.

* :class:`TfidfCosine`: cosine similarity between the TF-IDF vectors of the answer and the
  reference answer. The vectoriser is sklearn's ``TfidfVectorizer()`` with its defaults
  (lower-casing, token pattern ``(?u)\\b\\w\\w+\\b``, no stop-word removal, smooth idf,
  sublinear tf off, L2 norm), fitted once per dataset on every distinct reference answer
  plus every student answer (no scores are used). With several references the best cosine
  counts.
* :func:`stemmed_recall`: the fraction of the reference's distinct content-word stems that
  also occur among the answer's stems. Tokens are runs of letters/digits (regex
  ``[^\\W_]+`` on lower-cased text); content words are tokens not in sklearn's
  ``ENGLISH_STOP_WORDS``; stems are NLTK's Porter stems. With several references the best
  recall counts.
* :func:`keypoint_recall` (needs a rubric, i.e. SAF): a key element is *hit* when the
  stemmed recall of its content stems in the answer is at least 0.5; the answer earns the
  points of every hit element, the total is capped at the question's ``max_score`` (key
  elements are often alternatives whose points add up to more than full marks), and the
  result is divided by ``max_score``. A key element made only of stop words (e.g. "No",
  the expected verdict of SAF question 12.3) is matched on all its stems instead, since
  otherwise it could never be hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from nltk.stem import PorterStemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from benchmarks.datasets import Item

KEYPOINT_HIT_THRESHOLD = 0.5

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMER = PorterStemmer()


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    # Porter stemming is the slow step; the vocabulary is small, so caching makes it cheap.
    return str(_STEMMER.stem(token))


def tokens(text: str) -> list[str]:
    """Lower-cased runs of letters and digits."""
    return _TOKEN.findall(text.lower())


def stems(text: str, *, content_only: bool = True) -> frozenset[str]:
    """Distinct Porter stems of ``text``; stop words (sklearn's English list) left out."""
    return frozenset(
        _stem(t) for t in tokens(text) if not (content_only and t in ENGLISH_STOP_WORDS)
    )


def _recall(wanted: frozenset[str], have: frozenset[str]) -> float:
    return len(wanted & have) / len(wanted) if wanted else 0.0


def _references(item: Item) -> tuple[str, ...]:
    return item.references or (item.reference,)


def stemmed_recall(item: Item) -> float:
    """Best, over reference answers, fraction of reference content stems found in the answer.

    A reference with no content words scores 0 (there is nothing to recall).
    """
    have = stems(item.answer)
    return max(_recall(stems(ref), have) for ref in _references(item))


def keypoint_recall(item: Item, *, threshold: float = KEYPOINT_HIT_THRESHOLD) -> float:
    """Capped share of rubric points whose key elements the answer recalls (see module doc).

    Raises ``ValueError`` for an item without key points or with a non-positive max_score.
    """
    if not item.key_points:
        raise ValueError(f"item {item.answer_id!r} of {item.dataset} has no key points")
    if item.max_score <= 0:
        raise ValueError(f"item {item.answer_id!r} has max_score {item.max_score}")
    have_content = stems(item.answer)
    have_all = stems(item.answer, content_only=False)
    earned = 0.0
    for element, points in item.key_points:
        wanted, have = stems(element), have_content
        if not wanted:
            wanted, have = stems(element, content_only=False), have_all
        if wanted and _recall(wanted, have) >= threshold:
            earned += points
    return min(earned, item.max_score) / item.max_score


class TfidfCosine:
    """TF-IDF cosine between answer and reference(s); call :meth:`fit` before :meth:`score`."""

    def __init__(self) -> None:
        self._vectorizer: TfidfVectorizer | None = None

    def fit(self, items: Iterable[Item]) -> TfidfCosine:
        """Fit the vocabulary and idf on all distinct references plus all answers.

        References repeat once per answer in the data; counting each once keeps them from
        dominating the document frequencies.
        """
        items = list(items)
        refs = dict.fromkeys(ref for item in items for ref in _references(item))
        corpus = [*refs, *(item.answer for item in items)]
        self._vectorizer = TfidfVectorizer().fit(corpus)
        return self

    def score(self, item: Item) -> float:
        """Best cosine over the item's references (0 if either side has no known term)."""
        return self.score_many([item])[0]

    def score_many(self, items: Sequence[Item]) -> list[float]:
        """Vectorised :meth:`score` for many items (one sparse transform per side)."""
        if self._vectorizer is None:
            raise RuntimeError("TfidfCosine.fit() must be called before score()")
        if not items:
            return []
        refs_per_item = [_references(item) for item in items]
        flat_refs = [ref for refs in refs_per_item for ref in refs]
        owner = np.repeat(np.arange(len(items)), [len(refs) for refs in refs_per_item])
        answers = self._vectorizer.transform([item.answer for item in items])
        references = self._vectorizer.transform(flat_refs)
        # Rows are L2-normalised, so the row-wise dot product is the cosine.
        cosines = np.asarray(answers[owner].multiply(references).sum(axis=1)).ravel()
        best = np.zeros(len(items))
        np.maximum.at(best, owner, cosines)
        return [float(min(max(v, 0.0), 1.0)) for v in best]


# --------------------------------------------------------------------------- systems
# A system maps a list of items (one dataset) to one score in [0, 1] per item.


def _by_dataset(items: Sequence[Item]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault(item.dataset, []).append(i)
    return groups


def tfidf_cosine_system(items: Sequence[Item]) -> list[float]:
    """TF-IDF cosine with one vectoriser fitted per dataset present in ``items``."""
    out = [0.0] * len(items)
    for indices in _by_dataset(items).values():
        subset = [items[i] for i in indices]
        for i, value in zip(indices, TfidfCosine().fit(subset).score_many(subset), strict=True):
            out[i] = value
    return out


def stemmed_recall_system(items: Sequence[Item]) -> list[float]:
    """:func:`stemmed_recall` for every item."""
    return [stemmed_recall(item) for item in items]


def keypoint_recall_system(items: Sequence[Item]) -> list[float]:
    """:func:`keypoint_recall` for every item (every item needs key points)."""
    return [keypoint_recall(item) for item in items]
