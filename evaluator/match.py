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

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property, lru_cache
from typing import Any, cast

from evaluator import text as tx
from evaluator import vectors as vec
from evaluator.rubric import Misconception, Point, Rubric

MATCHER_VERSION = "matcher-4"

# Credit for a word found only as a small misspelling.
TYPO = 0.9
# What a wrong point's ``conflict`` starts with when the answer denies the fact itself.
DENIED = "not "
# How many words after a negation, in its clause, it governs.
NEGATION_SCOPE = 8
# What a claim said the other way round is reported as.
OPPOSITE = "the opposite"
# Share of a claim's words one sentence must say for the claim to be made (at least two).
CLAIM_COVERED = 0.4
# Key words (a synonym half of one) a claim's sentence must say itself before near words
# by meaning may add to them (docs/decisions.md, "Near words for seed rubrics").
NEAR_FOUNDED = 1.5


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
    ``near``: credit for a rubric word met only by a near word, one whose static word vector
    (:mod:`evaluator.embeddings`) has cosine at least ``near_cosine`` with it; looked for only
    in points the words, stems and lexicon leave short of covered; 0 turns it off.
    ``question_term``: factor on the TF-IDF weight of the question's own words in the
    wording similarity (1: as any word), so restating the question reads as less alike.
    ``degrees``: a rubric adjective is met by its other degrees ("harder" for "hardest",
    "high" for "higher") as by a derived form; off for seed rubrics, whose claims
    ("the largest source") are not made by "large".
    """

    covered: float = 0.75
    partial: float = 0.4
    fuzzy: int = 85
    neighbour: float = 0.8
    similarity: float = 0.25
    similarity_full: float = 0.5
    question_word: float = 0.5
    polarity: float = 0.5
    synonym: float = 0.5
    derived: float = 0.9
    near: float = 0.5
    near_cosine: float = 0.55
    question_term: float = 1.0
    degrees: bool = False

    def signature(self) -> str:
        lexicon = f" syn{self.synonym:g} der{self.derived:g}" if self.uses_lexicon else ""
        near = f" near{self.near:g}@{self.near_cosine:g}" if self.near > 0 else ""
        qt = f" qt{self.question_term:g}" if self.question_term != 1.0 else ""
        qt += " deg" if self.degrees and self.derived > 0 else ""
        return (
            f"{MATCHER_VERSION} cov{self.covered:g} part{self.partial:g} fuzz{self.fuzzy} "
            f"nb{self.neighbour:g} sim{self.similarity:g} qw{self.question_word:g}{qt} "
            f"pol{self.polarity:g}{lexicon}{near}"
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
    # Per sentence: stems in order (positions for "which name does this year belong to"),
    # and the years, dates and figures it states.
    sequence: tuple[tuple[str, ...], ...] = ()
    values: tuple[tuple[Value, ...], ...] = ()
    # Indexes built on first use by the matcher (where each stem and typo occurs): per answer,
    # so a long answer is searched once per rubric word, not once per word and sentence.
    _index: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Value:
    """A year, date or figure stated in a sentence, at token position ``at``."""

    kind: str  # year | figure
    number: float
    scale: str  # "" for years; "billion", "%", ... for figures
    at: int
    text: str
    year: int | None = None  # a figure's own year ("$50 billion by 2030")
    month: int | None = None  # a date's month ("20 April 2026", "January 2024")
    day: int | None = None  # a date's day of the month ("20 April 2026", "April 20, 2026")
    bound: str = ""  # ">" for "over $25 billion", "<" for "under 100%": a bound, not a value


_SCALES = {
    "billion": "billion", "bn": "billion", "million": "million", "mn": "million",
    "crore": "crore", "cr": "crore", "lakh": "lakh", "trillion": "trillion", "%": "%",
    "percent": "%", "per cent": "%",
}
_VALUE_RE = re.compile(
    rf"(?P<cur>{tx.CURRENCY})?\s?"
    rf"(?P<num>\d+(?:[.,]\d+)*)\s*(?P<scale>{tx.SCALE_WORDS}|%|"
    r"per ?cent)?(?![\w.]*\d)",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
# "$50 billion by 2030", "50 billion dollars (2030)".
_BY_YEAR = re.compile(
    r"^\s*(?:(?:us\s+)?dollars?\s+|rupees\s+)?"
    # "$50 billion of (bilateral) trade by 2030": what the figure counts, then its year.
    r"(?:(?:of|in)\s+(?:[a-z-]+\s+){1,2}?(?=by\s))?"
    r"(?:\(|by\s+|in\s+)((?:19|20)\d\d)", re.IGNORECASE
)
# "over $25 billion" and "less than 100%" state a bound: true of any figure beyond it.
_LOWER_BOUND = re.compile(
    r"\b(?:over|more\s+than|above|exceeding|upwards\s+of|at\s+least|crossed|surpassed|"
    r"beyond)\s*$", re.IGNORECASE)
_UPPER_BOUND = re.compile(
    r"\b(?:under|less\s+than|below|at\s+most|up\s*to|not\s+exceeding)\s*$", re.IGNORECASE)
# "20.04.2026", "01/01/2010", "2010-01-01": a date (day first, as written in India).
_NUMERIC_DATE = re.compile(
    r"^(?:\d{1,2}[./-]\d{1,2}[./-]((?:19|20)\d\d)|((?:19|20)\d\d)[./-]\d{1,2}[./-]\d{1,2})$"
)
# The same, found in a sentence: the figure pattern reads "20/04/2025" as three numbers.
_SLASHED_DATE = re.compile(
    r"\b\d{1,2}[/-]\d{1,2}[/-](?:19|20)\d\d\b|\b(?:19|20)\d\d[/-]\d{1,2}[/-]\d{1,2}\b"
)


_MONTHS = tx.MONTHS
_MONTH_YEAR = re.compile(
    r"(?:\b(?P<d0>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?)?"
    r"\b(?P<m>" + "|".join(m[:3] + r"[a-z]*" for m in _MONTHS) + r")\.?\s+"
    r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+)?"
    r"(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def _months(text: str) -> dict[int, tuple[int, int | None]]:
    """Character offset of a year -> the month (and day, if any) written with it."""
    out: dict[int, tuple[int, int | None]] = {}
    found = _MONTH_YEAR_LOW.finditer(text.lower()) if text.isascii() else _MONTH_YEAR.finditer(text)
    for m in found:
        month = [x[:3] for x in _MONTHS].index(m.group("m")[:3].lower()) + 1
        day = m.group("d0") or m.group("d1")
        out[m.start("y")] = (month, int(day) if day and 1 <= int(day) <= 31 else None)
    return out


def _day_month(parts: Sequence[str], day_first: bool) -> tuple[int | None, int | None]:
    """Day and month of a date in digits; "04/20/2026" (month first) is read as such."""
    a, b = (int(parts[0]), int(parts[1])) if day_first else (int(parts[2]), int(parts[1]))
    if b > 12 >= a:
        a, b = b, a
    if not (1 <= b <= 12 and 1 <= a <= 31):
        return None, None
    return a, b


_NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b",
    re.IGNORECASE,
)


# The case-blind patterns above, case-sensitive, for lower-cased ASCII text: it meets them
# exactly where the text meets the case-blind ones (offsets unchanged), several times faster.
# Their letters are lower case but the currencies' ("US$", "Rs", "INR").
_VALUE_LOW = re.compile(_VALUE_RE.pattern.replace(tx.CURRENCY, tx.CURRENCY.lower(), 1))
_MONTH_YEAR_LOW = re.compile(_MONTH_YEAR.pattern)
_NUMBER_WORD_LOW = re.compile(_NUMBER_WORD.pattern)


def _in_digits(
    text: str, spelled: Sequence[tuple[int, int, str]]
) -> tuple[str, Callable[..., int]]:
    """``text`` with its written-out numbers in digits, and a map from an offset in it back
    to ``text`` (for an offset inside a number written out, its end, or its start if asked)."""
    if not spelled:
        return text, lambda at, start=False: at
    parts: list[str] = []
    spans: list[tuple[int, int, int, int]] = []  # new start, new end, old start, old end
    last = 0
    size = 0
    for start, end, digits in spelled:
        parts.append(text[last:start])
        size += start - last
        spans.append((size, size + len(digits), start, end))
        parts.append(digits)
        size += len(digits)
        last = end
    parts.append(text[last:])

    def where(at: int, start: bool = False) -> int:
        shift = 0
        for new_start, new_end, old_start, old_end in spans:
            if at <= new_start:
                break
            if at < new_end:
                return old_start if start else old_end
            shift = old_end - new_end
        return at + shift

    return "".join(parts), where


def sentence_values(text: str) -> tuple[Value, ...]:
    """Years and figures of one sentence, each with its token position.

    >>> [(v.kind, v.number, v.scale, v.year) for v in sentence_values("$50 bn by 2030")]
    [('figure', 50.0, 'billion', 2030), ('year', 2030.0, '', None)]
    """
    ascii = text.isascii()
    number_word = _NUMBER_WORD_LOW.search(text.lower()) if ascii else _NUMBER_WORD.search(text)
    spelled = tx.spelled_numbers(text) if number_word else []
    if not spelled and not _DIGIT.search(text):
        return ()  # most sentences: no number at all
    said, where = _in_digits(text, spelled)
    out: list[Value] = []
    months = _months(said)
    # The year's end -> the whole date, day first unless the year leads ("2010-01-01").
    slashed_at = {
        (m.start() + 4 if m.group(0)[4:5] in "/-" else m.end()): m.group(0)
        for m in _SLASHED_DATE.finditer(said)
    } if ("/" in said or "-" in said) else {}
    for m in _VALUE_LOW.finditer(said.lower()) if ascii else _VALUE_RE.finditer(said):
        raw = m.group("num")
        # The token that holds the number ("FY2026" is one token, "$50" gives "50"; the
        # last word of "five point eight").
        at = max(0, len(tx.words(text[: where(m.end("num"))])) - 1)
        date = _NUMERIC_DATE.match(raw)
        if date:
            year = date.group(1) or date.group(2)
            day, month = _day_month(re.split(r"[./-]", raw), bool(date.group(1)))
            out.append(Value("year", float(year), "", at, raw, month=month, day=day))
            continue
        try:
            num = float(tx.number_value(raw))
        except ValueError:
            continue
        scale = _SCALES.get((m.group("scale") or "").lower().replace(" ", ""), "")
        if (m.group("scale") or "").lower().startswith("per"):
            scale = "%"
        if m.group("cur") or scale:
            by = _BY_YEAR.match(said[m.end() :])
            year = int(by.group(1)) if by else None
            shown = text[where(m.start() + len(m.group(0)) - len(m.group(0).lstrip()), True)
                         : where(m.end())]
            before = said[max(0, m.start() - 20) : m.start()]
            bound = ">" if _LOWER_BOUND.search(before) else "<" if _UPPER_BOUND.search(
                before) else ""
            out.append(Value("figure", num, scale, at, shown.strip(), year, bound=bound))
        elif re.fullmatch(r"(?:19|20)\d\d", raw):
            month, day = months.get(m.start("num"), (None, None))
            slashed = slashed_at.get(m.end("num"))
            if slashed is not None:
                day, month = _day_month(re.split(r"[/-]", slashed), slashed[4:5] not in "/-")
                raw = slashed
            out.append(Value("year", num, "", at, raw, month=month, day=day))
    return tuple(out)


# An answer is graded, and its rubric chosen, from one preparation: the last few are kept.
@lru_cache(maxsize=4)
def prepare(text: str) -> Answer:
    return prepare_again(text)


# What a sentence gives the matcher, from its text alone: tokens, stems in order, stems
# (joined pairs too), stems met only negated, whether it negates, its values.
_Analysis = tuple[
    tuple[str, ...], tuple[str, ...], frozenset[str], frozenset[str], bool, tuple[Value, ...]
]


def prepare_again(text: str, like: Answer | None = None) -> Answer:
    """:func:`prepare` (not kept), reusing the sentences ``like`` already analysed.

    The text left once repeated sentences are dropped is made of the answer's own
    sentences: they are read once. A sentence said twice in one answer is analysed once.

    >>> a = prepare("The MoU was signed. It helps firms.")
    >>> prepare_again("It helps firms.", a).tokens == prepare("It helps firms.").tokens
    True
    """
    spans = tuple(tx.sentence_spans(text))
    done: dict[str, _Analysis] = {}
    if like is not None:
        for i, s in enumerate(like.sentences):
            done[s.text] = (
                like.tokens[i], like.sequence[i], like.stems[i], like.negated[i],
                like.negative[i], like.values[i],
            )
    rows: list[_Analysis] = []
    for s in spans:
        got = done.get(s.text)
        if got is None:
            got = done[s.text] = _analyse(s.text)
        rows.append(got)
    # Per column: tokens, sequence, stems, negated, negative, values.
    cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 6
    return Answer(
        text, spans, cols[0], cols[2], tx.word_count(text), cols[3], cols[4], cols[1], cols[5]
    )


def _analyse(sentence: str) -> _Analysis:
    toks = tuple(tx.words(sentence))
    seq = tuple(map(tx.stem, toks))
    # Neighbouring words joined as well: "start-ups" meets "startups", "set up" a lexicon's
    # "setup" (two-word lemmas are stored joined).
    stems = frozenset(seq).union(tx.joined_stems(toks))
    # Most sentences negate nothing: one set test instead of a look at every token.
    negative = not tx.NEGATIONS.isdisjoint(toks)
    negated = _only_negated(seq, tx.negated(toks)) if negative else frozenset()
    return toks, seq, stems, negated, negative, sentence_values(sentence)


@dataclass(frozen=True)
class _Alt:
    stems: tuple[str, ...]
    tokens: tuple[str, ...]
    numeric: bool
    # Per word, the stems of its synonyms and of its derived forms (empty without a lexicon):
    # computed once per compiled rubric so an answer's words are looked up, never searched.
    synonyms: tuple[frozenset[str], ...] = ()
    derived: tuple[frozenset[str], ...] = ()
    # Per word, the stems of its near words by vector (filled only for the points that need
    # them, on demand: see :func:`_near_point`).
    near: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class _CompiledPoint:
    point: Point
    groups: tuple[tuple[_Alt, ...], ...]
    # Weight of each group in the lexical score: 0 for a bare negation (it is checked as
    # polarity instead) unless the point is nothing else, ``question_word`` for words the
    # question gives away, times the group's rarity among the rubric's points.
    weights: tuple[float, ...]
    negative: bool
    fact: _Fact | None = None
    # A claim's groups that name what the rubric is about ("MSMEs" in "MSMEs are a major
    # share of exports"): an answer about it says them once and then "they".
    implied: tuple[int, ...] = ()

    @cached_property
    def shape(self) -> tuple[float, bool, bool]:
        """Its total weight, whether a group is a number, whether it is a claim (of two
        groups or more): read by every answer, worked out once."""
        return (
            sum(self.weights),
            any(g[0].numeric for g in self.groups),
            self.point.kind == "claim" and len(self.groups) >= 2,
        )


@dataclass(frozen=True)
class _Fact:
    """A fact point ready to match: its anchor's spellings and how its value is recognised."""

    anchors: tuple[_Alt, ...]
    kind: str  # year | date | figure | actor | list | term
    years: frozenset[int]
    months: frozenset[int]
    figures: tuple[tuple[float, str, int | None], ...]
    alternatives: tuple[tuple[_Alt, ...], ...]  # actors, list members, terms
    role: tuple[str, ...]  # stems that name the role ("sign", "counterpart")
    qualifier: str
    need: int  # list members needed
    dates: frozenset[tuple[int, int, int | None]] = frozenset()  # year, month, day
    derived: frozenset[tuple[str, ...]] = frozenset()  # a term's other forms (_term_forms)
    # A dated fact's event, from its label ("CEPA — in force 1 January 2010": "forc"): an
    # answer that says that event says that date.
    event: frozenset[str] = frozenset()
    # An occasion that is a visit ("Korean President's India visit"): the visitor's titles
    # and side (the first four letters of its stem), which another visit's visitor differs in.
    visit: tuple[frozenset[str], str] | None = None


@dataclass(frozen=True)
class _Misconception:
    misconception: Misconception
    subject: tuple[_Alt, ...]
    wrong: tuple[_Alt, ...]
    cue: frozenset[str]


@dataclass
class CompiledRubric:
    """A rubric with its alternatives tokenised and its TF-IDF space fitted: build once.

    ``vectorizer`` is the rubric's TF-IDF space (:class:`evaluator.vectors.Space`),
    ``point_vectors`` the points' vectors in it (None without points), ``point_index``
    those vectors indexed for dot products, ``rubric_hash`` the rubric's hash.
    """

    rubric: Rubric
    settings: MatcherSettings
    points: tuple[_CompiledPoint, ...]
    vectorizer: vec.Space
    point_vectors: tuple[vec.Vector, ...] | None
    point_index: vec.Index
    rubric_hash: str = ""
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)
    misconceptions: tuple[_Misconception, ...] = ()
    # Every year and figure the rubric's facts state: another fact's value is never "wrong".
    known_years: frozenset[int] = frozenset()
    known_figures: frozenset[tuple[float, str]] = frozenset()
    actor_stems: tuple[frozenset[str], ...] = ()
    # Stems that begin the names of the sides the rubric knows ("india", "korea"): the
    # nearest one before an actor says whose it is ("India's Ministry of Commerce").
    sides: tuple[str, ...] = ()


def _analyzer(text: str) -> list[str]:
    # Negations carry no topic: "do not know" is not close to "not connected".
    return [tx.stem(t) for t in tx.content_tokens(text) if t not in tx.NEGATIONS]


