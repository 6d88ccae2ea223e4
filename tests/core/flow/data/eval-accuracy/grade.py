from promptflow import tool


@tool
def grade(groundtruth: str, prediction: str) -> str:
    return "Correct" if groundtruth.strip().lower() == prediction.strip().lower() else "Incorrect"
