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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from evaluator import text as tx
from evaluator.rubric import Point, Rubric

MATCHER_VERSION = "matcher-2"

# Credit for a word found only as a small misspelling.
TYPO = 0.9


@dataclass(frozen=True)
class MatcherSettings:
    """Thresholds of the matcher. Defaults are stated in docs/decisions.md with how they were set.

    ``covered``/``partial``: strength at or above which a point counts as covered / partly
    covered. ``fuzzy``: rapidfuzz ratio (0-100) at which a word is a typo of another.
    ``neighbour``: credit for a group found only in the next or previous sentence.
    ``similarity``: weight of TF-IDF wording similarity against the must-group check.
    ``question_word``: weight of a group the rubric's question already states (an answer
    repeating the question has said little). ``polarity``: factor on a point whose
    negation the evidence reverses ("not connected" against "connected", or the reverse).
    ``synonym``/``derived``: credit for a rubric word met only by a synonym of a frequent
    sense ("buy" for "purchase") or a derivationally related form ("decision" for "decide"),
    from the shipped WordNet table (:mod:`evaluator.lexicon`); 0 turns it off.
    """

    covered: float = 0.75
    partial: float = 0.4
    fuzzy: int = 85
    neighbour: float = 0.8
    similarity: float = 0.25
    similarity_full: float = 0.5
    question_word: float = 0.5
    polarity: float = 0.5
    synonym: float = 0.0
    derived: float = 0.0

    def signature(self) -> str:
        lexicon = f" syn{self.synonym:g} der{self.derived:g}" if self.uses_lexicon else ""
        return (
            f"{MATCHER_VERSION} cov{self.covered:g} part{self.partial:g} fuzz{self.fuzzy} "
            f"nb{self.neighbour:g} sim{self.similarity:g} qw{self.question_word:g} "
            f"pol{self.polarity:g}{lexicon}"
        )

    @property
    def uses_lexicon(self) -> bool:
        return self.synonym > 0 or self.derived > 0


@dataclass(frozen=True)
class Answer:
    """An answer prepared once: sentences with offsets, tokens and stems per sentence."""

    text: str
    sentences: tuple[tx.Span, ...]
    tokens: tuple[tuple[str, ...], ...]
    stems: tuple[frozenset[str], ...]
    word_count: int
    # Per sentence: stems met only inside a negation's scope, and whether it negates at all.
    negated: tuple[frozenset[str], ...]
    negative: tuple[bool, ...]


def prepare(text: str) -> Answer:
    spans = tuple(tx.sentence_spans(text))
    tokens = tuple(tuple(tx.words(s.text)) for s in spans)
    # Neighbouring words joined as well: "start-ups" meets "startups", "set up" a lexicon's
    # "setup" (two-word lemmas are stored joined).
    stems = tuple(
        frozenset(tx.stem(t) for t in toks) | frozenset(tx.joined_stems(toks)) for toks in tokens
    )
    negated = []
    for toks in tokens:
        scope = tx.negated(toks)
        inside = {tx.stem(t) for i, t in enumerate(toks) if i in scope}
        outside = {tx.stem(t) for i, t in enumerate(toks) if i not in scope}
        negated.append(frozenset(inside - outside))
    negative = tuple(any(t in tx.NEGATIONS for t in toks) for toks in tokens)
    return Answer(text, spans, tokens, stems, tx.word_count(text), tuple(negated), negative)


@dataclass(frozen=True)
class _Alt:
    stems: tuple[str, ...]
    tokens: tuple[str, ...]
    numeric: bool
    # Per word, the stems of its synonyms and of its derived forms (empty without a lexicon):
    # computed once per compiled rubric so an answer's words are looked up, never searched.
    synonyms: tuple[frozenset[str], ...] = ()
    derived: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class _CompiledPoint:
    point: Point
    groups: tuple[tuple[_Alt, ...], ...]
    # Weight of each group in the lexical score: 0 for a bare negation (it is checked as
    # polarity instead) unless the point is nothing else, ``question_word`` for words the
    # question gives away, times the group's rarity among the rubric's points.
    weights: tuple[float, ...]
    negative: bool


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
    # Negations carry no topic: "do not know" is not close to "not connected".
    return [tx.stem(t) for t in tx.content_tokens(text) if t not in tx.NEGATIONS]


def compile_rubric(rubric: Rubric, *, settings: MatcherSettings | None = None) -> CompiledRubric:
    from sklearn.feature_extraction.text import TfidfVectorizer

    settings = settings or MatcherSettings()
    compiled = []
    docs = []
    question = set(tx.content_stems(rubric.question))
    lexicon = settings.uses_lexicon
    all_groups = [
        tuple(g for g in (tuple(_alt(a, lexicon=lexicon) for a in g) for g in p.must) if g)
        for p in rubric.points
    ]
    rarity = _rarity(all_groups)
    for p, groups in zip(rubric.points, all_groups, strict=True):
        weights = tuple(
            0.0
            if _is_negation(g)
            else rarity(g)
            * (
                settings.question_word
                if question and all(a.stems and set(a.stems) <= question for a in g)
                else 1.0
            )
            for g in groups
        )
        if not any(weights):
            # A point that is only a negation (a key point "No"): the negation is its content.
            weights = tuple(1.0 for _ in groups)
        compiled.append(_CompiledPoint(p, groups, weights, any(_is_negation(g) for g in groups)))
        docs.append(_point_doc(p))
    vectorizer = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True)
    vectorizer.fit(docs + [p.source.sentence for p in rubric.points if p.source] or ["empty"])
    vectors = vectorizer.transform(docs) if docs else None
    return CompiledRubric(rubric, settings, tuple(compiled), vectorizer, vectors)


