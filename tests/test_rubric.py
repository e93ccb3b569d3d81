"""Rubrics: TOML round trip, building from seeds, validation, scaling, key points, references."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINI, RUBRICS, SEEDS, read

from evaluator import RubricError, evaluate
from evaluator.cli import main
from evaluator.io import load_rubric_file, parse_key_points
from evaluator.library import build_rubrics
from evaluator.match import MatcherSettings, compile_rubric
from evaluator.rubric import (
    Rubric,
    _digest,
    from_key_points,
    from_reference,
    from_toml,
    scaled,
    to_toml,
)

BUNDLED = sorted(RUBRICS.glob("*.toml"))


def _examples() -> list[Rubric]:
    return [
        from_toml(read(MINI)),
        from_reference("The CEPA entered into force in 2010. The MoU is not binding; it carries "
                       "no funds, so follow-up matters.", question="Examine the MoU."),
        from_key_points([("k1", "binary encoding", 0.5), ("k2", "simple and cheap", 1.5)],
                        max_score=1.5, question="Why binary?"),
    ]


# --------------------------------------------------------------------------- TOML round trip


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_rubric_round_trips(path: Path) -> None:
    text = read(path)
    rubric = from_toml(text, path=str(path))
    assert to_toml(rubric) == text
    again = from_toml(to_toml(rubric))
    assert again == rubric
    assert not rubric.edited_by_hand()


@pytest.mark.parametrize("rubric", _examples(), ids=lambda r: r.kind)
def test_built_rubric_round_trips(rubric: Rubric) -> None:
    text = to_toml(rubric)
    back = from_toml(text)
    assert back == rubric
    assert to_toml(back) == text


def test_hash_covers_content_but_not_provenance() -> None:
    r = from_toml(read(MINI))
    assert replace(r, builder="someone else", path="x.toml").hash() == r.hash()
    moved = replace(r, points=(replace(r.points[0], marks=0.5), *r.points[1:]))
    assert moved.hash() != r.hash()


# --------------------------------------------------------------------------- building


def test_bundled_rubrics_equal_a_fresh_build(fresh_build: Path) -> None:
    """Every committed rubric is exactly what `evaluate rubrics build` makes from seeds/."""
    fresh = sorted(p.name for p in fresh_build.glob("*.toml"))
    assert [p.name for p in BUNDLED] == fresh
    for name in fresh:
        assert read(RUBRICS / name) == read(fresh_build / name), (
            f"rubrics/{name} differs from a fresh build: run `evaluate rubrics build`")


def test_build_makes_one_rubric_per_seed_and_topic(fresh_build: Path) -> None:
    import tomllib

    topics = tomllib.loads(read(SEEDS / "topics.toml"))["topics"]
    rubrics = [load_rubric_file(p) for p in fresh_build.glob("*.toml")]
    assert sorted(r.seeds[0].file for r in rubrics if r.kind == "seed") == sorted(
        p.name for p in SEEDS.glob("*.txt"))
    assert sorted(r.id for r in rubrics if r.kind == "topic") == sorted(t["id"] for t in topics)


@pytest.fixture
def build_copy(fresh_build: Path, tmp_path: Path) -> Path:
    out = tmp_path / "rubrics"
    shutil.copytree(fresh_build, out)
    return out


def test_rebuild_leaves_everything_unchanged(build_copy: Path) -> None:
    before = {p.name: p.read_bytes() for p in build_copy.glob("*.toml")}
    actions = build_rubrics(seed_dir=SEEDS, out_dir=build_copy)
    assert {a for _, a in actions} == {"unchanged"}
    assert len(actions) == len(before)
    assert {p.name: p.read_bytes() for p in build_copy.glob("*.toml")} == before


def _edit_marks(text: str) -> str:
    assert "\nmarks = 2.0\n" in text
    return text.replace("\nmarks = 2.0\n", "\nmarks = 2.5\n", 1).replace(
        "\nmarks = 10.0\n", "\nmarks = 10.5\n", 1)


@pytest.mark.parametrize(
    ("edit", "action"),
    [
        pytest.param(_edit_marks, "kept", id="marks-changed"),
        pytest.param(lambda t: t.replace("[[points]]", "[[points]\n", 1), "kept",
                     id="broken-toml"),
        # A comment changes no content: the file is regenerated (and the comment lost).
        pytest.param(lambda t: t + "\n# a teacher's comment\n", "written", id="comment-only"),
    ],
)
def test_hand_edited_rubric_is_kept_unless_forced(build_copy: Path, edit, action: str) -> None:  # noqa: ANN001
    target = build_copy / "india-south-korea-sign-mou-msme.toml"
    generated = read(target)
    edited = edit(generated)
    assert edited != generated
    target.write_text(edited, encoding="utf-8")

    actions = dict(build_rubrics(seed_dir=SEEDS, out_dir=build_copy))
    assert actions.pop(str(target)) == action
    assert set(actions.values()) == {"unchanged"}
    if action == "kept":
        assert read(target) == edited

    actions = dict(build_rubrics(seed_dir=SEEDS, out_dir=build_copy, force=True))
    assert actions[str(target)] == ("written" if action == "kept" else "unchanged")
    assert read(target) == generated


def test_stale_generated_rubric_is_rewritten_without_force(build_copy: Path) -> None:
    """A file as generated by an older build (hash matches its content) is not hand-edited."""
    target = build_copy / "india-south-korea-sign-mou-msme.toml"
    generated = read(target)
    r = from_toml(generated)
    old = replace(r, title=r.title + " (old build)")
    old = replace(old, content_hash=_digest(old.content()))
    target.write_text(to_toml(old), encoding="utf-8")
    assert not from_toml(read(target)).edited_by_hand()

    actions = dict(build_rubrics(seed_dir=SEEDS, out_dir=build_copy))
    assert actions[str(target)] == "written"
    assert read(target) == generated


def test_build_via_cli_reports_actions(build_copy: Path) -> None:
    res = CliRunner().invoke(main, ["rubrics", "build", "--seeds", str(SEEDS),
                                    "--out", str(build_copy)])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert len(lines) == len(list(build_copy.glob("*.toml")))
    assert all(ln.split()[0] == "unchanged" for ln in lines)


# --------------------------------------------------------------------------- validation


def _mini() -> str:
    return read(MINI)


def _sub(old: str, new: str):  # noqa: ANN202
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return edit


BROKEN = [
    pytest.param(_sub('id = "mini"\n', ""), "id", id="missing-id"),
    pytest.param(_sub('id = "mini"', 'id = "Mini Rubric"'), "id", id="bad-id"),
    pytest.param(_sub('kind = "custom"', 'kind = "essay"'), "kind", id="bad-kind"),
    pytest.param(_sub('dimension = "exemplification"', 'dimension = "examplification"'),
                 "points[0].dimension", id="bad-dimension-name"),
    pytest.param(_sub('id = "ssp"\ndimension = "exemplification"\nkind = "agreement"\n'
                      'marks = 1.0', 'id = "ssp"\ndimension = "exemplification"\n'
                      'kind = "agreement"\nmarks = -1.0'), "points[1].marks",
                 id="negative-point-marks"),
    pytest.param(_sub('name = "exemplification"\nmarks = 2.0',
                      'name = "exemplification"\nmarks = -2.0'), "dimensions[0].marks",
                 id="negative-dimension-marks"),
    pytest.param(_sub('must = [["largest"], ["employment"], ["non-farm"]]', "must = []"),
                 "points[3].must", id="empty-must"),
    pytest.param(_sub('must = [["MoU"], ["not"], ["binding"]]', 'must = [["MoU"], [], ["x"]]'),
                 "points[2].must", id="empty-must-group"),
    pytest.param(_sub('must = [["MoU"], ["not"], ["binding"]]', 'must = [["MoU"], ["  "]]'),
                 "points[2].must", id="blank-alternative"),
    pytest.param(_sub('id = "ssp"', 'id = "cepa"'), "points", id="duplicate-point-ids"),
    pytest.param(lambda t: 'colour = "red"\n' + t, "colour", id="unknown-field"),
    pytest.param(_sub("marks = 4.0", "marks = = 4.0"), "toml", id="bad-toml"),
    pytest.param(_sub("marks = 4.0", 'marks = "four"'), "marks", id="marks-not-a-number"),
    pytest.param(_sub("marks = 4.0", "marks = 5.0"), "marks", id="marks-do-not-add-up"),
    pytest.param(lambda t: t.replace("marks = 4.0", "marks = 5.0", 1) + (
        '\n[[dimensions]]\nname = "way-forward"\nmarks = 1.0\n'),
        "dimensions.way-forward", id="dimension-without-points"),
    pytest.param(_sub('text = "The MoU is not binding and carries no funds."\n', ""),
                 "points[2].text", id="missing-point-text"),
    pytest.param(_sub('source = { seed = "hand", sentence', 'source = { seed = 3, sentence'),
                 "points[3].source.seed", id="source-seed-not-text"),
]


@pytest.mark.parametrize(("edit", "field"), BROKEN)
def test_broken_rubric_names_the_field(edit, field: str) -> None:  # noqa: ANN001
    with pytest.raises(RubricError) as info:
        from_toml(edit(_mini()), path="broken.toml")
    fields = [f for f, _ in info.value.problems]
    assert field in fields, info.value.problems
    assert str(info.value).startswith("broken.toml: ")


def test_all_problems_are_reported_at_once() -> None:
    text = _sub('id = "mini"', 'id = "Bad Id"')(_mini())
    text = _sub('dimension = "exemplification"', 'dimension = "nowhere"')(text)
    text = 'colour = "red"\n' + text
    with pytest.raises(RubricError) as info:
        from_toml(text)
    fields = {f for f, _ in info.value.problems}
    assert {"id", "points[0].dimension", "colour"} <= fields
    assert "(and 2 more)" in str(info.value)


def test_check_command_prints_file_field_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(_sub('dimension = "exemplification"', 'dimension = "nowhere"')(
        'colour = "red"\n' + _mini()), encoding="utf-8")
    good = tmp_path / "good.toml"
    good.write_text(_mini(), encoding="utf-8")

    res = CliRunner().invoke(main, ["rubrics", "check", str(good), str(bad)])
    assert res.exit_code == 1
    # Written by hand: no content hash, so never "as generated".
    assert res.stdout == f"{good}: ok (6 points, 2 dimensions, edited by hand)\n"
    lines = res.stderr.splitlines()
    assert f"{bad}: points[0].dimension: 'nowhere' is not one of the dimensions " \
           "['exemplification', 'position']" in lines
    assert f"{bad}: colour: is not a rubric field" in lines
    assert all(ln.startswith(f"{bad}: ") for ln in lines)
    assert "Traceback" not in res.output


def test_check_command_accepts_bundled_rubrics() -> None:
    res = CliRunner().invoke(main, ["rubrics", "check", *map(str, BUNDLED)])
    assert res.exit_code == 0, res.output
    assert res.stdout.count(": ok (") == len(BUNDLED)
    assert "as generated" in res.stdout and "edited by hand" not in res.stdout


# --------------------------------------------------------------------------- scaling


@pytest.mark.parametrize("path", BUNDLED[:3], ids=lambda p: p.stem)
def test_scaling_to_15_multiplies_every_mark_by_one_and_a_half(path: Path) -> None:
    r = load_rubric_file(path)
    s = scaled(r, 15)
    assert s.marks == 15
    assert s.structure_marks == pytest.approx(r.structure_marks * 1.5, abs=0.006)
    for a, b in zip(r.dimensions, s.dimensions, strict=True):
        assert b.marks == pytest.approx(a.marks * 1.5, abs=0.006)
    for a, b in zip(r.points, s.points, strict=True):
        assert (b.id, b.must) == (a.id, a.must)
        assert b.marks == pytest.approx(a.marks * 1.5, abs=0.006)
    assert scaled(r, r.marks) is r


# --------------------------------------------------------------------------- key points


KEY_POINTS_CSV = (
    'id,point,marks,max_score\n'
    'k1,Binary encoding is compact,"0,5",\n'
    'k2,Simple and cheap circuits,"1,5","1,5"\n'
    'k3,Noise tolerant signals,1,\n'
)


def test_key_point_csv_with_decimal_commas_and_cap(tmp_path: Path) -> None:
    path = tmp_path / "keys.csv"
    path.write_text(KEY_POINTS_CSV, encoding="utf-8")
    r = load_rubric_file(path)
    assert r.kind == "key-points"
    assert [p.id for p in r.points] == ["k1", "k2", "k3"]
    assert [p.marks for p in r.points] == [0.5, 1.5, 1.0]
    assert r.max_score == 1.5 and r.cap == 1.5
    assert sum(p.marks for p in r.points) > r.cap

    everything = ("Binary encoding is compact. Circuits are simple and cheap. "
                  "Signals are noise tolerant.")
    result = evaluate(everything, r)
    assert result.max_score == 1.5
    assert sum(d.score for d in result.dimensions) > result.max_score
    assert result.score == result.max_score


@pytest.mark.parametrize(
    ("csv_text", "marks", "cap"),
    [
        ("ID,key_element,points\n1,binary encoding,\"0,25\"\n2,simple design,0.75\n",
         [0.25, 0.75], None),
        ("id,point,marks\na,binary encoding,1\nb,,2\nc,simple design,2\n", [1.0, 2.0], None),
        ("point,marks,max_score\nbinary encoding,1,\nsimple design,1,1\n", [1.0, 1.0], 1.0),
    ],
    ids=["saf-header", "blank-point-skipped", "no-id-column"],
)
def test_key_point_csv_variants(csv_text: str, marks: list[float], cap: float | None) -> None:
    rows, got_cap = parse_key_points(csv_text, name="k.csv")
    assert [m for _, _, m in rows] == marks
    assert got_cap == cap
    assert len({i for i, _, _ in rows}) == len(rows)


@pytest.mark.parametrize(
    ("csv_text", "needle"),
    [
        ("id,text,score\n1,binary,1\n", "header"),
        ("id,point,marks\n1,binary,lots\n", "line 2"),
        ("id,point,marks\n1,binary,-1\n", "negative"),
        ("id,point,marks\n", "no key points"),
    ],
)
def test_bad_key_point_csv(csv_text: str, needle: str) -> None:
    with pytest.raises(RubricError, match=needle):
        parse_key_points(csv_text, name="k.csv")


# --------------------------------------------------------------------------- references


MODEL = ("The CEPA entered into force in 2010. The MoU links the two small-business ministries. "
         "It is not binding; it carries no funds, so results depend on follow-up.")


def test_reference_rubric_from_a_model_answer() -> None:
    question = "Examine the India-Korea MoU on small-business ministries."
    r = from_reference(MODEL, question=question, marks=10)
    assert r.kind == "reference" and r.id.startswith("reference-")
    assert [d.name for d in r.dimensions] == ["content"]
    assert r.dimensions[0].marks == 10
    assert sum(p.marks for p in r.points) == pytest.approx(10, abs=1e-9)
    assert len(r.points) >= 3
    assert all(p.marks > 0 for p in r.points)
    asked = {a.lower() for p in r.points for g in p.must for a in g}
    assert {"mou", "ministries", "2010", "not"} <= asked
    # Words the question gives away are asked for at a lower weight, and earn no marks.
    compiled = compile_rubric(r, settings=MatcherSettings(question_word=0.25))
    weights = {
        g[0].tokens[0]: w
        for cp in compiled.points
        for g, w in zip(cp.groups, cp.weights, strict=True)
    }
    assert weights["ministries"] < weights["funds"]
    assert weights["not"] == 0  # a negation is checked as polarity, not as a word
    mou = next(p for p in r.points if "MoU" in p.text)
    cepa = next(p for p in r.points if "CEPA" in p.text)
    # Marks follow the words a clause adds: MoU clause 6 words, 4 given by the question.
    assert mou.marks / cepa.marks == pytest.approx(2 / 4, abs=0.01)
    # Same model answer, same rubric.
    assert from_reference(MODEL, question=question, marks=10) == r


def test_reference_scores_its_own_model_answer_highest() -> None:
    r = from_reference(MODEL, marks=10)
    own = evaluate(MODEL, r)
    partial = evaluate("The CEPA entered into force in 2010.", r)
    other = evaluate("Mangroves shield coastal villages from cyclones.", r)
    assert own.score == pytest.approx(10)
    assert own.score > partial.score > other.score
    assert other.score <= 1


@pytest.mark.parametrize("text", ["", "   ", "... — !"])
def test_reference_without_words_is_an_error(text: str) -> None:
    with pytest.raises(RubricError):
        from_reference(text)
