"""The light-weight grading path against the libraries it replaces, and what it must not import.

TF-IDF (evaluator.vectors) against scikit-learn's TfidfVectorizer; the Porter stemmer,
Punkt splitter and stop list, loaded without their packages' __init__, against NLTK and
scikit-learn imported as usual; the matcher's typo
index against the per-sentence search it replaces. Importing scikit-learn and NLTK here is
fine: the package itself must not (see the last tests).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import ANSWERS, EXAMPLES, MINI, ROOT, RUBRICS, read
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator import io
from evaluator import text as tx
from evaluator import vectors as vec
from evaluator.match import _analyzer, _point_doc, compile_rubric, prepare

sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
nltk_porter = pytest.importorskip("nltk.stem.porter")
nltk_punkt = pytest.importorskip("nltk.tokenize.punkt")

RUBRIC_FILES = sorted(RUBRICS.glob("*.toml")) + [MINI]
TEXTS = [read(p) for p in sorted(ANSWERS.glob("*.txt"))] + [read(EXAMPLES / "answer.txt")]


def _sklearn(docs: list[str]) -> object:
    return sklearn_text.TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True).fit(docs)


def _dense(space: vec.Space, v: vec.Vector) -> np.ndarray:
    out = np.zeros(len(space.idf))
    for i, w in v.items():
        out[i] = w
    return out


# --------------------------------------------------------------------------- TF-IDF


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=lambda p: p.stem)
def test_rubric_space_and_point_vectors_equal_sklearn(path: object) -> None:
    rubric = io.load_rubric_file(path)  # type: ignore[arg-type]
    compiled = compile_rubric(rubric)
    docs = [_point_doc(p) for p in rubric.points]
    fitted = _sklearn(docs + [p.source.sentence for p in rubric.points if p.source])
    assert compiled.vectorizer.vocabulary == fitted.vocabulary_
    np.testing.assert_allclose(compiled.vectorizer.idf, fitted.idf_, rtol=1e-13)
    assert compiled.point_vectors is not None
    ours = np.array([_dense(compiled.vectorizer, v) for v in compiled.point_vectors])
    np.testing.assert_allclose(ours, fitted.transform(docs).toarray(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("path", RUBRIC_FILES, ids=lambda p: p.stem)
def test_sentence_similarities_and_closeness_equal_sklearn(path: object) -> None:
    from evaluator.match import _similarities
    from evaluator.score import closeness

    rubric = io.load_rubric_file(path)  # type: ignore[arg-type]
    compiled = compile_rubric(rubric)
    docs = [_point_doc(p) for p in rubric.points]
    fitted = _sklearn(docs + [p.source.sentence for p in rubric.points if p.source])
    points = fitted.transform(docs)
    profile = np.asarray(points.sum(axis=0))
    profile = profile / np.linalg.norm(profile)
    for text in TEXTS:
        answer = prepare(text)
        want = (points @ fitted.transform([s.text for s in answer.sentences]).T).toarray()
        got = np.zeros_like(want)
        for pi, row in enumerate(_similarities(compiled, answer)):
            for si, value in row.items():
                got[pi, si] = value
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
        expected = float((fitted.transform([text]) @ profile.T).ravel()[0])
        assert closeness(compiled, answer) == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_library_closeness_equals_sklearn() -> None:
    from sklearn.preprocessing import normalize

    from evaluator.library import Library

    lib = Library(io.bundled_rubrics())
    docs = [" ".join([r.title, *(p.text for p in r.points)]) for r in lib.rubrics]
    fitted = _sklearn(docs)
    rows = [
        np.asarray(fitted.transform([p.text for p in r.points] or [r.title]).sum(axis=0)).ravel()
        for r in lib.rubrics
    ]
    profiles = normalize(np.vstack(rows))
    for text in TEXTS:
        want = dict(
            zip(
                (r.id for r in lib.rubrics),
                (fitted.transform([text]) @ profiles.T).ravel(),
                strict=True,
            )
        )
        for rubric, got in lib.closeness(text):
            assert got == pytest.approx(float(want[rubric.id]), rel=1e-12, abs=1e-15)


_TERMS = st.lists(
    st.sampled_from(["ab", "ac", "ad", "ae", "af", "ag", "india", "korea", "msme", "2015"]),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(docs=st.lists(_TERMS, min_size=1, max_size=6), query=_TERMS)
def test_space_equals_sklearn_on_any_documents(docs: list[list[str]], query: list[str]) -> None:
    if not any(docs):
        return  # scikit-learn refuses an empty vocabulary
    fitted = sklearn_text.TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True).fit(docs)
    space = vec.Space.fit(docs)
    assert space.vocabulary == fitted.vocabulary_
    got = _dense(space, space.vector(query))
    np.testing.assert_allclose(got, fitted.transform([query]).toarray()[0], rtol=1e-12, atol=1e-15)
    rows = [space.vector(d) for d in docs]
    dots = vec.Index(rows).dots(space.vector(query))
    for r, row in enumerate(rows):
        assert dots.get(r, 0.0) == vec.dot(row, space.vector(query))


# --------------------------------------------------------------------------- NLTK/sklearn parts


def _corpus_words() -> list[str]:
    words: set[str] = set()
    for p in [*(ROOT / "seeds").glob("*.txt"), *RUBRIC_FILES, *ANSWERS.glob("*.txt")]:
        words.update(tx.words(read(p)))
    extra = ["generalizations", "oscillators", "agreed", "dying", "hopping", "sky", "news"]
    return sorted(words) + extra


def _nltk_punkt() -> object:
    params = nltk_punkt.PunktParameters()
    params.abbrev_types = set(tx._ABBREVIATIONS)
    return nltk_punkt.PunktSentenceTokenizer(params)


_SPLIT_TEXTS = TEXTS + [read(p) for p in sorted((ROOT / "seeds").glob("*.txt"))]

# Run in a fresh process, where NLTK and scikit-learn are not imported yet: the parts are
# loaded without their packages' __init__, then the host imports nltk itself.
_ALONE = """
import json, sys
from evaluator import text as tx
words, texts = json.loads(sys.stdin.read())
out = {
    "stems": [tx._stemmer().stem(w) for w in words],
    "stop": sorted(tx._module_alone("sklearn.feature_extraction._stop_words").ENGLISH_STOP_WORDS),
    "spans": [[list(tx._punkt().span_tokenize(line)) for line in [t, *t.splitlines()]]
              for t in texts],
}
import evaluator
evaluator.evaluate(open("examples/answer.txt").read())
out["loaded"] = sorted({m.split(".")[0] for m in sys.modules} & {"nltk", "sklearn", "scipy"})
import nltk
import nltk.stem.porter
out["nltk"] = [nltk.__version__, nltk.stem.porter.__name__, hasattr(nltk, "word_tokenize")]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def alone() -> dict[str, object]:
    words = _corpus_words()
    got = subprocess.run(
        [sys.executable, "-c", _ALONE],
        input=json.dumps([words, _SPLIT_TEXTS]),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    out: dict[str, object] = json.loads(got.stdout.splitlines()[-1])
    out["words"] = words
    return out


def test_porter_loaded_alone_stems_as_nltk(alone: dict[str, object]) -> None:
    theirs = nltk_porter.PorterStemmer()
    words = alone["words"]
    assert isinstance(words, list)
    assert alone["stems"] == [theirs.stem(w) for w in words]


def test_punkt_loaded_alone_splits_as_nltk(alone: dict[str, object]) -> None:
    ref = _nltk_punkt()
    want = [
        [[list(span) for span in ref.span_tokenize(line)] for line in [t, *t.splitlines()]]
        for t in _SPLIT_TEXTS
    ]
    assert alone["spans"] == want


def test_stop_list_loaded_alone_is_sklearns(alone: dict[str, object]) -> None:
    assert alone["stop"] == sorted(sklearn_text.ENGLISH_STOP_WORDS)


def test_host_imports_the_real_nltk_after_grading(alone: dict[str, object]) -> None:
    # Nothing of NLTK, scikit-learn or SciPy stays loaded after grading, and a later
    # `import nltk` is the whole package (its version, its top-level names).
    assert alone["loaded"] == []
    import nltk

    assert alone["nltk"] == [nltk.__version__, "nltk.stem.porter", True]


def test_module_alone_uses_an_imported_package() -> None:
    # Here NLTK is already imported (by this test module): its own module is returned.
    assert tx._module_alone("nltk.stem.porter") is nltk_porter


# --------------------------------------------------------------------------- the typo index


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                ["binary", "binery", "bniary", "encoding", "encodng", "stack", "stak", "india"]
            ),
            max_size=6,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_typo_index_equals_a_search_per_sentence(sentences: list[list[str]]) -> None:
    from rapidfuzz import fuzz, process

    from evaluator.match import _typos
    from evaluator.rubric import from_key_points

    compiled = compile_rubric(from_key_points([("k", "binary encoding of a stack", 1.0)]))
    answer = prepare("\n".join(" ".join(s) or "x" for s in sentences))
    got = _typos(compiled, answer)
    for token in ("binary", "encoding", "stack"):
        want = set()
        for si, toks in enumerate(answer.tokens):
            pool = [c for c in toks if len(c) >= 4 and abs(len(c) - len(token)) <= 2]
            if (
                len(token) >= 5
                and pool
                and process.extractOne(
                    token, pool, scorer=fuzz.ratio, score_cutoff=compiled.settings.fuzzy
                )
            ):
                want.add(si)
        assert got.get(token, set()) == want, token


