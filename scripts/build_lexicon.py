"""Compile the shipped related-word table ``evaluator/data/lexicon.tsv`` from WordNet 3.0.

Run from the project root (Debian/Ubuntu: ``apt-get install wordnet-base`` puts the
database in /usr/share/wordnet)::

    python scripts/build_lexicon.py [--wordnet /usr/share/wordnet] [--out evaluator/data]

The WordNet database files are read directly (their format is documented in wndb(5));
NLTK's reader is not used because Debian's package lacks the ``lexnames`` file it needs.
The output is byte-for-byte reproducible: same database, same script, same bytes.

One line per Porter stem (as :func:`evaluator.text.stem` computes it) of an alphabetic
WordNet lemma that is not a stop word (two-word lemmas joined: "set_up" -> "setup")::

    stem <TAB> synonym stems <TAB> derived stems [<TAB> degree stems]

* synonyms: the other one- and two-word lemmas of the lemma's *frequent* senses: the first sense
  of each part of speech, and further senses only while they are among the senses
  WordNet's tagged corpus saw (``tagsense_cnt``), at most ``--senses`` of them.
  The relation is directed: the key's sense is the frequent one ("firm" -> "company",
  whose first sense is a firm), an answer's word may be used in any sense.
* derived: WordNet's derivationally related forms ("decide" / "decision"), pertainyms
  ("economic" / "economy"), participles, and irregular inflections from the exception
  lists ("bought" / "buy"), over all senses; this relation is symmetric.
* degrees (only on lines that have one): the same adjective's regular comparative and
  superlative ("high" / "higher" / "highest", see :func:`comparatives`), symmetric.

The licence notice of WordNet 3.0 is written beside the table (``WORDNET-LICENSE``).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evaluator import text as tx  # noqa: E402

POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
# Lexical pointers that keep the meaning and change the word class.
DERIVATION_POINTERS = {"+", "\\", "<"}
_WORD = re.compile(r"^[a-z]+$")
# Two-word lemmas ("set_up", "start-up") are kept joined ("setup"): the matcher joins each
# pair of neighbouring answer words the same way, so "set up" meets "establish".
_PAIR = re.compile(r"^[a-z]+[_-][a-z]+$")

LICENSE = """\
WordNet Release 3.0

This software and database is being provided to you, the LICENSEE, by
Princeton University under the following license.  By obtaining, using
and/or copying this software and database, you agree that you have
read, understood, and will comply with these terms and conditions.:

Permission to use, copy, modify and distribute this software and
database and its documentation for any purpose and without fee or
royalty is hereby granted, provided that you agree to comply with
the following copyright notice and statements, including the disclaimer,
and that the same appear on ALL copies of the software, database and
documentation, including modifications that you make for internal
use or for distribution.

WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.

THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR
IMPLIED.  BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT-
ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT
INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR
OTHER RIGHTS.

The name of Princeton University or Princeton may not be used in
advertising or publicity pertaining to distribution of the software
and/or database.  Title to copyright in this software, database and
any associated documentation shall at all times remain with
Princeton University and LICENSEE agrees to preserve same.

