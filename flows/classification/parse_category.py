"""Maps a model's free-text answer to one of the ticket categories."""

import re

from promptflow.core import tool

CATEGORIES = ("billing", "technical", "account", "shipping", "other")

# Words a model sometimes answers with instead of the category name.
_SYNONYMS = {
    "bill": "billing",
    "payment": "billing",
    "payments": "billing",
    "invoice": "billing",
    "refund": "billing",
    "tech": "technical",
    "bug": "technical",
    "login": "account",
    "delivery": "shipping",
    "shipment": "shipping",
}


@tool
def parse_category(answer: str) -> str:
    """Return the category named in the answer.

    Case, punctuation and extra words are ignored ("Category: Billing." gives "billing").
    The first word that is a category name wins; failing that, the first known synonym;
    an answer naming no category gives "other".
    """
    words = re.findall(r"[a-z]+", (answer or "").lower())
    for word in words:
        if word in CATEGORIES:
            return word
    for word in words:
        if word in _SYNONYMS:
            return _SYNONYMS[word]
    return "other"
