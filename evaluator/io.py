"""All file access: seeds, rubric files, answers, key-point CSVs, batch inputs and outputs.

Nothing else in the package opens a file. Errors are :class:`InputError` or
:class:`RubricError` with a one-line message naming the file.
"""

from __future__ import annotations

import csv
import hashlib
import io as _io
import json
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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


def package_data(name: str) -> bytes:
    """The bytes of a data file shipped inside the package (``evaluator/data/<name>``)."""
    try:
        return (_PACKAGE / "data" / name).read_bytes()
    except OSError as exc:
        raise InputError(f"package data {name}: cannot read: {exc.strerror}") from None


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a UTF-8 text file (a BOM is dropped); one-line errors for the usual failures."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror}") from None
    return decode(data, name=str(p))


def decode(data: bytes, *, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text") from None


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
            data = p.read_bytes()
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


@lru_cache(maxsize=256)
def _load_toml_rubric(path: str, mtime_ns: int, size: int) -> Rubric:
    return from_toml(read_text(path), path=path)


def load_rubric_file(path: str | os.PathLike[str]) -> Rubric:
    """A rubric from a file: ``.toml`` (native), ``.csv`` (key points) or text (model answer)."""
    p = Path(path)
    if not p.is_file():
        raise RubricError(f"{p}: no such rubric file")
    if p.suffix.lower() == ".csv":
        rows, cap = read_key_points(p)
        return from_key_points(rows, max_score=cap, rubric_id=_file_id(p))
    if p.suffix.lower() in (".txt", ".md"):
        return from_reference(read_text(p), rubric_id=_file_id(p))
    st = p.stat()
    return _load_toml_rubric(str(p), st.st_mtime_ns, st.st_size)


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
    for n, row in enumerate(reader, start=2):
        point = (row.get(text_col) or "").strip().rstrip(",").strip()
        if not point:
            continue
        rows.append(
            (
                ((row.get(id_col) or "").strip() if id_col else "") or str(n - 1),
                point,
                _number(row.get(marks_col), name=name, line=n),
            )
        )
        if cap_col and (row.get(cap_col) or "").strip():
            cap = _number(row.get(cap_col), name=name, line=n)
    if not rows:
        raise RubricError(f"{name}: no key points found")
    return rows, cap


def _number(value: str | None, *, name: str, line: int) -> float:
    s = (value or "").strip().replace(",", ".")
    try:
        x = float(s)
    except ValueError:
        raise RubricError(f"{name}: line {line}: {value!r} is not a number") from None
    if x < 0:
        raise RubricError(f"{name}: line {line}: marks cannot be negative")
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


def write_grades_csv(
    out_dir: str | os.PathLike[str], rows: list[dict[str, Any]], columns: list[str]
) -> Path:
    buf = _io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow(r)
    p = Path(out_dir) / "grades.csv"
    write_text(p, buf.getvalue())
    return p


def read_json(path: str | os.PathLike[str]) -> Any:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from None
