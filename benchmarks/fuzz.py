"""Fuzz the seed parser and the rubric loaders for N minutes (issue 10); not a default test.

    python -m benchmarks.fuzz --minutes 5                 # every target, 5 minutes in all
    python -m benchmarks.fuzz --minutes 2 --target toml   # one target

Targets and the only errors each may raise (anything else is a finding):

* ``seed``: :func:`evaluator.seeds.parse_seed` -> ``SeedError``
* ``toml``: :func:`evaluator.rubric.from_toml` -> ``RubricError``; a rubric it accepts must
  also compile and grade an answer without any error
* ``csv``: :func:`evaluator.io.parse_key_points` (then ``from_key_points`` and grading) ->
  ``RubricError`` / ``InputError``
* ``decode``: :func:`evaluator.io.decode` of any bytes -> ``InputError``

Inputs are hypothesis strategies: any text, and mutations of real inputs (the bundled seeds,
``tests/data/mini.toml``, a key-point CSV) that keep them close to valid, where bugs hide.
Each finding is printed with its shrunk input and the run goes on with the next target; the
exit status is 1 when anything was found. Findings so far have regression tests in
tests/test_hostile.py (``test_fuzz_findings``).
"""

from __future__ import annotations

import argparse
import json
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
MINI = (ROOT / "tests" / "data" / "mini.toml").read_text(encoding="utf-8")
KEYS = "id,point,marks,max_score\nk1,Binary encoding is compact,\"0,5\",\nk2,Simple circuits,1,2\n"
ANSWER = "The CEPA entered into force in 2010. The MoU is not binding and carries no funds."

# Tokens that break parsers: TOML/CSV/JSON syntax, odd numbers, control and wide characters.
TOKENS = (
    "nan", "inf", "-inf", "1e308", "-0", "0", "0x10", "1_000", "\"", "'", "'''", '"""', "\\",
    "[", "]", "[[", "]]", "{", "}", "=", ",", ";", "#", "\n", "\r\n", "\r", "\t", "\x00", "\x0b",
    "\u2028", "\ufeff", "\u200b", "🤝", "भारत", "(PTI)", "NEW DELHI, Jan 24 (PTI) -",
    "For Mains", "What it is NOT:", "Q.", "•", "-", "*", "1.", "[[points]]", "[[dimensions]]",
    "marks = ", "must = ", "[[]]", "[\"\"]", "true", "1979-05-27", '{"content": {"rendered": "',
)


def _mutations(base: str) -> st.SearchStrategy[str]:
    """``base`` with a few slices cut, repeated or replaced by hostile tokens."""

    @st.composite
    def mutate(draw: Any) -> str:
        text = base
        for _ in range(draw(st.integers(1, 6))):
            if not text:
                break
            i = draw(st.integers(0, len(text)))
            j = min(len(text), i + draw(st.integers(0, 40)))
            op = draw(st.sampled_from(["cut", "token", "text", "repeat", "swap-lines"]))
            if op == "cut":
                text = text[:i] + text[j:]
            elif op == "token":
                text = text[:i] + draw(st.sampled_from(TOKENS)) + text[j:]
            elif op == "text":
                text = text[:i] + draw(st.text(max_size=20)) + text[j:]
            elif op == "repeat":
                text = text[:j] + text[i:j] * draw(st.integers(2, 50)) + text[j:]
            else:
                lines = text.splitlines(keepends=True)
                k = draw(st.permutations(range(len(lines))))
                text = "".join(lines[x] for x in k[: len(lines)])
        return text

    return mutate()


def _toml_value() -> st.SearchStrategy[str]:
    """A valid TOML value of any type, with the odd numbers a rubric must refuse or survive."""
    scalars = st.one_of(
        st.floats().map(repr),  # repr gives TOML's nan, inf, -inf too
        st.sampled_from(["0", "-1", "1e-300", "5e-324", "1e308", "10000", "10000.5", "9" * 30]),
        st.integers().map(str),
        st.text(max_size=30).map(lambda s: json.dumps(s, ensure_ascii=False)),
        st.sampled_from(["true", "false", "1979-05-27", "{}", "{ a = 1 }"]),
    )
    return st.one_of(
        scalars,
        st.lists(scalars, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.lists(st.text(max_size=8).map(json.dumps), max_size=3), max_size=3).map(
            lambda g: "[" + ", ".join("[" + ", ".join(x) + "]" for x in g) + "]"
        ),
    )


@st.composite
def _toml_swaps(draw: Any, base: str) -> str:
    """``base`` with a few ``key = value`` lines given another (valid TOML) value: the file
    still parses, so the validator and everything after it are exercised."""
    lines = base.splitlines()
    slots = [i for i, line in enumerate(lines) if " = " in line and not line.startswith("#")]
    for i in draw(st.lists(st.sampled_from(slots), min_size=1, max_size=4)):
        key = lines[i].split(" = ", 1)[0]
        lines[i] = f"{key} = {draw(_toml_value())}"
    return "\n".join(lines) + "\n"


