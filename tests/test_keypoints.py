"""Key points a teacher would write: facts with anchor and value, wrong facts, misconceptions,
and the answers that game a word matcher (issues: key points; wrong facts and gaming)."""

from __future__ import annotations

import pytest
from conftest import MOU, answer

from evaluator import RubricError, evaluate, load_rubric
from evaluator.library import bundled_library
from evaluator.match import match, misconceptions, prepare, sentence_values
from evaluator.rubric import Rubric, from_toml


@pytest.fixture(scope="module")
def mou() -> Rubric:
    return bundled_library().get(MOU)


def _status(rubric: Rubric, label: str, text: str) -> tuple[str, str | None]:
    compiled = bundled_library().compiled(rubric)
    (m,) = [m for m in match(compiled, prepare(text)) if m.point.label.startswith(label)]
    return m.status, m.conflict


# label prefix, answer, status, the wrong value reported
FACTS = [
    ("Special Strategic Partnership —", "Ties became a Special Strategic Partnership in 2015.",
     "covered", None),
    ("Special Strategic Partnership —", "India and Korea have a Special Strategic Partnership.",
     "incomplete", None),
    ("Special Strategic Partnership —", "They formed a Special Strategic Partnership in 2010.",
     "wrong", "2010"),
    # "the strategic partnership of 2010" is true: it is not the Special one.
    ("Special Strategic Partnership —", "The strategic partnership of 2010 was a milestone.",
     "missing", None),
    ("CEPA —", "The CEPA came into force in 2010.", "covered", None),
    ("CEPA —", "The CEPA has been in force since 1 January 2010.", "covered", None),
    ("CEPA —", "The CEPA was signed in 2015 by both sides.", "wrong", "2015"),
    # Signed in 2009, in force in 2010: a year apart is another true date, not an error.
    ("CEPA —", "The CEPA was signed in 2009 by both countries.", "incomplete", None),
    # ... but a year off by one for the fact's own event is an error.
    ("CEPA —", "The CEPA came into force in 2009.", "wrong", "2009"),
    ("CEPA —", "The CEPA has been in effect since 2011.", "wrong", "2011"),
    ("CEPA —", "They have a Special Strategic Partnership and also a CEPA.", "incomplete", None),
    # Two anchors, two years: each year belongs to the anchor it is said of.
    ("CEPA —", "They have had a Special Strategic Partnership since 2015 and the CEPA since 2010.",
     "covered", None),
    ("Special Strategic Partnership —",
     "They have had a Special Strategic Partnership since 2010 and the CEPA since 2015.",
     "wrong", "2010"),
    ("Korean signatory", "Korea's Ministry of SMEs and Startups signed the MoU.", "covered", None),
    ("Korean signatory", "The MoU links the ministry of SMEs and start-ups in Seoul with India.",
     "covered", None),
    ("Indian signatory", "The MoU was signed by India's Ministry of Commerce.", "wrong",
     "Ministry of Commerce"),
    ("Indian signatory",
     "India's Ministry of Commerce and Korea's Ministry of SMEs and Startups signed the MoU.",
     "wrong", "Ministry of Commerce"),
    ("MoU — 20", "The MoU was signed on 20 April 2026 in New Delhi.", "covered", None),
    ("MoU — signed during", "The MoU was signed when the South Korean President visited India.",
     "covered", None),
    ("MoU — signed during", "The MoU was signed on 20 April 2026.", "incomplete", None),
    ("Startup India", "DPIIT runs the Startup India programme.", "covered", None),
    # Said by what they are, not by name (issue 12's examples): credited, never made wrong.
    ("Korean signatory", "The MoU was signed by the ministry Korea set up for small firms and "
     "start-ups.", "covered", None),
    ("Special Strategic Partnership —", "In 2015, the year India and Korea upgraded to their "
     "top-tier partnership, ties deepened.", "covered", None),
    ("CEPA — in force", "A trade pact of the free-trade kind has governed commerce since the "
     "first day of 2010.", "covered", None),
    ("Korean signatory", "The MoU was signed by India's ministry for small and medium "
     "enterprises.", "incomplete", None),
    # A description's words by a near word, one of them as written ("businesses" for
    # "enterprises", beside "small"); no word as written is no description: the signing is
    # named, the signatory not.
    ("Indian signatory", "The MoU was signed by the Indian ministry in charge of small "
     "businesses.", "covered", None),
    ("Indian signatory", "The MoU was signed by the Indian ministry in charge of tiny "
     "businesses.", "incomplete", None),
    ("CEPA — in force", "The MoU is a free trade agreement signed in 2026.", "missing", None),
    ("Startup India", "India's Startup India programme is run by a government body.",
     "incomplete", None),
    # A role's fact is not said by dropping the name: no role word, no "incomplete".
    ("Startup India", "India's Startup India programme also helps small firms.", "missing",
     None),
    # No side named: one wrong signatory, charged to the first whose ministry is not named.
    ("Indian signatory", "The MoU was signed by the Ministry of Commerce.", "wrong",
     "Ministry of Commerce"),
    ("Korean signatory", "The MoU was signed by the Ministry of Commerce.", "incomplete", None),
    # Who runs a programme, said of it, is checked; a programme named beside other bodies
    # names no runner, and a ministry may be a department's parent.
    ("Startup India", "Startup India is run by the MSME Ministry.", "wrong", "MSME Ministry"),
    ("Startup India", "India's start-up work is handled by NITI Aayog under Startup India.",
     "wrong", "NITI Aayog"),
    ("Startup India", "The MSME Ministry runs Startup India.", "wrong", "MSME Ministry"),
    ("Startup India", "Startup India is run by DPIIT.", "covered", None),
    ("Startup India", "Startup India is under the Ministry of Commerce and Industry.",
     "incomplete", None),
    ("Startup India", "India's small-business work is spread across the MSME Ministry, DPIIT's "
     "Startup India programme and other agencies.", "covered", None),
    # Another visitor's visit is another occasion.
    ("MoU — signed during", "The MoU was signed during the Korean Prime Minister's visit to India.",
     "wrong", "the Korean Prime Minister's visit"),
    ("MoU — signed during", "The MoU was signed during the Indian President's visit to Korea.",
     "wrong", "the Indian President's visit"),
    ("MoU — signed during", "The MoU was signed when PM Modi visited Seoul.", "wrong",
     "when PM Modi visited"),
    ("MoU — signed during",
     "The MoU came during the Korean President's India visit, after the Indian PM's visit to "
     "Seoul last year.", "covered", None),
    # A public body of another kind, its side in its name.
    ("Korean signatory",
     "The MoU was signed by the MSME Ministry and the Korea Trade-Investment Promotion Agency.",
     "wrong", "Korea Trade-Investment Promotion Agency"),
    ("Indian signatory",
     "The MoU was signed by the MSME Ministry and the Korea Trade-Investment Promotion Agency.",
     "covered", None),
    ("Indian signatory",
     "The MoU was signed by the Ministry of Commerce and the Ministry of SMEs and Startups.",
     "wrong", "Ministry of Commerce"),
    # A classification's anchor ("MSME") nearer the year does not take the MoU's date.
    ("MoU — 20", "The MoU on MSME cooperation, signed on 20 April 2026, links the ministries.",
     "covered", None),
    # The right year on another day or month is another date; a month alone or the same
    # day written another way is the date.
    ("MoU — 20", "The MoU on MSMEs was signed on 21 April 2026.", "wrong", "21 April 2026"),
    ("MoU — 20", "The MoU, signed in March 2026, links the ministries.", "wrong", "March 2026"),
    ("MoU — 20", "The MoU was signed on 20/04/2025.", "wrong", "20/04/2025"),
    ("MoU — 20", "The MoU was signed on 02.04.2026.", "wrong", "2 April 2026"),
    ("MoU — 20", "The MoU was signed in April 2026.", "covered", None),
    ("MoU — 20", "The MoU was signed on April 20th, 2026.", "covered", None),
    ("MoU — 20", "The MoU was signed on 20/04/2026.", "covered", None),
    # Another dated thing's month in the sentence is that thing's ("in force January 2010").
    ("CEPA — in force", "The CEPA, signed in August 2009, came into force on 1 January 2010.",
     "covered", None),
    # A kind without its hedge, by its initials or with a head of its family; its own name
    # spelled out says nothing of its kind.
    ("CEPA: free", "The CEPA is an FTA.", "covered", None),
    ("CEPA: free", "The CEPA, a trade agreement, is in force since 2010.", "covered", None),
    ("CEPA: free", "India and Korea signed the CEPA, a comprehensive trade deal, in 2009.",
     "covered", None),
    ("CEPA: free", "The CEPA is a comprehensive economic partnership agreement.", "incomplete",
     None),
    # A rank in other words: the highest tier, the top level; "a high level" is no rank.
    ("Special Strategic Partnership: top", "The Special Strategic Partnership of 2015 is "
     "India's highest level of partnership.", "covered", None),
    ("Special Strategic Partnership: top", "The Special Strategic Partnership is a high level "
     "of partnership.", "incomplete", None),
    # A keyword is not a statement.
    ("CEPA —", "CEPA", "missing", None),
    # The partnership said by its partners.
    ("Special Strategic Partnership —", "India and Korea are Special Strategic Partners since "
     "2015.", "covered", None),
    # A kind the seed gives the other way round ("their binding trade pact is the CEPA").
    ("CEPA: free", "The CEPA, in force since 2010, is the binding trade agreement.", "covered",
     None),
    # A kind, of a thing described rather than named.
    ("Ministry of SMEs and Startups: cabinet", "Korea's counterpart is a cabinet-level ministry "
     "devoted to small and medium enterprises and start-ups.", "covered", None),
    ("Ministry of SMEs and Startups: cabinet", "India's MSME work is spread across a "
     "cabinet-level ministry and other agencies.", "missing", None),
    # A list is its members, with or without the word for them.
    ("Ministry of MSME agency: Coir", "Its agencies include KVIC, the Coir Board and NSIC.",
     "covered", None),
    # The ministry named, its agencies not spoken of: nothing said about them.
    ("Ministry of MSME agency: Coir", "The Ministry of MSME, like its Korean counterpart, signed "
     "the MoU.", "missing", None),
    ("Ministry of MSME agency: Coir", "The Ministry of MSME works through agencies such as "
     "KVIC.", "incomplete", None),
    # Its members spoken of without its name, others named: this one is lacking.
    ("Ministry of MSME agency: Coir", "Its agencies include KVIC and NSIC.", "incomplete", None),
    ("Ministry of MSME agency: Coir", "KVIC and NSIC are well known in rural India.", "missing",
     None),
]


