"""Key facts: a :class:`~evaluator.seeds.Document` -> checkable points.

A point is one clause of a seed that carries something a grader can check:
a date with what it dates, a figure with what it measures, an institution and
its role, an agreement, or a claim. Its ``must`` groups are what an answer has
to mention (alternatives inside a group), found with :func:`aliases` so that
"CEPA" and "Comprehensive Economic Partnership Agreement" are one thing.

>>> from evaluator.seeds import Block, Document
>>> doc = Document("n.txt", "plain", "T", blocks=(Block("body", "content", (
...     "The Comprehensive Economic Partnership Agreement (CEPA) entered into force in 2010.",)),))
>>> [f.must for f in extract_facts(doc)]
[(('CEPA', 'Comprehensive Economic Partnership Agreement'), ('2010',))]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evaluator import text as tx
from evaluator.seeds import Document

FACTS_VERSION = "facts-1"

DIMENSIONS = ("exemplification", "position", "substantiation", "way-forward")

# Why these roles: summaries (For UPSC, For Prelims) restate facts made elsewhere; they
# raise a fact's importance but we cite the fuller sentence when there is one.
_POINT_ROLES = ("content", "summary")

_YEAR = re.compile(r"^(?:19|20)\d\d$")
_FIGURE_UNIT = re.compile(
    # "%" is not a word character: "\b" after it would need a letter next ("45% of" failed).
    r"(?:[$₹€£]\s?\d|\d\s?(?:%|(?:per ?cent|billion|million|crore|lakh|trillion|bn|mn|tonnes?"
    r"|km|mw|gw)\b))",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|would|should|must|shall|aims?\b|aiming|aimed at|propos\w*|plans?\b|planned|"
    r"expected to|seeks? to|poised to|goal|target\w*|objectives?|to boost|way forward|need to|"
    r"can help|replicable|template|strategies|goal)\b",
    re.IGNORECASE,
)
_STRONG_FUTURE = re.compile(
    r"\b(?:will|should|must|shall|aims? to|aimed at|propos\w*|plans? to|planned|expected to|"
    r"seeks? to|poised to|target\w*|objectives? include|by 20\d\d|way forward|need to)\b",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"\b(?:signed|sign|conducted|elevated|established|constituted|launched|adopted|joined|joins|"
    r"held|concluded|entered into force|came into force|issued|announced|visit\w*|resolved|"
    r"decid\w*|agreed|set up|created)\b",
    re.IGNORECASE,
)
_INSTITUTION_HEAD = re.compile(
    r"\b(?:Ministry|Department|Commission|Board|Corporation|Council|Committee|Forum|Chamber|"
    r"Confederation|Federation|Organisation|Organization|Alliance|Initiative|Authority|Agency|"
    r"Bank|Dialogue|Centre|Center|Institute|Act|Agreement|Partnership|Treaty|Programme|Mission)\b"
)
_CLAUSE_SPLIT = re.compile(r";\s+|\s+[—–]\s+(?=[a-z])|,\s+(?:while|whereas|and which)\s+")
# Title-case name: capitalised words, joined by short function words; commas allowed only
# inside "X, Y and Z Enterprises"-style names (they end with "and <Capital>").
# Title-case name: capitalised words joined by "of", "and", "for", "&", "the"; commas
# only inside "X, Y and Z Enterprises"-style names. A possessive ends a name.
_WORD = r"(?:[A-Z][\w&\-–]*+)"
_NAME = re.compile(
    rf"{_WORD}(?:(?:\s+(?:of|and|for|the|&)\s+|\s+"
    r"|,\s+(?=[A-Z][\w-]*(?:,\s+[A-Z][\w-]*)*,?\s+and\s+[A-Z]))"
    rf"{_WORD}(?!['’]))*+"
)
_ACRONYM_DEF = re.compile(r"\(([A-Z][A-Za-z&]*[A-Z]s?|[A-Z]{2,}s?)\)")
_QUOTED = re.compile(r"[\"“]([^\"”]{3,60})[\"”]")
_PAREN_ALIAS = re.compile(
    r"((?:[A-Z][\w'’\-–]*\s+){0,4}[A-Z][\w'’\-–]*)\s+\(([A-Z][\w .'’\-–]{2,40})\)"
)
_LEADING_ARTICLE = re.compile(r"^(?:The|This|That|These|Those|A|An|Its|Their|Both|In|On|For)\s+")
_CONNECTORS = frozenset({"of", "and", "for", "the", "&", "on", "in", "to"})


# Discourse words that say nothing checkable on their own: never a claim's keyword.
GENERIC = frozenset(
    [
        "significant",
        "significantly",
        "major",
        "key",
        "important",
        "importance",
        "recent",
        "recently",
        "increasingly",
        "growing",
        "new",
        "historic",
        "first",
        "landmark",
        "step",
        "steps",
        "move",
        "moves",
        "major",
        "broader",
        "specific",
        "specifically",
        "various",
        "several",
        "many",
        "much",
        "more",
        "most",
        "less",
        "least",
        "also",
        "already",
        "still",
        "further",
        "together",
        "therefore",
        "however",
        "based",
        "part",
        "parts",
        "way",
        "ways",
        "well",
        "clear",
        "clearly",
        "strong",
        "stronger",
        "strongly",
        "steadily",
        "directly",
        "actually",
        "highlighted",
        "highlight",
        "highlights",
        "underline",
        "underlines",
        "underlined",
        "reflects",
        "reflect",
        "signals",
        "signal",
        "indicates",
        "indicate",
        "shows",
        "show",
        "seen",
        "see",
        "sees",
        "observers",
        "experts",
        "expert",
        "argue",
        "argues",
        "analyses",
        "understood",
        "understand",
        "reading",
        "read",
        "means",
        "mean",
        "place",
        "placing",
        "helps",
        "help",
        "typically",
        "usually",
        "often",
        "conducted",
        "held",
        "done",
        "made",
        "make",
        "makes",
        "making",
        "took",
        "take",
        "takes",
        "taking",
        "given",
        "give",
        "gives",
        "giving",
        "including",
        "include",
        "includes",
        "included",
        "included",
        "like",
        "such",
        "particular",
        "case",
        "cases",
        "kind",
        "kinds",
        "sort",
        "level",
        "levels",
        "tier",
        "tiers",
        "thing",
        "things",
        "term",
        "terms",
        "long",
        "short",
        "large",
        "larger",
        "small",
        "smaller",
        "big",
        "high",
        "higher",
        "low",
        "lower",
        "good",
        "best",
        "better",
        "great",
        "greater",
        "real",
        "fresh",
        "fuller",
        "rather",
        "less",
        "notch",
        "notches",
    ]
)


@dataclass(frozen=True)
class Corpus:
    """What is learnt across all seeds at once.

    ``aliases``: alias groups keyed by lower-case surface form. ``common``: stems in
    most seeds ("india", "korea"): never a keyword on their own. ``lower``: words seen
    in lower case somewhere, so a capitalised sentence opener ("Recently, ...") is not
    taken for a name. ``idf``: stem rarity across seed sentences, for claim keywords.
    """

    aliases: dict[str, tuple[str, ...]]
    common: frozenset[str] = frozenset()
    lower: frozenset[str] = frozenset()
    idf: dict[str, float] | None = None


def corpus_of(documents: Sequence[Document]) -> Corpus:
    import math

    docs = list(documents)
    sentences = [s for d in docs for p in _paragraphs(d) for s in tx.sentences(p)]
    df: dict[str, int] = {}
    for sent in sentences:
        for st in set(tx.content_stems(sent)):
            df[st] = df.get(st, 0) + 1
    n = max(1, len(sentences))
    idf = {st: math.log((1 + n) / (1 + k)) + 1 for st, k in df.items()}
    doc_df: dict[str, int] = {}
    for d in docs:
        for st in {st for p in _paragraphs(d) for st in tx.content_stems(p)}:
            doc_df[st] = doc_df.get(st, 0) + 1
    common = frozenset(st for st, k in doc_df.items() if len(docs) >= 3 and k >= 0.8 * len(docs))
    lower = frozenset(
        w for d in docs for p in _paragraphs(d) for w in re.findall(r"\b[a-z][a-z'-]+\b", p)
    )
    return Corpus(aliases(docs), common, lower, idf)


@dataclass(frozen=True)
class Fact:
    """A checkable statement found in a seed, before marks are assigned."""

    text: str
    must: tuple[tuple[str, ...], ...]
    kind: str  # date | figure | institution | agreement | event | claim
    dimension: str
    sentence: str  # the source sentence, as written
    block: str
    importance: float


def aliases(documents: Iterable[Document]) -> dict[str, tuple[str, ...]]:
    """Alias groups defined anywhere in ``documents``, keyed by lower-case surface form.

    Learnt from the text itself: ``Long Name (LN)``, ``Name (Other Name)`` and
    ``Ministry of X`` <-> ``X Ministry``. Every member of a group maps to the whole group.

    >>> from evaluator.seeds import Block, Document
    >>> d = Document("x", "plain", "t", blocks=(Block("b", "content",
    ...     ("The Research and Development (R&D) base grows.",)),))
    >>> aliases([d])["r&d"]
    ('R&D', 'Research and Development')
    """
    pairs: list[tuple[str, str]] = []
    for doc in documents:
        for para in _paragraphs(doc):
            para = tx.normalise(para)
            for m in _ACRONYM_DEF.finditer(para):
                long_form = _expand_acronym(m.group(1), para[: m.start()])
                if long_form:
                    pairs.append((m.group(1), long_form))
            for m in _PAREN_ALIAS.finditer(para):
                inner = m.group(2).strip()
                if _ACRONYM_DEF.fullmatch(f"({inner})"):
                    continue
                outer = _LEADING_ARTICLE.sub("", m.group(1).strip())
                if len(outer.split()) >= 2 and not any(ch.isdigit() for ch in inner):
                    pairs.append((outer, inner))
    groups: dict[str, set[str]] = {}
    for a, b in pairs:
        merged = groups.get(key(a), {a}) | groups.get(key(b), {b}) | {a, b}
        for member in merged:
            groups[key(member)] = merged
    # "Ministry of X" is also written "X Ministry"; X's own aliases carry over.
    for k in list(groups):
        for member in list(groups[k]):
            _add_ministry_forms(member, groups)
    for name in _all_names(documents):
        _add_ministry_forms(name, groups)
    out: dict[str, tuple[str, ...]] = {}
    for k, v in sorted(groups.items()):
        unique = {key(f): f for f in sorted(v, key=lambda f: (-f.count(","), f))}
        out[k] = tuple(sorted(unique.values(), key=lambda s: (len(s), s)))
    return out


def key(surface: str) -> str:
    """Lookup form of a name: lower case, no commas, one kind of dash, single spaces."""
    return " ".join(surface.lower().replace(",", " ").replace("–", "-").replace("—", "-").split())


def _add_ministry_forms(name: str, groups: dict[str, set[str]]) -> None:
    m = re.fullmatch(r"(Ministry|Department) of (.+)", name)
    if not m:
        return
    head, body = m.group(1), m.group(2)
    forms = {name, f"{body} {head}"}
    for alt in groups.get(key(body), {body}):
        forms |= {f"{head} of {alt}", f"{alt} {head}"}
    merged = set().union(*(groups.get(key(f), {f}) for f in forms)) | forms
    # One spelling per lookup form: "Micro, Small" and "Micro Small" are the same name.
    unique = {key(f): f for f in sorted(merged, key=lambda f: (-f.count(","), f))}
    merged = set(unique.values())
    for f in merged:
        groups[key(f)] = merged


def _all_names(documents: Iterable[Document]) -> list[str]:
    found: list[str] = []
    for doc in documents:
        for para in _paragraphs(doc):
            found.extend(_clean_name(n) for n in _NAME.findall(tx.normalise(para)))
    return found


def _expand_acronym(acronym: str, before: str) -> str | None:
    """Walk back from ``(ACR)`` matching initials; skip small words; None if no match."""
    letters = [c for c in acronym.rstrip("s") if c.isalpha()]
    if len(letters) < 2:
        return None
    tokens = re.findall(r"[\w'’\-–]+|&", before)[-(len(letters) * 2 + 3) :]
    words_used: list[str] = []
    i = len(letters) - 1
    for tok in reversed(tokens):
        if i < 0:
            break
        parts = re.split(r"[-–]", tok)
        initials = [p[0].upper() for p in parts if p]
        if tok.lower() in _CONNECTORS or tok == "&":
            if words_used:
                words_used.append(tok)
            continue
        # "R&D" style: the connector letter inside the acronym is optional.
        if initials and initials[-1] == letters[i].upper():
            k = len(initials)
            if k > 1 and [x.upper() for x in letters[i - k + 1 : i + 1]] == initials:
                i -= k
            else:
                i -= 1
            words_used.append(tok)
            continue
        return None
    if i >= 0 or not words_used:
        return None
    while words_used and words_used[-1].lower() in _CONNECTORS:
        words_used.pop()
    long_form = " ".join(reversed(words_used))
    return long_form if long_form.lower() != acronym.lower() else None


def _paragraphs(doc: Document) -> list[str]:
    return [p for b in doc.blocks for p in b.paragraphs]


def _clean_name(name: str) -> str:
    name = _LEADING_ARTICLE.sub("", name.strip(" ,"))
    return re.sub(r"['’]s$", "", name)


def extract_facts(document: Document, *, corpus: Corpus | None = None) -> list[Fact]:
    """Checkable facts of ``document``, deduplicated, in document order.

    Summary blocks (For UPSC, For Prelims) restate facts: a restatement raises the
    importance of the fact it repeats; a summary adds a fact of its own only when
    it carries a number and no quoted catch-phrase (those are study tips, not facts).
    """
    corpus = corpus or corpus_of([document])
    title_stems = set(tx.content_stems(document.title))
    facts: dict[tuple[tuple[str, ...], ...], Fact] = {}
    for block in document.blocks:
        if block.role not in _POINT_ROLES:
            continue
        summary = block.role == "summary"
        for para in block.paragraphs:
            for sentence in tx.sentences(_strip_label(para)):
                sentence = _strip_label(sentence)
                for clause in _clauses(sentence):
                    fact = _fact(clause, sentence, block.name, corpus)
                    if fact is None:
                        continue
                    sig = signature(fact.must)
                    old = facts.get(sig)
                    if old is not None:
                        facts[sig] = _replace_importance(old, old.importance + 0.5)
                    elif not summary or (_anchor_numbers(clause) and not _QUOTED.search(clause)):
                        boost = 0.25 * min(2, len(title_stems & set(tx.content_stems(clause))))
                        facts[sig] = _replace_importance(fact, fact.importance + boost)
    # The seed's own For-Mains guidance is the argument it expects: a point in that dimension.
    for block in document.blocks:
        if block.role == "mains" and block.name in DIMENSIONS:
            for para in block.paragraphs:
                keys = _keywords(para, corpus, 4)
                if len(keys) >= 2:
                    text = tx.normalise(para).strip()
                    fact = Fact(
                        text,
                        tuple((k,) for k in keys),
                        "claim",
                        block.name,
                        text,
                        "for mains: " + block.name,
                        2.0,
                    )
                    facts.setdefault(signature(fact.must), fact)
    return list(facts.values())


def _replace_importance(f: Fact, importance: float) -> Fact:
    return Fact(f.text, f.must, f.kind, f.dimension, f.sentence, f.block, round(importance, 2))


def signature(must: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """Order- and case-free form of ``must``: two points with the same one are the same fact."""
    return tuple(sorted(tuple(sorted(a.lower() for a in g)) for g in must))


_LABEL = re.compile(r"^[A-Z][\w &'’/\-–]{1,40}:\s+(?=[A-Z\"“])")


def _strip_label(paragraph: str) -> str:
    # "For UPSC: ..." and "Indo-Pacific Cooperation: ..." labels are headings, not facts.
    return _LABEL.sub("", paragraph.strip())


def _clauses(sentence: str) -> list[str]:
    """Split a sentence into clauses only where each side carries its own anchor."""
    parts = [p.strip(" ,.;") for p in _CLAUSE_SPLIT.split(sentence) if p.strip(" ,.;")]
    if len(parts) <= 1:
        return [sentence.strip()]
    anchored = [p for p in parts if _anchor_numbers(p) or _ACRONYM_DEF.search(p) or _NAME.search(p)]
    if len(anchored) == len(parts):
        return parts
    return [sentence.strip()]


def _fact(clause: str, sentence: str, block: str, corpus: Corpus) -> Fact | None:
    clause = tx.normalise(clause)
    if tx.word_count(clause) < 5:
        return None
    names: list[tuple[str, ...]] = []
    for term in _terms(clause, corpus):
        group = corpus.aliases.get(key(term), (term,))
        if (
            len(group) == 1
            and not term.isupper()
            and (set(tx.content_stems(term)) <= corpus.common)
        ):
            continue  # "India" or "South Korea" alone identifies nothing here
        if any(
            _contains(o, a) or o.lower() == a.lower() for old in names for o in old for a in group
        ):
            continue
        names.append(group)
    numbers = _anchor_numbers(clause)
    has_figure = bool(_FIGURE_UNIT.search(clause))
    has_year = any(_YEAR.match(n) for n in numbers)
    head = next((g for g in names if _INSTITUTION_HEAD.search(" ".join(g))), None)
    if has_figure:
        kind = "figure"
    elif head is not None and re.search(
        r"\b(?:Agreement|Treaty|MoU|Memorandum|Partnership|Act)\b", " ".join(head)
    ):
        kind = "agreement"
    elif head is not None:
        kind = "institution"
    elif has_year:
        kind = "date"
    elif _EVENT.search(clause):
        kind = "event"
    else:
        kind = "claim"
    # Keep points checkable: the subject institution alone, else at most two names.
    if kind == "institution" and head is not None:
        names = [head]
    names = names[:2]
    nums = [(n,) for n in numbers[:2]]
    if not names and not nums:
        # A claim: its rarest words stand for it; wording is left to similarity.
        keys = _keywords(clause, corpus, 3)
        if len(keys) < 2:
            return None
        names = [(k,) for k in keys]
    importance = (
        1.0 + 0.25 * len(nums) + 0.25 * min(2, len(names)) - (0.25 if kind == "claim" else 0.0)
    )
    return Fact(
        text=clause.rstrip(" ,;:") + ("" if clause.endswith((".", "?", "!")) else "."),
        must=tuple([*names, *nums]),
        kind=kind,
        dimension=classify(clause, kind=kind, has_year=has_year),
        sentence=sentence.strip(),
        block=block,
        importance=importance,
    )


def _keywords(clause: str, corpus: Corpus, k: int) -> list[str]:
    """The ``k`` rarest content words of ``clause`` that are neither generic nor common."""
    seen: set[str] = set()
    cands: list[tuple[float, int, str]] = []
    for i, tok in enumerate(tx.content_tokens(clause)):
        st = tx.stem(tok)
        if st in seen or st in corpus.common or tok in GENERIC or tx.is_number(tok) or len(tok) < 4:
            continue
        seen.add(st)
        rarity = (corpus.idf or {}).get(st, 1.0)
        cands.append((-rarity, i, tok))
    return [tok for _, _, tok in sorted(cands)[:k]]


def classify(clause: str, *, kind: str, has_year: bool = False) -> str:
    """The For-Mains dimension a fact serves, from what it is.

    Figures substantiate; aims and proposals are the way forward; dated events and
    agreements exemplify; laws and institutions substantiate; stances are position.
    """
    if kind == "figure":
        return "substantiation"
    if _STRONG_FUTURE.search(clause):
        return "way-forward"
    if kind in ("date", "event") or (
        kind == "agreement" and has_year and not re.search(r"\bAct\b", clause)
    ):
        return "exemplification"
    if kind in ("institution", "agreement"):
        return "substantiation"
    if _FUTURE.search(clause):
        return "way-forward"
    return "position"


def _contains(outer: str, inner: str) -> bool:
    o, i = outer.lower(), inner.lower()
    return o != i and re.search(rf"(?<!\w){re.escape(i)}(?!\w)", o) is not None


def _anchor_numbers(clause: str) -> list[str]:
    """Years and figures; day-of-month numbers in dates add nothing checkable."""
    toks = tx.words(clause)
    out: list[str] = []
    for i, t in enumerate(toks):
        if not tx.is_number(t):
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        prev = toks[i - 1] if i > 0 else ""
        if len(t) <= 2 and (nxt in _MONTHS or prev in _MONTHS):
            continue
        value = tx.number_value(t)
        if value not in out:
            out.append(value)
    return out


_MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
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
    ]
)


def _terms(clause: str, corpus: Corpus) -> list[str]:
    """Named things in ``clause``: defined aliases first, then quoted terms, then names."""
    table = corpus.aliases
    found: list[str] = []
    lower = key(clause)
    # Longest surface forms first so "Ministry of SMEs and Startups" wins over "SMEs".
    for k in sorted(table, key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(k)}(?!\w)", lower) and not any(
            _contains(f, k) for f in found
        ):
            found.append(k)
    for m in _QUOTED.finditer(clause):
        found.append(m.group(1).strip())
    for raw in _NAME.findall(clause):
        for name in _split_name(_clean_name(raw), corpus):
            # "India-UAE Comprehensive ... Agreement": the alias, and its qualifier apart.
            inner = next((k for k in found if k in table and _contains(key(name), k)), None)
            if inner is not None:
                # The qualifier goes right after its agreement: it is part of which one.
                surface = max(table[inner], key=len)
                rest = re.sub(
                    re.escape(surface).replace(r"\ ", r"[\s,]+"), " ", name, flags=re.IGNORECASE
                ).strip(" -–")
                if len(rest) > 1 and rest.lower() not in {k.lower() for k in found}:
                    found.insert(found.index(inner) + 1, rest)
                continue
            if len(name.split()) >= 2 or (name.isupper() and len(name) >= 2):
                found.append(name)
    out: list[str] = []
    for term in found:
        canonical = _surface(term, table)
        if not any(_contains(o, canonical) or o.lower() == canonical.lower() for o in out):
            out = [o for o in out if not _contains(canonical, o)]
            out.append(canonical)
    return out


def _split_name(name: str, corpus: Corpus) -> list[str]:
    """Undo what a capitalised sentence opener or a joining "and" glued onto a name."""
    words = name.split()
    # "Recently India ..." or "Proposal for Korean ...": the opener is an ordinary word.
    while words and words[0].strip(",.:;").lower() in corpus.lower and words[0].lower() != "of":
        words = words[1:]
        while words and words[0].lower() in _CONNECTORS:
            words = words[1:]
    name = " ".join(words)
    # "MSME Ministry and Korea": two things, when the left side is complete by itself.
    m = re.match(
        r"^(.+?\b(?:Ministry|Commission|Board|Forum|Centre|Agreement|Partnership))"
        r"\s+and\s+(.+)$",
        name,
    )
    if m:
        return [m.group(1), m.group(2)]
    return [name] if name else []


def _surface(term: str, table: dict[str, tuple[str, ...]]) -> str:
    for a in table.get(key(term), ()):
        if key(a) == key(term):
            return a
    return term


def _distinctive(clause: str, common: frozenset[str]) -> list[str]:
    """Content words of ``clause``, longest first: a cheap stand-in for rarity."""
    seen: set[str] = set()
    out: list[str] = []
    for tok in tx.content_tokens(clause):
        s = tx.stem(tok)
        if s in common or s in seen or tx.is_number(tok) or len(tok) < 4:
            continue
        seen.add(s)
        out.append(tok)
    return sorted(out, key=lambda w: (-len(w), out.index(w)))
