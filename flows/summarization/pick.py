"""Joins the two branches of the summarization flow into one output."""

from typing import Optional

from promptflow.core import tool


@tool
def pick(summary: Optional[str] = None, short_article: Optional[str] = None) -> str:
    """Return whichever branch ran: the model's summary (long articles) or the short article
    passed through (short ones). The branch that was bypassed leaves its parameter at None.
    Returns an empty string if neither produced text."""
    if summary is not None and summary.strip():
        return summary.strip()
    if short_article is not None:
        return short_article.strip()
    return ""
