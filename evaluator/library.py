"""The public API: choose a rubric, grade an answer, grade many.

>>> import evaluator
>>> r = evaluator.evaluate("Q. Examine the India-Korea MSME MoU.\\n\\nThe MoU of April 2026 ...")
>>> r.rubric, r.max_score                                  # doctest: +SKIP
('india-south-korea-sign-mou-msme', 10.0)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaluator import io
from evaluator import text as tx
from evaluator.errors import CalibrationError, EvaluatorError, InputError, RubricError
from evaluator.match import (
    CompiledRubric,
    MatcherSettings,
    answer_terms,
    compile_rubric,
    prepare,
)
from evaluator.rubric import Rubric, from_reference
from evaluator.score import Result, Topic, grade, split_question

if TYPE_CHECKING:
    from evaluator.calibrate import Calibration, CalibrationRun

# Closeness (TF-IDF cosine to a rubric's points) below which an answer is about none
# of the bundled rubrics; a second seed must be at least SPAN_MIN close to be
# considered spanned. How they were set: docs/decisions.md ("Topic thresholds").
OFF_TOPIC = 0.20
SPAN_MIN = 0.25
# Content-only rubrics (model answers, key points) credit every overlap pro rata, lean on
# wording and ask less of words the question gives away, in the words looked for and in the
# wording similarity; a point's words count a quarter from the next sentence, for a key
# point is one idea said in one sentence, as a claim is (docs/decisions.md, "Content points:
# marks as written, one sentence" and "Content points: the question's words in wording").
CONTENT_SETTINGS = MatcherSettings(
    partial=0.05, neighbour=0.25, similarity=0.2, question_word=0.25, question_term=0.25,
    synonym=0.5, derived=0.9, near=0.5, near_cosine=0.5, degrees=True,
)


@dataclass(frozen=True)
class BatchItem:
    """One row of :func:`evaluate_many`: a result, or the one-line reason there is none."""

    id: str
    result: Result | None
    error: str | None = None


class _CompiledCache:
    """Compiled rubrics, looked up by the rubric's identity first.

    Hashing a rubric (every point, every alias) per answer costs more than grading a
    short answer; an entry holds its rubric, so the id stays that rubric's while cached.
    """

    def __init__(self) -> None:
        self._by_id: dict[tuple[int, MatcherSettings], tuple[Rubric, CompiledRubric]] = {}

    def __call__(self, rubric: Rubric, settings: MatcherSettings) -> CompiledRubric:
        hit = self._by_id.get((id(rubric), settings))
        if hit is not None and hit[0] is rubric:
            return hit[1]
        compiled = _compiled_by_value(rubric, settings)
        if len(self._by_id) >= 64:
            self._by_id.clear()
        self._by_id[(id(rubric), settings)] = (rubric, compiled)
        return compiled

    def cache_clear(self) -> None:
        self._by_id.clear()
        _compiled_by_value.cache_clear()


_compiled = _CompiledCache()


@lru_cache(maxsize=64)
def _compiled_by_value(rubric: Rubric, settings: MatcherSettings) -> CompiledRubric:
    try:
        return compile_rubric(rubric, settings=settings)
    except ValueError as exc:
        # Found by benchmarks/fuzz.py: TF-IDF refuses an empty vocabulary, which is what a
        # rubric whose every point is stop words or single letters ("t", "A") gives.
        if "empty vocabulary" not in str(exc):
            raise
        where = rubric.path if rubric.path and rubric.path != "<rubric>" else rubric.id
        raise RubricError(
            f"{where}: points: no point has a word to match (only stop words or single letters)",
            problems=(("points", "no point has a word to match"),),
        ) from None


def check_rubric(rubric: Rubric) -> None:
    """Raise :class:`RubricError` if ``rubric`` loads but cannot be compiled for matching, so
    `evaluate rubrics check` finds what grading would."""
    _compiled(rubric, MatcherSettings())


class Library:
    """The rubrics an answer may be graded against, compiled once."""

    def __init__(self, rubrics: Sequence[Rubric], *, settings: MatcherSettings | None = None):
        if not rubrics:
            raise RubricError("no rubrics: run `evaluate rubrics build` first")
        self.rubrics = tuple(rubrics)
        self.settings = settings or MatcherSettings()
        self._space: Any = None
        self._profiles: Any = None

    def get(self, name: str) -> Rubric:
        for r in self.rubrics:
            if r.id == name:
                return r
        raise RubricError(f"no rubric named {name!r}; `evaluate rubrics` lists them")

    def compiled(self, rubric: Rubric) -> CompiledRubric:
        return _compiled(rubric, self.settings)

    def _fit(self) -> None:
        from evaluator import vectors as vec
        from evaluator.match import _analyzer

        docs = [" ".join([r.title, *(p.text for p in r.points)]) for r in self.rubrics]
        self._space = vec.Space.fit([_analyzer(d) for d in docs])
        space = self._space
        rows = [
            vec.total(space.vector(_analyzer(t)) for t in [p.text for p in r.points] or [r.title])
            for r in self.rubrics
        ]
        self._profiles = vec.Index([vec.normalised(v) for v in rows])

    def closeness(self, text: str) -> list[tuple[Rubric, float]]:
        """Every rubric with the answer's closeness to it, closest first (ties by id)."""
        from evaluator.match import _analyzer

        return self._closeness(_analyzer(text))

    def _closeness(self, terms: list[str]) -> list[tuple[Rubric, float]]:
        """:meth:`closeness` of an analysed text (its terms in any order)."""
        if self._space is None:
            self._fit()
        dots = self._profiles.dots(self._space.vector(terms))
        pairs = [(r, dots.get(i, 0.0)) for i, r in enumerate(self.rubrics)]
        return sorted(pairs, key=lambda rs: (-round(rs[1], 9), rs[0].id))

    def choose(self, text: str, *, question: str | None = None) -> tuple[Rubric, Topic]:
        """The rubric to grade ``text`` against, and how close it was.

        Closeness blends the question (when given) and the answer. A seed's own rubric
        is preferred; a topic rubric is chosen only when the answer also covers, at
        least twice, checkable points that belong to another of the topic's seeds.
        """
        # The answer is prepared once, here, for choosing and grading alike.
        ranked = self._closeness(answer_terms(prepare(text)))
        if question:
            by_q = dict((r.id, c) for r, c in self.closeness(question))
            ranked = sorted(
                ((r, 0.5 * c + 0.5 * by_q[r.id]) for r, c in ranked),
                key=lambda rc: (-round(rc[1], 9), rc[0].id),
            )
        seeds = [(r, c) for r, c in ranked if r.kind == "seed"] or ranked
        best, best_c = seeds[0]
        chosen, chosen_c = best, best_c
        if best.seeds and best_c >= OFF_TOPIC:
            others = {r.seeds[0].file for r in self._spanned(best, seeds[1:], text)}
            spans = [
                (r, c)
                for r, c in ranked
                if r.kind == "topic"
                and best.seeds[0].file in {s.file for s in r.seeds}
                and others & {s.file for s in r.seeds}
            ]
            if spans:
                chosen, chosen_c = spans[0]
        candidates = tuple((r.id, c) for r, c in ranked if r.id != chosen.id)[:3]
        return chosen, Topic(chosen.id, chosen_c, best_c < OFF_TOPIC, candidates)

    def _spanned(
        self, best: Rubric, others: Sequence[tuple[Rubric, float]], text: str
    ) -> list[Rubric]:
        """Seeds near ``best`` whose own checkable points the answer covers at least twice."""
        from evaluator.match import match

        answer = prepare(text)
        own = {tx.must_signature(p.must) for p in best.points}
        out = []
        for r, c in others:
            if not r.seeds or c < SPAN_MIN:
                continue
            # Fewer than two points that could count: nothing to match (the answer's
            # matches against this rubric would be thrown away).
            if sum(
                p.kind in _CHECKABLE and tx.must_signature(p.must) not in own for p in r.points
            ) < 2:
                continue
            hits = [
                m
                for m in match(self.compiled(r), answer)
                if m.status == "covered"
                and m.point.kind in _CHECKABLE
                and tx.must_signature(m.point.must) not in own
            ]
            if len(hits) >= 2:
                out.append(r)
        return out


