"""`evaluate batch` on folders of scripts: formats, broken files, a class of 1,000, kill -9,
the summary page in Chromium, and the Dask engine."""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, answer

from evaluator import evaluate
from evaluator.cli import main

docx = pytest.importorskip("docx", reason="python-docx is not installed")


def make_docx(path: Path, text: str) -> Path:
    """A minimal .docx (the three parts Word needs), one paragraph per blank-line block.

    Written by hand because python-docx takes ~20 ms a file; it is still what reads them.
    """
    import zipfile
    from xml.sax.saxutils import escape

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paras = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>'
                    for p in text.split("\n\n"))
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType'
            '="application/xml"/><Override PartName="/word/document.xml" ContentType="applicatio'
            'n/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schema'
            's.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/'
            'document.xml"/></Relationships>'))
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                   f'<w:document xmlns:w="{w}"><w:body>{paras}</w:body></w:document>')
    return path


def test_hand_made_docx_reads_like_a_python_docx_one(tmp_path: Path) -> None:
    from evaluator.io import read_answer_file

    ours = make_docx(tmp_path / "ours.docx", answer("strong"))
    d = docx.Document()
    for para in answer("strong").split("\n\n"):
        d.add_paragraph(para)
    d.save(str(tmp_path / "theirs.docx"))
    assert read_answer_file(ours) == read_answer_file(tmp_path / "theirs.docx")


def make_pdf(path: Path, text: str) -> Path:
    """A minimal one-page PDF whose text layer holds ``text`` (no text: a 'scanned' page)."""

    def esc(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    lines = [ln for para in text.split("\n\n") for ln in para.splitlines() if ln.strip()]
    ops = ["BT", "/F1 9 Tf", "11 TL", "30 810 Td", *(f"({esc(ln)}) Tj T*" for ln in lines), "ET"]
    stream = "\n".join(ops).encode("cp1252", "replace") if lines else b""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1,
                                                                              xref)
    path.write_bytes(bytes(out))
    return path


