"""Time and peak memory of grading hostile-sized inputs (issue 10); not part of the test run.

Each case runs in a fresh interpreter so its peak RSS is its own::

    python -m benchmarks.hostile_inputs            # every case
    python -m benchmarks.hostile_inputs --case line-200k

Cases: 200,000 words of prose; the same as one line without punctuation (sentence splitting
must not go pathological); one "word" of 1,000,000 letters; 20,000 one-word bullet lines; a
rubric of 1,000 points (the cap). The words are the bundled example answer's, repeated, so
the answer is on topic and every matching stage runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = "india-south-korea-sign-mou-msme"
CASES = ("prose-200k", "line-200k", "no-spaces-1M", "bullets-20k", "rubric-1000-points")


def _words(n: int) -> list[str]:
    body = (ROOT / "examples" / "answer.txt").read_text(encoding="utf-8").split("\n", 1)[1]
    words = body.split()
    return (words * (n // len(words) + 1))[:n]


def _answer(case: str) -> str:
    if case == "prose-200k":
        return " ".join(_words(200_000))
    if case == "line-200k":
        return " ".join(w.strip(".,;:!?()\"'") for w in _words(200_000))
    if case == "no-spaces-1M":
        return "a" * 1_000_000
    if case == "bullets-20k":
        return "\n".join(f"- {w}" for w in _words(20_000))
    return " ".join(_words(2_000))


def _one(case: str) -> dict[str, object]:
    from evaluator import evaluate
    from evaluator.rubric import from_key_points

    text = _answer(case)
    rubric: object = RUBRIC
    if case == "rubric-1000-points":
        words = sorted(set(_words(5_000)))
        rows = [(f"p{i}", f"{words[i % len(words)]} {words[(7 * i) % len(words)]}", 1.0)
                for i in range(1000)]
        rubric = from_key_points(rows)
    start = time.perf_counter()
    result = evaluate(text, rubric)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    return {
        "case": case,
        "chars": len(text),
        "words": result.structure.word_count,
        "seconds": round(seconds, 2),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "score": result.score,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", choices=CASES)
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.inner:
        print(json.dumps(_one(args.case)))
        return 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(f"{'case':<20} {'chars':>10} {'words':>8} {'seconds':>8} {'peak MB':>8}")
    for case in [args.case] if args.case else CASES:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.hostile_inputs", "--inner", "--case", case],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True,
        ).stdout
        r = json.loads(out)
        print(f"{case:<20} {r['chars']:>10} {r['words']:>8} {r['seconds']:>8} "
              f"{r['peak_rss_mb']:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
