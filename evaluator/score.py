"""Scoring: (compiled rubric, answer) -> :class:`Result`, computed once and read many ways.

Pure: no files, no printing. Every number in a :class:`Result` is the sum of the
numbers below it: ``score`` = sum of ``dimensions[].score`` (capped at
``max_score``); a dimension's score = sum of its points' ``awarded`` (capped at its
``max_score``); a point's ``awarded`` = its marks when covered, marks x strength when
partial, 0 when missing; a content point's (model answer, key points) is marks x
strength / ``CONTENT_FULL``, at most its marks, when covered or partial.

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
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

from evaluator import text as tx
from evaluator.match import (
    DENIED,
    Answer,
    CompiledRubric,
    MisconceptionMatch,
    PointMatch,
    anchor_sentences,
    match,
    misconceptions,
    prepare,
    prepare_again,
)
from evaluator.rubric import __version__

# The closed list of flags a report may carry; docs/decisions.md explains each.
FLAGS = (
    "off_topic",  # the answer is close to no rubric (or far from the one given): score 0
    "not_english",  # too few English words to grade
    "over_length",  # more than 120% of the word limit
    "under_length",  # less than 50% of the word limit
    "no_introduction",
    "no_conclusion",
    "factual_error",  # a date, figure or actor contradicts a key fact (see `incorrect`)
    "misconception",  # a false claim the seeds warn against (see `misconceptions`)
    "keyword_stuffing",  # mostly a list of terms, not sentences: no marks
    "copied_question",  # the question written back: no marks
    "repetition",  # sentences repeated: repeats earn nothing; mostly repeats, no marks
    "filler",  # much of the text says nothing about the subject
    "calibrated",  # the score was mapped by a teacher calibration
)
# An examiner stops reading: words past READ_LIMIT x the word limit earn nothing, and an
# answer longer than VOID_LIMIT x the word limit is not an answer to the question at all.
READ_LIMIT = 1.5
VOID_LIMIT = 3.0
# Share of a fact's marks for naming its anchor without its value ("the CEPA" but not when):
# the student knows the thing, not the fact.
INCOMPLETE_CREDIT = 0.25
# A content point (a model answer's clause, a teacher's key point) earns its marks in
# proportion to its strength, in full from this strength on: a step from about 0.75 of the
# marks to all of them at "covered" threw away what the strength knows (issue 12,
# meaning5: Mohler r +0.019, Beetle AUC +0.010; docs/decisions.md).
CONTENT_FULL = 0.85
CONTENT_KINDS = ("reference", "key-point")
OVER_LENGTH = 1.2
# A Mains question is one or two sentences; a longer "Q." line carries the answer too.
QUESTION_MAX_WORDS = 80
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

    def to_dict(self) -> dict[str, Any]:
        # What dataclasses.asdict gives, without its generic deep copy (a batch writes
        # two of these a point).
        return {"sentence": self.sentence, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class SourceRef:
    seed: str
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self.seed, "sentence": self.sentence}


@dataclass(frozen=True)
class PointResult:
    id: str
    text: str
    dimension: str
    marks: float
    awarded: float
    strength: float
    status: str  # covered | partial | incomplete | wrong | missing
    evidence: Evidence | None
    source: SourceRef | None
    conflict: str | None = None
    label: str = ""
    kind: str = "claim"
    value: tuple[str, ...] = ()
    lacking: str | None = None
    anchor: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id,
            "label": self.label or self.text,
            "text": self.text,
            "kind": self.kind,
            "dimension": self.dimension,
            "marks": _r(self.marks),
            "awarded": _r(self.awarded),
            "strength": round(self.strength, 2),
            "status": self.status,
            "evidence": self.evidence.to_dict() if self.evidence else None,
            "source": self.source.to_dict() if self.source else None,
        }
        if self.value:
            d["value"] = list(self.value)
        if self.conflict is not None:
            d["conflict"] = self.conflict
        if self.lacking is not None:
            d["lacking"] = self.lacking
        return d


@dataclass(frozen=True)
class MisconceptionResult:
    """A false claim the answer makes (``asserted``) or rightly denies, with the correction."""

    id: str
    label: str
    correction: str
    asserted: bool
    evidence: Evidence
    source: SourceRef | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "correction": self.correction,
            "asserted": self.asserted,
            "evidence": self.evidence.to_dict(),
            "source": self.source.to_dict() if self.source else None,
        }


@dataclass(frozen=True)
class DimensionResult:
    name: str
    score: float
    max_score: float
    guidance: str = ""
    note: str = ""
    why: str = ""  # what earned (or did not earn) this dimension's marks
    moves: tuple[str, ...] = ()  # the answer's sentences that made this dimension's move

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name,
            "score": _r(self.score),
            "max_score": _r(self.max_score),
        }
        if self.guidance:
            d["rewards"] = self.guidance
        if self.why:
            d["why"] = self.why
        return d


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
    incomplete: tuple[PointResult, ...] = ()  # anchor named, value not given
    wrong: tuple[PointResult, ...] = ()  # anchor named with another value
    misconceptions: tuple[MisconceptionResult, ...] = ()  # asserted and rightly denied
    deduction: float = 0.0  # marks taken off for wrong facts and misconceptions
    notes: tuple[str, ...] = ()  # how the marks were reached (weighting, caps, gaming)

    @property
    def incorrect(self) -> tuple[PointResult, ...]:
        """Key facts the answer gets wrong (another date, figure or actor)."""
        return self.wrong

    @property
    def asserted(self) -> tuple[MisconceptionResult, ...]:
        """Misconceptions the answer asserts (not those it rightly denies)."""
        return tuple(m for m in self.misconceptions if m.asserted)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "rubric": self.rubric,
            "rubric_title": self.rubric_title,
            "score": _r(self.score),
            "max_score": _r(self.max_score),
            "dimensions": [x.to_dict() for x in self.dimensions],
            "incorrect": [p.to_dict() for p in self.wrong],
            "misconceptions": [m.to_dict() for m in self.misconceptions],
            "missing": [p.to_dict() for p in self.missing],
            "incomplete": [p.to_dict() for p in self.incomplete],
            "partial": [p.to_dict() for p in self.partial],
            "covered": [p.to_dict() for p in self.covered],
            "deduction": _r(self.deduction),
            "notes": list(self.notes),
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
    rest = "\n".join(lines[i:]).strip()
    if len(question.split()) > QUESTION_MAX_WORDS:
        # A whole answer pasted on the question's line: the question ends at its "?" or
        # its "(N marks)"; the rest is the answer.
        end = re.search(r"\?|\(\s*\d+[^)]*(?:marks?|words)[^)]*\)", question, re.IGNORECASE)
        if end is None:
            return None, answer
        question, rest = question[: end.end()].strip(), (question[end.end():] + "\n" + rest).strip()
    return question, rest


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


# "(250 words)", "(Answer in 150 words)", "in about 200 words", "a 1,200-word essay": a Mains
# question states its limit. Words counted with a determiner are something the question talks
# about ("the 1,000 words of the act", "its first 100 words"), and a number outside the range
# is something else.
_STATED_LIMIT = re.compile(
    r"(?<![\w,.])(?P<talked>(?:the|these|those|its|their|his|her|first|last|of|all)\s+)?"
    r"(\d{1,2},\d{3}|\d{2,4})\s*-?\s*words?\b"
    r"|\bword\s+limit\s*(?:of|:|-|–|is)?\s*(\d{1,2},\d{3}|\d{2,4})\b",
    re.IGNORECASE,
)
_STATED_RANGE = (50, 3000)


def stated_word_limit(question: str | None) -> int | None:
    """The word limit a question states, if it states one.

    >>> stated_word_limit("Discuss the MoU's significance. (250 words)")
    250
    >>> stated_word_limit("Discuss the MoU's significance.") is None
    True
    """
    if not question:
        return None
    found = [int((m.group(2) or m.group(3)).replace(",", ""))
             for m in _STATED_LIMIT.finditer(question) if not m.group("talked")]
    found = [n for n in found if _STATED_RANGE[0] <= n <= _STATED_RANGE[1]]
    return found[-1] if found else None


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
    essay = rubric.structure_marks > 0
    notes: list[str] = []
    flags: list[str] = []
    # The limit the question states wins over the one the rubric's marks imply: it is what
    # the candidate was told to write to. Marks given by the caller win over both.
    said = stated_word_limit(question)
    limit = ((None if marks else said) or word_limit(target)) if essay else None
    if marks and limit is not None and said is not None and said != limit:
        notes.append(f"graded out of {_fmt(marks)} marks with a {limit}-word limit; the "
                     f"question states {said} words")
    words_written = tx.word_count(answer)
    gaming: list[str] = []
    void_flags: list[str] = []
    graded_text = answer
    if limit is not None and words_written > READ_LIMIT * limit:
        # An examiner stops reading; what comes after earns nothing (and costs no time).
        graded_text = _first_words(answer, int(READ_LIMIT * limit))
        if words_written > VOID_LIMIT * limit:
            void_flags.append("over_length")
            notes.append(f"{words_written} words: over {VOID_LIMIT:g} x the {limit}-word limit")
        else:
            notes.append(f"words past {int(READ_LIMIT * limit)} were not read (an examiner stops)")
    full = prepare(graded_text)
    if essay and limit is not None:
        gaming, void_more, graded_text, gnotes = _gaming(full, graded_text, question, compiled)
        void_flags.extend(void_more)
        notes.extend(gnotes)
    prepared = full if graded_text is full.text else prepare_again(graded_text, full)
    gaming = sorted(set(gaming) | set(void_flags))
    void = bool(void_flags)
    matches = match(compiled, prepared)
    found = misconceptions(compiled, prepared)
    if topic is None:
        topic = Topic(rubric.id, closeness(compiled, prepared), False)
    if topic.off_topic:
        flags.append("off_topic")
    if not _looks_english(full):
        flags.append("not_english")
    zero = topic.off_topic or void

    # "The MoU is a free-trade agreement" also gets wrong what the MoU is: that fact is
    # reported wrong (before any credit is given out).
    matches = _kind_contradictions(matches, compiled, found)
    points: list[PointResult] = []
    # Naming a thing earns its incomplete credit once: "the MoU" said without any of its
    # facts is not five quarter-points (its date, occasion, kind and two signatories).
    credited: set[str] = set()
    incomplete_credit: set[int] = set()
    once: set[str] = set()  # names whose other incomplete facts earn nothing (said in a note)
    by_marks = sorted(range(len(matches)), key=lambda i: (-matches[i].point.marks, i))
    for i in by_marks:
        m = matches[i]
        if m.status != "incomplete":
            continue
        anchor = tx.normalise(m.point.anchor)
        if anchor and anchor.lower() in credited:
            once.add(anchor)
            continue
        credited.add(anchor.lower())
        incomplete_credit.add(i)
    for i, m in enumerate(matches):
        pm = m.point.marks * scale
        awarded = (
            pm * min(1.0, m.strength / CONTENT_FULL)
            if m.point.kind in CONTENT_KINDS and m.status in ("covered", "partial")
            else pm if m.status == "covered"
            else pm * m.strength if m.status == "partial"
            else pm * INCOMPLETE_CREDIT if i in incomplete_credit
            else 0.0
        )
        points.append(_point_result(m, pm, 0.0 if zero else awarded))
    if once and not zero:
        notes.append(
            "a name said without its facts earns its quarter once: " + ", ".join(sorted(once))
        )

    moves = {} if zero else _moves(prepared, matches, compiled, found)
    dims: list[DimensionResult] = []
    for d in rubric.dimensions:
        mine = [p for p in points if p.dimension == d.name]
        dmax = d.marks * scale
        got_points = sum(p.awarded for p in mine)
        point_cap = dmax * (1 - d.move_share)
        made = moves.get(d.move, ()) if d.move else ()
        move_part = dmax * d.move_share * min(1.0, len(made) / d.moves_for_full)
        # The seed's For-Mains line is what the dimension rewards: a move that meets it
        # is worth as much as the key points of that dimension.
        met = _criterion_met(d.move, made, compiled, prepared) if d.move else ()
        criterion = point_cap * min(1.0, len(met) / CRITERION_FULL)
        points_part = min(point_cap, max(got_points, criterion))
        score = min(dmax, points_part + move_part) if d.move else min(dmax, got_points)
        dims.append(
            DimensionResult(
                d.name, score, dmax, d.guidance, d.note,
                _why(d, mine, made, got_points, point_cap, met, zero), tuple(made),
            )
        )

    directive, expectation = directive_of(question)
    # The answer's shape is judged as written: a conclusion that says nothing is still there
    # (its words earned nothing above).
    structure = _structure(
        full, full.text, rubric.structure_marks * scale, limit, directive, expectation,
        matches, word_count=words_written,
    )
    if structure.max_score > 0:
        if zero or "keyword_stuffing" in gaming:
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
    flags.extend(gaming)
    if "not_english" in flags:
        points, dims, structure = _not_graded(points, dims, structure)
        found = []
    wrong = [p for p in points if p.status == "wrong"]
    mis = [_misconception_result(x) for x in found]
    # A wrong actor in a role the seed's "What it is NOT" speaks of (who signed for Korea)
    # is that misconception, reported once.
    as_misconception = _role_misconceptions(wrong, compiled, mis)
    mis += [m for m in as_misconception.values() if m.id not in {x.id for x in mis}]
    # A kind fact a misconception contradicts is charged once, as the misconception.
    terms = {x.term for x in found if x.asserted and x.term}
    charged = set(as_misconception) | {
        m.point.id for m in matches
        if m.status == "wrong" and m.point.value_kind == "term" and m.conflict in terms
    }
    if any(p.id not in charged for p in wrong):
        flags.append("factual_error")
    if any(x.asserted for x in mis):
        flags.append("misconception")
    wrong = [p for p in wrong if p.id not in charged]

    max_score = rubric.cap * scale
    total = min(max_score, sum(d.score for d in dims))
    ded = rubric.deductions
    deduction = 0.0
    if not zero and (ded.factual_error or ded.misconception):
        owed = len(wrong) * ded.factual_error + sum(x.asserted for x in mis) * ded.misconception
        deduction = min(total, min(ded.cap * scale, owed * scale) if ded.cap else owed * scale)
        if deduction:
            notes.append(
                f"{_fmt(deduction)} marks taken off for {len(wrong)} wrong fact(s) and "
                f"{sum(x.asserted for x in mis)} misconception(s) (rubric deductions)"
            )
    total = max(0.0, total - deduction)
    if void and not topic.off_topic:
        notes.append("no marks: " + ", ".join(g.replace("_", " ") for g in void_flags))
    order = {name: i for i, name in enumerate(FLAGS)}
    q = Question(question, question_source, directive) if question else None
    signature = (
        f"evaluator {__version__} | rubric {rubric.id}@{rubric_hash or rubric.hash()} | "
        f"{compiled.settings.signature()} | marks {target:g}"
    )
    by = {
        s: tuple(p for p in points if p.status == s)
        for s in ("covered", "partial", "incomplete", "wrong", "missing")
    }
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
        incomplete=by["incomplete"],
        wrong=by["wrong"],
        misconceptions=tuple(mis),
        deduction=deduction,
        notes=tuple(notes),
    )


# --- not English (issue 10): kept apart from grade() so it reads on its own.
NOT_ENGLISH_NOTE = (
    "Only answers in English are graded for now: this answer was not graded, so it scores 0 "
    "and no list of missing points is given."
)


def _not_graded(
    points: list[PointResult], dims: list[DimensionResult], structure: Structure
) -> tuple[list[PointResult], list[DimensionResult], Structure]:
    """No points, every dimension 0, one note saying why: a list of English points an answer
    in another language "missed" would tell its writer nothing true."""
    zeroed = _zero(structure)
    return (
        [],
        [replace(d, score=0.0, why="not graded: only English is graded for now") for d in dims],
        replace(zeroed, notes=(NOT_ENGLISH_NOTE,)),
    )


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


# Words of a dimension's criterion a sentence must share to meet it in full.
CRITERION_FULL = 4


def _criterion_met(
    move: str, made: Sequence[str], compiled: CompiledRubric, answer: Answer | None = None
) -> tuple[str, ...]:
    """The criterion's words that the best move sentence shares with it (the sentences of
    ``answer`` read from its tokens, not tokenised again)."""
    words = _criteria(compiled).get(move, frozenset())
    if not words:
        return ()
    best: set[str] = set()
    for sentence in made:
        shared = set(_content_stems(sentence, answer)) & words
        if len(shared) > len(best):
            best = shared
    return tuple(sorted(best)) if len(best) >= 2 else ()


def _content_stems(text: str, answer: Answer | None) -> list[str]:
    """:func:`evaluator.text.content_stems` of ``text``, from the tokens of the sentence of
    ``answer`` that it is (prepared once per answer), else tokenised here."""
    if answer is not None:
        where: dict[str, int] | None = answer._index.get("sentence of text")
        if where is None:
            where = answer._index["sentence of text"] = {
                s.text: i for i, s in enumerate(answer.sentences)
            }
        i = where.get(text)
        if i is not None:
            sw = tx.stop_words()
            return [
                tx.stem(t)
                for t in answer.tokens[i]
                if t not in sw and (len(t) > 1 or t.isdigit() or t in "%$₹")
            ]
    return tx.content_stems(text)


def _why(
    d: Any,
    mine: Sequence[PointResult],
    made: Sequence[str],
    got: float,
    cap: float,
    met: Sequence[str],
    zero: bool,
) -> str:
    """One line a teacher would write beside a dimension's mark."""
    if zero:
        return "no marks (see flags)"
    covered = [p for p in mine if p.status == "covered"]
    parts = []
    if d.move:
        parts.append(
            f"{len(made)} {_move_words(d.move, len(made))} ({d.moves_for_full} earn the "
            f"{_fmt(d.move_share * 100)}% given for them)"
        )
    names = "; ".join(p.label or p.text for p in covered[:3])
    more = f" and {len(covered) - 3} more" if len(covered) > 3 else ""
    pts = f"key points: {names}{more}" if covered else "no key point of this dimension"
    if got > cap + 1e-9 and d.move:
        pts += f" (points capped at {_fmt(cap)})"
    parts.append(pts)
    if met:
        parts.append(f"meets the criterion ({len(met)} of its words: {', '.join(met)})")
    return "; ".join(parts)