def answer_terms(answer: Answer) -> list[str]:
    """:func:`_analyzer` of the whole answer text, in another order (as a TF-IDF vector
    reads it, a bag): the sentences' tokens, already made, and the words between them
    (bullet marks, pieces without a letter). Sentences break at spaces and punctuation, so
    no word straddles a break.

    >>> a = prepare("1. The MoU helps MSMEs.\\n2. Korea invests $5 bn.")
    >>> sorted(answer_terms(a)) == sorted(_analyzer(a.text))
    True
    """
    # The sentences' tokens come with their stems already made.
    pairs = [p for toks, seq in zip(answer.tokens, answer.sequence, strict=True)
             for p in zip(toks, seq, strict=True)]
    text = answer.text
    at = 0
    between: list[str] = []
    for s in answer.sentences:
        if s.start > at and not text[at : s.start].isspace():
            between += tx.words(text[at : s.start])
        at = s.end
    if at < len(text) and not text[at:].isspace():
        between += tx.words(text[at:])
    pairs += [(t, tx.stem(t)) for t in between]
    sw = tx.stop_words()
    return [
        st
        for t, st in pairs
        if t not in sw and (len(t) > 1 or t.isdigit() or t in "%$₹") and t not in tx.NEGATIONS
    ]


def _analysed(tokens: Sequence[str]) -> list[str]:
    """:func:`_analyzer` of a text from its :func:`evaluator.text.words` (no re-tokenising)."""
    sw = tx.stop_words()
    return [
        tx.stem(t)
        for t in tokens
        if t not in sw and (len(t) > 1 or t.isdigit() or t in "%$₹") and t not in tx.NEGATIONS
    ]


def compile_rubric(rubric: Rubric, *, settings: MatcherSettings | None = None) -> CompiledRubric:
    settings = settings or MatcherSettings()
    compiled = []
    docs = []
    question = set(tx.content_stems(rubric.question))
    topic = frozenset(tx.content_stems(rubric.title))
    table = rubric.alias_table()
    lexicon = settings.uses_lexicon
    all_groups = [
        tuple(
            g
            for g in (
                tuple(_alt(a, lexicon=lexicon, degrees=settings.degrees) for a in g)
                for g in p.must
            )
            if g
        )
        for p in rubric.points
    ]
    rarity = _rarity(all_groups)
    short = _short_names(rubric)
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
        fact = _compile_fact(p, table, rubric.title, short) if p.kind == "fact" else None
        implied = tuple(
            gi for gi, g in enumerate(groups)
            if p.kind == "claim" and all(a.stems and set(a.stems) <= topic for a in g)
        )
        compiled.append(
            _CompiledPoint(p, groups, weights, any(_is_negation(g) for g in groups), fact,
                           implied)
        )
        docs.append(_point_doc(p))
    fit_docs = docs + [p.source.sentence for p in rubric.points if p.source] or ["empty"]
    space = vec.Space.fit([_analyzer(d) for d in fit_docs])
    if question and settings.question_term != 1.0:
        space = space.scaled(question, settings.question_term)
    vectors = tuple(space.vector(_analyzer(d)) for d in docs) if docs else None
    facts = [cp.fact for cp in compiled if cp.fact is not None]
    return CompiledRubric(
        rubric,
        settings,
        tuple(compiled),
        space,
        vectors,
        vec.Index(vectors or ()),
        rubric.hash(),
        misconceptions=tuple(_compile_misconception(m, rubric) for m in rubric.misconceptions
                             if m.subject and m.wrong),
        known_years=frozenset(y for f in facts for y in f.years),
        known_figures=frozenset((n, s) for f in facts for n, s, _ in f.figures),
        actor_stems=tuple(
            frozenset(a.stems) for f in facts if f.kind == "actor"
            for alts in f.alternatives for a in alts
        ),
        sides=_sides(rubric),
    )


def _sides(rubric: Rubric) -> tuple[str, ...]:
    names = {p.qualifier for p in rubric.points if p.qualifier}
    names |= {s for m in rubric.misconceptions for s in m.subject if _is_side_name(s, rubric)}
    return tuple(sorted({tx.stem(n.lower().split()[-1])[:4] for n in names if len(n) >= 4}))


def _is_side_name(name: str, rubric: Rubric) -> bool:
    """A side is a name the facts use as a qualifier, or its adjective ("Korean")."""
    quals = {p.qualifier.lower()[:4] for p in rubric.points if p.qualifier}
    return name.lower()[:4] in quals


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
    return " ".join([p.label, p.text, *(a for g in p.must for a in g), p.anchor, *p.value])


# Words that name who signs or leads: a student writes "signed by" for "counterpart".
_ROLE_STEMS = {
    "signatory": ("sign", "signatori", "counterpart", "signer"),
    "nodal body": ("nodal", "administ", "lead"),
    "member": ("member", "includ", "compris", "consist", "agenc", "bodi", "such", "like"),
    # An occasion is said without a word for it ("signed during the President's visit").
    "occasion": (),
    "run by": ("run", "administ", "implement", "manag", "under", "oversee", "nodal"),
}


# Whole words: "consistently" and "a body that sets policy" do not speak of members.
_MEMBER_WORDS = frozenset({"member", "members", "membership", "agency", "agencies", "bodies",
                           "comprise", "comprises", "comprising", "consists", "consisting"})
# Words that put a list in its setting ("cooperation in", "sectors", "areas"): three common
# words alone ("ports, steel mills and sustainability goals") are not the list.
_LIST_CUES = ("cooper", "collabor", "sector", "area", "partner", "focus", "field", "industri",
              "domain", "mou", "agreement")


def _is_kind(anchor: str) -> bool:
    """"Institutional mechanism", "sectors": a kind of thing, not a name ("Ministry of MSME")."""
    words = anchor.split()
    return bool(words) and not any(w[:1].isupper() for w in words[1:]) and (
        len(words) > 1 or words[0].islower())


# Heads by which an answer names a body it has named once, or that the rubric names alone:
# "the Forum" for the MSME-Industry International Cooperation Forum.
_SHORT_HEADS = frozenset({"forum", "board", "commission", "corporation", "agency", "council",
                          "committee", "alliance", "dialogue", "authority"})


def _short_names(rubric: Rubric) -> frozenset[str]:
    """The names of the rubric's anchors that their head alone names: a head of
    :data:`_SHORT_HEADS` that no other anchor or value of the rubric ends with."""
    names = {
        n for p in rubric.points if p.kind == "fact"
        for n in (p.anchor, *p.value) if len(n.split()) >= 2
    }
    heads: dict[str, set[str]] = {}
    for n in names:
        last = n.split()[-1]
        if last[:1].isupper() and last.lower() in _SHORT_HEADS:
            heads.setdefault(last.lower(), set()).add(n.lower())
    return frozenset(n for group in heads.values() if len(group) == 1 for n in group)


def _spellings(
    name: str, table: dict[str, tuple[str, ...]], short: frozenset[str] = frozenset()
) -> tuple[_Alt, ...]:
    group = table.get(name.lower(), (name,))
    forms = list(dict.fromkeys([name, *group]))
    if name.lower() in short:
        forms.append(name.split()[-1])
    # "Special Strategic Partnership" is also written "SSP" by students.
    for form in list(forms):
        words = form.split()
        if len(words) >= 3 and all(w[:1].isupper() for w in words):
            initials = "".join(w[0] for w in words)
            if initials.lower() not in table:
                forms.append(initials)
        # "Special Strategic Partners since 2015": the partnership said by its partners.
        if len(words) >= 2 and words[-1].lower() == "partnership":
            forms.append(" ".join([*words[:-1], words[-1][: -len("ship")]]))
    alts = [_alt(a) for a in forms]
    return tuple(a for a in alts if a.stems)


# Kind nouns a student uses for one another: "a trade deal" is "a trade pact" (kinds said in
# other words, descriptions).
_HEAD_FAMILIES = (frozenset({"agreement", "pact", "deal", "accord"}),)
_RANK_WORDS = frozenset({"top", "highest", "topmost", "uppermost", "apex"})
_RANK_STEMS = frozenset(tx.stem(w) for w in _RANK_WORDS)
_TIER_WORDS = frozenset({"tier", "level", "rung", "category", "rank"})
# "free-trade-style agreement": the hedge says "like one"; a student writes the kind itself.
_HEDGE = re.compile(r"[-\s](?:style|type|like|kind)\b", re.IGNORECASE)


def _term_forms(value: str) -> tuple[_Alt, ...]:
    """Other ways to write a kind: without its hedge ("free-trade agreement"), by its
    initials when it has three to five words ("FTA"), and with a head of the same family
    ("free-trade deal").

    >>> [" ".join(a.tokens) for a in _term_forms("free-trade-style agreement")]
    ['free trade agreement', 'fta', 'free trade accord', 'free trade deal', 'free trade pact']
    """
    core = _HEDGE.sub("", value)
    forms = [core] if core != value else []
    words = re.split(r"[\s-]+", core.strip())
    if 3 <= len(words) <= 5 and all(w.isalpha() for w in words):
        forms.append("".join(w[0] for w in words).upper())
    head = words[-1].lower()
    for family in _HEAD_FAMILIES:
        if head in family and len(words) >= 2:
            forms.extend(" ".join([*words[:-1], h]) for h in sorted(family - {head}))
    # "the top tier" is "the highest tier", "the top level": a rank said in other words.
    if len(words) == 2 and words[0].lower() in _RANK_WORDS:
        forms.extend(f"{r} {n}" for r in sorted(_RANK_WORDS) for n in sorted(
            _TIER_WORDS if words[1].lower() in _TIER_WORDS else {words[1]})
            if (r, n) != (words[0].lower(), words[1].lower()))
    return tuple(a for a in (_alt(f) for f in forms) if a.stems)


# Ways to say one dated event: in force is "in effect", "operational".
_EVENT_FAMILIES = {"forc": ("forc", "effect", "oper")}
_MONTH_STEMS = frozenset(tx.stem(m) for m in (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"))


def _compile_fact(
    p: Point, table: dict[str, tuple[str, ...]], title: str = "",
    short: frozenset[str] = frozenset(),
) -> _Fact:
    anchor = p.anchor
    role_words: tuple[str, ...] = ()
    if p.value_kind == "term" and anchor.lower().endswith(" classification"):
        # "MSME classification": a student writes "MSMEs are defined by ...".
        anchor = anchor[: -len(" classification")]
        role_words = ("defin", "classif", "criteri", "basi")
    # "Imports from South Korea": the title's words (the two countries) are every point's
    # context; what a figure measures is the rest ("Imports").
    core = anchor
    if p.value_kind == "figure":
        context = set(tx.content_stems(title))
        core = " ".join(
            w for w in re.split(r"[\s\-–]+", anchor)
            if tx.stem(w.lower()) not in context and w.lower() not in ("from", "to", "of", "with")
        )
    anchors = _spellings(" ".join(core.split()) or anchor, table, short)
    years: set[int] = set()
    months: set[int] = set()
    dates: set[tuple[int, int, int | None]] = set()
    figures: list[tuple[float, str, int | None]] = []
    alternatives: list[tuple[_Alt, ...]] = []
    derived: set[tuple[str, ...]] = set()
    if p.value_kind in ("year", "date"):
        for v in p.value:
            for val in sentence_values(v):
                if val.kind == "year":
                    years.add(int(val.number))
                    if val.month:
                        months.add(val.month)
                        dates.add((int(val.number), val.month, val.day))
    elif p.value_kind == "figure":
        for v in p.value:
            for val in sentence_values(v):
                if val.kind == "figure":
                    figures.append((val.number, val.scale, val.year))
                    break
    elif p.value_kind == "term":
        written = [(_spellings(v, table), _term_forms(v)) for v in p.value]
        alternatives = [own + other for own, other in written]
        derived = {a.stems for _, other in written for a in other} - {
            a.stems for own, _ in written for a in own}
    else:
        alternatives = [_spellings(v, table) for v in p.value]
    role = tuple(st for w in (p.role,) if w for st in _ROLE_STEMS.get(w, (tx.stem(w),)))
    role += role_words
    event: frozenset[str] = frozenset()
    if years and "—" in p.label:
        said = p.label.split("—", 1)[1]
        for v in p.value:
            said = said.replace(v, " ")
        event = frozenset(
            st for t in tx.content_stems(said) if not tx.is_number(t)
            for st in _EVENT_FAMILIES.get(t, (t,))
        ) - _MONTH_STEMS
    need = min(len(alternatives), 2 if len(alternatives) <= 3 else 3)
    return _Fact(
        anchors, p.value_kind, frozenset(years), frozenset(months), tuple(figures),
        tuple(alternatives), role, p.qualifier.lower(), max(1, need), frozenset(dates),
        frozenset(derived), event, _visit_of(p),
    )


# Titles a visitor goes by: "the Korean Prime Minister's visit" is another visit than the
# President's.
_TITLES = frozenset({"president", "prime", "minister", "pm", "premier", "chancellor", "king",
                     "queen", "secretary", "ambassador", "speaker", "vice", "foreign"})
# The visitor is a run of capitalised words ("the Korean Prime Minister", "PM Modi").
_VISITOR = re.compile(
    r"(?P<who>(?:\b(?:[A-Z][\w.-]*|the)\s+){0,3}?[A-Z][\w.-]*)['’]s\s+(?:[\w-]+\s+){0,2}?"
    r"[Vv]isit(?:s|ed)?\b"
    r"|\b[Ww]hen\s+(?:the\s+)?(?P<by>(?:[A-Z][\w.-]*\s+){0,3}?[A-Z][\w.-]*)\s+visited\b"
)


def _visitor(who: str) -> tuple[frozenset[str], str]:
    words = [w.lower().strip(".") for w in who.split()]
    side = next((w for w in words if w not in _TITLES and w not in ("the", "a", "an")), "")
    return frozenset(w for w in words if w in _TITLES), tx.stem(side)[:4] if side else ""


def _visit_of(p: Point) -> tuple[frozenset[str], str] | None:
    if p.role != "occasion" or not p.value:
        return None
    m = _VISITOR.search(p.value[0])
    if m is None:
        return None
    titles, side = _visitor(m.group("who") or m.group("by"))
    return (titles, side) if titles else None


def _other_visit(f: _Fact, compiled: CompiledRubric, answer: Answer, si: int) -> str | None:
    """Another visit where this fact's occasion should be: another visitor's title ("the
    Korean Prime Minister's visit" for the President's) or another side's ("the Indian
    President's visit to Seoul")."""
    if f.visit is None:
        return None
    titles, side = f.visit
    other = None
    text = answer.sentences[si].text
    if "isit" not in text:
        return None
    for m in _VISITOR.finditer(text):
        theirs, their_side = _visitor(m.group("who") or m.group("by"))
        if (theirs and theirs != titles) or (
            side and their_side in compiled.sides and their_side != side
        ):
            other = other or m.group(0)
        elif theirs:
            return None  # the fact's own visit is said too ("after the PM's visit last year")
    return other


def _compile_misconception(m: Misconception, rubric: Rubric) -> _Misconception:
    table = rubric.alias_table()
    subject = tuple(a for s in m.subject for a in _spellings(s, table))
    # Words that also name a right value ("Ministry" of SMEs and Startups) cannot signal
    # the wrong one; with a cue, any other word of the wrong term does.
    right = {st for p in rubric.points for v in p.value for st in _alt(v).stems}
    wrong: list[_Alt] = []
    for w in m.wrong:
        a = _alt(w)
        if m.cue and len(a.stems) > 1:
            for st, tok in zip(a.stems, a.tokens, strict=True):
                if st not in right:
                    wrong.append(_Alt((st,), (tok,), False))
        elif a.stems:
            wrong.append(a)
    cue = frozenset(tx.stem(c) for c in m.cue)
    return _Misconception(m, subject, tuple(dict.fromkeys(wrong)), cue)


def _alt(alternative: str, *, lexicon: bool = False, degrees: bool = False) -> _Alt:
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
    der = tuple(
        none if t in tx.NEGATIONS
        else lx.derived(st) | lx.degrees(st) if degrees
        else lx.derived(st)
        for st, t in pairs
    )
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
    # What an incomplete fact lacks ("when it came into force: 1 January 2010").
    lacking: str | None = None


@dataclass(frozen=True)
class MisconceptionMatch:
    """A misconception the answer asserts (``asserted``) or correctly denies."""

    misconception: Misconception
    asserted: bool
    evidence: tx.Span
    term: str = ""  # the false term, in the answer's words ("free trade agreement")


def match(compiled: CompiledRubric, answer: Answer) -> list[PointMatch]:
    """Match every point of ``compiled`` against ``answer`` (in rubric order)."""
    s = compiled.settings
    n = len(answer.sentences)
    if n == 0 or not compiled.points:
        return [PointMatch(cp.point, "missing", 0.0, None) for cp in compiled.points]
    sims = _similarities(compiled, answer)
    anchors = _anchor_hits(compiled, answer)
    typos = _typos(compiled, answer)
    touched = _touched_groups(compiled, answer, typos)
    results = []
    for pi, cp in enumerate(compiled.points):
        if cp.fact is not None:
            results.append(_match_fact(pi, cp, compiled, answer, anchors))
            continue
        rows: list[tuple[_Row, dict[int, float]] | None] = [None] * len(cp.groups)
        result = _match_point(cp, answer, sims[pi], typos, _touched_of(touched, pi, cp), s, rows)
        founded = _founded(cp, rows) if s.near > 0 and result.status != "covered" else None
        if founded:
            # Words, stems and the lexicon leave it short: near words may make it up. The
            # table is looked up here, never for a point already covered. Only the groups
            # with a near word in the answer are looked for again.
            ncp = _near_point(compiled, pi)
            # A dict view tested against a set walks the smaller of the two (the near
            # words), where a set tested against a dict would walk the answer's stems.
            present = _stem_index(answer).keys()
            redo = [
                gi for gi, near in enumerate(_near_stems(compiled, pi))
                if not present.isdisjoint(near)
            ]
            before = list(rows)
            for gi in redo:
                row = _group_row(ncp.groups[gi], answer, typos, s)
                rows[gi] = (row, _with_neighbours(row, s.neighbour) if row else _NO_FINDS)
            # Only the sentences where a group now scores otherwise can do better.
            changed = {
                si
                for gi in redo
                for new, old in [(rows[gi][1], before[gi][1])]  # type: ignore[index]
                for si in new
                if new[si] != old.get(si)
            }
            if founded is not _EVERY:
                changed &= founded
            if changed:
                again = _match_point(ncp, answer, sims[pi], typos, redo, s, rows, changed)
                if again.strength > result.strength:
                    result = again
        if result.status != "missing" and result.evidence is not None:
            slip = _claim_slip(compiled, pi, answer.sentences.index(result.evidence), answer)
            if slip is not None:
                result = PointMatch(cp.point, "wrong", 0.0, result.evidence, slip)
        results.append(result)
    return results


# A claim's checkable details: who did it (a named body as its subject), the how-manyth
# ("a historic first") and in whose favour. A sentence that makes the claim with another of
# these makes it wrong ("FICCI signed an MoU with the Busan Chamber", "the fifth edition").
_BODY_HEADS = (
    "Chamber|Ministry|Department|Council|Commission|Board|Agency|Corporation|Federation|"
    "Confederation|Association|Bank|Authority|Institute|Organisation|Organization"
)
_BODY = re.compile(
    r"\b(?:[A-Z][\w&.'’-]*\s+){0,5}(?:" + _BODY_HEADS + r")\b"
    # "of Commerce and Industry", not "... and Industry and an Indian body".
    r"(?:\s+(?:of|for)\s+[A-Z][\w&-]*(?:\s+(?:(?:and|&)\s+)?[A-Z][\w&-]*)*)?"
)
_ACRONYM = re.compile(r"(?<![\w-])[A-Z][A-Z&]{2,}(?![\w-])")
_CLAIM_VERB = re.compile(
    r"\b(?:has|have|had|was|were|is|are|signed|established|set|launched|conducted|created|"
    r"announced|recently|will|held|inked|agreed|decided)\b"
)
_GENERIC_NAME_WORDS = frozenset(
    {"the", "of", "for", "and", "&", "commerce", "industry", "industries", "india", "indian",
     *(h.lower() for h in _BODY_HEADS.split("|"))}
)
_ORDINALS = {
    w: i + 1 for i, w in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
         "tenth"))
} | {"maiden": 1, "inaugural": 1}
# "a historic first", "the first-ever", "their fifth edition", "2nd": an ordinal of a thing,
# not "first gave", "the algorithm first compares", a list's "Second, ..." or a rank ("the
# second-largest", "the 2nd largest port").
_ORDINAL = re.compile(
    r"\b(?:a|an|the|its|their|this|historic|ever)\s+(?:(?:historic|very|truly|landmark)\s+)?"
    r"(?P<o>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|maiden|"
    r"inaugural|\d{1,2}(?:st|nd|rd|th))\b(?![-\s]+(?:\w+est|most|least)\b)",
    re.IGNORECASE,
)
# What an ordinal may number besides the claim's own thing: "the fifth edition", "for the
# second time", "the second such drill", "a first of its kind".
_OCCURRENCE = frozenset(tx.stem(w) for w in (
    "edition", "time", "times", "such", "ever", "round", "iteration", "instance", "occasion",
    "kind",
))
_FAVOUR = re.compile(
    r"\b(?:(?P<a>[A-Z][a-z]+)['’]s\s+favou?r|"
    r"favou?r\s+of\s+(?:the\s+)?(?P<b>[A-Z][a-z]+(?:\s+(?:of\s+)?[A-Z][a-z]+)*)|"
    r"favou?rs\s+(?:the\s+)?(?P<c>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*))"
)


