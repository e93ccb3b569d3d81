"""Rubrics: what an answer is marked against, and their human-editable TOML form.

A rubric has dimensions (each with marks and guidance), points (each with the
words that must appear, its marks, its dimension and its source) and optional
structure marks. Three sources make the same type: seed documents, a teacher's
model answer, and a list of key points with marks.

>>> r = from_key_points([("k1", "binary encoding", 0.5), ("k2", "simple and cheap", 1.0)],
...                     max_score=1.0)
>>> [p.marks for p in r.points], r.max_score
([0.5, 1.0], 1.0)
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from evaluator import text as tx
from evaluator.errors import RubricError

if TYPE_CHECKING:
    # Building rubrics needs facts and seeds; grading with a built one does not (cold start).
    from evaluator.facts import Fact
    from evaluator.seeds import Document

__version__ = "0.1.0"

DEFAULT_SPLIT: Mapping[str, float] = {
    "exemplification": 2.0,
    "position": 2.0,
    "substantiation": 3.0,
    "way-forward": 2.0,
}
STRUCTURE_MARKS = 1.0
BASE_MARKS = 10.0
# A 150-word answer makes about three points per dimension; more would not fit.
POINTS_TO_FULL = 3
# Weight of a model answer's clause that says nothing the question does not (one new word
# weighs 1): every student restates the question, so marks for it only shift a question's
# scores (docs/decisions.md, "A clause that restates the question").
RESTATED_WEIGHT = 0.1
# Beyond this, a rubric stops being readable in a minute.
MAX_POINTS_PER_DIMENSION = 16
DEFAULT_GUIDANCE: Mapping[str, str] = {
    "exemplification": "Concrete, datable examples: events, agreements, institutions at work.",
    "position": "The stance the answer takes and the policy direction it identifies.",
    "substantiation": "Data, figures, laws and institutions that back the argument.",
    "way-forward": "Aims, proposals and what should be done next.",
    "content": "The key points of the model answer.",
}
KINDS = ("seed", "topic", "reference", "key-points", "custom")
# What each dimension rewards in what the answer does (score.py finds the moves).
MOVES: Mapping[str, str] = {
    "exemplification": "example",
    "position": "stance",
    "substantiation": "data",
    "way-forward": "recommendation",
}
# Share of a dimension's marks earned by moves; the rest is earned by key points.
MOVE_SHARE = 0.4
VALUE_KINDS = ("year", "date", "figure", "actor", "list", "term")


@dataclass(frozen=True)
class Source:
    seed: str
    sentence: str


@dataclass(frozen=True)
class Point:
    """One key point. A ``fact`` is one ``value`` of one ``anchor`` (both looked up with
    the rubric's aliases); any other kind is met by its ``must`` word groups."""

    id: str
    text: str
    must: tuple[tuple[str, ...], ...]
    marks: float
    dimension: str
    kind: str = "claim"
    source: Source | None = None
    label: str = ""
    anchor: str = ""
    value: tuple[str, ...] = ()
    value_kind: str = ""
    role: str = ""
    qualifier: str = ""

    @property
    def short(self) -> str:
        """What a teacher writes on the sheet: the label, else the text."""
        return self.label or self.text


@dataclass(frozen=True)
class Dimension:
    """A For-Mains dimension: its marks, what it rewards (``guidance``, the seed's own line
    when it has one) and the ``move`` an answer makes for it. ``move_share`` of the marks
    comes from moves (``moves_for_full`` of them earn it all); the rest from key points."""

    name: str
    marks: float
    guidance: str = ""
    note: str = ""
    move: str = ""
    move_share: float = 0.0
    moves_for_full: int = 2


@dataclass(frozen=True)
class Misconception:
    """A false claim from a seed's "What it is NOT" passage, and its correction.

    It is made when one sentence names the ``subject``, asserts a ``wrong`` term (not
    negated) and, if ``cue`` is given, one of the cue words."""

    id: str
    label: str
    subject: tuple[str, ...]
    wrong: tuple[str, ...]
    correction: str
    cue: tuple[str, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Deductions:
    """What a wrong fact or a misconception costs (marks), and the most they may cost."""

    factual_error: float = 0.5
    misconception: float = 0.5
    cap: float = 2.0


@dataclass(frozen=True)
class SeedRef:
    file: str
    sha256: str


@dataclass(frozen=True)
class Rubric:
    """A marking scheme. ``marks`` is the scale it is written for (10 for seed rubrics)."""

    id: str
    title: str
    kind: str
    dimensions: tuple[Dimension, ...]
    points: tuple[Point, ...]
    marks: float = BASE_MARKS
    structure_marks: float = 0.0
    max_score: float | None = None
    question: str = ""
    keywords: tuple[str, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    seeds: tuple[SeedRef, ...] = ()
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    deductions: Deductions = Deductions(0.0, 0.0, 0.0)
    builder: str = ""
    content_hash: str = ""
    path: str = field(default="", compare=False)

    @property
    def cap(self) -> float:
        """The most an answer can score on this rubric's own scale."""
        return self.max_score if self.max_score is not None else self.marks

    def content(self) -> dict[str, Any]:
        """Everything that affects a grade (not provenance): what the hash covers."""
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "marks": self.marks,
            "structure_marks": self.structure_marks,
            "max_score": self.max_score,
            "question": self.question,
            "keywords": list(self.keywords),
            "dimensions": [asdict(d) for d in self.dimensions],
            "points": [_point_dict(p) for p in self.points],
            "misconceptions": [asdict(m) for m in self.misconceptions],
            "aliases": [[k, list(v)] for k, v in self.aliases],
            "deductions": asdict(self.deductions),
        }

    def alias_table(self) -> dict[str, tuple[str, ...]]:
        """Every spelling of a name, keyed by its lower-case form (each maps to its group)."""
        out: dict[str, tuple[str, ...]] = {}
        for name, alts in self.aliases:
            group = (name, *alts)
            for a in group:
                out[a.lower()] = group
        return out

    def hash(self) -> str:
        """Short content hash: the ``@3f2a9c1e`` part of a report signature."""
        return _digest(self.content())[:8]

    def edited_by_hand(self) -> bool:
        """True when a generated rubric's content no longer matches what was generated."""
        return not self.content_hash or _digest(self.content()) != self.content_hash


def _digest(obj: Any) -> str:
    data = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _point_dict(p: Point) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": p.id,
        "dimension": p.dimension,
        "kind": p.kind,
        "marks": p.marks,
        "text": p.text,
        "must": [list(g) for g in p.must],
    }
    for name in ("label", "anchor", "value_kind", "role", "qualifier"):
        if getattr(p, name):
            d[name] = getattr(p, name)
    if p.value:
        d["value"] = list(p.value)
    if p.source is not None:
        d["source"] = asdict(p.source)
    return d


def point_id(kind: str, text: str) -> str:
    """Stable id from content: the same clause always gets the same id."""
    norm = " ".join(tx.words(text))
    return f"{kind}-{hashlib.sha1(norm.encode('utf-8')).hexdigest()[:8]}"


# --------------------------------------------------------------------------- building


def from_facts(
    facts: Sequence[tuple[str, Fact]],
    *,
    rubric_id: str,
    title: str,
    kind: str,
    guidance: Mapping[str, str],
    seeds: Sequence[SeedRef],
    misconceptions: Sequence[Misconception] = (),
    keywords: Sequence[str] = (),
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> Rubric:
    """A four-dimension rubric from ``(seed file, fact)`` pairs.

    The best facts of each dimension are kept (by importance); a dimension with no
    facts hands its marks to the others in proportion, and its note says so. Each
    dimension earns ``MOVE_SHARE`` of its marks from what the answer does (its moves)
    and the rest from key points: a point is worth a third of that rest.
    """
    from evaluator.facts import DIMENSIONS, FACTS_VERSION

    by_dim: dict[str, list[tuple[str, Fact]]] = {d: [] for d in DIMENSIONS}
    for seed, fact in facts:
        by_dim[fact.dimension].append((seed, fact))
    kept = {
        d: sorted(v, key=lambda sf: -sf[1].importance)[:MAX_POINTS_PER_DIMENSION]
        for d, v in by_dim.items()
    }
    marks = _redistribute({d: DEFAULT_SPLIT[d] for d in DIMENSIONS}, kept)
    dimensions = []
    for d in DIMENSIONS:
        note = ""
        if not kept[d]:
            note = f"No points in the seeds; its {DEFAULT_SPLIT[d]:g} marks went to the others."
        elif marks[d] != DEFAULT_SPLIT[d]:
            note = (
                f"Includes {marks[d] - DEFAULT_SPLIT[d]:.2f} marks from dimensions without points."
            )
        dimensions.append(
            Dimension(
                d,
                marks[d],
                guidance.get(d) or DEFAULT_GUIDANCE[d],
                note,
                move=MOVES[d],
                move_share=MOVE_SHARE if kept[d] else 0.0,
                moves_for_full=2,
            )
        )
    points: list[Point] = []
    used: set[str] = set()
    for d in DIMENSIONS:
        n = len(kept[d])
        for seed, f in sorted(kept[d], key=lambda sf: -sf[1].importance):
            each = _round(marks[d] * (1 - MOVE_SHARE) / min(n, POINTS_TO_FULL))
            used.update(a.lower() for a in (f.anchor, *f.value) if a)
            points.append(
                Point(
                    point_id(f.kind, f.label or f.text),
                    f.text,
                    f.must if f.kind != "fact" else (),
                    each,
                    d,
                    f.kind,
                    Source(seed, f.sentence),
                    label=f.label,
                    anchor=f.anchor,
                    value=f.value,
                    value_kind=f.value_kind,
                    role=f.role,
                    qualifier=f.qualifier,
                )
            )
    for m in misconceptions:
        used.update(s.lower() for s in m.subject)
    table = _alias_entries(aliases or {}, used)
    rubric = Rubric(
        id=rubric_id,
        title=title,
        kind=kind,
        dimensions=tuple(dimensions),
        points=tuple(points),
        marks=BASE_MARKS,
        structure_marks=STRUCTURE_MARKS,
        keywords=tuple(keywords),
        misconceptions=tuple(misconceptions),
        seeds=tuple(seeds),
        builder=f"evaluator {__version__} {FACTS_VERSION}",
        aliases=table,
        deductions=Deductions(),
    )
    return replace(rubric, content_hash=_digest(rubric.content()))


def _alias_entries(
    table: Mapping[str, Sequence[str]], used: set[str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The alias groups the rubric's anchors and values need, one entry per group."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for k in sorted(table):
        group = tuple(table[k])
        if group in seen or not any(a.lower() in used for a in group):
            continue
        seen.add(group)
        head = next((a for a in group if a.lower() in used), group[0])
        out.append((head, tuple(a for a in group if a != head)))
    return tuple(sorted(out))


def _redistribute(base: dict[str, float], kept: Mapping[str, Sequence[object]]) -> dict[str, float]:
    free = sum(m for d, m in base.items() if not kept[d])
    holders = {d: m for d, m in base.items() if kept[d]}
    if not holders:
        return {d: 0.0 for d in base}
    total = sum(holders.values())
    out = {d: 0.0 for d in base}
    for d, m in holders.items():
        out[d] = _round(m + free * m / total)
    # Rounding must not change the total a teacher sees.
    drift = _round(sum(base.values()) - sum(out.values()))
    if drift:
        top = max(holders, key=lambda d: (holders[d], d))
        out[top] = _round(out[top] + drift)
    return out


def _round(x: float) -> float:
    return float(round(x + 1e-9, 2))


def from_reference(
    reference: str, *, question: str = "", marks: float = BASE_MARKS, rubric_id: str = ""
) -> Rubric:
    """A content-only rubric from a teacher's model answer.

    Each clause becomes a point weighted by how much it says (content words not
    already in the question; a clause that only restates the question weighs
    ``RESTATED_WEIGHT``); words the question gives away are still asked for, but the
    matcher weighs them less.

    >>> r = from_reference("A stack is LIFO. It supports push and pop.", marks=5)
    >>> [(p.text, p.marks) for p in r.points]
    [('A stack is LIFO.', 2.0), ('It supports push and pop.', 3.0)]
    """
    question_stems = set(tx.content_stems(question))
    clauses = _reference_clauses(reference)
    if not clauses:
        raise RubricError("the model answer has no words to build a rubric from")
    weights: list[float] = []
    musts: list[tuple[tuple[str, ...], ...]] = []
    for clause in clauses:
        toks = _unique_by_stem(tx.content_tokens(clause))
        asked = [t for t in toks if tx.stem(t) not in question_stems]
        musts.append(tuple((t,) for t in toks))
        weights.append(float(len(asked)) if asked else RESTATED_WEIGHT)
    shares = _shares(weights, marks)
    points = tuple(
        Point(point_id("reference", c), c, m, s, "content", "reference", Source("reference", c))
        for c, m, s in zip(clauses, musts, shares, strict=True)
    )
    rid = rubric_id or f"reference-{_digest([reference, question])[:8]}"
    return Rubric(
        id=rid,
        title=question or "Model answer",
        kind="reference",
        dimensions=(Dimension("content", marks, DEFAULT_GUIDANCE["content"]),),
        points=points,
        marks=marks,
        question=question,
        builder=f"evaluator {__version__} reference-1",
    )


def _reference_clauses(reference: str) -> list[str]:
    out: list[str] = []
    for s in tx.sentences(reference):
        # Long sentences that list several things are split where each side stands alone.
        parts = re.split(r";\s+|,\s+(?:and|but|while|whereas|so)\s+", s)
        if all(len(tx.content_tokens(p)) >= 2 for p in parts):
            out.extend(p.strip() for p in parts)
        else:
            out.append(s.strip())
    return [c for c in out if tx.content_tokens(c)]


def _unique_by_stem(tokens: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for t in tokens:
        s = tx.stem(t)
        if s not in seen:
            seen.add(s)
            out.append(t)
    return out


def _shares(weights: Sequence[float], total: float) -> list[float]:
    s = sum(weights)
    shares = [_round(total * w / s) for w in weights]
    shares[-1] = _round(shares[-1] + total - sum(shares))
    return shares


def from_key_points(
    rows: Sequence[tuple[str, str, float]],
    *,
    max_score: float | None = None,
    question: str = "",
    rubric_id: str = "",
) -> Rubric:
    """A content-only rubric from ``(id, key point, marks)`` rows.

    Key points are often alternatives whose marks add up to more than an answer
    can earn; ``max_score`` caps the total (default: the sum of the marks).
    """
    if not rows:
        raise RubricError("the key-point list is empty")
    points = []
    for pid, text, marks in rows:
        toks = _unique_by_stem(tx.content_tokens(text)) or tx.words(text)
        if not toks:
            raise RubricError(f"key point {pid!r} has no words")
        points.append(
            Point(
                str(pid),
                text.strip(),
                tuple((t,) for t in toks),
                _round(marks),
                "content",
                "key-point",
                Source("key-points", text.strip()),
            )
        )
    total = _round(sum(p.marks for p in points))
    cap = _round(max_score) if max_score is not None else total
    rid = rubric_id or f"key-points-{_digest([list(r) for r in rows])[:8]}"
    return Rubric(
        id=rid,
        title=question or "Key points",
        kind="key-points",
        dimensions=(Dimension("content", total, DEFAULT_GUIDANCE["content"]),),
        points=tuple(points),
        marks=cap,
        max_score=cap,
        question=question,
        builder=f"evaluator {__version__} key-points-1",
    )


# --------------------------------------------------------------------------- TOML


_HEADER = """\
# {title}
# Rubric '{id}' ({kind}). {origin}
# How marks work. A fact point (anchor + value) is covered when one sentence, or two
# adjacent ones, states its anchor and its value; the anchor alone earns nothing and is
# reported as incomplete; another value is reported as wrong. A claim point is covered
# when the answer makes the same claim (most of its `must` groups in one sentence).
# A point earns its marks as written here. A dimension earns `move_share` of its marks
# from what the answer does (`move`: examples, a stance, data, recommendations;
# `moves_for_full` of them earn it all) and the rest from its points, capped at its
# marks. [deductions] says what a wrong fact or a misconception costs.
# Edit freely (labels, marks, aliases, points), then run: evaluate rubrics check <this file>
"""


def to_toml(rubric: Rubric) -> str:
    """The rubric as a TOML document a teacher can read and edit.

    Deterministic: the same rubric always gives the same bytes.
    """
    if rubric.seeds:
        origin = (
            "Generated by "
            + rubric.builder
            + " from "
            + ", ".join(s.file for s in rubric.seeds)
            + "."
        )
    else:
        origin = f"Built by {rubric.builder}." if rubric.builder else "Written by hand."
    lines = [_HEADER.format(title=rubric.title, id=rubric.id, kind=rubric.kind, origin=origin)]
    lines.append(f"id = {_s(rubric.id)}")
    lines.append(f"title = {_s(rubric.title)}")
    lines.append(f"kind = {_s(rubric.kind)}")
    lines.append(f"marks = {_n(rubric.marks)}")
    lines.append(f"structure_marks = {_n(rubric.structure_marks)}")
    if rubric.max_score is not None:
        lines.append(f"max_score = {_n(rubric.max_score)}")
    if rubric.question:
        lines.append(f"question = {_s(rubric.question)}")
    if rubric.keywords:
        lines.append(f"keywords = [{', '.join(_s(k) for k in rubric.keywords)}]")
    lines.append("")
    lines.append("[provenance]")
    lines.append(f"builder = {_s(rubric.builder)}")
    if rubric.seeds:
        seeds = ", ".join(
            f"{{ file = {_s(s.file)}, sha256 = {_s(s.sha256)} }}" for s in rubric.seeds
        )
        lines.append(f"seeds = [{seeds}]")
    lines.append(
        "# Hash of the content as generated; if the content changes, it was edited by hand."
    )
    lines.append(f"content_hash = {_s(rubric.content_hash)}")
    if rubric.deductions != Deductions(0.0, 0.0, 0.0):
        dd = rubric.deductions
        lines.append("")
        lines.append("# Marks taken off the total for each wrong fact / misconception, at most")
        lines.append("# `cap`; a score never goes below 0.")
        lines.append("[deductions]")
        lines.append(f"factual_error = {_n(dd.factual_error)}")
        lines.append(f"misconception = {_n(dd.misconception)}")
        lines.append(f"cap = {_n(dd.cap)}")
    if rubric.aliases:
        lines.append("")
        lines.append("# Other ways to write a name; anchors and values match any of them.")
        lines.append("[aliases]")
        for name, alts in rubric.aliases:
            lines.append(f"{_s(name)} = [{', '.join(_s(a) for a in alts)}]")
    for d in rubric.dimensions:
        lines.append("")
        lines.append("[[dimensions]]")
        lines.append(f"name = {_s(d.name)}")
        lines.append(f"marks = {_n(d.marks)}")
        lines.append(f"guidance = {_s(d.guidance)}")
        if d.move:
            lines.append(f"move = {_s(d.move)}")
            lines.append(f"move_share = {_n(d.move_share)}")
            lines.append(f"moves_for_full = {d.moves_for_full}")
        if d.note:
            lines.append(f"note = {_s(d.note)}")
    for p in rubric.points:
        lines.append("")
        lines.append("[[points]]")
        if p.label:
            lines.append(f"label = {_s(p.label)}")
        lines.append(f"id = {_s(p.id)}")
        lines.append(f"dimension = {_s(p.dimension)}")
        lines.append(f"kind = {_s(p.kind)}")
        lines.append(f"marks = {_n(p.marks)}")
        if p.anchor:
            lines.append(f"anchor = {_s(p.anchor)}")
        if p.value:
            lines.append(f"value = [{', '.join(_s(v) for v in p.value)}]")
        if p.value_kind:
            lines.append(f"value_kind = {_s(p.value_kind)}")
        if p.role:
            lines.append(f"role = {_s(p.role)}")
        if p.qualifier:
            lines.append(f"qualifier = {_s(p.qualifier)}")
        if p.must:
            groups = ", ".join("[" + ", ".join(_s(a) for a in g) + "]" for g in p.must)
            lines.append(f"must = [{groups}]")
        lines.append(f"text = {_s(p.text)}")
        if p.source is not None:
            lines.append(
                f"source = {{ seed = {_s(p.source.seed)}, sentence = {_s(p.source.sentence)} }}"
            )
    for m in rubric.misconceptions:
        lines.append("")
        lines.append("[[misconceptions]]")
        lines.append(f"label = {_s(m.label)}")
        lines.append(f"id = {_s(m.id)}")
        lines.append(f"subject = [{', '.join(_s(x) for x in m.subject)}]")
        lines.append(f"wrong = [{', '.join(_s(x) for x in m.wrong)}]")
        if m.cue:
            lines.append(f"cue = [{', '.join(_s(x) for x in m.cue)}]")
        lines.append(f"correction = {_s(m.correction)}")
        if m.source is not None:
            lines.append(
                f"source = {{ seed = {_s(m.source.seed)}, sentence = {_s(m.source.sentence)} }}"
            )
    return "\n".join(lines) + "\n"


def _s(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def _n(value: float) -> str:
    return repr(float(value))


def from_toml(data: str, *, path: str = "<rubric>") -> Rubric:
    """Parse and validate a rubric; every problem is reported with its field.

    Raises :class:`RubricError` whose ``problems`` lists ``(field, message)`` pairs.
    """
    try:
        raw = tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(
            f"{path}: not valid TOML: {exc}", problems=(("toml", str(exc)),)
        ) from None
    return from_mapping(raw, path=path)


def from_mapping(raw: Mapping[str, Any], *, path: str = "<rubric>") -> Rubric:
    """Validate a parsed rubric mapping (TOML or JSON) and build the :class:`Rubric`."""
    v = _Validator()
    rid = v.string(raw, "id", pattern=r"[a-z0-9][a-z0-9._-]*")
    title = v.string(raw, "title")
    kind = v.string(raw, "kind", choices=KINDS)
    marks = v.number(raw, "marks", positive=True)
    structure = v.number(raw, "structure_marks", default=0.0)
    max_score = v.number(raw, "max_score", default=None, positive=True)
    question = v.string(raw, "question", default="")
    keywords = tuple(v.strings(raw, "keywords"))
    prov = raw.get("provenance", {})
    if not isinstance(prov, Mapping):
        v.problem("provenance", "must be a table")
        prov = {}
    builder = v.string(prov, "builder", default="", where="provenance.")
    content_hash = v.string(prov, "content_hash", default="", where="provenance.")
    seeds = []
    for i, s in enumerate(v.tables(prov, "seeds", where="provenance.")):
        seeds.append(
            SeedRef(
                v.string(s, "file", where=f"provenance.seeds[{i}]."),
                v.string(s, "sha256", where=f"provenance.seeds[{i}]."),
            )
        )
    dims: list[Dimension] = []
    for i, d in enumerate(v.tables(raw, "dimensions", required=True)):
        w = f"dimensions[{i}]."
        share = v.number(d, "move_share", where=w, default=0.0)
        if share is not None and share > 1:
            v.problem(f"{w}move_share", f"must be between 0 and 1, not {share!r}")
        full = v.number(d, "moves_for_full", where=w, default=2.0)
        dims.append(
            Dimension(
                v.string(d, "name", where=w),
                v.number(d, "marks", where=w, default=0.0),
                v.string(d, "guidance", where=w, default=""),
                v.string(d, "note", where=w, default=""),
                move=v.string(d, "move", where=w, default="", choices=("", *MOVES.values())),
                move_share=share or 0.0,
                moves_for_full=max(1, int(full or 1)),
            )
        )
    names = [d.name for d in dims]
    for name in sorted({n for n in names if names.count(n) > 1}):
        v.problem("dimensions", f"dimension {name!r} is listed more than once")
    points: list[Point] = []
    for i, p in enumerate(v.tables(raw, "points", required=True)):
        w = f"points[{i}]."
        dim = v.string(p, "dimension", where=w)
        if dim and dim not in names:
            v.problem(f"{w}dimension", f"{dim!r} is not one of the dimensions {names}")
        pkind = v.string(p, "kind", where=w, default="claim")
        anchor = v.string(p, "anchor", where=w, default="")
        value = tuple(v.strings(p, "value", where=w, scalar=True))
        value_kind = v.string(p, "value_kind", where=w, default="", choices=("", *VALUE_KINDS))
        if pkind == "fact":
            if not anchor.strip():
                v.problem(f"{w}anchor", "a fact needs an anchor (what the value is of)")
            if not value:
                v.problem(f"{w}value", "a fact needs a value (a date, figure, actor, ...)")
            if not value_kind:
                v.problem(f"{w}value_kind", f"a fact needs one of {list(VALUE_KINDS)}")
            must: tuple[tuple[str, ...], ...] = ()
        else:
            must = v.must(p, where=w)
        src_ = p.get("source")
        source = None
        if isinstance(src_, Mapping):
            source = Source(
                v.string(src_, "seed", where=f"{w}source."),
                v.string(src_, "sentence", where=f"{w}source."),
            )
        elif src_ is not None:
            v.problem(f"{w}source", "must be a table with seed and sentence")
        points.append(
            Point(
                v.string(p, "id", where=w),
                v.string(p, "text", where=w),
                must,
                v.number(p, "marks", where=w, positive=True),
                dim,
                pkind,
                source,
                label=v.string(p, "label", where=w, default=""),
                anchor=anchor,
                value=value,
                value_kind=value_kind,
                role=v.string(p, "role", where=w, default=""),
                qualifier=v.string(p, "qualifier", where=w, default=""),
            )
        )
    ids = [p.id for p in points]
    for pid in sorted({i for i in ids if ids.count(i) > 1}):
        v.problem("points", f"point id {pid!r} is used more than once")
    miscon = []
    for i, m in enumerate(v.tables(raw, "misconceptions")):
        w = f"misconceptions[{i}]."
        src_ = m.get("source")
        msource = None
        if isinstance(src_, Mapping):
            msource = Source(
                v.string(src_, "seed", where=f"{w}source."),
                v.string(src_, "sentence", where=f"{w}source."),
            )
        if "seed" in m and "subject" not in m:
            # An older rubric's misconception is only a sentence: kept, never matched.
            sentence = v.string(m, "sentence", where=w)
            miscon.append(
                Misconception(
                    point_id("misconception", sentence),
                    sentence,
                    (),
                    (),
                    sentence,
                    source=Source(v.string(m, "seed", where=w), sentence),
                )
            )
            continue
        miscon.append(
            Misconception(
                v.string(m, "id", where=w),
                v.string(m, "label", where=w),
                tuple(v.strings(m, "subject", where=w, required=True)),
                tuple(v.strings(m, "wrong", where=w, required=True)),
                v.string(m, "correction", where=w),
                tuple(v.strings(m, "cue", where=w)),
                msource,
            )
        )
    mids = [m.id for m in miscon]
    for mid in sorted({i for i in mids if mids.count(i) > 1}):
        v.problem("misconceptions", f"misconception id {mid!r} is used more than once")
    aliases_raw = raw.get("aliases", {})
    alias_entries: list[tuple[str, tuple[str, ...]]] = []
    if not isinstance(aliases_raw, Mapping):
        v.problem("aliases", "must be a table of name = [other spellings]")
    else:
        for name in sorted(aliases_raw):
            alts = v.strings(aliases_raw, name, where="aliases.")
            alias_entries.append((str(name), tuple(alts)))
    ded_raw = raw.get("deductions")
    deductions = Deductions(0.0, 0.0, 0.0)
    if ded_raw is not None:
        if not isinstance(ded_raw, Mapping):
            v.problem("deductions", "must be a table")
        else:
            deductions = Deductions(
                v.number(ded_raw, "factual_error", where="deductions.", default=0.0) or 0.0,
                v.number(ded_raw, "misconception", where="deductions.", default=0.0) or 0.0,
                v.number(ded_raw, "cap", where="deductions.", default=0.0) or 0.0,
            )
            for k in sorted(set(ded_raw) - {"factual_error", "misconception", "cap"}):
                v.problem(f"deductions.{k}", "is not a deductions field")
    if marks is not None and not v.problems:
        dim_total = sum(d.marks for d in dims) + (structure or 0.0)
        if not math.isclose(dim_total, marks, abs_tol=0.011) and max_score is None:
            v.problem("marks", f"is {marks:g} but dimensions and structure add up to {dim_total:g}")
        for declared in dims:
            if declared.marks > 0 and not any(p.dimension == declared.name for p in points):
                v.problem(
                    f"dimensions.{declared.name}",
                    "has marks but no points; give its marks to another dimension or add points",
                )
    known = {
        "id",
        "title",
        "kind",
        "marks",
        "structure_marks",
        "max_score",
        "question",
        "keywords",
        "provenance",
        "dimensions",
        "points",
        "misconceptions",
        "aliases",
        "deductions",
    }
    for key in sorted(set(raw) - known):
        v.problem(key, "is not a rubric field")
    if v.problems:
        first_field, first_msg = v.problems[0]
        more = f" (and {len(v.problems) - 1} more)" if len(v.problems) > 1 else ""
        raise RubricError(f"{path}: {first_field}: {first_msg}{more}", problems=tuple(v.problems))
    assert marks is not None
    return Rubric(
        id=rid,
        title=title,
        kind=kind,
        dimensions=tuple(dims),
        points=tuple(points),
        marks=marks,
        structure_marks=structure or 0.0,
        max_score=max_score,
        question=question,
        keywords=keywords,
        misconceptions=tuple(miscon),
        seeds=tuple(seeds),
        builder=builder,
        content_hash=content_hash,
        path=path,
        aliases=tuple(alias_entries),
        deductions=deductions,
    )


# Far above any exam's marks; bounds the sums so no total can overflow to infinity.
MAX_MARKS = 10_000.0


class _Validator:
    """Collects every problem instead of stopping at the first: a teacher fixes all at once."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def problem(self, fld: str, msg: str) -> None:
        self.problems.append((fld, msg))

    def string(
        self,
        m: Mapping[str, Any],
        key: str,
        *,
        where: str = "",
        default: str | None = None,
        pattern: str | None = None,
        choices: Sequence[str] = (),
    ) -> str:
        value = m.get(key, default)
        if value is None:
            self.problem(where + key, "is missing")
            return ""
        if not isinstance(value, str):
            self.problem(where + key, f"must be text, not {type(value).__name__}")
            return ""
        if default is None and not value.strip():
            self.problem(where + key, "is empty")
        if pattern and value and not re.fullmatch(pattern, value):
            self.problem(
                where + key, f"{value!r} must be lower-case letters, digits, '-', '.', '_'"
            )
        if choices and value not in choices:
            self.problem(where + key, f"{value!r} is not one of {list(choices)}")
        return value

    def number(
        self,
        m: Mapping[str, Any],
        key: str,
        *,
        where: str = "",
        default: float | None | str = "required",
        positive: bool = False,
    ) -> Any:
        value = m.get(key, None)
        if value is None:
            if default == "required":
                self.problem(where + key, "is missing")
                return None
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where + key, f"must be a number, not {value!r}")
            return None
        # TOML allows nan and inf; neither is a mark, and both break every sum downstream.
        if not math.isfinite(value):
            self.problem(where + key, f"must be a finite number, not {value!r}")
            return None
        if value > MAX_MARKS:
            self.problem(where + key, f"must be at most {MAX_MARKS:g}, not {value!r}")
            return None
        if positive and value <= 0 or value < 0:
            self.problem(
                where + key, f"must be {'positive' if positive else 'zero or more'}, not {value!r}"
            )
        return float(value)

    def strings(
        self,
        m: Mapping[str, Any],
        key: str,
        *,
        where: str = "",
        scalar: bool = False,
        required: bool = False,
    ) -> list[str]:
        value = m.get(key, [])
        if scalar and isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            self.problem(where + key, "must be a list of text")
            return []
        if required and not [x for x in value if x.strip()]:
            self.problem(where + key, "is missing or empty")
        return [x.strip() for x in value if x.strip()]

    def tables(
        self, m: Mapping[str, Any], key: str, *, where: str = "", required: bool = False
    ) -> list[Mapping[str, Any]]:
        value = m.get(key)
        if value is None:
            if required:
                self.problem(where + key, "is missing")
            return []
        if not isinstance(value, list) or not all(isinstance(x, Mapping) for x in value):
            self.problem(where + key, "must be a list of tables")
            return []
        if required and not value:
            self.problem(where + key, "is empty")
        return value

    def must(self, p: Mapping[str, Any], *, where: str) -> tuple[tuple[str, ...], ...]:
        value = p.get("must")
        ok = (
            isinstance(value, list)
            and value
            and all(
                isinstance(g, list) and g and all(isinstance(a, str) and a.strip() for a in g)
                for g in value
            )
        )
        if not ok:
            self.problem(
                where + "must",
                "must be a non-empty list of word groups, e.g. "
                '[["CEPA", "Comprehensive Economic Partnership Agreement"], ["2010"]]',
            )
            return ()
        assert isinstance(value, list)
        return tuple(tuple(a.strip() for a in g) for g in value)


def scaled(rubric: Rubric, marks: float) -> Rubric:
    """The same rubric on another scale (``--marks 15``): every mark times marks/rubric.marks."""
    if math.isclose(marks, rubric.marks):
        return rubric
    f = marks / rubric.marks
    return replace(
        rubric,
        marks=_round(marks),
        structure_marks=_round(rubric.structure_marks * f),
        max_score=None if rubric.max_score is None else _round(rubric.max_score * f),
        dimensions=tuple(replace(d, marks=_round(d.marks * f)) for d in rubric.dimensions),
        points=tuple(replace(p, marks=_round(p.marks * f)) for p in rubric.points),
    )


# --------------------------------------------------------------------------- seeds


@dataclass(frozen=True)
class TopicSpec:
    """A subject several seeds share (from ``seeds/topics.toml``, edited by people)."""

    id: str
    title: str
    seeds: tuple[str, ...]


def from_seeds(
    documents: Sequence[tuple[Document, str]], *, topics: Sequence[TopicSpec] = ()
) -> list[Rubric]:
    """One rubric per seed, then one per topic, from ``(document, sha256)`` pairs.

    Aliases are learnt across all seeds (one seed may define an acronym another uses);
    words present in most seeds (here "India", "Korea") identify no fact on their own.
    """
    from evaluator.facts import corpus_of, extract_facts, fact_key

    corpus = corpus_of([d for d, _ in documents])
    per_seed: dict[str, list[Fact]] = {}
    out: list[Rubric] = []
    for doc, sha in documents:
        facts = extract_facts(doc, corpus=corpus)
        per_seed[doc.name] = facts
        out.append(
            from_facts(
                [(doc.name, f) for f in facts],
                rubric_id=_rubric_id(doc.title),
                title=doc.title,
                kind="seed",
                guidance=_guidance([doc]),
                seeds=[SeedRef(doc.name, sha)],
                misconceptions=_misconceptions([doc], corpus),
                aliases=corpus.aliases,
            )
        )
    by_name = {d.name: (d, sha) for d, sha in documents}
    for topic in topics:
        missing = [s for s in topic.seeds if s not in by_name]
        if missing:
            raise RubricError(f"topic {topic.id!r} names seeds that are not there: {missing}")
        members = [by_name[s] for s in topic.seeds]
        seen: set[tuple[str, ...]] = set()
        pairs: list[tuple[str, Fact]] = []
        for doc, _ in members:
            for f in per_seed[doc.name]:
                key = fact_key(f)
                if key not in seen:
                    seen.add(key)
                    pairs.append((doc.name, f))
        out.append(
            from_facts(
                pairs,
                rubric_id=topic.id,
                title=topic.title,
                kind="topic",
                guidance=_guidance([d for d, _ in members]),
                seeds=[SeedRef(d.name, sha) for d, sha in members],
                misconceptions=_misconceptions([d for d, _ in members], corpus),
                aliases=corpus.aliases,
            )
        )
    return out


def _guidance(docs: Sequence[Document]) -> dict[str, str]:
    from evaluator.facts import DIMENSIONS

    out: dict[str, str] = {}
    for d in docs:
        for b in d.blocks:
            if b.role == "mains" and b.name in DIMENSIONS and b.name not in out:
                out[b.name] = " ".join(b.paragraphs).strip()
    return out


def _misconceptions(docs: Sequence[Document], corpus: Any) -> list[Misconception]:
    from evaluator.facts import false_claims

    out: list[Misconception] = []
    for d in docs:
        for c in false_claims(d, corpus=corpus):
            out.append(
                Misconception(
                    point_id("misconception", c.label),
                    c.label,
                    c.subject,
                    c.wrong,
                    c.sentence,
                    c.cue,
                    Source(d.name, c.sentence),
                )
            )
    return out


def _rubric_id(title: str) -> str:
    from evaluator.facts import GENERIC

    words = [w for w in tx.slug(title, max_words=20).split("-") if w not in GENERIC and len(w) > 1]
    return "-".join(words[:6]) or tx.slug(title)
