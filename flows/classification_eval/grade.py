"""Grades one prediction against its ground truth."""

from promptflow.core import tool


@tool
def grade(groundtruth: str, prediction: str) -> str:
    """Return "Correct" when the prediction equals the ground truth, ignoring case and
    surrounding whitespace, else "Incorrect". A missing prediction is Incorrect."""
    expected = (groundtruth or "").strip().lower()
    actual = (prediction or "").strip().lower()
    return "Correct" if actual and actual == expected else "Incorrect"
