"""`evaluate batch`: answers in (rows, files, folders) -> grades.csv, results.jsonl, feedback,
summary.html; resumable by content; overrides; per-row paths kept inside their folder."""

from __future__ import annotations

import csv
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import RUBRICS, answer

from evaluator import evaluate, io, library
from evaluator.batch import HEAD_COLUMNS, TAIL_COLUMNS, feedback_name
from evaluator.cli import main
from evaluator.report import render

MODEL = ("India and Korea signed an MoU on MSME cooperation in April 2026. It links the Ministry "
         "of MSME with the Ministry of SMEs and Startups.")
DIMS = ["exemplification", "position", "substantiation", "way-forward", "structure"]

ROWS = [
    {"id": "c", "answer": answer("strong"), "rubric": "", "reference": ""},
    {"id": "a", "answer": "", "rubric": "", "reference": ""},
    {"id": "b", "answer": answer("vague"), "rubric": "msme-internationalisation",
     "reference": ""},
    {"id": "d", "answer": answer("average"), "rubric": "", "reference": MODEL},
]
ORDER = [r["id"] for r in ROWS]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    fields = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return path


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def batch(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["batch", *map(str, args)])


def grades(out: Path) -> list[dict[str, str]]:
    with (out / "grades.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def results(out: Path) -> list[dict]:
    return [json.loads(ln) for ln in (out / "results.jsonl").read_text("utf-8").splitlines()]


def outputs(out: Path) -> dict[str, bytes]:
    """Every file a run leaves in OUT, by relative path (the journal included)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every answer :func:`evaluate` grades in this process, in order (use --jobs 1)."""
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
    res = batch(src, "-o", out, "--jobs", "1")

    # One bad row: reported, exit 1, the others graded all the same.
    assert res.exit_code == 1, res.output
    assert res.stdout.startswith("graded 3 (0 reused from an earlier run), errors 1, ")
    assert "  a: the answer is empty" in res.stdout
    assert "Traceback" not in res.output and res.stderr == ""

    rows = grades(out)
    header = (out / "grades.csv").read_text("utf-8").splitlines()[0].split(",")
    # One column per dimension met, in order of first appearance (d's model answer: content).
    assert header == [*HEAD_COLUMNS, *DIMS, "content", *TAIL_COLUMNS]
    assert [r["id"] for r in rows] == ORDER
    by_id = {r["id"]: r for r in rows}
    assert by_id["a"]["error"] == "the answer is empty"
    assert by_id["a"]["score"] == "" and by_id["a"]["percent"] == ""  # blank, never 0
    for i in ("b", "c", "d"):
        assert by_id[i]["error"] == ""
        assert 0 <= float(by_id[i]["score"]) <= float(by_id[i]["max_score"]) == 10
    # Default choice, per-row rubric, per-row reference.
    assert "msme" in by_id["c"]["rubric"]
    assert by_id["b"]["rubric"] == "msme-internationalisation"
    assert by_id["d"]["rubric"].startswith("reference-")

    recs = {r["id"]: r for r in results(out)}
    assert [r["id"] for r in results(out)] == ORDER
    assert recs["a"] == {"id": "a", "error": "the answer is empty"}
    # Each record is the single-answer JSON, with its id; the CSV row is read from it.
    strong = evaluate(answer("strong")).to_dict()
    assert recs["c"] == {"id": "c", **strong}
    c = by_id["c"]
    assert c["score"] == f"{strong['score']:.2f}"
    assert float(c["percent"]) == pytest.approx(100 * strong["score"] / strong["max_score"], 0.01)
    assert [c[d["name"]] for d in strong["dimensions"]] == [
        f"{d['score']:.2f}" for d in strong["dimensions"]]
    assert int(c["word_count"]) == strong["structure"]["word_count"]
    assert int(c["missing_count"]) == len(strong["missing"])
    assert c["flags"] == ";".join(strong["flags"])


def test_feedback_files_are_the_reports_and_hide_missing_drops_the_missing_list(
    tmp_path: Path,
) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": "c", "answer": answer("strong")}])
    assert batch(src, "-o", tmp_path / "out", "-j", "1").exit_code == 0
    result = evaluate(answer("strong"))
    assert (tmp_path / "out/feedback/c.md").read_text("utf-8") == render(result, "markdown")
    assert (tmp_path / "out/feedback/c.html").read_text("utf-8") == render(result, "html")

    assert batch(src, "-o", tmp_path / "hid", "-j", "1", "--hide-missing").exit_code == 0
    hidden = replace(result, missing=())
    md = (tmp_path / "hid/feedback/c.md").read_text("utf-8")
    assert md == render(hidden, "markdown")
    assert result.missing and result.missing[0].text not in md
    # The gradebook still counts what was missed: only the student's copy hides it.
    assert int(grades(tmp_path / "hid")[0]["missing_count"]) == len(result.missing)


def test_rerun_reuses_everything_and_changes_nothing(tmp_path: Path, calls: list[str]) -> None:
    out = tmp_path / "out"
    src = write_csv(tmp_path / "in.csv", ROWS)
    assert batch(src, "-o", out, "-j", "1").exit_code == 1
    assert len(calls) == len(ROWS)
    first = outputs(out)

    calls.clear()
    res = batch(src, "-o", out, "-j", "1")
    assert res.exit_code == 1, res.output
    assert res.stdout.startswith("graded 3 (3 reused from an earlier run), errors 1")
    assert calls == []
    assert outputs(out) == first

    # A new row is graded alone and joins the others, in input order.
    write_csv(src, [*ROWS[:2], {"id": "e", "answer": answer("average")}, *ROWS[2:]])
    calls.clear()
    assert batch(src, "-o", out, "-j", "1").stdout.startswith("graded 4 (3 reused")
    assert calls == [answer("average")]
    assert [r["id"] for r in grades(out)] == ["c", "a", "e", "b", "d"]


@pytest.mark.parametrize(
    ("change", "regraded"),
    [
        ("answer", ["c"]),
        ("marks", ["c", "a", "b", "d"]),
        ("question", ["c", "a", "b", "d"]),
        # c and a are graded against the whole library (the closest rubric): any edit in
        # it regrades them; b names its rubric; d has its own model answer.
        ("rubric", ["c", "a"]),
        ("row-rubric", ["c", "a", "b"]),
    ],
)
def test_a_change_regrades_exactly_what_it_touches(
    tmp_path: Path, calls: list[str], change: str, regraded: list[str]
) -> None:
    out = tmp_path / "out"
    lib = tmp_path / "lib"
    shutil.copytree(RUBRICS, lib)
    rows = [dict(r) for r in ROWS]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    opts = ["-o", str(out), "-j", "1", "--rubrics", str(lib)]
    batch(src, *opts)
    before = {r["id"]: r for r in results(out)}
    chosen = before["c"]["rubric"]

    extra: list[str] = []
    if change == "answer":
        rows[0]["answer"] += "\nIn conclusion, the MoU matters for small firms."
    elif change == "marks":
        extra = ["--marks", "15"]
    elif change == "question":
        extra = ["--question", "Discuss the MoU."]
    elif change in ("rubric", "row-rubric"):
        # A teacher edits one rubric file of the library: only its answers are regraded.
        name = chosen if change == "rubric" else "msme-internationalisation"
        path = lib / f"{name}.toml"
        old = path.read_text("utf-8")
        path.write_text(old.replace('title = "', 'title = "Edited: ', 1), encoding="utf-8")
        assert path.read_text("utf-8") != old
    write_jsonl(src, rows)
    calls.clear()
    res = batch(src, *opts, *extra)
    assert "Traceback" not in res.output
    texts = {r["id"]: r["answer"] for r in rows}
    assert calls == [texts[i] for i in ORDER if i in regraded]
    after = {r["id"]: r for r in results(out)}
    for i in ORDER:
        if i not in regraded:
            assert after[i] == before[i], i


def test_a_half_written_journal_line_is_dropped_and_regraded(
    tmp_path: Path, calls: list[str]
) -> None:
    out = tmp_path / "out"
    src = write_jsonl(tmp_path / "in.jsonl", ROWS)
    batch(src, "-o", out, "-j", "1")
    first = outputs(out)
    journal = out / ".evaluator" / "journal.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    journal.write_bytes(b"".join(lines[:-1]) + lines[-1][:50])  # killed mid-line
    calls.clear()
    res = batch(src, "-o", out, "-j", "1")
    assert res.stdout.startswith("graded 3 (2 reused")
    assert calls == [answer("average")]  # d, whose line was cut
    assert outputs(out) == first


def test_restart_grades_everything_again(tmp_path: Path, calls: list[str]) -> None:
    out = tmp_path / "out"
    src = write_jsonl(tmp_path / "in.jsonl", ROWS)
    batch(src, "-o", out, "-j", "1")
    first = outputs(out)
    calls.clear()
    res = batch(src, "-o", out, "-j", "1", "--restart")
    assert res.stdout.startswith("graded 3 (0 reused from an earlier run), errors 1")
    assert len(calls) == len(ROWS)
    assert outputs(out) == first


def test_parallel_run_writes_the_same_bytes(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [*ROWS, *({**r, "id": r["id"] + "2"} for r in ROWS)])
    batch(src, "-o", tmp_path / "one", "-j", "1")
    res = batch(src, "-o", tmp_path / "two", "-j", "2")
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert outputs(tmp_path / "two") == outputs(tmp_path / "one")


def test_options_apply_to_rows_that_name_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    model = tmp_path / "model.txt"
    model.write_text(MODEL, encoding="utf-8")
    rows = [{"id": "x", "answer": answer("strong")},
            {"id": "y", "answer": answer("strong"), "rubric": "msme-internationalisation"},
            {"id": "z", "answer": answer("strong"), "max_score": "15"}]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    res = batch(src, "-o", out, "--reference", model, "-j", "1")
    assert res.exit_code == 0, res.output
    by_id = {r["id"]: r for r in grades(out)}
    assert by_id["x"]["rubric"].startswith("reference-")
    assert by_id["y"]["rubric"] == "msme-internationalisation"
    assert by_id["z"]["rubric"] == by_id["x"]["rubric"]
    assert float(by_id["z"]["max_score"]) == 15 and float(by_id["x"]["max_score"]) == 10


def test_overrides_apply_everywhere_and_survive_a_rerun(tmp_path: Path, calls: list[str]) -> None:
    out = tmp_path / "out"
    src = write_jsonl(tmp_path / "in.jsonl", ROWS)
    ov = write_csv(tmp_path / "ov.csv", [
        {"id": "c", "score": "9.5", "comment": "Excellent <b>use</b> of dates"},
        {"id": "a", "score": "2", "comment": "Marked on paper"},
        {"id": "zz", "score": "1", "comment": ""},
    ])
    res = batch(src, "-o", out, "-j", "1", "--overrides", ov)
    assert "overrides for ids not in the input: zz" in res.stdout

    def check() -> None:
        by_id = {r["id"]: r for r in grades(out)}
        assert by_id["c"]["score"] == "9.50" and by_id["c"]["percent"] == "95.0"
        assert by_id["c"]["flags"].endswith("overridden;teacher_comment")
        assert by_id["a"]["score"] == "2.00" and by_id["a"]["error"] == "the answer is empty"
        recs = {r["id"]: r for r in results(out)}
        computed = evaluate(answer("strong")).to_dict()["score"]
        assert recs["c"]["score"] == 9.5
        assert recs["c"]["override"] == {"score": 9.5, "comment": "Excellent <b>use</b> of dates",
                                         "computed_score": computed}
        md = (out / "feedback/c.md").read_text("utf-8")
        page = (out / "feedback/c.html").read_text("utf-8")
        assert "Score: 9.5 / 10" in md and "Excellent &lt;b&gt;use&lt;/b&gt; of dates" in md
        assert "Excellent &lt;b&gt;use&lt;/b&gt; of dates" in page and "<b>use" not in page
        assert "1 marked by the teacher" in (out / "summary.html").read_text("utf-8")

    check()
    first = outputs(out)
    # Re-run without --overrides: the copy kept in OUT still applies; nothing is regraded.
    calls.clear()
    res = batch(src, "-o", out, "-j", "1")
    assert "teacher overrides applied from" in res.stdout
    check()
    assert calls == [] and outputs(out) == first
    # A changed override re-renders that answer only.
    write_csv(ov, [{"id": "c", "score": "8", "comment": ""}])
    calls.clear()
    batch(src, "-o", out, "-j", "1", "--overrides", ov)
    assert calls == [answer("strong"), ""]
    assert {r["id"]: r for r in grades(out)}["c"]["score"] == "8.00"
    assert {r["id"]: r for r in grades(out)}["a"]["score"] == ""


def test_summary_page_shows_the_class(tmp_path: Path) -> None:
    wrong = answer("strong").replace("2015", "2011")
    assert evaluate(wrong).incorrect  # precondition: the answer states a wrong year
    rows = [
        {"id": "s1", "answer": answer("strong")},
        {"id": "s2", "answer": answer("strong").replace("small firms", "small businesses")},
        {"id": "w", "answer": wrong},
        {"id": "v", "answer": answer("vague")},
        {"id": "u", "answer": answer("unrelated")},
        {"id": "e", "answer": " "},
    ]
    out = tmp_path / "out"
    batch(write_jsonl(tmp_path / "in.jsonl", rows), "-o", out, "-j", "1")
    page = (out / "summary.html").read_text("utf-8")
    assert page.count('<rect class="bar"') == 10 and "<script" not in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no network
    assert "5 answers graded, 1 could not be graded" in page
    for d in DIMS:
        assert f"<td>{d}</td>" in page
    import html

    by_all = [{p.label or p.text for p in evaluate(r["answer"]).missing} for r in rows[:4]]
    common = set.intersection(*by_all)
    assert common and any(html.escape(t) in page for t in common)
    assert "<td>4 of 4</td>" in page
    bad = evaluate(wrong).incorrect[0]  # in the wrong-facts table, with what was written
    wrong_facts = page.split("Wrong facts most often written")[1].split("<h2>")[0]
    assert html.escape(bad.label or bad.text) in wrong_facts
    assert f"<td>{html.escape(bad.conflict or '')}</td>" in wrong_facts
    assert "<td>u</td><td>off_topic" in page
    assert "<td>e</td><td>not graded: the answer is empty</td>" in page
    assert "<td>s1 and s2</td><td>near-identical answers" in page
    assert "s1 and w" in page  # one year changed: still the same text
    assert "<td>s1 and v</td>" not in page


def test_csv_cells_cannot_become_formulas(tmp_path: Path) -> None:
    rows = [{"id": "=HYPERLINK(\"http://x\")", "answer": answer("vague"), "student": "@SUM(1)"},
            {"id": "-2+3", "answer": "", "student": "+cmd"}]
    out = tmp_path / "out"
    batch(write_jsonl(tmp_path / "in.jsonl", rows), "-o", out, "-j", "1")
    text = (out / "grades.csv").read_text("utf-8")
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text and "'-2+3" in text and "'+cmd" in text
    for row in csv.reader(text.splitlines()):
        assert not any(c[:1] in "=+-@\t\r" and c for c in row), row


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=A1", "'=A1"), ("+1 call", "'+1 call"), ("-x", "'-x"), ("@x", "'@x"), ("\tx", "'\tx"),
     ("\rx", "'\nx"), ("-2.50", "-2.50"), ("ok", "ok"), ("", ""), (None, ""), (3, "3")],
)
def test_csv_cell(value: object, safe: str) -> None:
    assert io.csv_cell(value) == safe


