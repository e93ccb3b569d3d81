"""Key points: a :class:`~evaluator.seeds.Document` -> atomic facts, claims, misconceptions.

A *fact* is one checkable value (a year, a date, a figure with its unit, an actor, a
list of members, a classification) of one *anchor* (an agreement, institution,
partnership, programme), with a short label a teacher would write ("CEPA — in force
1 January 2010") and its source sentence. A seed sentence with three facts gives three.
A *claim* is an argument the seed makes, met by its ``must`` groups of words. Names are
looked up with :func:`aliases`, so "CEPA" and "Comprehensive Economic Partnership
Agreement" are one thing. "What it is NOT" passages give :func:`false_claims`.

>>> from evaluator.seeds import Block, Document
>>> doc = Document("n.txt", "plain", "T", blocks=(Block("body", "content", (
...     "The Comprehensive Economic Partnership Agreement (CEPA) entered into force in 2010.",)),))
>>> [(f.label, f.anchor, f.value) for f in extract_facts(doc)]
[('CEPA — in force 2010', 'CEPA', ('2010',))]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from evaluator import text as tx
from evaluator.seeds import Document

FACTS_VERSION = "facts-5"

# A teacher's model-answer sheet lists a handful of arguments per source, not every sentence.
MAX_CLAIMS = 14
# Words that stand for a claim; the matcher asks for half of them in one sentence.
CLAIM_WORDS = 6
# A claim about a fact's anchor in a relative clause ("the MSMED Act, 2006, which first gave
# ...") ranks above arguments of the same block: fit on the labelled answers (docs/decisions.md).
RELATIVE_BOOST = 1.0

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
    # Tried only at a word's start, and each word taken whole (possessive): a long run of
    # capitals is read once, not from each of its letters.
    r"(?<![\w'’\-–])((?:[A-Z][\w'’\-–]*+\s+){0,4}[A-Z][\w'’\-–]*+)\s+\(([A-Z][\w .'’\-–]{2,40})\)"
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
        # Words that carry no claim of their own (adverbs, light verbs, time and degree).
        "last", "decade", "inside", "over", "does", "exactly", "lies", "reads", "known",
        "contrast", "route", "single", "next", "same", "time", "truly", "today", "years",
        "showing", "provide", "provides", "continues", "followed", "series", "newly",
        "similarly", "routinely", "expected", "underway", "efforts", "back", "size", "heavy",
        "anchored", "designed", "rapidly", "deeper", "driven", "facing", "beyond", "future",
        "shaped", "bring", "brings", "cutting", "edge", "amid", "deeply", "limited", "taken",
        "deciding", "entering", "combining", "evolving", "adds", "encompassing", "sits",
        "signing", "steadily", "recent", "whole", "bulk", "represents", "possesses", "fully",
        "realised", "immediate", "central", "doors", "opens", "focus", "shift", "oriented",
        "underscores", "reinforces", "maintaining", "minded", "closer", "mean", "within",
        "across", "toward", "towards", "around", "even", "just", "only", "able", "ability",
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
    """A key point found in a seed, before marks are assigned.

    ``kind`` is ``fact`` (one checkable ``value`` of one ``anchor``) or ``claim`` (an
    argument, met by its ``must`` keyword groups). ``value_kind`` says how a fact's value
    is compared: ``year``, ``date``, ``figure``, ``actor`` or ``list``. ``qualifier`` tells
    apart facts of one anchor (whose signatory: "India" or "Korea").
    """

    text: str
    must: tuple[tuple[str, ...], ...]
    kind: str
    dimension: str
    sentence: str  # the source sentence, as written
    block: str
    importance: float
    label: str = ""
    anchor: str = ""
    value: tuple[str, ...] = ()
    value_kind: str = ""
    role: str = ""
    qualifier: str = ""


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
    core = acronym.rstrip("s")
    # "MoU": in a mixed-case acronym only the capitals are initials.
    mixed = any(c.islower() for c in core) and sum(c.isupper() for c in core) >= 2
    letters = [c for c in core if c.isupper()] if mixed else [c for c in core if c.isalpha()]
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
    """Key points of ``document``: atomic facts first, then claims, in document order.

    A fact is one checkable value (a year, a date, a figure, an actor, a list of members)
    of one anchor (an agreement, institution, partnership, programme). A sentence with three
    facts gives three points; a sentence with none may give a claim, if it argues something
    about the subject rather than commenting on the text (exam tips, "reading the news...").
    Summary blocks (For UPSC, For Prelims) restate facts crisply: a restatement raises the
    fact's importance; a summary adds a fact of its own only where the body lacks it.
    For-Mains guidance is never a point: it is the dimensions' criteria.
    """
    corpus = corpus or corpus_of([document])
    # Words every seed shares ("India", "Korea") say nothing about what this one is about.
    title_stems = set(tx.content_stems(document.title))
    names = _document_names(document, corpus)
    # What the document is about ("MoU" of "India and South Korea sign MoU ..."): the anchor
    # of a sentence that speaks of it without naming it.
    subject = next((a.text for a in _anchors(tx.normalise(document.title), corpus, names)), "")
    facts: dict[tuple[str, ...], Fact] = {}
    claims: list[Fact] = []
    for block in document.blocks:
        if block.role not in _POINT_ROLES:
            continue
        for para in block.paragraphs:
            label = _label_of(para)
            for sentence in tx.sentences(_strip_label(para)):
                sentence = _strip_label(sentence)
                # "A full set worth carrying for objective questions: <facts>": keep the facts.
                head, sep, tail = sentence.partition(": ")
                if sep and _is_commentary(head) and not _is_commentary(tail):
                    sentence = tail[0].upper() + tail[1:]
                if _is_commentary(sentence):
                    continue
                found = _sentence_facts(sentence, block.name, corpus, names, label, subject)
                for fact in found:
                    sig = fact_key(fact)
                    old = facts.get(sig)
                    if old is not None:
                        # Keep the fuller statement: a signatory over a nodal body, a full date
                        # over its year.
                        better = (fact.role == "signatory" and old.role != fact.role) or (
                            fact.role == old.role
                            and len(" ".join(fact.value)) > len(" ".join(old.value))
                        )
                        keep = fact if better else old
                        facts[sig] = replace(keep, importance=round(old.importance + 0.5, 2))
                    else:
                        boost = 0.25 * min(2, len(title_stems & set(tx.content_stems(fact.text))))
                        facts[sig] = replace(fact, importance=round(fact.importance + boost, 2))
                # "The ladder runs treaty → framework MoU → joint statement": an order the note
                # asks to be known, one point with its steps as its words.
                chains = _chains(sentence, block.name, corpus)
                claims.extend(chains)
                if block.role == "summary" or chains:
                    continue
                # Headings such as "Why it matters" hold the arguments; "Background" the setting.
                weight = 0.5 if _ARGUMENT_BLOCK.search(block.name) else 0.0
                weight -= 0.25 if _SETTING_BLOCK.search(block.name) else 0.0
                weight += 0.5 if _THESIS.search(sentence) else 0.0
                weight -= 0.5 if _HABITUAL.search(sentence) else 0.0
                relative = _relative_claims(sentence, found, corpus)
                # What a relative clause says is its own claim: the sentence's own claim is
                # told without it, so its words are not drawn from the clause.
                main = sentence
                for rel in relative:
                    rest = rel.split(" ", 1)[1] if " " in rel else rel
                    main = re.sub(r",\s+which\s+" + re.escape(rest) + r"\s*(?:,\s*)?", " ",
                                  main, count=1)
                for clause in [*_claim_clauses(main), *relative]:
                    claim = _claim(clause, sentence, block.name, corpus, found)
                    if claim is not None:
                        boost = weight + 0.25 * min(
                            2, len(title_stems & set(tx.content_stems(clause)))
                        )
                        # What a named law or body did ("the MSMED Act first gave ...") is
                        # as checkable as the fact it is said of.
                        boost += RELATIVE_BOOST if clause in relative else 0.0
                        claims.append(replace(claim, importance=round(claim.importance + boost, 2)))
    # The For-Mains lines say what the seed argues: claims that share their words come first.
    guidance = {
        st for b in document.blocks if b.role == "mains" for p in b.paragraphs
        for st in tx.content_stems(p)
    }
    unique: dict[tuple[tuple[str, ...], ...], Fact] = {}
    for c in claims:
        shared = len(guidance & set(tx.content_stems(c.text)))
        c = replace(c, importance=round(c.importance + 0.25 * min(2, shared), 2))
        unique.setdefault(tx.must_signature(c.must), c)
    ranked = sorted(unique.values(), key=lambda c: -c.importance)[:MAX_CLAIMS]
    kept = [c for c in unique.values() if c in ranked]
    sentences = [tx.normalise(st) for para in _paragraphs(document) for st in tx.sentences(para)]
    return [_other_kinds(f, sentences) for f in facts.values()] + kept


def _other_kinds(fact: Fact, sentences: Sequence[str]) -> Fact:
    """A kind fact with every way the seed says what its anchor is: "the MoU, a
    government-to-government statement of intent" and "it is a framework MoU" both say what
    the MoU is, and an answer may use either."""
    if fact.value_kind != "term" or fact.role or not fact.anchor:
        return fact
    name = re.escape(fact.anchor)
    heads = "|".join((*tx.KIND_HEADS, name))
    said = re.compile(
        rf"\b(?:{name}|it)\s+(?:is|was|remains)\s+(?:a|an)\s+"
        rf"(?P<desc>(?:[\w-]+\s+){{0,2}}(?:{heads}))(?:\s+of\s+(?P<of>[a-z]+))?\b",
        re.IGNORECASE,
    )
    # "their binding trade pact is the CEPA": the same, said the other way round.
    turned = re.compile(
        rf"\b(?:the|their|its)\s+(?P<desc>(?:[\w-]+\s+){{0,2}}(?:{'|'.join(tx.KIND_HEADS)}))"
        rf"(?:\s+(?:between|of|for)(?:\s+[\w-]+){{1,3}}?)?\s+is\s+the\s+{name}\b(?!['’])",
        re.IGNORECASE,
    )
    values = list(fact.value)
    for sentence in sentences:
        if not re.search(rf"\b{name}\b", sentence):
            continue
        for m in [*said.finditer(sentence), *turned.finditer(sentence)]:
            of = m.groupdict().get("of")
            desc = m.group("desc") + (f" of {of}" if of else "")
            # A bare head ("the agreement ... is the CEPA") says nothing its name does not.
            if len(desc.split()) > 1 and desc.split()[0].lower() not in GENERIC | {
                    "mere", "new", "same"} and desc.lower() not in {v.lower() for v in values}:
                values.append(desc)
    # "a government-to-government statement of intent": its head and what follows say it too.
    for v in fact.value:
        tail = re.search(r"\b(\w+ of \w+)$", v)
        if tail and tail.group(1).lower() not in {x.lower() for x in values}:
            values.append(tail.group(1))
    if len(values) == len(fact.value):
        return fact
    return replace(fact, value=tuple(values), must=((fact.anchor,), tuple(values)))


_ARGUMENT_BLOCK = re.compile(
    r"why|matters|significance|signific|impact|implication|analysis|importance|challenge|"
    r"conclusion|way forward|concern",
    re.IGNORECASE,
)
_SETTING_BLOCK = re.compile(r"background|context|history|summary line", re.IGNORECASE)
# A sentence that says where the point lies is the seed's thesis, wherever it sits; one about
# what is usual (a custom, a recurring theme) is the setting of the news, not its point.
_THESIS = re.compile(
    r"\b(?:value|significance|importance|strength|point) lies in\b|\bmatters because\b|"
    r"\bthe (?:real |main )?significance of\b",
    re.IGNORECASE,
)
_HABITUAL = re.compile(r"\b(?:customary|customarily|as a rule|recurring theme)\b", re.IGNORECASE)


def fact_key(f: Fact) -> tuple[str, ...]:
    """Identity of a key point across seeds.

    Two facts are one when they give the same value of the same anchor (and side).
    """
    if f.kind != "fact":
        return ("claim", *(a for g in tx.must_signature(f.must) for a in g))
    value = tuple(sorted(_value_key(v, f.value_kind) for v in f.value))
    if f.value_kind == "actor":
        return ("actor", f.qualifier.lower(), *value)
    return (key(f.anchor), f.value_kind if f.value_kind != "date" else "year", *value)


def _value_key(v: str, kind: str) -> str:
    if kind in ("year", "date"):
        m = re.search(r"(?:19|20)\d\d", v)
        return m.group(0) if m else v.lower()
    return key(v)


# Sentences about the text or the exam rather than the subject: never a key point.
_COMMENTARY = re.compile(
    r"\b(?:it (?:also )?helps to|best understood|reading (?:the news|it)|worth carrying|"
    r"objective questions|formulations|match the pairs|which statement|for answers|"
    r"this ladder|on this ladder|means placing|in this journey|observers see|"
    # Framing: where the news sits, not what it says ("The signing sits inside a relationship").
    r"sits (?:inside|within)|comes (?:amid|against)|against (?:this|the) backdrop|"
    r"(?:mains|prelims) (?:answers?|questions?))\b",
    re.IGNORECASE,
)
# Openers that only compare with the sentence before ("Lighter still are ...").
_ANAPHORIC = re.compile(
    r"^(?:lighter still|heavier still|the most binding|together,|"
    r"similarly,|likewise,|beyond that|in other words|that is,|knowing)\b",
    re.IGNORECASE,
)


def _is_commentary(sentence: str) -> bool:
    return bool(_COMMENTARY.search(sentence) or _ANAPHORIC.search(sentence.strip()))


def _label_of(paragraph: str) -> str:
    m = _LABEL.match(paragraph.strip())
    return m.group(0).strip().rstrip(":").strip() if m else ""


_MONTH_ALT = "|".join(m.capitalize() for m in tx.MONTHS)
_DATE_FULL = re.compile(
    rf"\b(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH_ALT})\s*,?\s+(?P<y1>(?:19|20)\d\d)\b"
    rf"|\b(?P<m2>{_MONTH_ALT})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>(?:19|20)\d\d)\b"
    rf"|\b(?P<m3>{_MONTH_ALT})\s+(?P<y3>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_YEAR_SPAN = re.compile(r"(?<![\d$₹.,])(?:19|20)\d\d(?:\s*[–-]\s*\d{2}(?!\d))?(?![\d%])")
FIGURE = re.compile(
    rf"(?:{tx.CURRENCY})\s?\d+(?:[.,]\d+)*"
    rf"(?:\s*(?:{tx.SCALE_WORDS})\b)?"
    r"|\b\d+(?:\.\d+)?\s*(?:%|per ?cent\b|(?:billion|million|crore|lakh|trillion)\b)",
    re.IGNORECASE,
)
# A figure's own year: "$50 billion by 2030", "$14.2 billion (2010)".
_FIGURE_YEAR = re.compile(r"^\s*(?:\(|by\s+|in\s+)((?:19|20)\d\d(?:\s*[–-]\s*\d{2})?)\)?")
_EVENT_WORDS = (
    ("in force", re.compile(r"\b(?:entered into|came into|in) force\b", re.I)),
    ("signed", re.compile(r"\bsign(?:ed|ing)?\b", re.I)),
    ("elevated", re.compile(r"\b(?:elevated|upgraded|raised)\b", re.I)),
    ("established", re.compile(r"\b(?:established|set up|constituted|created|launched)\b", re.I)),
    ("issued", re.compile(r"\bissued\b", re.I)),
)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    text: str


def _values(clause: str) -> list[tuple[str, _Found]]:
    """``(value_kind, span)`` of the dates, figures and years in ``clause``, in order."""
    taken: list[tuple[int, int]] = []
    out: list[tuple[str, _Found]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _DATE_FULL.finditer(clause):
        taken.append(m.span())
        out.append(("date", _Found(m.start(), m.end(), _canonical_date(m))))
    for m in FIGURE.finditer(clause):
        if not free(*m.span()):
            continue
        end = m.end()
        text = " ".join(m.group(0).split())
        y = _FIGURE_YEAR.match(clause[end:])
        if y:
            by = "by " if clause[end:].lstrip().lower().startswith("by") else ""
            text = f"{text} {by}{y.group(1)}" if by else f"{text} ({y.group(1)})"
            end += y.end()
        taken.append((m.start(), end))
        out.append(("figure", _Found(m.start(), end, text)))
    for m in _YEAR_SPAN.finditer(clause):
        if free(*m.span()):
            taken.append(m.span())
            out.append(("year", _Found(m.start(), m.end(), m.group(0))))
    return sorted(out, key=lambda kv: kv[1].start)


def _canonical_date(m: re.Match[str]) -> str:
    if m.group("y1"):
        return f"{int(m.group('d1'))} {m.group('m1').capitalize()} {m.group('y1')}"
    if m.group("y2"):
        return f"{int(m.group('d2'))} {m.group('m2').capitalize()} {m.group('y2')}"
    return f"{m.group('m3').capitalize()} {m.group('y3')}"


def _document_names(document: Document, corpus: Corpus) -> dict[str, str]:
    """Full names by their head word, so "the Forum" means the document's one Forum."""
    heads: dict[str, set[str]] = {}
    for para in _paragraphs(document):
        for raw in _NAME.findall(tx.normalise(para)):
            for name in _split_name(_clean_name(raw), corpus):
                words = name.split()
                if len(words) >= 3 and _INSTITUTION_HEAD.search(words[-1]):
                    heads.setdefault(words[-1].lower(), set()).add(name)
    return {h: next(iter(v)) for h, v in heads.items() if len(v) == 1}