@dataclass(frozen=True)
class _Slots:
    actor: str  # the claim's subject, a named body ("" for none)
    actor_words: frozenset[str]  # its distinctive words and acronym, lower case
    ordinal: int
    favour: str
    must: frozenset[str]  # the stems of the claim's words


def _ordinal_of(text: str) -> int:
    m = _ORDINAL.search(text)
    if m is None:
        return 0
    o = m.group("o").lower()
    return _ORDINALS.get(o) or int(re.sub(r"\D", "", o) or 0)


def _slots(compiled: CompiledRubric, pi: int) -> _Slots:
    cache: dict[int, _Slots] = compiled._cache.setdefault("claim slots", {})
    got = cache.get(pi)
    if got is not None:
        return got
    p = compiled.points[pi].point
    label = (p.label or p.text).rstrip(" …")
    verb = _CLAIM_VERB.search(label)
    body = _BODY.search(label[: verb.start()]) if verb else None
    actor, words = "", frozenset[str]()
    if body is not None:
        actor = re.sub(r"^(?:The|An|A)\s+", "", body.group(0)).strip()
        words = frozenset(w.lower() for w in re.findall(r"[\w&]+", actor)) - _GENERIC_NAME_WORDS
        said = re.search(re.escape(actor) + r"\s*\((?P<a>[A-Z][A-Za-z&]{2,})\)", p.text)
        if said:
            words |= {said.group("a").lower()}
        # Its initials are its name too: ISRO for the Indian Space Research Organisation.
        initials = "".join(w if w.isupper() else w[0] for w in actor.split() if w[:1].isupper())
        if len(initials) >= 3:
            words |= {initials.lower()}
    fav = _FAVOUR.search(p.text)
    # "places it in the first position, then ... the second": a sequence, not a how-manyth.
    ordinals = {_ordinal_of(m.group(0)) for m in _ORDINAL.finditer(p.text)}
    must = frozenset(tx.stem(w) for g in p.must for a in g for w in a.split())
    got = cache[pi] = _Slots(
        actor, words, ordinals.pop() if len(ordinals) == 1 else 0,
        (fav.group("a") or fav.group("b") or fav.group("c")) if fav else "", must,
    )
    return got


def _rubric_names(compiled: CompiledRubric) -> tuple[frozenset[str], frozenset[str]]:
    """Every name the rubric knows, lower case (its aliases, the acronyms and bodies its
    points name), and its capitalised words by their first five letters (the sides a claim
    may favour); worked out once per rubric."""
    got: tuple[frozenset[str], frozenset[str]] | None = compiled._cache.get("rubric names")
    if got is None:
        known = {n.lower() for k, vs in compiled.rubric.alias_table().items() for n in (k, *vs)}
        for q in compiled.points:
            for t in (q.point.text, q.point.label):
                known |= {m.group(0).lower() for m in _ACRONYM.finditer(t)}
                known |= {m.group(0).removeprefix("The ").lower() for m in _BODY.finditer(t)}
        sides = frozenset(
            w[:5].lower() for q in compiled.points
            for w in re.findall(r"\b[A-Z][a-z]+", q.point.text)
        )
        got = compiled._cache["rubric names"] = (frozenset(known), sides)
    return got


def _numbers_claim(text: str, m: re.Match[str], must: frozenset[str]) -> bool:
    """Whether the ordinal ``m`` numbers the claim's thing: one of its words, or a word of
    occurrence ("edition", "such"), within three words after it, or nothing ("their first;").
    "The third pillar", "the 21st century" number other things."""
    after = re.findall(r"[\w-]+|[^\w\s]", text[m.end():])[:3]
    if not after or not after[0][0].isalnum():
        return True
    return any(tx.stem(w.lower()) in must | _OCCURRENCE for w in after if w[0].isalnum())


def _same_side(name: str, side: str) -> bool:
    """"South Korea", "the Korean side", "Republic of Korea" are Korea's side."""
    return any(w[:5].lower() == side[:5].lower() for w in name.split())


def _claim_slip(compiled: CompiledRubric, pi: int, si: int, answer: Answer) -> str | None:
    """Another body, ordinal or side where the claim that sentence ``si`` makes has its own:
    the wrong detail as written, else None."""
    slots = _slots(compiled, pi)
    if not (slots.actor or slots.ordinal or slots.favour):
        return None
    text = answer.sentences[si].text
    if slots.ordinal:
        found = [m for m in _ORDINAL.finditer(text) if _numbers_claim(text, m, slots.must)]
        if found and slots.ordinal not in [_ordinal_of(m.group(0)) for m in found]:
            return found[0].group("o")
    if slots.favour:
        # A side the rubric names ("Seoul" may be Korea's), unless the sentence gives the
        # claim's own side too ("favours Korea, and the upgrade is in India's favour").
        said = [m.group("a") or m.group("b") or m.group("c") for m in _FAVOUR.finditer(text)]
        _, rubric_sides = _rubric_names(compiled)
        sides = [
            side for side in said
            if not _same_side(side, slots.favour)
            and any(w[:5].lower() in rubric_sides for w in side.split())
        ]
        if any(_same_side(side, slots.favour) for side in said):
            sides = []
        if sides:
            return f"in {sides[0]}'s favour"
    if slots.actor:
        words = {w.lower() for w in re.findall(r"[\w&]+", text)}
        if slots.actor_words & words:
            return None
        # The claim's subject: in the part of the sentence that makes it, before its verb
        # or after "by", "between" ("the Exim Bank may fund projects" is another matter).
        part = max(re.split(r"[;:]", text), key=lambda c: len(
            {tx.stem(w.lower()) for w in re.findall(r"\w+", c)} & slots.must))
        verb = _CLAIM_VERB.search(part)
        known, _ = _rubric_names(compiled)
        for m in (*_ACRONYM.finditer(part), *_BODY.finditer(part)):
            if verb is not None and m.start() > verb.start() and not re.search(
                    r"\b(?:by|between)\s+(?:the\s+)?$", part[: m.start()]):
                continue
            name = re.sub(r"^(?:The|An|A)\s+", "", m.group(0)).strip()
            # A bare "Ministry" or "Industry Chamber" is no name; "Confederation of Indian
            # Industry" is.
            if name.lower() not in known and (
                    m.re is _ACRONYM or sum(w[:1].isupper() for w in name.split()) >= 2):
                return name
    return None


# Every sentence may be read again with near words (a point that is not a claim).
_EVERY: frozenset[int] = frozenset({-1})


def _founded(
    cp: _CompiledPoint, rows: Sequence[tuple[_Row, dict[int, float]] | None]
) -> frozenset[int]:
    """The sentences where near words may add to point ``cp``: for a claim, those that say
    ``NEAR_FOUNDED`` of its key words by themselves (a word, its derived form or a typo 1, a
    synonym 1/2), for near words complete a claim, they never make one up; for any other
    point, every sentence (``_EVERY``)."""
    if cp.point.kind != "claim":
        return _EVERY
    table = [r[0] if r is not None else _NO_ROW for r in rows]
    return frozenset(
        si for si, (hits, _) in _claim_terms(cp.weights, table).items()
        if sum(hits) >= NEAR_FOUNDED
    )


def _touched_of(touched: set[tuple[int, int]], pi: int, cp: _CompiledPoint) -> set[int]:
    """The groups of point ``pi`` that the answer touches."""
    return {gi for gi in range(len(cp.groups)) if (pi, gi) in touched}


def _near_stems(compiled: CompiledRubric, pi: int) -> tuple[frozenset[str], ...]:
    """Per group of point ``pi``, every near word of its words (see :func:`_near_point`)."""
    cache: dict[int, tuple[frozenset[str], ...]] = compiled._cache.setdefault("near_stems", {})
    hit = cache.get(pi)
    if hit is None:
        groups = _near_point(compiled, pi).groups
        hit = tuple(frozenset(st for a in g for near in a.near for st in near) for g in groups)
        cache[pi] = hit
    return hit


def _near_point(compiled: CompiledRubric, pi: int) -> _CompiledPoint:
    """Point ``pi`` with each word's near words (by vector) added; the point itself when
    none of its words has one. Built on first need and kept with the compiled rubric.

    A near word stands for one word of a claim only: one near to two of its words
    ("companies" to "supplier" and "manufacturer", "technology" to "research",
    "development" and "tech") or that is itself one of its words ("ship" for
    "shipbuilding" beside "ships") is left out, so one word of the answer never counts
    twice towards a claim. A claim's key term of several words ("Korean Industrial
    Township", "electric vehicles") is a name or a set phrase: near words stand in for
    single key words only."""
    cache: dict[int, _CompiledPoint] = compiled._cache.setdefault("near_points", {})
    hit = cache.get(pi)
    if hit is not None:
        return hit
    from evaluator import embeddings

    s = compiled.settings
    cp = compiled.points[pi]
    own = {st for g in cp.groups for a in g for st in a.stems}
    claim = cp.point.kind == "claim"
    found_of: dict[tuple[int, int], tuple[frozenset[str], ...]] = {}
    stands_for: dict[str, set[str]] = {}
    for gi, g in enumerate(cp.groups):
        for ai, a in enumerate(g):
            if a.numeric or not a.stems or (claim and len(a.stems) > 1):
                continue
            near = tuple(
                frozenset() if t in tx.NEGATIONS else found - {st} - syn - der
                for st, t, found, syn, der in zip(
                    a.stems, a.tokens, embeddings.near(a.stems, s.near_cosine),
                    a.synonyms or (frozenset(),) * len(a.stems),
                    a.derived or (frozenset(),) * len(a.stems),
                    strict=True,
                )
            )
            found_of[gi, ai] = near
            for st, others in zip(a.stems, near, strict=True):
                for other in others:
                    stands_for.setdefault(other, set()).add(st)
    # Claims only: on the content rubrics of the agreement data the rule moved Mohler r
    # by -0.001 and SciEntsBank and Beetle AUC by +0.001 (docs/decisions.md).
    shared = frozenset(
        o for o, sts in stands_for.items() if len(sts) > 1 or o in own
    ) if cp.point.kind == "claim" else frozenset()
    groups = []
    for gi, g in enumerate(cp.groups):
        alts = []
        for ai, a in enumerate(g):
            near = tuple(n - shared for n in found_of.get((gi, ai), ()))
            alts.append(replace(a, near=near) if any(near) else a)
        groups.append(tuple(alts))
    changed = any(a.near for g in groups for a in g)
    out = replace(cp, groups=tuple(groups)) if changed else cp
    cache[pi] = out
    return out


def _match_point(
    cp: _CompiledPoint,
    answer: Answer,
    point_sims: dict[int, float],
    typos: dict[str, set[int]],
    touched: Iterable[int],
    s: MatcherSettings,
    rows: list[tuple[_Row, dict[int, float]] | None],
    only: set[int] | None = None,
) -> PointMatch:
    """Match one claim or content point: its best sentence, strength and status.

    ``touched``: the groups the answer has a word, relative or typo of (others score 0).
    ``rows``: per group, its row and finds when already known (a group's ``None`` is
    filled in), so a second look with near words redoes only the groups they change;
    ``only``: the sentences worth a look (all when None).
    """
    n = len(answer.sentences)
    touched = set(touched)
    best: tuple[float, int, str | None] = (-1.0, 0, None)  # strength, sentence, conflict
    denied: tuple[float, int] = (-1.0, 0)  # the claim said whole, and reversed
    # Each group is scored once per sentence it can be found in (its row); elsewhere it
    # scores 0, so only sentences next to a find or sharing a term with the point can
    # do better than 0. Sentence 0 is always visited: it stands for all the others as
    # the first of equals.
    for gi, g in enumerate(cp.groups):
        if rows[gi] is None:
            row = _group_row(g, answer, typos, s) if gi in touched else _NO_ROW
            # A group's score in a sentence, or the discounted score of a neighbour's.
            rows[gi] = (row, _with_neighbours(row, s.neighbour) if row else _NO_FINDS)
    known = [r for r in rows if r is not None]
    table = [row for row, _ in known]
    found = [f for _, f in known]
    total_weight, numeric, claim = cp.shape
    # Lowering a strength never makes it the best, so a sentence that is not better
    # before the number and polarity checks is not checked (polarity <= 1 lowers); the
    # claim rule may raise a strength, so a claim's sentences are all checked.
    skip_low = s.polarity <= 1.0 and not claim
    # Per sentence, the non-zero terms of the weighted sum of group scores, in group
    # order: summing them gives the same float as summing every group's term (a zero
    # term changes no float sum), and costs what the finds cost.
    terms: dict[int, list[float]] = {}
    for w, f in zip(cp.weights, found, strict=True):
        for si, sc in f.items():
            terms.setdefault(si, []).append(w * sc)
    said_terms = _claim_terms(
        cp.weights, table, cp.implied, _referring(answer) if cp.implied else frozenset()
    ) if claim else {}
    # Without a negation in the answer no find is "only negated", so only a negative point
    # can be reversed.
    reversible = cp.negative or _negating(answer)
    near = set(terms).union(point_sims)
    near.add(0)
    if only is not None:
        near &= only
    for si in sorted(i for i in near if 0 <= i < n):
        if si not in terms:
            # Wording alone: no group found, so every number is missing (at most partial),
            # a claim is not said (under partial) and nothing is reversed.
            strength = s.similarity * min(1.0, point_sims.get(si, 0.0) / s.similarity_full)
            if numeric:
                strength = min(strength, s.covered - 0.01)
            elif claim:
                strength = min(strength, s.partial - 0.01)
            if strength > best[0] + 1e-12:
                best = (strength, si, None)
            continue
        lexical = sum(terms[si]) / total_weight if total_weight else 0.0
        sim = min(1.0, point_sims.get(si, 0.0) / s.similarity_full)
        strength = (1 - s.similarity) * lexical + s.similarity * sim
        if not numeric:
            if claim:
                strength = _claim_rule(strength, said_terms.get(si), total_weight, s)
            # Polarity only lowers a strength: a sentence not better already is not read.
            if s.polarity <= 1.0 and not strength > best[0] + 1e-12:
                continue
            if claim and strength >= s.covered and strength > denied[0] and _denies_claim(
                    cp, table, answer, si):
                denied = (strength, si)
                strength = min(strength * s.polarity, s.covered - 0.01)
            elif reversible and _reversed(cp, table, answer, si):
                # "is not binding" is not made by "is binding", nor "a gap" by "no gap".
                strength = min(strength * s.polarity, s.covered - 0.01)
            if strength > best[0] + 1e-12:
                best = (strength, si, None)
            continue
        if skip_low and not strength > best[0] + 1e-12:
            continue
        scores = [f.get(si, 0.0) for f in found]
        conflict = None
        missing_numbers = [
            g for g, sc in zip(cp.groups, scores, strict=True) if g[0].numeric and sc == 0.0
        ]
        if missing_numbers:
            # A number not given is not the fact: at most partial.
            strength = min(strength, s.covered - 0.01)
            words_ok = [sc for g, sc in zip(cp.groups, scores, strict=True) if not g[0].numeric]
            if words_ok and min(words_ok) >= 0.99:
                conflict = _conflicting_number(missing_numbers[0], _numbers(answer, si))
        elif claim:
            strength = _claim_rule(strength, said_terms.get(si), total_weight, s)
        if not missing_numbers and reversible and _reversed(cp, table, answer, si):
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
    if status != "covered" and denied[0] >= 0:
        # "India and Korea have never held a naval exercise": the claim, all its words, said
        # the other way round and not said the right way anywhere is a wrong statement.
        return PointMatch(cp.point, "wrong", 0.0, answer.sentences[denied[1]], OPPOSITE)
    if status == "missing":
        conflict = None
    evidence = answer.sentences[si] if status != "missing" else None
    return PointMatch(cp.point, status, strength, evidence, conflict)


