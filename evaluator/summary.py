"""The class at a glance: streaming aggregates of a batch and their one-file HTML page.

Pure: no files, no printing. :class:`ClassStats` takes one results record at a time
(the ``results.jsonl`` shape), so a class of any size is summarised without holding
its results; :func:`render_html` turns the totals into a self-contained page (inline
SVG chart, no script, no network).

>>> s = ClassStats()
>>> s.add({"id": "a", "score": 6.0, "max_score": 10.0, "rubric": "r",
...        "dimensions": [{"name": "position", "score": 1.0, "max_score": 2.0}]})
>>> s.add({"id": "b", "error": "the answer is empty"})
>>> s.graded, s.errors, s.histogram()[6]
(1, 1, 1)
"""

from __future__ import annotations

import hashlib
import html
import re
import struct
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

BINS = 10
# Flags that describe how an answer is built, not a reason to look at it again.
ROUTINE_FLAGS = frozenset(
    {"over_length", "under_length", "no_introduction", "no_conclusion", "calibrated"}
)
# Near-identical answers: estimated Jaccard similarity of word 3-grams at or above this,
# among answers of at least MIN_PAIR_WORDS words (short answers agree by chance).
NEAR_IDENTICAL = 0.8
MIN_PAIR_WORDS = 30
_PERMS = 64
_BANDS = 16
_MERSENNE = (1 << 61) - 1
_COEFFS = tuple(
    (
        int.from_bytes(hashlib.sha256(f"a{i}".encode()).digest()[:8], "big") % _MERSENNE | 1,
        int.from_bytes(hashlib.sha256(f"b{i}".encode()).digest()[:8], "big") % _MERSENNE,
    )
    for i in range(_PERMS)
)
TOP = 10


def fingerprint(text: str) -> list[int] | None:
    """A MinHash of the answer's word 3-grams (None for answers too short to compare).

    Each of the ``_PERMS`` values is ``min((a * h + b) % (2**61 - 1))`` over the shingles'
    64-bit hashes ``h``, computed exactly with numpy in 64-bit pieces (see :func:`_mulmod`).

    >>> a = fingerprint(" ".join(f"w{i}" for i in range(40)))
    >>> similarity(a, a)
    1.0
    """
    import numpy as np

    words = re.findall(r"\w+", text.lower())
    if len(words) < MIN_PAIR_WORDS:
        return None
    shingles = {
        int.from_bytes(hashlib.blake2b(" ".join(words[i : i + 3]).encode(), digest_size=8)
                       .digest(), "big")
        for i in range(len(words) - 2)
    }
    # (a * h + b) % M == (a * (h % M) + b) % M: every operand below 2**61.
    h = np.fromiter((x % _MERSENNE for x in shingles), dtype=np.uint64, count=len(shingles))
    a, b = _coefficients()
    values = _mulmod(a[:, None], h[None, :]) + b[:, None]  # < 2**62: no overflow
    return [int(v) for v in _fold(values).min(axis=1)]


def _coefficients() -> tuple[Any, Any]:
    import numpy as np

    a = np.array([c[0] for c in _COEFFS], dtype=np.uint64)
    b = np.array([c[1] for c in _COEFFS], dtype=np.uint64)
    return a, b


def _fold(x: Any) -> Any:
    """``x % M`` for M = 2**61 - 1 and uint64 ``x`` < 2**64 - 2**61 (2**61 is 1 mod M)."""
    import numpy as np

    m = np.uint64(_MERSENNE)
    x = (x & m) + (x >> np.uint64(61))  # <= M + 7
    return np.where(x >= m, x - m, x)


def _mulmod(a: Any, x: Any) -> Any:
    """``(a * x) % M`` exactly for uint64 arrays of values below M = 2**61 - 1.

    With a = a1 * 2**31 + a0 and x = x1 * 2**31 + x0 (a0, x0 < 2**31; a1, x1 < 2**30):
    a * x = a1x1 * 2**62 + (a1x0 + a0x1) * 2**31 + a0x0, and 2**61 is 1 mod M, so
    2**62 is 2 and, with mid = m1 * 2**30 + m0, mid * 2**31 is m1 + m0 * 2**31.
    Every piece fits 64 bits; their sum is below 2**63.
    """
    import numpy as np

    low = np.uint64((1 << 31) - 1)
    s31, s30 = np.uint64(31), np.uint64(30)
    a0, a1 = a & low, a >> s31
    x0, x1 = x & low, x >> s31
    high = _fold(a1 * x1 * np.uint64(2))  # a1x1 < 2**60
    mid = a1 * x0 + a0 * x1  # < 2**62
    m0, m1 = mid & np.uint64((1 << 30) - 1), mid >> s30
    spread = m1 + (m0 << s31)  # < 2**32 + 2**61
    return _fold(high + _fold(spread) + _fold(a0 * x0))


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two fingerprints."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