def _anchors(clause: str, corpus: Corpus, names: dict[str, str]) -> list[_Found]:
    """Named things of ``clause`` with where they stand (aliases, quoted terms, names)."""
    out: list[_Found] = []
    low = clause.lower()
    for term in _terms(clause, corpus):
        group = corpus.aliases.get(key(term), (term,))
        if (
            len(group) == 1
            and not term.isupper()
            and set(tx.content_stems(term)) <= corpus.common
        ):
            continue  # "India" or "South Korea" alone identifies nothing here
        for alt in sorted(group, key=len, reverse=True):
            i, end = _find(low, alt.lower())
            if i >= 0:
                name = _canonical(group, term)
                head = re.match(
                    r"\)?(?:\s*\([^)]*\))?\s+(Act|Agreement|Partnership|Forum|Mission|Programme)\b",
                                clause[end:])
                if head and not name.endswith(head.group(1)):
                    name, end = f"{name} {head.group(1)}", end + head.end()
                out.append(_Found(i, end, name))
                break
    # "the Forum": the document's only Forum, named in full elsewhere.
    for m in re.finditer(r"\b[Tt]he ([A-Z][a-z]+)\b", clause):
        full = names.get(m.group(1).lower())
        if full and not any(a.start <= m.start(1) < a.end for a in out):
            out.append(_Found(m.start(1), m.end(1), full))
    return sorted(out, key=lambda f: f.start)


def _find(haystack: str, needle: str) -> tuple[int, int]:
    """Where ``needle`` stands in ``haystack`` as whole words, commas and dashes aside."""
    m = re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack)
    if not m:
        loose = re.escape(needle).replace(r"\ ", r"[\s,]+").replace("-", "[-–]")
        m = re.search(rf"(?<!\w){loose}(?!\w)", haystack)
    return m.span() if m else (-1, -1)


