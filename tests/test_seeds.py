"""Tests for :func:`evaluator.seeds.parse_seed` on the real seeds and on synthetic ones."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from evaluator.errors import SeedError
from evaluator.seeds import ROLES, Block, Document, parse_seed

SEEDS = Path(__file__).parent.parent / "seeds"
STUDY_NOTE = "000_3513a6eea90948db"
ARTICLE = "001_c726f5c1157b4779"
WORDPRESS = "002_1fe82f9e424bc7e2"
WIRE = "003_61900abf1463161f"
ARTICLE_SHORT = "004_eccb8dcb18c6c970"
ALL_SEEDS = (STUDY_NOTE, ARTICLE, WORDPRESS, WIRE, ARTICLE_SHORT)


@cache
def seed(stem: str) -> Document:
    return parse_seed((SEEDS / f"{stem}.txt").read_text(encoding="utf-8"), name=stem)


def block(doc: Document, name: str) -> Block:
    matches = [b for b in doc.blocks if b.name == name]
    assert len(matches) == 1, f"{name!r} in {[b.name for b in doc.blocks]}"
    return matches[0]


def paragraphs(doc: Document) -> list[str]:
    return [p for b in doc.blocks for p in b.paragraphs]


def everything(doc: Document) -> str:
    return "\n".join([doc.title, *(b.name for b in doc.blocks), *paragraphs(doc)])


# --------------------------------------------------------------------------------------------
# Real seeds: shape, title, date, source, tags
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "shape", "title", "date"),
    [
        (
            STUDY_NOTE,
            "study_note",
            "India and South Korea sign MoU on MSME cooperation",
            "2026-04-21",
        ),
        (
            ARTICLE,
            "article",
            "India–South Korea Deepen Strategic Partnership Through Trade, Technology & Defence "
            "Cooperation",
            None,
        ),
        (WORDPRESS, "wordpress", "India-South Korea Special Strategic Partnership", "2026-04-21"),
        (
            WIRE,
            "wire",
            "In a significant step toward bolstering India's small and medium enterprise (SME)",
            "2025-01-24",
        ),
        (
            ARTICLE_SHORT,
            "article",
            "India and South Korea Forge High-Tech Industrial Collaboration",
            None,
        ),
    ],
)
def test_real_seed_shape_title_date(stem: str, shape: str, title: str, date: str | None) -> None:
    doc = seed(stem)
    assert (doc.name, doc.shape, doc.title, doc.date) == (stem, shape, title, date)


@pytest.mark.parametrize(
    ("stem", "source", "tags"),
    [
        (
            STUDY_NOTE,
            "Ministry of Micro, Small & Medium Enterprises · PRID 2254252 · PIB",
            ("International Relations", "MAINS", "GS2.18", "GS3.8"),
        ),
        (ARTICLE, None, ()),
        (WORDPRESS, "IE", ("GS2", "International Relations")),
        (WIRE, "KNN India (MENAFN)", ()),
        (ARTICLE_SHORT, None, ()),
    ],
)
def test_real_seed_source_and_tags(stem: str, source: str | None, tags: tuple[str, ...]) -> None:
    doc = seed(stem)
    assert (doc.source, doc.tags) == (source, tags)


@pytest.mark.parametrize("stem", ALL_SEEDS)
def test_real_seed_paragraphs_are_clean(stem: str) -> None:
    doc = seed(stem)
    assert doc.blocks
    for b in doc.blocks:
        assert b.role in ROLES
        assert b.name == b.name.lower().strip()
        assert b.paragraphs
        for p in b.paragraphs:
            assert p and p == p.strip()
            assert "  " not in p and "\n" not in p
            assert not re.search(r"[\u200b\u200c\u200d\u2060\ufeff]", p)
    assert not re.search(r"</?[a-zA-Z][^>]*>", everything(doc)), "HTML tag left"
    assert not re.search(r"&(?:amp|nbsp|#\d+|quot|lt|gt);", everything(doc)), "entity left"


@pytest.mark.parametrize("stem", ALL_SEEDS)
def test_parse_is_deterministic(stem: str) -> None:
    text = (SEEDS / f"{stem}.txt").read_text(encoding="utf-8")
    assert parse_seed(text, name=stem) == parse_seed(text, name=stem)


def test_shape_ignores_file_name() -> None:
    text = (SEEDS / f"{WIRE}.txt").read_text(encoding="utf-8")
    assert parse_seed(text, name="000_study_note.json").shape == "wire"


# --------------------------------------------------------------------------------------------
# Study note
# --------------------------------------------------------------------------------------------


def test_study_note_block_names_and_roles() -> None:
    assert [(b.name, b.role) for b in seed(STUDY_NOTE).blocks] == [
        ("summary line", "summary"),
        ("background & context", "content"),
        ("for prelims", "summary"),
        ("what it is not", "misconception"),
        ("for upsc", "summary"),
        ("why it matters", "content"),
        ("exemplification", "mains"),
        ("position", "mains"),
        ("substantiation", "mains"),
        ("way-forward", "mains"),
        ("deploys into", "meta"),
    ]


@pytest.mark.parametrize(
    ("name", "role", "count", "starts"),
    [
        ("summary line", "summary", 1, "A structured framework linking the two countries'"),
        ("background & context", "content", 5, "The signing sits inside a relationship"),
        ("for prelims", "summary", 1, 'A "full set" worth carrying for objective questions'),
        ("what it is not", "misconception", 1, "This MoU is not a free-trade agreement"),
        ("for upsc", "summary", 1, 'India–Korea ties are a "Special Strategic Partnership"'),
        ("why it matters", "content", 2, "The MoU addresses a specific gap"),
        ("exemplification", "mains", 1, "A concrete, datable example of how India"),
        ("position", "mains", 1, "Signals the government's stance that MSME"),
        ("substantiation", "mains", 1, "Useful data-point that bilateral economic engagement"),
        ("way-forward", "mains", 1, "Illustrates a replicable template — pairing Indian MSMEs"),
        ("deploys into", "meta", 1, "India–Korea bilateral and India–East Asia economic"),
    ],
)
def test_study_note_block_content(name: str, role: str, count: int, starts: str) -> None:
    b = block(seed(STUDY_NOTE), name)
    assert b.role == role
    assert len(b.paragraphs) == count
    assert b.paragraphs[0].startswith(starts)


def test_study_note_labels_are_stripped_from_their_paragraphs() -> None:
    doc = seed(STUDY_NOTE)
    for p in paragraphs(doc):
        assert not p.startswith(("What it is NOT:", "For UPSC:", "Deploys into:"))
    # The "For UPSC" recap must not leak into the misconception block (they share a line group).
    assert all("For UPSC" not in p for p in block(doc, "what it is not").paragraphs)


def test_study_note_empty_heading_and_source_line_are_not_content() -> None:
    doc = seed(STUDY_NOTE)
    names = [b.name for b in doc.blocks]
    assert "what happened" not in names
    assert "for mains" not in names
    texts = paragraphs(doc)
    assert not any("PRID" in p or "↗" in p for p in texts)
    assert not any(p.startswith("India and South Korea sign MoU") for p in texts)
    assert "↗" not in (doc.source or "")


SYNTHETIC_NOTE = """\
⚖️ Polity & GovernancePRELIMS · GS2.4
Supreme Court strikes down electoral bond scheme
A five-judge bench held the anonymous-donation scheme unconstitutional.

