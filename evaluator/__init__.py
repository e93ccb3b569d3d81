"""mains-evaluator: grade UPSC Mains answers against rubrics built from seed documents.

>>> import evaluator
>>> result = evaluator.evaluate("The MoU links India's MSME Ministry with Korea's ...")
>>> result.score, result.max_score                          # doctest: +SKIP
(1.9, 10.0)
>>> print(evaluator.render(result, "text"))                 # doctest: +SKIP
"""

from evaluator.errors import (
    CalibrationError,
    EvaluatorError,
    InputError,
    RubricError,
    SeedError,
)
from evaluator.library import BatchItem, Library, evaluate, evaluate_many, load_rubric
from evaluator.report import render
from evaluator.rubric import Rubric, __version__, from_key_points, from_reference
from evaluator.score import FLAGS, Result

__all__ = [
    "FLAGS",
    "BatchItem",
    "CalibrationError",
    "EvaluatorError",
    "InputError",
    "Library",
    "Result",
    "Rubric",
    "RubricError",
    "SeedError",
    "__version__",
    "evaluate",
    "evaluate_many",
    "from_key_points",
    "from_reference",
    "load_rubric",
    "render",
]