# A sentence refers back to a subject said before when it names it by a pronoun ("It ties
# our small firms into global value chains") or has no subject of its own: a bullet's
# fragment ("New industrial ambition - joint investment in chips") or an instruction ("Use
# the channel to advance GVC integration"). One with an auxiliary and no pronoun ("The goal
# of integrating women into the workforce is far off") has a subject of its own, and the
# rubric's subject is not implied in it.
_REFERRING = frozenset({"it", "its", "they", "them", "their", "these", "those", "such", "this"})
_AUXILIARY = frozenset({"is", "are", "was", "were", "has", "have", "had", "will", "would",
                        "can", "could", "should", "may", "might", "must", "shall", "remains",
                        "remain", "does", "do", "did"})


def _referring(answer: Answer) -> frozenset[int]:
    """The sentences of ``answer`` that refer back to a subject said before them."""
    key = "referring"
    got = answer._index.get(key)
    if got is None:
        got = answer._index[key] = frozenset(
            si for si, toks in enumerate(answer.tokens)
            if _REFERRING.intersection(toks) or not _AUXILIARY.intersection(toks)
        )
    return cast(frozenset[int], got)


def _claim_terms(
    weights: Sequence[float], table: Sequence[_Row], implied: Sequence[int] = (),
    referring: frozenset[int] = frozenset(),
) -> dict[int, tuple[list[float], list[float]]]:
    """Per sentence, the claim's own words said there, in group order: each one's credit (a
    synonym, 0.5 credit, is half a word; the word, its derived form or a typo of it a whole
    one) and that credit times its weight. An ``implied`` group (the rubric's subject, said
    elsewhere in the answer) adds to what a ``referring`` sentence says ("It ties ..."),
    never to the count of words said."""
    out: dict[int, tuple[list[float], list[float]]] = {}
    elsewhere: list[tuple[int, float]] = []
    for gi, (w, row) in enumerate(zip(weights, table, strict=True)):
        if not w:
            continue
        best = 0.0
        for si, (sc, _) in row.items():
            best = max(best, sc)
            if sc >= 0.5:
                h = 1.0 if sc >= 0.85 else 0.5
                hits, said = out.setdefault(si, ([], []))
                hits.append(h)
                said.append(w * h)
        if gi in implied and best >= 0.85:
            elsewhere.append((gi, w))
    for gi, w in elsewhere:
        for si, (_, said) in out.items():
            if si in referring and si not in table[gi]:
                said.append(w)
    return out


def _claim_rule(
    strength: float,
    terms: tuple[list[float], list[float]] | None,
    total_weight: float,
    s: MatcherSettings,
) -> float:
    """A claim is made by saying it, never by one shared word: half of its words (at least
    two) in one sentence make it; two make it in part. Its own words count, in this sentence
    (a claim is not spread over two), weighted by how few of the rubric's points share them."""
    hits = sum(terms[0]) if terms else 0
    said = sum(terms[1]) / (total_weight or 1.0) if terms else 0.0
    if hits < 2 or said < CLAIM_COVERED / 2:
        return min(strength, s.partial - 0.01)
    if said >= CLAIM_COVERED:
        return max(strength, s.covered)
    return min(max(strength, s.partial), s.covered - 0.01)


def _is_negation(group: Sequence[_Alt]) -> bool:
    return all(alt.tokens and set(alt.tokens) <= tx.NEGATIONS for alt in group)


def _reversed(cp: _CompiledPoint, table: Sequence[_Row], answer: Answer, si: int) -> bool:
    """True when sentence ``si`` states the point with the opposite polarity."""
    found = [(w, row[si][1]) for w, row in zip(cp.weights, table, strict=True) if si in row]
    weight = sum(w for w, _ in found)
    if not weight:
        return False
    if cp.negative:
        return not answer.negative[si]
    if _negative_sense(cp.point.text):
        return False  # "they struggle to meet standards": "they cannot meet them" says it
    # At least half of what the sentence shares with the point sits inside a negation's
    # scope ("the terminals have no gap"); a stray "no doubt" before the subject is not.
    return 2 * sum(w for w, negated in found if negated) >= weight


# Claims whose sense is already negative ("they struggle with", "it lacks") are said with a
# "not" as often as against it ("they cannot meet quality standards"): reversing one lowers
# its credit, never makes it wrong.
_NEGATIVE_SENSE = frozenset(
    tx.stem(w)
    for w in (
        # Inability and absence, not the nouns of a problem: "there is no gap" does
        # reverse "there is a gap".
        "struggle", "lack", "fail", "failure", "limited", "difficult", "hard", "absence",
        "absent", "missing", "weak", "poor", "lag", "unable", "insufficient", "inadequate",
        "only", "rarely", "seldom", "hardly", "neither", "unlike",
    )
)


@lru_cache(maxsize=4096)
def _negative_sense(text: str) -> bool:
    return any(w in tx.NEGATIONS or tx.stem(w) in _NEGATIVE_SENSE for w in tx.words(text))


def _only_negated(seq: Sequence[str], scope: frozenset[int]) -> frozenset[str]:
    """The stems (``seq``: a sentence's, in order) met only inside a negation's ``scope``."""
    if not scope:
        return frozenset()
    inside = {st for i, st in enumerate(seq) if i in scope}
    outside = {st for i, st in enumerate(seq) if i not in scope}
    return frozenset(inside - outside)


# Words that make a "not" assert nothing: a condition or a question opened earlier in its
# clause ("if MSMEs were not ..."), a view reported or rejected earlier in the sentence ("it is
# a myth that ...", "critics claim that ...") or a comparison ("unlike"), and a word of denial
# the "not" governs ("cannot ignore", "did not hesitate to join": two negatives affirm).
_HYPOTHETICAL = frozenset({"if", "unless", "whether", "suppose", "supposing", "imagine"})
_REPORTED = frozenset(
    tx.stem(w)
    for w in (
        "say", "claim", "argue", "allege", "believe", "think", "feel", "suggest", "contend",
        "assume", "myth", "misconception", "misperception", "wrongly", "mistakenly",
        "falsely", "critics", "sceptics", "skeptics",
        # A comparison denies of one party what the claim grants another ("India's MSMEs,
        # unlike Korea's, do not have deep supplier integration").
        "unlike", "whereas", "compared",
    )
)
_DENYING = frozenset(
    tx.stem(w)
    for w in (
        "deny", "ignore", "overlook", "forget", "hesitate", "doubt", "dispute", "neglect",
        "refuse", "underestimate", "understate", "fail", "miss", "overstate", "exaggerate",
    )
)


def _asserted(answer: Answer, si: int, i: int) -> bool:
    """True when the negation at token ``i`` of sentence ``si`` is the writer's own denial:
    not in a question, a condition, a view reported or rejected, or a double negative."""
    if answer.sentences[si].text.rstrip().endswith("?"):
        return False
    toks = answer.tokens[si]
    clause = _clauses(answer, si)
    if any(tx.stem(t) in _REPORTED for t in toks[:i]):
        return False
    mine = [j for j in range(len(toks)) if j < len(clause) and i < len(clause)
            and clause[j] == clause[i]]
    if any(toks[j] in _HYPOTHETICAL for j in mine if j < i):
        return False
    after = [toks[j] for j in mine if i < j <= i + NEGATION_SCOPE]
    return not any(t in tx.NEGATIONS or tx.stem(t) in _DENYING for t in after)


def _denies_claim(cp: _CompiledPoint, table: Sequence[_Row], answer: Answer, si: int) -> bool:
    """True when sentence ``si`` says an affirmative claim the other way round: two thirds
    of what it shares with the claim inside a negation's scope ("have never held a bilateral
    naval exercise"), not a word or two ("a framework, not a free trade agreement").

    The scope here is the rest of the clause, up to NEGATION_SCOPE words: wider than the
    three words that lower a point's credit, which were fitted on the graded data sets."""
    if not answer.negative[si] or cp.negative or _negative_sense(cp.point.text):
        return False
    if not all(_asserted(answer, si, i) for i, t in enumerate(answer.tokens[si])
               if t in tx.NEGATIONS):
        return False
    key = ("clause negated", si)
    negated: frozenset[str] | None = answer._index.get(key)
    if negated is None:
        scope = tx.negated(
            answer.tokens[si], window=NEGATION_SCOPE,
            clauses=_clause_ids(answer.sentences[si].text),
        )
        negated = answer._index[key] = _only_negated(answer.sequence[si], scope)
    stems = answer.stems[si]
    weight = said = 0.0
    for w, g, row in zip(cp.weights, cp.groups, table, strict=True):
        # A group met by a synonym or a typo is not placed in the sentence: left out.
        present = {st for alt in g for st in alt.stems if st in stems} if si in row else ()
        if present:
            weight += w
            said += w if present <= negated else 0.0
    return weight > 0 and 3 * said >= 2 * weight


def _similarities(compiled: CompiledRubric, answer: Answer) -> list[dict[int, float]]:
    """Per point, TF-IDF cosine with each sentence it shares a term with (others are 0)."""
    out: list[dict[int, float]] = [{} for _ in compiled.points]
    if compiled.point_vectors is None:
        return out
    space = compiled.vectorizer
    dots = compiled.point_index.dots
    sw = tx.stop_words()
    vocabulary = space.vocabulary
    for si, (toks, seq) in enumerate(zip(answer.tokens, answer.sequence, strict=True)):
        # :func:`_analysed` of the sentence, from the stems the answer already has; a stem
        # outside the rubric's vocabulary weighs nothing, so that test comes first.
        terms = [
            st
            for t, st in zip(toks, seq, strict=True)
            if st in vocabulary
            and t not in sw and (len(t) > 1 or t.isdigit() or t in "%$₹") and t not in tx.NEGATIONS
        ]
        if not terms:
            continue  # a zero vector: no dot product
        for pi, value in dots(space.vector(terms)).items():
            out[pi][si] = value
    return out


# A group's score in each sentence where it is found at all: sentence -> (score, only negated).
_Row = dict[int, tuple[float, bool]]
_NONE = (0.0, False)
# Shared empty results for the groups an answer does not touch (never written to).
_NO_ROW: _Row = {}
_NO_FINDS: dict[int, float] = {}


def _group_row(
    group: Sequence[_Alt], answer: Answer, typos: dict[str, set[int]], settings: MatcherSettings
) -> _Row:
    """How well a group is found in each sentence (score in (0, 1], whether only negated).

    An alternative's score is the share of its words the sentence has: a word by stem (1),
    a small typo of it (``TYPO``), a derived form or a synonym (``settings.derived`` and
    ``settings.synonym``); a numeric alternative needs all its numbers. The group takes its
    best alternative, the first of equals. Sentences are found through the answer's index
    of stems and typos, so the cost follows the finds, not the answer length.
    """
    where = _stem_index(answer)
    negated = answer.negated
    # Which words a find rests on matters only where the sentence negates something: a
    # sentence with no negated stem is never "only negated" (most answers: none at all).
    track = _negating(answer)
    scored: list[tuple[dict[int, float], dict[int, list[str]]]] = []
    for alt, words in _alt_plans(group, settings):
        present: dict[int, list[str]] = {}
        if alt.numeric:
            # A number however the answer writes it: "0,0138" or "1.38%" for 0.013824.
            first, *rest = (_number_sentences(answer, st) for st in alt.stems)
            got = dict.fromkeys(set(first).intersection(*rest), 1.0)
            if track:
                for si in got:
                    present[si] = list(alt.stems)
        else:
            hits: dict[int, float] = {}
            for st, tok, relatives in words:
                exact = where.get(st, ())
                for si in exact:
                    hits[si] = hits.get(si, 0.0) + 1.0
                    if track:
                        present.setdefault(si, []).append(st)
                # Typos are only ever of words (the typo index holds no number).
                typo = typos.get(tok) if tok else None
                if not typo and not relatives:
                    continue
                done = set(exact)
                if typo:
                    for si in typo.difference(done):
                        hits[si] = hits.get(si, 0.0) + TYPO
                    done |= typo
                for rel, credit in relatives:
                    # The relatives the answer has: a set operation, not a lookup per relative.
                    shared = where.keys() & rel
                    if not shared:
                        continue
                    met = {si for st2 in shared for si in where[st2]}
                    for si in met - done:
                        hits[si] = hits.get(si, 0.0) + credit
                        if track:
                            present.setdefault(si, []).extend(rel & answer.stems[si])
                    done |= met
            n = len(alt.stems)
            got = {si: h / n for si, h in hits.items()}
        scored.append((got, present))
    row: _Row = {}
    if len(scored) == 1:
        got, present = scored[0]
        if not track:  # nothing negated in the answer: no find is "only negated"
            return {si: (got[si], False) for si in sorted(got) if got[si] > 0}
        for si in sorted(got):
            best = got[si]
            if best > 0:
                row[si] = (best, bool(track) and _all_negated(present.get(si), negated[si]))
        return row
    for si in sorted({si for got, _ in scored for si in got}):
        best = 0.0
        best_present: list[str] | None = None
        for got, present in scored:
            value = got.get(si, 0.0)
            if value > best:
                best, best_present = value, present.get(si)
            if best >= 1.0:
                break
        if best > 0:
            # The polarity of what the sentence says in its own words, relatives included.
            row[si] = (best, bool(track) and _all_negated(best_present, negated[si]))
    return row


def _all_negated(present: list[str] | None, negated: frozenset[str]) -> bool:
    """True when the words a find rests on are all met only negated (none: False)."""
    if not present or not negated:
        return False
    return all(st in negated for st in present)


def _negating(answer: Answer) -> bool:
    """True when some sentence of the answer has a stem met only negated."""
    got: bool | None = answer._index.get("negating")
    if got is None:
        got = answer._index["negating"] = any(answer.negated)
    return got


# Per word of an alternative: its stem, the token a typo may stand for ("" for a number, which
# has no typos), and its relatives with their credit (derived forms, synonyms, near words).
_WordPlan = tuple[str, str, tuple[tuple[frozenset[str], float], ...]]


def _alt_plans(
    group: Sequence[_Alt], settings: MatcherSettings
) -> list[tuple[_Alt, tuple[_WordPlan, ...]]]:
    """The alternatives of ``group`` with words (in order), each with its words' plan: what
    :func:`_group_row` looks up, worked out once per group and settings, not per answer."""
    key = (id(group), id(settings))
    got = _PLANS.get(key)
    if got is not None and got[0] is group and got[1] is settings:
        return got[2]
    plans = []
    for alt in group:
        if not alt.stems:
            continue
        words = []
        for i, (st, tok) in enumerate(zip(alt.stems, alt.tokens, strict=True)):
            relatives = tuple(
                (rel, credit)
                for rel, credit in (
                    (alt.derived[i] if alt.derived else None, settings.derived),
                    (alt.synonyms[i] if alt.synonyms else None, settings.synonym),
                    (alt.near[i] if alt.near else None, settings.near),
                )
                if rel and credit
            )
            words.append((st, "" if tx.is_number(tok) else tok, relatives))
        plans.append((alt, tuple(words)))
    if len(_PLANS) >= 4096:  # bounded: groups belong to compiled rubrics, which come and go
        _PLANS.clear()
    _PLANS[key] = (group, settings, plans)
    return plans


_PLANS: dict[tuple[int, int], tuple[Sequence[_Alt], MatcherSettings, list[Any]]] = {}


def _touched_groups(
    compiled: CompiledRubric, answer: Answer, typos: dict[str, set[int]]
) -> set[tuple[int, int]]:
    """(point, group) pairs with a word, a relative of one or a typo target in the answer."""
    index: dict[str, set[tuple[int, int]]] | None = compiled._cache.get("group_words")
    if index is None:
        s = compiled.settings
        index = {}
        for pi, cp in enumerate(compiled.points):
            for gi, g in enumerate(cp.groups):
                for alt in g:
                    words: set[str] = {*alt.stems, *alt.tokens}
                    if s.derived:
                        words.update(*alt.derived)
                    if s.synonym:
                        words.update(*alt.synonyms)
                    for word in words:
                        index.setdefault(word, set()).add((pi, gi))
        compiled._cache["group_words"] = index
    touched: set[tuple[int, int]] = set()
    # The rubric's words the answer has (a set intersection, not a lookup per answer word).
    for word in index.keys() & _stem_index(answer).keys():
        touched |= index[word]
    for word in index.keys() & typos.keys():
        touched |= index[word]
    numbers: list[str] | None = compiled._cache.get("group_numbers")
    if numbers is None:
        numbers = compiled._cache["group_numbers"] = sorted(w for w in index if tx.is_number(w))
    if numbers and _figures(answer):
        # Numbers the answer writes another way ("0,0138" for 0.013824, "ten" for 10).
        for word in numbers:
            if _number_sentences(answer, word):
                touched |= index[word]
    return touched