_CHECKABLE = ("date", "figure", "agreement", "institution")


@lru_cache(maxsize=8)
def _bundled(directory: str, state: tuple[tuple[str, int, int], ...] = ()) -> Library:
    return Library(io.bundled_rubrics(directory))


def bundled_library(directory: str | os.PathLike[str] | None = None) -> Library:
    """The rubrics of ``directory``; by default ``$EVALUATOR_RUBRICS``, a checkout's
    ``rubrics/`` when run inside one, else the rubrics shipped with the package."""
    d = io.default_rubrics_dir() if directory is None else Path(directory)
    if not d.is_dir():
        raise RubricError(f"{d}: no such rubric folder")
    # Keyed by the files' state too: a rubric edited while the process runs is re-read.
    state = tuple(
        (p.name, st.st_mtime_ns, st.st_size) for p in io.rubric_files(d) for st in [p.stat()]
    )
    return _bundled(str(d.resolve()), state)


def load_rubric(
    name_or_path: str | os.PathLike[str], *, library: Library | None = None
) -> Rubric:
    """A rubric by bundled name (``evaluate rubrics`` lists them) or by file path.

    Files may be native ``.toml`` rubrics, key-point ``.csv`` lists, or model answers
    (``.txt``/``.md``).

    >>> load_rubric("no-such-rubric")
    Traceback (most recent call last):
    ...
    evaluator.errors.RubricError: no rubric named 'no-such-rubric'; `evaluate rubrics` lists them
    """
    s = os.fspath(name_or_path)
    if (
        Path(s).suffix.lower() in (".toml", ".csv", ".txt", ".md")
        or os.sep in s
        or Path(s).exists()
    ):
        return io.load_rubric_file(s)
    if library is not None:
        return library.get(s)
    return _bundled_by_name(s)