@pytest.mark.parametrize(("label", "text", "status", "conflict"), FACTS,
                         ids=[f"{t[0][:12]}:{t[1][:36]}" for t in FACTS])
def test_fact_status(mou: Rubric, label: str, text: str, status: str,
                     conflict: str | None) -> None:
    assert _status(mou, label, text) == (status, conflict)


# rubric, claim label prefix, answer, status, the wrong detail reported. A claim made with
# another body as its subject, another ordinal or the other side's favour is wrong.
CLAIM_DETAILS = [
    ("india-south-korea-deepen-strategic-partnership", "The PHD Chamber",
     "Recently FICCI signed an MoU with the Busan Chamber of Commerce and Industry.", "wrong",
     "FICCI"),
    ("india-south-korea-deepen-strategic-partnership", "The PHD Chamber",
     "The Confederation of Indian Industry signed an MoU with the Busan Chamber of Commerce.",
     "wrong", "Confederation of Indian Industry"),
    # Its own name (short or in part) beside others; the partner's name is the claim's own.
    ("india-south-korea-deepen-strategic-partnership", "The PHD Chamber",
     "The PHDCCI signed an MoU with the Busan Chamber of Commerce and Industry, as FICCI and "
     "CII watched.", "covered", None),
    ("india-south-korea-deepen-strategic-partnership", "The PHD Chamber",
     "The PHD chamber signed an MoU with the Busan Chamber of Commerce and Industry.", "covered",
     None),
    ("india-south-korea-deepen-strategic-partnership", "The navies",
     "The navies of India and Korea held the fifth edition of their annual bilateral naval "
     "exercise.", "wrong", "fifth"),
    ("india-south-korea-deepen-strategic-partnership", "The navies",
     "In a historic first, the navies of India and South Korea held a bilateral naval exercise.",
     "covered", None),
    # "Second," orders an argument; "second-largest" ranks; neither counts exercises.
    ("india-south-korea-deepen-strategic-partnership", "The navies",
     "Second, the navies of India and South Korea held a bilateral naval exercise.", "covered",
     None),
    ("india-south-korea-deepen-strategic-partnership", "The navies",
     "The navies held a bilateral naval exercise, the second-largest in the region.", "covered",
     None),
    ("india-south-korea-special-strategic-partnership", "A trade imbalance in Korea",
     "Trade shows an imbalance in India's favour.", "wrong", "in India's favour"),
    ("india-south-korea-special-strategic-partnership", "A trade imbalance in Korea",
     "Trade shows an imbalance in favour of Korea.", "covered", None),
]