def _rarity(points: Sequence[Sequence[Sequence[_Alt]]]) -> Callable[[Sequence[_Alt]], float]:
    """Weight of a group by how few of the rubric's points share its words (smoothed IDF).

    A word in most points ("TCP header field" in ten of eleven) does not tell which
    point an answer makes; a word in one point does. 1 for a word in one point.
    """
    import math

    n = len(points)
    df: dict[str, int] = {}
    for groups in points:
        for st in {st for g in groups for a in g for st in a.stems}:
            df[st] = df.get(st, 0) + 1
    top = math.log((1 + n) / 2) + 1

    def weight(group: Sequence[_Alt]) -> float:
        stems = group[0].stems
        if not stems:
            return 1.0
        idf = sum(math.log((1 + n) / (1 + df.get(st, 1))) + 1 for st in stems) / len(stems)
        return idf / top

    return weight


def _point_doc(p: Point) -> str:
    return " ".join([p.text, *(a for g in p.must for a in g)])


def _alt(alternative: str, *, lexicon: bool = False) -> _Alt:
    toks = tx.content_tokens(alternative) or tx.words(alternative)
    numeric = bool(toks) and all(tx.is_number(t) for t in toks)
    stems = tuple(tx.stem(t) for t in toks)
    if not lexicon or numeric:
        return _Alt(stems, tuple(toks), numeric)
    from evaluator import lexicon as lx

    none: frozenset[str] = frozenset()
    # Negations keep no relatives: their polarity is checked, not their wording.
    pairs = list(zip(stems, toks, strict=True))
    syn = tuple(none if t in tx.NEGATIONS else lx.synonyms(st) for st, t in pairs)
    der = tuple(none if t in tx.NEGATIONS else lx.derived(st) for st, t in pairs)
    return _Alt(stems, tuple(toks), numeric, syn, der)


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
        table = [[_group_score(g, answer, si, s) for si in range(n)] for g in cp.groups]
        total_weight = sum(cp.weights)
        for si in range(n):
            scores = [
                max(
                    row[si][0],
                    s.neighbour
                    * max(row[si - 1][0] if si > 0 else 0.0, row[si + 1][0] if si + 1 < n else 0.0),
                )
                for row in table
            ]
            lexical = (
                sum(w * sc for w, sc in zip(cp.weights, scores, strict=True)) / total_weight
                if total_weight
                else 0.0
            )
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
            elif _reversed(cp, table, answer, si):
                # "is not binding" is not made by "is binding", nor "a gap" by "no gap".
                strength = min(strength * s.polarity, s.covered - 0.01)
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


def _reversed(
    cp: _CompiledPoint, table: Sequence[Sequence[tuple[float, bool]]], answer: Answer, si: int
) -> bool:
    """True when sentence ``si`` states the point with the opposite polarity."""
    found = [(w, row[si][1]) for w, row in zip(cp.weights, table, strict=True) if row[si][0] > 0]
    weight = sum(w for w, _ in found)
    if not weight:
        return False
    if cp.negative:
        return not answer.negative[si]
    # At least half of what the sentence shares with the point sits inside a negation's
    # scope ("the terminals have no gap"); a stray "no doubt" before the subject is not.
    return 2 * sum(w for w, negated in found if negated) >= weight


def _similarities(compiled: CompiledRubric, answer: Answer) -> Any:
    import numpy as np

    if compiled.point_vectors is None:
        return np.zeros((0, len(answer.sentences)))
    sent = compiled.vectorizer.transform([s.text for s in answer.sentences])
    return (compiled.point_vectors @ sent.T).toarray()


def _group_score(
    group: Sequence[_Alt], answer: Answer, si: int, settings: MatcherSettings
) -> tuple[float, bool]:
    """How well a group is found in sentence ``si`` in [0, 1], and whether only negated."""
    stems = answer.stems[si]
    best = 0.0
    best_present: list[str] = []
    for alt in group:
        if not alt.stems:
            continue
        present: list[str] = []
        if alt.numeric:
            got = 1.0 if all(st in stems for st in alt.stems) else 0.0
            present = [st for st in alt.stems if st in stems]
        else:
            hits = 0.0
            for i, (st, tok) in enumerate(zip(alt.stems, alt.tokens, strict=True)):
                if st in stems:
                    hits += 1.0
                    present.append(st)
                elif not tx.is_number(tok) and _typo_of(tok, answer.tokens[si], settings.fuzzy):
                    hits += TYPO
                elif alt.derived and settings.derived and not alt.derived[i].isdisjoint(stems):
                    hits += settings.derived
                    present.extend(alt.derived[i] & stems)
                elif alt.synonyms and settings.synonym and not alt.synonyms[i].isdisjoint(stems):
                    hits += settings.synonym
                    present.extend(alt.synonyms[i] & stems)
            got = hits / len(alt.stems)
        if got > best:
            best, best_present = got, present
        if best >= 1.0:
            break
    # The polarity of what the sentence says in its own words, relatives included.
    negated = answer.negated[si]
    return best, bool(best_present) and all(st in negated for st in best_present)


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
