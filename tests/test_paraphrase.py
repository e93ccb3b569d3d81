"""Meaning, not only words: the shipped lexicon, paraphrased answers, several references."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from evaluator import lexicon
from evaluator.cli import main
from evaluator.errors import InputError
from evaluator.library import CONTENT_SETTINGS, evaluate, evaluate_many
from evaluator.match import compile_rubric, match, prepare
from evaluator.rubric import from_key_points, from_reference

DATA = ROOT / "evaluator" / "data"


def test_lexicon_is_small_licensed_and_shipped() -> None:
    blob = (DATA / "lexicon.tsv").read_bytes()
    assert len(blob) < 5_000_000
    assert blob.startswith(b"# stem\t")
    # Looked up by binary search: the lines must be in byte order of their stems.
    keys = [line.split(b"\t", 1)[0] for line in blob.split(b"\n")[1:] if line]
    assert keys == sorted(set(keys))
    assert "Princeton University" in (DATA / "WORDNET-LICENSE").read_text(encoding="utf-8")


# rubric stem, answer stem, relation
RELATIVES = [
    ("buy", "purchas", "synonym"),
    ("purchas", "buy", "synonym"),
    ("establish", "setup", "synonym"),
    ("decid", "decis", "derived"),
    ("decis", "decid", "derived"),
    ("buy", "bought", "derived"),
    ("econom", "economi", "derived"),
]


@pytest.mark.parametrize(("rubric", "answer", "relation"), RELATIVES)
def test_lexicon_relations(rubric: str, answer: str, relation: str) -> None:
    found = lexicon.synonyms(rubric) if relation == "synonym" else lexicon.derived(rubric)
    assert answer in found


# An adjective's other degrees: regular forms, which Porter's stems keep apart.
@pytest.mark.parametrize(
    ("stem", "other"),
    [("high", "higher"), ("higher", "highest"), ("hardest", "hard"), ("closest", "closer")],
)
def test_lexicon_degrees(stem: str, other: str) -> None:
    assert other in lexicon.degrees(stem)


@pytest.mark.parametrize("stem", ["numb", "number", "qwzx"])
def test_a_noun_in_er_is_no_degree(stem: str) -> None:
    # "number" is a noun in its own right, not more numb.
    assert "number" not in lexicon.degrees(stem) and "numb" not in lexicon.degrees(stem)


@pytest.mark.parametrize(
    ("settings", "credited"),
    [(CONTENT_SETTINGS, True), (replace(CONTENT_SETTINGS, degrees=False), False)],
)
def test_degrees_meet_a_model_answer_only_when_on(settings: object, credited: bool) -> None:
    compiled = compile_rubric(  # type: ignore[arg-type]
        from_reference("Topaz is the hardest mineral."), settings=settings
    )
    (m,) = match(compiled, prepare("Topaz is harder than the other minerals."))
    (without,) = match(compiled, prepare("Topaz is a mineral."))
    assert (m.strength > without.strength) is credited


@pytest.mark.parametrize("stem", ["stack", "not", "qwzx"])
def test_lexicon_keeps_rare_senses_and_unknown_words_out(stem: str) -> None:
    # "stack" also means "a lot" in WordNet, a sense almost no text uses.
    assert "lot" not in lexicon.synonyms(stem)
    assert stem not in lexicon.synonyms(stem)


KEY_POINTS = [
    ("ministry", "Ministry of SMEs and Startups", 1.0),
    ("purchase", "India purchases LNG from Qatar", 1.0),
    ("decide", "The cabinet decided to widen the subsidy", 1.0),
    ("established", "The fund was established in 2017", 1.0),
    ("exports", "Korea exports chips", 1.0),
]
# Each fact restated without the key point's own word for it.
PARAPHRASE = (
    "Korea has a ministry set up for small firms and start-ups. "
    "India buys LNG from Qatar. "
    "The cabinet's decision was to widen the subsidy. "
    "The fund was set up in 2017. "
    "Korea exported more chips."
)


def _strengths(settings: object) -> dict[str, tuple[str, float]]:
    compiled = compile_rubric(from_key_points(KEY_POINTS), settings=settings)  # type: ignore[arg-type]
    return {m.point.id: (m.status, m.strength) for m in match(compiled, prepare(PARAPHRASE))}


def test_a_paraphrase_is_credited_for_most_facts() -> None:
    with_lexicon = _strengths(CONTENT_SETTINGS)
    without = _strengths(replace(CONTENT_SETTINGS, synonym=0.0, derived=0.0))
    covered = [p for p, (status, _) in with_lexicon.items() if status == "covered"]
    assert len(covered) >= 4, with_lexicon
    for point in ("purchase", "decide", "established"):
        assert with_lexicon[point][1] > without[point][1], point
    assert with_lexicon["ministry"][0] != "missing"


def test_a_relative_earns_less_than_the_word_itself() -> None:
    compiled = compile_rubric(
        from_key_points([("p", "India purchases gas", 1.0)]), settings=CONTENT_SETTINGS
    )
    (own,) = match(compiled, prepare("India purchases gas."))
    (synonym,) = match(compiled, prepare("India buys gas."))
    # Not "sells": the vectors put it near "purchases" (an antonym of a synonym, which the
    # table does not leave out), so it earns what a synonym does once wording weighs less.
    (neither,) = match(compiled, prepare("India burns gas."))
    assert own.strength > synonym.strength > neither.strength


@pytest.mark.parametrize(
    ("answer", "agrees"),
    [
        ("India buys gas from Qatar.", True),
        ("India does not buy gas from Qatar.", False),
    ],
)
def test_a_negated_synonym_is_still_a_reversal(answer: str, agrees: bool) -> None:
    compiled = compile_rubric(
        from_reference("India purchases gas from Qatar."), settings=CONTENT_SETTINGS
    )
    (m,) = match(compiled, prepare(answer))
    assert (m.status == "covered") is agrees


REFERENCES = ["Queues are first in, first out.", "A stack is last in, first out."]


def test_several_references_grade_against_the_best_fit() -> None:
    answer = "Stacks work last in, first out."
    r = evaluate(answer, reference=REFERENCES)
    alone = [evaluate(answer, reference=ref).score for ref in REFERENCES]
    assert (r.reference_index, r.reference_count, r.score) == (2, 2, max(alone))
    assert r.to_dict()["reference_index"] == 2
    assert "reference_index" not in evaluate(answer, reference=REFERENCES[1]).to_dict()


def test_equally_good_references_pick_the_first() -> None:
    r = evaluate("Stacks are LIFO.", reference=["A stack is LIFO.", "A stack is LIFO!"])
    assert r.reference_index == 1


@pytest.mark.parametrize("reference", [[], ["", "  "], [3]])
def test_bad_reference_lists_are_refused(reference: list[object]) -> None:
    with pytest.raises(InputError):
        evaluate("An answer.", reference=reference)  # type: ignore[arg-type]


def test_a_batch_row_may_carry_several_references() -> None:
    rows = [{"id": "a", "answer": "Stacks work last in, first out.", "reference": REFERENCES}]
    (item,) = evaluate_many(rows)
    assert item.result is not None and item.result.reference_index == 2


def test_cli_reference_is_repeatable(tmp_path: Path) -> None:
    paths = []
    for n, text in enumerate(REFERENCES, 1):
        paths += ["--reference", str(tmp_path / f"r{n}.txt")]
        (tmp_path / f"r{n}.txt").write_text(text, encoding="utf-8")
    answer = tmp_path / "a.txt"
    answer.write_text("Stacks work last in, first out.", encoding="utf-8")
    runner = CliRunner()
    text = runner.invoke(main, ["grade", str(answer), *paths])
    assert text.exit_code == 0, text.output
    assert "best fit of 2 model answers: no. 2" in text.output
    res = runner.invoke(main, ["grade", str(answer), *paths, "--format", "json"])
    assert json.loads(res.output)["reference_count"] == 2
