"""Review of the facts-5 claim rules: ", which ..." clauses, "; and <what>" parts and
"A's X and B's Y", on sentences written like the seeds but about other subjects."""

from __future__ import annotations

import pytest

from evaluator import facts
from evaluator.seeds import Block, Document


def doc(*paragraphs: str) -> Document:
    return Document("synthetic.txt", "plain", "Synthetic",
                    blocks=(Block("body", "content", tuple(paragraphs)),))


def relative(sentence: str) -> list[str]:
    corpus = facts.corpus_of([doc(sentence)])
    names = facts._document_names(doc(sentence), corpus)
    found = facts._sentence_facts(sentence, "body", corpus, names, "", "")
    return facts._relative_claims(sentence, found, corpus)


# --------------------------------------------------------------------------- ", which ..."


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The clause has a subject of its own: the anchor is its object, and "<anchor>
        # critics say dilutes ..." is no sentence.
        ("Parliament passed the Digital Personal Data Protection (DPDP) Act in 2023, which "
         "critics say dilutes the right to privacy.", []),
        ("India ratified the Paris Agreement in 2016, which it had helped negotiate at the "
         "COP21 summit in Paris.", []),
        ("The Shanghai Cooperation Organisation (SCO), which India joined as a full member in "
         "2017, is led jointly by China and Russia.", []),
        # After the date of an event, "which was ..." says what the event was: not "RBI was
        # the first reduction ...".
        ("The Reserve Bank of India (RBI) cut the repo rate in February 2025, which was the "
         "first reduction since the pandemic years of easy money.", []),
        # The date's event has a subject far before it: "Japan and India allows ..." is wrong.
        ("Japan and India signed the civil nuclear agreement in 2016, which allows Japanese "
         "firms to supply reactors to India.", []),
        # Still claims: the anchor's own verb, "has been ...", an event's date near its anchor.
        ("The Micro, Small and Medium Enterprises Development (MSMED) Act, 2006, which has been "
         "amended twice since, set the three-tier classification.",
         ["MSMED Act has been amended twice since"]),
        ("The Comprehensive Economic Partnership Agreement (CEPA) was signed in 2010, which "
         "boosted bilateral trade.", ["CEPA boosted bilateral trade"]),
        ("India and Japan signed the Civil Nuclear Agreement in November 2016, which allows "
         "Japanese firms to supply reactors to India.",
         ["Civil Nuclear Agreement allows Japanese firms to supply reactors to India"]),
    ],
)
def test_relative_clause_claim(sentence: str, expected: list[str]) -> None:
    assert relative(sentence) == expected


def test_relative_clause_with_its_own_subject_is_no_rubric_point() -> None:
    sentence = ("Parliament passed the Digital Personal Data Protection (DPDP) Act in 2023, which "
                "critics say dilutes the right to privacy.")
    labels = [f.label for f in facts.extract_facts(doc(sentence)) if f.kind == "claim"]
    assert not any("critics say" in label and label.startswith("DPDP") for label in labels)


# --------------------------------------------------------------------------- "; and <what>"


@pytest.mark.parametrize(
    ("before", "part", "expected"),
    [
        # An auxiliary is not the whole verb: "India has the Global Biofuels Alliance", "India
        # does the military junta" (a denial turned round) were the claims.
        ("India has joined the International Solar Alliance", "and the Global Biofuels Alliance",
         "India has joined the Global Biofuels Alliance"),
        ("India does not recognise the Taliban regime in Kabul", "and the military junta in "
         "Naypyidaw", "India does not recognise the military junta in Naypyidaw"),
        ("India will not attend the Belt and Road Forum", "and the summit of the bank",
         "India will not attend the summit of the bank"),
        # An adverb before the verb stays with it.
        ("India also joins the International Solar Alliance", "and the Indo-Pacific Oceans "
         "Initiative", "India also joins the Indo-Pacific Oceans Initiative"),
        # "and of ...", "and for ...": what comes before the same word is shared.
        ("India is a founding member of the New Development Bank", "and of the Asian "
         "Infrastructure Investment Bank",
         "India is a founding member of the Asian Infrastructure Investment Bank"),
        ("The Centre was criticised for delaying GST compensation to the states", "and for "
         "cutting the divisible pool", "The Centre was criticised for cutting the divisible pool"),
        # A copula or a passive shares more than its verb, or its "and" part is a subject.
        ("Article 370 was abrogated in August 2019", "and Article 35A with it",
         "and Article 35A with it"),
        ("India is a member of the Shanghai Cooperation Organisation", "and the BRICS grouping",
         "and the BRICS grouping"),
        # A possessive's noun in -s is no verb: "India's exports imports from ASEAN".
        ("India's exports to the Gulf rose sharply after the CEPA", "and imports from ASEAN",
         "and imports from ASEAN"),
        ("The RBI's policies favour borrowers over depositors", "and pensioners on fixed deposits",
         "and pensioners on fixed deposits"),
        # A capitalised word is a name, not the verb: "Trade with the United imports ...".
        ("Trade with the United Arab Emirates rose after the CEPA", "and investment from "
         "Singapore", "and investment from Singapore"),
        # A part with "is" has a verb of its own (a bundled seed's sentence).
        ("Imports from South Korea is about $21 billion", "and exports to South Korea is about "
         "$5.8 billion.", "and exports to South Korea is about $5.8 billion."),
        # "has" as the verb itself still shares.
        ("India has a trade surplus with the United States", "and a large deficit with China",
         "India has a large deficit with China"),
    ],
)
def test_elided_part(before: str, part: str, expected: str) -> None:
    assert facts._elided(before, part) == expected


