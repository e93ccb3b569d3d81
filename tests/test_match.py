"""The matcher: one answer sentence against one point, for every way a fact can be written."""

from __future__ import annotations

import pytest
from conftest import MINI

from evaluator.io import load_rubric_file
from evaluator.match import CompiledRubric, MatcherSettings, compile_rubric, match, prepare
from evaluator.rubric import from_reference


@pytest.fixture(scope="module")
def mini() -> CompiledRubric:
    return compile_rubric(load_rubric_file(MINI))


def _match_one(compiled: CompiledRubric, point: str, answer: str):  # noqa: ANN202
    (m,) = [m for m in match(compiled, prepare(answer)) if m.point.id == point]
    return m


# point id, answer, expected status, expected conflict
TABLE = [
    # exact
    ("cepa", "The India-Korea Comprehensive Economic Partnership Agreement (CEPA) entered into "
             "force in 2010.", "covered", None),
    ("ssp", "The two countries elevated their ties to a Special Strategic Partnership in 2015.",
     "covered", None),
    # inflection
    ("signed", "The ministries are signing an MoU.", "covered", None),
    ("signed", "Ministries sign MoUs.", "covered", None),
    ("ssp", "Ties were elevating to special strategic partnerships in 2015.", "covered", None),
    # word order
    ("cepa", "In 2010 the CEPA entered into force.", "covered", None),
    ("signed", "The MoU, which the ministries signed, is new.", "covered", None),
    # alias, both ways
    ("cepa", "The CEPA has been in force since 2010.", "covered", None),
    ("cepa", "The Comprehensive Economic Partnership Agreement has been in force since 2010.",
     "covered", None),
    ("cepa", "India and Korea trade under a comprehensive economic partnership agreement since "
             "2010.", "covered", None),
    # small typo
    ("cepa", "The Comprehensive Economc Partnership Agreement came into force in 2010.",
     "covered", None),
    ("jobs", "Small firms are the largest source of non-farm employmnet.", "covered", None),
    # a group in the next sentence, at a discount
    ("cepa", "The CEPA is a landmark. It entered into force in 2010.", "covered", None),
    # paraphrase with related wording: some credit, not all
    # "employ" and half of "non-farm": one and a half of the claim's words, not two
    ("jobs", "Small firms employ many Indians outside the farm sector.", "missing", None),
    # one shared word is not the claim
    ("jobs", "Small firms are a big source of employment in India.", "missing", None),
    ("ssp", "Their special partnership is strategic.", "partial", None),
    # the fact without its year
    ("cepa", "The CEPA is a trade agreement.", "partial", None),
    ("firms", "Korean firms operate in India.", "partial", None),
    # wrong year / number: not covered, and the number written is reported
    ("cepa", "The CEPA entered into force in 2011.", "partial", "2011"),
    ("cepa", "The Comprehensive Economic Partnership Agreement entered into force in 2011.",
     "partial", "2011"),
    ("ssp", "Ties were elevated to a Special Strategic Partnership in 2014.", "partial", "2014"),
    ("firms", "About 100 Korean firms operate in India.", "partial", "100"),
    ("firms", "About 10,000 Korean firms operate in India.", "partial", "10000"),
    # numbers match by value, whatever the format
    ("firms", "Some 1,000 Korean firms work in India.", "covered", None),
    ("firms", "About 1000 Korean firms operate in India.", "covered", None),
    # negations are words: dropping one changes the claim
    ("binding", "The MoU is not binding.", "covered", None),
    ("binding", "Unlike the CEPA, the MoU is not binding and has no money attached.", "covered",
     None),
    # A negative claim said affirmatively is not credited, and not made wrong: "the MoU binds
    # neither side" would be as affirmative.
    ("binding", "The MoU is binding.", "partial", None),
    ("binding", "The MoU binds both sides.", "partial", None),
    # unrelated
    ("cepa", "Korea is a friendly country with good food.", "missing", None),
    ("jobs", "Urban flooding follows heavy rain in Mumbai.", "missing", None),
]


@pytest.mark.parametrize(("point", "answer", "status", "conflict"), TABLE,
                         ids=[f"{t[0]}:{t[1][:40]}" for t in TABLE])
def test_point_against_sentence(mini: CompiledRubric, point: str, answer: str, status: str,
                                conflict: str | None) -> None:
    m = _match_one(mini, point, answer)
    assert (m.status, m.conflict) == (status, conflict), m.strength
    s = mini.settings
    if status == "covered":
        assert m.strength >= s.covered
    elif status == "partial":
        assert s.partial <= m.strength < s.covered
    elif status == "wrong":
        assert m.strength == 0.0 and m.evidence is not None and m.evidence.text == answer
    else:
        assert m.strength < s.partial and m.evidence is None


def test_a_year_does_not_stand_in_for_a_count(mini: CompiledRubric) -> None:
    m = _match_one(mini, "firms", "In 2019 Korean firms came to India.")
    assert m.status == "partial"
    assert m.conflict is None  # a year is not a count of firms


def test_evidence_is_the_best_sentence_with_offsets(mini: CompiledRubric) -> None:
    text = ("India and Korea are friends.\n\n"
            "- They trade a lot.\n- The CEPA entered into force in 2010.\n")
    m = _match_one(mini, "cepa", text)
    assert m.status == "covered" and m.evidence is not None
    assert m.evidence.text == "The CEPA entered into force in 2010."
    assert text[m.evidence.start:m.evidence.end] == m.evidence.text


