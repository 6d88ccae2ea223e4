from promptflow.core import tool


@tool
def classify(question: str) -> str:
    return "complex" if len(question.split()) > 6 else "simple"
