"""Shortcuts taken for speed (issue 11) give what the plain computation gives.

Speed itself is measured in ``benchmarks/speed.py``, not here; whole-report identity against
another checkout is ``benchmarks/identity.py``.
"""

from __future__ import annotations

import importlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator import text as tx

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that put Punkt's decisions to work: abbreviations, initials, numbers, ellipses,
# quotes and brackets after a full stop, lower-case starts, bullets and line breaks.
PIECES = ("Dr.", "Mr.", "e.g.", "i.e.", "U.S.", "No.", "A.", "J.", "2015.", "1.5", "...", ". ",
          "? ", "! ", '." ', '.) ', ".' ", "\n", "\n\n", "- ", "• ", "the", "The", "MoU",
          "signed", "India", "korea", "(", ")", '"', "Rs.", "$5 bn.", "etc.", "vs.", "Inc.",
          "  ", "\t", "a", "I", ";", ",")


@FAST
@given(st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join))
def test_sentence_split_same_as_plain_punkt(text: str) -> None:
    # The cached break decisions against a tokenizer that decides every context afresh.
    punkt = importlib.import_module("nltk.tokenize.punkt")
    params = punkt.PunktParameters()
    params.abbrev_types = set(tx._ABBREVIATIONS)
    plain = punkt.PunktSentenceTokenizer(params)
    cached = tx._punkt()
    for _, line in tx._lines(text):
        body = line.strip()
        assert list(cached.span_tokenize(body)) == list(plain.span_tokenize(body))
    # Twice: the second run is answered from the cache.
    assert tx.sentence_spans(text) == tx.sentence_spans(text)
