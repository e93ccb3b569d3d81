"""Scoring: (compiled rubric, answer) -> :class:`Result`, computed once and read many ways.

Pure: no files, no printing. Every number in a :class:`Result` is the sum of the
numbers below it: ``score`` = sum of ``dimensions[].score`` (capped at
``max_score``); a dimension's score = sum of its points' ``awarded`` (capped at its
``max_score``); a point's ``awarded`` = its marks when covered, marks x strength when
partial, 0 when missing.

>>> from evaluator.rubric import from_key_points
>>> from evaluator.match import compile_rubric
>>> c = compile_rubric(from_key_points([("a", "binary encoding", 1.0), ("b", "simple", 1.0)]))
>>> r = grade(c, "Use binary encoding.")
>>> r.score, r.max_score, [p.id for p in r.missing]
(1.0, 2.0, ['b'])
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from evaluator import text as tx
from evaluator.match import Answer, CompiledRubric, PointMatch, match, prepare
from evaluator.rubric import __version__

# The closed list of flags a report may carry; docs/decisions.md explains each.
FLAGS = (
    "off_topic",  # the answer is close to no rubric (or far from the one given): score 0
    "not_english",  # too few English words to grade
    "over_length",  # more than 120% of the word limit
    "under_length",  # less than 50% of the word limit
    "no_introduction",
    "no_conclusion",
    "factual_error",  # a number or year contradicts a point (see `incorrect`)
    "calibrated",  # the score was mapped by a teacher calibration
)
OVER_LENGTH = 1.2
UNDER_LENGTH = 0.5

# Directive words, longest first so "critically analyse" wins over "analyse".
DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("critically analyse", "weigh both sides and end with a reasoned judgement"),
    ("critically analyze", "weigh both sides and end with a reasoned judgement"),
    ("critically examine", "weigh both sides and end with a reasoned judgement"),
    ("critically evaluate", "weigh both sides and end with a reasoned judgement"),
    ("critically discuss", "weigh both sides and end with a reasoned judgement"),
    ("critically comment", "weigh both sides and end with a reasoned judgement"),
    ("examine", "probe the facts and causes, covering several dimensions"),
    ("discuss", "cover several aspects, with arguments for each, and conclude"),
    ("analyse", "break the issue into parts and relate them"),
    ("analyze", "break the issue into parts and relate them"),
    ("evaluate", "judge worth or effect with evidence"),
    ("assess", "judge worth or effect with evidence"),
    ("comment", "give a clear opinion backed by evidence"),
    ("elucidate", "explain clearly, with examples"),
    ("explain", "explain clearly, with examples"),
    ("describe", "set out the main features"),
    ("enumerate", "list the points briefly"),
    ("highlight", "bring out the main points"),
    ("illustrate", "explain with examples"),
    ("justify", "give reasons for the position"),
    ("outline", "give the main points briefly"),
)
_BALANCE = re.compile(
    r"\b(?:however|but|although|though|yet|challenges?|concerns?|limitations?|criticis\w*|"
    r"drawbacks?|on the other hand|nevertheless|despite|risks?|constraints?|weak\w*)\b",
    re.IGNORECASE,
)
_CONCLUSION = re.compile(
    r"^(?:in conclusion|to conclude|to sum up|in sum|in short|overall|thus|hence|therefore|"
    r"going forward|way forward|the way ahead|ultimately|in the long run|finally)\b"
    r"|\b(?:way forward|going forward|in conclusion|to conclude|the way ahead)\b",
    re.IGNORECASE,
)
_QUESTION_LINE = re.compile(
    r"^\s*(?:Q(?:uestion)?\s*\d*\s*[.:)\-]|Question\s*\d*\s*[:.)\-]?)\s*(?P<q>\S.*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Evidence:
    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class SourceRef:
    seed: str
    sentence: str


@dataclass(frozen=True)
class PointResult:
    id: str
    text: str
    dimension: str
    marks: float
    awarded: float
    strength: float
    status: str
    evidence: Evidence | None
    source: SourceRef | None
    conflict: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id,
            "text": self.text,
            "dimension": self.dimension,
            "marks": _r(self.marks),
            "awarded": _r(self.awarded),
            "strength": round(self.strength, 2),
            "evidence": asdict(self.evidence) if self.evidence else None,
            "source": asdict(self.source) if self.source else None,
        }
        if self.conflict is not None:
            d["conflict"] = self.conflict
        return d


@dataclass(frozen=True)
class DimensionResult:
    name: str
    score: float
    max_score: float
    guidance: str = ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "score": _r(self.score), "max_score": _r(self.max_score)}


@dataclass(frozen=True)
class Structure:
    word_count: int
    word_limit: int | None
    has_introduction: bool
    has_conclusion: bool
    directive: str | None
    expectation: str | None
    score: float
    max_score: float
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "word_count": self.word_count,
            "word_limit": self.word_limit,
            "has_introduction": self.has_introduction,
            "has_conclusion": self.has_conclusion,
            "directive": self.directive,
            "score": _r(self.score),
            "max_score": _r(self.max_score),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Topic:
    rubric: str
    closeness: float
    off_topic: bool
    # Other rubrics considered, closest first: (id, closeness).
    candidates: tuple[tuple[str, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rubric": self.rubric,
            "closeness": round(self.closeness, 3),
            "off_topic": self.off_topic,
            "candidates": [{"rubric": r, "closeness": round(c, 3)} for r, c in self.candidates],
        }


@dataclass(frozen=True)
class Question:
    text: str
    source: str  # option | answer
    directive: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Result:
    """One graded answer. ``to_dict()`` is exactly the CLI's JSON."""

    rubric: str
    rubric_title: str
    score: float
    max_score: float
    dimensions: tuple[DimensionResult, ...]
    covered: tuple[PointResult, ...]
    partial: tuple[PointResult, ...]
    missing: tuple[PointResult, ...]
    structure: Structure
    topic: Topic
    question: Question | None
    flags: tuple[str, ...]
    signature: str
    raw_score: float | None = None  # before calibration, when calibrated
    # Graded against several model answers: which one fitted best (1-based) and how many.
    reference_index: int | None = None
    reference_count: int = 0
    features: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    @property
    def incorrect(self) -> tuple[PointResult, ...]:
        """Points whose evidence states a different number or year than the rubric."""
        return tuple(p for p in self.partial if p.conflict is not None)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "rubric": self.rubric,
            "rubric_title": self.rubric_title,
            "score": _r(self.score),
            "max_score": _r(self.max_score),
            "dimensions": [x.to_dict() for x in self.dimensions],
            "covered": [p.to_dict() for p in self.covered],
            "partial": [p.to_dict() for p in self.partial],
            "missing": [p.to_dict() for p in self.missing],
            "incorrect": [p.to_dict() for p in self.incorrect],
            "structure": self.structure.to_dict(),
            "topic": self.topic.to_dict(),
            "question": self.question.to_dict() if self.question else None,
            "flags": list(self.flags),
            "signature": self.signature,
        }
        if self.raw_score is not None:
            d["raw_score"] = _r(self.raw_score)
        if self.reference_index is not None:
            d["reference_index"] = self.reference_index
            d["reference_count"] = self.reference_count
        return d