def _canonical(group: Sequence[str], term: str) -> str:
    """The form a teacher writes: the acronym when there is one, else the term."""
    short = [a for a in group if a.isupper() or re.fullmatch(r"[A-Z][A-Za-z&]*[A-Z]s?", a)]
    if short:
        return short[0]
    ministries = [a for a in group if a.startswith(("Ministry of", "Department of"))]
    if ministries:
        return min(ministries, key=lambda a: (len(a), a))
    return min(group, key=lambda a: (len(a), a)) if len(group) > 1 else term


# "Imports from South Korea is about $21 billion": what a figure measures.
_MEASURED = re.compile(
    r"(?:^|[,;:]\s*|\b(?:and|while)\s+)(?P<noun>(?:[A-Za-z][\w'’\-–]*\s+){0,4}?[A-Za-z][\w'’\-–]*)"
    r"\s+(?:is|are|was|were|stood at|reached|of|at|from|to|grew to|rose to)\s+"
    r"(?:about\s+|around\s+|nearly\s+|over\s+)?$",
    re.IGNORECASE,
)
_INCREASE_OBJECT = re.compile(r"\b(?:increase|raise|take|double|boost)\s+(\w+)\s+to\s+$", re.I)


def _sentence_facts(
    sentence: str, block: str, corpus: Corpus, names: dict[str, str], label: str,
    subject: str = "",
) -> list[Fact]:
    """The atomic facts of one sentence: each value with its nearest anchor, then actors."""
    out: list[Fact] = []
    if tx.word_count(sentence) < 5:
        return out  # "CEPA in 2010." is a heading or a note, not a statement
    for clause in _fact_clauses(sentence):
        clause = tx.normalise(clause)
        anchors = _anchors(clause, corpus, names)
        last = ""
        for vkind, val in _values(clause):
            anchor = _anchor_for(val, anchors, clause, vkind, label) or (
                last if vkind == "figure" else ""
            )
            if not anchor:
                continue
            last = anchor
            verb = _event(clause)
            out.append(_make_fact(anchor, (val.text,), vkind, clause, sentence, block, verb))
        out.extend(_actor_facts(clause, sentence, block, corpus, names))
        out.extend(_defined_by(clause, sentence, block, anchors))
        out.extend(_list_facts(clause, sentence, block, corpus, anchors, label))
        out.extend(_occasion(clause, sentence, block, anchors, subject))
        out.extend(_runs(clause, sentence, block))
        out.extend(_glossed(clause, sentence, block))
    # An appositive may follow a dash, where clauses were cut: read it on the whole sentence.
    whole = tx.normalise(sentence)
    out.extend(_appositives(whole, sentence, block, _anchors(whole, corpus, names)))
    return out


def _fact_clauses(sentence: str) -> list[str]:
    parts = [p.strip(" ,.;") for p in re.split(r";\s+|\s+[—–]\s+", sentence) if p.strip(" ,.;")]
    return parts or [sentence]


def _anchor_for(val: _Found, anchors: Sequence[_Found], clause: str, vkind: str, label: str) -> str:
    inside = [a for a in anchors if a.start <= val.start < a.end or a.start < val.end <= a.end]
    if inside:
        return inside[0].text
    before = [a for a in anchors if a.end <= val.start]
    after = [a for a in anchors if a.start >= val.end]
    if vkind == "figure":
        measured = _measured(clause[: val.start])
        # "Imports from South Korea is about $21 billion": the phrase, not the country in it.
        if measured and (not before or before[-1].text.lower() in measured.lower()):
            return measured
    # A name right before ("MSMED Act, 2006") or the nearest one before within the clause.
    if before and tx.word_count(clause[before[-1].end : val.start]) <= 12:
        return before[-1].text
    if after and tx.word_count(clause[val.end : after[0].start]) <= 4:
        return after[0].text
    if before:
        return before[-1].text
    if vkind == "figure" and label:
        return label
    return ""


def _measured(head: str) -> str:
    """What a figure measures, from the words before it ("Imports from South Korea is")."""
    m = _INCREASE_OBJECT.search(head)
    if m:
        # "aims to increase trade to $50 billion": the trade target.
        return f"{m.group(1).capitalize()} target"
    m = _MEASURED.search(head)
    if m:
        noun = re.sub(
            r"^(?:(?:and|or|but|the|a|an|it|its)\s+)+", "", m.group("noun").strip(), flags=re.I
        )
        if noun and noun.lower() not in {"it", "this", "that", "which"}:
            return noun[0].upper() + noun[1:]
    return ""


def _event(clause: str) -> str:
    for name, rx in _EVENT_WORDS:
        if rx.search(clause):
            return name
    return ""


def _make_fact(
    anchor: str,
    value: tuple[str, ...],
    vkind: str,
    clause: str,
    sentence: str,
    block: str,
    verb: str = "",
    *,
    role: str = "",
    qualifier: str = "",
    label: str = "",
) -> Fact:
    if label:
        pass
    elif vkind == "actor":
        side = f"{_adjective(qualifier)} " if qualifier else ""
        label = f"{side}{role or 'actor'}: {value[0]}".strip()
        label = label[0].upper() + label[1:]
    elif vkind == "list":
        label = f"{anchor}: {', '.join(value)}"
    elif vkind in ("figure", "term"):
        label = f"{anchor}: {value[0]}"
    else:
        label = f"{anchor} — {verb + ' ' if verb else ''}{value[0]}"
    kind_for_dimension = {
        "figure": "figure", "actor": "institution", "list": "claim", "term": "institution"
    }.get(
        vkind, "date"
    )
    if vkind in ("year", "date") and re.search(r"\bAct\b", anchor):
        kind_for_dimension = "institution"
    must = ((anchor,), value) if vkind != "list" else ((anchor,),)
    text = clause.rstrip(" ,;:") + ("" if clause.endswith((".", "?", "!")) else ".")
    return Fact(
        text=text[0].upper() + text[1:],
        must=must,
        kind="fact",
        dimension=classify(clause, kind=kind_for_dimension, has_year=vkind in ("year", "date")),
        sentence=sentence.strip(),
        block=block,
        importance=1.5 if vkind != "list" else 1.0,
        label=label,
        anchor=anchor,
        value=value,
        value_kind=vkind,
        role=role,
        qualifier=qualifier,
    )


def _adjective(country: str) -> str:
    """"Korea" -> "Korean", "South Korea" -> "Korean", "India" -> "Indian"; a name that does
    not end in -a keeps its possessive ("Japan's"): no table of countries is needed."""
    last = country.split()[-1] if country.split() else country
    return f"{last}n" if last.endswith("a") else f"{country}'s"


_SIDE = r"(?:(?P<side>[A-Z][a-z]+(?: [A-Z][a-z]+)?)['’]s\s+)?"
_SIGNED_BY = re.compile(
    rf"\bsigned by\s+(?:the\s+)?{_SIDE}(?P<a>.+?)\s+and\s+(?:the\s+)?"
    rf"(?:(?P<side2>[A-Z][a-z]+(?: [A-Z][a-z]+)?)['’]s\s+)?(?P<b>.+?)\s*$"
)
_ROLE_IS = re.compile(
    r"\b(?:On|For)\s+(?P<side>[A-Z][\w ]+?)['’]s side,\s+the\s+(?P<role>nodal body|counterpart|"
    r"signatory|nodal ministry|lead agency)\s+is\s+the\s+(?P<actor>.+)$"
)


def _actor_facts(
    clause: str, sentence: str, block: str, corpus: Corpus, names: dict[str, str]
) -> list[Fact]:
    out: list[Fact] = []
    m = _SIGNED_BY.search(clause)
    if m:
        subject = next(iter(_anchors(clause[: m.start()], corpus, names)), None)
        anchor = subject.text if subject else "MoU"
        for side, actor in ((m.group("side"), m.group("a")), (m.group("side2"), m.group("b"))):
            name = _institution(actor, corpus)
            if name:
                out.append(
                    _make_fact(
                        anchor, (name,), "actor", clause, sentence, block,
                        role="signatory", qualifier=side or "",
                    )
                )
    m2 = _ROLE_IS.search(clause)
    if m2:
        name = _institution(m2.group("actor"), corpus)
        if name:
            role = "signatory" if m2.group("role") == "counterpart" else m2.group("role")
            out.append(
                _make_fact(
                    "MoU", (name,), "actor", clause, sentence, block,
                    role=role, qualifier=m2.group("side").strip(),
                )
            )
    return out


_DEFINED_BY = re.compile(
    r"\b(?:is|are)\s+defined\s+by\s+(?:a|an|the)?\s*(?:composite\s+|combined\s+)?"
    r"(?P<term>[\w]+(?:[- ]and[- ][\w]+|-[\w]+)?)\s+(?:test|criterion|criteria|limits?)\b",
    re.IGNORECASE,
)


def _defined_by(
    clause: str, sentence: str, block: str, anchors: Sequence[_Found]
) -> list[Fact]:
    """"X is defined by a Y test": a classification fact (X classification = Y)."""
    m = _DEFINED_BY.search(clause)
    if not m:
        return []
    before = [a for a in anchors if a.end <= m.start()]
    if not before:
        return []
    term = m.group("term").replace("-", " ")
    anchor = f"{before[-1].text} classification"
    return [_make_fact(anchor, (term,), "term", clause, sentence, block)]


