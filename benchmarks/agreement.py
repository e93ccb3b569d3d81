"""Agreement between automatic scores and human scores on public short-answer data.

Run from the project root::

    python -m benchmarks.agreement --data ../shared/data [--datasets mohler saf ...]
        [--systems tfidf-cosine ...] [--bootstrap 1000] [--seed 0]
        [--resample answers|questions] [--jobs 2] [--out table.md]

It prints one markdown table, one row per dataset x system, with Pearson r, Spearman rho,
RMSE, QWK (where gold scores are discrete grades) and ROC AUC (where gold is a binary
label), each with a 95% percentile bootstrap interval, pooled over all of a dataset's
answers. Then notes (what was loaded or skipped, and why) and the elapsed time.

Scales. A system returns one score in [0, 1] per answer, read as a fraction of full
marks. Where every answer in a dataset has the same max_score (Mohler: 5 points, SemEval:
1) gold stays in its own units and predictions are mapped by ``p * max_score``, the honest
mapping for an uncalibrated system; where max_score varies by question (SAF) both sides
are fractions of the question's maximum. RMSE is in those units. QWK bins both sides with
:func:`benchmarks.metrics.to_bins`: Mohler to half points on 0-5, SAF to quarters of the
maximum.

Plugging in the grader. :data:`SYSTEMS` maps a system name to ``f(items) -> list[float]``.
The ``"evaluator"`` entry calls ``evaluator.benchmark_scores(items)`` if the package has it,
else grades each answer with ``evaluator.evaluate`` (:func:`evaluate_adapter`); see
:func:`evaluator_system` for the contract. If the package cannot be imported or has
neither, the row is skipped with a note, never filled with a placeholder number.
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from benchmarks import datasets
from benchmarks.baselines import (
    keypoint_recall_system,
    stemmed_recall_system,
    tfidf_cosine_system,
)
from benchmarks.datasets import Item
from benchmarks.metrics import (
    bootstrap_ci,
    paired_difference_ci,
    pearson,
    qwk,
    rmse,
    roc_auc,
    spearman,
    to_bins,
)

System = Callable[[list[Item]], list[float]]

EVALUATOR_HOOK = "benchmark_scores"

# Worker processes for grading with evaluator.evaluate; main() sets it from --jobs.
EVALUATOR_JOBS = 1

# QWK grid per dataset, in the units gold is compared in (see module doc). Datasets absent
# here have no QWK column (SemEval's gold is a binary label: AUC is the right measure).
QWK_STEP: dict[str, float] = {"mohler": 0.5, "saf": 0.25}

# Tolerance for scores a hair outside [0, 1] from float arithmetic in a system.
_RANGE_TOLERANCE = 1e-9


class SystemUnavailable(Exception):
    """A system cannot score these items (missing package, hook or data); the row is skipped."""


class BenchmarkNote(UserWarning):
    """Something a system wants reported beside the table (e.g. answers it could not grade).

    Systems keep the plain ``f(items) -> list[float]`` signature and emit these with
    :func:`warnings.warn`; :func:`main` records them into the notes under the table.
    """


class _NeverRaised(Exception):
    """Stands in for a grader error class the package does not define."""


# --------------------------------------------------------------------------- systems


def keypoints_system(items: list[Item]) -> list[float]:
    """Key-element recall (SAF rubrics); unavailable on data without key points."""
    if not items or any(not item.key_points for item in items):
        raise SystemUnavailable("needs a key-point rubric for every answer (SAF only)")
    return keypoint_recall_system(items)


def _fraction(result: Any) -> float:
    """A grader result's score as a fraction of its maximum (0 for a zero maximum)."""
    maximum = float(result.max_score)
    return float(result.score) / maximum if maximum > 0 else 0.0