MOVE_WORDS = {
    "example": "concrete, datable examples",
    "stance": "sentences taking a position",
    "data": "data points (figures, dates, laws, institutions)",
    "recommendation": "recommendations",
}
# One of each: "1 recommendation", not "1 recommendations".
_MOVE_WORD = {
    "example": "concrete, datable example",
    "stance": "sentence taking a position",
    "data": "data point (a figure, date, law or institution)",
    "recommendation": "recommendation",
}


def _move_words(move: str, n: int) -> str:
    return _MOVE_WORD.get(move, move) if n == 1 else MOVE_WORDS.get(move, move)


# Share of an answer's words that, repeated or saying nothing, leaves nothing to mark.
REPEATED_VOID = 0.5
REPEATED_FLAG = 0.2
FILLER_FLAG = 0.5
FILLER_VOID = 0.75
# A sentence, as an examiner reads one: some words, some function words, not a list.
SENTENCE_MIN_WORDS = 5
SENTENCE_MIN_FUNCTION = 0.15
SENTENCE_MAX_COMMAS = 0.3
# Below this share of words in real sentences, the answer is a list of terms.
STUFFING_SENTENCES = 0.4


def _first_words(text: str, n: int) -> str:
    for i, m in enumerate(tx.COUNTED_WORD.finditer(text)):
        if i == n:
            return text[: m.start()]
    return text


