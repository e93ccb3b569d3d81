"""Command line: ``evaluate FILE`` grades an answer; subcommands manage rubrics and batches.

Only this module prints. Heavy modules are imported inside commands so ``--help`` is fast.
Exit status: 0 graded, 1 an input or rubric problem (one line on stderr), 2 a usage error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from evaluator.rubric import __version__

F = TypeVar("F", bound=Callable[..., Any])

_FORMATS = ("text", "json", "markdown", "html")


class _DefaultGroup(click.Group):
    """``evaluate FILE`` means ``evaluate grade FILE``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["grade", *args]
        return super().parse_args(ctx, args)


def _fail(message: str) -> None:
    click.echo(f"evaluate: {message}", err=True)
    sys.exit(1)


def _guard(fn: F) -> F:
    """Turn any error into one line on stderr and exit 1: users never see a traceback."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from evaluator.errors import EvaluatorError

        try:
            return fn(*args, **kwargs)
        except EvaluatorError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            _fail("interrupted")
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
            _fail(f"internal error ({type(exc).__name__}: {exc}); please report it")

    return wrapper  # type: ignore[return-value]


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
# The version is given, not looked up: a checkout (not pip-installed) has no package metadata.
@click.version_option(__version__, package_name="mains-evaluator", prog_name="evaluate")
def main() -> None:
    """Grade UPSC Mains answers and explain the grade.

    \b
    evaluate answer.txt                      grade against the closest bundled rubric
    evaluate answer.txt --format json        the same, as JSON
    evaluate --reference model.txt ans.txt   grade against a teacher's model answer
    evaluate rubrics                         list rubrics
    evaluate batch answers.csv -o out/       grade a class
    """


def _read_answer(path: str) -> str:
    from evaluator import io

    if path == "-":
        data = sys.stdin.buffer.read()
        return io.decode(data, name="<stdin>")
    return io.read_text(path)


@main.command()
@click.argument("answer", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--rubric", "-r", metavar="NAME|PATH", help="Bundled rubric name or rubric file.")
@click.option(
    "--reference",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    multiple=True,
    help="Grade against this model answer (content only); repeat it for alternatives.",
)
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
    type=click.Path(dir_okay=False),
    help="Apply a teacher calibration from `evaluate calibrate`.",
)
@_guard
def grade(
    answer: str,
    rubric: str | None,
    reference: tuple[str, ...],
    question: str | None,
    marks: float | None,
    fmt: str,
    calibration: str | None,
) -> None:
    """Grade one answer FILE ('-' reads standard input)."""
    from evaluator import io
    from evaluator.library import evaluate
    from evaluator.report import render

    text = _read_answer(answer)
    ref = [io.read_text(path) for path in reference] or None
    cal = _load_calibration(calibration)
    result = evaluate(text, rubric, question=question, marks=marks, reference=ref, calibration=cal)
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
    "directory",
    type=click.Path(file_okay=False),
    default=None,
    help="Rubric folder (default: the bundled rubrics).",
)
@_guard
def list_rubrics(directory: str | None = None) -> None:
    """One line per rubric: id, kind, points, marks, title."""
    from evaluator import io

    for path in io.rubric_files(directory):
        r = io.load_rubric_file(path)
        edited = " (edited by hand)" if r.edited_by_hand() else ""
        click.echo(
            f"{r.id:<48} {r.kind:<6} {len(r.points):>3} points  {r.marks:g} marks  "
            f"{r.title}{edited}"
        )


@rubrics.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def check_rubrics(files: tuple[str, ...]) -> None:
    """Validate rubric files; every problem is named with its file and field."""
    from evaluator import io
    from evaluator.errors import EvaluatorError, RubricError

    bad = 0
    for f in files:
        try:
            r = io.load_rubric_file(f)
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
    type=click.Path(file_okay=False),
    default=None,
    help="Seed folder (default: the bundled seeds).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where rubric files go (default: the bundled rubrics folder).",
)
@click.option("--force", is_flag=True, help="Overwrite rubrics edited by hand.")
@_guard
def build_rubrics(seed_dir: str | None, out_dir: str | None, force: bool) -> None:
    """Build one rubric per seed and one per topic (seeds/topics.toml)."""
    from evaluator.library import build_rubrics as build

    for path, action in build(seed_dir=seed_dir, out_dir=out_dir, force=force):
        click.echo(f"{action:<10} {path}")


@main.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "-o",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for grades.csv and results.jsonl.",
)
@click.option("--rubric", "-r", metavar="NAME|PATH", help="Rubric for rows that name none.")
@click.option(
    "--reference",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Model answer for rows that carry none.",
)
@click.option("--marks", type=click.FloatRange(min=1, max=100), default=None)
@click.option("--calibration", metavar="FILE", type=click.Path(dir_okay=False))
@click.option(
    "--restart",
    is_flag=True,
    help="Grade everything again instead of keeping results already in OUT.",
)
@_guard
def batch(
    source: str,
    out_dir: str,
    rubric: str | None,
    reference: str | None,
    marks: float | None,
    calibration: str | None,
    restart: bool,
) -> None:
    """Grade every row (id, answer) of a CSV or JSONL file into OUT/."""
    from evaluator.batch import run_batch

    summary = run_batch(
        source,
        out_dir,
        rubric=rubric,
        reference_file=reference,
        marks=marks,
        calibration=_load_calibration(calibration),
        restart=restart,
    )
    click.echo(summary.describe())
    if summary.failed:
        sys.exit(1)


@main.command()
@click.argument("graded", metavar="GRADED", type=click.Path(dir_okay=False))
@click.option("--rubric", "-r", metavar="NAME|PATH", help="Rubric for rows that name none.")
@click.option(
    "--reference",
    metavar="FILE",
    type=click.Path(dir_okay=False),
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
    type=click.Path(dir_okay=False),
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
    from evaluator.calibrate import calibrate_file

    run = calibrate_file(graded, rubric=rubric, reference_file=reference, marks=marks)
    run.calibration.save(out)
    click.echo(run.describe(out))
