"""Shape checks for the development set in ``benchmarks/data`` (key points, answers, statements)
and for the held-out answers in ``benchmarks/data/heldout`` and ``benchmarks/data/heldout2``
(labelled against the same key points).

The data were written by hand from the seeds; these tests only guard their structure so that a
benchmark reading them never meets a missing label, an unknown point id or a broken enum.
They say nothing about how well the grader does on them.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent
DATA = ROOT / "benchmarks" / "data"
SEEDS = ROOT / "seeds"

LABELS = {"stated", "incomplete", "wrong", "absent"}
KINDS = {"fact", "claim"}
FLAGS = {"keyword_stuffing", "copied_question", "repetition", "filler", "over_length"}
CATEGORY_EXPECTS_NONE = {
    "true": True,
    "negated_true": True,
    "paraphrase_true": True,
    "unknown_true": True,
    "unknown": True,
    "false": False,
    "negated_false": False,
    "paraphrase_false": False,
}
EXPECTS = {"none", "factual_error", "misconception"}


@cache
def keyfacts() -> dict[str, Any]:
    with (DATA / "keyfacts.toml").open("rb") as f:
        return tomllib.load(f)


def topics() -> list[dict[str, Any]]:
    return list(keyfacts()["topics"])


@cache
def topic_of_seed() -> dict[str, dict[str, Any]]:
    return {t["seed"]: t for t in topics()}


def point_ids(seed: str) -> set[str]:
    return {p["id"] for p in topic_of_seed()[seed]["points"]}


def misconception_ids(seed: str) -> set[str]:
    return {m["id"] for m in topic_of_seed()[seed].get("misconceptions", [])}


def read_jsonl(name: str) -> list[dict[str, Any]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@cache
def answers() -> tuple[dict[str, Any], ...]:
    return tuple(read_jsonl("answers.jsonl"))


@cache
def heldout() -> tuple[dict[str, Any], ...]:
    return tuple(read_jsonl("heldout/answers.jsonl"))


@cache
def heldout2() -> tuple[dict[str, Any], ...]:
    return tuple(read_jsonl("heldout2/answers.jsonl"))


# Each held-out set: its rows, the least number of answers, and the least per seed (000, others).
HELDOUT_SETS = {
    "heldout": (heldout, 40, 15, 5),
    "heldout2": (heldout2, 35, 15, 5),
}


def every_answer() -> tuple[dict[str, Any], ...]:
    return answers() + heldout() + heldout2()


@cache
def statements() -> tuple[dict[str, Any], ...]:
    return tuple(read_jsonl("statements.jsonl"))


@cache
def seed_text(name: str) -> str:
    """The seed as one line of text; the WordPress export is reduced to its title and body.

    Tags are removed without inserting spaces so inline markup (``<strong>2010</strong>``) does
    not split a sentence; list items are on their own lines in the export, so words stay apart.
    """
    raw = (SEEDS / name).read_text(encoding="utf-8")
    if raw.lstrip().startswith("{"):
        post = json.loads(raw)
        raw = post["title"]["rendered"] + "\n" + post["content"]["rendered"]
        raw = html.unescape(re.sub(r"<[^>]+>", "", raw))
    return re.sub(r"\s+", " ", raw)


def seed_files() -> list[str]:
    return sorted(p.name for p in SEEDS.glob("[0-9][0-9][0-9]_*.txt"))


# --------------------------------------------------------------------------- key points


def test_every_seed_has_exactly_one_topic() -> None:
    seeds = Counter(t["seed"] for t in topics())
    assert sorted(seeds) == seed_files()
    assert set(seeds.values()) == {1}


def test_point_and_misconception_ids_are_unique_across_topics() -> None:
    ids = [p["id"] for t in topics() for p in t["points"]]
    ids += [m["id"] for t in topics() for m in t.get("misconceptions", [])]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


@pytest.mark.parametrize("topic", topics(), ids=lambda t: t["seed"][:3])
def test_topic_points_are_well_formed(topic: dict[str, Any]) -> None:
    assert topic["question"].strip()
    assert 8 <= len(topic["points"]) <= 40
    text = seed_text(topic["seed"])
    for p in topic["points"]:
        assert p["kind"] in KINDS, p["id"]
        assert p["label"].strip(), p["id"]
        assert re.sub(r"\s+", " ", p["source"]) in text, f"{p['id']}: source is not verbatim"
        if p["kind"] == "fact":
            assert p["anchor"] and all(isinstance(a, str) and a for a in p["anchor"]), p["id"]
            assert p["value"] and all(isinstance(v, str) and v for v in p["value"]), p["id"]
            assert "keywords" not in p and "text" not in p, p["id"]
        else:
            assert 3 <= len(p["keywords"]) <= 6, p["id"]
            assert p["text"].strip(), p["id"]
            assert "anchor" not in p and "value" not in p, p["id"]
    for m in topic.get("misconceptions", []):
        assert m["false_claim"].strip() and m["correction"].strip(), m["id"]
        assert m["source"] in text, f"{m['id']}: source is not verbatim"


def test_study_note_has_the_what_it_is_not_misconceptions() -> None:
    study_note = next(t for t in topics() if t["seed"].startswith("000_"))
    assert len(study_note["misconceptions"]) >= 4


# --------------------------------------------------------------------------- answers


def test_answer_ids_are_unique() -> None:
    ids = Counter(a["id"] for a in answers())
    assert [i for i, n in ids.items() if n > 1] == []


def test_answer_counts() -> None:
    per_seed = Counter(a["seed"] for a in answers())
    assert len(answers()) >= 40
    for seed in seed_files():
        assert per_seed[seed] >= (15 if seed.startswith("000_") else 5), seed


@pytest.mark.parametrize("answer", every_answer(), ids=lambda a: a["id"])
def test_answer_is_labelled_for_every_point_of_its_topic(answer: dict[str, Any]) -> None:
    seed = answer["seed"]
    assert seed in topic_of_seed()
    assert answer["question"].strip()
    assert set(answer["labels"]) == point_ids(seed)
    assert set(answer["labels"].values()) <= LABELS
    wrong = {k for k, v in answer["labels"].items() if v == "wrong"}
    assert set(answer["wrong_values"]) == wrong
    assert all(isinstance(v, str) and v.strip() for v in answer["wrong_values"].values())
    assert set(answer["misconceptions"]) <= misconception_ids(seed)


@pytest.mark.parametrize("answer", every_answer(), ids=lambda a: a["id"])
def test_answer_text_or_generation_recipe(answer: dict[str, Any]) -> None:
    by_id = {a["id"]: a for a in every_answer()}
    if "generate" in answer:
        assert "answer" not in answer
        recipe = answer["generate"]
        assert recipe["repeat_of"] in by_id and "answer" in by_id[recipe["repeat_of"]]
        assert isinstance(recipe["words"], int) and recipe["words"] > 0
    else:
        assert answer["answer"].strip()
    if answer["style"] == "gaming":
        assert 0 <= answer["expect_max_score"] <= 10
        assert answer["expect_flags"] and set(answer["expect_flags"]) <= FLAGS
    else:
        assert "expect_flags" not in answer and "expect_max_score" not in answer


def test_gaming_answers_cover_every_gaming_flag() -> None:
    for rows in (answers(), heldout(), heldout2()):
        flags = {f for a in rows if a["style"] == "gaming" for f in a["expect_flags"]}
        assert flags == FLAGS


# --------------------------------------------------------------------------- held-out answers


@pytest.mark.parametrize("name", sorted(HELDOUT_SETS))
def test_heldout_ids_are_unique_and_not_in_another_set(name: str) -> None:
    everywhere = Counter(a["id"] for a in every_answer())
    ids = sorted(a["id"] for a in HELDOUT_SETS[name][0]())
    assert [i for i in ids if everywhere[i] > 1] == []


@pytest.mark.parametrize("name", sorted(HELDOUT_SETS))
def test_heldout_counts(name: str) -> None:
    rows_of, least, least_000, least_other = HELDOUT_SETS[name]
    rows = rows_of()
    per_seed = Counter(a["seed"] for a in rows)
    assert len(rows) >= least
    for seed in seed_files():
        assert per_seed[seed] >= (least_000 if seed.startswith("000_") else least_other), seed
    labels = Counter(v for a in rows for v in a["labels"].values())
    assert all(labels[s] > 0 for s in LABELS)
    assert any(a["misconceptions"] for a in rows)


@pytest.mark.parametrize("name", sorted(HELDOUT_SETS))
def test_heldout_answer_texts_are_not_in_another_set(name: str) -> None:
    rows = HELDOUT_SETS[name][0]()
    ids = {a["id"] for a in rows}
    others = {a.get("answer") for a in every_answer() if a["id"] not in ids}
    assert [a["id"] for a in rows if a.get("answer") in others] == []


def test_keypoints_benchmark_reads_a_separate_answers_file(tmp_path: Path) -> None:
    from benchmarks import keypoints

    row = next(a for a in heldout() if a["style"] != "gaming" and a["seed"].startswith("003_"))
    path = tmp_path / "answers.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    rep = keypoints.run(DATA, answers=path)
    assert sum(rep.confusion.values()) == len(point_ids(row["seed"]))
    assert rep.checks == {}  # no statements.jsonl next to that file
    assert keypoints.main(["--answers", str(tmp_path / "missing.jsonl")]) == 2


# --------------------------------------------------------------------------- statements


def test_statement_ids_are_unique_and_counts() -> None:
    ids = Counter(s["id"] for s in statements())
    assert [i for i, n in ids.items() if n > 1] == []
    assert len(statements()) >= 160
    none_share = sum(s["expect"] == "none" for s in statements()) / len(statements())
    assert none_share >= 0.40


@pytest.mark.parametrize("statement", statements(), ids=lambda s: s["id"])
def test_statement_is_well_formed(statement: dict[str, Any]) -> None:
    seed = statement["seed"]
    assert seed in topic_of_seed()
    assert statement["text"].strip()
    assert statement["expect"] in EXPECTS
    expects_none = CATEGORY_EXPECTS_NONE[statement["category"]]
    assert (statement["expect"] == "none") == expects_none
    point = statement["point"]
    if point is not None:
        assert point in point_ids(seed) | misconception_ids(seed)
    if statement["expect"] == "misconception":
        assert point in misconception_ids(seed)
    if statement["expect"] == "factual_error":
        assert point in point_ids(seed)
    if statement["expect"] != "none":
        assert statement["correction"].strip()
    if statement["category"] in {"unknown", "unknown_true"}:
        assert point is None


def test_statements_cover_every_point_and_misconception() -> None:
    covered = {s["point"] for s in statements()}
    every = {p for seed in topic_of_seed() for p in point_ids(seed) | misconception_ids(seed)}
    assert sorted(every - covered) == []