def _bundled_by_name(name: str) -> Rubric:
    # Rubric files are named after their id: read the one file, not the whole library
    # (a file whose id was edited is still found by the full scan).
    d = io.default_rubrics_dir()
    path = d / f"{name}.toml"
    if "/" not in name and "\\" not in name and not name.startswith(".") and path.is_file():
        rubric = io.load_rubric_file(path)
        if rubric.id == name:
            return rubric
    return bundled_library().get(name)


def evaluate(
    answer: str,
    rubric: Rubric | str | os.PathLike[str] | None = None,
    *,
    question: str | None = None,
    marks: float | None = None,
    reference: str | Sequence[str] | None = None,
    calibration: Calibration | None = None,
    settings: MatcherSettings | None = None,
    library: Library | None = None,
) -> Result:
    """Grade one answer.

    ``rubric`` is a :class:`Rubric`, a rubric's name in ``library`` (default:
    :func:`bundled_library`) or a file; None chooses the closest rubric of the library
    (off-topic answers score 0). ``reference`` grades against a model answer instead;
    several model answers are alternatives: the answer is graded against each and the
    best fit counts (``Result.reference_index`` says which). ``question`` (or a leading
    ``Q.`` line in the answer) helps choose the rubric, weights points and sets the
    structure expected. ``marks`` rescales (10 or 15 for UPSC); None keeps the rubric's
    own scale.

    >>> r = evaluate("Stacks are last in, first out.", reference="A stack is LIFO.")
    >>> r.score > 0, r.max_score
    (True, 10.0)
    >>> r = evaluate("A stack is LIFO.", reference=["Queues are FIFO.", "A stack is LIFO."])
    >>> r.reference_index, r.reference_count
    (2, 2)
    """
    if not isinstance(answer, str) or not answer.strip():
        raise InputError("the answer is empty")
    if marks is not None and not marks > 0:
        raise InputError(f"marks must be positive, not {marks}")
    if reference is not None and not isinstance(reference, str):
        references = _references(reference)
        if len(references) > 1:
            return _best_reference(
                answer, references, question=question, marks=marks,
                calibration=calibration, settings=settings,
            )
        reference = references[0]
    q_line, body = split_question(answer)
    q_source = "option" if question else "answer"
    question = question or q_line
    if not body.strip():
        raise InputError("the answer has a question but no answer text")
    topic = None
    if reference is not None:
        # A model answer may open with its own question line: that is not content to earn.
        ref_question, ref_body = split_question(reference)
        question = question or ref_question
        chosen = _reference_rubric(ref_body or reference, question or "")
    elif rubric is None:
        lib = library or bundled_library()
        chosen, topic = lib.choose(_head(body), question=question)
    else:
        chosen = rubric if isinstance(rubric, Rubric) else load_rubric(rubric, library=library)
    if settings is None:
        settings = (
            CONTENT_SETTINGS if chosen.kind in ("reference", "key-points") else MatcherSettings()
        )
    compiled = _compiled(chosen, settings)
    result = grade(
        compiled,
        body,
        marks=marks,
        question=question,
        question_source=q_source,
        topic=topic,
        # Hashed once per compiled rubric, not per answer; a model answer's rubric has none.
        rubric_hash=None if reference is not None else compiled.rubric_hash,
    )
    if calibration is not None:
        result = calibration.apply(result, chosen)
    return result