def _grade_items(module: Any, items: Sequence[Item]) -> tuple[list[Any], list[str]]:
    """Grade items with ``module.evaluate`` (see :func:`evaluate_adapter`).

    Returns each item's best result (None where every call was refused) and a
    description of each call the grader refused.
    """
    evaluate = module.evaluate
    from_key_points = getattr(module, "from_key_points", None)
    from_reference = getattr(module, "from_reference", None)
    # Building a rubric is a large part of the cost; one per question (or reference) is
    # enough since it never depends on the answer.
    rubrics: dict[tuple[str, str, str | None], Any] = {}

    def rubric_for(item: Item, reference: str | None) -> Any:
        key = (item.dataset, item.question_id, reference)
        if key not in rubrics:
            if reference is None:
                rows = [(str(n), text, pts) for n, (text, pts) in enumerate(item.key_points, 1)]
                rubrics[key] = from_key_points(  # type: ignore[misc]
                    rows, max_score=item.max_score, question=item.question
                )
            else:
                rubrics[key] = from_reference(  # type: ignore[misc]
                    reference, question=item.question, marks=item.max_score
                )
        return rubrics[key]

    # The grader's deliberate refusals (its EvaluatorError) on a real, non-empty student
    # answer earn no credit, as they would for a teacher using it; they are counted and
    # reported rather than aborting the run. Any other exception is a bug and propagates.
    refusal: type[Exception] = getattr(module, "EvaluatorError", _NeverRaised)
    refused: list[str] = []

    def grade(item: Item, reference: str | None) -> Any:
        # reference None = grade against the question's key-point rubric.
        try:
            if reference is None:
                return evaluate(item.answer, rubric_for(item, None), question=item.question)
            if from_reference is not None:
                return evaluate(item.answer, rubric_for(item, reference), question=item.question)
            return evaluate(item.answer, reference=reference, question=item.question)
        except refusal as exc:
            refused.append(f"{item.answer_id or item.question_id} ({exc})")
            return None

    results: list[Any] = []
    for item in items:
        if item.key_points and from_key_points is not None:
            results.append(grade(item, None))
        else:
            graded = [grade(item, ref) for ref in item.references or (item.reference,)]
            # The first of equally good references, so the choice is deterministic.
            best = None
            for result in graded:
                if result is not None and (best is None or _fraction(result) > _fraction(best)):
                    best = result
            results.append(best)
    return results, refused


def _grade_items_in_worker(module_name: str, items: list[Item]) -> tuple[list[Any], list[str]]:
    """Process-pool entry point: import the grader in the worker and grade one chunk."""
    return _grade_items(importlib.import_module(module_name), items)