def test_every_point_reported_in_rubric_order(mini: CompiledRubric) -> None:
    results = match(mini, prepare("The CEPA entered into force in 2010."))
    assert [m.point.id for m in results] == [p.id for p in mini.rubric.points]
    assert [m.status for m in results].count("covered") == 1


@pytest.mark.parametrize("answer", ["", "   \n\n", "... !!"])
def test_no_sentences_means_everything_missing(mini: CompiledRubric, answer: str) -> None:
    results = match(mini, prepare(answer))
    assert {(m.status, m.strength, m.evidence) for m in results} == {("missing", 0.0, None)}


@pytest.mark.parametrize(
    ("settings", "status"),
    [
        (MatcherSettings(), "covered"),
        (MatcherSettings(fuzzy=100), "partial"),  # typos no longer forgiven
    ],
)
def test_typo_tolerance_follows_the_settings(settings: MatcherSettings, status: str) -> None:
    compiled = compile_rubric(load_rubric_file(MINI), settings=settings)
    m = _match_one(compiled, "cepa", "The Comprehensve Econmic Partnershp Agrement came into "
                                     "force in 2010.")
    assert m.status == status


def test_negation_in_a_model_answer_is_required() -> None:
    r = from_reference("The MoU is not binding.")
    c = compile_rubric(r)
    (yes,) = match(c, prepare("The MoU is not binding."))
    (no,) = match(c, prepare("The MoU is binding."))
    assert yes.status == "covered"
    assert no.status != "covered" and no.strength < yes.strength


@pytest.mark.parametrize(
    ("reference", "answer", "agrees"),
    [
        ("The MoU is not binding.", "The MoU isn't binding.", True),
        ("The MoU is not binding.", "The MoU is binding.", False),
        ("The terminals are separated by a gap.", "There is a gap between the terminals.", True),
        ("The terminals are separated by a gap.", "The terminals have no gap.", False),
        # A negation far from the point's words does not reverse it.
        ("The bulb is in a closed path.", "No doubt the bulb is in a closed path.", True),
    ],
)
def test_polarity(reference: str, answer: str, agrees: bool) -> None:
    c = compile_rubric(from_reference(reference))
    (m,) = match(c, prepare(answer))
    (same,) = match(c, prepare(reference))
    if agrees:
        assert m.strength >= 0.75 * same.strength
    else:
        assert m.status != "covered" and m.strength < 0.6 * same.strength


def test_a_bare_negation_earns_nothing_by_itself() -> None:
    # "I do not understand" shares only "not" with "are not connected".
    c = compile_rubric(from_reference("Terminal 1 and the positive terminal are not connected"))
    (m,) = match(c, prepare("I do not understand."))
    assert m.status == "missing"


def test_a_key_point_that_is_only_a_negation_is_matched() -> None:
    from evaluator.rubric import from_key_points

    c = compile_rubric(from_key_points([("1", "No", 0.5), ("2", "arrivals are bursty", 0.5)]))
    by_id = {m.point.id: m for m in match(c, prepare("No, because traffic is bursty."))}
    assert by_id["1"].status == "covered"


def test_question_words_weigh_less_than_new_words() -> None:
    question = "Why is the bulb on when the switch is open?"
    c = compile_rubric(from_reference("The bulb is still in a closed path with the battery.",
                                      question=question))
    (echo,) = match(c, prepare("The bulb is on because the switch is open."))
    (answer,) = match(c, prepare("It is in a closed path with the battery."))
    assert answer.strength > echo.strength
    assert echo.status != "covered"


def test_words_shared_by_most_points_weigh_less() -> None:
    from evaluator.rubric import from_key_points

    rows = [(str(i), f"TCP header field {name}", 0.25)
            for i, name in enumerate(["sequence number", "urgent pointer", "advertised window",
                                      "reserved", "options"], 1)]
    c = compile_rubric(from_key_points(rows, max_score=1.0))
    weights = {
        g[0].stems[0]: w for cp in c.points for g, w in zip(cp.groups, cp.weights, strict=True)
    }
    assert weights["tcp"] < weights["urgent"]
    (vague, *_) = match(c, prepare("The TCP header has fields."))
    (named, *_) = match(c, prepare("The TCP header has a sequence number."))
    assert named.strength > vague.strength


_SUBJECT_RUBRIC = """\
id = "subject"
title = "MSMEs and value chains"
kind = "custom"
marks = 2.0

[[dimensions]]
name = "position"
marks = 2.0
guidance = "Claims."

[[points]]
id = "gvc"
dimension = "position"
kind = "claim"
marks = 1.0
text = "It advances the goal of integrating MSMEs into global value chains and self-reliance."
must = [["self-reliant"], ["goal"], ["integrating"], ["value"], ["MSMEs"], ["advances"]]

[[points]]
id = "other"
dimension = "position"
kind = "claim"
marks = 1.0
text = "Value and goal words shared with another point lower their weight."
must = [["value"], ["goal"], ["exports"]]
"""


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        # The rubric's subject, said once, is what "our small firms" and "it" stand for.
        ("MSMEs need help. It ties our small firms into global value chains alongside the "
         "self-reliant push.", "covered"),
        ("It ties our small firms into global value chains alongside the self-reliant push.",
         "partial"),
        # The subject adds to what is said, never to the number of the claim's words.
        ("MSMEs need help. It helps our small firms alongside the self-reliant push.", "missing"),
    ],
)
def test_the_rubric_subject_said_once_is_implied(tmp_path, answer: str, status: str) -> None:  # noqa: ANN001
    path = tmp_path / "subject.toml"
    path.write_text(_SUBJECT_RUBRIC, encoding="utf-8")
    assert _match_one(compile_rubric(load_rubric_file(path)), "gvc", answer).status == status
