"""Loaders for the public human-graded short-answer sets in ``../shared/data``.

Every loader returns a list of :class:`Item`, one per graded student answer, in file order
(files sorted by name), so runs are reproducible. Anything a loader drops or cannot use is
described in the optional ``notes`` list it appends to, so the caller can report it instead
of it vanishing silently.

Layout expected under the data root (see ``../shared/data/README.md``)::

    mohler/mohler_dataset_edited.csv
    saf/training/*.xml        saf/rubrics/<same stem>.csv
    semeval2013/training/2way/{sciEntsBank,beetle}/*.xml
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MOHLER_MAX_SCORE = 5.0

DATASET_NAMES = ("mohler", "saf", "semeval-sciEntsBank", "semeval-beetle")


@dataclass(frozen=True)
class Item:
    """One human-graded answer.

    ``score`` is on the dataset's own scale and ``max_score`` is the most a perfect answer
    earns for its question, so ``score / max_score`` is comparable across questions.
    ``reference`` joins all reference answers with ``"\\n"``; ``references`` keeps them apart
    (SemEval Beetle questions have up to 14, and baselines take the best match over them).
    ``label`` is the binary gold (1 = correct) where the data has one, else ``None``.
    ``key_points`` are rubric ``(key element, points)`` pairs where the data has a rubric.
    """

    dataset: str
    question_id: str
    question: str
    reference: str
    answer: str
    score: float
    max_score: float
    label: int | None
    key_points: tuple[tuple[str, float], ...]
    references: tuple[str, ...] = ()
    answer_id: str = ""

    @property
    def fraction(self) -> float:
        """Score as a fraction of the question's maximum (0..1)."""
        return self.score / self.max_score


# --------------------------------------------------------------------------- helpers


def read_text(path: Path) -> str:
    """Decode a text file that may not be UTF-8.

    UTF-8 (with or without BOM) first; then cp1252, which is what spreadsheet exports of
    such data usually are and which decodes curly quotes correctly; then latin-1, which
    accepts any byte sequence, so reading never fails on encoding alone.
    """
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _clean(text: str | None) -> str:
    return (text or "").strip()


def _note(notes: list[str] | None, message: str) -> None:
    if notes is not None:
        notes.append(message)


_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")


def parse_number(text: str) -> float:
    """Parse ``"0.5"``, ``"0,5"`` or ``" 1 "`` as a float; a decimal comma is accepted.

    Raises ``ValueError`` for anything else (including thousands separators, which do not
    occur in points or scores).
    """
    cleaned = text.strip().strip('"').strip()
    if not _NUMBER.match(cleaned):
        raise ValueError(f"not a number: {text!r}")
    return float(cleaned.replace(",", "."))


# --------------------------------------------------------------------------- Mohler


def load_mohler(root: Path | str, *, notes: list[str] | None = None) -> list[Item]:
    """Load ``mohler/mohler_dataset_edited.csv`` (Mohler et al. 2011, 0-5 points).

    question_id = ``id``; reference = ``desired_answer``; score = ``score_avg`` (the gold,
    mean of two graders); max_score = 5. Fields are stripped. Rows whose student answer is
    empty, or whose score does not parse, are skipped and counted in ``notes``.
    """
    path = Path(root) / "mohler" / "mohler_dataset_edited.csv"
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    items: list[Item] = []
    empty = bad_score = 0
    for row in reader:
        # Strip keys too: a stray space or BOM in the header must not lose a column.
        row = {(k or "").strip(): v for k, v in row.items()}
        answer = _clean(row.get("student_answer"))
        if not answer:
            empty += 1
            continue
        try:
            score = parse_number(row.get("score_avg") or "")
        except ValueError:
            bad_score += 1
            continue
        reference = _clean(row.get("desired_answer"))
        items.append(
            Item(
                dataset="mohler",
                question_id=_clean(row.get("id")),
                question=_clean(row.get("question")),
                reference=reference,
                answer=answer,
                score=score,
                max_score=MOHLER_MAX_SCORE,
                label=None,
                key_points=(),
                references=(reference,),
                answer_id=str(len(items) + empty + bad_score + 1),  # 1-based data row
            )
        )
    _note(
        notes,
        f"mohler: {len(items)} answers loaded; skipped {empty} with an empty answer"
        f" and {bad_score} with an unparseable score_avg",
    )
    return items


# --------------------------------------------------------------------------- SAF


def read_rubric_csv(path: Path) -> tuple[tuple[str, float], ...]:
    """Read a SAF rubric file (header ``ID,key_element,points``) into (element, points) pairs.

    Robust to the two quirks seen in such exports:

    * a decimal comma in points: quoted (``"0,5"``) parses directly; unquoted (``0,5``) makes
      the csv module split it into two trailing fields, which are rejoined when both are
      plain digit strings (a points value is the last column, so this is unambiguous unless
      the key element itself ends in an unquoted bare number; rubric key elements do not);
    * a semicolon delimiter (spreadsheet exports in decimal-comma locales) when the header
      has no comma.

    Unquoted commas inside a key element are rejoined as well. Rows without a parseable
    points value are skipped.
    """
    text = read_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    points: list[tuple[str, float]] = []
    for row in rows[1:]:
        fields = [f.strip() for f in row]
        if len(fields) < 3 or not any(fields):
            continue
        tail = fields[2:]
        # Rejoin the unstripped fields so an unquoted comma keeps its original spacing.
        if len(tail) >= 2 and tail[-1].isdigit() and tail[-2].isdigit():
            value_text = f"{tail[-2]}.{tail[-1]}"
            element = delimiter.join(row[1:-2])
        else:
            value_text = fields[-1]
            element = delimiter.join(row[1:-1])
        try:
            value = parse_number(value_text)
        except ValueError:
            continue
        element = element.strip().rstrip(",").strip()
        if element:
            points.append((element, value))
    return tuple(points)


