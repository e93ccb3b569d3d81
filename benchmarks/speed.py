"""Speed: cold CLI start, warm throughput, batch throughput and memory, answer length.

Every figure is printed beside a baseline measured in the same run: Python start-up
(``python -c pass``) for whole-process figures, a plain scikit-learn TF-IDF cosine grader
(:class:`benchmarks.baselines.TfidfCosine`, fitted on the reference and the answers) for
throughput and length. Whole-process figures come from ``os.wait4`` on each child: wall
time, CPU time (user + system) and peak resident memory; each is the median of ``--runs``.

Children run with bytecode caching on, in a private cache (``PYTHONPYCACHEPREFIX``; one
untimed warm-up run fills it), because an installed package has its ``.pyc`` files;
``--no-bytecode`` measures with whatever the environment says instead.

Run from the project root::

    python -m benchmarks.speed --quick          # every section, small sizes: about a minute
    python -m benchmarks.speed                  # the full run (README table): ~15 min
    python -m benchmarks.speed --sections batch --batch-sizes 100000 \\
        --batch-args="--jobs 2"                 # point the batch section at new options
    python -m benchmarks.speed --sections memory --memory-answers 30000
                                                # one grading worker's memory, answer by answer

Answers are made from the sentences of ``examples/`` (seeded shuffles), so the run needs no
data. Not part of the shipped package.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
RUBRIC = "india-south-korea-sign-mou-msme"
SECTIONS = ("cold", "warm", "batch", "length")
EXTRA_SECTIONS = ("memory",)  # run only when named: minutes of grading
FULL_BATCH = (1_000, 10_000, 100_000)
QUICK_BATCH = (1_000,)
FULL_LENGTHS = (150, 1_000, 10_000, 50_000, 200_000)
QUICK_LENGTHS = (150, 10_000, 200_000)


# --------------------------------------------------------------------------- answers


def _sentences() -> list[str]:
    out = []
    for p in sorted([EXAMPLES / "answer.txt", *(EXAMPLES / "answers").glob("*.txt")]):
        text = p.read_text(encoding="utf-8")
        body = text.split("\n", 1)[1] if text.startswith("Q") else text
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) > 3]
    return out


def make_answers(n: int, *, lo: int = 150, hi: int = 250, seed: int = 0) -> list[str]:
    """``n`` distinct answers of ``lo``-``hi`` words: example sentences in seeded orders."""
    rng = random.Random(seed)
    pool = _sentences()
    out = []
    for i in range(n):
        target = rng.randint(lo, hi)
        parts: list[str] = []
        words = 0
        while words < target:
            s = rng.choice(pool)
            parts.append(s)
            words += len(s.split())
        # Paragraphs of three sentences, as answers are written; the number keeps each distinct.
        paras = [" ".join(parts[j : j + 3]) for j in range(0, len(parts), 3)]
        out.append("\n\n".join(paras) + f" (Answer {i}.)")
    return out


def long_answer(words: int) -> str:
    """One answer of about ``words`` words: paragraphs of the example sentences."""
    parts: list[str] = []
    total = 0
    for a in make_answers(words // 150 + 2, seed=1):
        parts.append(a)
        total += len(a.split())
        if total >= words:
            break
    return " ".join("\n\n".join(parts).split(" ")[:words])


def reference_answer() -> str:
    text = (EXAMPLES / "answer.txt").read_text(encoding="utf-8")
    return text.split("\n", 1)[1].strip() if text.startswith("Q") else text


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds
    rss_mb: float  # peak resident set size
    ok: bool


def run_process(cmd: Sequence[str], env: dict[str, str], timeout: float = 900.0) -> Run:
    """Run ``cmd`` once: wall time, CPU time and peak RSS of that child alone.

    GNU time (``/usr/bin/time``) reports them when installed: its own small process forks
    the command, so the peak is not inflated by this process's memory (a child's
    ``ru_maxrss`` counts the pages it shared with its parent at the fork). Without it,
    ``resource.getrusage(RUSAGE_CHILDREN)``: CPU by difference, and the peak of all
    children so far.
    """
    timer = os.path.exists("/usr/bin/time")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        full = ["/usr/bin/time", "-o", report.name, "-f", "%e %U %S %M", *cmd] if timer else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(
            full, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return Run(time.perf_counter() - start, 0.0, 0.0, False)
        wall = time.perf_counter() - start
        ok = proc.returncode == 0
        if timer:
            _, user, system, rss_kb = (float(x) for x in Path(report.name).read_text().split()[-4:])
            return Run(wall, user + system, rss_kb / 1024, ok)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(wall, cpu, after.ru_maxrss / 1024, ok)


def median_run(cmd: Sequence[str], env: dict[str, str], runs: int) -> Run:
    got = [run_process(cmd, env) for _ in range(runs)]
    return Run(
        statistics.median(r.wall for r in got),
        statistics.median(r.cpu for r in got),
        statistics.median(r.rss_mb for r in got),
        all(r.ok for r in got),
    )


def child_env(bytecode: bool, cache: str) -> dict[str, str]:
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache
    return env


# --------------------------------------------------------------------------- sections

Table = list[list[str]]


def cold(args: argparse.Namespace, env: dict[str, str]) -> Table:
    py = sys.executable
    answer = str(EXAMPLES / "answer.txt")
    cases = [
        ("`python -c pass` (baseline)", [py, "-c", "pass"]),
        ("`evaluate --help`", [py, "-m", "evaluator", "--help"]),
        ("`evaluate examples/answer.txt` (rubric chosen)", [py, "-m", "evaluator", answer]),
        (
            f"`evaluate examples/answer.txt --rubric {RUBRIC}`",
            [py, "-m", "evaluator", answer, "--rubric", RUBRIC],
        ),
    ]
    rows = [["command", "wall s", "CPU s", "peak RSS MB", "wall minus baseline s"]]
    base = None
    for label, cmd in cases:
        run_process(cmd, env)  # warm-up: fills the bytecode cache and the page cache
        r = median_run(cmd, env, args.runs)
        base = base or r
        rows.append(
            [
                label + ("" if r.ok else " (FAILED)"),
                f"{r.wall:.3f}",
                f"{r.cpu:.3f}",
                f"{r.rss_mb:.0f}",
                "" if r is base else f"+{r.wall - base.wall:.3f}",
            ]
        )
    return rows


def _rate(fn: Callable[[], int], min_seconds: float = 1.0) -> tuple[float, float]:
    """(answers per wall second, per CPU second) of ``fn`` (returns how many it graded)."""
    n = 0
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall0 < min_seconds:
        n += fn()
    return n / (time.perf_counter() - wall0), n / max(1e-9, time.process_time() - cpu0)


def warm(args: argparse.Namespace, env: dict[str, str]) -> Table:
    # In a child, so this process stays small (see run_process) and imports nothing heavy.
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        cmd = [sys.executable, "-m", "benchmarks.speed", "--inner-warm", out.name]
        cmd += ["--warm-answers", str(args.warm_answers), "--seconds", str(args.seconds)]
        subprocess.run(cmd, cwd=ROOT, env=env, check=True)
        rows: Table = json.loads(Path(out.name).read_text())
    return rows


def inner_warm(args: argparse.Namespace, out: str) -> None:
    import evaluator
    from benchmarks.baselines import TfidfCosine
    from benchmarks.datasets import Item

    answers = make_answers(args.warm_answers, seed=2)
    ref = reference_answer()
    rubric = evaluator.load_rubric(RUBRIC)
    items = [
        Item("speed", "q", "", ref, a, 0.0, 1.0, None, (), answer_id=str(i))
        for i, a in enumerate(answers)
    ]
    tfidf = TfidfCosine().fit(items)

    def ours(**kw: object) -> Callable[[], int]:
        def go() -> int:
            rows = ({"id": str(i), "answer": a} for i, a in enumerate(answers))
            graded = evaluator.evaluate_many(rows, **kw)  # type: ignore[arg-type]
            return sum(1 for item in graded if item.result)

        return go

    def baseline_one_by_one() -> int:
        for item in items:
            tfidf.score(item)
        return len(items)

    def baseline_batched() -> int:
        return len(tfidf.score_many(items))

    # Warm every cache the first answer fills (compiled rubrics, the library's space).
    for kw in ({"rubric": rubric}, {}, {"reference": ref}):
        list(evaluator.evaluate_many([{"id": "w", "answer": answers[0]}], **kw))  # type: ignore[arg-type]
    base_wall, base_cpu = _rate(baseline_one_by_one, args.seconds)
    batch_wall, batch_cpu = _rate(baseline_batched, args.seconds)
    rows = [
        [
            "grader (one process, 150-250-word answers)",
            "answers/s (wall)",
            "answers/s (CPU)",
            "x TF-IDF baseline (CPU)",
        ],
        [
            "TF-IDF cosine baseline, one answer per call",
            f"{base_wall:,.0f}",
            f"{base_cpu:,.0f}",
            "1",
        ],
        [
            "TF-IDF cosine baseline, all answers in one call",
            f"{batch_wall:,.0f}",
            f"{batch_cpu:,.0f}",
            f"{batch_cpu / base_cpu:.2f}",
        ],
    ]
    for label, kw in (
        (f"evaluator, explicit rubric ({RUBRIC})", {"rubric": rubric}),
        ("evaluator, rubric chosen per answer", {}),
        ("evaluator, reference answer as rubric", {"reference": ref}),
    ):
        w, c = _rate(ours(**kw), args.seconds)
        rows.append([label, f"{w:,.0f}", f"{c:,.0f}", f"{c / base_cpu:.2f}"])
    Path(out).write_text(json.dumps(rows))


BATCH_FILE_ROWS = 10_000


def batch(args: argparse.Namespace, env: dict[str, str]) -> Table:
    py = sys.executable
    rows = [["rows", "grader", "wall s", "CPU s", "answers/s (wall)", "peak RSS MB"]]
    for n in args.batch_sizes:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "answers.csv"
            # The baseline reads one file; `evaluate batch` reads files of BATCH_FILE_ROWS
            # rows (it refuses a file over 32 MiB, about 23,000 of these answers).
            parts: list[str] = []
            answers = make_answers(n, seed=3)
            with src.open("w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["id", "answer"])
                for i, a in enumerate(answers):
                    w.writerow([f"a{i}", a])
            for start in range(0, n, BATCH_FILE_ROWS):
                part = Path(tmp) / f"part-{start // BATCH_FILE_ROWS:03d}.csv"
                with part.open("w", newline="", encoding="utf-8") as f:
                    w = csv.writer(f)
                    w.writerow(["id", "answer"])
                    for i in range(start, min(n, start + BATCH_FILE_ROWS)):
                        w.writerow([f"a{i}", answers[i]])
                parts.append(str(part))
            del answers
            cases = [
                (
                    "TF-IDF cosine baseline",
                    [py, "-m", "benchmarks.speed", "--inner-baseline-batch", str(src), RUBRIC],
                ),
                (
                    "evaluate batch " + " ".join(["--rubric", RUBRIC, *args.batch_args]),
                    [
                        py,
                        "-m",
                        "evaluator",
                        "batch",
                        *parts,
                        "-o",
                        str(Path(tmp) / "out"),
                        "--rubric",
                        RUBRIC,
                        *args.batch_args,
                    ],
                ),
            ]
            for label, cmd in cases:
                r = run_process(cmd, env, timeout=args.batch_timeout)
                rate = f"{n / r.wall:,.0f}" if r.ok else "timed out or failed"
                rows.append(
                    [f"{n:,}", label, f"{r.wall:.1f}", f"{r.cpu:.1f}", rate, f"{r.rss_mb:.0f}"]
                )
    return rows


def length(args: argparse.Namespace, env: dict[str, str]) -> Table:
    py = sys.executable
    rows = [
        [
            "words",
            "evaluator s",
            "evaluator CPU s",
            "µs/word",
            "evaluator peak RSS MB",
            "TF-IDF baseline s",
            "baseline peak RSS MB",
        ]
    ]
    ours_name = "matcher" if args.length_reads == "all" else "evaluator"
    if ours_name == "matcher":
        rows[0][1:5] = ["matcher s (every word)", "matcher CPU s", "µs/word", "matcher peak RSS MB"]
    for words in args.lengths:
        got = {}
        for who in (ours_name, "baseline"):
            with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
                cmd = [py, "-m", "benchmarks.speed", "--inner-length", str(words), who, out.name]
                r = run_process(cmd, env, timeout=args.batch_timeout)
                got[who] = (json.loads(Path(out.name).read_text() or "{}"), r)
        (ours, r1), (theirs, r2) = got[ours_name], got["baseline"]
        secs = ours.get("seconds", float("nan"))
        rows.append(
            [
                f"{ours.get('words', words):,}",
                f"{secs:.3f}",
                f"{ours.get('cpu', float('nan')):.3f}",
                f"{1e6 * secs / max(1, ours.get('words', words)):.1f}",
                f"{r1.rss_mb:.0f}",
                f"{theirs.get('seconds', float('nan')):.3f}",
                f"{r2.rss_mb:.0f}",
            ]
        )
    return rows


def memory(args: argparse.Namespace, env: dict[str, str]) -> Table:
    # In a child, so the figures are a worker's alone.
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        cmd = [sys.executable, "-m", "benchmarks.speed", "--inner-memory", out.name]
        cmd += ["--memory-answers", str(args.memory_answers)]
        subprocess.run(cmd, cwd=ROOT, env=env, check=True)
        rows: Table = json.loads(Path(out.name).read_text())
    return rows


# --------------------------------------------------------------------------- children


def _rss_mb() -> tuple[float, float]:
    """(resident, of which anonymous) MB of this process now (Linux; else the peak twice)."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
        status = dict(line.split(":", 1) for line in lines)
        return int(status["VmRSS"].split()[0]) / 1024, int(status["RssAnon"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return peak, peak


def inner_memory(args: argparse.Namespace, out: str) -> None:
    """Grade answers one by one as a batch worker does; memory at checkpoints.

    The answers are made first, so what grows after the first checkpoint is the grader's:
    Python's allocated blocks count objects kept (caches), resident memory adds what the
    allocators hold.
    """
    import gc

    from evaluator.batch import BatchOptions, Task, grade_task

    n = args.memory_answers
    answers = make_answers(n, seed=3)
    opts = BatchOptions(rubric=RUBRIC)
    checks = sorted({min(n, 1_000), *(n * k // 6 for k in range(1, 7))} - {0})
    rows = [["answers graded", "RSS MB", "of which anonymous MB", "Python blocks"]]
    for i, a in enumerate(answers, 1):
        grade_task(opts, Task(f"k{i}", f"a{i}", "", a, RUBRIC, None, None, None, None))
        if i in checks:
            gc.collect()
            rss, anon = _rss_mb()
            rows.append([f"{i:,}", f"{rss:.1f}", f"{anon:.1f}", f"{sys.getallocatedblocks():,}"])
    Path(out).write_text(json.dumps(rows))



def inner_length(words: int, who: str, out: str) -> None:
    """Grade one answer of ``words`` words after a warm-up; write its time to ``out``."""
    text = long_answer(words)
    n = len(text.split())
    if who == "matcher":
        # An essay rubric reads only score.READ_LIMIT x its word limit: the matcher itself
        # (preparing, every point and fact, misconceptions) on every word of the text.
        import evaluator
        from evaluator.match import compile_rubric, match, misconceptions, prepare_again

        compiled = compile_rubric(evaluator.load_rubric(RUBRIC))
        short = prepare_again(make_answers(1)[0])
        match(compiled, short)
        misconceptions(compiled, short)
        start, cpu = time.perf_counter(), time.process_time()
        answer = prepare_again(text)
        match(compiled, answer)
        misconceptions(compiled, answer)
    elif who == "evaluator":
        import evaluator

        rubric = evaluator.load_rubric(RUBRIC)
        evaluator.evaluate(make_answers(1)[0], rubric)
        start, cpu = time.perf_counter(), time.process_time()
        evaluator.evaluate(text, rubric)
    else:
        from benchmarks.baselines import TfidfCosine
        from benchmarks.datasets import Item

        ref = reference_answer()
        warmup = Item("speed", "q", "", ref, make_answers(1)[0], 0.0, 1.0, None, ())
        TfidfCosine().fit([warmup]).score(warmup)
        start, cpu = time.perf_counter(), time.process_time()
        item = Item("speed", "q", "", ref, text, 0.0, 1.0, None, ())
        TfidfCosine().fit([item]).score(item)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    Path(out).write_text(json.dumps({"seconds": seconds, "cpu": cpu, "words": n}))


def inner_baseline_batch(src: str, _rubric: str) -> None:
    """The TF-IDF baseline over a batch CSV: read, fit, score, write a grades CSV."""
    from benchmarks.baselines import TfidfCosine
    from benchmarks.datasets import Item

    ref = reference_answer()
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    items = [
        Item("speed", "q", "", ref, r["answer"], 0.0, 1.0, None, (), answer_id=r["id"])
        for r in rows
    ]
    scores = TfidfCosine().fit(items).score_many(items)
    with open(Path(src).with_suffix(".baseline.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "score"])
        for item, s in zip(items, scores, strict=True):
            w.writerow([item.answer_id, f"{10 * s:.2f}"])


# --------------------------------------------------------------------------- output


def markdown(rows: Table) -> str:
    head, *body = rows
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.speed", description=__doc__.split("\n")[0]
    )
    p.add_argument(
        "--sections",
        nargs="+",
        choices=SECTIONS + EXTRA_SECTIONS,
        default=list(SECTIONS),
        metavar="NAME",
        help=f"subset of: {', '.join(SECTIONS + EXTRA_SECTIONS)} (memory only when named)",
    )
    p.add_argument("--quick", action="store_true", help="small sizes and few runs (about a minute)")
    p.add_argument(
        "--runs",
        type=int,
        default=None,
        help="runs per cold command, median kept (default 9, quick 5)",
    )
    p.add_argument(
        "--seconds",
        type=float,
        default=None,
        help="seconds per warm measurement (default 5, quick 1)",
    )
    p.add_argument(
        "--warm-answers",
        type=int,
        default=1000,
        help="distinct answers in the warm loop (default 1000)",
    )
    p.add_argument(
        "--batch-sizes",
        type=int,
        nargs="+",
        default=None,
        help="rows per batch (default 1000 10000 100000, quick 1000)",
    )
    p.add_argument(
        "--batch-args",
        type=shlex.split,
        default=[],
        help='extra options for `evaluate batch`, e.g. --batch-args="--jobs 2"',
    )
    p.add_argument(
        "--batch-timeout",
        type=float,
        default=1800.0,
        help="seconds before a batch child is stopped",
    )
    p.add_argument(
        "--memory-answers",
        type=int,
        default=30_000,
        help="memory section: answers one worker grades (default 30000, quick 3000)",
    )
    p.add_argument(
        "--lengths",
        type=int,
        nargs="+",
        default=None,
        help="answer lengths in words (default 150 1000 10000 50000 200000)",
    )
    p.add_argument(
        "--length-reads",
        choices=("limit", "all"),
        default="limit",
        help="length section: grade as the CLI does (an essay rubric stops reading at its "
        "READ_LIMIT; default), or time the matcher on every word (all)",
    )
    p.add_argument(
        "--no-bytecode", action="store_true", help="children run without a bytecode cache"
    )
    p.add_argument("--out", type=Path, help="also write the tables to this .md")
    p.add_argument("--inner-length", nargs=3, help=argparse.SUPPRESS)
    p.add_argument("--inner-warm", help=argparse.SUPPRESS)
    p.add_argument("--inner-memory", help=argparse.SUPPRESS)
    p.add_argument("--inner-baseline-batch", nargs=2, help=argparse.SUPPRESS)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.inner_length:
        inner_length(int(args.inner_length[0]), args.inner_length[1], args.inner_length[2])
        return 0
    if args.inner_baseline_batch:
        inner_baseline_batch(*args.inner_baseline_batch)
        return 0
    if args.inner_warm:
        inner_warm(args, args.inner_warm)
        return 0
    if args.inner_memory:
        inner_memory(args, args.inner_memory)
        return 0
    args.runs = args.runs or (5 if args.quick else 9)
    args.seconds = args.seconds or (1.0 if args.quick else 5.0)
    args.batch_sizes = args.batch_sizes or list(QUICK_BATCH if args.quick else FULL_BATCH)
    args.lengths = args.lengths or list(QUICK_LENGTHS if args.quick else FULL_LENGTHS)
    if args.quick:
        args.warm_answers = min(args.warm_answers, 300)
        args.memory_answers = min(args.memory_answers, 3_000)
    sections = {"cold": cold, "warm": warm, "batch": batch, "length": length, "memory": memory}
    titles = {
        "cold": f"Cold start: one process per command, median of {args.runs}",
        "warm": "Warm throughput in one process",
        "batch": "Batch: whole process, CSV in, grades out",
        "length": "Answer length: one answer, after a warm-up, in a fresh process",
        "memory": "Memory of one grading worker, answer by answer",
    }
    out = []
    with tempfile.TemporaryDirectory() as cache:
        env = child_env(not args.no_bytecode, cache)
        # Fill the bytecode cache (and the page cache) before anything is timed.
        warm_up = "import evaluator.cli, evaluator.batch, benchmarks.baselines, benchmarks.speed"
        subprocess.run([sys.executable, "-c", warm_up], cwd=ROOT, env=env, check=True)
        for name in args.sections:
            started = time.perf_counter()
            table = markdown(sections[name](args, env))
            block = f"### {titles[name]}\n\n{table}\n\n({time.perf_counter() - started:.0f} s)\n"
            print(block, flush=True)
            out.append(block)
    command = " ".join(["python -m benchmarks.speed", *(argv or sys.argv[1:])])
    note = (
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at the end; `{command}`"
    )
    print(note)
    if args.out:
        args.out.write_text("\n".join(out) + "\n" + note + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
