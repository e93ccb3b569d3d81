"""Batch grading: a CSV/JSONL of answers -> ``OUT/results.jsonl`` and ``OUT/grades.csv``.

Each result is appended to ``results.jsonl`` and flushed as soon as it is graded;
a run that stops part-way is resumed by running it again (ids already there are kept).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from evaluator import io
from evaluator.errors import InputError
from evaluator.library import evaluate_many

GRADE_COLUMNS = [
    "id",
    "score",
    "max_score",
    "rubric",
    "covered",
    "partial",
    "missing",
    "word_count",
    "flags",
    "error",
]


@dataclass
class BatchSummary:
    out_dir: str
    graded: int = 0
    kept: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def describe(self) -> str:
        lines = [
            f"graded {self.graded}, kept {self.kept} from an earlier run, failed {self.failed}"
            f" -> {os.path.join(self.out_dir, 'grades.csv')}"
        ]
        lines += [f"  {e}" for e in self.errors[:20]]
        if len(self.errors) > 20:
            lines.append(f"  … and {len(self.errors) - 20} more (see grades.csv)")
        return "\n".join(lines)


def grade_row(record: dict[str, Any]) -> dict[str, Any]:
    """The grades.csv row of one results.jsonl record."""
    if record.get("error"):
        return {"id": record["id"], "error": record["error"]}
    r = record
    return {
        "id": record["id"],
        "score": f"{r['score']:.2f}",
        "max_score": f"{r['max_score']:.2f}",
        "rubric": r["rubric"],
        "covered": len(r["covered"]),
        "partial": len(r["partial"]),
        "missing": len(r["missing"]),
        "word_count": r["structure"]["word_count"],
        "flags": " ".join(r["flags"]),
        "error": "",
    }


def run_batch(
    source: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    rubric: str | None = None,
    reference_file: str | None = None,
    marks: float | None = None,
    calibration: Any = None,
    restart: bool = False,
) -> BatchSummary:
    """Grade every row of ``source``; see the module docstring for the outputs."""
    reference = io.read_text(reference_file) if reference_file else None
    rows = list(io.read_rows(source))
    ids = [str(r["id"]).strip() for r in rows]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError(f"{source}: ids must be unique; repeated: {', '.join(dupes[:5])}")
    done = {} if restart else io.already_graded(out_dir)
    summary = BatchSummary(str(out_dir))
    todo = [r for r in rows if str(r["id"]).strip() not in done]
    summary.kept = len(rows) - len(todo)
    writer = io.ResultsWriter(out_dir, resume=not restart)
    try:
        for item in evaluate_many(
            todo, rubric=rubric, reference=reference, marks=marks, calibration=calibration
        ):
            if item.result is not None:
                record: dict[str, Any] = {"id": item.id, **item.result.to_dict()}
                summary.graded += 1
            else:
                record = {"id": item.id, "error": item.error}
                summary.failed += 1
                summary.errors.append(f"{item.id}: {item.error}")
            writer.write(record)
            done[item.id] = record
    finally:
        writer.close()
        # grades.csv is rewritten in input order from everything graded so far.
        io.write_grades_csv(out_dir, [grade_row(done[i]) for i in ids if i in done], GRADE_COLUMNS)
    return summary
