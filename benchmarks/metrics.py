"""Agreement metrics and a fast, seeded bootstrap for their confidence intervals.

Every metric takes ``(y_true, y_pred)`` 1-D sequences and returns a float (``nan`` when it
is undefined, e.g. a correlation with a constant input). Each also has a batched form that
works along the last axis of 2-D arrays; :func:`bootstrap_ci` uses it to score all
resamples at once instead of looping in Python, which is what makes 1000 resamples of
thousands of answers take milliseconds to a second.

Binning for QWK (:func:`to_bins`): quadratic weighted kappa needs ordinal categories, so
continuous scores are rounded to a grid of ``step`` on ``[lo, hi]`` (half-way values round
up, then clip), and category ``k`` means ``lo + k * step``. The benchmark uses, for Mohler,
half points on 0-5 (11 categories; both the gold mean-of-two-graders and the prediction
``p * 5`` are rounded) and, for SAF, quarters of the question's maximum (5 categories:
0, 1/4, 1/2, 3/4, 1). QWK therefore depends on that grid; the correlations do not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import rankdata

FloatArray = NDArray[np.float64]
Metric = Callable[[ArrayLike, ArrayLike], float]
BatchedMetric = Callable[[FloatArray, FloatArray], FloatArray]


# --------------------------------------------------------------------------- batched forms
# Each takes arrays of shape (..., n) and returns shape (...); rows are independent samples.


def _pearson_b(t: FloatArray, p: FloatArray) -> FloatArray:
    tc = t - t.mean(axis=-1, keepdims=True)
    pc = p - p.mean(axis=-1, keepdims=True)
    denom = np.sqrt((tc * tc).sum(axis=-1) * (pc * pc).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (tc * pc).sum(axis=-1) / denom
    # Rounding can push |r| a hair past 1 for perfectly (anti)correlated inputs.
    return np.asarray(np.clip(r, -1.0, 1.0), dtype=np.float64)


def _spearman_b(t: FloatArray, p: FloatArray) -> FloatArray:
    # Average ranks for ties, exactly as scipy.stats.spearmanr; ranks must be recomputed per
    # resample because duplicated answers change them.
    return _pearson_b(rankdata(t, axis=-1), rankdata(p, axis=-1))


def _rmse_b(t: FloatArray, p: FloatArray) -> FloatArray:
    return np.asarray(np.sqrt(((t - p) ** 2).mean(axis=-1)), dtype=np.float64)


def _qwk_b(t: FloatArray, p: FloatArray) -> FloatArray:
    a = t.astype(np.int64)
    b = p.astype(np.int64)
    if a.size and (a.min() < 0 or b.min() < 0):
        raise ValueError("qwk expects non-negative integer categories; use to_bins() first")
    k = int(max(a.max(initial=0), b.max(initial=0))) + 1
    rows = a.reshape(-1, a.shape[-1])
    cols = b.reshape(-1, b.shape[-1])
    m, n = rows.shape
    # One bincount builds every resample's k x k confusion matrix at once.
    offset = (np.arange(m) * k * k)[:, None]
    observed = np.bincount((offset + rows * k + cols).ravel(), minlength=m * k * k)
    observed = observed.reshape(m, k, k).astype(np.float64)
    hist_true = observed.sum(axis=2)
    hist_pred = observed.sum(axis=1)
    expected = hist_true[:, :, None] * hist_pred[:, None, :] / max(n, 1)
    idx = np.arange(k)
    # (k-1)^2 normalisation of the weights cancels in the ratio, so it is left out; that
    # also makes the value independent of categories unused in a resample.
    weights = (idx[:, None] - idx[None, :]) ** 2
    num = (weights * observed).sum(axis=(1, 2))
    den = (weights * expected).sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa = 1.0 - num / den
    # den == 0 (both raters constant at one category) leaves kappa undefined: nan, as in
    # sklearn, rather than a flattering 1.
    return np.asarray(kappa, dtype=np.float64).reshape(a.shape[:-1])


def _roc_auc_b(t: FloatArray, p: FloatArray) -> FloatArray:
    # Mann-Whitney form with average ranks: tied scores count one half, so all-tied
    # predictions give exactly 0.5.
    pos = t > 0.5
    n_pos = pos.sum(axis=-1)
    n_neg = t.shape[-1] - n_pos
    ranks = rankdata(p, axis=-1)
    rank_sum = np.where(pos, ranks, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        auc = (rank_sum - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg)
    return np.where((n_pos == 0) | (n_neg == 0), np.nan, auc)


# --------------------------------------------------------------------------- public metrics


def _pair(y_true: ArrayLike, y_pred: ArrayLike) -> tuple[FloatArray, FloatArray]:
    t = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_pred, dtype=np.float64)
    if t.ndim != 1 or t.shape != p.shape:
        raise ValueError(f"need two 1-D arrays of equal length, got {t.shape} and {p.shape}")
    return t, p


def pearson(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Pearson's r; ``nan`` if either input is constant."""
    return float(_pearson_b(*_pair(y_true, y_pred)))


