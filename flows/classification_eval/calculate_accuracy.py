"""Aggregates the per-line grades of an evaluation run into an accuracy metric."""

from typing import List

from promptflow.core import log_metric, tool


@tool
def calculate_accuracy(grades: List[str]) -> dict:
    """Return {"accuracy", "correct", "total"} over the graded lines and log "accuracy"
    (a fraction between 0 and 1) as the run's metric.

    Runs once after all lines (aggregation node): grades is the list of the grade node's
    outputs over the lines that succeeded. With no graded line, accuracy is None and no
    metric is logged.
    """
    total = len(grades)
    correct = sum(1 for g in grades if str(g).strip().lower() == "correct")
    if total == 0:
        return {"accuracy": None, "correct": 0, "total": 0}
    accuracy = round(correct / total, 4)
    log_metric("accuracy", accuracy)
    return {"accuracy": accuracy, "correct": correct, "total": total}
