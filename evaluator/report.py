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
import re
from collections.abc import Callable, Sequence

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


# Control characters (a terminal's escape codes among them) never reach a report.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _flat(s: str) -> str:
    """``s`` on one line, without control characters."""
    return " ".join(_CONTROL.sub("", s).split())


def _quote(s: str, limit: int = 160) -> str:
    s = _flat(s)
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
        if dim.why:
            out.append(f"  {'':<{width}}  {dim.why}")
    for note in r.notes:
        out.append(f"  Note: {note}")
    if r.wrong:
        out.append("")
        out.append(f"Got wrong ({len(r.wrong)})")
        for p in r.wrong:
            out.append(f"  ! {_wrong_head(p)}")
            if p.evidence:
                out.append(f"      your answer: {_quote(p.evidence.sentence)}")
            out.extend(_source_lines(p))
    asserted = [m for m in r.misconceptions if m.asserted]
    if asserted:
        out.append("")
        out.append(f"Misconceptions ({len(asserted)})")
        for m in asserted:
            out.append(f"  ! {m.label}")
            out.append(f"      your answer: {_quote(m.evidence.sentence)}")
            out.append(f"      correction: {_quote(m.correction)}")
            if m.source:
                out.append(f"      source: {m.source.seed}")
    out.append("")
    n_points = (
        len(r.covered) + len(r.partial) + len(r.missing) + len(r.incomplete) + len(r.wrong)
    )
    out.append(f"Missing ({len(r.missing)} of {n_points} key points, most marks first)")
    for p in r.missing[:MISSING_SHOWN]:
        out.append(f"  - [{p.dimension}, {_n(p.marks)}] {p.label or p.text}")
        out.extend(_source_lines(p))
    if len(r.missing) > MISSING_SHOWN:
        out.append(f"  … and {len(r.missing) - MISSING_SHOWN} more (--format json lists all)")
    if r.incomplete:
        out.append("")
        out.append(f"Named but incomplete ({len(r.incomplete)})")
        for p in r.incomplete:
            out.append(
                f"  ? [{p.dimension}, {_n(p.awarded)}/{_n(p.marks)}] {_incomplete_feedback(p)}"
            )
            if p.evidence:
                out.append(f"      your answer: {_quote(p.evidence.sentence)}")
    if r.partial:
        out.append("")
        out.append(f"Partly covered ({len(r.partial)})")
        for p in r.partial:
            out.append(f"  ~ [{p.dimension}, {_n(p.awarded)}/{_n(p.marks)}] {p.label or p.text}")
            if p.evidence:
                out.append(f"      your answer: {_quote(p.evidence.sentence)}")
    out.append("")
    out.append(f"Covered ({len(r.covered)})")
    for p in r.covered:
        out.append(f"  + [{p.dimension}, {_n(p.awarded)}/{_n(p.marks)}] {p.label or p.text}")
        if p.evidence:
            out.append(f"      your answer: {_quote(p.evidence.sentence)}")
    denied = [m for m in r.misconceptions if not m.asserted]
    if denied:
        out.append("")
        out.append(f"Rightly distinguished ({len(denied)})")
        for m in denied:
            out.append(f"  + {m.label}")
            out.append(f"      your answer: {_quote(m.evidence.sentence)}")
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


def _wrong_head(p: PointResult) -> str:
    """"CEPA — in force 1 January 2010: you wrote 2015; the seeds say 1 January 2010"."""
    return f"{p.label or p.text}: you wrote {p.conflict}; the seeds say {_right(p)}"


def _right(p: PointResult) -> str:
    """The right value, as the label gives it: a fact's other spellings ("framework MoU",
    "statement of intent") are ways to say it, not more of it."""
    return p.value[0] if p.value else p.text