evaluator/data/lexicon.tsv is derived from the WordNet 3.0 database by
scripts/build_lexicon.py (Porter stems of synonyms and derivationally related forms).
evaluator/data/verbforms.tsv.gz is derived from it by scripts/build_verbs.py (verb-only
word forms).
"""

# words, (ptr, target, src, tgt), sense-key prefix of each word ("buy%2:40:00")
Synset = tuple[list[str], list[tuple[str, str, int, int]], list[str]]
SS_TYPE = {"n": 1, "v": 2, "a": 3, "r": 4, "s": 5}


def read_data(path: Path) -> dict[str, Synset]:
    """Synsets of one ``data.<pos>`` file by ``<pos letter><offset>``."""
    out: dict[str, Synset] = {}
    pos = path.suffix.lstrip(".")
    letter = POS[pos]
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue  # licence header
        fields = line.split(" | ", 1)[0].split()
        offset = fields[0]
        w_cnt = int(fields[3], 16)
        # Adjective markers like "(a)" are part of the stored word.
        words = [re.sub(r"\(.*\)$", "", fields[4 + 2 * i].lower()) for i in range(w_cnt)]
        keys = [
            f"{w}%{SS_TYPE[fields[2]]}:{fields[1]}:{int(fields[5 + 2 * i], 16):02d}"
            for i, w in enumerate(words)
        ]
        i = 4 + 2 * w_cnt
        p_cnt = int(fields[i])
        ptrs = []
        for k in range(p_cnt):
            sym, target, tpos, st = fields[i + 1 + 4 * k : i + 5 + 4 * k]
            tpos = "a" if tpos == "s" else tpos
            ptrs.append((sym, f"{tpos}{target}", int(st[:2], 16), int(st[2:], 16)))
        out[f"{letter}{offset}"] = (words, ptrs, keys)
    return out


def read_index(path: Path) -> dict[str, tuple[list[str], int]]:
    """Lemma -> (synset keys in WordNet's frequency order, number of tagged senses)."""
    letter = POS[path.suffix.lstrip(".")]
    out: dict[str, tuple[list[str], int]] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        f = line.split()
        p_cnt = int(f[3])
        tagged = int(f[5 + p_cnt])
        offsets = [f"{letter}{o}" for o in f[6 + p_cnt :]]
        out[f[0]] = (offsets, tagged)
    return out


def read_counts(path: Path) -> dict[str, int]:
    """How often each word sense was tagged in WordNet's corpus, by sense-key prefix."""
    out: dict[str, int] = {}
    for line in path.read_text(encoding="latin-1").splitlines():
        key, _, count = line.split()
        prefix = ":".join(key.split(":")[:3])
        out[prefix] = out.get(prefix, 0) + int(count)
    return out


def build(wordnet: Path, *, senses: int) -> dict[str, tuple[set[str], set[str]]]:
    data: dict[str, Synset] = {}
    for pos in POS:
        data.update(read_data(wordnet / f"data.{pos}"))
    counts = read_counts(wordnet / "cntlist.rev")
    stop = tx.stop_words() | tx.NEGATIONS
    table: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))

    def usable(word: str) -> bool:
        if _PAIR.match(word):
            return True
        return bool(_WORD.match(word)) and len(word) >= 3 and word not in stop

    def add(kind: int, a: str, b: str) -> None:
        sa, sb = tx.stem(re.sub("[_-]", "", a)), tx.stem(re.sub("[_-]", "", b))
        if sa != sb:
            table[sa][kind].add(sb)

    for pos in POS:
        for lemma, (offsets, tagged) in read_index(wordnet / f"index.{pos}").items():
            if not usable(lemma):
                continue
            frequent = offsets[: min(tagged, senses)]
            for key in offsets:
                words, ptrs, keys = data[key]
                try:
                    me = words.index(lemma) + 1
                except ValueError:
                    continue
                if key in frequent and counts.get(keys[me - 1], 0):
                    # Both words must be seen in this sense: "stack" is a pile, and "lot"
                    # of the same synset is a pile in almost no text.
                    for w, k in zip(words, keys, strict=True):
                        if w != lemma and usable(w) and counts.get(k, 0):
                            add(0, lemma, w)
                for sym, target, src, tgt in ptrs:
                    if sym in DERIVATION_POINTERS and src == me and tgt:
                        other = data[target][0][tgt - 1]
                        if usable(other):
                            add(1, lemma, other)
                            add(1, other, lemma)
    for pos in POS:
        for line in (wordnet / f"{pos}.exc").read_text(encoding="latin-1").splitlines():
            inflected, *bases = line.split()
            for base in bases:
                if usable(inflected) and usable(base):
                    add(1, inflected, base)
                    add(1, base, inflected)
    for syn, der in table.values():
        syn -= der  # a derivation is the closer relation
    return table