def is_sentence(tokens: Sequence[str], text: str) -> bool:
    """A real sentence, not a keyword run: enough words, function words, few commas."""
    if len(tokens) < SENTENCE_MIN_WORDS:
        return False
    function_words = _function_words()
    function = len([t for t in tokens if t in function_words])
    return (
        function / len(tokens) >= SENTENCE_MIN_FUNCTION
        and text.count(",") / len(tokens) <= SENTENCE_MAX_COMMAS
    )


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return tx.stop_words() | tx.NEGATIONS


def _real_sentences(answer: Answer) -> list[bool]:
    """Per sentence of ``answer``, :func:`is_sentence` (asked by gaming and moves alike)."""
    got: list[bool] | None = answer._index.get("real sentences")
    if got is None:
        got = answer._index["real sentences"] = [
            is_sentence(toks, s.text)
            for toks, s in zip(answer.tokens, answer.sentences, strict=True)
        ]
    return got


# A note line of a bullet answer relates things ("SSP — 2015 — top tier", "FDI in Indian
# manufacturing"); a keyword run is long and relates nothing.
_RELATING = re.compile(r"[:—–→=+;()]|->|\bvs\b")
NOTE_WORDS = (3, 25)


def is_note(tokens: Sequence[str], text: str) -> bool:
    """A short line of notes that says how things relate, as bullet answers are written."""
    low, high = NOTE_WORDS
    if not low <= len(tokens) <= high:
        return False
    if _RELATING.search(text):
        return True
    # Without a relating mark, a note reads as a phrase ("FDI in Indian manufacturing"),
    # not a comma-separated run of terms.
    return any(t in tx.stop_words() for t in tokens) and (
        text.count(",") / len(tokens) <= SENTENCE_MAX_COMMAS / 2
    )


