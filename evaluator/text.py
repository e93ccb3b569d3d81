"""Text preparation shared by rubric building and scoring.

NLTK's Porter stemmer and scikit-learn's English stop-word list are imported from the
installed packages without running those packages' ``__init__`` (which import SciPy and
scikit-learn, about 1 s): see :func:`_module_alone`.

>>> words("India's MSMEs grew 12.5% in 2024-25.")
['india', 's', 'msmes', 'grew', '12.5', '%', 'in', '2024', '25']
>>> word_count("India's MSMEs grew 12.5% in 2024-25.")
6
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
import types
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Month names and money as seeds and answers write them (facts read seeds, match answers).
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
# "US$", "$", "₹", "Rs.", "USD ", "INR " before an amount.
CURRENCY = r"(?:US)?\$|₹|\bRs\.?\s?|\bUSD\s?|\bINR\s?"
# Scale words after an amount: "$21 billion", "₹5 cr".
SCALE_WORDS = "billion|bn|million|mn|crore|cr|lakh|trillion"

# Head nouns of a description that classifies a thing ("a cabinet-level ministry", "a
# free-trade-style agreement"), as against one that only qualifies it ("the two countries").
# Facts read them in seeds, the matcher in answers: here, so grading need not import facts.
KIND_HEADS = (
    "ministry", "agreement", "pact", "treaty", "partnership", "tier", "statement", "body", "forum",
    "scheme", "programme", "framework", "instrument", "mechanism", "platform", "channel",
    "organisation", "organization", "deal",
)


@lru_cache(maxsize=1)
def kind_head_stems() -> frozenset[str]:
    """:data:`KIND_HEADS` as stems, as answers are read."""
    return frozenset(stem(h) for h in KIND_HEADS)


def must_signature(must: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """Order- and case-free form of a point's ``must``: two points with the same one are the
    same fact (rubrics are built and chosen by it)."""
    return tuple(sorted(tuple(sorted(a.lower() for a in g)) for g in must))


# Negations are not stop words here: "is not a treaty" must not match "is a treaty".
NEGATIONS = frozenset({"not", "no", "never", "without", "nor", "none", "cannot"})

# Abbreviations Punkt would otherwise treat as sentence ends (it is untrained here).
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "govt",
        "dept",
        "approx",
        "fig",
        "cf",
        "al",
        "inc",
        "ltd",
        "co",
        "corp",
        "art",
        "sec",
        "u.s",
        "u.k",
        "rs",
        "ph.d",
        "viz",
        "est",
    ]
)

# "G20" and "K9" stay one token; "2024-25" is two numbers.
TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?![^\W_])|[^\W_]+|[%$₹€£]", re.UNICODE)
# TOKEN for lower-case ASCII text: the same tokens (there, \d is [0-9] and [^\W_] is
# [a-z0-9]), found with plain character ranges, about twice as fast.
_ASCII_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*(?![a-z0-9])|[a-z0-9]+|[%$]")
# A counted word: any run of letters/digits joined by inner hyphens, apostrophes or points.
COUNTED_WORD = re.compile(r"[^\W_]+(?:['’.\-–][^\W_]+)*", re.UNICODE)
# COUNTED_WORD for ASCII text ([^\W_] is [A-Za-z0-9] there; ’ and – are not ASCII), faster.
_ASCII_COUNTED_WORD = re.compile(r"[A-Za-z0-9]+(?:['.\-][A-Za-z0-9]+)*")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_BULLET = re.compile(r"^\s*(?:[-*•◦▪–]|\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")


def normalise(text: str) -> str:
    """NFKC-normalise, drop zero-width characters and unify quotes, keep dashes."""
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text)
    return (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )


# "isn't" must read as "is not", or its negation is lost to the tokens "isn" and "t".
_CONTRACTED_NOT = re.compile(r"(?i)\b(?:(can)'t|(won)'t|(\w+)n't)\b")


def _expand_not(m: re.Match[str]) -> str:
    head = m.group(1) or ("will" if m.group(2) else m.group(3))
    return f"{head} not"


def words(text: str) -> list[str]:
    """Lower-cased tokens: words, numbers (``12.5``, ``1,000``) and currency/percent signs.

    >>> words("It isn't 1,000 G20 members.")
    ['it', 'is', 'not', '1,000', 'g20', 'members']
    """
    if text.isascii():
        # The same tokens, sooner: NFKC and the quote rules change no ASCII text, and
        # lower-casing ASCII first changes no token boundary. A contraction needs an
        # apostrophe: most texts have none, and skip the substitution.
        low = text.lower()
        return _ASCII_TOKEN.findall(_CONTRACTED_NOT.sub(_expand_not, low) if "'" in low else low)
    text = normalise(text)
    if "'" in text:
        text = _CONTRACTED_NOT.sub(_expand_not, text)
    return [t.lower() for t in TOKEN.findall(text)]


def negated(
    tokens: Sequence[str], *, window: int = 3, clauses: Sequence[int] | None = None
) -> frozenset[int]:
    """Positions of tokens a negation word governs: the next ``window`` tokens of its clause.

    Without a parser this is a window, cut at words that start a new clause and, given
    ``clauses`` (a clause number per token, from the punctuation), where the clause ends.

    >>> sorted(negated(["there", "is", "no", "gap", "but", "a", "wire"]))
    [3]
    >>> sorted(negated(["not", "binding", "it", "sets"], window=6, clauses=[0, 0, 1, 1]))
    [1]
    """
    out: set[int] = set()
    for i, t in enumerate(tokens):
        if t in NEGATIONS and not (i + 1 < len(tokens) and tokens[i + 1] in NOT_ONLY):
            # "no", "none" and "without" deny a noun phrase ("no doubt the bulb is lit"),
            # "not" and "never" the rest of the clause.
            reach = min(window, 3) if t in _NOUN_NEGATIONS else window
            for j in range(i + 1, min(len(tokens), i + 1 + reach)):
                if tokens[j] in _CLAUSE_BREAKS or (
                    clauses is not None and j < len(clauses) and clauses[j] != clauses[i]
                ):
                    break
                out.add(j)
    return frozenset(out)


_NOUN_NEGATIONS = frozenset({"no", "none", "without"})
# "not only X but Y", "not simply X": X is affirmed.
NOT_ONLY = frozenset({"only", "just", "merely", "simply", "solely", "exclusively"})
_CLAUSE_BREAKS = frozenset({"but", "and", "or", "because", "so", "while", "whereas", "although"})


def joined_stems(tokens: Sequence[str]) -> list[str]:
    """Stems of each pair of neighbouring alphabetic tokens written as one word.

    >>> joined_stems(["small", "start", "ups", "2024"])
    ['smallstart', 'startup']
    """
    # Each token tested once (not once as the left and once as the right of a pair).
    out = []
    prev = ""  # the previous token when alphabetic
    for t in tokens:
        if t.isalpha():
            if prev:
                out.append(stem(prev + t))
            prev = t
        else:
            prev = ""
    return out


@lru_cache(maxsize=16)  # grading counts an answer's words twice (its limit, its report)
def word_count(text: str) -> int:
    """The one word counter used everywhere (word limits, reports, features).

    Hyphenated and apostrophised forms count once ("India–Korea", "India's"),
    as a grader counting by eye would.
    """
    if text.isascii():
        return len(_ASCII_COUNTED_WORD.findall(text))
    return len(COUNTED_WORD.findall(normalise(text)))


def is_number(token: str) -> bool:
    return bool(_NUMBER.match(token))


def number_value(token: str) -> str:
    """Canonical form of a number token: ``1,000`` -> ``1000``; ``5.80`` -> ``5.8``;
    ``0,014`` -> ``0.014`` (a decimal comma: no thousands begin with 0)."""
    if re.fullmatch(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?", token):
        token = token.replace(",", "")
    token = token.replace(",", ".")
    if "." in token:
        token = token.rstrip("0").rstrip(".")
    return token


# Numbers written out ("twenty-one billion dollars", "five point eight billion", "nine-tenths"):
# a paraphrasing answer states figures so, and a figure is a figure however it is written.
_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNIT_RE = "|".join(sorted(_UNITS, key=len, reverse=True))
_TENS_RE = "|".join(_TENS)
_UPTO99 = rf"(?:(?:{_TENS_RE})(?:[- ](?:{_UNIT_RE}))?|(?:{_UNIT_RE}))"
_FRACTIONS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
              "tenth": 10, "tenths": 10}
_SPELLED = re.compile(
    rf"\b(?:(?P<fnum>{_UPTO99})[- ](?P<frac>{'|'.join(_FRACTIONS)})"
    rf"|(?P<num>{_UPTO99}(?:\s+hundred(?:\s+(?:and\s+)?{_UPTO99})?)?)"
    rf"(?:\s+point(?P<dec>(?:\s+(?:{_UNIT_RE}))+))?)\b",
    re.IGNORECASE,
)


def _upto99(words: str) -> int:
    total = 0
    for w in re.split(r"[- ]+", words.lower().strip()):
        total += (_TENS.index(w) + 2) * 10 if w in _TENS else _UNITS.index(w)
    return total


def spelled_numbers(text: str) -> list[tuple[int, int, str]]:
    """Numbers written in words, as ``(start, end, digits)``: a fraction becomes a percentage.

    >>> [d for _, _, d in spelled_numbers("twenty-one billion, five point eight, nine-tenths")]
    ['21', '5.8', '90%']
    """
    out: list[tuple[int, int, str]] = []
    for m in _SPELLED.finditer(text):
        if m.group("frac"):
            parts = _upto99(m.group("fnum"))
            if parts != 1 and not m.group("frac").lower().endswith("s"):
                continue  # "the twenty-third meeting" is an ordinal: "two-thirds" is plural
            share = 100 * parts / _FRACTIONS[m.group("frac").lower()]
            out.append((m.start(), m.end(), f"{share:.1f}".rstrip("0").rstrip(".") + "%"))
            continue
        head, hundred, tail = m.group("num").lower().partition("hundred")
        value = _upto99(head.strip())
        if hundred:
            tail = tail.replace(" and ", " ").strip()
            value = value * 100 + (_upto99(tail) if tail else 0)
        digits = str(value)
        if m.group("dec"):
            digits += "." + "".join(str(_UNITS.index(w)) for w in m.group("dec").lower().split())
        out.append((m.start(), m.end(), digits))
    return out


def _module_alone(name: str) -> types.ModuleType:
    """Import the installed module ``name`` (``"nltk.stem.porter"``) without running the
    ``__init__`` of the packages above it.

    ``import nltk`` (and ``import sklearn``) load SciPy and more, about 1 s, for a stemmer
    and a word list that need none of it. The parent packages are registered as bare
    modules for the length of the import and removed afterwards, with every module of that
    package the import added, so a later ``import nltk`` by the host application gets the
    real package. When the package is already imported it is used as it is.

    >>> _module_alone("nltk.stem.porter").PorterStemmer().stem("running")
    'run'
    """
    top = name.split(".")[0]
    if top in sys.modules:
        return importlib.import_module(name)
    spec = importlib.util.find_spec(top)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"no package {top}")
    before = set(sys.modules)
    try:
        parts = name.split(".")
        path = list(spec.submodule_search_locations)
        for depth in range(1, len(parts)):
            package = types.ModuleType(".".join(parts[:depth]))
            package.__path__ = path
            sys.modules[package.__name__] = package
            path = [os.path.join(p, parts[depth]) for p in path]
        return importlib.import_module(name)
    finally:
        for added in set(sys.modules) - before:
            if added == top or added.startswith(top + "."):
                del sys.modules[added]


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    try:
        porter = _module_alone("nltk.stem.porter")
        return porter.PorterStemmer()
    except Exception:  # an NLTK laid out otherwise: the ordinary import, slower
        return importlib.import_module("nltk.stem.porter").PorterStemmer()


# Sized by measurement (benchmarks/speed.py's answers and benchmarks/data): 4,096 stems hit
# as often as 16,384 (97.7% against 97.9%). Each answer brings a new word or number or so, so
# the cache fills within a few thousand answers and a batch's memory stops growing there.
@lru_cache(maxsize=4096)
def stem(token: str) -> str:
    """Porter stem of one lower-case token; numbers are canonicalised, not stemmed."""
    if is_number(token):
        return number_value(token)
    if len(token) <= 3:
        return token
    return _COLLISIONS.get(token) or str(_stemmer().stem(token))


# Words Porter folds into another word's stem: "important" is not "imports", "general" not
# "generate", "several" not "sever". Each keeps a stem of its own family.
_COLLISIONS = {
    **dict.fromkeys(("important", "importance", "importantly", "unimportant"), "importan"),
    **dict.fromkeys(("general", "generally", "generals"), "general"),
    **dict.fromkeys(("several",), "several"),
    **dict.fromkeys(("community", "communities"), "communiti"),
    **dict.fromkeys(("university", "universities"), "universit"),
    **dict.fromkeys(("organ", "organs"), "organ_"),
}
# The shipped word tables are keyed by Porter's stems: these stems are words all the same.
COLLISION_STEMS = frozenset(_COLLISIONS.values())


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    # scikit-learn's list, read from its module alone (see _module_alone).
    try:
        module = _module_alone("sklearn.feature_extraction._stop_words")
    except Exception:  # a scikit-learn laid out otherwise: the ordinary import, slower
        module = importlib.import_module("sklearn.feature_extraction.text")

    return frozenset(module.ENGLISH_STOP_WORDS) - NEGATIONS - MEANINGFUL


# scikit-learn's list (its own docs warn it is not for every use) drops words a grader
# needs: counts ("two"), order ("first in, first out"), place ("top", "bottom") and state
# ("empty", "full", "same").
_MEANINGFUL = """
    one two three four five six eight nine ten eleven twelve fifteen twenty forty fifty
    sixty hundred first third last next back bottom top front side above below under over
    before after between behind beyond inside down up off empty full fill same less least
    few several whole part together alone system call move find found show put take give
    keep name detail describe amount interest bill fire thick thin
