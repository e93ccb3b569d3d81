"""Adversarial review of four grading rules (session 9): figures written out, a figure rounded
as far as it is written (and charged to the fact nearest it), a claim said the other way round
is wrong, and the word limit a question states.

Each table row is what an examiner would say; the cases were written before they were run.
A row the rules still get wrong is a strict xfail with the reason."""

from __future__ import annotations

import pytest
from conftest import MOU, SSP

from evaluator import InputError, evaluate, load_rubric
from evaluator.match import sentence_values
from evaluator.rubric import Rubric
from evaluator.score import stated_word_limit


def _bug(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.fixture(scope="module")
def rubrics() -> dict[str, Rubric]:
    return {rid: load_rubric(rid) for rid in (MOU, SSP)}


def _wrong(rubrics: dict[str, Rubric], rid: str, text: str) -> list[str]:
    return sorted(p.label for p in evaluate(text, rubrics[rid]).wrong)


# --------------------------------------------------------------------------- true, not wrong
# Sentences an examiner reads as true (or as asserting nothing false): no point is wrong.

TRUE_SENTENCES = [
    # Negation of something else in the clause.
    (MOU, "MSMEs and not big business are the largest source of non-farm employment."),
    (MOU, "It is MSMEs, not conglomerates, that are a major share of exports."),
    (MOU, "Large firms do not employ as many; MSMEs are the largest source of non-farm "
          "employment."),
    # Contrast without a negation word.
    (MOU, "MSMEs rather than large firms are the largest source of non-farm employment."),
    # Double negation: a negation of a word that denies.
    (MOU, "One cannot deny that MSMEs are the single largest source of non-farm employment."),
    (MOU, "It cannot be denied that MSMEs are the single largest source of non-farm "
          "employment."),
    (MOU, "We cannot ignore that MSMEs make up a major share of India's exports."),
    (SSP, "India cannot ignore the rising popularity of K-pop and K-dramas."),
    (SSP, "South Korea did not hesitate to join the International Solar Alliance."),
    (MOU, "India could not sustain its exports without MSMEs, which are a major share."),
    # "not just", "not merely", "not simply", "not limited to", "not to mention".
    (MOU, "MSMEs are not just a major share of exports; they employ millions."),
    (MOU, "MSMEs are not simply a major share of exports, they are the backbone of jobs."),
    (SSP, "Digital cooperation is not limited to artificial intelligence."),
    (MOU, "Not to mention that MSMEs are a major share of India's exports."),
    # A question asserts nothing.
    (MOU, "Are MSMEs not the single largest source of non-farm employment in India?"),
    (SSP, "Has South Korea not joined the International Solar Alliance?"),
    # A conditional: the counterfactual says they are.
    (MOU, "If MSMEs were not the single largest source of non-farm employment, the MoU "
          "would matter less."),
    # Reported or rejected speech: the writer does not assert it.
    (MOU, "It is a myth that MSMEs are not the largest source of non-farm employment."),
    (MOU, "Critics wrongly claim that MSMEs are not the largest source of non-farm "
          "employment."),
    # The same hedges before a denied fact or criterion (term fact).
    (MOU, "Are MSMEs not classified by investment and turnover?"),
    (MOU, "It is a myth that the CEPA did not enter into force on 1 January 2010."),
    (MOU, "If MSMEs were not classified by investment and turnover, the MoU could not "
          "target them."),
    (MOU, "No one can deny that MSMEs are classified by investment and turnover."),
    (MOU, "One cannot deny that MSMEs are classified by investment and turnover."),
    # "no longer" of something else; "never" of something else.
    (MOU, "Farming is no longer the main employer; MSMEs are the largest source of non-farm "
          "employment."),
    (MOU, "Never before have MSMEs been so clearly the largest source of non-farm "
          "employment."),
    # Round 2. An inverted conditional; "not the only", "not ... alone", "not limited to".
    (SSP, "Had South Korea not joined the International Solar Alliance, solar ties would lag."),
    (SSP, "Cooperation is not in small and medium enterprises alone."),
    (SSP, "Cooperation does not stop at small and medium enterprises."),
    (MOU, "MSMEs are not the only source of non-farm employment, but the largest one."),
    # A comparison denies of one party what the claim grants the other.
    (MOU, "India's MSMEs, unlike Korea's, do not have deep supplier integration with large "
          "manufacturers."),
    pytest.param(MOU, "India's small firms do not have the deep supplier integration with "
                 "large manufacturers that Korea's have.",
                 marks=_bug("known limit: whose claim it is (India's, not Korea's) is not read")),
    # Acceptable: a figure that is, as written, another fact's figure is not charged (which
    # fact it is said of is uncertain): "imports ... about $27 billion" loses no marks.
    (SSP, "India's imports from South Korea are about $27 billion."),
    # Bounds and approximations of a figure that are true.
    (SSP, "Bilateral trade grew to over $25 billion in 2024-25."),
    (SSP, "Imports from South Korea are more than $20 billion."),
    # Numbers written out that are not figures.
    (SSP, "Trade growth was reviewed at the twenty-third meeting of the joint commission."),
    (SSP, "One of the trade targets is $50 billion by 2030."),
    (SSP, "A third party reviewed trade growth from $14.2 billion in 2010."),
    (SSP, "The ten-year trade target of $50 billion by 2030 is ambitious."),
    (SSP, "Trade growth is part of a five-year plan; trade reached $26.89 billion in 2024-25."),
    (SSP, "In the second quarter, imports from South Korea were about $21 billion."),
    # Rounded as written, in words.
    (SSP, "Imports from South Korea are about twenty-one billion dollars."),
    (SSP, "Exports to South Korea are about six billion dollars."),
    (SSP, "Trade grew from about fourteen billion dollars in 2010 to nearly twenty-seven "
          "billion dollars in 2024-25."),
]


@pytest.mark.parametrize(("rid", "text"), TRUE_SENTENCES)
def test_true_sentences_are_not_wrong(rubrics: dict[str, Rubric], rid: str, text: str) -> None:
    assert _wrong(rubrics, rid, text) == []


# --------------------------------------------------------------------------- wrong, and flagged
# Sentences an examiner marks wrong: the right point is wrong, and only it.

WRONG_SENTENCES = [
    (MOU, "MSMEs are not the single largest source of non-farm employment in India.",
     ["MSMEs are the single largest source of non-farm employment"]),
    (SSP, "South Korea has not joined the International Solar Alliance.",
     ["South Korea joins International Solar Alliance"]),
    (MOU, "MSMEs are not classified by investment and turnover.",
     ["MSME classification: investment and turnover"]),
    (MOU, "The CEPA did not enter into force on 1 January 2010.",
     ["CEPA — in force 1 January 2010"]),
    # Said by the writer after a fact: not a report of another's view.
    (MOU, "Data show that MSMEs are not the single largest source of non-farm employment.",
     ["MSMEs are the single largest source of non-farm employment"]),
    # Round 2. A bound the fact does not meet; a fraction in words that is not 90%.
    (SSP, "Bilateral trade grew to over $30 billion in 2024-25.",
     ["Trade growth: $26.89 billion (2024–25)"]),
    (SSP, "Bilateral trade grew by two-thirds between 2010 and 2024-25.",
     ["Trade growth: 90%"]),
    # A wrong figure, in words.
    (SSP, "Imports from South Korea are about thirty-one billion dollars.",
     ["Imports from South Korea: $21 billion"]),
    # More precise than the fact and different.
    (SSP, "Exports to South Korea are $5.2 billion.", ["Exports to South Korea: $5.8 billion"]),
    # The wrong 2010 figure is charged to the 2010 fact, though it is nearer 26.89 in value.
    (SSP, "Trade grew from $20 billion in 2010 to $26.89 billion in 2024-25.",
     ["Trade growth: $14.2 billion (2010)"]),
    # The 2024-25 figure is wrong; the 2010 one right.
    (SSP, "Trade grew from $14.2 billion in 2010 to $40 billion in 2024-25.",
     ["Trade growth: $26.89 billion (2024–25)"]),
]


@pytest.mark.parametrize(("rid", "text", "wrong"), WRONG_SENTENCES)
def test_wrong_sentences_are_wrong(rubrics: dict[str, Rubric], rid: str, text: str,
                                   wrong: list[str]) -> None:
    assert _wrong(rubrics, rid, text) == wrong


# --------------------------------------------------------------------------- numbers in words

@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("one of the two ministries", []),
        ("a third party", []),
        ("the second summit", []),
        ("a ten-year plan and a five-year plan", []),
        ("the twenty-third meeting", []),
        ("the thirty-third summit in twenty twenty-five", []),
        ("a million firms and a hundred ports", []),
        ("one-third of the workforce", [("figure", 33.3, "%")]),
        ("three quarters of exports", [("figure", 75.0, "%")]),
        ("one hundred and five crore", [("figure", 105.0, "crore")]),
        ("Rs five hundred crore", [("figure", 500.0, "crore")]),
        ("ninety-nine per cent", [("figure", 99.0, "%")]),
        ("twenty one billion and five point eight billion",
         [("figure", 21.0, "billion"), ("figure", 5.8, "billion")]),
        ("At one point five countries were negotiating.", []),
    ],
)
def test_numbers_in_words(text: str, values: list[tuple[str, float, str]]) -> None:
    assert [(v.kind, v.number, v.scale) for v in sentence_values(text)] == values


