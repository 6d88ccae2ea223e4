from promptflow import tool


@tool
def prepare_examples() -> list:
    return [
        {"url": "https://play.example.com/app/123", "text_content": "A mobile game.",
         "category": "App", "evidence": "Text content"},
        {"url": "https://www.example.com/video/funny-cat", "text_content": "A funny cat.",
         "category": "Video", "evidence": "Url"},
    ]