def _r(x: float) -> float:
    return float(round(x + 0.0, 2)) + 0.0


# --------------------------------------------------------------------------- questions


def split_question(answer: str) -> tuple[str | None, str]:
    """Take a leading ``Q.``/``Question:`` line (and its continuation) off an answer.

    >>> split_question("Q. Examine the MoU. (10 marks)\\n\\nThe MoU ...")
    ('Examine the MoU. (10 marks)', 'The MoU ...')
    """
    lines = answer.strip().splitlines()
    if not lines:
        return None, answer
    m = _QUESTION_LINE.match(lines[0])
    if not m:
        return None, answer
    q = [m.group("q").strip()]
    i = 1
    # A question may wrap onto following lines until a blank line.
    while i < len(lines) and lines[i].strip() and not q[-1].endswith(("?", ")")):
        q.append(lines[i].strip())
        i += 1
    question = " ".join(q)
    # "Q. Because the lines are closer..." is a student's answer, not a question: a question
    # asks (a "?"), directs (examine, discuss...) or states its marks or words.
    if not (
        question.endswith("?")
        or "?" in question
        or directive_of(question)[0]
        or re.search(r"\b(?:marks?|words)\b", question, re.IGNORECASE)
    ):
        return None, answer
    return question, "\n".join(lines[i:]).strip()


