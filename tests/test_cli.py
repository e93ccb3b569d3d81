"""The command line, through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import EXAMPLES, MINI, RUBRICS, read

from evaluator.cli import main

ANSWER = str(EXAMPLES / "answer.txt")


def run(*args: str, input: str | bytes | None = None) -> Result:  # noqa: A002
    return CliRunner().invoke(main, list(args), input=input)


def test_grade_file_names_the_rubric() -> None:
    res = run(ANSWER)
    assert res.exit_code == 0, res.output
    assert "Rubric: india-south-korea-sign-mou-msme" in res.stdout
    assert "Score: " in res.stdout and " / 10" in res.stdout
    assert res.stderr == ""


def test_grade_subcommand_is_the_default() -> None:
    assert run(ANSWER).stdout == run("grade", ANSWER).stdout


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("json", lambda out: "msme" in json.loads(out)["rubric"]),
        ("markdown", lambda out: out.startswith("# ") and "| Dimension | Score | Out of |" in out),
        ("html", lambda out: out.startswith("<!DOCTYPE html>") and out.rstrip().endswith(
            "</html>") and "<code>india-south-korea-sign-mou-msme</code>" in out),
        ("text", lambda out: out.splitlines()[1].startswith("Rubric: ")),
    ],
)
def test_formats(fmt: str, check) -> None:  # noqa: ANN001
    res = run(ANSWER, "--format", fmt)
    assert res.exit_code == 0, res.output
    assert check(res.stdout)


def test_json_output_is_the_result() -> None:
    from evaluator import evaluate

    res = run(ANSWER, "--format", "json", "--marks", "15")
    data = json.loads(res.stdout)
    assert data == evaluate(read(EXAMPLES / "answer.txt"), marks=15).to_dict()
    assert data["max_score"] == 15 and data["structure"]["word_limit"] == 250


def test_stdin_with_dash() -> None:
    text = read(EXAMPLES / "answer.txt")
    res = run("-", "--format", "json", input=text.encode("utf-8"))
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == json.loads(run(ANSWER, "--format", "json").stdout)


def test_options(tmp_path: Path) -> None:
    model = tmp_path / "model.txt"
    model.write_text("The CEPA entered into force in 2010. The MoU is not binding.",
                     encoding="utf-8")
    res = run(ANSWER, "--reference", str(model), "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["rubric"].startswith("reference-")

    res = run(ANSWER, "--rubric", str(MINI), "--question", "Discuss the CEPA.", "--format",
              "json")
    data = json.loads(res.stdout)
    assert data["rubric"] == "mini"
    assert data["question"] == {"text": "Discuss the CEPA.", "source": "option",
                                "directive": "discuss"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["no-such-answer.txt"], "no-such-answer.txt: no such file"),
        ([ANSWER, "--rubric", "no-such-rubric"], "no rubric named 'no-such-rubric'"),
        ([ANSWER, "--reference", "missing-model.txt"], "missing-model.txt: no such file"),
        (["-"], "the answer is empty"),
    ],
    ids=["missing-file", "unknown-rubric", "missing-reference", "empty-stdin"],
)
def test_input_problems_exit_1_with_one_line(args: list[str], needle: str) -> None:
    res = run(*args, input="")
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], res.stderr
    assert lines[0].startswith("evaluate: ")
    assert "Traceback" not in res.output
    assert res.stdout == ""


def test_binary_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "answer.txt"
    f.write_bytes(b"\x00\x01\x02binary")
    res = run(str(f))
    assert res.exit_code == 1
    assert "binary" in res.stderr and "Traceback" not in res.output


def test_cp1252_file_is_read(tmp_path: Path) -> None:
    f = tmp_path / "answer.txt"
    f.write_bytes(read(EXAMPLES / "answer.txt").replace("–", "-").encode("cp1252"))
    res = run(str(f), "--format", "json")
    assert res.exit_code == 0, res.output
    assert "msme" in json.loads(res.stdout)["rubric"]


@pytest.mark.parametrize(
    "args",
    [
        [ANSWER, "--format", "pdf"],
        [ANSWER, "--marks", "0"],
        [ANSWER, "--marks", "lots"],
        [ANSWER, "--no-such-option"],
        ["grade"],
        ["batch", "x.csv"],  # --out is required
        ["rubrics", "check"],  # needs a file
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    res = run(*args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output


def test_rubrics_lists_the_bundled_rubrics() -> None:
    res = run("rubrics")
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    ids = sorted(p.stem for p in RUBRICS.glob("*.toml"))
    assert sorted(ln.split()[0] for ln in lines) == ids
    assert all(" points " in ln and " marks " in ln for ln in lines)
    assert res.stdout == run("rubrics", "list").stdout


def test_rubrics_list_marks_hand_edits(tmp_path: Path) -> None:
    src = RUBRICS / "india-south-korea-sign-mou-msme.toml"
    (tmp_path / src.name).write_text(read(src).replace('title = "', 'title = "Edited: ', 1),
                                     encoding="utf-8")
    res = run("rubrics", "list", "--dir", str(tmp_path))
    assert res.exit_code == 0, res.output
    assert res.stdout.rstrip().endswith("(edited by hand)")


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["grade", "--help"], ["batch", "--help"],
                                  ["rubrics", "--help"], ["rubrics", "build", "--help"]])
def test_help(args: list[str]) -> None:
    res = run(*args)
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("Usage: ")


def test_version() -> None:
    from evaluator import __version__

    res = run("--version")
    assert res.exit_code == 0
    assert __version__ in res.stdout


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch: pytest.MonkeyPatch) -> None:
    import evaluator.library

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(evaluator.library, "evaluate", interrupted)
    res = run(ANSWER)
    assert res.exit_code == 130
    assert res.stderr == "evaluate: interrupted\n"
