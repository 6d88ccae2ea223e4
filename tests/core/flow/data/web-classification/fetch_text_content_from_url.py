import urllib.request

from promptflow import tool


@tool
def fetch_text_content_from_url(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")[:2000]
    except Exception as exc:  # the flow keeps going with an explanation
        return "No available content: " + str(exc)