@pytest.mark.parametrize(
    "rid", ["../../escape", "a b c", "ünïcødé/ид", "/abs/path", "..", "con", "x" * 300, ""])
def test_feedback_names_stay_inside_the_folder(tmp_path: Path, rid: str) -> None:
    name = feedback_name(rid)
    assert name and "/" not in name and "\\" not in name and not name.startswith(".")
    assert len(name) <= 100
    assert (tmp_path / f"{name}.md").resolve().parent == tmp_path.resolve()


def test_ids_with_paths_write_nothing_outside_out(tmp_path: Path) -> None:
    ids = ["../../evil", "a b", "ünï/../x", "a_b"]
    rows = [{"id": i, "answer": answer("vague")} for i in ids]
    out = tmp_path / "deep" / "out"
    res = batch(write_jsonl(tmp_path / "in.jsonl", rows), "-o", out, "-j", "1")
    assert res.exit_code == 0, res.output
    made = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p == tmp_path / "in.jsonl" or out in p.parents for p in made), made
    assert len(list((out / "feedback").glob("*.md"))) == len(ids)  # no two ids share a file
    assert [r["id"] for r in grades(out)] == ids


def test_empty_out_is_refused(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", ROWS[:1])
    res = batch(src, "-o", "")
    assert res.exit_code == 1 and "must be named" in res.stderr
    assert not (Path.cwd() / "grades.csv").exists()


ROW_PATHS = [
    # (rubric cell, reference cell, allowed without --allow-paths)
    ("r/mini.toml", "", True),
    ("", "model.txt", True),
    ("../outside.toml", "", False),
    ("", "../secret.txt", False),
    ("link.toml", "", False),  # a symlink inside that points out
    ("ABS", "", False),
]


@pytest.mark.parametrize(("rubric", "reference", "inside"), ROW_PATHS)
def test_row_paths_resolve_against_the_batch_file_and_stay_inside(
    tmp_path: Path, rubric: str, reference: str, inside: bool
) -> None:
    from conftest import MINI

    base = tmp_path / "class"
    (base / "r").mkdir(parents=True)
    shutil.copy(MINI, base / "r" / "mini.toml")
    shutil.copy(MINI, tmp_path / "outside.toml")
    (base / "model.txt").write_text(MODEL, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("SECRET " + MODEL, encoding="utf-8")
    (base / "link.toml").symlink_to(tmp_path / "outside.toml")
    if rubric == "ABS":
        rubric = str(tmp_path / "outside.toml")
    src = write_jsonl(base / "in.jsonl",
                      [{"id": "1", "answer": answer("strong"), "rubric": rubric,
                        "reference": reference}])
    for allow in ([], ["--allow-paths"]):
        out = tmp_path / f"out{len(allow)}"
        res = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "-j", "1", *allow])
        (row,) = grades(out)
        if inside or allow:
            assert res.exit_code == 0, res.output
            assert row["error"] == "" and row["score"] != ""
        else:
            assert res.exit_code == 1
            assert "outside the batch file's folder" in row["error"] and row["score"] == ""
            assert "SECRET" not in (out / "results.jsonl").read_text("utf-8")


