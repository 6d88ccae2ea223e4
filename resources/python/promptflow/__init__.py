# Flowbench compatibility shim -- not promptflow (see ../README.md).
"""Stand-in for the parts of promptflow that python tool files import."""

from promptflow._flowbench import log_metric, tool

__version__ = "0.0.0+flowbench-shim"
__all__ = ["tool", "log_metric"]