def _topical(compiled: CompiledRubric) -> frozenset[str]:
    vocab = compiled._cache.get("topical")
    if vocab is None:
        r = compiled.rubric
        # The rubric's key words, not its sentences: a claim's full text is mostly generic.
        texts = [r.title, *(p.label for p in r.points)]
        texts += [a for p in r.points for a in (p.anchor, *p.value)]
        texts += [a for g in (x for p in r.points for x in p.must) for a in g]
        texts += [n for n, alts in r.aliases for n in (n, *alts)]
        vocab = frozenset(st for t in texts for st in tx.content_stems(t) if not tx.is_number(st))
        compiled._cache["topical"] = vocab
    return vocab


def _criteria(compiled: CompiledRubric) -> dict[str, frozenset[str]]:
    """Per move, the specific words of its dimension's criterion (not the title's)."""
    got = compiled._cache.get("criteria")
    if got is None:
        r = compiled.rubric
        common = set(tx.content_stems(r.title)) | set(tx.content_stems(r.question))
        got = {
            d.move: frozenset(
                st for st in tx.content_stems(d.guidance)
                if st not in common and not tx.is_number(st) and len(st) > 3
            )
            for d in r.dimensions
            if d.move
        }
        compiled._cache["criteria"] = got
    return got


def _gaming(
    answer: Answer, text: str, question: str | None, compiled: CompiledRubric
) -> tuple[list[str], list[str], str, list[str]]:
    """Gaming flags, those that void the answer, the text left to grade, and notes."""
    flags: list[str] = []
    void: list[str] = []
    notes: list[str] = []
    total = max(1, answer.word_count)
    sizes = [len(t) for t in answer.tokens]
    # Repetition: a sentence said again earns nothing the second time.
    seen: set[tuple[str, ...]] = set()
    keep: list[int] = []
    repeated = 0
    sw = tx.stop_words()
    for i, toks in enumerate(answer.tokens):
        norm = tuple(t for t in toks if t not in sw)
        if norm and norm in seen and len(norm) >= 3:
            repeated += sizes[i]
            continue
        seen.add(norm)
        keep.append(i)
    share = repeated / max(1, sum(sizes))
    if share >= REPEATED_FLAG:
        flags.append("repetition")
        if share >= REPEATED_VOID:
            void.append("repetition")
        else:
            notes.append(f"{len(answer.tokens) - len(keep)} repeated sentence(s) earn nothing")
            text = "\n".join(answer.sentences[i].text for i in keep)
    # The question written back.
    if question:
        q = set(tx.content_stems(question))
        mine = tx.content_stems(text)
        novel = [st for st in mine if st not in q]
        if mine and len(novel) < 8 and len(novel) <= 0.3 * len(mine):
            void.append("copied_question")
    elif len(answer.sentences) <= 2 and _looks_like_question(text):
        void.append("copied_question")
    # A list of terms: little of the text is in sentences or in notes that relate things.
    real = [i for i, yes in enumerate(_real_sentences(answer)) if yes]
    said = [
        i for i, s in enumerate(answer.sentences)
        if i in real or is_note(answer.tokens[i], s.text)
    ]
    in_sentences = sum(sizes[i] for i in said) / max(1, sum(sizes))
    if answer.word_count >= 3 and in_sentences < STUFFING_SENTENCES:
        void.append("keyword_stuffing")
    # Filler: sentences that say nothing about the subject: no named thing of the rubric, no
    # number, and fewer than two of its key words ("the issue has many dimensions").
    # The question's own words and names say nothing new: "The MoU on MSMEs is important"
    # to a question about the MoU on MSMEs is filler.
    asked = frozenset(tx.content_stems(question)) if question else frozenset()
    vocab = _topical(compiled) - asked
    named = anchor_sentences(compiled, answer, besides=asked)
    hollow = [
        i
        for i in real
        if i not in named and not answer.values[i] and len(answer.stems[i] & vocab) < 2
        and not (asked and _names_besides(answer.sentences[i].text, asked))
    ]
    empty = sum(sizes[i] for i in hollow)
    if real and empty / total >= FILLER_FLAG:
        flags.append("filler")
        if empty / total >= FILLER_VOID:
            void.append("filler")
        else:
            # As a repeated sentence does: what says nothing earns nothing, not even the
            # stance or the recommendation it is worded as ("a holistic approach is needed").
            notes.append(f"{len(hollow)} sentence(s) that say nothing about the subject earn "
                         "nothing")
            hollow_set = set(hollow)
            keep = [i for i in keep if i not in hollow_set]
            text = "\n".join(answer.sentences[i].text for i in keep)
    return flags, void, text, notes


