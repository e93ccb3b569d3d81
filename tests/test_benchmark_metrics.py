"""Tests for the agreement benchmark: metrics, bootstrap, loaders, baselines, CLI plumbing."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import numpy as np
import pytest

# `benchmarks` lives at the project root, which plain `pytest` (prepend import mode, no
# root conftest) does not put on sys.path; `python -m pytest` does. Make both work.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import agreement, datasets  # noqa: E402
from benchmarks.baselines import (  # noqa: E402
    TfidfCosine,
    keypoint_recall,
    stemmed_recall,
    tfidf_cosine_system,
)
from benchmarks.datasets import Item  # noqa: E402
from benchmarks.metrics import (  # noqa: E402
    bootstrap_ci,
    paired_difference_ci,
    pearson,
    qwk,
    rmse,
    roc_auc,
    spearman,
    to_bins,
)

REAL_DATA = ROOT.parent / "shared" / "data"


def make_item(answer: str, reference: str = "", **overrides: object) -> Item:
    fields: dict[str, object] = {
        "dataset": "toy",
        "question_id": "q1",
        "question": "Why?",
        "reference": reference,
        "answer": answer,
        "score": 1.0,
        "max_score": 1.0,
        "label": None,
        "key_points": (),
        "references": (reference,) if reference else (),
    }
    fields.update(overrides)
    return Item(**fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- metrics


def test_perfect_and_inverse_correlation() -> None:
    x = np.arange(20, dtype=float)
    assert pearson(x, 3 * x + 1) == pytest.approx(1.0)
    assert pearson(x, -x) == pytest.approx(-1.0)
    # Monotone but non-linear: rank correlation is exactly 1, Pearson is not.
    assert spearman(x, np.exp(x)) == pytest.approx(1.0)
    assert pearson(x, np.exp(x)) < 0.9


def test_correlations_match_scipy() -> None:
    from scipy.stats import pearsonr, spearmanr

    rng = np.random.default_rng(3)
    t = rng.integers(0, 6, 300).astype(float)  # many ties, as in real grades
    p = t + rng.normal(0, 2, 300)
    assert pearson(t, p) == pytest.approx(pearsonr(t, p)[0])
    assert spearman(t, p) == pytest.approx(spearmanr(t, p)[0])


def test_constant_input_gives_nan_correlation() -> None:
    assert np.isnan(pearson([1, 2, 3], [2, 2, 2]))


def test_rmse_known_value() -> None:
    assert rmse([0, 0, 0, 0], [1, 1, 1, 1]) == pytest.approx(1.0)
    assert rmse([1, 2], [1, 4]) == pytest.approx(np.sqrt(2.0))


def test_qwk_identical_labels_is_one_and_matches_sklearn() -> None:
    from sklearn.metrics import cohen_kappa_score

    labels = [0, 1, 2, 3, 4, 2, 1]
    assert qwk(labels, labels) == pytest.approx(1.0)
    rng = np.random.default_rng(5)
    a = rng.integers(0, 11, 400)
    b = np.clip(a + rng.integers(-3, 4, 400), 0, 10)
    assert qwk(a, b) == pytest.approx(cohen_kappa_score(a, b, weights="quadratic"))


def test_qwk_rejects_uncoded_scores() -> None:
    with pytest.raises(ValueError):
        qwk([-1, 0], [0, 1])


def test_to_bins_half_points_round_half_up_and_clip() -> None:
    codes = to_bins([0.0, 0.24, 0.25, 2.25, 4.74, 4.76, 5.0, 7.0, -1.0], step=0.5, lo=0, hi=5)
    assert codes.tolist() == [0, 0, 1, 5, 9, 10, 10, 10, 0]
    assert to_bins([0.1 * 3], step=0.1).tolist() == [3]


def test_auc_ties_and_perfect_ranking() -> None:
    assert roc_auc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3]) == pytest.approx(0.5)
    assert roc_auc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]) == pytest.approx(1.0)
    assert roc_auc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]) == pytest.approx(0.0)
    assert np.isnan(roc_auc([1, 1, 1], [0.1, 0.2, 0.3]))


def test_auc_matches_sklearn() -> None:
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 500)
    s = np.round(y * 0.3 + rng.random(500), 1)  # rounded: plenty of ties
    assert roc_auc(y, s) == pytest.approx(roc_auc_score(y, s))


@pytest.mark.parametrize("metric", [pearson, spearman, rmse, roc_auc])
def test_bootstrap_ci_contains_point_estimate_and_is_deterministic(metric: object) -> None:
    rng = np.random.default_rng(11)
    gold = rng.integers(0, 2, 400).astype(float)
    pred = np.clip(gold * 0.4 + rng.random(400) * 0.6, 0, 1)
    value = metric(gold, pred)  # type: ignore[operator]
    low, high = bootstrap_ci(metric, gold, pred, n=300, seed=1)  # type: ignore[arg-type]
    assert low <= value <= high
    assert (low, high) == bootstrap_ci(metric, gold, pred, n=300, seed=1)  # type: ignore[arg-type]
    assert (low, high) != bootstrap_ci(metric, gold, pred, n=300, seed=2)  # type: ignore[arg-type]


def test_bootstrap_qwk_and_cluster_mode() -> None:
    rng = np.random.default_rng(13)
    a = rng.integers(0, 5, 300)
    b = np.clip(a + rng.integers(-1, 2, 300), 0, 4)
    low, high = bootstrap_ci(qwk, a, b, n=200, seed=0)
    assert low <= qwk(a, b) <= high
    groups = [f"q{i % 15}" for i in range(300)]
    g_low, g_high = bootstrap_ci(qwk, a, b, n=200, seed=0, groups=groups)
    assert g_low <= qwk(a, b) <= g_high
    assert bootstrap_ci(qwk, a, b, n=200, seed=0, groups=groups) == (g_low, g_high)


def test_bootstrap_falls_back_for_unregistered_metric() -> None:
    def mean_abs_error(t: object, p: object) -> float:
        return float(np.mean(np.abs(np.asarray(t) - np.asarray(p))))

    gold = np.linspace(0, 1, 50)
    pred = gold[::-1]
    low, high = bootstrap_ci(mean_abs_error, gold, pred, n=100, seed=0)
    assert low <= mean_abs_error(gold, pred) <= high


# --------------------------------------------------------------------------- loaders


def test_load_mohler_latin1_strip_and_skip_empty(tmp_path: Path) -> None:
    folder = tmp_path / "mohler"
    folder.mkdir()
    text = (
        "id,question,desired_answer,student_answer,score_me,score_other,score_avg\n"
        '1.1, What is X? ,A thing.,"  It is a caf\xe9 thing. ",5,4,4.5\n'
        "1.1,What is X?,A thing.,   ,0,0,0\n"
        "1.2,What is Y?,Another.,Dunno,1,2,1.5\n"
    )
    (folder / "mohler_dataset_edited.csv").write_bytes(text.encode("latin-1"))
    notes: list[str] = []
    items = datasets.load_mohler(tmp_path, notes=notes)
    assert [i.answer for i in items] == ["It is a caf\xe9 thing.", "Dunno"]
    first = items[0]
    assert (first.question_id, first.question, first.reference) == ("1.1", "What is X?", "A thing.")
    assert (first.score, first.max_score, first.label, first.key_points) == (4.5, 5.0, None, ())
    assert first.references == ("A thing.",)
    assert any("skipped 1 with an empty answer" in note for note in notes)


SAF_XML = """<?xml version='1.0' encoding='utf-8'?>
<question id="9.9">
  <questionText>Name the protocol.</questionText>
  <referenceAnswers><referenceAnswer id="9.9.a1">TCP is reliable.</referenceAnswer>
  </referenceAnswers>
  <studentAnswers>
    <studentAnswer id="9.9.1"><response>TCP</response><response_feedback>ok</response_feedback>
      <score>1.5</score><verification_feedback>Correct</verification_feedback></studentAnswer>
    <studentAnswer id="9.9.2"><response> UDP </response><response_feedback>no</response_feedback>
      <score>0</score><verification_feedback>Incorrect</verification_feedback></studentAnswer>
    <studentAnswer id="9.9.3"><response>TCP maybe</response><response_feedback>-</response_feedback>
      <score>0,75</score><verification_feedback>Partially correct</verification_feedback>
    </studentAnswer>
  </studentAnswers>
