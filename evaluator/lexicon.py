"""Related words, from a table compiled offline from WordNet 3.0 and shipped in the package.

``evaluator/data/lexicon.tsv.gz`` (built by ``scripts/build_lexicon.py``; licence notice in
``evaluator/data/WORDNET-LICENSE``) maps a Porter stem to the stems of its synonyms in its
frequent senses and to its derivationally related forms. It is read once, on first use,
and looked up by stem; nothing is downloaded.

>>> "purchas" in synonyms("buy"), "decis" in derived("decid")
(True, True)
"""

from __future__ import annotations

from functools import lru_cache

from evaluator import io
from evaluator import text as tx

LEXICON = "lexicon.tsv.gz"


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    return io.package_table(LEXICON)


@lru_cache(maxsize=16384)
def _entry(stem: str) -> tuple[frozenset[str], frozenset[str]]:
    syn, _, der = _table().get(stem, "\t").partition("\t")
    return frozenset(syn.split()), frozenset(der.split())


def synonyms(stem: str) -> frozenset[str]:
    """Stems of the words that share a frequent sense with ``stem``'s word."""
    return _entry(stem)[0]


def derived(stem: str) -> frozenset[str]:
    """Stems of ``stem``'s derivationally related forms and irregular inflections."""
    return _entry(stem)[1]


def is_word(stem: str) -> bool:
    """True when ``stem`` is the stem of a WordNet word (its frequent senses)."""
    return stem in _table() or stem in tx.COLLISION_STEMS
