"""Matching rubric points against an answer.

A point is checked sentence by sentence: each ``must`` group is looked for
(aliases, inflection via stems, small typos via rapidfuzz, numbers exactly),
a neighbouring sentence may supply a group at a discount, and TF-IDF cosine
between the point and the sentence rewards related wording. The best sentence
is the evidence.

>>> from evaluator.rubric import from_key_points
>>> c = compile_rubric(from_key_points([("k", "binary encoding is efficient", 1.0)]))
>>> m = match(c, prepare("Binary encodng is the most efficient choice."))[0]
>>> m.status, m.evidence.text
('covered', 'Binary encodng is the most efficient choice.')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evaluator import text as tx
from evaluator.rubric import Point, Rubric

MATCHER_VERSION = "matcher-1"


@dataclass(frozen=True)
class MatcherSettings:
    """Thresholds of the matcher. Defaults are stated in docs/decisions.md with how they were set.

    ``covered``/``partial``: strength at or above which a point counts as covered / partly
    covered. ``fuzzy``: rapidfuzz ratio (0-100) at which a word is a typo of another.
    ``neighbour``: credit for a group found only in the next or previous sentence.
    ``similarity``: weight of TF-IDF wording similarity against the must-group check.
    """

    covered: float = 0.75
    partial: float = 0.4
    fuzzy: int = 85
    neighbour: float = 0.8
    similarity: float = 0.25
    similarity_full: float = 0.5

    def signature(self) -> str:
        return (
            f"{MATCHER_VERSION} cov{self.covered:g} part{self.partial:g} fuzz{self.fuzzy} "
            f"nb{self.neighbour:g} sim{self.similarity:g}"
        )


@dataclass(frozen=True)
class Answer:
    """An answer prepared once: sentences with offsets, tokens and stems per sentence."""

    text: str
    sentences: tuple[tx.Span, ...]
    tokens: tuple[tuple[str, ...], ...]
    stems: tuple[frozenset[str], ...]
    word_count: int


def prepare(text: str) -> Answer:
    spans = tuple(tx.sentence_spans(text))
    tokens = tuple(tuple(tx.words(s.text)) for s in spans)
    stems = tuple(frozenset(tx.stem(t) for t in toks) for toks in tokens)
    return Answer(text, spans, tokens, stems, tx.word_count(text))


@dataclass(frozen=True)
class _Alt:
    stems: tuple[str, ...]
    tokens: tuple[str, ...]
    numeric: bool


@dataclass(frozen=True)
class _CompiledPoint:
    point: Point
    groups: tuple[tuple[_Alt, ...], ...]


@dataclass
class CompiledRubric:
    """A rubric with its alternatives tokenised and its TF-IDF space fitted: build once."""

    rubric: Rubric
    settings: MatcherSettings
    points: tuple[_CompiledPoint, ...]
    vectorizer: Any
    point_vectors: Any
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)


def _analyzer(text: str) -> list[str]:
    return tx.content_stems(text)


def compile_rubric(rubric: Rubric, *, settings: MatcherSettings | None = None) -> CompiledRubric:
    from sklearn.feature_extraction.text import TfidfVectorizer

    settings = settings or MatcherSettings()
    compiled = []
    docs = []
    for p in rubric.points:
        groups = tuple(tuple(_alt(a) for a in g) for g in p.must)
        compiled.append(_CompiledPoint(p, tuple(g for g in groups if g)))
        docs.append(_point_doc(p))
    vectorizer = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True)
    vectorizer.fit(docs + [p.source.sentence for p in rubric.points if p.source] or ["empty"])
    vectors = vectorizer.transform(docs) if docs else None
    return CompiledRubric(rubric, settings, tuple(compiled), vectorizer, vectors)


def _point_doc(p: Point) -> str:
    return " ".join([p.text, *(a for g in p.must for a in g)])


def _alt(alternative: str) -> _Alt:
    toks = tx.content_tokens(alternative) or tx.words(alternative)
    numeric = bool(toks) and all(tx.is_number(t) for t in toks)
    return _Alt(tuple(tx.stem(t) for t in toks), tuple(toks), numeric)


@dataclass(frozen=True)
class PointMatch:
    """How one point fared: status, strength in [0, 1] and its evidence sentence."""

    point: Point
    status: str  # covered | partial | missing
    strength: float
    evidence: tx.Span | None
    # A number the evidence gives where the point has another (a fact got wrong).
    conflict: str | None = None


def match(compiled: CompiledRubric, answer: Answer) -> list[PointMatch]:
    """Match every point of ``compiled`` against ``answer`` (in rubric order)."""
    s = compiled.settings
    n = len(answer.sentences)
    if n == 0 or not compiled.points:
        return [PointMatch(cp.point, "missing", 0.0, None) for cp in compiled.points]
    sims = _similarities(compiled, answer)
    numbers = [frozenset(t for t in st if tx.is_number(t)) for st in answer.stems]
    results = []
    for pi, cp in enumerate(compiled.points):
        best: tuple[float, int, str | None] = (-1.0, 0, None)  # strength, sentence, conflict
        # Each group is scored once per sentence; neighbours reuse those scores.
        table = [[_group_score(g, answer, si, s.fuzzy) for si in range(n)] for g in cp.groups]
        for si in range(n):
            scores = [
                max(
                    row[si],
                    s.neighbour
                    * max(row[si - 1] if si > 0 else 0.0, row[si + 1] if si + 1 < n else 0.0),
                )
                for row in table
            ]
            lexical = sum(scores) / len(scores) if scores else 0.0
            sim = min(1.0, float(sims[pi, si]) / s.similarity_full)
            strength = (1 - s.similarity) * lexical + s.similarity * sim
            conflict = None
            missing_numbers = [
                g for g, sc in zip(cp.groups, scores, strict=True) if g[0].numeric and sc == 0.0
            ]
            if missing_numbers:
                # A number not given is not the fact: at most partial.
                strength = min(strength, s.covered - 0.01)
                words_ok = [sc for g, sc in zip(cp.groups, scores, strict=True) if not g[0].numeric]
                if words_ok and min(words_ok) >= 0.99:
                    conflict = _conflicting_number(missing_numbers[0], numbers[si])
            elif any(
                sc == 0.0 and _is_negation(g) for g, sc in zip(cp.groups, scores, strict=True)
            ):
                # "is not binding" is not made by "is binding": at most partial.
                strength = min(strength, s.covered - 0.01)
            if strength > best[0] + 1e-12:
                best = (strength, si, conflict)
        strength, si, conflict = best
        strength = round(max(0.0, min(1.0, strength)), 4)
        status = (
            "covered"
            if strength >= s.covered
            else "partial"
            if strength >= s.partial
            else "missing"
        )
        if status == "missing":
            conflict = None
        evidence = answer.sentences[si] if status != "missing" else None
        results.append(PointMatch(cp.point, status, strength, evidence, conflict))
    return results


def _is_negation(group: Sequence[_Alt]) -> bool:
    return all(alt.tokens and set(alt.tokens) <= tx.NEGATIONS for alt in group)


def _similarities(compiled: CompiledRubric, answer: Answer) -> Any:
    import numpy as np

    if compiled.point_vectors is None:
        return np.zeros((0, len(answer.sentences)))
    sent = compiled.vectorizer.transform([s.text for s in answer.sentences])
    return (compiled.point_vectors @ sent.T).toarray()


def _group_score(group: Sequence[_Alt], answer: Answer, si: int, fuzzy: int) -> float:
    stems = answer.stems[si]
    best = 0.0
    for alt in group:
        if not alt.stems:
            continue
        if alt.numeric:
            got = 1.0 if all(st in stems for st in alt.stems) else 0.0
        else:
            hits = 0.0
            for st, tok in zip(alt.stems, alt.tokens, strict=True):
                if st in stems or (tx.is_number(tok) and st in stems):
                    hits += 1.0
                elif not tx.is_number(tok) and _typo_of(tok, answer.tokens[si], fuzzy):
                    hits += 0.9
            got = hits / len(alt.stems)
        best = max(best, got)
        if best >= 1.0:
            break
    return best


def _typo_of(token: str, candidates: Sequence[str], cutoff: int) -> bool:
    """True when ``token`` is a small misspelling of one of ``candidates``."""
    if len(token) < 5:
        return False
    from rapidfuzz import fuzz, process

    pool = [c for c in candidates if len(c) >= 4 and abs(len(c) - len(token)) <= 2]
    return (
        bool(pool)
        and process.extractOne(token, pool, scorer=fuzz.ratio, score_cutoff=cutoff) is not None
    )


_YEARLIKE = re.compile(r"^(?:19|20)\d\d$")


def _conflicting_number(group: Sequence[_Alt], present: frozenset[str]) -> str | None:
    """A number of the same kind (a year for a year) that stands where the point's should."""
    want = group[0].stems[0]
    same_kind = [n for n in present if bool(_YEARLIKE.match(n)) == bool(_YEARLIKE.match(want))]
    return sorted(same_kind)[0] if same_kind else None