# "the CEPA, a free-trade-style agreement", "the Ministry of SMEs and Startups, a cabinet-level
# ministry", "a Special Strategic Partnership, the top tier in ...": what kind of thing it is.
_APPOSITIVE = re.compile(
    r"^[\"”]?\)?(?:\s*\([^)]*\))?(?:\s+in\s+(?:19|20)\d\d)?\s*(?:,|\s[—–])\s+(?:a|an|the)\s+"
    rf"(?P<desc>(?:[\w'’-]+\s+){{0,2}}?(?P<head>{'|'.join(tx.KIND_HEADS)})s?"
    # "a statement of intent" (lower case: "the Ministry of Commerce" is another name).
    r"(?-i:\s+of\s+(?!sorts\b|kinds?\b|types?\b)[a-z]+)?)\b",
    re.IGNORECASE,
)


def _appositives(
    clause: str, sentence: str, block: str, anchors: Sequence[_Found]
) -> list[Fact]:
    """Facts of kind: a named thing and the class an appositive gives it."""
    out: list[Fact] = []
    for a in anchors:
        m = _APPOSITIVE.match(clause[a.end :])
        if not m:
            continue
        desc = m.group("desc").strip()
        words = desc.split()
        # "a government-to-government statement" is a kind; "the two countries" is not.
        if len(words) < 2 or words[0].lower() in GENERIC | {"two", "same", "other", "new"}:
            continue
        out.append(
            _make_fact(a.text, (desc,), "term", clause, sentence, block,
                       label=f"{a.text}: {desc}")
        )
    return out


# "Chips to Ships (semiconductors to shipbuilding)": a name glossed in brackets in plain words.
_GLOSS = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Z][a-z]+(?:\s+(?:to|and|of|for|[A-Z][a-z]+)){1,4})\s+"
    r"\((?P<gloss>[a-z][a-z&,\s-]{4,60}?)\)"
)


def _glossed(clause: str, sentence: str, block: str) -> list[Fact]:
    """A slogan or a coined name with what it means: naming it without its meaning is only
    half of it, as a teacher marks "Chips to Ships" without "semiconductors to shipbuilding".

    >>> [f.label for f in _glossed("Focus areas include: Chips to Ships (semiconductors to "
    ...                            "shipbuilding)", "", "")]
    ['Chips to Ships: semiconductors to shipbuilding']
    """
    out = []
    for m in _GLOSS.finditer(clause):
        name, gloss = m["name"], " ".join(m["gloss"].split())
        # A sentence's first word is capitalised too: "Under Digital India (...)".
        first, _, rest = name.partition(" ")
        name = rest if first.lower() in tx.stop_words() | _PREPOSITIONS else name
        if sum(w[:1].isupper() for w in name.split()) < 2 or len(gloss.split()) < 2:
            continue
        out.append(_make_fact(name, (gloss,), "term", clause, sentence, block))
    return out


# "DPIIT's Startup India programme": who runs a programme.
_RUNS = re.compile(
    # The look-behind starts an owner at a word's start, so a long run of capitals is not
    # tried from each of its letters; an owner never spans a comma.
    r"(?<![\w&'’-])(?P<owner>[A-Z][A-Z][A-Za-z]*|(?:Ministry|Department) of [A-Z][\w &]{0,60}?)"
    r"['’]s\s+"
    r"(?P<prog>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\s+(?P<kind>programme|program|scheme|mission|"
    r"initiative|portal|fund)\b"
)


def _runs(clause: str, sentence: str, block: str) -> list[Fact]:
    return [
        _make_fact(m["prog"], (m["owner"],), "actor", clause, sentence, block, role="run by",
                   label=f"{m['prog']} {m['kind']}: run by {m['owner']}")
        for m in _RUNS.finditer(clause)
    ]


# "signed during the Korean President's India visit": the occasion of a signing.
_OCCASION = re.compile(
    r"\b(?P<verb>signed|concluded|announced|launched|adopted|unveiled|agreed|inked)\s+"
    r"(?:\w+\s+){0,3}?(?:during|at|on the sidelines of|on the occasion of)\s+(?:the\s+|a\s+)?"
    r"(?P<occ>(?:[\w'’-]+\s+){0,5}?(?:visit|summit|meeting|conference|talks|dialogue))\b",
    re.IGNORECASE,
)


def _occasion(
    clause: str, sentence: str, block: str, anchors: Sequence[_Found], subject: str
) -> list[Fact]:
    m = _OCCASION.search(clause)
    if not m or len(m.group("occ").split()) < 2:
        return []
    anchor = next((a.text for a in reversed(anchors) if a.end <= m.start()), "") or subject
    if not anchor:
        return []
    occ = m.group("occ").strip()
    return [_make_fact(anchor, (occ,), "term", clause, sentence, block, role="occasion",
                       label=f"{anchor} — {m.group('verb').lower()} during {occ}")]


def _institution(text: str, corpus: Corpus) -> str:
    """The institution a phrase starts with, in its canonical form ("Ministry of MSME")."""
    text = tx.normalise(text).strip(" .,;")
    text = re.sub(r"^(?:the|a|an)\s+", "", re.sub(r"\s*\([^)]*\)", "", text), flags=re.I)
    k = key(text)
    for alias in sorted(corpus.aliases, key=len, reverse=True):
        if k == alias or k.startswith(alias + " "):
            group = corpus.aliases[alias]
            ministries = [a for a in group if a.startswith("Ministry of")]
            return min(ministries, key=len) if ministries else _canonical(group, group[0])
    m = _NAME.match(text)
    if m and _INSTITUTION_HEAD.search(m.group(0)):
        return _clean_name(m.group(0))
    return ""


_LIST_INTRO = re.compile(
    r"\b(?P<noun>sectors?|areas?|members?|membership|agencies|industries|technologies|fields|"
    r"mechanisms|institutions|bodies|initiatives|organisations|organizations)"
    r"\s+(?:such as|like|including|include|includes|covering)\s*:?\s+(?P<items>.+)$",
    re.IGNORECASE,
)


def _list_facts(
    clause: str,
    sentence: str,
    block: str,
    corpus: Corpus,
    anchors: Sequence[_Found],
    label: str,
) -> list[Fact]:
    m = _LIST_INTRO.search(clause)
    if not m:
        return []
    items = _list_items(m.group("items"), corpus)
    if len(items) < 3:
        return []
    owner = next((a.text for a in anchors if a.end <= m.start()), "") or label
    if not owner:
        # "The Forum's membership includes ...": whose list it is, when no anchor says.
        whose = re.search(r"([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,4})['’]s\s+$", clause[: m.start()])
        owner = _LEADING_ARTICLE.sub("", whose.group(1)) if whose else ""
    noun = m.group("noun").lower()
    noun = "members" if noun == "membership" else noun
    items = [_canonical(corpus.aliases.get(key(i), (i,)), i) for i in items][:6]
    named = [i for i in items if _is_named(i)]
    kind_only = False
    if len(named) >= 2 and 3 * len(named) >= 2 * len(items):
        items = named
        if not owner:
            # "New institutional mechanisms include A, B and C": no owner named, the noun is.
            owner, kind_only = _noun_phrase(clause[: m.start("items")]), True
        if not owner:
            return []  # members of nothing named: no label a teacher could read
        # Named members (CII, FICCI, FISME; KVIC, the Coir Board): one checkable fact each.
        role = "member" if noun in ("members", "member") else noun.rstrip("s")
        role = "agency" if role == "agencie" else role
        return [
            _make_fact(owner, (i,), "actor", clause, sentence, block, role="member",
                       label=f"{owner}: {i}" if kind_only else f"{owner} {role}: {i}")
            for i in items
        ]
    anchor = f"{owner} {noun}".strip() if owner else noun.capitalize()
    anchor = anchor[0].upper() + anchor[1:]
    return [_make_fact(anchor, tuple(items), "list", clause, sentence, block)]


def _noun_phrase(head: str) -> str:
    """The words naming a list ("New institutional mechanisms include")."""
    m = re.search(r"((?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*s)\s+(?:such as|like|including|"
                  r"include|includes|covering)\s*:?\s*$", head)
    if not m:
        return ""
    words = [w for w in m.group(1).split() if w.lower() not in GENERIC]
    phrase = " ".join(words).rstrip("s")
    return phrase[:1].upper() + phrase[1:]


def _is_named(item: str) -> bool:
    words = [w for w in item.split() if w.lower() not in _CONNECTORS]
    return bool(words) and all(w[:1].isupper() for w in words)


def _list_items(text: str, corpus: Corpus) -> list[str]:
    """Members of "A, B and C": defined acronyms when the list gives them, names kept whole."""
    # "membership includes prominent organizations such as A, B and C, alongside other bodies":
    # the members follow the "such as" inside the list; what trails after "alongside" is not one.
    text = re.sub(r"^[\w\s-]{0,40}?\b(?:such as|like|including)\s+", "", text, flags=re.I)
    text = re.sub(r",?\s+(?:alongside|among others|as well as other|and other)\b.*$", "", text,
                  flags=re.I)
    # "the Khadi and Village Industries Commission (KVIC)" is one member: KVIC.
    text = re.sub(
        r"(?:the\s+)?(?:[A-Z][\w&\-]*\s+(?:(?:of|and|for|&)\s+)?)+\(([A-Z][A-Za-z&]*[A-Z]s?)\)",
        r"\1",
        text,
    )
    text = re.sub(r"\s*\([^)]*\)", "", text)
    out: list[str] = []
    for piece in re.split(r",\s*|;\s*", text):
        piece = re.sub(r"^(?:and|or)\s+", "", piece.strip(), flags=re.I)
        parts = (
            [piece]
            if key(piece) in corpus.aliases or re.fullmatch(r"[A-Z][A-Za-z&]*[A-Z]s?", piece)
            else re.split(r"\s+and\s+", piece)
        )
        # "clean and renewable energy": two kinds of energy, not "clean" and an energy.
        if len(parts) == 2 and len(parts[0].split()) == 1 and parts[0].islower() and len(
                parts[1].split()) == 2:
            parts = [f"{parts[0]} {parts[1].split()[1]}", parts[1]]
        for p in parts:
            p = re.sub(r"^(?:the|a|an)\s+", "", p.strip(" ."), flags=re.I)
            # "the network of MSME-Development & Facilitation Offices": the offices are the member.
            p = re.sub(r"^(?:network|system|chain|group|set|family)\s+of\s+(?:the\s+)?", "", p,
                       flags=re.I)
            if 1 <= len(p.split()) <= 5 and not re.match(r"(?i)(?:others?|more|etc)\b", p):
                out.append(p)
    return out


