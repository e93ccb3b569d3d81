"""Text preparation: sentences and their offsets, word counts, tokens, stems, stop words."""

from __future__ import annotations

import pytest

from evaluator import text as tx

# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Dr. Rao met the minister. They signed it.",
                     ["Dr. Rao met the minister.", "They signed it."], id="Dr."),
        pytest.param("It came into force on Jan. 1, 2010 in Seoul. Trade grew.",
                     ["It came into force on Jan. 1, 2010 in Seoul.", "Trade grew."], id="Jan."),
        pytest.param("Big firms, e.g. Samsung, invest here. Small ones wait.",
                     ["Big firms, e.g. Samsung, invest here.", "Small ones wait."], id="e.g."),
        pytest.param("Prof. Lee and Mr. Kim spoke. It went well.",
                     ["Prof. Lee and Mr. Kim spoke.", "It went well."], id="Prof.-Mr."),
        pytest.param("The U.S. and the U.K. agreed. Then Korea joined.",
                     ["The U.S. and the U.K. agreed.", "Then Korea joined."], id="U.S."),
        pytest.param("India signed. Korea signed! Did Japan sign?",
                     ["India signed.", "Korea signed!", "Did Japan sign?"], id="three-ends"),
        pytest.param("- first point\n- second point\n1. third point",
                     ["first point", "second point", "third point"], id="bullets"),
        pytest.param("• one bullet\n* another one\n(a) lettered item\n(ii) roman item",
                     ["one bullet", "another one", "lettered item", "roman item"],
                     id="bullet-kinds"),
        pytest.param("Heading without a stop\nThe body follows here.",
                     ["Heading without a stop", "The body follows here."], id="newline"),
        pytest.param("First paragraph.\r\n\r\nSecond paragraph.",
                     ["First paragraph.", "Second paragraph."], id="crlf-blank-line"),
        pytest.param("Para one.\n\n---\n\nPara two.", ["Para one.", "Para two."],
                     id="no-alnum-lines-dropped"),
        pytest.param("", [], id="empty"),
        # Lines a wrap broke (a PDF, an editor at 60 columns) are one sentence again.
        pytest.param("India and Korea upgraded their ties to a Special\nStrategic Partnership "
                     "in 2015, and their trade runs\nunder the CEPA.",
                     ["India and Korea upgraded their ties to a Special Strategic Partnership "
                      "in 2015, and their trade runs under the CEPA."], id="wrapped-even"),
        pytest.param("The MoU was signed by India's Ministry of MSME and\nKorea's Ministry of "
                     "SMEs and Startups.",
                     ["The MoU was signed by India's Ministry of MSME and Korea's Ministry of "
                      "SMEs and Startups."], id="wrapped-on-and"),
        pytest.param("The MoU on MSME cooperation is only a framework\nand carries no funds.",
                     ["The MoU on MSME cooperation is only a framework and carries no funds."],
                     id="wrapped-lower-case"),
        pytest.param("Way forward: link Indian MSMEs with Korean\r\nsupply chains.",
                     ["Way forward: link Indian MSMEs with Korean  supply chains."],
                     id="wrapped-crlf"),
        # Not wraps: a short heading, a list introduced by a colon, bullets, unmarked points.
        pytest.param("Significance of the MoU\nThe MoU fills a missing layer.",
                     ["Significance of the MoU", "The MoU fills a missing layer."],
                     id="heading"),
        pytest.param("The MoU provides for the following tools:\n- expert exchange and "
                     "matchmaking\n- joint quality labs",
                     ["The MoU provides for the following tools:", "expert exchange and "
                      "matchmaking", "joint quality labs"], id="colon-then-bullets"),
        pytest.param("MSMEs are the largest source of non-farm jobs\nKorean SMEs are "
                     "integrated as suppliers",
                     ["MSMEs are the largest source of non-farm jobs",
                      "Korean SMEs are integrated as suppliers"], id="unmarked-points"),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert tx.sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Rao met Mr. Kim on Jan. 5 in Seoul. They signed it.",
        "  * Bullet one here.\n\n  2) Second bullet text\n",
        "Q. Examine it.\r\n\r\n\tIndented   sentence here. Another one!",
        "The MoU—signed in 2026—links ministries. “Quoted” words follow.",
    ],
)
def test_sentence_spans_point_into_the_original_text(text: str) -> None:
    spans = tx.sentence_spans(text)
    assert spans, text
    for span in spans:
        # A line break inside a (wrapped) sentence reads as a space of the same length.
        assert text[span.start:span.end].replace("\r", " ").replace("\n", " ") == span.text
    starts = [s.start for s in spans]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_sentence_spans_skip_bullet_markers() -> None:
    text = "- CEPA is in force.\n- It dates from 2010."
    spans = tx.sentence_spans(text)
    assert [s.text for s in spans] == ["CEPA is in force.", "It dates from 2010."]
    assert spans[1].start == text.index("It dates")


# --------------------------------------------------------------------------- counting


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("India and Korea signed it.", 5),
        ("India–Korea ties", 2),
        ("India-Korea ties", 2),
        ("India's MSMEs grew", 3),
        ("India’s MSMEs grew", 3),
        ("They aren't binding", 3),
        ("state-of-the-art technology", 2),
        ("MSMEs grew 12.5% in 2024-25.", 5),
        ("G20 members met", 3),
        ("- bullet one\n- bullet two", 4),
        ("", 0),
        ("   ...  —  ", 0),
    ],
)
def test_word_count(text: str, count: int) -> None:
    assert tx.word_count(text) == count


