"""A batch's per-answer state on disk: the scratch database, and class totals read from it
equal to the plain in-memory computation."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import statistics
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import answer
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator import io, summary
from evaluator.batch import SCRATCH_FILE, STATE_DIR
from evaluator.cli import main
from evaluator.summary import NEAR_IDENTICAL, ClassStats, similarity


def _batch(src: Path, out: Path) -> str:
    res = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "-j", "1"])
    assert "Traceback" not in res.output and "internal error" not in res.output
    return res.output


def _rows(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("duplicate", [False, True], ids=["finished", "failed"])
def test_the_scratch_database_is_gone_when_the_run_ends(tmp_path: Path, duplicate: bool) -> None:
    rows = [{"id": "x", "answer": answer("strong")}, {"id": "y", "answer": answer("vague")}]
    if duplicate:
        rows.append({"id": "x", "answer": "again"})
    out = tmp_path / "out"
    # A stale, unreadable one left by a killed run is replaced, not read.
    (out / STATE_DIR).mkdir(parents=True)
    (out / STATE_DIR / SCRATCH_FILE).write_bytes(b"not a database")
    said = _batch(_rows(tmp_path / "in.jsonl", rows), out)
    assert ("ids must be unique; repeated: x" in said) == duplicate
    assert sorted(p.name for p in (out / STATE_DIR).iterdir()) == ["journal.jsonl"]
    assert (out / "grades.csv").exists() != duplicate


def _record(rng: random.Random, i: int) -> dict[str, object]:
    rubric = rng.choice(["r1", "r2"])
    points = [{"id": f"p{k}", "label": f"point {k} of {rubric}"} for k in range(6)]
    if i % 11 == 0:
        return {"id": f"a{i}", "error": "the answer is empty"}
    return {
        "id": f"a{i}",
        "rubric": rubric,
        "score": rng.choice([0.0, -0.0, 2.5, 5.0, rng.random() * 10]),
        "max_score": 10.0,
        "missing": rng.sample(points, rng.randint(0, 4)),
        "incorrect": [{**p, "conflict": rng.choice(["2011", "2019", "Seoul"])}
                      for p in rng.sample(points, rng.randint(0, 2))],
        "flags": rng.choice([[], ["over_length"], ["repetition"], ["off_topic", "calibrated"]]),
        "dimensions": [{"name": "content", "score": 3.0, "max_score": 5.0}],
    }


def test_totals_from_the_database_equal_the_plain_computation(tmp_path: Path) -> None:
    rng = random.Random(3)
    records = [_record(rng, i) for i in range(300)]
    db = io.scratch_db(tmp_path / "s.sqlite")
    stats = ClassStats(db)
    for r in records:
        stats.add(r)
    graded = [r for r in records if not r.get("error")]
    percents = [100.0 * float(r["score"]) / 10.0 for r in graded]  # type: ignore[arg-type]
    ps = sorted(percents)
    n = len(ps)
    assert (stats.graded, stats.errors) == (n, len(records) - n)
    assert repr(stats.mean()) == repr(sum(percents) / n)
    assert repr(stats.median()) == repr((ps[(n - 1) // 2] + ps[n // 2]) / 2)
    missed: dict[tuple[str, str], int] = {}
    wrong: dict[tuple[str, str, str], int] = {}
    for r in graded:
        for p in r["missing"]:  # type: ignore[attr-defined]
            missed[(r["rubric"], p["id"])] = missed.get((r["rubric"], p["id"]), 0) + 1
        for p in r["incorrect"]:  # type: ignore[attr-defined]
            k = (r["rubric"], p["id"], p["conflict"])
            wrong[k] = wrong.get(k, 0) + 1
    assert stats.most_missed() == sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    # Ties on count and point keep the value first seen first (a stable sort of a dict).
    plain = sorted((((r, p), c, w) for (r, p, w), c in wrong.items()),
                   key=lambda x: (-x[1], x[0]))[:10]
    assert stats.most_wrong() == plain
    flagged = [(r["id"], "not graded: the answer is empty") if r.get("error")
               else (r["id"], ", ".join(f for f in r["flags"] if f not in summary.ROUTINE_FLAGS))
               for r in records if r.get("error") or r["flags"] not in ([], ["over_length"])]
    assert list(stats.flagged()) == flagged
    assert stats.rubric_count("r1") == sum(r.get("rubric") == "r1" for r in graded)
    assert stats.point_label("r2", "p3") == "point 3 of r2"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0.0, -0.0, 12.5, 50.0, 100.0]) | st.floats(0, 100),
                min_size=1, max_size=40))
def test_median_and_mean_are_those_of_the_list(percents: list[float]) -> None:
    stats = ClassStats()
    for i, p in enumerate(percents):
        stats.add({"id": str(i), "score": p, "max_score": 100.0})
    want = [100.0 * p / 100.0 for p in percents]
    ps = sorted(want)
    n = len(ps)
    # repr: 0.0 and -0.0 differ on the page ("-0.0%"), so the very float must come back.
    assert repr(stats.median()) == repr((ps[(n - 1) // 2] + ps[n // 2]) / 2)
    assert repr(stats.mean()) == repr(sum(want) / n)
    assert stats.median() == pytest.approx(statistics.median(want))


def _near_copies(seed: int) -> dict[str, list[int]]:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(200)]
    texts: dict[str, list[str]] = {}
    for i in range(40):
        words = [rng.choice(vocab) for _ in range(rng.randint(30, 90))]
        texts[f"a{i}"] = words
        for c in range(i % 3):
            copy = list(words)
            copy[rng.randrange(len(copy))] = f"changed{c}"
            texts[f"c{i}-{c}"] = copy
    prints = {k: summary.fingerprint(" ".join(v)) for k, v in texts.items()}
    return {k: v for k, v in prints.items() if v is not None}


@pytest.mark.parametrize(("block", "cells"), [(8192, 1 << 20), (3, 64), (2, 1)])
def test_near_identical_pairs_in_blocks_equal_every_pair_compared(
    monkeypatch: pytest.MonkeyPatch, block: int, cells: int
) -> None:
    # Small blocks and cells: runs of equal bands compared piecewise, never whole.
    monkeypatch.setattr(summary, "_BLOCK", block)
    monkeypatch.setattr(summary, "_CELLS", cells)
    prints = _near_copies(5)
    stats = ClassStats()
    for rid, fp in prints.items():
        stats.add({"id": rid, "score": 1.0, "max_score": 2.0}, fp)
    ids = sorted(prints)
    # Every pair compared (no bands): what banding finds must be a subset; at 0.8 and more,
    # with 16 bands of 4 values, a pair missed by every band is vanishingly rare.
    want = sorted(
        ((a, b, s) for i, a in enumerate(ids) for b in ids[i + 1 :]
         if (s := similarity(prints[a], prints[b])) >= NEAR_IDENTICAL),
        key=lambda x: (-x[2], x[:2]),
    )
    assert want
    assert stats.near_identical() == want


def test_an_id_graded_again_keeps_its_latest_fingerprint() -> None:
    prints = _near_copies(6)
    first, second = list(prints.values())[:2]
    stats = ClassStats()
    stats.add({"id": "x", "score": 1.0, "max_score": 2.0}, first)
    stats.add({"id": "x", "score": 1.0, "max_score": 2.0}, second)
    assert stats.fingerprint_of("x") == second
    assert stats.fingerprint_of("y") is None


def test_class_totals_hold_nothing_per_answer_in_memory(tmp_path: Path) -> None:
    rng = random.Random(8)
    prints = list(_near_copies(7).values())
    db = io.scratch_db(tmp_path / "s.sqlite")
    stats = ClassStats(db)

    def feed(start: int, n: int) -> None:
        for i in range(start, start + n):
            stats.add(_record(rng, i), prints[i % len(prints)])

    feed(0, 200)  # the totals' fixed parts exist
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        feed(200, 3000)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # Held in Python, 3,000 answers' marks, fingerprints and flags take megabytes.
    assert grown < 64 * 1024, grown
    assert isinstance(stats.db, sqlite3.Connection)
    assert stats.graded + stats.errors == 3200


def test_a_long_answer_is_fingerprinted_in_slices_by_its_start() -> None:
    import numpy as np

    rng = random.Random(3)
    words = [f"w{rng.randrange(5000)}" for _ in range(summary.FINGERPRINT_WORDS + 5000)]
    got = summary.fingerprint(" ".join(words))
    # The whole table at once, over the first FINGERPRINT_WORDS words: the same minima.
    head = words[: summary.FINGERPRINT_WORDS]
    shingles = {
        int.from_bytes(hashlib.blake2b(" ".join(head[i : i + 3]).encode(), digest_size=8)
                       .digest(), "big")
        for i in range(len(head) - 2)
    }
    h = np.array([x % summary._MERSENNE for x in shingles], dtype=np.uint64)
    a, b = summary._coefficients()
    table = summary._fold(summary._mulmod(a[:, None], h[None, :]) + b[:, None])
    assert got == [int(v) for v in table.min(axis=1)]
    assert got != summary.fingerprint(" ".join(words[5000:]))
