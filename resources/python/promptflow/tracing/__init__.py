# Flowbench compatibility shim -- not promptflow (see ../../README.md).
"""`promptflow.tracing`: tracing is not collected here, so these are no-ops."""


def trace(func=None, **kwargs):
    """No-op decorator; usable as @trace and as @trace(...)."""
    if func is not None and callable(func):
        return func
    return lambda f: f


def start_trace(*args, **kwargs):
    """No-op."""
    return None


__all__ = ["trace", "start_trace"]
