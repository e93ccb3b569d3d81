"""Sweep the near-word settings of content rubrics on the development data (point estimates).

Each ``CREDIT:COSINE`` pair replaces ``near`` and ``near_cosine`` in
``evaluator.library.CONTENT_SETTINGS`` and grades every data set as
``python -m benchmarks.agreement`` does (its loaders and evaluator system); the headline
measure is printed per data set: Pearson r (Mohler, SAF) or ROC AUC (SemEval)::

    python -m benchmarks.near_sweep --data ../shared/data 0:0.5 0.5:0.5 0.8:0.5

The table in docs/decisions.md ("Near words by meaning") came from this.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from benchmarks import agreement, datasets
from benchmarks.metrics import pearson, roc_auc

DATASETS = ("mohler", "saf", "semeval-sciEntsBank", "semeval-beetle")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("settings", nargs="+", metavar="CREDIT:COSINE")
    args = parser.parse_args(argv)
    import evaluator.library as lib

    base = lib.CONTENT_SETTINGS
    agreement.EVALUATOR_JOBS = max(1, args.jobs)
    loaded = {n: datasets.load(args.data, n, notes=[]) for n in DATASETS
              if datasets.data_present(args.data, n)}
    print("| near credit | cosine ≥ | " + " | ".join(loaded) + " |")
    print("|---:|---:|" + "---:|" * len(loaded))
    for pair in args.settings:
        credit, cosine = (float(x) for x in pair.split(":"))
        # The worker processes fork from here and see the patched settings.
        lib.CONTENT_SETTINGS = replace(base, near=credit, near_cosine=cosine)
        started = time.perf_counter()
        cells = []
        for name, items in loaded.items():
            pred = np.asarray(agreement.evaluator_system(items), dtype=np.float64)
            if name.startswith("semeval"):
                labels = np.asarray([it.label for it in items], dtype=np.float64)
                cells.append(f"{roc_auc(labels, pred):.4f}")
            else:
                gold = np.asarray([it.fraction for it in items], dtype=np.float64)
                cells.append(f"{pearson(gold, pred):.4f}")
        print(f"| {credit:g} | {cosine:g} | " + " | ".join(cells)
              + f" |  ({time.perf_counter() - started:.0f} s)", flush=True)
    lib.CONTENT_SETTINGS = base
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