# A capitalised word after a sentence's first: a name ("MUDRA", "Samsung", "Japan").
_LATER_NAME = re.compile(r"(?<=[\w,;)] )[A-Z][\w&-]+")


def _names_besides(text: str, asked: frozenset[str]) -> bool:
    """True when ``text`` names something the question does not: a weak answer's own
    examples ("schemes like MUDRA and PMEGP") are content, a stock phrase has none."""
    return any(
        st not in asked for m in _LATER_NAME.finditer(text) for st in tx.content_stems(m.group())
    )


def _looks_like_question(text: str) -> bool:
    t = text.strip()
    return t.endswith("?") or bool(
        directive_of(t)[0] and re.match(rf"(?i)^\s*{re.escape(directive_of(t)[0] or '')}", t)
    ) or bool(re.search(r"\(\s*\d+\s*(?:marks?|words)", t, re.I))


_STANCE = re.compile(
    r"\b(?:significan\w*|crucial|vital|essential|important|importance|key|modest|limited|"
    r"signals?|reflects?|shows?|demonstrates?|underlines?|marks?|means|therefore|thus|hence|"
    r"clearly|indeed|in my view|i (?:believe|argue|think)|we (?:believe|argue)|rightly|"
    r"positive|welcome|step|strength|weakness|however|although|but|while|whereas|despite|"
    r"strategic|matters?|benefit\w*|gap|only|rather than|not merely|more than)\b",
    re.IGNORECASE,
)
_RECOMMEND = re.compile(
    r"\b(?:should|must|need(?:s)? to|ought to|way forward|going forward|recommend\w*|"
    r"it is necessary|has to|have to|can be (?:used|leveraged|expanded|replicated|scaled)|"
    r"replicat\w*|scale up|expand\w*|strengthen\w*|leverage|promot\w*|ensur\w*|"
    r"establish\w*|build|focus on|priorit\w*)\b",
    re.IGNORECASE,
)