# "the smaller firms — the bulk of both economies — lacked a channel": an aside between two
# dashes describes; the claim reads on without it.
# "Recent developments — including A, B and C — signal ...": an aside may list three things.
_DASH_ASIDE = re.compile(r"\s+[—–]\s+[^—–]{3,200}?\s+[—–]\s+")


def _claim_clauses(sentence: str) -> list[str]:
    sentence = _DASH_ASIDE.sub(" ", sentence)
    # "For Korea, X, while for India, Y" is one point seen from two sides, as a teacher writes
    # it: its halves stay together (their words are drawn from both, in _claim).
    parts = re.split(r";\s+|,\s+(?:yet|but)\s+|\s+[—–]\s+(?=[a-z])", sentence)
    out: list[str] = []
    for i, p in enumerate(parts):
        if i:
            p = _elided(parts[i - 1], p)
        # "MSMEs are the largest source of jobs and a major share of exports": two claims.
        m = _TWO_PREDICATES.match(p.strip(" ,.;"))
        # "... between small enterprises and the Republic of Korea": an "and" before a name
        # joins two things, it does not start a second predicate.
        if m and m["b"].split()[1][:1].isupper():
            m = None
        if m:
            out.extend([f"{m['subj']} {m['verb']} {m['a']}", f"{m['subj']} {m['verb']} {m['b']}"])
            continue
        # "Officials highlighted India's ambition to ... and South Korea's goal to ...": what
        # two sides each want are two claims, each told with what comes before them.
        m = _TWO_OWNERS.match(p.strip(" ,.;"))
        # Only where the two are what a verb before them acts on: "India's ambition and
        # Japan's money make the corridor viable" shares its verb after them, "the gap
        # between India's offer and Australia's demand" is one thing; "It's" owns nothing.
        if (m and m["x"] != m["y"] and m["head"].strip() and not m["head"].rstrip().endswith(",")
                and not re.search(r"\b(?:between|among|amongst)\s*$", m["head"])
                and m["x"].lower() not in tx.stop_words()
                # "... and Pakistan's delegation will attend": a clause of its own.
                and not _AUXILIARIES & set(m["b"].lower().split()[1:5])):
            head = re.sub(r"\bboth\s+$", "", m["head"])
            out.extend([f"{head}{m['a']}", f"{head}{m['b']}"])
            continue
        # "The announcement followed talks, aiming to create research hubs": what the event
        # aims at is a claim of its own, as a teacher lists it ("The aim is ... hubs").
        aim = _AIMING.search(p)
        if aim:
            rest = aim["rest"].strip(" ,.;")
            to = "" if aim.group(0).lstrip(", ").startswith("with") else "to "
            out.extend([p[: aim.start()].strip(" ,.;"), f"The aim is {to}{rest}"])
            continue
        out.append(p.strip(" ,.;"))
    return [p for p in out if tx.word_count(p) >= 6]


_LESS_MORE = re.compile(r"\s+less as\s+[^,;:]{1,80}?\s+and more as\s+", re.IGNORECASE)
# "The announcement followed a series of meetings": when the news came, not what it says.
# Only its timing: "The decision came as a relief to exporters" and "The move follows the
# pattern of earlier agreements" are what the news means, and stay claims.
_NARRATION = re.compile(
    r"^(?:the|this|that) (?:announcement|statement|decision|move|visit|development|news)\s+"
    r"(?:(?:followed|follows)\s+(?!(?:the|a|an)\s+(?:pattern|model|template|example|path|"
    r"logic|trend|lead|precedent|approach|playbook)\b)"
    r"|(?:came|comes)\s+(?:(?:just|shortly|barely|only|soon|days|weeks|months|years|a|an|"
    r"day|week|month|year|two|three|four|five|several|few)\s+)*"
    r"(?:after|before|amid|ahead\s+of|on\s+the\s+heels|during|at\s+a\s+time)\b)",
    re.IGNORECASE,
)
_AIMING = re.compile(
    r",\s+(?:(?:aiming|seeking|hoping|in a bid|so as) to|with the aim of(?=\s+\w+ing\b))"
    r"\s+(?P<rest>.+)$"
)


# "..., the MSMED Act, 2006, which first gave the classification statutory form": what the
# fact's anchor did, said in a relative clause after it, up to the next comma or semicolon.
_RELATIVE = re.compile(r",\s+which\s+(?P<rest>[^,;]{12,200})")


def _relative_claims(sentence: str, found: Sequence[Fact], corpus: Corpus) -> list[str]:
    """A claim a fact sentence makes about its anchor in a ", which ..." clause, told with the
    anchor as its subject ("MSMED Act first gave the ... classification statutory form").
    The clause is about the anchor when the anchor (or the fact's value: "... Act, 2006,
    which") ends the words before it."""
    out: list[str] = []
    for m in _RELATIVE.finditer(sentence):
        rest = m.group("rest").strip(" .")
        first, second = [*(w.lower() for w in rest.split()[:2]), "", ""][:2]
        # "which India joined in 2017", "which critics say dilutes ...": the anchor is what
        # the clause's own subject acts on; with the anchor put first it reads as nonsense.
        if rest[:1].isupper() or first in _DETERMINERS | _PRONOUNS or (
            second in _AUXILIARIES | _REPORTING and first not in _ADVERBS | _AUXILIARIES
            and not first.endswith("ly")
        ):
            continue
        before = tx.words(sentence[: m.start()])
        near = " ".join(before[-8:])
        # "cut the repo rate in February 2025, which was the first cut ...": after the date
        # of an event, "which is / means" speaks of the event, not of the fact's anchor.
        event = first in _EVENT_VERBS
        anchor = ""
        for f in found:
            if not f.anchor:
                continue
            names = [key(a) for a in corpus.aliases.get(key(f.anchor), (f.anchor,))]
            # "Japan and India signed the agreement in 2016, which allows ...": an event's
            # date speaks of what is near it, not of a subject the sentence began with.
            close = not event and any(
                re.search(rf"(?<!\w){re.escape(k)}(?!\w)", near) for k in names)
            if any(_ends_with(before, k) for k in names) or any(
                    _ends_with(before, key(v), after_preposition=close) for v in f.value):
                anchor = f.anchor
                break
        if not anchor and not event:
            anchor = _name_before(sentence[: m.start()])
        if anchor:
            out.append(f"{anchor} {rest}")
    return out


def _name_before(before: str) -> str:
    """The acronym that ends ``before`` ("... empowering MSMEs"), else "": a relative clause
    after a name says what the named thing is or does ("MSMEs, which form the backbone of
    India's economy")."""
    words = before.split()
    last = words[-1] if len(words) >= 2 else ""
    if last[:1].isupper() and any(c.isupper() for c in last[1:]) and last.isalpha():
        return last  # "MSMEs", "CEPA", "DPIIT"
    return ""


def _ends_with(before: Sequence[str], k: str, *, after_preposition: bool = True) -> bool:
    """Whether ``k`` is among the last four words of ``before`` (and, unless
    ``after_preposition``, not right after one: "in 2025")."""
    if not re.search(rf"(?<!\w){re.escape(k)}(?!\w)", " ".join(before[-4:])):
        return False
    lead = re.findall(rf"(\S+)\s+{re.escape(k)}(?!\w)", " ".join(before[-8:]))
    return after_preposition or not (lead and lead[-1] in _PREPOSITIONS)


_TWO_OWNERS = re.compile(
    r"^(?P<head>.*?)(?P<a>(?P<x>[A-Z][a-z]+(?: [A-Z][a-z]+)?)['’]s\s+[a-z][^,;]{5,120}?)"
    r"\s+and\s+(?P<b>(?P<y>[A-Z][a-z]+(?: [A-Z][a-z]+)?)['’]s\s+[a-z].{5,})$"
)


