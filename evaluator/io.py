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
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from evaluator.errors import InputError, RubricError
from evaluator.rubric import Rubric, TopicSpec, from_key_points, from_reference, from_toml

if TYPE_CHECKING:
    import sqlite3

_PACKAGE = Path(__file__).resolve().parent
# The word tables travel with the code, wherever the rubrics and seeds are looked for.
_DATA = _PACKAGE / "data"
SEED_SUFFIXES = (".txt", ".json", ".md", ".html", ".htm")
TOPICS_FILE = "topics.toml"


def bundled_dir(name: str) -> Path:
    """``seeds`` or ``rubrics``: inside the installed package, or beside it in a checkout."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def package_data(name: str) -> bytes:
    """The bytes of a data file shipped inside the package (``evaluator/data/<name>``)."""
    try:
        return (_DATA / name).read_bytes()
    except OSError as exc:
        raise InputError(f"package data {name}: cannot read: {exc.strerror}") from None


def package_table(name: str) -> dict[str, str]:
    """A shipped gzip TSV word table (``evaluator/data/<name>``): first field -> the rest of
    its line. ``#`` lines are comments."""
    import gzip

    text = gzip.decompress(package_data(name)).decode("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, _, rest = line.partition("\t")
            out[key] = rest
    return out


class SortedTable:
    """A shipped TSV word table, sorted by its first field, looked up without reading it.

    The file is mapped into memory and a key found by binary search over its lines, so a
    lookup touches a few pages and opening costs nothing like parsing the whole table (the
    near-word table is 2.8 MB: parsed into a dict it took 25-70 ms of a cold grade). Lines
    starting with ``#`` (a header) sort before any key and are never returned.

    >>> t = SortedTable(b"# head\\nbuy\\tpurchas\\nfirm\\tcompani 0.8\\n")
    >>> t.get("firm"), t.get("fir"), t.get("zzz")
    ('compani 0.8', None, None)
    """

    def __init__(self, data: Any) -> None:
        self._data = data  # bytes or an mmap: both index and find alike
        self._size = len(data)

    def get(self, key: str) -> str | None:
        """The rest of ``key``'s line, or None when the table has no such key."""
        target = key.encode("utf-8")
        if not target or target[:1] == b"#" or b"\n" in target or b"\t" in target:
            return None
        data = self._data
        lo, hi = 0, self._size
        # Invariant: a line starting in [lo, hi) may hold the key; lo is a line start.
        while lo < hi:
            mid = (lo + hi) // 2
            start = data.rfind(b"\n", lo, mid) + 1 if mid > lo else lo
            if start < lo:
                start = lo
            end = data.find(b"\n", start)
            if end < 0:
                end = self._size
            tab = data.find(b"\t", start, end)
            line_key = data[start : tab if tab >= 0 else end]
            if line_key == target:
                return bytes(data[tab + 1 : end]).decode("utf-8") if tab >= 0 else ""
            if line_key < target:
                lo = end + 1
            else:
                hi = start
        return None


@lru_cache(maxsize=8)
def package_sorted_table(name: str) -> SortedTable:
    """A shipped sorted TSV table (``evaluator/data/<name>``), mapped, not read: see
    :class:`SortedTable`."""
    import mmap

    path = _PACKAGE / "data" / name
    try:
        with open(path, "rb") as f:
            # The map outlives the file object; an empty file cannot be mapped.
            data: Any = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(
                f.fileno()).st_size else b""
    except OSError as exc:
        raise InputError(f"package data {name}: cannot read: {exc.strerror}") from None
    return SortedTable(data)


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
    d = Path(directory) if directory is not None else default_rubrics_dir()
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
    # A key point is a line of text; a 100 KiB "point" is a pasted file, not a rubric. (Batch
    # CSVs lift the csv module's own cap for long answers, so the check is ours.)
    longest = max((len(f) for f in re.split(r"[,\n]", text)), default=0)
    if longest > MAX_KEY_POINT_CHARS:
        raise RubricError(
            f"{name}: not a readable CSV: a field is longer than {MAX_KEY_POINT_CHARS} characters"
        )
    try:
        return _parse_key_points(text, name=name)
    except csv.Error as exc:  # a NUL, a stray quote in strict dialects
        raise RubricError(f"{name}: not a readable CSV: {exc}") from None


MAX_KEY_POINT_CHARS = 64 * 1024


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

ANSWER_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
BATCH_SUFFIXES = (".csv", ".jsonl", ".ndjson")
RUBRICS_ENV = "EVALUATOR_RUBRICS"
# A CSV answer may be long; the csv module's default cap (128 KiB) would refuse it.
csv.field_size_limit(64 * 1024 * 1024)


def _text_encoding(p: Path) -> str:
    """The encoding to stream ``p`` with, decided by reading it once in chunks (flat memory)."""
    with p.open("rb") as fh:
        head = fh.read(4096)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16"
        if b"\x00" in head:
            raise InputError(f"{p}: looks like a binary file, not text")
        dec = codecs.getincrementaldecoder("utf-8")()
        chunk = head
        try:
            while chunk:
                dec.decode(chunk)
                chunk = fh.read(1 << 20)
            dec.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def read_rows(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Rows of a CSV or JSONL file as dicts, streamed; each needs ``id`` and ``answer``."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in BATCH_SUFFIXES:
        raise InputError(f"{p}: batch input must be .csv or .jsonl")
    check_regular_file(p)
    try:
        enc = _text_encoding(p)
        with p.open(encoding=enc, newline="") as fh:
            if suffix in (".jsonl", ".ndjson"):
                yield from _jsonl_rows(fh, p)
            else:
                yield from _csv_rows(fh, p)
    except UnicodeDecodeError:
        raise InputError(f"{p}: not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror}") from None


def _jsonl_rows(fh: TextIO, p: Path) -> Iterator[dict[str, Any]]:
    for n, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{p}: line {n}: not JSON: {exc.msg}") from None
        if not isinstance(row, Mapping):
            raise InputError(f"{p}: line {n}: each line must be a JSON object")
        if "\\u" in line and _lone_surrogate(row):
            raise InputError(f"{p}: line {n}: a \\u escape is half a character (a lone "
                             "surrogate); the text cannot be written back")
        yield _check_row(dict(row), p, n)


def _lone_surrogate(row: Mapping[str, Any]) -> bool:
    try:
        json.dumps(row, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _csv_rows(fh: TextIO, p: Path) -> Iterator[dict[str, Any]]:
    reader = csv.DictReader(fh, strict=True)
    try:
        cols = [c.strip().lower() for c in reader.fieldnames or []]
        if "answer" not in cols:
            raise InputError(f"{p}: a batch CSV needs columns id,answer; found {cols}")
        for row in reader:
            n = reader.line_num
            yield _check_row({(k or "").strip().lower(): v for k, v in row.items()}, p, n)
    except csv.Error as exc:
        # line_num counts the lines parsed whole: the bad one is the next.
        raise InputError(f"{p}: line {reader.line_num + 1}: not valid CSV: {exc}") from None


def row_value(row: Mapping[str, Any], key: str) -> str | None:
    """A batch row's field as stripped text, or None when absent or blank."""
    v = row.get(key)
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def row_references(row: Mapping[str, Any]) -> list[str]:
    """A row's model answers: ``reference`` (text, or a JSON list of texts) and then the
    alternatives in ``reference_2``, ``reference_3``, ... (CSV columns).

    >>> row_references({"reference": "A", "reference_3": "C", "reference_2": " "})
    ['A', 'C']
    """
    first = row.get("reference")
    out = [str(x) for x in first if x is not None] if isinstance(first, list | tuple) else [
        str(first or "")
    ]
    extra = sorted(
        (int(k.rsplit("_", 1)[1]), k) for k in row if re.fullmatch(r"reference_\d+", str(k))
    )
    out += [str(row.get(k) or "") for _, k in extra]
    return [r.strip() for r in out if r.strip()]


def row_marks(row: Mapping[str, Any], default: float | None) -> float | None:
    """A row's ``max_score`` (a decimal comma accepted), else ``default``."""
    cap = row_value(row, "max_score")
    if not cap:
        return default
    try:
        return float(cap.replace(",", "."))
    except ValueError:
        raise InputError(f"max_score {cap!r} is not a number") from None


def _check_row(row: dict[str, Any], p: Path, n: int) -> dict[str, Any]:
    if not str(row.get("id") or "").strip():
        raise InputError(f"{p}: line {n}: missing id")
    if not isinstance(row.get("answer"), str):
        raise InputError(f"{p}: line {n}: missing answer text")
    return row


def read_answer_file(path: str | os.PathLike[str]) -> str:
    """The text of one answer script: ``.docx``, text ``.pdf``, or plain text (.txt, .md).

    A PDF without a text layer (a scan) is refused with a message that says so.
    """
    p = Path(path)
    check_regular_file(p)
    suffix = p.suffix.lower()
    if suffix == ".docx":
        return _read_docx(p)
    if suffix == ".pdf":
        return _read_pdf(p)
    if suffix in (".doc", ".odt", ".rtf", ".pages"):
        raise InputError(f"{p}: {suffix} files are not read; save it as .docx, .pdf or .txt")
    return read_text(p)


def _read_docx(p: Path) -> str:
    try:
        import docx  # python-docx
    except ImportError:
        raise InputError(f"{p}: reading .docx needs python-docx (pip install python-docx)") \
            from None
    try:
        doc = docx.Document(str(p))
    except Exception as exc:  # noqa: BLE001 - python-docx raises zip, XML and key errors alike
        raise InputError(f"{p}: not a readable .docx ({type(exc).__name__})") from None
    parts = [para.text.strip() for para in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text.strip() for c in row.cells))
    text = "\n\n".join(t for t in parts if t)
    if not text.strip():
        raise InputError(f"{p}: the document has no text")
    return text


def _read_pdf(p: Path) -> str:
    try:
        import pypdf
    except ImportError:
        raise InputError(f"{p}: reading .pdf needs pypdf (pip install pypdf)") from None
    import logging

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not the user's problem
    try:
        reader = pypdf.PdfReader(str(p))
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(f"{p}: the PDF is password-protected")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on damaged files
        raise InputError(f"{p}: not a readable PDF ({type(exc).__name__})") from None
    text = "\n\n".join(t for t in pages if t)
    if not text.strip():
        raise InputError(
            f"{p}: the PDF has no text layer (a scan?): run OCR on it or submit it as text"
        )
    return text


@dataclass(frozen=True)
class InputRow:
    """One answer found in the batch inputs, or the reason a found file cannot be one.

    ``base`` is the folder a batch file's per-row rubric and reference paths are read from.
    """

    id: str
    fields: Mapping[str, Any]
    base: Path | None = None
    error: str | None = None
    origin: str = ""


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    skip: str | os.PathLike[str] | None = None,
    read: bool = True,
) -> Iterator[InputRow]:
    """Every answer under ``paths`` (files and folders, in the order given), streamed.

    Folders are walked in name order, symlinks followed once (loops are not re-entered),
    hidden files and ``skip`` (the output folder) left out. Answer files give one row
    with the file name as id (the path below the folder, for subfolders); batch files
    give their rows. What cannot be read becomes a row with ``error``. ``read=False``
    leaves answer files unread (to count the answers before grading them).
    """
    given = [Path(p) for p in paths]
    for p in given:  # a mistyped argument is a usage problem: say so before any work
        if not p.exists() and not p.is_symlink():
            raise InputError(f"{p}: no such file or folder")
    skip_real = Path(skip).resolve() if skip is not None else None
    for p in given:
        if p.is_dir():
            yield from _walk(p, p, skip_real, set(), read)
        else:
            yield from _file_rows(p, p.stem, explicit=True, read=read)


def _walk(
    top: Path, d: Path, skip: Path | None, seen: set[tuple[int, int]], read: bool
) -> Iterator[InputRow]:
    try:
        st = d.stat()
    except OSError as exc:
        yield InputRow(_rel_id(top, d), {}, error=f"cannot read folder: {exc.strerror}")
        return
    if (st.st_dev, st.st_ino) in seen:
        return  # a symlink loop or a second link to a folder already read
    seen.add((st.st_dev, st.st_ino))
    if skip is not None and d.resolve() == skip:
        return
    try:
        entries = sorted(os.scandir(d), key=lambda e: e.name)
    except OSError as exc:
        yield InputRow(_rel_id(top, d), {}, error=f"cannot read folder: {exc.strerror}")
        return
    for e in entries:
        if e.name.startswith((".", "~$")):
            continue  # hidden files, editors' lock files
        path = Path(e.path)
        try:
            is_dir = e.is_dir()  # follows symlinks
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(top, path, skip, seen, read)
        else:
            yield from _file_rows(path, _rel_id(top, path), explicit=False, read=read)


def _rel_id(top: Path, p: Path) -> str:
    rel = p.relative_to(top)
    return rel.with_suffix("").as_posix() if rel.suffix else rel.as_posix()


def _file_rows(p: Path, rid: str, *, explicit: bool, read: bool = True) -> Iterator[InputRow]:
    origin = str(p)
    try:
        check_regular_file(p)
    except InputError as exc:
        if p.is_symlink() and not p.exists():
            yield InputRow(rid, {}, error="a broken symlink", origin=origin)
        else:
            yield InputRow(rid, {}, error=_reason(exc, p), origin=origin)
        return
    suffix = p.suffix.lower()
    if suffix in BATCH_SUFFIXES:
        base = p.resolve().parent
        try:
            for row in read_rows(p):
                yield InputRow(str(row["id"]).strip(), row, base=base, origin=origin)
        except InputError as exc:
            if explicit:
                raise
            yield InputRow(rid, {}, error=_reason(exc, p), origin=origin)
        return
    if suffix not in ANSWER_SUFFIXES and suffix not in (".doc", ".odt", ".rtf", ".pages"):
        shown = suffix or "no extension"
        yield InputRow(
            rid, {}, origin=origin,
            error=f"{shown} is not an answer format (.txt, .md, .docx, .pdf, .csv, .jsonl)",
        )
        return
    if not read:
        yield InputRow(rid, {}, origin=origin)
        return
    try:
        text = read_answer_file(p)
    except InputError as exc:
        yield InputRow(rid, {}, error=_reason(exc, p), origin=origin)
        return
    if not text.strip():
        yield InputRow(rid, {}, error="empty file", origin=origin)
        return
    yield InputRow(rid, {"id": rid, "answer": text}, origin=origin)


def _reason(exc: InputError, p: Path) -> str:
    """The message without its leading file name: the row already names the file."""
    msg = str(exc)
    prefix = f"{p}: "
    return msg[len(prefix):] if msg.startswith(prefix) else msg


def resolve_row_path(value: str, base: Path, *, allow_outside: bool) -> Path:
    """A per-row rubric or reference path, read relative to the batch file's folder.

    It may not leave that folder (``..``, absolute paths, symlinks out) unless allowed.
    """
    p = Path(value)
    full = p if p.is_absolute() else base / p
    real = full.resolve()
    if not allow_outside and not real.is_relative_to(base.resolve()):
        raise InputError(
            f"{value}: outside the batch file's folder; pass --allow-paths to permit it"
        )
    return real


def read_overrides(path: str | os.PathLike[str]) -> dict[str, tuple[float | None, str]]:
    """A teacher's overrides: ``id,score,comment`` (score or comment may be blank)."""
    p = Path(path)
    check_regular_file(p)
    reader = csv.DictReader(_io.StringIO(read_text(p)))
    cols = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
    if "id" not in cols or not ({"score", "comment"} & set(cols)):
        raise InputError(f"{p}: an overrides CSV needs columns id,score,comment")
    out: dict[str, tuple[float | None, str]] = {}
    for row in reader:
        rid = (row.get(cols["id"]) or "").strip()
        if not rid:
            continue
        raw = (row.get(cols["score"]) or "").strip() if "score" in cols else ""
        score: float | None = None
        if raw:
            score = _number(raw, name=str(p), line=reader.line_num)
            if not math.isfinite(score):
                raise InputError(f"{p}: line {reader.line_num}: score must be a finite number")
        comment = (row.get(cols["comment"]) or "").strip() if "comment" in cols else ""
        out[rid] = (score, comment)
    return out


def default_rubrics_dir() -> Path:
    """The rubric library when none is named.

    ``$EVALUATOR_RUBRICS``; else ``./rubrics`` when the current folder is a checkout of
    this project (so edits there count after a non-editable install); else the bundled one.
    """
    env = os.environ.get(RUBRICS_ENV, "").strip()
    if env:
        return Path(env)
    here = checkout_root(Path.cwd())
    if here is not None:
        return here / "rubrics"
    return bundled_dir("rubrics")


def default_seeds_dir() -> Path:
    here = checkout_root(Path.cwd())
    return here / "seeds" if here is not None else bundled_dir("seeds")


def build_target() -> tuple[Path, bool]:
    """Where ``rubrics build`` writes by default, and whether that is outside any library
    ``evaluate`` reads by default (the caller then says how to use it).

    Never inside an installed package: there, edits would be lost on upgrade and a
    checkout's ``rubrics/`` would not see them.
    """
    env = os.environ.get(RUBRICS_ENV, "").strip()
    if env:
        return Path(env), False
    for root in (checkout_root(Path.cwd()), checkout_root(_PACKAGE.parent)):
        if root is not None:
            return root / "rubrics", False
    return Path.cwd() / "rubrics", True


def checkout_root(d: Path) -> Path | None:
    """``d`` when it is a checkout of this project (pyproject naming it, seeds/, rubrics/)."""
    py = d / "pyproject.toml"
    if not ((d / "seeds").is_dir() and (d / "rubrics").is_dir() and py.is_file()):
        return None
    try:
        return d if 'name = "mains-evaluator"' in py.read_text("utf-8", errors="replace") else None
    except OSError:
        return None


# ---------------------------------------------------------------- batch output files


def scratch_db(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """A new, empty SQLite database at ``path`` for a run's per-answer working state.

    Scratch only: nothing in it is needed to resume (the journal is), so it is written
    without a rollback journal or syncs, in one transaction; a stale one left by a killed run
    is replaced. The caller closes it and removes the file (:func:`drop_scratch_db`).
    SQLite keeps a bounded page cache and sorts on disk, so memory does not grow with it.

    >>> import tempfile, os
    >>> db = scratch_db(os.path.join(tempfile.mkdtemp(), "s.sqlite"))
    >>> db.execute("SELECT 1").fetchone()
    (1,)
    """
    import sqlite3

    p = Path(path)
    remove_files([p, p.with_name(p.name + "-journal")])
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(p, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-2048",
                       "temp_store=FILE"):
            db.execute(f"PRAGMA {pragma}")
        db.execute("BEGIN")
    except (OSError, sqlite3.Error) as exc:
        raise InputError(f"{p}: cannot create the run's working database: {exc}") from None
    return db


def drop_scratch_db(db: sqlite3.Connection, path: str | os.PathLike[str]) -> None:
    """Close ``db`` and remove its file (its contents are never kept)."""
    db.close()
    p = Path(path)
    remove_files([p, p.with_name(p.name + "-journal")])


class Journal:
    """Append-only store of graded answers keyed by content, one JSON line each.

    A line is flushed as soon as it is written, so a killed run loses at most the line
    being written; that half line is cut off when the journal is next opened.
    The ``key -> offset`` index lives in the run's scratch database ``db``, not in memory.
    """

    def __init__(self, path: str | os.PathLike[str], db: sqlite3.Connection) -> None:
        self.path = Path(path)
        self._db = db
        db.execute("CREATE TABLE journal (key TEXT PRIMARY KEY, pos INTEGER, len INTEGER)"
                   " WITHOUT ROWID")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            good = 0
            if self.path.exists():
                with self.path.open("rb") as fh:
                    pos = 0
                    found: list[tuple[str, int, int]] = []
                    for line in fh:
                        if not line.endswith(b"\n"):
                            break  # half-written by a run that was killed
                        try:
                            key = json.loads(line)["key"]
                        except (ValueError, KeyError, TypeError):
                            break
                        found.append((str(key), pos, len(line)))
                        pos += len(line)
                        if len(found) >= 1000:
                            self._index(found)
                    self._index(found)
                    good = pos
                with self.path.open("r+b") as fh:
                    fh.truncate(good)
            self._fh = self.path.open("ab")
            self._reader = self.path.open("rb")
        except OSError as exc:
            raise InputError(f"{self.path}: cannot use the journal: {exc.strerror}") from None

    def _index(self, found: list[tuple[str, int, int]]) -> None:
        # A key written twice: the later line counts.
        self._db.executemany("INSERT OR REPLACE INTO journal VALUES (?, ?, ?)", found)
        found.clear()

    def __contains__(self, key: object) -> bool:
        return self._at(str(key)) is not None

    def _at(self, key: str) -> tuple[int, int] | None:
        row = self._db.execute("SELECT pos, len FROM journal WHERE key = ?", (key,)).fetchone()
        return None if row is None else (int(row[0]), int(row[1]))

    def get(self, key: str) -> dict[str, Any] | None:
        at = self._at(key)
        if at is None:
            return None
        self._reader.seek(at[0])
        entry: dict[str, Any] = json.loads(self._reader.read(at[1]))
        return entry

    def add(self, entry: Mapping[str, Any]) -> None:
        line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        pos = self._fh.tell()
        self._fh.write(line)
        self._fh.flush()
        self._index([(str(entry["key"]), pos, len(line))])

    def compact(self, keys: Iterable[str]) -> None:
        """Keep only ``keys`` (in that order): a finished run's journal holds its answers only."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("wb") as out:
            for key in keys:
                at = self._at(key)
                if at is not None:
                    self._reader.seek(at[0])
                    out.write(self._reader.read(at[1]))
        self.close()
        os.replace(tmp, self.path)

    def close(self) -> None:
        self._fh.close()
        self._reader.close()


class AtomicFile:
    """A text file written under a temporary name and renamed into place when complete.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> with AtomicFile(os.path.join(d, "x.txt")) as fh:
    ...     _ = fh.write("done\\n")
    >>> open(os.path.join(d, "x.txt")).read()
    'done\\n'
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")

    def __enter__(self) -> TextIO:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.tmp.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise InputError(f"{self.path}: cannot write: {exc.strerror}") from None
        return self._fh

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._fh.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def write_if_changed(path: str | os.PathLike[str], text: str) -> bool:
    """Atomically write ``text`` unless the file already holds exactly it."""
    p = Path(path)
    data = text.encode("utf-8")
    try:
        if p.is_file() and p.stat().st_size == len(data) and p.read_bytes() == data:
            return False
    except OSError:
        pass
    write_text(p, text)
    return True


def write_chunks_if_changed(path: str | os.PathLike[str], chunks: Iterable[str]) -> bool:
    """:func:`write_if_changed` for text given in pieces and never held whole: written under
    a temporary name, compared with the file in place, renamed over it if different."""
    import filecmp

    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            for chunk in chunks:
                fh.write(chunk)
        if p.is_file() and filecmp.cmp(tmp, p, shallow=False):
            tmp.unlink()
            return False
        os.replace(tmp, p)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{p}: cannot write: {exc.strerror}") from None
    return True


def read_lines(path: str | os.PathLike[str]) -> Iterator[str]:
    """The lines of a UTF-8 file we wrote, streamed."""
    with Path(path).open(encoding="utf-8") as fh:
        yield from fh


def remove_files(paths: Iterable[Path]) -> None:
    for p in paths:
        p.unlink(missing_ok=True)


def other_files(
    d: str | os.PathLike[str], suffixes: tuple[str, ...], keep: Container[str]
) -> Iterator[Path]:
    """Files of ``d`` with one of ``suffixes`` whose name is not in ``keep``, streamed (a
    batch's feedback folder holds two files an answer: no list of them all is built)."""
    if not os.path.isdir(d):
        return
    with os.scandir(d) as entries:
        for e in entries:
            if os.path.splitext(e.name)[1] in suffixes and e.name not in keep and e.is_file():
                yield Path(e.path)


def list_files(d: str | os.PathLike[str], suffixes: tuple[str, ...]) -> list[Path]:
    p = Path(d)
    return sorted(x for x in p.iterdir() if x.suffix in suffixes) if p.is_dir() else []


def prepare_out_dir(out_dir: str | os.PathLike[str]) -> Path:
    """The output folder, created; refuses an empty name and an existing file."""
    s = os.fspath(out_dir)
    if not s.strip():
        raise InputError('the output folder (-o) must be named; "" is not a folder')
    p = Path(s)
    if p.exists() and not p.is_dir():
        raise InputError(f"{p}: exists and is not a folder")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{p}: cannot create the output folder: {exc.strerror}") from None
    return p


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
    if _PLAIN_NUMBER.fullmatch(s):
        return s  # "-2.50" is a number a spreadsheet reads as one, not a formula
    return "'" + s if str(value).startswith(_FORMULA_START) else s


_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def write_grades_csv(
    out_dir: str | os.PathLike[str], rows: Iterable[Mapping[str, Any]], columns: list[str]
) -> Path:
    """``OUT/grades.csv``, every cell through :func:`csv_cell`, replaced atomically."""
    p = Path(out_dir) / "grades.csv"
    with AtomicFile(p) as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([csv_cell(c) for c in columns])
        for r in rows:
            w.writerow([csv_cell(r.get(c, "")) for c in columns])
    return p


def read_json(path: str | os.PathLike[str]) -> Any:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from None