def directive_of(question: str | None) -> tuple[str | None, str | None]:
    if not question:
        return None, None
    low = question.lower()
    for word, expectation in DIRECTIVES:
        if re.search(rf"\b{word}", low):
            return word, expectation
    return None, None


def word_limit(marks: float) -> int:
    """UPSC word limits: 150 words for 10 marks, 250 for 15 (linear between, at least 50)."""
    return max(50, int(round(150 + (marks - 10) * 20)))


# --------------------------------------------------------------------------- grading


def grade(
    compiled: CompiledRubric,
    answer: str,
    *,
    marks: float | None = None,
    question: str | None = None,
    question_source: str = "option",
    topic: Topic | None = None,
    rubric_hash: str | None = None,
) -> Result:
    """Grade ``answer`` (without its question line) against ``compiled``.

    ``marks`` rescales the rubric (None keeps its own scale); ``topic`` says how
    the rubric was chosen (None: it was given).
    """
    rubric = compiled.rubric
    scale = (marks / rubric.marks) if marks else 1.0
    target = marks or rubric.marks
    prepared = prepare(answer)
    matches = match(compiled, prepared)
    weights = _question_weights(compiled, question) if question else None
    if topic is None:
        topic = Topic(rubric.id, closeness(compiled, prepared), False)
    flags: list[str] = []
    if topic.off_topic:
        flags.append("off_topic")
    if not _looks_english(prepared):
        flags.append("not_english")

    points: list[PointResult] = []
    for i, m in enumerate(matches):
        pm = m.point.marks * scale * (weights[i] if weights else 1.0)
        awarded = pm if m.status == "covered" else pm * m.strength if m.status == "partial" else 0.0
        if topic.off_topic:
            awarded = 0.0
        points.append(_point_result(m, pm, awarded))

    dims: list[DimensionResult] = []
    for d in rubric.dimensions:
        got = sum(p.awarded for p in points if p.dimension == d.name)
        dmax = d.marks * scale
        dims.append(DimensionResult(d.name, min(dmax, got), dmax, d.guidance, d.note))

    directive, expectation = directive_of(question)
    structure = _structure(
        prepared, answer, rubric.structure_marks * scale, target, directive, expectation, matches
    )
    if structure.max_score > 0:
        if topic.off_topic:
            structure = _zero(structure)
        dims.append(DimensionResult("structure", structure.score, structure.max_score))
        if structure.word_limit and structure.word_count > structure.word_limit * OVER_LENGTH:
            flags.append("over_length")
        if structure.word_limit and structure.word_count < structure.word_limit * UNDER_LENGTH:
            flags.append("under_length")
        if not structure.has_introduction:
            flags.append("no_introduction")
        if not structure.has_conclusion:
            flags.append("no_conclusion")
    if any(p.conflict for p in points):
        flags.append("factual_error")

    max_score = rubric.cap * scale
    total = min(max_score, sum(d.score for d in dims))
    order = {name: i for i, name in enumerate(FLAGS)}
    q = Question(question, question_source, directive) if question else None
    signature = (
        f"evaluator {__version__} | rubric {rubric.id}@{rubric_hash or rubric.hash()} | "
        f"{compiled.settings.signature()} | marks {target:g}"
    )
    by = {s: tuple(p for p in points if p.status == s) for s in ("covered", "partial", "missing")}
    return Result(
        rubric=rubric.id,
        rubric_title=rubric.title,
        score=total,
        max_score=max_score,
        dimensions=tuple(dims),
        covered=by["covered"],
        partial=by["partial"],
        missing=tuple(sorted(by["missing"], key=lambda p: -p.marks)),
        structure=structure,
        topic=topic,
        question=q,
        flags=tuple(sorted(set(flags), key=order.__getitem__)),
        signature=signature,
        features=_features(matches, points, structure, prepared, topic),
    )


