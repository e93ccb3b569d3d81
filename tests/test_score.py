"""Scoring and the public API on the example answers and the bundled rubrics."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, MINI, answer, read

import evaluator
from evaluator import (
    EvaluatorError,
    InputError,
    Result,
    RubricError,
    evaluate,
    load_rubric,
    render,
)
from evaluator.library import bundled_library
from evaluator.rubric import Point, Rubric
from evaluator.score import directive_of, split_question, stated_word_limit, word_limit

# Scores a grader would call clearly apart (one mark in ten).
MARGIN = 1.0
ON_TOPIC = ("strong", "average", "vague")


def _point_with(rubric: Rubric, *groups: str) -> Point:
    """The one point whose anchor, value or must groups include every one of ``groups``."""
    def said(p: Point) -> list[tuple[str, ...]]:
        return [*p.must, (p.anchor,), tuple(p.value), *((v,) for v in p.value)]

    found = [p for p in rubric.points
             if all(any(g.lower() in (a.lower() for a in grp) or
                        any(g.lower() in a.lower() for a in grp) for grp in said(p))
                    for g in groups)]
    assert len(found) == 1, (groups, [p.id for p in found])
    return found[0]


# --------------------------------------------------------------------------- the examples


def test_better_answers_score_higher(example_results: dict[str, Result]) -> None:
    strong, average, vague = (example_results[n] for n in ON_TOPIC)
    assert strong.score >= average.score + MARGIN
    assert average.score >= vague.score + MARGIN
    assert vague.score > 0


def test_unrelated_answer_is_off_topic_and_scores_zero(example_results: dict[str, Result]) -> None:
    r = example_results["unrelated"]
    assert "off_topic" in r.flags and r.topic.off_topic
    assert r.score == 0
    assert all(d.score == 0 for d in r.dimensions)
    assert all(p.awarded == 0 for p in (*r.covered, *r.partial))


@pytest.mark.parametrize("name", ON_TOPIC)
def test_example_answers_choose_the_msme_mou_rubric(example_results: dict[str, Result],
                                                     name: str) -> None:
    r = example_results[name]
    assert "msme" in r.rubric
    assert not r.topic.off_topic and "off_topic" not in r.flags
    assert r.topic.rubric == r.rubric
    assert r.rubric not in [c for c, _ in r.topic.candidates]


def test_vague_answer_misses_the_key_facts(example_results: dict[str, Result]) -> None:
    vague, strong = example_results["vague"], example_results["strong"]
    rubric = load_rubric(vague.rubric)
    key = [
        _point_with(rubric, "CEPA", "2010"),
        _point_with(rubric, "Special Strategic Partnership", "2015"),
        _point_with(rubric, "Ministry of MSME", "MoU"),
        _point_with(rubric, "Ministry of SMEs and Startups", "MoU"),
    ]
    missing = {p.id for p in vague.missing}
    covered = {p.id for p in strong.covered}
    for p in key:
        assert p.id in missing, p.text
        assert p.id in covered, p.text


def test_missing_points_come_most_marks_first(example_results: dict[str, Result]) -> None:
    marks = [p.marks for p in example_results["vague"].missing]
    assert marks == sorted(marks, reverse=True)


# --------------------------------------------------------------------------- arithmetic


def _results(example_results: dict[str, Result]) -> list[Result]:
    extra = [evaluate(answer(n), marks=15) for n in ("strong", "vague")]
    extra.append(evaluate(answer("strong"), MINI))
    return [*example_results.values(), *extra]


def test_score_is_the_capped_sum_of_dimension_scores(example_results: dict[str, Result]) -> None:
    for r in _results(example_results):
        assert r.score == pytest.approx(min(r.max_score, sum(d.score for d in r.dimensions)),
                                        abs=1e-9)
        for d in r.dimensions:
            assert 0 <= d.score <= d.max_score + 1e-9, d
        assert 0 <= r.score <= r.max_score


def test_dimension_score_is_points_plus_moves_capped(
        example_results: dict[str, Result]) -> None:
    from evaluator.score import INCOMPLETE_CREDIT

    for r in _results(example_results):
        rubric = load_rubric(MINI) if r.rubric == "mini" else load_rubric(r.rubric)
        dims = {d.name: d for d in rubric.dimensions}
        points = (*r.covered, *r.partial, *r.missing, *r.incomplete, *r.wrong)
        for d in r.dimensions:
            if d.name == "structure":
                assert d.score == pytest.approx(r.structure.score)
                continue
            spec = dims[d.name]
            got = sum(p.awarded for p in points if p.dimension == d.name)
            moves = d.max_score * spec.move_share * min(1, len(d.moves) / spec.moves_for_full)
            cap = d.max_score * (1 - spec.move_share)
            # Points (or the criterion met) fill at most their share; moves the rest.
            assert min(cap, got) + moves - 1e-9 <= d.score <= min(d.max_score, cap + moves) + 1e-9
            assert d.why, d.name
        for p in r.covered:
            assert p.awarded == pytest.approx(p.marks)
        for p in r.partial:
            assert p.awarded == pytest.approx(p.marks * p.strength) or r.topic.off_topic
        # A name earns its quarter once: on the fact of that anchor with the most marks.
        by_anchor: dict[str, list[float]] = {}
        for p in r.incomplete:
            assert p.awarded in (pytest.approx(p.marks * INCOMPLETE_CREDIT), 0.0)
            by_anchor.setdefault(p.anchor.lower(), []).append(p.awarded)
        if not r.topic.off_topic:
            assert all(sum(1 for a in v if a > 0) == 1 for v in by_anchor.values())
        assert all(p.awarded == 0 for p in (*r.missing, *r.wrong))


def test_json_numbers_match_the_result(example_results: dict[str, Result]) -> None:
    d = example_results["strong"].to_dict()
    assert d["score"] == round(example_results["strong"].score, 2)
    assert d["incorrect"] == [p.to_dict() for p in example_results["strong"].incorrect]
    n = sum(len(d[k]) for k in ("covered", "partial", "missing", "incomplete", "incorrect"))
    assert n == len(load_rubric(d["rubric"]).points)


# --------------------------------------------------------------------------- marks


@pytest.mark.parametrize(("marks", "limit"), [(None, 150), (10, 150), (15, 250)])
def test_marks_set_max_score_and_word_limit(marks: float | None, limit: int) -> None:
    r = evaluate(answer("strong"), marks=marks)
    assert r.max_score == (marks or 10)
    assert r.structure.word_limit == limit
    assert sum(d.max_score for d in r.dimensions) == pytest.approx(r.max_score)
    assert r.signature.endswith(f"marks {marks or 10:g}")


def test_fifteen_marks_scale_the_same_answer() -> None:
    ten, fifteen = evaluate(answer("average")), evaluate(answer("average"), marks=15)
    content = [d.name for d in ten.dimensions if d.name != "structure"]
    for name in content:
        a = next(d for d in ten.dimensions if d.name == name)
        b = next(d for d in fifteen.dimensions if d.name == name)
        assert b.max_score == pytest.approx(a.max_score * 1.5)
        assert b.score == pytest.approx(a.score * 1.5)


@pytest.mark.parametrize(("marks", "limit"), [(10, 150), (15, 250), (12.5, 200), (1, 50)])
def test_word_limit(marks: float, limit: int) -> None:
    assert word_limit(marks) == limit


@pytest.mark.parametrize(
    ("question", "limit"),
    [
        ("Discuss the MoU. (250 words)", 250),
        ("Discuss the MoU. (Answer in 150 words) 10", 150),
        ("Examine, in about 200 words, the MoU.", 200),
        ("Discuss the MoU. (15 marks)", None),
        ("Discuss the 5 words that matter. (250 words)", 250),
        ("Discuss the MoU in 9999 words.", None),
        (None, None),
    ],
)
def test_stated_word_limit(question: str | None, limit: int | None) -> None:
    assert stated_word_limit(question) == limit


@pytest.mark.parametrize(
    ("question", "marks", "limit"),
    [
        ("Discuss the MoU on MSMEs. (250 words)", None, 250),
        ("Discuss the MoU on MSMEs.", None, 150),
        ("Discuss the MoU on MSMEs. (250 words)", 10, 150),
    ],
)
def test_the_question_s_word_limit_is_the_answer_s(
    question: str, marks: float | None, limit: int
) -> None:
    # 220 words: over a 150-word limit, within a 250-word one.
    text = ((answer("strong") + " ") * 3).split()[:220]
    r = evaluate(" ".join(text), question=question, marks=marks)
    assert r.structure.word_limit == limit
    assert ("over_length" in r.flags) == (limit * 1.2 < 220)
    # Marks given that contradict the question's limit are graded, and said to.
    told = [n for n in r.notes if "the question states" in n]
    assert told == (["graded out of 10 marks with a 150-word limit; the question states 250 "
                     "words"] if marks else [])


@pytest.mark.parametrize("marks", [0, -5])
def test_bad_marks_are_an_input_error(marks: float) -> None:
    with pytest.raises(InputError):
        evaluate(answer("strong"), marks=marks)


# --------------------------------------------------------------------------- questions


def test_question_line_is_detected_with_its_directive(example_results: dict[str, Result]) -> None:
    q = example_results["strong"].question
    assert q is not None
    assert q.text.startswith("Examine the significance of the India–South Korea MoU")
    assert (q.source, q.directive) == ("answer", "examine")
    # The question line is not part of the graded answer.
    for p in example_results["strong"].covered:
        assert p.evidence is not None and not p.evidence.sentence.startswith("Q.")


def test_question_option_overrides_the_question_line() -> None:
    r = evaluate(answer("strong"), question="Critically analyse the India-Korea MSME MoU.")
    assert r.question is not None
    assert r.question.text == "Critically analyse the India-Korea MSME MoU."
    assert (r.question.source, r.question.directive) == ("option", "critically analyse")


@pytest.mark.parametrize(
    ("text", "question", "body"),
    [
        ("Q. Examine the MoU. (10 marks)\n\nThe MoU links ministries.",
         "Examine the MoU. (10 marks)", "The MoU links ministries."),
        ("Question 3: Discuss the CEPA?\nIt dates from 2010.", "Discuss the CEPA?",
         "It dates from 2010."),
        ("Q1) Examine the MoU\nbetween India and Korea.\n\nBody here.",
         "Examine the MoU between India and Korea.", "Body here."),
        ("The MoU links ministries.", None, "The MoU links ministries."),
        ("Quite a start. No question here.", None, "Quite a start. No question here."),
    ],
)
def test_split_question(text: str, question: str | None, body: str) -> None:
    assert split_question(text) == (question, body)


@pytest.mark.parametrize(
    ("question", "directive"),
    [
        ("Critically examine the MoU.", "critically examine"),
        ("Examine the MoU.", "examine"),
        ("Discuss the role of MSMEs.", "discuss"),
        ("Comment on the CEPA.", "comment"),
        ("What is the CEPA?", None),
        (None, None),
    ],
)
def test_directive_of(question: str | None, directive: str | None) -> None:
    assert directive_of(question)[0] == directive


def test_question_only_is_an_input_error() -> None:
    with pytest.raises(InputError):
        evaluate("Q. Examine the MoU on MSME cooperation.\n\n")


# --------------------------------------------------------------------------- determinism


def test_same_input_gives_identical_json_bytes() -> None:
    from evaluator import library

    text = read(EXAMPLES / "answer.txt")
    first = render(evaluate(text), "json")
    library._bundled.cache_clear()
    library._compiled.cache_clear()
    second = render(evaluate(text), "json")
    assert first == second
    assert render(evaluate(text), "text") == render(evaluate(text), "text")


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: evaluate(""), InputError),
        (lambda: evaluate("   \n\t "), InputError),
        (lambda: evaluate(None), InputError),  # type: ignore[arg-type]
        (lambda: evaluate("Some answer.", "no-such-rubric"), RubricError),
        (lambda: evaluate("Some answer.", "no/such/rubric.toml"), RubricError),
        (lambda: load_rubric("no-such-rubric"), RubricError),
        (lambda: evaluate("Some answer.", reference="   "), RubricError),
    ],
    ids=["empty", "blank", "none", "unknown-rubric", "missing-rubric-file", "load-unknown",
         "blank-reference"],
)
def test_typed_errors(call, error: type[EvaluatorError]) -> None:  # noqa: ANN001
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, EvaluatorError)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("cls", [InputError, RubricError, evaluator.SeedError,
                                 evaluator.CalibrationError])
def test_errors_share_a_base_class(cls: type[Exception]) -> None:
    assert issubclass(cls, EvaluatorError)


# --------------------------------------------------------------------------- references


def test_evaluate_against_a_reference() -> None:
    model = ("India and Korea signed an MoU on MSME cooperation in April 2026. It links the "
             "Ministry of MSME with the Ministry of SMEs and Startups. The MoU is not binding.")
    good = evaluate("In April 2026 India and Korea signed an MoU on MSME cooperation; it links "
                    "the Ministry of MSME and the Ministry of SMEs and Startups.", reference=model)
    weak = evaluate("India and Korea are friends.", reference=model)
    assert good.rubric.startswith("reference-") and good.rubric == weak.rubric
    assert good.max_score == 10
    assert [d.name for d in good.dimensions] == ["content"]
    assert good.score >= weak.score + MARGIN
    assert not good.topic.off_topic


def test_reference_overrides_a_rubric_and_respects_marks() -> None:
    _, body = split_question(answer("strong"))
    r = evaluate(body, "india-south-korea-sign-mou-msme", reference=body, marks=15)
    assert r.rubric.startswith("reference-")
    assert r.max_score == 15
    assert r.score == pytest.approx(15, abs=0.01)


def test_given_rubric_is_used_even_when_another_is_closer() -> None:
    lib = bundled_library()
    other = next(r for r in lib.rubrics if "msme" not in r.id and r.kind == "seed")
    res = evaluate(answer("strong"), other.id)
    assert res.rubric == other.id
    assert res.topic.candidates == ()
