# Flowbench compatibility shim -- not promptflow. State shared between the shim's public
# functions and flowbench_worker.py; tools never import this module themselves.
"""Per-call state of a Flowbench python worker, and the @tool / log_metric implementations."""

import numbers

#: Attribute set on a function decorated with @tool.
TOOL_MARK = "__flowbench_tool__"


class CallState:
    """What the running call may record: metrics (aggregation nodes only) and notes for its log."""

    def __init__(self, aggregation):
        self.aggregation = bool(aggregation)
        self.metrics = {}
        self.notes = []


#: The call being served by this worker, or None outside a call (e.g. a tool run by hand).
current = None


def tool(func=None, **kwargs):
    """Marks a function as the node's tool; usable as @tool and as @tool(name=..., ...)."""

    def mark(f):
        setattr(f, TOOL_MARK, True)
        if kwargs.get("name"):
            setattr(f, "__flowbench_tool_name__", kwargs["name"])
        return f

    if func is not None and callable(func):
        return mark(func)
    return mark


def log_metric(key, value, variant_id=None):
    """Records a metric of the running aggregation node; ignored elsewhere, as in promptflow."""
    state = current
    if state is None:
        return
    if not state.aggregation:
        state.notes.append(
            "log_metric(%r) ignored: only aggregation nodes record metrics" % (key,))
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError("log_metric(%r): the value must be a number, not %s"
                        % (key, type(value).__name__))
    state.metrics[str(key)] = float(value)