def _with_neighbours(row: _Row, neighbour: float) -> dict[int, float]:
    """Per sentence, the group's score there or ``neighbour`` x the best next to it, if > 0."""
    out: dict[int, float] = {}
    get = row.get
    # A row's sentences ascend (see :func:`_group_row`): their neighbours come in order too.
    around: list[int] = []
    last = -2
    for i in row:
        for j in (i - 1, i, i + 1):
            if j > last:
                around.append(j)
                last = j
    for si in around:
        # max(own, neighbour * max(left, right)) without the calls: ``max`` keeps the first
        # of equals, as these do, so every float is the same.
        own = get(si, _NONE)[0]
        left, right = get(si - 1, _NONE)[0], get(si + 1, _NONE)[0]
        near = neighbour * (right if right > left else left)
        score = near if near > own else own
        if score > 0:
            out[si] = score
    return out


def _stem_index(answer: Answer) -> dict[str, list[int]]:
    """Stem -> the sentences holding it (ascending), built once per answer."""
    where: dict[str, list[int]] | None = answer._index.get("stems")
    if where is None:
        where = {}
        get = where.get
        for si, stems in enumerate(answer.stems):
            for st in stems:
                sentences = get(st)
                if sentences is None:
                    where[st] = [si]
                else:
                    sentences.append(si)
        answer._index["stems"] = where
    return where


def _numbers(answer: Answer, si: int) -> frozenset[str]:
    numbers: list[frozenset[str]] | None = answer._index.get("numbers")
    if numbers is None:
        numbers = [frozenset(t for t in st if tx.is_number(t)) for st in answer.stems]
        answer._index["numbers"] = numbers
    return numbers[si]


def _figures(answer: Answer) -> dict[str, list[int]]:
    """Every number the answer states, however written, with the sentences stating it:
    in digits (canonical, so "0,0138" is 0.0138), in words ("ten" is 10), and a percentage
    as a fraction as well ("1.38%" is also 0.0138). Built once per answer."""
    got: dict[str, list[int]] | None = answer._index.get("figures")
    if got is None:
        got = {}
        for si, toks in enumerate(answer.tokens):
            said: list[str] = []
            for i, t in enumerate(toks):
                if tx.is_number(t):
                    said.append(tx.number_value(t))
                    if i + 1 < len(toks) and toks[i + 1] in _PERCENT:
                        said.append(_hundredth(said[-1]))
            text = answer.sentences[si].text
            if _NUMBER_WORD.search(text):
                for _, _, digits in tx.spelled_numbers(text):
                    said.append(_hundredth(digits[:-1]) if digits.endswith("%") else digits)
            for number in said:
                sentences = got.setdefault(number, [])
                if not sentences or sentences[-1] != si:
                    sentences.append(si)
        answer._index["figures"] = got
    return got


_PERCENT = frozenset({"%", "percent"})


def _hundredth(number: str) -> str:
    """``number`` / 100 in canonical form: "1.38" -> "0.0138"."""
    return tx.number_value(format(Decimal(number).scaleb(-2), "f"))


def _number_sentences(answer: Answer, number: str) -> list[int]:
    """The sentences stating ``number`` (a rubric's, canonical) in any way :func:`_figures`
    reads, or rounded as far as either side writes it (:func:`_same_number`)."""
    cache: dict[str, list[int]] = answer._index.setdefault("number_sentences", {})
    got = cache.get(number)
    if got is None:
        found = {si for said, where in _figures(answer).items()
                 if _same_number(number, said) for si in where}
        got = cache[number] = sorted(found)
    return got


@lru_cache(maxsize=16384)
def _same_number(want: str, said: str) -> bool:
    """True when two canonical numbers are one figure, the finer one rounded (half up) as far
    as the coarser one is written, which must keep two significant digits: "0.0138" and
    "0.014" are 0.013824 and "57" is 56.9512, but "0.01" and "1" are not 0.82.

    >>> _same_number("0.013824", "0.0138"), _same_number("57", "56.9512")
    (True, True)
    >>> _same_number("0.8208", "1"), _same_number("2", "2.4"), _same_number("56.95", "57.1")
    (False, False, False)
    """
    if want == said:
        return True
    try:
        a, b = Decimal(want), Decimal(said)
    except InvalidOperation:
        return False
    ea, eb = int(a.as_tuple().exponent), int(b.as_tuple().exponent)
    if ea == eb:
        return a == b
    fine, coarse = (a, b) if ea < eb else (b, a)
    if len(coarse.as_tuple().digits) < 2:
        return False
    return fine.quantize(Decimal(1).scaleb(max(ea, eb)), rounding=ROUND_HALF_UP) == coarse


def _typo_targets(compiled: CompiledRubric) -> dict[int, list[str]]:
    """Every rubric word a typo may stand for (five letters or more, not a number), by length:
    the words of point groups, fact anchors and values, misconception subjects and terms."""
    by_length: dict[int, list[str]] | None = compiled._cache.get("typo_targets")
    if by_length is None:
        alts: list[_Alt] = [a for cp in compiled.points for g in cp.groups for a in g]
        for cp in compiled.points:
            if cp.fact is not None:
                alts.extend(cp.fact.anchors)
                alts.extend(a for alternatives in cp.fact.alternatives for a in alternatives)
        for cm in compiled.misconceptions:
            alts.extend(cm.subject)
            alts.extend(cm.wrong)
        targets = {
            tok for a in alts for tok in a.tokens if len(tok) >= 5 and not tx.is_number(tok)
        }
        by_length = {}
        for tok in sorted(targets):
            by_length.setdefault(len(tok), []).append(tok)
        compiled._cache["typo_targets"] = by_length
    return by_length


def _typos(compiled: CompiledRubric, answer: Answer) -> dict[str, set[int]]:
    """Rubric word -> sentences holding a small misspelling of it (see :func:`_typo_of`).

    Which rubric words an answer word misspells is computed once per rubric and word and
    kept (bounded), so a batch compares each new word only; the answer's result is kept on
    the answer for this rubric.
    """
    key = ("typos", id(compiled))
    cached: tuple[CompiledRubric, dict[str, set[int]]] | None = answer._index.get(key)
    if cached is not None and cached[0] is compiled:
        return cached[1]
    from rapidfuzz import fuzz

    cutoff = compiled.settings.fuzzy
    by_length = _typo_targets(compiled)
    known: dict[str, tuple[str, ...]] = compiled._cache.setdefault("typo_words", {})
    if len(known) > 4_096:  # a batch meets new words for ever (4,096 hit as often as 16,384)
        known.clear()
    out: dict[str, set[int]] = {}
    for word, sentences in _word_sentences(answer).items():
        hit = known.get(word)
        if hit is None:
            n = len(word)
            hit = known[word] = tuple(
                tok
                for m in range(n - 2, n + 3)
                for tok in by_length.get(m, ())
                if fuzz.ratio(tok, word, score_cutoff=cutoff) >= cutoff
            )
        for tok in hit:
            out.setdefault(tok, set()).update(sentences)
    answer._index[key] = (compiled, out)
    return out


def _word_sentences(answer: Answer) -> dict[str, list[int]]:
    """Distinct answer words of four letters or more, each with the sentences it is in."""
    where: dict[str, list[int]] | None = answer._index.get("words")
    if where is None:
        where = {}
        get = where.get
        for si, toks in enumerate(answer.tokens):
            for t in toks:
                if len(t) >= 4:
                    sentences = get(t)
                    if sentences is None:
                        where[t] = [si]
                    elif sentences[-1] != si:
                        sentences.append(si)
        answer._index["words"] = where
    return where


def _typo_of(token: str, compiled: CompiledRubric, answer: Answer, si: int) -> bool:
    """True when sentence ``si`` holds a small misspelling of the rubric word ``token``: an
    answer word of four letters or more, at most two letters longer or shorter than a
    ``token`` of five or more, with rapidfuzz ratio at least the ``fuzzy`` setting."""
    if len(token) < 5:
        return False
    got = _typos(compiled, answer).get(token)
    return got is not None and si in got


_YEARLIKE = re.compile(r"^(?:19|20)\d\d$")


def _conflicting_number(group: Sequence[_Alt], present: frozenset[str]) -> str | None:
    """A number of the same kind (a year for a year) that stands where the point's should."""
    want = group[0].stems[0]
    same_kind = [n for n in present if bool(_YEARLIKE.match(n)) == bool(_YEARLIKE.match(want))]
    return sorted(same_kind)[0] if same_kind else None


# --------------------------------------------------------------------------- facts


def _alt_at(alt: _Alt, answer: Answer, si: int, compiled: CompiledRubric) -> int:
    """Token position of ``alt`` in sentence ``si`` (all its words there), else -1."""
    stems = answer.stems[si]
    seq = answer.sequence[si]
    first = -1
    for st, tok in zip(alt.stems, alt.tokens, strict=True):
        if st in stems:
            at = seq.index(st) if st in seq else _joined_at(st, answer, si)
        elif not tx.is_number(tok) and _typo_of(tok, compiled, answer, si):
            at = _typo_at(tok, answer.tokens[si], compiled.settings.fuzzy)
        else:
            return -1
        if first < 0:
            first = at
    return max(first, 0)


def _name_at(alt: _Alt, answer: Answer, si: int, compiled: CompiledRubric) -> int:
    """Like :func:`_alt_at`, for a name: its words must stand together ("MSME Ministry" is
    not in "the Ministry of Commerce ... MSME MoU")."""
    at = _alt_at(alt, answer, si, compiled)
    if at < 0 or len(alt.stems) < 2:
        return at
    seq = answer.sequence[si]
    spots = [i for i, st in enumerate(seq) if st in alt.stems]
    span = len(alt.stems) + 3
    for start in spots:
        window = set(seq[start : start + span])
        if all(st in window or st not in seq for st in alt.stems):
            return start
    return -1


def _joined_at(stem: str, answer: Answer, si: int) -> int:
    """Where a hyphen-joined form ("startups" from "start-ups") begins."""
    seq = answer.sequence[si]
    for i in range(len(seq) - 1):
        if tx.stem(answer.tokens[si][i] + answer.tokens[si][i + 1]) == stem:
            return i
    return 0


def _typo_at(token: str, candidates: Sequence[str], cutoff: int) -> int:
    from rapidfuzz import fuzz

    best, at = -1.0, 0
    for i, c in enumerate(candidates):
        score = fuzz.ratio(token, c)
        if score >= cutoff and score > best:
            best, at = score, i
    return at


def _anchor_hits(compiled: CompiledRubric, answer: Answer) -> list[list[tuple[int, int]]]:
    """Per sentence, ``(token position, point index)`` of every fact anchor named there.

    Computed once per answer and rubric (matching, misconceptions and the report's checks
    all ask); callers only read it.
    """
    key = ("anchors", id(compiled))
    cached: tuple[CompiledRubric, list[list[tuple[int, int]]]] | None = answer._index.get(key)
    if cached is not None and cached[0] is compiled:
        return cached[1]
    out: list[list[tuple[int, int]]] = [[] for _ in answer.sentences]
    # Facts often share an anchor ("the MoU" of a date, its signatories and its kind): each
    # distinct anchor is looked for once.
    found: dict[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], list[tuple[int, int]]] = {}
    for pi, cp in enumerate(compiled.points):
        if cp.fact is None:
            continue
        # What a figure measures is named loosely ("trade" for "Trade target"): the figure
        # itself is the check.
        figure = cp.fact.kind == "figure"
        names = (((str(figure),), ()), *((a.stems, a.tokens) for a in cp.fact.anchors))
        spots = found.get(names)
        if spots is None:
            spots = found[names] = _anchor_spots(cp.fact.anchors, figure, answer, compiled)
        for si, at in spots:
            out[si].append((at, pi))
    answer._index[key] = (compiled, out)
    return out


def _unshared_heads(anchors: Sequence[_Alt], answer: Answer) -> Sequence[_Alt]:
    """``anchors`` without a bare head ("Forum") when the answer names another body by that
    head ("At the World Economic Forum in January 2024"): there the head is not the rubric's
    body alone, and another body's date would be read as its."""
    heads = [a for a in anchors if len(a.tokens) == 1 and a.tokens[0] in _SHORT_HEADS]
    if not heads:
        return anchors
    own = {st for a in anchors for st in a.stems}
    drop = set()
    for a in heads:
        head = a.tokens[0]
        for m in re.finditer(rf"((?:[A-Z][\w&'’-]*\s+){{1,5}}){head.capitalize()}\b",
                             answer.text):
            if not set(tx.content_stems(m.group(1))) <= own:
                drop.add(head)
                break
    return [a for a in anchors if not (a in heads and a.tokens[0] in drop)]


def _anchor_spots(
    anchors: Sequence[_Alt], figure: bool, answer: Answer, compiled: CompiledRubric
) -> list[tuple[int, int]]:
    """(sentence, first token position) of each sentence naming one of ``anchors``."""
    find = _some_at if figure else _alt_at
    anchors = _unshared_heads(anchors, answer)
    # Only sentences holding a spelling's words (or typos of them) can name it by that
    # spelling: elsewhere ``find`` gives -1 without being asked.
    where = [_sentences_with(a, answer, compiled, every=not figure) for a in anchors]
    out = []
    for si in sorted(set().union(*where)):
        pos = [
            p
            for a, sentences in zip(anchors, where, strict=True)
            if si in sentences and (p := find(a, answer, si, compiled)) >= 0
        ]
        if pos:
            out.append((si, min(pos)))
    return out


def _sentences_with(
    alt: _Alt, answer: Answer, compiled: CompiledRubric, *, every: bool
) -> frozenset[int]:
    """Sentences that may hold ``alt``: with ``every``, those holding each of its words (by
    stem or as a typo), as :func:`_alt_at` needs; else those holding any of its stems, as
    :func:`_some_at` needs. An alternative without words is everywhere (or, for any,
    nowhere).

    Kept on the answer for this rubric (typos are the rubric's): anchors, values and
    misconception subjects share spellings ("the MoU").
    """
    key = ("with", id(compiled), alt.stems, alt.tokens, every)
    cached: tuple[CompiledRubric, frozenset[int]] | None = answer._index.get(key)
    if cached is not None and cached[0] is compiled:
        return cached[1]
    got = frozenset(_find_sentences(alt, answer, compiled, every=every))
    answer._index[key] = (compiled, got)
    return got


def _find_sentences(
    alt: _Alt, answer: Answer, compiled: CompiledRubric, *, every: bool
) -> set[int]:
    where = _stem_index(answer)
    if not alt.stems:
        return set(range(len(answer.sentences))) if every else set()
    if not every:
        return {si for st in alt.stems for si in where.get(st, ())}
    # The typo index holds words of five letters or more, never a number.
    typos = _typos(compiled, answer)
    out: set[int] | None = None
    for st, tok in zip(alt.stems, alt.tokens, strict=True):
        exact = where.get(st)
        typo = typos.get(tok)
        if exact is None and not typo:
            return set()  # a word the answer never writes: nothing to intersect
        have = set(exact) if exact is not None else set()
        if typo:
            have |= typo
        out = have if out is None else out & have
        if not out:
            return set()
    return out or set()


def _some_at(alt: _Alt, answer: Answer, si: int, compiled: CompiledRubric) -> int:
    """Position of the first of ``alt``'s words present, if at least half of them are."""
    seq = answer.sequence[si]
    found = [seq.index(st) for st in alt.stems if st in seq]
    return min(found) if found and 2 * len(found) >= len(alt.stems) else -1


_VALUE_FAMILY = {"year": "when", "date": "when", "figure": "how much"}