def spearman(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Spearman's rho (Pearson on average ranks); ``nan`` if either input is constant."""
    return float(_spearman_b(*_pair(y_true, y_pred)))


def rmse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Root mean squared error, in the units of the inputs."""
    return float(_rmse_b(*_pair(y_true, y_pred)))


def qwk(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Quadratic weighted kappa between two integer category codes (0, 1, 2, ...).

    Bin continuous scores with :func:`to_bins` first. Matches
    ``sklearn.metrics.cohen_kappa_score(..., weights="quadratic")``.
    """
    return float(_qwk_b(*_pair(y_true, y_pred)))


def roc_auc(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Area under the ROC curve of ``y_pred`` for binary ``y_true`` (1 = positive).

    Ties count one half. ``nan`` if only one class is present.
    """
    return float(_roc_auc_b(*_pair(y_true, y_pred)))


def to_bins(
    values: ArrayLike, *, step: float, lo: float = 0.0, hi: float = 1.0
) -> NDArray[np.int64]:
    """Round ``values`` to the grid ``lo, lo+step, ..., hi`` and return category codes 0..K.

    Half-way values round up (``floor(x/step + 0.5)``) rather than to even, so e.g. a Mohler
    mean of 2.25 lands on 2.5 whatever its neighbours; values outside ``[lo, hi]`` are
    clipped to the end categories. A tiny epsilon absorbs float error (``0.1 * 3``).
    """
    x = (np.asarray(values, dtype=np.float64) - lo) / step
    top = int(round((hi - lo) / step))
    return np.clip(np.floor(x + 0.5 + 1e-9), 0, top).astype(np.int64)


_BATCHED: dict[Callable[..., float], BatchedMetric] = {
    pearson: _pearson_b,
    spearman: _spearman_b,
    rmse: _rmse_b,
    qwk: _qwk_b,
    roc_auc: _roc_auc_b,
}


# --------------------------------------------------------------------------- bootstrap


def _interval(stats: FloatArray) -> tuple[float, float]:
    finite = stats[np.isfinite(stats)]
    if finite.size == 0:
        return (float("nan"), float("nan"))
    low, high = np.percentile(finite, [2.5, 97.5])
    return (float(low), float(high))


def _members(groups: Sequence[object], size: int) -> list[NDArray[np.intp]]:
    """The answer indices of each group, groups in sorted order (the cluster bootstrap's unit)."""
    labels = np.asarray(groups, dtype=object)
    if labels.shape != (size,):
        raise ValueError("groups must have one entry per answer")
    _, codes = np.unique(labels.astype(str), return_inverse=True)
    return [np.flatnonzero(codes == g) for g in range(int(codes.max()) + 1)]


def bootstrap_ci(
    metric: Metric,
    y_true: ArrayLike,
    y_pred: ArrayLike,
    *,
    n: int = 1000,
    seed: int = 0,
    groups: Sequence[object] | None = None,
) -> tuple[float, float]:
    """95% percentile bootstrap interval ``(low, high)`` of ``metric(y_true, y_pred)``.

    Resamples answers with replacement ``n`` times using ``numpy.random.default_rng(seed)``,
    so the same seed gives the same interval, and every metric called with the same seed
    and data sees the same resamples (paired comparison across metrics and systems).

    With ``groups`` (e.g. question ids) it is a cluster bootstrap: whole groups are
    resampled, which is wider and more honest when answers to one question are correlated.

    Resamples where the metric is undefined (``nan``, e.g. one class only for AUC) are
    dropped before taking percentiles. The metrics of this module run vectorised over
    chunks of resamples; any other callable is evaluated one resample at a time.
    """
    t, p = _pair(y_true, y_pred)
    size = t.shape[0]
    if size == 0 or n <= 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    batched = _BATCHED.get(metric)

    if groups is not None:
        members = _members(groups, size)
        stats = np.empty(n)
        for i in range(n):
            picked = rng.integers(0, len(members), size=len(members))
            idx = np.concatenate([members[g] for g in picked])
            stats[i] = batched(t[idx], p[idx]) if batched else metric(t[idx], p[idx])
        return _interval(stats)

    # Draw all indices up front (same stream whatever the chunking), then score in chunks
    # so memory stays bounded (~chunk x size floats per array) on large datasets.
    indices = rng.integers(0, size, size=(n, size))
    if batched is None:
        stats = np.array([metric(t[row], p[row]) for row in indices], dtype=np.float64)
        return _interval(stats)
    chunk = max(1, 2_000_000 // size)
    parts = [
        batched(t[indices[i : i + chunk]], p[indices[i : i + chunk]]) for i in range(0, n, chunk)
    ]
    return _interval(np.concatenate(parts).astype(np.float64))


def paired_difference_ci(
    metric: Metric,
    y_true: ArrayLike,
    pred_a: ArrayLike,
    pred_b: ArrayLike,
    *,
    n: int = 1000,
    seed: int = 0,
    groups: Sequence[object] | None = None,
) -> tuple[float, float, float]:
    """``metric(a) - metric(b)`` on the same answers, with its 95% paired bootstrap interval.

    Both systems are scored on each resample, so what they share (easy and hard answers)
    cancels: narrower, and the right test of "a beats b", than comparing two intervals.
    Returns ``(difference, low, high)``; ``groups`` resamples whole questions.
    """
    t = np.asarray(y_true, dtype=np.float64)
    a = np.asarray(pred_a, dtype=np.float64)
    b = np.asarray(pred_b, dtype=np.float64)
    if not (t.shape == a.shape == b.shape) or t.ndim != 1:
        raise ValueError("y_true, pred_a and pred_b must be 1-D and of one length")
    point = metric(t, a) - metric(t, b)
    size = t.shape[0]
    if size == 0 or n <= 0:
        return (point, float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    if groups is not None:
        members = _members(groups, size)
        draws = [
            np.concatenate([members[g] for g in rng.integers(0, len(members), len(members))])
            for _ in range(n)
        ]
    else:
        draws = list(rng.integers(0, size, size=(n, size)))
    stats = np.array([metric(t[i], a[i]) - metric(t[i], b[i]) for i in draws], dtype=np.float64)
    low, high = _interval(stats)
    return (point, low, high)
