"""mains-evaluator: grade UPSC Mains answers against rubrics built from seed documents.

>>> import evaluator
>>> result = evaluator.evaluate("The MoU links India's MSME Ministry with Korea's ...")
>>> result.score, result.max_score                          # doctest: +SKIP
(1.9, 10.0)
>>> print(evaluator.render(result, "text"))                 # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Names are imported on first use (PEP 562), so `evaluate --help` and `import evaluator.cli`
# do not load the grader.
_EXPORTS = {
    "CalibrationError": "evaluator.errors",
    "EvaluatorError": "evaluator.errors",
    "InputError": "evaluator.errors",
    "RubricError": "evaluator.errors",
    "SeedError": "evaluator.errors",
    "BatchItem": "evaluator.library",
    "Library": "evaluator.library",
    "evaluate": "evaluator.library",
    "evaluate_many": "evaluator.library",
    "load_rubric": "evaluator.library",
    "render": "evaluator.report",
    "Rubric": "evaluator.rubric",
    "__version__": "evaluator.rubric",
    "from_key_points": "evaluator.rubric",
    "from_reference": "evaluator.rubric",
    "FLAGS": "evaluator.score",
    "Result": "evaluator.score",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'evaluator' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


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