def _point_result(m: PointMatch, marks: float, awarded: float) -> PointResult:
    p = m.point
    ev = Evidence(m.evidence.text, m.evidence.start, m.evidence.end) if m.evidence else None
    src = SourceRef(p.source.seed, p.source.sentence) if p.source else None
    return PointResult(
        p.id, p.text, p.dimension, marks, awarded, m.strength, m.status, ev, src, m.conflict
    )


def _question_weights(compiled: CompiledRubric, question: str) -> list[float] | None:
    """Point weights in [0.5, 1.5] by relevance to the question, mean 1 within a dimension.

    Relevant points are worth more and others less; a dimension's marks do not change.
    """
    if compiled.point_vectors is None:
        return None
    qv = compiled.vectorizer.transform([question])
    rel = (compiled.point_vectors @ qv.T).toarray().ravel()
    if not rel.any():
        return None
    top = float(rel.max())
    raw = [0.5 + float(r) / top for r in rel]
    out = list(raw)
    for d in {p.point.dimension for p in compiled.points}:
        idx = [i for i, p in enumerate(compiled.points) if p.point.dimension == d]
        # Weighted by marks, so the dimension's marks are exactly what they were.
        marks = [compiled.points[i].point.marks for i in idx]
        mean = sum(raw[i] * m for i, m in zip(idx, marks, strict=True)) / (sum(marks) or 1.0)
        for i in idx:
            out[i] = raw[i] / mean
    return out


def closeness(compiled: CompiledRubric, answer: Answer) -> float:
    """Cosine between the answer and the rubric's points, in the rubric's own TF-IDF space."""
    if compiled.point_vectors is None or not answer.sentences:
        return 0.0
    import numpy as np

    av = compiled.vectorizer.transform([answer.text])
    profile = np.asarray(compiled.point_vectors.sum(axis=0))
    norm = float(np.linalg.norm(profile))
    if norm == 0.0:
        return 0.0
    return float((av @ (profile / norm).T).ravel()[0])


def _looks_english(answer: Answer) -> bool:
    letters = [c for c in answer.text if c.isalpha()]
    if not letters:
        return False
    latin = sum(1 for c in letters if c.isascii())
    if latin / len(letters) < 0.5:
        return False
    toks = [t for s in answer.tokens for t in s if t.isalpha()]
    if len(toks) < 20:
        return True
    # English prose is about 40% function words; 10% leaves room for terse bullet notes.
    return sum(1 for t in toks if t in tx.stop_words()) / len(toks) >= 0.1


def _structure(
    answer: Answer,
    raw: str,
    max_score: float,
    marks: float,
    directive: str | None,
    expectation: str | None,
    matches: Sequence[PointMatch],
) -> Structure:
    wc = answer.word_count
    limit = word_limit(marks) if max_score > 0 else None
    paras = tx.paragraphs(raw)
    sents = [s.text for s in answer.sentences]
    intro = _has_introduction(paras, sents, wc)
    concl = _has_conclusion(paras, sents, wc)
    notes: list[str] = []
    if max_score <= 0:
        return Structure(wc, None, intro, concl, directive, expectation, 0.0, 0.0, ())
    part = max_score / 4
    score = 0.0
    if intro:
        score += part
        notes.append("introduction present")
    else:
        notes.append("no introduction: open with one or two sentences of context")
    if concl:
        score += part
        notes.append("conclusion present")
    else:
        notes.append("no conclusion: end with a way forward or a judgement")
    assert limit is not None
    if wc > limit * OVER_LENGTH:
        notes.append(f"{wc} words: over the {limit}-word limit by more than 20%")
    elif wc < limit * UNDER_LENGTH:
        notes.append(f"{wc} words: under half the {limit}-word limit")
        score += part * wc / (limit * UNDER_LENGTH) / 2
    else:
        score += part
        notes.append(f"{wc} words: within the {limit}-word limit")
    ok, why = _meets_directive(directive, answer, matches)
    if ok:
        score += part
    notes.append(why)
    return Structure(
        wc,
        limit,
        intro,
        concl,
        directive,
        expectation,
        min(score, max_score),
        max_score,
        tuple(notes),
    )