@pytest.mark.parametrize(("rubric", "label", "text", "status", "conflict"), CLAIM_DETAILS,
                         ids=[f"{t[1][:10]}:{t[2][:36]}" for t in CLAIM_DETAILS])
def test_claim_details(rubric: str, label: str, text: str, status: str,
                       conflict: str | None) -> None:
    assert _status(bundled_library().get(rubric), label, text) == (status, conflict)


# answer sentence, misconception label prefix (or None), asserted
MISCONCEPTIONS = [
    ("The MoU is a free-trade agreement between India and Korea.", "MoU: not a free", True),
    ("The MoU is an FTA that cuts tariffs.", "MoU: not a free", True),
    ("The MoU is not a free-trade agreement or a treaty.", "MoU: not a free", False),
    ("Unlike the CEPA, which is a free-trade agreement, the MoU only sets up a channel.", None,
     None),
    ("In India, MSMEs are defined by the number of employees.", "MSME: not defined", True),
    ("MSMEs in India are defined by investment and turnover, not by headcount.",
     "MSME: not defined", False),
    ("MSMEs employ about 110 million workers in India.", None, None),
    ("The MoU carries a large outlay for small firms.", "MoU: carries no outlay", True),
    ("The MoU carries no outlay.", "MoU: carries no outlay", False),
    ("Korea's foreign ministry signed the MoU.", "Korean signatory", True),
    # India's commerce ministry is a wrong fact about India's side, not Korea's misconception.
    ("India's Ministry of Commerce and Korea's Ministry of SMEs and Startups signed the MoU.",
     None, None),
]