# --------------------------------------------------------------------------- tokens


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("G20 members met", ["g20", "members", "met"]),
        ("The K9 unit", ["the", "k9", "unit"]),
        ("1,000 firms", ["1,000", "firms"]),
        ("grew 12.5% in 2024-25", ["grew", "12.5", "%", "in", "2024", "25"]),
        ("₹500 crore", ["₹", "500", "crore"]),
        ("India’s MSMEs", ["india", "s", "msmes"]),
        ("CEPA\u200b entered", ["cepa", "entered"]),
        # Contracted negations stay negations.
        ("It isn't binding", ["it", "is", "not", "binding"]),
        ("They don’t, can't and won't", ["they", "do", "not", "can", "not", "and", "will", "not"]),
    ],
)
def test_words(text: str, tokens: list[str]) -> None:
    assert tx.words(text) == tokens


@pytest.mark.parametrize(
    ("token", "canonical"),
    [
        ("1,000", "1000"),
        ("1,000,000", "1000000"),
        ("1000", "1000"),
        ("5.80", "5.8"),
        ("12.50", "12.5"),
        ("2.0", "2"),
        ("0,5", "0.5"),
        ("2010", "2010"),
    ],
)
def test_numbers_are_canonical(token: str, canonical: str) -> None:
    assert tx.is_number(token)
    assert tx.number_value(token) == canonical
    assert tx.stem(token) == canonical


def test_same_number_written_two_ways_has_one_stem() -> None:
    assert tx.content_stems("exports of 1,000 crore") == tx.content_stems("exports of 1000 crore")


@pytest.mark.parametrize("token", ["g20", "2024-25", "abc", "12a", ""])
def test_not_a_number(token: str) -> None:
    assert not tx.is_number(token)


# --------------------------------------------------------------------------- stems


@pytest.mark.parametrize(
    "forms",
    [
        ("signed", "signing", "signs"),
        ("partnership", "partnerships"),
        ("elevated", "elevating", "elevates"),
        ("enterprises", "enterprise"),
        ("agreement", "agreements"),
    ],
)
def test_inflections_share_a_stem(forms: tuple[str, ...]) -> None:
    assert len({tx.stem(f) for f in forms}) == 1, [tx.stem(f) for f in forms]


@pytest.mark.parametrize(("a", "b"), [("trade", "treaty"), ("binding", "bonding"),
                                      ("2010", "2011"), ("korea", "korean")])
def test_different_words_keep_different_stems(a: str, b: str) -> None:
    assert tx.stem(a) != tx.stem(b)


def test_short_tokens_are_not_stemmed() -> None:
    assert tx.stem("mou") == "mou"
    assert tx.stem("is") == "is"


# --------------------------------------------------------------------------- stop words


@pytest.mark.parametrize("negation", ["not", "no", "never", "without", "nor", "none", "cannot"])
def test_negations_are_not_stop_words(negation: str) -> None:
    assert negation not in tx.stop_words()
    assert negation in tx.content_tokens(f"The MoU is {negation} binding")


@pytest.mark.parametrize("word", ["the", "is", "and", "of", "a", "which"])
def test_ordinary_stop_words_are_dropped(word: str) -> None:
    assert word in tx.stop_words()
    assert word not in tx.content_tokens(f"CEPA {word} treaty")


@pytest.mark.parametrize("word", ["first", "last", "two", "top", "empty", "same", "between"])
def test_words_a_grader_needs_are_not_stop_words(word: str) -> None:
    # scikit-learn's list has them; "first in, first out" must keep "first".
    assert word not in tx.stop_words()
    assert word in tx.content_tokens(f"the {word} element")


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        ("there is no gap", {"gap"}),
        ("terminal 1 is not connected to the battery", {"connected", "to", "the"}),
        ("no gap but a wire", {"gap"}),  # "but" starts a new clause
        ("the bulb is on", set()),
        ("never", set()),
    ],
)
def test_negation_scope(sentence: str, negated: set[str]) -> None:
    toks = tx.words(sentence)
    assert {toks[i] for i in tx.negated(toks)} == negated


def test_negated_and_plain_claims_differ_in_content() -> None:
    assert tx.content_stems("It is not a treaty") != tx.content_stems("It is a treaty")


def test_content_tokens_keep_numbers_and_percent_but_not_single_letters() -> None:
    assert tx.content_tokens("A 5 % rise in G20 trade, a b c") == ["5", "%", "rise", "g20",
                                                                   "trade"]


# --------------------------------------------------------------------------- misc


def test_normalise_unifies_quotes_and_keeps_dashes() -> None:
    assert tx.normalise("‘India’s’ “MoU” – ok") == "'India's' \"MoU\" – ok"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("One.\n\nTwo.\n\n\nThree.", ["One.", "Two.", "Three."]),
        ("Line one\nLine two", ["Line one", "Line two"]),
        ("Just one.", ["Just one."]),
    ],
)
def test_paragraphs(text: str, parts: list[str]) -> None:
    assert tx.paragraphs(text) == parts


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("India and South Korea sign MoU", "india-south-korea-sign-mou"),
        ("The of and", "untitled"),
    ],
)
def test_slug(title: str, slug: str) -> None:
    assert tx.slug(title) == slug


def test_a_wrapped_answer_grades_as_written() -> None:
    import textwrap

    from conftest import answer

    from evaluator import evaluate

    def grade(text: str, question: str) -> tuple[object, ...]:
        r = evaluate(text, question=question)
        points = sorted((p.id, p.status) for p in (*r.covered, *r.partial, *r.incomplete,
                                                   *r.wrong, *r.missing))
        return r.score, [(d.name, d.score) for d in r.dimensions], points, r.flags

    for name in ("strong", "average", "vague"):
        head, body = answer(name).split("\n", 1)
        for width in (50, 72, 90):
            wrapped = "\n\n".join(
                textwrap.fill(p, width) for p in body.strip().split("\n\n")
            )
            assert grade(wrapped, head) == grade(body.strip(), head), (name, width)
