"""Issue 10's "done when", in real applications: a report holding script payloads runs no
script in headless Chromium, and a grades.csv holding formula payloads evaluates no formula
in LibreOffice. Skipped when the application is absent; `.ci/run` installs both.

Each test first shows its harness can see the attack (a page with a live script changes the
DOM; a raw formula is computed), so a pass means "nothing ran", not "nothing was looked at".
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from evaluator import io
from evaluator.report import render

CHROMIUM = next(
    (shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome",
                               "chromium-headless-shell") if shutil.which(b)), None)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

# Payloads that would change the page if they ran: the title, or an attribute on <body>.
MARK = "document.body.setAttribute('data-pwned','1')"
PAYLOADS = (
    "<script>document.title='PWNED'</script>",
    f"<img src=x onerror=\"{MARK}\">",
    f"<svg onload=\"{MARK}\"></svg>",
    f"<iframe srcdoc=\"<script>parent.{MARK}</script>\"></iframe>",
    f"\"><script>{MARK}</script>",
    f"<a href=\"javascript:{MARK}\" id=go>go</a><script>go.click()</script>",
)


def _dump_dom(page: Path, profile: Path) -> str:
    assert CHROMIUM
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _ran(dom: str) -> bool:
    # The payload's own text mentions both; only a script that ran puts them in these places.
    return bool(re.search(r"<body[^>]*\bdata-pwned=", dom)) or "<title>PWNED</title>" in dom


def _payload_report(tmp_path: Path) -> str:
    from evaluator import evaluate

    rubric = tmp_path / "payload.csv"
    rows = ["id,point,marks"] + [
        f'p{i},"MoU binding {p.replace(chr(34), chr(34) * 2)}",1' for i, p in enumerate(PAYLOADS)
    ]
    rubric.write_text("\n".join(rows) + "\n", encoding="utf-8")
    answer = "\n".join(f"The MoU is binding {p}." for p in PAYLOADS)
    result = evaluate(answer, str(rubric), question=PAYLOADS[0] + "?")
    return render(result, "html")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (.ci/run installs it)")
def test_html_report_runs_no_script_in_chromium(tmp_path: Path) -> None:
    live = tmp_path / "live.html"
    live.write_text("<!DOCTYPE html><html><head><title>ok</title></head><body>"
                    + "".join(PAYLOADS) + "</body></html>", encoding="utf-8")
    assert _ran(_dump_dom(live, tmp_path / "profile"))  # the harness sees a live payload

    report = _payload_report(tmp_path)
    # As written, and without the CSP meta tag, so the escaping alone is tested too.
    no_csp = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", report)
    assert no_csp != report
    for name, html in (("report.html", report), ("report-no-csp.html", no_csp)):
        page = tmp_path / name
        page.write_text(html, encoding="utf-8")
        dom = _dump_dom(page, tmp_path / "profile")
        assert "MoU binding" in dom and "PWNED" in dom  # the payload is shown as text
        assert not _ran(dom), name
        assert not re.search(r"<(script|img|svg|iframe)\b", dom, re.IGNORECASE), name


FORMULAS = ("=1+1", "=HYPERLINK(\"http://example.invalid\",\"click\")", "+3+4", "-2+3",
            "@SUM(1;2)", "\t=5+5", "\r=6+6", "a\r=7+7", "b\r\n=8+8", "=cmd|' /C calc'!A0")


def _to_csv_with_soffice(src: Path, out: Path, profile: Path) -> list[list[str]]:
    assert SOFFICE
    # Import: comma, quote, UTF-8, from line 1, formulas evaluated (the 13th token); export
    # the values as shown, so a computed formula shows its result.
    proc = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,-1,true",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false",
         "--outdir", str(out), str(src)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "HOME": str(profile)},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    with (out / src.name).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (.ci/run installs it)")
def test_grades_csv_evaluates_no_formula_in_libreoffice(tmp_path: Path) -> None:
    columns = ["id", "rubric", "flags"]
    rows = [{"id": f, "rubric": f, "flags": f} for f in FORMULAS]

    raw = tmp_path / "raw" / "grades.csv"
    raw.parent.mkdir()
    with raw.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        w.writerows([[r[c] for c in columns] for r in rows])
    back = _to_csv_with_soffice(raw, tmp_path / "raw-out", tmp_path / "profile")
    assert back[1][0] == "2" and back[2][0] == "click"  # the harness sees formulas computed

    ours = io.write_grades_csv(tmp_path / "ours", rows, columns)
    back = _to_csv_with_soffice(ours, tmp_path / "ours-out", tmp_path / "profile")
    assert back[0] == columns
    for formula, got in zip(FORMULAS, back[1:], strict=True):
        # Every cell comes back as the text we wrote: nothing was computed.
        assert got == [io.csv_cell(formula)] * 3, (formula, got)