@pytest.mark.parametrize(("text", "label", "asserted"), MISCONCEPTIONS,
                         ids=[t[0][:40] for t in MISCONCEPTIONS])
def test_misconceptions(mou: Rubric, text: str, label: str | None,
                        asserted: bool | None) -> None:
    found = misconceptions(bundled_library().compiled(mou), prepare(text))
    if label is None:
        assert [m for m in found if m.asserted] == []
    else:
        (m,) = [m for m in found if m.misconception.label.startswith(label)]
        assert m.asserted is asserted


def test_a_wrong_answer_gets_each_error_with_its_correction_and_source(mou: Rubric) -> None:
    text = (
        "India and Korea have had a Special Strategic Partnership since 2015, and the CEPA, "
        "which dates from 2015, governs their trade. The MoU is a free-trade agreement. "
        "It was signed by India's Ministry of Commerce. In India, MSMEs are defined by "
        "employee numbers."
    )
    r = evaluate(text, mou)
    assert {"factual_error", "misconception"} <= set(r.flags)
    # The two misconceptions also get wrong what the MoU is and what defines an MSME.
    assert [p.conflict for p in r.wrong] == [
        "2015", "Ministry of Commerce", "free trade agreement", "employee"]
    assert all(p.source is not None and p.value for p in r.wrong)
    asserted = [m for m in r.misconceptions if m.asserted]
    assert len(asserted) == 2
    assert all(m.correction and m.source for m in asserted)
    # Each error is charged once: two wrong facts and two misconceptions.
    assert any("for 2 wrong fact(s) and 2 misconception(s)" in n for n in r.notes)
    assert r.deduction > 0


@pytest.mark.parametrize(
    ("text", "conflict"),
    [
        ("The CEPA did not enter into force in 2010.", "not 1 January 2010"),
        ("India's MSME Ministry was not a signatory of the MoU.", "not Ministry of MSME"),
        ("The KVIC works under the Ministry of Rural Development.",
         "Ministry of Rural Development"),
        ("The MoU was signed on 20 April 2025 by the ministries of the two countries.", "2025"),
        ("The sector is governed by the MSMED Act, 2008.", "2008"),
        # Not denials and not errors:
        ("The MoU was not signed by India's Commerce Ministry but by the MSME Ministry.", None),
        ("Not only did the CEPA enter into force in 2010, it also widened market access.", None),
        ("The CEPA, which did not cover services fully, entered into force in 2010.", None),
        ("Trade will reach $50 billion by 2030 under the CEPA of 2010.", None),
    ],
)
def test_denied_misplaced_and_misdated_facts(mou: Rubric, text: str, conflict: str | None) -> None:
    r = evaluate(text, mou)
    assert [p.conflict for p in r.wrong] == ([conflict] if conflict else [])


