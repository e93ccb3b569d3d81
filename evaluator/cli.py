"""Command line: ``evaluate FILE`` grades an answer; subcommands manage rubrics and batches.

Only this module prints. Heavy modules are imported inside commands so ``--help`` is fast.
Exit status: 0 graded, 1 an input or rubric problem (one line on stderr), 2 a usage error,
141 when the reader of stdout went away (``evaluate rubrics | head -1``), as for SIGPIPE.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

_FORMATS = ("text", "json", "markdown", "html")


class _DefaultGroup(click.Group):
    """``evaluate FILE`` means ``evaluate grade FILE``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["grade", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _closed_pipe()


# 128 + SIGPIPE(13): what a shell reports for `cat big | head -1`, so scripts see the same.
EXIT_CLOSED_PIPE = 141


def _closed_pipe() -> None:
    """The reader of stdout went away (``evaluate rubrics | head -1``): stop quietly.

    Exit 141 as a process killed by SIGPIPE would, without its traceback. stdout is pointed
    at /dev/null first, or Python's final flush of the buffered output fails again at exit.
    """
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (e.g. under CliRunner): nothing to silence
        pass
    sys.exit(EXIT_CLOSED_PIPE)


def _fail(message: str, *, code: int = 1) -> None:
    click.echo(f"evaluate: {message}", err=True)
    sys.exit(code)


def _guard(fn: F) -> F:
    """Turn any error into one line on stderr and exit 1 (130 for Ctrl-C): users never see a
    traceback."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from evaluator.errors import EvaluatorError

        try:
            return fn(*args, **kwargs)
        except EvaluatorError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted", code=130)  # 128 + SIGINT, as a shell reports Ctrl-C
        except BrokenPipeError:
            _closed_pipe()
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
            _fail(f"internal error ({type(exc).__name__}: {exc}); please report it")

    return wrapper  # type: ignore[return-value]


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    # The version is given, not looked up: a checkout (not pip-installed) has no package
    # metadata. It is imported only when asked for, so `--help` does not load the grader.
    if not value or ctx.resilient_parsing:
        return
    from evaluator.rubric import __version__

    click.echo(f"evaluate, version {__version__}")
    ctx.exit()


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
def main() -> None:
    """Grade UPSC Mains answers and explain the grade.

    \b
    evaluate answer.txt                      grade against the closest bundled rubric
    evaluate answer.txt --format json        the same, as JSON
    evaluate --reference model.txt ans.txt   grade against a teacher's model answer
    evaluate rubrics                         list rubrics
    evaluate batch scripts/ -o out/          grade a class (folders, .docx, .pdf, .csv)
    """


def _read_answer(path: str) -> str:
    from evaluator import io

    if path == "-":
        data = sys.stdin.buffer.read()
        return io.decode(data, name="<stdin>")
    return io.read_answer_file(path)


_rubrics_option = click.option(
    "--rubrics",
    "rubrics_dir",
    metavar="DIR",
    envvar="EVALUATOR_RUBRICS",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of rubric files to use as the library (env EVALUATOR_RUBRICS).",
)


@main.command()
@click.argument("answer", metavar="FILE", type=click.Path(allow_dash=True))
@click.option("--rubric", "-r", metavar="NAME|PATH", help="Bundled rubric name or rubric file.")
@click.option(
    "--reference",
    metavar="FILE",
    type=click.Path(),
    multiple=True,
    help="Grade against this model answer (content only); repeat it for alternatives.",
)
@_rubrics_option
@click.option("--question", "-q", metavar="TEXT", help="The question (else a leading 'Q.' line).")
@click.option(
    "--marks",
    type=click.FloatRange(min=1, max=100),
    default=None,
    help="Scale: 10 or 15 for UPSC (default: the rubric's own, 10 for seed rubrics).",
)
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="text", show_default=True)
@click.option(
    "--calibration",
    metavar="FILE",
    type=click.Path(),
    help="Apply a teacher calibration from `evaluate calibrate`.",
)
@_guard
def grade(
    answer: str,
    rubric: str | None,
    rubrics_dir: str | None,
    reference: tuple[str, ...],
    question: str | None,
    marks: float | None,
    fmt: str,
    calibration: str | None,
) -> None:
    """Grade one answer FILE ('-' reads standard input)."""
    from evaluator import io
    from evaluator.library import bundled_library, evaluate
    from evaluator.report import render

    text = _read_answer(answer)
    ref = [io.read_answer_file(path) for path in reference] or None
    cal = _load_calibration(calibration)
    lib = bundled_library(rubrics_dir) if rubrics_dir else None
    result = evaluate(
        text, rubric, question=question, marks=marks, reference=ref, calibration=cal, library=lib
    )
    click.echo(render(result, fmt), nl=False)


def _load_calibration(path: str | None) -> Any:
    if not path:
        return None
    from evaluator.calibrate import Calibration

    return Calibration.load(path)


@main.group(invoke_without_command=True)
@click.pass_context
def rubrics(ctx: click.Context) -> None:
    """List the bundled rubrics (or build / check them)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_rubrics)