def degrees(wordnet: Path) -> dict[str, set[str]]:
    """Stem -> stems of the same adjective in its other degrees ("high" / "higher" /
    "highest"), symmetric; a column of its own because a claim's "largest" is not met by
    "large" while a short answer's "harder" is its model answer's "hardest"."""
    out: dict[str, set[str]] = defaultdict(set)
    for base, forms in comparatives(wordnet).items():
        words = [base, *forms]
        for a in words:
            for b in words:
                sa, sb = tx.stem(a), tx.stem(b)
                if sa != sb:
                    out[sa].add(sb)
    return out


def comparatives(wordnet: Path) -> dict[str, list[str]]:
    """Adjective -> its regular comparative and superlative ("high": "higher", "highest").

    Porter keeps "-er"/"-est", and the exception lists hold only the irregular forms
    ("bigger", "easier"), so "higher" met neither "high" nor "highest". The forms follow
    WordNet's own detachment rules for adjectives (morphy: -er, -est, -r, -st after "e"),
    for adjectives its tagged corpus saw. A form that is a noun or verb seen in that corpus
    is left out ("number" is not more numb); so is a lemma that is itself such a form or
    looks inflected ("higher" gets no "higherer").
    """
    adjectives = read_index(wordnet / "index.adj")
    taken = {
        lemma
        for pos in ("noun", "verb")
        for lemma, (_, tagged) in read_index(wordnet / f"index.{pos}").items()
        if tagged
    }
    irregular = {
        line.split()[0]
        for line in (wordnet / "adj.exc").read_text(encoding="latin-1").splitlines()
    }

    def forms(lemma: str) -> list[str]:
        return [lemma + "r", lemma + "st"] if lemma.endswith("e") else [lemma + "er", lemma + "est"]

    inflected = {form for lemma in adjectives for form in forms(lemma)}
    out: dict[str, list[str]] = {}
    for lemma, (_, tagged) in sorted(adjectives.items()):
        if (
            not tagged
            or not re.fullmatch(r"[a-z]{3,}", lemma)
            or lemma in inflected
            or lemma.endswith(("ed", "ing", "er", "est"))
        ):
            continue
        kept = [f for f in forms(lemma) if f not in taken and f not in irregular]
        if kept:
            out[lemma] = kept
    return out


def render(
    table: dict[str, tuple[set[str], set[str]]], degree: dict[str, set[str]] | None = None
) -> bytes:
    degree = degree or {}
    none: set[str] = set()
    lines = []
    for stem in sorted(set(table) | set(degree)):
        syn, der = table.get(stem, (none, none))
        deg = degree.get(stem, none)
        if not (syn or der or deg):
            continue
        # The degrees column is written only where there is one, so every other line is
        # what it was before the column existed.
        tail = f"\t{' '.join(sorted(deg))}" if deg else ""
        lines.append(f"{stem}\t{' '.join(sorted(syn))}\t{' '.join(sorted(der))}{tail}\n")
    header = (
        "# stem\tsynonyms\tderived\t[degrees] (WordNet 3.0; see WORDNET-LICENSE)\n"
    )
    # Uncompressed and sorted by stem (byte order: stems are ASCII): the runtime finds a
    # stem's line by binary search in the mapped file (evaluator.io.SortedTable).
    return (header + "".join(lines)).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--out", type=Path, default=ROOT / "evaluator" / "data")
    parser.add_argument(
        "--senses", type=int, default=2, help="frequent senses per part of speech (default 2)"
    )
    args = parser.parse_args(argv)
    if not (args.wordnet / "data.noun").is_file():
        print(f"no WordNet database in {args.wordnet} (apt-get install wordnet-base)")
        return 2
    table = build(args.wordnet, senses=args.senses)
    blob = render(table, degrees(args.wordnet))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "lexicon.tsv").write_bytes(blob)
    (args.out / "WORDNET-LICENSE").write_text(LICENSE, encoding="utf-8")
    entries = sum(1 for syn, der in table.values() if syn or der)
    print(f"{args.out / 'lexicon.tsv'}: {entries} stems, {len(blob):,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
