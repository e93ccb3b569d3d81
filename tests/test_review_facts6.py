"""Review of the stop-11 wrong-detail rules (a date's day, a claim's body, ordinal and side,
an unnamed member, the elided infinitive) on sentences an aspirant would write: true
statements must not be reported wrong, and the wrong ones still are."""

from __future__ import annotations

import pytest
from conftest import DEEP, INTL, REL, SSP
from conftest import bug as _bug
from conftest import point_status as _status

from evaluator import facts
from evaluator.match import compile_rubric, match, prepare
from evaluator.rubric import from_reference

MOU_DATE = "MoU — 20 April 2026"
PHD = "The PHD Chamber"
NAVY = "The navies of India"
FAVOUR = "A trade imbalance in Korea"
FICCI = "MSME-Industry International Cooperation Forum member: FICCI"
COIR = "Ministry of MSME agency: Coir Board"


@pytest.mark.parametrize(
    ("rubric_id", "label", "text", "status"),
    [
        # --- a date's day and month: another day said of the signing is wrong ...
        (REL, MOU_DATE, "The MoU was signed on 21 April 2026.", "wrong"),
        (REL, MOU_DATE, "The MoU was signed on 21-04-2026 in New Delhi.", "wrong"),
        pytest.param(REL, MOU_DATE, "On 21 April 2026, India and South Korea signed the MoU.",
                     "wrong", marks=_bug("a date before its subject is nearer the sides' names "
                                         "than the MoU: read as theirs (a miss, not a false "
                                         "wrong; as before this review)")),
        (REL, MOU_DATE, "The MoU was signed on 20.4.2026 in New Delhi.", "covered"),
        # ... but the same year's other events of the MoU are other true dates.
        # A plan: the MoU's own later step, not its signing (the MoU without its date).
        (REL, MOU_DATE, "The MoU will be operationalised from 1 May 2026.", "incomplete"),
        (REL, MOU_DATE, "The MoU will be reviewed in December 2026.", "incomplete"),
        # Talks before it, a meeting under it, the budget it followed: dated to them.
        (REL, MOU_DATE, "Negotiations on the MoU began in January 2026.", "incomplete"),
        (REL, MOU_DATE, "A joint working group under the MoU met on 15 June 2026.", "incomplete"),
        (REL, MOU_DATE, "The MoU came weeks after the Union Budget of 1 February 2026.",
         "incomplete"),
        # --- a claim's body: another body as its subject is wrong ...
        (DEEP, PHD, "FICCI signed an MoU with the Busan Chamber of Commerce and Industry.",
         "wrong"),
        # ... not the partner ("... and Industry and an Indian body" is the Busan Chamber) ...
        (DEEP, PHD, "The Busan Chamber of Commerce and Industry and an Indian industry body "
         "signed an MoU to help SMEs.", "covered"),
        # ... nor a body named in another clause, doing something else.
        (DEEP, PHD, "The Busan Chamber of Commerce and Industry signed an MoU with an Indian "
         "chamber; the Export Import Bank of India may fund projects.", "covered"),
        # --- an ordinal: "the fifth edition" against "a historic first" is wrong ...
        (DEEP, NAVY, "The navies of India and South Korea conducted the fifth edition of a "
         "bilateral naval exercise.", "wrong"),
        # ... but a superlative's rank and a century are no edition of the exercise.
        (DEEP, NAVY, "The navies of both countries conducted a bilateral naval exercise near "
         "the 2nd largest port.", "covered"),
        (DEEP, NAVY, "The navies of India, the world's fifth largest economy, and South Korea "
         "conducted a bilateral naval exercise.", "covered"),
        (DEEP, NAVY, "Defence: the navies conducted a bilateral naval exercise; the 21st "
         "century demands maritime cooperation.", "covered"),
        (DEEP, NAVY, "The navies held a bilateral naval exercise in the second half of the "
         "year.", "covered"),
        # The ordinal of another thing of the sentence ("the third pillar").
        (DEEP, NAVY, "The navies conducted a bilateral naval exercise, which marks the third "
         "pillar of the partnership.", "covered"),
        # --- a side: "in India's favour" is wrong ...
        (SSP, FAVOUR, "There is a trade imbalance in India's favour.", "wrong"),
        (SSP, FAVOUR, "The trade imbalance tilts in favour of Indian exporters.", "wrong"),
        # ... the same side in other words is not,
        (SSP, FAVOUR, "The trade imbalance is heavily tilted in favour of South Korea.",
         "covered"),
        (SSP, FAVOUR, "The trade imbalance, skewed in favour of the Korean side, persists.",
         "covered"),
        (SSP, FAVOUR, "The trade imbalance is in favour of the Republic of Korea.", "covered"),
        (SSP, FAVOUR, "The trade imbalance tilts in favour of Korean exporters.", "covered"),
        # nor is a name the rubric does not know (Seoul for Korea),
        (SSP, FAVOUR, "Exports are small: a trade imbalance in Seoul's favour.", "covered"),
        # nor a favour said of another thing of the sentence.
        (SSP, FAVOUR, "The trade imbalance favours Korea, and the CEPA upgrade is in India's "
         "favour if it improves market access.", "covered"),
        # --- a kind in other words (initials, a head of its family, a rank) ...
        (INTL, "CEPA: free-trade-style", "The CEPA is an FTA that came into force in 2010.",
         "covered"),
        (INTL, "CEPA: free-trade-style", "The CEPA, a trade deal, came into force in 2010.",
         "covered"),
        (INTL, "Special Strategic Partnership: top", "The Special Strategic Partnership of "
         "2015 is the highest level of India's ties.", "covered"),
        (INTL, "Special Strategic Partnership: top", "In 2015 ties became a Special "
         "Strategic Partnership, the highest-level partnership India has.", "covered"),
        # ... is said of the anchor only in its part of the sentence,
        (INTL, "CEPA: free-trade-style", "India is negotiating an FTA with the EU, while the "
         "CEPA with Korea dates to 2010.", "incomplete"),
        (INTL, "CEPA: free-trade-style", "India signed a trade deal with the UK, and the CEPA "
         "with Korea dates to 2010.", "incomplete"),
        (INTL, "CEPA: free-trade-style", "Unlike a full FTA, the CEPA is a comprehensive "
         "economic partnership.", "incomplete"),
        (INTL, "Special Strategic Partnership: top", "Relations were elevated to a Special "
         "Strategic Partnership in 2015; trade is at its highest level ever.", "incomplete"),
        # ... and a rank only as a rank, not as an adjective of something else.
        (INTL, "Special Strategic Partnership: top", "The Special Strategic Partnership needs "
         "top level political attention.", "incomplete"),
        (INTL, "Special Strategic Partnership: top", "The SSP was announced in 2015 during a "
         "top-level summit.", "incomplete"),
        # --- an unnamed member: incomplete where the body's members are listed ...
        (INTL, FICCI, "The forum's members include CII, ASSOCHAM and FISME.", "incomplete"),
        # ... not where "member" is said of something else.
        (INTL, FICCI, "CII, a member of many global bodies, supports MSME exports.", "missing"),
        (INTL, FICCI, "Industry associations like CII help MSMEs; members of FISME are small "
         "firms.", "missing"),
        (INTL, COIR, "KVIC supports khadi artisans, and its members are village industries.",
         "missing"),
    ],
)
def test_wrong_details_on_real_sentences(rubric_id: str, label: str, text: str,
                                         status: str) -> None:
    assert _status(rubric_id, label, text) == status