# True sentences near the rules for wrong facts: a negation elsewhere in the sentence, a year
# of something else, a ministry named to be denied. Written as one batch before they were run;
# six of them showed the first rule for denials too broad.
TRUE_STATEMENTS = [
    # Found by review: a negation before "and", a member beside an unrelated ministry, a
    # far year in another clause, a year of another dated thing, a year inside a token.
    "The MoU is not legally binding and was signed on 20 April 2026.",
    "The MoU does not bind either side and was signed by India's Ministry of MSME.",
    ("During the visit, the Ministry of External Affairs coordinated events and KVIC showcased "
     "khadi products."),
    "NSIC can work with the Department of Commerce to help small firms export to Korea.",
    "KVIC does not come under the Commerce Ministry. It works under the Ministry of MSME.",
    "In April 2018 Moon Jae-in visited India; the MoU now builds on that visit.",
    "The MoU follows the 2015 elevation of ties to a Special Strategic Partnership.",
    "The MoU was signed in FY2026.",
    "The MoU was signed in April2026, a year after the CY2025 talks.",
    ('The MoU was signed in April 2026, and the CEPA, in force since 2010, remains the binding '
     'pact.'),
    'Unlike the CEPA, which is a free trade agreement, the MoU is only a statement of intent.',
    'The MoU is a framework, not a free trade agreement.',
    ('KVIC, the Coir Board and NSIC are agencies of the Ministry of MSME, while the Ministry '
     'of Commerce handles trade.'),
    ('The Ministry of Commerce negotiated the CEPA, while KVIC and NSIC work under the MSME '
     'Ministry.'),
    'The SSP of 2015 was not a treaty.',
    'India did not sign a free trade agreement in 2026; it signed an MoU on 20 April 2026.',
    'The MSMED Act of 2006 was amended in 2020 to revise the classification.',
    'The CEPA, signed in 2009, came into force on 1 January 2010.',
    'The MoU builds on the SSP of 2015 and the CEPA of 2010 and was signed on 20 April 2026.',
    'In 2025, talks were held; the MoU was finally signed on 20 April 2026.',
    'The MoU was signed on 20 April 2026, a year after the 2025 talks.',
    'MSMEs are not defined by employee numbers but by investment and turnover.',
    "Korea's Ministry of SMEs and Startups, not its trade ministry, signed the MoU.",
    'The MoU does not replace the CEPA, which entered into force in 2010.',
    'The CEPA has not been upgraded since it entered into force in 2010.',
    'India has not looked back since the SSP of 2015.',
    'Neither the MoU of 20 April 2026 nor the SSP involves any funding.',
    'There is no doubt that the CEPA came into force in 2010.',
    'The CEPA, in force since 2010, was not meant to cover MSMEs.',
    'Not surprisingly, the CEPA came into force in 2010.',
    'The MoU was signed on 20 April 2026, not in 2025.',
    'The MoU is not a treaty; the CEPA of 2010 is the binding trade agreement.',
    'Though not a treaty, the MoU signed on 20 April 2026 is significant.',
    'Korean chaebols invested heavily after the SSP of 2015, and the CEPA of 2010 helped trade.',
    'Trade under the CEPA, in force since 2010, is expected to double by the end of 2030.',
    "The MoU, signed during the Korean President's visit in April 2026, follows the 2018 summit.",
    ('The Ministry of External Affairs welcomed the MoU signed by the MSME Ministry and '
     "Korea's Ministry of SMEs and Startups."),
    ('Agencies such as KVIC, the Coir Board and NSIC, under the Ministry of MSME, can use the '
     "channel, as can the Ministry of Textiles' schemes."),
    "India's MSME Ministry, not the Commerce Ministry, signed the MoU.",
    'The MoU is not legally binding, unlike the CEPA which came into force in 2010.',
    'The CEPA never covered MSMEs well, though it came into force in 2010.',
    # Claims: a negation of something else, a claim already negative in sense, "not only".
    "MSMEs, not large firms, are the largest source of non-farm employment.",
    "Not only are MSMEs the largest source of non-farm employment, they also export.",
    "There is no doubt that MSMEs are the largest source of non-farm employment.",
    "MSMEs cannot easily meet quality standards or enter global value chains.",
    "The MoU is not binding, but MSMEs are the largest source of non-farm employment.",
    # Dated, not named: the date belongs to another thing, or the term is denied.
    "India and South Korea signed a free-trade agreement in 2010.",
    "India and South Korea did not sign a free-trade agreement in April 2026.",
    "India signed a free trade agreement with the UAE in 2022 and an MoU with Korea in April 2026.",
    "Unlike the free trade agreement of 2010, the pact of April 2026 is a statement of intent.",
]


