"""Renderers: pure functions ``Result -> str``. Same result, same bytes.

>>> from evaluator.rubric import from_key_points
>>> from evaluator.match import compile_rubric
>>> from evaluator.score import grade
>>> r = grade(compile_rubric(from_key_points([("a", "binary encoding", 1.0)])), "Binary encoding.")
>>> render(r, "json").splitlines()[1]  # doctest: +ELLIPSIS
'  "rubric": "key-points-...",'
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from evaluator.score import PointResult, Result

FORMATS = ("text", "json", "markdown", "html")
MISSING_SHOWN = 10


def render(result: Result, fmt: str = "text") -> str:
    """Render ``result`` as ``text``, ``json``, ``markdown`` or ``html``."""
    try:
        fn: Callable[[Result], str] = _RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}") from None
    return fn(result)


def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _n(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x)}"


def _bar(score: float, max_score: float, width: int = 10) -> str:
    filled = 0 if max_score <= 0 else round(width * score / max_score)
    return "#" * filled + "." * (width - filled)


def _quote(s: str, limit: int = 160) -> str:
    s = " ".join(s.split())
    return f'"{s if len(s) <= limit else s[: limit - 1] + "…"}"'


def _best_fit(r: Result) -> str:
    """Which of several model answers the answer was graded against ('' for one)."""
    if r.reference_index is None:
        return ""
    return f"; best fit of {r.reference_count} model answers: no. {r.reference_index}"


def to_text(r: Result) -> str:
    out: list[str] = []
    out.append(f"{r.rubric_title}")
    how = "chosen" if r.topic.candidates else "given"
    out.append(f"Rubric: {r.rubric} ({how}; closeness {r.topic.closeness:.2f}{_best_fit(r)})")
    if r.question:
        d = f"; directive: {r.question.directive}" if r.question.directive else ""
        out.append(f"Question: {r.question.text}{d}")
    out.append("")
    out.append(f"Score: {_n(r.score)} / {_n(r.max_score)}")
    if r.raw_score is not None:
        out.append(f"  (calibrated from {_n(r.raw_score)})")
    if r.topic.off_topic:
        out.append("  Off topic: the answer is close to none of the rubrics, so it scores 0.")
    width = max(len(d.name) for d in r.dimensions) if r.dimensions else 10
    for dim in r.dimensions:
        out.append(
            f"  {dim.name:<{width}}  {dim.score:5.2f} / {dim.max_score:5.2f}  "
            f"{_bar(dim.score, dim.max_score)}"
        )
    if r.incorrect:
        out.append("")
        out.append("Got wrong")
        for p in r.incorrect:
            out.append(f"  ! {p.text}")
            out.append(
                f"      you wrote {p.conflict}: {_quote(p.evidence.sentence if p.evidence else '')}"
            )
    out.append("")
    n_points = len(r.covered) + len(r.partial) + len(r.missing)
    out.append(f"Missing ({len(r.missing)} of {n_points} points, most marks first)")
    for p in r.missing[:MISSING_SHOWN]:
        out.append(f"  - [{p.dimension}, {_n(p.marks)}] {p.text}")
        out.extend(_source_lines(p))
    if len(r.missing) > MISSING_SHOWN:
        out.append(f"  … and {len(r.missing) - MISSING_SHOWN} more (--format json lists all)")
    if r.partial:
        out.append("")
        out.append(f"Partly covered ({len(r.partial)})")
        for p in r.partial:
            out.append(f"  ~ [{p.dimension}, {_n(p.awarded)}/{_n(p.marks)}] {p.text}")
            if p.evidence:
                out.append(f"      your answer: {_quote(p.evidence.sentence)}")
    out.append("")
    out.append(f"Covered ({len(r.covered)})")
    for p in r.covered:
        out.append(f"  + [{p.dimension}, {_n(p.awarded)}/{_n(p.marks)}] {p.text}")
        if p.evidence:
            out.append(f"      your answer: {_quote(p.evidence.sentence)}")
    s = r.structure
    out.append("")
    limit = f" (limit {s.word_limit})" if s.word_limit else ""
    out.append(f"Structure: {s.word_count} words{limit}")
    for note in s.notes:
        out.append(f"  - {note}")
    if r.flags:
        out.append("")
        out.append("Flags: " + ", ".join(r.flags))
    out.append("")
    out.append(r.signature)
    return "\n".join(out) + "\n"


def _source_lines(p: PointResult) -> list[str]:
    if p.source is None:
        return []
    if " ".join(p.source.sentence.split()) == " ".join(p.text.split()):
        return [f"      source: {p.source.seed}"]
    return [f"      source: {p.source.seed}: {_quote(p.source.sentence)}"]


def to_markdown(r: Result) -> str:
    out = [f"# {r.rubric_title}", ""]
    out.append(
        f"**Score: {_n(r.score)} / {_n(r.max_score)}** · rubric `{r.rubric}` "
        f"(closeness {r.topic.closeness:.2f}{_best_fit(r)})"
    )
    if r.question:
        out.append(f"\n**Question:** {r.question.text}")
    out += ["", "| Dimension | Score | Out of |", "|---|---:|---:|"]
    out += [f"| {d.name} | {d.score:.2f} | {d.max_score:.2f} |" for d in r.dimensions]
    if r.incorrect:
        out += ["", "## Got wrong", ""]
        out += [f"- {p.text} — you wrote **{p.conflict}**" for p in r.incorrect]
    out += ["", f"## Missing ({len(r.missing)})", ""]
    for p in r.missing:
        src = f" _(source: {p.source.seed})_" if p.source else ""
        out.append(f"- **{p.dimension}**, {_n(p.marks)}: {p.text}{src}")
    for title, pts in (("Partly covered", r.partial), ("Covered", r.covered)):
        out += ["", f"## {title} ({len(pts)})", ""]
        for p in pts:
            ev = f"<br>> {_md(p.evidence.sentence)}" if p.evidence else ""
            out.append(f"- **{p.dimension}**, {_n(p.awarded)}/{_n(p.marks)}: {p.text}{ev}")
    s = r.structure
    out += [
        "",
        "## Structure",
        "",
        f"- {s.word_count} words" + (f" (limit {s.word_limit})" if s.word_limit else ""),
    ]
    out += [f"- {n}" for n in s.notes]
    if r.flags:
        out += ["", "**Flags:** " + ", ".join(f"`{f}`" for f in r.flags)]
    out += ["", f"<sub>{r.signature}</sub>"]
    return "\n".join(out) + "\n"


def _md(s: str) -> str:
    return " ".join(s.split()).replace("|", "\\|")


def to_html(r: Result) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(d.name)}</td><td>{d.score:.2f}</td><td>{d.max_score:.2f}</td></tr>"
        for d in r.dimensions
    )

    def items(points: tuple[PointResult, ...], with_evidence: bool) -> str:
        lis = []
        for p in points:
            ev = (
                f"<blockquote>{e(p.evidence.sentence)}</blockquote>"
                if with_evidence and p.evidence
                else ""
            )
            lis.append(
                f"<li><b>{e(p.dimension)}</b> ({_n(p.awarded)}/{_n(p.marks)}): {e(p.text)}{ev}</li>"
            )
        return "<ul>" + "".join(lis) + "</ul>"

    notes = "".join(f"<li>{e(n)}</li>" for n in r.structure.notes)
    flags = f"<p>Flags: {e(', '.join(r.flags))}</p>" if r.flags else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(r.rubric_title)}</title></head><body>\n"
        f"<h1>{e(r.rubric_title)}</h1>\n"
        f"<p><strong>Score: {_n(r.score)} / {_n(r.max_score)}</strong> — rubric "
        f"<code>{e(r.rubric)}</code></p>\n"
        f"<table><tr><th>Dimension</th><th>Score</th><th>Out of</th></tr>{rows}</table>\n"
        f"<h2>Missing ({len(r.missing)})</h2>{items(r.missing, False)}\n"
        f"<h2>Partly covered ({len(r.partial)})</h2>{items(r.partial, True)}\n"
        f"<h2>Covered ({len(r.covered)})</h2>{items(r.covered, True)}\n"
        f"<h2>Structure</h2><p>{r.structure.word_count} words</p><ul>{notes}</ul>{flags}\n"
        f"<footer><small>{e(r.signature)}</small></footer>\n</body></html>\n"
    )


_RENDERERS: dict[str, Callable[[Result], str]] = {
    "text": to_text,
    "json": to_json,
    "markdown": to_markdown,
    "html": to_html,
}