# The same patterns, case-sensitive, for lower-cased ASCII text (they are written lower case).
_STANCE_LOW = re.compile(_STANCE.pattern)
_RECOMMEND_LOW = re.compile(_RECOMMEND.pattern)


def _moves(
    answer: Answer,
    matches: Sequence[PointMatch],
    compiled: CompiledRubric,
    found: Sequence[MisconceptionMatch],
) -> dict[str, tuple[str, ...]]:
    """The answer's sentences that make each dimension's move (wrong ones never count).

    A move counts only in a sentence that uses the rubric: the evidence of a key point,
    a fact's anchor, or two words of the dimension's own criterion. "Cooperation is always
    good" takes a position on nothing the question asks about.
    """
    bad = {m.evidence.start for m in matches if m.status == "wrong" and m.evidence}
    bad |= {x.evidence.start for x in found if x.asserted}
    facts = {m.evidence.start: m for m in matches if m.status == "covered" and m.evidence}
    used = {m.evidence.start for m in matches if m.status != "missing" and m.evidence}
    used |= {answer.sentences[si].start for si in anchor_sentences(compiled, answer)}
    criteria = _criteria(compiled)
    out: dict[str, list[str]] = {"example": [], "stance": [], "data": [], "recommendation": []}
    real = _real_sentences(answer)
    for i, s in enumerate(answer.sentences):
        if s.start in bad or not real[i]:
            continue
        engaged = s.start in used

        def uses(move: str, i: int = i, engaged: bool = engaged) -> bool:
            return engaged or len(answer.stems[i] & criteria.get(move, frozenset())) >= 2

        values = answer.values[i]
        fact = facts.get(s.start)
        if engaged and (any(v.kind == "year" for v in values) or (
            fact and fact.point.value_kind in ("year", "date", "actor", "list"))
        ):
            out["example"].append(s.text)
        if engaged and (any(v.kind == "figure" for v in values) or (
            fact and fact.point.value_kind in ("figure", "actor", "term"))
        ):
            out["data"].append(s.text)
        # ASCII text lower-cased meets the lower-case patterns exactly where the text meets
        # the case-blind ones, several times faster.
        low = s.text.lower() if s.text.isascii() else None
        if (
            _RECOMMEND_LOW.search(low) if low is not None else _RECOMMEND.search(s.text)
        ) and uses("recommendation"):
            out["recommendation"].append(s.text)
        elif (
            _STANCE_LOW.search(low) if low is not None else _STANCE.search(s.text)
        ) and uses("stance"):
            out["stance"].append(s.text)
    # A rightly denied misconception is a precise judgement: it takes a position.
    for x in found:
        if not x.asserted and x.evidence.text not in out["stance"]:
            out["stance"].append(x.evidence.text)
    return {k: tuple(v) for k, v in out.items()}


