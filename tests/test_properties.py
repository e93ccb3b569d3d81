"""Properties of the scorer over any string (issue 10), with hypothesis.

Any text is either refused with an :class:`InputError` (nothing to grade) or gives a result
that matches the JSON Schema, has a score within [0, max], and is the same on every run and
under every ``PYTHONHASHSEED``. Kept small (50 examples, no deadline) so the suite stays short.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from conftest import MINI, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator import evaluate
from evaluator.errors import InputError
from evaluator.rubric import Rubric

SCHEMA = json.loads((ROOT / "evaluator" / "schema.json").read_text(encoding="utf-8"))
FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words that match the mini rubric's points, so generated answers earn marks too, mixed with
# numbers, emoji, other scripts, markup and control characters.
RUBRIC_WORDS = ("CEPA", "2010", "2015", "MoU", "not", "binding", "funds", "Special", "Strategic",
                "Partnership", "Comprehensive", "Economic", "Agreement", "Korea", "India")
JUNK = ("🤝", "भारत", "大韓民国", "<script>", "=1+1", "\x00", "\x1b[31m", "\u202e", "\r\n", "\n\n",
        "Q.", "?", ".", "-", "•", "\t", "0,5", "1e308", "nan")


@cache
def mini() -> Rubric:
    from evaluator.library import load_rubric

    return load_rubric(str(MINI))


answers = st.one_of(
    st.text(),  # any Unicode, control characters included
    st.lists(st.sampled_from(RUBRIC_WORDS + JUNK), max_size=60).map(" ".join),
    st.lists(st.one_of(st.sampled_from(RUBRIC_WORDS), st.text(max_size=5)), max_size=40).map(
        "".join
    ),
)


def _check(result_dict: dict[str, object]) -> None:
    jsonschema.validate(result_dict, SCHEMA)
    score, top = result_dict["score"], result_dict["max_score"]
    assert isinstance(score, float) and isinstance(top, float)
    assert 0 <= score <= top


def _grade(text: str, rubric: Rubric | None, marks: float | None = None) -> dict[str, object]:
    return evaluate(text, rubric, marks=marks).to_dict()


@FAST
@given(text=answers, marks=st.sampled_from([None, 10.0, 15.0, 1.0]))
def test_any_string_gives_a_valid_result_or_an_input_error(text: str, marks: float | None) -> None:
    try:
        first = _grade(text, mini(), marks)
    except InputError:
        assert not text.strip() or text.lstrip().startswith(("Q", "q"))
        return
    _check(first)
    assert _grade(text, mini(), marks) == first  # the same on a second run


@settings(max_examples=25, deadline=None)
@given(text=answers)
def test_any_string_against_the_bundled_library(text: str) -> None:
    try:
        result = _grade(text, None)
    except InputError:
        return
    _check(result)


@settings(max_examples=25, deadline=None)
@given(text=answers, reference=st.text(min_size=1).filter(str.strip))
def test_any_string_against_any_reference(text: str, reference: str) -> None:
    from evaluator.errors import RubricError

    try:
        result = evaluate(text, reference=reference).to_dict()
    except (InputError, RubricError):
        return  # an empty answer, or a model answer without a word to build on
    _check(result)


def _generated_inputs(n: int) -> list[str]:
    """A few varied inputs, the same on every run (hypothesis draws differ between runs)."""
    rng = random.Random(10)
    pool = RUBRIC_WORDS + JUNK + ("the", "and", "is", "of", "a")
    out = [" ".join(rng.choice(pool) for _ in range(rng.randint(5, 80))) for _ in range(n)]
    return out + [(ROOT / "examples" / "answer.txt").read_text(encoding="utf-8")]


_CHILD = """
import json, sys
from evaluator import evaluate
from evaluator.errors import InputError
out = []
for text in json.load(sys.stdin):
    for rubric in (None, sys.argv[1]):
        try:
            out.append(evaluate(text, rubric).to_dict())
        except InputError as exc:
            out.append(str(exc))
print(json.dumps(out, sort_keys=True))
"""


@pytest.mark.parametrize("seeds", [("0", "12345")])
def test_same_result_under_every_hash_seed(seeds: tuple[str, str]) -> None:
    texts = json.dumps(_generated_inputs(5))

    def run(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        return subprocess.run(
            [sys.executable, "-c", _CHILD, str(MINI)], input=texts, cwd=Path(ROOT), env=env,
            capture_output=True, text=True, check=True, timeout=300,
        ).stdout

    first, second = run(seeds[0]), run(seeds[1])
    assert first == second
    assert len(json.loads(first)) == 12
