"""Tests for teacher calibration (:mod:`evaluator.calibrate`) and ``evaluate calibrate``.

Real data: answers to two Mohler questions (``../shared/data``; skipped when absent),
graded against each question's model answer out of 5, the teacher's scale.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from evaluator.calibrate import (
    BASE_FEATURES,
    FEATURES_VERSION,
    FORMAT_VERSION,
    Calibration,
    feature_names,
    features_matrix,
    fit,
    rubric_key,
)
from evaluator.cli import main
from evaluator.errors import CalibrationError
from evaluator.library import evaluate, evaluate_many
from evaluator.rubric import Rubric, from_reference
from evaluator.score import FLAGS, Result

MOHLER = Path(__file__).resolve().parents[2] / "shared/data/mohler/mohler_dataset_edited.csv"
QUESTIONS = ("1.1", "1.2")
PER_QUESTION = 20
KEYS = {
    "format", "format_version", "features_version", "evaluator_version", "model", "alpha",
    "feature_names", "coefficients", "intercept", "feature_means", "feature_scales",
    "output_scale", "max_score", "rubrics", "matchers", "per_point", "n", "cv",
}

needs_mohler = pytest.mark.skipif(not MOHLER.is_file(), reason=f"{MOHLER} not present")


@cache
def mohler_rows() -> tuple[dict[str, str], ...]:
    """40 graded rows: the first 20 answers of questions 1.1 and 1.2."""
    with MOHLER.open(encoding="utf-8", newline="") as fh:
        data = list(csv.DictReader(fh))
    rows = []
    for q in QUESTIONS:
        for i, r in enumerate([r for r in data if r["id"] == q][:PER_QUESTION]):
            rows.append({"id": f"{q}-{i}", "question": r["question"],
                         "reference": r["desired_answer"], "answer": r["student_answer"],
                         "score": r["score_avg"]})
    return tuple(rows)


@cache
def graded() -> tuple[tuple[Result, ...], tuple[float, ...], tuple[str, ...]]:
    """The rows graded out of 5 (results, teacher scores, ids), computed once."""
    rows = mohler_rows()
    items = list(evaluate_many(rows, marks=5))
    assert all(i.result is not None for i in items), [i.error for i in items]
    results = tuple(i.result for i in items if i.result is not None)
    return results, tuple(float(r["score"]) for r in rows), tuple(r["id"] for r in rows)


@cache
def calibration() -> Calibration:
    results, scores, ids = graded()
    return fit(results, scores, ids=ids)


def rubric_of(row: dict[str, str]) -> Rubric:
    # The rubric evaluate() builds for a row with a reference and a question.
    return from_reference(row["reference"], question=row["question"])


def write_csv(path: Path, rows: Sequence[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "question", "reference", "answer", "score"])
        w.writeheader()
        w.writerows(rows)
    return path


def synthetic() -> Calibration:
    """A hand-made calibration for the file-format tests (no data needed)."""
    return Calibration(("score_frac", "coverage"), (1.0, 0.5), 2.5, (0.4, 0.3), (0.2, 0.1),
                       0.0, 5.0, 5.0, (("r", "0123abcd"),), ("matcher-1 x",), False, 12, 1.0,
                       None)


# --------------------------------------------------------------------------- fit / save / load


@needs_mohler
def test_round_trip_gives_identical_predictions(tmp_path: Path) -> None:
    results, _, _ = graded()
    cal = calibration()
    path = tmp_path / "calibration.json"
    cal.save(path)
    loaded = Calibration.load(path)
    assert loaded == cal
    assert loaded.hash == cal.hash
    assert loaded.predict(results) == cal.predict(results)
    assert loaded.to_json() == path.read_text(encoding="utf-8")
    row = mohler_rows()[0]
    assert loaded.apply(results[0], rubric_of(row)) == cal.apply(results[0], rubric_of(row))


@needs_mohler
def test_fit_is_deterministic() -> None:
    results, scores, ids = graded()
    assert fit(results, scores, ids=ids).to_json() == calibration().to_json()


@needs_mohler
def test_json_is_plain_and_complete(tmp_path: Path) -> None:
    cal = calibration()
    path = tmp_path / "c.json"
    cal.save(path)
    raw = path.read_bytes()
    assert not raw.startswith(b"\x80")  # a pickle's protocol byte
    doc = json.loads(raw)
    assert set(doc) == KEYS
    assert doc["format_version"] == FORMAT_VERSION
    assert doc["features_version"] == FEATURES_VERSION
    assert doc["model"] == "ridge"
    assert doc["feature_names"] == list(BASE_FEATURES)  # two rubrics: no per-point features
    assert doc["per_point"] is False
    k = len(doc["feature_names"])
    assert len(doc["coefficients"]) == len(doc["feature_means"]) == len(doc["feature_scales"]) == k
    assert doc["n"] == 2 * PER_QUESTION
    assert doc["max_score"] == 5.0
    scores = [float(r["score"]) for r in mohler_rows()]
    assert doc["output_scale"] == {"min": min(scores), "max": max(scores)}
    assert sorted((r["id"], r["hash"]) for r in doc["rubrics"]) == sorted(
        {(rubric_of(r).id, rubric_of(r).hash()) for r in mohler_rows()})
    assert set(doc["cv"]) >= {"method", "folds", "pearson_r", "rmse", "baseline_pearson_r",
                              "baseline_rmse"}
    # Sorted keys, indent 2: diffs of two calibrations are readable.
    assert raw.decode().startswith('{\n  "alpha": ')


@needs_mohler
def test_cross_validation_report() -> None:
    cal = calibration()
    assert cal.cv is not None
    assert (cal.cv.method, cal.cv.folds) == ("KFold", 5)  # two questions: too few groups
    assert cal.cv.pearson_r is not None and cal.cv.pearson_r > 0.3
    assert 0 < cal.cv.rmse < cal.cv.baseline_rmse  # grading out of 5 is not yet the teacher
    assert len(cal.disagreements) == 5
    ids = {r["id"] for r in mohler_rows()}
    gaps = [abs(d.teacher - d.model) for d in cal.disagreements]
    assert all(d.id in ids for d in cal.disagreements) and gaps == sorted(gaps, reverse=True)
    results, scores, ids_ = graded()
    by_four = [str(i % 4) for i in range(len(results))]
    grouped = fit(results, scores, groups=by_four)
    assert grouped.cv is not None and (grouped.cv.method, grouped.cv.folds) == ("GroupKFold", 4)


@needs_mohler
def test_features_match_the_results() -> None:
    results, _, _ = graded()
    # A feature renamed in score.py must bump FEATURES_VERSION, not silently read 0.
    for r in results:
        assert set(BASE_FEATURES) - {"score_frac"} <= set(r.features)
    x = features_matrix(results[:3], calibration())
    assert x.shape == (3, len(BASE_FEATURES))
    assert x[0, 0] == pytest.approx(results[0].score / results[0].max_score)
    one = [r for r in results if rubric_key(r) == rubric_key(results[0])]
    names = feature_names(one, per_point=True)
    assert names[: len(BASE_FEATURES)] == BASE_FEATURES
    assert names[len(BASE_FEATURES):] and all(n.startswith("point:") for n in
                                              names[len(BASE_FEATURES):])
    with pytest.raises(CalibrationError, match="one rubric"):
        feature_names(results, per_point=True)


# --------------------------------------------------------------------------- apply


@needs_mohler
def test_apply_sets_raw_score_flag_and_signature() -> None:
    results, _, _ = graded()
    cal = calibration()
    row, before = mohler_rows()[0], results[0]
    after = cal.apply(before, rubric_of(row))
    assert after.raw_score == before.score
    assert after.score == round(cal.predict([before])[0], 2)
    assert cal.low <= after.score <= cal.high
    assert "calibrated" in after.flags and "calibrated" not in before.flags
    assert re.fullmatch(r"[0-9a-f]{8}", cal.hash)
    assert after.signature == f"{before.signature} | calibration {cal.hash}"
    assert after.to_dict()["raw_score"] == round(before.score, 2)
    assert before.raw_score is None  # the input is not changed
    # evaluate(calibration=...) goes through the same apply().
    via_library = evaluate(row["answer"], question=row["question"], reference=row["reference"],
                           marks=5, calibration=cal)
    assert (via_library.score, via_library.signature) == (after.score, after.signature)
    with pytest.raises(CalibrationError, match="already calibrated"):
        cal.apply(after, rubric_of(row))


@needs_mohler
def test_apply_keeps_flag_order_and_off_topic_zero() -> None:
    results, _, _ = graded()
    cal, row = calibration(), mohler_rows()[0]
    flagged = dataclasses.replace(results[0], flags=("off_topic", "factual_error"), score=0.0)
    after = cal.apply(flagged, rubric_of(row))
    assert after.flags == ("off_topic", "factual_error", "calibrated")
    assert list(after.flags) == sorted(after.flags, key=FLAGS.index)
    assert after.score == 0.0 and after.raw_score == 0.0


@needs_mohler
def test_refuses_per_point_calibration_on_another_rubric() -> None:
    results, scores, _ = graded()
    first = [i for i, r in enumerate(mohler_rows()) if r["id"].startswith("1.1-")]
    cal = fit([results[i] for i in first], [scores[i] for i in first])
    assert cal.per_point and any(n.startswith("point:") for n in cal.feature_names)
    other = next(i for i, r in enumerate(mohler_rows()) if r["id"].startswith("1.2-"))
    with pytest.raises(CalibrationError, match="learnt the points of rubric"):
        cal.apply(results[other], rubric_of(mohler_rows()[other]))
    # Its own rubric is fine, and so is the other one for a calibration without point features.
    cal.apply(results[first[0]], rubric_of(mohler_rows()[first[0]]))
    calibration().apply(results[other], rubric_of(mohler_rows()[other]))


@needs_mohler
def test_refuses_another_scale() -> None:
    row = mohler_rows()[0]
    out_of_ten = evaluate(row["answer"], question=row["question"], reference=row["reference"],
                          marks=10)
    with pytest.raises(CalibrationError, match=r"graded out of 5 marks.*--marks 5"):
        calibration().apply(out_of_ten, rubric_of(row))


# --------------------------------------------------------------------------- refusing to fit


@needs_mohler
def test_fit_refuses_bad_training_data() -> None:
    results, scores, _ = graded()
    with pytest.raises(CalibrationError, match="at least 10"):
        fit(results[:9], scores[:9])
    with pytest.raises(CalibrationError, match="nothing to learn"):
        fit(results, [3.0] * len(results))
    with pytest.raises(CalibrationError, match="graded out of 5"):
        fit(results, [s * 2 for s in scores])  # marks out of 10 on answers graded out of 5
    with pytest.raises(CalibrationError, match="40 results but 39"):
        fit(results, scores[:-1])


# --------------------------------------------------------------------------- loading


def test_load_accepts_what_save_writes(tmp_path: Path) -> None:
    cal = synthetic()
    cal.save(tmp_path / "c.json")
    assert Calibration.load(tmp_path / "c.json") == cal


@pytest.mark.parametrize(("change", "message"), [
    ({"format": "something"}, "not a calibration file"),
    ({"format_version": 99}, "format version 99; this evaluator reads version 1"),
    ({"features_version": 0}, "features version 0; this evaluator computes version"),
    ({"intercept": None, "coefficients": None}, "missing key\\(s\\): coefficients, intercept"),
    ({"coefficients": [1.0]}, "the same length"),
    ({"feature_scales": [1.0, 0.0]}, "feature_scales must be positive"),
    ({"feature_names": ["score_frac", "shoe_size"]}, "unknown feature\\(s\\): shoe_size"),
    ({"intercept": "2.5"}, "bad value for"),
    ({"model": "forest"}, "unknown model"),
])
def test_load_rejects_bad_files(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    doc = synthetic().to_dict()
    for key, value in change.items():
        if value is None:
            del doc[key]
        else:
            doc[key] = value
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CalibrationError, match=message) as info:
        Calibration.load(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


# --------------------------------------------------------------------------- command line


@needs_mohler
def test_cli_calibrate_writes_the_file(tmp_path: Path) -> None:
    rows = [*mohler_rows(), {"id": "x1", "question": "q", "reference": "r", "answer": "a",
                             "score": ""},
            {"id": "x2", "question": "q", "reference": "r", "answer": "a", "score": "n/a"}]
    src = write_csv(tmp_path / "graded.csv", rows)
    out = tmp_path / "cal" / "calibration.json"
    res = CliRunner().invoke(main, ["calibrate", str(src), "--marks", "5", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert Calibration.load(out).n == 2 * PER_QUESTION
    assert "skipped 2 rows with a missing or non-numeric score" in res.stdout
    assert re.search(r"Pearson r \d\.\d{3}, RMSE \d\.\d{3}; uncalibrated .* r -?\d\.\d{3}",
                     res.stdout)
    assert "largest disagreements" in res.stdout and f"wrote {out}" in res.stdout


@needs_mohler
def test_cli_calibrate_too_few_rows_is_one_line(tmp_path: Path) -> None:
    src = write_csv(tmp_path / "graded.csv", mohler_rows()[:5])
    res = CliRunner().invoke(main, ["calibrate", str(src), "--marks", "5", "-o",
                                    str(tmp_path / "c.json")])
    assert res.exit_code == 1
    assert res.stderr.count("\n") == 1 and "at least 10" in res.stderr
    assert res.stderr.startswith("evaluate: ") and "Traceback" not in res.output
    assert not (tmp_path / "c.json").exists()


@needs_mohler
def test_cli_grade_applies_the_calibration(tmp_path: Path) -> None:
    cal_path = tmp_path / "c.json"
    calibration().save(cal_path)
    row = mohler_rows()[3]
    (tmp_path / "answer.txt").write_text(row["answer"], encoding="utf-8")
    (tmp_path / "ref.txt").write_text(row["reference"], encoding="utf-8")
    args = ["grade", str(tmp_path / "answer.txt"), "--reference", str(tmp_path / "ref.txt"),
            "--calibration", str(cal_path), "--format", "json"]
    res = CliRunner().invoke(main, [*args, "--marks", "5"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert "calibrated" in doc["flags"] and "raw_score" in doc
    assert doc["signature"].endswith(f" | calibration {calibration().hash}")
    wrong_scale = CliRunner().invoke(main, args)  # graded out of 10
    assert wrong_scale.exit_code == 1 and "--marks 5" in wrong_scale.stderr