@rubrics.command("list")
@click.option(
    "--dir",
    "--rubrics",
    "directory",
    envvar="EVALUATOR_RUBRICS",
    type=click.Path(),
    default=None,
    help="Rubric folder (default: $EVALUATOR_RUBRICS, a checkout's rubrics/, the bundled ones).",
)
@_guard
def list_rubrics(directory: str | None = None) -> None:
    """One line per rubric: id, kind, points, marks, title."""
    import os

    from evaluator import io

    if directory is not None and not os.path.isdir(directory):
        _fail(f"{directory}: no such rubric folder")
    for path in io.rubric_files(directory):
        r = io.load_rubric_file(path)
        edited = " (edited by hand)" if r.edited_by_hand() else ""
        click.echo(
            f"{r.id:<48} {r.kind:<6} {len(r.points):>3} points  {r.marks:g} marks  "
            f"{r.title}{edited}"
        )


@rubrics.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@_guard
def check_rubrics(files: tuple[str, ...]) -> None:
    """Validate rubric files; every problem is named with its file and field."""
    from evaluator import io
    from evaluator.errors import EvaluatorError, RubricError
    from evaluator.library import check_rubric

    bad = 0
    for f in files:
        try:
            r = io.load_rubric_file(f)
            check_rubric(r)
        except RubricError as exc:
            bad += 1
            if exc.problems:
                for fld, msg in exc.problems:
                    click.echo(f"{f}: {fld}: {msg}", err=True)
            else:
                click.echo(str(exc), err=True)
            continue
        except EvaluatorError as exc:
            bad += 1
            click.echo(str(exc), err=True)
            continue
        state = "edited by hand" if r.edited_by_hand() else "as generated"
        click.echo(f"{f}: ok ({len(r.points)} points, {len(r.dimensions)} dimensions, {state})")
    if bad:
        sys.exit(1)


@rubrics.command("build")
@click.option(
    "--seeds",
    "seed_dir",
    type=click.Path(),
    default=None,
    help="Seed folder (default: the bundled seeds).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(),
    default=None,
    help="Where rubric files go (default: $EVALUATOR_RUBRICS, else the checkout's rubrics/, "
    "else ./rubrics; never inside the installed package).",
)
@click.option("--force", is_flag=True, help="Overwrite rubrics edited by hand.")
@_guard
def build_rubrics(seed_dir: str | None, out_dir: str | None, force: bool) -> None:
    """Build one rubric per seed and one per topic (seeds/topics.toml)."""
    from evaluator import io
    from evaluator.library import build_rubrics as build

    hint = False
    if out_dir is None:
        target, hint = io.build_target()
        out_dir = str(target)
    for path, action in build(seed_dir=seed_dir, out_dir=out_dir, force=force):
        click.echo(f"{action:<10} {path}")
    if hint:
        click.echo(
            f"to grade with these rubrics: --rubrics {out_dir} (or set EVALUATOR_RUBRICS={out_dir})"
        )


