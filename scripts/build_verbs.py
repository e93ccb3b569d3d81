"""Compile ``evaluator/data/verbforms.tsv.gz``: words WordNet 3.0 knows only as verbs.

Run from the project root (Debian/Ubuntu: ``apt-get install wordnet-base``)::

    python scripts/build_verbs.py [--wordnet /usr/share/wordnet] [--out evaluator/data]

A rubric's claim is carried by its nouns ("business matchmaking", "supplier integration"),
not by the verbs that link them ("can plug", "to absorb"). Rubric building has no
part-of-speech tagger (NLTK's needs a download), so it asks this table instead: one line per
word form of a single-word lemma that is in WordNet's verb index and in none of the noun,
adjective and adverb indexes, with its inflections (regular ones made here, irregular ones
from ``verb.exc``), minus any form that is itself a noun lemma ("learning" and "building" stay
out; "operating", which WordNet also lists as an adjective, stays in). Same database, same
script, same bytes; the licence notice is the one beside ``lexicon.tsv``
(``WORDNET-LICENSE``).
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"^[a-z]+$")
_VOWELS = "aeiou"


def lemmas(path: Path) -> set[str]:
    out = set()
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        word = line.split(" ", 1)[0]
        if _WORD.match(word):
            out.add(word)
    return out


def inflections(verb: str) -> set[str]:
    """Regular third-person, past and -ing forms (spelling rules of English)."""
    forms = {verb}
    if verb.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(verb + "es")
    elif verb.endswith("y") and len(verb) > 2 and verb[-2] not in _VOWELS:
        forms.add(verb[:-1] + "ies")
    else:
        forms.add(verb + "s")
    if verb.endswith("e"):
        forms |= {verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and len(verb) > 2 and verb[-2] not in _VOWELS:
        forms |= {verb[:-1] + "ied", verb + "ing"}
    else:
        forms |= {verb + "ed", verb + "ing"}
        # "plug" -> "plugged": a short final consonant after one vowel doubles.
        if (len(verb) >= 3 and verb[-1] not in _VOWELS + "wxy" and verb[-2] in _VOWELS
                and verb[-3] not in _VOWELS):
            forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return forms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    ap.add_argument("--out", type=Path, default=ROOT / "evaluator" / "data")
    args = ap.parse_args()
    wn = args.wordnet
    verbs = lemmas(wn / "index.verb")
    nouns = lemmas(wn / "index.noun")
    only = verbs - nouns - lemmas(wn / "index.adj") - lemmas(wn / "index.adv")
    forms: dict[str, str] = {}
    for verb in sorted(only):
        for form in inflections(verb):
            forms.setdefault(form, verb)
    for line in (wn / "verb.exc").read_text(encoding="latin-1").splitlines():
        form, *bases = line.split()
        for base in bases:
            if base in only and _WORD.match(form):
                forms.setdefault(form, base)
    body = "".join(f"{f}\t{v}\n" for f, v in sorted(forms.items()) if f not in nouns)
    head = "# form\tverb (WordNet 3.0 verb-only lemmas; see WORDNET-LICENSE)\n"
    out = args.out / "verbforms.tsv.gz"
    # mtime=0: the same table gives the same bytes.
    out.write_bytes(gzip.compress((head + body).encode("utf-8"), mtime=0))
    print(f"{out}: {body.count(chr(10))} forms of {len(only)} verbs, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