</question>
"""


def test_load_saf_with_decimal_comma_rubric(tmp_path: Path) -> None:
    (tmp_path / "saf" / "training").mkdir(parents=True)
    (tmp_path / "saf" / "rubrics").mkdir()
    (tmp_path / "saf" / "training" / "9.9_X.xml").write_text(SAF_XML, encoding="utf-8")
    (tmp_path / "saf" / "rubrics" / "9.9_X.csv").write_text(
        'ID,key_element,points\n1,TCP,"0,5"\n2,reliable delivery,1,0\n3,"ack, retransmit",0.25\n',
        encoding="utf-8",
    )
    items = datasets.load_saf(tmp_path)
    assert [i.answer for i in items] == ["TCP", "UDP", "TCP maybe"]
    assert {i.max_score for i in items} == {1.5}  # the Correct answer's score
    assert [i.score for i in items] == [1.5, 0.0, 0.75]
    assert items[0].key_points == (
        ("TCP", 0.5),
        ("reliable delivery", 1.0),
        ("ack, retransmit", 0.25),
    )
    assert items[0].label is None and items[0].question_id == "9.9"


def test_rubric_semicolon_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("ID;key_element;points\n1;slow start;0,125\n", encoding="utf-8")
    assert datasets.read_rubric_csv(path) == (("slow start", 0.125),)


def test_saf_without_correct_answer_uses_max_observed(tmp_path: Path) -> None:
    (tmp_path / "saf" / "training").mkdir(parents=True)
    xml = SAF_XML.replace("Correct</verification", "Partially correct</verification")
    (tmp_path / "saf" / "training" / "q.xml").write_text(xml, encoding="utf-8")
    notes: list[str] = []
    items = datasets.load_saf(tmp_path, notes=notes)
    assert {i.max_score for i in items} == {1.5}
    assert items[0].key_points == ()
    assert any("no rubric" in note for note in notes)


SEMEVAL_XML = """<?xml version="1.0"?>
<question qtype="Q" id="BULB_X" module="FaultFinding">
  <questionText>Why is the bulb off?</questionText>
  <referenceAnswers>
    <referenceAnswer category="BEST" id="a1">The circuit is open</referenceAnswer>
    <referenceAnswer category="GOOD" id="a2">There is a gap in the circuit</referenceAnswer>
  </referenceAnswers>
  <studentAnswers>
    <studentAnswer count="3" id="s1" accuracy="correct">the circuit is open</studentAnswer>
    <studentAnswer id="s2" accuracy="incorrect">the battery is dead</studentAnswer>
  </studentAnswers>
