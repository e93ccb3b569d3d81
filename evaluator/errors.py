"""Typed errors. Every failure the library reports derives from :class:`EvaluatorError`.

The CLI turns any of them into one line on stderr and exit status 1.
"""

from __future__ import annotations


class EvaluatorError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(EvaluatorError):
    """The answer, batch file or other input cannot be used (empty, unreadable, wrong shape)."""


class RubricError(EvaluatorError):
    """A rubric cannot be found, parsed or validated.

    ``problems`` holds every ``(field, message)`` found, so a teacher sees them all at once.
    """

    def __init__(self, message: str, *, problems: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class SeedError(EvaluatorError):
    """A seed document cannot be parsed into a title and sentences."""


class CalibrationError(EvaluatorError):
    """A calibration file cannot be fitted, read, or does not fit the rubric it is applied to."""