# --------------------------------------------------------------------------- odd input

@pytest.mark.parametrize(
    "text",
    [
        "Imports from South Korea are $" + "9" * 400 + " billion.",
        "Imports from South Korea are $1e999 billion.",
        "Imports from South Korea are $२१ billion.",
        "Imports from South Korea are $２１ billion.",
        "Trade growth: ninety-nine hundred and ninety-nine point nine nine per cent.",
        "Exports to South Korea: $0 billion, or 0.0%.",
    ],
)
def test_odd_figures_do_not_crash(rubrics: dict[str, Rubric], text: str) -> None:
    r = evaluate(text, rubrics[SSP])
    assert 0 <= r.score <= r.max_score


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_answer_is_an_input_error(rubrics: dict[str, Rubric], text: str) -> None:
    # Acceptable as it is: a clear one-line error, not a crash.
    with pytest.raises(InputError, match="empty"):
        evaluate(text, rubrics[SSP])


@pytest.mark.parametrize("question", ["", "   ", "(words)", "250 words", "२५० words"])
def test_odd_questions_do_not_crash(rubrics: dict[str, Rubric], question: str) -> None:
    r = evaluate("The MoU was signed on 20 April 2026 by the MSME Ministry.", rubrics[MOU],
                 question=question)
    assert 0 <= r.score <= r.max_score


# --------------------------------------------------------------------------- word limits

@pytest.mark.parametrize(
    ("question", "limit"),
    [
        ("Discuss the MoU. (Word limit: 250)", 250),
        ("Discuss the MoU. (250 Words, 15 Marks)", 250),
        ("Discuss the MoU. (Answer in 150 words) 15 marks", 150),
        ("Discuss the MoU. (15 marks, 250 words)", 250),
        ("Discuss the MoU in not more than 200 words.", 200),
        ("Discuss the MoU. (250-word answer)", 250),
        # A count of words the question talks about is not a limit.
        ("Why do the 1,000 words of the MoU matter?", None),
        ("Why do the 1000 words of the MoU matter?", None),
        ("Explain in 200 words why the 50 words of the preamble matter.", 200),
        ("Write an essay in 1,200 words on the MoU.", 1200),
        ("Summarise its first 100 words. (Answer in 250 words)", 250),
        ("Discuss the MoU in 150–200 words.", 200),
    ],
)
def test_stated_word_limit_cases(question: str, limit: int | None) -> None:
    assert stated_word_limit(question) == limit