def _role_misconceptions(
    wrong: Sequence[PointResult],
    compiled: CompiledRubric,
    found: Sequence[MisconceptionResult],
) -> dict[str, MisconceptionResult]:
    """Wrong actors whose side and role a misconception names, by point id."""
    out: dict[str, MisconceptionResult] = {}
    points = {p.id: p for p in compiled.rubric.points}
    for p in wrong:
        spec = points[p.id]
        if spec.value_kind != "actor" or not spec.qualifier or p.evidence is None:
            continue
        if (p.conflict or "").startswith(DENIED):
            continue  # the right actor, denied: not the wrong actor the passage warns of
        side = spec.qualifier.lower()[:4]
        for m in compiled.rubric.misconceptions:
            if m.cue and any(s.lower()[:4] == side for s in m.subject) and any(
                c.startswith(("sign", "counterpart")) for c in m.cue
            ):
                already = next((x for x in found if x.id == m.id), None)
                src = SourceRef(m.source.seed, m.source.sentence) if m.source else None
                out[p.id] = already or MisconceptionResult(
                    m.id, m.label, m.correction, True, p.evidence, src
                )
    return out


def _kind_contradictions(
    matches: Sequence[PointMatch], compiled: CompiledRubric, found: Sequence[MisconceptionMatch]
) -> list[PointMatch]:
    """``matches`` with the kind facts ("MoU: a government-to-government statement", "MSME
    classification: investment and turnover") that an asserted misconception about the same
    thing contradicts made wrong: it names another kind ("a free-trade agreement") or
    another criterion. The false term, in the answer's words, is what the answer wrote."""
    heads = tx.kind_head_stems()
    out = list(matches)
    done: set[int] = set()
    for x in found:
        if not x.asserted or not x.term:
            continue
        m = x.misconception
        subject = {st for s in m.subject for st in tx.content_stems(s)}
        cue = {tx.stem(c) for c in m.cue}
        kind = bool(heads & set(tx.content_stems(x.term)))
        for i, pm in enumerate(out):
            spec = pm.point
            if spec.value_kind != "term" or spec.role or pm.status in ("covered", "wrong") \
                    or i in done:
                continue
            anchor = set(tx.content_stems(spec.anchor))
            if not anchor & subject or not (kind or anchor & cue):
                continue
            out[i] = replace(pm, status="wrong", strength=0.0, evidence=x.evidence,
                             conflict=x.term, lacking=None)
            done.add(i)
    return out


