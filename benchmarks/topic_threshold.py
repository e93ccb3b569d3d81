"""Fit the off-topic threshold: closeness of on-topic vs off-topic texts to the bundled rubrics.

On-topic: every paragraph of the bundled seeds with at least 40 words (they are what the
rubrics are about) and the example answers. Off-topic: real student answers from other
subjects (Mohler data structures, SAF networking). Prints both distributions and the
threshold that keeps every on-topic text while rejecting as many off-topic ones as possible.

    python -m benchmarks.topic_threshold --data ../shared/data
"""

from __future__ import annotations

import argparse
import csv
import glob
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from evaluator import io, text
from evaluator.library import bundled_library
from evaluator.seeds import parse_seed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    args = ap.parse_args()
    lib = bundled_library()
    on = []
    for s in io.read_seeds():
        doc = parse_seed(s.text, name=s.name)
        on += [
            p
            for b in doc.blocks
            if b.role == "content"
            for p in b.paragraphs
            if text.word_count(p) >= 40
        ]
    on += [
        io.read_text(p)
        for p in sorted(Path("examples/answers").glob("*.txt"))
        if "unrelated" not in p.name
    ]
    off = []
    with open(
        Path(args.data) / "mohler/mohler_dataset_edited.csv", encoding="utf-8", errors="replace"
    ) as fh:
        off += [r["student_answer"] for r in csv.DictReader(fh) if len(r["student_answer"]) > 80]
    for f in sorted(glob.glob(str(Path(args.data) / "saf/training/*.xml"))):
        off += [e.text or "" for e in ET.parse(f).iter("response")]
    off += [io.read_text("examples/answers/unrelated.txt")]
    c_on = np.array([lib.choose(t)[1].closeness for t in on])
    c_off = np.array([lib.choose(t)[1].closeness for t in off])
    print(
        f"on-topic  n={len(c_on)} min={c_on.min():.3f} p5={np.percentile(c_on, 5):.3f} "
        f"median={np.median(c_on):.3f}"
    )
    print(
        f"off-topic n={len(c_off)} max={c_off.max():.3f} p99={np.percentile(c_off, 99):.3f} "
        f"median={np.median(c_off):.3f}"
    )
    for t in (0.15, 0.2, 0.25, 0.3):
        print(
            f"threshold {t:.2f}: on-topic rejected {np.mean(c_on < t):.1%}, "
            f"off-topic accepted {np.mean(c_off >= t):.2%}"
        )


if __name__ == "__main__":
    main()