def test_rubrics_dir_is_the_library_for_batch_and_grade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "mine"
    lib.mkdir()
    name = "msme-internationalisation"
    text = (RUBRICS / f"{name}.toml").read_text("utf-8")
    (lib / f"{name}.toml").write_text(text.replace('title = "', 'title = "EDITED ', 1),
                                      encoding="utf-8")
    a = tmp_path / "a.txt"
    a.write_text(answer("strong"), encoding="utf-8")
    # Only the folder's rubric exists, so it is chosen, and its edit shows.
    res = CliRunner().invoke(main, ["grade", str(a), "--rubrics", str(lib), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["rubric_title"].startswith("EDITED ")
    res = batch(a, "-o", tmp_path / "out", "-j", "1", "--rubrics", lib, "--rubric", name)
    assert res.exit_code == 0, res.output
    assert results(tmp_path / "out")[0]["rubric_title"].startswith("EDITED ")
    # The environment variable does the same; a name not in the folder is one line.
    monkeypatch.setenv("EVALUATOR_RUBRICS", str(lib))
    res = CliRunner().invoke(main, ["grade", str(a), "--format", "json"])
    assert json.loads(res.stdout)["rubric_title"].startswith("EDITED ")
    res = CliRunner().invoke(main, ["grade", str(a), "--rubric", "india-south-korea-relations"])
    assert res.exit_code == 1 and "no rubric named" in res.stderr
    res = batch(a, "-o", tmp_path / "o2", "--rubric", "nope")
    assert res.exit_code == 1 and "no rubric named 'nope'" in res.stderr


def test_rubrics_build_never_writes_into_an_installed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-packages" / "evaluator"
    site.mkdir(parents=True)
    monkeypatch.setattr(io, "_PACKAGE", site)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("EVALUATOR_RUBRICS", raising=False)
    assert io.build_target() == (work / "rubrics", True)
    monkeypatch.setenv("EVALUATOR_RUBRICS", str(tmp_path / "env"))
    assert io.build_target() == (tmp_path / "env", False)
    assert io.default_rubrics_dir() == tmp_path / "env"
    monkeypatch.delenv("EVALUATOR_RUBRICS")
    # In a checkout, the checkout's rubrics/ are read and written.
    checkout = tmp_path / "checkout"
    for d in ("seeds", "rubrics"):
        (checkout / d).mkdir(parents=True)
    (checkout / "pyproject.toml").write_text('[project]\nname = "mains-evaluator"\n', "utf-8")
    monkeypatch.chdir(checkout)
    assert io.build_target() == (checkout / "rubrics", False)
    assert io.default_rubrics_dir() == checkout / "rubrics"


def test_rubrics_build_outside_a_checkout_says_how_to_use_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import SEEDS

    monkeypatch.setattr(io, "_PACKAGE", tmp_path / "site-packages" / "evaluator")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVALUATOR_RUBRICS", raising=False)
    res = CliRunner().invoke(main, ["rubrics", "build", "--seeds", str(SEEDS)])
    assert res.exit_code == 0, res.output
    assert len(list((tmp_path / "rubrics").glob("*.toml"))) == len(list(RUBRICS.glob("*.toml")))
    assert f"--rubrics {tmp_path / 'rubrics'}" in res.stdout


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("in.csv", "id,text\n1,hello\n", "needs columns id,answer"),
        ("in.jsonl", '{"id": "1", "answer": "x"}\nnot json\n', "line 2: not JSON"),
        ("in.jsonl", '["a", "b"]\n', "line 1: each line must be a JSON object"),
        ("in.jsonl", '{"answer": "x"}\n', "line 1: missing id"),
        ("in.jsonl", '{"id": "x\\ud800", "answer": "y"}\n', "line 1: a \\u escape is half"),
        ("in.jsonl", '{"id": "1", "answer": "x"}\n{"id": "1", "answer": "y"}\n',
         "ids must be unique; repeated: 1"),
        ("in.csv", 'id,answer\n1,"unterminated\n', "line 2: not valid CSV"),
        ("in.csv", 'id,answer\n1,ok\n2,"=HY"x"\n', "line 3: not valid CSV"),
        ("missing.csv", None, "no such file"),
    ],
)
def test_unusable_batch_input_exits_1_with_one_line(tmp_path: Path, name: str,
                                                     content: str | None, needle: str) -> None:
    src = tmp_path / name
    if content is not None:
        src.write_text(content, encoding="utf-8")
    res = batch(src, "-o", tmp_path / "out", "-j", "1")
    assert res.exit_code == 1
    assert needle in res.output, res.output
    assert "Traceback" not in res.output and "internal error" not in res.output


