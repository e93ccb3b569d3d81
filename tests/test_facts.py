"""Facts: aliases learnt from the seeds, context kept with a fact, what never becomes a point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, rubric_of_seed

from evaluator import facts
from evaluator import text as tx
from evaluator.facts import DIMENSIONS, aliases, extract_facts, key
from evaluator.rubric import Rubric, point_id
from evaluator.seeds import Block, Document, parse_seed


def doc(*paragraphs: str, role: str = "content", extra: tuple[Block, ...] = ()) -> Document:
    return Document("synthetic.txt", "plain", "Synthetic",
                    blocks=(Block("body", role, tuple(paragraphs)), *extra))


# --------------------------------------------------------------------------- aliases


@pytest.mark.parametrize(
    ("sentence", "acronym", "long_form"),
    [
        ("The Comprehensive Economic Partnership Agreement (CEPA) entered into force.",
         "CEPA", "Comprehensive Economic Partnership Agreement"),
        ("Spending on Research and Development (R&D) rose sharply.",
         "R&D", "Research and Development"),
        ("The Micro, Small and Medium Enterprises (MSME) sector grew.",
         "MSME", "Micro, Small and Medium Enterprises"),
        ("The Khadi and Village Industries Commission (KVIC) runs it.",
         "KVIC", "Khadi and Village Industries Commission"),
        ("Members of the World Trade Organisation (WTO) met.",
         "WTO", "World Trade Organisation"),
        ("The National Small Industries Corporation (NSIC) lends.",
         "NSIC", "National Small Industries Corporation"),
    ],
)
def test_alias_learnt_from_long_name_and_acronym(sentence: str, acronym: str,
                                                 long_form: str) -> None:
    table = aliases([doc(sentence)])
    group = table[key(acronym)]
    assert acronym in group
    assert key(long_form) in {key(a) for a in group}
    # Both spellings look up the same group.
    assert table[key(long_form)] == group


@pytest.mark.parametrize(
    "sentence",
    [
        "A sentence about Something Unrelated (XYZ) here.",  # initials do not match
        "Rates rose (2010) sharply.",  # a year in brackets is no alias
        "It was signed (see below) later.",
    ],
)
def test_no_alias_without_matching_initials(sentence: str) -> None:
    assert aliases([doc(sentence)]) == {}


def test_ministry_forms_are_one_group_and_carry_the_acronym() -> None:
    table = aliases([doc("The Micro, Small and Medium Enterprises (MSME) sector grew.",
                         "The Ministry of MSME met the press.")])
    group = set(table[key("Ministry of MSME")])
    assert {"MSME Ministry", "Ministry of MSME"} <= group
    assert key("Ministry of Micro, Small and Medium Enterprises") in {key(a) for a in group}
    assert table[key("MSME Ministry")] == table[key("Ministry of MSME")]


def test_alias_defined_in_one_seed_is_used_in_another() -> None:
    a = Document("a.txt", "plain", "A", blocks=(Block("b", "content", (
        "The Comprehensive Economic Partnership Agreement (CEPA) was signed.",)),))
    b = Document("b.txt", "plain", "B", blocks=(Block("b", "content", (
        "Trade under the CEPA entered into force in 2010 for both partners.",)),))
    corpus = facts.corpus_of([a, b])
    (fact,) = [f for f in extract_facts(b, corpus=corpus) if "2010" in f.text]
    assert (fact.anchor, fact.value) == ("CEPA", ("2010",))
    assert corpus.aliases[key("CEPA")] == ("CEPA", "Comprehensive Economic Partnership Agreement")


# --------------------------------------------------------------------------- extraction


def test_fact_carries_its_anchor_value_label_and_dimension() -> None:
    (fact,) = extract_facts(doc(
        "The Comprehensive Economic Partnership Agreement (CEPA) entered into force in 2010."))
    assert (fact.kind, fact.anchor, fact.value, fact.value_kind) == (
        "fact", "CEPA", ("2010",), "year")
    assert fact.label == "CEPA — in force 2010"
    assert fact.dimension == "exemplification"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # One sentence, three facts: three points, each with its own anchor.
        ("The two countries elevated their ties to a \"Special Strategic Partnership\" in 2015, "
         "and the Comprehensive Economic Partnership Agreement (CEPA) entered into force in 2010.",
         {("Special Strategic Partnership", ("2015",)), ("CEPA", ("2010",))}),
        ("Imports from South Korea is about $21 billion; and exports to South Korea is about "
         "$5.8 billion.",
         {("Imports from South Korea", ("$21 billion",)),
          ("Exports to South Korea", ("$5.8 billion",))}),
        ("CEPA Upgradation: It aims to increase trade to $50 billion by 2030.",
         {("Trade target", ("$50 billion by 2030",))}),
        ("This MoU was signed by India's MSME Ministry and Korea's Ministry of SMEs and Startups.",
         {("MoU", ("Ministry of MSME",)), ("MoU", ("Ministry of SMEs and Startups",))}),
    ],
)
def test_one_fact_per_value(sentence: str, expected: set[tuple[str, tuple[str, ...]]]) -> None:
    corpus = facts.corpus_of([doc(
        sentence, "The Ministry of Micro, Small and Medium Enterprises (MSME) met.",
        "The Ministry of SMEs and Startups met the Memorandum of Understanding (MoU) team.")])
    found = {(f.anchor, f.value) for f in extract_facts(doc(sentence), corpus=corpus)
             if f.kind == "fact"}
    assert found == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # What the Act did, in a relative clause right after it: a claim of its own.
        ("The legal spine of the sector is the Micro, Small and Medium Enterprises Development "
         "(MSMED) Act, 2006, which first gave the three-tier classification statutory form.",
         ["MSMED Act first gave the three-tier classification statutory form"]),
        # The clause follows a word that is not the fact's anchor: it is about something else.
        ("The Comprehensive Economic Partnership Agreement (CEPA) entered into force in 2010 "
         "for the goods of small firms, which form the backbone of both economies.",
         []),
        # No fact in the sentence and no name before it: no anchor to say the claim of.
        ("Small firms, which form the backbone of the economy, lack a dedicated channel.", []),
        # A name (an acronym) says what the clause is about.
        ("The move shows the commitment to empowering MSMEs, which form the backbone of "
         "India's economy, with tools.", ["MSMEs form the backbone of India's economy"]),
    ],
)
def test_relative_clause_of_a_fact_is_its_claim(sentence: str, expected: list[str]) -> None:
    corpus = facts.corpus_of([doc(sentence)])
    names = facts._document_names(doc(sentence), corpus)
    found = facts._sentence_facts(sentence, "body", corpus, names, "", "")
    assert facts._relative_claims(sentence, found, corpus) == expected


@pytest.mark.parametrize(
    ("before", "part", "expected"),
    [
        # "; and <what>" shares the subject and verb of the part before it.
        ("South Korea joins International Solar Alliance (ISA)", "and Indo-Pacific Oceans "
         "Initiative", "South Korea joins Indo-Pacific Oceans Initiative"),
        ("Both countries emphasize reform of global institutions", "and cooperation on global "
         "crises", "Both countries emphasize cooperation on global crises"),
        # A part with a verb of its own is a clause of its own.
        ("The MoU helps small firms", "and the ministry will review it in 2027",
         "and the ministry will review it in 2027"),
        # Not an "and" part.
        ("The MoU helps small firms", "the ministry reviews it", "the ministry reviews it"),
        # A second infinitive shares what comes up to its "to".
        ("It aims to increase trade to $50 billion by 2030", "and improve market access",
         "It aims to improve market access"),
    ],
)
def test_elided_part_takes_the_verb_before_it(before: str, part: str, expected: str) -> None:
    assert facts._elided(before, part) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # What two sides each want: two claims, each with the words before them.
        ("Officials highlighted India's ambitions to become a global semiconductor hub and South "
         "Korea's goal to diversify its overseas production footprint.",
         ["Officials highlighted India's ambitions to become a global semiconductor hub",
          "Officials highlighted South Korea's goal to diversify its overseas production "
          "footprint"]),
        # One owner twice is one claim.
        ("The plan sets out India's ambitions to grow its chip output and India's plan to train "
         "engineers.",
         ["The plan sets out India's ambitions to grow its chip output and India's plan to train "
          "engineers"]),
    ],
)
def test_two_owners_make_two_claims(sentence: str, expected: list[str]) -> None:
    assert facts._claim_clauses(sentence) == expected


@pytest.mark.parametrize(
    ("clause", "label"),
    [
        # An "and" inside one phrase does not end the label's idea.
        ("The Forum will exchange insights on bilateral and multilateral economic and technical "
         "cooperation", "The Forum will exchange insights on bilateral and multilateral economic "
         "and technical cooperation"),
        # An "and" that starts a second predicate or complement does.
        ("Korea's ecosystem is known for deep supplier integration with large manufacturers and "
         "for technology upgradation programmes",
         "Korea's ecosystem is known for deep supplier integration with large manufacturers"),
        ("A structured channel gives Indian MSMEs a route to absorb that experience and business "
         "matchmaking can plug Indian small firms into supply chains",
         "A structured channel gives Indian MSMEs a route to absorb that experience"),
        # "In a step toward X, <claim>": the opener is not the claim, whatever X holds.
        ("In a significant step toward bolstering India's small and medium enterprise (SME) "
         "sector, the Ministry of MSME has established a cooperation forum",
         "The Ministry of MSME has established a cooperation forum"),
    ],
)
def test_claim_label_keeps_a_phrase_whole(clause: str, label: str) -> None:
    assert facts._claim_label(clause) == label


@pytest.mark.parametrize(
    ("clause", "label"),
    [
        # Who reports a claim is not the claim; a named speaker's word is its position.
        ("Officials highlighted India's ambitions to become a global semiconductor hub",
         "India's ambitions to become a global semiconductor hub"),
        ("Recent policy commentaries and expert analyses underline that India's competitiveness "
         "will depend on technology partnerships",
         "India's competitiveness will depend on technology partnerships"),
        ("India said it would join the alliance next year",
         "India said it would join the alliance next year"),
        ("Critics argue that the MoU carries no funds and changes little",
         "Critics argue that the MoU carries no funds and changes little"),
    ],
)
def test_a_reporting_frame_is_not_the_claim(clause: str, label: str) -> None:
    assert facts._claim_label(clause) == label


def test_what_an_event_aims_at_is_a_claim_and_its_timing_none() -> None:
    sentence = ("The announcement followed a series of bilateral meetings between government "
                "leaders and business groups, aiming to create cross-border manufacturing "
                "partnerships and research hubs in both nations.")
    claims = [f for f in extract_facts(doc(sentence)) if f.kind == "claim"]
    assert [c.label for c in claims] == [
        "The aim is to create cross-border manufacturing partnerships and research hubs in "
        "both nations"]


def test_a_three_letter_word_can_carry_a_claim() -> None:
    (claim,) = [f for f in extract_facts(doc(
        "Officials highlighted India's ambitions to become a global semiconductor hub for "
        "the region's electronics makers.")) if f.kind == "claim"]
    assert ("hub",) in claim.must
    assert not {"officials", "highlighted"} & {w for g in claim.must for w in g}


def test_relative_claim_is_a_point_of_the_rubric() -> None:
    sentence = ("The legal spine of the sector is the Micro, Small and Medium Enterprises "
                "Development (MSMED) Act, 2006, which first gave the three-tier classification "
                "statutory form.")
    labels = [f.label for f in extract_facts(doc(sentence)) if f.kind == "claim"]
    assert "MSMED Act first gave the three-tier classification statutory form" in labels


def test_relative_clause_is_left_out_of_the_sentence_claim() -> None:
    sentence = ("This move underscores the government's commitment to empowering MSMEs, which "
                "form the backbone of India's economy, with the tools and support needed to "
                "thrive in an interconnected world.")
    claims = [f for f in extract_facts(doc(sentence)) if f.kind == "claim"]
    own = [c for c in claims if "backbone" not in c.label]
    assert any(c.label.startswith("MSMEs form the backbone") for c in claims)
    assert own and all("backbone" not in c.text and "backbone" not in str(c.must) for c in own)


def test_a_glossed_name_is_a_fact_and_no_claim_is_one_word() -> None:
    sentence = ("Focus areas include: Chips to Ships (semiconductors to shipbuilding). "
                "Cooperation in Small and Medium Enterprises (SMEs); Sports and Culture.")
    # "cooperation" in every seed is a common word, never a claim word: "SMEs" alone is left.
    corpus = facts.corpus_of([doc(sentence), doc("Cooperation grows."), doc("More cooperation.")])
    found = extract_facts(doc(sentence), corpus=corpus)
    assert "Chips to Ships: semiconductors to shipbuilding" in {f.label for f in found}
    assert all(len(f.must) >= 2 for f in found if f.kind == "claim")


def test_signatories_keep_their_side() -> None:
    corpus = facts.corpus_of([doc("The Ministry of SMEs and Startups met.")])
    found = extract_facts(doc("This MoU was signed by India's MSME Ministry and Korea's Ministry "
                              "of SMEs and Startups."), corpus=corpus)
    labels = {f.label for f in found if f.value_kind == "actor"}
    assert "Korean signatory: Ministry of SMEs and Startups" in labels


@pytest.mark.parametrize(
    "sentence",
    [
        "It also helps to place this instrument inside the family of tools India uses.",
        "Lighter still are joint statements, letters of intent and working-group arrangements.",
        "Reading the news correctly means placing it on this ladder of instruments.",
        # Framing: where the news sits, not what it says.
        "The signing sits inside a relationship the two countries have upgraded steadily.",
        "Against this backdrop, the two ministries agreed to exchange experts every year.",
    ],
)
def test_commentary_is_no_point(sentence: str) -> None:
    assert extract_facts(doc(sentence)) == []


@pytest.mark.parametrize(
    ("sentence", "value_kind", "dimension"),
    [
        ("Exports of small firms rose to 45% of the total in 2024.", "figure", "substantiation"),
        ("The two governments will set up a joint working group on small firms.", "",
         "way-forward"),
    ],
)
def test_classify(sentence: str, value_kind: str, dimension: str) -> None:
    (fact,) = [f for f in extract_facts(doc(sentence)) if f.value_kind == value_kind]
    assert fact.dimension == dimension


def test_short_clauses_are_not_facts() -> None:
    assert extract_facts(doc("CEPA in 2010.")) == []


def test_misconception_block_never_gives_a_fact() -> None:
    wrong = Block("what it is not", "misconception", (
        "This MoU is not the Treaty of Zanzibar signed in 1999 by the Ministry of Oceans.",))
    found = extract_facts(doc("The Special Strategic Partnership between the two dates from 2015.",
                              extra=(wrong,)))
    assert found, "the content block should give a fact"
    for f in found:
        assert "Zanzibar" not in f.text and "Zanzibar" not in f.sentence
        assert ("1999",) not in f.must


@pytest.mark.parametrize("role", ["meta", "misconception"])
def test_blocks_that_are_not_content_give_no_facts(role: str) -> None:
    assert extract_facts(doc("The Special Strategic Partnership between the two dates from 2015.",
                             role=role)) == []


# --------------------------------------------------------------------------- the real seeds


def _cepa_points(r: Rubric) -> list[tuple[tuple[str, ...], ...]]:
    return [(*p.must, (p.anchor,), p.value) for p in r.points
            if p.anchor == "CEPA" or any("CEPA" in g for g in p.must)]


def test_uae_cepa_keeps_its_qualifier(built_rubrics: dict[str, Rubric]) -> None:
    wire = rubric_of_seed(built_rubrics, "003_")
    musts = _cepa_points(wire)
    assert musts, "the 003 seed names the India-UAE CEPA"
    for must in musts:
        assert any("UAE" in a for g in must for a in g), must
        assert ("2010",) not in must


def test_korea_cepa_keeps_its_year(built_rubrics: dict[str, Rubric]) -> None:
    note = rubric_of_seed(built_rubrics, "000_")
    facts_ = [p for p in note.points if p.anchor == "CEPA"]
    assert any("2010" in " ".join(p.value) for p in facts_), facts_
    assert not any("UAE" in a for m in _cepa_points(note) for g in m for a in g)


def _misconception_sentences() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in sorted(SEEDS.glob("*.txt")):
        d = parse_seed(p.read_text(encoding="utf-8"), name=p.name)
        out[p.name] = [s for b in d.blocks if b.role == "misconception"
                       for para in b.paragraphs for s in tx.sentences(para)]
    return out


def test_what_it_is_not_never_becomes_a_point(built_rubrics: dict[str, Rubric]) -> None:
    wrong = _misconception_sentences()
    assert sum(map(len, wrong.values())) >= 3, "the study note has a 'What it is NOT' block"
    checked = 0
    for r in built_rubrics.values():
        for p in r.points:
            assert p.source is not None
            for s in wrong.get(p.source.seed, []):
                checked += 1
                assert p.source.sentence != s, (r.id, p.id)
                assert p.text.rstrip(".") not in s, (r.id, p.id)
    assert checked, "some rubric is built from the seed with misconceptions"
    # They are kept as misconceptions instead: a false claim each, with its correction.
    note = rubric_of_seed(built_rubrics, "000_")
    assert {m.correction for m in note.misconceptions} == set(wrong[note.seeds[0].file])
    assert all(m.subject and m.wrong for m in note.misconceptions)


def test_every_generated_rubric_has_points_where_it_has_marks(
        built_rubrics: dict[str, Rubric]) -> None:
    assert len(built_rubrics) >= len(list(SEEDS.glob("*.txt")))
    for r in built_rubrics.values():
        assert [d.name for d in r.dimensions] == list(DIMENSIONS)
        for d in r.dimensions:
            n = sum(p.dimension == d.name for p in r.points)
            if d.marks > 0:
                assert n > 0, (r.id, d.name)
            else:
                assert n == 0 and d.note, (r.id, d.name)
        # The marks a teacher sees add up to the rubric's marks.
        assert sum(d.marks for d in r.dimensions) + r.structure_marks == pytest.approx(r.marks)


def test_point_ids_come_from_content(built_rubrics: dict[str, Rubric]) -> None:
    for r in built_rubrics.values():
        ids = [p.id for p in r.points]
        assert len(ids) == len(set(ids)), r.id
        for p in r.points:
            assert p.id == point_id(p.kind, p.label or p.text)


def test_point_ids_are_stable_across_builds(fresh_build: Path, tmp_path: Path) -> None:
    # A second build in another interpreter, with another string-hash seed.
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "evaluator", "rubrics", "build", "--seeds", str(SEEDS),
                    "--out", str(tmp_path)], check=True, env=env, cwd=ROOT,
                   capture_output=True, timeout=120)
    first = sorted(p.name for p in fresh_build.glob("*.toml"))
    assert sorted(p.name for p in tmp_path.glob("*.toml")) == first
    for name in first:
        a = (fresh_build / name).read_text(encoding="utf-8")
        b = (tmp_path / name).read_text(encoding="utf-8")
        ids_a = [ln for ln in a.splitlines() if ln.startswith("id = ")]
        assert ids_a == [ln for ln in b.splitlines() if ln.startswith("id = ")], name
        assert a == b, name


# --------------------------------------------------------------------------- facts-3 shapes


def _labels(document: Document) -> set[str]:
    return {f.label for f in extract_facts(document)}


@pytest.mark.parametrize(
    ("paragraph", "label"),
    [
        # A list member after "the network of", and after a second "such as".
        ("The Ministry of Widgets administers the sector through agencies such as the Widget "
         "Board, the Gadget Council and the network of Regional Widget Offices.",
         "Ministry of Widgets agency: Regional Widget Offices"),
        ("The Forum's membership includes prominent organizations such as the Alpha Chamber "
         "(ACH), the Beta Federation (BFD), and the Gamma Council (GCL), alongside other bodies.",
         "Forum member: GCL"),
        # What kind of thing, after its year.
        ("The two countries elevated ties to a \"Special Strategic Partnership\" in 2015, the top "
         "tier in India's hierarchy of partnerships.",
         "Special Strategic Partnership: top tier"),
        # The occasion of a signing, and who runs a programme.
        ("The Framework Accord was signed during the Korean President's India visit last week.",
         "Framework Accord — signed during Korean President's India visit"),
        ("Work is spread across the ministry, DPIIT's Startup India programme and other agencies.",
         "Startup India programme: run by DPIIT"),
    ],
)
def test_fact_shapes(paragraph: str, label: str) -> None:
    assert label in _labels(doc(paragraph))


def test_a_kind_fact_takes_every_way_the_seed_says_it() -> None:
    document = doc(
        "Below that sits the Memorandum of Understanding (MoU) — a government-to-government "
        "statement of intent to cooperate, the category this instrument belongs to.",
        "Placed on the ladder of instruments, it is a framework MoU, one notch above a "
        "declaration.",
    )
    (fact,) = [f for f in extract_facts(document) if f.value_kind == "term"]
    assert fact.anchor == "MoU"
    assert {"framework MoU", "statement of intent"} <= set(fact.value)
    assert fact.must[1] == fact.value


@pytest.mark.parametrize(
    ("paragraph", "claims"),
    [
        # An aside between dashes leaves the claim that reads on without it.
        ("The smaller manufacturers — the bulk of both economies by employment — lacked a "
         "dedicated bilateral channel until now.",
         ["The smaller manufacturers lacked a dedicated bilateral channel until now."]),
        # "X is A and B": two claims.
        ("For India, small firms are the single largest source of non-farm employment and a "
         "major share of exports.",
         ["For India, small firms are the single largest source of non-farm employment.",
          "For India, small firms are a major share of exports."]),
    ],
)
def test_claim_clauses(paragraph: str, claims: list[str]) -> None:
    assert [f.text for f in extract_facts(doc(paragraph)) if f.kind == "claim"] == claims


def test_what_is_done_to_a_name_is_not_part_of_it() -> None:
    corpus = facts.corpus_of([doc("x")])
    assert facts._split_name("Establishment of Mumbai Korea Centre", corpus) == [
        "Mumbai Korea Centre"]
    assert facts._split_name("Department of Commerce", corpus) == ["Department of Commerce"]


def _the_claim(paragraph: str) -> facts.Fact:
    """The one claim ``paragraph`` gives (unpacking fails if it gives none or several)."""
    (claim,) = [f for f in extract_facts(doc(paragraph)) if f.kind == "claim"]
    return claim


def test_a_contrast_is_one_claim_with_words_from_both_sides() -> None:
    claim = _the_claim(
        "A structured channel for exchange of experts gives small firms a route to absorb "
        "foreign experience, while business matchmaking can plug them into overseas supplier "
        "networks."
    )
    words = {g[0] for g in claim.must}
    assert "matchmaking" in words
    assert words & {"structured", "channel", "exchange", "experts", "experience"}


def test_a_list_sentence_gives_its_list_not_also_a_claim() -> None:
    found = extract_facts(doc(
        "Recent bilateral forums have highlighted expanded cooperation in sectors such as "
        "semiconductors, artificial intelligence, electric mobility and shipbuilding."
    ))
    assert [f.value_kind for f in found] == ["list"]


def test_an_arrow_chain_is_one_claim_its_steps_the_words() -> None:
    claim = _the_claim(
        "The ladder of bilateral instruments runs treaty / trade agreement (CEPA, 2010) → "
        "framework MoU (this one) → joint statement / letter of intent → working-group "
        "arrangement."
    )
    assert claim.label == ("Ladder of bilateral instruments: treaty → framework MoU → "
                           "joint statement → working-group arrangement")
    assert claim.must[0][:2] == ("treaty", "trade agreement")
    assert len(claim.must) == 4


@pytest.mark.parametrize(
    ("clause", "verbs"),
    [
        # After a modal; a word WordNet knows only as a verb; an -s word before a determiner.
        ("business matchmaking can plug small firms into supply chains", {"plug"}),
        ("experts help firms absorb experience", {"absorb"}),
        ("the arrangement deepens its footprint", {"deepens"}),
        # Nouns stay nouns: "exports" before "and", "learning" (a noun lemma).
        ("exports and learning matter", set()),
    ],
)
def test_verbs_are_told_from_nouns(clause: str, verbs: set[str]) -> None:
    toks = tx.words(clause)
    found = {t for i, t in enumerate(toks) if facts._is_verb(
        t, toks[i - 1] if i else "", toks[i + 1] if i + 1 < len(toks) else "")}
    assert found == verbs


def test_thesis_ranks_above_custom() -> None:
    found = extract_facts(doc(
        "A summit visit is the customary occasion on which line ministries formalise "
        "sector cooperation between neighbours.",
        "Its value lies in creating a standing institutional channel rather than in any single "
        "transaction it triggers.",
    ))
    ranked = sorted((f for f in found if f.kind == "claim"), key=lambda f: -f.importance)
    assert ranked[0].label.startswith("Its value lies")
    assert ranked[0].importance - ranked[1].importance == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("paragraph", "not_label"),
    ids=["names-joined", "ministries-listed", "owner-comma"],
    argvalues=
    [
        # An "and" between names is not two predicates.
        ("The MoU is the one between small enterprises and the Republic of Korea as a whole.",
         "The MoU is the Republic of Korea as a whole."),
        # A list of ministries is not what kind of thing the first one is.
        ("The Ministry of MSME, the Ministry of Commerce and DPIIT run the programmes together.",
         "Ministry of MSME: Ministry of Commerce"),
        # An owner never spans a comma.
        ("Schemes run by the Ministry of MSME, the Ministry of Commerce's Startup India programme "
         "and others help.",
         "Startup India programme: run by Ministry of MSME, the Ministry of Commerce"),
    ],
)
def test_no_bogus_points(paragraph: str, not_label: str) -> None:
    document = doc(paragraph)
    assert not_label not in _labels(document)
    assert not_label not in {f.text for f in extract_facts(document)}


@pytest.mark.parametrize(
    "text",
    ["A" * 100_000, "AAAA" * 20_000 + "'s Startup India programme", "Ministry of " * 5000,
     "MSMEs are the " + "x and the " * 20_000],
    ids=["capitals", "capitals-owner", "ministries", "predicates"],
)
def test_extraction_is_linear_on_hostile_text(text: str) -> None:
    import time

    start = time.process_time()
    extract_facts(doc(text))
    # A bound that only a regex trying every start of a long run would break (seconds, not
    # the milliseconds it takes): a guard, not a speed measurement.
    assert time.process_time() - start < 5


def test_less_as_and_more_as_is_read_as_the_second() -> None:
    (claim,) = [f for f in extract_facts(doc(
        "The MoU therefore reads less as a fresh opening and more as the filling-in of a "
        "missing layer between the two economies.")) if f.kind == "claim"]
    assert claim.label.startswith("The MoU therefore reads as the filling-in of a missing layer")
    assert "opening" not in {w for g in claim.must for w in g}
