"""`evaluate batch`: a CSV or JSONL of answers -> OUT/grades.csv and OUT/results.jsonl."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import answer

from evaluator import library
from evaluator.cli import main

MODEL = ("India and Korea signed an MoU on MSME cooperation in April 2026. It links the Ministry "
         "of MSME with the Ministry of SMEs and Startups.")

ROWS = [
    {"id": "c", "answer": answer("strong"), "rubric": "", "reference": ""},
    {"id": "a", "answer": "", "rubric": "", "reference": ""},
    {"id": "b", "answer": answer("vague"), "rubric": "msme-internationalisation",
     "reference": ""},
    {"id": "d", "answer": answer("average"), "rubric": "", "reference": MODEL},
]
ORDER = [r["id"] for r in ROWS]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def batch(source: Path, out: Path, *extra: str) -> Result:
    return CliRunner().invoke(main, ["batch", str(source), "--out", str(out), *extra])


def grades(out: Path) -> list[dict[str, str]]:
    with (out / "grades.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def results(out: Path) -> list[dict]:
    return [json.loads(ln) for ln in (out / "results.jsonl").read_text("utf-8").splitlines()]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every answer :func:`evaluate` grades during the test, in order."""
    seen: list[str] = []
    real = library.evaluate

    def counting(text, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        seen.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(library, "evaluate", counting)
    return seen


@pytest.mark.parametrize("writer", [write_csv, write_jsonl], ids=["csv", "jsonl"])
def test_batch_grades_every_row_in_input_order(tmp_path: Path, writer) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    src = writer(tmp_path / ("in.csv" if writer is write_csv else "in.jsonl"), ROWS)
    res = batch(src, out)

    # One bad row: reported, exit 1, the others graded all the same.
    assert res.exit_code == 1, res.output
    assert res.stdout.startswith("graded 3, kept 0 from an earlier run, failed 1")
    assert "  a: the answer is empty" in res.stdout
    assert "Traceback" not in res.output

    rows = grades(out)
    assert [r["id"] for r in rows] == ORDER
    by_id = {r["id"]: r for r in rows}
    assert by_id["a"]["error"] == "the answer is empty" and by_id["a"]["score"] == ""
    for i in ("b", "c", "d"):
        assert by_id[i]["error"] == ""
        assert 0 <= float(by_id[i]["score"]) <= float(by_id[i]["max_score"]) == 10
    # Default choice, per-row rubric, per-row reference.
    assert "msme" in by_id["c"]["rubric"]
    assert by_id["b"]["rubric"] == "msme-internationalisation"
    assert by_id["d"]["rubric"].startswith("reference-")

    recs = {r["id"]: r for r in results(out)}
    assert set(recs) == set(ORDER)
    assert recs["a"] == {"id": "a", "error": "the answer is empty"}
    assert f"{recs['c']['score']:.2f}" == by_id["c"]["score"]
    assert int(by_id["c"]["covered"]) == len(recs["c"]["covered"])


def test_rerun_keeps_earlier_results_without_regrading(tmp_path: Path,
                                                       calls: list[str]) -> None:
    out = tmp_path / "out"
    src = write_csv(tmp_path / "in.csv", ROWS)
    assert batch(src, out).exit_code == 1
    assert len(calls) == len(ROWS)
    first_results = (out / "results.jsonl").read_bytes()
    first_grades = (out / "grades.csv").read_bytes()

    calls.clear()
    res = batch(src, out)
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("graded 0, kept 4 from an earlier run, failed 0")
    assert calls == []
    assert (out / "results.jsonl").read_bytes() == first_results
    assert (out / "grades.csv").read_bytes() == first_grades

    # A new row is graded alone and joins the others, in input order.
    write_csv(src, [*ROWS[:2], {"id": "e", "answer": answer("average"), "rubric": "",
                                "reference": ""}, *ROWS[2:]])
    res = batch(src, out)
    assert res.stdout.startswith("graded 1, kept 4")
    assert calls == [answer("average")]
    assert [r["id"] for r in grades(out)] == ["c", "a", "e", "b", "d"]
    assert (out / "results.jsonl").read_bytes().startswith(first_results)


def test_restart_grades_everything_again(tmp_path: Path, calls: list[str]) -> None:
    out = tmp_path / "out"
    src = write_jsonl(tmp_path / "in.jsonl", ROWS)
    batch(src, out)
    calls.clear()
    res = batch(src, out, "--restart")
    assert res.stdout.startswith("graded 3, kept 0 from an earlier run, failed 1")
    assert len(calls) == len(ROWS)
    assert [r["id"] for r in results(out)] == ORDER  # rewritten, not appended


def test_a_result_cut_short_by_a_crash_is_graded_again(tmp_path: Path, calls: list[str]) -> None:
    out = tmp_path / "out"
    src = write_jsonl(tmp_path / "in.jsonl", ROWS)
    batch(src, out)
    path = out / "results.jsonl"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    assert lines[-1].startswith('{"id": "d"')
    path.write_text("".join(lines[:-1]) + lines[-1][:40], encoding="utf-8")  # no newline

    calls.clear()
    res = batch(src, out)
    assert res.stdout.startswith("graded 1, kept 3")
    assert calls == [answer("average")]
    recs = {}
    for ln in path.read_text("utf-8").splitlines():
        try:
            recs[json.loads(ln)["id"]] = ln
        except json.JSONDecodeError:
            continue
    assert set(recs) == set(ORDER)  # the regraded row is readable again
    assert [r["id"] for r in grades(out)] == ORDER


def test_options_apply_to_rows_that_name_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    model = tmp_path / "model.txt"
    model.write_text(MODEL, encoding="utf-8")
    rows = [{"id": "x", "answer": answer("strong")},
            {"id": "y", "answer": answer("strong"), "rubric": "msme-internationalisation"},
            {"id": "z", "answer": answer("strong"), "max_score": "15"}]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    res = batch(src, out, "--reference", str(model))
    assert res.exit_code == 0, res.output
    by_id = {r["id"]: r for r in grades(out)}
    assert by_id["x"]["rubric"].startswith("reference-")
    assert by_id["y"]["rubric"] == "msme-internationalisation"
    assert by_id["z"]["rubric"] == by_id["x"]["rubric"]
    assert float(by_id["z"]["max_score"]) == 15 and float(by_id["x"]["max_score"]) == 10


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("in.csv", "id,text\n1,hello\n", "needs columns id,answer"),
        ("in.jsonl", '{"id": "1", "answer": "x"}\nnot json\n', "line 2: not JSON"),
        ("in.jsonl", '["a", "b"]\n', "line 1: each line must be a JSON object"),
        ("in.jsonl", '{"answer": "x"}\n', "line 1: missing id"),
        ("in.jsonl", '{"id": "1", "answer": "x"}\n{"id": "1", "answer": "y"}\n',
         "ids must be unique; repeated: 1"),
        ("in.txt", "id,answer\n1,x\n", "must be .csv or .jsonl"),
        ("missing.csv", None, "no such file"),
    ],
)
def test_unusable_batch_input_exits_1_with_one_line(tmp_path: Path, name: str,
                                                     content: str | None, needle: str) -> None:
    src = tmp_path / name
    if content is not None:
        src.write_text(content, encoding="utf-8")
    res = batch(src, tmp_path / "out")
    assert res.exit_code == 1
    assert needle in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert "Traceback" not in res.output
