"""Content rubrics (key points, model answers): marks as written, one idea in one sentence."""

from __future__ import annotations

import pytest

from evaluator import evaluate, from_key_points, from_reference
from evaluator.score import CONTENT_FULL

ROWS = [
    ("1", "the sender retransmits the frame after a timeout", 1.0),
    ("2", "acknowledgements carry the sequence number", 2.0),
]


@pytest.mark.parametrize(
    "question",
    [
        "",
        "When does the sender retransmit a frame after a timeout?",
        "What do acknowledgements carry?",
    ],
)
def test_key_point_marks_are_the_teachers_whatever_the_question(question: str) -> None:
    rubric = from_key_points(ROWS, question=question)
    result = evaluate("Acknowledgements carry the sequence number.", rubric, question=question)
    marks = {p.id: p.marks for p in (*result.covered, *result.partial, *result.missing)}
    assert marks == {"1": 1.0, "2": 2.0}
    assert not any("relevance" in note for note in result.notes)


def test_a_point_said_in_one_sentence_beats_its_words_strewn_over_two() -> None:
    rubric = from_reference("The sender retransmits the frame after a timeout.", marks=1)
    together = evaluate("The sender retransmits the frame after a timeout.", rubric).score
    strewn_text = "The sender waits for a timeout. Then it retransmits the frame."
    strewn = evaluate(strewn_text, rubric).score
    half = evaluate("Then it retransmits the frame.", rubric).score
    assert together > strewn > half > 0


@pytest.mark.parametrize(
    ("said", "met"),
    [
        ("P(B) = 0.013824", True),
        ("P(B) = 0,013824", True),  # a decimal comma
        ("P(B) = 0.0138", True),  # rounded as far as the answer writes it
        ("P(B) = 0,014", True),
        ("P(B) = 1.38 %", True),  # a percentage is a fraction
        ("P(B) = 0.01", False),  # one significant digit says too little
        ("P(B) = 0.0139", False),  # not how 0.013824 rounds
        ("P(B) = 13824", False),
    ],
)
def test_a_number_is_met_however_the_answer_writes_it(said: str, met: bool) -> None:
    rubric = from_key_points([("1", "P(B) = 0.013824", 1.0)])
    assert bool(evaluate(said, rubric).covered) is met


@pytest.mark.parametrize(
    "said",
    [
        "Acknowledgements are sent in both directions.",
        "The receiver sends a negative acknowledgement after a timeout.",
        "Frames carry sequence numbers, acknowledgements and a checksum.",
        "Nothing of the sort.",
    ],
)
def test_a_content_point_earns_marks_by_its_strength_up_to_content_full(said: str) -> None:
    rubric = from_key_points([
        ("1", "The receiver acknowledges every frame after a timeout", 2.0),
        ("2", "frames carry sequence numbers", 1.0),
    ])
    result = evaluate(said, rubric)
    for p in (*result.covered, *result.partial):
        # No step to full marks at "covered": the strength decides, full from CONTENT_FULL.
        assert p.awarded == pytest.approx(p.marks * min(1.0, p.strength / CONTENT_FULL), abs=0.01)
    for p in result.missing:
        assert p.awarded == 0.0


@pytest.mark.parametrize(
    ("point", "said", "met"),
    [
        ("about 57 seconds", "about 56.95 seconds", True),  # the point rounds the answer
        ("a factor of 10", "a factor of ten", True),  # spelled out
        ("a factor of 10", "a factor of 9.6", True),
        ("a factor of 10", "a factor of 11", False),
        ("reset to 2", "reset to 2.4", False),  # "2" is not a rounding of 2.4 to trust
    ],
)
def test_rounding_and_words_either_way(point: str, said: str, met: bool) -> None:
    rubric = from_key_points([("1", point, 1.0)])
    assert (evaluate(said, rubric).score == 1.0) is met


def test_a_formula_answer_is_english() -> None:
    answer = ("P(X=0) = 0,004 and P(X=1) = 0,036864. P(X=2) = 0,13824 so P(A) = 1 - P(X=0) "
              "- P(X=1) - P(X=2) = 0,8208. P(B) = 0,6^3 * 0,4^3 = 0,013824. P(C) = 20 * "
              "0,6^3 * 0,4^3 = 0,27648. B < C < A")
    rubric = from_key_points([("1", "P(A) = 0.8208", 1.0), ("2", "P(B) = 0.013824", 1.0)])
    result = evaluate(answer, rubric)
    assert "not_english" not in result.flags
    assert result.score == 2.0


def test_a_clause_that_only_restates_the_question_weighs_little() -> None:
    # Every student restates the question: marks for it only shift the question's scores.
    rubric = from_reference(
        "The bulb lights up. It is closed.", question="Why does the bulb light up?", marks=10
    )
    restated, new = (p.marks for p in rubric.points)
    assert restated < new / 2 and restated + new == 10
    alone = from_reference("The bulb lights up.", question="Why does the bulb light up?")
    assert [p.marks for p in alone.points] == [10.0]


def test_restating_the_question_reads_less_alike() -> None:
    from dataclasses import replace

    from evaluator.library import CONTENT_SETTINGS
    from evaluator.match import compile_rubric, match, prepare

    question = "Why does the bulb in circuit A light up?"
    rubric = from_reference("The bulb in circuit A is in a closed path with the battery.",
                            question=question)
    restated = prepare("The bulb in circuit A lights up.")
    weighed = compile_rubric(rubric, settings=CONTENT_SETTINGS)
    plain = compile_rubric(rubric, settings=replace(CONTENT_SETTINGS, question_term=1.0))
    assert match(weighed, restated)[0].strength < match(plain, restated)[0].strength
    # An answer in the model answer's own new words is as alike either way.
    said = prepare("It is in a closed path with the battery.")
    assert match(weighed, said)[0].strength >= match(plain, said)[0].strength
