"""Batch grading: folders and files of answers in; a gradebook, feedback and a class report out.

``run_batch(["scripts/", "late.docx", "more.csv"], "out/")`` writes, under ``out/``:
``grades.csv`` (one row per answer, input order), ``results.jsonl`` (each answer's full
JSON), ``feedback/<id>.md`` and ``.html``, and ``summary.html``.

Resumable and keyed by content: every graded answer is appended to a journal
(``OUT/.evaluator/journal.jsonl``) under a key hashing everything that decides its outputs
(answer text, rubric content hash, question, marks, calibration, override, options,
version). A re-run reuses an entry only when its key is unchanged and grades the rest; the
final files are then rebuilt from the journal in input order and replaced atomically, so
an interrupted run, re-run, ends with the same bytes as an uninterrupted one.
Memory stays flat: inputs are streamed, at most a few answers are in flight, and what
grows with the class (the input order, ids and keys, the journal's index, marks,
fingerprints, flagged answers) is kept in a scratch SQLite database,
``OUT/.evaluator/run.sqlite``, removed when the run ends.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaluator import io
from evaluator.errors import EvaluatorError, InputError
from evaluator.summary import ClassStats, fingerprint, html_chunks

if TYPE_CHECKING:
    import sqlite3

    from evaluator.calibrate import Calibration
    from evaluator.library import Library

FORMAT = 1  # the journal entry's shape; a change regrades everything
HEAD_COLUMNS = ["id", "student", "rubric", "score", "max_score", "percent"]
TAIL_COLUMNS = ["word_count", "missing_count", "flags", "error"]
STATE_DIR = ".evaluator"
SCRATCH_FILE = "run.sqlite"  # the run's per-answer working state; removed when it ends
SHOWN_ERRORS = 20
OVERRIDES_FILE = "overrides.csv"
_REFERENCE_FILE = re.compile(r"^[^\n\r]{1,255}\.(?:txt|md)$", re.IGNORECASE)
_RUBRIC_SUFFIXES = (".toml", ".csv", ".txt", ".md")

Progress = Callable[[int], None]


@dataclass(frozen=True)
class BatchOptions:
    """What applies to every answer (a row's own rubric, reference, question or
    max_score take precedence). ``rubric`` is a library name or a file path;
    ``reference`` the model answer's text; ``rubrics_dir`` the rubric library."""

    rubric: str | None = None
    rubrics_dir: str | None = None
    reference: str | None = None
    question: str | None = None
    marks: float | None = None
    calibration: Calibration | None = None
    hide_missing: bool = False
    allow_paths: bool = False


@dataclass(frozen=True)
class Task:
    """One answer to grade: everything a worker (local or on a cluster) needs."""

    key: str
    id: str
    student: str
    answer: str
    rubric: str | None
    reference: str | tuple[str, ...] | None
    question: str | None
    marks: float | None
    override: tuple[float | None, str] | None


@dataclass
class BatchSummary:
    out_dir: str
    graded: int = 0
    reused: int = 0
    errors: int = 0
    seconds: float = 0.0
    error_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.graded + self.reused + self.errors

    def describe(self) -> str:
        lines = [
            f"graded {self.graded} ({self.reused} reused from an earlier run), "
            f"errors {self.errors}, {self.seconds:.1f} s -> {self.out_dir}"
        ]
        lines += [f"  {e}" for e in self.error_lines[:SHOWN_ERRORS]]
        if self.errors > SHOWN_ERRORS:
            lines.append(f"  … and {self.errors - SHOWN_ERRORS} more (see grades.csv)")
        lines += self.notes
        return "\n".join(lines)


# ------------------------------------------------------------------------ one answer


