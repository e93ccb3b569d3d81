"""Is the report true point by point? Key points, wrong facts, misconceptions and gaming.

Run from the project root::

    python -m benchmarks.keypoints [--data benchmarks/data] [--answers FILE]
                                   [--rubrics DIR] [--show]

It reads the labelled development set in ``benchmarks/data`` (written from the seeds alone,
without looking at the rubrics or the matcher; see its README):

* ``keyfacts.toml``: per seed, the key points a teacher would list (facts with anchor and
  value, claims with keywords) and the misconceptions of its "What it is NOT" passage;
* ``answers.jsonl``: answers with a label per key point (stated / incomplete / wrong /
  absent), the misconceptions they assert, and gaming answers with the flags they deserve;
* ``statements.jsonl``: single statements, each expected to raise ``factual_error``,
  ``misconception`` or nothing.

``--answers FILE`` grades another labelled answers file against the same ``keyfacts.toml``
(e.g. the held-out set, ``benchmarks/data/heldout/answers.jsonl``); the statements are then
the ``statements.jsonl`` next to that file, if there is one.

Each answer is graded with its seed's bundled rubric. Our points are paired with the
teacher's by content (a fact's anchor and value, a claim's words), never by id; a
teacher's point with no rubric point counts against recall, and a rubric point in the
missing list with no teacher's point counts as noise ("not a key fact").

Printed: covered / missing / incomplete / wrong precision and recall, the noise share
of the missing list, misconception precision and recall, the gaming answers' scores and
flags, and per-check precision and recall on the statements. A baseline measured in the
same run: every rubric point reported by the previous release's rule (whole-sentence
points matched by shared words) is not available offline, so the baseline printed is the
trivial one (every point missing), which shows what the numbers mean at the floor.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
STATUSES = ("stated", "incomplete", "wrong", "absent")


@dataclass(frozen=True)
class Gold:
    id: str
    kind: str
    label: str
    anchor: tuple[str, ...] = ()
    value: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    text: str = ""


@dataclass
class Tally:
    """Counts for one status: predicted, gold and both."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: bool, gold: bool) -> None:
        self.tp += predicted and gold
        self.fp += predicted and not gold
        self.fn += gold and not predicted

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")


@dataclass
class Report:
    status: dict[str, Tally] = field(default_factory=lambda: {s: Tally() for s in STATUSES})
    noise: int = 0
    missing_listed: int = 0
    miscon: Tally = field(default_factory=Tally)
    checks: dict[str, Tally] = field(default_factory=dict)
    gaming: list[tuple[str, float, float, tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=list
    )
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    # Answers that say the key points in other words (style "paraphrase"): the teacher's
    # stated points, and how many of them we report covered.
    paraphrase: Tally = field(default_factory=Tally)


def _stems(text: str) -> set[str]:
    from evaluator import text as tx

    return {s for s in tx.content_stems(text) if len(s) > 1}


def _years(text: str) -> set[str]:
    return set(re.findall(r"(?:19|20)\d\d", text))


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"\d+(?:[.,]\d+)?", text)}


def load_gold(path: Path) -> dict[str, dict[str, Any]]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    out: dict[str, dict[str, Any]] = {}
    for t in raw.get("topics", []):
        points = [
            Gold(
                p["id"],
                p.get("kind", "fact"),
                p.get("label", ""),
                tuple(p.get("anchor", ()) if isinstance(p.get("anchor"), list)
                      else [p.get("anchor", "")] if p.get("anchor") else ()),
                tuple(p.get("value", ()) if isinstance(p.get("value"), list)
                      else [p.get("value", "")] if p.get("value") else ()),
                tuple(p.get("keywords", ())),
                p.get("text", ""),
            )
            for p in t.get("points", [])
        ]
        out[t["seed"]] = {"points": points, "misconceptions": t.get("misconceptions", [])}
    return out