def _chunks_by_question(items: Sequence[Item], parts: int) -> list[list[int]]:
    """Split item indices into ``parts`` chunks of whole questions, balanced by cost.

    Whole questions keep each worker's rubric cache useful. Cost = grading calls: answers
    times references (Beetle has up to 14 references per question), or answers alone with
    a key-point rubric. Costliest question first to the lightest chunk evens the load.
    """
    by_question: dict[tuple[str, str], list[int]] = {}
    for index, item in enumerate(items):
        by_question.setdefault((item.dataset, item.question_id), []).append(index)

    def cost(indices: list[int]) -> int:
        item = items[indices[0]]
        calls = 1 if item.key_points else max(1, len(item.references))
        return len(indices) * calls

    chunks: list[list[int]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for indices in sorted(by_question.values(), key=cost, reverse=True):
        lightest = loads.index(min(loads))
        chunks[lightest].extend(indices)
        loads[lightest] += cost(indices)
    return [sorted(chunk) for chunk in chunks if chunk]


def evaluate_adapter(module: Any, items: Sequence[Item], *, jobs: int = 1) -> list[float]:
    """Score items with the package's public single-answer API, ``evaluator.evaluate``.

    Used when the package has no :data:`EVALUATOR_HOOK`. The answer is graded as a
    teacher would use the package on this data:

    * items with key points (SAF) against a rubric built once per question with
      ``evaluator.from_key_points((id, key element, points) rows, max_score=item.max_score,
      question=...)``, the question's rubric as the data gives it;
    * otherwise against each reference answer, with a rubric built once per (question,
      reference) by ``evaluator.from_reference`` when the package has it (else
      ``evaluate(answer, reference=...)``), keeping the best fraction over references,
      as the baselines do.

    The score is ``result.score / result.max_score``. No human score or label is read.
    With ``jobs`` > 1, whole questions are graded in that many worker processes; the
    result does not depend on ``jobs`` as long as the grader is deterministic. Calls the
    grader refuses (its ``EvaluatorError``) score 0 and are reported as a
    :class:`BenchmarkNote` warning.
    """
    results = grade_results(module, items, jobs=jobs)
    return [_fraction(r) if r is not None else 0.0 for r in results]


# Results of the last grading run, so the calibrated row reuses the uncalibrated one's.
_RESULTS: dict[tuple[Any, ...], tuple[list[Any], list[str]]] = {}


def grade_results(module: Any, items: Sequence[Item], *, jobs: int = 1) -> list[Any]:
    """Each item's best result from ``module.evaluate`` (None if refused); see the adapter."""
    key = (id(module), tuple((i.dataset, i.question_id, i.answer_id, i.answer) for i in items))
    if key not in _RESULTS:
        _RESULTS.clear()
        _RESULTS[key] = _grade_all(module, items, jobs)
    results, refused = _RESULTS[key]
    if refused:
        warnings.warn(
            f"evaluator refused {len(refused)} grading call(s), scored 0: "
            + "; ".join(refused[:3])
            + (" ..." if len(refused) > 3 else ""),
            BenchmarkNote,
            stacklevel=2,
        )
    return results


def _grade_all(module: Any, items: Sequence[Item], jobs: int) -> tuple[list[Any], list[str]]:
    chunks = _chunks_by_question(items, jobs) if jobs > 1 and len(items) >= 100 else []
    if len(chunks) > 1:
        results: list[Any] = [None] * len(items)
        refused: list[str] = []
        with ProcessPoolExecutor(max_workers=len(chunks)) as pool:
            futures = [
                pool.submit(_grade_items_in_worker, module.__name__, [items[i] for i in chunk])
                for chunk in chunks
            ]
            for chunk, future in zip(chunks, futures, strict=True):
                chunk_results, chunk_refused = future.result()
                for index, value in zip(chunk, chunk_results, strict=True):
                    results[index] = value
                refused.extend(chunk_refused)
    else:
        results, refused = _grade_items(module, items)
    return results, refused


CALIBRATION_FOLDS = 12


def calibrated_system(items: list[Item]) -> list[float]:
    """The grader calibrated on human scores, cross-validated by question.

    Question-grouped k-fold (:func:`question_folds`, k = 12 or the number of questions):
    each fold's answers are predicted by ``evaluator.calibrate.fit`` trained on the other
    folds' results and gold, so no question's answers train the model that scores them.
    Gold is the score as a fraction of the question's maximum (labels for SemEval), the
    output a fraction clipped to [0, 1]. Refused answers keep 0.
    """
    try:
        module = importlib.import_module("evaluator")
        calibrate = importlib.import_module("evaluator.calibrate")
    except ImportError as exc:
        raise SystemUnavailable(f"cannot import evaluator.calibrate ({exc})") from exc
    if not callable(getattr(module, "evaluate", None)):
        raise SystemUnavailable("evaluator has no evaluate() to grade with")
    results = grade_results(module, items, jobs=EVALUATOR_JOBS)
    graded = [i for i, r in enumerate(results) if r is not None]
    sub = [items[i] for i in graded]
    questions = len({(i.dataset, i.question_id) for i in sub})
    gold = np.array(
        [float(i.label) if i.label is not None else i.fraction for i in sub], dtype=np.float64
    )
    out = np.zeros(len(items))
    for train, test in question_folds(sub, k=min(CALIBRATION_FOLDS, questions)):
        try:
            model = calibrate.fit(
                [results[graded[j]] for j in train],
                gold[train].tolist(),
                groups=[sub[j].question_id for j in train],
                per_point=False,
                cv=False,
            )
        except module.CalibrationError as exc:
            # E.g. SAF: questions out of different maxima, which one calibration refuses.
            raise SystemUnavailable(f"calibration refused: {exc}") from exc
        predicted = model.predict_matrix(
            calibrate.features_matrix([results[graded[j]] for j in test], model)
        )
        for j, value in zip(test, predicted, strict=True):
            out[graded[j]] = float(np.clip(value, 0.0, 1.0))
    return out.tolist()


def evaluator_system(items: list[Item]) -> list[float]:
    """Scores from the ``evaluator`` package: its benchmark hook, else its ``evaluate``.

    Preferred contract, for when the grader wants to own the mapping from these items to
    its rubrics::

        evaluator.benchmark_scores(items: Sequence[Item]) -> Sequence[float]

    ``items`` are :class:`benchmarks.datasets.Item` (duck-typed: it may read ``question``,
    ``reference``, ``references``, ``answer``, ``max_score``, ``key_points``,
    ``question_id`` and ``dataset``, and must not read ``score`` or ``label``). It returns
    one float per item, in order, in [0, 1] = fraction of full marks. It may batch, cache
    or build one rubric per ``question_id``.

    Without that hook, ``evaluator.evaluate(answer, rubric, *, question=..., reference=...)
    -> result with .score and .max_score`` is used through :func:`evaluate_adapter`.

    Raises :class:`SystemUnavailable` if the package cannot be imported or has neither, so
    the caller skips the row and says why. Errors inside the grader propagate: a grader
    that crashes must not look like a grader that is absent.
    """
    try:
        module = importlib.import_module("evaluator")
    except ImportError as exc:
        raise SystemUnavailable(f"cannot import evaluator ({exc})") from exc
    hook = getattr(module, EVALUATOR_HOOK, None)
    if callable(hook):
        return [float(value) for value in hook(items)]
    if callable(getattr(module, "evaluate", None)):
        return evaluate_adapter(module, items, jobs=EVALUATOR_JOBS)
    raise SystemUnavailable(
        f"evaluator has neither {EVALUATOR_HOOK}(items) -> list[float] nor evaluate()"
    )


SYSTEMS: dict[str, System] = {
    "tfidf-cosine": tfidf_cosine_system,
    "stemmed-recall": stemmed_recall_system,
    "stemmed-recall-keypoints": keypoints_system,
    "evaluator": evaluator_system,
    "evaluator-calibrated": calibrated_system,
}


def run_system(name: str, system: System, items: list[Item]) -> NDArray[np.float64]:
    """Call ``system`` and check its output honours the contract (length, finite, [0, 1])."""
    values = np.asarray(system(items), dtype=np.float64)
    if values.shape != (len(items),):
        raise ValueError(f"system {name} returned {values.shape[0]} scores for {len(items)}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"system {name} returned non-finite scores")
    if values.min() < -_RANGE_TOLERANCE or values.max() > 1 + _RANGE_TOLERANCE:
        raise ValueError(
            f"system {name} returned scores outside [0, 1]: {values.min()}..{values.max()}"
        )
    return np.clip(values, 0.0, 1.0)


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float

    def format(self) -> str:
        if math.isnan(self.value):
            return "n/a"
        return f"{self.value:.3f} [{self.low:.3f}, {self.high:.3f}]"


@dataclass(frozen=True)
class Row:
    dataset: str
    system: str
    n: int
    pearson: Estimate
    spearman: Estimate
    rmse: Estimate
    qwk: Estimate | None
    auc: Estimate | None


def evaluate_system(
    items: list[Item],
    predictions: NDArray[np.float64],
    *,
    dataset: str,
    system: str,
    n_boot: int,
    seed: int,
    by_question: bool = False,
) -> Row:
    """Score one system's predictions against gold on one dataset (see module doc)."""
    max_scores = np.array([item.max_score for item in items])
    uniform = bool(np.all(max_scores == max_scores[0]))
    if uniform:
        scale = float(max_scores[0])
        gold = np.array([item.score for item in items])
        pred = predictions * scale
    else:
        scale = 1.0
        gold = np.array([item.score / item.max_score for item in items])
        pred = predictions
    groups = [f"{item.dataset}\t{item.question_id}" for item in items] if by_question else None

    def estimate(metric: Callable[..., float], y_true: ArrayLike, y_pred: ArrayLike) -> Estimate:
        low, high = bootstrap_ci(metric, y_true, y_pred, n=n_boot, seed=seed, groups=groups)
        return Estimate(metric(y_true, y_pred), low, high)

    qwk_estimate = None
    if dataset in QWK_STEP:
        step = QWK_STEP[dataset]
        qwk_estimate = estimate(
            qwk,
            to_bins(gold, step=step, lo=0.0, hi=scale),
            to_bins(pred, step=step, lo=0.0, hi=scale),
        )
    auc_estimate = None
    if all(item.label is not None for item in items):
        labels = np.array([item.label for item in items], dtype=np.float64)
        auc_estimate = estimate(roc_auc, labels, predictions)
    return Row(
        dataset=dataset,
        system=system,
        n=len(items),
        pearson=estimate(pearson, gold, pred),
        spearman=estimate(spearman, gold, pred),
        rmse=estimate(rmse, gold, pred),
        qwk=qwk_estimate,
        auc=auc_estimate,
    )


def markdown_table(rows: Sequence[Row]) -> str:
    """Render rows as one GitHub-flavoured markdown table ("—" = metric not applicable)."""
    header = (
        "| dataset | system | n | Pearson r [95% CI] | Spearman ρ [95% CI] | RMSE [95% CI] "
        "| QWK [95% CI] | ROC AUC [95% CI] |"
    )
    lines = [header, "|" + "---|" * 3 + "---:|" * 5]
    for row in rows:
        cells = [
            row.dataset,
            row.system,
            str(row.n),
            row.pearson.format(),
            row.spearman.format(),
            row.rmse.format(),
            row.qwk.format() if row.qwk else "—",
            row.auc.format() if row.auc else "—",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


@dataclass(frozen=True)
class Comparison:
    """The grader against one baseline on a dataset's headline measure."""

    dataset: str
    baseline: str
    measure: str
    ours: Estimate
    theirs: Estimate
    difference: Estimate

    @property
    def verdict(self) -> str:
        # "Beats" needs both: the paired difference excludes 0, and our estimate lies
        # above the baseline's own interval (the wording).
        if self.difference.low > 0 and self.ours.value > self.theirs.high:
            return "beats"
        if self.difference.high < 0:
            return "loses"
        return "not separable"


def headline(items: Sequence[Item]) -> str:
    """The measure a dataset is judged on: ROC AUC for binary labels, else Pearson r."""
    return "ROC AUC" if all(item.label is not None for item in items) else "Pearson r"


def compare(
    items: list[Item],
    ours: NDArray[np.float64],
    baseline: NDArray[np.float64],
    rows: tuple[Row, Row],
    *,
    dataset: str,
    baseline_name: str,
    n_boot: int,
    seed: int,
    by_question: bool = False,
) -> Comparison:
    """Paired bootstrap difference of the headline measure, ours minus the baseline's."""
    measure = headline(items)
    if measure == "ROC AUC":
        metric: Callable[..., float] = roc_auc
        gold = np.array([item.label for item in items], dtype=np.float64)
        ours_row, theirs_row = (r.auc for r in rows)
    else:
        metric = pearson
        gold = np.array([item.fraction for item in items])
        ours_row, theirs_row = (r.pearson for r in rows)
    assert ours_row is not None and theirs_row is not None
    groups = [item.question_id for item in items] if by_question else None
    diff, low, high = paired_difference_ci(
        metric, gold, ours, baseline, n=n_boot, seed=seed, groups=groups
    )
    return Comparison(
        dataset, baseline_name, measure, ours_row, theirs_row, Estimate(diff, low, high)
    )


def comparison_table(comparisons: Sequence[Comparison]) -> str:
    """Markdown: the grader minus each baseline, with the paired interval and a verdict."""
    lines = [
        "| dataset | measure | evaluator | baseline | baseline [95% CI] "
        "| difference [paired 95% CI] | verdict |",
        "|---|---|---:|---|---:|---:|---|",
    ]
    for c in comparisons:
        lines.append(
            f"| {c.dataset} | {c.measure} | {c.ours.value:.3f} | {c.baseline} | "
            f"{c.theirs.format()} | {c.difference.value:+.3f} "
            f"[{c.difference.low:+.3f}, {c.difference.high:+.3f}] | {c.verdict} |"
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- CV helper


def question_folds(
    items: Sequence[Item], k: int = 12, seed: int = 0
) -> list[tuple[NDArray[np.int64], NDArray[np.int64]]]:
    """``k`` (train_idx, test_idx) splits in which no question is on both sides.

    For calibrating a grader on human scores without leaking a question's answers from
    training into testing. Questions are keyed by (dataset, question_id), since ids repeat
    across datasets. Like sklearn's GroupKFold, groups go largest first to the fold with
    fewest answers so far, which balances fold sizes; unlike it, equal-sized questions are
    ordered by a seeded shuffle, so ``seed`` varies the split and fixes it reproducibly.
    Each question is in exactly one test fold. Raises ``ValueError`` if ``k`` < 2 or there
    are fewer than ``k`` questions.
    """
    keys = [(item.dataset, item.question_id) for item in items]
    members: dict[tuple[str, str], list[int]] = {}
    for index, key in enumerate(keys):
        members.setdefault(key, []).append(index)
    if k < 2 or len(members) < k:
        raise ValueError(f"need 2 <= k <= number of questions ({len(members)}), got k={k}")
    order = list(members)
    permutation = np.random.default_rng(seed).permutation(len(order))
    shuffled = [order[i] for i in permutation]
    shuffled.sort(key=lambda key: len(members[key]), reverse=True)  # stable: keeps shuffle
    fold_of: dict[tuple[str, str], int] = {}
    sizes = [0] * k
    for key in shuffled:
        fold = sizes.index(min(sizes))
        fold_of[key] = fold
        sizes[fold] += len(members[key])
    assignment = np.array([fold_of[key] for key in keys])
    all_indices = np.arange(len(keys))
    return [(all_indices[assignment != fold], all_indices[assignment == fold]) for fold in range(k)]


# --------------------------------------------------------------------------- CLI


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.agreement",
        description="Agreement of automatic scores with human scores on public data.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("../shared/data"),
        help="data root (default: ../shared/data)",
    )
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=datasets.DATASET_NAMES,
        default=list(datasets.DATASET_NAMES),
        metavar="NAME",
        help=f"subset of: {', '.join(datasets.DATASET_NAMES)} (default: all)",
    )
    parser.add_argument(
        "--systems",
        nargs="+",
        choices=list(SYSTEMS),
        default=list(SYSTEMS),
        metavar="NAME",
        help=f"subset of: {', '.join(SYSTEMS)} (default: all)",
    )
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        metavar="N",
        help="bootstrap resamples for the 95%% intervals (default: 1000)",
    )
    parser.add_argument(
        "--resample",
        choices=("answers", "questions"),
        default="answers",
        help="bootstrap unit: answers (default) or whole questions (cluster"
        " bootstrap: wider, accounts for answers to a question being alike)",
    )
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default: 0)")
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        metavar="N",
        help="worker processes for the evaluator system (default: 2, or 1 on one core)",
    )
    parser.add_argument("--out", type=Path, help="also write the table and notes to this .md")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    global EVALUATOR_JOBS
    args = build_parser().parse_args(argv)
    EVALUATOR_JOBS = max(1, args.jobs)
    started = time.perf_counter()
    notes: list[str] = []
    rows: list[Row] = []
    comparisons: list[Comparison] = []
    skipped_systems: dict[str, str] = {}

    for name in args.datasets:
        if not datasets.data_present(args.data, name):
            notes.append(f"{name}: no data under {args.data}; skipped")
            continue
        items = datasets.load(args.data, name, notes=notes)
        if not items:
            notes.append(f"{name}: no usable answers; skipped")
            continue
        scored: dict[str, tuple[NDArray[np.float64], Row]] = {}
        for system_name in args.systems:
            if system_name in skipped_systems and system_name == "evaluator":
                continue  # the package is absent for every dataset alike: say it once
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", BenchmarkNote)
                    predictions = run_system(system_name, SYSTEMS[system_name], items)
                notes.extend(
                    f"{name}: {system_name}: {w.message}"
                    for w in caught
                    if issubclass(w.category, BenchmarkNote)
                )
            except SystemUnavailable as reason:
                if system_name == "evaluator":
                    skipped_systems[system_name] = str(reason)
                else:
                    notes.append(f"{name}: {system_name} skipped: {reason}")
                continue
            rows.append(
                evaluate_system(
                    items,
                    predictions,
                    dataset=name,
                    system=system_name,
                    n_boot=args.bootstrap,
                    seed=args.seed,
                    by_question=args.resample == "questions",
                )
            )
            scored[system_name] = (predictions, rows[-1])
        if "evaluator" in scored:
            ours, our_row = scored["evaluator"]
            for other, (theirs, their_row) in scored.items():
                if other.startswith("evaluator"):
                    continue
                comparisons.append(
                    compare(
                        items,
                        ours,
                        theirs,
                        (our_row, their_row),
                        dataset=name,
                        baseline_name=other,
                        n_boot=args.bootstrap,
                        seed=args.seed,
                        by_question=args.resample == "questions",
                    )
                )
    notes.extend(f"{system}: row skipped: {reason}" for system, reason in skipped_systems.items())

    if not rows:
        print("no results: " + "; ".join(notes), file=sys.stderr)
        return 1
    caption = (
        f"95% percentile bootstrap intervals, {args.bootstrap} resamples of "
        f"{args.resample}, seed {args.seed}. Pearson/Spearman/RMSE against gold on the data's"
        " own scale (Mohler: points 0-5, prediction x 5; SAF: fraction of the question's"
        " maximum; SemEval: 0/1 label). QWK bins: Mohler half points, SAF quarters."
        " AUC: SemEval 2-way labels."
    )
    parts = [markdown_table(rows), "", caption, ""]
    if comparisons:
        parts += [
            comparison_table(comparisons),
            "",
            "Difference: evaluator minus baseline on the dataset's headline measure, both"
            " scored on the same bootstrap resamples. Verdict 'beats': the paired interval"
            " excludes 0 and the evaluator's estimate is above the baseline's interval.",
            "",
        ]
    report = "\n".join([*parts, *(f"- {note}" for note in notes)])
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
    print(f"\nelapsed: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