def _incomplete_feedback(p: PointResult) -> str:
    """What a teacher writes in the margin: "You mention the CEPA but not when (...)"."""
    head = (p.label or p.text).split(" — ")[0].split(": ")[0]
    anchor = p.anchor or head
    what = (p.lacking or "").split(": ", 1)[0]
    value = ", ".join(p.value) if what == "which" else _right(p)
    if what == "who" and head != anchor:
        # "Indian signatory: Ministry of MSME" -> its Indian signatory.
        return f"You mention {anchor} but not its {head[0].lower() + head[1:]} ({value})"
    if what in ("when", "how much", "which", "what", "on what occasion"):
        return f"You mention {anchor} but not {what} ({value})"
    return f"You mention {anchor} but not {value}"


def _source_lines(p: PointResult) -> list[str]:
    if p.source is None:
        return []
    if " ".join(p.source.sentence.split()) == " ".join(p.text.split()):
        return [f"      source: {p.source.seed}"]
    return [f"      source: {p.source.seed}: {_quote_at(p.source.sentence, p.value)}"]


def _quote_at(s: str, look_for: Sequence[str], limit: int = 160) -> str:
    """:func:`_quote`, cut around the first of ``look_for`` the sentence holds when the
    start alone would cut it off ("…counterpart is DPIIT…", not the sentence's first words)."""
    s = _flat(s)
    low = s.lower()
    at = next((i for v in look_for if v and (i := low.find(v.lower())) >= 0), -1)
    if len(s) <= limit or at < 0 or at + len(look_for[0]) < limit - 1:
        return _quote(s, limit)
    start = max(0, min(at - limit // 3, len(s) - (limit - 2)))
    start = s.find(" ", start) + 1 if start and s[start - 1] != " " else start  # a whole word
    piece = s[start : start + limit - 2]
    return f'"…{piece}{"…" if start + limit - 2 < len(s) else ""}"'


def _sections(r: Result) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """The report's point sections in reading order: (title, mark, [(head, detail, quote)])."""
    out: list[tuple[str, str, list[tuple[str, str, str]]]] = []
    if r.wrong:
        out.append(("Got wrong", "!", [
            (
                _wrong_head(p),
                f"source: {p.source.seed}" if p.source else "",
                p.evidence.sentence if p.evidence else "",
            )
            for p in r.wrong
        ]))
    asserted = [m for m in r.misconceptions if m.asserted]
    if asserted:
        out.append(("Misconceptions", "!", [
            (m.label, f"correction: {m.correction}", m.evidence.sentence) for m in asserted
        ]))
    out.append(("Missing", "-", [
        (
            f"[{p.dimension}, {_n(p.marks)}] {p.label or p.text}",
            f"source: {p.source.seed}: {' '.join(p.source.sentence.split())}" if p.source else "",
            "",
        )
        for p in r.missing
    ]))
    if r.incomplete:
        out.append(("Named but incomplete", "?", [
            (f"[{p.dimension}, {_n(p.awarded)}/{_n(p.marks)}] {_incomplete_feedback(p)}", "",
             p.evidence.sentence if p.evidence else "")
            for p in r.incomplete
        ]))
    for title, pts, mark in (("Partly covered", r.partial, "~"), ("Covered", r.covered, "+")):
        out.append((title, mark, [
            (f"[{p.dimension}, {_n(p.awarded)}/{_n(p.marks)}] {p.label or p.text}", "",
             p.evidence.sentence if p.evidence else "")
            for p in pts
        ]))
    denied = [m for m in r.misconceptions if not m.asserted]
    if denied:
        out.append(("Rightly distinguished", "+", [
            (m.label, "", m.evidence.sentence) for m in denied
        ]))
    return out


# Markdown's inline markup characters, backslash-escaped in user and rubric text.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def _md_code(s: str) -> str:
    # Inside a code span nothing is markup; only a backtick could end it early.
    return "`" + " ".join(s.split()).replace("`", "'") + "`"


def md_escape(s: str) -> str:
    """User or rubric text as inert Markdown: on one line, HTML-escaped (so no tag or entity
    is live in any renderer) and with Markdown's inline characters backslash-escaped.

    >>> md_escape("<script>x</script> **a** | [b](c)")
    '&lt;script&gt;x&lt;/script&gt; \\\\*\\\\*a\\\\*\\\\* \\\\| \\\\[b\\\\](c)'
    """
    s = html.escape(" ".join(_CONTROL.sub("", s).split()), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", s)


def to_markdown(r: Result) -> str:
    e = md_escape
    out = [f"# {e(r.rubric_title)}", ""]
    out.append(
        f"**Score: {_n(r.score)} / {_n(r.max_score)}** · rubric {_md_code(r.rubric)} "
        f"(closeness {r.topic.closeness:.2f}{_best_fit(r)})"
    )
    if r.question:
        out.append(f"\n**Question:** {e(r.question.text)}")
    out += ["", "| Dimension | Score | Out of | Why |", "|---|---:|---:|---|"]
    out += [
        f"| {e(d.name)} | {d.score:.2f} | {d.max_score:.2f} | {e(d.why)} |" for d in r.dimensions
    ]
    for note in r.notes:
        out.append(f"\n_Note: {e(note)}_")
    for title, _, items in _sections(r):
        out += ["", f"## {title} ({len(items)})", ""]
        for head, detail, quote in items:
            line = f"- {e(head)}"
            if detail:
                line += f" — _{e(detail)}_"
            if quote:
                line += f"<br>&gt; {e(quote)}"
            out.append(line)
    s = r.structure
    out += [
        "",
        "## Structure",
        "",
        f"- {s.word_count} words" + (f" (limit {s.word_limit})" if s.word_limit else ""),
    ]
    out += [f"- {e(n)}" for n in s.notes]
    if r.flags:
        out += ["", "**Flags:** " + ", ".join(f"`{f}`" for f in r.flags)]
    out += ["", f"<sub>{e(r.signature)}</sub>"]
    return "\n".join(out) + "\n"


def to_html(r: Result) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(d.name)}</td><td>{d.score:.2f}</td><td>{d.max_score:.2f}</td>"
        f"<td>{e(d.why)}</td></tr>"
        for d in r.dimensions
    )
    parts = []
    for title, _, items in _sections(r):
        lis = []
        for head, detail, quote in items:
            d = f"<br><small>{e(detail)}</small>" if detail else ""
            q = f"<blockquote>{e(quote)}</blockquote>" if quote else ""
            lis.append(f"<li>{e(head)}{d}{q}</li>")
        parts.append(f"<h2>{e(title)} ({len(items)})</h2><ul>{''.join(lis)}</ul>")
    notes = "".join(f"<li>{e(n)}</li>" for n in r.structure.notes)
    gnotes = "".join(f"<p><em>Note: {e(n)}</em></p>" for n in r.notes)
    flags = f"<p>Flags: {e(', '.join(r.flags))}</p>" if r.flags else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        f"<title>{e(r.rubric_title)}</title></head><body>\n"
        f"<h1>{e(r.rubric_title)}</h1>\n"
        f"<p><strong>Score: {_n(r.score)} / {_n(r.max_score)}</strong> — rubric "
        f"<code>{e(r.rubric)}</code></p>\n"
        "<table><tr><th>Dimension</th><th>Score</th><th>Out of</th><th>Why</th></tr>"
        f"{rows}</table>\n{gnotes}\n"
        + "\n".join(parts)
        + f"\n<h2>Structure</h2><p>{r.structure.word_count} words</p><ul>{notes}</ul>{flags}\n"
        f"<footer><small>{e(r.signature)}</small></footer>\n</body></html>\n"
    )


_RENDERERS: dict[str, Callable[[Result], str]] = {
    "text": to_text,
    "json": to_json,
    "markdown": to_markdown,
    "html": to_html,
}
