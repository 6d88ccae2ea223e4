"""Prepares a customer message for classification."""

import re

from promptflow.core import tool

_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@tool
def preprocess(text: str, max_chars: int = 1500) -> str:
    """Return the message with control characters removed, runs of whitespace (including
    line breaks) collapsed to one space, and the ends trimmed.

    Messages longer than max_chars are cut at the last word boundary before the limit and
    marked with " [...]", which keeps the prompt small; the category is nearly always clear
    from the first paragraph.
    """
    cleaned = _WHITESPACE.sub(" ", _CONTROL.sub("", text or "")).strip()
    if max_chars <= 0 or len(cleaned) <= max_chars:
        return cleaned
    cut = cleaned[:max_chars]
    space = cut.rfind(" ")
    if space > max_chars // 2:
        cut = cut[:space]
    return cut.rstrip() + " [...]"
