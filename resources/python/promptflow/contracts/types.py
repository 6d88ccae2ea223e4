# Flowbench compatibility shim -- not promptflow (see ../../README.md).
"""String marker types that tool signatures may use."""


class Secret(str):
    """A string that holds a secret."""


class PromptTemplate(str):
    """A string that holds a prompt template."""


class FilePath(str):
    """A string that holds a file path."""


__all__ = ["Secret", "PromptTemplate", "FilePath"]
