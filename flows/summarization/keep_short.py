"""The short path: an article that already fits is its own summary."""

from promptflow.core import tool


@tool
def keep_short(article: str) -> str:
    """Return the article with line breaks and runs of spaces collapsed to single spaces,
    so that it reads as one paragraph like a model-written summary."""
    return " ".join((article or "").split())