# Rubric choice reads this many words: enough for any answer to a word-limited question,
# and a 200,000-word paste costs no more than a long answer.
CHOICE_WORDS = 2000


def _head(text: str) -> str:
    for i, m in enumerate(tx.COUNTED_WORD.finditer(text)):
        if i == CHOICE_WORDS:
            return text[: m.start()]
    return text


def _references(reference: Sequence[str]) -> tuple[str, ...]:
    if not all(isinstance(r, str) for r in reference):
        raise InputError("each reference must be a text")
    out = tuple(r for r in reference if r.strip())
    if not out:
        raise InputError("the reference answers are empty")
    return out


def _best_reference(
    answer: str,
    references: Sequence[str],
    *,
    question: str | None,
    marks: float | None,
    calibration: Calibration | None,
    settings: MatcherSettings | None,
) -> Result:
    """Grade against each model answer; the best fraction of full marks wins, the first of
    equals. A calibration is applied to the winner only, so it cannot pick the reference."""
    from dataclasses import replace

    results = [
        evaluate(answer, question=question, marks=marks, reference=ref, settings=settings)
        for ref in references
    ]
    index = max(range(len(results)), key=lambda i: (_fraction(results[i]), -i))
    best = replace(results[index], reference_index=index + 1, reference_count=len(results))
    if calibration is None:
        return best
    q_line, _ = split_question(answer)
    ref_question, ref_body = split_question(references[index])
    rubric = from_reference(
        ref_body or references[index], question=question or q_line or ref_question or ""
    )
    return calibration.apply(best, rubric)


def _fraction(result: Result) -> float:
    return result.score / result.max_score if result.max_score > 0 else 0.0


@lru_cache(maxsize=64)
def _reference_rubric(text: str, question: str) -> Rubric:
    # A batch graded against one model answer builds its rubric once, not once per answer.
    return from_reference(text, question=question)


def evaluate_many(
    rows: Iterable[Mapping[str, Any]],
    *,
    rubric: Rubric | str | os.PathLike[str] | None = None,
    reference: str | Sequence[str] | None = None,
    marks: float | None = None,
    calibration: Calibration | None = None,
    library: Library | None = None,
) -> Iterator[BatchItem]:
    """Grade rows lazily. A row has ``id`` and ``answer`` and may carry its own
    ``rubric``, ``reference``, ``question`` or ``max_score``, which override the options.
    A row's ``reference`` may be a list of model answers (alternatives, best fit counts).

    A row that cannot be graded yields an item with ``error`` set; the rest go on.

    >>> items = evaluate_many([{"id": "a", "answer": ""}], reference="LIFO")
    >>> [(i.id, i.error) for i in items]
    [('a', 'the answer is empty')]
    """
    for row in rows:
        rid = str(row.get("id", "")).strip()
        try:
            own_rubric = io.row_value(row, "rubric")
            r_rubric: Rubric | str | None = own_rubric or (
                rubric if not isinstance(rubric, os.PathLike) else os.fspath(rubric)
            )
            # A row's own rubric replaces the option's model answer; its own answers do too.
            r_reference: str | Sequence[str] | None = None if own_rubric else reference
            refs = io.row_references(row)
            if refs:
                r_reference = refs[0] if len(refs) == 1 else tuple(refs)
            r_marks = io.row_marks(row, marks)
            result = evaluate(
                str(row.get("answer") or ""),
                r_rubric,
                question=io.row_value(row, "question"),
                marks=r_marks,
                reference=r_reference,
                calibration=calibration,
                library=library,
            )
            yield BatchItem(rid, result)
        except EvaluatorError as exc:
            yield BatchItem(rid, None, str(exc))


