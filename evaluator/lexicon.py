"""Related words, from a table compiled offline from WordNet 3.0 and shipped in the package.

``evaluator/data/lexicon.tsv`` (built by ``scripts/build_lexicon.py``; licence notice in
``evaluator/data/WORDNET-LICENSE``) maps a Porter stem to the stems of its synonyms in its
frequent senses, to its derivationally related forms and, for an adjective, to its other
degrees. It is sorted by stem and looked up
by binary search in the mapped file (:class:`evaluator.io.SortedTable`): a grade reads the
lines of its words only, never the whole table; nothing is downloaded.

>>> "purchas" in synonyms("buy"), "decis" in derived("decid"), "highest" in degrees("high")
(True, True, True)
"""

from __future__ import annotations

from functools import lru_cache

from evaluator import io
from evaluator import text as tx

LEXICON = "lexicon.tsv"


def _table() -> io.SortedTable:
    return io.package_sorted_table(LEXICON)


@lru_cache(maxsize=16384)
def _entry(stem: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]] | None:
    line = _table().get(stem)
    if line is None:
        return None
    syn, _, rest = line.partition("\t")
    der, _, deg = rest.partition("\t")
    return frozenset(syn.split()), frozenset(der.split()), frozenset(deg.split())


_NOTHING: tuple[frozenset[str], frozenset[str], frozenset[str]] = (
    frozenset(), frozenset(), frozenset()
)


def synonyms(stem: str) -> frozenset[str]:
    """Stems of the words that share a frequent sense with ``stem``'s word."""
    return (_entry(stem) or _NOTHING)[0]


def derived(stem: str) -> frozenset[str]:
    """Stems of ``stem``'s derivationally related forms and irregular inflections."""
    return (_entry(stem) or _NOTHING)[1]


def degrees(stem: str) -> frozenset[str]:
    """Stems of the same adjective in its other degrees ("high", "higher", "highest"):
    regular forms, which Porter's stems keep apart; irregular ones are in :func:`derived`."""
    return (_entry(stem) or _NOTHING)[2]


def is_word(stem: str) -> bool:
    """True when ``stem`` is the stem of a WordNet word (its frequent senses)."""
    return _entry(stem) is not None or stem in tx.COLLISION_STEMS
