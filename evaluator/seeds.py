"""Seed documents -> :class:`Document` (title, date, tags, headed blocks of paragraphs).

The shape is detected from the content, never from the file name.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date as _date
from html.parser import HTMLParser
from typing import Any

from evaluator.errors import SeedError

__all__ = ["ROLES", "Block", "Document", "parse_seed"]

# Block roles: what a block may be used for downstream.
#   content        facts and claims a point may be built from
#   summary        a recap of facts stated elsewhere (For UPSC, For Prelims): raises importance
#   misconception  "What it is NOT": never a point to earn
#   mains          For-Mains guidance for one dimension (name = the dimension)
#   meta           deploys-into, syllabus tags, source lines: never points
ROLES = ("content", "summary", "misconception", "mains", "meta")


@dataclass(frozen=True)
class Block:
    name: str
    role: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    name: str
    shape: str  # study_note | article | wordpress | wire | plain
    title: str
    date: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------


def parse_seed(text: str, *, name: str) -> Document:
    """Parse one seed text into a :class:`Document`, detecting its shape from the content.

    Shapes, tried in this order: ``wordpress`` (a WordPress REST post as JSON), ``wire`` (a
    news-agency dateline such as ``NEW DELHI, Jan 24 (PTI) -``), ``study_note`` (known study
    headings and labels such as "For Mains", "What it is NOT:"), ``article`` (a headline line
    followed by prose paragraphs) and ``plain`` (anything else).

    Raises :class:`~evaluator.errors.SeedError` when the text is empty or yields neither a
    title nor a paragraph.

    >>> doc = parse_seed("Monsoon arrives early\\nThe IMD said rain reached Kerala. It is early.\\n"
    ...                  "Farmers welcomed the news. Sowing will start soon.", name="demo")
    >>> doc.shape, doc.title, doc.blocks[0].name, len(doc.blocks[0].paragraphs)
    ('article', 'Monsoon arrives early', 'body', 2)
    """
    if not _collapse(text):
        raise SeedError(f"seed {name!r} is empty")
    post = _wordpress_post(text)
    if post is not None:
        doc = _parse_wordpress(post, name)
    else:
        units = _units(_normalise(text))
        if _dateline_at(units) is not None:
            doc = _parse_wire(units, name)
        elif _looks_like_study_note(units):
            doc = _parse_study_note(units, name)
        elif _looks_like_article(units):
            doc = _parse_article(units, name)
        else:
            doc = _parse_plain(units, name)
    if not doc.title and not any(block.paragraphs for block in doc.blocks):
        raise SeedError(f"seed {name!r} has no title and no paragraph")
    return doc


# --------------------------------------------------------------------------------------------
# Text normalisation and line units
# --------------------------------------------------------------------------------------------

# Invisible characters that survive copy-paste from web pages and break word matching.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"))
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_INLINE_SPACE = re.compile(r"[^\S\n]+")
# Text bullets carry no meaning once every item is its own paragraph.
_BULLET = re.compile(r"^[•▪●◦‣∙*\-–—]\s+")
# Closing quotes/brackets that may follow a sentence's final punctuation.
_CLOSERS = "\"'”’»)]"
_SENTENCE_END_CHARS = ".!?…"
_HEADING_MAX_WORDS = 15
_HEADING_MAX_CHARS = 120
_TITLE_MAX_WORDS = 12
# Hard-wrapped lines are long; a shorter unpunctuated line followed by lower case is a heading.
_WRAPPED_MIN_WORDS = 6


def _normalise(text: str) -> str:
    # NFC only: NFKC would rewrite dashes, ellipses and quotes that must be kept as written.
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    text = _LINE_BREAKS.sub("\n", text)
    return "\n".join(_INLINE_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def _collapse(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH).split())


def _units(text: str) -> list[str]:
    """Split normalised text into paragraph-or-heading units, one per line.

    Seeds put one paragraph per line (blank lines optional), so a line break is a boundary;
    only a hard-wrapped continuation (see :func:`_continues`) is glued back on.
    """
    units: list[str] = []
    joinable = False
    for raw in text.split("\n"):
        line = _BULLET.sub("", raw)
        if not line:
            joinable = False
            continue
        if joinable and units and _continues(units[-1], line):
            units[-1] = f"{units[-1]} {line}"
        else:
            units.append(line)
        joinable = True
    return [unit for unit in units if not _is_boilerplate(unit)]


def _continues(previous: str, line: str) -> bool:
    if _ends_sentence(previous, extra=":;") or _LABEL_RE.match(line):
        return False
    if _is_known_note_heading(previous) or _is_known_note_heading(line):
        return False
    # A heading is short; a long unpunctuated line can only be a wrapped sentence.
    words = len(previous.split())
    return words > _HEADING_MAX_WORDS or (line[:1].islower() and words >= _WRAPPED_MIN_WORDS)


def _ends_sentence(text: str, *, extra: str = "") -> bool:
    return text.rstrip(_CLOSERS)[-1:] in _SENTENCE_END_CHARS + extra


def _is_heading(unit: str) -> bool:
    if _ends_sentence(unit, extra=":;,") or not any(ch.isalpha() for ch in unit):
        return False
    first = unit[0]
    return (
        not first.islower()
        and first not in "(\"'“‘"
        and len(unit.split()) <= _HEADING_MAX_WORDS
        and len(unit) <= _HEADING_MAX_CHARS
    )


def _block_name(heading: str) -> str:
    return _collapse(heading).rstrip(" :").lower()


def _key(unit: str) -> str:
    """Matching key for headings and labels: case, spacing and "and"/"&" do not matter."""
    key = _block_name(unit).replace("’", "'")
    return re.sub(r"\s+and\s+", " & ", key)


# --------------------------------------------------------------------------------------------
# Boilerplate, trailers and sign-offs
# --------------------------------------------------------------------------------------------

# Share/reaction/navigation trailers that news CMSs wrap around a story. Whole-unit matches of
# short units only, so a sentence that merely mentions "read more" survives. Covered:
#   reaction widgets   What's Your Reaction? / Like / Love / Wow / Sad / Angry / Funny
#   share widgets      Share this (article) / Share on X / Tweet / Email / Print
#   cross-links        Also read: ... / Read more ... / Related posts / Continue reading
#   calls to action    Follow us on ... / Subscribe ... / Click here ... / Leave a comment
#   page furniture     Advertisement / Sponsored / Comments / Tags: ...
_BOILERPLATE_RE = re.compile(
    r"""^(?:
        what['’]?s\s+your\s+reaction
      | like | love | wow | sad | angry | funny | dislike
      | share(?:\s+(?:this|it|on\s+\S+|via\s+\S+))*(?:\s+(?:article|story|post|page|news))?
      | tweet | email | print | whatsapp
      | (?:also\s+read|read\s+(?:more|also|next)|continue\s+reading)(?:\s*[:\-–—»›|].*)?
      | related(?:\s+(?:posts?|articles?|stories|news|reads?))?
      | follow\s+us(?:\s+on\b.*)?
      | subscribe(?:\s+(?:now|today|here|to\s+(?:our|the)\b.*))?
      | click\s+here\b.*
      | sign\s+up(?:\s+(?:now|here|for\s+(?:our|the)\s+newsletter\b.*))?
      | leave\s+a\s+(?:comment|reply) | comments? | advertisement | sponsored
      | tags?\s*:.*
    )\s*[.!?:»›]?$""",
    re.IGNORECASE | re.VERBOSE,
)
_BOILERPLATE_MAX_WORDS = 15

# Editorial pointers to other pages ("Note: For more about X, refer to <url>").
_NOTE_TRAILER_RE = re.compile(
    r"^note\s*[:\-–—]\s*.*\b(?:for\s+more|refer|read\s+more|click|visit|see\s+also|check\s+out)\b",
    re.IGNORECASE,
)
# "Source: IE" credits: the credit is kept as the document source, the line is not content.
_SOURCE_CREDIT_RE = re.compile(
    r"^(?:sources?|courtesy|credits?|via)\s*[:\-–—]\s*(?P<credit>\S.{0,79})$", re.IGNORECASE
)
_CREDIT_MAX_WORDS = 8
_BARE_URL_RE = re.compile(r"^<?(?:https?://|www\.)\S+>?$", re.IGNORECASE)
# "Syllabus: GS2/International Relations" is a tag line, wherever it appears.
_SYLLABUS_RE = re.compile(r"^syllabus\s*[:\-–—]\s*(?P<tags>.+)$", re.IGNORECASE)
# Agency sign-offs closing a story: "(KNN Bureau)", "(PTI)", "— Reuters", "With inputs from IANS".
_SIGN_OFF_RE = re.compile(
    r"^(?:\([^()]{1,100}\)|[-–—]+\s*[A-Z][\w&.' ]{1,40}|with\s+inputs\s+from\s+[\w&.,' ]{1,60})"
    r"\s*\.?$",
    re.IGNORECASE,
)
# A bare agency acronym left once a "— IANS" dash was read as a bullet.
_AGENCY_ACRONYM_RE = re.compile(r"^[A-Z][A-Z&]{1,9}\.?$")


def _is_boilerplate(unit: str) -> bool:
    return len(unit.split()) <= _BOILERPLATE_MAX_WORDS and bool(_BOILERPLATE_RE.match(unit))


@dataclass
class _Extras:
    """What trailers reveal about the document although they are not paragraphs."""

    sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def sift(self, paragraph: str) -> str | None:
        """Return the paragraph if it is content, else record what it carries and drop it."""
        if not paragraph or _is_boilerplate(paragraph) or _BARE_URL_RE.match(paragraph):
            return None
        if _NOTE_TRAILER_RE.match(paragraph):
            return None
        syllabus = _SYLLABUS_RE.match(paragraph)
        if syllabus:
            self.tags.extend(_split_tags(syllabus["tags"]))
            return None
        credit = _SOURCE_CREDIT_RE.match(paragraph)
        if credit and len(credit["credit"].split()) <= _CREDIT_MAX_WORDS:
            self.sources.append(credit["credit"].rstrip(" ."))
            return None
        return paragraph

    def source(self, first: str | None = None) -> str | None:
        found = ([first] if first else []) + [s for s in self.sources if s != first]
        return "; ".join(found) or None


def _drop_sign_offs(units: list[str]) -> list[str]:
    while units and (_SIGN_OFF_RE.match(units[-1]) or _AGENCY_ACRONYM_RE.match(units[-1])):
        units = units[:-1]
    return units


# --------------------------------------------------------------------------------------------
# Dates, titles, tags
# --------------------------------------------------------------------------------------------

_MONTH = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DATE_RE = re.compile(
    rf"""(?<![\w.])(?:
        (?P<y1>\d{{4}})-(?P<m1>\d{{1,2}})-(?P<d1>\d{{1,2}})
      | (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MONTH})\.?,?\s+(?P<y2>\d{{4}})
      | (?P<mon3>{_MONTH})\.?\s+(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y3>\d{{4}})
    )(?!\d)""",
    re.VERBOSE,
)
# A unit that is only a publication date ("Published on 21 April 2026, 10:30 IST").
_DATE_LINE_PREFIX_RE = re.compile(
    r"^(?:(?:published|updated|posted|dated?|last\s+updated)(?:\s+on)?\s*[:\-–—]?\s*)?",
    re.IGNORECASE,
)
_DATE_LINE_SUFFIX_RE = re.compile(
    r"^[\s,|·]*(?:\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*(?:IST|GMT|UTC))?)?\s*$",
    re.IGNORECASE,
)
# fmt: off
_TITLE_STOPWORDS = frozenset((
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on",
    "or", "the", "to", "with",
))
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "no", "vs", "etc", "inc", "ltd", "co",
    "govt", "dept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec",
))
# fmt: on
_SENTENCE_BREAK_RE = re.compile(r"[.!?…][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9]|\s*$)")


def _iso(year: str, month: int, day: str) -> str | None:
    try:
        return _date(int(year), month, int(day)).isoformat()
    except ValueError:
        return None


def _month_number(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _date_of(match: re.Match[str]) -> str | None:
    if match["y1"]:
        return _iso(match["y1"], int(match["m1"]), match["d1"])
    if match["y2"]:
        return _iso(match["y2"], _month_number(match["mon2"]), match["d2"])
    return _iso(match["y3"], _month_number(match["mon3"]), match["d3"])


def _date_line(unit: str) -> str | None:
    """ISO date if the unit is nothing but a (publication) date."""
    prefix = _DATE_LINE_PREFIX_RE.match(unit)
    rest = unit[prefix.end() :] if prefix else unit
    match = _DATE_RE.match(rest)
    if match and _DATE_LINE_SUFFIX_RE.match(rest[match.end() :]):
        return _date_of(match)
    return None


def _take_date_lines(units: list[str]) -> tuple[list[str], str | None]:
    found: str | None = None
    kept: list[str] = []
    for unit in units:
        iso = _date_line(unit)
        if iso and found is None:
            found = iso
        elif not iso:
            kept.append(unit)
    return kept, found


def _first_sentence(text: str) -> str:
    for match in _SENTENCE_BREAK_RE.finditer(text):
        before = text[: match.start()].split()
        word = before[-1] if before else ""
        # "Jan." / "Dr." / "U.S." end an abbreviation, not the sentence.
        if word.lower() in _ABBREVIATIONS or "." in word or len(word) == 1:
            continue
        return text[: match.end()]
    return text


def _shorten(text: str, max_words: int = _TITLE_MAX_WORDS) -> str:
    words = text.split()
    if len(words) > max_words:
        words = words[:max_words]
        # A cut title reads better ending on a content word than on "of the".
        while len(words) > 1 and words[-1].lower() in _TITLE_STOPWORDS:
            words.pop()
    title = " ".join(words).rstrip(" ,;:.!?…–—-")
    if title.count("(") > title.count(")"):
        title = title[: title.rfind("(")].rstrip(" ,;:–—-")
    return title


def _title_from(text: str) -> str:
    return _shorten(_first_sentence(text))


def _split_tags(line: str) -> list[str]:
    # Emoji and other pictographs decorate category lines; they are not tags.
    cleaned = "".join(
        ch for ch in line if unicodedata.category(ch) not in ("So", "Sk", "Mn", "Cf", "Co")
    )
    tags: list[str] = []
    for part in re.split(r"\s*[·|•,;/]\s*", cleaned):
        # Scraped category lines glue labels together ("International RelationsMAINS").
        for piece in re.split(r"(?<=[a-z])(?=[A-Z]{2,}(?![a-z]))", part):
            tag = piece.strip(" -–—:")
            if tag and tag not in tags:
                tags.append(tag)
    return tags


# --------------------------------------------------------------------------------------------
# Block assembly
# --------------------------------------------------------------------------------------------


class _Blocks:
    """Accumulates paragraphs under the current heading; empty blocks are never emitted."""

    def __init__(self, name: str = "body", role: str = "content") -> None:
        self._done: list[Block] = []
        self._name = name
        self._role = role
        self._paragraphs: list[str] = []
        self._skipping = False

    def start(self, name: str, role: str, *, skip: bool = False) -> None:
        self._close()
        self._name, self._role, self._skipping = name, role, skip

    def add(self, paragraph: str) -> None:
        if paragraph and not self._skipping:
            self._paragraphs.append(paragraph)

    def result(self) -> tuple[Block, ...]:
        self._close()
        return tuple(self._done)

    def _close(self) -> None:
        if self._paragraphs:
            self._done.append(Block(self._name, self._role, tuple(self._paragraphs)))
        self._paragraphs = []


# --------------------------------------------------------------------------------------------
# Shape: study_note
# --------------------------------------------------------------------------------------------

_MAINS_DIMENSIONS = ("exemplification", "position", "substantiation", "way-forward")
_DIMENSION_ALIASES = {"way-ahead": "way-forward", "the-way-forward": "way-forward"}
# Headings whose presence marks a study note (matched on :func:`_key`).
_NOTE_HEADINGS = frozenset(
    {"what happened", "background & context", "background", "for prelims", "why it matters"}
)
_FOR_MAINS = "for mains"
# Inline labels that open their own block: "What it is NOT: ...". Group "label" is the label.
_LABEL_RE = re.compile(
    r"^(?P<label>what\s+it\s+is\s+not|what\s+it\s+isn['’]t|common\s+misconceptions?"
    r"|misconceptions?|for\s+upsc|for\s+prelims|key\s+takeaways?|deploys\s+into"
    r"|exemplification|position|substantiation|(?:the\s+)?way[\s\-–—]*(?:forward|ahead))"
    r"\s*[:：]\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_NOTE_LABELS = frozenset({"what it is not", "for upsc", "deploys into"})
_SUMMARY_KEYS = frozenset({"for upsc", "key takeaway", "key takeaways", "summary", "recap"})
_META_KEYS = frozenset(
    {"deploys into", "syllabus", "tags", "sources", "references", "further reading"}
)
# A study note's opening category line: "🌐 International RelationsMAINS · GS2.18 · GS3.8".
_TAG_MARKERS_RE = re.compile(r"[·|•]|PRELIMS|MAINS|ESSAY|\bGS\s?-?\s?[1-4]")
# A study note's closing source line: "Ministry of X · 2026-04-21 · PRID 2254252 · PIB source ↗".
_SOURCE_SEPARATORS_RE = re.compile(r"\s*[·|•]\s*")
_LINK_MARKS = "↗→⇗➚🔗"


def _label_key(label: str) -> str:
    key = _key(label).replace("isn't", "is not")
    return _dimension(key) or key


def _dimension(text: str) -> str | None:
    key = re.sub(r"[\s_\-‐-―]+", "-", _block_name(text))
    key = _DIMENSION_ALIASES.get(key, key)
    return key if key in _MAINS_DIMENSIONS else None


def _heading_role(key: str) -> str:
    if "prelims" in key or key in _SUMMARY_KEYS:
        return "summary"
    if key.startswith("what it is not") or "misconception" in key:
        return "misconception"
    if key in _META_KEYS:
        return "meta"
    return "content"


def _looks_like_study_note(units: Sequence[str]) -> bool:
    found: set[str] = set()
    for unit in units:
        key = _key(unit)
        if key in _NOTE_HEADINGS or key == _FOR_MAINS:
            found.add(key)
        label = _LABEL_RE.match(unit)
        if label and _label_key(label["label"]) in _NOTE_LABELS:
            found.add(_label_key(label["label"]))
    return _FOR_MAINS in found or len(found) >= 2


def _is_tag_line(unit: str) -> bool:
    if _ends_sentence(unit):
        return False
    # Pictographs only: a title may well open with a currency sign ("₹2 lakh crore ...").
    starts_with_symbol = unicodedata.category(unit[0]) in ("So", "Sk")
    return starts_with_symbol or bool(_TAG_MARKERS_RE.search(unit))


def _source_line(unit: str) -> tuple[str | None, str | None] | None:
    """``(source, iso date)`` if the unit is a "publisher · date · id · link" line."""
    parts = _SOURCE_SEPARATORS_RE.split(unit)
    if len(parts) < 2 or _ends_sentence(unit):
        return None
    iso: str | None = None
    kept: list[str] = []
    for part in parts:
        date = _DATE_RE.fullmatch(part)
        if date and iso is None:
            iso = _date_of(date)
            continue
        part = re.sub(r"\s*\b(?:source|link)\b\s*$", "", part.strip(_LINK_MARKS + " "), flags=re.I)
        if part:
            kept.append(part)
    has_link = unit.rstrip()[-1:] in _LINK_MARKS or re.search(r"\bsource\b", unit, re.I)
    if iso is None and not has_link:
        return None
    return (" · ".join(kept) or None), iso


def _parse_study_note(units: list[str], name: str) -> Document:
    extras = _Extras()
    rest = list(units)
    tags: list[str] = []
    if len(rest) > 1 and _is_tag_line(rest[0]):
        tags = _split_tags(rest.pop(0))
    title = ""
    if rest and not _is_known_note_heading(rest[0]) and not _LABEL_RE.match(rest[0]):
        title = rest.pop(0)
    source: str | None = None
    date: str | None = None
    closing = _source_line(rest[-1]) if rest else None
    if closing is not None:
        source, date = closing
        rest.pop()

    # The standfirst under the title is kept as a summary: it restates the news in one line,
    # so it adds facts the body lacks (the occasion of a signing) but no claims of its own.
    blocks = _Blocks("summary line", "summary")
    in_mains = False
    for unit in rest:
        if extras.sift(unit) is None:
            continue
        label = _LABEL_RE.match(unit)
        dimension = _dimension(unit)
        if dimension is not None:
            blocks.start(dimension, "mains")
            in_mains = True
        elif label and (in_mains or _dimension(label["label"]) is None):
            key = _label_key(label["label"])
            role = "mains" if key in _MAINS_DIMENSIONS else _heading_role(key)
            in_mains = in_mains or role == "mains"
            blocks.start(key, role)
            blocks.add(extras.sift(label["rest"]) or "")
        elif _is_note_heading(unit):
            key = _key(unit)
            if key == _FOR_MAINS:
                # Text directly under "For Mains" is guidance without a dimension: never points.
                blocks.start(_FOR_MAINS, "meta")
                in_mains = True
                continue
            if key in _NOTE_HEADINGS:
                in_mains = False
            # Unknown sub-headings inside For Mains are guidance too, so they stay "meta".
            role = "meta" if in_mains else _heading_role(key)
            blocks.start(_block_name(unit), role)
        else:
            blocks.add(unit)
    tags.extend(t for t in extras.tags if t not in tags)
    return Document(
        name=name,
        shape="study_note",
        title=title,
        date=date,
        source=extras.source(source),
        tags=tuple(tags),
        blocks=blocks.result(),
    )


def _is_known_note_heading(unit: str) -> bool:
    key = _key(unit)
    return key in _NOTE_HEADINGS or key == _FOR_MAINS or _dimension(unit) is not None


def _is_note_heading(unit: str) -> bool:
    return _is_known_note_heading(unit) or _is_heading(unit)


# --------------------------------------------------------------------------------------------
# Shape: wire
# --------------------------------------------------------------------------------------------

# Optional machine prefix some aggregators add: "date 2025-01-24 (MENAFN- KNN India)".
_WIRE_PREFIX = (
    r"(?:(?i:date)\s*:?\s*(?P<iso>\d{4}-\d{2}-\d{2})\s*)?(?:\((?P<outlet>[^()]{2,60})\)\s*)?"
)
_PLACE_WORD = r"[\w.'’\-]+"
_DATELINE_RE = re.compile(
    _WIRE_PREFIX
    + rf"""(?:
        (?P<place>[A-Z]{_PLACE_WORD}(?:\s+{_PLACE_WORD}){{0,3}}?)\s*,\s*
        (?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?
        (?:\s*,?\s*(?P<year>\d{{4}}))?
        \s*(?:\((?P<agency>[^()]{{2,40}})\))?
        \s*(?P<sep>[:\-–—]+)?
    )?\s*""",
    re.VERBOSE,
)
# Reuters style without a date: "NEW DELHI (Reuters) -". The dash is required, otherwise any
# opening acronym with its expansion ("GST (Goods and Services Tax) was ...") would match.
_CAPS_DATELINE_RE = re.compile(
    _WIRE_PREFIX + r"(?P<place>[A-Z][A-Z.'’\-]+(?:\s+[A-Z.'’\-]+){0,3})\s*"
    r"\((?P<agency>[^()]{2,40})\)\s*(?P<sep>[:\-–—]+)\s*"
)


@dataclass(frozen=True)
class _Dateline:
    index: int  # unit holding the dateline
    end: int  # where the story text starts in that unit
    date: str | None
    source: str | None
    place: str | None


def _match_dateline(unit: str) -> re.Match[str] | None:
    for pattern in (_DATELINE_RE, _CAPS_DATELINE_RE):
        match = pattern.match(unit)
        if match is None or match.end() >= len(unit):
            continue
        groups = match.groupdict()
        # A bare "Paris, May 5" could open any sentence; a wire line also names its agency,
        # punctuates the dateline, or carries the aggregator's "date" prefix.
        if groups["iso"] or (groups["place"] and (groups["agency"] or groups["sep"])):
            return match
    return None


def _dateline_at(units: Sequence[str]) -> _Dateline | None:
    # The dateline opens the story; a headline line may precede it.
    candidates = [0] if len(units) < 2 or not _is_heading(units[0]) else [0, 1]
    for index in candidates:
        if index >= len(units):
            break
        match = _match_dateline(units[index])
        if match is not None:
            return _Dateline(
                index=index,
                end=match.end(),
                date=_wire_date(match),
                source=_wire_source(match["outlet"], match["agency"]),
                place=match["place"],
            )
    return None


def _wire_date(match: re.Match[str]) -> str | None:
    if match["iso"]:
        return _iso(match["iso"][:4], int(match["iso"][5:7]), match["iso"][8:])
    groups = match.groupdict()
    if groups.get("year") and groups.get("month"):
        return _iso(match["year"], _month_number(match["month"]), match["day"])
    return None


def _wire_source(outlet: str | None, agency: str | None) -> str | None:
    agency = agency.strip() if agency else None
    if not outlet:
        return agency
    # "MENAFN- KNN India": an aggregator re-publishing the originating outlet.
    pieces = re.split(r"\s*[-–—:]\s+", outlet.strip(), maxsplit=1)
    source = f"{pieces[1]} ({pieces[0]})" if len(pieces) == 2 and all(pieces) else outlet.strip()
    if agency and agency.lower() not in source.lower():
        source = f"{agency}; {source}"
    return source


def _parse_wire(units: list[str], name: str) -> Document:
    dateline = _dateline_at(units)
    assert dateline is not None  # parse_seed only routes here after detecting one
    extras = _Extras()
    story = units[dateline.index][dateline.end :].strip()
    paragraphs = [story, *units[dateline.index + 1 :]] if story else units[dateline.index + 1 :]
    kept = [p for p in (extras.sift(p) for p in _drop_sign_offs(paragraphs)) if p]
    headline = units[0] if dateline.index == 1 else ""
    title = headline or (_title_from(kept[0]) if kept else "")
    blocks = _Blocks()
    for paragraph in kept:
        blocks.add(paragraph)
    return Document(
        name=name,
        shape="wire",
        title=title,
        date=dateline.date,
        source=extras.source(dateline.source),
        tags=tuple(extras.tags),
        blocks=blocks.result(),
    )


# --------------------------------------------------------------------------------------------
# Shapes: article and plain
# --------------------------------------------------------------------------------------------

_PROSE_MIN_WORDS = 8


def _is_title_like(unit: str) -> bool:
    return (
        not _ends_sentence(unit.rstrip("?!"), extra=":;,")
        and not unit[0].islower()
        and len(unit.split()) <= _HEADING_MAX_WORDS + 5
    )


def _is_prose(unit: str) -> bool:
    return _ends_sentence(unit) and len(unit.split()) >= _PROSE_MIN_WORDS


def _looks_like_article(units: Sequence[str]) -> bool:
    units, _ = _take_date_lines(list(units))
    return (
        len(units) >= 3
        and _is_title_like(units[0])
        and sum(_is_prose(unit) for unit in units[1:]) >= 2
    )


def _parse_article(units: list[str], name: str) -> Document:
    units, date = _take_date_lines(units)
    extras = _Extras()
    title = units[0].rstrip(" .")
    blocks = _Blocks()
    for unit in _drop_sign_offs(units[1:]):
        # Sifted first: a "Source: PIB" credit is as short and unpunctuated as a sub-heading.
        if extras.sift(unit) is None:
            continue
        if _is_heading(unit):
            blocks.start(_block_name(unit), "content")
        else:
            blocks.add(unit)
    return Document(
        name=name,
        shape="article",
        title=title,
        date=date,
        source=extras.source(),
        tags=tuple(extras.tags),
        blocks=blocks.result(),
    )


def _parse_plain(units: list[str], name: str) -> Document:
    units, date = _take_date_lines(units)
    extras = _Extras()
    paragraphs = [p for p in (extras.sift(u) for u in units) if p]
    title = ""
    first = paragraphs[0] if paragraphs else ""
    if (
        len(paragraphs) > 1
        and len(first.split()) <= _HEADING_MAX_WORDS
        and not _ends_sentence(first)
    ):
        title = paragraphs.pop(0).rstrip(" .:")
    elif paragraphs:
        # The opening line is prose (or the only line): it names the text and stays content.
        title = _title_from(paragraphs[0])
    blocks = _Blocks()
    for paragraph in paragraphs:
        blocks.add(paragraph)
    return Document(
        name=name,
        shape="plain",
        title=title,
        date=date,
        source=extras.source(),
        tags=tuple(extras.tags),
        blocks=blocks.result(),
    )


# --------------------------------------------------------------------------------------------
# Shape: wordpress
# --------------------------------------------------------------------------------------------


def _wordpress_post(text: str) -> dict[str, Any] | None:
    stripped = text.strip().lstrip("\ufeff")
    if not stripped.startswith("{"):
        return None
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    content = data.get("content")
    if isinstance(content, dict) and isinstance(content.get("rendered"), str):
        return data
    return None


def _rendered(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


@dataclass
class _HtmlUnit:
    kind: str  # heading | para | item
    text: str
    parent: int | None = None  # for items: index of the enclosing list item's unit


_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LIST_TAGS = frozenset({"ul", "ol"})
# fmt: off
_BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "blockquote", "pre", "figure", "figcaption", "table",
    "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "dl", "dt",
    "dd", "header", "footer", "aside", "main", "nav", "details", "summary", "address",
))
# fmt: on
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "button"})
# Where an inline tag boundary hides the space ("<b>Note:</b>See"), these endings need one.
_NEEDS_SPACE_AFTER = ":;,"


class _HtmlUnits(HTMLParser):
    """Flattens post HTML into headings, paragraphs and list items (with their parents)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[_HtmlUnit] = []
        self._buffer: list[str] = []
        self._in_heading = False
        self._items: list[int | None] = []  # open <li>s: index of each one's unit, once known
        self._skip = 0
        self._boundary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "br":
            self._buffer.append(" ")
        elif tag in _HEADING_TAGS:
            self._flush()
            self._in_heading = True
        elif tag == "li":
            self._flush()
            self._items.append(None)
        elif tag in _LIST_TAGS or tag in _BLOCK_TAGS:
            self._flush()
        else:
            self._boundary = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._buffer.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _HEADING_TAGS:
            self._flush()
            self._in_heading = False
        elif tag == "li":
            self._flush()
            if self._items:
                self._items.pop()
        elif tag in _LIST_TAGS or tag in _BLOCK_TAGS:
            self._flush()
        else:
            self._boundary = True

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._boundary and self._buffer and data[:1].isalnum():
            tail = "".join(self._buffer).rstrip(" ")[-1:]
            if tail and tail in _NEEDS_SPACE_AFTER and not self._buffer[-1].endswith(" "):
                self._buffer.append(" ")
        self._buffer.append(data)
        self._boundary = False

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = _collapse("".join(self._buffer))
        self._buffer.clear()
        self._boundary = False
        if not text:
            return
        if self._in_heading:
            self.units.append(_HtmlUnit("heading", text))
        elif self._items:
            own = self._items[-1]
            if own is not None:
                # Text after a nested list still belongs to the same item.
                self.units[own].text = f"{self.units[own].text} {text}"
                return
            parent = self._items[-2] if len(self._items) > 1 else None
            self.units.append(_HtmlUnit("item", text, parent))
            self._items[-1] = len(self.units) - 1
        else:
            self.units.append(_HtmlUnit("para", text))


def _html_units(html: str) -> list[_HtmlUnit]:
    parser = _HtmlUnits()
    parser.feed(html)
    parser.close()
    return parser.units


_FRAGMENT_MAX_WORDS = 10


def _is_fragment(text: str) -> bool:
    return not _ends_sentence(text) and len(text.split()) <= _FRAGMENT_MAX_WORDS


def _attach_fragments(units: list[_HtmlUnit]) -> list[_HtmlUnit]:
    """Fold short child list items ("Talent to Technology") into their parent item.

    A fragment alone is no claim; "Focus areas include: A; B; C." is one.
    """
    fragments: dict[int, list[str]] = {}
    kept: list[_HtmlUnit] = []
    for unit in units:
        if unit.kind == "item" and unit.parent is not None and _is_fragment(unit.text):
            fragments.setdefault(unit.parent, []).append(unit.text.rstrip(" ;,"))
        else:
            kept.append(unit)
    for parent, parts in fragments.items():
        owner = units[parent]
        joined = "; ".join(parts) + "."
        glue = " " if _ends_sentence(owner.text, extra=":") else ": "
        owner.text = f"{owner.text.rstrip()}{glue}{joined}"
    return kept


def _parse_wordpress(post: dict[str, Any], name: str) -> Document:
    title = " ".join(u.text for u in _html_units(_rendered(post.get("title"))))
    date_value = post.get("date")
    date_match = _DATE_RE.match(date_value) if isinstance(date_value, str) else None
    date = _date_of(date_match) if date_match else None
    extras = _Extras()
    blocks = _Blocks()
    # The excerpt repeats the opening of the content, so only content.rendered is read.
    for unit in _attach_fragments(_html_units(_rendered(post.get("content")))):
        if unit.kind == "heading":
            if _block_name(unit.text) == _block_name(title):
                continue
            # Navigation headings ("Related Posts") introduce links, not content.
            blocks.start(_block_name(unit.text), "content", skip=_is_boilerplate(unit.text))
        else:
            blocks.add(extras.sift(unit.text) or "")
    built = blocks.result()
    if not title and built:
        title = _title_from(built[0].paragraphs[0])
    return Document(
        name=name,
        shape="wordpress",
        title=title,
        date=date,
        source=extras.source(),
        tags=tuple(extras.tags),
        blocks=built,
    )
