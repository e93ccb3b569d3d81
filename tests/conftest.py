"""Shared fixtures: paths of the checkout, one fresh rubric build per session, example results."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # plain `pytest` as well as `python -m pytest`
    sys.path.insert(0, str(ROOT))

from evaluator.rubric import Rubric  # noqa: E402

SEEDS = ROOT / "seeds"
RUBRICS = ROOT / "rubrics"
EXAMPLES = ROOT / "examples"
ANSWERS = EXAMPLES / "answers"
DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini.toml"

SEED_FILES = tuple(sorted(p.name for p in SEEDS.glob("*.txt")))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def answer(name: str) -> str:
    """The text of ``examples/answers/<name>.txt``."""
    return read(ANSWERS / f"{name}.txt")


@pytest.fixture(scope="session")
def fresh_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rubrics built from ``seeds/`` into an empty folder (read-only for tests)."""
    from evaluator.library import build_rubrics

    out = tmp_path_factory.mktemp("fresh-rubrics")
    actions = build_rubrics(seed_dir=SEEDS, out_dir=out)
    assert actions and {a for _, a in actions} == {"written"}
    return out


@pytest.fixture(scope="session")
def built_rubrics(fresh_build: Path) -> dict[str, Rubric]:
    """The fresh build, parsed, by rubric id."""
    from evaluator.io import load_rubric_file

    rubrics = [load_rubric_file(p) for p in sorted(fresh_build.glob("*.toml"))]
    return {r.id: r for r in rubrics}


def rubric_of_seed(rubrics: dict[str, Rubric], seed_prefix: str) -> Rubric:
    """The one seed rubric built from the seed whose file name starts with ``seed_prefix``."""
    found = [r for r in rubrics.values()
             if r.kind == "seed" and r.seeds and r.seeds[0].file.startswith(seed_prefix)]
    assert len(found) == 1, [r.id for r in found]
    return found[0]


@pytest.fixture(scope="session")
def example_results() -> dict[str, object]:
    """``evaluate()`` of every example answer against the bundled rubrics, by name."""
    from evaluator import evaluate

    return {p.stem: evaluate(read(p)) for p in sorted(ANSWERS.glob("*.txt"))}


def point_status(rubric_id: str, label: str, text: str) -> str:
    """The status the bundled rubric ``rubric_id`` gives the point whose label starts with
    ``label``, for an answer that is ``text``."""
    from evaluator.library import bundled_library
    from evaluator.match import match, prepare

    lib = bundled_library()
    compiled = lib.compiled(lib.get(rubric_id))
    (m,) = [m for m in match(compiled, prepare(text)) if m.point.label.startswith(label)]
    return m.status


def bug(reason: str) -> pytest.MarkDecorator:
    """A known misfire kept as a case: it must keep failing until it is fixed."""
    return pytest.mark.xfail(strict=True, reason=reason)


# The bundled rubrics by id, as the test files name them.
MOU = "india-south-korea-sign-mou-msme"
SSP = "india-south-korea-special-strategic-partnership"
REL = "india-south-korea-relations"
DEEP = "india-south-korea-deepen-strategic-partnership"
INTL = "msme-internationalisation"
SME = "bolstering-india-medium-enterprise-sme"