def build_rubrics(
    *,
    seed_dir: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    force: bool = False,
) -> list[tuple[str, str]]:
    """Build rubric files from seeds; returns ``(path, action)`` pairs.

    Actions: ``written`` (new or changed), ``unchanged``, ``kept`` (edited by hand
    and not overwritten: pass ``force=True``). ``out_dir`` defaults to
    :func:`evaluator.io.build_target` (never inside an installed package); ``seed_dir``
    to a checkout's ``seeds/`` when run inside one, else the bundled seeds.
    """
    from evaluator.rubric import from_seeds, from_toml, to_toml
    from evaluator.seeds import parse_seed

    seed_dir = seed_dir if seed_dir is not None else io.default_seeds_dir()
    seeds = io.read_seeds(seed_dir)
    topics = io.read_topics(seed_dir)
    docs = [(parse_seed(s.text, name=s.name), s.sha256) for s in seeds]
    out = Path(out_dir) if out_dir is not None else io.build_target()[0]
    actions: list[tuple[str, str]] = []
    for rubric in from_seeds(docs, topics=topics):
        path = out / f"{rubric.id}.toml"
        text = to_toml(rubric)
        if path.exists():
            old_text = io.read_text(path)
            if old_text == text:
                actions.append((str(path), "unchanged"))
                continue
            try:
                edited = from_toml(old_text, path=str(path)).edited_by_hand()
            except RubricError:
                edited = True  # a broken file is someone's work in progress
            if edited and not force:
                actions.append((str(path), "kept"))
                continue
        io.write_text(path, text)
        actions.append((str(path), "written"))
    _bundled.cache_clear()
    return actions


def calibrate_file(
    path: str | os.PathLike[str],
    *,
    rubric: str | None = None,
    reference_file: str | os.PathLike[str] | None = None,
    marks: float | None = None,
) -> CalibrationRun:
    """Grade every row of a teacher-marked CSV/JSONL (``id,answer,score``, optionally
    ``rubric``, ``reference``, ``question``) and fit a calibration to the scores.

    Rows without a numeric score are skipped (and counted); rows that cannot be graded
    are skipped with their reason. At least :data:`MIN_ROWS` usable rows are needed.
    Cross-validation groups rows by rubric and question.
    """
    from evaluator.calibrate import MIN_ROWS, CalibrationRun, fit, rubric_key, teacher_score

    reference = io.read_text(reference_file) if reference_file else None
    rows: list[Mapping[str, Any]] = []
    scores: dict[str, float] = {}
    skipped = 0
    for row in io.read_rows(path):
        score = teacher_score(row.get("score"))
        if score is None:
            skipped += 1
            continue
        rows.append(row)
        scores[str(row["id"]).strip()] = score
    ids = [str(r["id"]).strip() for r in rows]
    if len(set(ids)) != len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise CalibrationError(f"{path}: ids must be unique; repeated: {', '.join(dupes[:5])}")
    questions = {str(r["id"]).strip(): str(r.get("question") or "").strip() for r in rows}
    results: list[Result] = []
    kept: list[str] = []
    failed: list[str] = []
    for item in evaluate_many(rows, rubric=rubric, reference=reference, marks=marks):
        if item.result is None:
            failed.append(f"{item.id}: {item.error}")
        else:
            results.append(item.result)
            kept.append(item.id)
    if len(results) < MIN_ROWS:
        raise CalibrationError(
            f"{path}: {len(results)} usable rows (graded, with a numeric score); at least "
            f"{MIN_ROWS} are needed to calibrate"
        )
    groups = []
    for r, i in zip(results, kept, strict=True):
        rid, rhash = rubric_key(r)
        groups.append(f"{rid}@{rhash}|{questions[i]}")
    cal = fit(results, [scores[i] for i in kept], groups=groups, ids=kept)
    return CalibrationRun(cal, skipped, tuple(failed))
