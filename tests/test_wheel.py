"""The wheel carries the seeds and rubrics, and the installed package finds them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, RUBRICS, SEEDS

SOURCE_SCHEMA = ROOT / "evaluator" / "schema.json"
_IGNORE = shutil.ignore_patterns(".git", ".*_cache", "__pycache__", "*.pyc", ".benchmarks",
                                 "dist", "build", "*.egg-info")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a copy so the checkout gets no build artefacts.
    src = tmp_path_factory.mktemp("src") / "project"
    shutil.copytree(ROOT, src, ignore=_IGNORE)
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=src, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (whl,) = out.glob("*.whl")
    return whl


@pytest.fixture(scope="module")
def names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as z:
        return set(z.namelist())


def test_wheel_has_every_seed(names: set[str]) -> None:
    seeds = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert len(seeds) == 5
    for name in seeds:
        assert f"evaluator/seeds/{name}" in names
    assert "evaluator/seeds/topics.toml" in names


def test_wheel_has_every_rubric(names: set[str]) -> None:
    rubrics = sorted(p.name for p in RUBRICS.glob("*.toml"))
    assert rubrics
    assert {n for n in names if n.startswith("evaluator/rubrics/")} == {
        f"evaluator/rubrics/{r}" for r in rubrics}


def test_wheel_is_typed(names: set[str]) -> None:
    assert "evaluator/py.typed" in names


def test_wheel_has_the_lexicon_and_its_licence(names: set[str]) -> None:
    assert {"evaluator/data/lexicon.tsv", "evaluator/data/verbforms.tsv.gz",
            "evaluator/data/WORDNET-LICENSE"} <= names


def test_wheel_has_the_word_neighbours_and_their_licence(names: set[str]) -> None:
    assert {"evaluator/data/wordneighbours.tsv", "evaluator/data/MINILM-LICENSE"} <= names


@pytest.mark.skipif(not SOURCE_SCHEMA.exists(), reason="evaluator/schema.json not written yet")
def test_wheel_has_the_schema(names: set[str]) -> None:
    assert "evaluator/schema.json" in names


def test_wheel_has_no_tests_or_checkout_files(names: set[str]) -> None:
    assert not any(n.startswith(("tests/", "examples/", "benchmarks/")) for n in names)
    assert any(n.endswith(".dist-info/entry_points.txt") for n in names)


GRADE = """
import json, sys
import evaluator
from evaluator import io
assert evaluator.__file__.startswith(sys.argv[1]), evaluator.__file__
assert str(io.bundled_dir("seeds")).startswith(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
r = evaluator.evaluate(text)
print(json.dumps({"rubric": r.rubric, "score": r.score, "seeds": len(io.read_seeds())}))
"""


def test_installed_package_grades_with_its_bundled_rubrics(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    work = tmp_path / "work"  # not the checkout: `import evaluator` must find the wheel's copy
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(site)
    proc = subprocess.run(
        [sys.executable, "-c", GRADE, str(site), str(EXAMPLES / "answer.txt")],
        cwd=work, env=env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    import json

    out = json.loads(proc.stdout)
    assert "msme" in out["rubric"]
    assert out["score"] > 0
    assert out["seeds"] == 5
