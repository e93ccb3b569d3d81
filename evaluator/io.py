"""All file access: seeds, rubric files, answers, key-point CSVs, batch inputs and outputs.

Nothing else in the package opens a file. Errors are :class:`InputError` or
:class:`RubricError` with a one-line message naming the file.
"""

from __future__ import annotations

import codecs
import csv
import errno
import hashlib
import io as _io
import json
import math
import os
import re
import stat
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from evaluator.errors import InputError, RubricError
from evaluator.rubric import Rubric, TopicSpec, from_key_points, from_reference, from_toml

_PACKAGE = Path(__file__).resolve().parent
SEED_SUFFIXES = (".txt", ".json", ".md", ".html", ".htm")
TOPICS_FILE = "topics.toml"


def bundled_dir(name: str) -> Path:
    """``seeds`` or ``rubrics``: inside the installed package, or beside it in a checkout."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


# Far above any answer (200,000 words is about 1.4 MB), rubric or seed; a file larger than
# this is almost surely not what the user meant, and reading it whole would cost the memory.
MAX_TEXT_BYTES = 32 * 1024 * 1024


def check_regular_file(path: str | os.PathLike[str], *, what: str = "file") -> os.stat_result:
    """``os.stat`` of a regular file, or one :class:`InputError` naming the problem.

    Decided from the file's type before it is opened: a FIFO would block ``open()`` forever
    and a device (``/dev/zero``) never ends, so neither is ever opened.

    >>> check_regular_file("/dev/null")
    Traceback (most recent call last):
    ...
    evaluator.errors.InputError: /dev/null: is a device, not a regular file
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        if os.path.islink(p):
            raise InputError(f"{p}: is a broken symbolic link (its target is gone)") from None
        raise InputError(f"{p}: no such {what}") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{p}: symbolic link loop") from None
        raise InputError(f"{p}: cannot read: {exc.strerror}") from None
    mode = st.st_mode
    if stat.S_ISDIR(mode):
        raise InputError(f"{p}: is a directory, not a {what}")
    if stat.S_ISFIFO(mode):
        raise InputError(f"{p}: is a named pipe (FIFO), not a regular file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputError(f"{p}: is a device, not a regular file")
    if stat.S_ISSOCK(mode):
        raise InputError(f"{p}: is a socket, not a regular file")
    if not stat.S_ISREG(mode):
        raise InputError(f"{p}: is not a regular file")
    if st.st_size > MAX_TEXT_BYTES:
        raise InputError(
            f"{p}: is {st.st_size / 1e6:.0f} MB; files over {MAX_TEXT_BYTES // 2**20} MiB "
            "are refused"
        )
    return st


def read_bytes(path: str | os.PathLike[str], *, what: str = "file") -> bytes:
    """The bytes of a regular file (see :func:`check_regular_file`), at most MAX_TEXT_BYTES."""
    p = Path(path)
    check_regular_file(p, what=what)
    try:
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, open() still
        # returns at once instead of blocking.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise InputError(f"{p}: is not a regular file")
        try:
            data = fh.read(MAX_TEXT_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{p}: cannot read: {exc.strerror}") from None
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(f"{p}: files over {MAX_TEXT_BYTES // 2**20} MiB are refused")
    return data


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a text file (UTF-8, UTF-16 or cp1252; see :func:`decode`); one-line errors."""
    p = Path(path)
    return decode(read_bytes(p), name=str(p))


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, *, name: str) -> str:
    """Text from bytes: a BOM decides (UTF-8, UTF-16, UTF-32); else UTF-16 guessed from its
    NUL pattern, else UTF-8, else cp1252 (Windows' Western encoding, a superset of Latin-1's
    printable characters). Bytes with NULs that fit none of these are refused as binary.

    >>> decode("Caf\\u00e9".encode("utf-16-le"), name="x")
    'Café'
    >>> decode(b"caf\\xe9", name="x")
    'café'
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"{name}: not valid {codec.upper()} text") from None
            return _no_nul(text, name)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise InputError(f"{name}: looks like a binary file, not text")
        try:
            return _no_nul(data.decode(utf16), name)
        except UnicodeDecodeError:
            raise InputError(f"{name}: looks like a binary file, not text") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text") from None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` / ``-be`` when the NULs say so, else None.

    Text in UTF-16 without a BOM (some Windows tools write it) has a NUL as the high byte of
    every ASCII character, so NULs sit on one byte parity only (odd offsets for little-endian)
    and are frequent there; a binary file has NULs on both parities.
    """
    sample = data[:65536]
    if len(data) % 2 or len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if even == 0 and odd >= half * 0.2:
        return "utf-16-le"
    if odd == 0 and even >= half * 0.2:
        return "utf-16-be"
    return None


def _no_nul(text: str, name: str) -> str:
    if "\x00" in text:
        raise InputError(f"{name}: holds NUL characters: a binary file, not text")
    return text


@dataclass(frozen=True)
class SeedFile:
    name: str
    text: str
    sha256: str


def read_seeds(directory: str | os.PathLike[str] | None = None) -> list[SeedFile]:
    """Seed documents of a folder (default: the bundled seeds), sorted by name."""
    d = Path(directory) if directory is not None else bundled_dir("seeds")
    if not d.is_dir():
        raise InputError(f"{d}: no such seed folder")
    out = []
    for p in sorted(d.iterdir()):
        if p.is_file() and p.suffix.lower() in SEED_SUFFIXES and p.name != TOPICS_FILE:
            data = read_bytes(p)
            out.append(
                SeedFile(p.name, decode(data, name=str(p)), hashlib.sha256(data).hexdigest())
            )
    if not out:
        raise InputError(f"{d}: no seed documents ({', '.join(SEED_SUFFIXES)}) found")
    return out


def read_topics(directory: str | os.PathLike[str] | None = None) -> list[TopicSpec]:
    d = Path(directory) if directory is not None else bundled_dir("seeds")
    p = d / TOPICS_FILE
    if not p.exists():
        return []
    try:
        raw = tomllib.loads(read_text(p))
        return [TopicSpec(t["id"], t["title"], tuple(t["seeds"])) for t in raw.get("topics", [])]
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise InputError(f"{p}: not a valid topics file: {exc}") from None


def rubric_files(directory: str | os.PathLike[str] | None = None) -> list[Path]:
    d = Path(directory) if directory is not None else bundled_dir("rubrics")
    return sorted(d.glob("*.toml")) if d.is_dir() else []


# A hand-written rubric has tens of points and a few kB; these caps keep a runaway file (or a
# hostile one) from costing minutes and gigabytes before it is refused.
MAX_RUBRIC_BYTES = 2 * 1024 * 1024
MAX_POINTS = 1000
MAX_MARKS = 10_000.0  # the same bound rubric.py's validator applies to TOML marks


@lru_cache(maxsize=256)
def _load_toml_rubric(path: str, mtime_ns: int, size: int) -> Rubric:
    return from_toml(read_text(path), path=path)


def load_rubric_file(path: str | os.PathLike[str]) -> Rubric:
    """A rubric from a file: ``.toml`` (native), ``.csv`` (key points) or text (model answer).

    Every problem is one :class:`RubricError` naming the file (and the field when there is
    one): a missing file, a folder, a FIFO, a file over MAX_RUBRIC_BYTES, more than MAX_POINTS
    points, or an invalid field.
    """
    p = Path(path)
    try:
        st = check_regular_file(p, what="rubric file")
    except InputError as exc:
        raise RubricError(str(exc)) from None
    if st.st_size > MAX_RUBRIC_BYTES:
        raise RubricError(
            f"{p}: {st.st_size / 1e6:.1f} MB is too large for a rubric "
            f"(at most {MAX_RUBRIC_BYTES // 2**20} MiB)"
        )
    if p.suffix.lower() == ".csv":
        rows, cap = read_key_points(p)
        rubric = replace(from_key_points(rows, max_score=cap, rubric_id=_file_id(p)), path=str(p))
    elif p.suffix.lower() in (".txt", ".md"):
        rubric = replace(from_reference(read_text(p), rubric_id=_file_id(p)), path=str(p))
    else:
        rubric = _load_toml_rubric(str(p), st.st_mtime_ns, st.st_size)
    if len(rubric.points) > MAX_POINTS:
        msg = f"{len(rubric.points)} points; a rubric may have at most {MAX_POINTS}"
        raise RubricError(f"{p}: points: {msg}", problems=(("points", msg),))
    return rubric


def _file_id(p: Path) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", p.stem.lower()).strip("-") or "rubric"


def bundled_rubrics(directory: str | os.PathLike[str] | None = None) -> list[Rubric]:
    return [load_rubric_file(p) for p in rubric_files(directory)]


def write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write atomically: a crash never leaves half a file where a good one was."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(tmp, p)
    except OSError as exc:
        raise InputError(f"{p}: cannot write: {exc.strerror}") from None


def read_key_points(
    path: str | os.PathLike[str],
) -> tuple[list[tuple[str, str, float]], float | None]:
    """Key points from CSV: ``id,point,marks`` or SAF's ``ID,key_element,points``.

    Decimal commas ("0,5") are accepted. An optional ``max_score`` column (any row)
    caps the total.
    """
    text = read_text(path)
    return parse_key_points(text, name=str(path))


def parse_key_points(text: str, *, name: str) -> tuple[list[tuple[str, str, float]], float | None]:
    """Rows ``(id, point, marks)`` and the optional cap of a key-point CSV's text.

    Every problem is a :class:`RubricError` naming the file, the line and the column.

    >>> parse_key_points("id,point,marks\\na,binary encoding,1\\n", name="k.csv")
    ([('a', 'binary encoding', 1.0)], None)
    """
    try:
        return _parse_key_points(text, name=name)
    except csv.Error as exc:  # a NUL, an over-long field, a stray quote in strict dialects
        raise RubricError(f"{name}: not a readable CSV: {exc}") from None


def _parse_key_points(
    text: str, *, name: str
) -> tuple[list[tuple[str, str, float]], float | None]:
    reader = csv.DictReader(_io.StringIO(text))
    fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
    id_col = fields.get("id")
    text_col = fields.get("point") or fields.get("key_element") or fields.get("key point")
    marks_col = fields.get("marks") or fields.get("points")
    if not (text_col and marks_col):
        raise RubricError(
            f"{name}: a key-point CSV needs the header id,point,marks "
            f"(or ID,key_element,points); found {list(fields)}"
        )
    cap_col = fields.get("max_score")
    rows: list[tuple[str, str, float]] = []
    cap: float | None = None
    seen: dict[str, int] = {}
    for n, row in enumerate(reader, start=2):
        point = _cell(row.get(text_col)).strip().rstrip(",").strip()
        if not point:
            continue
        if len(rows) >= MAX_POINTS:
            raise RubricError(f"{name}: more than {MAX_POINTS} key points")
        pid = (_cell(row.get(id_col)).strip() if id_col else "") or str(n - 1)
        if pid in seen:
            raise RubricError(
                f"{name}: line {n}: {id_col or 'id'}: point id {pid!r} is used more than once "
                f"(first on line {seen[pid]})"
            )
        seen[pid] = n
        rows.append((pid, point, _number(row.get(marks_col), name=name, line=n, col=marks_col)))
        if cap_col and _cell(row.get(cap_col)).strip():
            cap = _number(row.get(cap_col), name=name, line=n, col=cap_col)
    if not rows:
        raise RubricError(f"{name}: no key points found")
    return rows, cap


def _cell(value: Any) -> str:
    # csv.DictReader puts the surplus cells of a long row in a list under the key None.
    return value if isinstance(value, str) else ""


def _number(value: Any, *, name: str, line: int, col: str = "marks") -> float:
    s = _cell(value).strip().replace(",", ".")
    try:
        x = float(s)
    except ValueError:
        raise RubricError(f"{name}: line {line}: {col}: {value!r} is not a number") from None
    if not math.isfinite(x):
        raise RubricError(f"{name}: line {line}: {col}: {value!r} is not a finite number")
    if x < 0:
        raise RubricError(f"{name}: line {line}: {col}: cannot be negative ({value!r})")
    if x == 0:
        raise RubricError(f"{name}: line {line}: {col}: must be more than 0 ({value!r})")
    if x > MAX_MARKS:
        raise RubricError(f"{name}: line {line}: {col}: {value!r} is more than {MAX_MARKS:g}")
    return x


# --------------------------------------------------------------------------- batches


def read_rows(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Rows of a CSV or JSONL file as dicts; each needs ``id`` and ``answer``."""
    p = Path(path)
    text = read_text(p)
    if p.suffix.lower() in (".jsonl", ".ndjson"):
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{p}: line {n}: not JSON: {exc.msg}") from None
            if not isinstance(row, Mapping):
                raise InputError(f"{p}: line {n}: each line must be a JSON object")
            yield _check_row(dict(row), p, n)
    elif p.suffix.lower() == ".csv":
        reader = csv.DictReader(_io.StringIO(text))
        cols = [c.strip().lower() for c in reader.fieldnames or []]
        if "answer" not in cols:
            raise InputError(f"{p}: a batch CSV needs columns id,answer; found {cols}")
        for n, row in enumerate(reader, start=2):
            yield _check_row({(k or "").strip().lower(): v for k, v in row.items()}, p, n)
    else:
        raise InputError(f"{p}: batch input must be .csv or .jsonl")


def _check_row(row: dict[str, Any], p: Path, n: int) -> dict[str, Any]:
    if not str(row.get("id") or "").strip():
        raise InputError(f"{p}: line {n}: missing id")
    if not isinstance(row.get("answer"), str):
        raise InputError(f"{p}: line {n}: missing answer text")
    return row


def already_graded(out_dir: str | os.PathLike[str]) -> dict[str, dict[str, Any]]:
    """Results a previous, interrupted run wrote, by id: they are kept, never regraded."""
    p = Path(out_dir) / "results.jsonl"
    if not p.exists():
        return {}
    done: dict[str, dict[str, Any]] = {}
    for line in read_text(p).splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a crash is graded again
        if isinstance(rec, dict) and "id" in rec:
            done[str(rec["id"])] = rec
    return done


class ResultsWriter:
    """Appends one JSON line per graded answer and flushes it, so nothing graded is lost."""

    def __init__(self, out_dir: str | os.PathLike[str], *, resume: bool) -> None:
        self.dir = Path(out_dir)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            path = self.dir / "results.jsonl"
            # A line cut short by a crash has no newline: end it, or the next record joins it.
            cut = resume and path.exists() and not _ends_in_newline(path)
            self._fh = path.open("a" if resume else "w", encoding="utf-8")
            if cut:
                self._fh.write("\n")
        except OSError as exc:
            raise InputError(f"{self.dir}: cannot write results: {exc.strerror}") from None

    def write(self, record: Mapping[str, Any]) -> None:
        self._fh.write(json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def _ends_in_newline(path: Path) -> bool:
    """True for an empty file too: there is nothing to end."""
    if path.stat().st_size == 0:
        return True
    with path.open("rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


# Characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a
# formula or command: "=HYPERLINK(...)", "+1+cmd", "-2+3", "@SUM(1)"; tab and CR are read as
# separators by some importers, which would start a new cell with a formula. OWASP's advice
# ("CSV injection") is to prefix a single quote: the spreadsheet shows the text as typed.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value as a CSV cell that no spreadsheet will run as a formula.

    Text starting with ``= + - @``, a tab or a carriage return gets a leading ``'``; a
    carriage return inside becomes a line feed (see below). Numbers are written as they are
    (``-1.5`` stays a number); None is an empty cell.

    >>> [csv_cell(v) for v in ("=1+1", "@SUM(1)", "-2+3", "plain", -1.5, None)]
    ["'=1+1", "'@SUM(1)", "'-2+3", 'plain', '-1.5', '']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    # A bare CR inside a cell is not quoted by the csv module (our line end is LF), and
    # LibreOffice reads it as the end of the row: the rest of the cell becomes a new row whose
    # first cell may be a formula. As LF it is quoted, and stays inside its cell.
    s = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "'" + s if str(value).startswith(_FORMULA_START) else s


def write_grades_csv(
    out_dir: str | os.PathLike[str], rows: list[dict[str, Any]], columns: list[str]
) -> Path:
    """``OUT/grades.csv``: every cell through :func:`csv_cell`."""
    buf = _io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([csv_cell(c) for c in columns])
    for r in rows:
        w.writerow([csv_cell(r.get(c)) for c in columns])
    p = Path(out_dir) / "grades.csv"
    write_text(p, buf.getvalue())
    return p


def read_json(path: str | os.PathLike[str]) -> Any:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from None
