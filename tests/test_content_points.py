"""Content rubrics (key points, model answers): marks as written, one idea in one sentence."""

from __future__ import annotations

import pytest

from evaluator import evaluate, from_key_points, from_reference

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