def load_saf(root: Path | str, *, notes: list[str] | None = None) -> list[Item]:
    """Load SAF 2.0 English training questions (``saf/training/*.xml``) with their rubrics.

    max_score of a question = the score of its answers verified ``Correct`` (the README
    states they are all equal; if they are not, the largest is used and a note is added);
    a question with no Correct answer uses its largest observed score. key_points come from
    ``saf/rubrics/<same stem>.csv`` (empty, with a note, if that file is missing).
    label = None: SAF's three-way verification label is not a binary gold.
    """
    base = Path(root) / "saf"
    items: list[Item] = []
    empty = 0
    for xml_path in sorted((base / "training").glob("*.xml")):
        tree = ET.parse(xml_path).getroot()
        question_id = tree.get("id") or xml_path.stem
        question = _clean(tree.findtext("questionText"))
        references = tuple(_clean(r.text) for r in tree.findall("referenceAnswers/referenceAnswer"))
        rubric_path = base / "rubrics" / f"{xml_path.stem}.csv"
        if rubric_path.exists():
            key_points = read_rubric_csv(rubric_path)
        else:
            key_points = ()
            _note(notes, f"saf: no rubric {rubric_path.name} for question {question_id}")

        raw: list[tuple[str, str, float, str]] = []
        for answer in tree.findall("studentAnswers/studentAnswer"):
            text = _clean(answer.findtext("response"))
            if not text:
                empty += 1
                continue
            raw.append(
                (
                    answer.get("id") or "",
                    text,
                    parse_number(answer.findtext("score") or ""),
                    _clean(answer.findtext("verification_feedback")).lower(),
                )
            )
        if not raw:
            continue
        correct = {score for _, _, score, verdict in raw if verdict == "correct"}
        if len(correct) > 1:
            _note(notes, f"saf: question {question_id} has unequal Correct scores {correct}")
        max_score = max(correct) if correct else max(score for _, _, score, _ in raw)
        if max_score <= 0:
            _note(notes, f"saf: question {question_id} skipped: no positive score")
            continue
        items.extend(
            Item(
                dataset="saf",
                question_id=question_id,
                question=question,
                reference="\n".join(references),
                answer=text,
                score=score,
                max_score=max_score,
                label=None,
                key_points=key_points,
                references=references,
                answer_id=answer_id,
            )
            for answer_id, text, score, _ in raw
        )
    _note(notes, f"saf: {len(items)} answers loaded; skipped {empty} with an empty response")
    return items


# --------------------------------------------------------------------------- SemEval 2013


def load_semeval(root: Path | str, corpus: str, *, notes: list[str] | None = None) -> list[Item]:
    """Load SemEval-2013 Task 7 training data, 2-way labels, for ``sciEntsBank`` or ``beetle``.

    One item per ``studentAnswer`` element; ``accuracy="correct"`` -> label 1, score 1,
    ``"incorrect"`` -> 0; max_score = 1. All reference answers are kept in ``references``.
    Beetle's ``count`` attribute (how many students gave the same text) is ignored: each
    distinct answer counts once, matching the published answer counts.
    """
    directory = Path(root) / "semeval2013" / "training" / "2way" / corpus
    dataset = f"semeval-{corpus}"
    items: list[Item] = []
    skipped = 0
    for xml_path in sorted(directory.glob("*.xml")):
        tree = ET.parse(xml_path).getroot()
        question_id = tree.get("id") or xml_path.stem
        question = _clean(tree.findtext("questionText"))
        references = tuple(_clean(r.text) for r in tree.findall("referenceAnswers/referenceAnswer"))
        for answer in tree.findall("studentAnswers/studentAnswer"):
            text = _clean("".join(answer.itertext()))
            accuracy = (answer.get("accuracy") or "").strip().lower()
            if not text or accuracy not in ("correct", "incorrect"):
                skipped += 1
                continue
            label = 1 if accuracy == "correct" else 0
            items.append(
                Item(
                    dataset=dataset,
                    question_id=question_id,
                    question=question,
                    reference="\n".join(references),
                    answer=text,
                    score=float(label),
                    max_score=1.0,
                    label=label,
                    key_points=(),
                    references=references,
                    answer_id=answer.get("id") or "",
                )
            )
    _note(
        notes,
        f"{dataset}: {len(items)} answers loaded; skipped {skipped} empty or without a 2-way label",
    )
    return items


# --------------------------------------------------------------------------- registry

LOADERS: dict[str, Callable[..., list[Item]]] = {
    "mohler": load_mohler,
    "saf": load_saf,
    "semeval-sciEntsBank": lambda root, *, notes=None: load_semeval(
        root, "sciEntsBank", notes=notes
    ),
    "semeval-beetle": lambda root, *, notes=None: load_semeval(root, "beetle", notes=notes),
}


def data_present(root: Path | str, dataset: str) -> bool:
    """Whether the files a dataset's loader reads exist under ``root``."""
    base = Path(root)
    if dataset == "mohler":
        return (base / "mohler" / "mohler_dataset_edited.csv").is_file()
    if dataset == "saf":
        return any((base / "saf" / "training").glob("*.xml"))
    corpus = dataset.removeprefix("semeval-")
    return any((base / "semeval2013" / "training" / "2way" / corpus).glob("*.xml"))


def load(root: Path | str, dataset: str, *, notes: list[str] | None = None) -> list[Item]:
    """Load one dataset by its name in :data:`DATASET_NAMES`."""
    if dataset not in LOADERS:
        raise ValueError(f"unknown dataset {dataset!r}; choose from {', '.join(DATASET_NAMES)}")
    return LOADERS[dataset](root, notes=notes)
