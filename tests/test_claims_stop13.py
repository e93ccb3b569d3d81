"""Stop 13: what a claim is, read closer (docs/decisions.md, "Claims, stop 13").

Sentences written for these tests, not taken from the seeds, so the rules are checked on
wordings they were not fitted on."""

from __future__ import annotations

import pytest
from conftest import MOU, SSP
from conftest import bug as _bug
from conftest import point_status as _status
from test_facts import doc

from evaluator import facts


def _claim(sentence: str) -> facts.Fact:
    (claim,) = [f for f in facts.extract_facts(doc(sentence)) if f.kind == "claim"]
    return claim


@pytest.mark.parametrize(
    ("sentence", "label"),
    [
        # A means before the main clause: the claim is the main clause.
        ("By pooling the expertise of chambers and banks, the new council will help small "
         "exporters find buyers in foreign markets.",
         "The new council will help small exporters find buyers in foreign markets"),
        ("Through offering cheap credit to artisans, the scheme hopes to revive traditional "
         "crafts in rural districts.",
         "The scheme hopes to revive traditional crafts in rural districts"),
        # A subject that only points back says its claim after the verb ...
        ("This development reflects the growing weight of small firms in regional trade "
         "agreements and supply chains.",
         "The growing weight of small firms in regional trade agreements and supply chains"),
        ("This shift signals that governments now treat small enterprises as strategic "
         "partners in trade diplomacy.",
         "Governments now treat small enterprises as strategic partners in trade diplomacy"),
        # ... a subject with content keeps its frame.
        ("Expanding defence cooperation signals that India and Japan are evolving into close "
         "strategic partners.",
         "Expanding defence cooperation signals that India and Japan are evolving into close "
         "strategic partners"),
        # A joining word is not part of the claim.
        ("Similarly, regional trade agreements now routinely include chapters devoted to "
         "this vital segment of the economy.",
         "Regional trade agreements now routinely include chapters devoted to this vital "
         "segment …"),
        # A dash aside may list three things.
        ("Recent developments — including a new port agreement, a joint naval drill, and a "
         "credit line for small exporters — signal a clear intent to deepen bilateral ties "
         "beyond trade.",
         "Recent developments signal a clear intent to deepen bilateral ties beyond trade"),
        # An aside between the subject and its verb.
        ("India, with its large market and young workforce, is emerging as a preferred "
         "destination for Korean suppliers.",
         "India is emerging as a preferred destination for Korean suppliers"),
    ],
)
def test_claim_labels(sentence: str, label: str) -> None:
    assert _claim(sentence).label == label


@pytest.mark.parametrize(
    ("sentence", "not_carried"),
    [
        # "this vital segment" names the economy's small firms again: not a word of its own.
        ("Similarly, regional trade agreements now routinely include chapters devoted to "
         "this vital segment of the economy.", {"vital", "segment"}),
        ("By pooling the expertise of chambers and banks, the new council will help small "
         "exporters find buyers in such distant markets.", {"distant"}),
    ],
)
def test_words_that_point_back(sentence: str, not_carried: set[str]) -> None:
    words = {w for g in _claim(sentence).must for w in g}
    assert words and not words & not_carried


@pytest.mark.parametrize(
    ("rubric_id", "label", "text", "status"),
    [
        # A misspelt anchor still owns the year right after it, with another dated thing near.
        (MOU, "Special Strategic Partnership — elevated", "india and korea have special "
         "strategic "
         "partnershp from 2015 and CEPA from 2010.", "covered"),
        (MOU, "Special Strategic Partnership — elevated", "India and Korea have a specail "
         "strategic "
         "partnership since 2015, and the CEPA since 2010.", "covered"),
        # "not simply X, (but) Y" affirms X.
        (MOU, "MSMEs are a major share of exports", "MSMEs are not simply a major share of "
         "exports, they are the backbone of jobs.", "covered"),
        pytest.param(MOU, "MSMEs are a major share of exports", "MSMEs are not a major "
                     "share of exports.", "wrong",
                     marks=_bug("a negation governs three words: 'not a major share' leaves "
                                "'of exports' outside, so the claim is covered")),
        (SSP, "A trade imbalance in Korea", "The trade balance is not in Korea's favour.",
         "wrong"),
    ],
)
def test_rules_on_answers(rubric_id: str, label: str, text: str, status: str) -> None:
    assert _status(rubric_id, label, text) == status
