"""Dump graded results as JSON lines, to prove a speed change left the output byte-identical.

Run it on two checkouts and compare the files::

    python -m benchmarks.identity --out /tmp/after.jsonl
    (cd /path/to/other/checkout && python -m benchmarks.identity --out /tmp/before.jsonl)
    cmp /tmp/before.jsonl /tmp/after.jsonl

Every answer is graded against every bundled rubric, with the rubric auto-picked, against a
``reference=`` model answer, and with a question; the answers are generated ones (example
sentences in seeded orders, some with lines and bullets) plus the hand-written answers and
statements of ``benchmarks/data``. Any difference is a change of output, to be stated.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
QUESTION = (
    "India and the Republic of Korea recently signed an MoU on MSME cooperation. Discuss its "
    "significance. (250 words)"
)


def generated(n: int, *, seed: int = 7) -> list[str]:
    """``n`` answers of varied shape: prose paragraphs, bullets, short lines, long runs."""
    from benchmarks.speed import make_answers

    base = make_answers(n, lo=20, hi=300, seed=seed)
    rng = random.Random(seed)
    out = []
    for i, a in enumerate(base):
        shape = i % 5
        if shape == 1:  # bullets, one sentence a line
            a = "\n".join("- " + s for s in a.replace("\n\n", " ").split(". ") if s)
        elif shape == 2:  # lower case, no full stops: a keyword run
            a = a.lower().replace(".", ",")
        elif shape == 3:  # a repeated sentence and a number changed
            words = a.split()
            k = rng.randrange(len(words))
            a = a + " " + " ".join(words[: max(5, k)]) + " in 2015 worth $40 billion."
        out.append(a)
    return out


def data_answers() -> list[str]:
    out = []
    for name, key in (("answers.jsonl", "answer"), ("statements.jsonl", "text")):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if isinstance(row.get(key), str):  # some rows say how to generate theirs
                out.append(row[key])
    return out


def cases(n: int) -> Iterator[tuple[str, dict[str, object]]]:
    """(case id, keyword arguments of ``evaluator.evaluate``) for every answer and mode."""
    from evaluator.library import bundled_library

    rubrics = list(bundled_library().rubrics)
    answers = generated(n) + data_answers()
    reference = answers[0]
    for i, a in enumerate(answers):
        r = rubrics[i % len(rubrics)]
        yield f"{i}:rubric:{r.id}", {"answer": a, "rubric": r}
        yield f"{i}:auto", {"answer": a}
        if i % 3 == 0:
            yield f"{i}:question:{r.id}", {"answer": a, "rubric": r, "question": QUESTION}
        if i % 4 == 0:
            yield f"{i}:reference", {"answer": a, "reference": reference}


def dump(n: int) -> Iterator[str]:
    import evaluator

    for case, kw in cases(n):
        answer = kw.pop("answer")
        assert isinstance(answer, str)
        try:
            got: object = evaluator.evaluate(answer, **kw).to_dict()  # type: ignore[arg-type]
        except evaluator.EvaluatorError as e:
            got = {"error": str(e)}
        yield json.dumps({"case": case, "result": got}, sort_keys=True, ensure_ascii=False)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--answers", type=int, default=2000, help="generated answers (default 2000)")
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    with args.out.open("w", encoding="utf-8") as f:
        for line in dump(args.answers):
            f.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