@pytest.mark.xfail(strict=True, reason="judgement call: a plural noun right after a name "
                   "('BRICS nations', 'ASEAN members') is read as its verb; without a tagger "
                   "it cannot be told from 'Korea joins', which the rule is for")
@pytest.mark.parametrize(
    ("before", "part"),
    [
        ("The BRICS nations back a common payments system", "and a new development fund"),
        ("ASEAN members welcome India", "and Japan as dialogue partners"),
    ],
)
def test_plural_noun_after_a_name_is_no_verb(before: str, part: str) -> None:
    assert facts._elided(before, part) == part


@pytest.mark.xfail(strict=True, reason="judgement call: an 'and <what>' part whose verb cannot "
                   "be shared stays a claim of its own that starts with 'And' (as before "
                   "facts-5); dropping it changes the bundled rubrics and was not measured")
@pytest.mark.parametrize(
    "sentence",
    [
        "India is a member of the Shanghai Cooperation Organisation; and the BRICS grouping of "
        "emerging economies.",
        "The RBI's policies favour borrowers over depositors in most years; and pensioners "
        "living on fixed deposits.",
    ],
)
def test_unshared_and_part_is_no_claim(sentence: str) -> None:
    assert not any(c.lower().startswith("and ") for c in facts._claim_clauses(sentence))


# --------------------------------------------------------------------------- "A's X and B's Y"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The two are the subject: the verb after them is shared, the first half had none.
        ("India's ambition and Japan's financial support together make the Northeast "
         "connectivity corridor viable.",
         ["India's ambition and Japan's financial support together make the Northeast "
          "connectivity corridor viable"]),
        ("In 2024, India's exports to Russia and Russia's oil sales to India both rose sharply.",
         ["In 2024, India's exports to Russia and Russia's oil sales to India both rose "
          "sharply"]),
        # "the gap between A's X and B's Y" is one thing.
        ("The negotiators narrowed the gap between India's tariff offer on dairy and "
         "Australia's demand for market access.",
         ["The negotiators narrowed the gap between India's tariff offer on dairy and "
          "Australia's demand for market access"]),
        # "both" belongs to the pair, not to each half.
        ("The summit welcomed both India's bid for a permanent seat and Brazil's call for "
         "reform of the Security Council.",
         ["The summit welcomed India's bid for a permanent seat",
          "The summit welcomed Brazil's call for reform of the Security Council"]),
        # "It's" owns nothing; "and Australia's delegation will attend" is a clause.
        ("It's India's turn to chair the Quad and Australia's delegation will attend the "
         "summit in New Delhi.",
         ["It's India's turn to chair the Quad and Australia's delegation will attend the "
          "summit in New Delhi"]),
        # What a verb before them acts on: two claims, as the rule means.
        ("Critics noted Pakistan's refusal to grant transit rights and Afghanistan's "
         "dependence on the Chabahar port route.",
         ["Critics noted Pakistan's refusal to grant transit rights",
          "Critics noted Afghanistan's dependence on the Chabahar port route"]),
    ],
)
def test_two_owners(sentence: str, expected: list[str]) -> None:
    assert facts._claim_clauses(sentence) == expected
