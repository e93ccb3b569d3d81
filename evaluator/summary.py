"""The class at a glance: streaming aggregates of a batch and their one-file HTML page.

No files, no printing. :class:`ClassStats` takes one results record at a time
(the ``results.jsonl`` shape) and keeps what grows with the class in an SQLite database
it is given (``io.scratch_db`` for a batch; one in memory by default), so a class of any
size is summarised in flat memory; :func:`html_chunks` turns the totals into a
self-contained page (inline SVG chart, no script, no network), piece by piece.

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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3

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
FINGERPRINT_WORDS = 50_000
_SLICE = 4_096


def fingerprint(text: str) -> list[int] | None:
    """A MinHash of the answer's word 3-grams (None for answers too short to compare).

    Each of the ``_PERMS`` values is ``min((a * h + b) % (2**61 - 1))`` over the shingles'
    64-bit hashes ``h``, computed exactly with numpy in 64-bit pieces (see :func:`_mulmod`).

    >>> a = fingerprint(" ".join(f"w{i}" for i in range(40)))
    >>> similarity(a, a)
    1.0
    """
    import numpy as np

    # A pasted book is compared by its start: what is graded of it is its start too.
    words = re.findall(r"\w+", text.lower())[:FINGERPRINT_WORDS]
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
    best: Any = None
    # In slices of shingles: a (permutations x shingles) table for a long answer took 2 GB.
    for i in range(0, len(h), _SLICE):
        values = _mulmod(a[:, None], h[None, i : i + _SLICE]) + b[:, None]  # < 2**62
        least = _fold(values).min(axis=1)
        best = least if best is None else np.minimum(best, least)
    return [int(v) for v in best]


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


_TABLES = """
CREATE TABLE marks (p);
CREATE TABLE flagged (id TEXT, why TEXT);
CREATE TABLE prints (id TEXT UNIQUE, fp BLOB);
CREATE TABLE rubrics (rubric TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID;
CREATE TABLE missed (rubric TEXT, pid TEXT, n INTEGER, PRIMARY KEY (rubric, pid)) WITHOUT ROWID;
CREATE TABLE wrong (rubric TEXT, pid TEXT, conflict TEXT, n INTEGER,
                    UNIQUE (rubric, pid, conflict));
CREATE TABLE point_text (rubric TEXT, pid TEXT, text TEXT, PRIMARY KEY (rubric, pid))
    WITHOUT ROWID;
CREATE TABLE pairs (a TEXT, b TEXT, n INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID;
"""
# Rows of a run of equal bands held at a time (1 MiB of fingerprints); values compared at
# once (``rows x rows x _PERMS``). Both bound the pair check's memory whatever the run's size.
_BLOCK = 2048
_CELLS = 1 << 20
_FETCH = 256  # fingerprints read by one query


@dataclass
class ClassStats:
    """Totals of a batch, fed one record at a time (graded or error).

    What grows with the class (marks, flagged answers, fingerprints, counts per point and
    per wrong value, near-identical pairs) lives in the SQLite database ``db`` (by default
    one in memory; a batch gives a file, so memory stays flat); what is bounded by the
    rubrics' dimensions, in memory.
    """

    db: sqlite3.Connection | None = None
    graded: int = 0
    errors: int = 0
    overridden: int = 0
    dims: dict[str, list[float]] = field(default_factory=dict)  # name -> [score, max, n]
    bins: list[int] = field(default_factory=lambda: [0] * BINS)
    _paired: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        import sqlite3

        if self.db is None:
            self.db = sqlite3.connect(":memory:", isolation_level=None)
        for statement in _TABLES.split(";"):
            if statement.strip():
                self.db.execute(statement)

    @property
    def _db(self) -> sqlite3.Connection:
        assert self.db is not None
        return self.db

    def add(self, rec: Mapping[str, Any], fp: list[int] | None = None) -> None:
        db = self._db
        self._paired = False
        rid = str(rec.get("id", ""))
        if rec.get("error"):
            self.errors += 1
            db.execute("INSERT INTO flagged VALUES (?, ?)", (rid, f"not graded: {rec['error']}"))
            return
        self.graded += 1
        if rec.get("override"):
            self.overridden += 1
        score, top = float(rec.get("score", 0.0)), float(rec.get("max_score", 0.0))
        percent = 100.0 * score / top if top > 0 else 0.0
        # No column type: SQLite keeps the float as it is (a REAL column would make -0.0 0).
        db.execute("INSERT INTO marks VALUES (?)", (percent,))
        self.bins[min(BINS - 1, max(0, int(percent // (100 / BINS))))] += 1
        for d in rec.get("dimensions") or []:
            t = self.dims.setdefault(str(d.get("name")), [0.0, 0.0, 0])
            t[0] += float(d.get("score", 0.0))
            t[1] += float(d.get("max_score", 0.0))
            t[2] += 1
        rubric = str(rec.get("rubric", ""))
        db.execute("INSERT INTO rubrics VALUES (?, 1) ON CONFLICT DO UPDATE SET n = n + 1",
                   (rubric,))
        texts = []
        for p in rec.get("missing") or []:
            pid = str(p.get("id"))
            db.execute("INSERT INTO missed VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1",
                       (rubric, pid))
            texts.append((rubric, pid, str(p.get("label") or p.get("text", ""))))
        for p in rec.get("incorrect") or []:
            pid = str(p.get("id"))
            db.execute("INSERT INTO wrong VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1",
                       (rubric, pid, str(p.get("conflict") or "")))
            texts.append((rubric, pid, str(p.get("label") or p.get("text", ""))))
        # The first text seen for a point is the one shown.
        db.executemany("INSERT OR IGNORE INTO point_text VALUES (?, ?, ?)", texts)
        odd = [f for f in rec.get("flags") or [] if f not in ROUTINE_FLAGS]
        if rec.get("status") not in (None, "graded", "complete"):
            odd.append(str(rec["status"]))
        if odd:
            db.execute("INSERT INTO flagged VALUES (?, ?)", (rid, ", ".join(odd)))
        if fp is not None:  # an id seen again: its latest fingerprint counts
            db.execute("INSERT INTO prints VALUES (?, ?) "
                       "ON CONFLICT DO UPDATE SET fp = excluded.fp", (rid, _pack(fp)))

    def histogram(self) -> list[int]:
        """Answers per tenth of the marks (0-10%, ..., 90-100%)."""
        return list(self.bins)

    def mean(self) -> float:
        """The average percent, summed in input order (as ``sum`` of a list would)."""
        marks = (p for (p,) in self._db.execute("SELECT p FROM marks ORDER BY rowid"))
        return sum(marks) / self.graded if self.graded else 0.0

    def median(self) -> float:
        """The median percent (the mean of the middle two for an even count)."""
        n = self.graded
        if not n:
            return 0.0
        # Ties in input order, as a stable sort of the list would leave them (0.0 and -0.0).
        got = [p for (p,) in self._db.execute(
            "SELECT p FROM marks ORDER BY p, rowid LIMIT ? OFFSET ?",
            (n // 2 - (n - 1) // 2 + 1, (n - 1) // 2))]
        return float((got[0] + got[-1]) / 2)

    def flagged(self) -> Iterator[tuple[str, str]]:
        """Answers to look at, ``(id, why)`` in input order."""
        yield from self._db.execute("SELECT id, why FROM flagged ORDER BY rowid")

    def has_flagged(self) -> bool:
        return self._db.execute("SELECT 1 FROM flagged LIMIT 1").fetchone() is not None

    def rubric_count(self, rubric: str) -> int:
        row = self._db.execute("SELECT n FROM rubrics WHERE rubric = ?", (rubric,)).fetchone()
        return int(row[0]) if row else 0

    def point_label(self, rubric: str, pid: str) -> str:
        row = self._db.execute("SELECT text FROM point_text WHERE rubric = ? AND pid = ?",
                               (rubric, pid)).fetchone()
        return str(row[0]) if row else ""

    def most_missed(self, top: int = TOP) -> list[tuple[tuple[str, str], int]]:
        """``((rubric, point id), answers)`` most missed first, ties by rubric and point."""
        rows = self._db.execute(
            "SELECT rubric, pid, n FROM missed ORDER BY n DESC, rubric, pid LIMIT ?", (top,))
        return [((r, pid), int(n)) for r, pid, n in rows]

    def most_wrong(self, top: int = TOP) -> list[tuple[tuple[str, str], int, str]]:
        """``((rubric, point id), answers, value written)`` most often first; ties by rubric
        and point, then the value seen first."""
        rows = self._db.execute(
            "SELECT rubric, pid, n, conflict FROM wrong ORDER BY n DESC, rubric, pid, rowid "
            "LIMIT ?", (top,))
        return [((r, pid), int(n), c) for r, pid, n, c in rows]

    def fingerprint_of(self, rid: str) -> list[int] | None:
        row = self._db.execute("SELECT fp FROM prints WHERE id = ?", (rid,)).fetchone()
        return None if row is None else list(struct.unpack(f"<{_PERMS}Q", row[0]))

    def near_identical(self) -> list[tuple[str, str, float]]:
        """Pairs of answers whose wording is near-identical, most similar first."""
        return list(self.iter_near_identical())

    def iter_near_identical(self) -> Iterator[tuple[str, str, float]]:
        """:meth:`near_identical`, streamed from the database: most similar first, then by
        ids."""
        self._pair()
        for a, b, n in self._db.execute("SELECT a, b, n FROM pairs ORDER BY n DESC, a, b"):
            yield a, b, int(n) / _PERMS

    def has_pairs(self) -> bool:
        self._pair()
        return self._db.execute("SELECT 1 FROM pairs LIMIT 1").fetchone() is not None

    def _pair(self) -> None:
        """Find the near-identical pairs into the ``pairs`` table.

        Candidates share all values of one of ``_BANDS`` bands (locality-sensitive hashing):
        SQLite groups the fingerprints by each band's bytes (sorting on disk), and each run
        of two or more is compared on all values, in blocks of at most ``_BLOCK`` rows.
        """
        if self._paired:
            return
        db = self._db
        db.execute("DELETE FROM pairs")
        width = 8 * _PERMS // _BANDS
        for b in range(_BANDS):
            runs = db.execute(
                "SELECT group_concat(rowid) FROM prints GROUP BY substr(fp, ?, ?) "
                "HAVING count(*) > 1", (b * width + 1, width))
            for (members,) in runs:
                self._compare_run([int(x) for x in members.split(",")])
        self._paired = True

    def _compare_run(self, run: list[int]) -> None:
        """Every pair within ``run`` (rowids of ``prints``) compared on all its values."""
        import numpy as np

        blocks = [run[i : i + _BLOCK] for i in range(0, len(run), _BLOCK)]
        for bi, first in enumerate(blocks):
            ids_a, a = self._prints(first)
            for second in blocks[bi:]:
                same = second is first
                ids_b, c = (ids_a, a) if same else self._prints(second)
                step = max(1, _CELLS // (len(second) * _PERMS))
                for top in range(0, len(first), step):
                    counts = np.count_nonzero(a[top : top + step, None, :] == c[None, :, :],
                                              axis=2)
                    hits = np.nonzero(counts / _PERMS >= NEAR_IDENTICAL)
                    found = []
                    for i, j in zip(*(h.tolist() for h in hits), strict=True):
                        if not same or j > top + i:
                            x, y = ids_a[top + i], ids_b[j]
                            found.append((*((x, y) if x < y else (y, x)), int(counts[i, j])))
                    self._db.executemany("INSERT OR REPLACE INTO pairs VALUES (?, ?, ?)", found)

    def _prints(self, rowids: list[int]) -> tuple[list[str], Any]:
        import numpy as np

        ids: list[str] = []
        data = bytearray()
        # One statement shape (padded with rowid 0, which none has): SQLite keeps each shape
        # of a query it has prepared, so a list of every length would grow its memory.
        query = f"SELECT rowid, id, fp FROM prints WHERE rowid IN ({','.join('?' * _FETCH)})"
        for i in range(0, len(rowids), _FETCH):
            part = rowids[i : i + _FETCH]
            got = {r: (rid, fp) for r, rid, fp in self._db.execute(
                query, part + [0] * (_FETCH - len(part)))}
            for r in part:
                rid, fp = got[r]
                ids.append(rid)
                data += fp
        return ids, np.frombuffer(data, dtype="<u8").reshape(-1, _PERMS)


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
    return "".join(html_chunks(stats, title=title))


def html_chunks(stats: ClassStats, *, title: str = "Class summary") -> Iterator[str]:
    """:func:`render_html` in pieces: the rows for flagged answers and near-identical pairs
    come one at a time from the database, so a class of any size is never held whole."""
    e = html.escape
    yield "\n".join([
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
        "text-align:left;vertical-align:top}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        "",
    ])
    n = stats.graded
    over = f"; {stats.overridden} marked by the teacher" if stats.overridden else ""
    out = [
        f"<p>{n} answers graded, {stats.errors} could not be graded{over}. "
        f"Average {stats.mean():.1f}% of the marks, median {stats.median():.1f}%.</p>",
        "<h2>Distribution of marks</h2>",
        _chart(stats.histogram()),
        "<h2>Average per dimension</h2>",
    ]
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
    out.append(_point_table(stats, stats.most_missed(), "Missed by"))
    out.append("<h2>Wrong facts most often written</h2>")
    wrong = stats.most_wrong()
    if wrong:
        rows = "".join(
            f"<tr><td>{c}</td><td>{e(stats.point_label(*k))}</td><td>{e(conflict)}</td>"
            f"<td><code>{e(k[0])}</code></td></tr>"
            for k, c, conflict in wrong
        )
        out.append(
            "<table><tr><th>Answers</th><th>Point</th><th>What was written</th>"
            f"<th>Rubric</th></tr>{rows}</table>"
        )
    else:
        out.append("<p>None found.</p>")
    out.append("<h2>Answers to look at</h2>")
    yield "\n".join(out) + "\n"
    if stats.has_flagged() or stats.has_pairs():
        yield "<table><tr><th>Answer</th><th>Why</th></tr>"
        for rid, why in stats.flagged():
            yield f"<tr><td>{e(rid)}</td><td>{e(why)}</td></tr>"
        for a, b, s in stats.iter_near_identical():
            yield (f"<tr><td>{e(a)} and {e(b)}</td><td>near-identical answers "
                   f"({100 * s:.0f}% of their wording shared)</td></tr>")
        yield "</table>\n"
    else:
        yield "<p>None.</p>\n"
    yield "</body></html>\n"


def _point_table(stats: ClassStats, ranked: list[tuple[tuple[str, str], int]], head: str) -> str:
    e = html.escape
    if not ranked:
        return "<p>None.</p>"
    rows = "".join(
        f"<tr><td>{c} of {stats.rubric_count(k[0])}</td><td>{e(stats.point_label(*k))}"
        f"</td><td><code>{e(k[0])}</code></td></tr>"
        for k, c in ranked
    )
    return f"<table><tr><th>{head}</th><th>Point</th><th>Rubric</th></tr>{rows}</table>"