def grade_task(opts: BatchOptions, task: Task) -> dict[str, Any]:
    """Grade one answer into a journal entry: its record, feedback and fingerprint.

    Runs in worker processes and on Dask workers: no files are written here.
    """
    from evaluator.library import bundled_library, evaluate
    from evaluator.report import render

    head: dict[str, Any] = {"id": task.id}
    if task.student:
        head["student"] = task.student
    try:
        lib = bundled_library(opts.rubrics_dir) if opts.rubrics_dir else None
        result = evaluate(
            task.answer,
            task.rubric,
            question=task.question,
            marks=task.marks,
            reference=task.reference,
            calibration=opts.calibration,
            library=lib,
        )
    except EvaluatorError as exc:
        record = _with_override({**head, "error": str(exc)}, task.override)
        return {"key": task.key, "record": record}
    record = _with_override({**head, **result.to_dict()}, task.override)
    shown = replace(result, missing=()) if opts.hide_missing else result
    if "override" in record and record["override"].get("score") is not None:
        shown = replace(shown, score=float(record["score"]))
    md = render(shown, "markdown") + _comment_md(record.get("override"))
    page = render(shown, "html")
    comment = _comment_html(record.get("override"))
    if comment:
        at = page.rfind("</body>")
        page = page[:at] + comment + page[at:] if at >= 0 else page + comment
    return {
        "key": task.key,
        "record": record,
        "md": md,
        "html": page,
        "fingerprint": fingerprint(task.answer),
    }


def _with_override(
    record: dict[str, Any], override: tuple[float | None, str] | None
) -> dict[str, Any]:
    if override is None:
        return record
    score, comment = override
    o: dict[str, Any] = {"score": score, "comment": comment}
    if score is not None:
        o["computed_score"] = record.get("score")
        record["score"] = score
    record["override"] = o
    return record


def _comment_md(o: Mapping[str, Any] | None) -> str:
    if not o:
        return ""
    out = ["", "## From your teacher", ""]
    if o.get("score") is not None:
        out.append(f"Mark: **{o['score']:g}** (set by the teacher).")
    if o.get("comment"):
        text = html.escape(" ".join(str(o["comment"]).split()), quote=False)
        out.append("")
        out.append(re.sub(r"([\\`*_\[\]#|])", r"\\\1", text))
    return "\n".join(out) + "\n"


def _comment_html(o: Mapping[str, Any] | None) -> str:
    if not o:
        return ""
    parts = ["<section><h2>From your teacher</h2>"]
    if o.get("score") is not None:
        parts.append(f"<p>Mark: <strong>{o['score']:g}</strong> (set by the teacher).</p>")
    if o.get("comment"):
        parts.append(f"<p>{html.escape(str(o['comment']))}</p>")
    parts.append("</section>\n")
    return "".join(parts)


# ------------------------------------------------------------------------ outputs


def feedback_name(rid: str) -> str:
    """A file name for an id that cannot leave ``OUT/feedback`` or collide with another.

    >>> feedback_name("ram"), feedback_name("../../etc/passwd")[:11]
    ('ram', 'etc_passwd-')
    """
    norm = unicodedata.normalize("NFC", rid)
    safe = re.sub(r"[^\w.-]+", "_", norm).strip("._-")[:80]
    if safe != rid or not safe:
        digest = hashlib.sha256(rid.encode("utf-8")).hexdigest()[:8]
        safe = f"{safe or 'answer'}-{digest}"
    return safe


def grade_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """The grades.csv row of one results record (dimension columns by their name)."""
    row: dict[str, Any] = {
        "id": record.get("id", ""),
        "student": record.get("student", ""),
        "error": record.get("error", ""),
    }
    override = record.get("override") or {}
    marks = ["overridden"] if override.get("score") is not None else []
    marks += ["teacher_comment"] if override.get("comment") else []
    if record.get("error"):
        # Never 0 for an answer we could not grade: blank, unless the teacher marked it.
        row["score"] = _num(override["score"]) if override.get("score") is not None else ""
        row["flags"] = ";".join(marks)
        return row
    score = float(record.get("score", 0.0))
    top = float(record.get("max_score", 0.0))
    row.update(
        rubric=record.get("rubric", ""),
        score=_num(score),
        max_score=_num(top),
        percent=f"{100 * score / top:.1f}" if top > 0 else "",
        word_count=(record.get("structure") or {}).get("word_count", ""),
        missing_count=len(record.get("missing") or []),
        flags=";".join([*(record.get("flags") or []), *marks]),
    )
    for d in record.get("dimensions") or []:
        row[_dim_column(str(d.get("name", "")))] = _num(float(d.get("score", 0.0)))
    return row


def _num(x: float) -> str:
    return f"{x:.2f}"


def _dim_column(name: str) -> str:
    return f"dimension {name}" if name in HEAD_COLUMNS or name in TAIL_COLUMNS else name