@st.composite
def _csv_rows(draw: Any) -> str:
    header = draw(st.sampled_from(["id,point,marks", "ID,key_element,points",
                                   "id,point,marks,max_score", "point,marks"]))
    cells = st.one_of(st.text(max_size=15), st.sampled_from(TOKENS),
                      st.floats().map(repr), st.sampled_from(["0,5", "1", "2.5", "1e-300"]))
    rows = draw(st.lists(st.lists(cells, min_size=1, max_size=5), max_size=8))

    def cell(c: str) -> str:
        return '"' + c.replace('"', '""') + '"' if any(x in c for x in ',"\r\n') else c

    return header + "\n" + "".join(",".join(cell(c) for c in r) + "\n" for r in rows)


def _texts(*bases: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(),
        st.lists(st.sampled_from(TOKENS), max_size=40).map("".join),
        st.sampled_from(bases).flatmap(_mutations),
    )


def _grade(rubric: Any) -> None:
    from evaluator import evaluate

    r = evaluate(ANSWER, rubric)
    assert 0 <= r.score <= r.max_score, (r.score, r.max_score)
    json.dumps(r.to_dict(), allow_nan=False)


# How many inputs a loader accepted (and so were graded): a fuzzer that only ever meets
# syntax errors tests little.
ACCEPTED: Counter[str] = Counter()


def target_seed(text: str) -> None:
    from evaluator.errors import SeedError
    from evaluator.seeds import parse_seed

    try:
        parse_seed(text, name="fuzz")
    except SeedError:
        return
    ACCEPTED["seed"] += 1


def target_toml(text: str) -> None:
    from evaluator.errors import RubricError
    from evaluator.rubric import from_toml

    try:
        rubric = from_toml(text, path="fuzz.toml")
    except RubricError:
        return
    ACCEPTED["toml"] += 1
    _grade(rubric)


def target_csv(text: str) -> None:
    from evaluator.errors import InputError, RubricError
    from evaluator.io import parse_key_points
    from evaluator.rubric import from_key_points

    try:
        rows, cap = parse_key_points(text, name="fuzz.csv")
        rubric = from_key_points(rows, max_score=cap, rubric_id="fuzz")
    except (RubricError, InputError):
        return
    ACCEPTED["csv"] += 1
    _grade(rubric)


def target_decode(data: bytes) -> None:
    from evaluator.errors import InputError
    from evaluator.io import decode

    try:
        text = decode(data, name="fuzz")
    except InputError:
        return
    ACCEPTED["decode"] += 1
    assert "\x00" not in text


def _seed_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    texts.append(json.dumps({"title": {"rendered": "A post"},
                             "content": {"rendered": "<p>First para.</p><h2>Head</h2><p>x</p>"}}))
    return texts


TARGETS: dict[str, tuple[Callable[..., None], Callable[[], st.SearchStrategy[Any]]]] = {
    "seed": (target_seed, lambda: _texts(*_seed_texts())),
    "toml": (target_toml, lambda: st.one_of(_texts(MINI), _toml_swaps(MINI))),
    "csv": (target_csv, lambda: st.one_of(_texts(KEYS), _csv_rows())),
    "decode": (target_decode, lambda: st.one_of(
        st.binary(),
        st.text().map(lambda s: s.encode("utf-16-le")),
        st.text().map(lambda s: s.encode("utf-16")),
        st.text().map(lambda s: s.encode("cp1252", errors="ignore")),
    )),
}


def fuzz(name: str, seconds: float, batch: int = 300) -> list[str]:
    """Run one target for ``seconds``; return the findings (shrunk input and traceback)."""
    fn, strategy = TARGETS[name]
    findings: list[str] = []
    end = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < end:
        test = settings(
            max_examples=batch,
            deadline=None,
            database=None,  # fresh draws every batch; findings are printed, not stored
            suppress_health_check=list(HealthCheck),
            derandomize=False,
        )(given(strategy())(fn))
        try:
            test()
        except Exception:  # noqa: BLE001 - a finding: report it and go on
            findings.append(traceback.format_exc(limit=-4))
            if len(findings) >= 5:
                break
        runs += batch
    print(f"{name}: about {runs} inputs in {seconds:.0f}s ({ACCEPTED[name]} accepted), "
          f"{len(findings)} finding(s)")
    return findings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=1.0, help="total time, split over targets")
    ap.add_argument("--target", choices=sorted(TARGETS), action="append")
    args = ap.parse_args(argv)
    names = args.target or list(TARGETS)
    found = 0
    for name in names:
        for f in fuzz(name, args.minutes * 60 / len(names)):
            found += 1
            print(f"--- finding in {name}\n{f}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
