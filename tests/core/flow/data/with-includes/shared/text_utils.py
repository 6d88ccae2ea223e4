from promptflow import tool


@tool
def text_utils(text: str) -> str:
    return " ".join(text.split())