def _elided(before: str, part: str) -> str:
    """ "South Korea joins the ISA; and the IPOI": a part that is only "and <what>" shares the
    subject and verb of the part before it, and is told with them ("South Korea joins the
    IPOI"); "and of the AIIB" shares what comes before the same "of" ("India is a founding
    member of the AIIB"). Anything else is returned as it is."""
    words = part.split()
    if not words or words[0] != "and" or len(words) > 12:
        return part
    toks = [w.strip(",.;:()").lower() for w in words[1:]]
    head = before.split()
    lows = [w.strip(",.;:").lower() for w in head]
    if _has_verb(toks):
        # "It aims to increase trade ...; and improve market access": a second infinitive
        # shares what comes up to the "to" before it ("It aims to improve market access").
        # Only a base form follows "to": "and reduced imports", "and grew exports" say
        # something else.
        to = next((i for i, w in enumerate(lows[:8]) if w == "to"), -1)
        forms = _verb_forms()
        base = toks[0] + "s" in forms or toks[0] + "es" in forms
        if to >= 1 and base and toks[0] not in _AUXILIARIES:
            return " ".join([*head[: to + 1], *words[1:]])
        return part
    if toks and toks[0] in _PREPOSITIONS:
        at = next((i for i, w in enumerate(lows) if i >= 2 and w == toks[0]), 0)
        return " ".join([*head[:at], *words[1:]]) if at else part
    for i, w in enumerate(head[1:6], start=1):
        low = lows[i]
        # "Korea joins": a lower-case word in -s right after a name is its verb ("join" is
        # also a noun, so the verb table leaves it out); "India's exports" is a noun.
        # A capitalised word is a name ("United Arab Emirates"), not the verb.
        if w[:1].islower() and (
            _is_verb(low, head[i - 1].lower(), head[i + 1].lower() if i + 1 < len(head) else "")
            or (low.endswith("s") and head[i - 1][:1].isupper()
                and not head[i - 1].endswith((":", "'s", "’s"))
                and head[i - 1].lower() not in tx.stop_words())
        ):
            # "will not attend", "was abrogated": the verb starts at its first auxiliary
            # ("India also joins": not at an adverb before it).
            start = i
            while start > 1 and lows[start - 1] in _AUXILIARIES | _ADVERBS:
                start -= 1
            while start < i and lows[start] in _ADVERBS:
                start += 1
            end = _verb_group(lows, start)
            return " ".join([*head[: end + 1], *words[1:]]) if end else part
    return part


def _verb_group(lows: Sequence[str], i: int) -> int:
    """Where the verb that starts at ``lows[i]`` ends: "has joined", "does not recognise"
    are told whole. 0 where a shared verb cannot be told: a copula ("India is a member of
    X; and Y") or a passive ("Article 370 was abrogated; and Article 35A") shares more than
    its verb, or its "and" part is a second subject."""
    if lows[i] in _ADVERBS:
        return 0
    if lows[i] not in _AUXILIARIES:
        return i
    j = i
    while j + 1 < len(lows) and (lows[j + 1] in _AUXILIARIES | _ADVERBS
                                 or lows[j + 1].endswith("ly")):
        j += 1
    main = lows[j + 1] if j + 1 < len(lows) else ""
    be = any(w in _BE for w in lows[i: j + 1])
    if main and main not in tx.stop_words() and main.isalpha():
        return j + 1 if not be or main.endswith("ing") else 0
    # "India has a surplus with X; and a deficit with Y": "has" is the verb itself.
    return i if lows[i] in {"has", "have", "had"} and j == i else 0


_CHAIN = re.compile(
    r"(?:^|\b(?:the|a|an)\s+)(?P<owner>[a-z][\w -]{2,60}?)\s+(?:runs|goes|is|are|:)\s+"
    r"(?P<chain>[^;→]{2,80}(?:→[^;→]{2,80}){2,})",
    re.IGNORECASE,
)


def _chains(sentence: str, block: str, corpus: Corpus) -> list[Fact]:
    """An order of things written with arrows, as study notes do: one claim, its steps the
    words that make it (each with the alternatives the note gives, "treaty / trade
    agreement")."""
    out: list[Fact] = []
    for m in _CHAIN.finditer(sentence):
        steps: list[tuple[str, ...]] = []
        raws = m.group("chain").split("→")
        # The first step starts after the verb or colon that opens the chain ("... that runs
        # treaty", "is clear: treaty"); the last ends at a comma ("export, and India sits ...").
        raws[0] = re.split(r":|\b(?:runs|goes|is|are)\b", raws[0])[-1]
        raws[-1] = raws[-1].split(", ")[0]
        for raw in raws:
            step = re.sub(r"\s*\([^)]*\)", "", raw).strip(" .,;:")
            alts = tuple(a.strip() for a in step.split(" / ") if a.strip())
            if alts:
                steps.append(tuple(dict.fromkeys(
                    x for a in alts for x in corpus.aliases.get(key(a), (a,)))))
        # A ladder a teacher writes out has a few short rungs; more is not a point to learn.
        if not 3 <= len(steps) <= 8 or any(len(a.split()) > 5 for g in steps for a in g):
            continue
        owner = _LEADING_ARTICLE.sub("", m.group("owner").strip())
        label = f"{owner[0].upper()}{owner[1:]}: " + " → ".join(g[0] for g in steps)
        out.append(Fact(
            text=f"{owner[0].upper()}{owner[1:]}: " + " → ".join(" / ".join(g) for g in steps)
            + ".",
            must=tuple(steps),
            kind="claim",
            dimension=classify(m.group(0), kind="claim"),
            sentence=sentence.strip(),
            block=block,
            importance=2.0,
            label=label,
        ))
    return out


_CONTRAST = re.compile(r",\s+(?:while|whereas)\s+")


def _interleave(lists: Sequence[Sequence[str]]) -> list[str]:
    """The first of each list, then the second of each, ...: both sides of a contrast speak."""
    out: list[str] = []
    stems: set[str] = set()
    for i in range(max((len(x) for x in lists), default=0)):
        for x in lists:
            st = tx.stem(x[i]) if i < len(x) else ""
            if st and st not in stems:
                stems.add(st)
                out.append(x[i])
    return out


_TWO_PREDICATES = re.compile(
    r"^(?P<subj>[^,]{3,60}?(?:,\s*[^,]{3,40})?)\s+(?P<verb>is|are|remains?)\s+"
    r"(?P<a>(?:the|a|an)\s+[^,;]{1,200}?)\s+and\s+(?P<b>(?:the|a|an)\s+[^,;]{1,200})$"
)


def _claim(
    clause: str,
    sentence: str,
    block: str,
    corpus: Corpus,
    facts: Sequence[Fact],
) -> Fact | None:
    """An argument about the subject, with the rarest words that carry it."""
    # "reads less as a fresh opening and more as the filling-in of a gap": what it is read as.
    clause = _LESS_MORE.sub(" as ", tx.normalise(clause))
    # "India, with its policy reforms and large market, is emerging as a key node": the
    # subject and what it is said to be, without the aside between them.
    clause = _SUBJECT_ASIDE.sub(r"\g<s> \g<v>", clause)
    if tx.word_count(clause) < 5 or _NARRATION.match(clause):
        return None
    # "By leveraging the expertise of industry bodies, the Forum will help MSMEs navigate
    # international markets": the claim is what the main clause says; the means comes after.
    means = _MEANS.match(_OPENER.sub("", clause.strip()))
    main = means["main"] if means else clause
    label = _claim_label(main)
    # The claim's first idea (its label) holds the words that carry it; the rest of the
    # clause only fills up a short label.
    # The label is cut short for display; the words come from the whole first idea.
    sides = [*_CONTRAST.split(main), *([means["means"]] if means else [])]
    keys = _interleave([
        _keywords(_claim_label(side, max_words=40, whole=False), corpus, CLAIM_WORDS)
        for side in sides
    ])[:CLAIM_WORDS]
    if len(keys) < 3:
        said = _unframed(main)
        keys += [k for k in _keywords(said, corpus, CLAIM_WORDS) if k not in keys]
    # A short sentence carries its claim in fewer words ("a trade imbalance in Korea's favour").
    if len(keys) < (2 if tx.word_count(clause) <= 12 else 3):
        return None
    # The named things a claim is about come first ("India-UAE" + "CEPA"); its rarest
    # words follow. Each is a group of alternatives (aliases).
    names: list[tuple[str, ...]] = []
    for term in _terms(clause, corpus)[:2]:
        group = corpus.aliases.get(key(term), (term,))
        if len(group) == 1 and set(tx.content_stems(term)) <= corpus.common and not term.isupper():
            continue
        if group not in names:
            names.append(group)
    named = {st for g in names for a in g for st in tx.content_stems(a)}
    keys = [k for k in keys if tx.stem(k) not in named][: max(2, CLAIM_WORDS - len(names))]
    # A claim is never made by one word: "Cooperation in SMEs" would be covered by "SMEs".
    if len(names) + len(keys) < 2:
        return None
    # A clause already told as facts adds no claim unless it says more than them.
    told = {
        st
        for f in facts
        for st in tx.content_stems(" ".join([
            f.label, f.anchor, f.role,
            *(a for v in f.value for a in corpus.aliases.get(key(v), (v,))),
        ]))
    }
    new = [k for k in keys if tx.stem(k) not in told]
    if facts and len(new) < 3:
        return None
    # "The membership includes organisations such as A, B and C": the members are its point.
    # So does a list of sectors: "cooperation in sectors such as A, B and C" is that list.
    if any(
        (f.role == "member" or f.value_kind == "list") and f.sentence == sentence.strip()
        for f in facts
    ):
        return None
    # "a government-to-government statement of intent": the fact's value, said again.
    low = label.lower()
    if any(
        v.lower() in low and (len(v) > 12 or f.anchor.lower() in low)
        for f in facts for v in f.value
    ):
        return None
    text = clause.rstrip(" ,;:") + ("" if clause.endswith((".", "?", "!")) else ".")
    text = text[0].upper() + text[1:]
    return Fact(
        text=text,
        must=tuple([*names, *((k,) for k in keys)]),
        kind="claim",
        dimension=classify(clause, kind="claim"),
        sentence=sentence.strip(),
        block=block,
        importance=0.75,
        label=label,
    )