# ------------------------------------------------------------------------ the run


class _Planner:
    """Turns input rows into tasks: resolves rubrics and references, computes keys."""

    def __init__(self, opts: BatchOptions, overrides: Mapping[str, tuple[float | None, str]]):
        from evaluator import __version__
        from evaluator.library import CONTENT_SETTINGS, bundled_library
        from evaluator.match import MatcherSettings

        self.opts = opts
        self.overrides = overrides
        self.library: Library = bundled_library(opts.rubrics_dir)
        self._hashes: dict[str, str] = {}
        cal = opts.calibration
        self.run_key = [
            FORMAT,
            __version__,
            MatcherSettings().signature(),
            CONTENT_SETTINGS.signature(),
            _sha(json.dumps(cal.to_dict(), sort_keys=True)) if cal is not None else None,
            opts.hide_missing,
        ]
        # Options are checked before any answer is read: a wrong --rubric is one line.
        if opts.reference is None and opts.rubric is not None:
            self._rubric_identity(opts.rubric)

    def _rubric_identity(self, spec: str) -> str:
        from evaluator.library import load_rubric

        if spec not in self._hashes:
            if spec == "":
                rubrics = sorted((r.id, r.hash()) for r in self.library.rubrics)
                self._hashes[spec] = "library:" + _sha(json.dumps(rubrics))
            else:
                self._hashes[spec] = "rubric:" + load_rubric(spec, library=self.library).hash()
        return self._hashes[spec]

    def task(self, row: io.InputRow) -> Task:
        f = row.fields
        rubric: str | None = self.opts.rubric
        reference: str | tuple[str, ...] | None = self.opts.reference
        own_rubric, own_refs = io.row_value(f, "rubric"), io.row_references(f)
        if own_rubric:
            rubric, reference = self._row_rubric(own_rubric, row.base), None
        elif own_refs:
            refs = tuple(self._row_reference(r, row.base) for r in own_refs)
            reference = refs[0] if len(refs) == 1 else refs
        if reference is not None:
            identity = "reference:" + _sha(json.dumps(reference, ensure_ascii=False))
        else:
            identity = self._rubric_identity(rubric or "")
        marks = io.row_marks(f, self.opts.marks)
        question = io.row_value(f, "question") or self.opts.question
        student = io.row_value(f, "student") or ""
        answer = str(f.get("answer") or "")
        override = self.overrides.get(row.id)
        key = _sha(
            json.dumps(
                [*self.run_key, row.id, student, answer, identity, question, marks, override],
                ensure_ascii=False,
            )
        )
        return Task(key, row.id, student, answer, rubric, reference, question, marks, override)

    def _row_rubric(self, value: str, base: Path | None) -> str:
        if base is not None and (Path(value).suffix.lower() in _RUBRIC_SUFFIXES or "/" in value
                                 or os.sep in value):
            return str(io.resolve_row_path(value, base, allow_outside=self.opts.allow_paths))
        return value

    def _row_reference(self, value: str, base: Path | None) -> str:
        if base is not None and _REFERENCE_FILE.match(value.strip()):
            p = io.resolve_row_path(value.strip(), base, allow_outside=self.opts.allow_paths)
            return io.read_answer_file(p)
        return value