def grades(out: Path) -> list[dict[str, str]]:
    with (out / "grades.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def results(out: Path) -> list[dict]:
    return [json.loads(ln) for ln in (out / "results.jsonl").read_text("utf-8").splitlines()]


def test_a_folder_of_mixed_scripts(tmp_path: Path) -> None:
    d = tmp_path / "class"
    (d / "section b").mkdir(parents=True)
    (d / "strong.txt").write_text(answer("strong"), encoding="utf-8")
    (d / "vague.md").write_text(answer("vague"), encoding="utf-8")
    make_docx(d / "average.docx", answer("average"))
    make_pdf(d / "section b" / "Ünïcode name.pdf", answer("strong"))
    make_pdf(d / "scan.pdf", "")
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_text(" \n\n ", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (d / "broken-docx.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (d / "broken-pdf.pdf").write_bytes(b"%PDF-1.4 nothing else")
    (d / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (d / ".hidden.txt").write_text("not an answer", encoding="utf-8")
    (d / "~$average.docx").write_bytes(b"lock")
    os.mkfifo(d / "pipe.txt")  # would block forever if opened
    (d / "section b" / "loop").symlink_to(d)  # a folder loop: must not hang
    (d / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (d / "rows.jsonl").write_text(json.dumps({"id": "row-1", "answer": answer("vague"),
                                              "student": "Asha"}) + "\n", encoding="utf-8")
    out = d / "out"  # inside the folder it reads: skipped on this and later runs
    res = CliRunner().invoke(main, ["batch", str(d), "-o", str(out), "-j", "1"])
    assert res.exit_code == 1, res.output
    assert "Traceback" not in res.output
    rows = {r["id"]: r for r in grades(out)}
    # Name order, folders walked in place; a batch file's rows take its place.
    assert list(rows) == [
        "average", "binary", "blank", "broken-docx", "broken-pdf", "dangling", "empty", "old",
        "pipe", "row-1", "scan", "section b/Ünïcode name", "strong", "vague"]
    expected_errors = {
        "scan": "no text layer",
        "empty": "empty file",
        "blank": "empty file",
        "binary": "binary",
        "broken-docx": "not a readable .docx",
        "broken-pdf": "not a readable PDF",
        "old": "not read; save it as .docx",
        "pipe": "not a regular file",
        "dangling": "broken symlink",
    }
    for rid, needle in expected_errors.items():
        assert needle in rows[rid]["error"], (rid, rows[rid]["error"])
        assert rows[rid]["score"] == ""
    graded = {"strong", "vague", "average", "section b/Ünïcode name", "row-1"}
    assert {i for i, r in rows.items() if not r["error"]} == graded
    assert rows["row-1"]["student"] == "Asha"
    assert not any(k.startswith((".", "~", "out")) for k in rows)
    # Same text, same grade, whatever the format it came in.
    assert rows["section b/Ünïcode name"]["score"] == rows["strong"]["score"]
    assert rows["average"]["score"] == f"{evaluate(answer('average')).score:.2f}"
    # A rerun reads the same folder (and not its own output folder).
    again = CliRunner().invoke(main, ["batch", str(d), "-o", str(out), "-j", "1"])
    assert again.stdout.startswith("graded 5 (5 reused")


def test_two_files_with_one_name_are_refused(tmp_path: Path) -> None:
    # Two files with the same stem are two answers with one id: refused, naming the file.
    (tmp_path / "a.txt").write_text(answer("vague"), encoding="utf-8")
    make_docx(tmp_path / "a.docx", answer("vague"))
    res = CliRunner().invoke(main, ["batch", str(tmp_path), "-o", str(tmp_path / "o")])
    assert res.exit_code == 1 and "ids must be unique; repeated: a" in res.stderr


def test_grade_reads_docx_and_pdf_like_batch(tmp_path: Path) -> None:
    for p in (make_docx(tmp_path / "a.docx", answer("average")),
              make_pdf(tmp_path / "a.pdf", answer("average"))):
        res = CliRunner().invoke(main, ["grade", str(p), "--format", "json"])
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout)["score"] > 0


def _class(d: Path, n: int) -> list[Path]:
    """``n`` distinct answers in four formats, built from the example answers' sentences."""
    import re

    rng = random.Random(0)
    pool = [s for name in ("strong", "average", "vague", "unrelated")
            for s in re.split(r"(?<=[.!?])\s+", answer(name).split("\n", 1)[1]) if s.strip()]
    q = answer("strong").split("\n", 1)[0]
    made = []
    for i in range(n):
        paras = [" ".join(rng.sample(pool, 3)) for _ in range(rng.randint(1, 4))]
        text = q + "\n\n" + "\n\n".join(paras) + f"\n\nStudent number {i}."
        kind = ("txt", "md", "docx", "pdf")[i % 4]
        p = d / f"s{i:04d}.{kind}"
        if kind == "docx":
            make_docx(p, text)
        elif kind == "pdf":
            make_pdf(p, text)
        else:
            p.write_text(text, encoding="utf-8")
        made.append(p)
    return made


@pytest.mark.slow
def test_a_thousand_mixed_scripts_agree_with_evaluate_on_each(tmp_path: Path) -> None:
    d = tmp_path / "class"
    d.mkdir()
    files = _class(d, 1000)
    out = tmp_path / "out"
    started = time.monotonic()
    res = CliRunner().invoke(main, ["batch", str(d), "-o", str(out)])  # all cores
    took = time.monotonic() - started
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("graded 1000 (0 reused")
    recs = results(out)
    assert [r["id"] for r in recs] == [p.stem for p in files]
    rows = grades(out)
    assert len(rows) == 1000 and all(r["error"] == "" for r in rows)
    assert len(list((out / "feedback").glob("*.md"))) == 1000
    assert (out / "summary.html").stat().st_size > 0
    runner = CliRunner()
    for p, rec in zip(files, recs, strict=True):  # `evaluate FILE` on each answer alone
        alone = runner.invoke(main, ["grade", str(p), "--format", "json"])
        assert alone.exit_code == 0, alone.output
        assert {"id": p.stem, **json.loads(alone.stdout)} == rec, p.name
    assert took < 60, took


def _run(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "evaluator", "batch", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_kill_9_and_rerun_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    d = tmp_path / "class"
    d.mkdir()
    _class(d, 160)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    proc = _run([str(d), "-o", str(clean), "-j", "1"])
    assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""

    proc = _run([str(d), "-o", str(killed), "-j", "1"])
    journal = killed / ".evaluator" / "journal.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if journal.exists() and journal.stat().st_size > 150_000:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not (killed / "grades.csv").exists()  # it was killed before the end
    proc = _run([str(d), "-o", str(killed), "-j", "1"])
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    reused = int(out.split("(")[1].split()[0])
    assert 0 < reused < 160, out
    for name in ("grades.csv", "results.jsonl", "summary.html", ".evaluator/journal.jsonl"):
        assert (killed / name).read_bytes() == (clean / name).read_bytes(), name
    assert sorted(p.name for p in (killed / "feedback").iterdir()) == sorted(
        p.name for p in (clean / "feedback").iterdir())


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


MEASURE = """<script>
window.addEventListener("load", () => {
  const svg = document.getElementById("marks-chart").getBoundingClientRect();
  const bars = [...document.querySelectorAll("#marks-chart rect.bar")]
    .map(r => r.getBoundingClientRect().height);
  document.body.setAttribute("data-measured",
    JSON.stringify({w: svg.width, h: svg.height, bars: bars}));
});
</script>"""


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed")
def test_summary_chart_is_drawn_in_chromium(tmp_path: Path) -> None:
    rows = [{"id": f"s{i}", "answer": answer(n)}
            for i, n in enumerate(["strong", "average", "vague", "average", "unrelated"])]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "-j", "1"]).exit_code == 0
    page = (out / "summary.html").read_text("utf-8")
    # The page has no script of its own; the test adds one that measures what was laid out.
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    proc = subprocess.run(
        [str(_chromium()), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    import html
    import re

    m = re.search(r'data-measured="([^"]*)"', proc.stdout)
    assert m, proc.stdout[-2000:]
    measured = json.loads(html.unescape(m.group(1)))
    assert measured["w"] > 0 and measured["h"] > 0
    assert len(measured["bars"]) == 10
    drawn = [h for h in measured["bars"] if h > 0]
    assert len(drawn) >= 2  # scores spread over at least two tenths


def test_dask_engine_gives_identical_results(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    rows = [{"id": f"s{i}", "answer": answer(n)}
            for i, n in enumerate(["strong", "average", "vague", "unrelated"])]
    rows.append({"id": "bad", "answer": ""})
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    local = CliRunner().invoke(main, ["batch", str(src), "-o", str(tmp_path / "local"), "-j", "1"])
    assert local.exit_code == 1
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        res = CliRunner().invoke(main, ["batch", str(src), "-o", str(tmp_path / "dask"),
                                        "--engine", "dask", "--scheduler", address])
    assert res.exit_code == 1, res.output
    assert res.stdout.startswith("graded 4 (0 reused from an earlier run), errors 1")
    for name in ("grades.csv", "results.jsonl", "summary.html", "feedback/s0.html"):
        assert (tmp_path / "dask" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()


def test_dask_engine_needs_a_scheduler(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "answer": "x"}) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["batch", str(src), "-o", str(tmp_path / "o"), "--engine",
                                    "dask"])
    assert res.exit_code == 2 and "--scheduler" in res.output


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_kill_9_of_a_batch_ends_its_workers(tmp_path: Path) -> None:
    d = tmp_path / "class"
    d.mkdir()
    _class(d, 120)
    proc = _run([str(d), "-o", str(tmp_path / "out"), "-j", "2"])
    journal = tmp_path / "out" / ".evaluator" / "journal.jsonl"
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        if journal.exists() and journal.stat().st_size > 0:
            workers = [int(c) for t in Path(f"/proc/{proc.pid}/task").iterdir()
                       for c in (t / "children").read_text().split()]
        time.sleep(0.05)
    assert len(workers) == 2, "the batch did not start two workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:  # do not leave them running if the test fails
        os.kill(w, signal.SIGKILL)
    assert left == []