REFERENCE = (
    "The Indian Space Research Organisation launched Chandrayaan-3 on 14 July 2023. "
    "In a binary search, the algorithm first compares the target with the middle element. "
    "The Reserve Bank of India was established in 1935 under the RBI Act."
)


def _reference_status(start: str, text: str) -> str:
    compiled = compile_rubric(from_reference(REFERENCE))
    (m,) = [m for m in match(compiled, prepare(text)) if m.point.text.startswith(start)]
    return m.status


@pytest.mark.parametrize(
    ("start", "text", "wrong"),
    [
        # A body by its initials is the body: ISRO for the Indian Space Research Organisation.
        ("The Indian Space", "ISRO launched Chandrayaan-3 on 14-07-2023 from Sriharikota.",
         False),
        ("The Indian Space", "Chandrayaan-3 was launched by ISRO on 14th July 2023.", False),
        # Still wrong: another body as the subject.
        ("The Indian Space", "NASA launched Chandrayaan-3 on 14 July 2023.", True),
        # "the algorithm first compares" is an adverb, not the first of anything.
        ("In a binary search", "Binary search first compares the target with the middle "
         "element and then halves the range in the second step.", False),
    ],
)
def test_wrong_details_on_a_reference(start: str, text: str, wrong: bool) -> None:
    assert (_reference_status(start, text) == "wrong") is wrong


@pytest.mark.parametrize(
    ("before", "part", "expected"),
    [
        # A second infinitive shares the words up to its "to" ...
        ("It aims to increase trade to $50 billion by 2030;", "and improve market access",
         "It aims to improve market access"),
        # ... only when it is one: "to reduced", "to grew" are no sentences.
        ("The scheme helped to raise exports;", "and reduced imports sharply",
         "and reduced imports sharply"),
        ("The CEPA came into force in 2010 to boost trade;", "and grew exports by 20%",
         "and grew exports by 20%"),
    ],
)
def test_elided_infinitive(before: str, part: str, expected: str) -> None:
    assert facts._elided(before, part) == expected


@pytest.mark.parametrize(
    ("sentence", "labels"),
    [
        ("Focus areas include: Chips to Ships (semiconductors to shipbuilding).",
         ["Chips to Ships: semiconductors to shipbuilding"]),
        # A sentence's capitalised first word is no part of the name.
        ("Under Digital India (e-governance and broadband), services moved online.",
         ["Digital India: e-governance and broadband"]),
    ],
)
def test_glossed_name(sentence: str, labels: list[str]) -> None:
    assert [f.label for f in facts._glossed(sentence, sentence, "")] == labels


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The scheme supports MSMEs, which form the backbone of India's economy, with credit.",
         ["MSMEs form the backbone of India's economy"]),
        # The clause is said of the signing, not of the partner named last.
        pytest.param("India signed the CEPA with the UAE, which boosted exports by 20% in a "
                     "year.", [], marks=_bug("which thing a ', which' clause is said of needs "
                                             "the sentence's structure, not its last name")),
    ],
)
def test_relative_clause_after_an_acronym(sentence: str, expected: list[str]) -> None:
    from evaluator.seeds import Block, Document

    doc = Document("s.txt", "plain", "S", blocks=(Block("body", "content", (sentence,)),))
    corpus = facts.corpus_of([doc])
    found = facts._sentence_facts(sentence, "body", corpus,
                                  facts._document_names(doc, corpus), "", "")
    assert facts._relative_claims(sentence, found, corpus) == expected