@pytest.mark.parametrize("text", TRUE_STATEMENTS, ids=[t[:40] for t in TRUE_STATEMENTS])
def test_true_statements_raise_no_error(mou: Rubric, text: str) -> None:
    r = evaluate(text, mou)
    assert [(p.label, p.conflict) for p in r.wrong] == []
    assert [m.label for m in r.asserted] == []


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("MSMEs are not the single largest source of non-farm employment.", "MSMEs are the"),
        ("MSMEs are not the largest source of non-farm jobs in India.", "MSMEs are the"),
        ("Korea's small-enterprise ecosystem is not known for deep supplier integration with "
         "large manufacturers.", "Korea's small-enterprise"),
    ],
)
def test_a_claim_said_the_other_way_round_is_wrong(mou: Rubric, text: str, label: str) -> None:
    r = evaluate(text, mou)
    assert [(p.label[: len(label)], p.conflict) for p in r.wrong] == [(label, "the opposite")]
    assert "factual_error" in r.flags
    assert not [p for p in r.covered if p.label.startswith(label)]


def test_a_thing_dated_but_not_named_can_be_mistaken(mou: Rubric) -> None:
    # April 2026 is the MoU's date and no other thing's: the agreement signed then is the MoU.
    r = evaluate("India and South Korea signed a free-trade agreement on MSMEs in April 2026, "
                 "which will reduce tariffs on goods made by small firms.", mou)
    assert [m.label for m in r.asserted] == ["MoU: not a free-trade agreement or a treaty"]


def test_a_strong_answer_has_no_flag_of_error(mou: Rubric) -> None:
    r = evaluate(answer("strong"), mou)
    assert not {"factual_error", "misconception"} & set(r.flags)
    assert r.score >= 7


GAMING = {
    "one word": ("MSME", set()),
    "keywords": ("MSME, MoU, CEPA 2010, Special Strategic Partnership 2015, Ministry of SMEs "
                 "and Startups, MSMED Act 2006, global value chains, best practices",
                 {"keyword_stuffing"}),
    "copied question": ("Q. Examine the significance of the India–South Korea MoU on MSME "
                        "cooperation. (10 marks)\n\nExamine the significance of the India–South "
                        "Korea MoU on MSME cooperation.", {"copied_question"}),
    "repeated": ("\n\n".join([answer("strong").split("\n\n")[1]] * 5), {"repetition"}),
    "filler": ("In today's world, everything is changing very fast. It is very important to "
               "think about many things. As we all know, there are many aspects to every "
               "issue. We must all work together for a better future for the nation.",
               {"filler"}),
    "paste": (" ".join(answer("strong").split() * 1300), {"over_length"}),
    "one line": ("the MoU links Indian MSMEs with Korean partners and the CEPA of 2010 " * 700,
                 {"over_length"}),
}


@pytest.mark.parametrize("name", sorted(GAMING))
def test_gaming_scores_under_one_with_its_flag(mou: Rubric, name: str) -> None:
    text, flags = GAMING[name]
    r = evaluate(text, mou)
    assert r.score < 1.0
    assert flags <= set(r.flags)


QUESTION = ("India and the Republic of Korea recently signed an MoU on MSME cooperation. "
            "Discuss its significance in the context of the India–Korea Special Strategic "
            "Partnership. (250 words)")
# Stock phrases that name only what the question names: the MoU, MSMEs, the partnership.
HOLLOW = ("The MoU on MSMEs is a very significant development in today's fast-changing world. "
          "The MoU on MSMEs is important for the economy and for society. It is also important "
          "for the Special Strategic Partnership in many ways. Many challenges need to be "
          "addressed in a comprehensive manner by all stakeholders. India should take a balanced "
          "and holistic approach and implement the MoU properly in a time-bound manner.")


def test_stock_phrases_naming_only_the_question_are_filler(mou: Rubric) -> None:
    without = evaluate(HOLLOW, mou)
    asked = evaluate(HOLLOW, mou, question=QUESTION)
    assert "filler" in asked.flags and "filler" not in without.flags
    assert asked.score < 1.0 <= without.score


def test_a_weak_answer_with_its_own_examples_is_not_voided(mou: Rubric) -> None:
    # Few rubric words, but things of its own ("MUDRA", "Samsung", "Japan"): content, not filler.
    text = ("India and South Korea are friendly countries and recently signed an MoU on MSMEs. "
            "Korea has companies like Samsung and Hyundai that can help India in technology. "
            "The government has schemes for MSMEs like MUDRA, PMEGP and Udyam Registration. "
            "India should sign more such MoUs with developed countries like Japan and Germany.")
    r = evaluate(text, mou, question=QUESTION)
    assert "filler" not in r.flags
    assert r.score > 0