@main.command()
@click.argument("paths", metavar="PATH...", nargs=-1, required=True, type=click.Path())
@click.option(
    "--out",
    "-o",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for grades.csv, results.jsonl, feedback/ and summary.html.",
)
@click.option("--rubric", "-r", metavar="NAME|PATH", help="Rubric for answers that name none.")
@_rubrics_option
@click.option(
    "--reference",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Model answer for answers that name no rubric or reference.",
)
@click.option("--question", "-q", metavar="TEXT", help="The question, for answers that give none.")
@click.option("--marks", type=click.FloatRange(min=1, max=100), default=None)
@click.option("--calibration", metavar="FILE", type=click.Path(dir_okay=False))
@click.option(
    "--overrides",
    metavar="FILE.csv",
    type=click.Path(dir_okay=False),
    help="Teacher's marks and comments (id,score,comment); kept in OUT for later runs.",
)
@click.option("--hide-missing", is_flag=True, help="Feedback does not list the points missed.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), default=None, help="Processes (default: all cores)."
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="dask runs on a Dask cluster (extra [dask]); give --scheduler.",
)
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://host:8786.")
@click.option(
    "--allow-paths",
    is_flag=True,
    help="Let a batch file's rubric/reference paths point outside its folder.",
)
@click.option("--restart", is_flag=True, help="Grade everything again; reuse nothing in OUT.")
@_guard
def batch(
    paths: tuple[str, ...],
    out_dir: str,
    rubric: str | None,
    rubrics_dir: str | None,
    reference: str | None,
    question: str | None,
    marks: float | None,
    calibration: str | None,
    overrides: str | None,
    hide_missing: bool,
    jobs: int | None,
    engine: str,
    scheduler: str | None,
    allow_paths: bool,
    restart: bool,
) -> None:
    """Grade every answer under PATH... (folders, .txt .md .docx .pdf answers, .csv/.jsonl
    batch files with id,answer) into OUT/.

    Exit status 0 when every answer was graded, 1 when some could not be (their rows in
    grades.csv say why; every output is still written).
    """
    from evaluator import io
    from evaluator.batch import BatchOptions, run_batch

    if rubric and reference:
        raise click.UsageError("give --rubric or --reference, not both")
    if engine == "dask" and not scheduler:
        raise click.UsageError("--engine dask needs --scheduler ADDRESS")
    options = BatchOptions(
        rubric=rubric,
        rubrics_dir=rubrics_dir,
        reference=io.read_answer_file(reference) if reference else None,
        question=question,
        marks=marks,
        calibration=_load_calibration(calibration),
        hide_missing=hide_missing,
        allow_paths=allow_paths,
    )
    out = io.prepare_out_dir(out_dir)
    kwargs: dict[str, Any] = dict(
        options=options,
        overrides_file=overrides,
        jobs=jobs,
        engine=engine,
        scheduler=scheduler,
        restart=restart,
    )
    if sys.stderr.isatty():
        total = sum(1 for _ in io.iter_inputs(paths, skip=out, read=False))
        with click.progressbar(length=total, label="grading", file=sys.stderr) as bar:
            summary = run_batch(paths, out_dir, progress=bar.update, **kwargs)
    else:
        summary = run_batch(paths, out_dir, **kwargs)
    click.echo(summary.describe())
    if summary.errors:
        sys.exit(1)


@main.command()
@click.argument("graded", metavar="GRADED", type=click.Path())
@click.option("--rubric", "-r", metavar="NAME|PATH", help="Rubric for rows that name none.")
@click.option(
    "--reference",
    metavar="FILE",
    type=click.Path(),
    help="Model answer for rows that carry none.",
)
@click.option(
    "--marks",
    type=click.FloatRange(min=1, max=100),
    default=None,
    help="Grade out of the teacher's full marks (e.g. 5 when marks are 0-5).",
)
@click.option(
    "--out",
    "-o",
    "out",
    required=True,
    type=click.Path(),
    help="Where to write the calibration JSON.",
)
@_guard
def calibrate(
    graded: str, rubric: str | None, reference: str | None, marks: float | None, out: str
) -> None:
    """Learn how a teacher's marks relate to ours from GRADED (CSV/JSONL: id,answer,score).

    Rows may carry their own rubric, reference or question. Use the result with
    `evaluate grade --calibration OUT` or `evaluate batch --calibration OUT`.
    """
    from evaluator.library import calibrate_file

    run = calibrate_file(graded, rubric=rubric, reference_file=reference, marks=marks)
    run.calibration.save(out)
    click.echo(run.describe(out))