</question>
"""


def test_load_semeval_two_way(tmp_path: Path) -> None:
    folder = tmp_path / "semeval2013" / "training" / "2way" / "beetle"
    folder.mkdir(parents=True)
    (folder / "q.xml").write_text(SEMEVAL_XML, encoding="utf-8")
    items = datasets.load(tmp_path, "semeval-beetle")
    assert [(i.answer, i.label, i.score, i.max_score) for i in items] == [
        ("the circuit is open", 1, 1.0, 1.0),
        ("the battery is dead", 0, 0.0, 1.0),
    ]
    assert items[0].references == ("The circuit is open", "There is a gap in the circuit")
    assert items[0].reference == "The circuit is open\nThere is a gap in the circuit"
    assert items[0].dataset == "semeval-beetle" and items[0].question_id == "BULB_X"


@pytest.mark.skipif(not REAL_DATA.is_dir(), reason="../shared/data not present")
def test_real_data_counts() -> None:
    # Mohler: all 2,273 answers are non-empty, so none are skipped and all 81 questions stay.
    expected = {
        "mohler": (2273, 81),
        "saf": (2127, 26),
        "semeval-sciEntsBank": (4969, 135),
        "semeval-beetle": (3941, 47),
    }
    for name, (answers, questions) in expected.items():
        items = datasets.load(REAL_DATA, name)
        assert len(items) == answers, name
        assert len({i.question_id for i in items}) == questions, name
    saf = datasets.load(REAL_DATA, "saf")
    assert all(i.key_points for i in saf)
    assert all(0 <= i.fraction <= 1 for i in saf)


# --------------------------------------------------------------------------- baselines


def test_stemmed_recall_uses_stems_and_best_reference() -> None:
    item = make_item("Packets were retransmitted", references=("retransmitting packet", "zzz"))
    assert stemmed_recall(item) == pytest.approx(1.0)
    assert stemmed_recall(make_item("nothing", "the retransmission of packets")) == 0.0


def test_keypoint_recall_caps_at_max_score() -> None:
    item = make_item(
        "Token ring is collision free and scales",
        "",
        max_score=1.0,
        key_points=(("Token Ring", 0.5), ("collision free", 1.0), ("No", 0.5), ("cost", 1.0)),
    )
    assert keypoint_recall(item) == pytest.approx(1.0)  # 1.5 earned, capped at 1
    partial = make_item("token", max_score=2.0, key_points=(("token ring", 1.0), ("No", 0.5)))
    assert keypoint_recall(partial) == pytest.approx(0.5)  # recall 1/2 reaches the threshold
    verdict = make_item("No, because", max_score=1.0, key_points=(("No", 0.5),))
    assert keypoint_recall(verdict) == pytest.approx(0.5)  # stop-word-only element


def test_tfidf_cosine_range() -> None:
    items = [
        make_item("the circuit is open", "the circuit is open"),
        make_item("bananas", "the circuit is open"),
    ]
    model = TfidfCosine().fit(items)
    assert model.score(items[0]) == pytest.approx(1.0)
    assert model.score(items[1]) == 0.0
    assert tfidf_cosine_system(items) == pytest.approx([1.0, 0.0])


# --------------------------------------------------------------------------- agreement


def test_question_folds_are_disjoint_by_question() -> None:
    items = [make_item("a", question_id=f"q{i % 30}") for i in range(300)]
    folds = agreement.question_folds(items, k=12, seed=0)
    assert len(folds) == 12
    tested = np.concatenate([test for _, test in folds])
    assert sorted(tested.tolist()) == list(range(300))
    for train, test in folds:
        train_q = {items[i].question_id for i in train}
        test_q = {items[i].question_id for i in test}
        assert not train_q & test_q
    again = agreement.question_folds(items, k=12, seed=0)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(folds, again, strict=True))
    with pytest.raises(ValueError):
        agreement.question_folds(items[:5], k=12)


def test_evaluator_row_skipped_without_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "evaluator", types.ModuleType("evaluator"))
    with pytest.raises(agreement.SystemUnavailable):
        agreement.evaluator_system([make_item("x", "y")])


def test_cli_end_to_end_with_plugged_evaluator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "semeval2013" / "training" / "2way" / "beetle"
    folder.mkdir(parents=True)
    for n in range(3):
        (folder / f"q{n}.xml").write_text(SEMEVAL_XML.replace("BULB_X", f"Q{n}"), "utf-8")
    fake = types.ModuleType("evaluator")
    fake.benchmark_scores = lambda items: [float(i.answer.endswith("open")) for i in items]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "evaluator", fake)
    out = tmp_path / "table.md"
    code = agreement.main(
        [
            "--data",
            str(tmp_path),
            "--datasets",
            "semeval-beetle",
            "--bootstrap",
            "50",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "| semeval-beetle | evaluator | 6 | 1.000" in printed
    assert "elapsed:" in printed and "elapsed:" not in out.read_text("utf-8")


class _FakeResult:
    def __init__(self, score: float, max_score: float) -> None:
        self.score = score
        self.max_score = max_score


def _fake_grader() -> types.ModuleType:
    """A stand-in for the evaluator package's public API, scoring by word overlap."""
    module = types.ModuleType("fake_grader")

    class EvaluatorError(Exception):
        pass

    def from_reference(reference: str, *, question: str = "", marks: float = 10.0) -> object:
        return ("ref", frozenset(reference.lower().split()), marks)

    def from_key_points(rows: object, *, max_score: float | None = None, question: str = ""):
        return ("kp", rows, max_score)

    def evaluate(
        answer: str,
        rubric: object = None,
        *,
        question: str | None = None,
        reference: str | None = None,
    ) -> _FakeResult:
        if answer.startswith("Q."):
            raise EvaluatorError("question only")
        kind, payload, marks = rubric  # type: ignore[misc]
        if kind == "kp":
            return _FakeResult(1.0, 2.0)
        words = set(answer.lower().split())
        return _FakeResult(len(words & payload) / len(payload) * marks, marks)

    module.EvaluatorError = EvaluatorError  # type: ignore[attr-defined]
    module.from_reference = from_reference  # type: ignore[attr-defined]
    module.from_key_points = from_key_points  # type: ignore[attr-defined]
    module.evaluate = evaluate  # type: ignore[attr-defined]
    return module