@pytest.mark.parametrize(
    ("text", "conflict"),
    [
        # A ministry named in lower case by its portfolio, owned by a side: another ministry.
        ("Korea's side was represented by its trade ministry, while India's MSME Ministry signed "
         "for India.", "trade ministry"),
        ("The MoU was signed by India's MSME Ministry and Korea's foreign ministry.",
         "foreign ministry"),
        # Not a name: no side owns it.
        ("The MoU was signed by India's MSME Ministry and the concerned ministry of Korea.", None),
        # The right ministry, said short.
        ("The MoU was signed by India's MSME ministry and Korea's SME ministry.", None),
    ],
)
def test_a_ministry_in_lower_case_is_a_wrong_signatory(
    mou: Rubric, text: str, conflict: str | None
) -> None:
    got = [w.conflict for w in evaluate(text, mou).wrong if w.label.startswith("Korean signatory")]
    assert got == ([conflict] if conflict else [])


def test_marks_shown_are_the_marks_in_the_file(mou: Rubric) -> None:
    r = evaluate(answer("strong"), mou, question="Examine the MSME MoU and the CEPA.")
    marks = {p.id: p.marks for p in mou.points}
    for p in (*r.covered, *r.partial, *r.missing, *r.incomplete, *r.wrong):
        assert p.marks == pytest.approx(marks[p.id])


def test_report_lists_wrong_then_missing_then_incomplete_then_covered(mou: Rubric) -> None:
    from evaluator import render

    text = ("The CEPA was signed in 2015. India and Korea have a Special Strategic Partnership. "
            "The MoU was signed on 20 April 2026 by India's Ministry of MSME.")
    out = render(evaluate(text, mou), "text")
    heads = [out.index(h) for h in ("Got wrong", "Missing", "Named but incomplete", "Covered")]
    assert heads == sorted(heads)
    assert "You mention Special Strategic Partnership but not when (2015)" in out


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("$50 bn by 2030", [("figure", 50.0, "billion", 2030), ("year", 2030.0, "", None)]),
        ("about 90 per cent", [("figure", 90.0, "%", None)]),
        ("USD 21 billion", [("figure", 21.0, "billion", None)]),
        ("20 April 2026", [("year", 2026.0, "", None)]),
        # Written out, as a paraphrasing answer does.
        ("twenty-one billion dollars", [("figure", 21.0, "billion", None)]),
        ("about five point eight billion", [("figure", 5.8, "billion", None)]),
        ("risen by roughly nine-tenths", [("figure", 90.0, "%", None)]),
        ("two hundred and fifty crore", [("figure", 250.0, "crore", None)]),
        ("fifty billion dollars by 2030",
         [("figure", 50.0, "billion", 2030), ("year", 2030.0, "", None)]),
        ("one of the two ministries", []),
        # What the figure counts may stand between it and its year.
        ("$50 billion of bilateral trade by 2032",
         [("figure", 50.0, "billion", 2032), ("year", 2032.0, "", None)]),
        ("$5 billion in 2019", [("figure", 5.0, "billion", 2019), ("year", 2019.0, "", None)]),
        ("$5 billion in exports, 2019", [("figure", 5.0, "billion", None),
                                         ("year", 2019.0, "", None)]),
    ],
)
def test_values_in_a_sentence(text: str, values: list[tuple[str, float, str, int | None]]) -> None:
    assert [(v.kind, v.number, v.scale, v.year) for v in sentence_values(text)] == values


@pytest.mark.parametrize(
    ("text", "covered", "wrong"),
    [
        # Rounded as far as the answer writes it, in digits or in words: the same figure.
        ("Bilateral trade grew from about $14 billion in 2010 to nearly $27 billion in "
         "2024-25.", 2, []),
        ("Bilateral trade grew from about fourteen billion dollars in 2010 to nearly "
         "twenty-seven billion dollars in 2024-25.", 2, []),
        ("Bilateral trade grew from $14.2 billion in 2010 to $26.89 billion in 2024-25.", 2, []),
        # More precise than the fact and different: wrong.
        ("Bilateral trade grew from $14.7 billion in 2010 to $26.89 billion in 2024-25.", 1,
         ["$14.7 billion"]),
    ],
)
def test_a_figure_is_its_value_rounded(text: str, covered: int, wrong: list[str]) -> None:
    r = evaluate(text, load_rubric("india-south-korea-special-strategic-partnership"))
    trade = [p for p in r.covered if p.label.startswith("Trade growth: $")]
    assert len(trade) == covered
    assert [p.conflict for p in r.wrong] == wrong