def test_quiet_when_not_a_terminal(tmp_path: Path) -> None:
    res = batch(write_jsonl(tmp_path / "in.jsonl", ROWS[:1]), "-o", tmp_path / "o", "-j", "1")
    assert res.exit_code == 0 and res.stderr == ""
    assert res.stdout.count("\n") == 1  # the closing line only


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import subprocess
    import sys

    src = write_jsonl(tmp_path / "in.jsonl", ROWS[:1])
    main_fd, sub_fd = os.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "evaluator", "batch", str(src), "-o", str(tmp_path / "o"), "-j",
         "1"], stderr=sub_fd, stdout=subprocess.PIPE, text=True, timeout=120,
        cwd=Path(__file__).resolve().parent.parent)
    os.close(sub_fd)
    err = os.read(main_fd, 65536).decode("utf-8", "replace")
    os.close(main_fd)
    assert proc.returncode == 0
    assert "grading" in err and "100%" in err
    assert proc.stdout.startswith("graded 1 (0 reused")


def test_a_row_may_carry_several_model_answers(tmp_path: Path) -> None:
    """CSV ``reference_2``... columns and a JSONL list are alternatives; the best fits."""
    import json

    good = "A stack is last in, first out: the last item pushed is the first popped."
    other = "Queues serve items in the order they arrive."
    rows = [{"id": "s", "answer": "A stack: last in, first out.", "reference": other,
             "reference_2": good}]
    out = tmp_path / "out"
    res = batch(write_csv(tmp_path / "in.csv", rows), "-o", out, "--jobs", "1")
    assert res.exit_code == 0, res.output
    (rec,) = [json.loads(x) for x in (out / "results.jsonl").read_text("utf-8").splitlines()]
    assert (rec["reference_index"], rec["reference_count"]) == (2, 2)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "s", "answer": "A stack: last in, first out.",
                               "reference": [other, good]}) + "\n", encoding="utf-8")
    res = batch(src, "-o", tmp_path / "out2", "--jobs", "1")
    assert res.exit_code == 0, res.output
    line = (tmp_path / "out2" / "results.jsonl").read_text("utf-8").splitlines()[0]
    assert json.loads(line)["reference_index"] == 2


def test_evaluate_many_reads_reference_columns_like_batch() -> None:
    """``evaluate calibrate`` goes through evaluate_many: a CSV's reference_2 counts there too."""
    from evaluator import evaluate_many

    good = "A stack is last in, first out: the last item pushed is the first popped."
    row = {"id": "s", "answer": "A stack: last in, first out.",
           "reference": "Queues serve items in the order they arrive.", "reference_2": good}
    (item,) = evaluate_many([row])
    assert item.result is not None
    assert (item.result.reference_index, item.result.reference_count) == (2, 2)
