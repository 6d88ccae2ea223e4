"""Decides whether an article needs a model-written summary."""

from promptflow.core import tool


@tool
def check_length(article: str, max_words: int = 60) -> bool:
    """Return True when the article has more than max_words words (words are runs of
    non-space characters), i.e. when it is too long to stand as its own summary."""
    return len((article or "").split()) > max_words
