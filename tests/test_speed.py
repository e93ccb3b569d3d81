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
          "  ", "\t", "a", "I", ";", ",", ".\u201d ", ".\u2019 ", "\u00bb", "]", "--", "3,000.")


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


M61 = (1 << 61) - 1


@FAST
@given(
    st.lists(st.integers(0, (1 << 64) - 1), min_size=1, max_size=20),
    st.lists(st.integers(0, M61 - 1), min_size=1, max_size=8),
)
def test_minhash_arithmetic_exact(hashes: list[int], coeffs: list[int]) -> None:
    # The numpy pieces give Python's exact big-integer (a * h + b) % (2**61 - 1).
    import numpy as np

    from evaluator.summary import _fold, _mulmod

    edge = [0, 1, M61 - 1, M61, (1 << 64) - 1, (1 << 61), (1 << 31) - 1, 1 << 31]
    hs = [*hashes, *edge]
    h = np.array([x % M61 for x in hs], dtype=np.uint64)
    a = np.array([*coeffs, 1, M61 - 1], dtype=np.uint64)
    got = _fold(_mulmod(a[:, None], h[None, :]) + a[:, None])
    want = [[(int(ai) * x + int(ai)) % M61 for x in hs] for ai in a]
    assert got.tolist() == want


def test_fingerprint_is_the_plain_minhash() -> None:
    import hashlib
    import re

    from evaluator.summary import _COEFFS, fingerprint

    text = " ".join(f"w{i % 37} x{i % 11}" for i in range(200))
    words = re.findall(r"\w+", text.lower())
    shingles = {
        int.from_bytes(hashlib.blake2b(" ".join(words[i : i + 3]).encode(), digest_size=8)
                       .digest(), "big")
        for i in range(len(words) - 2)
    }
    assert fingerprint(text) == [min((a * h + b) % M61 for h in shingles) for a, b in _COEFFS]


def test_near_identical_pairs_same_as_plain_lsh() -> None:
    # Answers with near copies (a word changed, a sentence added) among distinct ones.
    import random

    from evaluator.summary import NEAR_IDENTICAL, ClassStats, fingerprint, similarity

    rng = random.Random(4)
    vocab = [f"w{i}" for i in range(300)]
    texts = {}
    for i in range(60):
        words = [rng.choice(vocab) for _ in range(rng.randint(25, 120))]
        texts[f"a{i}"] = words
        if i % 4 == 0:
            copy = list(words)
            copy[rng.randrange(len(copy))] = "changed"
            texts[f"c{i}"] = copy + (["and", "more"] if i % 8 == 0 else [])
    stats = ClassStats()
    prints = {}
    for rid, words in texts.items():
        fp = fingerprint(" ".join(words))
        stats.add({"id": rid, "score": 1.0, "max_score": 2.0}, fp)
        if fp is not None:
            prints[rid] = fp
    # The plain computation: buckets of equal bands, every pair in a bucket compared.
    buckets: dict[tuple[int, tuple[int, ...]], list[str]] = {}
    for rid, fp in prints.items():
        for b in range(16):
            buckets.setdefault((b, tuple(fp[b * 4 : (b + 1) * 4])), []).append(rid)
    want: dict[tuple[str, str], float] = {}
    for ids in buckets.values():
        for i, x in enumerate(ids):
            for y in ids[i + 1 :]:
                s = similarity(prints[x], prints[y])
                if s >= NEAR_IDENTICAL:
                    want[(min(x, y), max(x, y))] = s
    expected = sorted(((a, b, s) for (a, b), s in want.items()), key=lambda x: (-x[2], x[:2]))
    assert expected  # the copies are found
    assert stats.near_identical() == expected
    assert all(stats.fingerprint_of(rid) == fp for rid, fp in prints.items())


# Pieces of ASCII text with numbers, currencies, months and numbers written out, in both cases.
NUMBER_PIECES = ("US$", "us$", "$", "Rs.", "RS", "rs", "INR", "inr ", "USD", "5", "50", "2015",
                 "1,200.5", "20.04.2026", "bn", "Billion", "per cent", "PerCent", "%", "crore",
                 "January", "jan.", "APRIL", "Fifteen", "twenty-one", "Ninety", "ONE", "often",
                 "by", "in", "(", ")", ".", ",", "-", "_", " ", "\n", "g20", "k9", "Korea")


@FAST
@given(st.lists(st.sampled_from(NUMBER_PIECES), max_size=30).map("".join))
def test_lower_case_value_patterns_meet_the_case_blind_ones(text: str) -> None:
    # Lower-cased ASCII text and the case-sensitive patterns find the same spans and groups.
    from evaluator import match as mt

    low = text.lower()
    for blind, fast in ((mt._VALUE_RE, mt._VALUE_LOW), (mt._MONTH_YEAR, mt._MONTH_YEAR_LOW),
                        (mt._NUMBER_WORD, mt._NUMBER_WORD_LOW)):
        want = [(m.span(), [g and g.lower() for g in m.groups()]) for m in blind.finditer(text)]
        assert [(m.span(), list(m.groups())) for m in fast.finditer(low)] == want


@FAST
@given(st.lists(st.sampled_from(NUMBER_PIECES + ("'", "’", "–", "a-b", "x.y")), max_size=30)
       .map(" ".join))
def test_ascii_word_count_is_the_unicode_pattern(text: str) -> None:
    # ASCII text is counted with a pattern of its own: the same count.
    assert tx.word_count.__wrapped__(text) == len(tx.COUNTED_WORD.findall(tx.normalise(text)))


def test_grading_with_a_named_rubric_does_not_import_the_rubric_builder() -> None:
    # Seeds and facts build rubrics; grading with a built one needs neither (cold start).
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys, evaluator\n"
        "evaluator.evaluate(open('examples/answer.txt').read(),\n"
        "                   rubric='india-south-korea-sign-mou-msme')\n"
        "print(sorted(m for m in sys.modules if m in ('evaluator.facts', 'evaluator.seeds')))\n"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