@dataclass
class ClassStats:
    """Totals of a batch, fed one record at a time (graded or error)."""

    graded: int = 0
    errors: int = 0
    percents: list[float] = field(default_factory=list)
    dims: dict[str, list[float]] = field(default_factory=dict)  # name -> [score, max, n]
    rubric_counts: Counter[str] = field(default_factory=Counter)
    missed: Counter[tuple[str, str]] = field(default_factory=Counter)
    wrong: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    point_text: dict[tuple[str, str], str] = field(default_factory=dict)
    flagged: list[tuple[str, str]] = field(default_factory=list)
    # Fingerprints, 512 bytes an answer: row ``prints[id]`` of ``_rows`` (64 uint64 each).
    prints: dict[str, int] = field(default_factory=dict)
    _rows: bytearray = field(default_factory=bytearray, repr=False)
    overridden: int = 0

    def add(self, rec: Mapping[str, Any], fp: list[int] | None = None) -> None:
        rid = str(rec.get("id", ""))
        if rec.get("error"):
            self.errors += 1
            self.flagged.append((rid, f"not graded: {rec['error']}"))
            return
        self.graded += 1
        if rec.get("override"):
            self.overridden += 1
        score, top = float(rec.get("score", 0.0)), float(rec.get("max_score", 0.0))
        self.percents.append(100.0 * score / top if top > 0 else 0.0)
        for d in rec.get("dimensions") or []:
            t = self.dims.setdefault(str(d.get("name")), [0.0, 0.0, 0])
            t[0] += float(d.get("score", 0.0))
            t[1] += float(d.get("max_score", 0.0))
            t[2] += 1
        rubric = str(rec.get("rubric", ""))
        self.rubric_counts[rubric] += 1
        for p in rec.get("missing") or []:
            k = (rubric, str(p.get("id")))
            self.missed[k] += 1
            self.point_text.setdefault(k, str(p.get("label") or p.get("text", "")))
        for p in rec.get("incorrect") or []:
            k = (rubric, str(p.get("id")))
            self.wrong[(*k, str(p.get("conflict") or ""))] += 1
            self.point_text.setdefault(k, str(p.get("label") or p.get("text", "")))
        odd = [f for f in rec.get("flags") or [] if f not in ROUTINE_FLAGS]
        if rec.get("status") not in (None, "graded", "complete"):
            odd.append(str(rec["status"]))
        if odd:
            self.flagged.append((rid, ", ".join(odd)))
        if fp is not None:
            row = _pack(fp)
            at = self.prints.get(rid)
            if at is None:
                self.prints[rid] = len(self._rows) // len(row)
                self._rows += row
            else:  # an id seen again: its latest fingerprint counts
                self._rows[at * len(row) : (at + 1) * len(row)] = row

    def histogram(self) -> list[int]:
        """Answers per tenth of the marks (0-10%, ..., 90-100%)."""
        h = [0] * BINS
        for p in self.percents:
            h[min(BINS - 1, max(0, int(p // (100 / BINS))))] += 1
        return h

    def fingerprint_of(self, rid: str) -> list[int] | None:
        at = self.prints.get(rid)
        if at is None:
            return None
        size = 8 * _PERMS
        return list(struct.unpack(f"<{_PERMS}Q", self._rows[at * size : (at + 1) * size]))

    def near_identical(self) -> list[tuple[str, str, float]]:
        """Pairs of answers whose wording is near-identical, most similar first.

        Candidates share all values of one of ``_BANDS`` bands (locality-sensitive hashing);
        each candidate pair is then compared on all its values.
        """
        import numpy as np

        if not self.prints:
            return []
        ids = sorted(self.prints, key=self.prints.__getitem__)
        prints = np.frombuffer(bytes(self._rows), dtype="<u8").reshape(-1, _PERMS)
        rows = _PERMS // _BANDS
        pairs: dict[tuple[str, str], float] = {}
        for b in range(_BANDS):
            band = prints[:, b * rows : (b + 1) * rows]
            order = np.lexsort(band.T[::-1])
            same = np.all(band[order[1:]] == band[order[:-1]], axis=1)
            # Runs of equal bands (two or more answers): every pair within one is a candidate,
            # compared on all its values, a row against the rest of the run at a time.
            starts = np.flatnonzero(~np.concatenate(([False], same)))
            ends = np.append(starts[1:], len(order))
            for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
                if hi - lo < 2:
                    continue
                run = order[lo:hi].tolist()
                block = prints[run]
                k = len(run)
                # Rows of the run against the whole run, some million values at a time.
                step = max(1, (1 << 22) // (k * _PERMS))
                for top in range(0, k - 1, step):
                    counts = np.count_nonzero(
                        block[top : top + step, None, :] == block[None, :, :], axis=2
                    )
                    hits = np.nonzero(counts / _PERMS >= NEAR_IDENTICAL)
                    for i, j in zip(*(h.tolist() for h in hits), strict=True):
                        if j > top + i:
                            x, y = ids[run[top + i]], ids[run[j]]
                            pairs[(x, y) if x < y else (y, x)] = int(counts[i, j]) / _PERMS
        return sorted(((a, b, s) for (a, b), s in pairs.items()), key=lambda x: (-x[2], x[:2]))


def _pack(fp: list[int]) -> bytes:
    return struct.pack(f"<{_PERMS}Q", *fp)


def _f(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def _chart(hist: list[int]) -> str:
    w, h, pad, bottom = 640, 240, 36, 34
    bw = (w - 2 * pad) / BINS
    peak = max(hist) or 1
    parts = [
        f'<svg id="marks-chart" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="img" aria-label="Distribution of marks">',
        f'<line x1="{pad}" y1="{h - bottom}" x2="{w - pad}" y2="{h - bottom}" stroke="#444"/>',
    ]
    for i, n in enumerate(hist):
        bh = (h - bottom - 24) * n / peak
        x = pad + i * bw + 4
        y = h - bottom - bh
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bw - 8:.1f}" height="{bh:.1f}" '
            f'fill="#3a6ea5"><title>{n} answers at {i * 10}-{(i + 1) * 10}%</title></rect>'
        )
        parts.append(
            f'<text x="{x + (bw - 8) / 2:.1f}" y="{y - 4:.1f}" font-size="12" '
            f'text-anchor="middle">{n}</text>'
        )
        parts.append(
            f'<text x="{x + (bw - 8) / 2:.1f}" y="{h - bottom + 16}" font-size="11" '
            f'text-anchor="middle">{i * 10}–{(i + 1) * 10}%</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(stats: ClassStats, *, title: str = "Class summary") -> str:
    """The summary page: one file, inline SVG and CSS, no script, no network access."""
    e = html.escape
    out: list[str] = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
        "text-align:left;vertical-align:top}</style></head><body>",
        f"<h1>{e(title)}</h1>",
    ]
    n = stats.graded
    mean = sum(stats.percents) / n if n else 0.0
    ps = sorted(stats.percents)
    median = (ps[(n - 1) // 2] + ps[n // 2]) / 2 if n else 0.0
    over = f"; {stats.overridden} marked by the teacher" if stats.overridden else ""
    out.append(
        f"<p>{n} answers graded, {stats.errors} could not be graded{over}. "
        f"Average {mean:.1f}% of the marks, median {median:.1f}%.</p>"
    )
    out.append("<h2>Distribution of marks</h2>")
    out.append(_chart(stats.histogram()))
    out.append("<h2>Average per dimension</h2>")
    if stats.dims:
        rows = "".join(
            f"<tr><td>{e(name)}</td><td>{_f(round(s / c, 2))}</td><td>{_f(round(m / c, 2))}</td>"
            f"<td>{(100 * s / m if m else 0):.0f}%</td></tr>"
            for name, (s, m, c) in stats.dims.items()
        )
        out.append(
            "<table><tr><th>Dimension</th><th>Average</th><th>Out of</th><th>%</th></tr>"
            f"{rows}</table>"
        )
    else:
        out.append("<p>No graded answers.</p>")
    out.append("<h2>Key points most students missed</h2>")
    out.append(_point_table(stats, stats.missed.items(), "Missed by"))
    out.append("<h2>Wrong facts most often written</h2>")
    wrong = [((r, pid), c, conflict) for (r, pid, conflict), c in stats.wrong.items()]
    if wrong:
        wrong.sort(key=lambda x: (-x[1], x[0]))
        rows = "".join(
            f"<tr><td>{c}</td><td>{e(stats.point_text.get(k, ''))}</td><td>{e(conflict)}</td>"
            f"<td><code>{e(k[0])}</code></td></tr>"
            for k, c, conflict in wrong[:TOP]
        )
        out.append(
            "<table><tr><th>Answers</th><th>Point</th><th>What was written</th>"
            f"<th>Rubric</th></tr>{rows}</table>"
        )
    else:
        out.append("<p>None found.</p>")
    out.append("<h2>Answers to look at</h2>")
    pairs = stats.near_identical()
    if stats.flagged or pairs:
        rows = "".join(
            f"<tr><td>{e(rid)}</td><td>{e(why)}</td></tr>" for rid, why in stats.flagged
        )
        rows += "".join(
            f"<tr><td>{e(a)} and {e(b)}</td><td>near-identical answers "
            f"({100 * s:.0f}% of their wording shared)</td></tr>"
            for a, b, s in pairs
        )
        out.append(f"<table><tr><th>Answer</th><th>Why</th></tr>{rows}</table>")
    else:
        out.append("<p>None.</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def _point_table(
    stats: ClassStats, items: Iterable[tuple[tuple[str, str], int]], head: str
) -> str:
    e = html.escape
    ranked = sorted(items, key=lambda kv: (-kv[1], kv[0]))[:TOP]
    if not ranked:
        return "<p>None.</p>"
    rows = "".join(
        f"<tr><td>{c} of {stats.rubric_counts[k[0]]}</td><td>{e(stats.point_text.get(k, ''))}"
        f"</td><td><code>{e(k[0])}</code></td></tr>"
        for k, c in ranked
    )
    return f"<table><tr><th>{head}</th><th>Point</th><th>Rubric</th></tr>{rows}</table>"
