"""Every JSON output validates against the shipped schema; reports match golden files.

Regenerate the golden files after an intended change with:
    UPDATE_GOLDEN=1 python -m pytest tests/test_schema.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

import evaluator
from evaluator.report import FORMATS, render
from evaluator.score import FLAGS

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
SCHEMA = json.loads((ROOT / "evaluator" / "schema.json").read_text(encoding="utf-8"))
EXAMPLES = sorted((ROOT / "examples" / "answers").glob("*.txt"))
SUFFIX = {"text": "txt", "json": "json", "markdown": "md", "html": "html"}


def _answer(name: str) -> str:
    return (ROOT / "examples" / "answers" / f"{name}.txt").read_text(encoding="utf-8")


CASES = [
    # (answer text, evaluate keyword arguments)
    pytest.param(lambda: _answer("strong"), {}, id="strong-auto"),
    pytest.param(lambda: _answer("vague"), {"marks": 15}, id="vague-15-marks"),
    pytest.param(lambda: _answer("unrelated"), {}, id="off-topic"),
    pytest.param(lambda: _answer("average"), {"rubric": "msme-internationalisation"},
                 id="topic-rubric"),
    pytest.param(lambda: "A stack is last in, first out.",
                 {"reference": "A stack is a LIFO structure: last in, first out."}, id="reference"),
    pytest.param(lambda: "CEPA came into force in 2012 between India and Korea.",
                 {"rubric": "india-south-korea-sign-mou-msme"}, id="wrong-year"),
]


@pytest.mark.parametrize(("answer", "kwargs"), CASES)
def test_json_output_validates(answer, kwargs):
    data = evaluator.evaluate(answer(), **kwargs).to_dict()
    jsonschema.validate(data, SCHEMA)
    assert json.loads(render(evaluator.evaluate(answer(), **kwargs), "json")) == data


def test_schema_flag_list_is_the_code_flag_list():
    assert SCHEMA["properties"]["flags"]["items"]["enum"] == list(FLAGS)


def test_schema_rejects_a_broken_result():
    data = evaluator.evaluate(_answer("strong")).to_dict()
    data["flags"] = ["not_a_flag"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    del data["flags"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", [p.stem for p in EXAMPLES])
def test_reports_match_golden_files(name, fmt):
    got = render(evaluator.evaluate(_answer(name)), fmt)
    path = GOLDEN / f"{name}.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with UPDATE_GOLDEN=1"
    assert got == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("sentence", "value", "starts", "holds"),
    [
        ("The CEPA entered into force in 2010.", "2010", '"The CEPA', "2010"),
        # Long, the value past the cut: the quote is cut around it, at a word.
        ("On Korea's side the counterpart is the Ministry of SMEs and Startups, a cabinet-level "
         "ministry, a structure India does not mirror, since its work is spread across the MSME "
         "Ministry, DPIIT's Startup India programme and other agencies.", "DPIIT", '"…', "DPIIT"),
        # Long, the value not in it: the start, as before.
        ("word " * 60, "DPIIT", '"word', "word"),
    ],
)
def test_a_source_is_quoted_where_its_value_is(
    sentence: str, value: str, starts: str, holds: str
) -> None:
    from evaluator.report import _quote_at

    q = _quote_at(sentence, (value,))
    assert q.startswith(starts) and holds in q and len(q) <= 162
    assert not q.startswith('"… ') and not q.startswith('"…ter')