def _sha(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def run_batch(
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    options: BatchOptions | None = None,
    overrides_file: str | os.PathLike[str] | None = None,
    jobs: int | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    restart: bool = False,
    progress: Progress | None = None,
) -> BatchSummary:
    """Grade every answer under ``paths`` into ``out_dir``; see the module docstring."""
    started = time.monotonic()
    opts = options or BatchOptions()
    out = io.prepare_out_dir(out_dir)
    rubrics_dir = opts.rubrics_dir or str(io.default_rubrics_dir())
    opts = replace(opts, rubrics_dir=str(Path(rubrics_dir).resolve()))
    summary = BatchSummary(str(out_dir))
    saved = out / OVERRIDES_FILE
    overrides: dict[str, tuple[float | None, str]] = {}
    if overrides_file is not None:
        overrides = io.read_overrides(overrides_file)
        if Path(overrides_file).resolve() != saved.resolve():
            io.write_if_changed(saved, io.read_text(overrides_file))
    elif saved.is_file():
        overrides = io.read_overrides(saved)
        summary.notes.append(f"  teacher overrides applied from {saved}")
    planner = _Planner(opts, overrides)
    state = out / STATE_DIR
    if restart:
        io.remove_files([state / "journal.jsonl"])
    scratch = state / SCRATCH_FILE
    db = io.scratch_db(scratch)
    try:
        journal = io.Journal(state / "journal.jsonl", db)
        try:
            _grade_into(journal, db, planner, paths, out, opts, overrides, summary, progress,
                        jobs=jobs, engine=engine, scheduler=scheduler)
        finally:
            journal.close()
        unknown = sorted(o for o in overrides if not _listed(db, o))
    finally:
        io.drop_scratch_db(db, scratch)
    if unknown:
        summary.notes.append(f"  overrides for ids not in the input: {', '.join(unknown[:10])}")
    summary.seconds = time.monotonic() - started
    return summary


def _listed(db: sqlite3.Connection, rid: str) -> bool:
    return db.execute("SELECT 1 FROM run WHERE id = ?", (rid,)).fetchone() is not None


def _grade_into(
    journal: io.Journal,
    db: sqlite3.Connection,
    planner: _Planner,
    paths: Iterable[str | os.PathLike[str]],
    out: Path,
    opts: BatchOptions,
    overrides: Mapping[str, tuple[float | None, str]],
    summary: BatchSummary,
    progress: Progress | None,
    *,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
) -> None:
    """Grade what the journal lacks, then write the outputs; the input order, ids and keys
    are kept in the ``run`` table (its rowid is the input order), not in memory."""
    db.execute("CREATE TABLE run (id TEXT UNIQUE, key TEXT, record TEXT)")
    add = "INSERT OR IGNORE INTO run VALUES (?, ?, ?)"
    counts = {"before": 0, "reused": 0, "failed": 0}

    def tasks() -> Iterator[Task]:
        for row in io.iter_inputs(paths, skip=out):
            record: dict[str, Any] | None = None
            if row.error is None:
                try:
                    task = planner.task(row)
                except EvaluatorError as exc:
                    record = {"id": row.id, "error": str(exc)}
            else:
                record = {"id": row.id, "error": row.error}
            if record is not None:
                record = _with_override(record, overrides.get(row.id))
                added = db.execute(add, (row.id, None, json.dumps(record, ensure_ascii=False)))
            else:
                added = db.execute(add, (row.id, task.key, None))
            if added.rowcount == 0:
                raise InputError(f"{row.origin}: ids must be unique; repeated: {row.id}")
            if record is not None:
                counts["before"] += 1
                _tick(progress)
                continue
            if task.key in journal:
                counts["reused"] += 1
                _tick(progress)
                continue
            yield task

    for entry in _grade_all(opts, tasks(), jobs=jobs, engine=engine, scheduler=scheduler):
        journal.add(entry)
        counts["failed"] += bool(entry["record"].get("error"))
        _tick(progress)
    stats = _write_outputs(out, journal, db, summary)
    # Error rows are not "reused work": count only reused answers that were graded.
    reused_errors = stats.errors - counts["before"] - counts["failed"]
    summary.reused = counts["reused"] - reused_errors
    summary.graded, summary.errors = stats.graded, stats.errors


def _tick(progress: Progress | None) -> None:
    if progress is not None:
        progress(1)


def _entries(journal: io.Journal, db: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """The run's entries in input order: read back from the journal, or the error record."""
    for key, record in db.execute("SELECT key, record FROM run ORDER BY rowid"):
        if key is None:
            yield {"record": json.loads(record)}
        else:
            entry = journal.get(key)
            if entry is None:  # the journal lost it (deleted by hand): nothing to show
                raise InputError(f"{journal.path}: changed during the run; run again")
            yield entry


class _Written:
    """The feedback files written by this run, a set kept in the run's database."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.execute("CREATE TABLE feedback (name TEXT PRIMARY KEY) WITHOUT ROWID")

    def add(self, *names: str) -> None:
        self.db.executemany("INSERT OR IGNORE INTO feedback VALUES (?)", [(n,) for n in names])

    def __contains__(self, name: object) -> bool:
        found = self.db.execute("SELECT 1 FROM feedback WHERE name = ?", (str(name),))
        return found.fetchone() is not None


def _write_outputs(
    out: Path, journal: io.Journal, db: sqlite3.Connection, summary: BatchSummary
) -> ClassStats:
    """Rebuild every output from the journal, in input order; each file replaced whole."""
    stats = ClassStats(db)
    dims: dict[str, None] = {}
    for entry in _entries(journal, db):
        rec = entry["record"]
        stats.add(rec, entry.get("fingerprint"))
        for d in rec.get("dimensions") or []:
            dims.setdefault(_dim_column(str(d.get("name", ""))), None)
    columns = [*HEAD_COLUMNS, *dims, *TAIL_COLUMNS]
    feedback = out / "feedback"
    written = _Written(db)
    with io.AtomicFile(out / "results.jsonl") as results:

        def rows() -> Iterator[dict[str, Any]]:
            for entry in _entries(journal, db):
                rec = entry["record"]
                results.write(json.dumps(rec, ensure_ascii=False) + "\n")
                if rec.get("error") and len(summary.error_lines) < SHOWN_ERRORS:
                    summary.error_lines.append(f"{rec['id']}: {rec['error']}")
                if entry.get("md") is not None:
                    name = feedback_name(str(rec["id"]))
                    io.write_if_changed(feedback / f"{name}.md", entry["md"])
                    io.write_if_changed(feedback / f"{name}.html", entry["html"])
                    written.add(f"{name}.md", f"{name}.html")
                yield grade_row(rec)

        io.write_grades_csv(out, rows(), columns)
    io.remove_files(io.other_files(feedback, (".md", ".html"), written))
    io.write_chunks_if_changed(out / "summary.html", html_chunks(stats))
    # The answers' keys in input order, read again from the run table (not held in memory).
    journal.compact(
        k for (k,) in db.execute("SELECT key FROM run WHERE key IS NOT NULL ORDER BY rowid")
    )
    return stats


# ------------------------------------------------------------------------ engines


def _grade_all(
    opts: BatchOptions,
    tasks: Iterator[Task],
    *,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
) -> Iterator[dict[str, Any]]:
    """Journal entries for ``tasks``, in completion order, with few tasks in flight."""
    if engine == "dask":
        yield from _dask(opts, tasks, scheduler)
        return
    if engine != "local":
        raise InputError(f"unknown engine {engine!r}; choose local or dask")
    n = jobs or os.cpu_count() or 1
    if n <= 1:
        for t in tasks:
            yield grade_task(opts, t)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    methods = multiprocessing.get_all_start_methods()
    # fork shares the loaded modules (seconds of imports saved per worker).
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pending: set[Future[dict[str, Any]]] = set()
    with ProcessPoolExecutor(
        max_workers=n, mp_context=ctx, initializer=_exit_with_parent, initargs=(os.getpid(),)
    ) as pool:
        try:
            for t in tasks:
                pending.add(pool.submit(grade_task, opts, t))
                if len(pending) >= 4 * n:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for f in done:
                        yield f.result()
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    yield f.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _exit_with_parent(parent: int) -> None:
    """In a grading worker: end when the batch that started it is gone.

    A batch killed with ``kill -9`` cannot stop its workers, and they would go on grading
    answers nobody will write down. What they were grading is not lost: it is not in the
    journal, so the next run grades it.
    """
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _dask(opts: BatchOptions, tasks: Iterator[Task], scheduler: str | None) -> Iterator[Any]:
    if not scheduler:
        raise InputError("--engine dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    import importlib

    try:
        # Typed as Any: distributed ships no type information.
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise InputError(
            "--engine dask needs the dask extra: pip install 'mains-evaluator[dask]'"
        ) from None
    try:
        client = distributed.Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        limit = 4 * max(1, sum(client.nthreads().values()))
        pending: set[Any] = set()
        for t in tasks:
            pending.add(client.submit(grade_task, opts, t, key=f"grade-{t.key}"))
            if len(pending) >= limit:
                res = distributed.wait(pending, return_when="FIRST_COMPLETED")
                pending = set(res.not_done)
                for f in res.done:
                    yield f.result()
        while pending:
            res = distributed.wait(pending, return_when="FIRST_COMPLETED")
            pending = set(res.not_done)
            for f in res.done:
                yield f.result()
    finally:
        client.close()