# --------------------------------------------------------------------------- imports


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_grading_one_answer_imports_no_heavy_library() -> None:
    code = (
        "import evaluator\n"
        "evaluator.evaluate(open('examples/answer.txt').read())\n"
        "evaluator.evaluate('Stacks are LIFO.', reference='A stack is last in, first out.')\n"
    )
    heavy = {"numpy", "scipy", "sklearn", "nltk", "pandas"}
    assert heavy.isdisjoint(m.split(".")[0] for m in _modules_after(code))


def test_cli_help_loads_no_grader() -> None:
    loaded = _modules_after("import evaluator.cli")
    assert {"evaluator.match", "evaluator.library", "evaluator.rubric"}.isdisjoint(loaded)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*"abcXYZ019 .,-'’%$\n", "n't", "Can't", "1,000"])).map("".join))
def test_ascii_fast_path_of_words_is_the_general_path(text: str) -> None:
    general = tx._CONTRACTED_NOT.sub(tx._expand_not, tx.normalise(text))
    assert tx.words(text) == [t.lower() for t in tx.TOKEN.findall(general)]
    assert tx.word_count(text) == len(tx.COUNTED_WORD.findall(tx.normalise(text)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"aZ09 .,\n", "the ", "and ", "भारत ", "é"])).map("".join))