"""
MEANINGFUL = frozenset(_MEANINGFUL.split())


def content_tokens(text: str) -> list[str]:
    """Lower-case tokens without stop words or punctuation signs (negations kept)."""
    sw = stop_words()
    return [t for t in words(text) if t not in sw and (len(t) > 1 or t.isdigit() or t in "%$₹")]


def content_stems(text: str) -> list[str]:
    return [stem(t) for t in content_tokens(text)]


@lru_cache(maxsize=1)
def _punkt() -> Any:
    try:
        punkt = _module_alone("nltk.tokenize.punkt")
    except Exception:  # an NLTK laid out otherwise: the ordinary import, slower
        punkt = importlib.import_module("nltk.tokenize.punkt")

    params = punkt.PunktParameters()
    params.abbrev_types = set(_ABBREVIATIONS)
    # Recent NLTK (3.10 here) runs each search for sentence ends under a wall-clock timeout
    # (``nltk.redos``), whose timer costs about ten times the search on a sentence. The
    # patterns Punkt runs on every answer (sentence ends: "[.?!]" before punctuation or a
    # space and a token; words; closing quotes and brackets after an end) have no nested
    # repeat, so this tokenizer's own copies run without the timer; the matches are the
    # same engine's.
    redos = getattr(punkt, "redos", None)
    lang_vars, token = punkt.PunktLanguageVars(), punkt.PunktToken
    if redos is not None:

        def untimed(cls: type, *names: str) -> dict[str, Any]:
            return {"__slots__": (), **{n: redos.compile(getattr(cls, n), timeout=None)
                                        for n in names}}

        # Class attributes of slotted classes: set in subclasses of Punkt's own.
        lang_vars = type("LanguageVars", (punkt.PunktLanguageVars,), untimed(
            punkt.PunktLanguageVars, "re_boundary_realignment"))()
        lang_vars._re_period_context = redos.compile(lang_vars.period_context_re(), timeout=None)
        lang_vars._re_word_tokenizer = redos.compile(lang_vars._word_tokenizer_re(), timeout=None)
        token = type("Token", (punkt.PunktToken,), untimed(
            punkt.PunktToken, "_RE_ELLIPSIS", "_RE_NUMERIC", "_RE_INITIAL", "_RE_ALPHA"))
    tokenizer = punkt.PunktSentenceTokenizer(params, lang_vars=lang_vars, token_cls=token)
    # Whether a candidate break ("cooperation. The") is one depends on that context and the
    # fixed parameters only, and the same contexts recur from answer to answer: each is
    # decided once (bounded: 2,048 hit as often as 16,384 in a measured batch). The instance
    # attribute shadows the method Punkt calls.
    tokenizer.text_contains_sentbreak = lru_cache(maxsize=2048)(
        tokenizer.text_contains_sentbreak
    )
    return tokenizer


@dataclass(frozen=True)
class Span:
    """A sentence and its character offsets in the text it came from.

    ``text`` is the sentence on one line: a line break a wrap left inside it reads as a
    space (of the same length), so ``text`` is ``original[start:end]`` with line breaks as
    spaces, and patterns that expect "Ministry of Trade" meet "Ministry of\nTrade".
    """

    text: str
    start: int
    end: int


def sentence_spans(text: str) -> list[Span]:
    """Sentences with offsets into ``text``.

    Line breaks end a sentence too: answers are often bulleted, and a bullet
    without a full stop is still a unit of meaning.
    """
    spans: list[Span] = []
    tokenizer = _punkt()
    for line_start, line in _unwrapped(text):
        body = _BULLET.sub("", line)
        offset = line_start + (len(line) - len(body))
        stripped = body.strip()
        if not stripped:
            continue
        offset += len(body) - len(body.lstrip())
        for start, end in tokenizer.span_tokenize(stripped):
            piece = stripped[start:end].strip()
            if any(ch.isalnum() for ch in piece):
                spans.append(Span(
                    _ONE_LINE.sub(" ", piece), offset + start, offset + start + len(piece)
                ))
    return spans


def sentences(text: str) -> list[str]:
    """Sentence strings of ``text`` (see :func:`sentence_spans`)."""
    return [s.text for s in sentence_spans(text)]


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, line.rstrip("\r\n")
        pos += len(line)


# A line wrapped by a PDF, an editor or an e-mail goes on in the next. In a block whose lines
# but the last are all about as long as its longest (a wrapped paragraph), every line goes on
# unless the next is a bullet or this one introduces ("Way forward:"). Elsewhere a line goes on
# when it is long, ends mid-sentence (no . ! ? : ;) and the next goes on in lower case, or this
# one stops on a word no sentence ends with ("the", "of", ","). A heading or a bullet point
# without a full stop stays a unit of its own.
_WRAP_MIN = 30
_ONE_LINE = re.compile(r"[\r\n]")
_WRAP_EVEN = 0.6
_ENDS_SENTENCE = re.compile(r"[.!?:;]['\"’”)\]]*$")
_GOES_ON = frozenset({
    "a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "by", "from", "at",
    "as", "that", "which", "who", "its", "their", "his", "her", "our", "is", "are", "was",
    "were", "be", "has", "have", "had", "will", "would", "can", "could", "may", "than",
    "between", "into",
})


def _goes_on(line: str, after: str, *, even: bool) -> bool:
    body = line.rstrip()
    nxt = after.lstrip()
    if not nxt or _BULLET.match(after) or len(body.strip()) < _WRAP_MIN:
        return False
    if even:
        return not body.endswith(":")
    if _ENDS_SENTENCE.search(body):
        return False
    last = body.split()[-1].lower()
    return nxt[0].islower() or body.endswith((",", "-", "–", "—")) or last in _GOES_ON


def _unwrapped(text: str) -> Iterator[tuple[int, str]]:
    r"""The lines of ``text`` with the ones a wrap broke joined again, as ``(offset, text)``:
    a joined line is the original's characters, line breaks included, so offsets still
    point into it.

    >>> [t for _, t in _unwrapped("Since 2010, their trade has run under the\nCEPA.\n- A bullet")]
    ['Since 2010, their trade has run under the\nCEPA.', '- A bullet']
    """
    block: list[tuple[int, str]] = []
    for start, line in [*_lines(text), (len(text), "")]:
        if line.strip():
            block.append((start, line))
            continue
        if block:
            width = max(len(t.rstrip()) for _, t in block)
            even = len(block) > 2 and all(
                len(t.rstrip()) >= _WRAP_EVEN * width for _, t in block[:-1]
            )
            held = block[0]
            for nxt in block[1:]:
                if _goes_on(held[1].splitlines()[-1], nxt[1], even=even):
                    held = (held[0], text[held[0] : nxt[0] + len(nxt[1])])
                    continue
                yield held
                held = nxt
            yield held
            block = []


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs; a text without blank lines is one per line."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    if len(parts) == 1 and "\n" in parts[0]:
        parts = [p.strip() for p in parts[0].splitlines() if p.strip()]
    return parts


def slug(text: str, *, max_words: int = 6) -> str:
    """A short file-name-safe id from the content words of ``text``."""
    sw = stop_words()
    toks = [t for t in re.findall(r"[a-z0-9]+", normalise(text).lower()) if t not in sw]
    return "-".join(toks[:max_words]) or "untitled"
