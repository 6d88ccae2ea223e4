# Flowbench compatibility shim -- not promptflow (see ../../README.md).
"""`from promptflow.core import tool, log_metric` for tool files."""

from promptflow._flowbench import log_metric, tool

__all__ = ["tool", "log_metric"]