def test_english_check_counts_letters_as_the_general_rule(text: str) -> None:
    from evaluator import lexicon
    from evaluator.score import ENGLISH_WORDS, _looks_english

    answer = prepare(text)
    letters = [c for c in text if c.isalpha()]
    # Single letters are a formula's variables, not words of any language.
    toks = [t for s in answer.tokens for t in s if t.isalpha() and len(t) > 1]
    if not letters:
        want = True
    elif sum(c.isascii() for c in letters) / len(letters) < 0.5:
        want = False
    elif len(toks) < 20:
        want = True
    else:
        known = [t in tx.stop_words() or lexicon.is_word(tx.stem(t)) for t in toks]
        want = sum(known) / len(toks) >= ENGLISH_WORDS
    assert _looks_english(answer) == want


def test_parts_fall_back_to_the_ordinary_import(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(name: str) -> object:
        raise ImportError(name)

    monkeypatch.setattr(tx, "_module_alone", refuse)
    for cached in (tx._stemmer, tx.stop_words, tx._punkt):
        cached.cache_clear()
    try:
        assert tx._stemmer().stem("agreements") == "agreement"
        assert "the" in sklearn_text.ENGLISH_STOP_WORDS and "the" in tx.stop_words()
        assert [s.text for s in tx.sentence_spans("Dr. Rao came. He left.")] == [
            "Dr. Rao came.",
            "He left.",
        ]
    finally:
        for cached in (tx._stemmer, tx.stop_words, tx._punkt):
            cached.cache_clear()


def test_a_scaled_space_weighs_its_terms_less() -> None:
    space = vec.Space.fit([["bulb", "light"], ["bulb", "path"], ["closed", "path"]])
    scaled = space.scaled(["bulb", "unknown"], 0.25)
    assert scaled.idf[space.vocabulary["bulb"]] == space.idf[space.vocabulary["bulb"]] * 0.25
    assert scaled.vocabulary == space.vocabulary
    doc, query = ["bulb", "path"], ["bulb", "light"]
    assert vec.dot(scaled.vector(doc), scaled.vector(query)) < vec.dot(
        space.vector(doc), space.vector(query))