_OPENER = re.compile(
    r"^(?:for (?:india|korea|the republic of korea|south korea)(?:['’]s [\w ]+?)?,\s*|"
    r"however,\s*|therefore,\s*|thus,\s*|today,\s*|at the same time,\s*|together,\s*|"
    # "For Indian businesses, startups, and youth, increased investment opens doors ...":
    # whom a claim is for, when its own clause follows.
    r"for (?:[\w'’-]+,?\s+(?:and\s+|or\s+)?){1,6}[\w'’-]+,\s+(?=\S+\s+\S+\s+\S+)|"
    # Words that join a claim to the one before it are not part of it.
    r"(?:similarly|likewise|moreover|furthermore|further|additionally|in addition|"
    r"meanwhile|notably|importantly|crucially|indeed|in turn|consequently|equally),\s*|"
    r"by contrast,\s*|in (?:a|an) [\w '’()-]+?,\s*|"
    # "For the Republic of Korea specifically, ...": whom the claim is for, not the claim.
    r"for (?:the )?(?-i:[A-Z])[\w]*(?: (?:of )?(?-i:[A-Z])[\w]*){0,3}"
    r"(?: specifically| in particular)?,\s*)",
    re.IGNORECASE,
)


# "Officials highlighted ...", "Expert analyses underline that ...": who reports a claim, not
# the claim. Only unnamed reporters: "India said ..." is India's position, and stays; so does
# "Critics argue ...": a view the seed reports against, not its own.
_REPORTERS = (r"(?:officials|experts|analysts|observers|commentators|economists|"
              r"diplomats|sources|reports|studies|commentaries|analyses)")
_REPORTED = re.compile(
    rf"^(?:(?:[\w-]+\s+){{0,3}}?{_REPORTERS}\s+(?:and\s+(?:[\w-]+\s+){{0,2}}?{_REPORTERS}\s+)?)"
    r"(?:have\s+|had\s+|also\s+)?"
    r"(?:highlighted|highlight|highlights|underlined|underline|underlines|said|say|says|noted|"
    r"note|notes|stressed|stress|stresses|emphasi[sz]ed|emphasi[sz]e|emphasi[sz]es|"
    r"pointed out|point out|points out|observed|observe|observes|argued|argue|argues|"
    r"indicated|indicate|indicates|suggested|suggest|suggests|stated|believe|believes)"
    r"\s+(?:that\s+)?",
    re.IGNORECASE,
)


# "This development reflects the growing recognition of SMEs": a sentence whose subject only
# points back says its claim after the verb; "Expanding defence ties signals that ..." keeps
# its subject, which is part of what it claims.
_REFLECTS = re.compile(
    r"^(?:this|these|that|those|it|such)(?:\s+[a-z][\w-]*){0,2}?\s+"
    r"(?:reflects|reflect|signals|signal|shows|show|indicates|indicate|illustrates|"
    r"illustrate|demonstrates|demonstrate|underlines|underline|underscores|underscore|"
    r"highlights|highlight|points to|point to|suggests|suggest)\s+(?:that\s+)?",
    re.IGNORECASE,
)
_SUBJECT_ASIDE = re.compile(
    r"^(?P<s>[^,;:]{2,60}),\s+(?:with|despite|given|unlike|like|along with|thanks to)\s+"
    r"[^;:]{3,150}?,\s+(?P<v>(?:is|are|was|were|has|have|had|will|would|can|could|may|"
    r"might|must|should|remains?|continues?|becomes?)\b)",
    re.IGNORECASE,
)
# "By leveraging X, the Forum will help ...": a means before the main clause.
_MEANS = re.compile(
    r"^(?:by|through)\s+(?P<means>[a-z]+ing\b[^;:]{3,160}?),\s+"
    # The main clause starts with its subject: "By creating platforms for dialogue, trade
    # promotion, and business matchmaking, the agreement seeks ...".
    r"(?P<main>(?:(?:the|a|an|this|these|its|their|both)\b|(?-i:[A-Z])[\w-]*)\s.{20,})$",
    re.IGNORECASE,
)


def _unframed(clause: str) -> str:
    """``clause`` without what frames its claim: an opener, an unnamed reporter, a subject
    that only points back."""
    return _REFLECTS.sub("", _REPORTED.sub("", _OPENER.sub("", clause.strip()).strip()))


_DANGLING = frozenset({"on", "in", "of", "by", "for", "to", "at", "with", "from", "the", "a", "an",
                       "and", "or", "that", "its", "their",
                       # "... in advanced technology, therefore": an aside's first word.
                       "therefore", "thus", "hence", "however", "also", "then", "too"})


def _claim_label(clause: str, max_words: int = 14, *, whole: bool = True) -> str:
    """A short label: the clause without its opener, cut where its first idea ends.

    ``whole``: an "and" that joins two words of one phrase ("a deeper and more comprehensive
    partnership") does not end the idea; a label shows the phrase whole. The claim's words
    are drawn from the narrower first idea (``whole=False``), as they were fit."""
    text = _unframed(clause)
    text = re.sub(r"\s*\([^)]*\)", "", text).rstrip(" .")
    words = text.split()
    cut = len(words)
    for i in range(6, len(words)):
        w = words[i].lower()
        # "... India and the Republic of Korea": an "and" between names joins, it does not
        # start a second idea.
        joins_names = words[i - 1][:1].isupper() and (
            (i + 1 < len(words) and words[i + 1][:1].isupper())
            or (i + 2 < len(words) and words[i + 1] == "the" and words[i + 2][:1].isupper())
        )
        if words[i - 1].endswith((",", ";", ":")) or (
            i >= 8 and w == "and" and not joins_names
            and (not whole or _starts_predicate(words, i + 1)
                 or (i + 1 < len(words) and words[i + 1].lower() in _PREPOSITIONS))
        ) or w in (
            "while", "which", "yet", "but", "making", "—", "–"
        ):
            cut = i
            break
    kept = words[: min(cut, max_words)]
    # "... the customary occasion on [which ...]": a label does not end on a joining word.
    while len(kept) > 3 and kept[-1].lower().rstrip(",;:") in _DANGLING:
        kept = kept[:-1]
    out = " ".join(kept).rstrip(",;:")
    if min(cut, max_words) < cut:
        out += " …"
    return out[0].upper() + out[1:] if out else out


def _starts_predicate(words: Sequence[str], i: int) -> bool:
    """Whether a verb comes within four words of ``words[i]``, before a comma: "and more
    comprehensive strategic partnership," joins two words of one phrase ("a deeper and more
    comprehensive partnership"); "and business matchmaking can plug" starts a second idea."""
    toks = []
    for w in words[i : i + 4]:
        toks.append(w.strip(",.;:()").lower())
        if w.endswith((",", ";", ":")):
            break
    return _has_verb(toks)


def _has_verb(toks: Sequence[str]) -> bool:
    """Whether one of ``toks`` (lower case, in order) is an auxiliary or, by the words
    around it, a verb (see :func:`_is_verb`)."""
    return any(
        t in _AUXILIARIES
        or _is_verb(t, toks[j - 1] if j else "", toks[j + 1] if j + 1 < len(toks) else "")
        for j, t in enumerate(toks)
    )


_LABEL = re.compile(r"^[A-Z][\w &'’/\-–]{1,40}:\s+(?=[A-Z\"“])")


def _strip_label(paragraph: str) -> str:
    # "For UPSC: ..." and "Indo-Pacific Cooperation: ..." labels are headings, not facts.
    return _LABEL.sub("", paragraph.strip())


_MODALS = frozenset({"can", "could", "will", "would", "may", "might", "must", "should", "shall"})
_DETERMINERS = frozenset({"a", "an", "the", "its", "their", "this", "that", "these", "those",
                          "his", "her", "our"})

_BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "am"})
_AUXILIARIES = _BE | _MODALS | frozenset({"has", "have", "had", "do", "does", "did"})
_PREPOSITIONS = frozenset({"of", "for", "in", "on", "with", "to", "from", "by", "at", "against",
                           "over", "under", "into", "since", "during", "until", "after"})
_PRONOUNS = frozenset({"it", "they", "we", "he", "she", "i", "you", "many", "most", "some",
                       "both", "all", "few", "several", "others", "one"})
# "which critics say ...", "which analysts have called ...": a subject of its own.
_REPORTING = frozenset({"say", "says", "said", "call", "calls", "called", "argue", "argues",
                        "argued", "believe", "believes", "consider", "considers", "describe",
                        "describes", "described", "see", "sees", "view", "views", "term",
                        "terms", "termed", "claim", "claims", "regard", "regards", "want",
                        "wants", "fear", "fears", "expect", "expects"})
_ADVERBS = frozenset({"not", "never", "also", "already", "first", "now", "still", "then",
                      "later", "once", "often", "since", "again", "jointly", "n't"})
# "..., which is / was / means ...": what a preceding event is, not its anchor.
_EVENT_VERBS = frozenset({"is", "was", "are", "were", "means", "meant", "marks", "marked"})


@lru_cache(maxsize=1)
def _verb_forms() -> frozenset[str]:
    from evaluator import io

    return frozenset(io.package_table("verbforms.tsv.gz"))


def _is_verb(tok: str, before: str, after: str) -> bool:
    """A verb, as far as words around it tell: "can plug", "deepens its", "to absorb" (a
    word WordNet knows only as a verb). No tagger: NLTK's needs a download."""
    return (
        before in _MODALS
        or tok in _verb_forms()
        or (tok.endswith("s") and after in _DETERMINERS)
    )


# Three-letter words that link or count, not name ("the two sides set a new target to end
# the gap"): a claim is carried by "hub" or "gap", never by "two", "set" or "end".
_SHORT_GENERIC = frozenset({
    "one", "two", "six", "ten", "set", "use", "add", "get", "got", "say", "end", "far", "top",
    "put", "let", "see", "saw", "run", "ran", "yet", "via", "per", "due", "key", "big", "new",
    "old", "low", "few", "lot", "way", "day", "try", "bit", "ago",
})


