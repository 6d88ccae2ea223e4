from promptflow import tool


@tool
def echo(text: str, count: int, **kwargs) -> dict:
    return {"text": text * count, "extra": kwargs}
