"""Teacher calibration: learn, from a teacher's marks on a sample, how our numbers map to theirs.

A :class:`Calibration` is a ridge regression (scikit-learn ``RidgeCV``, alpha chosen by
leave-one-out over a log grid) on standardised features of a :class:`~evaluator.score.Result`:

* features that mean the same on any rubric (:data:`BASE_FEATURES`): the uncalibrated score
  as a fraction of full marks plus ``Result.features`` (coverage, match strengths, counts,
  structure), so one calibration serves every question;
* per-point strengths (``point:<id>``), only when every training answer was graded on one
  rubric (same id and hash): a point id means nothing on another rubric.

It is saved as plain JSON (never pickle) and applied by :meth:`Calibration.apply`, which
refuses a rubric or a scale it was not fit on instead of returning a wrong number.

Pure, except :meth:`Calibration.load`, :meth:`Calibration.save` and :func:`calibrate_file`,
which read and write through :mod:`evaluator.io`.

For a benchmark that runs its own grouped cross-validation (a question's answers never
train the model that scores them), fit on the training folds and predict the test fold::

    for train, test in folds:
        cal = fit([results[i] for i in train], [gold[i] for i in train],
                  groups=[question[i] for i in train], cv=False)
        predicted = cal.predict([results[i] for i in test])

or build the matrices with :func:`feature_names` and :func:`features_matrix` and fit any
model. Where full marks vary by question, grade with ``marks=1`` and fit fractions.

The JSON file (keys sorted): ``format`` ("evaluator-calibration"), ``format_version``,
``features_version`` (:data:`FEATURES_VERSION`), ``evaluator_version`` (information only),
``model`` ("ridge"), ``alpha``, ``feature_names``, ``coefficients``, ``intercept``,
``feature_means`` and ``feature_scales`` (standardisation: ``(x - mean) / scale``),
``output_scale`` ({"min", "max"} of the teacher's marks; predictions are clipped to it),
``max_score`` (what the training answers were graded out of), ``rubrics`` ([{"id",
"hash"}]), ``matchers`` (matcher-settings signatures), ``per_point``, ``n`` and ``cv``
(:class:`CVReport` fields, or null).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from evaluator.errors import CalibrationError
from evaluator.rubric import __version__
from evaluator.score import FLAGS, Result

if TYPE_CHECKING:
    from evaluator.rubric import Rubric

FORMAT = "evaluator-calibration"
FORMAT_VERSION = 1
# Bump whenever BASE_FEATURES, the meaning of a feature or the point-feature naming
# changes: a calibration file fit on other features must be refused, not misread.
FEATURES_VERSION = 1
BASE_FEATURES: tuple[str, ...] = (
    "score_frac",  # result.score / result.max_score
    "coverage",
    "covered_frac",
    "partial_frac",
    "mean_strength",
    "top_strength",
    "top3_strength",
    "closeness",
    "log_words",
    "sentences",
    "structure",
)
POINT_PREFIX = "point:"
MODEL = "ridge"
# Wide enough for 10 rows (strong shrinkage) and for thousands (almost none).
ALPHAS: tuple[float, ...] = tuple(float(a) for a in np.logspace(-3, 4, 15))
MIN_ROWS = 10
MAX_FOLDS = 5
MIN_GROUPS = 3  # fewer groups than this and GroupKFold would leave a fold with no variety
TOP_DISAGREEMENTS = 5

_RUBRIC_IN_SIGNATURE = re.compile(r"\brubric (\S+)@([0-9a-f]+)\b")
_MATCHER_IN_SIGNATURE = re.compile(r"(?:^| \| )(matcher-[^|]*?)(?: \||$)")
_REQUIRED = (
    "format",
    "format_version",
    "features_version",
    "model",
    "alpha",
    "feature_names",
    "coefficients",
    "intercept",
    "feature_means",
    "feature_scales",
    "output_scale",
    "max_score",
    "rubrics",
    "matchers",
    "per_point",
    "n",
    "cv",
)

Matrix = NDArray[np.float64]


@dataclass(frozen=True)
class CVReport:
    """Cross-validated agreement with the teacher, and the uncalibrated score's on the same rows.

    ``pearson_r`` is None when either side is constant (r is undefined).
    """

    method: str  # "GroupKFold" (by rubric/question) or "KFold"
    folds: int
    pearson_r: float | None
    rmse: float
    baseline_pearson_r: float | None
    baseline_rmse: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "folds": self.folds,
            "pearson_r": self.pearson_r,
            "rmse": self.rmse,
            "baseline_pearson_r": self.baseline_pearson_r,
            "baseline_rmse": self.baseline_rmse,
        }


@dataclass(frozen=True)
class Disagreement:
    """A training row where the cross-validated model and the teacher differ most."""

    id: str
    teacher: float
    model: float


@dataclass(frozen=True)
class Calibration:
    """A fitted mapping from a :class:`Result`'s features to a teacher's mark.

    Build one with :func:`fit` (or :meth:`load` a saved one); use it with :meth:`apply`
    (one result, checked against its rubric) or :meth:`predict` (many, unrounded).

    >>> cal = Calibration(("score_frac",), (2.0,), 3.0, (0.5,), (0.25,), 0.0, 5.0, 10.0,
    ...                   (("r", "abcd1234"),), ("matcher-1",), False, 12, 1.0, None)
    >>> cal.predict_matrix(np.array([[0.5], [1.0]])).tolist()
    [3.0, 5.0]
    """

    feature_names: tuple[str, ...]
    coefficients: tuple[float, ...]
    intercept: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    low: float  # output scale: the teacher's lowest and highest mark; predictions are clipped
    high: float
    max_score: float  # the Result.max_score the training answers were graded out of
    rubrics: tuple[tuple[str, str], ...]  # (id, hash) of every rubric in the training data
    # Matcher settings (signature text) the training answers were matched with: strengths and
    # covered/partial thresholds change what every feature means.
    matchers: tuple[str, ...]
    per_point: bool
    n: int
    alpha: float
    cv: CVReport | None
    model: str = MODEL
    # The training rows it disagrees with most (cross-validated); a report, not saved:
    # student ids do not belong in a file that gets shared.
    disagreements: tuple[Disagreement, ...] = field(default=(), compare=False)

    # ------------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        """The JSON document :meth:`save` writes (the module docstring describes the keys)."""
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "features_version": FEATURES_VERSION,
            "evaluator_version": __version__,
            "model": self.model,
            "alpha": self.alpha,
            "feature_names": list(self.feature_names),
            "coefficients": list(self.coefficients),
            "intercept": self.intercept,
            "feature_means": list(self.means),
            "feature_scales": list(self.scales),
            "output_scale": {"min": self.low, "max": self.high},
            "max_score": self.max_score,
            "rubrics": [{"id": i, "hash": h} for i, h in self.rubrics],
            "matchers": list(self.matchers),
            "per_point": self.per_point,
            "n": self.n,
            "cv": self.cv.to_dict() if self.cv else None,
        }

    def to_json(self) -> str:
        """Deterministic text: sorted keys, indent 2, newline at the end."""
        return json.dumps(self.to_dict(), sort_keys=True, indent=2, allow_nan=False) + "\n"

    @cached_property
    def hash(self) -> str:
        """8 hex digits of the canonical JSON: the ``| calibration …`` part of a signature."""
        canon = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:8]

    def save(self, path: str | os.PathLike[str]) -> None:
        from evaluator import io

        io.write_text(path, self.to_json())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Calibration:
        """Read and validate a file written by :meth:`save`; CalibrationError names the problem."""
        from evaluator import io

        return cls.from_dict(io.read_json(path), source=str(path))

    @classmethod
    def from_dict(cls, d: Any, *, source: str = "calibration") -> Calibration:
        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise CalibrationError(
                f"{source}: not a calibration file (make one with `evaluate calibrate`)"
            )
        if d.get("format_version") != FORMAT_VERSION:
            raise CalibrationError(
                f"{source}: calibration format version "
                f"{d.get('format_version')!r}; this evaluator reads version "
                f"{FORMAT_VERSION}: run `evaluate calibrate` again"
            )
        if d.get("features_version") != FEATURES_VERSION:
            raise CalibrationError(
                f"{source}: fit on features version "
                f"{d.get('features_version')!r}; this evaluator computes "
                f"version {FEATURES_VERSION}: run `evaluate calibrate` again"
            )
        missing = [k for k in _REQUIRED if k not in d]
        if missing:
            raise CalibrationError(f"{source}: missing key(s): {', '.join(missing)}")
        if d["model"] != MODEL:
            raise CalibrationError(f"{source}: unknown model {d['model']!r} (expected {MODEL!r})")
        key = ""
        try:
            key = "feature_names"
            names = tuple(_str(x) for x in d[key])
            key = "coefficients"
            coefs = _floats(d[key])
            key = "feature_means"
            means = _floats(d[key])
            key = "feature_scales"
            scales = _floats(d[key])
            key = "output_scale"
            low, high = _float(d[key]["min"]), _float(d[key]["max"])
            key = "rubrics"
            rubrics = tuple((_str(r["id"]), _str(r["hash"])) for r in d[key])
            key = "matchers"
            matchers = tuple(_str(x) for x in d[key])
            key = "per_point"
            if not isinstance(d[key], bool):
                raise TypeError("not true/false")
            key = "n"
            if not isinstance(d[key], int) or isinstance(d[key], bool):
                raise TypeError("not an integer")
            key = "cv"
            cv = None if d[key] is None else _cv(d[key])
            cal = cls(
                names,
                coefs,
                _float(d["intercept"]),
                means,
                scales,
                low,
                high,
                _float(d["max_score"]),
                rubrics,
                matchers,
                d["per_point"],
                d["n"],
                _float(d["alpha"]),
                cv,
            )
        except (TypeError, ValueError, KeyError) as exc:
            raise CalibrationError(f"{source}: bad value for {key}: {exc}") from None
        problem = cal._problem()
        if problem:
            raise CalibrationError(f"{source}: {problem}")
        return cal

    def _problem(self) -> str | None:
        """What makes this calibration unusable, if anything (a hand-edited file, say)."""
        k = len(self.feature_names)
        if not (len(self.coefficients) == len(self.means) == len(self.scales) == k):
            return (
                "feature_names, coefficients, feature_means and feature_scales must have "
                "the same length"
            )
        unknown = [
            f
            for f in self.feature_names
            if f not in BASE_FEATURES and not f.startswith(POINT_PREFIX)
        ]
        if unknown:
            return f"unknown feature(s): {', '.join(unknown)}"
        if any(not s > 0 for s in self.scales):
            return "feature_scales must be positive"
        if not self.low <= self.high:
            return "output_scale min is above max"
        if not self.max_score > 0:
            return "max_score must be positive"
        if self.per_point and len(self.rubrics) != 1:
            return "a per-point calibration must name exactly one rubric"
        return None

    # ------------------------------------------------------------------ use

    def check(self, result: Result, key: tuple[str, str] | None = None) -> None:
        """Raise CalibrationError when this calibration does not fit ``result``.

        ``key`` is the (id, hash) of the rubric it was graded on (default: read from the
        result's signature).
        """
        if not math.isclose(result.max_score, self.max_score, abs_tol=1e-9):
            raise CalibrationError(
                f"this calibration was fit on answers graded out of {self.max_score:g} marks; "
                f"this answer is graded out of {result.max_score:g}: grade it with "
                f"--marks {self.max_score:g} or calibrate on this scale"
            )
        matcher = matcher_of(result)
        if self.matchers and matcher not in self.matchers:
            raise CalibrationError(
                f"this calibration was fit on answers matched with '{' or '.join(self.matchers)}'"
                f"; this answer was matched with '{matcher}': its features mean something "
                "else, so run `evaluate calibrate` again"
            )
        if self.per_point:
            key = key or rubric_key(result)
            fid, fhash = self.rubrics[0]
            if key != (fid, fhash):
                raise CalibrationError(
                    f"this calibration learnt the points of rubric {fid}@{fhash} and cannot "
                    f"score rubric {key[0]}@{key[1]}: calibrate on a sample graded with it"
                )

    def apply(self, result: Result, rubric: Rubric) -> Result:
        """A new Result whose ``score`` is the teacher-calibrated mark.

        ``raw_score`` keeps the old score, the flag ``calibrated`` is added and the
        signature ends with ``| calibration <hash>``. Refuses (CalibrationError) a result
        already calibrated, graded on another scale, or, for a per-point calibration, on
        another rubric. An off-topic or not-English answer keeps its 0: the grader zeroed it on
        purpose, and the teacher's sample says nothing about answers to other questions.

        >>> from evaluator import evaluate                        # doctest: +SKIP
        >>> cal = Calibration.load("calibration.json")           # doctest: +SKIP
        >>> r = evaluate(answer, reference=model, marks=5)       # doctest: +SKIP
        >>> cal.apply(r, rubric).raw_score == r.score            # doctest: +SKIP
        True
        """
        if result.raw_score is not None or "calibrated" in result.flags:
            raise CalibrationError("this answer's score is already calibrated")
        if result.rubric != rubric.id:
            raise CalibrationError(
                f"the result was graded on rubric {result.rubric}, not {rubric.id}"
            )
        key = (rubric.id, rubric.hash())
        self.check(result, key)
        if "off_topic" in result.flags or "not_english" in result.flags:
            score = result.score
        else:
            score = float(self.predict_matrix(features_matrix([result], self.feature_names))[0])
        order = {name: i for i, name in enumerate(FLAGS)}
        flags = tuple(sorted(set(result.flags) | {"calibrated"}, key=order.__getitem__))
        return replace(
            result,
            score=round(score, 2) + 0.0,
            raw_score=result.score,
            flags=flags,
            signature=f"{result.signature} | calibration {self.hash}",
        )

    def predict(self, results: Sequence[Result]) -> list[float]:
        """Calibrated marks (clipped, not rounded) for results that :meth:`check` accepts.

        Unlike :meth:`apply`, off-topic answers are predicted like any other.
        """
        for r in results:
            self.check(r)
        return [float(x) for x in self.predict_matrix(features_matrix(results, self))]

    def predict_matrix(self, x: Matrix) -> Matrix:
        """Predictions for rows of :func:`features_matrix` (columns: ``feature_names``)."""
        return _predict(
            x,
            np.array(self.means),
            np.array(self.scales),
            np.array(self.coefficients),
            self.intercept,
            self.low,
            self.high,
        )


# --------------------------------------------------------------------------- features


def rubric_key(result: Result) -> tuple[str, str]:
    """The (rubric id, rubric hash) a result was graded on, read from its signature.

    >>> from evaluator.rubric import from_key_points
    >>> from evaluator.match import compile_rubric
    >>> from evaluator.score import grade
    >>> rubric = from_key_points([("a", "binary encoding", 1.0)], rubric_id="bits")
    >>> rubric_key(grade(compile_rubric(rubric), "Use binary encoding.")) == ("bits", rubric.hash())
    True
    """
    m = _RUBRIC_IN_SIGNATURE.search(result.signature)
    if not m:
        raise CalibrationError(
            f"cannot tell which rubric graded this result: its signature "
            f"{result.signature!r} names none"
        )
    return m.group(1), m.group(2)


def matcher_of(result: Result) -> str:
    """The matcher-settings part of a result's signature ("" when it names none).

    >>> from evaluator.rubric import from_key_points
    >>> from evaluator.match import compile_rubric
    >>> from evaluator.score import grade
    >>> rubric = from_key_points([("a", "binary encoding", 1.0)], rubric_id="bits")
    >>> matcher_of(grade(compile_rubric(rubric), "Use binary encoding.")).startswith("matcher-")
    True
    """
    m = _MATCHER_IN_SIGNATURE.search(result.signature)
    return m.group(1) if m else ""


def feature_names(results: Sequence[Result], *, per_point: bool = False) -> tuple[str, ...]:
    """The columns a calibration of ``results`` uses: :data:`BASE_FEATURES`, then, with
    ``per_point``, ``point:<id>`` for each point of their (single) rubric, sorted.

    >>> feature_names([])[:2]
    ('score_frac', 'coverage')
    """
    if not per_point:
        return BASE_FEATURES
    keys = {rubric_key(r) for r in results}
    if len(keys) > 1:
        raise CalibrationError(f"per-point features need one rubric; these results use {len(keys)}")
    ids = sorted({p.id for r in results for p in (*r.covered, *r.partial, *r.missing)})
    return BASE_FEATURES + tuple(POINT_PREFIX + i for i in ids)


def features_matrix(
    results: Sequence[Result], names: Calibration | Sequence[str] = BASE_FEATURES
) -> Matrix:
    """One row per result, one column per feature name (or per feature of a calibration).

    A point feature is the point's match strength (0 when the result has no such point).

    >>> features_matrix([]).shape
    (0, 11)
    """
    cols = names.feature_names if isinstance(names, Calibration) else tuple(names)
    out = np.zeros((len(results), len(cols)), dtype=np.float64)
    for i, r in enumerate(results):
        strengths = {POINT_PREFIX + p.id: p.strength for p in (*r.covered, *r.partial, *r.missing)}
        for j, name in enumerate(cols):
            if name == "score_frac":
                out[i, j] = r.score / r.max_score if r.max_score else 0.0
            elif name.startswith(POINT_PREFIX):
                out[i, j] = strengths.get(name, 0.0)
            elif name in r.features:
                out[i, j] = r.features[name]
            else:
                raise CalibrationError(
                    f"a result has no feature {name!r}: it was graded by "
                    "another evaluator version; grade it again"
                )
    return out


# --------------------------------------------------------------------------- fitting


def fit(
    results: Sequence[Result],
    scores: Sequence[float],
    *,
    groups: Sequence[str] | None = None,
    rubrics: Sequence[Rubric] | None = None,
    ids: Sequence[str] | None = None,
    per_point: bool | None = None,
    cv: bool = True,
) -> Calibration:
    """Fit a calibration of ``results`` to the teacher's ``scores`` (same order).

    ``groups`` (default: each result's rubric; pass the question when several share one)
    keeps a group's rows on one side of every split, both when choosing the ridge alpha
    and when measuring agreement, once there are at least 3 groups; ``rubrics`` are the
    rubrics the results were graded on, one per result (default: read from their
    signatures); ``ids`` name rows in :attr:`Calibration.disagreements`. ``per_point``
    None uses point features exactly when every result shares one rubric. ``cv=False``
    skips the cross-validation (for callers that run their own). Deterministic.

    >>> from evaluator import evaluate
    >>> ref = "A stack is last in, first out: push adds on top and pop takes the top."
    >>> answers = ["A stack is LIFO.", "Push and pop work on the top.", "No idea.",
    ...            "Last in, first out; push adds on top, pop takes the top.", "Queues."] * 2
    >>> results = [evaluate(a, reference=ref, marks=5) for a in answers]
    >>> cal = fit(results, [3, 3, 0, 5, 0, 3, 3, 0, 5, 0])
    >>> cal.n, cal.per_point, cal.cv.method if cal.cv else None
    (10, True, 'KFold')
    """
    n = len(results)
    if len(scores) != n:
        raise CalibrationError(f"{n} results but {len(scores)} teacher scores")
    if n < MIN_ROWS:
        raise CalibrationError(f"{n} graded rows; at least {MIN_ROWS} are needed to calibrate")
    y = np.array([float(s) for s in scores], dtype=np.float64)
    if not np.all(np.isfinite(y)):
        raise CalibrationError("teacher scores must be finite numbers")
    if float(y.max() - y.min()) == 0.0:
        raise CalibrationError(f"every teacher score is {y[0]:g}: there is nothing to learn")
    if rubrics is not None:
        if len(rubrics) != n:
            raise CalibrationError(f"{n} results but {len(rubrics)} rubrics")
        for r, rb in zip(results, rubrics, strict=True):
            if r.rubric != rb.id:
                raise CalibrationError(
                    f"a result graded on {r.rubric} was paired with rubric {rb.id}"
                )
        keys = [(rb.id, rb.hash()) for rb in rubrics]
    else:
        keys = [rubric_key(r) for r in results]
    scales = sorted({r.max_score for r in results})
    if len(scales) > 1:
        raise CalibrationError(
            f"the answers are graded on different scales (out of "
            f"{', '.join(f'{s:g}' for s in scales)}): grade them all with one --marks, or "
            "with marks=1 and fractions"
        )
    max_score = scales[0]
    if y.min() < 0 or y.max() > max_score + 1e-9:
        raise CalibrationError(
            f"teacher scores run from {y.min():g} to {y.max():g} but answers are graded out "
            f"of {max_score:g}: grade them with --marks set to the teacher's full marks"
        )
    single = len(set(keys)) == 1
    if per_point is None:
        per_point = single
    elif per_point and not single:
        raise CalibrationError(f"per-point features need one rubric; the rows use {len(set(keys))}")
    names = feature_names(results, per_point=per_point)
    x = features_matrix(results, names)
    group_of = np.array(list(groups) if groups is not None else [f"{i}@{h}" for i, h in keys])
    if len(group_of) != n:
        raise CalibrationError(f"{n} results but {len(group_of)} groups")
    means, stds, coefs, intercept, alpha = _fit_ridge(x, y, group_of)

    report: CVReport | None = None
    worst: tuple[Disagreement, ...] = ()
    if cv:
        raw = np.array([r.score for r in results], dtype=np.float64)
        report, oof = _cross_validate(x, y, raw, group_of)
        row_ids = [str(i) for i in ids] if ids is not None else [str(i) for i in range(n)]
        # Largest gap first; ties keep input order so the report is reproducible.
        order = sorted(range(n), key=lambda i: (-abs(float(oof[i] - y[i])), i))
        worst = tuple(
            Disagreement(row_ids[i], float(y[i]), round(float(oof[i]), 2))
            for i in order[:TOP_DISAGREEMENTS]
        )
    return Calibration(
        feature_names=names,
        coefficients=tuple(float(c) for c in coefs),
        intercept=float(intercept),
        means=tuple(float(m) for m in means),
        scales=tuple(float(s) for s in stds),
        low=float(y.min()),
        high=float(y.max()),
        max_score=float(max_score),
        rubrics=tuple(sorted(set(keys))),
        matchers=tuple(sorted({matcher_of(r) for r in results})),
        per_point=per_point,
        n=n,
        alpha=float(alpha),
        cv=report,
        disagreements=worst,
    )


def _fit_ridge(
    x: Matrix, y: Matrix, groups: NDArray[Any] | None = None
) -> tuple[Matrix, Matrix, Matrix, float, float]:
    """Standardise, then ridge: (means, scales, coefficients, intercept, alpha).

    With at least :data:`MIN_GROUPS` groups, alpha minimises the squared error of a
    GroupKFold over them; otherwise RidgeCV's leave-one-out picks it. Leave-one-out keeps
    a question's other answers in training, so it under-regularises a calibration meant
    for new questions (on 20 Mohler questions, grouped selection raised cross-question r
    by 0.02-0.08).
    """
    from sklearn.linear_model import Ridge, RidgeCV

    means = x.mean(axis=0)
    stds = x.std(axis=0)
    # A constant column (a point nobody touched) carries no information; scale 1 keeps
    # it at 0 after centring instead of dividing by zero.
    stds = np.where(stds > 1e-12, stds, 1.0)
    z = (x - means) / stds
    if groups is not None and len(set(groups.tolist())) >= MIN_GROUPS:
        alpha = _grouped_alpha(z, y, groups)
        model: Any = Ridge(alpha=alpha).fit(z, y)
    else:
        # A fresh array: RidgeCV may write into the one it is given.
        model = RidgeCV(alphas=np.array(ALPHAS)).fit(z, y)
        alpha = float(model.alpha_)
    coefs = np.asarray(model.coef_, dtype=np.float64)
    return means, stds, coefs, float(model.intercept_), alpha


def _grouped_alpha(z: Matrix, y: Matrix, groups: NDArray[Any]) -> float:
    """The alpha of :data:`ALPHAS` with the least GroupKFold squared error (smallest on ties)."""
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GroupKFold

    k = min(MAX_FOLDS, len(set(groups.tolist())))
    splits = list(GroupKFold(n_splits=k).split(z, y, groups=groups))
    best, best_err = ALPHAS[0], math.inf
    for alpha in ALPHAS:
        err = 0.0
        for train, test in splits:
            pred = Ridge(alpha=alpha).fit(z[train], y[train]).predict(z[test])
            err += float(np.sum((pred - y[test]) ** 2))
        if err < best_err - 1e-12:
            best, best_err = alpha, err
    return best


def _predict(
    x: Matrix,
    means: Matrix,
    scales: Matrix,
    coefs: Matrix,
    intercept: float,
    low: float,
    high: float,
) -> Matrix:
    z = (x - means) / scales
    out: Matrix = np.clip(z @ coefs + intercept, low, high)
    return out


def _cross_validate(
    x: Matrix, y: Matrix, raw: Matrix, groups: NDArray[Any]
) -> tuple[CVReport, Matrix]:
    """Out-of-fold predictions of the whole fit (scaling, alpha, clipping) and their agreement."""
    from sklearn.model_selection import GroupKFold, KFold

    n = len(y)
    distinct = len(set(groups.tolist()))
    splits: Iterable[tuple[NDArray[np.int64], NDArray[np.int64]]]
    if distinct >= MIN_GROUPS:
        # A question's answers never train the model that scores them.
        method, k = "GroupKFold", min(MAX_FOLDS, distinct)
        splits = GroupKFold(n_splits=k).split(x, y, groups=groups)
    else:
        # Rows often come sorted by question or mark: shuffle, with a fixed seed.
        method, k = "KFold", min(MAX_FOLDS, n)
        splits = KFold(n_splits=k, shuffle=True, random_state=0).split(x)
    oof = np.zeros(n, dtype=np.float64)
    for train, test in splits:
        means, stds, coefs, intercept, _ = _fit_ridge(x[train], y[train], groups[train])
        oof[test] = _predict(
            x[test], means, stds, coefs, intercept, float(y[train].min()), float(y[train].max())
        )
    report = CVReport(method, k, _pearson(oof, y), _rmse(oof, y), _pearson(raw, y), _rmse(raw, y))
    return report, oof


def _pearson(a: Matrix, b: Matrix) -> float | None:
    if len(a) < 2 or float(np.std(a)) < 1e-12 or float(np.std(b)) < 1e-12:
        return None
    return round(float(np.corrcoef(a, b)[0, 1]), 4)


def _rmse(a: Matrix, b: Matrix) -> float:
    return round(float(np.sqrt(np.mean((a - b) ** 2))), 4)


# --------------------------------------------------------------------------- from a file


@dataclass(frozen=True)
class CalibrationRun:
    """What :func:`calibrate_file` did: the calibration and the rows it could not use."""

    calibration: Calibration
    skipped_scores: int  # rows whose score is missing or not a number
    failed: tuple[str, ...]  # "id: reason" for rows that could not be graded

    def describe(self, out: str | os.PathLike[str] | None = None) -> str:
        """A short plain-text report for the CLI."""
        cal = self.calibration
        lines = [
            f"calibrated on {cal.n} answers ({len(cal.feature_names)} features, "
            f"per-point {'yes' if cal.per_point else 'no'}, ridge alpha {cal.alpha:.3g}, "
            f"scores clipped to {cal.low:g}-{cal.high:g} of {cal.max_score:g})"
        ]
        if self.skipped_scores:
            lines.append(f"skipped {self.skipped_scores} rows with a missing or non-numeric score")
        if self.failed:
            lines.append(
                f"skipped {len(self.failed)} rows that could not be graded "
                f"(first: {self.failed[0]})"
            )
        if cal.cv is not None:
            cv = cal.cv
            lines.append(
                f"cross-validated ({cv.method}, {cv.folds} folds): Pearson r "
                f"{_fmt(cv.pearson_r)}, RMSE {cv.rmse:.3f}; uncalibrated on the same "
                f"rows: r {_fmt(cv.baseline_pearson_r)}, RMSE {cv.baseline_rmse:.3f}"
            )
        if cal.disagreements:
            lines.append("largest disagreements (id: teacher vs model):")
            lines += [f"  {d.id}: {d.teacher:g} vs {d.model:.2f}" for d in cal.disagreements]
        if out is not None:
            lines.append(f"wrote {os.fspath(out)}")
        return "\n".join(lines)


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def teacher_score(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        x = float(value)
    else:
        try:
            x = float(str(value).strip().replace(",", "."))
        except ValueError:
            return None
    return x if math.isfinite(x) else None


# --------------------------------------------------------------------------- validation


def _float(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise TypeError(f"{v!r} is not a finite number")
    return float(v)


def _floats(v: Any) -> tuple[float, ...]:
    if not isinstance(v, list):
        raise TypeError("not a list")
    return tuple(_float(x) for x in v)


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError(f"{v!r} is not a string")
    return v


def _cv(d: Any) -> CVReport:
    if not isinstance(d, dict):
        raise TypeError("not an object")

    def opt(k: str) -> float | None:
        return None if d[k] is None else _float(d[k])

    return CVReport(
        _str(d["method"]),
        int(_float(d["folds"])),
        opt("pearson_r"),
        _float(d["rmse"]),
        opt("baseline_pearson_r"),
        _float(d["baseline_rmse"]),
    )