def pair(rubric: Any, gold: Sequence[Gold]) -> dict[str, str]:
    """Our point id -> the teacher's point id it states, by content (best match, 1-1).

    Facts pair when their values agree (years, numbers, or most of the words of a named
    value) and their anchors or labels share words; anything else pairs by distinctive
    words: at least three shared, and a third of the shorter side. Words most of the
    topic's points share ("India", "Korea") are ignored.
    """
    table = rubric.alias_table()
    texts = {g.id: " ".join([g.label, g.text, *g.keywords, *g.anchor, *g.value]) for g in gold}
    df = Counter(st for t in texts.values() for st in _stems(t))
    common = {st for st, n in df.items() if n > 0.3 * len(gold)}

    def words(text: str) -> set[str]:
        return _stems(text) - common

    scored: list[tuple[float, str, str]] = []
    for p in rubric.points:
        ours = words(" ".join([p.label, p.text, p.anchor, *p.value,
                               *(a for g in p.must for a in g)]))
        ours_label = words(" ".join([p.label, p.anchor, p.role, p.qualifier]))
        anchor_forms = {a.lower() for a in table.get(p.anchor.lower(), (p.anchor,)) if a}
        for g in gold:
            theirs = words(texts[g.id])
            if p.kind == "fact" and g.value:
                pv, gv = " ".join(p.value), " ".join(g.value)
                # "KVIC: an agency of the Ministry of MSME" may be written either way round
                # (ministry -> agency, agency -> ministry): the value may be the teacher's anchor.
                gv = " ".join([gv, *g.anchor]) if p.value_kind == "actor" else gv
                if p.value_kind in ("year", "date"):
                    v_ok = bool(_years(pv) & _years(gv))
                elif p.value_kind == "figure":
                    v_ok = bool(_numbers(pv) & _numbers(gv))
                else:
                    v_ok = bool(_stems(pv)) and len(_stems(pv) & _stems(gv)) >= max(
                        1, len(_stems(pv)) // 2)
                g_anchor = {a.lower() for a in g.anchor}
                if p.value_kind == "actor":
                    g_anchor |= {v.lower() for v in g.value}
                exact = bool(anchor_forms & g_anchor)
                a_ok = exact or bool(
                    words(" ".join(anchor_forms)) & words(" ".join(g_anchor))
                ) or len(ours_label & words(g.label)) >= 1
                if v_ok and a_ok:
                    scored.append((3.0 + exact + len(ours & theirs) / 100, p.id, g.id))
                    continue
            shared = ours & theirs
            if len(shared) >= 3 and len(shared) / max(1, min(len(ours), len(theirs))) >= 0.34:
                scored.append((len(shared) / min(len(ours), len(theirs)), p.id, g.id))
    out: dict[str, str] = {}
    taken: set[str] = set()
    for _, pid, gid in sorted(scored, key=lambda x: (-x[0], x[1], x[2])):
        if pid in out or gid in taken:
            continue
        out[pid] = gid
        taken.add(gid)
    return out


def _ours(status: str) -> str:
    return {"covered": "stated", "incomplete": "incomplete", "wrong": "wrong"}.get(
        status, "absent" if status == "missing" else "partial"
    )


def run(
    data: Path,
    *,
    answers: Path | None = None,
    rubric_dir: str | None = None,
    show: bool = False,
) -> Report:
    from evaluator import evaluate

    answers = answers if answers is not None else data / "answers.jsonl"
    from evaluator.library import bundled_library

    lib = bundled_library(rubric_dir)
    gold = load_gold(data / "keyfacts.toml")
    by_seed = {r.seeds[0].file: r for r in lib.rubrics if r.kind == "seed" and r.seeds}
    pairs = {seed: pair(by_seed[seed], g["points"]) for seed, g in gold.items() if seed in by_seed}
    rep = Report()
    for row in _jsonl(answers):
        seed = row["seed"]
        rubric = by_seed.get(seed)
        if rubric is None:
            rep.errors.append(f"{row['id']}: no rubric for {seed}")
            continue
        text = row.get("answer")
        if text is None and "generate" in row:
            text = _generate(row["generate"], answers)
        result = evaluate(text, rubric, question=row.get("question"))
        if row.get("style") == "gaming":
            rep.gaming.append(
                (
                    row["id"],
                    result.score,
                    float(row.get("expect_max_score", 1.0)),
                    tuple(result.flags),
                    tuple(row.get("expect_flags", ())),
                )
            )
            continue
        status = {
            p.id: p.status
            for p in (*result.covered, *result.partial, *result.incomplete, *result.wrong,
                      *result.missing)
        }
        paired = pairs[seed]
        by_gold = {g: pid for pid, g in paired.items()}
        labels: Mapping[str, str] = row.get("labels", {})
        for gid, label in labels.items():
            pid = by_gold.get(gid)
            ours = _ours(status[pid]) if pid else "unlisted"
            rep.confusion[(label, ours)] += 1
            if row.get("style") == "paraphrase" and label == "stated":
                rep.paraphrase.add(ours == "stated", True)
            for s in STATUSES:
                rep.status[s].add(ours == s, label == s)
            if show and ours != label:
                print(f"  {row['id']}: {gid} gold={label} ours={ours}")
        for p in result.missing:
            rep.missing_listed += 1
            if p.id not in paired:
                rep.noise += 1
        gold_mis = set(row.get("misconceptions", ()))
        ours_mis = {_mis_key(m.label, gold[seed]["misconceptions"]) for m in result.asserted}
        for mid in {m["id"] for m in gold[seed]["misconceptions"]}:
            rep.miscon.add(mid in ours_mis, mid in gold_mis)
    statements = answers.parent / "statements.jsonl"
    for row in _jsonl(statements) if statements.exists() else ():
        rubric = by_seed.get(row["seed"])
        if rubric is None:
            continue
        result = evaluate(row["text"], rubric)
        expect = row.get("expect", "none")
        for check in ("factual_error", "misconception"):
            t = rep.checks.setdefault(check, Tally())
            t.add(check in result.flags, expect == check)
            if show and (check in result.flags) != (expect == check):
                print(f"  statement {row['id']} {check}: expect={expect} ours={result.flags}"
                      f" :: {row['text']}")
    return rep


def _mis_key(label: str, gold: Sequence[Mapping[str, Any]]) -> str:
    """The teacher's misconception our label names (by shared words)."""
    best = ("", 0)
    mine = _stems(label)
    for g in gold:
        n = len(mine & _stems(" ".join([g.get("false_claim", ""), g.get("correction", "")])))
        if n > best[1]:
            best = (g["id"], n)
    return best[0]


def _generate(spec: Mapping[str, Any], answers: Path) -> str:
    rows = {r["id"]: r for r in _jsonl(answers)}
    base = rows[spec["repeat_of"]]["answer"]
    words = base.split()
    out: list[str] = []
    while len(out) < int(spec["words"]):
        out.extend(words)
    return " ".join(out[: int(spec["words"])])


def _jsonl(path: Path) -> Iterable[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _f(x: float) -> str:
    return "  —  " if x != x else f"{x:.2f}"


def render(rep: Report, seconds: float) -> str:
    out = ["| status | precision | recall | ours | gold |", "|---|---:|---:|---:|---:|"]
    names = {"stated": "covered", "absent": "missing"}
    for s in STATUSES:
        t = rep.status[s]
        out.append(
            f"| {names.get(s, s)} | {_f(t.precision)} | {_f(t.recall)} | {t.tp + t.fp} | "
            f"{t.tp + t.fn} |"
        )
    base = rep.status["absent"]
    floor = (base.tp + base.fn) / max(1, sum(rep.confusion.values()))
    out.append("")
    out.append(
        f"Missing list entries that are not a key fact: {rep.noise} of {rep.missing_listed} "
        f"({rep.noise / max(1, rep.missing_listed):.1%})."
    )
    out.append(
        f"Baseline (every point reported missing): missing precision {floor:.2f}, recall 1.00; "
        "covered and wrong recall 0."
    )
    para = rep.paraphrase
    out.append(
        f"Paraphrased answers: {para.tp} of {para.tp + para.fn} key points they state "
        "reported covered."
    )
    out.append(
        f"Misconceptions asserted in answers: precision {_f(rep.miscon.precision)}, "
        f"recall {_f(rep.miscon.recall)} ({rep.miscon.tp + rep.miscon.fn} in the answers)."
    )
    out.append("")
    out.append("| statement check | precision | recall | flagged | expected |")
    out.append("|---|---:|---:|---:|---:|")
    for check, t in sorted(rep.checks.items()):
        out.append(
            f"| {check} | {_f(t.precision)} | {_f(t.recall)} | {t.tp + t.fp} | {t.tp + t.fn} |"
        )
    if rep.gaming:
        out.append("")
        out.append("| gaming answer | score | must be below | flags | expected flags |")
        out.append("|---|---:|---:|---|---|")
        for gid, score, cap, flags, want in rep.gaming:
            out.append(
                f"| {gid} | {score:.2f} | {cap:g} | {', '.join(flags)} | {', '.join(want)} |"
            )
    out.append("")
    out.append("Confusion (gold -> ours): " + ", ".join(
        f"{g}->{o} {n}" for (g, o), n in sorted(rep.confusion.items())
    ))
    for e in rep.errors:
        out.append(f"note: {e}")
    out.append(f"({seconds:.1f} s)")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument(
        "--answers",
        type=Path,
        default=None,
        help="labelled answers file (default: answers.jsonl in --data), e.g. the held-out set",
    )
    ap.add_argument("--rubrics", default=None, help="rubric folder (default: the bundled one)")
    ap.add_argument("--show", action="store_true", help="print every disagreement")
    args = ap.parse_args(argv)
    if not (args.data / "keyfacts.toml").exists():
        print(f"no development set in {args.data}", file=sys.stderr)
        return 2
    answers = args.answers if args.answers is not None else args.data / "answers.jsonl"
    if not answers.is_file():
        print(f"no answers file {answers}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    rep = run(args.data, answers=answers, rubric_dir=args.rubrics, show=args.show)
    print(render(rep, time.perf_counter() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