def _misconception_result(x: MisconceptionMatch) -> MisconceptionResult:
    m = x.misconception
    ev = Evidence(x.evidence.text, x.evidence.start, x.evidence.end)
    src = SourceRef(m.source.seed, m.source.sentence) if m.source else None
    return MisconceptionResult(m.id, m.label, m.correction, x.asserted, ev, src)


def _point_result(m: PointMatch, marks: float, awarded: float) -> PointResult:
    p = m.point
    ev = Evidence(m.evidence.text, m.evidence.start, m.evidence.end) if m.evidence else None
    src = SourceRef(p.source.seed, p.source.sentence) if p.source else None
    return PointResult(
        p.id, p.text, p.dimension, marks, awarded, m.strength, m.status, ev, src, m.conflict,
        label=p.label, kind=p.kind, value=p.value, lacking=m.lacking, anchor=p.anchor,
    )


def closeness(compiled: CompiledRubric, answer: Answer) -> float:
    """Cosine between the answer and the rubric's points, in the rubric's own TF-IDF space."""
    if compiled.point_vectors is None or not answer.sentences:
        return 0.0
    from evaluator import vectors as vec
    from evaluator.match import answer_terms

    profile = compiled._cache.get("profile")
    if profile is None:
        profile = compiled._cache["profile"] = vec.normalised(vec.total(compiled.point_vectors))
    return vec.dot(compiled.vectorizer.vector(answer_terms(answer)), profile)


# Share of an answer's words (two letters or more) that are English words (WordNet's or
# function words). On the development set English answers, bullet notes and keyword lists
# score 0.62-0.94; Hindi written in Latin letters 0.07.
ENGLISH_WORDS = 0.4


def _looks_english(answer: Answer) -> bool:
    text = answer.text
    if text.isascii():
        # The ASCII letters are exactly A-Z and a-z, and all of them are Latin.
        data = text.encode("ascii")
        letters = latin = len(data) - len(data.translate(None, _ASCII_LETTERS))
    else:
        letters = sum(map(str.isalpha, text))
        latin = len(_ASCII_LETTER.findall(text))
    if not letters:
        return True  # "?", "4,5,6", emoji: nothing in another language, just little said
    if latin / letters < 0.5:
        return False
    # Single letters are a formula's variables ("P(X=2)", "O(n)"), words of no language.
    toks = [t for s in answer.tokens for t in s if t.isalpha() and len(t) > 1]
    if len(toks) < 20:
        return True
    known = len([t for t in toks if _known_word(t)])
    return known / len(toks) >= ENGLISH_WORDS


@lru_cache(maxsize=16384)
def _known_word(token: str) -> bool:
    """A function word, or a word WordNet knows (by its stem)."""
    from evaluator import lexicon

    return token in tx.stop_words() or lexicon.is_word(tx.stem(token))


_ASCII_LETTER = re.compile("[A-Za-z]")
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _structure(
    answer: Answer,
    raw: str,
    max_score: float,
    limit: int | None,
    directive: str | None,
    expectation: str | None,
    matches: Sequence[PointMatch],
    *,
    word_count: int | None = None,
) -> Structure:
    wc = answer.word_count if word_count is None else word_count
    limit = limit if max_score > 0 else None
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
        notes.append(
            f"{wc} words: within the {limit}-word limit" if wc <= limit
            else f"{wc} words: over the {limit}-word limit by less than 20% (no marks lost)"
        )
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
