"""Agreement benchmarks: how well automatic scores track human scores on public data.

Not part of the shipped package. Run ``python -m benchmarks.agreement --data ../shared/data``
from the project root.
"""