def _rivals(
    compiled: CompiledRubric, f: _Fact, hits: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The anchors that compete with this fact's for a value: those of facts whose value is
    of the same family (a year is claimed by dated facts, never by a classification's)."""
    if not hits:
        return []
    # Which points are rivals depends on the rubric alone: worked out once per fact.
    cache: dict[int, tuple[_Fact, frozenset[int]]] = compiled._cache.setdefault("rivals", {})
    got = cache.get(id(f))
    if got is None or got[0] is not f:
        family = _VALUE_FAMILY.get(f.kind)
        got = cache[id(f)] = (f, frozenset(
            p
            for p, cp in enumerate(compiled.points)
            if (fact := cp.fact) is not None
            and (_VALUE_FAMILY.get(fact.kind) == family if family else fact is f)
        ))
    rival = got[1]
    return [(pos, p) for pos, p in hits if p in rival]


def anchor_sentences(
    compiled: CompiledRubric, answer: Answer, *, besides: frozenset[str] = frozenset()
) -> set[int]:
    """Indexes of the sentences that name some fact's anchor (the CEPA, the MoU, ...);
    with ``besides`` (the question's stems), only anchors the question does not name."""
    points = compiled.points

    def new(pi: int) -> bool:
        f = points[pi].fact
        return f is None or not any(a.stems and set(a.stems) <= besides for a in f.anchors)

    return {
        si for si, hits in enumerate(_anchor_hits(compiled, answer))
        if hits and (not besides or any(new(pi) for _, pi in hits))
    }


def _has_role(f: _Fact, answer: Answer, si: int) -> bool:
    """True when sentence ``si`` has a stem that begins with one of the fact's role stems."""
    return si in _prefixed(answer, f.role)


def _prefixed(answer: Answer, prefixes: tuple[str, ...]) -> frozenset[int]:
    """Sentences with a stem that begins with one of ``prefixes`` (kept on the answer)."""
    if not prefixes:
        return frozenset()
    key = ("prefixed", prefixes)
    where: frozenset[int] | None = answer._index.get(key)
    if where is None:
        # The stems that begin with a prefix stand together in the answer's sorted stems:
        # each prefix costs a binary search and its own stems, not a pass over the answer.
        index = _stem_index(answer)
        ordered = _sorted_stems(answer)
        found: set[int] = set()
        for p in prefixes:
            i = bisect_left(ordered, p)
            while i < len(ordered) and ordered[i].startswith(p):
                found.update(index[ordered[i]])
                i += 1
        where = answer._index[key] = frozenset(found)
    return where


def _sorted_stems(answer: Answer) -> list[str]:
    """The answer's distinct stems, sorted (built once per answer)."""
    got: list[str] | None = answer._index.get("sorted stems")
    if got is None:
        got = answer._index["sorted stems"] = sorted(_stem_index(answer))
    return got


def _value_in(
    f: _Fact,
    answer: Answer,
    si: int,
    compiled: CompiledRubric,
    pi: int,
    hits: Sequence[tuple[int, int]],
) -> bool:
    """True when sentence ``si`` gives this fact's value, said of this fact's anchor when
    the sentence names several ("SSP in 2015 and the CEPA in 2010")."""
    vals = answer.values[si]
    others = [h for h in hits if h[1] != pi]
    own = {pos for pos, p in hits if p == pi}

    def mine(at: int) -> bool:
        # Points that share an anchor ("the MoU" of a date and of its signatories) share
        # the values said of it.
        near = _nearest_position(at, hits)
        return not others or near is None or near in own

    if f.kind in ("year", "date"):
        return any(
            v.kind == "year" and int(v.number) in f.years and mine(v.at)
            and _other_day(v, f) is None for v in vals
        )
    if f.kind == "figure":
        for num, scale, year in f.figures:
            for v in vals:
                if (
                    v.kind == "figure"
                    and v.scale == scale
                    and _figure_is(v, num)
                    and (year is None or v.year in (None, year))
                    and mine(v.at)
                ):
                    return True
        return False
    if f.kind == "term":
        # A kind or a criterion is said in the student's words: two thirds of its words
        # standing together ("a free-trade agreement" for a "free-trade-style agreement").
        return any(_term_said(f, a, answer, si, own) for alts in f.alternatives for a in alts)
    return _members_at(f, answer, si, compiled) >= (f.need if f.kind == "list" else 1)


def _term_said(f: _Fact, alt: _Alt, answer: Answer, si: int, own: set[int]) -> bool:
    """Whether sentence ``si`` says the term by ``alt``. A form of it the seed did not write
    ("an FTA", "a trade deal", "the highest level") is common coin: it is said of the anchor
    only in the anchor's part of the sentence ("India is negotiating an FTA with the EU,
    while the CEPA ..." is not), and a rank only as a rank ("the top level", not "a top-level
    summit" or "top level political attention")."""
    at = _term_at(alt, answer, si)
    if at < 0 or alt.stems not in f.derived:
        return at >= 0
    parts = _parts(answer, si)
    if own and not any(p < len(parts) and at < len(parts) and parts[p] == parts[at]
                       for p in own):
        return False
    if alt.stems[0] in _RANK_STEMS:
        # "the highest level (of ...)", "a highest-level partnership": what it ranks is
        # nothing or the anchor's own kind.
        seq = answer.sequence[si]
        after = at + len(alt.stems)
        return after >= len(seq) or answer.tokens[si][after] in tx.stop_words() or any(
            seq[after] in a.stems for a in f.anchors)
    return True


def _parts(answer: Answer, si: int) -> list[int]:
    """Per token of sentence ``si``, the number of its part: cut at ";" and ":", at words
    that turn the sentence ("while", "unlike") and the comma that ends them, and at ", and";
    not at every comma, bracket or dash ("the CEPA (2010), a free trade agreement, ..." is
    one part)."""
    key = ("parts", si)
    ids: list[int] | None = answer._index.get(key)
    if ids is None:
        text = tx.normalise(answer.sentences[si].text)
        ids, cid, last, turned = [], 0, 0, False
        for m in tx.TOKEN.finditer(text):
            gap, word = text[last : m.start()], m.group(0).lower()
            # "Unlike a full FTA, the CEPA ...": a turn's part ends at its comma.
            if re.search(r"[;:]", gap) or word in _PART_TURNS or (
                    "," in gap and (turned or word == "and")):
                cid += 1
                turned = word in _PART_TURNS
            ids.append(cid)
            last = m.end()
        answer._index[key] = ids
    return ids


_PART_TURNS = frozenset({"but", "however", "whereas", "while", "although", "though", "unlike",
                         "rather", "instead"})


def _other_day(said: Value, f: _Fact) -> str | None:
    """The date as the answer writes it when it is the fact's year but another month or day
    ("21 April 2026", "March 2026" for 20 April 2026); None when it fits or says no month.

    >>> p = Point(id="p", text="", must=(), marks=1.0, dimension="substantiation", kind="fact",
    ...           anchor="MoU", value=("20 April 2026",), value_kind="date")
    >>> f = _compile_fact(p, {})
    >>> [_other_day(v, f) for v in sentence_values("in April 2026, on 21 April 2026, in 2026")]
    [None, '21 April 2026', None]
    """
    year = int(said.number)
    if said.month is None or year not in f.years:
        return None
    known = [(m, d) for y, m, d in f.dates if y == year]
    if not known or any(
        m == said.month and (d is None or said.day is None or d == said.day) for m, d in known
    ):
        return None
    month = tx.MONTHS[said.month - 1].capitalize()
    return f"{said.day} {month} {year}" if said.day else f"{month} {year}"


def _places(x: float) -> int:
    text = repr(float(x))
    # "inf" and "nan" (a figure of 400 digits) have no decimals either.
    if "." not in text or "e" in text or text.endswith(".0"):
        return 0
    return len(text.split(".")[1])


def _figure_is(said: Value, num: float) -> bool:
    """True when a figure the answer states is ``num``, or ``num`` rounded as far as the
    answer writes it: "$14 billion" or "about 27 billion" for 14.2 and 26.89, not 14.5 for 14.2.

    >>> v = sentence_values("about $27 billion")[0]
    >>> _figure_is(v, 26.89), _figure_is(v, 27.6), _figure_is(v, 27)
    (True, False, True)
    """
    if math.isclose(said.number, num):
        return True
    places = _places(said.number)
    return places < _places(num) and math.isclose(round(num, places), said.number)


def _members_at(f: _Fact, answer: Answer, si: int, compiled: CompiledRubric) -> int:
    """How many of the fact's values (a list's members, an actor's spellings as one) sentence
    ``si`` names."""
    return sum(
        1 for alts in f.alternatives if any(_name_at(a, answer, si, compiled) >= 0 for a in alts)
    )


def _may_value(f: _Fact, answer: Answer, si: int, compiled: CompiledRubric) -> bool:
    """False when sentence ``si`` cannot give the fact's value, whoever it is said of: none
    of its years or figures, or (a name, a list, a term) none of the words of any of its
    spellings. :func:`_value_in` would be False there."""
    if f.kind in ("year", "date"):
        return any(v.kind == "year" and int(v.number) in f.years for v in answer.values[si])
    if f.kind == "figure":
        return any(
            v.kind == "figure" and v.scale == scale and _figure_is(v, num)
            for num, scale, _ in f.figures
            for v in answer.values[si]
        )
    return si in _value_sentences(f, answer, compiled)


def _maybe_valued(f: _Fact, answer: Answer, compiled: CompiledRubric) -> list[int]:
    """The sentences where :func:`_may_value` holds, ascending: found through the answer's
    years, its sentences with a figure, or :func:`_value_sentences`."""
    if f.kind in ("year", "date"):
        years = _years(answer)
        return sorted({si for y in f.years for si in years.get(y, ())})
    if f.kind == "figure":
        return [si for si in _with_values(answer) if _may_value(f, answer, si, compiled)]
    possible = _value_sentences(f, answer, compiled)
    return [si for si in range(len(answer.sentences)) if si in possible]


def _years(answer: Answer) -> dict[int, list[int]]:
    """Year -> the sentences stating it (a value of kind year), built once per answer."""
    got: dict[int, list[int]] | None = answer._index.get("years")
    if got is None:
        got = {}
        for si, vals in enumerate(answer.values):
            for v in vals:
                if v.kind == "year":
                    sentences = got.setdefault(int(v.number), [])
                    if not sentences or sentences[-1] != si:
                        sentences.append(si)
        answer._index["years"] = got
    return got


def _with_values(answer: Answer) -> list[int]:
    """The sentences stating some year, date or figure."""
    got: list[int] | None = answer._index.get("valued")
    if got is None:
        got = answer._index["valued"] = [si for si, vals in enumerate(answer.values) if vals]
    return got


def _value_sentences(f: _Fact, answer: Answer, compiled: CompiledRubric) -> Container[int]:
    """The sentences where a name, list or term fact's value may stand (a superset): a name
    needs all the words of one spelling (by stem or typo, as :func:`_alt_at`), a term some
    word of one (as :func:`_most_at`)."""
    key = ("value sentences", id(f))
    cached: tuple[_Fact, Container[int]] | None = answer._index.get(key)
    if cached is not None and cached[0] is f:
        return cached[1]
    alts = [a for alternatives in f.alternatives for a in alternatives]
    out: Container[int]
    if any(not a.stems for a in alts):
        out = range(len(answer.sentences))  # a spelling without words is found anywhere
    elif f.kind == "term":
        where = _stem_index(answer)
        out = {si for a in alts for st in a.stems for si in where.get(st, ())}
    else:
        out = set().union(*(_sentences_with(a, answer, compiled, every=True) for a in alts))
    answer._index[key] = (f, out)
    return out


def _most_at(alt: _Alt, answer: Answer, si: int) -> bool:
    return _term_at(alt, answer, si) >= 0


def _term_at(alt: _Alt, answer: Answer, si: int) -> int:
    """Where sentence ``si`` says a term in the student's words: two thirds of its words
    standing together (-1: not said). The position is the first of them."""
    want = set(alt.stems)
    seq = answer.sequence[si]
    if len(want) <= 2:
        if not want <= answer.stems[si]:
            return -1
        # A joined pair ("startup") is in the stems but not in the sequence: placed at 0.
        return next((i for i, st in enumerate(seq) if st in want), 0)
    need = -(-2 * len(want) // 3)
    if len(want & answer.stems[si]) < need:
        return -1  # no window of the sentence holds more of them than the whole sentence
    span = len(alt.stems) + 3
    return next(
        (i for i, st in enumerate(seq)
         if st in want and len(want & set(seq[i : i + span])) >= need),
        -1,
    )


def _match_fact(
    pi: int,
    cp: _CompiledPoint,
    compiled: CompiledRubric,
    answer: Answer,
    anchors: Sequence[Sequence[tuple[int, int]]],
) -> PointMatch:
    f = cp.fact
    assert f is not None
    n = len(answer.sentences)
    # Only a sentence that names the fact (its anchor or its role) can cover it or get it
    # wrong, so only those and their neighbours are read, in order.
    own = _anchored(compiled, answer, anchors).get(pi, ())
    role = _prefixed(answer, f.role)
    named = set(own) | role
    if f.kind in ("actor", "term", "list"):
        # The value names itself; the anchor (or the role) may stand in the next sentence.
        named |= {j for si in named for j in (si - 1, si + 1) if 0 <= j < n}
    # A list is its members: "cooperation in semiconductors, AI and clean energy" gives the
    # sectors without the word "sectors". So is a member of a kind rather than of a named
    # body ("Institutional mechanism: Industrial Cooperation Committee"): naming it says it.
    everywhere = f.kind == "list" or (
        f.role == _ROLE_STEMS["member"] and _is_kind(cp.point.anchor)
    )
    visit = list(range(n)) if everywhere else sorted(named)
    rivals = _Memo(lambda si: _rivals(compiled, f, anchors[si]))
    # A sentence without the fact's year or figure cannot give it (its rivals unread).
    valued = [False] * n
    for si in _maybe_valued(f, answer, compiled):
        valued[si] = _value_in(f, answer, si, compiled, pi, rivals[si])
    parent = _wrong_parent(pi, f, compiled, answer, anchors, valued)
    if parent is not None and not any(valued[si] for si in own):
        return PointMatch(cp.point, "wrong", 0.0, answer.sentences[parent[0]], conflict=parent[1])
    for si in visit:
        window = valued[si] or (
            f.kind not in ("actor", "term", "list") and si + 1 < n and valued[si + 1]
            and _continues(answer, si, rivals[si + 1])
        )
        if window and not valued[si] and _conflict(pi, f, compiled, answer, si, rivals[si]):
            continue  # "The CEPA was signed in 2015." next to a 2010 said of something else
        if f.kind == "list" and valued[si] and si not in named and not _list_said(
                f, answer, si, compiled):
            continue
        if valued[si] and f.visit is not None and _other_visit(f, compiled, answer, si):
            continue
        if valued[si] if f.kind in ("actor", "term", "list") else window:
            best = si if valued[si] else si + 1
            if valued[si] and _denies(pi, f, compiled, answer, si, anchors[si]):
                # "The CEPA did not enter into force in 2010": the fact, denied.
                return PointMatch(cp.point, "wrong", 0.0, answer.sentences[si],
                                  conflict=DENIED + (cp.point.value[0] if cp.point.value else ""))
            ev = answer.sentences[si if valued[si] else best]
            return PointMatch(cp.point, "covered", 1.0, ev)
    for si in visit:
        wrong = _conflict(pi, f, compiled, answer, si, rivals[si])
        if wrong is not None:
            return PointMatch(cp.point, "wrong", 0.0, answer.sentences[si], conflict=wrong)
    # Said without the names: "the ministry Korea set up for small firms and start-ups".
    # A description only ever credits; it never makes a fact wrong or incomplete.
    said = _described(pi, f, compiled, answer, set(own) | role)
    if said >= 0:
        return PointMatch(cp.point, "covered", 1.0, answer.sentences[said])
    for si in own:
        # A name dropped in a keyword list is not a statement about it; for a role ("who
        # signed", "what defines") the sentence must speak of that role.
        if f.role and f.kind in ("actor", "term") and si not in role:
            continue
        # "bodies like KVIC" speaks of members; "such as" or "like" in any other sentence
        # that names the ministry does not.
        if f.role == _ROLE_STEMS["member"] and _MEMBER_WORDS.isdisjoint(answer.tokens[si]):
            continue
        if len(answer.tokens[si]) >= 4:
            return PointMatch(
                cp.point, "incomplete", 0.0, answer.sentences[si], lacking=_lacking(cp.point)
            )
    sibling = _sibling_members(pi, f, compiled, answer)
    if sibling >= 0:
        # "Its members include CII and FISME": the members are spoken of, this one not.
        return PointMatch(
            cp.point, "incomplete", 0.0, answer.sentences[sibling], lacking=_lacking(cp.point)
        )
    return PointMatch(cp.point, "missing", 0.0, None)


def _sibling_members(pi: int, f: _Fact, compiled: CompiledRubric, answer: Answer) -> int:
    """The first sentence that speaks of the members of this member's body and names another
    of them ("its members include CII, ASSOCHAM and FISME" for FICCI), else -1."""
    if f.role != _ROLE_STEMS["member"]:
        return -1
    anchor = compiled.points[pi].point.anchor
    siblings = [
        q.fact for i, q in enumerate(compiled.points)
        if i != pi and q.fact is not None and q.fact.role == f.role
        and q.point.anchor == anchor
    ]
    for si in range(len(answer.sentences)):
        toks = answer.tokens[si]
        if _MEMBER_WORDS.isdisjoint(toks):
            continue
        named = [at for g in siblings for alts in g.alternatives for a in alts
                 if (at := _name_at(a, answer, si, compiled)) >= 0]
        if any(_lists_members(toks, at) for at in named):
            return si
    return -1


def _lists_members(toks: Sequence[str], at: int) -> bool:
    """Whether the name at token ``at`` is given as one of the members a member word speaks
    of: after it ("its members include CII", "bodies like KVIC"), or before it with "are"
    ("CII and FISME are among its members"); not "CII, a member of many global bodies" nor
    "members of FISME are small firms"."""
    for i, t in enumerate(toks):
        if t not in _MEMBER_WORDS:
            continue
        if i < at <= i + 12 and not (i + 1 < len(toks) and toks[i + 1] == "of" and at <= i + 3):
            return True
        if at < i and {"are", "is"} & set(toks[at:i]):
            return True
    return False


@dataclass(frozen=True)
class _Description:
    """A thing said by what it is rather than by its name: one of ``heads`` (its kind of
    thing: "ministry", "agreement"/"pact") and ``need`` of ``words`` ("small", "start-up")."""

    heads: frozenset[str]
    words: frozenset[str]
    need: int


def _describe(text: str, table: dict[str, tuple[str, ...]], head: str = "") -> _Description | None:
    """The description a name or a kind gives ("Ministry of SMEs and Startups": a ministry
    of small, medium enterprises and start-ups), acronyms spelt out from the alias table."""
    words: list[str] = []
    for w in re.findall(r"[A-Za-z][\w-]*", text):
        spelt = next((a for a in table.get(w.lower(), ()) if len(a.split()) > 1), None)
        if spelt is None and (w.isupper() or (w[:-1].isupper() and w.endswith("s"))):
            # "SMEs" inside a known "MSME": its last letters' words.
            core = w.rstrip("s")
            for k, forms in table.items():
                long = next((a for a in forms if len(a.split()) > 1), None)
                if long and k.upper().endswith(core) and k.upper() != core:
                    caps = [x for x in long.split() if x[:1].isupper()]
                    spelt = " ".join(caps[-len(core):])
                    break
        words.extend(tx.content_tokens(spelt) if spelt else tx.content_tokens(w))
    stems = [tx.stem(t) for t in words]
    kinds = tx.kind_head_stems() | {"ministri", "depart", "commiss"}
    head = head or next((st for st in reversed(stems) if st in kinds), "")
    if not head:
        return None
    heads = {head}
    for family in _HEAD_FAMILIES:
        if head in {tx.stem(x) for x in family}:
            heads |= {tx.stem(x) for x in family}
    rest = frozenset(st for st in stems if st not in heads)
    if len(rest) < 2:
        return None
    return _Description(frozenset(heads), rest, 2)


def _descriptions(compiled: CompiledRubric, pi: int) -> tuple[list[_Description],
                                                               list[_Description]]:
    """The ways to say point ``pi``'s anchor and (for an actor) its value without naming
    them: the names' own words and the kinds the rubric gives them."""
    cache: dict[int, tuple[list[_Description], list[_Description]]] = compiled._cache.setdefault(
        "descriptions", {})
    got = cache.get(pi)
    if got is None:
        rubric = compiled.rubric
        table = rubric.alias_table()
        p = compiled.points[pi].point

        def of(name: str) -> list[_Description]:
            spellings = sorted({name, *table.get(name.lower(), ())}, key=lambda x: -len(x))
            out = [d for sp in spellings[:1] if (d := _describe(sp, table)) is not None]
            named = out[0].heads if out else frozenset()
            for q in rubric.points:
                if q.value_kind == "term" and not q.role and q.anchor == name and named:
                    for v in q.value:
                        d = _describe(v, table, head=next(iter(sorted(named))))
                        if d is not None:
                            out.append(_Description(named, d.words, d.need))
            return out

        got = (of(p.anchor), of(p.value[0]) if p.value_kind == "actor" and p.value else [])
        cache[pi] = got
    return got


def _described(
    pi: int, f: _Fact, compiled: CompiledRubric, answer: Answer, named: set[int]
) -> int:
    """A sentence that states the fact with its anchor or its actor described, not named:
    "in 2015, when the two upgraded to a top-tier partnership"; -1 when there is none."""
    if f.kind not in ("year", "date", "actor", "term"):
        return -1
    anchor_ways, value_ways = _descriptions(compiled, pi)

    cosine = compiled.settings.near_cosine if compiled.settings.near > 0 else 0.0

    def says(ways: list[_Description], si: int) -> bool:
        stems = answer.stems[si]
        return any(d.heads & stems and _said(d, stems, cosine) for d in ways)

    sided = _prefixed(answer, (f.qualifier[:4],)) if f.qualifier else None
    # Each kind needs ``says`` of one list of ways, and ``says`` needs one of their heads:
    # only the sentences holding a head are read.
    needed = (
        value_ways if f.kind == "actor"
        else (_distinct_way(compiled, pi) if not f.role else []) if f.kind == "term"
        else anchor_ways
    )
    for si in _headed(answer, needed):
        if f.kind == "actor":
            if not value_ways or (sided is not None and si not in sided):
                continue
            if (si in named or says(anchor_ways, si)) and says(value_ways, si):
                return si
        elif f.kind == "term":
            # "a cabinet-level ministry devoted to small firms and start-ups": the kind, of a
            # thing described by its own words (not by the kind just given), and by the words
            # that tell it from the rubric's other things of that kind ("start-ups": not
            # India's ministry for micro, small and medium enterprises).
            own_way = _distinct_way(compiled, pi)
            # The anchor's own spots, where it is named too: a kind said in other words must
            # stand in its part of the sentence (see _term_said).
            spots = tuple(h for h in _anchor_hits(compiled, answer)[si] if h[1] == pi)
            if not f.role and own_way and _value_in(f, answer, si, compiled, pi, spots) and says(
                    own_way, si):
                return si
        elif anchor_ways and _value_at(f, answer, si, compiled) >= 0 and says(anchor_ways, si):
            return si
    return -1


def _headed(answer: Answer, ways: Sequence[_Description]) -> list[int]:
    """The sentences holding a head of one of ``ways``, ascending."""
    where = _stem_index(answer)
    return sorted({si for d in ways for h in d.heads for si in where.get(h, ())})


def _said(d: _Description, stems: frozenset[str], cosine: float) -> bool:
    """``need`` of the description's words in ``stems``: one as written, the others as
    written or by a near word ("the ministry for small businesses": small, and businesses for
    enterprises). Zero ``cosine``: as written only."""
    found = d.words & stems
    if len(found) >= d.need or not found or not cosine:
        return len(found) >= d.need
    from evaluator import embeddings

    rest = sorted(d.words - found)
    near = sum(1 for others in embeddings.near(rest, cosine) if others & stems)
    return len(found) + near >= d.need


def _distinct_way(compiled: CompiledRubric, pi: int) -> list[_Description]:
    """Point ``pi``'s anchor described without the words other things of the same kind in
    the rubric share; worked out once per rubric."""
    cache: dict[int, list[_Description]] = compiled._cache.setdefault("distinct ways", {})
    got = cache.get(pi)
    if got is None:
        got = cache[pi] = _distinct(compiled, pi, _descriptions(compiled, pi)[0][:1])
    return got


def _distinct(compiled: CompiledRubric, pi: int, ways: list[_Description]) -> list[_Description]:
    if not ways:
        return []
    d = ways[0]
    table = compiled.rubric.alias_table()
    own = compiled.points[pi].point.anchor
    others: set[str] = set()
    for q in compiled.rubric.points:
        for name in (q.anchor, *(q.value if q.value_kind == "actor" else ())):
            if name and name != own and name.lower() not in {
                    a.lower() for a in table.get(own.lower(), ())}:
                other = _describe(name, table)
                if other is not None and other.heads & d.heads:
                    others |= other.words
    words = d.words - others
    if not words:
        return []
    return [_Description(d.heads, frozenset(words), min(d.need, len(words)))]


def _anchored(
    compiled: CompiledRubric, answer: Answer, anchors: Sequence[Sequence[tuple[int, int]]]
) -> dict[int, list[int]]:
    """Point -> the sentences naming its anchor (ascending), from :func:`_anchor_hits`."""
    key = ("anchored", id(compiled))
    cached: tuple[CompiledRubric, dict[int, list[int]]] | None = answer._index.get(key)
    if cached is not None and cached[0] is compiled:
        return cached[1]
    out: dict[int, list[int]] = {}
    for si, hits in enumerate(anchors):
        for _, p in hits:
            sentences = out.setdefault(p, [])
            if not sentences or sentences[-1] != si:
                sentences.append(si)
    answer._index[key] = (compiled, out)
    return out


class _Memo(dict[int, Any]):
    """``fn(i)`` computed on the first reading of ``[i]`` and kept: a later reading is a
    plain dict lookup. Only the sentences a fact visits are worked out."""

    def __init__(self, fn: Callable[[int], Any]) -> None:
        super().__init__()
        self._fn = fn

    def __missing__(self, i: int) -> Any:
        got = self[i] = self._fn(i)
        return got


def _denies(
    pi: int, f: _Fact, compiled: CompiledRubric, answer: Answer, si: int,
    hits: Sequence[tuple[int, int]],
) -> bool:
    """True when the clause that states this fact's anchor and value negates it ("did not
    sign", "was not a signatory"); "not only" and a negation in another clause do not."""
    own = [pos for pos, p in hits if p == pi]
    at = _value_at(f, answer, si, compiled)
    clause = _clauses(answer, si)
    toks = answer.tokens[si]
    if not own or not 0 <= at < len(clause):
        return False
    for pos in own:
        if clause[pos] != clause[at]:
            continue
        for i, t in enumerate(toks):
            # The negation governs the fact when it stands between its anchor and its value
            # ("the CEPA did not enter into force in 2010") or before both ("did not upgrade
            # ties to an SSP in 2015"); after both it denies something else ("the SSP of 2015
            # was not a treaty").
            if clause[i] != clause[at] or t not in _DENIERS or i > max(pos, at):
                continue
            if i + 1 < len(toks) and toks[i + 1] in tx.NOT_ONLY:
                continue
            # "is not binding and was signed on 20 April 2026": "and" ends what "not" denies.
            if any(t in ("and", "or") for t in toks[i + 1 : max(pos, at)]):
                continue
            if not _asserted(answer, si, i):
                continue  # "Are MSMEs not classified by ...?", "It is a myth that ... not"
            # "not by the Commerce Ministry but by the MSME Ministry" corrects, not denies.
            return not any(u in ("but", "rather", "instead") for u in toks[i + 1 :])
    return False


# "no" and "nor" mostly quantify or list ("there is no doubt that", "neither ... nor").
_DENIERS = frozenset({"not", "never", "cannot"})


def _list_said(f: _Fact, answer: Answer, si: int, compiled: CompiledRubric) -> bool:
    """A list's members met outside a sentence naming the list are the list when affirmed
    ("do not cooperate in steel, ports or shipbuilding" is not) and in its setting: a word
    of cooperation or of sectors, or one member more than the list needs."""
    if any(t in tx.NEGATIONS for t in answer.tokens[si]):
        return False
    if si in _prefixed(answer, _LIST_CUES):
        return True
    return _members_at(f, answer, si, compiled) > f.need


def _value_at(f: _Fact, answer: Answer, si: int, compiled: CompiledRubric) -> int:
    """Token position of this fact's value in sentence ``si`` (-1: none, or not placed)."""
    if f.kind in ("year", "date"):
        return next((v.at for v in answer.values[si]
                     if v.kind == "year" and int(v.number) in f.years), -1)
    if f.kind == "actor":
        return next((at for alts in f.alternatives for a in alts
                     if (at := _name_at(a, answer, si, compiled)) >= 0), -1)
    if f.kind == "term":
        # "MSMEs are not classified by investment and turnover" denies the criterion.
        return next((at for alts in f.alternatives for a in alts
                     if (at := _term_at(a, answer, si)) >= 0), -1)
    return -1


def _clauses(answer: Answer, si: int) -> list[int]:
    """Per token of sentence ``si``, the number of its clause (cut at punctuation and at
    words that turn the sentence: "but", "unlike", "whereas")."""
    key = ("clauses", si)
    ids: list[int] | None = answer._index.get(key)
    if ids is None:
        ids = answer._index[key] = _clause_ids(answer.sentences[si].text)
    return ids


def _clause_ids(sentence: str) -> list[int]:
    # One scan for tokens and the marks between them: no token starts with a mark, so the
    # tokens are TOKEN's, and a mark inside one ("1,000") is never met on its own.
    ids: list[int] = []
    cid = 0
    mark = False
    for tok in _CLAUSE_SCAN.findall(tx.normalise(sentence)):
        if not tok:
            mark = True
            continue
        if mark or tok.lower() in _TURNS:
            cid += 1
            mark = False
        ids.append(cid)
    return ids


_CLAUSE_SCAN = re.compile(r"(" + tx.TOKEN.pattern + r")|[,;:()—–]")
_TURNS = frozenset({"but", "however", "whereas", "while", "although", "though", "unlike",
                    "rather", "instead", "which", "who", "that", "since", "because", "after",
                    "before", "when", "until", "unless", "if"})


def _continues(answer: Answer, si: int, next_rivals: Sequence[tuple[int, int]]) -> bool:
    """True when sentence ``si + 1`` goes on about what sentence ``si`` named ("The CEPA is
    the key pact. It came into force in 2010."): it opens by referring back, names nothing
    else that has a date or a figure, and ``si`` gives no value of that kind itself."""
    if next_rivals or answer.values[si]:
        return False
    return any(t in _REFERRING for t in answer.tokens[si + 1][:3])


_REFERRING = frozenset({"it", "its", "this", "that", "these", "those", "they", "their", "which",
                        "such"})


def _lacking(p: Point) -> str:
    if p.role == "occasion":
        return f"on what occasion: {', '.join(p.value)}"
    what = {
        "year": "when",
        "date": "when",
        "figure": "how much",
        "actor": "who",
        "list": "which",
        "term": "what",
    }.get(p.value_kind, "what")
    return f"{what}: {', '.join(p.value)}"


def _nearest_position(at: int, hits: Sequence[tuple[int, int]]) -> int | None:
    """Token position of the anchor nearest token ``at``, within 12 tokens.

    A value mostly follows what it is of ("the CEPA, in force since 2010"), so an anchor
    after the value counts twice its distance.
    """
    best: tuple[int, int, int] | None = None
    for pos, _ in hits:
        d = at - pos if pos <= at else 2 * (pos - at)
        # At equal distance the anchor before the value wins, for the same reason; its
        # position is its first word, so a long name before the value is nearer than it looks.
        key = (d, int(pos > at), pos)
        if best is None or key < best:
            best = key
    return None if best is None or best[0] > 12 else best[2]


_INSTITUTION = re.compile(
    # The look-behind starts a name only at a word's start: a long run of capitals is then
    # tried once, not from each of its letters.
    r"(?<![\w&'’-])"
    r"(?:(?P<side>[A-Z][a-z]+(?: [A-Z][a-z]+)?)['’]s\s+|(?P<adj>[A-Z][a-z]+(?:an|ese|i))\s+)?"
    r"(?:the\s+)?"
    r"(?P<name>(?:Ministry|Department) of (?:[A-Z][\w&-]*|and|of|the|,)(?:\s+(?:[A-Z][\w&-]*|and|"
    r"of|&))*|(?:[A-Z][\w&-]*\s+){1,3}Ministry|"
    # "the Korea Trade-Investment Promotion Agency": a public body of another kind.
    r"(?:[A-Z][\w&-]*\s+){1,5}(?:Agency|Corporation|Commission|Authority))"
)


def _conflict(
    pi: int,
    f: _Fact,
    compiled: CompiledRubric,
    answer: Answer,
    si: int,
    hits: Sequence[tuple[int, int]],
) -> str | None:
    """Another value where this fact's should be: a different year, figure, actor or visit."""
    if f.visit is not None:
        return _other_visit(f, compiled, answer, si)
    if f.kind in ("year", "date"):
        for v in answer.values[si]:
            if v.kind != "year":
                continue
            if int(v.number) in f.years:
                # The right year on another day: wrong when said of this fact's anchor and no
                # other thing of the rubric has that month ("signed 21 April 2026"), and not
                # of the anchor's other events of that year: a plan, its talks, the budget
                # before it ("will be reviewed in December 2026", "negotiations on the MoU
                # began in January 2026").
                other = _other_day(v, f)
                own = {pos for pos, p in hits if p == pi}
                if other is not None and _nearest_position(v.at, hits) in own and not (
                    _denied(answer, si, v.at) or _planned(answer, si, v.at)
                    or _known_month(compiled, pi, v) or _of_another_event(answer, si, v.at, own)
                ):
                    return other
                continue
            # "did not come into force in 2015" denies; "will conclude by 2027" plans.
            if _denied(answer, si, v.at) or _planned(answer, si, v.at):
                continue
            # Signing and entry into force are often a year apart: a year off by one is
            # another true date of the same thing more often than an error, unless the
            # answer gives the fact's own month with it ("20 April 2025" for 20 April 2026).
            same_month = v.month is not None and v.month in f.months
            # ... unless the answer names the fact's own event ("came into force in 2009").
            if (not same_month and any(abs(int(v.number) - y) <= 1 for y in f.years)
                    and not f.event & answer.stems[si]):
                continue
            # Points that share an anchor (the CEPA's signing and its upgrade) share the
            # values said of it. The fact's own day and month make a far year its own,
            # unless another dated thing is named in the sentence.
            nearest = _nearest_position(v.at, hits)
            own = {pos for pos, p in hits if p == pi}
            # The year of another dated thing the sentence names is that thing's ("the MoU
            # follows the 2015 elevation to an SSP"; the CEPA's signing and its upgrade talks).
            theirs = {
                y for _, p in hits if p != pi for y in (compiled.points[p].fact or f).years
            }
            # Unless it stands right after this fact's anchor: "SSP since 2010 and the CEPA
            # since 2015" swaps the two.
            if int(v.number) in theirs and not any(
                _dated_to(f, answer, si, pos, v.at, compiled) for pos in own
            ):
                continue
            if nearest in own:
                return v.text
            # A year far from the anchor is the anchor's only with the fact's own month, in
            # the anchor's clause, when nothing else dated is named.
            if nearest is None and same_month and {p for _, p in hits} == {pi}:
                clause = _clauses(answer, si)
                if v.at < len(clause) and any(clause[pos] == clause[v.at] for pos in own):
                    return v.text
    elif f.kind == "figure":
        own = {pos for pos, p in hits if p == pi}
        for v in answer.values[si]:
            if v.kind != "figure" or _nearest_position(v.at, hits) not in own:
                continue
            for num, scale, year in f.figures:
                if v.scale != scale:
                    continue
                same = _figure_is(v, num)
                if same and year is not None and v.year is not None and v.year != year:
                    return v.text + f" by {v.year}"
                if not same and not any(
                    _figure_is(v, n) for n, sc in compiled.known_figures if sc == v.scale
                ) and _nearest_figure(v, compiled, hits) in (None, *f.figures) and not (
                    # "over $25 billion" for 26.89 is true, if less than the fact says.
                    (v.bound == ">" and num > v.number) or (v.bound == "<" and num < v.number)
                ):
                    return v.text
    elif f.kind == "actor" and f.role == _ROLE_STEMS["run by"]:
        return _other_runner(f, compiled, answer, si)
    elif f.kind == "actor" and f.role not in (_ROLE_STEMS["member"], _ROLE_STEMS["run by"]):
        # Who signed or who leads has one answer; a list's members are not exclusive, and
        # a sentence naming who runs a programme names other bodies too.
        for name, side, _ in _other_institutions(compiled, answer, si):
            if side and f.qualifier and side.split()[-1][:4] != f.qualifier.split()[-1][:4]:
                continue
            if not side and not _first_unnamed_of_role(pi, f, compiled, answer, si):
                continue  # "signed by the Ministry of Commerce": one wrong signatory, not two
            return name
    return None


_WHO = (r"(?:the\s+)?(?P<who>(?:[A-Z][\w&-]*\s+(?:(?:of|and|for|&)\s+)?){0,6}"
        r"(?:[A-Z][\w&-]*|[Mm]inistry|[Dd]epartment))")
_RUN = r"(?:run|administered|handled|implemented|managed|overseen|operated|led|steered)"


@lru_cache(maxsize=256)
def _runner_patterns(tokens: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Ways a sentence says who runs the thing named by ``tokens``."""
    name = r"[\s-]*".join(re.escape(t) for t in tokens)
    prog = r"(?:\s+(?:programme|program|scheme|initiative|mission))?"
    return tuple(re.compile(p) for p in (
        rf"(?i:{name}){prog},?\s+(?:(?:is|was|are)\s+)?(?:{_RUN}\s+by|under)\s+{_WHO}",
        rf"(?i:{name}){prog},\s+(?:a|an)\s+(?:programme|scheme|initiative)\s+(?:of|by|under)"
        rf"\s+{_WHO}",
        rf"{_RUN}\s+by\s+{_WHO}\s+under\s+(?:the\s+)?(?i:{name})",
        rf"{_WHO}['’]s\s+(?i:{name})",
        rf"{_WHO}\s+(?:runs|ran|administers|manages|oversees|implements|steers)\s+"
        rf"(?:the\s+)?(?i:{name})",
    ))


def _other_runner(f: _Fact, compiled: CompiledRubric, answer: Answer, si: int) -> str | None:
    """Another body said to run what this fact's anchor names: "Startup India is run by the
    MSME Ministry", "the MSME Ministry's Startup India", "handled by NITI Aayog under Startup
    India". Only where the sentence says who runs it: a programme named beside other bodies
    names no runner. A ministry is never wrong for a department: it may be its parent."""
    text = answer.sentences[si].text
    words = answer.tokens[si]
    for alt in f.anchors:
        if not alt.tokens or not all(t in words for t in alt.tokens):
            continue  # the anchor is not named here
        for pattern in _runner_patterns(alt.tokens):
            for m in pattern.finditer(text):
                who = re.sub(r"^[Tt]he\s+", "", m.group("who"))
                stems = set(_alt(who).stems)
                if not stems or (len(stems) == 1 and next(iter(stems))[:4] in compiled.sides):
                    continue  # "India's Startup India": a side, not a body
                if any(set(a.stems) <= stems for g in f.alternatives for a in g):
                    return None
                department = any(
                    v.lower().startswith("department") or (v.isupper() and v.startswith("D"))
                    for g in f.alternatives for a in g for v in (" ".join(a.tokens),
                                                                   " ".join(a.tokens).upper())
                    if v
                )
                known = any(a and a <= stems for a in compiled.actor_stems)
                if department and "ministri" in stems and not known:
                    continue
                return " ".join(who.split())
    return None


def _nearest_figure(
    v: Value, compiled: CompiledRubric, hits: Sequence[tuple[int, int]]
) -> tuple[float, str, int | None] | None:
    """Of the figures of the facts named nearest to figure ``v`` ("trade grew from $14.7
    billion to $29 billion": three trade figures), the one closest to it in value: one wrong
    figure is one error, charged to the fact it stands for."""
    near = _nearest_position(v.at, hits)
    figures = [
        fig
        for pos, p in hits
        if pos == near and (f := compiled.points[p].fact) is not None
        for fig in f.figures
        if fig[1] == v.scale and fig[0] > 0
    ]
    if v.number <= 0 or not math.isfinite(v.number) or not figures:
        return None
    # A figure that says its year ("from $20 billion in 2010") stands for that year's fact,
    # however near another year's figure it is in value.
    dated = [fig for fig in figures if v.year is not None and fig[2] == v.year]
    return min(dated or figures, key=lambda fig: abs(math.log(v.number / fig[0])))


def _known_month(compiled: CompiledRubric, pi: int, v: Value) -> bool:
    """True when another dated fact of the rubric has the year and month the answer gives:
    the date of something else (the CEPA signed in August 2009, in force in January 2010)."""
    return any(
        (int(v.number), v.month) == (y, m)
        for i, cp in enumerate(compiled.points) if i != pi and cp.fact is not None
        for y, m, _ in cp.fact.dates
    )


def _dated_to(
    f: _Fact, answer: Answer, si: int, pos: int, at: int, compiled: CompiledRubric
) -> bool:
    """True when token ``at`` is dated to the anchor that starts at ``pos``: only words that
    date a thing stand between ("the SSP since 2010", "the CEPA, which dates from 2015",
    "the MoU was signed in 2025"), not "the MoU follows the 2015 elevation"."""
    if at <= pos:
        return False
    names = {st for a in f.anchors for st in a.stems}
    # "special strategic partnershp from 2015": a misspelt anchor word is still the anchor,
    # found as :func:`_alt_at` finds it.
    misspelt = {
        _typo_at(tok, answer.tokens[si], compiled.settings.fuzzy)
        for a in f.anchors for tok, st in zip(a.tokens, a.stems, strict=True)
        if st not in answer.stems[si] and not tx.is_number(tok)
        and _typo_of(tok, compiled, answer, si)
    }
    between = [
        st for i, st in enumerate(answer.sequence[si][pos:at], pos)
        if st not in names and (st in _DATING or i not in misspelt)
    ]
    return len(between) <= 5 and set(between) <= _DATING


def _of_another_event(answer: Answer, si: int, at: int, own: set[int]) -> bool:
    """True when a word of another event stands between the date at token ``at`` and the
    anchor nearest it ("negotiations on the MoU began in January 2026", "the MoU came after
    the budget of 1 February 2026"): the date is that event's."""
    pos = min(own, key=lambda p: abs(p - at))
    lo, hi = sorted((pos, at))
    return any(st in _OTHER_EVENTS for st in answer.sequence[si][lo:hi])


_DATING = frozenset(tx.stem(w) for w in [
    "since", "in", "of", "from", "on", "during", "which", "that", "dates", "dated", "dating",
    "was", "is", "were", "been", "be", "signed", "came", "come", "entered", "into", "force",
    "took", "effect", "back", "to", "established", "elevated", "upgraded", "concluded", "inked",
    "launched", "adopted", "the", "year", "finally", "first",
])
# Words of another event the date may be of ("On 2 April 2026 talks began; the MoU ...").
_OTHER_EVENTS = frozenset(tx.stem(w) for w in [
    "talks", "negotiations", "negotiated", "began", "begun", "started", "met", "meeting",
    "announced", "review", "reviewed", "budget", "after", "before", "following", "until",
])


def _other_institutions(
    compiled: CompiledRubric, answer: Answer, si: int
) -> tuple[tuple[str, str, int], ...]:
    """Ministries and departments sentence ``si`` names that no fact of the rubric has as
    its actor, with the side named with each ("korea", or "") and where the name starts.

    Kept on the answer for this rubric: every actor fact reads the same sentences."""
    key = ("institutions", id(compiled), si)
    cached: tuple[CompiledRubric, tuple[tuple[str, str, int], ...]] | None = answer._index.get(key)
    if cached is not None and cached[0] is compiled:
        return cached[1]
    text = answer.sentences[si].text
    # Every name the pattern finds holds one of these words.
    got = (
        tuple(_institutions_in(compiled, text))
        if _BODY_WORD.search(text)
        else ()
    )
    answer._index[key] = (compiled, got)
    return got


_BODY_WORD = re.compile(r"Ministry|Department|ministry|Agency|Corporation|Commission|Authority")
# "Korea's trade ministry", "its commerce ministry": a ministry named by its portfolio in lower
# case, owned by a side (without one, "the concerned ministry" would be a name).
_OWNED_MINISTRY = re.compile(
    r"(?:\b(?P<side>[A-Z][a-z]+(?: [A-Z][a-z]+)?)['’]s|\bits|\btheir)\s+"
    r"(?P<name>[a-z]{3,}(?:\s+and\s+[a-z]{3,})?\s+ministry)\b"
)


def _institutions_in(compiled: CompiledRubric, text: str) -> Iterator[tuple[str, str, int]]:
    found = [*_INSTITUTION.finditer(text), *_OWNED_MINISTRY.finditer(text)]
    for m in sorted(found, key=lambda m: m.start()):
        name = m.group("name")
        if text[m.end() : m.end() + 1] in ("'", "’"):
            # "Ministry of Commerce and Korea's ...": the name ends before another side.
            name = re.sub(r"\s+and\s+[A-Z][a-z]+(?: [A-Z][a-z]+)?$", "", name)
        stems = frozenset(_alt(name).stems)
        if not stems or any(stems <= a or a <= stems for a in compiled.actor_stems):
            continue
        # "India's MSME Ministry, not the Commerce Ministry, signed": named to be denied.
        if re.search(r"\b(?:not|never|n't|unlike|than|instead of)\s+(?:the\s+|by\s+the\s+)?$",
                     text[max(0, m.start() - 20) : m.start()], re.IGNORECASE):
            continue
        side = (m.group("side") or m.groupdict().get("adj") or "").lower()
        first = name.split()[0].lower()
        if not side and tx.stem(first)[:4] in compiled.sides:
            side = first  # "the Korea Trade-Investment Promotion Agency" is Korea's
        yield " ".join(re.sub(r"(?:\s+(?:and|of|the|&))+$", "", name).split()), side, m.start()


def _wrong_parent(
    pi: int, f: _Fact, compiled: CompiledRubric, answer: Answer,
    anchors: Sequence[Sequence[tuple[int, int]]], valued: Sequence[bool],
) -> tuple[int, str] | None:
    """A member put under another body ("KVIC, under the Ministry of Textiles"): the
    sentence names the member, not its own body, and some other ministry."""
    if f.kind != "actor" or f.role != _ROLE_STEMS["member"]:
        return None
    # An actor's value stands only where one of its spellings may (see _may_value): the
    # other sentences are not read.
    possible = _value_sentences(f, answer, compiled)
    for si in range(len(valued)):
        if si not in possible or not valued[si] or any(p == pi for _, p in anchors[si]):
            continue
        text = answer.sentences[si].text
        for name, _, start in _other_institutions(compiled, answer, si):
            head = text[:start]
            clause = re.split(r"[;:,.]|\b(?:but|while|whereas)\b", head)[-1]
            # Put under it ("under / an agency of / run by the Ministry of Textiles"), in a
            # clause that does not deny it ("does not come under the Commerce Ministry").
            if _PARENT_LINK.search(head[-30:]) and not any(
                w in _DENIERS for w in tx.words(clause.lower())
            ):
                return si, name
    return None


_PARENT_LINK = re.compile(r"\b(?:under|of|by|to|within)\s+(?:the\s+)?$", re.IGNORECASE)


def _first_unnamed_of_role(
    pi: int, f: _Fact, compiled: CompiledRubric, answer: Answer, si: int
) -> bool:
    """True when ``pi`` is the first fact of its role whose own actor the sentence does not
    name: a wrong actor with no side named is charged to one fact only."""
    for pj, cp in enumerate(compiled.points):
        g = cp.fact
        if g is None or g.kind != "actor" or g.role != f.role:
            continue
        named = any(_name_at(a, answer, si, compiled) >= 0 for alts in g.alternatives for a in alts)
        if not named:
            return pj == pi
    return False


# --------------------------------------------------------------------------- misconceptions

_CONTRAST = frozenset({"unlike", "rather", "instead", "non"})


def misconceptions(compiled: CompiledRubric, answer: Answer) -> list[MisconceptionMatch]:
    """Misconceptions the answer asserts, and those it correctly denies, in rubric order."""
    out: list[MisconceptionMatch] = []
    anchors = _anchor_hits(compiled, answer) if compiled.misconceptions else []
    for cm in compiled.misconceptions:
        found: MisconceptionMatch | None = None
        # Only sentences holding a subject's words (or typos of them) can name it.
        # A spelling is looked for only where its words are (elsewhere it is at -1).
        spots = [_sentences_with(a, answer, compiled, every=True) for a in cm.subject]
        wrong_spots = [_sentences_with(w, answer, compiled, every=True) for w in cm.wrong]
        cued = _prefixed(answer, tuple(sorted(cm.cue)))
        dates = _own_dates(compiled, cm)
        dated = {
            si: ats for si in sorted(set().union(*wrong_spots))
            if (ats := _dated_at(dates, answer, si))
        } if dates[0] else {}
        for si in sorted(set().union(*spots, dated)):
            if cm.cue and si not in cued:
                continue
            subj = [
                p
                for a, where in zip(cm.subject, spots, strict=True)
                if si in where and (p := _alt_at(a, answer, si, compiled)) >= 0
            ]
            if not subj and si not in dated:
                continue
            for w, where in zip(cm.wrong, wrong_spots, strict=True):
                at = _alt_at(w, answer, si, compiled) if si in where else -1
                if at < 0:
                    continue
                if not subj:
                    # Not named but dated: "signed a free-trade agreement on MSMEs in April
                    # 2026" is the MoU, the only thing of the rubric signed then.
                    if not _dates_term(at, dated[si], compiled, anchors[si], answer, si):
                        continue
                else:
                    sides = compiled.sides if _is_side(cm, compiled.sides) else ()
                    if not _attached(at, subj, anchors[si], answer, si, sides=sides):
                        continue
                    if not cm.cue and not _linked(answer, si, subj, at):
                        continue
                asserted = not _denied(answer, si, at)
                match = MisconceptionMatch(
                    cm.misconception, asserted, answer.sentences[si],
                    " ".join(answer.tokens[si][at : at + len(w.tokens)]),
                )
                if asserted:
                    found = match
                    break
                found = found or match
            if found is not None and found.asserted:
                break
        if found is not None:
            out.append(found)
    return out


_Dates = tuple[frozenset[int], frozenset[int]]  # years, months


def _own_dates(compiled: CompiledRubric, cm: _Misconception) -> _Dates:
    """The years of the misconception's subject that no other thing of the rubric has (a
    sentence with one of them speaks of the subject), and the subject's months."""
    cache: dict[int, _Dates] = compiled._cache.setdefault("own dates", {})
    got = cache.get(id(cm))
    if got is None:
        names = {a.stems for a in cm.subject}
        mine: set[int] = set()
        theirs: set[int] = set()
        months: set[int] = set()
        for cp in compiled.points:
            f = cp.fact
            if f is None or f.kind not in ("year", "date"):
                continue
            if any(a.stems in names for a in f.anchors):
                mine |= f.years
                months |= f.months
            else:
                theirs |= f.years
        got = cache[id(cm)] = (frozenset(mine - theirs), frozenset(months))
    return got


def _dated_at(dates: _Dates, answer: Answer, si: int) -> list[int]:
    """Positions of sentence ``si``'s years that are one of ``dates`` (its month, if it has
    one, one of theirs)."""
    years, months = dates
    return [
        v.at for v in answer.values[si]
        if v.kind == "year" and int(v.number) in years and (not v.month or v.month in months)
    ]


def _dates_term(
    at: int, dated: Sequence[int], compiled: CompiledRubric, hits: Sequence[tuple[int, int]],
    answer: Answer, si: int,
) -> bool:
    """True when a date follows the term closely in its clause with no dated thing named
    between: "a free-trade agreement on MSMEs in April 2026", not "a free-trade agreement,
    the CEPA of 2010"."""
    clause = _clauses(answer, si)
    between = [
        h for h, p in hits
        if (f := compiled.points[p].fact) is not None and f.kind in ("year", "date")
    ]
    return any(
        0 < pos - at <= 10 and pos < len(clause) and clause[pos] == clause[at]
        and not any(at < h < pos for h in between)
        for pos in dated
    )


def _is_side(cm: _Misconception, sides: Sequence[str]) -> bool:
    return bool(sides) and all(
        any(" ".join(a.stems).startswith(s) for s in sides) for a in cm.subject
    )


def _attached(
    at: int, subject: Sequence[int], hits: Sequence[tuple[int, int]], answer: Answer, si: int,
    *, sides: Sequence[str],
) -> bool:
    """True when the wrong term is said of the subject, not of another named thing."""
    before = [p for p in subject if p <= at]
    if sides:
        # "India's Ministry of Commerce": the nearest side named before the term is its side.
        seq = answer.sequence[si]
        countries = [i for i, st in enumerate(seq[:at]) if any(st.startswith(s) for s in sides)]
        return (
            bool(before)
            and bool(countries)
            and countries[-1] in subject
            and at - countries[-1] <= 6
        )
    near = max(before) if before else min(subject)
    others = [pos for pos, _ in hits if pos not in subject]
    return not any(min(near, at) < pos < max(near, at) for pos in others)


_PLAN = frozenset({"will", "shall", "would", "aim", "aims", "plan", "plans", "target", "expected",
                   "upgrade", "upgrading", "negotiation", "negotiations"})


def _planned(answer: Answer, si: int, at: int) -> bool:
    """True when a year is a plan or a deadline ("by 2027", "will ... in 2027")."""
    toks = answer.tokens[si]
    if any(t in _PLAN for t in toks[max(0, at - 6) : at]):
        return True
    # "by 2027" is a deadline; "governed by the MSMED Act, 2008" is not.
    return at > 0 and toks[at - 1] in _DEADLINE


_DEADLINE = frozenset({"by", "until", "till"})


_CLAUSE_START = re.compile(r"[;:.!?]|\b(?:but|however|yet|whereas|while|although)\b", re.I)


# Words by which a sentence says what a thing is or has: "the MoU is a treaty", "comes with
# an outlay". "The MoU sits below a treaty" says neither.
_LINKS = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "as", "constitutes", "constitute",
    "amounts", "becomes", "became", "remains", "carries", "carry", "has", "have", "had",
    "with", "provides", "involves", "comes", "allocates", "called", "means", "i.e",
})


def _linked(answer: Answer, si: int, subject: Sequence[int], at: int) -> bool:
    before = [p for p in subject if p <= at]
    if not before:
        return False
    between = answer.tokens[si][max(before) + 1 : at]
    return any(t in _LINKS for t in between)


def _denied(answer: Answer, si: int, at: int) -> bool:
    """True when a negation or contrast governs the term: earlier in its clause ("not a
    free-trade agreement or a treaty"), or just before it."""
    toks = answer.tokens[si]
    window = toks[max(0, at - 5) : at]
    if any(t in tx.NEGATIONS or t in _CONTRAST for t in window):
        return True
    text = answer.sentences[si].text
    # Character offset of token ``at``: the clause is read back from there.
    pos = 0
    for i, m in enumerate(tx.TOKEN.finditer(tx.normalise(text))):
        if i == at:
            pos = m.start()
            break
    head = text[:pos]
    cut = [m.end() for m in _CLAUSE_START.finditer(head)]
    clause = head[cut[-1] :] if cut else head
    return any(t in tx.NEGATIONS or t in _CONTRAST for t in tx.words(clause))