What happened

Key facts
The bench ruled unanimously on 15 February 2024 that donor anonymity violated Article 19(1)(a).

Prelims pointers
The scheme was notified in 2018 under the Finance Act, 2017.
What it isn't: The verdict is not a ban on corporate donations to parties.
For UPSC: Electoral bonds were bearer instruments sold only by the SBI.

For Mains
Position
Supports the voter's right to know who funds parties.
Way forward
Debate a national electoral fund with full disclosure.
Deploys into: GS2 electoral reforms; transparency in governance.
Supreme Court of India · 15 February 2024 · Judgment link ↗
"""


def test_synthetic_study_note_generalises() -> None:
    doc = parse_seed(SYNTHETIC_NOTE, name="note")
    assert doc.shape == "study_note"
    assert doc.title == "Supreme Court strikes down electoral bond scheme"
    assert doc.tags == ("Polity & Governance", "PRELIMS", "GS2.4")
    assert doc.date == "2024-02-15"
    assert doc.source == "Supreme Court of India · Judgment"
    assert [(b.name, b.role) for b in doc.blocks] == [
        ("summary line", "summary"),
        ("key facts", "content"),
        ("prelims pointers", "summary"),
        ("what it is not", "misconception"),
        ("for upsc", "summary"),
        ("position", "mains"),
        ("way-forward", "mains"),
        ("deploys into", "meta"),
    ]
    assert block(doc, "way-forward").paragraphs == (
        "Debate a national electoral fund with full disclosure.",
    )
    assert block(doc, "what it is not").paragraphs == (
        "The verdict is not a ban on corporate donations to parties.",
    )


@pytest.mark.parametrize(
    "heading",
    ["Way-forward", "Way forward", "Way Forward", "way–forward", "WAY FORWARD", "Way ahead"],
)
def test_mains_way_forward_heading_is_normalised(heading: str) -> None:
    text = f"Topic\n\nWhy it matters\nIt matters a lot.\n\nFor Mains\n{heading}\nDo more of it.\n"
    doc = parse_seed(text, name="n")
    assert doc.shape == "study_note"
    assert block(doc, "way-forward") == Block("way-forward", "mains", ("Do more of it.",))


def test_inline_mains_labels_and_text_directly_under_for_mains() -> None:
    text = (
        "Topic title\n\nBackground\nSome background fact.\n\nFor Mains\n"
        "Use this in GS3 answers.\nSubstantiation: Cite the 2024 data.\n"
    )
    doc = parse_seed(text, name="n")
    assert block(doc, "for mains") == Block("for mains", "meta", ("Use this in GS3 answers.",))
    assert block(doc, "substantiation") == Block(
        "substantiation", "mains", ("Cite the 2024 data.",)
    )


def test_unknown_heading_inside_for_mains_is_meta_until_a_known_heading() -> None:
    text = (
        "Topic\n\nFor Mains\nEnrichment\nQuote the Economic Survey.\n\n"
        "Why it matters\nJobs depend on it.\n"
    )
    doc = parse_seed(text, name="n")
    assert [(b.name, b.role) for b in doc.blocks] == [
        ("enrichment", "meta"),
        ("why it matters", "content"),
    ]


def test_study_note_without_tag_line_keeps_first_line_as_title() -> None:
    text = "₹2 lakh crore MSME credit push\nBackground\nBanks lend more.\nFor UPSC: Remember it.\n"
    doc = parse_seed(text, name="n")
    assert (doc.shape, doc.title, doc.tags) == ("study_note", "₹2 lakh crore MSME credit push", ())
    assert [(b.name, b.role) for b in doc.blocks] == [
        ("background", "content"),
        ("for upsc", "summary"),
    ]


def test_study_note_with_only_headings_does_not_crash() -> None:
    doc = parse_seed("Title\nWhat happened\nFor Mains\n", name="n")
    assert doc.shape == "study_note"
    assert doc.title == "Title"
    assert doc.blocks == ()


# --------------------------------------------------------------------------------------------
# WordPress
# --------------------------------------------------------------------------------------------


def test_wordpress_block_names() -> None:
    assert [(b.name, b.role) for b in seed(WORDPRESS).blocks] == [
        ("context", "content"),
        ("key outcomes of the bilateral meeting", "content"),
        ("strategic and geopolitical dimensions", "content"),
        ("maritime and industrial cooperation", "content"),
        ("cultural and people-to-people ties", "content"),
        ("conclusion", "content"),
    ]


def test_wordpress_fragments_are_attached_to_their_parent_item() -> None:
    outcomes = block(seed(WORDPRESS), "key outcomes of the bilateral meeting").paragraphs
    assert outcomes[0] == (
        "Strategic Vision: Adoption of a Joint Strategic Vision for deepening the Special "
        "Strategic Partnership. Focus areas include: Chips to Ships (semiconductors to "
        "shipbuilding); Talent to Technology; Environment to Energy."
    )
    assert not any(p in {"Talent to Technology", "Environment to Energy"} for p in outcomes)


def test_wordpress_full_sentence_children_stay_separate_in_same_block() -> None:
    outcomes = block(seed(WORDPRESS), "key outcomes of the bilateral meeting").paragraphs
    assert outcomes[-1] == (
        "New institutional mechanisms include India-Korea Financial Forum, Industrial "
        "Cooperation Committee, and Economic Security Dialogue."
    )
    assert (
        "Economic Relations and CEPA: CEPA was signed in 2010, which boosted bilateral "
        "trade." in outcomes
    )
    assert len(outcomes) == 8


def test_wordpress_excerpt_is_ignored() -> None:
    text = everything(seed(WORDPRESS))
    assert text.count("Talent to Technology") == 1
    assert text.count("Recently, India and South Korea have taken a significant step") == 1
    assert "Read More" not in text


@pytest.mark.parametrize("dropped", ["Note:", "Source: IE", "https://", "nextias", "Syllabus"])
def test_wordpress_trailers_are_dropped(dropped: str) -> None:
    assert dropped not in everything(seed(WORDPRESS))


@pytest.mark.parametrize(
    "expected",
    [
        "It indicates a trade imbalance in Korea’s favour.",
        "India–South Korea relations are entering a new phase of strategic depth",
        "Trade growth from $14.2 billion (2010) to $26.89 billion (2024–25) (about 90% increase).",
        "Imports from South Korea is about $21 billion; and exports to South Korea",
    ],
)
def test_wordpress_entities_decoded_and_inline_spacing_kept(expected: str) -> None:
    assert any(expected in p for p in paragraphs(seed(WORDPRESS)))


def test_wordpress_conclusion_is_content() -> None:
    conclusion = block(seed(WORDPRESS), "conclusion")
    assert conclusion.role == "content"
    assert len(conclusion.paragraphs) == 2


SYNTHETIC_POST = {
    "id": 7,
    "date": "2025-02-07T10:15:00",
    "title": {"rendered": "RBI &amp; the Repo Rate &#8211; February Review"},
    "excerpt": {"rendered": "<p>EXCERPT-ONLY sentence that must not appear.</p>"},
    "content": {
        "rendered": (
            "<p><strong>Syllabus:</strong> GS3/Indian Economy</p>\n"
            "<h3>Policy Decision</h3>\n"
            "<ul><li><b>Rate cut:</b>The MPC cut the repo rate by 25 bps.\n"
            "<ol><li>Growth support,</li><li><em>Inflation</em> within band</li></ol></li>"
            "<li>The stance stays &lsquo;neutral&rsquo;.<ul>"
            "<li>The next meeting is scheduled for April 2025.</li></ul></li></ul>\n"
            "<h2>Related Posts</h2><p><a href='/x'>Another story you may like</a></p>\n"
            "<h2>Conclusion</h2><p>Easing has begun.</p>"
            "<p>https://example.com/rbi</p><p>Source: The Hindu</p><p></p>"
        )
    },
}


def test_synthetic_wordpress_post_generalises() -> None:
    doc = parse_seed(json.dumps(SYNTHETIC_POST), name="post")
    assert doc.shape == "wordpress"
    assert doc.title == "RBI & the Repo Rate – February Review"
    assert (doc.date, doc.source, doc.tags) == (
        "2025-02-07",
        "The Hindu",
        ("GS3", "Indian Economy"),
    )
    assert doc.blocks == (
        Block(
            "policy decision",
            "content",
            (
                "Rate cut: The MPC cut the repo rate by 25 bps. Growth support; Inflation within "
                "band.",
                "The stance stays ‘neutral’.",
                "The next meeting is scheduled for April 2025.",
            ),
        ),
        Block("conclusion", "content", ("Easing has begun.",)),
    )
    assert "EXCERPT" not in everything(doc)


def test_json_without_rendered_content_is_not_wordpress() -> None:
    doc = parse_seed('{"title": "x", "body": "Some text."}', name="j")
    assert doc.shape == "plain"


# --------------------------------------------------------------------------------------------
# Wire
# --------------------------------------------------------------------------------------------


def test_wire_dateline_is_stripped_and_damage_kept() -> None:
    body = block(seed(WIRE), "body")
    assert body.role == "content"
    assert body.paragraphs[0].startswith("In a significant step toward bolstering India's")
    assert (
        "the of Micro, Small, and Medium Enterprises (MSME) has established" in (body.paragraphs[0])
    )
    assert len(body.paragraphs) == 10
    text = everything(seed(WIRE))
    for leftover in ("MENAFN", "(KNN)", "Jan 24", "date 2025", "KNN Bureau"):
        assert leftover not in text
    assert body.paragraphs[-1].startswith("This move underscores the government's commitment")


@pytest.mark.parametrize(
    ("text", "title", "date", "source", "first"),
    [
        (
            "MUMBAI, Mar 3 (PTI) The Reserve Bank on Monday kept the repo rate unchanged at "
            "6.5 per cent. Governor Das said inflation was easing.\n\nAnalysts expected it.\n\n"
            "(PTI)",
            "The Reserve Bank on Monday kept the repo rate unchanged at 6.5",
            None,
            "PTI",
            "The Reserve Bank on Monday kept the repo rate unchanged at 6.5 per cent. Governor "
            "Das said inflation was easing.",
        ),
        (
            "NEW DELHI, Jan 24 (Reuters) - India's trade deficit widened in December.\n"
            "Gold imports rose sharply.\n(Reporting by A. Writer; Editing by B. Editor)",
            "India's trade deficit widened in December",
            None,
            "Reuters",
            "India's trade deficit widened in December.",
        ),
        (
            "Kolkata, September 5th, 2024 (IANS): The state launched a scheme for fishers.\n"
            "It covers two lakh families.\n— IANS",
            "The state launched a scheme for fishers",
            "2024-09-05",
            "IANS",
            "The state launched a scheme for fishers.",
        ),
        (
            "date 2024-11-02 (MENAFN- Daily Tribune) Manama, Nov 2 (BNA) Bahrain signed a pact.\n"
            "(BNA Desk)",
            "Bahrain signed a pact",
            "2024-11-02",
            "BNA; Daily Tribune (MENAFN)",
            "Bahrain signed a pact.",
        ),
        (
            "(IANS) Bengaluru, Oct 9, 2023: Karnataka cleared three semiconductor units.",
            "Karnataka cleared three semiconductor units",
            "2023-10-09",
            "IANS",
            "Karnataka cleared three semiconductor units.",
        ),
        (
            "NEW DELHI (Reuters) - Exports rose 4% in March.\nImports fell.",
            "Exports rose 4% in March",
            None,
            "Reuters",
            "Exports rose 4% in March.",
        ),
    ],
)
def test_synthetic_wire_datelines(
    text: str, title: str, date: str | None, source: str, first: str
) -> None:
    doc = parse_seed(text, name="wire")
    assert doc.shape == "wire"
    assert (doc.title, doc.date, doc.source) == (title, date, source)
    assert [b.name for b in doc.blocks] == ["body"]
    assert doc.blocks[0].paragraphs[0] == first
    assert not any(p.startswith(("(", "—", "IANS")) for p in doc.blocks[0].paragraphs)


def test_wire_with_headline_before_dateline() -> None:
    doc = parse_seed("Forum set up for MSMEs\nPUNE, Feb 2 (PTI) The forum met today.", name="w")
    assert (doc.shape, doc.title) == ("wire", "Forum set up for MSMEs")
    assert doc.blocks[0].paragraphs == ("The forum met today.",)


@pytest.mark.parametrize(
    "text",
    [
        "Paris, May 5 was sunny. Everyone went out.",
        "GST (Goods and Services Tax) was introduced in 2017. It replaced many taxes.",
        "Delhi, Jan 24 is the date of the meeting, officials said.",
    ],
)
def test_sentences_that_resemble_a_dateline_are_not_wire(text: str) -> None:
    doc = parse_seed(text, name="p")
    assert doc.shape == "plain"
    assert paragraphs(doc) == [text]


# --------------------------------------------------------------------------------------------
# Article
# --------------------------------------------------------------------------------------------


def test_article_subheadings_become_blocks() -> None:
    doc = seed(ARTICLE)
    assert [(b.name, len(b.paragraphs)) for b in doc.blocks] == [
        ("body", 1),
        ("phdcci–busan chamber of commerce mou: strengthening industrial & trade cooperation", 3),
        ("growing high-tech ambitions between india and south korea", 2),
        ("india–south korea defence & maritime engagement: a new milestone", 2),
        ("technology partnerships as a driver of india’s future growth", 2),
        ("expanding trade & investment under the cepa framework", 2),
        ("why this matters in the current global context", 3),
    ]
    assert all(b.role == "content" for b in doc.blocks)
    assert block(doc, "body").paragraphs[0].startswith("India and the Republic of Korea")


def test_article_boilerplate_dropped() -> None:
    doc = seed(ARTICLE_SHORT)
    assert [b.name for b in doc.blocks] == ["body"]
    body = doc.blocks[0].paragraphs
    assert len(body) == 6
    assert "Reaction" not in everything(doc)
    assert body[-1].endswith("workforce development in key sectors.")
    assert "“industrial ambition”" in body[1]


SYNTHETIC_ARTICLE = """\
Cabinet Approves Green Hydrogen Corridor
Published on 12 March 2025
The Union Cabinet on Wednesday approved a green hydrogen corridor linking three ports.
Officials said the corridor would cut logistics costs and attract private investment.
Also read: Five things to know about hydrogen
Funding and Timeline
The project will be funded through a mix of budget support and green bonds.
Share this article
Follow us on Twitter
Like
Source: PIB
"""


def test_synthetic_article_generalises() -> None:
    doc = parse_seed(SYNTHETIC_ARTICLE, name="art")
    assert doc.shape == "article"
    assert (doc.title, doc.date, doc.source) == (
        "Cabinet Approves Green Hydrogen Corridor",
        "2025-03-12",
        "PIB",
    )
    assert doc.blocks == (
        Block(
            "body",
            "content",
            (
                "The Union Cabinet on Wednesday approved a green hydrogen corridor linking three "
                "ports.",
                "Officials said the corridor would cut logistics costs and attract private "
                "investment.",
            ),
        ),
        Block(
            "funding and timeline",
            "content",
            ("The project will be funded through a mix of budget support and green bonds.",),
        ),
    )


@pytest.mark.parametrize(
    "trailer",
    [
        "What's Your Reaction?",
        "What’s your reaction",
        "Share this",
        "Share on Facebook",
        "Also read: India signs deal with Japan",
        "Read more",
        "Read More:",
        "Like",
        "Follow us on Google News",
        "Related Articles",
        "Advertisement",
    ],
)
def test_boilerplate_lines_are_dropped(trailer: str) -> None:
    text = (
        "A Short Headline\nThe first paragraph states a fact about the economy today.\n"
        f"{trailer}\nThe second paragraph states another fact about the economy.\n"
    )
    doc = parse_seed(text, name="a")
    assert doc.shape == "article"
    assert doc.blocks == (
        Block(
            "body",
            "content",
            (
                "The first paragraph states a fact about the economy today.",
                "The second paragraph states another fact about the economy.",
            ),
        ),
    )


def test_sentence_mentioning_read_more_is_kept() -> None:
    text = "Headline\nRead more books, the minister told students at the fair.\nAnother one."
    assert "Read more books, the minister told students at the fair." in paragraphs(
        parse_seed(text, name="a")
    )


# --------------------------------------------------------------------------------------------
# Plain text, normalisation, errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        ("Monsoon update", "Monsoon update", ("Monsoon update",)),
        (
            "Rain lashed Kerala on Monday, and the IMD issued an orange alert for eight "
            "districts. Schools were shut.",
            "Rain lashed Kerala on Monday, and the IMD issued an orange alert",
            (
                "Rain lashed Kerala on Monday, and the IMD issued an orange alert for eight "
                "districts. Schools were shut.",
            ),
        ),
        (
            "It rained.\nThe city flooded.",
            "It rained",
            ("It rained.", "The city flooded."),
        ),
        (
            "Budget basics\n\nThe budget is a statement of receipts.",
            "Budget basics",
            ("The budget is a statement of receipts.",),
        ),
        (
            "  Wrapped text that was cut by an editor at a fixed width of\n"
            "forty columns continues here.  ",
            "Wrapped text that was cut by an editor at a fixed width",
            (
                "Wrapped text that was cut by an editor at a fixed width of forty columns "
                "continues here.",
            ),
        ),
    ],
)
def test_plain_text(text: str, title: str, body: tuple[str, ...]) -> None:
    doc = parse_seed(text, name="plain")
    assert doc.shape == "plain"
    assert doc.title == title
    assert doc.blocks == (Block("body", "content", body),)


def test_whitespace_and_zero_width_normalised_but_unicode_kept() -> None:
    text = "Title\u200b here\n\nIndia\u2013Korea\u00a0ties \u201cgrew\u201d\u2009fast.\ufeff\r\n"
    doc = parse_seed(text, name="u")
    assert doc.title == "Title here"
    assert paragraphs(doc) == ["India–Korea ties “grew” fast."]


@pytest.mark.parametrize("text", ["", "   \n\t  \n", "\u200b\ufeff\u00a0"])
def test_empty_seed_raises(text: str) -> None:
    with pytest.raises(SeedError, match=r"^seed 'bad' is empty$"):
        parse_seed(text, name="bad")


def test_seed_of_only_boilerplate_raises() -> None:
    with pytest.raises(SeedError, match="no title and no paragraph"):
        parse_seed("What's Your Reaction?\nLike\nShare this\n", name="bad")


def test_empty_wordpress_post_raises() -> None:
    post = {"title": {"rendered": ""}, "content": {"rendered": "<p> </p>"}}
    with pytest.raises(SeedError):
        parse_seed(json.dumps(post), name="bad")