_FACT = """
id = "r"
title = "t"
kind = "custom"
marks = 1.0
[[dimensions]]
name = "content"
marks = 1.0
[[points]]
id = "p"
dimension = "content"
kind = "fact"
marks = 1.0
text = "The CEPA entered into force in 2010."
{extra}
"""


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ('value = ["2010"]\nvalue_kind = "year"', "points[0].anchor"),
        ('anchor = "CEPA"\nvalue_kind = "year"', "points[0].value"),
        ('anchor = "CEPA"\nvalue = ["2010"]', "points[0].value_kind"),
        ('anchor = "CEPA"\nvalue = ["2010"]\nvalue_kind = "century"', "points[0].value_kind"),
    ],
)
def test_fact_fields_are_validated(extra: str, field: str) -> None:
    with pytest.raises(RubricError) as exc:
        from_toml(_FACT.format(extra=extra))
    assert field in [f for f, _ in exc.value.problems]


def test_a_hand_written_fact_point_works() -> None:
    from evaluator.match import compile_rubric

    r = from_toml(_FACT.format(extra='label = "CEPA — 2010"\nanchor = "CEPA"\n'
                                     'value = ["2010"]\nvalue_kind = "year"'))
    (m,) = match(compile_rubric(r), prepare("The CEPA has applied since 2010."))
    assert (m.status, m.point.label) == ("covered", "CEPA — 2010")


NOTES = """Relationship
• SSP — 2015 — top tier of India's partnerships
• CEPA — in force since 2010; binding trade pact
• Korean chaebol investment in Indian manufacturing

MoU
• Signed 20 April 2026 by India's Ministry of MSME and Korea's Ministry of SMEs and Startups
• Tools: exchange of experts, best practices, business matchmaking
• Not an FTA; no outlay

Way forward
• Pair Indian MSMEs with Korean suppliers for technology transfer
"""


def test_bullet_notes_are_graded_not_flagged(mou: Rubric) -> None:
    r = evaluate(NOTES, mou)
    assert not {"keyword_stuffing", "not_english", "filler"} & set(r.flags)
    assert r.score >= 3


def test_hindi_in_latin_letters_is_not_english(mou: Rubric) -> None:
    text = ("Bharat aur Korea ne MSME par ek samjhauta kiya hai jo chhote udyogon ke liye bahut "
            "zaroori hai aur isse vyapar badhega tatha rozgar ke naye avsar paida honge.")
    assert "not_english" in evaluate(text, mou).flags


@pytest.mark.parametrize(
    ("rubric_id", "label", "text", "status"),
    [
        # A list of sectors said without the word "sectors".
        ("india-south-korea-deepen-strategic-partnership", "Sectors: semiconductors",
         "Discussions now cover semiconductors, AI, clean energy, electric mobility and defence "
         "manufacturing.", "covered"),
        ("india-south-korea-deepen-strategic-partnership", "Sectors: semiconductors",
         "Cooperation covers semiconductors and ports.", "missing"),
        # A member of a kind ("new mechanisms"), not of a named body: naming it says it.
        ("india-south-korea-special-strategic-partnership", "Institutional mechanism: Industrial",
         "New mechanisms: an India–Korea Financial Forum, an Industrial Cooperation Committee "
         "and an Economic Security Dialogue.", "covered"),
    ],
)
def test_lists_and_members_of_a_kind(rubric_id: str, label: str, text: str, status: str) -> None:
    assert _status(bundled_library().get(rubric_id), label, text)[0] == status


@pytest.mark.parametrize(
    ("reference", "text", "wrong"),
    [
        # A reference with one ordinal: another one is another thing.
        ("In a historic first, the navies of India and Korea held a joint naval exercise.",
         "The navies of India and Korea held their second joint naval exercise.", True),
        # Several ordinals are a sequence: the answer's "second" is a step of it.
        ("It selects the minimum from an array and places it in the first position, then it "
         "selects the second smallest and places it in the second position.",
         "It swaps the next lowest value with the second item in the array.", False),
    ],
)
def test_ordinal_of_a_claim(reference: str, text: str, wrong: bool) -> None:
    r = evaluate(text, reference=reference)
    assert bool(r.wrong) is wrong