def test_evaluate_adapter_best_reference_key_points_and_refusals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = _fake_grader()
    monkeypatch.setitem(sys.modules, "fake_grader", module)
    items = [
        make_item("circuit open", references=("circuit open", "gap")),
        make_item("a gap", references=("circuit open", "gap here")),
        make_item("Q. why", references=("x",)),
        make_item("anything", max_score=2.0, key_points=(("k", 1.0),)),
    ] * 30  # 120 items over 4 questions x 30: enough for the process-pool path
    items = [Item(**{**vars(item), "question_id": f"q{i % 4}"}) for i, item in enumerate(items)]
    with pytest.warns(agreement.BenchmarkNote, match="refused 30"):
        serial = agreement.evaluate_adapter(module, items, jobs=1)
    assert serial[:4] == pytest.approx([1.0, 0.5, 0.0, 0.5])
    with pytest.warns(agreement.BenchmarkNote, match="refused 30"):
        parallel = agreement.evaluate_adapter(module, items, jobs=2)
    assert parallel == serial


# --------------------------------------------------------------------------- comparisons


def test_paired_difference_of_a_system_with_itself_is_zero() -> None:
    rng = np.random.default_rng(1)
    gold = rng.random(200)
    pred = gold + rng.normal(0, 0.3, 200)
    assert paired_difference_ci(pearson, gold, pred, pred, n=200) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("groups", [None, [i % 10 for i in range(300)]])
