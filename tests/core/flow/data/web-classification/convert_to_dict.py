import json

from promptflow import tool


@tool
def convert_to_dict(input_str: str) -> dict:
    try:
        return json.loads(input_str)
    except ValueError:
        return {"category": "None", "evidence": "None"}