def _zero(s: Structure) -> Structure:
    return Structure(
        s.word_count,
        s.word_limit,
        s.has_introduction,
        s.has_conclusion,
        s.directive,
        s.expectation,
        0.0,
        s.max_score,
        s.notes,
    )


def _has_introduction(paras: Sequence[str], sents: Sequence[str], wc: int) -> bool:
    if len(sents) < 3:
        return False
    first = paras[0] if len(paras) > 1 else sents[0]
    if re.match(r"^\s*(?:[-*•]|\d+[.)])\s", first):
        return False
    # An introduction frames; one that is most of the answer is the answer.
    return tx.word_count(first) <= max(60, 0.35 * wc) and not _CONCLUSION.search(sents[0])


def _has_conclusion(paras: Sequence[str], sents: Sequence[str], wc: int) -> bool:
    if len(sents) < 3:
        return False
    if _CONCLUSION.search(sents[-1]) or (len(sents) > 1 and _CONCLUSION.match(sents[-2])):
        return True
    if len(paras) > 2:
        last = paras[-1]
        return (
            tx.word_count(last) <= 0.35 * wc
            and not re.match(r"^\s*(?:[-*•]|\d+[.)])\s", last)
            and re.search(r"\b(?:should|must|need|will|can)\b", last, re.I) is not None
        )
    return False


def _meets_directive(
    directive: str | None, answer: Answer, matches: Sequence[PointMatch]
) -> tuple[bool, str]:
    dims_touched = {m.point.dimension for m in matches if m.status != "missing"}
    if directive is None:
        ok = len(dims_touched) >= 2
        return ok, (
            "covers several dimensions" if ok else "touches fewer than two dimensions of the rubric"
        )
    if directive.startswith("critically"):
        ok = bool(_BALANCE.search(answer.text))
        return ok, (
            f"'{directive}': the answer weighs the other side"
            if ok
            else f"'{directive}' asks for both sides: add limitations or criticism"
        )
    if directive in ("discuss", "examine", "analyse", "analyze", "evaluate", "assess"):
        ok = len(dims_touched) >= 3
        return ok, (
            f"'{directive}': covers {len(dims_touched)} dimensions"
            if ok
            else f"'{directive}' asks for several aspects; the answer covers "
            f"{len(dims_touched)} dimension(s)"
        )
    if directive in ("comment", "justify"):
        ok = "position" in dims_touched or bool(
            re.search(
                r"\b(?:I|we) (?:think|believe|argue)\b|"
                r"\bshould\b",
                answer.text,
            )
        )
        return ok, (
            f"'{directive}': takes a position" if ok else f"'{directive}' asks for a clear opinion"
        )
    ok = "exemplification" in dims_touched or len(dims_touched) >= 2
    return ok, (
        f"'{directive}': explained with examples" if ok else f"'{directive}' asks for examples"
    )


def _features(
    matches: Sequence[PointMatch],
    points: Sequence[PointResult],
    structure: Structure,
    answer: Answer,
    topic: Topic,
) -> dict[str, float]:
    """Rubric-independent numbers a calibration can learn from (see calibrate.py)."""
    n = max(1, len(matches))
    total_marks = sum(p.marks for p in points) or 1.0
    strengths = sorted((m.strength for m in matches), reverse=True)
    feats = {
        "coverage": sum(p.awarded for p in points) / total_marks,
        "covered_frac": sum(m.status == "covered" for m in matches) / n,
        "partial_frac": sum(m.status == "partial" for m in matches) / n,
        "mean_strength": sum(strengths) / n,
        "top_strength": strengths[0] if strengths else 0.0,
        "top3_strength": sum(strengths[:3]) / min(3, n),
        "closeness": topic.closeness,
        "log_words": math.log1p(answer.word_count),
        "sentences": float(len(answer.sentences)),
        "structure": structure.score / structure.max_score if structure.max_score else 0.0,
    }
    return {k: round(float(v), 6) for k, v in feats.items()}