def test_paired_difference_separates_a_better_system(groups: list[int] | None) -> None:
    rng = np.random.default_rng(2)
    gold = rng.random(300)
    good = gold + rng.normal(0, 0.1, 300)
    poor = gold + rng.normal(0, 0.6, 300)
    diff, low, high = paired_difference_ci(pearson, gold, good, poor, n=300, groups=groups)
    assert 0 < low <= diff <= high
    assert paired_difference_ci(pearson, gold, good, poor, n=300, groups=groups) == (
        diff,
        low,
        high,
    )
    # Swapping the systems mirrors the interval.
    back = paired_difference_ci(pearson, gold, poor, good, n=300, groups=groups)
    assert back[0] == pytest.approx(-diff) and back[2] < 0


def _estimate(value: float, low: float, high: float) -> agreement.Estimate:
    return agreement.Estimate(value, low, high)


@pytest.mark.parametrize(
    ("ours", "theirs", "difference", "verdict"),
    [
        (0.80, (0.70, 0.68, 0.72), (0.10, 0.05, 0.15), "beats"),
        # Paired interval above 0 but our estimate inside their interval: not enough.
        (0.71, (0.70, 0.68, 0.72), (0.01, 0.002, 0.02), "not separable"),
        (0.70, (0.70, 0.68, 0.72), (0.0, -0.02, 0.02), "not separable"),
        (0.60, (0.70, 0.68, 0.72), (-0.10, -0.15, -0.05), "loses"),
    ],
)
def test_comparison_verdict(
    ours: float, theirs: tuple[float, float, float], difference: tuple[float, float, float],
    verdict: str,
) -> None:
    c = agreement.Comparison(
        "toy", "baseline", "Pearson r", _estimate(ours, ours - 0.02, ours + 0.02),
        _estimate(*theirs), _estimate(*difference),
    )
    assert c.verdict == verdict
    assert verdict in agreement.comparison_table([c])


def _toy_questions(gold_shift: float = 0.0) -> list[Item]:
    """Four questions, eight answers each, gold rising with how much of the reference is said."""
    refs = {
        "q1": "A stack is last in first out; push adds on top and pop removes the top.",
        "q2": "A queue is first in first out; enqueue adds at the back and dequeue removes "
              "the front.",
        "q3": "Binary search halves the sorted array at every step, so it takes log n steps.",
        "q4": "A linked list stores nodes that point to the next node in memory.",
    }
    items = []
    for q, ref in refs.items():
        words = ref.rstrip(".").split()
        for k in range(8):
            answer = " ".join(words[: max(1, len(words) * k // 7)]) or "no idea"
            score = min(5.0, 5.0 * k / 7 + (gold_shift if q == "q1" else 0.0))
            items.append(make_item(answer, ref, dataset="toy", question_id=q, max_score=5.0,
                                   score=max(0.0, score), answer_id=f"{q}-{k}"))
    return items


def test_calibrated_rows_never_see_their_own_question() -> None:
    items = _toy_questions()
    first = agreement.calibrated_system(items)
    assert len(first) == len(items) and all(0.0 <= v <= 1.0 for v in first)
    assert pearson(np.array([i.score for i in items]), np.array(first)) > 0.8
    # Changing the gold of q1 changes nothing in q1's own predictions (grouped CV).
    shifted = agreement.calibrated_system(_toy_questions(gold_shift=-2.0))
    for item, a, b in zip(items, first, shifted, strict=True):
        if item.question_id == "q1":
            assert a == pytest.approx(b)