def _keywords(clause: str, corpus: Corpus, k: int) -> list[str]:
    """The ``k`` rarest content words of ``clause`` that are neither generic nor common.

    Verbs rank after nouns: a claim is carried by what it speaks of ("business
    matchmaking"), not by the words that link them ("can plug", "to absorb").
    """
    seen: set[str] = set()
    cands: list[tuple[float, int, str]] = []
    sw = tx.stop_words()
    toks = tx.words(clause)
    pointing = _pointing_back(toks)
    for i, tok in enumerate(toks):
        if tok in sw or len(tok) < 3 or not tok.isalpha() or tok in tx.NEGATIONS or tok == "non":
            continue
        if i in pointing:
            continue
        if len(tok) == 3 and tok in _SHORT_GENERIC:
            continue
        st = tx.stem(tok)
        if st in seen or st in corpus.common or tok in GENERIC or tx.is_number(tok):
            continue
        seen.add(st)
        rarity = (corpus.idf or {}).get(st, 1.0)
        if _is_verb(tok, toks[i - 1] if i else "", toks[i + 1] if i + 1 < len(toks) else ""):
            rarity *= 0.5
        cands.append((-rarity, i, tok))
    return [tok for _, _, tok in sorted(cands)[:k]]


_DEMONSTRATIVES = frozenset({"this", "these", "those", "such"})


def _pointing_back(toks: Sequence[str]) -> set[int]:
    """Where a phrase names again what came before: "clauses focusing on this vital segment"
    means SMEs, so "vital" and "segment" carry no claim of their own."""
    out: set[int] = set()
    for i, t in enumerate(toks):
        if t not in _DEMONSTRATIVES:
            continue
        for j in range(i + 1, min(i + 3, len(toks))):
            nxt = toks[j + 1] if j + 1 < len(toks) else ""
            if (toks[j] in _PREPOSITIONS or toks[j] in _AUXILIARIES
                    or _is_verb(toks[j], toks[j - 1], nxt)):
                break
            out.add(j)
    return out


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


# Month names and their abbreviations: a day number beside one dates nothing checkable.
_MONTHS = frozenset(tx.MONTHS) | {m[:3] for m in tx.MONTHS} | {"sept"}


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


_ACTS = frozenset({"establishment", "adoption", "proposal", "creation", "launch", "formation",
                   "signing", "expansion", "introduction", "opening", "upgrade",
                   "upgradation", "elevation", "inauguration"})


def _split_name(name: str, corpus: Corpus) -> list[str]:
    """Undo what a capitalised sentence opener or a joining "and" glued onto a name."""
    words = name.split()
    # "Recently India ..." or "Proposal for Korean ...": the opener is an ordinary word.
    # "Establishment of Mumbai Korea Centre": what is done to a name is not part of it.
    if len(words) > 2 and words[0].lower() in _ACTS and words[1].lower() in ("of", "for"):
        words = words[2:]
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


# --------------------------------------------------------------------------- misconceptions


@dataclass(frozen=True)
class FalseClaim:
    """A false claim a "What it is NOT" sentence warns against, and the sentence itself."""

    subject: tuple[str, ...]
    wrong: tuple[str, ...]
    cue: tuple[str, ...]
    label: str
    sentence: str


# Common abbreviations of policy terms a student may use for a seed's long form.
COMMON_ALIASES: dict[str, tuple[str, ...]] = {
    "free-trade agreement": ("FTA", "free trade agreement", "free trade pact"),
    "treaty": ("treaty", "treaties"),
}
# Words that name one role: a student writes "signed by" for a seed's "counterpart".
_ROLE_WORDS = {
    "counterpart": ("counterpart", "signatory", "signed", "signer", "sign"),
    "signatory": ("counterpart", "signatory", "signed", "signer", "sign"),
    "defined": ("defined", "define", "definition", "classified", "classification", "criterion",
                "criteria", "based"),
}
_NOT_A = re.compile(
    r"^(?P<subj>.+?)\s+(?:is|are|was|were)\s+not\s+(?P<wrong>.+?)\s*(?:[—–]|$)", re.IGNORECASE
)
_RIGHT_NOT = re.compile(
    r"^(?P<subj>.+?)\s+(?:is|are|was|were)\s+(?P<verb>(?:\w+ed\s+(?:by|as|on)\s+)?)"
    r"(?P<right>.+?),\s+not\s+(?:by\s+|as\s+)?(?P<wrong>.+?)\s*(?:\bas in\b.*)?$",
    re.IGNORECASE,
)
_NO_X = re.compile(r"\b(?:carries|has|have|involves|needs|comes with)\s+no\s+(?P<x>[\w -]+)", re.I)
_TRAILING_ROLE = re.compile(r"\s+(?:signatory|signatories|body|criterion|test)$", re.I)


def false_claims(document: Document, *, corpus: Corpus | None = None) -> list[FalseClaim]:
    """The false claims of ``document``'s "What it is NOT" blocks (misconceptions).

    Each sentence of the form "X is not Y", "X is Z, not Y" or "X carries no Y" gives
    a claim that X is Y; "It" stands for the subject of the sentence before.

    >>> from evaluator.seeds import Block, Document
    >>> d = Document("n", "study_note", "T", blocks=(Block("what it is not", "misconception",
    ...     ("The MoU is not a treaty.",)),))
    >>> [(f.subject, f.wrong) for f in false_claims(d)]
    [(('MoU',), ('treaty', 'treaties'))]
    """
    corpus = corpus or corpus_of([document])
    out: list[FalseClaim] = []
    subject: tuple[str, ...] = ()
    for block in document.blocks:
        if block.role != "misconception":
            continue
        for para in block.paragraphs:
            for sentence in tx.sentences(para):
                s = re.sub(r"^(?:and|but|also)\s+", "", tx.normalise(sentence).strip(), flags=re.I)
                # What follows a dash explains; the claim is before it.
                s = re.split(r"\s+[—–]\s+", s)[0].rstrip(" .")
                found: list[tuple[str, list[str], tuple[str, ...]]] = []
                m = _RIGHT_NOT.match(s)
                if m and " not " not in m.group("subj") + " ":
                    cue = _cues(m.group("subj") + " " + m.group("verb"))
                    found.append((m.group("subj"), _terms_of(m.group("wrong")), cue))
                else:
                    m = _NOT_A.match(s)
                    if m:
                        wrong_text = m.group("wrong")
                        parts = re.split(
                            r"\s+and\s+(?=carries|has|have|involves|needs)", wrong_text
                        )
                        found.append((m.group("subj"), _terms_of(parts[0]), ()))
                        for extra in parts[1:]:
                            x = _NO_X.search(extra)
                            if x:
                                found.append((m.group("subj"), ["+" + x.group("x").strip()], ()))
                    x = _NO_X.search(s)
                    if x and not m:
                        found.append((s[: x.start()], ["+" + x.group("x").strip()], ()))
                for subj_text, wrong, cue in found:
                    subj = _subject(subj_text, corpus) or subject
                    if not subj or not wrong:
                        continue
                    subject = subj
                    # "+outlay": the seed says it carries none, so having one is the error.
                    carries = [w[1:] for w in wrong if w.startswith("+")]
                    wrong = [w.lstrip("+") for w in wrong]
                    wrong_all: list[str] = []
                    for w in wrong:
                        wrong_all.append(w)
                        wrong_all.extend(COMMON_ALIASES.get(w.lower(), ()))
                    who = subj[0] if subj[0] not in ("Korea", "India") else (
                        f"{_adjective(subj[0])} {cue[1] if len(cue) > 1 else 'side'}"
                    )
                    label = (
                        f"{who}: carries no {' or '.join(carries)}"
                        if carries
                        else f"{who}: not defined by {' or '.join(wrong)}"
                        if "defined" in cue
                        else f"{who}: not {' or '.join(_with_article(w) for w in wrong)}"
                    )
                    out.append(
                        FalseClaim(subj, tuple(dict.fromkeys(wrong_all)), cue, label, sentence)
                    )
    return out


def _with_article(term: str) -> str:
    return f"{'an' if term[:1].lower() in 'aeiou' else 'a'} {term}"


def _terms_of(text: str) -> list[str]:
    """"a free-trade agreement or a treaty" -> ["free-trade agreement", "treaty"]."""
    out = []
    for part in re.split(r"\s+or\s+|,\s*", text):
        part = re.sub(r"^(?:a|an|the|by|any)\s+", "", part.strip(), flags=re.I)
        part = _TRAILING_ROLE.sub("", part).strip(" .")
        # "foreign-ministry" is how a student writes "foreign ministry" too.
        part = re.sub(r"(?<=[a-z])-(?=ministry\b)", " ", part)
        if part and len(part.split()) <= 4:
            out.append(part)
    return out


def _cues(text: str) -> tuple[str, ...]:
    words = {t for t in tx.words(text)}
    out: list[str] = []
    for w, alts in _ROLE_WORDS.items():
        if w in words:
            out.extend(alts)
    return tuple(dict.fromkeys(out))


def _subject(text: str, corpus: Corpus) -> tuple[str, ...]:
    """What a "What it is NOT" sentence is about: a named thing, or a side's role."""
    text = re.sub(r"[\"“”]", "", text).strip()
    if re.fullmatch(r"(?i)it|this|they", text):
        return ()
    found = _terms(text, corpus) or re.findall(r"\b[A-Z][A-Za-z&]*[A-Z]s?\b", text)
    if found:
        group = corpus.aliases.get(key(found[0]), (found[0],))
        return tuple(dict.fromkeys([_canonical(group, found[0]), *group]))
    # A side: "the Korean counterpart" (a demonym of a name in -a) or "Korea's".
    m = re.search(r"\b([A-Z][a-z]+a)n\b|\b([A-Z][a-z]+)['’]s\b", text)
    if m:
        country = m.group(1) or m.group(2)
        return (country, _adjective(country))
    return ()
